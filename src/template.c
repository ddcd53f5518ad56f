/*
 * template: a line laid out as a template says. See template.h, whose
 * numbered rules this file cites.
 *
 * A compiled layout is its leading literal and then, for each field,
 * the literal after it (empty only after a last field that takes the
 * rest of the line). Scanning looks for one byte of each literal with
 * memchr() (its first that is not a blank: blanks are everywhere in a
 * log line, "[" or "\"" are not) and checks the rest, so a field costs
 * about what finding its end costs, and a line of another format fails
 * at the first literal it lacks. Layouts that begin alike fail alike: a
 * layout whose leading parts are those a layout tried before failed on
 * is not tried (common[][] says how many parts two layouts share), and
 * a line without a byte all layouts' texts have (the "[" of a web log)
 * is none's.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "template.h"
#include "xmalloc.h"

/* A field of a layout: which of the template's, and the literal after. */
struct template_part {
	size_t		 field;
	char		*lit;
	size_t		 litlen;	/* 0 only after a last field */
	size_t		 key;		/* the byte of lit memchr() looks for */
	unsigned char	 keyv[16];	/* lit[key], 16 times (SSE2) */
	uint64_t	 litw, litm;	/* lit in a word, and its bytes' mask
					   (litlen <= 8) */
};

struct template_layout {
	char		*pre;		/* the literal before the first field */
	size_t		 prelen;
	struct template_part *part;
	size_t		 nparts;
	size_t		*absent;	/* the template's fields it lacks */
	size_t		 nabsent;
};

struct template {
	struct template_layout *lay;
	size_t		 nlay;
	size_t		*common;	/* [nlay * nlay]: leading parts alike,
					   the leading literal counting as
					   one */
	int		 need;		/* a byte every layout's text has, or
					   -1: a line without it fits none */
	char		**name;		/* [nf]: the fields */
	size_t		 nf;
};

static int
template_namebyte(char c, int first)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (!first && c >= '0' && c <= '9');
}

/* A name (rule 1) at s[0..), its length, or 0 if none starts there. */
static size_t
template_namelen(const char *s)
{
	size_t n = 0;

	while (template_namebyte(s[n], n == 0))
		n++;
	return n;
}

/* Literal bytes, after the layout's last field or before its first. */
static void
template_lit(struct template_layout *y, const char *s, size_t n)
{
	char **lit = y->nparts == 0 ? &y->pre : &y->part[y->nparts - 1].lit;
	size_t *len = y->nparts == 0 ? &y->prelen :
	    &y->part[y->nparts - 1].litlen;

	*lit = xreallocarray(*lit, *len + n + 1, 1);
	memcpy(*lit + *len, s, n);
	*len += n;
	(*lit)[*len] = '\0';
}

static void
template_layout_clear(struct template_layout *y)
{
	size_t i;

	for (i = 0; i < y->nparts; i++)
		free(y->part[i].lit);
	free(y->part);
	free(y->pre);
	free(y->absent);
}

/* Each layout's absent fields, again: a layout may have added one. */
static void
template_absent(struct template *t)
{
	struct template_layout *y;
	size_t i, f;

	for (i = 0; i < t->nlay; i++) {
		y = &t->lay[i];
		free(y->absent);
		y->absent = xcalloc(t->nf, sizeof(*y->absent));
		y->nabsent = 0;
		for (f = 0; f < t->nf; f++)
			if (!template_in(t, i, f))
				y->absent[y->nabsent++] = f;
	}
}

/* The elements two layouts begin with alike: 0, or 1 + parts. */
static size_t
template_alike(const struct template_layout *a,
    const struct template_layout *b)
{
	size_t k;

	if (a->prelen != b->prelen || (a->prelen > 0 &&
	    memcmp(a->pre, b->pre, a->prelen) != 0))
		return 0;
	for (k = 0; k < a->nparts && k < b->nparts; k++)
		if (a->part[k].field != b->part[k].field ||
		    a->part[k].litlen != b->part[k].litlen ||
		    (a->part[k].litlen > 0 && memcmp(a->part[k].lit,
		    b->part[k].lit, a->part[k].litlen) != 0))
			break;
	return 1 + k;
}

/* Whether layout y's text (its literals) holds byte c. */
static int
template_has_byte(const struct template_layout *y, char c)
{
	size_t k;

	if (y->prelen > 0 && memchr(y->pre, c, y->prelen) != NULL)
		return 1;
	for (k = 0; k < y->nparts; k++)
		if (y->part[k].litlen > 0 &&
		    memchr(y->part[k].lit, c, y->part[k].litlen) != NULL)
			return 1;
	return 0;
}

/* The first byte of the first layout's text, not a blank, all have. */
static void
template_need(struct template *t)
{
	const struct template_layout *y = &t->lay[0];
	const char *s;
	size_t k, n, j, i;

	t->need = -1;
	for (k = 0; k <= y->nparts && t->need == -1; k++) {
		s = k == 0 ? y->pre : y->part[k - 1].lit;
		n = k == 0 ? y->prelen : y->part[k - 1].litlen;
		for (j = 0; j < n && t->need == -1; j++) {
			if (s[j] == ' ')
				continue;
			for (i = 1; i < t->nlay; i++)
				if (!template_has_byte(&t->lay[i], s[j]))
					break;
			if (i == t->nlay)
				t->need = (unsigned char)s[j];
		}
	}
}

static void
template_common(struct template *t)
{
	struct template_part *f;
	size_t i, j, k;

	free(t->common);
	t->common = xcalloc(t->nlay * t->nlay, sizeof(*t->common));
	for (i = 0; i < t->nlay; i++)
		for (j = 0; j < t->nlay; j++)
			t->common[i * t->nlay + j] = template_alike(&t->lay[i],
			    &t->lay[j]);
	for (i = 0; i < t->nlay; i++)
		for (k = 0; k < t->lay[i].nparts; k++) {
			f = &t->lay[i].part[k];
			for (f->key = 0; f->key + 1 < f->litlen &&
			    f->lit[f->key] == ' '; f->key++)
				continue;
			memset(f->keyv, f->litlen > 0 ?
			    (unsigned char)f->lit[f->key] : 0, sizeof(f->keyv));
			f->litw = f->litm = 0;
			if (f->litlen > 0 && f->litlen <= 8) {
				memcpy(&f->litw, f->lit, f->litlen);
				memset(&f->litm, 0xff, f->litlen);
			}
		}
	template_need(t);
}

/* A field named s[0..n) at byte at of the text (rule 2). */
static int
template_part(struct template *t, struct template_layout *y, const char *s,
    size_t n, size_t at, char **cause)
{
	size_t i, f;

	if (y->nparts > 0 && y->part[y->nparts - 1].litlen == 0) {
		*cause = xasprintf("two fields with no text between them "
		    "(at byte %zu)", at);
		return -1;
	}
	for (f = 0; f < t->nf; f++)
		if (strlen(t->name[f]) == n && memcmp(t->name[f], s, n) == 0)
			break;
	for (i = 0; i < y->nparts; i++)
		if (y->part[i].field == f) {
			*cause = xasprintf("field %.*s named twice (at byte "
			    "%zu)", (int)n, s, at);
			return -1;
		}
	if (f == t->nf) {
		t->name = xreallocarray(t->name, t->nf + 1, sizeof(*t->name));
		t->name[t->nf++] = xstrndup(s, n);
	}
	y->part = xreallocarray(y->part, y->nparts + 1, sizeof(*y->part));
	y->part[y->nparts].field = f;
	y->part[y->nparts].lit = NULL;
	y->part[y->nparts].litlen = 0;
	y->nparts++;
	return 0;
}

/* Rule 1: a $ at s; how many bytes it takes, or 0 and *cause. */
static size_t
template_dollar(struct template *t, struct template_layout *y,
    const char *text, const char *s, char **cause)
{
	size_t n, at = (size_t)(s - text);

	if (s[1] == '$') {
		template_lit(y, s, 1);
		return 2;
	}
	if (s[1] == '{') {
		n = template_namelen(s + 2);
		if (n == 0 || s[2 + n] != '}') {
			*cause = xasprintf("${ must hold a field name and a } "
			    "(at byte %zu)", at);
			return 0;
		}
		return template_part(t, y, s + 2, n, at, cause) == -1 ? 0 :
		    n + 3;
	}
	if ((n = template_namelen(s + 1)) == 0) {
		*cause = xasprintf("a $ with no field name after it (at byte "
		    "%zu; write $$ for a $)", at);
		return 0;
	}
	return template_part(t, y, s + 1, n, at, cause) == -1 ? 0 : n + 1;
}

struct template *
template_new(void)
{
	return xcalloc(1, sizeof(struct template));
}

int
template_add(struct template *t, const char *text, char **cause)
{
	struct template_layout y;
	const char *s = text;
	size_t n, nf = t->nf;

	memset(&y, 0, sizeof(y));
	if (*text == '\0') {
		*cause = xstrdup("an empty template");
		return -1;
	}
	while (*s != '\0') {
		if (*s != '$') {
			n = strcspn(s, "$");
			template_lit(&y, s, n);
		} else if ((n = template_dollar(t, &y, text, s, cause)) == 0)
			goto fail;
		s += n;
	}
	t->lay = xreallocarray(t->lay, t->nlay + 1, sizeof(*t->lay));
	t->lay[t->nlay++] = y;
	template_absent(t);
	template_common(t);
	return 0;
fail:
	/* Names only this layout brought go with it. */
	while (t->nf > nf)
		free(t->name[--t->nf]);
	template_layout_clear(&y);
	return -1;
}

void
template_free(struct template *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nlay; i++)
		template_layout_clear(&t->lay[i]);
	for (i = 0; i < t->nf; i++)
		free(t->name[i]);
	free(t->lay);
	free(t->common);
	free(t->name);
	free(t);
}

size_t
template_nlayouts(const struct template *t)
{
	return t->nlay;
}

int
template_in(const struct template *t, size_t layout, size_t field)
{
	const struct template_layout *y = &t->lay[layout];
	size_t i;

	for (i = 0; i < y->nparts; i++)
		if (y->part[i].field == field)
			return 1;
	return 0;
}

size_t
template_nfields(const struct template *t)
{
	return t->nf;
}

const char *
template_name(const struct template *t, size_t field)
{
	return t->name[field];
}

int
template_field(const struct template *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nf; i++)
		if (strcmp(t->name[i], name) == 0)
			return (int)i;
	return -1;
}

/*
 * memchr(p, c, len), inline: the fields between literals are short (an
 * address, a status, a size), where a call's set-up costs more than the
 * search: 16 bytes a step with SSE2 (memchr() past the first 64), the
 * last few one by one. cv is c 16 times.
 */
static inline const char *
template_chr(const char *p, char c, const unsigned char *cv, size_t len)
{
#ifdef __SSE2__
	const __m128i want = _mm_loadu_si128((const __m128i *)cv);
	unsigned m;

	for (; len >= 16; p += 16, len -= 16) {
		m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
		    _mm_loadu_si128((const __m128i *)p), want));
		if (m != 0)
			return p + __builtin_ctz(m);
		if (len >= 64)
			return memchr(p + 16, c, len - 16);
	}
	for (; len > 0; p++, len--)
		if (*p == c)
			return p;
	return NULL;
#else
	(void)cv;
	return len > 0 ? memchr(p, c, len) : NULL;
#endif
}

/*
 * The first lit[0..n) in p[0..len), n >= 1, or NULL, found through its
 * byte lit[key]: each hit of it in turn is where a match would have it,
 * so the first hit that matches is the first match. The literals after
 * fields are short (a blank, "] \"", "\" "), so the rest is compared
 * here rather than by a call.
 */
static inline const char *
template_find(const char *p, size_t len, const struct template_part *f)
{
	const char *last, *q, *end = p + len, *lit = f->lit;
	size_t k, n = f->litlen, key = f->key;
	uint64_t w;

	if (n == 1)			/* most: a blank */
		return template_chr(p, lit[0], f->keyv, len);
	if (len < n)
		return NULL;
	last = p + (len - n);		/* the last place a match can start */
	while (p <= last && (q = template_chr(p + key, lit[key], f->keyv,
	    (size_t)(last - p) + 1)) != NULL) {
		q -= key;
		/* In one word when the line has 8 bytes from q on. */
		if (n <= 8 && end - q >= 8) {
			memcpy(&w, q, sizeof(w));
			if (((w ^ f->litw) & f->litm) == 0)
				return q;
		} else {
			for (k = 0; k < n && q[k] == lit[k]; k++)
				continue;
			if (k == n)
				return q;
		}
		p = q + 1;
	}
	return NULL;
}

/*
 * Rule 3 for one layout: 0 when the line fits, its values in out; else
 * -1 and *at, the element that failed (0 the leading literal, 1 + k part
 * k's), or SIZE_MAX when it was the end of the line.
 */
static int
template_fit(const struct template_layout *y, const char *line, size_t len,
    struct template_value *out, size_t *at)
{
	const char *p = line, *end = line + len, *q;
	const struct template_part *f;
	size_t i;

	*at = 0;
	if (len < y->prelen || (y->prelen > 0 &&
	    memcmp(line, y->pre, y->prelen) != 0))
		return -1;
	p += y->prelen;
	for (i = 0; i < y->nparts; i++) {
		f = &y->part[i];
		if (f->litlen == 0) {		/* the last: the rest */
			out[f->field].p = p;
			out[f->field].len = (size_t)(end - p);
			return 0;
		}
		if ((q = template_find(p, (size_t)(end - p), f)) == NULL) {
			*at = 1 + i;
			return -1;
		}
		out[f->field].p = p;
		out[f->field].len = (size_t)(q - p);
		p = q + f->litlen;
	}
	/* A layout that ends with a literal ends the line. */
	*at = SIZE_MAX;
	return p == end ? 0 : -1;
}

/* Rule 4 for a line that holds the byte every layout needs. */
static __attribute__((noinline)) int
template_scan_layouts(const struct template *t, const char *line,
    size_t len, struct template_value *out)
{
	const struct template_layout *y;
	size_t i, j, at, failed = SIZE_MAX, failat = 0;

	for (i = 0; i < t->nlay; i++) {
		y = &t->lay[i];
		/* It begins as the one that failed, past where that did. */
		if (failed != SIZE_MAX && failat != SIZE_MAX &&
		    t->common[failed * t->nlay + i] > failat)
			continue;
		if (template_fit(y, line, len, out, &at) == 0) {
			for (j = 0; j < y->nabsent; j++) {
				out[y->absent[j]].p = NULL;
				out[y->absent[j]].len = 0;
			}
			return (int)i;
		}
		failed = i;
		failat = at;
	}
	return -1;
}

/* Apart from the layouts, so that a line turned away costs the least. */
int
template_scan(const struct template *t, const char *line, size_t len,
    struct template_value *out)
{
	if (t->need >= 0 && (len == 0 || memchr(line, t->need, len) == NULL))
		return -1;
	return template_scan_layouts(t, line, len, out);
}
