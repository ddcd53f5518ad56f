/*
 * test_logfmt: the logfmt scanner (logfmt.h). First every case of
 * tests/data/logfmt-cases.txt (go-logfmt's decoder tests, with the
 * answers logfmt.h gives) through logfmt_scan() and logfmt_next(); then
 * each rule of logfmt.h by hand: blanks, keys, bare keys, quoted values
 * and every escape, bare values, duplicates, leading words, aliases,
 * refusals and their offsets, lifetimes, buffer growth, key set errors.
 * Every line is scanned from a heap copy of exactly its length, with no
 * NUL after it, so an overread trips AddressSanitizer. Expected values
 * are written out by hand (decoded UTF-8 as bytes), never computed with
 * logfmt.
 *
 * The case file is found from the current directory (the top of the
 * tree), under $CXW_TOP, or two directories above this binary
 * (build/tests/test_logfmt); a run that finds it nowhere fails.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logfmt.h"
#include "t.h"
#include "xmalloc.h"

#define MAXLEN		4096
#define CASES		"tests/data/logfmt-cases.txt"
#define NCASES		42	/* the cases CASES transcribes */
#define NDIFFERS	16	/* of which differ from go-logfmt */

static const char UNTERM[] = "unterminated quoted value";
static const char BADESC[] = "unknown escape";
static const char BADU[] = "\\u needs 4 hex digits";
static const char LONE[] = "lone surrogate in \\u escape";

struct fx {
	struct logfmt_keys	*ks;
	struct logfmt		*lf;
	char			*copy;	/* the line scanned last */
	size_t			 len;
	const char		*why;
	size_t			 off;
};

/* Bytes p[0..n) as a C string literal's inside, for messages. */
static const char *
show(const char *p, size_t n)
{
	static char out[4][512];
	static int which;
	char *o = out[which = (which + 1) & 3];
	size_t i, k = 0;

	if (p == NULL)
		return "(absent)";
	for (i = 0; i < n && k + 8 < sizeof(out[0]); i++) {
		unsigned char c = (unsigned char)p[i];

		if (c == '"' || c == '\\')
			k += (size_t)snprintf(o + k, 8, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			k += (size_t)snprintf(o + k, 8, "\\x%02x", c);
		else
			o[k++] = (char)c;
	}
	if (i < n)
		k += (size_t)snprintf(o + k, 8, "...");
	o[k] = '\0';
	return o;
}

/* A failure at line of this file: counted, and said on stderr. */
static void
fail_at(int line, const char *fmt, ...)
{
	va_list ap;

	t_fail++;
	fprintf(stderr, "%s:%d: FAIL: ", __FILE__, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Keys k[0..n) in slots 0..n-1, and the leading words in slot n if lead. */
static struct fx
fx_new(const char *const *k, size_t n, int lead, size_t maxline)
{
	struct fx f = { NULL, NULL, NULL, 0, NULL, 0 };
	const char *cause;
	size_t i;

	f.ks = logfmt_keys_new();
	for (i = 0; i < n; i++)
		if (logfmt_keys_add(f.ks, k[i], strlen(k[i]), &cause) !=
		    (int)i) {
			fprintf(stderr, "fx_new: key %s: not slot %zu\n", k[i],
			    i);
			exit(2);
		}
	if (lead && logfmt_keys_leading(f.ks, -1, &cause) != (int)n) {
		fprintf(stderr, "fx_new: leading: %s\n", cause);
		exit(2);
	}
	f.lf = logfmt_new(f.ks, maxline);
	return f;
}

/* An empty key set and no scanner yet: fx_open() makes it. */
static struct fx
fx_keys(void)
{
	struct fx f = { NULL, NULL, NULL, 0, NULL, 0 };

	f.ks = logfmt_keys_new();
	return f;
}

static void
fx_open(struct fx *f, size_t maxline)
{
	f->lf = logfmt_new(f->ks, maxline);
}

static void
fx_free(struct fx *f)
{
	logfmt_free(f->lf);
	logfmt_keys_free(f->ks);
	free(f->copy);
}

static int
fx_scan_mem(struct fx *f, const char *line, size_t len)
{
	free(f->copy);
	f->copy = xmalloc(len > 0 ? len : 1);	/* malloc(0) may be NULL */
	memcpy(f->copy, line, len);
	f->len = len;
	f->why = NULL;
	f->off = (size_t)-1;
	return logfmt_scan(f->lf, f->copy, len, &f->why, &f->off);
}

/* A string literal's bytes, NULs included. */
#define SCAN(f, lit)	fx_scan_mem((f), (lit), sizeof(lit) - 1)

/* Is slot's value inside the line (needed no unescaping)? */
static int
in_line(const struct fx *f, int slot)
{
	const struct logfmt_field *v = &logfmt_fields(f->lf)[slot];

	return v->p >= f->copy && v->p + v->len <= f->copy + f->len;
}

/* Slot's field is want[0..wantlen), or absent if want is NULL. */
static void
check_field(const struct fx *f, int slot, const char *want, size_t wantlen,
    int line)
{
	const struct logfmt_field *v = &logfmt_fields(f->lf)[slot];

	if (want == NULL) {
		if (!v->present && v->p == NULL && v->len == 0)
			t_pass++;
		else
			fail_at(line, "slot %d: got \"%s\", want absent", slot,
			    v->present ? show(v->p, v->len) : "(absent, but "
			    "p or len set)");
		return;
	}
	if (v->present && v->len == wantlen && (wantlen == 0 ||
	    memcmp(v->p, want, wantlen) == 0))
		t_pass++;
	else
		fail_at(line, "slot %d: got \"%s\", want \"%s\"", slot,
		    v->present ? show(v->p, v->len) : "(absent)",
		    show(want, wantlen));
}

#define CHECK_FIELD(f, slot, lit)					\
	check_field((f), (slot), (lit), sizeof(lit) - 1, __LINE__)
#define CHECK_ABSENT(f, slot)	check_field((f), (slot), NULL, 0, __LINE__)

/* No slot present and no pair to be had: a refused line. */
static int
none_present(struct fx *f)
{
	const struct logfmt_field *v = logfmt_fields(f->lf);
	struct logfmt_pair pair;
	size_t i;

	for (i = 0; i < logfmt_keys_nslots(f->ks); i++)
		if (v[i].present || v[i].p != NULL || v[i].len != 0)
			return 0;
	return logfmt_next(f->lf, &pair) == 0;
}

/* line[0..len) is refused with why at off, and leaves nothing. */
static void
check_refused(struct fx *f, const char *line, size_t len, const char *why,
    size_t off, int at)
{
	int rc = fx_scan_mem(f, line, len);

	if (rc == -1 && f->why != NULL && strcmp(f->why, why) == 0 &&
	    f->off == off && f->off < len && none_present(f))
		t_pass++;
	else
		fail_at(at, "\"%s\": rc %d, why %s, off %zu; want -1, %s, %zu",
		    show(line, len), rc, f->why ? f->why : "(null)", f->off,
		    why, off);
}

#define CHECK_REFUSED(f, lit, why, off)					\
	check_refused((f), (lit), sizeof(lit) - 1, (why), (off), __LINE__)

/* The next pair is key=val (bare: key alone) at off. */
static void
check_pair(struct fx *f, const char *key, size_t keylen, const char *val,
    size_t vallen, int bare, size_t off, int line)
{
	struct logfmt_pair p;

	if (logfmt_next(f->lf, &p) != 1) {
		fail_at(line, "no pair, want %s", show(key, keylen));
		return;
	}
	if (p.keylen == keylen && memcmp(p.key, key, keylen) == 0 &&
	    p.vallen == vallen && (vallen == 0 || memcmp(p.val, val,
	    vallen) == 0) && p.bare == bare && p.off == off &&
	    p.key == f->copy + off)
		t_pass++;
	else
		fail_at(line, "pair \"%s\"=\"%s\" bare %d at %zu; want "
		    "\"%s\"=\"%s\" bare %d at %zu", show(p.key, p.keylen),
		    show(p.val, p.vallen), p.bare, p.off, show(key, keylen),
		    show(val, vallen), bare, off);
}

#define CHECK_PAIR(f, k, v, off)					\
	check_pair((f), (k), sizeof(k) - 1, (v), sizeof(v) - 1, 0, (off), \
	    __LINE__)
#define CHECK_BARE(f, k, off)						\
	check_pair((f), (k), sizeof(k) - 1, "", 0, 1, (off), __LINE__)
#define CHECK_NO_PAIR(f) do {						\
	struct logfmt_pair t_p;						\
	CHECK(logfmt_next((f)->lf, &t_p) == 0);				\
} while (0)

/*
 * The case file. A case as logfmt-cases.txt's header describes it; its
 * strings are Go string literals, decoded by golit().
 */
#define LC_MAXPAIRS	16

struct lc_pair {
	char	*key, *val;
	size_t	 keylen, vallen;
	int	 bare;
};

struct lc {
	char		*name;
	int		 lineno;	/* of the case line */
	size_t		 maxline;
	char		*in, *lead, *why;
	size_t		 inlen, leadlen, erroff;
	int		 differs, none, err;
	struct lc_pair	 pairs[LC_MAXPAIRS];
	size_t		 npairs;
};

static int
lc_hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Code point cp in UTF-8 at o; returns the bytes written. */
static size_t
lc_utf8(char *o, unsigned long cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | cp >> 12);
		o[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | cp >> 18);
	o[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	o[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/*
 * The Go string literal at s: its bytes in *out (NUL-terminated, for
 * messages; *len holds its length). Returns the byte after it, or NULL.
 */
static const char *
golit(const char *s, char **out, size_t *len)
{
	unsigned long cp;
	char *o;
	size_t n = 0;
	int i, d, nd;

	if (*s++ != '"')
		return NULL;
	o = xmalloc(strlen(s) * 4 + 1);
	for (; *s != '"'; s++) {
		if (*s == '\0')
			goto bad;
		if (*s != '\\') {
			o[n++] = *s;
			continue;
		}
		switch (*++s) {
		case '"': case '\\':
			o[n++] = *s;
			continue;
		case 'a': o[n++] = '\a'; continue;
		case 'b': o[n++] = '\b'; continue;
		case 'f': o[n++] = '\f'; continue;
		case 'n': o[n++] = '\n'; continue;
		case 'r': o[n++] = '\r'; continue;
		case 't': o[n++] = '\t'; continue;
		case 'v': o[n++] = '\v'; continue;
		case 'x': nd = 2; break;
		case 'u': nd = 4; break;
		case 'U': nd = 8; break;
		default:
			goto bad;
		}
		for (cp = 0, i = 1; i <= nd; i++) {
			if ((d = lc_hex((unsigned char)s[i])) == -1)
				goto bad;
			cp = cp << 4 | (unsigned long)d;
		}
		if (nd == 2)
			o[n++] = (char)cp;
		else if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			goto bad;
		else
			n += lc_utf8(o + n, cp);
		s += nd;
	}
	o[n] = '\0';
	*out = o;
	*len = n;
	return s + 1;
bad:
	free(o);
	return NULL;
}

static void
lc_clear(struct lc *c)
{
	size_t i;

	for (i = 0; i < c->npairs; i++) {
		free(c->pairs[i].key);
		free(c->pairs[i].val);
	}
	free(c->name);
	free(c->in);
	free(c->lead);
	free(c->why);
	memset(c, 0, sizeof(*c));
}

/* A failure of case c (or of the file at lineno), said with its place. */
static void
lc_fail(const struct lc *c, int lineno, const char *fmt, ...)
{
	va_list ap;

	t_fail++;
	fprintf(stderr, "%s:%d: FAIL: ", CASES, c != NULL ? c->lineno :
	    lineno);
	if (c != NULL)
		fprintf(stderr, "%s: ", c->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* The value pair i of c leaves in its key's field: the last one's. */
static const struct lc_pair *
lc_last(const struct lc *c, size_t i)
{
	const struct lc_pair *last = &c->pairs[i];
	size_t j;

	for (j = i + 1; j < c->npairs; j++)
		if (c->pairs[j].keylen == last->keylen &&
		    memcmp(c->pairs[j].key, last->key, last->keylen) == 0)
			last = &c->pairs[j];
	return last;
}

/*
 * Scan c's line with a scanner for lines of maxline bytes, its keys in
 * slots (if keys) and the leading words in a slot of their own; twice,
 * so that the second scan must start the pairs again.
 */
static void
lc_run(const struct lc *c, size_t maxline, int keys)
{
	struct logfmt_keys *ks = logfmt_keys_new();
	const struct logfmt_field *fl;
	const struct lc_pair *want;
	struct logfmt_pair p;
	struct logfmt *lf;
	const char *cause, *why;
	char *line = xmalloc(c->inlen > 0 ? c->inlen : 1);
	int slot[LC_MAXPAIRS], lead = -1, round, rc, ok;
	size_t i, n, off;

	memcpy(line, c->in, c->inlen);
	for (i = 0; i < c->npairs; i++) {
		slot[i] = -1;
		if (keys && c->pairs[i].keylen > 0 && (slot[i] =
		    logfmt_keys_add(ks, c->pairs[i].key, c->pairs[i].keylen,
		    &cause)) == -1)
			lc_fail(c, 0, "key \"%s\": %s", show(c->pairs[i].key,
			    c->pairs[i].keylen), cause);
	}
	if (keys)
		lead = logfmt_keys_leading(ks, -1, &cause);
	lf = logfmt_new(ks, maxline);
	for (round = 0; round < 2; round++) {
		why = NULL;
		off = (size_t)-1;
		rc = logfmt_scan(lf, line, c->inlen, &why, &off);
		fl = logfmt_fields(lf);
		if (c->err) {
			ok = rc == -1 && why != NULL && strcmp(why, c->why) ==
			    0 && off == c->erroff && off < c->inlen &&
			    logfmt_next(lf, &p) == 0;
			for (i = 0; i < logfmt_keys_nslots(ks); i++)
				ok = ok && !fl[i].present;
			if (ok)
				t_pass++;
			else
				lc_fail(c, 0, "maxline %zu: rc %d, why %s, off "
				    "%zu", maxline, rc, why ? why : "(null)",
				    off);
			continue;
		}
		if (rc != 0) {
			lc_fail(c, 0, "maxline %zu: refused: %s at %zu",
			    maxline, why ? why : "(null)", off);
			continue;
		}
		for (n = 0; logfmt_next(lf, &p) == 1; n++) {
			want = n < c->npairs ? &c->pairs[n] : NULL;
			if (want != NULL && p.keylen == want->keylen &&
			    memcmp(p.key, want->key, p.keylen) == 0 &&
			    p.vallen == want->vallen && (p.vallen == 0 ||
			    memcmp(p.val, want->val, p.vallen) == 0) &&
			    p.bare == want->bare && p.key >= line &&
			    p.key + p.keylen <= line + c->inlen &&
			    p.off == (size_t)(p.key - line))
				t_pass++;
			else
				lc_fail(c, 0, "pair %zu: \"%s\"=\"%s\" bare %d "
				    "at %zu", n, show(p.key, p.keylen),
				    show(p.val, p.vallen), p.bare, p.off);
		}
		if (n != c->npairs)
			lc_fail(c, 0, "%zu pairs, want %zu", n, c->npairs);
		for (i = 0; keys && i < c->npairs; i++) {
			if (slot[i] == -1)
				continue;
			want = lc_last(c, i);
			if (fl[slot[i]].present && fl[slot[i]].len ==
			    want->vallen && (want->vallen == 0 ||
			    memcmp(fl[slot[i]].p, want->val, want->vallen) ==
			    0))
				t_pass++;
			else
				lc_fail(c, 0, "field %s: \"%s\"",
				    show(want->key, want->keylen),
				    fl[slot[i]].present ? show(fl[slot[i]].p,
				    fl[slot[i]].len) : "(absent)");
		}
		if (!keys)
			continue;
		if (c->lead == NULL ? !fl[lead].present : fl[lead].present &&
		    fl[lead].len == c->leadlen && memcmp(fl[lead].p, c->lead,
		    c->leadlen) == 0 && fl[lead].p >= line &&
		    fl[lead].p + fl[lead].len <= line + c->inlen)
			t_pass++;
		else
			lc_fail(c, 0, "leading words \"%s\"", fl[lead].present ?
			    show(fl[lead].p, fl[lead].len) : "(absent)");
	}
	logfmt_free(lf);
	logfmt_keys_free(ks);
	free(line);
}

/* A case that is whole: an in line and one kind of answer. */
static int
lc_check(const struct lc *c)
{
	if (c->in == NULL)
		lc_fail(c, 0, "no in line");
	else if ((c->npairs > 0) + c->none + c->err != 1)
		lc_fail(c, 0, "want pairs, none or error, exactly one");
	else if (c->err && c->lead != NULL)
		lc_fail(c, 0, "a refused line has no leading words");
	else
		return 1;
	return 0;
}

static void
lc_done(struct lc *c, size_t *ncases, size_t *ndiffers)
{
	if (c->name == NULL)
		return;
	if (lc_check(c)) {
		lc_run(c, c->maxline, 1);
		lc_run(c, 1, 1);
		lc_run(c, 0, 0);
		++*ncases;
		*ndiffers += c->differs;
	}
	lc_clear(c);
}

/* One line of a case: 0, or -1 if it is not of the format. */
static int
lc_line(struct lc *c, const char *s, int lineno)
{
	struct lc_pair *p;
	const char *e;
	char *end;
	size_t whylen;

	if (strncmp(s, "case ", 5) == 0 && c->name == NULL) {
		c->name = xstrdup(s + 5);
		c->lineno = lineno;
		c->maxline = MAXLEN;
		return 0;
	}
	if (c->name == NULL)
		return -1;
	if (strncmp(s, "differs ", 8) == 0) {
		c->differs = 1;
		return 0;
	}
	if (strncmp(s, "go-logfmt ", 10) == 0)
		return c->differs ? 0 : -1;
	if (strncmp(s, "maxline ", 8) == 0) {
		c->maxline = strtoul(s + 8, &end, 10);
		return *end == '\0' ? 0 : -1;
	}
	if (strncmp(s, "in ", 3) == 0 && c->in == NULL)
		e = golit(s + 3, &c->in, &c->inlen);
	else if (strncmp(s, "lead ", 5) == 0 && c->lead == NULL)
		e = golit(s + 5, &c->lead, &c->leadlen);
	else if (strcmp(s, "none") == 0 && !c->none)
		e = s + 4, c->none = 1;
	else if (strncmp(s, "error ", 6) == 0 && !c->err) {
		c->err = 1;
		c->erroff = strtoul(s + 6, &end, 10);
		e = *end == ' ' ? golit(end + 1, &c->why, &whylen) : NULL;
	} else if ((strncmp(s, "kv ", 3) == 0 || strncmp(s, "bare ", 5) ==
	    0) && c->npairs < LC_MAXPAIRS) {
		p = &c->pairs[c->npairs++];
		p->bare = s[0] == 'b';
		e = golit(s + (p->bare ? 5 : 3), &p->key, &p->keylen);
		if (e != NULL && p->bare)
			p->val = xstrdup("");
		else if (e != NULL)
			e = *e == ' ' ? golit(e + 1, &p->val, &p->vallen) :
			    NULL;
	} else
		return -1;
	return e != NULL && *e == '\0' ? 0 : -1;
}

static FILE *
lc_open(const char *argv0)
{
	const char *top = getenv("CXW_TOP"), *slash;
	char path[4096];
	FILE *fp;

	if ((fp = fopen(CASES, "r")) != NULL)
		return fp;
	if (top != NULL && *top != '\0') {
		snprintf(path, sizeof(path), "%s/%s", top, CASES);
		if ((fp = fopen(path, "r")) != NULL)
			return fp;
	}
	if ((slash = strrchr(argv0, '/')) != NULL) {
		snprintf(path, sizeof(path), "%.*s/../../%s",
		    (int)(slash - argv0), argv0, CASES);
		if ((fp = fopen(path, "r")) != NULL)
			return fp;
	}
	return NULL;
}

/* The cases of the file: every one passes, and all are there. */
static void
test_cases(const char *argv0)
{
	struct lc c;
	FILE *fp;
	char *s = NULL;
	size_t cap = 0, ncases = 0, ndiffers = 0, len;
	ssize_t n;
	int lineno = 0;

	memset(&c, 0, sizeof(c));
	if ((fp = lc_open(argv0)) == NULL) {
		fail_at(__LINE__, "%s not found (run from the top of the tree "
		    "or set CXW_TOP)", CASES);
		return;
	}
	while ((n = getline(&s, &cap, fp)) != -1) {
		lineno++;
		len = (size_t)n;
		if (len > 0 && s[len - 1] == '\n')
			s[--len] = '\0';
		if (len == 0) {
			lc_done(&c, &ncases, &ndiffers);
			continue;
		}
		if (s[0] == '#')
			continue;
		if (lc_line(&c, s, lineno) == -1) {
			lc_fail(NULL, lineno, "not of the format: %s", s);
			lc_clear(&c);
		}
	}
	lc_done(&c, &ncases, &ndiffers);
	CHECK(!ferror(fp));
	fclose(fp);
	free(s);
	printf("%s: %zu cases, %zu of them differ from go-logfmt\n", CASES,
	    ncases, ndiffers);
	CHECK_INT(ncases, NCASES);
	CHECK_INT(ndiffers, NDIFFERS);
}

/* Rule 1: blanks are the bytes 0x00-0x20, not DEL, not 0x80 and up. */
static void
test_blanks(void)
{
	static const char *const k[] = { "a", "b" };
	struct fx f = fx_new(k, 2, 1, 64);
	char line[16];
	unsigned c;

	for (c = 0; c <= 0x20; c++) {
		memcpy(line, "_a=1_b=2_", 9);
		line[0] = line[4] = line[8] = (char)c;
		CHECK_INT(fx_scan_mem(&f, line, 9), 0);
		CHECK_FIELD(&f, 0, "1");
		CHECK_FIELD(&f, 1, "2");
		CHECK_ABSENT(&f, 2);
		CHECK_PAIR(&f, "a", "1", 1);
		CHECK_PAIR(&f, "b", "2", 5);
		CHECK_NO_PAIR(&f);
		/* As written between leading words. */
		memcpy(line, "_x_y_b=2", 8);
		line[0] = line[2] = line[4] = (char)c;
		CHECK_INT(fx_scan_mem(&f, line, 8), 0);
		check_field(&f, 2, line + 1, 3, __LINE__);
		CHECK_FIELD(&f, 1, "2");
	}
	CHECK_INT(SCAN(&f, "a=1\x7f b=2"), 0);
	CHECK_FIELD(&f, 0, "1\x7f");
	CHECK_INT(SCAN(&f, "\x7f" "a=1"), 0);
	CHECK_ABSENT(&f, 0);
	CHECK_INT(SCAN(&f, "a=1!b=2"), 0);
	CHECK_FIELD(&f, 0, "1!b=2");
	CHECK_ABSENT(&f, 1);
	CHECK_INT(SCAN(&f, "a=1\xa0" "b=2 b=\xa0"), 0);
	CHECK_FIELD(&f, 0, "1\xa0" "b=2");
	CHECK_FIELD(&f, 1, "\xa0");
	/* A newline in a line is a blank like the others. */
	CHECK_INT(SCAN(&f, "a=1\nb=2\r\n"), 0);
	CHECK_FIELD(&f, 0, "1");
	CHECK_FIELD(&f, 1, "2");
	CHECK_INT(SCAN(&f, "a=1\0b=2"), 0);
	CHECK_FIELD(&f, 0, "1");
	CHECK_FIELD(&f, 1, "2");
	/* Nothing but blanks, or nothing. */
	CHECK_INT(SCAN(&f, " \t\n\0\x1f "), 0);
	CHECK_ABSENT(&f, 0);
	CHECK_ABSENT(&f, 2);
	CHECK_NO_PAIR(&f);
	CHECK_INT(SCAN(&f, ""), 0);
	CHECK_ABSENT(&f, 2);
	CHECK_NO_PAIR(&f);
	/* A blank before = ends the key: a bare key, then a word "=1". */
	CHECK_INT(SCAN(&f, "a =1 b= 2"), 0);
	CHECK_FIELD(&f, 0, "");
	CHECK_FIELD(&f, 1, "");
	CHECK_FIELD(&f, 2, "a");
	CHECK_BARE(&f, "a", 0);
	CHECK_PAIR(&f, "", "1", 2);
	CHECK_PAIR(&f, "b", "", 5);
	CHECK_BARE(&f, "2", 8);
	CHECK_NO_PAIR(&f);
	fx_free(&f);
}

/* Rule 2: keys are bytes up to a blank or =, compared byte for byte. */
static void
test_keys(void)
{
	static const char *const k[] = { "customer", "Customer", "cust",
	    "customer_id", "k\"ey", "\x80k", "caf\xc3\xa9", "abcdefgh",
	    "abcdefghi", "abcdefghij0123456", "a", "!", "q", "1", "\"k\"" };
	struct fx f = fx_new(k, 15, 1, 64);

	CHECK_INT(SCAN(&f, "customer=C1 Customer=C2 cust=C3 "
	    "customer_id=C4"), 0);
	CHECK_FIELD(&f, 0, "C1");
	CHECK_FIELD(&f, 1, "C2");
	CHECK_FIELD(&f, 2, "C3");
	CHECK_FIELD(&f, 3, "C4");
	CHECK_INT(SCAN(&f, "customers=x custome=y CUSTOMER=z cus=w"), 0);
	CHECK_ABSENT(&f, 0);
	CHECK_ABSENT(&f, 1);
	CHECK_ABSENT(&f, 2);
	CHECK_ABSENT(&f, 3);
	/* " and bytes 0x80 and up are bytes of a key. */
	CHECK_INT(SCAN(&f, "k\"ey=1 \x80k=2 caf\xc3\xa9=3 \"k\"=4"), 0);
	CHECK_FIELD(&f, 4, "1");
	CHECK_FIELD(&f, 5, "2");
	CHECK_FIELD(&f, 6, "3");
	CHECK_FIELD(&f, 14, "4");
	CHECK_INT(SCAN(&f, "cafe=3 caf\xc3\xa8=4 k\"e=5 \"k=6"), 0);
	CHECK_ABSENT(&f, 4);
	CHECK_ABSENT(&f, 6);
	CHECK_ABSENT(&f, 14);
	/* Names of 8 bytes and more: the rest after the first 8 counts. */
	CHECK_INT(SCAN(&f, "abcdefghX=1 abcdefghij0123457=2 abcdefgh=3"), 0);
	CHECK_FIELD(&f, 7, "3");
	CHECK_ABSENT(&f, 8);
	CHECK_ABSENT(&f, 9);
	CHECK_INT(SCAN(&f, "abcdefghi=1 abcdefghij0123456=2"), 0);
	CHECK_ABSENT(&f, 7);
	CHECK_FIELD(&f, 8, "1");
	CHECK_FIELD(&f, 9, "2");
	/* Names that share a bucket: length mod 16, first byte mod 64. */
	CHECK_INT(SCAN(&f, "!=1 q=2"), 0);
	CHECK_ABSENT(&f, 10);
	CHECK_FIELD(&f, 11, "1");
	CHECK_FIELD(&f, 12, "2");
	CHECK_ABSENT(&f, 13);
	CHECK_INT(SCAN(&f, "a=1 1=2 abcdefghij0123456=3"), 0);
	CHECK_FIELD(&f, 10, "1");
	CHECK_ABSENT(&f, 11);
	CHECK_FIELD(&f, 13, "2");
	CHECK_FIELD(&f, 9, "3");
	CHECK_INT(SCAN(&f, "a1234567890123456=1 !bcdefghij0123456=2"), 0);
	CHECK_ABSENT(&f, 9);
	CHECK_ABSENT(&f, 10);
	/* A key near the end of the line, in short and long lines. */
	CHECK_INT(SCAN(&f, "a"), 0);
	CHECK_FIELD(&f, 10, "");
	CHECK_INT(SCAN(&f, "x=1 cust"), 0);
	CHECK_FIELD(&f, 2, "");
	CHECK_INT(SCAN(&f, "xxxxxxxxxx=1 cust"), 0);
	CHECK_FIELD(&f, 2, "");
	CHECK_INT(SCAN(&f, "xxxxxxxxxx=1 cust="), 0);
	CHECK_FIELD(&f, 2, "");
	CHECK_INT(SCAN(&f, "xxxxxxxxxx=1 cust=v"), 0);
	CHECK_FIELD(&f, 2, "v");
	CHECK_INT(SCAN(&f, "xxxxxxxxxx=1 custo"), 0);
	CHECK_ABSENT(&f, 2);
	CHECK_INT(SCAN(&f, "x=1 abcdefgh"), 0);
	CHECK_FIELD(&f, 7, "");
	CHECK_INT(SCAN(&f, "abcdefgh=1"), 0);
	CHECK_FIELD(&f, 7, "1");
	/* A word that starts with = has an empty key, and ends rule 7. */
	CHECK_INT(SCAN(&f, "a =b q"), 0);
	CHECK_FIELD(&f, 15, "a");
	CHECK_FIELD(&f, 12, "");
	CHECK_BARE(&f, "a", 0);
	CHECK_PAIR(&f, "", "b", 2);
	CHECK_BARE(&f, "q", 5);
	CHECK_NO_PAIR(&f);
	CHECK_INT(SCAN(&f, "=a"), 0);
	CHECK_ABSENT(&f, 15);
	CHECK_PAIR(&f, "", "a", 0);
	CHECK_INT(SCAN(&f, "="), 0);
	CHECK_PAIR(&f, "", "", 0);
	CHECK_NO_PAIR(&f);
	fx_free(&f);
}

/* Rule 3: a word without = is present with an empty value. */
static void
test_bare_keys(void)
{
	static const char *const k[] = { "a", "b", "c" };
	struct fx f = fx_new(k, 3, 1, 64);
	const struct logfmt_field *v;

	CHECK_INT(SCAN(&f, "a b=1 c"), 0);
	CHECK_FIELD(&f, 0, "");
	CHECK_FIELD(&f, 1, "1");
	CHECK_FIELD(&f, 2, "");
	CHECK_FIELD(&f, 3, "a");
	CHECK_BARE(&f, "a", 0);
	CHECK_PAIR(&f, "b", "1", 2);
	CHECK_BARE(&f, "c", 6);
	CHECK_NO_PAIR(&f);
	/* Present and empty is not absent; "a=" is not bare. */
	CHECK_INT(SCAN(&f, "a= x=1"), 0);
	v = logfmt_fields(f.lf);
	CHECK(v[0].present && v[0].len == 0);
	CHECK(!v[1].present && v[1].p == NULL && v[1].len == 0);
	CHECK_PAIR(&f, "a", "", 0);
	CHECK_PAIR(&f, "x", "1", 3);
	fx_free(&f);
}

/* Rule 4: quoted values, every escape, \u and surrogate pairs. */
static void
test_quoted(void)
{
	static const char *const k[] = { "k", "j", "c", "\"a\"", "c\"" };
	struct fx f = fx_new(k, 5, 1, 64);

	CHECK_INT(SCAN(&f, "k=\"hello world\" j=x"), 0);
	CHECK_FIELD(&f, 0, "hello world");
	CHECK(in_line(&f, 0) && logfmt_fields(f.lf)[0].p == f.copy + 3);
	CHECK_FIELD(&f, 1, "x");
	CHECK_INT(SCAN(&f, "k=\"\""), 0);
	CHECK_FIELD(&f, 0, "");
	CHECK_INT(SCAN(&f, "k=\"a=b c=d\""), 0);
	CHECK_FIELD(&f, 0, "a=b c=d");
	CHECK_ABSENT(&f, 2);
	/* Each escape. */
	CHECK_INT(SCAN(&f, "k=\"\\\"\\\\\\/\\'\\b\\f\\n\\r\\t\""), 0);
	CHECK_FIELD(&f, 0, "\"\\/'\b\f\n\r\t");
	CHECK(!in_line(&f, 0));
	CHECK_INT(SCAN(&f, "k=\"a\\\"b\""), 0);
	CHECK_FIELD(&f, 0, "a\"b");
	CHECK_INT(SCAN(&f, "k=\"a\\\\\""), 0);
	CHECK_FIELD(&f, 0, "a\\");
	CHECK_INT(SCAN(&f, "k=\"\\\\\\\"\""), 0);
	CHECK_FIELD(&f, 0, "\\\"");
	/* \u: 1, 2, 3 bytes of UTF-8, either case, their edges, NUL. */
	CHECK_INT(SCAN(&f, "k=\"\\u0041\\u00e9\\u20ac\\u00E9\\uFFFF\""), 0);
	CHECK_FIELD(&f, 0, "A\xc3\xa9\xe2\x82\xac\xc3\xa9\xef\xbf\xbf");
	CHECK_INT(SCAN(&f, "k=\"\\u007f\\u0080\\u07ff\\u0800\\uaBcD\""), 0);
	CHECK_FIELD(&f, 0, "\x7f\xc2\x80\xdf\xbf\xe0\xa0\x80\xea\xaf\x8d");
	CHECK_INT(SCAN(&f, "k=\"a\\u0000b\""), 0);
	CHECK_FIELD(&f, 0, "a\0b");
	/* Surrogate pairs: one code point, four bytes. */
	CHECK_INT(SCAN(&f, "k=\"x\\ud83d\\ude00y\" j=\"\\uD83D\\uDE00\""), 0);
	CHECK_FIELD(&f, 0, "x\xf0\x9f\x98\x80y");
	CHECK_FIELD(&f, 1, "\xf0\x9f\x98\x80");
	CHECK_INT(SCAN(&f, "k=\"\\uD800\\uDC00\" j=\"\\udbff\\udfff\""), 0);
	CHECK_FIELD(&f, 0, "\xf0\x90\x80\x80");
	CHECK_FIELD(&f, 1, "\xf4\x8f\xbf\xbf");
	/* The next word may follow the closing " at once. */
	CHECK_INT(SCAN(&f, "k=\"a\"j=b"), 0);
	CHECK_FIELD(&f, 0, "a");
	CHECK_FIELD(&f, 1, "b");
	CHECK_PAIR(&f, "k", "a", 0);
	CHECK_PAIR(&f, "j", "b", 5);
	CHECK_INT(SCAN(&f, "k=\"a\\tb\"j=\"c\"c"), 0);
	CHECK_FIELD(&f, 0, "a\tb");
	CHECK_FIELD(&f, 1, "c");
	CHECK_FIELD(&f, 2, "");
	CHECK_ABSENT(&f, 5);
	/* Control bytes and invalid UTF-8 are kept, escapes or not. */
	CHECK_INT(SCAN(&f, "k=\"\x01\xff\xc0\xaf\n\x7f\" j=\"\\t\x01\xff\""),
	    0);
	CHECK_FIELD(&f, 0, "\x01\xff\xc0\xaf\n\x7f");
	CHECK_FIELD(&f, 1, "\t\x01\xff");
	CHECK_INT(SCAN(&f, "k=\"\xed\xa0\x80\0\""), 0);
	CHECK_FIELD(&f, 0, "\xed\xa0\x80\0");
	/* Only the first byte after = opens a quoted value. */
	CHECK_INT(SCAN(&f, "k=a\"b c\" j=d"), 0);
	CHECK_FIELD(&f, 0, "a\"b");
	CHECK_FIELD(&f, 4, "");
	CHECK_FIELD(&f, 1, "d");
	CHECK_INT(SCAN(&f, "k= \"a\""), 0);
	CHECK_FIELD(&f, 0, "");
	CHECK_FIELD(&f, 3, "");
	CHECK_ABSENT(&f, 5);
	/* After a closing ", a " is a key's byte, not a quote. */
	CHECK_INT(SCAN(&f, "k=\"a\"c\""), 0);
	CHECK_FIELD(&f, 0, "a");
	CHECK_FIELD(&f, 4, "");
	fx_free(&f);
}

/* Rule 5: a bare value runs to the next blank, = and " included. */
static void
test_bare_values(void)
{
	static const char *const k[] = { "k", "j", "b" };
	struct fx f = fx_new(k, 3, 1, 64);

	CHECK_INT(SCAN(&f, "k=a=b"), 0);
	CHECK_FIELD(&f, 0, "a=b");
	CHECK_ABSENT(&f, 2);
	CHECK_INT(SCAN(&f, "k=b\"c j=d\"\""), 0);
	CHECK_FIELD(&f, 0, "b\"c");
	CHECK_FIELD(&f, 1, "d\"\"");
	CHECK_INT(SCAN(&f, "k== j=\\n"), 0);
	CHECK_FIELD(&f, 0, "=");
	CHECK_FIELD(&f, 1, "\\n");
	CHECK_INT(SCAN(&f, "k=/q?a=1&b=\"2\"\tj=\x7f\x80\xff"), 0);
	CHECK_FIELD(&f, 0, "/q?a=1&b=\"2\"");
	CHECK(in_line(&f, 0));
	CHECK_FIELD(&f, 1, "\x7f\x80\xff");
	CHECK_ABSENT(&f, 2);
	CHECK_ABSENT(&f, 3);
	fx_free(&f);
}

/* Rule 6: the last occurrence of a key wins. */
static void
test_last_wins(void)
{
	static const char *const k[] = { "k", "j" };
	struct fx f = fx_new(k, 2, 0, 64);

	CHECK_INT(SCAN(&f, "k=1 j=a k=2 k=3"), 0);
	CHECK_FIELD(&f, 0, "3");
	CHECK_FIELD(&f, 1, "a");
	CHECK_PAIR(&f, "k", "1", 0);
	CHECK_PAIR(&f, "j", "a", 4);
	CHECK_PAIR(&f, "k", "2", 8);
	CHECK_PAIR(&f, "k", "3", 12);
	CHECK_NO_PAIR(&f);
	CHECK_INT(SCAN(&f, "k=\"a\\tb\" k=plain"), 0);
	CHECK_FIELD(&f, 0, "plain");
	CHECK(in_line(&f, 0));
	CHECK_INT(SCAN(&f, "k=plain k=\"a\\tb\""), 0);
	CHECK_FIELD(&f, 0, "a\tb");
	CHECK_INT(SCAN(&f, "k=\"a\\tb\" x j=\"c\\nd\" k=\"e\\\"f\""), 0);
	CHECK_FIELD(&f, 0, "e\"f");
	CHECK_FIELD(&f, 1, "c\nd");
	CHECK_INT(SCAN(&f, "k=1 k"), 0);
	CHECK_FIELD(&f, 0, "");
	CHECK_INT(SCAN(&f, "k=1 k="), 0);
	CHECK_FIELD(&f, 0, "");
	fx_free(&f);
}

/* Rule 7: the leading words, alone and with a key of their slot. */
static void
test_leading(void)
{
	static const char *const k[] = { "level", "customer" };
	struct fx f = fx_new(k, 2, 1, 64);
	const char *cause;
	int slot;

	CHECK_INT(SCAN(&f, "2026-11-21T00:07:43.402Z level=info"), 0);
	CHECK_FIELD(&f, 2, "2026-11-21T00:07:43.402Z");
	CHECK(logfmt_fields(f.lf)[2].p == f.copy);
	CHECK_FIELD(&f, 0, "info");
	CHECK_INT(SCAN(&f, "2026-11-21 10:15:09 level=info customer=C1"), 0);
	CHECK_FIELD(&f, 2, "2026-11-21 10:15:09");
	CHECK_INT(SCAN(&f, "  a \t b  level=x c"), 0);
	CHECK_FIELD(&f, 2, "a \t b");
	CHECK(logfmt_fields(f.lf)[2].p == f.copy + 2);
	CHECK_INT(SCAN(&f, "level=info 2026-11-21"), 0);
	CHECK_ABSENT(&f, 2);
	CHECK_INT(SCAN(&f, "a b c   "), 0);
	CHECK_FIELD(&f, 2, "a b c");
	CHECK_INT(SCAN(&f, "a k=\"x\" b"), 0);
	CHECK_FIELD(&f, 2, "a");
	CHECK_INT(SCAN(&f, "=x a b"), 0);
	CHECK_ABSENT(&f, 2);
	CHECK_INT(SCAN(&f, "\"a b\" k=v"), 0);
	CHECK_FIELD(&f, 2, "\"a b\"");
	/* A leading word that is a key is a bare key too. */
	CHECK_INT(SCAN(&f, "customer level=x"), 0);
	CHECK_FIELD(&f, 1, "");
	CHECK_FIELD(&f, 2, "customer");
	fx_free(&f);

	/* The leading words in the slot of time, ts: the keys win. */
	f = fx_keys();
	CHECK_INT(logfmt_keys_add(f.ks, "time", 4, &cause), 0);
	CHECK_INT(logfmt_keys_alias(f.ks, 0, "ts", 2, &cause), 0);
	CHECK_INT(logfmt_keys_add(f.ks, "level", 5, &cause), 1);
	CHECK_INT(logfmt_keys_leading(f.ks, 0, &cause), 0);
	CHECK_INT(logfmt_keys_leading(f.ks, 0, &cause), 0);
	CHECK_INT(logfmt_keys_nslots(f.ks), 2);
	fx_open(&f, 64);
	CHECK_INT(SCAN(&f, "2026-11-21 10:15:09 level=info"), 0);
	CHECK_FIELD(&f, 0, "2026-11-21 10:15:09");
	CHECK_FIELD(&f, 1, "info");
	CHECK_INT(SCAN(&f, "2026-11-21 time=T1"), 0);
	CHECK_FIELD(&f, 0, "T1");
	CHECK_INT(SCAN(&f, "2026-11-21 ts=T2 level=x"), 0);
	CHECK_FIELD(&f, 0, "T2");
	CHECK_INT(SCAN(&f, "2026 ts=A time=\"B\\tC\""), 0);
	CHECK_FIELD(&f, 0, "B\tC");
	CHECK_INT(SCAN(&f, "time=T1 2026"), 0);
	CHECK_FIELD(&f, 0, "T1");
	CHECK_INT(SCAN(&f, "time"), 0);	/* the key occurs: it wins */
	CHECK_FIELD(&f, 0, "");
	CHECK_INT(SCAN(&f, "level=x"), 0);
	CHECK_ABSENT(&f, 0);
	/* logfmt_keys_leading()'s refusals. */
	cause = NULL;
	CHECK_INT(logfmt_keys_leading(f.ks, 1, &cause), -1);
	CHECK(cause != NULL);
	cause = NULL;
	CHECK_INT(logfmt_keys_leading(f.ks, -1, &cause), -1);
	CHECK(cause != NULL);
	CHECK_INT(logfmt_keys_nslots(f.ks), 2);
	fx_free(&f);

	f = fx_keys();
	CHECK_INT(logfmt_keys_add(f.ks, "a", 1, &cause), 0);
	cause = NULL;
	CHECK_INT(logfmt_keys_leading(f.ks, 1, &cause), -1);
	CHECK_STR(cause, "no such slot");
	cause = NULL;
	CHECK_INT(logfmt_keys_leading(f.ks, -2, &cause), -1);
	CHECK_STR(cause, "no such slot");
	slot = logfmt_keys_leading(f.ks, -1, &cause);
	CHECK_INT(slot, 1);
	CHECK_INT(logfmt_keys_nslots(f.ks), 2);
	CHECK_INT(logfmt_keys_leading(f.ks, 1, &cause), 1);
	cause = NULL;
	CHECK_INT(logfmt_keys_leading(f.ks, 0, &cause), -1);
	CHECK(cause != NULL);
	fx_free(&f);
}

/* Aliases: more names for a slot. */
static void
test_aliases(void)
{
	struct fx f = fx_keys();
	const char *cause;

	CHECK_INT(logfmt_keys_add(f.ks, "time", 4, &cause), 0);
	CHECK_INT(logfmt_keys_alias(f.ks, 0, "ts", 2, &cause), 0);
	CHECK_INT(logfmt_keys_alias(f.ks, 0, "timestamp", 9, &cause), 0);
	CHECK_INT(logfmt_keys_add(f.ks, "customer", 8, &cause), 1);
	CHECK_INT(logfmt_keys_alias(f.ks, 1, "cust", 4, &cause), 0);
	/* A name added before, as a name or an alias: its slot. */
	CHECK_INT(logfmt_keys_add(f.ks, "ts", 2, &cause), 0);
	CHECK_INT(logfmt_keys_add(f.ks, "cust", 4, &cause), 1);
	CHECK_INT(logfmt_keys_add(f.ks, "customer", 8, &cause), 1);
	/* Again to its own slot: a no-op. */
	CHECK_INT(logfmt_keys_alias(f.ks, 0, "time", 4, &cause), 0);
	CHECK_INT(logfmt_keys_alias(f.ks, 0, "ts", 2, &cause), 0);
	cause = NULL;
	CHECK_INT(logfmt_keys_alias(f.ks, 1, "ts", 2, &cause), -1);
	CHECK_STR(cause, "the key already fills another slot");
	cause = NULL;
	CHECK_INT(logfmt_keys_alias(f.ks, 0, "customer", 8, &cause), -1);
	CHECK_STR(cause, "the key already fills another slot");
	cause = NULL;
	CHECK_INT(logfmt_keys_alias(f.ks, 2, "x", 1, &cause), -1);
	CHECK_STR(cause, "no such slot");
	cause = NULL;
	CHECK_INT(logfmt_keys_alias(f.ks, -1, "x", 1, &cause), -1);
	CHECK_STR(cause, "no such slot");
	cause = NULL;
	CHECK_INT(logfmt_keys_alias(f.ks, 0, "", 0, &cause), -1);
	CHECK(cause != NULL);
	cause = NULL;
	CHECK_INT(logfmt_keys_alias(f.ks, 0, "a b", 3, &cause), -1);
	CHECK(cause != NULL);
	cause = NULL;
	CHECK_INT(logfmt_keys_alias(f.ks, 0, "a=b", 3, &cause), -1);
	CHECK(cause != NULL);
	CHECK_INT(logfmt_keys_nslots(f.ks), 2);
	fx_open(&f, 64);
	CHECK_INT(SCAN(&f, "ts=1 customer=C cust=D"), 0);
	CHECK_FIELD(&f, 0, "1");
	CHECK_FIELD(&f, 1, "D");
	CHECK_INT(SCAN(&f, "timestamp=3 time=4 ts=5 tim=6"), 0);
	CHECK_FIELD(&f, 0, "5");
	CHECK_ABSENT(&f, 1);
	CHECK_INT(SCAN(&f, "timestamp=\"a b\""), 0);
	CHECK_FIELD(&f, 0, "a b");
	fx_free(&f);
}

/* logfmt_keys_add(): slots in order, and the names no line can hold. */
static void
test_keys_add(void)
{
	static const struct {
		const char	*name;
		size_t		 len;
	} bad[] = {
		{ "a b", 3 }, { "a\tb", 3 }, { "a=b", 3 }, { "=", 1 },
		{ "a\0b", 3 }, { "\x1f", 1 }, { " a", 2 }, { "a\n", 2 },
		{ "a\r", 2 }, { "\0", 1 },
	};
	struct logfmt_keys *ks = logfmt_keys_new();
	const char *cause;
	char name[16];
	size_t i;
	int slot, ok;

	CHECK_INT(logfmt_keys_nslots(ks), 0);
	CHECK_INT(logfmt_keys_add(ks, "a", 1, &cause), 0);
	CHECK_INT(logfmt_keys_add(ks, "b", 1, &cause), 1);
	CHECK_INT(logfmt_keys_add(ks, "a", 1, &cause), 0);
	CHECK_INT(logfmt_keys_add(ks, "ab", 1, &cause), 0);	/* len 1 */
	CHECK_INT(logfmt_keys_nslots(ks), 2);
	cause = NULL;
	CHECK_INT(logfmt_keys_add(ks, "", 0, &cause), -1);
	CHECK_STR(cause, "empty key name");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cause = NULL;
		CHECK_INT(logfmt_keys_add(ks, bad[i].name, bad[i].len, &cause),
		    -1);
		CHECK_STR(cause, "a key name cannot hold a blank, a control "
		    "byte or =");
	}
	CHECK_INT(logfmt_keys_nslots(ks), 2);
	/* Bytes that are not blanks are fine. */
	CHECK_INT(logfmt_keys_add(ks, "\x7f", 1, &cause), 2);
	CHECK_INT(logfmt_keys_add(ks, "\x80\xff", 2, &cause), 3);
	CHECK_INT(logfmt_keys_add(ks, "\"q\"", 3, &cause), 4);
	CHECK_INT(logfmt_keys_add(ks, "a!b", 3, &cause), 5);
	logfmt_keys_free(ks);
	logfmt_keys_free(NULL);
	logfmt_free(NULL);

	/* 65535 names at most, aliases included. */
	ks = logfmt_keys_new();
	for (i = 0, ok = 1; i < 65535; i++) {
		snprintf(name, sizeof(name), "k%zu", i);
		if (i % 2 == 0)
			slot = logfmt_keys_add(ks, name, strlen(name), &cause);
		else
			slot = logfmt_keys_alias(ks, (int)(i / 2), name,
			    strlen(name), &cause) == 0 ? (int)i : -1;
		ok = ok && slot == (i % 2 == 0 ? (int)(i / 2) : (int)i);
	}
	CHECK(ok);
	CHECK_INT(logfmt_keys_nslots(ks), 32768);
	cause = NULL;
	CHECK_INT(logfmt_keys_add(ks, "more", 4, &cause), -1);
	CHECK_STR(cause, "too many key names (65535)");
	cause = NULL;
	CHECK_INT(logfmt_keys_alias(ks, 0, "more", 4, &cause), -1);
	CHECK_STR(cause, "too many key names (65535)");
	CHECK_INT(logfmt_keys_add(ks, "k65534", 6, &cause), 32767);
	CHECK_INT(logfmt_keys_add(ks, "k0", 2, &cause), 0);
	{
		struct logfmt *lf = logfmt_new(ks, 64);
		const char *why;
		size_t off;

		CHECK_INT(logfmt_scan(lf, "k65533=x k1=y", 13, &why, &off), 0);
		CHECK(logfmt_fields(lf)[32766].present &&
		    logfmt_fields(lf)[32766].len == 1);
		CHECK(logfmt_fields(lf)[0].present &&
		    logfmt_fields(lf)[0].p[0] == 'y');
		logfmt_free(lf);
	}
	logfmt_keys_free(ks);
}

/* Rule 8: the refusals, their reasons and offsets, the leftmost one. */
static void
test_refusals(void)
{
	static const char *const k[] = { "k", "j" };
	struct fx f = fx_new(k, 2, 1, 64);

	CHECK_REFUSED(&f, "k=\"abc", UNTERM, 2);
	CHECK_REFUSED(&f, "k=\"", UNTERM, 2);
	CHECK_REFUSED(&f, "k=\"abc\\\"", UNTERM, 2);
	CHECK_REFUSED(&f, "k=\"abc\\", UNTERM, 2);
	CHECK_REFUSED(&f, "j=1 k=\"abc\\\\\\\"", UNTERM, 6);
	CHECK_REFUSED(&f, "k=\"a\\ud800", UNTERM, 2);
	CHECK_REFUSED(&f, "k=\"\\x\" j=\"", BADESC, 3);
	/* Unknown escapes. */
	CHECK_REFUSED(&f, "k=\"\\x\"", BADESC, 3);
	CHECK_REFUSED(&f, "k=\"ab\\a\"", BADESC, 5);
	CHECK_REFUSED(&f, "k=\"\\U0001F600\"", BADESC, 3);
	CHECK_REFUSED(&f, "k=\"\\0\"", BADESC, 3);
	CHECK_REFUSED(&f, "k=\"\\ \"", BADESC, 3);
	CHECK_REFUSED(&f, "k=\"\\v\"", BADESC, 3);
	CHECK_REFUSED(&f, "k=\"\\e\"", BADESC, 3);
	CHECK_REFUSED(&f, "k=\"\\\x80\"", BADESC, 3);
	CHECK_REFUSED(&f, "k=\"\\\n\"", BADESC, 3);
	CHECK_REFUSED(&f, "k=\"\\N\"", BADESC, 3);
	/* \u without 4 hex digits inside the value. */
	CHECK_REFUSED(&f, "k=\"ab\\u12\"", BADU, 5);
	CHECK_REFUSED(&f, "k=\"\\u12g4\"", BADU, 3);
	CHECK_REFUSED(&f, "k=\"\\u\"", BADU, 3);
	CHECK_REFUSED(&f, "k=\"\\u123\"4", BADU, 3);
	CHECK_REFUSED(&f, "k=\"\\uGGGG\"", BADU, 3);
	CHECK_REFUSED(&f, "k=\"\\u 123\"", BADU, 3);
	CHECK_REFUSED(&f, "k=\"\\u+123\"", BADU, 3);
	/* Lone surrogates, reported at the surrogate's backslash. */
	CHECK_REFUSED(&f, "k=\"\\ud800\"", LONE, 3);
	CHECK_REFUSED(&f, "k=\"\\ud800x\"", LONE, 3);
	CHECK_REFUSED(&f, "k=\"\\ud800\\u0041\"", LONE, 3);
	CHECK_REFUSED(&f, "k=\"\\ud800\\ud800\"", LONE, 3);
	CHECK_REFUSED(&f, "k=\"\\ud800\\ue000\"", LONE, 3);
	CHECK_REFUSED(&f, "k=\"\\ud800\\u12\"", LONE, 3);
	CHECK_REFUSED(&f, "k=\"\\ud800\\\"\"", LONE, 3);
	CHECK_REFUSED(&f, "k=\"\\ud800 \\udc00\"", LONE, 3);
	CHECK_REFUSED(&f, "k=\"\\udbff\\udbff\\udc00\"", LONE, 3);
	CHECK_REFUSED(&f, "k=\"\\udc00\"", LONE, 3);
	CHECK_REFUSED(&f, "k=\"\\udc00\\udc00\"", LONE, 3);
	CHECK_REFUSED(&f, "k=\"\\uDFFF\\uDFFF\"", LONE, 3);
	CHECK_REFUSED(&f, "k=\"\\uDFFF\\uD800\"", LONE, 3);
	CHECK_REFUSED(&f, "k=\"\\ud83d\\ude00\\udc00\"", LONE, 15);
	CHECK_REFUSED(&f, "k=\"a\\ud83d\\ude00\\ud83d\"", LONE, 16);
	/* The leftmost fault, whichever it is. */
	CHECK_REFUSED(&f, "k=\"\\x\" j=\"\\u12\"", BADESC, 3);
	CHECK_REFUSED(&f, "k=\"\\u12\" j=\"\\x\"", BADU, 3);
	CHECK_REFUSED(&f, "k=\"\\u12\\x\"", BADU, 3);
	CHECK_REFUSED(&f, "k=\"\\x\\u12\"", BADESC, 3);
	CHECK_REFUSED(&f, "k=\"\\udc00\\x\"", LONE, 3);
	CHECK_REFUSED(&f, "j=1 k=\"ok\" j=\"\\q\" k=\"", BADESC, 14);
	CHECK_REFUSED(&f, "a=\"x\" b=\"open", UNTERM, 8);
	CHECK_REFUSED(&f, "a=\"x\" b=\"\\q", UNTERM, 8);
	/* A refusal takes back the fields filled before the fault. */
	CHECK_INT(SCAN(&f, "k=1 j=2"), 0);
	CHECK_FIELD(&f, 0, "1");
	CHECK_REFUSED(&f, "k=1 lead j=\"\\x\"", BADESC, 12);
	CHECK_ABSENT(&f, 0);
	CHECK_ABSENT(&f, 1);
	CHECK_ABSENT(&f, 2);
	CHECK_INT(SCAN(&f, "lead k=1"), 0);
	CHECK_FIELD(&f, 0, "1");
	CHECK_FIELD(&f, 2, "lead");
	CHECK_BARE(&f, "lead", 0);
	CHECK_PAIR(&f, "k", "1", 5);
	CHECK_NO_PAIR(&f);
	fx_free(&f);
}

/* What is not a fault: rules 2 and 5 read it. */
static void
test_not_refused(void)
{
	static const char *const k[] = { "k", "j", "b\"", "\"k" };
	struct fx f = fx_new(k, 4, 1, 64);

	CHECK_INT(SCAN(&f, "k=\\x j=a\"b"), 0);
	CHECK_FIELD(&f, 0, "\\x");
	CHECK_FIELD(&f, 1, "a\"b");
	CHECK_INT(SCAN(&f, "k=\"a\"b\""), 0);
	CHECK_FIELD(&f, 0, "a");
	CHECK_FIELD(&f, 2, "");
	CHECK_INT(SCAN(&f, "\"k=1 k\"=2"), 0);
	CHECK_FIELD(&f, 3, "1");
	CHECK_ABSENT(&f, 0);
	CHECK_INT(SCAN(&f, "\" j"), 0);
	CHECK_FIELD(&f, 4, "\" j");
	CHECK_FIELD(&f, 1, "");
	fx_free(&f);
}

/* Fields and pairs stay valid until the next logfmt_scan(). */
static void
test_lifetime(void)
{
	static const char *const k[] = { "k", "j" };
	static const char line[] = "k=\"a\\tb\" j=\"c\\nd\" x=\"e\\\"f\" y=g";
	struct fx f = fx_new(k, 2, 0, 8);
	struct logfmt_pair p[8];
	struct logfmt_keys *none;
	struct logfmt *lf;
	const char *why;
	size_t n, off;

	CHECK_INT(SCAN(&f, line), 0);
	for (n = 0; n < 8 && logfmt_next(f.lf, &p[n]) == 1; n++)
		;
	CHECK_INT(n, 4);
	CHECK_NO_PAIR(&f);
	CHECK_NO_PAIR(&f);
	CHECK(p[0].vallen == 3 && memcmp(p[0].val, "a\tb", 3) == 0);
	CHECK(p[1].vallen == 3 && memcmp(p[1].val, "c\nd", 3) == 0);
	CHECK(p[2].vallen == 3 && memcmp(p[2].val, "e\"f", 3) == 0);
	CHECK(p[3].vallen == 1 && p[3].val == f.copy + sizeof(line) - 2);
	CHECK(p[2].keylen == 1 && p[2].key[0] == 'x' && p[2].off == 18);
	CHECK_FIELD(&f, 0, "a\tb");
	CHECK_FIELD(&f, 1, "c\nd");
	/* Each scan starts the pairs again, from a half-read list too. */
	CHECK_INT(SCAN(&f, line), 0);
	CHECK_PAIR(&f, "k", "a\tb", 0);
	CHECK_INT(SCAN(&f, line), 0);
	CHECK_PAIR(&f, "k", "a\tb", 0);
	CHECK_PAIR(&f, "j", "c\nd", 9);
	CHECK_INT(SCAN(&f, "y=1"), 0);
	CHECK_PAIR(&f, "y", "1", 0);
	CHECK_NO_PAIR(&f);
	CHECK_ABSENT(&f, 0);
	/* Nothing scanned yet: no pairs; no slots: fields not NULL. */
	none = logfmt_keys_new();
	lf = logfmt_new(none, 0);
	CHECK(logfmt_fields(lf) != NULL);
	CHECK(logfmt_next(lf, &p[0]) == 0);
	CHECK_INT(logfmt_scan(lf, "a=1", 3, &why, &off), 0);
	CHECK(logfmt_next(lf, &p[0]) == 1 && p[0].vallen == 1);
	logfmt_free(lf);
	logfmt_keys_free(none);
	fx_free(&f);
}

/* Append the string t at line + len; return the new length. */
static size_t
put(char *line, size_t len, const char *t)
{
	memcpy(line + len, t, strlen(t));
	return len + strlen(t);
}

/* Lines longer than maxline: the buffer grows, values stay right. */
static void
test_growth(void)
{
	static const char *const k[] = { "k", "j" };
	struct fx f = fx_new(k, 2, 0, 4), z = fx_new(k, 2, 0, 0);
	struct logfmt_pair p, *pairs;
	char *line = xmalloc(200000), *want = xmalloc(8000);
	size_t i, len, n;
	int ok;

	/* k: 3000 tabs written \t; j: 5000 x. */
	len = put(line, 0, "k=\"");
	for (i = 0; i < 3000; i++)
		len = put(line, len, "\\t");
	len = put(line, len, "\" j=");
	memset(line + len, 'x', 5000);
	len += 5000;
	CHECK_INT(fx_scan_mem(&f, line, len), 0);
	memset(want, '\t', 3000);
	check_field(&f, 0, want, 3000, __LINE__);
	CHECK(logfmt_next(f.lf, &p) == 1 && p.vallen == 3000 &&
	    memcmp(p.val, want, 3000) == 0);
	memset(want, 'x', 5000);
	check_field(&f, 1, want, 5000, __LINE__);
	CHECK(logfmt_next(f.lf, &p) == 1 && p.vallen == 5000 &&
	    memcmp(p.val, want, 5000) == 0 && p.off == 6005);
	CHECK_NO_PAIR(&f);
	/* A short line after it; then 10000 escaped values, all held. */
	CHECK_INT(SCAN(&f, "k=1"), 0);
	CHECK_FIELD(&f, 0, "1");
	for (len = 0, i = 0; i < 10000; i++)
		len = put(line, len, i % 2 ? "j=\"\\n\\u00e9\" " :
		    "k=\"\\ud83d\\ude00\"");
	CHECK_INT(fx_scan_mem(&f, line, len), 0);
	CHECK_FIELD(&f, 0, "\xf0\x9f\x98\x80");
	CHECK_FIELD(&f, 1, "\n\xc3\xa9");
	pairs = xreallocarray(NULL, 10001, sizeof(*pairs));
	for (n = 0; n < 10001 && logfmt_next(f.lf, &pairs[n]) == 1; n++)
		;
	CHECK_INT(n, 10000);
	for (ok = 1, i = 0; i < n; i++)
		ok = ok && (i % 2 ? pairs[i].vallen == 3 &&
		    memcmp(pairs[i].val, "\n\xc3\xa9", 3) == 0 :
		    pairs[i].vallen == 4 &&
		    memcmp(pairs[i].val, "\xf0\x9f\x98\x80", 4) == 0) &&
		    pairs[i].off == (i / 2) * 29 + (i % 2) * 16;
	CHECK(ok);
	CHECK_FIELD(&f, 0, "\xf0\x9f\x98\x80");
	CHECK_FIELD(&f, 1, "\n\xc3\xa9");
	free(pairs);
	/* A scanner made for lines of 0 bytes. */
	CHECK_INT(SCAN(&z, "k=\"\\t\" j=\"\\u00e9\""), 0);
	CHECK_FIELD(&z, 0, "\t");
	CHECK_FIELD(&z, 1, "\xc3\xa9");
	CHECK_INT(fx_scan_mem(&z, line, len), 0);
	CHECK_FIELD(&z, 1, "\n\xc3\xa9");
	/*
	 * Every length of line up to 300 bytes, on a scanner made for
	 * lines of about half that: one escape, so that the whole value is
	 * unescaped, once by logfmt_scan() and once by logfmt_next().
	 */
	for (ok = 1, len = 6; len <= 300; len++) {
		struct fx g = fx_new(k, 2, 0, len / 2);

		n = put(line, 0, "k=\"\\t");
		memset(line + n, 'A', len - n - 1);
		line[len - 1] = '"';
		memset(want, 'A', len);
		want[0] = '\t';
		ok = ok && fx_scan_mem(&g, line, len) == 0 &&
		    logfmt_fields(g.lf)[0].len == len - 5 &&
		    memcmp(logfmt_fields(g.lf)[0].p, want, len - 5) == 0 &&
		    logfmt_next(g.lf, &p) == 1 && p.vallen == len - 5 &&
		    memcmp(p.val, want, len - 5) == 0 &&
		    logfmt_next(g.lf, &p) == 0;
		fx_free(&g);
	}
	CHECK(ok);
	fx_free(&f);
	fx_free(&z);
	free(line);
	free(want);
}

/*
 * Keys and values of every length from 1 (0 for values) to 40 bytes,
 * after 0 to 19 bytes of other words, with nothing, a bare word or
 * another pair after them: the ends of keys and values fall on every
 * byte of a 16-byte load and past it, and near the line's end.
 */
static void
test_word_lengths(void)
{
	static const char *const tails[] = { "", " y", " z=2", "\t", "\0w" };
	char key[48], val[48], line[160];
	const char *k[1];
	size_t kl, vl, pad, t, n, tl;
	int bad = 0;

	k[0] = key;
	for (kl = 1; kl <= 40; kl++) {
		struct fx f;
		const struct logfmt_field *v;

		memset(key, 'k', kl);
		key[kl] = '\0';
		f = fx_new(k, 1, 0, 8);
		v = logfmt_fields(f.lf);
		for (vl = 0; vl <= 40; vl++) {
			memset(val, 'v', vl);
			val[vl] = '\0';
			for (pad = 0; pad < 20; pad++)
				for (t = 0; t < 5; t++) {

					memset(line, 'x', pad);
					n = pad;
					if (pad > 0)
						line[n - 1] = ' ';
					memcpy(line + n, key, kl);
					n += kl;
					line[n++] = '=';
					memcpy(line + n, val, vl);
					n += vl;
					tl = t == 4 ? 2 : strlen(tails[t]);
					memcpy(line + n, tails[t], tl);
					n += tl;
					if (fx_scan_mem(&f, line, n) != 0 ||
					    !v[0].present || v[0].len != vl ||
					    v[0].p != f.copy + pad + kl + 1) {
						if (bad++ < 5)
							fail_at(__LINE__,
							    "\"%s\": key %zu, "
							    "value %zu", show(line,
							    n), kl, vl);
					}
					/* The same key bare, at the end. */
					n = pad + kl;
					if (fx_scan_mem(&f, line, n) != 0 ||
					    !v[0].present || v[0].len != 0) {
						if (bad++ < 5)
							fail_at(__LINE__,
							    "\"%s\": bare key "
							    "%zu", show(line, n),
							    kl);
					}
				}
		}
		fx_free(&f);
	}
	CHECK_INT(bad, 0);
}

/* What logfmt_has_key() must say, byte by byte as logfmt.h words it. */
static int
ref_has_key(const char *line, size_t len, const char *key, size_t klen)
{
	size_t k;

	for (k = 0; k + klen < len; k++)
		if (memcmp(line + k, key, klen) == 0 && line[k + klen] == '=' &&
		    (k == 0 || (unsigned char)line[k - 1] <= 0x20))
			return 1;
	return 0;
}

static int
has_key_mem(const char *line, size_t len, const char *key)
{
	char *copy = xmalloc(len > 0 ? len : 1);
	int rc;

	memcpy(copy, line, len);
	rc = logfmt_has_key(copy, len, key, strlen(key));
	free(copy);
	return rc;
}

#define HAS_KEY(lit, key)	has_key_mem((lit), sizeof(lit) - 1, (key))

/*
 * logfmt_has_key(): by hand, then random lines of pieces of keys against
 * ref_has_key(), for keys shorter and longer than a 64-bit word and than
 * a 16-byte load, from heap copies of exactly the line.
 */
static void
test_has_key(void)
{
	static const char *const keys[] = { "customer", "c", "cu", "custom",
	    "customer_id", "a_customer_identifier" };
	static const char *const bits[] = { "c", "u", "customer", "customer=",
	    "=", " ", "\t", "\n", "\0", "\"", "x", "r=", "_id", "ab=cd",
	    "a_customer_identifier", "\x80", "!" };
	char line[200];
	uint64_t x = 12345;
	size_t i, k, n, len;
	int bad = 0;

	CHECK_INT(HAS_KEY("customer=C1", "customer"), 1);
	CHECK_INT(HAS_KEY("a=1 customer=C1", "customer"), 1);
	CHECK_INT(HAS_KEY("a=1\tcustomer=", "customer"), 1);
	CHECK_INT(HAS_KEY("a=1\0customer=C1", "customer"), 1);
	CHECK_INT(HAS_KEY("a=\" customer=C1\"", "customer"), 1);
	CHECK_INT(HAS_KEY("a=\"x\"customer=C1", "customer"), 0);
	CHECK_INT(HAS_KEY("xcustomer=C1", "customer"), 0);
	CHECK_INT(HAS_KEY("customer C1", "customer"), 0);
	CHECK_INT(HAS_KEY("customer", "customer"), 0);
	CHECK_INT(HAS_KEY("customer_id=1", "customer"), 0);
	CHECK_INT(HAS_KEY("custome=1", "customer"), 0);
	CHECK_INT(HAS_KEY("", "customer"), 0);
	CHECK_INT(HAS_KEY("=", "c"), 0);
	CHECK_INT(HAS_KEY("c=", "c"), 1);
	CHECK_INT(HAS_KEY("a=b=c c=", "c"), 1);
	CHECK_INT(HAS_KEY("a=b=c=", "c"), 0);
	for (i = 0; i < 100000; i++) {
		for (len = 0, n = (size_t)(x >> 33) % 24; n > 0; n--) {
			const char *b;
			size_t bl;

			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			b = bits[(x >> 40) % (sizeof(bits) / sizeof(bits[0]))];
			bl = *b == '\0' ? 1 : strlen(b);
			if (len + bl > sizeof(line))
				break;
			memcpy(line + len, b, bl);
			len += bl;
		}
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		k = (size_t)(x >> 41) % (sizeof(keys) / sizeof(keys[0]));
		if (has_key_mem(line, len, keys[k]) !=
		    ref_has_key(line, len, keys[k], strlen(keys[k])) &&
		    bad++ < 5)
			fail_at(__LINE__, "\"%s\", key %s: %d", show(line, len),
			    keys[k], has_key_mem(line, len, keys[k]));
	}
	CHECK_INT(bad, 0);
}

/*
 * logfmt_claimed(): a word "customer=..." at the start or after a blank,
 * in a line read; logfmt_keys_claim() names the key.
 */
static void
test_claimed(void)
{
	static const char *const k[] = { "customer", "event" };
	struct fx f = fx_new(k, 2, 1, 64);
	const char *cause = NULL;

	CHECK_INT(logfmt_keys_claim(f.ks, "nope", 4, &cause), -1);
	CHECK(cause != NULL);
	CHECK_INT(logfmt_keys_claim(f.ks, "", 0, &cause), -1);
	/* Not named yet: no line is claimed. */
	CHECK_INT(SCAN(&f, "customer=C1"), 0);
	CHECK_INT(logfmt_claimed(f.lf), 0);
	CHECK_INT(logfmt_keys_claim(f.ks, "customer", 8, &cause), 0);
	CHECK_INT(SCAN(&f, "customer=C1"), 0);
	CHECK_INT(logfmt_claimed(f.lf), 1);
	CHECK_INT(SCAN(&f, "2026-11-21 level=info customer=C1 event=x"), 0);
	CHECK_INT(logfmt_claimed(f.lf), 1);
	CHECK_INT(SCAN(&f, "a=1\tcustomer=\"C1\""), 0);
	CHECK_INT(logfmt_claimed(f.lf), 1);
	CHECK_INT(SCAN(&f, "a=1 customer="), 0);
	CHECK_INT(logfmt_claimed(f.lf), 1);
	/* After a closing " with no blank: a word, but no claim. */
	CHECK_INT(SCAN(&f, "a=\"x\"customer=C1"), 0);
	CHECK_FIELD(&f, 0, "C1");
	CHECK_INT(logfmt_claimed(f.lf), 0);
	/* Bare, another key, inside a value: none. */
	CHECK_INT(SCAN(&f, "customer event=x"), 0);
	CHECK_INT(logfmt_claimed(f.lf), 0);
	CHECK_INT(SCAN(&f, "event=x"), 0);
	CHECK_INT(logfmt_claimed(f.lf), 0);
	CHECK_INT(SCAN(&f, "msg=\"a customer=C1\""), 0);
	CHECK_INT(logfmt_claimed(f.lf), 0);
	CHECK_INT(SCAN(&f, "xcustomer=C1 customer_id=2"), 0);
	CHECK_INT(logfmt_claimed(f.lf), 0);
	/* Refused: never. */
	CHECK_INT(SCAN(&f, "customer=C1 msg=\"open"), -1);
	CHECK_INT(logfmt_claimed(f.lf), 0);
	/* Naming another key moves the claim. */
	CHECK_INT(logfmt_keys_claim(f.ks, "event", 5, &cause), 0);
	CHECK_INT(SCAN(&f, "customer=C1"), 0);
	CHECK_INT(logfmt_claimed(f.lf), 0);
	CHECK_INT(SCAN(&f, "event=x"), 0);
	CHECK_INT(logfmt_claimed(f.lf), 1);
	fx_free(&f);
}

/* logfmt_unescaped(): the bytes of values not in the line. */
static void
test_unescaped(void)
{
	static const char *const k[] = { "k", "j" };
	struct fx f = fx_new(k, 2, 0, 64);

	CHECK_INT(SCAN(&f, "k=a j=\"b c\""), 0);
	CHECK_INT(logfmt_unescaped(f.lf), 0);
	CHECK_INT(SCAN(&f, "k=\"a\\tb\" j=\"\\u00e9\""), 0);
	CHECK_INT(logfmt_unescaped(f.lf), 5);
	CHECK_INT(SCAN(&f, "k=\"\\q\""), -1);
	CHECK_INT(logfmt_unescaped(f.lf), 0);
	fx_free(&f);
}

/*
 * logfmt_scan_into(): the fields in the caller's array, which
 * logfmt_fields() then returns, and flags for logfmt_claimed() and
 * logfmt_unescaped(); logfmt_scan() goes back to the scanner's own.
 */
static void
test_scan_into(void)
{
	static const char *const k[] = { "customer", "event" };
	struct fx f = fx_new(k, 2, 1, 64);
	struct logfmt_field mine[3];
	const struct logfmt_field *own;
	const char *why, *cause;
	size_t off;
	int rc;

	CHECK_INT(logfmt_keys_claim(f.ks, "customer", 8, &cause), 0);
	CHECK_INT(SCAN(&f, "event=a"), 0);
	own = logfmt_fields(f.lf);
	memset(mine, 0xff, sizeof(mine));
	rc = logfmt_scan_into(f.lf, mine, f.copy, f.len, &why, &off);
	CHECK_INT(rc, 0);
	CHECK(logfmt_fields(f.lf) == mine);
	CHECK(!mine[0].present && mine[0].p == NULL && mine[0].len == 0);
	CHECK(mine[1].present && mine[1].len == 1 && mine[1].p == f.copy + 6);
	CHECK(!mine[2].present);
	CHECK(own[1].present);		/* the scanner's own, as it was */
	CHECK_INT(SCAN(&f, "ts customer=C1 event=\"a\\tb\""), 0);
	rc = logfmt_scan_into(f.lf, mine, f.copy, f.len, &why, &off);
	CHECK_INT(rc, LOGFMT_CLAIMED | LOGFMT_UNESCAPED);
	CHECK(mine[0].present && mine[0].len == 2 && mine[2].present &&
	    mine[2].len == 2 && mine[2].p == f.copy);
	CHECK(mine[1].present && mine[1].len == 3 &&
	    memcmp(mine[1].p, "a\tb", 3) == 0);
	CHECK(logfmt_claimed(f.lf) && logfmt_unescaped(f.lf) == 3);
	CHECK_INT(SCAN(&f, "customer event=x"), 0);
	CHECK_INT(logfmt_scan_into(f.lf, mine, f.copy, f.len, &why, &off), 0);
	CHECK(mine[0].present && mine[0].len == 0);
	CHECK_INT(SCAN(&f, "customer=C1 event=\"open"), -1);
	CHECK_INT(logfmt_scan_into(f.lf, mine, f.copy, f.len, &why, &off),
	    -1);
	CHECK(off == 18 && why != NULL && !mine[0].present &&
	    !mine[1].present && !mine[2].present);
	CHECK(logfmt_fields(f.lf) == mine);
	CHECK_INT(SCAN(&f, "event=b"), 0);
	CHECK(logfmt_fields(f.lf) == own);
	CHECK_FIELD(&f, 1, "b");
	fx_free(&f);
}

/*
 * The common words' own paths (a time stamp first, then "key=value"
 * one blank after the other, the last of them within 16 bytes of the
 * end) give what the general one does: their edges, one by one.
 */
static void
test_fast_words(void)
{
	static const char *const k[] = { "customer", "event", "ts", "w" };
	struct fx f = fx_new(k, 4, 1, 64);
	const char *cause;

	CHECK_INT(logfmt_keys_claim(f.ks, "customer", 8, &cause), 0);
	/* The first word: a name, bare; 32 bytes, or ends at byte 31. */
	CHECK_INT(SCAN(&f, "event 2026-11-21T00:00:00.859Z customer=C1"), 0);
	CHECK_FIELD(&f, 1, "");
	CHECK_FIELD(&f, 4, "event 2026-11-21T00:00:00.859Z");
	CHECK_FIELD(&f, 0, "C1");
	CHECK_INT(logfmt_claimed(f.lf), 1);
	CHECK_INT(SCAN(&f, "0123456789abcdef0123456789abcdef customer=C1"), 0);
	CHECK_FIELD(&f, 4, "0123456789abcdef0123456789abcdef");
	CHECK_INT(SCAN(&f, "0123456789abcdef0123456789abcde customer=C1"), 0);
	CHECK_FIELD(&f, 4, "0123456789abcdef0123456789abcde");
	/* First words with =: not leading; the first is a word too. */
	CHECK_INT(SCAN(&f, "ts=2026-11-21T00:00:00.859Z customer=C1 w=3"), 0);
	CHECK_ABSENT(&f, 4);
	CHECK_FIELD(&f, 2, "2026-11-21T00:00:00.859Z");
	CHECK_INT(SCAN(&f, "=2026-11-21T00:00:00.859Z event=x customer=C1"), 0);
	CHECK_ABSENT(&f, 4);
	CHECK_FIELD(&f, 1, "x");
	/* Words of every kind after the first, each in turn. */
	CHECK_INT(SCAN(&f, "2026-11-21T00:00:00.859Z customer=C1 =x event "
	    "w=a=b\"c  event=\"d e\" customer=C2 w= ts=0123456789abcdefghij"
	    " w=1"), 0);
	CHECK_FIELD(&f, 0, "C2");
	CHECK_FIELD(&f, 1, "d e");
	CHECK_FIELD(&f, 2, "0123456789abcdefghij");
	CHECK_FIELD(&f, 3, "1");
	CHECK_FIELD(&f, 4, "2026-11-21T00:00:00.859Z");
	CHECK_INT(SCAN(&f, "2026-11-21T00:00:00.859Z level=info w=9 "
	    "customer="), 0);
	CHECK_FIELD(&f, 0, "");
	CHECK_FIELD(&f, 3, "9");
	CHECK_INT(logfmt_claimed(f.lf), 1);
	CHECK_INT(SCAN(&f, "2026-11-21T00:00:00.859Z level=info w=9 event=x "
	    "customer=\"C3\""), 0);
	CHECK_FIELD(&f, 0, "C3");
	CHECK_INT(SCAN(&f, "2026-11-21T00:00:00.859Z event=0123456789abcdef "
	    "customerx=C9 w=\"open"), -1);
	/* The last word 15, 16, 17 bytes long, and the line's end. */
	CHECK_INT(SCAN(&f, "2026-11-21T00:00:00.859Z e=x customer=C03641"), 0);
	CHECK_FIELD(&f, 0, "C03641");
	CHECK_INT(SCAN(&f, "2026-11-21T00:00:00.859Z e=x customer=C036416"), 0);
	CHECK_FIELD(&f, 0, "C036416");
	CHECK_INT(logfmt_claimed(f.lf), 1);
	CHECK_INT(SCAN(&f, "2026-11-21T00:00:00.859Z e=x customer=C0364167"),
	    0);
	CHECK_FIELD(&f, 0, "C0364167");
	CHECK_INT(SCAN(&f, "2026-11-21T00:00:00.859Z e=x customer=\"C1\""), 0);
	CHECK_FIELD(&f, 0, "C1");
	/* Keys of 15 and 16 bytes, a value past the 16 bytes loaded. */
	CHECK_INT(SCAN(&f, "2026-11-21T00:00:00.859Z abcdefghijklmno=1 "
	    "abcdefghijklmnop=2 event=0123456789abcdefghijklmnopqrstuvwxyz "
	    "w=3"), 0);
	CHECK_FIELD(&f, 1, "0123456789abcdefghijklmnopqrstuvwxyz");
	CHECK_FIELD(&f, 3, "3");
	fx_free(&f);
}

/* Names of 15 bytes (the longest of one load's words) and of 16. */
static void
test_fast_long_keys(void)
{
	static const char *const k[] = { "abcdefghijklmno",
	    "abcdefghijklmnop", "abcdefghijklmnoq" };
	struct fx f = fx_new(k, 3, 0, 64);

	CHECK_INT(SCAN(&f, "t=0 abcdefghijklmno=1 abcdefghijklmnop=2 "
	    "abcdefghijklmnoq=3 abcdefghijklmnox=4 w=0"), 0);
	CHECK_FIELD(&f, 0, "1");
	CHECK_FIELD(&f, 1, "2");
	CHECK_FIELD(&f, 2, "3");
	fx_free(&f);
}

int
main(int argc, char **argv)
{
	test_cases(argc > 0 ? argv[0] : "");
	test_blanks();
	test_keys();
	test_bare_keys();
	test_quoted();
	test_bare_values();
	test_last_wins();
	test_leading();
	test_aliases();
	test_keys_add();
	test_refusals();
	test_not_refused();
	test_lifetime();
	test_growth();
	test_word_lengths();
	test_has_key();
	test_claimed();
	test_unescaped();
	test_scan_into();
	test_fast_words();
	test_fast_long_keys();
	T_DONE();
}
