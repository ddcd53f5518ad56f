/*
 * test_jsonl: fields by path from JSON lines (jsonl.h): paths and their
 * errors, nesting, arrays, escapes, duplicates, unwrap, limits, every
 * refusal with its offset. Every line is parsed from a heap copy of
 * exactly its length, with no NUL after it, so an overread trips
 * AddressSanitizer. Expected values are written out by hand (decoded
 * UTF-8 as bytes), never computed with jsonl.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonl.h"
#include "t.h"
#include "xmalloc.h"

#define MAXLEN	4096

struct fx {
	struct jsonl_paths	*jp;
	struct jsonl		*jl;
	char			*copy;	/* the line parsed last */
	size_t			 len;
};

static struct fx
fx_new(const char *const *paths, size_t n, const char *unwrap, size_t max)
{
	struct jsonl_badpath bad;
	struct fx f = { NULL, NULL, NULL, 0 };

	if ((f.jp = jsonl_paths_new(paths, n, unwrap, &bad)) == NULL) {
		fprintf(stderr, "fx_new: path %zu: %s at %zu\n", bad.path,
		    bad.why, bad.off);
		exit(2);
	}
	f.jl = jsonl_new(f.jp, max);
	return f;
}

static void
fx_free(struct fx *f)
{
	jsonl_free(f->jl);
	jsonl_paths_free(f->jp);
	free(f->copy);
}

static int
fx_parse_mem(struct fx *f, const char *line, size_t len)
{
	free(f->copy);
	f->copy = xmalloc(len + 1);	/* + 1: malloc(0) may be NULL */
	memcpy(f->copy, line, len);
	f->len = len;
	return jsonl_parse(f->jl, f->copy, len);
}

static int
fx_parse(struct fx *f, const char *line)
{
	return fx_parse_mem(f, line, strlen(line));
}

/* Path i's value as a new NUL-terminated string, "(absent)" if none. */
static char *
val(const struct fx *f, size_t i)
{
	const struct jsonl_value *v = jsonl_value(f->jl, i);

	if (!v->present)
		return xstrdup("(absent)");
	return xstrndup(v->p, v->len);
}

#define CHECK_VAL(f, i, want) do {					\
	char *t_v = val((f), (i));					\
	CHECK_STR(t_v, (want));						\
	free(t_v);							\
} while (0)

#define CHECK_TYPE(f, i, want)						\
	CHECK_INT(jsonl_value((f)->jl, (i))->type, (want))

/* Does path i's value point into the line (needed no decoding)? */
static int
in_line(const struct fx *f, size_t i)
{
	const struct jsonl_value *v = jsonl_value(f->jl, i);

	return v->p >= f->copy && v->p + v->len <= f->copy + f->len;
}

static const char *const billing[] = { "customer", "ts", "event" };

static void
test_billing_line(void)
{
	struct fx f = fx_new(billing, 3, NULL, MAXLEN);

	CHECK_INT(jsonl_paths_count(f.jp), 3);
	CHECK_INT(fx_parse(&f, "{\"ts\":\"2026-11-21T00:05:02.492Z\","
	    "\"event\":\"payment.succeeded\",\"customer\":\"C000021\","
	    "\"amount\":16400,\"currency\":\"EUR\"}"), 0);
	CHECK_VAL(&f, 0, "C000021");
	CHECK_VAL(&f, 1, "2026-11-21T00:05:02.492Z");
	CHECK_VAL(&f, 2, "payment.succeeded");
	CHECK_TYPE(&f, 0, JSONL_STRING);
	CHECK(in_line(&f, 0) && in_line(&f, 1) && in_line(&f, 2));
	CHECK(jsonl_failure(f.jl)->why == NULL);
	/* Any key order, extra keys, a missing one. */
	CHECK_INT(fx_parse(&f, "{\"level\":\"info\",\"customer\":\"C9\","
	    "\"x\":{\"customer\":\"C1\"},\"event\":\"payment.failed\"}"), 0);
	CHECK_VAL(&f, 0, "C9");
	CHECK_VAL(&f, 1, "(absent)");
	CHECK_VAL(&f, 2, "payment.failed");
	/* The values of one line do not leak into the next. */
	CHECK_INT(fx_parse(&f, "{\"ts\":\"t\"}"), 0);
	CHECK_VAL(&f, 0, "(absent)");
	CHECK_VAL(&f, 1, "t");
	CHECK_VAL(&f, 2, "(absent)");
	fx_free(&f);
}

/* Blanks (space, tab, CR, LF) wherever RFC 8259 allows them. */
static void
test_blanks(void)
{
	static const char *const p[] = { "a", "b.c", "d.1" };
	struct fx f = fx_new(p, 3, NULL, MAXLEN);

	CHECK_INT(fx_parse(&f, " \t\r\n{ \t\r\n\"a\" \t\r\n: \t\r\n\"x\" \t\r\n"
	    ", \"b\" : { \"c\" : 1 } , \"d\" : [ 0 , true ] \t\r\n} \t\r\n"),
	    0);
	CHECK_VAL(&f, 0, "x");
	CHECK_VAL(&f, 1, "1");
	CHECK_VAL(&f, 2, "true");
	CHECK_INT(fx_parse(&f, "{\"a\": \"C3\"}"), 0);
	CHECK_VAL(&f, 0, "C3");
	CHECK_INT(fx_parse(&f, "{\"a\":\"C3\"}\r"), 0);
	CHECK_VAL(&f, 0, "C3");
	/* Not blanks in JSON: a vertical tab, a form feed, a NUL. */
	CHECK_INT(fx_parse(&f, "{\"a\":\v1}"), -1);
	CHECK_INT(jsonl_failure(f.jl)->off, 5);
	CHECK_INT(fx_parse(&f, "\f{}"), -1);
	CHECK_INT(jsonl_failure(f.jl)->off, 0);
	CHECK_INT(fx_parse_mem(&f, "{}\0", 3), -1);
	CHECK_STR(jsonl_failure(f.jl)->why, "bytes after the object");
	CHECK_INT(jsonl_failure(f.jl)->off, 2);
	fx_free(&f);
}

static void
test_nested(void)
{
	static const char *const p[] = { "type", "data.object.customer",
	    "data.object.outcome.type", "data.object", "data.missing.x" };
	struct fx f = fx_new(p, 5, NULL, MAXLEN);
	const char *obj = "{\"customer\":\"cus_1\", \"outcome\":"
	    "{\"type\":\"issuer_declined\"}}";
	char line[512];

	snprintf(line, sizeof(line), "{\"type\":\"charge.failed\",\"data\":"
	    "{\"object\":%s},\"customer\":\"top\"}", obj);
	CHECK_INT(fx_parse(&f, line), 0);
	CHECK_VAL(&f, 0, "charge.failed");
	CHECK_VAL(&f, 1, "cus_1");
	CHECK_VAL(&f, 2, "issuer_declined");
	CHECK_VAL(&f, 3, obj);
	CHECK_TYPE(&f, 3, JSONL_OBJECT);
	CHECK_VAL(&f, 4, "(absent)");
	/* A path through something that is not an object reads nothing. */
	CHECK_INT(fx_parse(&f, "{\"data\":{\"object\":\"cus_1\"}}"), 0);
	CHECK_VAL(&f, 1, "(absent)");
	CHECK_VAL(&f, 3, "cus_1");
	CHECK_INT(fx_parse(&f, "{\"data\":[{\"object\":1}]}"), 0);
	CHECK_VAL(&f, 3, "(absent)");
	fx_free(&f);
}

static void
test_arrays(void)
{
	static const char *const p[] = { "items.0.code", "items.2",
	    "items", "m.1.0", "o.0", "o.007", "items.1" };
	struct fx f = fx_new(p, 7, NULL, MAXLEN);

	CHECK_INT(fx_parse(&f, "{\"items\":[{\"code\":\"A1\"}, \"b\", [ 3 ]],"
	    "\"m\":[[1],[2,3]],\"o\":{\"0\":\"zero\",\"007\":\"bond\"}}"), 0);
	CHECK_VAL(&f, 0, "A1");
	CHECK_VAL(&f, 1, "[ 3 ]");
	CHECK_TYPE(&f, 1, JSONL_ARRAY);
	CHECK_VAL(&f, 2, "[{\"code\":\"A1\"}, \"b\", [ 3 ]]");
	CHECK_VAL(&f, 3, "2");
	CHECK_VAL(&f, 4, "zero");	/* a number is a key too */
	CHECK_VAL(&f, 5, "bond");
	CHECK_VAL(&f, 6, "b");
	/* "007" is no index; past the end is absent. */
	CHECK_INT(fx_parse(&f, "{\"o\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\","
	    "\"g\",\"h\"],\"items\":[]}"), 0);
	CHECK_VAL(&f, 4, "a");
	CHECK_VAL(&f, 5, "(absent)");
	CHECK_VAL(&f, 1, "(absent)");
	CHECK_VAL(&f, 2, "[]");
	fx_free(&f);
}

/* Numbers, true, false, null, objects and arrays as their text. */
static void
test_value_kinds(void)
{
	static const char *const p[] = { "i", "r", "t", "f", "n", "o", "a",
	    "s", "e" };
	struct fx f = fx_new(p, 9, NULL, MAXLEN);

	CHECK_INT(fx_parse(&f, "{\"i\":-0,\"r\":-12.50e+007,\"t\":true,"
	    "\"f\":false,\"n\":null,\"o\":{ \"k\" : [1, {}] },\"a\":[ ],"
	    "\"s\":\"null\",\"e\":\"\"}"), 0);
	CHECK_VAL(&f, 0, "-0");
	CHECK_TYPE(&f, 0, JSONL_NUMBER);
	CHECK_VAL(&f, 1, "-12.50e+007");
	CHECK_VAL(&f, 2, "true");
	CHECK_TYPE(&f, 2, JSONL_TRUE);
	CHECK_VAL(&f, 3, "false");
	CHECK_TYPE(&f, 3, JSONL_FALSE);
	CHECK_VAL(&f, 4, "null");
	CHECK_TYPE(&f, 4, JSONL_NULL);
	CHECK_VAL(&f, 5, "{ \"k\" : [1, {}] }");
	CHECK_TYPE(&f, 5, JSONL_OBJECT);
	CHECK_VAL(&f, 6, "[ ]");
	CHECK_TYPE(&f, 6, JSONL_ARRAY);
	CHECK_VAL(&f, 7, "null");
	CHECK_TYPE(&f, 7, JSONL_STRING);
	CHECK_VAL(&f, 8, "");
	CHECK(jsonl_value(f.jl, 8)->present);
	CHECK(in_line(&f, 0) && in_line(&f, 5) && in_line(&f, 8));
	fx_free(&f);
}

static void
test_escapes(void)
{
	static const char *const p[] = { "s", "customer", "k\\.dot",
	    "back\\\\slash", "caf\xc3\xa9" };
	struct fx f = fx_new(p, 5, NULL, MAXLEN);
	const struct jsonl_value *v;

	CHECK_INT(fx_parse(&f, "{\"s\":\"\\\" \\\\ \\/ \\b\\f\\n\\r\\t"
	    "\\u0041\\u00e9\\u20AC\\ud83d\\ude00\\uDBFF\\uDFFF\"}"), 0);
	CHECK_VAL(&f, 0, "\" \\ / \b\f\n\r\tA\xc3\xa9\xe2\x82\xac"
	    "\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf");
	CHECK(!in_line(&f, 0));
	/* \u0000 is a NUL byte inside the value. */
	CHECK_INT(fx_parse(&f, "{\"s\":\"a\\u0000b\"}"), 0);
	v = jsonl_value(f.jl, 0);
	CHECK(v->len == 3 && memcmp(v->p, "a\0b", 3) == 0);
	/* UTF-8 as it is, and keys compared decoded. */
	CHECK_INT(fx_parse(&f, "{\"s\":\"\xe2\x82\xac\xf0\x9f\x98\x80\","
	    "\"cust\\u006fmer\":\"C\\u00e9\",\"k.dot\":1,"
	    "\"back\\\\slash\":2,\"caf\\u00e9\":3}"), 0);
	CHECK_VAL(&f, 0, "\xe2\x82\xac\xf0\x9f\x98\x80");
	CHECK(in_line(&f, 0));
	CHECK_VAL(&f, 1, "C\xc3\xa9");
	CHECK_VAL(&f, 2, "1");
	CHECK_VAL(&f, 3, "2");
	CHECK_VAL(&f, 4, "3");
	/* DEL and other bytes 0x20-0x7f are plain. */
	CHECK_INT(fx_parse(&f, "{\"s\":\"\x7f~ \"}"), 0);
	CHECK_VAL(&f, 0, "\x7f~ ");
	fx_free(&f);
}

static void
test_duplicates(void)
{
	static const char *const p[] = { "a", "a.b", "c", "a" };
	struct fx f = fx_new(p, 4, NULL, MAXLEN);

	CHECK_INT(fx_parse(&f, "{\"c\":1,\"c\":\"two\"}"), 0);
	CHECK_VAL(&f, 2, "two");
	CHECK_INT(fx_parse(&f, "{\"a\":{\"b\":1},\"a\":2}"), 0);
	CHECK_VAL(&f, 0, "2");
	CHECK_VAL(&f, 1, "(absent)");
	CHECK_VAL(&f, 3, "2");	/* the same path twice */
	CHECK_INT(fx_parse(&f, "{\"a\":{\"b\":1},\"a\":{\"x\":0}}"), 0);
	CHECK_VAL(&f, 1, "(absent)");
	CHECK_INT(fx_parse(&f, "{\"a\":{\"b\":1,\"b\":\"\\u0032\"}}"), 0);
	CHECK_VAL(&f, 1, "2");
	CHECK_INT(fx_parse(&f, "{\"a\":3,\"a\":{\"b\":4}}"), 0);
	CHECK_VAL(&f, 0, "{\"b\":4}");
	CHECK_VAL(&f, 1, "4");
	fx_free(&f);
}

static void
test_unwrap(void)
{
	static const char *const p[] = { "customer", "event", "stream" };
	struct fx f = fx_new(p, 3, "log", MAXLEN);
	const struct jsonl_fail *e;

	CHECK_INT(fx_parse(&f, "{\"log\":\"{\\\"customer\\\":\\\"C1\\\","
	    "\\\"event\\\":\\\"caf\\\\u00e9\\\"}\\n\",\"stream\":\"stdout\","
	    "\"customer\":\"outer\"}"), 0);
	CHECK_VAL(&f, 0, "C1");
	CHECK_VAL(&f, 1, "caf\xc3\xa9");
	CHECK_VAL(&f, 2, "(absent)");	/* only the inner object is read */
	/* The field to unwrap may be an object itself. */
	CHECK_INT(fx_parse(&f, "{\"stream\":\"x\",\"log\":{\"customer\":\"C2\","
	    "\"stream\":\"inner\"}}"), 0);
	CHECK_VAL(&f, 0, "C2");
	CHECK_VAL(&f, 2, "inner");
	CHECK(in_line(&f, 0));
	/* Absent, or neither a string nor an object. */
	CHECK_INT(fx_parse(&f, "{\"customer\":\"C1\"}"), -1);
	CHECK_STR(jsonl_failure(f.jl)->why, "no field to unwrap");
	CHECK_VAL(&f, 0, "(absent)");
	CHECK_INT(fx_parse(&f, "{\"x\":1, \"log\":42}"), -1);
	CHECK_STR(jsonl_failure(f.jl)->why,
	    "the field to unwrap is not a string or an object");
	CHECK_INT(jsonl_failure(f.jl)->off, 14);
	/* The inner text is not JSON: where, in both texts. */
	CHECK_INT(fx_parse(&f, "{\"x\":1, \"log\":\"{\\\"a\\\" 1}\"}"), -1);
	e = jsonl_failure(f.jl);
	CHECK_STR(e->why, "expected ':'");
	CHECK(e->inner);
	CHECK_INT(e->off, 14);
	CHECK_INT(e->inner_off, 5);
	CHECK_INT(fx_parse(&f, "{\"log\":\"plain text\\n\"}"), -1);
	CHECK_STR(jsonl_failure(f.jl)->why, "expected '{': not a JSON object");
	CHECK(jsonl_failure(f.jl)->inner);
	/* The outer line is checked whole first. */
	CHECK_INT(fx_parse(&f, "{\"log\":\"{}\",}"), -1);
	CHECK(!jsonl_failure(f.jl)->inner);
	CHECK_INT(jsonl_failure(f.jl)->off, 12);
	/* The last "log" wins. */
	CHECK_INT(fx_parse(&f, "{\"log\":\"{\\\"customer\\\":\\\"A\\\"}\","
	    "\"log\":\"{\\\"customer\\\":\\\"B\\\"}\"}"), 0);
	CHECK_VAL(&f, 0, "B");
	fx_free(&f);
}

struct bad {
	const char	*line;
	const char	*why;
	size_t		 off;
};

/* Every refusal, with its offset. */
static void
test_refusals(void)
{
	static const struct bad bad[] = {
		{ "", "expected '{': not a JSON object", 0 },
		{ "   ", "expected '{': not a JSON object", 3 },
		{ "[1]", "expected '{': not a JSON object", 0 },
		{ "\"s\"", "expected '{': not a JSON object", 0 },
		{ "{\"a\":1}x", "bytes after the object", 7 },
		{ "{\"a\":1} {}", "bytes after the object", 8 },
		{ "{\"a\":1", "expected ',' or '}'", 6 },
		{ "{\"a\":1 \"b\":2}", "expected ',' or '}'", 7 },
		{ "{\"a\":1,}", "expected a string key", 7 },
		{ "{,\"a\":1}", "expected a string key", 1 },
		{ "{a:1}", "expected a string key", 1 },
		{ "{'a':1}", "expected a string key", 1 },
		{ "{", "expected a string key", 1 },
		{ "{\"a\" 1}", "expected ':'", 5 },
		{ "{\"a\"::1}", "expected a value", 5 },
		{ "{\"a\":}", "expected a value", 5 },
		{ "{\"a\":", "expected a value", 5 },
		{ "{\"a\":[1,]}", "expected a value", 8 },
		{ "{\"a\":[1 2]}", "expected ',' or ']'", 8 },
		{ "{\"a\":[1}", "expected ',' or ']'", 7 },
		{ "{\"a\":tru}", "invalid literal (true, false, null)", 5 },
		{ "{\"a\":nul", "invalid literal (true, false, null)", 5 },
		{ "{\"a\":True}", "expected a value", 5 },
		{ "{\"a\":01}", "number with a leading zero", 5 },
		{ "{\"a\":-}", "invalid number", 5 },
		{ "{\"a\":1.}", "invalid number", 5 },
		{ "{\"a\":.5}", "expected a value", 5 },
		{ "{\"a\":1e+}", "invalid number", 5 },
		{ "{\"a\":+1}", "expected a value", 5 },
		{ "{\"a\":1.5.2}", "expected ',' or '}'", 8 },
		{ "{\"a\":NaN}", "expected a value", 5 },
		{ "{\"a\":\"x", "unterminated string", 7 },
		{ "{\"a\":\"x\\", "unterminated string", 8 },
		{ "{\"abcdefghijklmnop", "unterminated string", 18 },
		{ "{\"a\":\"x\ty\"}", "control byte in a string", 7 },
		{ "{\"a\n\":1}", "control byte in a string", 3 },
		{ "{\"a\":\"\\x41\"}", "invalid escape", 6 },
		{ "{\"a\":\"\\U0041\"}", "invalid escape", 6 },
		{ "{\"a\":\"\\u12\"}", "\\u not followed by four hex digits",
		    6 },
		{ "{\"a\":\"\\u12g4\"}",
		    "\\u not followed by four hex digits", 6 },
		{ "{\"a\":\"12345\\ud800\"}", "lone surrogate", 11 },
		{ "{\"a\":\"\\udc00\\ud800\"}", "lone surrogate", 6 },
		{ "{\"a\":\"\\ud800\\u0041\"}", "lone surrogate", 6 },
		{ "{\"a\":\"\\ud800\\ud800\"}", "lone surrogate", 6 },
		{ "{\"a\":\"\\ud800\\n\"}", "lone surrogate", 6 },
		{ "{\"a\":\"\\ud800\\uzzzz\"}",
		    "\\u not followed by four hex digits", 12 },
		{ "{\"a\":\"\xff\"}", "invalid UTF-8 in a string", 6 },
		{ "{\"a\":\"ok \xc0\xaf\"}", "invalid UTF-8 in a string", 9 },
		{ "{\"a\":\"\xed\xa0\x80\"}", "invalid UTF-8 in a string", 6 },
		{ "{\"a\":\"\xf4\x90\x80\x80\"}", "invalid UTF-8 in a string",
		    6 },
		{ "{\"a\":\"\xe2\x82\"}", "invalid UTF-8 in a string", 6 },
		{ "{\"a\":\"\xe2\x82", "invalid UTF-8 in a string", 6 },
		{ "{\"a\":\"\x80\"}", "invalid UTF-8 in a string", 6 },
		{ "{\"\xc3\"}", "invalid UTF-8 in a string", 2 },
		{ "{\"a\":\xc3\xa9}", "expected a value", 5 },
	};
	static const char *const p[] = { "a" };
	struct fx f = fx_new(p, 1, NULL, MAXLEN);
	const struct jsonl_fail *e;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (fx_parse(&f, bad[i].line) != -1) {
			CHECK(!"refused");
			fprintf(stderr, "  taken: %s\n", bad[i].line);
			continue;
		}
		e = jsonl_failure(f.jl);
		CHECK_STR(e->why, bad[i].why);
		CHECK_INT(e->off, bad[i].off);
		CHECK(!e->inner);
		CHECK(!jsonl_value(f.jl, 0)->present);
		if (e->why == NULL || strcmp(e->why, bad[i].why) != 0 ||
		    e->off != bad[i].off)
			fprintf(stderr, "  line %zu: %s\n", i, bad[i].line);
	}
	/* A refused line leaves every value absent. */
	CHECK_INT(fx_parse(&f, "{\"a\":\"x\",\"b\":tru}"), -1);
	CHECK(!jsonl_value(f.jl, 0)->present);
	CHECK(jsonl_value(f.jl, 0)->p == NULL);
	fx_free(&f);
}

/* {"a":{"a": ... []}}: the array at depth k, inside k - 1 objects. */
static char *
nest(size_t k)
{
	char *line = xmalloc(6 * k + 3);
	size_t i, n = 0;

	for (i = 0; i + 1 < k; i++)
		n += (size_t)sprintf(line + n, "{\"a\":");
	n += (size_t)sprintf(line + n, "[]");
	for (i = 0; i + 1 < k; i++)
		line[n++] = '}';
	line[n] = '\0';
	return line;
}

/* Nesting at most JSONL_MAXDEPTH; a line at most maxlen bytes. */
static void
test_limits(void)
{
	static const char *const p[] = { "a" };
	struct fx f = fx_new(p, 1, NULL, MAXLEN);
	char *line;

	line = nest(JSONL_MAXDEPTH);
	CHECK_INT(fx_parse(&f, line), 0);
	free(line);
	line = nest(JSONL_MAXDEPTH + 1);
	CHECK_INT(fx_parse(&f, line), -1);
	CHECK_STR(jsonl_failure(f.jl)->why, "nested deeper than 64");
	CHECK_INT(jsonl_failure(f.jl)->off, 5 * JSONL_MAXDEPTH);
	free(line);
	/* The limit holds where no path goes too: 64 arrays in {"b": }. */
	line = xmalloc(5 + 2 * JSONL_MAXDEPTH + 2);
	memcpy(line, "{\"b\":", 5);
	memset(line + 5, '[', JSONL_MAXDEPTH);
	memset(line + 5 + JSONL_MAXDEPTH, ']', JSONL_MAXDEPTH);
	memcpy(line + 5 + 2 * JSONL_MAXDEPTH, "}", 2);
	CHECK_INT(fx_parse(&f, line), -1);
	CHECK_STR(jsonl_failure(f.jl)->why, "nested deeper than 64");
	CHECK_INT(jsonl_failure(f.jl)->off, 5 + JSONL_MAXDEPTH - 1);
	memcpy(line + 5 + JSONL_MAXDEPTH - 1, "{}", 2);	/* 63 + {} */
	CHECK_INT(fx_parse(&f, line), -1);
	CHECK_STR(jsonl_failure(f.jl)->why, "nested deeper than 64");
	line[5 + JSONL_MAXDEPTH - 1] = '1';
	line[5 + JSONL_MAXDEPTH] = ' ';		/* 63 arrays and a number */
	CHECK_INT(fx_parse(&f, line), 0);
	free(line);
	fx_free(&f);

	f = fx_new(p, 1, NULL, 20);
	CHECK_INT(fx_parse(&f, "{\"a\":\"0123456789ab\"}"), 0); /* 20 */
	CHECK_VAL(&f, 0, "0123456789ab");
	CHECK_INT(fx_parse(&f, "{\"a\":\"0123456789abc\"}"), -1);
	CHECK_STR(jsonl_failure(f.jl)->why, "line longer than the limit");
	CHECK_INT(jsonl_failure(f.jl)->off, 20);
	fx_free(&f);
	/* Decoding with unwrap at the limit: the text, then its strings. */
	f = fx_new(p, 1, "w", 42);
	CHECK_INT(fx_parse(&f, "{\"w\":\"{\\\"a\\\":\\\"\\\\u00e9\\\"}\"}"),
	    0);
	CHECK_VAL(&f, 0, "\xc3\xa9");
	fx_free(&f);
}

struct badpath {
	const char	*path;
	const char	*why;
	size_t		 off;
};

static void
test_bad_paths(void)
{
	static const struct badpath bad[] = {
		{ "", "empty path", 0 },
		{ "a..b", "empty key in a path", 2 },
		{ ".a", "empty key in a path", 0 },
		{ "a.", "empty key in a path", 2 },
		{ "a\\x", "a backslash in a path must be followed by . or \\",
		    1 },
		{ "ab\\", "a backslash in a path must be followed by . or \\",
		    2 },
		{ "a\tb", "control byte in a path", 1 },
		{ "a.\xff", "invalid UTF-8 in a path", 2 },
		{ "caf\xc3", "invalid UTF-8 in a path", 3 },
	};
	struct jsonl_badpath e;
	struct jsonl_paths *jp;
	const char *list[2];
	char deep[2 * JSONL_MAXDEPTH + 4];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		list[0] = "ok";
		list[1] = bad[i].path;
		memset(&e, 0, sizeof(e));
		CHECK(jsonl_paths_new(list, 2, NULL, &e) == NULL);
		CHECK_STR(e.why, bad[i].why);
		CHECK_INT(e.path, 1);
		CHECK_INT(e.off, bad[i].off);
	}
	/* The unwrap path is path npaths. */
	CHECK(jsonl_paths_new(list, 1, "a..b", &e) == NULL);
	CHECK_INT(e.path, 1);
	CHECK_STR(e.why, "empty key in a path");
	/* 64 keys are fine, 65 are not. */
	for (i = 0; i < JSONL_MAXDEPTH; i++)
		memcpy(deep + 2 * i, "a.", 2);
	deep[2 * JSONL_MAXDEPTH - 1] = '\0';
	list[0] = deep;
	jp = jsonl_paths_new(list, 1, NULL, &e);
	CHECK(jp != NULL);
	jsonl_paths_free(jp);
	memcpy(deep + 2 * JSONL_MAXDEPTH - 1, ".a", 3);
	CHECK(jsonl_paths_new(list, 1, NULL, &e) == NULL);
	CHECK_STR(e.why, "more than 64 keys in a path");
	CHECK_INT(e.off, 2 * JSONL_MAXDEPTH + 1);
	/* No paths at all: a line is still checked whole. */
	{
		struct fx f = fx_new(NULL, 0, NULL, MAXLEN);

		CHECK_INT(fx_parse(&f, "{\"a\":[{}]}"), 0);
		CHECK_INT(fx_parse(&f, "{\"a\":[{]}"), -1);
		fx_free(&f);
	}
}

int
main(void)
{
	test_billing_line();
	test_blanks();
	test_nested();
	test_arrays();
	test_value_kinds();
	test_escapes();
	test_duplicates();
	test_unwrap();
	test_refusals();
	test_limits();
	test_bad_paths();
	T_DONE();
}
