/*
 * fuzz_logfmt: the logfmt scanner (logfmt.h) on arbitrary bytes, as one
 * line, held to a second reading of the line: fl_ref_scan() below, which
 * follows logfmt.h's rules 1-8 byte by byte, as written, and shares no
 * code with logfmt.c.
 *
 *  - the verdict: logfmt_scan() returns 0 or -1, and -1 exactly when
 *    fl_ref_scan() refuses the line, with the same reason and offset; a
 *    refusal has a reason, an offset inside the line (< len), no field
 *    present and no word from logfmt_next().
 *  - the words: logfmt_next() gives fl_ref_scan()'s words in order, then
 *    0: each key inside the line at the word's offset, the same value
 *    bytes, bare the same; a value that needed no unescaping points into
 *    the line at its place, an unescaped one does not.
 *  - the fields: each slot's field is the value of the last of those
 *    words whose key names the slot (rule 6), else the leading words
 *    (rule 7, as fl_ref_scan() found them) if the slot takes them, else
 *    absent; checked once before the words are read and once after
 *    (fields and words stay valid until the next scan).
 *  - logfmt_scan_into() a caller's array: the same verdict and fields,
 *    and flags that agree with logfmt_claimed() and logfmt_unescaped().
 *  - the claim: logfmt_claimed() exactly when one of those words is
 *    "customer=..." (the fixed set's claim key; the line's set has
 *    none) at the start or after a blank, and logfmt_has_key() agrees;
 *    logfmt_has_key() for a few keys and the line's own is the byte-wise
 *    search logfmt.h words.
 *
 * Each line is read with two key sets. One is fixed: the keys of the
 * shipped logfmt source and of logfmt-cases.txt, aliases, the leading
 * words in the slot of time, names that share a bucket of logfmt.c's
 * table; one scanner made for short lines, which grows. The other is made
 * for the line: its own keys (some as aliases), with near misses of them
 * (one byte more, one less, the last one changed), the leading words in a
 * slot of their own or in the first key's; logfmt_keys_add() must refuse
 * a name exactly when it is empty or holds a blank or =.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "logfmt.h"

#define FL_MAXLEN	(1 << 16)
#define FL_MAXKEYS	48	/* of a line's own keys in its key set */

static const char FL_UNTERM[] = "unterminated quoted value";
static const char FL_BADESC[] = "unknown escape";
static const char FL_BADU[] = "\\u needs 4 hex digits";
static const char FL_LONE[] = "lone surrogate in \\u escape";

/* One word as fl_ref_scan() reads it. */
struct fl_word {
	size_t	 koff, klen;	/* the key, in the line */
	size_t	 voff, vlen;	/* the value, in fl_ref's vals */
	size_t	 loff;		/* the value's place in the line */
	int	 bare;
	int	 inline_;	/* 1: the value is line[loff..) */
};

struct fl_ref {
	struct fl_word	*w;
	size_t		 nw, capw;
	char		*vals;	/* the values, one after another */
	size_t		 nvals;
	int		 lead;	/* 1: it has leading words */
	size_t		 leadoff, leadlen;
	const char	*why;
	size_t		 off;
};

/* A name of a key set, and its slot. */
struct fl_name {
	char		*p;		/* owned */
	size_t		 len;
	int		 slot;
};

struct fl_set {
	struct logfmt_keys	*ks;
	struct fl_name		*names;
	size_t			 nnames;
	int			 lead;	/* slot of rule 7, or -1 */
	const char		*claim;	/* logfmt_keys_claim()'s, or NULL */
};

static int	fl_selftest_scanned;

/* Rule 1, as written: a blank is any byte from 0x00 to 0x20. */
static int
fl_blank(unsigned char c)
{
	return c <= 0x20;
}

static int
fl_hexval(unsigned char c)
{
	static const char digits[] = "0123456789abcdef0123456789ABCDEF";
	const char *d = memchr(digits, c, sizeof(digits) - 1);

	return d == NULL ? -1 : (int)((d - digits) & 15);
}

/* The four hex digits at s[at..at + 4), all before end, or -1. */
static long
fl_hex4(const unsigned char *s, size_t at, size_t end)
{
	long v = 0;
	size_t i;
	int d;

	if (at + 4 > end)
		return -1;
	for (i = at; i < at + 4; i++) {
		if ((d = fl_hexval(s[i])) == -1)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* Code point cp in UTF-8, its last byte first, appended to r's values. */
static void
fl_put_utf8(struct fl_ref *r, unsigned long cp)
{
	unsigned char b[4];
	int n, i;

	n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
	for (i = n - 1; i > 0; i--, cp /= 64)
		b[i] = (unsigned char)(0x80 + cp % 64);
	b[0] = (unsigned char)(n == 1 ? cp : n == 2 ? 0xc0 + cp :
	    n == 3 ? 0xe0 + cp : 0xf0 + cp);
	for (i = 0; i < n; i++)
		r->vals[r->nvals++] = (char)b[i];
}

static int
fl_fault(struct fl_ref *r, const char *why, size_t off)
{
	r->why = why;
	r->off = off;
	return -1;
}

/*
 * Rule 4: the inside s[a..b) of a quoted value, unescaped into r's
 * values. Every backslash in it has a byte after it before b, or the "
 * at b would not have closed the value.
 */
static int
fl_ref_unquote(struct fl_ref *r, const unsigned char *s, size_t a,
    size_t b)
{
	static const char from[] = "\"\\/'bfnrt", to[] = "\"\\/'\b\f\n\r\t";
	const char *e;
	long cp, lo;
	size_t i = a;

	while (i < b) {
		if (s[i] != '\\') {
			r->vals[r->nvals++] = (char)s[i++];
			continue;
		}
		if (s[i + 1] != '\0' && (e = strchr(from, s[i + 1])) != NULL) {
			r->vals[r->nvals++] = to[e - from];
			i += 2;
			continue;
		}
		if (s[i + 1] != 'u')
			return fl_fault(r, FL_BADESC, i);
		if ((cp = fl_hex4(s, i + 2, b)) == -1)
			return fl_fault(r, FL_BADU, i);
		if (cp >= 0xdc00 && cp <= 0xdfff)
			return fl_fault(r, FL_LONE, i);
		if (cp >= 0xd800 && cp <= 0xdbff) {
			if (i + 8 > b || s[i + 6] != '\\' || s[i + 7] != 'u')
				return fl_fault(r, FL_LONE, i);
			lo = fl_hex4(s, i + 8, b);
			if (lo < 0xdc00 || lo > 0xdfff)
				return fl_fault(r, FL_LONE, i);
			fl_put_utf8(r, (unsigned long)(0x10000 +
			    (cp - 0xd800) * 0x400 + (lo - 0xdc00)));
			i += 12;
			continue;
		}
		fl_put_utf8(r, (unsigned long)cp);
		i += 6;
	}
	return 0;
}

static struct fl_word *
fl_ref_word(struct fl_ref *r)
{
	if (r->nw == r->capw) {
		r->capw = r->capw * 2 + 16;
		if ((r->w = realloc(r->w, r->capw * sizeof(*r->w))) == NULL)
			fuzz_fail("out of memory");
	}
	memset(&r->w[r->nw], 0, sizeof(r->w[0]));
	return &r->w[r->nw++];
}

/* Rules 1-8 on s[0..n): 0 and r's words, or -1 and r->why, r->off. */
static int
fl_ref_scan(struct fl_ref *r, const unsigned char *s, size_t n)
{
	struct fl_word *w;
	size_t i = 0, q, j;
	int inlead = 1;

	r->nw = r->nvals = 0;
	r->lead = 0;
	r->why = NULL;
	free(r->vals);
	if ((r->vals = malloc(n + 1)) == NULL)
		fuzz_fail("out of memory");
	for (;;) {
		while (i < n && fl_blank(s[i]))
			i++;
		if (i == n)
			return 0;
		w = fl_ref_word(r);
		w->koff = i;
		while (i < n && !fl_blank(s[i]) && s[i] != '=')
			i++;
		w->klen = i - w->koff;
		w->voff = r->nvals;
		if (i == n || s[i] != '=') {
			/* Rule 3; rule 7 while no word has had a =. */
			w->bare = w->inline_ = 1;
			w->loff = i;
			if (inlead && !r->lead) {
				r->lead = 1;
				r->leadoff = w->koff;
			}
			if (inlead)
				r->leadlen = i - r->leadoff;
			continue;
		}
		inlead = 0;
		i++;
		if (i < n && s[i] == '"') {
			q = i;
			for (j = q + 1; j < n && s[j] != '"'; j++)
				if (s[j] == '\\')
					j++;
			if (j >= n)
				return fl_fault(r, FL_UNTERM, q);
			w->inline_ = memchr(s + q + 1, '\\', j - q - 1) == NULL;
			w->loff = q + 1;
			if (fl_ref_unquote(r, s, q + 1, j) == -1)
				return -1;
			i = j + 1;
		} else {
			w->inline_ = 1;
			w->loff = i;
			while (i < n && !fl_blank(s[i]))
				r->vals[r->nvals++] = (char)s[i++];
		}
		w->vlen = r->nvals - w->voff;
	}
}

/* Could a line hold a key name[0..len)? (logfmt_keys_add(), rule 2) */
static int
fl_name_ok(const char *name, size_t len)
{
	size_t i;

	if (len == 0)
		return 0;
	for (i = 0; i < len; i++)
		if (fl_blank((unsigned char)name[i]) || name[i] == '=')
			return 0;
	return 1;
}

/* Record name[0..len) in slot; the name is copied, for the set's life. */
static void
fl_set_name(struct fl_set *fs, const char *name, size_t len, int slot)
{
	char *copy;

	if ((fs->names = realloc(fs->names, (fs->nnames + 1) *
	    sizeof(*fs->names))) == NULL || (copy = malloc(len + 1)) == NULL)
		fuzz_fail("out of memory");
	memcpy(copy, name, len);
	fs->names[fs->nnames].p = copy;
	fs->names[fs->nnames].len = len;
	fs->names[fs->nnames++].slot = slot;
}

/* Add name as a key (alias < 0) or an alias of slot alias; check it. */
static void
fl_set_add(struct fl_set *fs, const char *name, size_t len, int alias)
{
	const char *cause = NULL;
	size_t i;
	int slot, had = -1;

	for (i = 0; i < fs->nnames; i++)
		if (fs->names[i].len == len && memcmp(fs->names[i].p, name,
		    len) == 0)
			had = fs->names[i].slot;
	if (alias < 0) {
		slot = logfmt_keys_add(fs->ks, name, len, &cause);
		if (!fl_name_ok(name, len) ? slot != -1 || cause == NULL :
		    had != -1 ? slot != had : slot !=
		    (int)logfmt_keys_nslots(fs->ks) - 1)
			fuzz_fail("keys_add \"%.*s\": %d (had %d)", (int)len,
			    name, slot, had);
	} else {
		slot = logfmt_keys_alias(fs->ks, alias, name, len, &cause) ==
		    0 ? alias : -1;
		if (!fl_name_ok(name, len) || (had != -1 && had != alias) ?
		    slot != -1 || cause == NULL : slot != alias)
			fuzz_fail("keys_alias \"%.*s\" to %d: %d (had %d)",
			    (int)len, name, alias, slot, had);
	}
	if (slot != -1 && had == -1)
		fl_set_name(fs, name, len, slot);
}

static void
fl_set_free(struct fl_set *fs)
{
	size_t i;

	for (i = 0; i < fs->nnames; i++)
		free(fs->names[i].p);
	free(fs->names);
	logfmt_keys_free(fs->ks);
	memset(fs, 0, sizeof(*fs));
}

/* The fixed key set and its scanner, made once. */
static struct fl_set	 fl_fixed;
static struct logfmt	*fl_fixed_lf;

static void
fl_fixed_init(void)
{
	static const char *const keys[] = {
		"customer", "event", "time", "level", "wait", "a", "k", "y",
		"x", "b", "d", "r", "\xc6\x92", "\x80", "\"k\"", "k\"ey",
		"a\xef\xbf\xbd", "!", "abcdefgh", "abcdefghi",
		"abcdefghij0123456", "1", "q", "channel", "score"
	};
	const char *cause;
	size_t i;

	if (fl_fixed_lf != NULL)
		return;
	fl_fixed.ks = logfmt_keys_new();
	fl_fixed.lead = -1;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		fl_set_add(&fl_fixed, keys[i], strlen(keys[i]), -1);
	fl_set_add(&fl_fixed, "ts", 2, 2);
	fl_set_add(&fl_fixed, "timestamp", 9, 2);
	fl_set_add(&fl_fixed, "cust", 4, 0);
	fl_set_add(&fl_fixed, "customer_id", 11, 0);
	if ((fl_fixed.lead = logfmt_keys_leading(fl_fixed.ks, 2, &cause)) !=
	    2)
		fuzz_fail("leading: %s", cause);
	fl_fixed.claim = "customer";
	if (logfmt_keys_claim(fl_fixed.ks, "customer", 8, &cause) != 0)
		fuzz_fail("claim: %s", cause);
	fl_fixed_lf = logfmt_new(fl_fixed.ks, 16);
}

/*
 * A key set for line s[0..n) and its words: the first FL_MAXKEYS keys,
 * every third an alias of the slot before; near misses of each; the
 * leading words in a new slot or, if pick says so, in slot 0.
 */
static void
fl_line_set(struct fl_set *fs, const struct fl_ref *r, const char *s,
    unsigned pick)
{
	char miss[256];
	const char *cause;
	size_t i, nkeys = 0, len;

	fs->ks = logfmt_keys_new();
	fs->lead = -1;
	for (i = 0; i < r->nw && nkeys < FL_MAXKEYS; i++) {
		if (r->w[i].klen == 0 || r->w[i].klen >= sizeof(miss) - 1)
			continue;
		fl_set_add(fs, s + r->w[i].koff, r->w[i].klen, nkeys % 3 == 2 &&
		    logfmt_keys_nslots(fs->ks) > 0 ?
		    (int)logfmt_keys_nslots(fs->ks) - 1 : -1);
		nkeys++;
		len = r->w[i].klen;
		memcpy(miss, s + r->w[i].koff, len);
		miss[len] = 'x';
		fl_set_add(fs, miss, len + 1, -1);
		fl_set_add(fs, miss, len - 1, -1);
		miss[len - 1] ^= (char)(1 + (pick & 7));
		fl_set_add(fs, miss, len, -1);
	}
	if ((pick & 8) && logfmt_keys_nslots(fs->ks) > 0)
		fs->lead = logfmt_keys_leading(fs->ks, 0, &cause);
	else
		fs->lead = logfmt_keys_leading(fs->ks, -1, &cause);
	if (fs->lead == -1)
		fuzz_fail("leading: %s", cause);
	if (logfmt_keys_leading(fs->ks, fs->lead, &cause) != fs->lead ||
	    logfmt_keys_leading(fs->ks, -1, &cause) != -1)
		fuzz_fail("leading again");
}

/* The slot of key k[0..len) in fs, or -1. */
static int
fl_slot_of(const struct fl_set *fs, const char *k, size_t len)
{
	size_t i;

	for (i = 0; i < fs->nnames; i++)
		if (fs->names[i].len == len && memcmp(fs->names[i].p, k,
		    len) == 0)
			return fs->names[i].slot;
	return -1;
}

/* Is the value of word w where fl_ref_scan() says (in the line or not)? */
static void
fl_check_place(const struct fl_word *w, const char *val, const char *line,
    size_t len, const char *what)
{
	int inside = val >= line && val < line + len;

	if (w->vlen == 0)
		return;
	if (w->inline_ ? val != line + w->loff : inside)
		fuzz_fail("%s: value of the word at %zu %s", what, w->koff,
		    w->inline_ ? "not at its place in the line" :
		    "unescaped, but in the line");
}

/*
 * The fields of a line read: each slot the last of pairs[0..np) that it
 * names, else the leading words, else absent.
 */
static void
fl_check_fields(struct logfmt *lf, const struct fl_set *fs,
    const struct fl_ref *r, const struct logfmt_pair *pairs, size_t np,
    const char *line, size_t len, const char *when)
{
	const struct logfmt_field *f = logfmt_fields(lf);
	size_t nslots = logfmt_keys_nslots(fs->ks), i;
	const char *wp;
	size_t wl, *last;
	int s;

	if ((last = malloc((nslots + 1) * sizeof(*last))) == NULL)
		fuzz_fail("out of memory");
	for (i = 0; i < nslots; i++)
		last[i] = (size_t)-1;
	for (i = 0; i < np; i++)
		if (pairs[i].keylen > 0 && (s = fl_slot_of(fs, pairs[i].key,
		    pairs[i].keylen)) != -1)
			last[s] = i;
	for (i = 0; i < nslots; i++) {
		if (last[i] != (size_t)-1) {
			wp = pairs[last[i]].val;
			wl = pairs[last[i]].vallen;
			fl_check_place(&r->w[last[i]], f[i].p, line, len, when);
		} else if ((int)i == fs->lead && r->lead) {
			wp = line + r->leadoff;
			wl = r->leadlen;
			if (f[i].p != wp)
				fuzz_fail("%s: slot %zu: leading words not at "
				    "%zu", when, i, r->leadoff);
		} else {
			if (f[i].present || f[i].p != NULL || f[i].len != 0)
				fuzz_fail("%s: slot %zu present, \"%.*s\"",
				    when, i, (int)f[i].len, f[i].p);
			continue;
		}
		if (!f[i].present || f[i].len != wl || (wl > 0 &&
		    memcmp(f[i].p, wp, wl) != 0))
			fuzz_fail("%s: slot %zu: \"%.*s\", want \"%.*s\"", when,
			    i, (int)f[i].len, f[i].present ? f[i].p : "",
			    (int)wl, wp);
	}
	free(last);
}

/* logfmt_has_key() as logfmt.h words it, byte by byte. */
static int
fl_ref_has_key(const char *line, size_t len, const char *key, size_t klen)
{
	size_t k;

	for (k = 0; k + klen < len; k++)
		if (memcmp(line + k, key, klen) == 0 && line[k + klen] == '=' &&
		    (k == 0 || fl_blank((unsigned char)line[k - 1])))
			return 1;
	return 0;
}

/*
 * logfmt_claimed(): a word of r (read) with fs's claim key and =, at
 * the line's start or after a blank; logfmt_has_key() agrees then.
 */
static void
fl_check_claimed(struct logfmt *lf, const struct fl_set *fs,
    const struct fl_ref *r, int want, const char *line, size_t len)
{
	const struct fl_word *w;
	size_t i, cl;
	int claimed = 0;

	for (i = 0; want == 0 && fs->claim != NULL && i < r->nw; i++) {
		w = &r->w[i];
		cl = strlen(fs->claim);
		if (!w->bare && w->klen == cl && memcmp(line + w->koff,
		    fs->claim, cl) == 0 && (w->koff == 0 ||
		    fl_blank((unsigned char)line[w->koff - 1])))
			claimed = 1;
	}
	if (logfmt_claimed(lf) != claimed)
		fuzz_fail("logfmt_claimed: %d, want %d", logfmt_claimed(lf),
		    claimed);
	if (claimed && !logfmt_has_key(line, len, fs->claim,
	    strlen(fs->claim)))
		fuzz_fail("claimed, but logfmt_has_key() finds no %s=",
		    fs->claim);
}

/* logfmt_has_key() for a few keys: the claim's, short ones, the line's. */
static void
fl_check_has_key(const struct fl_ref *r, const char *line, size_t len)
{
	static const char *const keys[] = { "customer", "c", "k",
	    "abcdefghij0123456" };
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (logfmt_has_key(line, len, keys[i], strlen(keys[i])) !=
		    fl_ref_has_key(line, len, keys[i], strlen(keys[i])))
			fuzz_fail("logfmt_has_key(%s): %d", keys[i],
			    logfmt_has_key(line, len, keys[i],
			    strlen(keys[i])));
	for (i = 0; i < r->nw && i < 4; i++)
		if (r->w[i].klen > 0 && logfmt_has_key(line, len,
		    line + r->w[i].koff, r->w[i].klen) !=
		    fl_ref_has_key(line, len, line + r->w[i].koff,
		    r->w[i].klen))
			fuzz_fail("logfmt_has_key(word %zu's key): %d", i,
			    logfmt_has_key(line, len, line + r->w[i].koff,
			    r->w[i].klen));
}

/*
 * logfmt_scan_into() a caller's array, after logfmt_scan() read the same
 * line with lf: the verdict, and the fields to the byte (the line is
 * read the same way, into the same places), in that array; flags that
 * say what logfmt_claimed() and logfmt_unescaped() said after that scan
 * (claimed, unescaped: logfmt_next() has been called since).
 */
static void
fl_check_into(struct logfmt *lf, const struct fl_set *fs, int want,
    const char *line, size_t len, int claimed, size_t unescaped)
{
	size_t n = logfmt_keys_nslots(fs->ks), i, off;
	struct logfmt_field *own, *f;
	const char *why;
	int rc;

	if ((own = malloc((n + 1) * sizeof(*own))) == NULL ||
	    (f = malloc((n + 1) * sizeof(*f))) == NULL)
		fuzz_fail("out of memory");
	memcpy(own, logfmt_fields(lf), n * sizeof(*own));
	memset(f, 0xa5, (n + 1) * sizeof(*f));
	rc = logfmt_scan_into(lf, f, line, len, &why, &off);
	if ((rc == -1) != (want != 0))
		fuzz_fail("logfmt_scan_into returned %d, logfmt_scan %s", rc,
		    want == 0 ? "read the line" : "refused it");
	if (rc != -1 && (rc & ~(LOGFMT_CLAIMED | LOGFMT_UNESCAPED)) != 0)
		fuzz_fail("logfmt_scan_into returned %d", rc);
	if (rc != -1 && (((rc & LOGFMT_CLAIMED) != 0) != (claimed != 0) ||
	    ((rc & LOGFMT_UNESCAPED) != 0) != (unescaped > 0)))
		fuzz_fail("logfmt_scan_into returned %d; claimed %d, "
		    "unescaped %zu", rc, claimed, unescaped);
	if (logfmt_fields(lf) != f)
		fuzz_fail("logfmt_fields is not the array scanned into");
	for (i = 0; i < n; i++)
		if (f[i].present != own[i].present || f[i].p != own[i].p ||
		    f[i].len != own[i].len)
			fuzz_fail("logfmt_scan_into: slot %zu differs", i);
	for (i = 0; i < sizeof(*f); i++)
		if (((const unsigned char *)&f[n])[i] != 0xa5)
			fuzz_fail("logfmt_scan_into wrote past slot %zu", n);
	/* The scanner's own array for the next line. */
	(void)logfmt_scan(lf, line, len, &why, &off);
	free(own);
	free(f);
}

/* Scan line[0..len) with lf and fs and hold it to r. */
static void
fl_check(struct logfmt *lf, const struct fl_set *fs, const struct fl_ref *r,
    int want, const char *line, size_t len)
{
	const struct logfmt_field *f;
	struct logfmt_pair *pairs, extra;
	const struct fl_word *w;
	const char *why = NULL;
	size_t off = (size_t)-1, i, n, unescaped;
	int rc, claimed;

	rc = logfmt_scan(lf, line, len, &why, &off);
	if (rc != 0 && rc != -1)
		fuzz_fail("logfmt_scan returned %d", rc);
	claimed = logfmt_claimed(lf);
	unescaped = logfmt_unescaped(lf);
	fl_check_claimed(lf, fs, r, want, line, len);
	if ((rc == 0) != (want == 0))
		fuzz_fail("logfmt_scan %s a line the reference %s (%s at %zu)",
		    rc == 0 ? "reads" : "refuses", want == 0 ? "reads" :
		    "refuses", rc == 0 ? r->why : why, rc == 0 ? r->off : off);
	if (rc == -1) {
		if (why == NULL || off >= len)
			fuzz_fail("refused with no reason or at %zu of %zu",
			    off, len);
		if (strcmp(why, r->why) != 0 || off != r->off)
			fuzz_fail("refused: %s at %zu; the reference: %s at "
			    "%zu", why, off, r->why, r->off);
		f = logfmt_fields(lf);
		for (i = 0; i < logfmt_keys_nslots(fs->ks); i++)
			if (f[i].present || f[i].p != NULL || f[i].len != 0)
				fuzz_fail("refused, but slot %zu is present",
				    i);
		if (logfmt_next(lf, &extra) != 0)
			fuzz_fail("refused, but logfmt_next has a word");
		fl_check_into(lf, fs, want, line, len, claimed, unescaped);
		return;
	}
	/* Rule 6 from the reference's words, before logfmt_next(). */
	if ((pairs = malloc((r->nw + 1) * sizeof(*pairs))) == NULL)
		fuzz_fail("out of memory");
	for (i = 0; i < r->nw; i++) {
		pairs[i].key = line + r->w[i].koff;
		pairs[i].keylen = r->w[i].klen;
		pairs[i].val = r->vals + r->w[i].voff;
		pairs[i].vallen = r->w[i].vlen;
	}
	fl_check_fields(lf, fs, r, pairs, r->nw, line, len,
	    "before the words");
	for (n = 0; n <= r->nw && logfmt_next(lf, &pairs[n]) == 1; n++) {
		if (n == r->nw)
			fuzz_fail("logfmt_next: more than %zu words", r->nw);
		w = &r->w[n];
		if (pairs[n].key != line + w->koff || pairs[n].off !=
		    w->koff || pairs[n].keylen != w->klen)
			fuzz_fail("word %zu: key at %zu, %zu bytes; want %zu, "
			    "%zu", n, pairs[n].off, pairs[n].keylen, w->koff,
			    w->klen);
		if (pairs[n].bare != w->bare || pairs[n].vallen != w->vlen ||
		    (w->vlen > 0 && memcmp(pairs[n].val, r->vals + w->voff,
		    w->vlen) != 0))
			fuzz_fail("word %zu at %zu: \"%.*s\" bare %d; want "
			    "\"%.*s\" bare %d", n, w->koff,
			    (int)pairs[n].vallen, pairs[n].val, pairs[n].bare,
			    (int)w->vlen, r->vals + w->voff, w->bare);
		fl_check_place(w, pairs[n].val, line, len, "logfmt_next");
	}
	if (n != r->nw)
		fuzz_fail("logfmt_next: %zu words, want %zu", n, r->nw);
	if (logfmt_next(lf, &extra) != 0)
		fuzz_fail("logfmt_next: a word after the last");
	/* Again from the words logfmt_next() gave, still valid. */
	fl_check_fields(lf, fs, r, pairs, n, line, len, "after the words");
	for (i = 0; i < n; i++)
		if (pairs[i].vallen != r->w[i].vlen || (r->w[i].vlen > 0 &&
		    memcmp(pairs[i].val, r->vals + r->w[i].voff,
		    r->w[i].vlen) != 0))
			fuzz_fail("word %zu changed after the others", i);
	free(pairs);
	fl_check_into(lf, fs, want, line, len, claimed, unescaped);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fl_ref r;
	struct fl_set fs;
	struct logfmt *lf;
	char *line;
	unsigned pick;
	int want;

	if (size > FL_MAXLEN)
		return 0;
	fl_fixed_init();
	/* Exactly size bytes, so that an overread trips AddressSanitizer. */
	if ((line = malloc(size > 0 ? size : 1)) == NULL)
		fuzz_fail("out of memory");
	if (size > 0)
		memcpy(line, data, size);
	want = fl_ref_scan(&r, (const unsigned char *)line, size);
	fl_check(fl_fixed_lf, &fl_fixed, &r, want, line, size);
	fl_check_has_key(&r, line, size);

	memset(&fs, 0, sizeof(fs));
	pick = size > 0 ? (unsigned char)line[size / 2] ^ (unsigned)size : 0;
	fl_line_set(&fs, &r, line, pick);
	lf = logfmt_new(fs.ks, size / 2);
	fl_check(lf, &fs, &r, want, line, size);
	/* Again on the same scanner: each scan starts afresh. */
	fl_check(lf, &fs, &r, want, line, size);
	logfmt_free(lf);
	fl_set_free(&fs);
	free(line);
	fl_selftest_scanned += want == 0;
	return 0;
}

/* The reference on lines whose reading is known, then the oracle. */
static int
fl_selftest_ref(void)
{
	static const struct {
		const char	*line;
		size_t		 nw;	/* or a refusal's offset */
		const char	*why;	/* NULL: read */
		const char	*lastval;
	} known[] = {
		{ "a=1 b=\"x\\ty\" c", 3, NULL, "" },
		{ "k=\"\\ud83d\\ude00\"", 1, NULL, "\xf0\x9f\x98\x80" },
		{ "k=\"\\u00e9\\u20ac\"", 1, NULL, "\xc3\xa9\xe2\x82\xac" },
		{ "k=a=b\"c", 1, NULL, "a=b\"c" },
		{ "k=\"\\ud800\"", 3, FL_LONE, NULL },
		{ "k=\"\\udc00\\ud800\"", 3, FL_LONE, NULL },
		{ "k=\"\\u12\"", 3, FL_BADU, NULL },
		{ "k=\"\\x\" j=\"", 3, FL_BADESC, NULL },
		{ "j=1 k=\"a\\\"", 6, FL_UNTERM, NULL },
	};
	struct fl_ref r;
	const struct fl_word *w;
	size_t i, len;
	int rc;

	memset(&r, 0, sizeof(r));
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		len = strlen(known[i].line);
		rc = fl_ref_scan(&r, (const unsigned char *)known[i].line,
		    len);
		if (known[i].why != NULL ? rc != -1 || r.why != known[i].why ||
		    r.off != known[i].nw : rc != 0 || r.nw != known[i].nw)
			fuzz_fail("self test: the reference on %s",
			    known[i].line);
		if (known[i].why != NULL)
			continue;
		w = &r.w[r.nw - 1];
		if (w->vlen != strlen(known[i].lastval) || memcmp(r.vals +
		    w->voff, known[i].lastval, w->vlen) != 0)
			fuzz_fail("self test: the reference's value on %s",
			    known[i].line);
	}
	rc = fl_ref_scan(&r, (const unsigned char *)"2026-11-21 10:15:09 "
	    "level=info x", 32);
	if (rc != 0 || !r.lead || r.leadoff != 0 || r.leadlen != 19)
		fuzz_fail("self test: the reference's leading words");
	free(r.w);
	free(r.vals);
	return 0;
}

int
fuzz_selftest(void)
{
	static const char *const good[] = {
		"ts=2026-11-21T10:00:00Z level=info customer=\"C 42\" "
		    "event=chat.abandoned wait=419s",
		"2026-11-21T00:07:43.402Z level=info event=sla.breached "
		    "customer=C000001 wait=300 score=1",
		"2026-11-21 10:15:09 customer=C1 ts=T cust=C2",
		"a=1 b=\"bar\" \xc6\x92=2h3s r=\"esc\\t\" d x=sf   ",
		"y=\"f\\n\"y=g k=a=b \"k\"=1 =x \x80 "
		    "abcdefghij0123456=\"\\u00e9\"",
		"",
	};
	static const char *const bad[] = {
		"a=\"1", "k=\"\\u1\"", "k=\"\\ud800\\u0041\"", "k=\"\\q\"",
	};
	const struct logfmt_field *f;
	const char *why;
	size_t i, off;

	fl_selftest_ref();
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		LLVMFuzzerTestOneInput((const uint8_t *)good[i],
		    strlen(good[i]));
	if (fl_selftest_scanned != (int)(sizeof(good) / sizeof(good[0])))
		fuzz_fail("self test: %d of %zu lines read",
		    fl_selftest_scanned, sizeof(good) / sizeof(good[0]));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		LLVMFuzzerTestOneInput((const uint8_t *)bad[i], strlen(bad[i]));
	if (fl_selftest_scanned != (int)(sizeof(good) / sizeof(good[0])))
		fuzz_fail("self test: a bad line was read");
	/* The fixed set reads the sample line as the shipped source. */
	if (logfmt_scan(fl_fixed_lf, good[0], strlen(good[0]), &why,
	    &off) != 0)
		fuzz_fail("self test: the sample line refused");
	f = logfmt_fields(fl_fixed_lf);
	if (f[0].len != 4 || memcmp(f[0].p, "C 42", 4) != 0 ||
	    f[2].len != 20 || memcmp(f[2].p, "2026-11-21T10:00:00Z", 20) != 0)
		fuzz_fail("self test: customer or time not read");
	if (logfmt_scan(fl_fixed_lf, good[2], strlen(good[2]), &why,
	    &off) != 0 || f[0].len != 2 || memcmp(f[0].p, "C2", 2) != 0 ||
	    f[2].len != 1 || f[2].p[0] != 'T')
		fuzz_fail("self test: aliases not read");
	return 0;
}
