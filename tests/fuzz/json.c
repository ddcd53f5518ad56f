/*
 * fuzz: a strict JSON checker, so that fuzz_lines can hold every JSON
 * alert to RFC 8259 without trusting the code that wrote it. See fuzz.h.
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz.h"

#define JSON_MAXDEPTH	64

struct json {
	const unsigned char	*p;
	size_t			 len, off;
	const char		*why;
};

static int	json_value(struct json *, int depth);

static int
json_bad(struct json *j, const char *why)
{
	if (j->why == NULL)
		j->why = why;
	return -1;
}

static void
json_ws(struct json *j)
{
	while (j->off < j->len && (j->p[j->off] == ' ' ||
	    j->p[j->off] == '\t' || j->p[j->off] == '\n' ||
	    j->p[j->off] == '\r'))
		j->off++;
}

static int
json_lit(struct json *j, const char *s)
{
	for (; *s != '\0'; s++, j->off++)
		if (j->off >= j->len || j->p[j->off] != (unsigned char)*s)
			return json_bad(j, "bad literal");
	return 0;
}

static int
json_digits(struct json *j)
{
	size_t start = j->off;

	while (j->off < j->len && j->p[j->off] >= '0' && j->p[j->off] <= '9')
		j->off++;
	return j->off > start ? 0 : json_bad(j, "digit expected");
}

static int
json_number(struct json *j)
{
	if (j->off < j->len && j->p[j->off] == '-')
		j->off++;
	if (j->off < j->len && j->p[j->off] == '0')
		j->off++;
	else if (json_digits(j) == -1)
		return -1;
	if (j->off < j->len && j->p[j->off] == '.') {
		j->off++;
		if (json_digits(j) == -1)
			return -1;
	}
	if (j->off < j->len && (j->p[j->off] == 'e' || j->p[j->off] == 'E')) {
		j->off++;
		if (j->off < j->len && (j->p[j->off] == '+' ||
		    j->p[j->off] == '-'))
			j->off++;
		if (json_digits(j) == -1)
			return -1;
	}
	return 0;
}

/* Four hex digits after \u: the code unit, or -1. */
static long
json_hex4(struct json *j)
{
	long v = 0;
	int i, c;

	if (j->len - j->off < 4)
		return json_bad(j, "short \\u escape");
	for (i = 0; i < 4; i++) {
		c = j->p[j->off++];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return json_bad(j, "bad hex in \\u escape");
	}
	return v;
}

static int
json_escape(struct json *j)
{
	long u, lo;

	if (j->off >= j->len)
		return json_bad(j, "string ends in a backslash");
	switch (j->p[j->off++]) {
	case '"': case '\\': case '/': case 'b': case 'f': case 'n':
	case 'r': case 't':
		return 0;
	case 'u':
		break;
	default:
		return json_bad(j, "unknown escape");
	}
	if ((u = json_hex4(j)) < 0)
		return -1;
	if (u >= 0xdc00 && u <= 0xdfff)
		return json_bad(j, "lone low surrogate");
	if (u < 0xd800 || u > 0xdbff)
		return 0;
	if (j->len - j->off < 2 || j->p[j->off] != '\\' ||
	    j->p[j->off + 1] != 'u')
		return json_bad(j, "lone high surrogate");
	j->off += 2;
	if ((lo = json_hex4(j)) < 0)
		return -1;
	return lo >= 0xdc00 && lo <= 0xdfff ? 0 :
	    json_bad(j, "lone high surrogate");
}

/* One well-formed UTF-8 sequence (Unicode table 3-7) of 2 to 4 bytes. */
static int
json_utf8(struct json *j)
{
	unsigned char c = j->p[j->off], lo = 0x80, hi = 0xbf;
	size_t need, i;

	if (c >= 0xc2 && c <= 0xdf)
		need = 1;
	else if (c >= 0xe0 && c <= 0xef) {
		need = 2;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 3;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	} else
		return json_bad(j, "invalid UTF-8 lead byte");
	if (j->len - j->off - 1 < need)
		return json_bad(j, "truncated UTF-8");
	for (i = 1; i <= need; i++) {
		c = j->p[j->off + i];
		if (c < lo || c > hi)
			return json_bad(j, "invalid UTF-8 continuation");
		lo = 0x80;
		hi = 0xbf;
	}
	j->off += need + 1;
	return 0;
}

static int
json_string(struct json *j)
{
	unsigned char c;

	j->off++;		/* the quote */
	for (;;) {
		if (j->off >= j->len)
			return json_bad(j, "unterminated string");
		c = j->p[j->off];
		if (c == '"') {
			j->off++;
			return 0;
		}
		if (c < 0x20)
			return json_bad(j, "control byte in a string");
		if (c == '\\') {
			j->off++;
			if (json_escape(j) == -1)
				return -1;
		} else if (c >= 0x80) {
			if (json_utf8(j) == -1)
				return -1;
		} else
			j->off++;
	}
}

/* Object or array: open at j->off; members are "key": value or value. */
static int
json_container(struct json *j, int depth, int object)
{
	unsigned char close = object ? '}' : ']';

	if (depth >= JSON_MAXDEPTH)
		return json_bad(j, "nested too deeply");
	j->off++;
	json_ws(j);
	if (j->off < j->len && j->p[j->off] == close) {
		j->off++;
		return 0;
	}
	for (;;) {
		json_ws(j);
		if (object) {
			if (j->off >= j->len || j->p[j->off] != '"')
				return json_bad(j, "key expected");
			if (json_string(j) == -1)
				return -1;
			json_ws(j);
			if (j->off >= j->len || j->p[j->off++] != ':')
				return json_bad(j, "colon expected");
		}
		if (json_value(j, depth + 1) == -1)
			return -1;
		json_ws(j);
		if (j->off >= j->len)
			return json_bad(j, "unterminated object or array");
		if (j->p[j->off] == close) {
			j->off++;
			return 0;
		}
		if (j->p[j->off++] != ',')
			return json_bad(j, "comma expected");
	}
}

static int
json_value(struct json *j, int depth)
{
	json_ws(j);
	if (j->off >= j->len)
		return json_bad(j, "value expected");
	switch (j->p[j->off]) {
	case '{':
		return json_container(j, depth, 1);
	case '[':
		return json_container(j, depth, 0);
	case '"':
		return json_string(j);
	case 't':
		return json_lit(j, "true");
	case 'f':
		return json_lit(j, "false");
	case 'n':
		return json_lit(j, "null");
	default:
		if (j->p[j->off] == '-' ||
		    (j->p[j->off] >= '0' && j->p[j->off] <= '9'))
			return json_number(j);
		return json_bad(j, "value expected");
	}
}

int
fuzz_json_check(const char *p, size_t len, const char **why)
{
	struct json j = { (const unsigned char *)p, len, 0, NULL };

	if (json_value(&j, 0) == 0) {
		json_ws(&j);
		if (j.off == j.len)
			return 0;
		json_bad(&j, "bytes after the value");
	}
	*why = j.why;
	return -1;
}
