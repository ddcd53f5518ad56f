/*
 * rxlint: exponential backtracking, found in a pattern's text and then
 * confirmed by running the suspect group. See rxlint.h.
 *
 * The reader is a small recursive descent over PCRE2 syntax that keeps,
 * for every item, three approximate byte sets: what a match of it can
 * start with (first), what it can hold (all) and what a repeat inside it
 * can hold (rep). A group under a big repeat is a suspect when a repeat
 * inside it can run into the next iteration (rep meets first), when its
 * branches can start alike, or when it can match nothing. The sets only
 * choose suspects and pump characters; PCRE2 has the last word.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rxlint.h"

#define RXLINT_INF	(-1)	/* no upper bound */
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
	const char	*p;
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

/* Skip a {...}, <...> or '...' argument, or digits, at p. */
static const char *
rxlint_skip_arg(const char *p)
{
	const char *close = NULL;

	if (*p == '{')
		close = "}";
	else if (*p == '<')
		close = ">";
	else if (*p == '\'')
		close = "'";
	if (close != NULL) {
		p = strchr(p, *close);
		return p == NULL ? "" : p + 1;
	}
	if (*p == '-' || *p == '+')
		p++;
	while (*p >= '0' && *p <= '9')
		p++;
	return p;
}

/*
 * An escape after the backslash at r->p: a literal byte (return it), a
 * class (set, return -1), zero width (return -2) or a back reference
 * or subroutine call (set to anything, return -3).
 */
static int
rxlint_escape(struct rxlint *r, struct rxlint_set *set)
{
	const char *p = r->p + 1;
	char c = *p;
	unsigned long v;
	char *end;

	r->p = p + (c != '\0');
	switch (c) {
	case 'd': case 'D': case 'w': case 'W': case 's': case 'S':
	case 'h': case 'H': case 'v': case 'V': case 'N': case 'R':
	case 'X': case 'C':
		rxlint_class_of(set, c);
		return -1;
	case 'p': case 'P':
		r->p = *r->p == '{' ? rxlint_skip_arg(r->p) :
		    r->p + (*r->p != '\0');
		rxlint_class_of(set, c);
		return -1;
	case 'b': case 'B': case 'A': case 'z': case 'Z': case 'G': case 'K':
	case 'E': case '\0':
		return -2;
	case 'g': case 'k':
		r->p = rxlint_skip_arg(r->p);
		rxlint_class_of(set, 'N');
		return -3;
	case 'x': case 'o':
		if (*r->p == '{') {
			v = strtoul(r->p + 1, &end, c == 'x' ? 16 : 8);
			r->p = rxlint_skip_arg(r->p);
		} else if (c == 'o')
			return 'o';
		else {
			char hex[3] = { 0, 0, 0 };
			size_t n = strspn(r->p, "0123456789abcdefABCDEF");

			memcpy(hex, r->p, n > 2 ? 2 : n);
			v = strtoul(hex, NULL, 16);
			r->p += strlen(hex);
		}
		return (int)(v > 255 ? 0xc0 : v);
	case 'c':
		if (*r->p == '\0')
			return 'c';
		return (unsigned char)*r->p++ ^ 0x40;
	case 'a': return '\a';
	case 'e': return 0x1b;
	case 'f': return '\f';
	case 'n': return '\n';
	case 'r': return '\r';
	case 't': return '\t';
	case '0':
		v = strtoul(p, &end, 8);
		r->p = end;
		return (int)(v & 0xff);
	default:
		break;
	}
	if (c >= '1' && c <= '9') {
		r->p = rxlint_skip_arg(p);
		rxlint_class_of(set, 'N');
		return -3;
	}
	return (unsigned char)c;
}

/* A POSIX class name at p ("[:alpha:]"): its bytes, ASCII only. */
static const char *
rxlint_posix(const char *p, struct rxlint_set *s)
{
	static const struct { const char *name, *esc; } names[] = {
		{ "digit", "d" }, { "space", "s" }, { "word", "w" },
		{ "blank", "h" }, { NULL, NULL }
	};
	const char *end = strstr(p + 2, ":]");
	struct rxlint_set t;
	size_t i, len;

	if (end == NULL)
		return NULL;
	len = (size_t)(end - (p + 2));
	for (i = 0; names[i].name != NULL; i++)
		if (strlen(names[i].name) == len &&
		    memcmp(p + 2, names[i].name, len) == 0)
			break;
	if (names[i].name != NULL)
		rxlint_class_of(&t, names[i].esc[0]);
	else {
		/* alpha, alnum, upper, punct, ...: printable ASCII, say. */
		memset(&t, 0, sizeof(t));
		rxlint_range(&t, 0x21, 0x7e);
	}
	rxlint_union(s, &t);
	return end + 2;
}

/* A class [...] at r->p into set. */
static void
rxlint_class(struct rxlint *r, struct rxlint_set *set)
{
	struct rxlint_set t;
	const char *p = r->p + 1, *q;
	int neg = 0, c, prev = -1;

	memset(set, 0, sizeof(*set));
	if (*p == '^') {
		neg = 1;
		p++;
	}
	if (*p == ']') {
		rxlint_add(set, ']');
		prev = ']';
		p++;
	}
	while (*p != '\0' && *p != ']') {
		if (p[0] == '[' && p[1] == ':') {
			if ((q = rxlint_posix(p, set)) == NULL) {
				p += strlen(p);
				break;
			}
			p = q;
			prev = -1;
			continue;
		}
		if (*p == '-' && prev >= 0 && p[1] != ']' && p[1] != '\0') {
			p++;
			if (*p == '\\') {
				r->p = p;
				c = rxlint_escape(r, &t);
				p = r->p;
			} else
				c = (unsigned char)*p++;
			if (c >= 0)
				rxlint_range(set, (unsigned)prev, (unsigned)c);
			prev = -1;
			continue;
		}
		if (*p == '\\') {
			r->p = p;
			if (p[1] == 'b') {	/* backspace in a class */
				c = '\b';
				r->p = p + 2;
			} else
				c = rxlint_escape(r, &t);
			p = r->p;
			if (c == -1 || c == -3)
				rxlint_union(set, &t);
		} else
			c = (unsigned char)*p++;
		if (c >= 0)
			rxlint_add(set, (unsigned)c);
		prev = c;
	}
	r->p = *p == ']' ? p + 1 : p;
	if (neg)
		rxlint_invert(set);
}

/*
 * A quantifier at r->p: 1 and *min, *max (RXLINT_INF), *poss for a
 * possessive one; 0 when there is none (a { that is a literal too).
 */
static int
rxlint_quant(struct rxlint *r, long *min, long *max, int *poss)
{
	const char *p = r->p;
	char *end;

	switch (*p) {
	case '?':
		*min = 0;
		*max = 1;
		p++;
		break;
	case '*':
		*min = 0;
		*max = RXLINT_INF;
		p++;
		break;
	case '+':
		*min = 1;
		*max = RXLINT_INF;
		p++;
		break;
	case '{':
		if (p[1] < '0' || p[1] > '9')
			return 0;
		*min = *max = strtol(p + 1, &end, 10);
		if (*end == ',') {
			*max = RXLINT_INF;
			if (end[1] >= '0' && end[1] <= '9')
				*max = strtol(end + 1, &end, 10);
			else
				end++;
		}
		if (*end != '}')
			return 0;
		p = end + 1;
		break;
	default:
		return 0;
	}
	*poss = *p == '+';
	if (*p == '+' || *p == '?')
		p++;
	r->p = p;
	return 1;
}

/*
 * What follows "(?" at p: the kind of group, and p past its opening.
 * 'b' body, 'l' lookaround, 'a' atomic, 'c' condition, 'o' options
 * alone (nothing to match), 'r' a call or back reference by name.
 */
static int
rxlint_opening(const char **pp)
{
	const char *p = *pp;
	size_t n;

	if (*p == '=' || *p == '!') {
		*pp = p + 1;
		return 'l';
	}
	if (*p == '<' && (p[1] == '=' || p[1] == '!')) {
		*pp = p + 2;
		return 'l';
	}
	if (*p == '>' || *p == ':' || *p == '|') {
		*pp = p + 1;
		return *p == '>' ? 'a' : 'b';
	}
	if (*p == '<' || *p == '\'' || (*p == 'P' && p[1] == '<')) {
		*pp = rxlint_skip_arg(p + (*p == 'P'));
		return 'b';
	}
	if (*p == '(')
		return 'c';
	/* (?R) (?1) (?-1) (?&name) (?P>name) (?P=name), or options. */
	if (strchr("R0123456789+-&P", *p) != NULL && (*p != '-' ||
	    (p[1] >= '0' && p[1] <= '9')))
		return 'r';
	n = strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ^-");
	*pp = p + n + (p[n] == ':');
	return p[n] == ':' ? 'b' : 'o';
}

/* A group at r->p (the "("): its body into in; r->p past the ")". */
static void
rxlint_group(struct rxlint *r, struct rxlint_info *in)
{
	const char *p = r->p + 1, *q;
	int kind = 'b';

	memset(in, 0, sizeof(*in));
	in->alone = 1;
	if (r->depth >= RXLINT_DEPTH) {
		r->p += strlen(r->p);
		return;
	}
	if (p[0] == '*' || (p[0] == '?' && p[1] == '#')) {
		/* A verb or a comment: nothing to match. */
		q = strchr(p, ')');
		r->p = q == NULL ? p + strlen(p) : q + 1;
		in->nullable = in->zerowidth = 1;
		return;
	}
	if (p[0] == '?') {
		p++;
		kind = rxlint_opening(&p);
	}
	if (kind == 'o' || kind == 'r') {
		q = strchr(p, ')');
		r->p = q == NULL ? p + strlen(p) : q + 1;
		in->nullable = in->zerowidth = kind == 'o';
		if (kind == 'r') {
			in->alone = 0;
			rxlint_class_of(&in->first, 'N');
			in->all = in->first;
		}
		return;
	}
	r->depth++;
	if (kind == 'c') {
		/* The condition is a group of its own. */
		r->p = p;
		rxlint_group(r, in);
		p = r->p;
	}
	r->p = p;
	rxlint_alt(r, in);
	r->depth--;
	if (*r->p == ')')
		r->p++;
	if (kind == 'c')
		in->alone = 0;
	if (kind == 'l') {
		memset(in, 0, sizeof(*in));
		in->alone = in->nullable = in->zerowidth = 1;
	}
	if (kind == 'a') {
		memset(&in->rep, 0, sizeof(in->rep));
		in->ambalt = 0;
	}
}

/* One atom at r->p, without its quantifier. */
static void
rxlint_atom(struct rxlint *r, struct rxlint_info *in)
{
	struct rxlint_set set;
	const char *q;
	int c;

	switch (*r->p) {
	case '(':
		rxlint_group(r, in);
		return;
	case '[':
		memset(in, 0, sizeof(*in));
		in->alone = 1;
		rxlint_class(r, &in->first);
		in->all = in->first;
		return;
	case '.':
		r->p++;
		memset(in, 0, sizeof(*in));
		in->alone = 1;
		rxlint_class_of(&in->first, 'N');
		in->all = in->first;
		return;
	case '^':
	case '$':
		r->p++;
		memset(in, 0, sizeof(*in));
		in->alone = in->nullable = in->zerowidth = 1;
		return;
	case '\\':
		if (r->p[1] == 'Q') {
			/* Literal text up to \E: as a run of literals. */
			q = strstr(r->p + 2, "\\E");
			rxlint_lit(in, (unsigned char)r->p[2]);
			if (q == NULL)
				q = r->p + strlen(r->p);
			in->nullable = q == r->p + 2;
			for (c = 2; r->p + c < q; c++)
				rxlint_add(&in->all, (unsigned char)r->p[c]);
			r->p = *q != '\0' ? q + 2 : q;
			return;
		}
		c = rxlint_escape(r, &set);
		if (c >= 0) {
			rxlint_lit(in, (unsigned)c);
			return;
		}
		memset(in, 0, sizeof(*in));
		in->alone = c != -3;
		if (c == -2) {
			in->nullable = in->zerowidth = 1;
			return;
		}
		in->first = in->all = set;
		return;
	default:
		rxlint_lit(in, (unsigned char)*r->p++);
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
	const char *start = r->p;
	struct rxlint_cand *c;
	long min = 1, max = 1;
	int poss = 0, big;

	rxlint_atom(r, in);
	if (!rxlint_quant(r, &min, &max, &poss) || in->zerowidth)
		return;
	if (max == 0) {
		memset(in, 0, sizeof(*in));
		in->alone = in->nullable = 1;
		return;
	}
	big = !poss && (max == RXLINT_INF || max >= RXLINT_BIG);
	if (big && *start == '(' && (in->nullable || in->ambalt ||
	    rxlint_meets(&in->rep, &in->first)) && r->ncand < RXLINT_NCAND) {
		c = &r->cand[r->ncand++];
		c->start = (size_t)(start - r->pat);
		c->end = (size_t)(r->p - r->pat);
		c->alone = in->alone;
		rxlint_pumpset(in, &c->pump);
	}
	if (big)
		rxlint_union(&in->rep, &in->all);
	if (poss)
		memset(&in->rep, 0, sizeof(in->rep));
	if (min == 0)
		in->nullable = 1;
	in->ambalt = 0;
}

/* A sequence of items, up to | or ) or the end. */
static void
rxlint_seq(struct rxlint *r, struct rxlint_info *in)
{
	struct rxlint_info it;
	int open = 1;		/* the items so far can match nothing */

	memset(in, 0, sizeof(*in));
	in->alone = in->nullable = 1;
	while (*r->p != '\0' && *r->p != '|' && *r->p != ')') {
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
		if (*r->p != '|')
			break;
		r->p++;
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
	char unit[RXLINT_PUMP + 1], group[256], shown[64];
	size_t i;
	int rc;

	if (whylen > 0)
		why[0] = '\0';
	memset(&r, 0, sizeof(r));
	r.pat = r.p = pat;
	/* Unbalanced ) end a sequence: read on past them. */
	while (*r.p != '\0') {
		rxlint_alt(&r, &top);
		if (*r.p == ')')
			r.p++;
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
