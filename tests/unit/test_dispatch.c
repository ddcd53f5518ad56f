/*
 * Unit tests for dispatch: which rules it keys and on which field, its
 * lookups, and that a matcher deciding through it picks the rule that
 * trying every rule in order (a --no-prefilter matcher) picks, on random
 * rule sets and lines, regex and logfmt sources alike, with few and with
 * many match patterns (literal rules).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "dispatch.h"
#include "match.h"
#include "rules.h"
#include "t.h"

static char tmpdir[] = "/tmp/cxw-dispatch-XXXXXX";

static struct ruleset *
load(const char *text)
{
	char *paths[1];
	struct ruleset *rs;
	struct diag d;
	FILE *fp;
	size_t i;

	paths[0] = (char *)"t.rules";
	if ((fp = fopen("t.rules", "w")) == NULL)
		return NULL;
	fputs(text, fp);
	fclose(fp);
	diag_init(&d);
	rs = rules_load(paths, 1, NULL, &d);
	for (i = 0; i < d.nmsgs; i++)
		fprintf(stderr, "%s\n", d.msgs[i]);
	diag_free(&d);
	return rs;
}

#define WEB "[source web]\n" \
	"match = ^(?<customer>\\S+) (?<a>\\S*) (?<b>\\S*) (?<n>\\S*)$\n" \
	"time = none\n"

/* The positions dispatch gives for value v: "k:0,2 a:1" and so on. */
static const char *
lookup(const struct dispatch *d, const char *v)
{
	static char buf[256];
	const uint32_t *a, *b;
	size_t na, nb, i, o = 0;

	dispatch_lookup(d, v, strlen(v), &a, &na, &b, &nb);
	o += (size_t)snprintf(buf + o, sizeof(buf) - o, "k:");
	for (i = 0; i < na; i++)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%u",
		    i ? "," : "", a[i]);
	o += (size_t)snprintf(buf + o, sizeof(buf) - o, " a:");
	for (i = 0; i < nb; i++)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%u",
		    i ? "," : "", b[i]);
	return buf;
}

static void
test_keys(void)
{
	struct ruleset *rs;
	const struct dispatch *d;

	/*
	 * 0, 2, 5 keyed on a (5 by its second condition); 1 by a number;
	 * 3 has a match pattern; 4 a ~ before its ==; 6 on the line; 7 on b.
	 */
	rs = load(WEB
	    "[rule r0]\nsource = web\nif = a == x\n"
	    "[rule r1]\nsource = web\nif = a == 7\n"
	    "[rule r2]\nsource = web\nif = a == y\nif = b ~ z\n"
	    "[rule r3]\nsource = web\nmatch = q\nif = a == x\n"
	    "[rule r4]\nsource = web\nif = b ~ q\nif = a == x\n"
	    "[rule r5]\nsource = web\nif = n >= 1\nif = a == x\n"
	    "[rule r6]\nsource = web\nif = line == x\n"
	    "[rule r7]\nsource = web\nif = b == x\n");
	CHECK(rs != NULL);
	if (rs == NULL)
		return;
	d = rs->sources[0].dispatch;
	CHECK(d != NULL);
	if (d != NULL) {
		CHECK_INT(dispatch_field(d), rs->rules[0].conds[0].field);
		CHECK_STR(lookup(d, "x"), "k:0,5 a:1,3,4,6,7");
		CHECK_STR(lookup(d, "y"), "k:2 a:1,3,4,6,7");
		CHECK_STR(lookup(d, "z"), "k: a:1,3,4,6,7");
		CHECK_STR(lookup(d, ""), "k: a:1,3,4,6,7");
		CHECK_STR(lookup(d, "X"), "k: a:1,3,4,6,7");
	}
	rules_free(rs);
	/* One keyed rule is not worth a table. */
	rs = load(WEB "[rule r0]\nsource = web\nif = a == x\n"
	    "[rule r1]\nsource = web\nif = b == x\n");
	CHECK(rs != NULL && rs->sources[0].dispatch == NULL);
	rules_free(rs);
}

static uint64_t seed = 12345;

static unsigned
rnd(unsigned n)
{
	seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)((seed >> 33) % n);
}

static const char *const vals[] = { "x", "y", "z", "7", "007", "", "x1" };
#define NVALS (sizeof(vals) / sizeof(vals[0]))

/* A random condition on a, b or n. */
static void
random_cond(char *buf, size_t len)
{
	static const char *const fields[] = { "a", "b", "n" };
	static const char *const ops[] = { "==", "==", "==", "!=", "~",
	    ">=", "<" };
	const char *op = ops[rnd(7)], *v = vals[rnd(NVALS)];

	if (strcmp(op, "~") == 0)
		v = rnd(2) ? "^x" : "7$";
	else if (op[0] == '>' || op[0] == '<')
		v = rnd(2) ? "7" : "1";
	snprintf(buf, len, "if = %s %s %s\n", fields[rnd(3)], op, v);
}

/*
 * Random rule sets on a regex and a logfmt source, random lines; the
 * fast matcher decides as the simple one does, and the dispatch is used.
 */
static const char *const pats[] = { "x", "y$", "/api/v1/orders",
    "^C1 ", "a[bc]d", "(?:foo|bar)baz", "q\\d+r", "^C[0-9] x", "7$",
    "x 007", "z ", "\\bfoo", "(?i)x", "C3 y", "(?<g>ord)ers" };
#define NPATS (sizeof(pats) / sizeof(pats[0]))
static const char *const extra[] = { "", " /api/v1/orders", " abd",
    " barbaz", " q12r", " foo", " ORDERS" };
#define NEXTRA (sizeof(extra) / sizeof(extra[0]))

static void
test_same_as_every_rule(unsigned pmatch, unsigned maxrules)
{
	static char text[65536];
	char cond[128], line[256];
	struct ruleset *rs;
	struct matcher *fast, *simple;
	struct claim *cf, *cs;
	struct match mf, ms;
	size_t o, len;
	unsigned set, i, j, nrules, nconds, bad = 0, used = 0, events = 0;
	unsigned lit = 0;

	for (set = 0; set < 200; set++) {
		o = (size_t)snprintf(text, sizeof(text), "%s"
		    "[source lf]\nformat = logfmt\ntimefmt = none\n", WEB);
		nrules = 1 + rnd(maxrules);
		for (i = 0; i < nrules; i++) {
			o += (size_t)snprintf(text + o, sizeof(text) - o,
			    "[rule r%u]\nsource = %s\n", i, rnd(2) ? "web" : "lf");
			if (rnd(100) < pmatch)
				o += (size_t)snprintf(text + o, sizeof(text) - o,
				    "match = %s\n", pats[rnd(NPATS)]);
			nconds = 1 + rnd(3);
			for (j = 0; j < nconds; j++) {
				random_cond(cond, sizeof(cond));
				o += (size_t)snprintf(text + o, sizeof(text) - o,
				    "%s", cond);
			}
		}
		if ((rs = load(text)) == NULL) {
			CHECK(rs != NULL);
			continue;
		}
		for (i = 0; i < 2; i++) {
			struct dispatch_scratch *sc;

			used += rs->sources[i].dispatch != NULL;
			sc = dispatch_scratch_new(rs->sources[i].dispatch);
			lit += sc != NULL;
			dispatch_scratch_free(sc);
		}
		fast = matcher_new(rs, 0, 1024);
		simple = matcher_new(rs, 1, 1024);
		cf = claim_new(rs);
		cs = claim_new(rs);
		for (i = 0; i < 300; i++) {
			if (rnd(2))
				len = (size_t)snprintf(line, sizeof(line),
				    "C%u %s %s %s%s", rnd(5), vals[rnd(NVALS)],
				    vals[rnd(NVALS)], vals[rnd(NVALS)],
				    extra[rnd(NEXTRA)]);
			else
				len = (size_t)snprintf(line, sizeof(line),
				    "customer=C%u a=%s b=\"%s\"%s%s",
				    rnd(5), vals[rnd(NVALS)], vals[rnd(NVALS)],
				    rnd(2) ? " n=" : "", vals[rnd(NVALS)]);
			matcher_claim(fast, cf, -1, line, len, 0, 0);
			matcher_claim(simple, cs, -1, line, len, 0, 0);
			matcher_decide(fast, cf, line, len, &mf);
			matcher_decide(simple, cs, line, len, &ms);
			if (mf.status != ms.status || mf.rule != ms.rule) {
				if (bad++ < 5)
					fprintf(stderr, "set %u, line \"%s\": "
					    "rule %d, every rule: %d\n%s", set,
					    line, mf.rule, ms.rule, text);
			}
			events += ms.status == MATCH_EVENT;
		}
		claim_free(cf);
		claim_free(cs);
		matcher_free(fast);
		matcher_free(simple);
		rules_free(rs);
	}
	CHECK_INT(bad, 0);
	CHECK(used > 100);		/* the test tests the dispatch */
	CHECK(pmatch < 50 || lit > 200);	/* and the literal rules */
	CHECK(events > 5000);		/* and rules that hold */
	printf("dispatch: 200 rule sets, %u%% with a match, %u sources with "
	    "a dispatch, %u with literal rules, 60000 lines, %u events\n",
	    pmatch, used, lit, events);
}

int
main(void)
{
	if (mkdtemp(tmpdir) == NULL || chdir(tmpdir) == -1) {
		perror(tmpdir);
		return 1;
	}
	test_keys();
	test_same_as_every_rule(12, 40);
	test_same_as_every_rule(80, 120);
	unlink("t.rules");
	if (chdir("/") == 0)
		rmdir(tmpdir);
	T_DONE();
}
