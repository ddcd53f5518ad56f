/*
 * logfmt: the logfmt scanner. See logfmt.h for the rules it implements
 * (cited here as rule N) and for who owns what.
 *
 * Speed is the point: a logfmt source scans every line it reads. So a
 * scan is one pass, the ends of keys and values found 16 bytes at a
 * time with SSE2 (every x86-64) and 8 at a time elsewhere (SWAR). With
 * SSE2 the common word, "key=value" one blank after the word before,
 * is read whole from the 16 bytes at that blank, in a loop of its own
 * (logfmt_run()); a time stamp that starts the line, from the line's
 * first 32; any other word whose key ends within 16 bytes of its start
 * has its key's end and most often its own from one load. Only a quoted
 * value with a backslash is walked twice, once for its end and once to
 * unescape it. The scan also notes whether the line has a word with the
 * source's customer key (logfmt_claimed()), which spares most claimed
 * lines the search of logfmt_has_key(). A key costs a table load and a
 * bit test to be turned away: for each first byte the key set keeps the
 * lengths of its names (mod 64) as bits of a word, which most unwanted
 * keys miss. A name is then found among 1024 buckets by length mod 16
 * and first byte mod 64, and compared by its length and its first 8
 * bytes read as one 64-bit word (its head), the rest, if any, byte by
 * byte.
 *
 * The scanner's buffer has two halves of cap bytes: logfmt_scan()
 * unescapes into the first, logfmt_next() into the second. An unescaped
 * value is never longer than its quoted text, so each half holds all the
 * values of a line of up to cap bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "logfmt.h"
#include "xmalloc.h"

#define LOGFMT_NBUCKETS		1024
#define LOGFMT_BUCKET(len, c)	(((len) & 15) << 6 | \
				    ((unsigned char)(c) & 63))
#define LOGFMT_MAXNAMES		65535

struct logfmt_name {
	uint64_t	 head;		/* logfmt_head() of the name */
	size_t		 len;
	char		*name;		/* owned */
	int		 slot;
	int		 claim;		/* logfmt_keys_claim()'s */
	uint32_t	 next;		/* 1 + index of the next in its
					   bucket; 0: none */
};

struct logfmt_keys {
	struct logfmt_name	*names;
	size_t			 nnames;
	size_t			 cap;
	size_t			 nslots;
	int			 leading;	/* slot of rule 7, or -1 */
	uint32_t		 bucket[LOGFMT_NBUCKETS]; /* as next */
	uint64_t		 lens[256];	/* by first byte: bit len % 64
						   set for each name's len */
};

struct logfmt {
	const struct logfmt_keys *keys;
	struct logfmt_field	*fields;	/* keys->nslots: own, or the
						   last logfmt_scan_into()'s */
	struct logfmt_field	*own;
	char			*buf;		/* 2 * cap */
	size_t			 cap;
	const char		*line;	/* the last line scanned */
	size_t			 len;
	size_t			 pos;	/* logfmt_next()'s place */
	size_t			 used;	/* of the second half */
	size_t			 unescaped; /* of the first */
	int			 claimed; /* see logfmt_claimed() */
	int			 ok;	/* 1: line read, not refused */
};

/* One word, as logfmt_word() reads it. */
struct logfmt_word {
	const char	*key, *val;
	size_t		 keylen, vallen;
	int		 bare;
};

static const char LOGFMT_UNTERM[] = "unterminated quoted value";
static const char LOGFMT_BADESC[] = "unknown escape";
static const char LOGFMT_BADU[] = "\\u needs 4 hex digits";
static const char LOGFMT_LONE[] = "lone surrogate in \\u escape";

/*
 * Word-at-a-time search (SWAR). logfmt_load() reads 8 bytes as a number
 * whose lowest byte is the first; LOGFMT_BELOW flags, in the top bit of
 * each byte, the bytes below n (n <= 0x80), LOGFMT_EQ those equal to c.
 * A borrow can flag a byte above a flagged one, never below it, so the
 * lowest flag is exact: it is the only one used.
 */
#define LOGFMT_ONES	0x0101010101010101ull
#define LOGFMT_HIGHS	0x8080808080808080ull
#define LOGFMT_BELOW(x, n)	(((x) - LOGFMT_ONES * (n)) & ~(x) & \
				    LOGFMT_HIGHS)
#define LOGFMT_EQ(x, c)		LOGFMT_BELOW((x) ^ LOGFMT_ONES * (c), 1)
#define LOGFMT_FIRST(m)		((size_t)__builtin_ctzll(m) >> 3)

#ifdef __SSE2__
#define LOGFMT_V16(p)	_mm_loadu_si128((const __m128i *)(const void *)(p))
#define LOGFMT_VBLANK(v) _mm_cmpeq_epi8(_mm_min_epu8((v), \
			    _mm_set1_epi8(' ')), (v))
#define LOGFMT_VEQ(v, c) _mm_cmpeq_epi8((v), _mm_set1_epi8(c))
#define LOGFMT_VMASK(v)	((unsigned)_mm_movemask_epi8(v))
#endif

static inline uint64_t
logfmt_load(const char *p)
{
	uint64_t x;

	memcpy(&x, p, sizeof(x));
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	x = __builtin_bswap64(x);
#endif
	return x;
}

/*
 * The first min(len, 8) bytes of k, in s[0..end), as logfmt_load() reads
 * them: from k on if 8 bytes are left, else from the 8 that end s.
 */
static inline uint64_t
logfmt_head(const char *k, size_t len, const char *s, const char *end)
{
	uint64_t h = 0;
	size_t i;

	if (end - k >= 8)
		h = logfmt_load(k);
	else if (end - s >= 8)
		h = logfmt_load(end - 8) >> ((8 - (end - k)) * 8);
	else
		for (i = 0; i < len; i++)
			h |= (uint64_t)(unsigned char)k[i] << (i * 8);
	return len >= 8 ? h : h & (((uint64_t)1 << (len * 8)) - 1);
}

/* The name k[0..len), len > 0, whose logfmt_head() is head, or NULL. */
static inline const struct logfmt_name *
logfmt_keys_find_head(const struct logfmt_keys *ks, const char *k,
    size_t len, uint64_t head)
{
	const struct logfmt_name *n;
	uint32_t b;
	size_t i;

	for (b = ks->bucket[LOGFMT_BUCKET(len, k[0])]; b != 0; b = n->next) {
		n = &ks->names[b - 1];
		if (n->len != len || n->head != head)
			continue;
		for (i = 8; i < len && n->name[i] == k[i]; i++)
			;
		if (i >= len)
			return n;
	}
	return NULL;
}

/* The name k[0..len), len > 0, in s[0..end), or NULL. */
static inline const struct logfmt_name *
logfmt_keys_find(const struct logfmt_keys *ks, const char *k, size_t len,
    const char *s, const char *end)
{
	return logfmt_keys_find_head(ks, k, len, logfmt_head(k, len, s, end));
}

struct logfmt_keys *
logfmt_keys_new(void)
{
	struct logfmt_keys *ks = xcalloc(1, sizeof(*ks));

	ks->leading = -1;
	return ks;
}

void
logfmt_keys_free(struct logfmt_keys *ks)
{
	size_t i;

	if (ks == NULL)
		return;
	for (i = 0; i < ks->nnames; i++)
		free(ks->names[i].name);
	free(ks->names);
	free(ks);
}

/* Rule 2: 1 if a key could be name[0..len), else 0 and *cause. */
static int
logfmt_name_ok(const char *name, size_t len, const char **cause)
{
	size_t i;

	if (len == 0) {
		*cause = "empty key name";
		return 0;
	}
	for (i = 0; i < len; i++) {
		if ((unsigned char)name[i] <= ' ' || name[i] == '=') {
			*cause = "a key name cannot hold a blank, a control "
			    "byte or =";
			return 0;
		}
	}
	return 1;
}

/* Enter the new name[0..len) for slot: 0, or -1 and *cause. */
static int
logfmt_keys_put(struct logfmt_keys *ks, const char *name, size_t len,
    int slot, const char **cause)
{
	struct logfmt_name *n;
	uint32_t *b;

	if (ks->nnames == LOGFMT_MAXNAMES) {
		*cause = "too many key names (65535)";
		return -1;
	}
	if (ks->nnames == ks->cap) {
		ks->cap = ks->cap * 2 + 8;
		ks->names = xreallocarray(ks->names, ks->cap,
		    sizeof(*ks->names));
	}
	n = &ks->names[ks->nnames++];
	n->name = xstrndup(name, len);
	n->len = len;
	n->head = logfmt_head(n->name, len, n->name, n->name + len);
	n->slot = slot;
	n->claim = 0;
	b = &ks->bucket[LOGFMT_BUCKET(len, name[0])];
	n->next = *b;
	*b = (uint32_t)ks->nnames;
	ks->lens[(unsigned char)name[0]] |= (uint64_t)1 << (len & 63);
	return 0;
}

/*
 * Whether a key k[0..len), len > 0, may be a name: its first byte and
 * its length (mod 64) are those of one.
 */
static inline int
logfmt_keys_maybe(const struct logfmt_keys *ks, const char *k, size_t len)
{
	return ks->lens[(unsigned char)k[0]] >> (len & 63) & 1;
}

int
logfmt_keys_add(struct logfmt_keys *ks, const char *name, size_t len,
    const char **cause)
{
	const struct logfmt_name *n;

	if (!logfmt_name_ok(name, len, cause))
		return -1;
	if ((n = logfmt_keys_find(ks, name, len, name, name + len)) != NULL)
		return n->slot;
	if (logfmt_keys_put(ks, name, len, (int)ks->nslots, cause) == -1)
		return -1;
	return (int)ks->nslots++;
}

int
logfmt_keys_alias(struct logfmt_keys *ks, int slot, const char *name,
    size_t len, const char **cause)
{
	const struct logfmt_name *n;

	if (slot < 0 || (size_t)slot >= ks->nslots) {
		*cause = "no such slot";
		return -1;
	}
	if (!logfmt_name_ok(name, len, cause))
		return -1;
	if ((n = logfmt_keys_find(ks, name, len, name, name + len)) != NULL) {
		if (n->slot == slot)
			return 0;
		*cause = "the key already fills another slot";
		return -1;
	}
	return logfmt_keys_put(ks, name, len, slot, cause);
}

int
logfmt_keys_leading(struct logfmt_keys *ks, int slot, const char **cause)
{
	if (slot < -1 || slot >= (int)ks->nslots) {
		*cause = "no such slot";
		return -1;
	}
	if (ks->leading != -1 && ks->leading != slot) {
		*cause = "the leading words already fill another slot";
		return -1;
	}
	if (slot == -1)
		slot = (int)ks->nslots++;
	ks->leading = slot;
	return slot;
}

int
logfmt_keys_claim(struct logfmt_keys *ks, const char *name, size_t len,
    const char **cause)
{
	struct logfmt_name *n;
	size_t i;

	for (i = 0; i < ks->nnames; i++)
		ks->names[i].claim = 0;
	if (len == 0 || (n = (struct logfmt_name *)logfmt_keys_find(ks, name,
	    len, name, name + len)) == NULL) {
		*cause = "no such key name";
		return -1;
	}
	n->claim = 1;
	return 0;
}

size_t
logfmt_keys_nslots(const struct logfmt_keys *ks)
{
	return ks->nslots;
}

/* Make room for a line of len bytes; keeps nothing. */
static void
logfmt_fit(struct logfmt *lf, size_t len)
{
	if (len <= lf->cap)
		return;
	free(lf->buf);
	lf->buf = xreallocarray(NULL, len, 2);
	lf->cap = len;
}

struct logfmt *
logfmt_new(const struct logfmt_keys *ks, size_t maxline)
{
	struct logfmt *lf = xcalloc(1, sizeof(*lf));

	lf->keys = ks;
	lf->fields = lf->own = xcalloc(ks->nslots, sizeof(*lf->own));
	logfmt_fit(lf, maxline > 0 ? maxline : 1);
	return lf;
}

void
logfmt_free(struct logfmt *lf)
{
	if (lf == NULL)
		return;
	free(lf->own);
	free(lf->buf);
	free(lf);
}

static int
logfmt_hex(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* The \uXXXX escape at s, before e, as a number, or -1. */
static long
logfmt_u4(const char *s, const char *e)
{
	long v = 0;
	int i, d;

	if (e - s < 6 || s[0] != '\\' || s[1] != 'u')
		return -1;
	for (i = 2; i < 6; i++) {
		if ((d = logfmt_hex((unsigned char)s[i])) == -1)
			return -1;
		v = v << 4 | d;
	}
	return v;
}

/* Rule 4: the byte a backslash and c stand for, or -1 (u is -1 too). */
static int
logfmt_esc(char c)
{
	switch (c) {
	case '"':
	case '\\':
	case '/':
	case '\'':
		return c;
	case 'b':
		return '\b';
	case 'f':
		return '\f';
	case 'n':
		return '\n';
	case 'r':
		return '\r';
	case 't':
		return '\t';
	default:
		return -1;
	}
}

static char *
logfmt_utf8(char *o, unsigned long cp)
{
	if (cp < 0x80)
		*o++ = (char)cp;
	else if (cp < 0x800) {
		*o++ = (char)(0xc0 | cp >> 6);
		*o++ = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*o++ = (char)(0xe0 | cp >> 12);
		*o++ = (char)(0x80 | (cp >> 6 & 0x3f));
		*o++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*o++ = (char)(0xf0 | cp >> 18);
		*o++ = (char)(0x80 | (cp >> 12 & 0x3f));
		*o++ = (char)(0x80 | (cp >> 6 & 0x3f));
		*o++ = (char)(0x80 | (cp & 0x3f));
	}
	return o;
}

/*
 * Rule 4: unescape s[0..e), the inside of a quoted value, into o. Every
 * backslash in it has a byte after it (logfmt_quoted() made sure).
 * Returns the end of the output, or NULL with *why and *at (the
 * backslash at fault).
 */
static char *
logfmt_unquote(const char *s, const char *e, char *o, const char **why,
    const char **at)
{
	long cp, lo;
	int c;

	for (; s < e; s++) {
		if (*s != '\\') {
			*o++ = *s;
			continue;
		}
		if ((c = logfmt_esc(s[1])) != -1) {
			*o++ = (char)c;
			s++;
			continue;
		}
		*at = s;
		if (s[1] != 'u') {
			*why = LOGFMT_BADESC;
			return NULL;
		}
		if ((cp = logfmt_u4(s, e)) == -1) {
			*why = LOGFMT_BADU;
			return NULL;
		}
		if (cp >= 0xd800 && cp <= 0xdfff) {
			lo = cp <= 0xdbff ? logfmt_u4(s + 6, e) : -1;
			if (lo < 0xdc00 || lo > 0xdfff) {
				*why = LOGFMT_LONE;
				return NULL;
			}
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			s += 6;
		}
		o = logfmt_utf8(o, (unsigned long)cp);
		s += 5;
	}
	return o;
}

/*
 * The first blank (rule 1) or = at or after p, or end. s is where the
 * line starts: with 16 bytes or more in it, the last few bytes are read
 * as the line's last 16, whose mask is shifted past those before p.
 */
static inline const char *
logfmt_key_end(const char *p, const char *end, const char *s)
{
	uint64_t x, m;
#ifdef __SSE2__
	unsigned vm;
	__m128i v;

	for (; end - p >= 16; p += 16) {
		v = LOGFMT_V16(p);
		if ((vm = LOGFMT_VMASK(_mm_or_si128(LOGFMT_VBLANK(v),
		    LOGFMT_VEQ(v, '=')))) != 0)
			return p + __builtin_ctz(vm);
	}
	if (p < end && end - s >= 16) {
		v = LOGFMT_V16(end - 16);
		vm = LOGFMT_VMASK(_mm_or_si128(LOGFMT_VBLANK(v),
		    LOGFMT_VEQ(v, '='))) >> (16 - (end - p));
		return vm != 0 ? p + __builtin_ctz(vm) : end;
	}
#else
	(void)s;
#endif
	for (; end - p >= 8; p += 8) {
		x = logfmt_load(p);
		if ((m = LOGFMT_BELOW(x, 0x21) | LOGFMT_EQ(x, '=')) != 0)
			return p + LOGFMT_FIRST(m);
	}
	while (p < end && (unsigned char)*p > ' ' && *p != '=')
		p++;
	return p;
}

/* The first blank at or after p, or end; s as for logfmt_key_end(). */
static inline const char *
logfmt_bare_end(const char *p, const char *end, const char *s)
{
	uint64_t x, m;
#ifdef __SSE2__
	unsigned vm;

	for (; end - p >= 16; p += 16)
		if ((vm = LOGFMT_VMASK(LOGFMT_VBLANK(LOGFMT_V16(p)))) != 0)
			return p + __builtin_ctz(vm);
	if (p < end && end - s >= 16) {
		vm = LOGFMT_VMASK(LOGFMT_VBLANK(LOGFMT_V16(end - 16))) >>
		    (16 - (end - p));
		return vm != 0 ? p + __builtin_ctz(vm) : end;
	}
#else
	(void)s;
#endif
	for (; end - p >= 8; p += 8) {
		x = logfmt_load(p);
		if ((m = LOGFMT_BELOW(x, 0x21)) != 0)
			return p + LOGFMT_FIRST(m);
	}
	while (p < end && (unsigned char)*p > ' ')
		p++;
	return p;
}

/* The first " or backslash at or after p, or end. */
static inline const char *
logfmt_quote_end(const char *p, const char *end)
{
	uint64_t x, m;
#ifdef __SSE2__
	unsigned vm;

	for (; end - p >= 16; p += 16) {
		__m128i v = LOGFMT_V16(p);

		if ((vm = LOGFMT_VMASK(_mm_or_si128(LOGFMT_VEQ(v, '"'),
		    LOGFMT_VEQ(v, '\\')))) != 0)
			return p + __builtin_ctz(vm);
	}
#endif
	for (; end - p >= 8; p += 8) {
		x = logfmt_load(p);
		if ((m = LOGFMT_EQ(x, '"') | LOGFMT_EQ(x, '\\')) != 0)
			return p + LOGFMT_FIRST(m);
	}
	while (p < end && *p != '"' && *p != '\\')
		p++;
	return p;
}

/*
 * Rule 4: the quoted value whose opening " is at p, before end, into
 * *val and *vallen, unescaped into buf + *used (which grows by its
 * length) if it has a backslash. Returns the byte after the closing ",
 * or NULL with *why and *at.
 */
static const char *
logfmt_quoted(const char *p, const char *end, char *buf, size_t *used,
    const char **val, size_t *vallen, const char **why, const char **at)
{
	const char *s = logfmt_quote_end(p + 1, end);
	char *o;

	if (s < end && *s == '"') {
		*val = p + 1;
		*vallen = (size_t)(s - *val);
		return s + 1;
	}
	for (; s < end && *s != '"'; s++)	/* the end, past escapes */
		if (*s == '\\' && ++s == end)
			break;
	if (s >= end) {
		*why = LOGFMT_UNTERM;
		*at = p;
		return NULL;
	}
	if ((o = logfmt_unquote(p + 1, s, buf + *used, why, at)) == NULL)
		return NULL;
	*val = buf + *used;
	*vallen = (size_t)(o - *val);
	*used += *vallen;
	return s + 1;
}

/*
 * The word at *pp (after any blanks) of the line s..end: 1 and *w with
 * *pp past it, 0 at the end of the line, or -1 with *why and *at. An escaped value
 * is unescaped into buf + *used, which grows by its length.
 * logfmt_scan() reads words the same way, in a loop of its own.
 */
static int
logfmt_word(const char **pp, const char *s, const char *end,
    struct logfmt_word *w, char *buf, size_t *used, const char **why,
    const char **at)
{
	const char *p = *pp;

	while (p < end && (unsigned char)*p <= ' ')		/* rule 1 */
		p++;
	if (p == end)
		return 0;
	w->key = p;
	p = logfmt_key_end(p, end, s);				/* rule 2 */
	w->keylen = (size_t)(p - w->key);
	w->bare = p == end || *p != '=';
	if (w->bare) {					/* rule 3 */
		w->val = p;
		w->vallen = 0;
	} else if (++p < end && *p == '"') {			/* rule 4 */
		if ((p = logfmt_quoted(p, end, buf, used, &w->val,
		    &w->vallen, why, at)) == NULL)
			return -1;
	} else {						/* rule 5 */
		w->val = p;
		p = logfmt_bare_end(p, end, s);
		w->vallen = (size_t)(p - w->val);
	}
	*pp = p;
	return 1;
}

/*
 * Rule 6: the word at k whose key is name n (kv: with =) has value
 * v[0..vlen), which n's slot takes.
 */
static inline void
logfmt_set(struct logfmt *lf, const struct logfmt_name *n, const char *k,
    int kv, const char *v, size_t vlen)
{
	struct logfmt_field *f = &lf->fields[n->slot];

	if (n->claim && kv && (k == lf->line || (unsigned char)k[-1] <= ' '))
		lf->claimed = 1;
	f->p = v;
	f->len = vlen;
	f->present = 1;
}

/*
 * The word with key k[0..klen), which logfmt_keys_maybe() let by, has value
 * v[0..vlen); if the key is a name, the name's slot takes it.
 */
static inline void
logfmt_put(struct logfmt *lf, const char *k, size_t klen, const char *end,
    const char *v, size_t vlen)
{
	const struct logfmt_name *n;

	if ((n = logfmt_keys_find(lf->keys, k, klen, lf->line, end)) != NULL)
		logfmt_set(lf, n, k, k + klen < end && k[klen] == '=', v,
		    vlen);
}

/*
 * Rule 6 for a word with = whose key, name n, follows a blank (or is
 * NULL: no name): n's slot takes v[0..vlen).
 */
static inline void
logfmt_set_kv(struct logfmt *lf, const struct logfmt_name *n, const char *v,
    size_t vlen)
{
	struct logfmt_field *f;

	if (n == NULL)
		return;
	f = &lf->fields[n->slot];
	lf->claimed |= n->claim;
	f->p = v;
	f->len = vlen;
	f->present = 1;
}

/* logfmt_put() for a word with = whose key k[0..klen) follows a blank. */
static inline void
logfmt_put_kv(struct logfmt *lf, const char *k, size_t klen,
    const char *end, const char *v, size_t vlen)
{
	logfmt_set_kv(lf, logfmt_keys_find(lf->keys, k, klen, lf->line, end),
	    v, vlen);
}

/*
 * logfmt_put_kv() for logfmt_run()'s keys, 1 to 15 bytes with 8 or more
 * readable at k: the head in one load.
 */
static inline void
logfmt_found(struct logfmt *lf, const char *k, size_t klen, const char *v,
    size_t vlen)
{
	uint64_t head = logfmt_load(k);

	if (klen < 8)
		head &= ((uint64_t)1 << (klen * 8)) - 1;
	logfmt_set_kv(lf, logfmt_keys_find_head(lf->keys, k, klen, head), v,
	    vlen);
}

/*
 * Rules 2-5 for the word whose key holds no blank or = before from (its
 * start, or past it), before end in the line that starts at s: 1 with
 * *ke the end of its key (a blank, = or end) and *we the end of the word
 * (*ke for a bare key, else the first blank after the value, or end), -1
 * with *ke when the value is quoted (rule 4: *ke + 1 is its opening ").
 */
static inline int
logfmt_word_ends(const char *from, const char *end, const char *s,
    const char **ke, const char **we)
{
	const char *p = logfmt_key_end(from, end, s);

	*ke = p;
	if (p == end || *p != '=') {				/* rule 3 */
		*we = p;
		return 1;
	}
	if (p + 1 < end && p[1] == '"')				/* rule 4 */
		return -1;
	*we = logfmt_bare_end(p + 1, end, s);			/* rule 5 */
	return 1;
}

/*
 * logfmt_word_ends() for the word at k from one load of the 16 bytes at
 * k, or the line's last 16 when fewer are left: the common word, whose
 * key ends in them (a longer key or value is followed on past them). 0
 * when it cannot tell: a line shorter than 16 bytes.
 */
static inline int
logfmt_word16(const char *k, const char *end, const char *s,
    const char **ke, const char **we)
{
#ifdef __SSE2__
	size_t left = (size_t)(end - k);
	unsigned sh = 0, mb, me, m, x, rest;
	__m128i v;

	if (left >= 16)
		v = LOGFMT_V16(k);
	else if (end - s >= 16) {
		v = LOGFMT_V16(end - 16);
		sh = 16 - (unsigned)left;
	} else
		return 0;
	mb = LOGFMT_VMASK(LOGFMT_VBLANK(v)) >> sh;
	me = LOGFMT_VMASK(LOGFMT_VEQ(v, '=')) >> sh;
	if ((m = mb | me) == 0) {
		if (left > 16)
			return logfmt_word_ends(k + 16, end, s, ke, we);
		*ke = *we = end;				/* rule 3 */
		return 1;
	}
	x = (unsigned)__builtin_ctz(m);
	*ke = k + x;
	if ((me >> x & 1) == 0) {				/* rule 3 */
		*we = *ke;
		return 1;
	}
	if (x + 1 < left && k[x + 1] == '"')			/* rule 4 */
		return -1;
	if ((rest = mb >> (x + 1)) != 0)			/* rule 5 */
		*we = k + x + 1 + __builtin_ctz(rest);
	else
		*we = left > 16 ? logfmt_bare_end(k + 16, end, s) : end;
	return 1;
#else
	(void)k, (void)end, (void)s, (void)ke, (void)we;
	return 0;
#endif
}

/*
 * logfmt_run()'s word where 17 bytes or fewer are left, at p: one blank,
 * then a key, = and a bare value, from one load of the line's last 16
 * (the line's end is then a blank). 1 with the key at p + 1, *ke its
 * end and *we the word's; 0 for any other word, and in a line shorter
 * than 16 bytes, which the general loop reads.
 */
static inline int
logfmt_word_kv(const char *p, const char *end, const char *s,
    const char **ke, const char **we)
{
#ifdef __SSE2__
	size_t left = (size_t)(end - p);
	unsigned sh, mb, me, x;
	__m128i v;

	if (left > 17 || left < 2 || end - s < 16 ||
	    (unsigned char)p[0] > ' ')
		return 0;
	v = LOGFMT_V16(end - 16);
	sh = 17 - (unsigned)left;		/* the key is at bit 0 */
	mb = LOGFMT_VMASK(LOGFMT_VBLANK(v)) >> sh | 1u << (left - 1);
	me = LOGFMT_VMASK(LOGFMT_VEQ(v, '=')) >> sh;
	if ((x = (unsigned)__builtin_ctz(mb | me)) == 0 ||
	    (me >> x & 1) == 0 || (x + 2 < left && p[x + 2] == '"'))
		return 0;
	*ke = p + 1 + x;
	*we = *ke + 1 + __builtin_ctz(mb >> (x + 1));	/* the end's bit */
	return 1;
#else
	(void)p, (void)end, (void)s, (void)ke, (void)we;
	return 0;
#endif
}

/*
 * The commonest words, one after the other from p while more than 17
 * bytes are left (so the 16 after p, and a value's first byte, are the
 * line's): one blank at p, then a key that ends within those 16, = and a
 * bare value (rules 1, 2 and 5), each read from one load and given to
 * its slot. Returns where it stopped, at a word of another kind or the
 * line's last 17 bytes; p when it read none. Few live values, for the
 * fewest instructions a word.
 */
static const char *
logfmt_run(struct logfmt *lf, const char *p, const char *end)
{
#ifdef __SSE2__
	const uint64_t *lens = lf->keys->lens;
	const __m128i sp = _mm_set1_epi8(' '), eq = _mm_set1_epi8('=');
	const char *k, *ke, *we;
	unsigned mb, me, x, rest;
	__m128i v;

	while (end - p > 17 && (unsigned char)p[0] <= ' ') {
		k = p + 1;
		v = LOGFMT_V16(k);
		mb = LOGFMT_VMASK(_mm_cmpeq_epi8(_mm_min_epu8(v, sp), v));
		me = LOGFMT_VMASK(_mm_cmpeq_epi8(v, eq));
		/* Not a blank or = first: one blank, and a key. */
		if ((x = mb | me) == 0 || (x = (unsigned)__builtin_ctz(x)) == 0)
			break;
		if ((me >> x & 1) == 0 || k[x + 1] == '"')
			break;
		ke = k + x;
		we = (rest = mb >> (x + 1)) != 0 ?
		    ke + 1 + __builtin_ctz(rest) :
		    logfmt_bare_end(k + 16, end, lf->line);
		if (lens[(unsigned char)k[0]] >> (x & 63) & 1)
			logfmt_found(lf, k, x, ke + 1, (size_t)(we - ke - 1));
		p = we;
	}
#else
	(void)lf, (void)end;
#endif
	return p;
}

/*
 * Rules 3 and 7 for the commonest first word, a bare key (a time stamp)
 * that ends within the line's first 32 bytes, from two loads: returns
 * the end of the word, with *lead and *lead_end set and its slot filled
 * if it is a name, or line for any other first word.
 */
static inline const char *
logfmt_first(struct logfmt *lf, const char *line, size_t len,
    const char **lead, const char **lead_end)
{
#ifdef __SSE2__
	const __m128i sp = _mm_set1_epi8(' '), eq = _mm_set1_epi8('=');
	__m128i v0, v1;
	unsigned mb, me, x;

	if (len <= 32 || (unsigned char)line[0] <= ' ')
		return line;
	v0 = LOGFMT_V16(line);
	v1 = LOGFMT_V16(line + 16);
	mb = LOGFMT_VMASK(_mm_cmpeq_epi8(_mm_min_epu8(v0, sp), v0)) |
	    LOGFMT_VMASK(_mm_cmpeq_epi8(_mm_min_epu8(v1, sp), v1)) << 16;
	me = LOGFMT_VMASK(_mm_cmpeq_epi8(v0, eq)) |
	    LOGFMT_VMASK(_mm_cmpeq_epi8(v1, eq)) << 16;
	if ((x = mb | me) == 0 || (mb >> (x = (unsigned)__builtin_ctz(x)) &
	    1) == 0)
		return line;
	*lead = line;
	*lead_end = line + x;
	if (logfmt_keys_maybe(lf->keys, line, x))
		logfmt_put(lf, line, x, line + len, line + x, 0);
	return line + x;
#else
	(void)lf, (void)len, (void)lead, (void)lead_end;
	return line;
#endif
}

/*
 * The words as logfmt_word() reads them, with the common cases first: a
 * bare first word (logfmt_first()), "key=value" one blank after the word
 * before (logfmt_run(), and logfmt_word_kv() at the line's end), then
 * any word whose key ends within 16 bytes. A word's key is
 * k[0..ke - k).
 */
int
logfmt_scan_into(struct logfmt *lf, struct logfmt_field *fields,
    const char *line, size_t len, const char **why, size_t *off)
{
	const struct logfmt_keys *ks = lf->keys;
	const char *p = line, *end = line + len, *at, *k, *ke, *we, *v;
	const char *lead = NULL, *lead_end = NULL;
	size_t vlen, used = 0;
	int inlead = 1, rc;

	lf->fields = fields;
	memset(fields, 0, ks->nslots * sizeof(*fields));
	lf->line = line;
	lf->ok = 0;
	lf->claimed = 0;
	logfmt_fit(lf, len);
	p = logfmt_first(lf, line, len, &lead, &lead_end);
	for (;;) {
		if ((we = logfmt_run(lf, p, end)) != p) {
			inlead = 0;				/* rule 5 */
			p = we;
		}
		if (logfmt_word_kv(p, end, line, &ke, &we)) {	/* rule 5 */
			k = p + 1;
			inlead = 0;
			if (ke > k &&
			    logfmt_keys_maybe(ks, k, (size_t)(ke - k)))
				logfmt_put_kv(lf, k, (size_t)(ke - k), end,
				    ke + 1, (size_t)(we - ke - 1));
			if ((p = we) == end)
				break;
			continue;
		}
		/* Rule 1, most often one blank between words. */
		if (end - p >= 2 && (unsigned char)p[0] <= ' ' &&
		    (unsigned char)p[1] > ' ')
			p++;
		else {
			while (p < end && (unsigned char)*p <= ' ')
				p++;
			if (p == end)
				break;
		}
		k = p;
		if ((rc = logfmt_word16(k, end, line, &ke, &p)) == 0)
			rc = logfmt_word_ends(k, end, line, &ke, &p);
		if (rc == -1) {					/* rule 4 */
			inlead = 0;
			if ((p = logfmt_quoted(ke + 1, end, lf->buf, &used,
			    &v, &vlen, why, &at)) == NULL)
				goto refused;
		} else if (ke == p) {				/* rule 3 */
			if (inlead) {			/* rule 7 */
				if (lead == NULL)
					lead = k;
				lead_end = ke;
			}
			v = ke;
			vlen = 0;
		} else {					/* rule 5 */
			inlead = 0;
			v = ke + 1;
			vlen = (size_t)(p - v);
		}
		if (ke > k && logfmt_keys_maybe(ks, k, (size_t)(ke - k)))
			logfmt_put(lf, k, (size_t)(ke - k), end, v, vlen);
	}
	if (lead != NULL && ks->leading != -1 &&
	    !lf->fields[ks->leading].present) {
		lf->fields[ks->leading].p = lead;
		lf->fields[ks->leading].len = (size_t)(lead_end - lead);
		lf->fields[ks->leading].present = 1;
	}
	lf->len = len;
	lf->pos = 0;
	lf->used = 0;
	lf->unescaped = used;
	lf->ok = 1;
	return (lf->claimed ? LOGFMT_CLAIMED : 0) |
	    (used > 0 ? LOGFMT_UNESCAPED : 0);
refused:							/* rule 8 */
	memset(fields, 0, ks->nslots * sizeof(*fields));
	*off = (size_t)(at - line);
	return -1;
}

int
logfmt_scan(struct logfmt *lf, const char *line, size_t len,
    const char **why, size_t *off)
{
	return logfmt_scan_into(lf, lf->own, line, len, why, off) == -1 ?
	    -1 : 0;
}

const struct logfmt_field *
logfmt_fields(const struct logfmt *lf)
{
	return lf->fields;
}

int
logfmt_claimed(const struct logfmt *lf)
{
	return lf->ok && lf->claimed;
}

size_t
logfmt_unescaped(const struct logfmt *lf)
{
	return lf->ok ? lf->unescaped : 0;
}

/* a[0..n) == b[0..n), in 8-byte words (the last one ending at n). */
static inline int
logfmt_same(const char *a, const char *b, size_t n)
{
	size_t i;

	if (n < 8) {
		for (i = 0; i < n; i++)
			if (a[i] != b[i])
				return 0;
		return 1;
	}
	for (i = 0; i + 8 < n; i += 8)
		if (logfmt_load(a + i) != logfmt_load(b + i))
			return 0;
	return logfmt_load(a + n - 8) == logfmt_load(b + n - 8);
}

/* key[0..klen) is at k, in the line that starts at s, after a blank. */
static inline int
logfmt_key_at(const char *s, const char *k, const char *key, size_t klen)
{
	return (k == s || (unsigned char)k[-1] <= ' ') &&
	    logfmt_same(k, key, klen);
}

/*
 * The candidates are the k with k[0] == key[0] and k[klen] == '=', from
 * the first = on; with SSE2 16 of them are tested at once, the last few
 * as the line's last 16.
 */
int
logfmt_has_key(const char *line, size_t len, const char *key, size_t klen)
{
	const char *eq, *p, *last;
#ifdef __SSE2__
	const char *q;
	__m128i c0, ce;
	unsigned m;
#endif

	if (len <= klen || (eq = memchr(line + klen, '=', len - klen)) == NULL)
		return 0;
	p = eq - klen;
	last = line + len - klen - 1;
#ifdef __SSE2__
	if (last - p >= 15) {
		c0 = _mm_set1_epi8(key[0]);
		ce = _mm_set1_epi8('=');
		for (; last - p >= 15; p += 16)
			for (m = LOGFMT_VMASK(_mm_and_si128(_mm_cmpeq_epi8(
			    LOGFMT_V16(p), c0), _mm_cmpeq_epi8(
			    LOGFMT_V16(p + klen), ce))); m != 0; m &= m - 1)
				if (logfmt_key_at(line, p + __builtin_ctz(m),
				    key, klen))
					return 1;
		if (p > last)
			return 0;
		q = last - 15;
		for (m = LOGFMT_VMASK(_mm_and_si128(_mm_cmpeq_epi8(
		    LOGFMT_V16(q), c0), _mm_cmpeq_epi8(LOGFMT_V16(q + klen),
		    ce))) >> (p - q) << (p - q); m != 0; m &= m - 1)
			if (logfmt_key_at(line, q + __builtin_ctz(m), key,
			    klen))
				return 1;
		return 0;
	}
#endif
	for (; p <= last; p++)
		if (p[klen] == '=' && p[0] == key[0] &&
		    logfmt_key_at(line, p, key, klen))
			return 1;
	return 0;
}

int
logfmt_next(struct logfmt *lf, struct logfmt_pair *pair)
{
	struct logfmt_word w;
	const char *p, *why, *at;

	if (!lf->ok)
		return 0;
	p = lf->line + lf->pos;
	if (logfmt_word(&p, lf->line, lf->line + lf->len, &w,
	    lf->buf + lf->cap, &lf->used, &why, &at) != 1) {
		lf->ok = 0;	/* the end: a line read has no fault */
		return 0;
	}
	lf->pos = (size_t)(p - lf->line);
	pair->key = w.key;
	pair->keylen = w.keylen;
	pair->val = w.val;
	pair->vallen = w.vallen;
	pair->off = (size_t)(w.key - lf->line);
	pair->bare = w.bare;
	return 1;
}
