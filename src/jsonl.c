/*
 * jsonl: fields by name from one JSON line. See jsonl.h for the contract.
 *
 * Why a scanner of our own and not a library: tests/bench/jsonbench.c
 * measured Debian 12's C JSON libraries on billing lines (README.md,
 * Speed). The DOM parsers (json-c, libfastjson, jansson, cJSON,
 * json-parser) cost 10,000 to 34,000 instructions a line; yajl, an event
 * parser, 5,600, and it takes lone surrogates and overlong UTF-8; jsmn, a
 * tokenizer, 3,500 without checking the JSON (it takes {"a":1,,"b":tru},
 * raw control bytes, invalid UTF-8). A regex claim costs about 1,200.
 * This file only scans: one pass that checks the whole line as strictly
 * as jansson does and keeps the spans of the asked paths' values,
 * decoding only those (1,900 instructions for a billing line).
 * tests/fuzz/fuzz_json.c holds it to jansson on every input.
 *
 * The paths are compiled into a trie of keys (struct jnode) rooted at the
 * line's object; the scan walks it beside the line, and a member whose key
 * is in no path is checked but not looked at again. Each path that ends
 * at a node owns a value slot; slots are numbered depth first, so the
 * slots under a node are the range [lo, hi), which a later member of the
 * same name clears (the last one wins).
 *
 * Scratch: buf holds what is decoded, at most 2 * maxlen bytes: the
 * unwrapped text (at most the line) and the strings decoded from it (at
 * most that text, as a decoded string is never longer than its escaped
 * form and the strings of one text do not overlap). A key with escapes is
 * decoded into the free end of buf to be compared, and forgotten.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__SSE2__) || (defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__)
#define JSONL_WIDE	1	/* strings are scanned 16 or 8 bytes a step */
#endif

#include "jsonl.h"
#include "xmalloc.h"

#define JSONL_MAXINDEX	0x7fffffffL
/* A key's bit in its parent's kidmask: most keys in no path miss it. */
#define JSONL_KEYBIT(k, len)	(1ULL << (((len) * 7 + \
				    (unsigned char)(k)[0]) & 63))

struct jnode {
	char		*key;		/* decoded key; NULL at the root */
	size_t		 klen;
	long		 idx;		/* the array index it also is, or -1 */
	uint64_t	 kidmask;	/* bit JSONL_KEYBIT of each child */
	int		 end;		/* a path ends here */
	size_t		 slot;		/* then its slot */
	size_t		 lo, hi;	/* the slots of the subtree */
	struct jnode	**kids;
	size_t		 nkids;
};

struct jsonl_paths {
	struct jnode	*root;		/* every path, from the object read */
	struct jnode	*uroot;		/* the unwrap path, or NULL */
	size_t		 npaths, nslots;
	size_t		*slot;		/* path i's slot */
};

struct jsonl {
	const struct jsonl_paths *jp;
	size_t			 maxlen;
	struct jsonl_value	*vals;	/* per slot */
	struct jsonl_value	 uval;	/* the unwrap field's */
	char			*buf;
	size_t			 bufcap, bufoff;
	struct jsonl_fail	 fail;
};

/* One pass over one text: the line, or the unwrapped text. */
struct scan {
	const unsigned char	*p, *end, *base;
	struct jsonl		*jl;
	struct jsonl_value	*vals;
	const unsigned char	*vstart;	/* of the last value recorded */
	int			 esc;		/* the last string had a \ */
	const char		*why;
	const unsigned char	*at;
};

static int	jsonl_any(struct scan *, const struct jnode *, int depth);

/* JSON's blanks, RFC 8259 section 2; most bytes fail the first test. */
#define JSONL_BLANK(c)	((c) <= ' ' && ((c) == ' ' || (c) == '\t' || \
			 (c) == '\n' || (c) == '\r'))

static int
jsonl_bad(struct scan *s, const char *why, const unsigned char *at)
{
	s->why = why;
	s->at = at;
	return 0;
}

/* Inlined: most lines have no blanks, and this is one compare then. */
static inline __attribute__((always_inline)) void
jsonl_blanks(struct scan *s)
{
	while (s->p < s->end && JSONL_BLANK(*s->p))
		s->p++;
}

/*
 * The length of the well-formed UTF-8 sequence of 2 to 4 bytes at p
 * (Unicode 15, table 3-7), or 0.
 */
static size_t
jsonl_utf8(const unsigned char *p, const unsigned char *end)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t need, i;

	if (*p >= 0xc2 && *p <= 0xdf)
		need = 1;
	else if (*p >= 0xe0 && *p <= 0xef) {
		need = 2;
		if (*p == 0xe0)
			lo = 0xa0;
		else if (*p == 0xed)
			hi = 0x9f;
	} else if (*p >= 0xf0 && *p <= 0xf4) {
		need = 3;
		if (*p == 0xf0)
			lo = 0x90;
		else if (*p == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	if ((size_t)(end - p) <= need)
		return 0;
	for (i = 1; i <= need; i++) {
		if (p[i] < lo || p[i] > hi)
			return 0;
		lo = 0x80;
		hi = 0xbf;
	}
	return need + 1;
}

static long
jsonl_hex4(const unsigned char *p)
{
	long v = 0;
	int i;

	for (i = 0; i < 4; i++) {
		v <<= 4;
		if (p[i] >= '0' && p[i] <= '9')
			v |= p[i] - '0';
		else if (p[i] >= 'a' && p[i] <= 'f')
			v |= p[i] - 'a' + 10;
		else if (p[i] >= 'A' && p[i] <= 'F')
			v |= p[i] - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/* The escape at p (a backslash): its end, or NULL. */
static const unsigned char *
jsonl_escape(struct scan *s, const unsigned char *p)
{
	long u, lo;

	if (s->end - p < 2)
		return jsonl_bad(s, "unterminated string", s->end), NULL;
	switch (p[1]) {
	case '"': case '\\': case '/': case 'b': case 'f': case 'n':
	case 'r': case 't':
		return p + 2;
	case 'u':
		break;
	default:
		return jsonl_bad(s, "invalid escape", p), NULL;
	}
	if (s->end - p < 6 || (u = jsonl_hex4(p + 2)) < 0)
		return jsonl_bad(s, "\\u not followed by four hex digits", p),
		    NULL;
	if (u >= 0xdc00 && u <= 0xdfff)
		return jsonl_bad(s, "lone surrogate", p), NULL;
	if (u < 0xd800 || u > 0xdbff)
		return p + 6;
	if (s->end - p < 8 || p[6] != '\\' || p[7] != 'u')
		return jsonl_bad(s, "lone surrogate", p), NULL;
	if (s->end - p < 12 || (lo = jsonl_hex4(p + 8)) < 0)
		return jsonl_bad(s, "\\u not followed by four hex digits",
		    p + 6), NULL;
	if (lo < 0xdc00 || lo > 0xdfff)
		return jsonl_bad(s, "lone surrogate", p), NULL;
	return p + 12;
}

#define JSONL_ONES	0x0101010101010101ULL
#define JSONL_HIGH	0x8080808080808080ULL

/*
 * The high bit of each byte of v that is '"', '\', below 0x20 or above
 * 0x7f, and maybe of bytes after such a byte (a borrow only runs up):
 * the lowest bit set marks the first byte to look at.
 */
static inline __attribute__((unused)) uint64_t
jsonl_special(uint64_t v)
{
	uint64_t q = v ^ (JSONL_ONES * '"'), b = v ^ (JSONL_ONES * '\\');

	return (((q - JSONL_ONES) & ~q) | ((b - JSONL_ONES) & ~b) |
	    ((v - JSONL_ONES * 0x20) & ~v) | v) & JSONL_HIGH;
}

#define JSONL_PLAIN(c)	((c) >= 0x20 && (c) < 0x80 && (c) != '"' && \
			 (c) != '\\')

/*
 * The string whose opening quote is at s->p: s->p past its closing quote,
 * s->esc set if it has escapes. 0 on an error.
 */
static inline __attribute__((always_inline)) int
jsonl_string(struct scan *s)
{
	const unsigned char *p = s->p + 1, *end = s->end;
	size_t n;

	s->esc = 0;
	for (;;) {
#if defined(__SSE2__)
		while (end - p >= 16) {
			__m128i c = _mm_loadu_si128((const __m128i *)p);
			/* Signed: below 0x20 is also 0x80 and above. */
			int mm = _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(
			    _mm_cmpeq_epi8(c, _mm_set1_epi8('"')),
			    _mm_cmpeq_epi8(c, _mm_set1_epi8('\\'))),
			    _mm_cmplt_epi8(c, _mm_set1_epi8(0x20))));

			if (mm != 0) {
				p += __builtin_ctz((unsigned)mm);
				goto special;
			}
			p += 16;
		}
#endif
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		while (end - p >= 8) {
			uint64_t v, m;

			memcpy(&v, p, 8);
			if ((m = jsonl_special(v)) != 0) {
				p += __builtin_ctzll(m) >> 3;
				goto special;
			}
			p += 8;
		}
#endif
		while (p < end && JSONL_PLAIN(*p))
			p++;
		if (p >= end)
			return jsonl_bad(s, "unterminated string", end);
#ifdef JSONL_WIDE
special:
#endif
		if (*p == '"') {
			s->p = p + 1;
			return 1;
		}
		if (*p == '\\') {
			s->esc = 1;
			if ((p = jsonl_escape(s, p)) == NULL)
				return 0;
		} else if (*p < 0x20)
			return jsonl_bad(s, "control byte in a string", p);
		else if ((n = jsonl_utf8(p, end)) == 0)
			return jsonl_bad(s, "invalid UTF-8 in a string", p);
		else
			p += n;
	}
}

static int
jsonl_digits(struct scan *s)
{
	const unsigned char *p = s->p;

	while (s->p < s->end && *s->p >= '0' && *s->p <= '9')
		s->p++;
	return s->p > p;
}

static int
jsonl_number(struct scan *s)
{
	const unsigned char *start = s->p;

	if (*s->p == '-')
		s->p++;
	if (s->p < s->end && *s->p == '0') {
		s->p++;
		if (s->p < s->end && *s->p >= '0' && *s->p <= '9')
			return jsonl_bad(s, "number with a leading zero",
			    start);
	} else if (!jsonl_digits(s))
		return jsonl_bad(s, "invalid number", start);
	if (s->p < s->end && *s->p == '.') {
		s->p++;
		if (!jsonl_digits(s))
			return jsonl_bad(s, "invalid number", start);
	}
	if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
		s->p++;
		if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
			s->p++;
		if (!jsonl_digits(s))
			return jsonl_bad(s, "invalid number", start);
	}
	return JSONL_NUMBER;
}

static int
jsonl_literal(struct scan *s, const char *word, size_t len, int type)
{
	if ((size_t)(s->end - s->p) < len || memcmp(s->p, word, len) != 0)
		return jsonl_bad(s, "invalid literal (true, false, null)",
		    s->p);
	s->p += len;
	return type;
}

/* Decode the checked string text p[0..len) into out; its length. */
static size_t
jsonl_decode(const unsigned char *p, size_t len, char *out)
{
	const unsigned char *end = p + len;
	char *o = out;
	long u;

	while (p < end) {
		if (*p != '\\') {
			*o++ = (char)*p++;
			continue;
		}
		switch (p[1]) {
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'u': break;
		default: *o++ = (char)p[1]; break;
		}
		if (p[1] != 'u') {
			p += 2;
			continue;
		}
		u = jsonl_hex4(p + 2);
		p += 6;
		if (u >= 0xd800 && u <= 0xdbff) {
			u = 0x10000 + ((u - 0xd800) << 10) +
			    (jsonl_hex4(p + 2) - 0xdc00);
			p += 6;
		}
		if (u < 0x80)
			*o++ = (char)u;
		else if (u < 0x800) {
			*o++ = (char)(0xc0 | u >> 6);
			*o++ = (char)(0x80 | (u & 0x3f));
		} else if (u < 0x10000) {
			*o++ = (char)(0xe0 | u >> 12);
			*o++ = (char)(0x80 | (u >> 6 & 0x3f));
			*o++ = (char)(0x80 | (u & 0x3f));
		} else {
			*o++ = (char)(0xf0 | u >> 18);
			*o++ = (char)(0x80 | (u >> 12 & 0x3f));
			*o++ = (char)(0x80 | (u >> 6 & 0x3f));
			*o++ = (char)(0x80 | (u & 0x3f));
		}
	}
	return (size_t)(o - out);
}

/* The value just scanned, from s->vstart to s->p, is path c's. */
static void
jsonl_record(struct scan *s, const struct jnode *c, int type)
{
	struct jsonl_value *v = &s->vals[c->slot];
	struct jsonl *jl = s->jl;
	size_t len = (size_t)(s->p - s->vstart);

	v->type = (enum jsonl_type)type;
	v->present = 1;
	v->raw = (const char *)s->vstart + (type == JSONL_STRING);
	v->rawlen = type == JSONL_STRING ? len - 2 : len;
	if (type != JSONL_STRING) {
		v->p = (const char *)s->vstart;
		v->len = len;
	} else if (!s->esc) {
		v->p = (const char *)s->vstart + 1;
		v->len = len - 2;
	} else {
		v->p = jl->buf + jl->bufoff;
		v->len = jsonl_decode(s->vstart + 1, len - 2,
		    jl->buf + jl->bufoff);
		jl->bufoff += v->len;
	}
}

/* Forget what earlier members of c's name gave its paths. */
static void
jsonl_clear(struct scan *s, const struct jnode *c)
{
	size_t i;

	for (i = c->lo; i < c->hi; i++)
		memset(&s->vals[i], 0, sizeof(s->vals[i]));
}

/* n's child for the key k[0..klen) of a member, raw; NULL if none. */
static const struct jnode *
jsonl_kid(struct scan *s, const struct jnode *n, const unsigned char *k,
    size_t klen)
{
	const struct jnode *c;
	const char *key = (const char *)k;
	size_t i;

	if (s->esc) {
		key = s->jl->buf + s->jl->bufoff;
		klen = jsonl_decode(k, klen, s->jl->buf + s->jl->bufoff);
	}
	if (klen == 0 || (n->kidmask & JSONL_KEYBIT(key, klen)) == 0)
		return NULL;
	for (i = 0; i < n->nkids; i++) {
		c = n->kids[i];
		if (c->klen == klen && c->key[0] == key[0] &&
		    memcmp(c->key, key, klen) == 0)
			return c;
	}
	return NULL;
}

static const struct jnode *
jsonl_index(const struct jnode *n, long idx)
{
	size_t i;

	for (i = 0; i < n->nkids; i++)
		if (n->kids[i]->idx == idx)
			return n->kids[i];
	return NULL;
}

/* A member's or an element's value, for path node c (NULL: none). */
static inline __attribute__((always_inline)) int
jsonl_member(struct scan *s, const struct jnode *c, int depth)
{
	const unsigned char *start = s->p;
	int type;

	if (c == NULL)
		return jsonl_any(s, NULL, depth);
	jsonl_clear(s, c);
	if ((type = jsonl_any(s, c->nkids > 0 ? c : NULL, depth)) == 0)
		return 0;
	if (c->end) {
		s->vstart = start;
		jsonl_record(s, c, type);
	}
	return type;
}

static int
jsonl_object(struct scan *s, const struct jnode *n, int depth)
{
	const unsigned char *k;
	const struct jnode *c;

	if (depth > JSONL_MAXDEPTH)
		return jsonl_bad(s, "nested deeper than 64", s->p);
	s->p++;
	jsonl_blanks(s);
	if (s->p < s->end && *s->p == '}') {
		s->p++;
		return JSONL_OBJECT;
	}
	for (;;) {
		if (s->p >= s->end || *s->p != '"')
			return jsonl_bad(s, "expected a string key", s->p);
		k = s->p + 1;
		if (!jsonl_string(s))
			return 0;
		c = n != NULL ? jsonl_kid(s, n, k, (size_t)(s->p - 1 - k)) :
		    NULL;
		if (s->p >= s->end || *s->p != ':') {
			jsonl_blanks(s);
			if (s->p >= s->end || *s->p != ':')
				return jsonl_bad(s, "expected ':'", s->p);
		}
		s->p++;
		jsonl_blanks(s);
		if (!jsonl_member(s, c, depth + 1))
			return 0;
		if (s->p >= s->end || (*s->p != ',' && *s->p != '}'))
			jsonl_blanks(s);
		if (s->p < s->end && *s->p == ',') {
			s->p++;
			jsonl_blanks(s);
		} else if (s->p < s->end && *s->p == '}') {
			s->p++;
			return JSONL_OBJECT;
		} else
			return jsonl_bad(s, "expected ',' or '}'", s->p);
	}
}

static int
jsonl_array(struct scan *s, const struct jnode *n, int depth)
{
	const struct jnode *c;
	long i;

	if (depth > JSONL_MAXDEPTH)
		return jsonl_bad(s, "nested deeper than 64", s->p);
	s->p++;
	jsonl_blanks(s);
	if (s->p < s->end && *s->p == ']') {
		s->p++;
		return JSONL_ARRAY;
	}
	for (i = 0;; i++) {
		c = n != NULL && i <= JSONL_MAXINDEX ? jsonl_index(n, i) : NULL;
		if (!jsonl_member(s, c, depth + 1))
			return 0;
		jsonl_blanks(s);
		if (s->p < s->end && *s->p == ',') {
			s->p++;
			jsonl_blanks(s);
		} else if (s->p < s->end && *s->p == ']') {
			s->p++;
			return JSONL_ARRAY;
		} else
			return jsonl_bad(s, "expected ',' or ']'", s->p);
	}
}

/* Any value at s->p, read for the paths under n: its type, or 0. */
static int
jsonl_any(struct scan *s, const struct jnode *n, int depth)
{
	if (s->p >= s->end)
		return jsonl_bad(s, "expected a value", s->p);
	switch (*s->p) {
	case '{':
		return jsonl_object(s, n, depth);
	case '[':
		return jsonl_array(s, n, depth);
	case '"':
		return jsonl_string(s) ? JSONL_STRING : 0;
	case 't':
		return jsonl_literal(s, "true", 4, JSONL_TRUE);
	case 'f':
		return jsonl_literal(s, "false", 5, JSONL_FALSE);
	case 'n':
		return jsonl_literal(s, "null", 4, JSONL_NULL);
	case '-': case '0': case '1': case '2': case '3': case '4': case '5':
	case '6': case '7': case '8': case '9':
		return jsonl_number(s);
	default:
		return jsonl_bad(s, "expected a value", s->p);
	}
}

/* text[0..len): one object and blanks, read for the paths under root. */
static int
jsonl_text(struct scan *s, const char *text, size_t len,
    const struct jnode *root)
{
	s->base = s->p = (const unsigned char *)text;
	s->end = s->p + len;
	s->why = NULL;
	jsonl_blanks(s);
	if (s->p >= s->end || *s->p != '{')
		return jsonl_bad(s, "expected '{': not a JSON object", s->p);
	if (!jsonl_object(s, root, 1))
		return 0;
	jsonl_blanks(s);
	if (s->p < s->end)
		return jsonl_bad(s, "bytes after the object", s->p);
	return 1;
}

static int
jsonl_refuse(struct jsonl *jl, const char *why, size_t off)
{
	memset(jl->vals, 0, jl->jp->nslots * sizeof(*jl->vals));
	jl->fail.why = why;
	jl->fail.off = off;
	return -1;
}

/* The line's unwrap field parsed as the text the paths are read from. */
static int
jsonl_unwrap(struct jsonl *jl, struct scan *s)
{
	const struct jsonl_value *u = &jl->uval;
	size_t at;

	if (!u->present)
		return jsonl_refuse(jl, "no field to unwrap", 0);
	at = (size_t)(s->vstart - s->base);
	if (u->type != JSONL_STRING && u->type != JSONL_OBJECT)
		return jsonl_refuse(jl,
		    "the field to unwrap is not a string or an object", at);
	s->vals = jl->vals;
	if (!jsonl_text(s, u->p, u->len, jl->jp->root)) {
		jl->fail.inner = 1;
		jl->fail.inner_off = (size_t)(s->at - s->base);
		return jsonl_refuse(jl, s->why, at);
	}
	return 0;
}

int
jsonl_parse(struct jsonl *jl, const char *line, size_t len)
{
	const struct jsonl_paths *jp = jl->jp;
	struct scan s;

	memset(jl->vals, 0, jp->nslots * sizeof(*jl->vals));
	memset(&jl->uval, 0, sizeof(jl->uval));
	memset(&jl->fail, 0, sizeof(jl->fail));
	jl->bufoff = 0;
	if (len > jl->maxlen)
		return jsonl_refuse(jl, "line longer than the limit",
		    jl->maxlen);
	s.jl = jl;
	s.vstart = NULL;
	s.esc = 0;
	s.vals = jp->uroot != NULL ? &jl->uval : jl->vals;
	if (!jsonl_text(&s, line, len, jp->uroot != NULL ? jp->uroot :
	    jp->root))
		return jsonl_refuse(jl, s.why, (size_t)(s.at - s.base));
	return jp->uroot != NULL ? jsonl_unwrap(jl, &s) : 0;
}

const struct jsonl_value *
jsonl_value(const struct jsonl *jl, size_t i)
{
	return &jl->vals[jl->jp->slot[i]];
}

const struct jsonl_fail *
jsonl_failure(const struct jsonl *jl)
{
	return &jl->fail;
}

struct jsonl *
jsonl_new(const struct jsonl_paths *jp, size_t maxlen)
{
	struct jsonl *jl = xcalloc(1, sizeof(*jl));

	jl->jp = jp;
	jl->maxlen = maxlen;
	jl->vals = xcalloc(jp->nslots + 1, sizeof(*jl->vals));
	jl->bufcap = 2 * maxlen + 1;
	jl->buf = xmalloc(jl->bufcap);
	return jl;
}

void
jsonl_free(struct jsonl *jl)
{
	if (jl == NULL)
		return;
	free(jl->vals);
	free(jl->buf);
	free(jl);
}

/* Compiling paths. */

static int
jsonl_pathbad(struct jsonl_badpath *bad, const char *why, size_t off)
{
	bad->why = why;
	bad->off = off;
	return -1;
}

/* The array index key k[0..len) also is, or -1. */
static long
jsonl_keyindex(const char *k, size_t len)
{
	long v = 0;
	size_t i;

	if (len == 0 || len > 10 || (k[0] == '0' && len > 1))
		return -1;
	for (i = 0; i < len; i++) {
		if (k[i] < '0' || k[i] > '9')
			return -1;
		v = v * 10 + (k[i] - '0');
	}
	return v <= JSONL_MAXINDEX ? v : -1;
}

static struct jnode *
jsonl_node(const char *key, size_t klen)
{
	struct jnode *c = xcalloc(1, sizeof(*c));

	c->key = xmalloc(klen + 1);
	memcpy(c->key, key, klen);
	c->key[klen] = '\0';
	c->klen = klen;
	c->idx = jsonl_keyindex(key, klen);
	return c;
}

static struct jnode *
jsonl_child(struct jnode *n, const char *key, size_t klen)
{
	size_t i;

	for (i = 0; i < n->nkids; i++)
		if (n->kids[i]->klen == klen &&
		    memcmp(n->kids[i]->key, key, klen) == 0)
			return n->kids[i];
	n->kids = xreallocarray(n->kids, n->nkids + 1, sizeof(*n->kids));
	n->kidmask |= JSONL_KEYBIT(key, klen);
	return n->kids[n->nkids++] = jsonl_node(key, klen);
}

/*
 * Add path text to the trie at root: its end node, or NULL with *bad's
 * why and off. key is scratch of strlen(text) + 1 bytes.
 */
static struct jnode *
jsonl_add(struct jnode *root, const char *text, char *key,
    struct jsonl_badpath *bad)
{
	const unsigned char *t = (const unsigned char *)text, *p = t;
	const unsigned char *end = t + strlen(text);
	struct jnode *n = root;
	size_t klen = 0, nkeys = 0, u;

	if (p == end)
		return jsonl_pathbad(bad, "empty path", 0), NULL;
	for (;; p++) {
		if (p == end || *p == '.') {
			if (klen == 0)
				return jsonl_pathbad(bad, "empty key in a path",
				    (size_t)(p - t)), NULL;
			if (++nkeys > JSONL_MAXDEPTH)
				return jsonl_pathbad(bad,
				    "more than 64 keys in a path",
				    (size_t)(p - t)), NULL;
			n = jsonl_child(n, key, klen);
			klen = 0;
			if (p == end)
				return n;
			continue;
		}
		if (*p == '\\') {
			if (p + 1 == end || (p[1] != '.' && p[1] != '\\'))
				return jsonl_pathbad(bad, "a backslash in a "
				    "path must be followed by . or \\",
				    (size_t)(p - t)), NULL;
			key[klen++] = (char)*++p;
		} else if (*p < 0x20)
			return jsonl_pathbad(bad, "control byte in a path",
			    (size_t)(p - t)), NULL;
		else if (*p < 0x80)
			key[klen++] = (char)*p;
		else if ((u = jsonl_utf8(p, end)) == 0)
			return jsonl_pathbad(bad, "invalid UTF-8 in a path",
			    (size_t)(p - t)), NULL;
		else {
			memcpy(key + klen, p, u);
			klen += u;
			p += u - 1;
		}
	}
}

/* Number the slots of the paths that end under n, depth first. */
static void
jsonl_number_slots(struct jnode *n, size_t *next)
{
	size_t i;

	n->lo = *next;
	if (n->end)
		n->slot = (*next)++;
	for (i = 0; i < n->nkids; i++)
		jsonl_number_slots(n->kids[i], next);
	n->hi = *next;
}

static void
jsonl_node_free(struct jnode *n)
{
	size_t i;

	if (n == NULL)
		return;
	for (i = 0; i < n->nkids; i++)
		jsonl_node_free(n->kids[i]);
	free(n->kids);
	free(n->key);
	free(n);
}

struct jsonl_paths *
jsonl_paths_new(const char *const *texts, size_t npaths, const char *unwrap,
    struct jsonl_badpath *bad)
{
	struct jsonl_paths *jp = xcalloc(1, sizeof(*jp));
	struct jnode **ends = xcalloc(npaths + 1, sizeof(*ends)), *u;
	size_t i, max = unwrap != NULL ? strlen(unwrap) : 0;
	char *key;

	for (i = 0; i < npaths; i++)
		if (strlen(texts[i]) > max)
			max = strlen(texts[i]);
	key = xmalloc(max + 1);
	jp->root = xcalloc(1, sizeof(*jp->root));
	jp->npaths = npaths;
	for (i = 0; i < npaths; i++) {
		bad->path = i;
		if ((ends[i] = jsonl_add(jp->root, texts[i], key, bad)) == NULL)
			goto fail;
		ends[i]->end = 1;
	}
	if (unwrap != NULL) {
		bad->path = npaths;
		jp->uroot = xcalloc(1, sizeof(*jp->uroot));
		if ((u = jsonl_add(jp->uroot, unwrap, key, bad)) == NULL)
			goto fail;
		u->end = 1;
		i = 0;
		jsonl_number_slots(jp->uroot, &i);
	}
	jsonl_number_slots(jp->root, &jp->nslots);
	jp->slot = xcalloc(npaths + 1, sizeof(*jp->slot));
	for (i = 0; i < npaths; i++)
		jp->slot[i] = ends[i]->slot;
	free(ends);
	free(key);
	return jp;
fail:
	free(ends);
	free(key);
	jsonl_paths_free(jp);
	return NULL;
}

void
jsonl_paths_free(struct jsonl_paths *jp)
{
	if (jp == NULL)
		return;
	jsonl_node_free(jp->root);
	jsonl_node_free(jp->uroot);
	free(jp->slot);
	free(jp);
}

size_t
jsonl_paths_count(const struct jsonl_paths *jp)
{
	return jp->npaths;
}
