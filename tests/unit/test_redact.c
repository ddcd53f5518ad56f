/*
 * test_redact: redaction (redact.h), rule by rule: each class with lines
 * it must and must not touch, the customer id and its pseudonym, the
 * merging of overlapping spans, user rules ($n, $$, the default
 * replacement, compile errors, empty matches), the fired bits, and
 * hostile lines (NULs, invalid UTF-8, 2 MiB, a pattern that hits the
 * match limit). Every line is redacted from a heap copy of exactly its
 * length, so an overread trips AddressSanitizer. Last, the card class
 * against a slow reference on random digit strings with separators, and
 * every class with and without its cheap tests (redact_work_simple()) on
 * random lines of the pieces they look for.
 */
#include <stdint.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "redact.h"
#include "t.h"
#include "xmalloc.h"

#define ALL	((1u << REDACT_NCLASS) - 1)

static uint64_t fired;
static int copied;		/* the last output was not the line itself */

/* Redact s[0..len) from an exact copy, with id (may be NULL). */
static const char *
redn(const struct redactor *r, struct redact_work *w, const char *s,
    size_t len, const struct redact_id *id)
{
	static char buf[4][4096];
	static int which;
	char *o = buf[which = (which + 1) & 3];
	char *copy = xmalloc(len > 0 ? len : 1);
	const char *out;
	size_t n;

	memcpy(copy, s, len);
	n = redact_line(r, w, copy, len, id, &out, &fired);
	copied = out != copy;
	snprintf(o, sizeof(buf[0]), "%.*s", (int)n, out);
	free(copy);
	return o;
}

/* s through a fresh redactor with classes only. */
static const char *
cls(unsigned classes, const char *s)
{
	struct redactor *r;
	struct redact_work *w;
	const char *o;
	char *cause = NULL;

	r = redact_new(classes, NULL, 0, &cause);
	w = redact_work_new(r);
	o = redn(r, w, s, strlen(s), NULL);
	redact_work_free(w);
	redact_free(r);
	return o;
}

#define C(c)	(1u << (c))

/* The cause compiling rule gives, or "ok". */
static const char *
cause_of(const char *name, const char *pat, const char *repl)
{
	static char buf[256];
	struct redact_rule rule = { name, pat, repl };
	struct redactor *r;
	char *cause = NULL;

	if ((r = redact_new(0, &rule, 1, &cause)) != NULL) {
		redact_free(r);
		return "ok";
	}
	snprintf(buf, sizeof(buf), "%s", cause);
	free(cause);
	return buf;
}

/* s through one user rule, and classes. */
static const char *
rule1(unsigned classes, const char *pat, const char *repl, const char *s)
{
	struct redact_rule rule = { "acct", pat, repl };
	struct redactor *r;
	struct redact_work *w;
	const char *o;
	char *cause = NULL;

	if ((r = redact_new(classes, &rule, 1, &cause)) == NULL) {
		fprintf(stderr, "rule1: %s\n", cause);
		free(cause);
		return "(error)";
	}
	w = redact_work_new(r);
	o = redn(r, w, s, strlen(s), NULL);
	redact_work_free(w);
	redact_free(r);
	return o;
}

static void
test_names(void)
{
	int c;

	for (c = 0; c < REDACT_NCLASS; c++)
		CHECK_INT(redact_class_byname(redact_class_name(c),
		    strlen(redact_class_name(c))), c);
	CHECK_INT(redact_class_byname("ipv4", 4), REDACT_IPV4);
	CHECK_INT(redact_class_byname("ipv", 3), -1);
	CHECK_INT(redact_class_byname("ipv44", 5), -1);
	CHECK_INT(redact_class_byname("tokens", 6), -1);
	CHECK(redact_class_name(REDACT_NCLASS) == NULL);
	CHECK(redact_class_name(-1) == NULL);
}

static void
test_email(void)
{
	const unsigned e = C(REDACT_EMAIL);

	CHECK_STR(cls(e, "from alice@example.com to"), "from [email] to");
	CHECK(fired == REDACT_FIRED_CLASS(REDACT_EMAIL));
	CHECK_STR(cls(e, "<a.b+c_d-e%f@mail.example.co.uk>"), "<[email]>");
	CHECK_STR(cls(e, "GET /r?u=alice%40example.com&x=1"),
	    "GET /r?u=[email]&x=1");
	CHECK_STR(cls(e, "a@b.com,c@d.org"), "[email],[email]");
	CHECK_STR(cls(e, "end alice@example.com."), "end [email].");
	/* No dot in the domain, no local part, no domain. */
	CHECK_STR(cls(e, "root@localhost"), "root@localhost");
	CHECK_STR(cls(e, "@example.com"), "@example.com");
	CHECK_STR(cls(e, "alice@ x.com"), "alice@ x.com");
	CHECK_STR(cls(e, "alice@.com"), "alice@.com");
	CHECK_STR(cls(e, "100%40 of x.y"), "100%40 of x.y");
	/* The class is off. */
	CHECK_STR(cls(C(REDACT_IPV4), "alice@example.com"),
	    "alice@example.com");
}

static void
test_ipv4(void)
{
	const unsigned v = C(REDACT_IPV4);

	CHECK_STR(cls(v, "203.0.113.9 - - [21/Nov/2026:10:15:09 +0000]"),
	    "[ipv4] - - [21/Nov/2026:10:15:09 +0000]");
	CHECK(fired == REDACT_FIRED_CLASS(REDACT_IPV4));
	CHECK_STR(cls(v, "peer=10.0.0.1:8443 ok"), "peer=[ipv4]:8443 ok");
	CHECK_STR(cls(v, "0.0.0.0 255.255.255.255"), "[ipv4] [ipv4]");
	CHECK_STR(cls(v, "010.001.000.001"), "[ipv4]");
	CHECK_STR(cls(v, "(1.2.3.4)."), "([ipv4]).");
	CHECK_STR(cls(v, "x1.2.3.4"), "x[ipv4]");
	/* Octets out of range, too long, too few, too many. */
	CHECK_STR(cls(v, "256.1.1.1"), "256.1.1.1");
	CHECK_STR(cls(v, "1.1.1.256"), "1.1.1.256");
	CHECK_STR(cls(v, "1.1.1.0256"), "1.1.1.0256");
	CHECK_STR(cls(v, "0001.1.1.1"), "0001.1.1.1");
	CHECK_STR(cls(v, "1.2.3"), "1.2.3");
	CHECK_STR(cls(v, "1.2.3.4.5"), "1.2.3.4.5");
	CHECK_STR(cls(v, "v10.0.0.1.2"), "v10.0.0.1.2");
	CHECK_STR(cls(v, "11.2.3.4"), "[ipv4]");
	CHECK_STR(cls(v, "1.2.3.4."), "[ipv4].");
	CHECK_STR(cls(v, "1.2..3.4"), "1.2..3.4");
	CHECK(!copied);
	CHECK(fired == 0);
}

static void
test_ipv6(void)
{
	static const char *const yes[] = {
		"2001:0db8:85a3:0000:0000:8a2e:0370:7334",
		"2001:DB8:85A3:0:0:8A2E:370:7334",
		"::1", "fe80::1", "2001:db8::", "::", "1::", "1:2:3:4:5:6:7::",
		"::2:3:4:5:6:7:8", "1:2:3:4:5:6::8",
		"::ffff:192.0.2.1", "64:ff9b::192.0.2.33",
		"1:2:3:4:5:6:192.0.2.1", "::192.0.2.1",
	};
	static const char *const no[] = {
		"18:56:34", "10:15:09.123", "00:1a:2b:3c:4d:5e",
		"00:1A:2B:3C:4D:5E:6F", "std::string", "Foo::bar", "xa::by",
		"1:2", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::1",
		"1:2:3:4:5:6:7", ":1:2:3:4:5:6:7:8", "::1g", "g::1",
		"1:2:3:4:5:6:7:192.0.2.1", "::ffff:256.0.2.1", "::1_x",
	};
	const unsigned v = C(REDACT_IPV6);
	char line[256];
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		snprintf(line, sizeof(line), "a %s b", yes[i]);
		CHECK_STR(cls(v, line), "a [ipv6] b");
		CHECK(fired == REDACT_FIRED_CLASS(REDACT_IPV6));
	}
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		snprintf(line, sizeof(line), "a %s b", no[i]);
		CHECK_STR(cls(v, line), line);
		CHECK(fired == 0);
	}
	CHECK_STR(cls(v, "fe80::1%eth0 up"), "[ipv6] up");
	CHECK_STR(cls(v, "[2001:db8::1]:443"), "[[ipv6]]:443");
	CHECK_STR(cls(v, "http://[fe80::1%25eth0]/"), "http://[[ipv6]]/");
	CHECK_STR(cls(v, "from 2001:db8::1: refused"), "from [ipv6]: refused");
	CHECK_STR(cls(v, "to ::1."), "to [ipv6].");
	CHECK_STR(cls(v, "::1,::2"), "[ipv6],[ipv6]");
	CHECK_STR(cls(v, "[21/Nov/2026:10:15:09 +0000]"),
	    "[21/Nov/2026:10:15:09 +0000]");
	/* The ipv4 in an ipv6 address: the ipv6 span covers it (rule 2). */
	CHECK_STR(cls(C(REDACT_IPV4) | v, "x ::ffff:192.0.2.1 y"),
	    "x [ipv6] y");
	CHECK(fired == (REDACT_FIRED_CLASS(REDACT_IPV4) |
	    REDACT_FIRED_CLASS(REDACT_IPV6)));
}

static void
test_card(void)
{
	static const char *const yes[] = {
		"4111111111111111", "5500 0000 0000 0004", "378282246310005",
		"6011-1111-1111-1117", "4111 1111-1111 1111",
		"6011000000000000001", "4222222222222",
	};
	static const char *const no[] = {
		"4111111111111112", "1234567812345678", "411111111111",
		"41111111111111111110", "2026-12-02 18:56:34",
		"+1 415-555-2671", "+44 20 7946 0958", "x4111111111111111",
		"4111111111111111x", "4111  1111 1111 1111", "4111--11111111111",
		"20261202185634", "1.4111111111111112",
	};
	const unsigned v = C(REDACT_CARD);
	char line[256];
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		snprintf(line, sizeof(line), "pan=%s;", yes[i]);
		CHECK_STR(cls(v, line), "pan=[card];");
		CHECK(fired == REDACT_FIRED_CLASS(REDACT_CARD));
	}
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		snprintf(line, sizeof(line), "pan %s.", no[i]);
		CHECK_STR(cls(v, line), line);
		CHECK(fired == 0);
	}
	CHECK_STR(cls(v, "4111111111111111"), "[card]");
	CHECK_STR(cls(v, "card 4111 1111 1111 1111 exp"), "card [card] exp");
	/* Runs that fail whole: stretches of whole groups are tried. */
	CHECK_STR(cls(v, "4111111111111111 378282246310005"),
	    "[card] [card]");
	CHECK_STR(cls(v, "status 200 4111111111111111 ok"),
	    "status 200 [card] ok");
	CHECK_STR(cls(v, "4111 1111 1111 1111 7"), "[card] 7");
	CHECK_STR(cls(v, "order 1234-5678-9012-3456"),
	    "order 1234-5678-9012-3456");
	CHECK_STR(cls(v, "a-4111-1111-1111-1111-"), "a-[card]-");
	/* A run that fails is not searched for a part that passes. */
	CHECK_STR(cls(v, "94111111111111111"), "94111111111111111");
}

static void
test_token(void)
{
	static const struct {
		const char *in, *out;
	} t[] = {
		{ "Authorization: Bearer abc.DEF-123_~+/=",
		    "Authorization: Bearer [token]" },
		{ "authorization: basic dXNlcjpwYXNz", "authorization: basic [token]" },
		{ "BEARER x y", "BEARER [token] y" },
		{ "GET /cb?code=1&access_token=ya29.a0&x=1",
		    "GET /cb?code=1&access_token=[token]&x=1" },
		{ "api_key=abc apikey=d api-key:e X-Api-Key: f",
		    "api_key=[token] apikey=[token] api-key:[token] "
		    "X-Api-Key: [token]" },
		{ "{\"password\":\"hunter2\",\"user\":\"bob\"}",
		    "{\"password\":\"[token]\",\"user\":\"bob\"}" },
		{ "Password = s3cr3t; next", "Password = [token]; next" },
		{ "csrf_token=abc,sessionid=XYZ refresh_token=q",
		    "csrf_token=[token],sessionid=[token] refresh_token=[token]" },
		{ "client_secret=a secret=b pwd=c passwd=d auth=e session=f",
		    "client_secret=[token] secret=[token] pwd=[token] "
		    "passwd=[token] auth=[token] session=[token]" },
		{ "key sk_live_4eC39HqLyjWDarjtT1zdp7dc x",
		    "key [token] x" },
		{ "sk_test_0123456789 rk_live_abcdefghij pk_live_ABCDEFGHIJ",
		    "[token] [token] [token]" },
		{ "ghp_0123456789abcdefghijABCDEFGHIJ0123 "
		    "gho_0123456789abcdefghijABCDEFGHIJ",
		    "[token] [token]" },
		{ "github_pat_11ABCDEFG0123456789_abcdefghijklmnop",
		    "[token]" },
		{ "id AKIAIOSFODNN7EXAMPLE.", "id [token]." },
		{ "xoxb-123456789012-abcdefABCDEF", "[token]" },
		{ "k AIzaSyA-0123456789abcdefghijklmnopqrstu k", "k [token] k" },
		{ "t=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig-_1 ok",
		    "t=[token] ok" },
		{ "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0. ok", "[token] ok" },
	};
	static const char *const no[] = {
		"tokens=5", "mytoken=abc", "password=", "password= ;",
		"passwords: 3", "sk_live_short", "ghp_tooshort",
		"AKIAIOSFODNN7EXAMPL", "AKIAIOSFODNN7EXAMPLEX", "xoxz-1234567890",
		"AIzaSyA-0123456789abcdefghijklmnopqrs", "eyJhbGci.notjwt",
		"Bearer", "abearer xyz", "authentication=x",
	};
	const unsigned v = C(REDACT_TOKEN);
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		CHECK_STR(cls(v, t[i].in), t[i].out);
		CHECK(fired == REDACT_FIRED_CLASS(REDACT_TOKEN));
	}
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		CHECK_STR(cls(v, no[i]), no[i]);
		CHECK(fired == 0);
	}
}

/* Redact s with the customer id, its field at [off, off + len). */
static const char *
withid(unsigned classes, const char *s, const char *id, size_t off,
    size_t len)
{
	struct redact_id ri = { id, strlen(id), "P-7f3a", 6, off, len };
	struct redactor *r;
	struct redact_work *w;
	const char *o;
	char *cause = NULL;

	r = redact_new(classes, NULL, 0, &cause);
	w = redact_work_new(r);
	o = redn(r, w, s, strlen(s), &ri);
	redact_work_free(w);
	redact_free(r);
	return o;
}

static void
test_id(void)
{
	const char *l = "203.0.113.98 - C1234 [21/Nov/2026:00:01:12 +0000] "
	    "\"GET /account/C1234/orders?c=C1234&d=C12345 HTTP/1.1\" 200";

	CHECK_STR(withid(ALL, l, "C1234", 15, 5), "[ipv4] - P-7f3a "
	    "[21/Nov/2026:00:01:12 +0000] \"GET /account/P-7f3a/orders?"
	    "c=P-7f3a&d=C12345 HTTP/1.1\" 200");
	CHECK(fired == (REDACT_FIRED_ID | REDACT_FIRED_CLASS(REDACT_IPV4)));
	/* The field only; the id not in the line as such. */
	CHECK_STR(withid(0, "cust=\"c 1\" x", "C1", 6, 3),
	    "cust=\"P-7f3a\" x");
	CHECK(fired == REDACT_FIRED_ID);
	/* The field past the line's end is cut at it. */
	CHECK_STR(withid(0, "x C1", "zz", 2, 40), "x P-7f3a");
	CHECK_STR(withid(0, "x C1", "zz", 9, 1), "x C1");
	CHECK(!copied);
	CHECK(fired == 0);
	/* Word bounds: both sides, and ids that start or end with no word. */
	CHECK_STR(withid(0, "C1 C12 XC1 C1_ _C1 C1", "C1", 0, 0),
	    "P-7f3a C12 XC1 C1_ _C1 P-7f3a");
	CHECK_STR(withid(0, "xC1-yC1-", "C1-", 0, 0), "xC1-yC1-");
	CHECK_STR(withid(0, "x-C1 a-C1b", "-C1", 0, 0), "xP-7f3a a-C1b");
	CHECK_STR(withid(0, "ab-ab-", "-ab-", 0, 0), "abP-7f3a");
	/* Metacharacters are bytes. */
	CHECK_STR(withid(0, "a.b+c axb+c a.b+cc (a.b+c)", "a.b+c", 0, 0),
	    "P-7f3a axb+c a.b+cc (P-7f3a)");
	/* An id that is an e-mail address: its pseudonym, not [email]. */
	CHECK_STR(withid(ALL, "user alice@example.com logged in",
	    "alice@example.com", 5, 17), "user P-7f3a logged in");
	CHECK(fired == (REDACT_FIRED_ID | REDACT_FIRED_CLASS(REDACT_EMAIL)));
	/* An id inside an e-mail address: the address covers it (rule 2). */
	CHECK_STR(withid(ALL, "mail C1@example.com", "C1", 0, 0),
	    "mail [email]");
	/* Overlapping occurrences merge into one. */
	CHECK_STR(withid(0, "--- x", "--", 0, 0), "P-7f3a x");
	/* No id: no pseudonyms. */
	CHECK_STR(cls(0, "C1234"), "C1234");
	CHECK(!copied);
}

static void
test_merge(void)
{
	struct redact_rule rules[] = {
		{ "a", "abc", "<A>" },
		{ "b", "bcd", "<B>" },
		{ "c", "cd", "<C>" },
		{ "d", "ef", "<D>" },
		{ "e", "abcdef", "<E>" },
	};
	struct redactor *r;
	struct redact_work *w;
	char *cause = NULL;

	r = redact_new(0, rules, 4, &cause);
	w = redact_work_new(r);
	/* abc and bcd overlap: a's, the first; ef only touches them. */
	CHECK_STR(redn(r, w, "xabcdefx", 8, NULL), "x<A><D>x");
	CHECK(fired == (REDACT_FIRED_RULE(0) | REDACT_FIRED_RULE(1) |
	    REDACT_FIRED_RULE(2) | REDACT_FIRED_RULE(3)));
	/* Touching: both. */
	CHECK_STR(redn(r, w, "abcef", 5, NULL), "<A><D>");
	CHECK_STR(redn(r, w, "bcdabc", 6, NULL), "<B><A>");
	/* The same work again, a shorter line: nothing of the last. */
	CHECK_STR(redn(r, w, "cd", 2, NULL), "<C>");
	CHECK_STR(redn(r, w, "xyz", 3, NULL), "xyz");
	CHECK(!copied);
	CHECK(fired == 0);
	redact_work_free(w);
	redact_free(r);
	/* e, found last, covers all: its replacement. */
	r = redact_new(0, rules, 5, &cause);
	w = redact_work_new(r);
	CHECK_STR(redn(r, w, "-abcdef-", 8, NULL), "-<E>-");
	redact_work_free(w);
	redact_free(r);
}

static void
test_rules(void)
{
	CHECK_STR(rule1(0, "acct=(\\w+)", "acct=<$1>", "x acct=42 y"),
	    "x acct=<42> y");
	CHECK(fired == REDACT_FIRED_RULE(0));
	CHECK_STR(rule1(0, "(a)|(b)", "[$1|$2]", "ab"), "[a|][|b]");
	CHECK_STR(rule1(0, "p(\\d)", "$$$1 $0 $x $", "p7"), "$7 $0 $x $");
	CHECK_STR(rule1(0, "p(\\d)", "$1$1$", "p7 p8"), "77$ 88$");
	/* The default; a $ in the name is not expanded. */
	CHECK_STR(rule1(0, "k\\d+", NULL, "k1 k22"), "[acct] [acct]");
	/* Replacement text is not searched again. */
	CHECK_STR(rule1(C(REDACT_EMAIL), "u=\\w+", "u=a@b.com", "u=x"),
	    "u=a@b.com");
	/* Empty matches are ignored and do not loop. */
	CHECK_STR(rule1(0, "x*", "<>", "axxbx"), "a<>b<>");
	CHECK_STR(rule1(0, "", "<>", "ab"), "ab");
	CHECK(!copied);
	CHECK_STR(rule1(0, "(?=b)", "<>", "abab"), "abab");
	CHECK_STR(rule1(0, "a\\Kb", "<>", "abcab"), "a<>ca<>");
	/* Lookbehind sees the line before the search's start. */
	CHECK_STR(rule1(0, "(?<=a)b", "<>", "abbab"), "a<>ba<>");
	/* Errors name the rule. */
	CHECK_STR(cause_of("acct", "a(b", NULL),
	    "redact rule acct: missing closing parenthesis at offset 3");
	CHECK_STR(cause_of("acct", "(a)", "$2"), "redact rule acct: the "
	    "replacement names $2, but the pattern has 1 group");
	CHECK_STR(cause_of("acct", "(*UTF)a", NULL), "redact rule acct: "
	    "using UTF is disabled by the application at offset 6");
	CHECK_STR(cause_of("acct", "(a)(b)", "$2$1$$9"), "ok");
	CHECK_STR(cause_of(NULL, "a", NULL),
	    "redact rule 1: no name or no pattern");
	CHECK(strstr(cause_of("acct", "a", NULL), "ok") != NULL);
}

static void
test_fired_rules(void)
{
	struct redact_rule rules[REDACT_MAXRULES + 1];
	char names[REDACT_MAXRULES + 1][8], pats[REDACT_MAXRULES + 1][8];
	struct redactor *r;
	struct redact_work *w;
	char *cause = NULL;
	size_t j;

	for (j = 0; j <= REDACT_MAXRULES; j++) {
		snprintf(names[j], sizeof(names[j]), "r%zu", j);
		snprintf(pats[j], sizeof(pats[j]), "<%zu>", j);
		rules[j].name = names[j];
		rules[j].pattern = pats[j];
		rules[j].replace = "#";
	}
	CHECK(redact_new(ALL, rules, REDACT_MAXRULES + 1, &cause) == NULL);
	CHECK_STR(cause, "58 redact rules: at most 57 are allowed");
	free(cause);
	r = redact_new(ALL, rules, REDACT_MAXRULES, &cause);
	w = redact_work_new(r);
	CHECK_STR(redn(r, w, "<56> <0>", 8, NULL), "# #");
	CHECK(fired == (REDACT_FIRED_RULE(56) | REDACT_FIRED_RULE(0)));
	CHECK(REDACT_FIRED_RULE(56) < REDACT_FIRED_LIMIT);
	redact_work_free(w);
	redact_free(r);
}

static void
test_hostile(void)
{
	struct redact_rule rules[] = {
		{ "evil", "(a|aa)+$", NULL },
		{ "ok", "ZZZ", NULL },
	};
	struct redactor *r;
	struct redact_work *w;
	const char *out;
	char *cause = NULL, *big;
	size_t n, len = 2 << 20, i;
	uint64_t f;
	static const char nul[] = "a\0alice@example.com\0\xff\xfe 10.0.0.1\0";
	static const char bad[] = "\xc3(\xe2\x82 bob@x.org \xf0\x28\x8c\xbc "
	    "::1 \xed\xa0\x80";

	r = redact_new(ALL, NULL, 0, &cause);
	w = redact_work_new(r);
	n = redact_line(r, w, nul, sizeof(nul) - 1, NULL, &out, &f);
	CHECK_INT(n, 20);
	CHECK(memcmp(out, "a\0[email]\0\xff\xfe [ipv4]\0", 20) == 0);
	CHECK_STR(redn(r, w, bad, sizeof(bad) - 1, NULL),
	    "\xc3(\xe2\x82 [email] \xf0\x28\x8c\xbc [ipv6] \xed\xa0\x80");
	/* An empty line. */
	CHECK_INT(redact_line(r, w, "", 0, NULL, &out, &f), 0);
	CHECK(f == 0);
	/* 2 MiB: digits, dots and colons, with an address at each end. */
	big = xmalloc(len);
	for (i = 0; i < len; i++)
		big[i] = "1.2:3 a@b%40"[i % 12];
	memcpy(big, "x@example.com ", 14);
	memcpy(big + len - 10, " 10.0.0.1 ", 10);
	n = redact_line(r, w, big, len, NULL, &out, &f);
	CHECK(n < len);
	CHECK(memcmp(out, "[email] ", 8) == 0);
	CHECK(memcmp(out + n - 8, " [ipv4] ", 8) == 0);
	CHECK(!(f & REDACT_FIRED_LIMIT));
	/* All one byte: long runs for every scanner. */
	for (i = 0; i < sizeof("1a:.@ -%") - 1; i++) {
		memset(big, "1a:.@ -%"[i], len);
		n = redact_line(r, w, big, len, NULL, &out, &f);
		CHECK(n == len && out == big && f == 0);
	}
	redact_work_free(w);
	redact_free(r);

	/*
	 * The match limit: the rest of the line from where the search
	 * started (its start) is hidden, and flagged; ok's match is inside.
	 */
	r = redact_new(ALL, rules, 2, &cause);
	w = redact_work_new(r);
	memset(big, 'a', len);
	memcpy(big, "ZZZ b ", 6);
	big[len - 1] = 'b';
	n = redact_line(r, w, big, len, NULL, &out, &f);
	CHECK(f == (REDACT_FIRED_LIMIT | REDACT_FIRED_RULE(0) |
	    REDACT_FIRED_RULE(1)));
	CHECK(n == 6 && memcmp(out, "[evil]", 6) == 0);
	/* Again with the same work: no stale state. */
	CHECK_STR(redn(r, w, "aab", 3, NULL), "aab");
	CHECK(fired == 0);
	CHECK_STR(redn(r, w, "b aa", 4, NULL), "b [evil]");
	CHECK(fired == REDACT_FIRED_RULE(0));
	CHECK_STR(redn(r, w, "ZZZ", 3, NULL), "[ok]");
	CHECK(fired == REDACT_FIRED_RULE(1));
	redact_work_free(w);
	redact_free(r);
	free(big);
	redact_free(NULL);
	redact_work_free(NULL);
}

/* Digits of s[a..b) and whether they pass Luhn, the slow way. */
static int
ref_luhn(const char *s, size_t a, size_t b, size_t *nd)
{
	size_t k, sum = 0;
	int d;

	*nd = 0;
	for (k = b; k-- > a; ) {
		if (s[k] < '0' || s[k] > '9')
			continue;
		d = s[k] - '0';
		if ((*nd)++ % 2 == 1)
			d = d * 2 % 10 + d * 2 / 10;
		sum += (size_t)d;
	}
	return sum % 10 == 0;
}

static int
ref_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * The card class as rule 5 words it, the slow way: s with each card
 * replaced, into out. A run whole, else (with separators) for each
 * group from the left, the longest stretch of whole groups from it that
 * is a card, every stretch tried.
 */
static void
ref_cards(const char *s, size_t len, char *out, size_t outsz)
{
	size_t i = 0, j, o = 0, g[64], ng, gs, ge, nd, best;

	out[0] = '\0';
	while (i < len) {
		if (!ref_digit(s[i])) {
			o += (size_t)snprintf(out + o, outsz - o, "%c", s[i]);
			i++;
			continue;
		}
		/* The run [i, j) and the starts of its groups. */
		ng = 0;
		g[ng++] = i;
		for (j = i; j < len; j++)
			if (!ref_digit(s[j])) {
				if ((s[j] == ' ' || s[j] == '-') &&
				    j + 1 < len && ref_digit(s[j + 1]))
					g[ng++] = j + 1;
				else
					break;
			}
		g[ng] = j + 1;		/* as if a separator followed */
		if ((i > 0 && isalnum((unsigned char)s[i - 1])) ||
		    (j < len && isalnum((unsigned char)s[j]))) {
			o += (size_t)snprintf(out + o, outsz - o, "%.*s",
			    (int)(j - i), s + i);
			i = j;
			continue;
		}
		if (ref_luhn(s, i, j, &nd) && nd >= 13 && nd <= 19) {
			o += (size_t)snprintf(out + o, outsz - o, "[card]");
			i = j;
			continue;
		}
		for (gs = 0; gs < ng; ) {
			best = 0;
			for (ge = ng; ng > 1 && ge > gs; ge--)
				if (ref_luhn(s, g[gs], g[ge] - 1, &nd) &&
				    nd >= 13 && nd <= 19) {
					best = ge;
					break;
				}
			if (gs > 0)
				o += (size_t)snprintf(out + o, outsz - o, "%c",
				    s[g[gs] - 1]);
			if (best > 0) {
				o += (size_t)snprintf(out + o, outsz - o,
				    "[card]");
				gs = best;
			} else {
				o += (size_t)snprintf(out + o, outsz - o,
				    "%.*s", (int)(g[gs + 1] - 1 - g[gs]),
				    s + g[gs]);
				gs++;
			}
		}
		i = j;
	}
}

static void
test_card_brute(void)
{
	static const char alpha[] = "0123456789000000  --x.";
	struct redactor *r;
	struct redact_work *w;
	char s[64], want[256], *cause = NULL;
	const char *out;
	size_t len, n, i, nhit = 0, bad = 0;
	unsigned long x = 12345;
	int round;

	r = redact_new(C(REDACT_CARD), NULL, 0, &cause);
	w = redact_work_new(r);
	for (round = 0; round < 200000; round++) {
		x = x * 6364136223846793005UL + 1442695040888963407UL;
		len = 10 + (x >> 33) % 40;
		for (i = 0; i < len; i++) {
			x = x * 6364136223846793005UL + 1442695040888963407UL;
			s[i] = alpha[(x >> 33) % (sizeof(alpha) - 1)];
		}
		n = redact_line(r, w, s, len, NULL, &out, NULL);
		ref_cards(s, len, want, sizeof(want));
		if (strstr(want, "[card]") != NULL)
			nhit++;
		if (n != strlen(want) || memcmp(out, want, n) != 0) {
			if (bad++ < 5)
				fprintf(stderr, "card: \"%.*s\" gave \"%.*s\", "
				    "want \"%s\"\n", (int)len, s, (int)n, out,
				    want);
		}
	}
	CHECK_INT(bad, 0);
	CHECK(nhit > 100);
	redact_work_free(w);
	redact_free(r);
}

/*
 * The prefilters (an @, 13 digits or separators in a row, the token
 * table) skip only what the full search would not find: random lines of
 * pieces each class and its prefilter look at, with and without them.
 */
static void
test_prefilter_equal(void)
{
	static const char *const piece[] = {
		"sk_live_", "rk_test_", "ghp_", "gho_", "github_pat_", "AKIA",
		"ASIA", "xoxb-", "xox", "AIza", "eyJ", ".eyJ", "Bearer ",
		"basic ", "BEARER", "token=", "Token: ", "\"password\":\"",
		"\"session\" : ", "api-key=", "pwd=", "auth:", "secret",
		"@", "%40", "a.b", "user", "example.com", ".", ":", "::", "=",
		" ", "-", "\"", "'", "4111", "1111", "0", "12", "255", "9",
		"2026-11-21 10:15:09", "ff", "fe80", "%eth0", "x", "Q", "_",
		"ABCDEFGHIJKLMNOP", "abcdefghij0123456789", ",", ";", "&",
	};
	const size_t np = sizeof(piece) / sizeof(piece[0]);
	struct redactor *r;
	struct redact_work *w, *ws;
	char s[256], *cause = NULL;
	const char *out, *sout;
	uint64_t f, sf;
	size_t len, n, sn, k, bad = 0, nfired = 0;
	unsigned long x = 4242;
	int round;

	r = redact_new(ALL, NULL, 0, &cause);
	w = redact_work_new(r);
	ws = redact_work_new(r);
	redact_work_simple(ws);
	for (round = 0; round < 100000; round++) {
		len = 0;
		x = x * 6364136223846793005UL + 1442695040888963407UL;
		for (k = 1 + (x >> 33) % 16; k > 0; k--) {
			x = x * 6364136223846793005UL + 1442695040888963407UL;
			n = strlen(piece[(x >> 33) % np]);
			if (len + n > sizeof(s))
				break;
			memcpy(s + len, piece[(x >> 33) % np], n);
			len += n;
		}
		n = redact_line(r, w, s, len, NULL, &out, &f);
		sn = redact_line(r, ws, s, len, NULL, &sout, &sf);
		nfired += f != 0;
		if (n != sn || f != sf || memcmp(out, sout, n) != 0) {
			if (bad++ < 5)
				fprintf(stderr, "prefilter: \"%.*s\" gave "
				    "\"%.*s\", without \"%.*s\"\n", (int)len,
				    s, (int)n, out, (int)sn, sout);
		}
	}
	CHECK_INT(bad, 0);
	CHECK(nfired > 10000);
	redact_work_free(w);
	redact_work_free(ws);
	redact_free(r);
}

int
main(void)
{
	test_names();
	test_email();
	test_ipv4();
	test_ipv6();
	test_card();
	test_token();
	test_id();
	test_merge();
	test_rules();
	test_fired_rules();
	test_hostile();
	test_card_brute();
	test_prefilter_equal();
	T_DONE();
}
