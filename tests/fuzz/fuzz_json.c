/*
 * fuzz_json: the JSON line reader (jsonl.h) on arbitrary bytes, held to
 * two decoders that share no code with it:
 *
 *  - the verdict: the line is parsed if and only if fuzz_json_check()
 *    (tests/fuzz/json.c, strict RFC 8259, nesting at most 64, as jsonl)
 *    takes it and its value is an object. A refusal has a reason and an
 *    offset inside the line (0 .. len), and leaves every value absent.
 *  - the values: jansson (JSON_ALLOW_NUL; a duplicate key's last value
 *    wins, as in jsonl) parses the same line into a tree, and each path
 *    of PATHS is looked up in it: present in both or in neither; a string
 *    the same bytes; a number the same number (strtod of jsonl's text
 *    against jansson's value); true, false, null the same; an object or
 *    an array, jsonl's text parsed again by jansson, equal to the tree's.
 *    jansson refuses some lines that are JSON: integers past 64 bits,
 *    reals past a double, NUL in a key; those are only held to the
 *    verdict.
 *
 * The same line is read a second time with "log" unwrapped (Docker's
 * shape), and the values held to the tree of log's text.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "jsonl.h"

#define FJ_MAXLEN	(1 << 16)

static const char *const paths[] = {
	"customer", "ts", "event", "type", "data.object.customer",
	"data.object.outcome.type", "data.object", "items.0.code", "items.1",
	"a", "a.b", "a.b.c", "0", "0.0", "log", "k\\.dot", "caf\xc3\xa9",
	"amount"
};
#define NPATHS	(sizeof(paths) / sizeof(paths[0]))

struct fj {
	struct jsonl_paths	*jp, *ujp;
	struct jsonl		*jl, *ujl;
};

static int	fj_selftest_parsed;

static struct fj *
fj_get(void)
{
	static struct fj fj;
	struct jsonl_badpath bad;

	if (fj.jl != NULL)
		return &fj;
	if ((fj.jp = jsonl_paths_new(paths, NPATHS, NULL, &bad)) == NULL ||
	    (fj.ujp = jsonl_paths_new(paths, NPATHS, "log", &bad)) == NULL)
		fuzz_fail("paths: %s", bad.why);
	fj.jl = jsonl_new(fj.jp, FJ_MAXLEN);
	fj.ujl = jsonl_new(fj.ujp, FJ_MAXLEN);
	return &fj;
}

/* Is p[0..len) a JSON object, as fuzz_json_check() sees it? */
static int
fj_is_object(const char *p, size_t len)
{
	const char *why;
	size_t i = 0;

	if (fuzz_json_check(p, len, &why) != 0)
		return 0;
	while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' ||
	    p[i] == '\r'))
		i++;
	return i < len && p[i] == '{';
}

/* jansson's tree of path text under root, or NULL. */
static json_t *
fj_lookup(json_t *root, const char *path)
{
	char key[256];
	const char *p = path;
	size_t k;
	json_t *n = root;
	char *end;
	long idx;

	while (n != NULL) {
		for (k = 0; *p != '\0' && *p != '.'; p++) {
			if (*p == '\\')
				p++;
			key[k++] = *p;
		}
		key[k] = '\0';
		if (json_is_object(n))
			n = json_object_get(n, key);
		else if (json_is_array(n) && key[0] >= '0' && key[0] <= '9' &&
		    (key[0] != '0' || k == 1)) {
			idx = strtol(key, &end, 10);
			n = *end == '\0' ? json_array_get(n, (size_t)idx) :
			    NULL;
		} else
			n = NULL;
		if (*p == '\0')
			return n;
		p++;
	}
	return NULL;
}

static void
fj_same(const struct jsonl_value *v, json_t *t, const char *path)
{
	json_error_t err;
	json_t *again;
	char *text, *end;
	double d;

	if (t == NULL) {
		if (v->present)
			fuzz_fail("%s: jsonl has \"%.*s\", jansson nothing",
			    path, (int)v->len, v->p);
		return;
	}
	if (!v->present)
		fuzz_fail("%s: jansson has a value, jsonl nothing", path);
	switch (v->type) {
	case JSONL_STRING:
		if (!json_is_string(t) || json_string_length(t) != v->len ||
		    memcmp(json_string_value(t), v->p, v->len) != 0)
			fuzz_fail("%s: string \"%.*s\" differs", path,
			    (int)v->len, v->p);
		return;
	case JSONL_NUMBER:
		text = strndup(v->p, v->len);
		d = strtod(text, &end);
		if (*end != '\0' || !json_is_number(t) ||
		    (json_is_integer(t) ? d != (double)json_integer_value(t) :
		    d != json_real_value(t)))
			fuzz_fail("%s: number %s differs", path, text);
		free(text);
		return;
	case JSONL_TRUE:
	case JSONL_FALSE:
	case JSONL_NULL:
		if ((v->type == JSONL_TRUE && !json_is_true(t)) ||
		    (v->type == JSONL_FALSE && !json_is_false(t)) ||
		    (v->type == JSONL_NULL && !json_is_null(t)))
			fuzz_fail("%s: literal %.*s differs", path,
			    (int)v->len, v->p);
		return;
	case JSONL_OBJECT:
	case JSONL_ARRAY:
		again = json_loadb(v->p, v->len, JSON_DECODE_ANY |
		    JSON_ALLOW_NUL, &err);
		if (again == NULL || !json_equal(again, t) ||
		    (v->type == JSONL_OBJECT) != json_is_object(t))
			fuzz_fail("%s: %s text \"%.*s\" differs", path,
			    v->type == JSONL_OBJECT ? "object" : "array",
			    (int)v->len, v->p);
		json_decref(again);
		return;
	default:
		fuzz_fail("%s: type %d", path, (int)v->type);
	}
}

/* The promises of a refusal; abort if one is broken. */
static void
fj_refused(struct jsonl *jl, size_t len)
{
	const struct jsonl_fail *f = jsonl_failure(jl);
	size_t i;

	if (f->why == NULL || f->off > len)
		fuzz_fail("refused with no reason or at %zu of %zu", f->off,
		    len);
	for (i = 0; i < NPATHS; i++)
		if (jsonl_value(jl, i)->present)
			fuzz_fail("refused, but %s is present", paths[i]);
}

/* jansson refuses this although it is JSON (see the top). */
static int
fj_jansson_limit(const json_error_t *err)
{
	return strstr(err->text, "too big") != NULL ||
	    strstr(err->text, "overflow") != NULL ||
	    strstr(err->text, "NUL") != NULL;
}

static void
fj_values(struct jsonl *jl, json_t *root)
{
	size_t i;

	for (i = 0; i < NPATHS; i++)
		fj_same(jsonl_value(jl, i), fj_lookup(root, paths[i]),
		    paths[i]);
}

/* The line read again, unwrapping "log". */
static void
fj_unwrap(struct fj *fj, const char *line, size_t len, json_t *root)
{
	json_error_t err;
	json_t *log = root != NULL ? json_object_get(root, "log") : NULL;
	json_t *inner = NULL;
	int rc = jsonl_parse(fj->ujl, line, len);

	if (rc == -1)
		fj_refused(fj->ujl, len);
	if (rc == -1 && !jsonl_failure(fj->ujl)->inner)
		return;
	if (root == NULL)
		fuzz_fail("unwrap: the outer line was not parsed");
	if (json_is_string(log)) {
		inner = json_loadb(json_string_value(log),
		    json_string_length(log), JSON_ALLOW_NUL, &err);
		if (inner == NULL && !fj_jansson_limit(&err) && rc == 0)
			fuzz_fail("unwrap: jansson refuses the text: %s",
			    err.text);
		if (inner != NULL && fj_is_object(json_string_value(log),
		    json_string_length(log)) != (rc == 0))
			fuzz_fail("unwrap: verdict %d on the text", rc);
	} else if (json_is_object(log))
		inner = json_incref(log);
	else if (rc == 0 || jsonl_failure(fj->ujl)->inner)
		fuzz_fail("unwrap: no string or object, rc %d", rc);
	if (rc == 0 && inner != NULL)
		fj_values(fj->ujl, inner);
	json_decref(inner);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *line = (const char *)data;
	struct fj *fj = fj_get();
	json_error_t err;
	json_t *root;
	int rc, want;

	if (size > FJ_MAXLEN)
		return 0;
	rc = jsonl_parse(fj->jl, line, size);
	want = fj_is_object(line, size);
	if ((rc == 0) != want)
		fuzz_fail("jsonl %s a line that fuzz_json_check %s",
		    rc == 0 ? "parses" : "refuses", want ? "takes" : "refuses");
	root = json_loadb(line, size, JSON_ALLOW_NUL, &err);
	if (rc == -1) {
		fj_refused(fj->jl, size);
	} else if (root == NULL) {
		if (!fj_jansson_limit(&err))
			fuzz_fail("jansson refuses what jsonl parses: %s at %d",
			    err.text, err.position);
	} else {
		fj_values(fj->jl, root);
		fj_selftest_parsed++;
	}
	if (root != NULL || rc == -1)
		fj_unwrap(fj, line, size, rc == 0 ? root : NULL);
	json_decref(root);
	return 0;
}

/*
 * Lines of every kind go through the oracle; those that must parse do,
 * those that must not do not, and the unwrapped values are checked.
 */
int
fuzz_selftest(void)
{
	static const char *const good[] = {
		"{\"ts\":\"2026-11-21T00:05:02.492Z\",\"event\":\"payment."
		    "succeeded\",\"customer\":\"C000021\",\"amount\":16400}",
		"{\"type\":\"charge.failed\",\"data\":{\"object\":"
		    "{\"customer\":\"cus_1\",\"outcome\":{\"type\":"
		    "\"issuer_declined\"}}}}",
		" {\"items\":[{\"code\":\"A\"},[1,2.5e3]],\"a\":{\"b\":null}} ",
		"{\"customer\":\"caf\\u00e9 \\ud83d\\ude00\",\"a\":1,\"a\":"
		    "{\"b\":{\"c\":true}},\"0\":[false]}",
		"{\"log\":\"{\\\"customer\\\":\\\"C1\\\"}\\n\","
		    "\"stream\":\"x\"}",
		"{\"log\":{\"event\":\"e\",\"k.dot\":-0.0}}",
	};
	static const char *const bad[] = {
		"{\"a\":1,}", "{\"a\":\"\\ud800\"}", "[1]", "{\"a\":tru}",
		"{\"a\":\"\xc0\xaf\"}", "{} {}", "",
	};
	struct fj *fj;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		LLVMFuzzerTestOneInput((const uint8_t *)good[i],
		    strlen(good[i]));
	if (fj_selftest_parsed != (int)(sizeof(good) / sizeof(good[0])))
		fuzz_fail("self test: %d of %zu lines parsed",
		    fj_selftest_parsed, sizeof(good) / sizeof(good[0]));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		LLVMFuzzerTestOneInput((const uint8_t *)bad[i], strlen(bad[i]));
	if (fj_selftest_parsed != (int)(sizeof(good) / sizeof(good[0])))
		fuzz_fail("self test: a bad line was parsed");
	fj = fj_get();
	if (jsonl_parse(fj->ujl, good[4], strlen(good[4])) != 0 ||
	    jsonl_value(fj->ujl, 0)->len != 2 ||
	    memcmp(jsonl_value(fj->ujl, 0)->p, "C1", 2) != 0)
		fuzz_fail("self test: unwrap did not read C1");
	return 0;
}
