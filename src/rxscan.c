/*
 * rxscan: a PCRE2 pattern's text as tokens. See rxscan.h.
 *
 * The reading is approximate where PCRE2 would reject the text or where
 * only its compiler knows (extended mode is not read; \Q...\E is not
 * read in a class): its users take what they read as a hint, checked by
 * PCRE2 or kept conservative.
 */
#include <stdlib.h>
#include <string.h>

#include "rxscan.h"

static int
rxscan_isdigit(int c)
{
	return c >= '0' && c <= '9';
}

/* Past a {...}, <...> or '...' argument, or a signed number, at p. */
static const char *
rxscan_arg(const char *p)
{
	const char *q;
	char close = '\0';

	if (*p == '{')
		close = '}';
	else if (*p == '<')
		close = '>';
	else if (*p == '\'')
		close = '\'';
	if (close != '\0') {
		/* From p itself: a ' argument ends at its opening '. */
		q = strchr(p, close);
		return q == NULL ? p + strlen(p) : q + 1;
	}
	if (*p == '-' || *p == '+')
		p++;
	while (rxscan_isdigit(*p))
		p++;
	return p;
}

/*
 * The escape at p (its \) into t: LIT, TYPE, ANCHOR or REF. member: p
 * is a class member, where \b is a backspace. Returns the byte past it.
 */
static const char *
rxscan_escape(const char *p, struct rxscan_tok *t, int member)
{
	char c = p[1], hex[3] = { 0, 0, 0 };
	const char *q = p + 1 + (c != '\0');
	unsigned long v;
	char *end;
	size_t n;

	t->esc = (unsigned char)c;
	t->c = (unsigned char)c;
	t->kind = RXSCAN_LIT;
	switch (c) {
	case 'd': case 'D': case 'w': case 'W': case 's': case 'S':
	case 'h': case 'H': case 'v': case 'V': case 'N': case 'R':
	case 'X': case 'C':
		t->kind = RXSCAN_TYPE;
		return q;
	case 'p': case 'P':
		t->kind = RXSCAN_TYPE;
		return *q == '{' ? rxscan_arg(q) : q + (*q != '\0');
	case 'b':
		if (member) {
			t->c = '\b';
			return q;
		}
		/* FALLTHROUGH */
	case 'B': case 'A': case 'z': case 'Z': case 'G': case 'K':
	case 'E': case '\0':
		t->kind = RXSCAN_ANCHOR;
		return q;
	case 'g': case 'k':
		t->kind = RXSCAN_REF;
		return rxscan_arg(q);
	case 'x': case 'o':
		if (*q == '{') {
			v = strtoul(q + 1, NULL, c == 'x' ? 16 : 8);
			q = rxscan_arg(q);
		} else if (c == 'o')
			return q;
		else {
			n = strspn(q, "0123456789abcdefABCDEF");
			memcpy(hex, q, n > 2 ? 2 : n);
			v = strtoul(hex, NULL, 16);
			q += strlen(hex);
		}
		t->c = (int)(v > 255 ? 0xc0 : v);
		return q;
	case 'c':
		if (*q != '\0')
			t->c = (unsigned char)*q++ ^ 0x40;
		return q;
	case 'a': t->c = '\a'; return q;
	case 'e': t->c = 0x1b; return q;
	case 'f': t->c = '\f'; return q;
	case 'n': t->c = '\n'; return q;
	case 'r': t->c = '\r'; return q;
	case 't': t->c = '\t'; return q;
	case '0':
		v = strtoul(p + 1, &end, 8);
		t->c = (int)(v & 0xff);
		return end;
	default:
		break;
	}
	if (c >= '1' && c <= '9') {
		t->kind = RXSCAN_REF;
		return rxscan_arg(p + 1);
	}
	return q;
}

/* Through the ) from p: t closed if there is one. */
static const char *
rxscan_through(const char *p, struct rxscan_tok *t)
{
	const char *q = strchr(p, ')');

	t->closed = q != NULL;
	return q == NULL ? p + strlen(p) : q + 1;
}

/* The group, or the (...) read whole, at p (its "(") into t. */
static const char *
rxscan_paren(const char *p, struct rxscan_tok *t)
{
	size_t n;

	t->kind = RXSCAN_OPEN;
	p++;
	if (p[0] == '*' || (p[0] == '?' && p[1] == '#')) {
		t->kind = p[0] == '*' ? RXSCAN_VERB : RXSCAN_COMMENT;
		return rxscan_through(p, t);
	}
	if (*p++ != '?') {
		p--;
		t->group = RXSCAN_CAPTURE;
		return p;
	}
	if (*p == '=' || *p == '!' || (*p == '<' && (p[1] == '=' ||
	    p[1] == '!'))) {
		t->group = RXSCAN_LOOK;
		return p + 1 + (*p == '<');
	}
	if (*p == '>' || *p == ':' || *p == '|') {
		t->group = *p == '>' ? RXSCAN_ATOMIC : RXSCAN_NONCAP;
		return p + 1;
	}
	if (*p == '<' || *p == '\'' || (*p == 'P' && p[1] == '<')) {
		t->group = RXSCAN_NAMED;
		return rxscan_arg(p + (*p == 'P'));
	}
	if (*p == '(') {
		t->group = RXSCAN_COND;
		return p;
	}
	/* strchr() finds the NUL too: a (? at the end reads as a call. */
	if (strchr("R0123456789+-&P", *p) != NULL && (*p != '-' ||
	    rxscan_isdigit(p[1]))) {
		t->kind = RXSCAN_CALL;
		return rxscan_through(p, t);
	}
	n = strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ^-");
	if (p[n] == ':') {
		t->group = RXSCAN_OPTIONS;
		return p + n + 1;
	}
	t->kind = RXSCAN_SETOPTS;
	return rxscan_through(p + n, t);
}

/* A class at p (its "["): its extent, found by reading its members. */
static const char *
rxscan_bracket(const struct rxscan *s, const char *p, struct rxscan_tok *t)
{
	struct rxscan m;
	struct rxscan_tok mt;

	t->kind = RXSCAN_CLASS;
	t->neg = p[1] == '^';
	rxscan_class(&m, s, t);
	while (rxscan_member(&m, &mt))
		continue;
	p = s->pat + m.pos;
	t->closed = *p == ']';
	return p + t->closed;
}

void
rxscan_init(struct rxscan *s, const char *pat)
{
	s->pat = pat;
	s->pos = 0;
	s->first = 0;
}

void
rxscan_seek(struct rxscan *s, size_t pos)
{
	s->pos = pos;
}

static void
rxscan_clear(struct rxscan_tok *t, size_t start)
{
	memset(t, 0, sizeof(*t));
	t->start = start;
	t->esc = t->hi = -1;
}

void
rxscan_next(struct rxscan *s, struct rxscan_tok *t)
{
	const char *p = s->pat + s->pos, *q;

	rxscan_clear(t, s->pos);
	switch (*p) {
	case '\0':
		t->kind = RXSCAN_END;
		break;
	case '|':
	case ')':
		t->kind = *p++ == '|' ? RXSCAN_ALT : RXSCAN_CLOSE;
		break;
	case '(':
		p = rxscan_paren(p, t);
		break;
	case '[':
		p = rxscan_bracket(s, p, t);
		break;
	case '.':
		t->kind = RXSCAN_TYPE;
		t->c = *p++;
		break;
	case '^':
	case '$':
		t->kind = RXSCAN_ANCHOR;
		t->c = *p++;
		break;
	case '\\':
		if (p[1] != 'Q') {
			p = rxscan_escape(p, t, 0);
			break;
		}
		t->kind = RXSCAN_QUOTE;
		t->text = p + 2;
		if ((q = strstr(p + 2, "\\E")) == NULL) {
			t->textlen = strlen(p + 2);
			p += 2 + t->textlen;
		} else {
			t->textlen = (size_t)(q - (p + 2));
			t->closed = 1;
			p = q + 2;
		}
		break;
	default:
		t->kind = RXSCAN_LIT;
		t->c = (unsigned char)*p++;
		break;
	}
	t->end = (size_t)(p - s->pat);
	s->pos = t->end;
}

void
rxscan_peek(const struct rxscan *s, struct rxscan_tok *t)
{
	struct rxscan copy = *s;

	rxscan_next(&copy, t);
}

/*
 * Past the (?#...) comments at p. PCRE2 drops them before it looks for
 * a quantifier: a(?#x)+ is a+, and a+(?#x)? is a+?.
 */
static const char *
rxscan_uncomment(const char *p)
{
	const char *q;

	while (p[0] == '(' && p[1] == '?' && p[2] == '#' &&
	    (q = strchr(p + 3, ')')) != NULL)
		p = q + 1;
	return p;
}

int
rxscan_quant(struct rxscan *s, struct rxscan_tok *t)
{
	const char *p = rxscan_uncomment(s->pat + s->pos), *q;
	char *end;

	rxscan_clear(t, s->pos);
	t->kind = RXSCAN_QUANT;
	t->c = *p;
	switch (*p) {
	case '?':
	case '*':
	case '+':
		t->min = *p == '+';
		t->max = *p == '?' ? 1 : RXSCAN_INF;
		p++;
		break;
	case '{':
		if (!rxscan_isdigit(p[1]))
			return 0;
		t->min = t->max = strtol(p + 1, &end, 10);
		if (*end == ',') {
			t->max = RXSCAN_INF;
			if (rxscan_isdigit(end[1]))
				t->max = strtol(end + 1, &end, 10);
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
	q = rxscan_uncomment(p);
	t->lazy = *q == '?';
	t->poss = *q == '+';
	if (t->lazy || t->poss)
		p = q + 1;
	t->end = (size_t)(p - s->pat);
	s->pos = t->end;
	return 1;
}

void
rxscan_class(struct rxscan *m, const struct rxscan *s,
    const struct rxscan_tok *cl)
{
	m->pat = s->pat;
	m->pos = cl->start + 1 + (size_t)cl->neg;
	m->first = 1;
}

int
rxscan_member(struct rxscan *m, struct rxscan_tok *t)
{
	const char *p = m->pat + m->pos, *q;
	struct rxscan_tok hi;

	/* A ] first is a member. */
	if (*p == '\0' || (*p == ']' && !m->first))
		return 0;
	rxscan_clear(t, m->pos);
	t->kind = RXSCAN_LIT;
	if (p[0] == '[' && p[1] == ':') {
		if ((q = strstr(p + 2, ":]")) == NULL) {
			/* No end: the class runs to the pattern's. */
			m->pos += strlen(p);
			return 0;
		}
		t->kind = RXSCAN_POSIX;
		t->text = p + 2;
		t->textlen = (size_t)(q - (p + 2));
		p = q + 2;
	} else if (*p == '\\')
		p = rxscan_escape(p, t, 1);
	else
		t->c = (unsigned char)*p++;
	m->first = 0;
	/* A byte, then - and anything but the end: a range. */
	if (t->kind == RXSCAN_LIT && p[0] == '-' && p[1] != ']' &&
	    p[1] != '\0') {
		t->kind = RXSCAN_RANGE;
		p++;
		if (*p == '\\') {
			rxscan_clear(&hi, 0);
			p = rxscan_escape(p, &hi, 0);
			t->hi = hi.kind == RXSCAN_LIT ? hi.c : -1;
		} else
			t->hi = (unsigned char)*p++;
	}
	t->end = (size_t)(p - m->pat);
	m->pos = t->end;
	return 1;
}
