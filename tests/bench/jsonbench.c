/*
 * jsonbench: what reading three fields by name from a JSON line costs
 * with each candidate C JSON library from Debian 12's packages, and with
 * cxwatch's own jsonl module. The evidence behind the choice of library
 * (README.md, Speed; tests/bench/jsonbench.sh builds and runs it).
 *
 *	jsonbench [-r rounds] file path ...
 *	jsonbench -v file
 *
 * One binary per library: compile with -DJB_JSMN, -DJB_JSONC,
 * -DJB_FASTJSON, -DJB_JANSSON, -DJB_CJSON, -DJB_YAJL, -DJB_JSONPARSER or
 * -DJB_JSONL (then link src/jsonl.c and src/xmalloc.c). The task, per
 * line: parse it (refusing it if it is not one JSON object), find each
 * dotted path (keys only: "data.object.customer"), and copy each found
 * string's decoded value out (numbers and literals as their text). The
 * lines of the file are read into memory first, each NUL-terminated for
 * the libraries that want that. Each round times one pass over all lines
 * on one thread; the best round is reported, with a checksum of the values
 * found so that the libraries can be checked to agree:
 *
 *	lib lines bytes MB/s ns/line found refused checksum
 *
 * -v: the verdicts. Each line of file is "+ JSON" (a line to parse) or
 * "- JSON" (one to refuse: not exactly one valid JSON object, RFC 8259);
 * prints each line the library gets wrong, escaped, and a count.
 *
 * Self-contained but for the library under test; not part of make bench.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define JB_MAXPATHS	8
#define JB_MAXCOMP	8
#define JB_VALROOM	65536

struct comp {
	const char	*s;
	size_t		 len;
};

struct path {
	const char	*text;
	struct comp	 c[JB_MAXCOMP];
	int		 n;
};

static struct path	paths[JB_MAXPATHS];
static int		npaths;

/*
 * The values of the current line, copied out: path i's at slot[i] (len
 * -1: absent). A string is its decoded bytes, any other value "#", so
 * that every library gives the same bytes.
 */
static char	valbuf[JB_VALROOM];
static size_t	valoff;
static struct {
	size_t	 off, len;
} slot[JB_MAXPATHS];
static uint64_t	nfound;

static void
jb_value(int i, const char *p, size_t len)
{
	if (len > sizeof(valbuf) - valoff)
		len = sizeof(valbuf) - valoff;
	memcpy(valbuf + valoff, p, len);
	slot[i].off = valoff;
	slot[i].len = len;
	valoff += len;
	nfound++;
}

/* FNV-1a of the line's values in path order, into *sum. */
static void
jb_hash(uint64_t *sum)
{
	size_t k;
	int i;

	for (i = 0; i < npaths; i++) {
		if (slot[i].len == (size_t)-1) {
			*sum = (*sum ^ 0xfe) * 1099511628211ULL;
			continue;
		}
		for (k = 0; k < slot[i].len; k++)
			*sum = (*sum ^ (unsigned char)valbuf[slot[i].off + k]) *
			    1099511628211ULL;
		*sum = (*sum ^ 0xff) * 1099511628211ULL;
	}
}

static int __attribute__((unused))
jb_is(const struct comp *c, const char *s, size_t len)
{
	return c->len == len && memcmp(c->s, s, len) == 0;
}

/* Not inlined, so that callgrind --toggle-collect=jb_line counts it. */
static int	jb_line(const char *, size_t) __attribute__((noinline));

#if defined(JB_JSMN)
#define JSMN_STATIC
#define JSMN_STRICT
#define JSMN_PARENT_LINKS
#include <jsmn.h>
#define JB_NAME	"jsmn"
#define JB_NTOK	16384

/* Minimal JSON string unescaping, for the tokenizer that does none. */
static size_t
jb_unescape(const char *s, size_t len, char *out)
{
	size_t i, o = 0;
	unsigned long u, lo;

	for (i = 0; i < len; i++) {
		if (s[i] != '\\' || i + 1 >= len) {
			out[o++] = s[i];
			continue;
		}
		switch (s[++i]) {
		case 'b': out[o++] = '\b'; break;
		case 'f': out[o++] = '\f'; break;
		case 'n': out[o++] = '\n'; break;
		case 'r': out[o++] = '\r'; break;
		case 't': out[o++] = '\t'; break;
		case 'u':
			if (i + 4 >= len)
				return o;
			u = strtoul((char[5]){ s[i + 1], s[i + 2], s[i + 3],
			    s[i + 4], 0 }, NULL, 16);
			i += 4;
			if (u >= 0xd800 && u < 0xdc00 && i + 6 < len &&
			    s[i + 1] == '\\' && s[i + 2] == 'u') {
				lo = strtoul((char[5]){ s[i + 3], s[i + 4],
				    s[i + 5], s[i + 6], 0 }, NULL, 16);
				u = 0x10000 + ((u - 0xd800) << 10) +
				    (lo - 0xdc00);
				i += 6;
			}
			if (u < 0x80)
				out[o++] = (char)u;
			else if (u < 0x800) {
				out[o++] = (char)(0xc0 | u >> 6);
				out[o++] = (char)(0x80 | (u & 0x3f));
			} else if (u < 0x10000) {
				out[o++] = (char)(0xe0 | u >> 12);
				out[o++] = (char)(0x80 | (u >> 6 & 0x3f));
				out[o++] = (char)(0x80 | (u & 0x3f));
			} else {
				out[o++] = (char)(0xf0 | u >> 18);
				out[o++] = (char)(0x80 | (u >> 12 & 0x3f));
				out[o++] = (char)(0x80 | (u >> 6 & 0x3f));
				out[o++] = (char)(0x80 | (u & 0x3f));
			}
			break;
		default: out[o++] = s[i]; break;
		}
	}
	return o;
}
static jsmntok_t	toks[JB_NTOK];
static char		dec[JB_VALROOM];

/* The value token of key c in object token o, or -1. */
static int
jb_member(const char *js, int ntok, int o, const struct comp *c)
{
	int i;

	if (toks[o].type != JSMN_OBJECT)
		return -1;
	for (i = o + 1; i < ntok && toks[i].start < toks[o].end; i++)
		if (toks[i].parent == o && toks[i].type == JSMN_STRING &&
		    jb_is(c, js + toks[i].start, (size_t)(toks[i].end -
		    toks[i].start)) && i + 1 < ntok)
			return i + 1;
	return -1;
}

static void	jb_init(void) {}

static int
jb_line(const char *js, size_t len)
{
	jsmn_parser p;
	int n, i, k, t;
	size_t vlen;

	jsmn_init(&p);
	n = jsmn_parse(&p, js, len, toks, JB_NTOK);
	if (n < 1 || toks[0].type != JSMN_OBJECT)
		return -1;
	for (i = 0; i < npaths; i++) {
		for (t = 0, k = 0; k < paths[i].n && t >= 0; k++)
			t = jb_member(js, n, t, &paths[i].c[k]);
		if (t < 0)
			continue;
		vlen = (size_t)(toks[t].end - toks[t].start);
		if (toks[t].type != JSMN_STRING)
			jb_value(i, "#", 1);
		else if (memchr(js + toks[t].start, '\\', vlen) != NULL) {
			vlen = jb_unescape(js + toks[t].start, vlen, dec);
			jb_value(i, dec, vlen);
		} else
			jb_value(i, js + toks[t].start, vlen);
	}
	return 0;
}

#elif defined(JB_JSONC) || defined(JB_FASTJSON)
#ifdef JB_JSONC
#include <json-c/json.h>
#define JB_NAME	"json-c"
#define JB_FLAGS (JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8)
#define JB_END(t) json_tokener_get_parse_end(t)
#define JB_SETFLAGS json_tokener_set_flags
#else
#include <libfastjson/json.h>
#define JB_NAME	"fastjson"
#define JB_FLAGS FJSON_TOKENER_STRICT
#define JB_END(t) ((size_t)(t)->char_offset)
#define JB_SETFLAGS fjson_tokener_set_flags
#endif
static struct json_tokener	*tok;

static void
jb_init(void)
{
	tok = json_tokener_new();
	JB_SETFLAGS(tok, JB_FLAGS);
}

static int
jb_line(const char *js, size_t len)
{
	struct json_object *root, *o;
	int i, k;

	json_tokener_reset(tok);
	root = json_tokener_parse_ex(tok, js, (int)len);
	if (root == NULL || JB_END(tok) != len ||
	    !json_object_is_type(root, json_type_object)) {
		json_object_put(root);
		return -1;
	}
	for (i = 0; i < npaths; i++) {
		o = root;
		for (k = 0; k < paths[i].n; k++)
			if (!json_object_is_type(o, json_type_object) ||
			    !json_object_object_get_ex(o, paths[i].c[k].s, &o))
				break;
		if (k < paths[i].n)
			continue;
		if (json_object_is_type(o, json_type_string))
			jb_value(i, json_object_get_string(o),
			    (size_t)json_object_get_string_len(o));
		else
			jb_value(i, "#", 1);
	}
	json_object_put(root);
	return 0;
}

#elif defined(JB_JANSSON)
#include <jansson.h>
#define JB_NAME	"jansson"
static void	jb_init(void) {}

static int
jb_line(const char *js, size_t len)
{
	json_error_t err;
	json_t *root, *o;
	int i, k;

	if ((root = json_loadb(js, len, 0, &err)) == NULL)
		return -1;
	if (!json_is_object(root)) {
		json_decref(root);
		return -1;
	}
	for (i = 0; i < npaths; i++) {
		o = root;
		for (k = 0; k < paths[i].n && o != NULL; k++)
			o = json_object_get(o, paths[i].c[k].s);
		if (o == NULL)
			continue;
		if (json_is_string(o))
			jb_value(i, json_string_value(o),
			    json_string_length(o));
		else
			jb_value(i, "#", 1);
	}
	json_decref(root);
	return 0;
}

#elif defined(JB_CJSON)
#include <cjson/cJSON.h>
#define JB_NAME	"cJSON"
static void	jb_init(void) {}

static int
jb_line(const char *js, size_t len)
{
	cJSON *root, *o;
	const char *end;
	int i, k;

	root = cJSON_ParseWithLengthOpts(js, len + 1, &end, 0);
	if (root == NULL || !cJSON_IsObject(root)) {
		cJSON_Delete(root);
		return -1;
	}
	while (*end == ' ' || *end == '\t' || *end == '\r')
		end++;
	if ((size_t)(end - js) != len) {
		cJSON_Delete(root);
		return -1;
	}
	for (i = 0; i < npaths; i++) {
		o = root;
		for (k = 0; k < paths[i].n && o != NULL; k++)
			o = cJSON_GetObjectItemCaseSensitive(o,
			    paths[i].c[k].s);
		if (o == NULL)
			continue;
		if (cJSON_IsString(o))
			jb_value(i, o->valuestring, strlen(o->valuestring));
		else
			jb_value(i, "#", 1);
	}
	cJSON_Delete(root);
	return 0;
}

#elif defined(JB_YAJL)
#include <yajl/yajl_parse.h>
#define JB_NAME	"yajl"
#define JB_DEPTH	64
/*
 * The key of each open map (an open array's key never matches: arrays
 * are not followed); level is how many are open.
 */
static struct {
	char	 key[64];
	size_t	 len;
} stk[JB_DEPTH];
static int		level, done;
static yajl_handle	hand;

static int
jb_here(int str, const char *s, size_t len)
{
	int i, k;

	for (i = 0; i < npaths; i++) {
		if (paths[i].n != level)
			continue;
		for (k = 0; k < level; k++)
			if (!jb_is(&paths[i].c[k], stk[k].key, stk[k].len))
				break;
		if (k == level)
			jb_value(i, str ? s : "#", str ? len : 1);
	}
	return 1;
}

static int
jb_str(void *ctx, const unsigned char *s, size_t len)
{
	(void)ctx;
	return jb_here(1, (const char *)s, len);
}

static int
jb_num(void *ctx, const char *s, size_t len)
{
	(void)ctx;
	return jb_here(0, s, len);
}

static int
jb_null(void *ctx)
{
	(void)ctx;
	return jb_here(0, "null", 4);
}

static int
jb_bool(void *ctx, int b)
{
	(void)ctx;
	return jb_here(0, b ? "true" : "false", b ? 4 : 5);
}

static int
jb_open(int array)
{
	if (done || level >= JB_DEPTH || (level == 0 && array))
		return 0;
	stk[level++].len = array ? (size_t)-1 : 0;
	return 1;
}

static int
jb_startmap(void *ctx)
{
	(void)ctx;
	return jb_open(0);
}

static int
jb_startarray(void *ctx)
{
	(void)ctx;
	return jb_open(1);
}

static int
jb_key(void *ctx, const unsigned char *s, size_t len)
{
	(void)ctx;
	if (len > sizeof(stk[0].key))
		len = sizeof(stk[0].key);
	memcpy(stk[level - 1].key, s, len);
	stk[level - 1].len = len;
	return 1;
}

static int
jb_close(void *ctx)
{
	(void)ctx;
	if (--level == 0)
		done = 1;
	return 1;
}

static const yajl_callbacks cbs = {
	jb_null, jb_bool, NULL, NULL, jb_num, jb_str, jb_startmap, jb_key,
	jb_close, jb_startarray, jb_close
};

static void
jb_init(void)
{
	hand = yajl_alloc(&cbs, NULL, NULL);
	yajl_config(hand, yajl_allow_multiple_values, 1);
}

static int
jb_line(const char *js, size_t len)
{
	level = done = 0;
	/*
	 * One handle for every line: with multiple values allowed it takes
	 * the next line's object after this one's. Only an error makes a
	 * new one (yajl has no reset).
	 */
	if (yajl_parse(hand, (const unsigned char *)js, len) !=
	    yajl_status_ok || !done) {
		yajl_free(hand);
		jb_init();
		return -1;
	}
	return 0;
}

#elif defined(JB_JSONPARSER)
#include <json-parser/json.h>
#define JB_NAME	"json-parser"
static void	jb_init(void) {}

static int
jb_line(const char *js, size_t len)
{
	json_settings set = { 0 };
	char err[json_error_max];
	json_value *root, *o, *next;
	unsigned int j;
	int i, k;

	if ((root = json_parse_ex(&set, js, len, err)) == NULL)
		return -1;
	if (root->type != json_object) {
		json_value_free(root);
		return -1;
	}
	for (i = 0; i < npaths; i++) {
		o = root;
		for (k = 0; k < paths[i].n && o != NULL; k++) {
			next = NULL;
			if (o->type == json_object)
				for (j = 0; j < o->u.object.length; j++)
					if (jb_is(&paths[i].c[k],
					    o->u.object.values[j].name,
					    o->u.object.values[j].name_length))
						next = o->u.object.values[j].
						    value;
			o = next;
		}
		if (o == NULL)
			continue;
		if (o->type == json_string)
			jb_value(i, o->u.string.ptr, o->u.string.length);
		else
			jb_value(i, "#", 1);
	}
	json_value_free(root);
	return 0;
}

#elif defined(JB_JSONL)
#include "jsonl.h"
#define JB_NAME	"jsonl"
static struct jsonl_paths	*jp;
static struct jsonl		*jl;

static void
jb_init(void)
{
	const char *texts[JB_MAXPATHS];
	struct jsonl_badpath bad;
	int i;

	for (i = 0; i < npaths; i++)
		texts[i] = paths[i].text;
	if ((jp = jsonl_paths_new(texts, (size_t)npaths, NULL, &bad)) ==
	    NULL) {
		fprintf(stderr, "jsonbench: path %zu: %s\n", bad.path, bad.why);
		exit(2);
	}
	jl = jsonl_new(jp, 1 << 20);
}

static int
jb_line(const char *js, size_t len)
{
	const struct jsonl_value *v;
	int i;

	if (jsonl_parse(jl, js, len) == -1)
		return -1;
	for (i = 0; i < npaths; i++) {
		v = jsonl_value(jl, (size_t)i);
		if (v->type == JSONL_STRING)
			jb_value(i, v->p, v->len);
		else if (v->present)
			jb_value(i, "#", 1);
	}
	return 0;
}

#else
#error "compile with one of -DJB_JSMN -DJB_JSONC ... (see the top of the file)"
#endif

static double
jb_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
jb_path(const char *text)
{
	struct path *p = &paths[npaths++];
	char *s = strdup(text), *dot;

	p->text = text;
	for (;;) {
		p->c[p->n].s = s;
		if ((dot = strchr(s, '.')) != NULL)
			*dot = '\0';
		p->c[p->n].len = strlen(s);
		p->n++;
		if (dot == NULL || p->n == JB_MAXCOMP)
			break;
		s = dot + 1;
	}
}

static int
jb_verdicts(const char *file)
{
	char buf[4096];
	size_t len, i;
	int n = 0, wrong = 0, got;
	FILE *f;

	if ((f = fopen(file, "rb")) == NULL) {
		perror(file);
		return 2;
	}
	jb_init();
	while (fgets(buf, sizeof(buf), f) != NULL) {
		len = strcspn(buf, "\n");
		buf[len] = '\0';
		if (len < 1 || (buf[0] != '+' && buf[0] != '-'))
			continue;
		n++;
		valoff = 0;
		got = jb_line(buf + 2, len > 2 ? len - 2 : 0) == 0 ? '+' : '-';
		if (got == buf[0])
			continue;
		wrong++;
		printf("%s: %s ", JB_NAME, got == '+' ? "takes" : "refuses");
		for (i = 2; i < len; i++)
			if ((unsigned char)buf[i] < 0x20 ||
			    (unsigned char)buf[i] >= 0x7f)
				printf("\\x%02x", (unsigned char)buf[i]);
			else
				putchar(buf[i]);
		putchar('\n');
	}
	fclose(f);
	printf("%s: %d of %d verdicts wrong\n", JB_NAME, wrong, n);
	return 0;
}

int
main(int argc, char **argv)
{
	char *buf, **line, *nl;
	size_t *len, nlines = 0, cap = 0, bytes = 0, n, i;
	int rounds = 5, r, a = 1;
	uint64_t refused = 0, found = 0, check = 1469598103934665603ULL;
	double best = 1e30, t;
	FILE *f;
	long sz;

	if (argc == 3 && strcmp(argv[1], "-v") == 0)
		return jb_verdicts(argv[2]);
	if (argc > 2 && strcmp(argv[1], "-r") == 0) {
		rounds = atoi(argv[2]);
		a = 3;
	}
	if (argc - a < 2) {
		fprintf(stderr, "usage: jsonbench [-r rounds] file path ...\n");
		return 2;
	}
	if ((f = fopen(argv[a], "rb")) == NULL || fseek(f, 0, SEEK_END) != 0 ||
	    (sz = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		perror(argv[a]);
		return 2;
	}
	buf = malloc((size_t)sz + 2);
	n = fread(buf, 1, (size_t)sz, f);
	fclose(f);
	if (n > 0 && buf[n - 1] != '\n')
		buf[n++] = '\n';
	line = NULL;
	len = NULL;
	for (i = 0; i < n; i = (size_t)(nl - buf) + 1) {
		nl = memchr(buf + i, '\n', n - i);
		*nl = '\0';
		if (nlines == cap) {
			cap = cap ? cap * 2 : 1024;
			line = realloc(line, cap * sizeof(*line));
			len = realloc(len, cap * sizeof(*len));
		}
		line[nlines] = buf + i;
		len[nlines++] = (size_t)(nl - (buf + i));
		bytes += (size_t)(nl - (buf + i)) + 1;
	}
	for (a++; a < argc && npaths < JB_MAXPATHS; a++)
		jb_path(argv[a]);
	jb_init();
	/* An untimed pass for the checksum, then the timed rounds. */
	for (i = 0; i < nlines; i++) {
		valoff = 0;
		memset(slot, 0xff, sizeof(slot));
		if (jb_line(line[i], len[i]) == -1)
			refused++;
		jb_hash(&check);
	}
	found = nfound;
	for (r = 0; r < rounds; r++) {
		t = jb_now();
		for (i = 0; i < nlines; i++) {
			valoff = 0;
			jb_line(line[i], len[i]);
		}
		t = jb_now() - t;
		if (t < best)
			best = t;
	}
	printf("%-11s %8zu %10zu %8.0f %8.1f %8llu %6llu %016llx\n", JB_NAME,
	    nlines, bytes, (double)bytes / best / 1e6, best * 1e9 /
	    (double)nlines, (unsigned long long)found,
	    (unsigned long long)refused, (unsigned long long)check);
	return 0;
}
