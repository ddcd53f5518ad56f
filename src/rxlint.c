/*
 * rxlint: exponential backtracking, found in a pattern's text and then
 * confirmed by running the suspect group. See rxlint.h.
 *
 * The reader is a small recursive descent over the pattern's tokens
 * (rxscan) that keeps, for every item, three approximate byte sets: what
 * a match of it can start with (first), what it can hold (all) and what
 * a repeat inside it can hold (rep). A group under a big repeat is a
 * suspect when a repeat inside it can run into the next iteration (rep
 * meets first), when its branches can start alike, or when it can match
 * nothing. The sets only choose suspects and pump characters; PCRE2 has
 * the last word.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rxlint.h"
#include "rxscan.h"

#define RXLINT_BIG	10	/* a bounded repeat this large is a big one */
#define RXLINT_DEPTH	250	/* PCRE2's own nesting limit */
#define RXLINT_NCAND	8	/* suspects tried per pattern */
#define RXLINT_NPUMP	8	/* pump strings tried per suspect */

struct rxlint_set {
	unsigned char	b[32];
};

struct rxlint_info {
	struct rxlint_set first;
	struct rxlint_set all;
	struct rxlint_set rep;
	int		 nullable;
	int		 ambalt;	/* branches that can start alike */
	int		 zerowidth;	/* an anchor or a lookaround */
	int		 alone;		/* can be compiled on its own */
};

struct rxlint_cand {
	size_t		 start, end;	/* group and quantifier in pat */
	struct rxlint_set pump;		/* characters worth repeating */
	int		 alone;
};

struct rxlint {
	const char	*pat;
	size_t		 len;
	struct rxscan	 s;
	int		 depth;
	struct rxlint_cand cand[RXLINT_NCAND];
	size_t		 ncand;
};

static void rxlint_alt(struct rxlint *, struct rxlint_info *);

static void
rxlint_add(struct rxlint_set *s, unsigned c)
{
	s->b[(c & 0xff) >> 3] |= 1 << (c & 7);
}

static int
rxlint_has(const struct rxlint_set *s, unsigned c)
{
	return (s->b[(c & 0xff) >> 3] >> (c & 7)) & 1;
}

static void
rxlint_union(struct rxlint_set *to, const struct rxlint_set *from)
{
	size_t i;

	for (i = 0; i < sizeof(to->b); i++)
		to->b[i] |= from->b[i];
}

static int
rxlint_meets(const struct rxlint_set *a, const struct rxlint_set *b)
{
	size_t i;

	for (i = 0; i < sizeof(a->b); i++)
		if (a->b[i] & b->b[i])
			return 1;
	return 0;
}

static void
rxlint_invert(struct rxlint_set *s)
{
	size_t i;

	for (i = 0; i < sizeof(s->b); i++)
		s->b[i] = (unsigned char)~s->b[i];
}

static void
rxlint_range(struct rxlint_set *s, unsigned lo, unsigned hi)
{
	for (; lo <= hi && lo < 256; lo++)
		rxlint_add(s, lo);
}

static void
rxlint_chars(struct rxlint_set *s, const char *chars)
{
	for (; *chars != '\0'; chars++)
		rxlint_add(s, (unsigned char)*chars);
}

/* One literal byte as an item. */
static void
rxlint_lit(struct rxlint_info *in, unsigned c)
{
	memset(in, 0, sizeof(*in));
	in->alone = 1;
	rxlint_add(&in->first, c);
	rxlint_add(&in->all, c);
}

static void
rxlint_class_of(struct rxlint_set *s, char c)
{
	memset(s, 0, sizeof(*s));
	switch (c) {
	case 'd': case 'D':
		rxlint_range(s, '0', '9');
		break;
	case 'w': case 'W':
		rxlint_range(s, '0', '9');
		rxlint_range(s, 'a', 'z');
		rxlint_range(s, 'A', 'Z');
		rxlint_add(s, '_');
		break;
	case 's': case 'S':
		rxlint_chars(s, " \t\n\v\f\r");
		break;
	case 'h': case 'H':
		rxlint_chars(s, " \t");
		rxlint_add(s, 0xa0);
		break;
	case 'v': case 'V': case 'R':
		rxlint_chars(s, "\n\v\f\r");
		break;
	default:	/* \N \X \C \p \P: anything (\N: but a newline) */
		rxlint_invert(s);
		if (c == 'N')
			s->b['\n' >> 3] &= (unsigned char)~(1 << ('\n' & 7));
		return;
	}
	if (strchr("DWSHV", c) != NULL)
		rxlint_invert(s);
}

/* A POSIX class name ("alpha" of [:alpha:]) into s: ASCII only. */
static void
rxlint_posix(const struct rxscan_tok *t, struct rxlint_set *s)
{
	static const struct { const char *name, *esc; } names[] = {
		{ "digit", "d" }, { "space", "s" }, { "word", "w" },
		{ "blank", "h" }, { NULL, NULL }
	};
	struct rxlint_set u;
	size_t i;

	for (i = 0; names[i].name != NULL; i++)
		if (strlen(names[i].name) == t->textlen &&
		    memcmp(t->text, names[i].name, t->textlen) == 0)
			break;
	if (names[i].name != NULL)
		rxlint_class_of(&u, names[i].esc[0]);
	else {
		/* alpha, alnum, upper, punct, ...: printable ASCII, say. */
		memset(&u, 0, sizeof(u));
		rxlint_range(&u, 0x21, 0x7e);
	}
	rxlint_union(s, &u);
}

/* The members of class token cl into set. */
static void
rxlint_class(struct rxlint *r, const struct rxscan_tok *cl,
    struct rxlint_set *set)
{
	struct rxscan m;
	struct rxscan_tok t;
	struct rxlint_set u;

	memset(set, 0, sizeof(*set));
	rxscan_class(&m, &r->s, cl);
	while (rxscan_member(&m, &t)) {
		switch (t.kind) {
		case RXSCAN_LIT:
		case RXSCAN_RANGE:
			rxlint_add(set, (unsigned)t.c);
			/* A range to a class or an assertion adds nothing. */
			if (t.kind == RXSCAN_RANGE && t.hi >= 0)
				rxlint_range(set, (unsigned)t.c,
				    (unsigned)t.hi);
			break;
		case RXSCAN_TYPE:
		case RXSCAN_REF:
			rxlint_class_of(&u, t.kind == RXSCAN_REF ? 'N' : t.c);
			rxlint_union(set, &u);
			break;
		case RXSCAN_POSIX:
			rxlint_posix(&t, set);
			break;
		default:	/* an assertion: nothing */
			break;
		}
	}
	if (cl->neg)
		rxlint_invert(set);
}

/* The kind of the next token, left unread. */
static int
rxlint_peek(const struct rxlint *r)
{
	struct rxscan_tok t;

	rxscan_peek(&r->s, &t);
	return t.kind;
}

/* A group or a (...) read whole, token t: its body into in. */
static void
rxlint_group(struct rxlint *r, const struct rxscan_tok *t,
    struct rxlint_info *in)
{
	struct rxscan_tok u;

	memset(in, 0, sizeof(*in));
	in->alone = 1;
	if (r->depth >= RXLINT_DEPTH) {
		rxscan_seek(&r->s, r->len);
		return;
	}
	switch (t->kind) {
	case RXSCAN_VERB:
	case RXSCAN_COMMENT:
	case RXSCAN_SETOPTS:
		/* Nothing to match. */
		in->nullable = in->zerowidth = 1;
		return;
	case RXSCAN_CALL:
		in->alone = 0;
		rxlint_class_of(&in->first, 'N');
		in->all = in->first;
		return;
	default:
		break;
	}
	r->depth++;
	if (t->group == RXSCAN_COND) {
		/* The condition is a group of its own. */
		rxscan_next(&r->s, &u);
		rxlint_group(r, &u, in);
	}
	rxlint_alt(r, in);
	r->depth--;
	if (rxlint_peek(r) == RXSCAN_CLOSE)
		rxscan_next(&r->s, &u);
	if (t->group == RXSCAN_COND)
		in->alone = 0;
	if (t->group == RXSCAN_LOOK) {
		memset(in, 0, sizeof(*in));
		in->alone = in->nullable = in->zerowidth = 1;
	}
	if (t->group == RXSCAN_ATOMIC) {
		memset(&in->rep, 0, sizeof(in->rep));
		in->ambalt = 0;
	}
}

/* One atom, without its quantifier: t is its token. */
static void
rxlint_atom(struct rxlint *r, struct rxlint_info *in, struct rxscan_tok *t)
{
	size_t i;

	rxscan_next(&r->s, t);
	memset(in, 0, sizeof(*in));
	in->alone = 1;
	switch (t->kind) {
	case RXSCAN_OPEN:
	case RXSCAN_SETOPTS:
	case RXSCAN_COMMENT:
	case RXSCAN_VERB:
	case RXSCAN_CALL:
		rxlint_group(r, t, in);
		return;
	case RXSCAN_CLASS:
		rxlint_class(r, t, &in->first);
		in->all = in->first;
		return;
	case RXSCAN_TYPE:
		rxlint_class_of(&in->first, t->c == '.' ? 'N' : t->c);
		in->all = in->first;
		return;
	case RXSCAN_ANCHOR:
		in->nullable = in->zerowidth = 1;
		return;
	case RXSCAN_REF:
		in->alone = 0;
		rxlint_class_of(&in->first, 'N');
		in->all = in->first;
		return;
	case RXSCAN_QUOTE:
		/* As a run of literals; the first is the byte after \Q. */
		rxlint_lit(in, (unsigned char)t->text[0]);
		in->nullable = t->textlen == 0;
		for (i = 0; i < t->textlen; i++)
			rxlint_add(&in->all, (unsigned char)t->text[i]);
		return;
	default:
		rxlint_lit(in, (unsigned)t->c);
		return;
	}
}

/* The bytes to repeat when testing a suspect group. */
static void
rxlint_pumpset(const struct rxlint_info *in, struct rxlint_set *pump)
{
	*pump = in->rep;
	if (!rxlint_meets(&in->rep, &in->first) || in->ambalt)
		*pump = in->first;
	else {
		size_t i;

		for (i = 0; i < sizeof(pump->b); i++)
			pump->b[i] &= in->first.b[i];
	}
}

/* An atom and its quantifier; a big repeat of a suspect group is noted. */
static void
rxlint_item(struct rxlint *r, struct rxlint_info *in)
{
	size_t start = r->s.pos;
	struct rxscan_tok t, q;
	struct rxlint_cand *c;
	int big;

	rxlint_atom(r, in, &t);
	if (!rxscan_quant(&r->s, &q) || in->zerowidth)
		return;
	if (q.max == 0) {
		memset(in, 0, sizeof(*in));
		in->alone = in->nullable = 1;
		return;
	}
	big = !q.poss && (q.max == RXSCAN_INF || q.max >= RXLINT_BIG);
	if (big && t.kind == RXSCAN_OPEN && (in->nullable || in->ambalt ||
	    rxlint_meets(&in->rep, &in->first)) && r->ncand < RXLINT_NCAND) {
		c = &r->cand[r->ncand++];
		c->start = start;
		c->end = r->s.pos;
		c->alone = in->alone;
		rxlint_pumpset(in, &c->pump);
	}
	if (big)
		rxlint_union(&in->rep, &in->all);
	if (q.poss)
		memset(&in->rep, 0, sizeof(in->rep));
	if (q.min == 0)
		in->nullable = 1;
	in->ambalt = 0;
}

/* A sequence of items, up to | or ) or the end. */
static void
rxlint_seq(struct rxlint *r, struct rxlint_info *in)
{
	struct rxlint_info it;
	int open = 1;		/* the items so far can match nothing */
	int k;

	memset(in, 0, sizeof(*in));
	in->alone = in->nullable = 1;
	while ((k = rxlint_peek(r)) != RXSCAN_END && k != RXSCAN_ALT &&
	    k != RXSCAN_CLOSE) {
		rxlint_item(r, &it);
		if (open)
			rxlint_union(&in->first, &it.first);
		open = open && it.nullable;
		rxlint_union(&in->all, &it.all);
		rxlint_union(&in->rep, &it.rep);
		in->alone = in->alone && it.alone;
		/* An unrepeated group's branches are this sequence's. */
		in->ambalt = in->ambalt || it.ambalt;
	}
	in->nullable = open;
}

/* Branches up to ) or the end. */
static void
rxlint_alt(struct rxlint *r, struct rxlint_info *in)
{
	struct rxlint_info br;
	struct rxscan_tok t;
	int n = 0;

	memset(in, 0, sizeof(*in));
	in->alone = 1;
	for (;;) {
		rxlint_seq(r, &br);
		if (n > 0 && (rxlint_meets(&in->first, &br.first) ||
		    br.nullable || in->nullable))
			in->ambalt = 1;
		rxlint_union(&in->first, &br.first);
		rxlint_union(&in->all, &br.all);
		rxlint_union(&in->rep, &br.rep);
		in->nullable = in->nullable || br.nullable;
		in->alone = in->alone && br.alone;
		n++;
		if (rxlint_peek(r) != RXSCAN_ALT)
			break;
		rxscan_next(&r->s, &t);
	}
}

/* Up to n pump units for c: its best bytes, then the literals it holds. */
static size_t
rxlint_pumps(const char *pat, const struct rxlint_cand *c,
    char units[][RXLINT_PUMP + 1], size_t n)
{
	static const char pref[] = "a0A -_./:=,;\"'!#%&";
	size_t i, k = 0, j = 0;
	unsigned ch;
	char lits[RXLINT_PUMP + 1];

	for (i = 0; pref[i] != '\0' && k < 2; i++)
		if (rxlint_has(&c->pump, (unsigned char)pref[i])) {
			units[k][0] = pref[i];
			units[k++][1] = '\0';
		}
	for (ch = 1; ch < 256 && k == 0; ch++)
		if (rxlint_has(&c->pump, ch)) {
			units[k][0] = (char)ch;
			units[k++][1] = '\0';
		}
	/* Literals written in the group, one by one and together. */
	for (i = c->start; i < c->end && j < RXLINT_PUMP; i++) {
		ch = (unsigned char)pat[i];
		if (i > c->start && pat[i - 1] == '\\')
			continue;
		if (ch > 0x20 && ch < 0x7f &&
		    strchr("\\()[]{}|*+?.^$<>", (int)ch) == NULL) {
			lits[j++] = (char)ch;
			if (k < n - 1 && memchr(lits, (int)ch, j - 1) == NULL) {
				units[k][0] = (char)ch;
				units[k++][1] = '\0';
			}
		}
	}
	lits[j] = '\0';
	if (j > 1 && k < n)
		memcpy(units[k++], lits, j + 1);
	return k;
}

/*
 * Run the group alone on each pump, forced to fail so that PCRE2 tries
 * every way: 1 and *unit when one runs past the limit, 0 when none
 * does, -1 when the group cannot run alone.
 */
static int
rxlint_run(const char *pat, const struct rxlint_cand *c, char *unit,
    size_t unitlen)
{
	char units[RXLINT_NPUMP][RXLINT_PUMP + 1], subj[2 * RXLINT_PUMP + 2];
	pcre2_match_context *mc;
	pcre2_match_data *md;
	pcre2_code *code;
	PCRE2_SIZE off;
	size_t n, i, len, ulen;
	char *sub;
	int rc = 0, err;

	if (!c->alone)
		return -1;
	len = c->end - c->start;
	if ((sub = malloc(len + 32)) == NULL)
		return -1;
	snprintf(sub, len + 32, "^(?:%.*s)(*FAIL)", (int)len, pat + c->start);
	code = pcre2_compile((PCRE2_SPTR)sub, PCRE2_ZERO_TERMINATED, 0, &err,
	    &off, NULL);
	free(sub);
	if (code == NULL)
		return -1;
	md = pcre2_match_data_create_from_pattern(code, NULL);
	mc = pcre2_match_context_create(NULL);
	if (md == NULL || mc == NULL) {
		rc = -1;
		goto done;
	}
	pcre2_set_match_limit(mc, RXLINT_LIMIT);
	n = rxlint_pumps(pat, c, units, RXLINT_NPUMP);
	for (i = 0; i < n && rc == 0; i++) {
		ulen = strlen(units[i]);
		for (len = 0; len < RXLINT_PUMP; len += ulen)
			memcpy(subj + len, units[i], ulen);
		err = pcre2_match(code, (PCRE2_SPTR)subj, len, 0, 0, md, mc);
		if (err == PCRE2_ERROR_MATCHLIMIT ||
		    err == PCRE2_ERROR_DEPTHLIMIT ||
		    err == PCRE2_ERROR_HEAPLIMIT) {
			snprintf(unit, unitlen, "%s", units[i]);
			rc = 1;
		}
	}
done:
	pcre2_match_context_free(mc);
	pcre2_match_data_free(md);
	pcre2_code_free(code);
	return rc;
}

/* s[0..len) into buf for a message: bytes outside printable ASCII as
 * \xHH, cut with "..." past max bytes. */
static void
rxlint_show(char *buf, size_t bufsz, const char *s, size_t len, size_t max)
{
	size_t i, o = 0;
	unsigned char ch;

	for (i = 0; i < len && i < max && o + 5 < bufsz; i++) {
		ch = (unsigned char)s[i];
		if (ch >= 0x20 && ch < 0x7f)
			buf[o++] = (char)ch;
		else
			o += (size_t)snprintf(buf + o, bufsz - o, "\\x%02x", ch);
	}
	if (i < len && o + 4 < bufsz) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
}

int
rxlint_check(const char *pat, char *why, size_t whylen)
{
	struct rxlint r;
	struct rxlint_info top;
	struct rxscan_tok t;
	char unit[RXLINT_PUMP + 1], group[256], shown[64];
	size_t i;
	int rc;

	if (whylen > 0)
		why[0] = '\0';
	memset(&r, 0, sizeof(r));
	r.pat = pat;
	r.len = strlen(pat);
	rxscan_init(&r.s, pat);
	/* Unbalanced ) end a sequence: read on past them. */
	while (rxlint_peek(&r) != RXSCAN_END) {
		rxlint_alt(&r, &top);
		if (rxlint_peek(&r) == RXSCAN_CLOSE)
			rxscan_next(&r.s, &t);
	}
	for (i = 0; i < r.ncand; i++) {
		const struct rxlint_cand *c = &r.cand[i];

		if ((rc = rxlint_run(pat, c, unit, sizeof(unit))) != 1)
			continue;
		rxlint_show(group, sizeof(group), pat + c->start,
		    c->end - c->start, 60);
		rxlint_show(shown, sizeof(shown), unit, strlen(unit), 10);
		snprintf(why, whylen, "%s can match the same text in many "
		    "ways (a run of %d bytes of \"%s\" takes over %d "
		    "backtracking steps)", group, RXLINT_PUMP, shown,
		    RXLINT_LIMIT);
		return 1;
	}
	return 0;
}
