/* Unit tests for rules: the parser, its checks and its messages. */
#include <sys/stat.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "pattern.h"
#include "rules.h"
#include "t.h"

static char tmpdir[] = "/tmp/cxw-rules-XXXXXX";

/* Files are written in tmpdir, the current directory. */
static const char *
put_bytes(const char *name, const char *text, size_t len)
{
	FILE *fp;

	fp = fopen(name, "w");
	fwrite(text, 1, len, fp);
	fclose(fp);
	return name;
}

static const char *
put(const char *name, const char *text)
{
	return put_bytes(name, text, strlen(text));
}

/* Load one text; return the diagnostics joined by newlines. */
static struct ruleset *
load_text(const char *text, char *msgs, size_t len)
{
	char *paths[1];
	struct ruleset *rs;
	struct diag d;
	size_t i;

	paths[0] = (char *)put("t.rules", text);
	diag_init(&d);
	rs = rules_load(paths, 1, NULL, &d);
	msgs[0] = '\0';
	for (i = 0; i < d.nmsgs; i++) {
		strncat(msgs, d.msgs[i], len - strlen(msgs) - 2);
		strcat(msgs, "\n");
	}
	diag_free(&d);
	return rs;
}

#define SRC "[source web]\n" \
	"match = ^(?<customer>\\S+) (?<time>\\S+) (?<status>\\d+) (?<path>\\S+)\n" \
	"time = epoch\n"

static void
test_minimal(void)
{
	char msgs[4096];
	struct ruleset *rs;

	rs = load_text(SRC "[rule bad]\nsource = web\nif = status >= 500\n"
	    "if = path ~ ^/checkout\nweight = 4\ndescription = x y\n",
	    msgs, sizeof(msgs));
	CHECK(rs != NULL);
	CHECK_STR(msgs, "");
	if (rs == NULL)
		return;
	CHECK_INT(rs->nsources, 1);
	CHECK_INT(rs->nrules, 1);
	CHECK_INT(rs->rules[0].weight, 4);
	CHECK_INT(rs->rules[0].nconds, 2);
	CHECK_INT(rs->rules[0].conds[0].op, COND_GE);
	CHECK(rs->rules[0].conds[0].num == 500);
	CHECK_INT(rs->rules[0].conds[1].op, COND_MATCH);
	CHECK_STR(rs->rules[0].description, "x y");
	CHECK_INT(rs->settings.window, 30 * 60 * 1000);
	CHECK_INT(rs->settings.threshold, 10);
	CHECK_INT(rs->settings.channels, 0);
	CHECK_INT(rs->nchannels, 1);
	CHECK_STR(rs->channels[0], "web");
	CHECK_INT(rs->sources[0].g_customer, 1);
	CHECK_INT(rs->sources[0].g_time, 2);
	rules_free(rs);
}

static void
test_settings_and_comments(void)
{
	char msgs[4096];
	struct ruleset *rs;

	rs = load_text("# comment\n; another\n[settings]\nwindow = 45s # w\n"
	    "threshold = 7\ncooldown = 2h\nchannels = 3 ; c\n" SRC
	    "anonymous = - guest\nchannel = shop\n[rule r]\nsource = web\n"
	    "match = a#b;c\n", msgs, sizeof(msgs));
	CHECK(rs != NULL);
	CHECK_STR(msgs, "");
	if (rs == NULL)
		return;
	CHECK_INT(rs->settings.window, 45000);
	CHECK_INT(rs->settings.threshold, 7);
	CHECK_INT(rs->settings.cooldown, 2 * 3600 * 1000);
	CHECK_INT(rs->settings.channels, 3);
	CHECK_INT(rs->sources[0].nanonymous, 2);
	CHECK_STR(rs->sources[0].anonymous[1], "guest");
	CHECK_STR(rs->channels[0], "shop");
	CHECK_STR(rs->rules[0].rx->src, "a#b;c");
	rules_free(rs);
}

struct bad {
	const char	*text;
	const char	*want;	/* the whole diagnostic output */
};

static void
test_errors(void)
{
	static const struct bad cases[] = {
	    { SRC "[rule r]\nsource = web\nif = status > 1\ntreshold = 3\n",
	      "t.rules:7: unknown key \"treshold\" in [rule]\n" },
	    { "[settings]\ntreshold = 3\n" SRC,
	      "t.rules:2: unknown key \"treshold\" (did you mean "
	      "\"threshold\"?)\n" },
	    { "[setting]\n",
	      "t.rules:1: unknown section [setting] (use [settings], "
	      "[source NAME], [rule NAME], [detector NAME], [incident] "
	      "or [redact NAME])\n" },
	    { "[rule]\n", "t.rules:1: [rule] needs a name of letters, "
	      "digits, '-', '_' or '.'\n" },
	    { "window = 3\n", "t.rules:1: \"window\" outside any section "
	      "(start one with [settings], [source NAME], [rule NAME] or [detector NAME])\n" },
	    { SRC SRC, "t.rules:4: duplicate [source web] (first at "
	      "t.rules:1)\n" },
	    { SRC "[rule r]\nsource = web\nif = status > 1\n[rule r]\n"
	      "source = web\nif = status > 2\n",
	      "t.rules:7: duplicate [rule r] (first at t.rules:4)\n" },
	    { SRC "[rule r]\nsource = mail\nmatch = x\n",
	      "t.rules:5: source \"mail\" is not defined (define it with "
	      "[source mail])\n" },
	    { SRC "[rule r]\nsource = web\nmatch = a(b\n",
	      "t.rules:6: match: missing closing parenthesis at offset 3\n" },
	    { "[settings]\nwindow = 10x\n" SRC,
	      "t.rules:2: window: \"10x\" is not a positive duration (try "
	      "45s, 30m, 2h, 1d)\n" },
	    { SRC "[rule r]\nsource = web\nmatch = x\nweight = 1001\n",
	      "t.rules:7: weight: \"1001\" is not a whole number from 1 to "
	      "1000\n" },
	    { "[source s]\nmatch = ^(?<time>\\S+)\n",
	      "t.rules:2: match must capture (?<customer>...) so cxwatch "
	      "knows whose line it is\n" },
	    { "[source s]\nmatch = ^(?<customer>\\S+)\n",
	      "t.rules:2: match must capture (?<time>...), or say \"time = "
	      "none\"\n" },
	    { SRC "[rule r]\nsource = web\nif = bytes > 3\n",
	      "t.rules:6: if: source web has no field \"bytes\" (name it "
	      "with (?<bytes>...) in its match)\n" },
	    { SRC "[rule r]\nsource = web\nif = status > high\n",
	      "t.rules:6: if: \"high\" is not a number or a duration (> "
	      "compares numbers, or durations such as 3m or 250ms)\n" },
	    { SRC "[rule r]\nsource = web\nif = status\n",
	      "t.rules:6: if: \"status\" is not \"FIELD OP VALUE\" (OP is "
	      "one of ~ !~ == != < <= > >=)\n" },
	    { SRC "[rule r]\nsource = web\nif = path ~ (\n",
	      "t.rules:6: if ~: missing closing parenthesis at offset 1\n" },
	    { SRC "[rule r]\nsource = web\nmatch = a\nmatch = b\n",
	      "t.rules:7: duplicate key \"match\" (first at line 6)\n" },
	    { SRC "[rule r]\nsource = web\nweight = 2\n",
	      "t.rules:4: [rule r] needs \"match\", \"if\", or both\n" },
	    { "[settings]\nwindow = 1m\n[settings]\nwindow = 2m\n" SRC,
	      "t.rules:4: \"window\" is already set at t.rules:2\n" },
	    { "[settings]\nthreshold = 0\n" SRC,
	      "t.rules:2: threshold: \"0\" is not a whole number from 1 to "
	      "1000000000\n" },
	    { "# nothing\n", "t.rules: no [source NAME] section: nothing to "
	      "read lines with\n" },
	    { SRC "channel = a b\n", "t.rules:4: channel: \"a b\" is not a "
	      "name of letters, digits, '-', '_' or '.'\n" },
	    { SRC "[rule r]\nsource = web\nmatch =\n",
	      "t.rules:6: \"match\" needs a value\n" },
	};
	char msgs[4096];
	struct ruleset *rs;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rs = load_text(cases[i].text, msgs, sizeof(msgs));
		CHECK(rs == NULL);
		rules_free(rs);
		/* Messages name the file by the path given. */
		CHECK_STR(msgs, cases[i].want);
	}
}

static void
test_all_errors_reported(void)
{
	char msgs[4096];
	struct ruleset *rs;
	int n = 0;
	char *p;

	rs = load_text("[settings]\nwindow = x\nthreshold = y\n" SRC
	    "[rule a]\nsource = web\nweight = 0\nmatch = (\n", msgs,
	    sizeof(msgs));
	CHECK(rs == NULL);
	for (p = msgs; (p = strchr(p, '\n')) != NULL; p++)
		n++;
	CHECK_INT(n, 4);
}

static void
test_directory(void)
{
	char dir[] = "d", *paths[1];
	struct ruleset *rs;
	struct diag d;

	mkdir(dir, 0755);
	paths[0] = dir;
	diag_init(&d);
	rs = rules_load(paths, 1, NULL, &d);
	CHECK(rs == NULL);
	CHECK_INT(d.nmsgs, 1);
	CHECK(d.nmsgs == 1 && strstr(d.msgs[0], "no *.rules files") != NULL);
	diag_free(&d);
	/* Files in name order, sections in file order. */
	put("d/b.rules", "[rule late]\nsource = web\nmatch = b\n");
	put("d/a.rules", SRC "[rule early]\nsource = web\nmatch = a\n");
	put("d/c.txt", "garbage\n");
	diag_init(&d);
	rs = rules_load(paths, 1, NULL, &d);
	CHECK(rs != NULL);
	CHECK_INT(d.nmsgs, 0);
	if (rs != NULL) {
		CHECK_INT(rs->nfiles, 2);
		CHECK_STR(rs->rules[0].name, "early");
		CHECK_STR(rs->rules[1].name, "late");
		CHECK_INT(rs->sources[0].nrules, 2);
	}
	rules_free(rs);
	diag_free(&d);
	/* A rule may come before its source, even in another file. */
	put("d/0.rules", "[rule first]\nsource = web\nmatch = z\n");
	diag_init(&d);
	rs = rules_load(paths, 1, NULL, &d);
	CHECK(rs != NULL);
	if (rs != NULL)
		CHECK_STR(rs->rules[0].name, "first");
	rules_free(rs);
	diag_free(&d);
}

static void
test_missing_and_binary(void)
{
	char *paths[1], msgs[4096];
	struct ruleset *rs;
	struct diag d;

	paths[0] = (char *)"/nonexistent/x.rules";
	diag_init(&d);
	rs = rules_load(paths, 1, NULL, &d);
	CHECK(rs == NULL);
	CHECK(d.nmsgs == 1 && strcmp(d.msgs[0], "/nonexistent/x.rules: "
	    "cannot open: No such file or directory") == 0);
	diag_free(&d);
	paths[0] = (char *)put_bytes("bin.rules", "[source s]\nmatch = a\0b\n",
	    22);
	diag_init(&d);
	rs = rules_load(paths, 1, NULL, &d);
	CHECK(rs == NULL);
	CHECK(d.nmsgs == 1 && strcmp(d.msgs[0], "bin.rules:2: NUL byte (is "
	    "this a rules file?)") == 0);
	diag_free(&d);
	(void)msgs;
}

static void
test_number(void)
{
	double v;

	CHECK(rules_number("500", 3, &v) == 0 && v == 500);
	CHECK(rules_number("-0", 2, &v) == 0 && v == 0);
	CHECK(rules_number("3.25", 4, &v) == 0 && v == 3.25);
	CHECK(rules_number(".5", 2, &v) == 0 && v == 0.5);
	CHECK(rules_number("1e3", 3, &v) == 0 && v == 1000);
	CHECK(rules_number("1e309", 5, &v) == -1);
	CHECK(rules_number("nan", 3, &v) == -1);
	CHECK(rules_number("inf", 3, &v) == -1);
	CHECK(rules_number("0x10", 4, &v) == -1);
	CHECK(rules_number("", 0, &v) == -1);
	CHECK(rules_number("-", 1, &v) == -1);
	CHECK(rules_number("1e", 2, &v) == -1);
	CHECK(rules_number("12 ", 3, &v) == -1);
	CHECK(rules_number("5001", 3, &v) == 0 && v == 500);
}

/* The fast path of rules_number() agrees with strtod(). */
static void
test_number_vs_strtod(void)
{
	static const char *const ok[] = { "0", "7", "200", "0.190", "12.400",
	    "-3.5", "+42", "1.", ".25", "-.5", "999999999999999",
	    "9999999999999999", "0.000000000000001", "123456789012.345",
	    "1.5e2", "2E-3", "00012", "3.14159265358979" };
	static const char *const bad[] = { "+", ".", "-.", "1.2.3", "--1",
	    "1e+", "e5", "1 ", " 1", "0x1", "1,5", "1_000" };
	double v;
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		CHECK(rules_number(ok[i], strlen(ok[i]), &v) == 0 &&
		    v == strtod(ok[i], NULL));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(rules_number(bad[i], strlen(bad[i]), &v) == -1);
	CHECK(rules_number("-0", 2, &v) == 0 && v == 0 && 1 / v < 0);
}

/* Load one text with the command line's overrides ov. */
static struct ruleset *
load_text_ov(const char *text, const struct rules_overrides *ov, char *msgs,
    size_t len)
{
	char *paths[1];
	struct ruleset *rs;
	struct diag d;
	size_t i;

	paths[0] = (char *)put("t.rules", text);
	diag_init(&d);
	rs = rules_load(paths, 1, ov, &d);
	msgs[0] = '\0';
	for (i = 0; i < d.nmsgs; i++) {
		strncat(msgs, d.msgs[i], len - strlen(msgs) - 2);
		strcat(msgs, "\n");
	}
	diag_free(&d);
	return rs;
}

/* A billing source and its rules: three failure, one forgiving. */
#define BILL "[source billing]\n" \
	"match = ^(?<time>\\S+) (?<customer>\\S+) (?<event>\\S+)\n" \
	"time = iso8601\n" \
	"[rule pay-failed]\nsource = billing\nif = event == payment.failed\n" \
	"[rule pay-declined]\nsource = billing\nif = event == pay.declined\n" \
	"[rule charge-duplicated]\nsource = billing\n" \
	"if = event == charge.duplicated\nweight = 5\n"
#define PAID "[rule payment-succeeded]\nsource = billing\n" \
	"if = event == payment.succeeded\n"

/* Index of the rule called name in rs, or -1. */
static int
rule_index(const struct ruleset *rs, const char *name)
{
	size_t i;

	for (i = 0; i < rs->nrules; i++)
		if (strcmp(rs->rules[i].name, name) == 0)
			return (int)i;
	return -1;
}

static uint64_t
counts_in(const struct ruleset *rs, const char *rule)
{
	int i = rule_index(rs, rule);

	return i < 0 ? UINT64_C(0xdead) : rs->rules[i].detectors;
}

static uint64_t
forgives_in(const struct ruleset *rs, const char *rule)
{
	int i = rule_index(rs, rule);

	return i < 0 ? UINT64_C(0xdead) : rs->rules[i].forgives;
}

/* No [detector] section: one "default" with [settings]' values. */
static void
test_detector_default(void)
{
	char msgs[4096];
	struct ruleset *rs;
	const struct detector *d;

	rs = load_text("[settings]\nwindow = 45s\nthreshold = 7\n" BILL PAID
	    "forgive = default\n", msgs, sizeof(msgs));
	CHECK(rs != NULL);
	CHECK_STR(msgs, "");
	if (rs == NULL)
		return;
	CHECK_INT(rs->ndetectors, 1);
	d = &rs->detectors[0];
	CHECK_STR(d->name, "default");
	CHECK(d->file == NULL);
	CHECK_INT(d->lineno, 0);
	CHECK_INT(d->settings.window, 45000);
	CHECK_INT(d->settings.threshold, 7);
	CHECK_INT(d->settings.cooldown, 3600 * 1000);
	CHECK_INT(d->npatterns, 1);
	CHECK_STR(d->patterns[0], "*");
	CHECK_INT(counts_in(rs, "pay-failed"), 1);
	CHECK_INT(counts_in(rs, "pay-declined"), 1);
	CHECK_INT(counts_in(rs, "charge-duplicated"), 1);
	CHECK_INT(counts_in(rs, "payment-succeeded"), 0);
	CHECK_INT(forgives_in(rs, "payment-succeeded"), 1);
	CHECK_INT(forgives_in(rs, "pay-failed"), 0);
	CHECK(!rs->rules[rule_index(rs, "pay-failed")].forgiving);
	CHECK(rs->rules[rule_index(rs, "payment-succeeded")].forgiving);
	CHECK_INT(rs->rules[rule_index(rs, "payment-succeeded")].nforgive, 1);
	CHECK_STR(rs->rules[rule_index(rs, "payment-succeeded")].forgive[0],
	    "default");
	CHECK_INT(rules_detector_find(rs, "default"), 0);
	CHECK_INT(rules_detector_find(rs, "payments"), -1);
	rules_free(rs);
	/* "*" names the default detector too. */
	rs = load_text(BILL PAID "forgive = *\n", msgs, sizeof(msgs));
	CHECK_STR(msgs, "");
	if (rs != NULL)
		CHECK_INT(forgives_in(rs, "payment-succeeded"), 1);
	rules_free(rs);
}

/* rules = names and globs; a detector without "rules" counts every one. */
static void
test_detector_globs(void)
{
	char msgs[4096];
	struct ruleset *rs;

	rs = load_text("[detector payments]\nrules = pay-* charge-duplicated"
	    "\n[detector dup]\nrules = charge-duplicated charge-?uplicated\n"
	    "[detector journey]\n[detector declines]\n"
	    "rules = *declined [p]ay-failed\n"
	    BILL PAID "forgive = pay* dup\n"
	    "[rule refunded]\nsource = billing\nif = event == refund\n"
	    "forgive = *\n", msgs, sizeof(msgs));
	CHECK(rs != NULL);
	CHECK_STR(msgs, "");
	if (rs == NULL)
		return;
	CHECK_INT(rs->ndetectors, 4);
	CHECK_STR(rs->detectors[0].name, "payments");
	CHECK_STR(rs->detectors[1].name, "dup");
	CHECK_STR(rs->detectors[2].name, "journey");
	CHECK_STR(rs->detectors[3].name, "declines");
	CHECK_STR(rs->detectors[0].file, "t.rules");
	CHECK_INT(rs->detectors[0].lineno, 1);
	CHECK_INT(rs->detectors[2].lineno, 5);
	/* As written, for -t. */
	CHECK_INT(rs->detectors[0].npatterns, 2);
	CHECK_STR(rs->detectors[0].patterns[0], "pay-*");
	CHECK_STR(rs->detectors[0].patterns[1], "charge-duplicated");
	CHECK_INT(rs->detectors[2].npatterns, 1);
	CHECK_STR(rs->detectors[2].patterns[0], "*");
	CHECK_INT(counts_in(rs, "pay-failed"), 1 | 4 | 8);
	CHECK_INT(counts_in(rs, "pay-declined"), 1 | 4 | 8);
	CHECK_INT(counts_in(rs, "charge-duplicated"), 1 | 2 | 4);
	/* Forgiving rules count nowhere, not even in "*". */
	CHECK_INT(counts_in(rs, "payment-succeeded"), 0);
	CHECK_INT(counts_in(rs, "refunded"), 0);
	CHECK_INT(forgives_in(rs, "payment-succeeded"), 1 | 2);
	CHECK_INT(forgives_in(rs, "refunded"), 1 | 2 | 4 | 8);
	CHECK_INT(rs->rules[rule_index(rs, "payment-succeeded")].nforgive, 2);
	CHECK_STR(rs->rules[rule_index(rs, "payment-succeeded")].forgive[0],
	    "pay*");
	CHECK_INT(rules_detector_find(rs, "journey"), 2);
	CHECK_INT(rules_detector_find(rs, "declines"), 3);
	CHECK_INT(rules_detector_find(rs, "default"), -1);
	rules_free(rs);
}

/* A failure rule that no detector's "rules" names counts in none. */
static void
test_detector_counts_nowhere(void)
{
	char msgs[4096];
	struct ruleset *rs;

	rs = load_text("[detector payments]\nrules = pay-*\n" BILL, msgs,
	    sizeof(msgs));
	CHECK_STR(msgs, "");
	if (rs == NULL)
		return;
	CHECK_INT(counts_in(rs, "pay-failed"), 1);
	CHECK_INT(counts_in(rs, "charge-duplicated"), 0);
	rules_free(rs);
	/* A detector without "rules" and no failure rule: not an error. */
	rs = load_text("[detector all]\n[source billing]\n"
	    "match = ^(?<time>\\S+) (?<customer>\\S+)\ntime = iso8601\n",
	    msgs, sizeof(msgs));
	CHECK(rs != NULL);
	CHECK_STR(msgs, "");
	rules_free(rs);
}

/* Detectors across files: in file order, then section order. */
static void
test_detector_order(void)
{
	char dir[] = "dd", *paths[1], msgs[4096];
	struct ruleset *rs;
	struct diag d;

	mkdir(dir, 0755);
	put("dd/b.rules", "[detector late]\nrules = charge-*\n"
	    "[detector later]\n");
	put("dd/a.rules", BILL "[detector early]\nrules = pay-*\n");
	paths[0] = dir;
	diag_init(&d);
	rs = rules_load(paths, 1, NULL, &d);
	CHECK_INT(d.nmsgs, 0);
	diag_free(&d);
	CHECK(rs != NULL);
	if (rs != NULL) {
		CHECK_INT(rs->ndetectors, 3);
		CHECK_STR(rs->detectors[0].name, "early");
		CHECK_STR(rs->detectors[1].name, "late");
		CHECK_STR(rs->detectors[2].name, "later");
		CHECK_STR(rs->detectors[1].file, "dd/b.rules");
		CHECK_INT(counts_in(rs, "charge-duplicated"), 2 | 4);
	}
	rules_free(rs);
	(void)msgs;
}

/*
 * A detector's own keys win; those it leaves out take [settings]'
 * values after the command line's overrides.
 */
static void
test_detector_settings(void)
{
	static const char text[] = "[settings]\nwindow = 30m\n"
	    "threshold = 10\ncooldown = 2h\nchannels = 3\n"
	    "[detector fast]\nwindow = 15m\nthreshold = 4\ncooldown = 6h\n"
	    "channels = 2\n"
	    "[detector some]\nthreshold = 20\n"
	    "[detector plain]\n" BILL;
	struct rules_overrides ov = { -1, -1, -1, -1 };
	const struct detector *d;
	char msgs[4096];
	struct ruleset *rs;

	rs = load_text_ov(text, &ov, msgs, sizeof(msgs));
	CHECK_STR(msgs, "");
	if (rs == NULL)
		return;
	d = rs->detectors;
	CHECK_INT(d[0].settings.window, 15 * 60000);
	CHECK_INT(d[0].settings.threshold, 4);
	CHECK_INT(d[0].settings.cooldown, 6 * 3600000);
	CHECK_INT(d[0].settings.channels, 2);
	CHECK_INT(d[1].settings.window, 30 * 60000);
	CHECK_INT(d[1].settings.threshold, 20);
	CHECK_INT(d[1].settings.cooldown, 2 * 3600000);
	CHECK_INT(d[1].settings.channels, 3);
	CHECK_INT(d[2].settings.window, 30 * 60000);
	CHECK_INT(d[2].settings.threshold, 10);
	/* The set's own settings are [settings]', whatever detectors say. */
	CHECK_INT(rs->settings.window, 30 * 60000);
	CHECK_INT(rs->settings.threshold, 10);
	rules_free(rs);
	/* -w -T -c -C: they reach the keys a detector leaves out. */
	ov.window = 60000;
	ov.threshold = 7;
	ov.cooldown = 0;
	ov.channels = 0;
	rs = load_text_ov(text, &ov, msgs, sizeof(msgs));
	CHECK_STR(msgs, "");
	if (rs == NULL)
		return;
	d = rs->detectors;
	CHECK_INT(d[0].settings.window, 15 * 60000);
	CHECK_INT(d[0].settings.threshold, 4);
	CHECK_INT(d[0].settings.cooldown, 6 * 3600000);
	CHECK_INT(d[0].settings.channels, 2);
	CHECK_INT(d[1].settings.window, 60000);
	CHECK_INT(d[1].settings.threshold, 20);
	CHECK_INT(d[1].settings.cooldown, 0);
	CHECK_INT(d[1].settings.channels, 0);
	CHECK_INT(d[2].settings.window, 60000);
	CHECK_INT(d[2].settings.threshold, 7);
	CHECK_INT(d[2].settings.cooldown, 0);
	CHECK_INT(d[2].settings.channels, 0);
	CHECK_INT(rs->settings.window, 60000);
	CHECK_INT(rs->settings.threshold, 7);
	rules_free(rs);
	/* And the default detector, with no [detector] section. */
	rs = load_text_ov("[settings]\nwindow = 30m\n" BILL, &ov, msgs,
	    sizeof(msgs));
	CHECK_STR(msgs, "");
	if (rs == NULL)
		return;
	CHECK_INT(rs->detectors[0].settings.window, 60000);
	CHECK_INT(rs->detectors[0].settings.threshold, 7);
	rules_free(rs);
}

/* Every detector and forgive error, with its whole message. */
static void
test_detector_errors(void)
{
	static const struct bad cases[] = {
	    { "[detector p]\nrules = pay-faild\n" BILL,
	      "t.rules:2: rules: \"pay-faild\" names no failure rule (did "
	      "you mean \"pay-failed\"?)\n" },
	    { "[detector p]\nrules = refunds\n" BILL,
	      "t.rules:2: rules: \"refunds\" names no failure rule\n" },
	    { "[detector p]\nrules = pay-* card-*\n" BILL,
	      "t.rules:2: rules: \"card-*\" matches no failure rule\n" },
	    { "[detector p]\nrules = payment-succeeded\n" BILL PAID
	      "forgive = p\n",
	      "t.rules:2: rules: \"payment-succeeded\" is a forgiving rule, "
	      "which makes no events; a detector counts failure rules\n" },
	    { "[detector p]\nrules = payment-*\n" BILL PAID "forgive = p\n",
	      "t.rules:2: rules: \"payment-*\" matches no failure rule, only "
	      "forgiving ones\n" },
	    { "[detector p]\nrules = pay-failed,pay-declined\n" BILL,
	      "t.rules:2: rules: \"pay-failed,pay-declined\" names no "
	      "failure rule (separate them with blanks, not commas)\n" },
	    { "[detector payments]\n" BILL PAID "forgive = paymnts\n",
	      "t.rules:18: forgive: \"paymnts\" names no detector (did you "
	      "mean \"payments\"?)\n" },
	    { "[detector payments]\n" BILL PAID "forgive = journey\n",
	      "t.rules:18: forgive: \"journey\" names no detector (define it "
	      "with [detector journey])\n" },
	    { BILL PAID "forgive = payments\n",
	      "t.rules:17: forgive: \"payments\" names no detector (with no "
	      "[detector] section the one detector is \"default\")\n" },
	    { BILL PAID "forgive = defualt\n",
	      "t.rules:17: forgive: \"defualt\" names no detector (did you "
	      "mean \"default\"?)\n" },
	    { "[detector payments]\n" BILL PAID "forgive = default\n",
	      "t.rules:18: forgive: \"default\" names no detector (once a "
	      "[detector] section exists, only the detectors written do)\n" },
	    { "[detector payments]\n" BILL PAID "forgive = j*\n",
	      "t.rules:18: forgive: \"j*\" matches no detector\n" },
	    { BILL PAID "forgive = *\nweight = 2\n",
	      "t.rules:18: \"weight\" and \"forgive\" (line 17) together: a "
	      "forgiving rule makes no events, so it has no weight; remove "
	      "one of them\n" },
	    { BILL PAID "weight = 2\nforgive = *\n",
	      "t.rules:18: \"forgive\" and \"weight\" (line 17) together: a "
	      "forgiving rule makes no events, so it has no weight; remove "
	      "one of them\n" },
	    { "[detector p]\n[detector q]\n[detector p]\n" BILL,
	      "t.rules:3: duplicate [detector p] (first at t.rules:1)\n" },
	    { "[detector p]\nwindw = 3m\n" BILL,
	      "t.rules:2: unknown key \"windw\" (did you mean \"window\"?)\n" },
	    { "[detector p]\nweight = 3\n" BILL,
	      "t.rules:2: unknown key \"weight\" in [detector]\n" },
	    { "[detector p]\nwindow = 0\nthreshold = x\ncooldown = 1y\n"
	      "channels = 65\n" BILL,
	      "t.rules:2: window: \"0\" is not a positive duration (try 45s, "
	      "30m, 2h, 1d)\n"
	      "t.rules:3: threshold: \"x\" is not a whole number from 1 to "
	      "1000000000\n"
	      "t.rules:4: cooldown: \"1y\" is not a duration (try 45s, 30m, "
	      "2h, 1d)\n"
	      "t.rules:5: channels: \"65\" is not a whole number from 0 to "
	      "64\n" },
	    { "[detector p]\nrules = pay-failed\nrules = b\n" BILL,
	      "t.rules:3: duplicate key \"rules\" (first at line 2)\n" },
	    { "[detector]\n" BILL,
	      "t.rules:1: [detector] needs a name of letters, digits, '-', "
	      "'_' or '.'\n" },
	    { "[detector p q]\n" BILL,
	      "t.rules:1: [detector] needs a name of letters, digits, '-', "
	      "'_' or '.'\n" },
	    /* A rule that could not be built is not named again. */
	    { "[detector p]\nrules = lost\n" BILL "[rule lost]\n"
	      "source = web\nif = x == y\n",
	      "t.rules:17: source \"web\" is not defined (define it with "
	      "[source web])\n" },
	};
	char msgs[4096];
	struct ruleset *rs;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rs = load_text(cases[i].text, msgs, sizeof(msgs));
		CHECK(rs == NULL);
		rules_free(rs);
		CHECK_STR(msgs, cases[i].want);
	}
}

/* RULES_MAXDETECTORS detectors load; one more is an error at it. */
static void
test_detector_limit(void)
{
	char text[8192], msgs[4096], *p = text;
	struct ruleset *rs;
	int i;

	for (i = 0; i < RULES_MAXDETECTORS; i++)
		p += sprintf(p, "[detector d%d]\n", i);
	strcpy(p, BILL PAID "forgive = d63\n");
	rs = load_text(text, msgs, sizeof(msgs));
	CHECK(rs != NULL);
	CHECK_STR(msgs, "");
	if (rs != NULL) {
		CHECK_INT(rs->ndetectors, RULES_MAXDETECTORS);
		CHECK(counts_in(rs, "pay-failed") == UINT64_MAX);
		CHECK(forgives_in(rs, "payment-succeeded") == UINT64_C(1) << 63);
	}
	rules_free(rs);
	p += sprintf(p, "[detector d%d]\n", i);
	/* The 65th is said once; naming it brings nothing more. */
	strcpy(p, "[detector d65]\n" BILL PAID "forgive = d64 d65\n");
	rs = load_text(text, msgs, sizeof(msgs));
	CHECK(rs == NULL);
	CHECK_STR(msgs, "t.rules:65: more than 64 detectors, the most a rule "
	    "set may have\n");
	rules_free(rs);
}

/* Errors of all kinds come in file and line order, all in one run. */
static void
test_detector_errors_in_order(void)
{
	char msgs[4096];
	struct ruleset *rs;

	rs = load_text(BILL PAID "forgive = nowhere\nweight = 2\n"
	    "[detector p]\nrules = nothing\nthreshold = 0\n"
	    "[detector p]\n", msgs, sizeof(msgs));
	CHECK(rs == NULL);
	CHECK_STR(msgs,
	    "t.rules:17: forgive: \"nowhere\" names no detector (define it "
	    "with [detector nowhere])\n"
	    "t.rules:18: \"weight\" and \"forgive\" (line 17) together: a "
	    "forgiving rule makes no events, so it has no weight; remove one "
	    "of them\n"
	    "t.rules:20: rules: \"nothing\" names no failure rule\n"
	    "t.rules:21: threshold: \"0\" is not a whole number from 1 to "
	    "1000000000\n"
	    "t.rules:22: duplicate [detector p] (first at t.rules:19)\n");
	rules_free(rs);
}

/* Load [source s] with one rule whose "match =" is pat. */
static struct ruleset *
load_pattern(const char *pat)
{
	char text[1024], msgs[1024];
	struct ruleset *rs;

	snprintf(text, sizeof(text), "[source s]\n"
	    "match = ^(?<customer>\\S+)\ntime = none\n"
	    "[rule r]\nsource = s\nmatch = %s\n", pat);
	rs = load_text(text, msgs, sizeof(msgs));
	if (rs == NULL)
		fprintf(stderr, "load_pattern(%s): %s", pat, msgs);
	return rs;
}

/* pat's prefilter is prefix pre (or none: NULL) and literal lit. */
static int
prefilter_is(const char *pat, const char *pre, const char *lit)
{
	struct ruleset *rs = load_pattern(pat);
	const struct pattern *rx;
	int ok;

	if (rs == NULL)
		return 0;
	rx = rs->rules[0].rx;
	ok = (pre == NULL ? rx->pre == NULL : rx->pre != NULL &&
	    rx->prelen == strlen(pre) && memcmp(rx->pre, pre,
	    rx->prelen) == 0) && (lit == NULL ? rx->lit == NULL :
	    rx->lit != NULL && rx->litlen == strlen(lit) &&
	    memcmp(rx->lit, lit, rx->litlen) == 0);
	if (!ok)
		fprintf(stderr, "prefilter of %s: pre \"%.*s\" lit \"%.*s\"\n",
		    pat, (int)rx->prelen, rx->pre ? rx->pre : "",
		    (int)rx->litlen, rx->lit ? rx->lit : "");
	rules_free(rs);
	return ok;
}

static void
test_prefilter_literals(void)
{
	CHECK(prefilter_is("^\\{\"ts\":\"(?<t>[^\"]+)\",", "{\"ts\":\"",
	    NULL));
	CHECK(prefilter_is("^(\\S+) \\S+ \\[([^\\]]+)\\] \"", NULL, "] \""));
	CHECK(prefilter_is("^/(?:api/)?login(?:\\?|$)", "/", "login"));
	CHECK(prefilter_is("^/login\\?(?:\\S*&)?error=", "/login?", NULL));
	CHECK(prefilter_is("^40[13]$", "40", NULL));
	CHECK(prefilter_is("^ab?c\\]x", "a", "c]x"));
	CHECK(prefilter_is("^a+b=c", "a", "b=c"));
	CHECK(prefilter_is("x{2}yz", NULL, "yz"));
	CHECK(prefilter_is("[a-z]+\\.example\\.com", NULL, ".example.com"));
	CHECK(prefilter_is("ab\\d+cd", NULL, "ab"));
	CHECK(prefilter_is("[]a]bc", NULL, "bc"));
	CHECK(prefilter_is("[[:alpha:]]]x<y", NULL, "x<y"));
	CHECK(prefilter_is("a.b", NULL, NULL));
	CHECK(prefilter_is("(?:ab|cd)ef", NULL, "ef"));
	CHECK(prefilter_is("q(?#comment)rs", NULL, "rs"));
	/* \c takes the next byte; a comment ends at its first ")". */
	CHECK(prefilter_is("[\\c]ab]cd", NULL, "cd"));
	CHECK(prefilter_is("(\\c))abcd", NULL, "abcd"));
	CHECK(prefilter_is("q(?#a(b[c\\)rs", NULL, "rs"));
	/*
	 * PCRE2 skips comments before a quantifier, and before its ? or
	 * +: the quantifier is the atom's, of a group's or a class's too.
	 */
	CHECK(prefilter_is("db.:(?#+c)*+", NULL, "db"));
	CHECK(prefilter_is("abc(?#x)?def", NULL, "def"));
	CHECK(prefilter_is("x=(?#c)(?#d)*yz", NULL, "yz"));
	CHECK(prefilter_is("x=(?#c)(?#d)+yz", NULL, "x="));
	CHECK(prefilter_is("^ab(?#c){0}x", "a", NULL));
	CHECK(prefilter_is("(ab)(?#c)?:cd", NULL, ":cd"));
	CHECK(prefilter_is("k[ab](?#c)(?#d){2}=", NULL, "="));
	/*
	 * A { that starts no quantifier is a literal, and what follows it
	 * is read as ever: a | there is a top-level alternation.
	 */
	CHECK(prefilter_is("^a{x", "a{x", NULL));
	CHECK(prefilter_is("ab{foo}cd", NULL, "ab{foo"));
	CHECK(prefilter_is("b/{2,Z||x{1}]\\?", NULL, NULL));
	CHECK(prefilter_is(":[^-]?={1234|5678901}<[\\w.-]", NULL, NULL));
	CHECK(prefilter_is("ab{x|y}=#", NULL, NULL));
	/* Quantifiers to PCRE2 10.43 and later, literals to 10.42: neither. */
	CHECK(prefilter_is("ab{,3}yz", NULL, "yz"));
	CHECK(prefilter_is("ab{ 2 }yz", NULL, "yz"));
	CHECK(prefilter_is("^ab{1 ,}yz", "a", "yz"));
	CHECK(prefilter_is("a{,}=:", NULL, "a{,"));
	/* Nothing certain: none at all. */
	CHECK(prefilter_is("(?i)^abc", NULL, NULL));
	CHECK(prefilter_is("^abc(?i)def", NULL, NULL));
	CHECK(prefilter_is("^(?x) a b", NULL, NULL));
	CHECK(prefilter_is("^ab|cd", NULL, NULL));
	CHECK(prefilter_is("^a\\Qb.c\\E", NULL, NULL));
	CHECK(prefilter_is("(*UTF)^abc", NULL, NULL));
	CHECK(prefilter_is("^\\x41bc", NULL, NULL));
	CHECK(prefilter_is("^a\\tb", NULL, NULL));
	CHECK(prefilter_is("^(a)\\1bc", NULL, NULL));
	CHECK(prefilter_is("[0-9] ", NULL, NULL));
}

/*
 * Prefilters change nothing: pattern_exec() gives the same answer with
 * them and without them (a simple pattern_ctx), on subjects made of the
 * pattern's own bytes, its examples and their mutations.
 */
static void
test_prefilter_same_as_simple(void)
{
	static const struct {
		const char *pat;
		const char *eg[3];
	} t[] = {
		{ "^\\{\"ts\":\"(?<t>[^\"]+)\",\"event\":\"(?<e>[^\"]+)\"",
		    { "{\"ts\":\"x\",\"event\":\"y\"", "{\"ts\":\"\",", "" } },
		{ "^(\\S+) \\S+ (\\S+) \\[([^\\]]+)\\] \"(\\S+)",
		    { "1.2.3.4 - C1 [21/Nov] \"GET /", "a b c [d] \"e", "" } },
		{ "^/(?:api/)?login(?:\\?|$)",
		    { "/login", "/api/login?x", "/loginx" } },
		{ "^/login\\?(?:\\S*&)?error=",
		    { "/login?error=1", "/login?a=b&error=", "" } },
		{ "^ab?c\\]x", { "abc]x", "ac]x", "ab]x" } },
		{ "^a+b=c", { "aab=c", "ab=c", "b=c" } },
		{ "x{2}yz", { "xxyz", "axxyzb", "xyz" } },
		{ "[a-z]+\\.example\\.com", { "www.example.com", ".example.com",
		    "x.example.co" } },
		{ "ab\\d+cd", { "ab1cd", "zab22cdz", "abcd" } },
		{ "[]a]bc", { "]bc", "abc", "bc" } },
		{ "(?:ab|cd)ef", { "abef", "cdef", "ef" } },
		{ "\\] \"", { "] \"", "x] \"y", "]\"" } },
		{ "^40[13]$", { "401", "403", "40" } },
		{ "a\\.b\\.c", { "a.b.c", "xa.b.cx", "a.b" } },
		/* Matches without the literal the old readings took. */
		{ "db.:(?#+c)*+", { "dbx", "db.::", "db" } },
		{ "abc(?#x)?def", { "abdef", "abcdef", "abcde" } },
		{ "^ab(?#c){0}x", { "ax", "abx", "a" } },
		{ "b/{2,Z||x{1}]\\?", { "b/{2,Z", "x]?", "b/{2" } },
		{ ":[^-]?={1234|5678901}<[\\w.-]",
		    { ":={1234", "5678901}<a", ":x={123" } },
		{ "ab{foo}cd", { "ab{foo}cd", "ab{foocd", "abcd" } },
	};
	static const char extra[] = "ab]{\"/.=?& 0x";
	char subj[64], pool[128];
	struct pattern_ctx *fastctx = pattern_ctx_new(0);
	struct pattern_ctx *slowctx = pattern_ctx_new(1);
	pcre2_match_data *md = pattern_md_new(0);
	struct ruleset *rs;
	const struct pattern *rx;
	unsigned seed = 7, i, k, n, np;
	size_t len;
	int diff = 0, fast, slow;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if ((rs = load_pattern(t[i].pat)) == NULL) {
			t_fail++;
			continue;
		}
		rx = rs->rules[0].rx;
		np = (unsigned)snprintf(pool, sizeof(pool), "%s%s", t[i].pat,
		    extra);
		for (n = 0; n < 3000; n++) {
			seed = seed * 1103515245 + 12345;
			k = (seed >> 16) % 4;
			if (k < 3 && t[i].eg[k][0] != '\0') {
				len = strlen(t[i].eg[k]);
				memcpy(subj, t[i].eg[k], len);
			} else {
				len = (seed >> 8) % 12;
				for (k = 0; k < len; k++) {
					seed = seed * 1103515245 + 12345;
					subj[k] = pool[(seed >> 16) % np];
				}
			}
			/* A mutation: a byte changed, dropped or added. */
			seed = seed * 1103515245 + 12345;
			k = len > 0 ? (seed >> 8) % (unsigned)len : 0;
			switch ((seed >> 16) % 4) {
			case 0:
				if (len > 0)
					subj[k] = pool[(seed >> 4) % np];
				break;
			case 1:
				if (len > 0) {
					memmove(subj + k, subj + k + 1, len - k - 1);
					len--;
				}
				break;
			case 2:
				if (len < sizeof(subj) - 1) {
					memmove(subj + k + 1, subj + k, len - k);
					subj[k] = pool[(seed >> 4) % np];
					len++;
				}
				break;
			default:
				break;
			}
			fast = pattern_exec(fastctx, rx, md, subj, len);
			slow = pattern_exec(slowctx, rx, md, subj, len);
			if (fast != slow && diff++ < 5)
				fprintf(stderr, "prefilter: %s on \"%.*s\": %d, "
				    "without %d\n", t[i].pat, (int)len, subj,
				    fast, slow);
		}
		/* Every example given as matching still matches. */
		CHECK(pattern_exec(fastctx, rx, md, t[i].eg[0],
		    strlen(t[i].eg[0])) == 1);
		rules_free(rs);
	}
	CHECK_INT(diff, 0);
	pattern_ctx_free(fastctx);
	pattern_ctx_free(slowctx);
	pcre2_match_data_free(md);
}

int
main(void)
{
	char cmd[64];

	if (mkdtemp(tmpdir) == NULL || chdir(tmpdir) == -1)
		return 2;
	test_minimal();
	test_settings_and_comments();
	test_errors();
	test_all_errors_reported();
	test_directory();
	test_missing_and_binary();
	test_number();
	test_number_vs_strtod();
	test_prefilter_literals();
	test_prefilter_same_as_simple();
	test_detector_default();
	test_detector_globs();
	test_detector_counts_nowhere();
	test_detector_order();
	test_detector_settings();
	test_detector_errors();
	test_detector_limit();
	test_detector_errors_in_order();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd) != 0)
		t_fail++;
	T_DONE();
}
