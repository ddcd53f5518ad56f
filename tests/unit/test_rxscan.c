/* Unit tests for rxscan: each kind of token, quantifiers, class members,
 * and that any string is read to its end and no further. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rxscan.h"
#include "t.h"

static const char *const groups[] = {
	"cap", "named", "noncap", "options", "look", "atomic", "cond"
};

/* One token as text: kind(detail). */
static void
show(char *buf, size_t len, const struct rxscan_tok *t)
{
	char c[8];

	if (t->c >= 0x21 && t->c < 0x7f)
		snprintf(c, sizeof(c), "%c", t->c);
	else
		snprintf(c, sizeof(c), "x%02x", t->c);
	switch (t->kind) {
	case RXSCAN_END: snprintf(buf, len, "end"); break;
	case RXSCAN_LIT: snprintf(buf, len, "lit(%s)", c); break;
	case RXSCAN_QUOTE:
		snprintf(buf, len, "quote(%.*s%s)", (int)t->textlen, t->text,
		    t->closed ? "" : "...");
		break;
	case RXSCAN_CLASS:
		snprintf(buf, len, "class(%s%s)", t->neg ? "^" : "",
		    t->closed ? "" : "...");
		break;
	case RXSCAN_TYPE: snprintf(buf, len, "type(%s)", c); break;
	case RXSCAN_ANCHOR: snprintf(buf, len, "anchor(%s)", c); break;
	case RXSCAN_REF: snprintf(buf, len, "ref"); break;
	case RXSCAN_OPEN:
		snprintf(buf, len, "open(%s)", groups[t->group]);
		break;
	case RXSCAN_CLOSE: snprintf(buf, len, ")"); break;
	case RXSCAN_ALT: snprintf(buf, len, "|"); break;
	case RXSCAN_SETOPTS:
	case RXSCAN_COMMENT:
	case RXSCAN_VERB:
	case RXSCAN_CALL:
		snprintf(buf, len, "%s%s", t->kind == RXSCAN_SETOPTS ? "opts" :
		    t->kind == RXSCAN_COMMENT ? "comment" :
		    t->kind == RXSCAN_VERB ? "verb" : "call",
		    t->closed ? "" : "...");
		break;
	case RXSCAN_QUANT:
		snprintf(buf, len, "quant(%ld,%ld%s)", t->min, t->max,
		    t->lazy ? ",lazy" : t->poss ? ",poss" : "");
		break;
	case RXSCAN_RANGE: snprintf(buf, len, "range(%s-%d)", c, t->hi); break;
	case RXSCAN_POSIX:
		snprintf(buf, len, "posix(%.*s)", (int)t->textlen, t->text);
		break;
	default: snprintf(buf, len, "?"); break;
	}
}

/*
 * pat as a consumer reads it: a token, and after an atom its quantifier
 * if one follows; words joined by spaces, up to the end.
 */
static const char *
scan(const char *pat)
{
	static char out[1024];
	struct rxscan s;
	struct rxscan_tok t;
	char w[128];
	size_t o = 0;

	rxscan_init(&s, pat);
	out[0] = '\0';
	do {
		rxscan_next(&s, &t);
		show(w, sizeof(w), &t);
		o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%s",
		    o > 0 ? " " : "", w);
		if (t.kind != RXSCAN_END && t.kind != RXSCAN_ALT &&
		    t.kind != RXSCAN_OPEN && rxscan_quant(&s, &t)) {
			show(w, sizeof(w), &t);
			o += (size_t)snprintf(out + o, sizeof(out) - o, " %s", w);
		}
	} while (t.kind != RXSCAN_END && o < sizeof(out) - 1);
	return out;
}

/* The members of the class at the start of pat. */
static const char *
members(const char *pat)
{
	static char out[1024];
	struct rxscan s, m;
	struct rxscan_tok cl, t;
	char w[128];
	size_t o = 0;

	rxscan_init(&s, pat);
	rxscan_next(&s, &cl);
	out[0] = '\0';
	if (cl.kind != RXSCAN_CLASS)
		return "not a class";
	rxscan_class(&m, &s, &cl);
	while (rxscan_member(&m, &t)) {
		show(w, sizeof(w), &t);
		o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%s",
		    o > 0 ? " " : "", w);
	}
	return out;
}

/* Bytes as written and escaped, decoded. */
static void
test_literals(void)
{
	struct rxscan s;
	struct rxscan_tok t;

	CHECK_STR(scan("ab"), "lit(a) lit(b) end");
	CHECK_STR(scan("\\.\\\\\\{\\]\\?"),
	    "lit(.) lit(\\) lit({) lit(]) lit(?) end");
	CHECK_STR(scan("\\t\\n\\r\\f\\e\\a"),
	    "lit(x09) lit(x0a) lit(x0d) lit(x0c) lit(x1b) lit(x07) end");
	CHECK_STR(scan("\\x41\\x{42}\\o{103}\\0104\\012"),
	    "lit(A) lit(B) lit(C) lit(D) lit(x0a) end");
	/* \x takes two hex digits at most; a big \x{} is some high byte. */
	CHECK_STR(scan("\\x414\\x4g\\x{100}"),
	    "lit(A) lit(4) lit(x04) lit(g) lit(xc0) end");
	CHECK_STR(scan("\\cA\\c]\\o\\c"), "lit(x01) lit(x1d) lit(o) lit(c) end");
	CHECK_STR(scan("\\\xe9\xe9"), "lit(xe9) lit(xe9) end");
	/* Where an atom may stand, quantifier bytes are literals. */
	CHECK_STR(scan("?+x"), "lit(?) quant(1,-1) lit(x) end");
	CHECK_STR(scan("({2})"), "open(cap) lit({) lit(2) lit(}) ) end");
	CHECK_STR(scan("a}]"), "lit(a) lit(}) lit(]) end");
	rxscan_init(&s, "a\\.");
	rxscan_next(&s, &t);
	CHECK_INT(t.esc, -1);
	rxscan_next(&s, &t);
	CHECK_INT(t.esc, '.');
	CHECK_INT(t.start, 1);
	CHECK_INT(t.end, 3);
}

/* Escapes that are classes, assertions or back references. */
static void
test_escapes(void)
{
	struct rxscan s;
	struct rxscan_tok t;

	CHECK_STR(scan(".\\d\\D\\w\\W\\s\\S\\h\\H\\v\\V\\N\\R\\X\\C"),
	    "type(.) type(d) type(D) type(w) type(W) type(s) type(S) "
	    "type(h) type(H) type(v) type(V) type(N) type(R) type(X) "
	    "type(C) end");
	CHECK_STR(scan("\\p{Lu}\\pL\\P{^L}x"),
	    "type(p) type(p) type(P) lit(x) end");
	CHECK_STR(scan("^\\b\\B\\A\\z\\Z\\G\\K\\E$"),
	    "anchor(^) anchor(b) anchor(B) anchor(A) anchor(z) anchor(Z) "
	    "anchor(G) anchor(K) anchor(E) anchor($) end");
	CHECK_STR(scan("\\1\\12x\\g{1}\\g-1\\g<n>\\k<n>\\k{n}x"),
	    "ref ref lit(x) ref ref ref ref ref lit(x) end");
	/* A \ at the end: an escape of nothing. */
	rxscan_init(&s, "a\\");
	rxscan_next(&s, &t);
	rxscan_next(&s, &t);
	CHECK_INT(t.kind, RXSCAN_ANCHOR);
	CHECK_INT(t.esc, 0);
	CHECK_INT(t.end, 2);
	rxscan_next(&s, &t);
	CHECK_INT(t.kind, RXSCAN_END);
}

/* Each kind of group, the (...) read whole, and | and ). */
static void
test_groups(void)
{
	CHECK_STR(scan("(a|b)"), "open(cap) lit(a) | lit(b) ) end");
	CHECK_STR(scan("(?:a)(?|b)(?i-s:c)"),
	    "open(noncap) lit(a) ) open(noncap) lit(b) ) open(options) "
	    "lit(c) ) end");
	CHECK_STR(scan("(?<n>a)(?P<n>b)"),
	    "open(named) lit(a) ) open(named) lit(b) ) end");
	CHECK_STR(scan("(?=a)(?!b)(?<=c)(?<!d)(?>e)"),
	    "open(look) lit(a) ) open(look) lit(b) ) open(look) lit(c) ) "
	    "open(look) lit(d) ) open(atomic) lit(e) ) end");
	/* The condition is a group of its own. */
	CHECK_STR(scan("(?(1)a|b)"),
	    "open(cond) open(cap) lit(1) ) lit(a) | lit(b) ) end");
	CHECK_STR(scan("(?(?=x)a)"),
	    "open(cond) open(look) lit(x) ) lit(a) ) end");
	CHECK_STR(scan("(?i)a(?#x(y)b(*UTF)"),
	    "opts lit(a) comment lit(b) verb end");
	CHECK_STR(scan("(?R)(?1)(?-1)(?+2)(?&n)(?P=n)(?P>n)"),
	    "call call call call call call call end");
	/* Read whole to the first ), or to the end. */
	CHECK_STR(scan("(?#a\\)b"), "comment lit(b) end");
	CHECK_STR(scan("(?#ab"), "comment... end");
	CHECK_STR(scan("(*UTF"), "verb... end");
	CHECK_STR(scan("(?"), "call... end");
	CHECK_STR(scan("(?<n"), "open(named) end");
	CHECK_STR(scan("a)+"), "lit(a) ) quant(1,-1) end");
}

/* Quantifiers after an atom, and the { that starts none. */
static void
test_quantifiers(void)
{
	struct rxscan s;
	struct rxscan_tok t;

	CHECK_STR(scan("a?b*c+"),
	    "lit(a) quant(0,1) lit(b) quant(0,-1) lit(c) quant(1,-1) end");
	CHECK_STR(scan("a??b*+c+?"),
	    "lit(a) quant(0,1,lazy) lit(b) quant(0,-1,poss) lit(c) "
	    "quant(1,-1,lazy) end");
	CHECK_STR(scan("a{2}b{2,}c{2,5}?d{0}+"),
	    "lit(a) quant(2,2) lit(b) quant(2,-1) lit(c) quant(2,5,lazy) "
	    "lit(d) quant(0,0,poss) end");
	CHECK_STR(scan("a{,5}"), "lit(a) lit({) lit(,) lit(5) lit(}) end");
	CHECK_STR(scan("a{x}"), "lit(a) lit({) lit(x) lit(}) end");
	CHECK_STR(scan("a{2"), "lit(a) lit({) lit(2) end");
	CHECK_STR(scan("a{2,x}"),
	    "lit(a) lit({) lit(2) lit(,) lit(x) lit(}) end");
	CHECK_STR(scan("a{ 2}"), "lit(a) lit({) lit(x20) lit(2) lit(}) end");
	/* One quantifier per atom: a second one is an atom. */
	CHECK_STR(scan("a+*"), "lit(a) quant(1,-1) lit(*) end");
	CHECK_STR(scan("(a)+[b]{3}\\d?"),
	    "open(cap) lit(a) ) quant(1,-1) class() quant(3,3) type(d) "
	    "quant(0,1) end");
	/* None: the scanner stays where it was. */
	rxscan_init(&s, "a{x}");
	rxscan_next(&s, &t);
	CHECK_INT(rxscan_quant(&s, &t), 0);
	CHECK_INT(s.pos, 1);
	rxscan_init(&s, "a{2}?b");
	rxscan_next(&s, &t);
	CHECK_INT(rxscan_quant(&s, &t), 1);
	CHECK_INT(t.c, '{');
	CHECK_INT(t.start, 1);
	CHECK_INT(t.end, 5);
	CHECK_INT(s.pos, 5);
}

/* As in PCRE2, comments before a quantifier or its ? or + are skipped. */
static void
test_quant_comments(void)
{
	struct rxscan s;
	struct rxscan_tok t;

	CHECK_STR(scan("a(?#x)+b"), "lit(a) quant(1,-1) lit(b) end");
	CHECK_STR(scan("a(?#x)(?#y){2}?b"),
	    "lit(a) quant(2,2,lazy) lit(b) end");
	CHECK_STR(scan("a+(?#x)?b*(?#)(?#+)+"),
	    "lit(a) quant(1,-1,lazy) lit(b) quant(0,-1,poss) end");
	CHECK_STR(scan("[a](?#x)*(b)(?#y)+"),
	    "class() quant(0,-1) open(cap) lit(b) ) quant(1,-1) end");
	/* No quantifier: the comments are tokens, as ever. */
	CHECK_STR(scan("a(?#x)b+(?#y)c"),
	    "lit(a) comment lit(b) quant(1,-1) comment lit(c) end");
	CHECK_STR(scan("a(?#x+"), "lit(a) comment... end");
	/* Not skipped inside {...}: the { is a literal. */
	CHECK_STR(scan("a{(?#x)2}"), "lit(a) lit({) comment lit(2) lit(}) end");
	CHECK_STR(scan("a{2(?#x)}"), "lit(a) lit({) lit(2) comment lit(}) end");
	/* The token's bytes hold the comments. */
	rxscan_init(&s, "a(?#x)+(?#y)?b");
	rxscan_next(&s, &t);
	CHECK_INT(rxscan_quant(&s, &t), 1);
	CHECK_INT(t.c, '+');
	CHECK_INT(t.lazy, 1);
	CHECK_INT(t.start, 1);
	CHECK_INT(t.end, 13);
	CHECK_INT(s.pos, 13);
	rxscan_init(&s, "a(?#x)b");
	rxscan_next(&s, &t);
	CHECK_INT(rxscan_quant(&s, &t), 0);
	CHECK_INT(s.pos, 1);
}

/* \Q...\E: the bytes between, as they are. */
static void
test_quote(void)
{
	CHECK_STR(scan("\\Qa.(b\\E+c"), "quote(a.(b) quant(1,-1) lit(c) end");
	CHECK_STR(scan("\\Q\\Ex"), "quote() lit(x) end");
	CHECK_STR(scan("\\Qa|b"), "quote(a|b...) end");
	CHECK_STR(scan("\\Ex"), "anchor(E) lit(x) end");
}

/* Where a class ends: ] first is a member, escapes are read whole. */
static void
test_class_extent(void)
{
	struct rxscan s;
	struct rxscan_tok t;

	CHECK_STR(scan("[]a]b"), "class() lit(b) end");
	CHECK_STR(scan("[^]a]b"), "class(^) lit(b) end");
	CHECK_STR(scan("[a\\]b]c"), "class() lit(c) end");
	CHECK_STR(scan("[[:alpha:]]]x"), "class() lit(]) lit(x) end");
	CHECK_STR(scan("[(|)]x"), "class() lit(x) end");
	/* \c takes the byte after it, a ] too. */
	CHECK_STR(scan("[\\c]ab]cd"), "class() lit(c) lit(d) end");
	CHECK_STR(scan("[a"), "class(...) end");
	CHECK_STR(scan("[]"), "class(...) end");
	CHECK_STR(scan("[a\\"), "class(...) end");
	/* [: with no :] anywhere: the class runs to the end. */
	CHECK_STR(scan("[[:]x]y"), "class(...) end");
	rxscan_init(&s, "x[^ab]+");
	rxscan_next(&s, &t);
	rxscan_next(&s, &t);
	CHECK_INT(t.start, 1);
	CHECK_INT(t.end, 6);
	CHECK_INT(t.neg, 1);
	CHECK_INT(t.closed, 1);
}

/* A class's members: bytes, ranges, classes, POSIX names. */
static void
test_class_members(void)
{
	CHECK_STR(members("[^a-z\\d\\b[:space:]\\]-]"),
	    "range(a-122) type(d) lit(x08) posix(space) lit(]) lit(-)");
	CHECK_STR(members("[]-a]"), "range(]-97)");
	CHECK_STR(members("[-a]"), "lit(-) lit(a)");
	CHECK_STR(members("[a-c-e]"), "range(a-99) lit(-) lit(e)");
	CHECK_STR(members("[\\x41-\\x{5a}\\t]"), "range(A-90) lit(x09)");
	/* A range that ends in a class or an assertion has no end byte. */
	CHECK_STR(members("[a-\\d]"), "range(a--1)");
	CHECK_STR(members("[a-\\b]"), "range(a--1)");
	CHECK_STR(members("[\\1\\g{1}\\B\\pL.]"),
	    "ref ref anchor(B) type(p) lit(.)");
	CHECK_STR(members("[[:alpha:][:x:]]"), "posix(alpha) posix(x)");
	CHECK_STR(members("[\\Qa]"), "lit(Q) lit(a)");
	CHECK_STR(members("[ab"), "lit(a) lit(b)");
	CHECK_STR(members("[[:x"), "");
}

/* peek does not move; seek goes anywhere; END stays END. */
static void
test_peek_seek(void)
{
	struct rxscan s;
	struct rxscan_tok t, u;

	rxscan_init(&s, "ab{x}c");
	rxscan_peek(&s, &t);
	rxscan_next(&s, &u);
	CHECK_INT(t.kind, RXSCAN_LIT);
	CHECK_INT(t.c, u.c);
	CHECK_INT(t.end, u.end);
	rxscan_seek(&s, 5);
	rxscan_next(&s, &t);
	CHECK_INT(t.c, 'c');
	rxscan_next(&s, &t);
	CHECK_INT(t.kind, RXSCAN_END);
	CHECK_INT(t.start, 6);
	rxscan_next(&s, &t);
	CHECK_INT(t.kind, RXSCAN_END);
	CHECK_INT(s.pos, 6);
}

/*
 * Every string of up to four bytes from the bytes that mean something:
 * the tokens tile it from its start to its NUL, each one moving on, and
 * a class's members tile its inside.
 */
static void
test_hostile(void)
{
	static const char alpha[] = "()[]{}\\|?*+^$-:,#<>'=!PQEcx1a";
	size_t na = sizeof(alpha) - 1, n, len, i, k, bad = 0, total = 0;
	struct rxscan s, m;
	struct rxscan_tok t, q, mt;
	char pat[8];
	size_t at;

	for (len = 1; len <= 4; len++) {
		size_t count = 1;

		for (i = 0; i < len; i++)
			count *= na;
		for (n = 0; n < count; n++) {
			k = n;
			for (i = 0; i < len; i++, k /= na)
				pat[i] = alpha[k % na];
			pat[len] = '\0';
			total++;
			rxscan_init(&s, pat);
			for (at = 0;;) {
				rxscan_next(&s, &t);
				if (t.start != at || t.end > len ||
				    (t.kind != RXSCAN_END && t.end <= at) ||
				    s.pos != t.end) {
					bad++;
					break;
				}
				if (t.kind == RXSCAN_END)
					break;
				at = t.end;
				if (t.kind == RXSCAN_CLASS) {
					size_t mat = t.start + 1 + t.neg;

					rxscan_class(&m, &s, &t);
					while (rxscan_member(&m, &mt)) {
						if (mt.start != mat ||
						    mt.end <= mat)
							bad++;
						mat = mt.end;
					}
					if (t.closed && mat != t.end - 1)
						bad++;
				}
				if (rxscan_quant(&s, &q)) {
					if (q.start != at || q.end <= at ||
					    q.end > len)
						bad++;
					at = q.end;
				}
			}
		}
	}
	if (bad > 0)
		fprintf(stderr, "%zu of %zu strings read wrong\n", bad, total);
	CHECK_INT(bad, 0);
	CHECK_INT(total, na + na * na + na * na * na + na * na * na * na);
}

int
main(void)
{
	test_literals();
	test_escapes();
	test_groups();
	test_quantifiers();
	test_quant_comments();
	test_quote();
	test_class_extent();
	test_class_members();
	test_peek_seek();
	test_hostile();
	T_DONE();
}
