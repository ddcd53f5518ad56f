/*
 * test_wtab: the window table against cxwatch.rules(5) semantics 4-6 and
 * Forgiveness. Each test pins one clause; test_model replays random
 * streams through the table and through a plain reference model of the
 * same clauses, test_model_forgiving the same with forgiving lines and
 * lines of other detectors mixed in; test_budget_* pin the evidence
 * budget (--evidence-memory), and test_budget_model checks that it
 * changes no decision.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "t.h"
#include "wtab.h"

#define TEST_NKEYS	40	/* customers in a random stream */
#define TEST_MAXEV	1024	/* events per model customer */
#define TEST_MAXNEV	8	/* evidence and rules in model configs */
#define TEST_DASHES	"----------------------------------------"	/* 40 */

static struct wtab_config
test_config(void)
{
	struct wtab_config cfg;

	memset(&cfg, 0, sizeof(cfg));
	cfg.window = 1000;
	cfg.cooldown = 0;
	cfg.threshold = 10;
	cfg.nchannels = 4;
	cfg.nrules = 4;
	cfg.evidence = 3;
	cfg.max_customers = 1000;
	return cfg;
}

static enum wtab_result
test_addk(struct wtab *t, const char *key, size_t keylen, int64_t time,
    unsigned weight, struct walert *a)
{
	struct wtab_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.time = time;
	ev.weight = weight;
	ev.line = "line";
	ev.linelen = 4;
	return wtab_add(t, key, keylen, &ev, a);
}

static enum wtab_result
test_addch(struct wtab *t, const char *key, int64_t time, unsigned weight,
    unsigned channel, unsigned rule, struct walert *a)
{
	struct wtab_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.time = time;
	ev.weight = weight;
	ev.channel = channel;
	ev.rule = rule;
	ev.line = "line";
	ev.linelen = 4;
	return wtab_add(t, key, strlen(key), &ev, a);
}

static enum wtab_result
test_add(struct wtab *t, const char *key, int64_t time, unsigned weight,
    struct walert *a)
{
	return test_addk(t, key, strlen(key), time, weight, a);
}

static struct wtab_stats
test_stats(const struct wtab *t)
{
	struct wtab_stats st;

	wtab_stats(t, &st);
	return st;
}

/* Semantics 5: a score equal to the threshold alerts. */
static void
test_threshold_exact(void)
{
	struct wtab_config cfg = test_config();
	struct wtab *t = wtab_new(&cfg);
	struct walert a;

	CHECK_INT(test_add(t, "c", 100, 4, &a), WTAB_ADDED);
	CHECK_INT(test_add(t, "c", 200, 6, &a), WTAB_ALERT);
	CHECK_INT(a.reason, WTAB_REASON_SCORE);
	CHECK_INT(a.score, 10);
	CHECK_INT(a.time, 200);
	CHECK_INT(a.nevents, 2);
	CHECK(a.customerlen == 1 && memcmp(a.customer, "c", 1) == 0);
	CHECK_INT(test_stats(t).alerts, 1);
	wtab_free(t);
}

/* Semantics 5: one below the threshold is silent; customers don't mix. */
static void
test_below_threshold(void)
{
	struct wtab_config cfg = test_config();
	struct wtab *t = wtab_new(&cfg);
	struct walert a;

	CHECK_INT(test_add(t, "c", 100, 4, &a), WTAB_ADDED);
	CHECK_INT(test_add(t, "c", 200, 5, &a), WTAB_ADDED);
	CHECK_INT(test_add(t, "d", 300, 9, &a), WTAB_ADDED);
	CHECK_INT(test_stats(t).alerts, 0);
	CHECK_INT(test_stats(t).events, 3);
	wtab_free(t);
}

/* Semantics 4: an event at exactly now - W leaves; one later stays. */
static void
test_expiry_boundary(void)
{
	struct wtab_config cfg = test_config();
	struct wtab *t = wtab_new(&cfg);
	struct walert a;

	CHECK_INT(test_add(t, "a", 0, 5, &a), WTAB_ADDED);
	CHECK_INT(test_add(t, "a", 1000, 5, &a), WTAB_ADDED);
	CHECK_INT(test_add(t, "a", 1999, 5, &a), WTAB_ALERT);
	CHECK_INT(a.first, 1000);
	CHECK_INT(a.nevents, 2);
	CHECK_INT(test_add(t, "b", 3000, 5, &a), WTAB_ADDED);
	CHECK_INT(test_add(t, "b", 3999, 5, &a), WTAB_ALERT);
	CHECK_INT(a.first, 3000);
	CHECK_INT(a.score, 10);
	wtab_free(t);
}

/* Semantics 4: an event at or before now - W is dropped and counted. */
static void
test_late_dropped(void)
{
	struct wtab_config cfg = test_config();
	struct wtab *t = wtab_new(&cfg);
	struct walert a;

	CHECK_INT(test_add(t, "a", 5000, 5, &a), WTAB_ADDED);
	CHECK_INT(test_add(t, "a", 4000, 5, &a), WTAB_LATE);
	CHECK_INT(test_stats(t).late, 1);
	CHECK_INT(test_stats(t).events, 1);
	CHECK_INT(test_add(t, "a", 4001, 5, &a), WTAB_ALERT);
	CHECK_INT(a.nevents, 2);
	CHECK_INT(a.first, 4001);
	CHECK_INT(a.time, 5000);
	CHECK_INT(test_stats(t).late, 1);
	wtab_free(t);
}

/* Semantics 4: an older event inside the window joins at its place. */
static void
test_out_of_order(void)
{
	struct wtab_config cfg = test_config();
	struct wtab *t = wtab_new(&cfg);
	struct walert a;

	CHECK_INT(test_add(t, "a", 100, 3, &a), WTAB_ADDED);
	CHECK_INT(test_add(t, "a", 50, 3, &a), WTAB_ADDED);
	CHECK_INT(test_add(t, "a", 120, 4, &a), WTAB_ALERT);
	CHECK_INT(a.time, 120);
	CHECK_INT(a.first, 50);
	CHECK_INT(a.nevidence, 3);
	CHECK_INT(a.evidence[0].time, 50);
	CHECK_INT(a.evidence[1].time, 100);
	CHECK_INT(a.evidence[2].time, 120);
	/* now does not move back */
	CHECK_INT(test_add(t, "b", 100, 6, &a), WTAB_ADDED);
	CHECK_INT(test_add(t, "b", 60, 4, &a), WTAB_ALERT);
	CHECK_INT(a.time, 100);
	CHECK_INT(a.first, 60);
	/* and it leaves at its own time */
	CHECK_INT(test_add(t, "c", 2000, 3, &a), WTAB_ADDED);
	CHECK_INT(test_add(t, "c", 1001, 3, &a), WTAB_ADDED);
	CHECK_INT(test_add(t, "c", 2001, 3, &a), WTAB_ADDED);
	CHECK_INT(test_stats(t).events, 2);
	wtab_free(t);
}

/* Semantics 5: enough distinct channels alert on their own. */
static void
test_channels_alone(void)
{
	struct wtab_config cfg = test_config();
	struct wtab *t;
	struct walert a;

	cfg.channels = 3;
	cfg.threshold = 100;
	t = wtab_new(&cfg);
	CHECK_INT(test_addch(t, "a", 10, 1, 0, 0, &a), WTAB_ADDED);
	CHECK_INT(test_addch(t, "a", 20, 1, 1, 0, &a), WTAB_ADDED);
	CHECK_INT(test_addch(t, "a", 30, 1, 1, 0, &a), WTAB_ADDED);
	CHECK_INT(test_addch(t, "a", 40, 1, 2, 0, &a), WTAB_ALERT);
	CHECK_INT(a.reason, WTAB_REASON_CHANNELS);
	CHECK_INT(a.chmask, 0x7);
	CHECK_INT(a.score, 4);
	CHECK_INT(a.nevents, 4);
	/* a channel that left the window no longer counts */
	CHECK_INT(test_addch(t, "b", 0, 1, 0, 0, &a), WTAB_ADDED);
	CHECK_INT(test_addch(t, "b", 500, 1, 1, 0, &a), WTAB_ADDED);
	CHECK_INT(test_addch(t, "b", 1000, 1, 2, 0, &a), WTAB_ADDED);
	CHECK_INT(test_addch(t, "b", 1001, 1, 3, 0, &a), WTAB_ALERT);
	CHECK_INT(a.chmask, 0xe);
	wtab_free(t);
}

/* Semantics 5: channels = 0 turns the channels rule off. */
static void
test_channels_off(void)
{
	struct wtab_config cfg = test_config();
	struct wtab *t;
	struct walert a;
	unsigned ch;

	cfg.threshold = 100;
	t = wtab_new(&cfg);
	for (ch = 0; ch < 4; ch++)
		CHECK_INT(test_addch(t, "a", 10 + ch, 1, ch, 0, &a),
		    WTAB_ADDED);
	CHECK_INT(test_stats(t).alerts, 0);
	wtab_free(t);
}

/* Semantics 5: both reasons are reported when both hold. */
static void
test_reasons_both(void)
{
	struct wtab_config cfg = test_config();
	struct wtab *t;
	struct walert a;

	cfg.channels = 2;
	cfg.threshold = 2;
	t = wtab_new(&cfg);
	CHECK_INT(test_addch(t, "a", 10, 1, 0, 0, &a), WTAB_ADDED);
	CHECK_INT(test_addch(t, "a", 20, 1, 1, 0, &a), WTAB_ALERT);
	CHECK_INT(a.reason, WTAB_REASON_SCORE | WTAB_REASON_CHANNELS);
	CHECK_INT(test_addch(t, "s", 10, 2, 0, 0, &a), WTAB_ALERT);
	CHECK_INT(a.reason, WTAB_REASON_SCORE);
	wtab_free(t);
}

/*
 * Semantics 5: suppressed until now + cooldown; events keep joining, and
 * the first event at suppressed_until alerts with all of them.
 */
static void
test_cooldown(void)
{
	struct wtab_config cfg = test_config();
	struct wtab *t;
	struct walert a;

	cfg.window = 10000;
	cfg.cooldown = 5000;
	cfg.threshold = 2;
	t = wtab_new(&cfg);
	CHECK_INT(test_add(t, "a", 0, 1, &a), WTAB_ADDED);
	CHECK_INT(test_add(t, "a", 1, 1, &a), WTAB_ALERT);
	CHECK_INT(test_add(t, "a", 2, 1, &a), WTAB_ADDED);
	CHECK_INT(test_add(t, "a", 3, 1, &a), WTAB_ADDED);
	CHECK_INT(test_add(t, "a", 5000, 1, &a), WTAB_ADDED);
	CHECK_INT(test_add(t, "a", 4, 1, &a), WTAB_ADDED);
	CHECK_INT(test_add(t, "a", 5001, 1, &a), WTAB_ALERT);
	CHECK_INT(a.time, 5001);
	CHECK_INT(a.first, 2);
	CHECK_INT(a.nevents, 5);
	CHECK_INT(a.score, 5);
	CHECK_INT(test_add(t, "a", 5002, 2, &a), WTAB_ADDED);
	CHECK_INT(test_stats(t).alerts, 2);
	wtab_free(t);
}

/* Semantics 5: an alert empties the window. */
static void
test_emptied_after_alert(void)
{
	struct wtab_config cfg = test_config();
	struct wtab *t;
	struct walert a;

	cfg.threshold = 2;
	t = wtab_new(&cfg);
	CHECK_INT(test_add(t, "a", 10, 1, &a), WTAB_ADDED);
	CHECK_INT(test_add(t, "a", 20, 1, &a), WTAB_ALERT);
	CHECK_INT(test_stats(t).events, 0);
	CHECK_INT(test_add(t, "a", 30, 1, &a), WTAB_ADDED);
	CHECK_INT(test_add(t, "a", 40, 1, &a), WTAB_ALERT);
	CHECK_INT(a.nevents, 2);
	CHECK_INT(a.first, 30);
	CHECK_INT(a.score, 2);
	wtab_free(t);
}

static enum wtab_result
test_addline(struct wtab *t, const char *key, int64_t time, unsigned weight,
    unsigned source, unsigned rule, const char *line, struct walert *a)
{
	static char buf[64];
	struct wtab_event ev;
	enum wtab_result r;

	memset(&ev, 0, sizeof(ev));
	snprintf(buf, sizeof(buf), "%s", line);
	ev.time = time;
	ev.weight = weight;
	ev.source = source;
	ev.rule = rule;
	ev.line = buf;
	ev.linelen = strlen(buf);
	r = wtab_add(t, key, strlen(key), &ev, a);
	/* the caller reuses its buffer */
	memset(buf, 'X', sizeof(buf) - 1);
	return r;
}

static void
test_evidence_is(const struct walert *a, unsigned k, int64_t time,
    unsigned source, unsigned rule, const char *line)
{
	CHECK_INT(a->evidence[k].time, time);
	CHECK_INT(a->evidence[k].source, source);
	CHECK_INT(a->evidence[k].rule, rule);
	CHECK_INT(a->evidence[k].linelen, strlen(line));
	CHECK_STR(a->evidence[k].line, line);
}

/*
 * Semantics 5: evidence is the newest events by time, equal times in
 * arrival order, oldest first, with copies of their lines.
 */
static void
test_evidence_newest(void)
{
	struct wtab_config cfg = test_config();
	struct wtab *t;
	struct walert a;

	cfg.threshold = 200;
	t = wtab_new(&cfg);
	test_addline(t, "a", 10, 1, 1, 1, "l10", &a);
	test_addline(t, "a", 30, 1, 2, 2, "l30", &a);
	test_addline(t, "a", 20, 1, 3, 3, "l20", &a);
	test_addline(t, "a", 30, 1, 4, 0, "l30 later", &a);
	test_addline(t, "a", 25, 1, 5, 1, "l25", &a);
	CHECK_INT(test_addline(t, "a", 5, 200, 6, 2, "l5", &a), WTAB_ALERT);
	CHECK_INT(a.nevidence, 3);
	test_evidence_is(&a, 0, 25, 5, 1, "l25");
	test_evidence_is(&a, 1, 30, 2, 2, "l30");
	test_evidence_is(&a, 2, 30, 4, 0, "l30 later");
	/* slots are reused after an alert */
	test_addline(t, "a", 40, 1, 7, 0, "m40", &a);
	test_addline(t, "a", 41, 1, 7, 0, "a longer line m41", &a);
	test_addline(t, "a", 42, 1, 7, 0, "m42", &a);
	CHECK_INT(test_addline(t, "a", 43, 200, 8, 3, "", &a), WTAB_ALERT);
	CHECK_INT(a.nevidence, 3);
	test_evidence_is(&a, 0, 41, 7, 0, "a longer line m41");
	test_evidence_is(&a, 1, 42, 7, 0, "m42");
	test_evidence_is(&a, 2, 43, 8, 3, "");
	/* fewer events than evidence slots */
	CHECK_INT(test_addline(t, "b", 50, 200, 9, 1, "only", &a), WTAB_ALERT);
	CHECK_INT(a.nevidence, 1);
	test_evidence_is(&a, 0, 50, 9, 1, "only");
	wtab_free(t);
}

/* evidence = 0 keeps no lines and still alerts. */
static void
test_evidence_zero(void)
{
	struct wtab_config cfg = test_config();
	struct wtab *t;
	struct walert a;

	cfg.evidence = 0;
	t = wtab_new(&cfg);
	test_addline(t, "a", 10, 5, 1, 1, "l10", &a);
	CHECK_INT(test_addline(t, "a", 20, 5, 1, 1, "l20", &a), WTAB_ALERT);
	CHECK_INT(a.nevidence, 0);
	CHECK_INT(a.nevents, 2);
	CHECK_INT(a.score, 10);
	wtab_free(t);
}

/* Semantics 5: rulecount, first and chmask describe the whole window. */
static void
test_rulecount_first(void)
{
	struct wtab_config cfg = test_config();
	struct wtab *t;
	struct walert a;

	cfg.threshold = 5;
	cfg.nrules = 3;
	t = wtab_new(&cfg);
	test_addch(t, "a", 100, 1, 0, 2, &a);
	test_addch(t, "a", 90, 1, 1, 0, &a);
	test_addch(t, "a", 110, 1, 0, 2, &a);
	test_addch(t, "a", 95, 1, 3, 1, &a);
	CHECK_INT(test_addch(t, "a", 120, 1, 0, 2, &a), WTAB_ALERT);
	CHECK_INT(a.first, 90);
	CHECK_INT(a.nevents, 5);
	CHECK_INT(a.rulecount[0], 1);
	CHECK_INT(a.rulecount[1], 1);
	CHECK_INT(a.rulecount[2], 3);
	CHECK_INT(a.chmask, 0xb);
	wtab_free(t);
}

/*
 * Semantics 6: a customer whose window is empty as seen from T and whose
 * suppression has passed comes back fresh: no events, no suppression,
 * its clock at the new event.
 */
static void
test_idle_fresh(void)
{
	struct wtab_config cfg = test_config();
	struct wtab *t = wtab_new(&cfg);
	struct walert a;

	/* late for the old clock, but the old clock is forgotten */
	CHECK_INT(test_add(t, "a", 5000, 5, &a), WTAB_ADDED);
	CHECK_INT(test_add(t, "b", 7000, 1, &a), WTAB_ADDED);
	CHECK_INT(test_add(t, "a", 3500, 10, &a), WTAB_ALERT);
	CHECK_INT(a.time, 3500);
	CHECK_INT(a.nevents, 1);
	CHECK_INT(a.score, 10);
	CHECK_INT(test_stats(t).late, 0);
	/* boundary: now == T - W is idle, now == T - W + 1 is not */
	CHECK_INT(test_add(t, "c", 10000, 5, &a), WTAB_ADDED);
	CHECK_INT(test_add(t, "d", 10001, 5, &a), WTAB_ADDED);
	CHECK_INT(test_add(t, "b", 11000, 1, &a), WTAB_ADDED);
	CHECK_INT(test_add(t, "c", 10001, 5, &a), WTAB_ADDED);
	CHECK_INT(test_add(t, "d", 10002, 5, &a), WTAB_ALERT);
	CHECK(test_stats(t).forgotten >= 2);
	wtab_free(t);
}

/* Semantics 6: suppression is forgotten only once it has passed. */
static void
test_idle_suppression(void)
{
	struct wtab_config cfg = test_config();
	struct wtab *t;
	struct walert a;

	cfg.threshold = 1;
	cfg.cooldown = 2000;
	t = wtab_new(&cfg);
	CHECK_INT(test_add(t, "a", 0, 1, &a), WTAB_ALERT);
	CHECK_INT(test_add(t, "b", 1500, 1, &a), WTAB_ALERT);
	CHECK_INT(test_add(t, "a", 100, 1, &a), WTAB_ADDED);
	CHECK_INT(test_add(t, "b", 3000, 1, &a), WTAB_ADDED);
	CHECK_INT(test_add(t, "a", 200, 1, &a), WTAB_ALERT);
	CHECK_INT(a.nevents, 1);
	CHECK_INT(a.first, 200);
	wtab_free(t);
}

/* wtab_sweep frees exactly the idle customers and says how many. */
static void
test_sweep_count(void)
{
	struct wtab_config cfg = test_config();
	struct wtab *t = wtab_new(&cfg);
	struct walert a;

	test_add(t, "a", 0, 1, &a);
	test_add(t, "b", 10, 1, &a);
	test_add(t, "c", 20, 1, &a);
	test_add(t, "z", 1015, 1, &a);
	CHECK_INT(wtab_sweep(t), 2);
	CHECK_INT(test_stats(t).customers, 2);
	CHECK_INT(test_stats(t).forgotten, 2);
	CHECK_INT(test_stats(t).events, 2);
	CHECK_INT(wtab_sweep(t), 0);
	CHECK_INT(test_add(t, "c", 21, 9, &a), WTAB_ALERT);
	wtab_free(t);
}

/* Semantics 6: max_customers evicts the least recently active. */
static void
test_max_customers(void)
{
	struct wtab_config cfg = test_config();
	struct wtab *t;
	struct walert a;

	cfg.window = 1000000;
	cfg.threshold = 3;
	cfg.max_customers = 3;
	t = wtab_new(&cfg);
	test_add(t, "a", 1, 1, &a);
	test_add(t, "b", 2, 1, &a);
	test_add(t, "c", 3, 1, &a);
	test_add(t, "a", 4, 1, &a);
	CHECK_INT(test_add(t, "d", 5, 1, &a), WTAB_ADDED);	/* evicts b */
	CHECK_INT(test_stats(t).evicted, 1);
	CHECK_INT(test_stats(t).customers, 3);
	CHECK_INT(test_add(t, "b", 6, 1, &a), WTAB_ADDED);	/* evicts c */
	CHECK_INT(test_add(t, "a", 7, 1, &a), WTAB_ALERT);
	CHECK_INT(a.nevents, 3);
	CHECK_INT(test_add(t, "c", 8, 1, &a), WTAB_ADDED);	/* evicts d */
	CHECK_INT(test_add(t, "b", 9, 1, &a), WTAB_ADDED);
	CHECK_INT(test_add(t, "b", 10, 1, &a), WTAB_ALERT);
	CHECK_INT(a.first, 6);
	CHECK_INT(test_stats(t).evicted, 3);
	CHECK_INT(test_stats(t).peak, 3);
	wtab_free(t);

	/* idle customers go first */
	cfg.window = 1000;
	cfg.threshold = 2;
	cfg.max_customers = 2;
	t = wtab_new(&cfg);
	test_add(t, "x", 0, 1, &a);
	test_add(t, "y", 5000, 1, &a);
	test_add(t, "z", 5000, 1, &a);
	CHECK_INT(test_stats(t).evicted, 0);
	CHECK_INT(test_stats(t).forgotten, 1);
	CHECK_INT(test_stats(t).customers, 2);
	CHECK_INT(test_add(t, "y", 5001, 1, &a), WTAB_ALERT);
	wtab_free(t);
}

/* Keys are bytes: NUL inside, prefixes, inline and long lengths. */
static void
test_keys(void)
{
	static const struct {
		const char	*key;
		size_t		 len;
	} bin[] = {
		{ "a", 1 }, { "a\0", 2 }, { "a\0b", 3 }, { "a\0c", 3 },
		{ "\0", 1 }, { "\0\0", 2 },
	};
	static const size_t lens[] = { 13, 14, 15, 16, 255, 256, 256, 256 };
	char keys[8][WTAB_MAXKEY];
	struct wtab_config cfg = test_config();
	struct wtab *t = wtab_new(&cfg);
	struct walert a;
	size_t i, n = sizeof(lens) / sizeof(lens[0]);
	int pass;

	for (i = 0; i < n; i++)
		memset(keys[i], 'k', WTAB_MAXKEY);
	keys[6][255] = 'z';
	keys[7][0] = 'z';
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < sizeof(bin) / sizeof(bin[0]); i++) {
			CHECK_INT(test_addk(t, bin[i].key, bin[i].len,
			    100 + pass, 5, &a), pass ? WTAB_ALERT : WTAB_ADDED);
			CHECK(!pass || (a.customerlen == bin[i].len &&
			    memcmp(a.customer, bin[i].key, bin[i].len) == 0));
		}
		for (i = 0; i < n; i++) {
			CHECK_INT(test_addk(t, keys[i], lens[i], 100 + pass, 5,
			    &a), pass ? WTAB_ALERT : WTAB_ADDED);
			CHECK(!pass || (a.customerlen == lens[i] &&
			    memcmp(a.customer, keys[i], lens[i]) == 0));
		}
	}
	CHECK_INT(test_stats(t).customers, 14);
	wtab_free(t);
}

static long
test_rss(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long size, rss = -1;

	if (f == NULL)
		return -1;
	if (fscanf(f, "%ld %ld", &size, &rss) != 2)
		rss = -1;
	fclose(f);
	return rss < 0 ? -1 : rss * sysconf(_SC_PAGESIZE);
}

/* RSS means nothing under ASan or valgrind: they bring their own heap. */
static int
test_rss_honest(void)
{
#ifdef __SANITIZE_ADDRESS__
	return 0;
#else
	const char *p = getenv("LD_PRELOAD");

	return test_rss() >= 0 && (p == NULL || strstr(p, "vgpreload") == NULL);
#endif
}

/* Bytes handed out by malloc, slack capacity included; -1 if unknown. */
static double
test_heap(void)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 33)
	struct mallinfo2 mi = mallinfo2();

	return (double)mi.uordblks + (double)mi.hblkhd;
#else
	return -1;
#endif
}

static double
test_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Add n customers with 12-byte keys, one event each; print the cost and
 * return malloc's bytes per customer, or resident bytes without mallinfo2.
 */
static double
test_fill(struct wtab *t, unsigned n, enum wtab_result want,
    const char *what)
{
	char key[32];
	struct walert a;
	double heap0 = test_heap(), rss0 = test_rss(), t0 = test_now();
	double heap, rss, secs;
	unsigned k, bad = 0;
	int len;

	for (k = 0; k < n; k++) {
		len = snprintf(key, sizeof(key), "cust-%07u", k);
		bad += test_addk(t, key, (size_t)len, k, 1, &a) != want;
	}
	secs = test_now() - t0;
	CHECK_INT(bad, 0);
	heap = (test_heap() - heap0) / n;
	rss = (test_rss() - rss0) / n;
	printf("wtab: %u customers %s: %.0f ns per add, %.1f bytes each "
	    "(malloc), %.1f (resident)\n", n, what, secs * 1e9 / n,
	    heap, rss);
	return heap0 >= 0 ? heap : rss;
}

/* Semantics 6 at scale: a million customers, each forgotten when idle. */
static void
test_many_customers(void)
{
	const unsigned n = 1000000;
	struct wtab_config cfg = test_config();
	struct wtab *t;
	struct walert a;
	double per;

	cfg.window = 10000000;
	cfg.threshold = 2;
	cfg.evidence = 0;
	cfg.max_customers = 1 << 24;
	if (!test_rss_honest())
		printf("wtab: memory not checked under ASan or valgrind\n");
	t = wtab_new(&cfg);
	per = test_fill(t, n, WTAB_ADDED, "with a one-event window");
	if (test_rss_honest())
		CHECK(per < 160);
	CHECK_INT(test_stats(t).customers, n);
	CHECK_INT(test_stats(t).events, n);
	CHECK_INT(test_add(t, "tick", 100000000, 1, &a), WTAB_ADDED);
	CHECK_INT(wtab_sweep(t), n);
	CHECK_INT(test_stats(t).customers, 1);
	CHECK_INT(test_stats(t).forgotten, n);
	CHECK_INT(test_stats(t).peak, n + 1);
	CHECK_INT(test_stats(t).events, 1);
	CHECK_INT(test_add(t, "cust-0000001", 100000001, 1, &a), WTAB_ADDED);
	wtab_free(t);

	/* threshold 1: every window is released at once */
	cfg.threshold = 1;
	cfg.cooldown = 60000;
	t = wtab_new(&cfg);
	per = test_fill(t, n, WTAB_ALERT, "with an empty window");
	if (test_rss_honest())
		CHECK(per < 100);
	CHECK_INT(test_stats(t).customers, n);
	wtab_free(t);
}

static int
test_refind(struct wtab *t, const char *prefix, unsigned k, int64_t time,
    enum wtab_result want)
{
	char key[32];
	struct walert a;
	int len = snprintf(key, sizeof(key), "%s%u", prefix, k);

	return test_addk(t, key, (size_t)len, time, 1, &a) == want;
}

/*
 * The index survives growth, backward-shift deletion in bulk and
 * interleaved with inserts, and compaction: every customer that should
 * be there is found, and none that should not.
 */
static void
test_growth_delete(void)
{
	const unsigned n = 200000;
	struct wtab_config cfg = test_config();
	struct wtab *t;
	struct walert a;
	unsigned k, good = 0;

	cfg.window = 5000;
	cfg.threshold = 2;
	cfg.max_customers = n * 2;
	t = wtab_new(&cfg);
	for (k = 0; k < n; k++)
		good += test_refind(t, "g", k, k % 4 ? 1000 : 5000,
		    WTAB_ADDED);
	CHECK_INT(good, n);
	CHECK_INT(test_stats(t).customers, n);
	test_add(t, "tick", 6000, 1, &a);
	CHECK_INT(wtab_sweep(t), n / 4 * 3);
	CHECK_INT(test_stats(t).customers, n / 4 + 1);
	for (k = 0, good = 0; k < n; k++)
		good += test_refind(t, "g", k, 6000,
		    k % 4 ? WTAB_ADDED : WTAB_ALERT);
	CHECK_INT(good, n);
	/* each "lag" customer is idle at once and goes at the next add */
	for (k = 0, good = 0; k < n; k++) {
		good += test_refind(t, "lag", k, 0, WTAB_ADDED);
		good += test_refind(t, "g", k, 6001,
		    k % 4 ? WTAB_ALERT : WTAB_ADDED);
	}
	CHECK_INT(good, 2 * n);
	CHECK_INT(test_stats(t).customers, n + 1);
	CHECK_INT(test_stats(t).forgotten, n / 4 * 3 + n);
	CHECK_INT(test_stats(t).late, 0);
	wtab_free(t);
}

/*
 * The reference model: semantics 4-6 and Forgiveness written as plainly
 * as possible.
 */

struct test_mev {
	int64_t		 time;
	unsigned	 weight, channel, rule, source;
	unsigned long	 seq;
	char		 line[64];
	size_t		 linelen;
};

struct test_mcust {
	int		 live;
	int64_t		 now, supp, fu;
	unsigned long	 touch;
	struct test_mev	 ev[TEST_MAXEV];
	unsigned	 n;
};

struct test_model {
	struct wtab_config cfg;
	struct test_mcust c[TEST_NKEYS];
	int		 seen;
	int64_t		 latest;
	unsigned long	 clock;
	uint64_t	 late, evicted, forgotten, alerts, forgiven;
};

struct test_malert {
	int		 reason;
	int64_t		 time, first;
	uint64_t	 score, chmask;
	unsigned	 nevents;
	unsigned	 rulecount[TEST_MAXNEV];
	struct test_mev	 evidence[TEST_MAXNEV];
	unsigned	 nevidence;
};

static int
test_model_idle(const struct test_model *m, const struct test_mcust *c)
{
	return m->seen && c->now <= m->latest - m->cfg.window &&
	    c->supp <= m->latest && c->fu <= m->latest - m->cfg.window;
}

/* Semantics 6: idle customers take no memory. */
static void
test_model_forget(struct test_model *m)
{
	unsigned k;

	for (k = 0; k < TEST_NKEYS; k++)
		if (m->c[k].live && test_model_idle(m, &m->c[k])) {
			m->c[k].live = 0;
			m->forgotten++;
		}
}

/* T moves after the line has been applied. */
static void
test_model_latest(struct test_model *m, int64_t time)
{
	if (!m->seen || time > m->latest)
		m->latest = time;
	m->seen = 1;
}

static void
test_model_admit(struct test_model *m, struct test_mcust *c, int64_t time)
{
	struct test_mcust *lru = NULL;
	unsigned k, live = 0;

	test_model_forget(m);
	for (k = 0; k < TEST_NKEYS; k++) {
		if (!m->c[k].live)
			continue;
		live++;
		if (lru == NULL || m->c[k].touch < lru->touch)
			lru = &m->c[k];
	}
	if (!c->live && live >= m->cfg.max_customers) {
		lru->live = 0;
		m->evicted++;
	}
	if (c->live)
		return;
	c->live = 1;
	c->now = time;
	c->supp = INT64_MIN;
	c->fu = INT64_MIN;
	c->n = 0;
}

static int
test_mev_cmp(const void *a, const void *b)
{
	const struct test_mev *x = a, *y = b;

	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void
test_model_alert(struct test_model *m, struct test_mcust *c, int reason,
    struct test_malert *out)
{
	unsigned i, nev = c->n < m->cfg.evidence ? c->n : m->cfg.evidence;

	qsort(c->ev, c->n, sizeof(c->ev[0]), test_mev_cmp);
	memset(out, 0, sizeof(*out));
	out->reason = reason;
	out->time = c->now;
	out->first = c->ev[0].time;
	out->nevents = c->n;
	for (i = 0; i < c->n; i++) {
		out->score += c->ev[i].weight;
		out->chmask |= (uint64_t)1 << c->ev[i].channel;
		out->rulecount[c->ev[i].rule]++;
	}
	for (i = 0; i < nev; i++)
		out->evidence[i] = c->ev[c->n - nev + i];
	out->nevidence = nev;
	c->n = 0;
	c->supp = c->now + m->cfg.cooldown;
	m->alerts++;
}

static enum wtab_result
test_model_join(struct test_model *m, struct test_mcust *c,
    const struct test_mev *ev, struct test_malert *out)
{
	uint64_t score = 0, mask = 0;
	unsigned i, j, nch = 0;
	int reason = 0;

	if (c->n == TEST_MAXEV)
		abort();
	c->ev[c->n++] = *ev;
	if (ev->time > c->now)
		c->now = ev->time;
	for (i = j = 0; i < c->n; i++)
		if (c->ev[i].time > c->now - m->cfg.window)
			c->ev[j++] = c->ev[i];
	c->n = j;
	for (i = 0; i < c->n; i++) {
		score += c->ev[i].weight;
		mask |= (uint64_t)1 << c->ev[i].channel;
	}
	for (i = 0; i < 64; i++)
		nch += (mask >> i) & 1;
	if (score >= m->cfg.threshold)
		reason |= WTAB_REASON_SCORE;
	if (m->cfg.channels > 0 && nch >= m->cfg.channels)
		reason |= WTAB_REASON_CHANNELS;
	if (c->now < c->supp || reason == 0)
		return WTAB_ADDED;
	test_model_alert(m, c, reason, out);
	return WTAB_ALERT;
}

static enum wtab_result
test_model_add(struct test_model *m, unsigned k, const struct test_mev *ev,
    struct test_malert *out)
{
	struct test_mcust *c = &m->c[k];
	enum wtab_result r;

	if (c->live && test_model_idle(m, c)) {
		c->live = 0;
		m->forgotten++;
	}
	test_model_admit(m, c, ev->time);
	c->touch = ++m->clock;
	if (ev->time <= c->fu) {
		m->forgiven++;
		r = WTAB_FORGIVEN;
	} else if (ev->time <= c->now - m->cfg.window) {
		m->late++;
		r = WTAB_LATE;
	} else
		r = test_model_join(m, c, ev, out);
	test_model_latest(m, ev->time);
	return r;
}

/* Forgiveness, points 1, 2 and 4. */
static int
test_model_forgive(struct test_model *m, unsigned k, int64_t time)
{
	struct test_mcust *c = &m->c[k];
	unsigned i, j;
	int r = 0;

	test_model_forget(m);
	if (c->live) {
		c->touch = ++m->clock;
		if (time > c->now)
			c->now = time;
		for (i = j = 0; i < c->n; i++)
			if (c->ev[i].time <= time)
				m->forgiven++;
			else if (c->ev[i].time > c->now - m->cfg.window)
				c->ev[j++] = c->ev[i];
		c->n = j;
		if (time > c->fu)
			c->fu = time;
		r = 1;
	}
	test_model_latest(m, time);
	return r;
}

static uint64_t
test_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

/*
 * Next event of a random stream: nearly ordered, some out of order, some
 * late, customer 0 far behind everyone (idle as soon as it arrives), and
 * now and then a jump that leaves everyone idle.
 */
static unsigned
test_stream_next(uint64_t *rng, int64_t *clock, unsigned long seq,
    const struct wtab_config *cfg, struct test_mev *ev)
{
	unsigned k = test_rand(rng) % TEST_NKEYS;
	int len;

	*clock += test_rand(rng) % 40;
	if (test_rand(rng) % 2000 == 0)
		*clock += 3 * cfg->window;
	ev->time = *clock - (int64_t)(test_rand(rng) % 400);
	if (test_rand(rng) % 50 == 0)
		ev->time -= cfg->window;
	if (k == 0)
		ev->time -= 5 * cfg->window;
	ev->weight = 1 + test_rand(rng) % 5;
	ev->channel = test_rand(rng) % cfg->nchannels;
	ev->rule = test_rand(rng) % cfg->nrules;
	ev->source = test_rand(rng) % 7;
	ev->seq = seq;
	len = snprintf(ev->line, sizeof(ev->line), "L%lu %.*s", seq,
	    (int)(test_rand(rng) % 40), TEST_DASHES);
	ev->linelen = (size_t)len;
	return k;
}

static int
test_same_alert(const struct walert *a, const struct test_malert *m,
    const char *key, unsigned nrules)
{
	unsigned i;

	if (a->customerlen != strlen(key) ||
	    memcmp(a->customer, key, a->customerlen) != 0 ||
	    a->reason != m->reason || a->time != m->time ||
	    a->first != m->first || a->score != m->score ||
	    a->chmask != m->chmask || a->nevents != m->nevents ||
	    a->nevidence != m->nevidence)
		return 0;
	for (i = 0; i < nrules; i++)
		if (a->rulecount[i] != m->rulecount[i])
			return 0;
	for (i = 0; i < a->nevidence; i++)
		if (a->evidence[i].time != m->evidence[i].time ||
		    a->evidence[i].source != m->evidence[i].source ||
		    a->evidence[i].rule != m->evidence[i].rule ||
		    a->evidence[i].linelen != m->evidence[i].linelen ||
		    memcmp(a->evidence[i].line, m->evidence[i].line,
		    m->evidence[i].linelen) != 0)
			return 0;
	return 1;
}

static uint64_t
test_digest(uint64_t h, const void *p, size_t len)
{
	const unsigned char *b = p;

	while (len-- > 0)
		h = (h ^ *b++) * 0x100000001b3ULL;
	return h;
}

static uint64_t
test_alert_digest(enum wtab_result r, const struct walert *a,
    unsigned nrules)
{
	uint64_t h = test_digest(0xcbf29ce484222325ULL, &r, sizeof(r));
	unsigned i;

	if (r != WTAB_ALERT)
		return h;
	h = test_digest(h, a->customer, a->customerlen);
	h = test_digest(h, &a->reason, sizeof(a->reason));
	h = test_digest(h, &a->time, sizeof(a->time));
	h = test_digest(h, &a->first, sizeof(a->first));
	h = test_digest(h, &a->score, sizeof(a->score));
	h = test_digest(h, &a->chmask, sizeof(a->chmask));
	h = test_digest(h, &a->nevents, sizeof(a->nevents));
	h = test_digest(h, a->rulecount, nrules * sizeof(*a->rulecount));
	for (i = 0; i < a->nevidence; i++) {
		h = test_digest(h, &a->evidence[i].time, sizeof(int64_t));
		h = test_digest(h, a->evidence[i].line,
		    a->evidence[i].linelen);
	}
	return h;
}

/*
 * With forgive set, before an event of the stream: now and then a
 * forgiving line for a random customer, at a time around the stream's
 * clock (sometimes ahead of it, which moves now), and now and then a line
 * another detector counts, which only moves T (wtab_set_latest()). Drawn
 * from a generator of their own, so the stream's events are the same.
 * Returns the customer to forgive and sets *time, or returns -1 for T
 * alone (with *time), or -2 for nothing.
 */
static int
test_stream_extra(uint64_t *rng, int64_t clock, int64_t *time)
{
	uint64_t r = test_rand(rng) % 16;

	if (r < 3) {
		*time = clock - (int64_t)(test_rand(rng) % 800);
		if (test_rand(rng) % 4 == 0)
			*time += (int64_t)(test_rand(rng) % 1200);
		return (int)(test_rand(rng) % TEST_NKEYS);
	}
	if (r == 3) {
		*time = clock + (int64_t)(test_rand(rng) % 300) - 150;
		return -1;
	}
	return -2;
}

/*
 * Replay n events of stream seed through the table and the model; with
 * sweep set, call wtab_sweep() after every event and sometimes twice;
 * with forgive set, mix in test_stream_extra()'s lines. Store a digest
 * of each result in digest[] (and the stats in *stp if not NULL); return
 * the mismatches.
 */
static unsigned
test_replay(const struct wtab_config *cfg, uint64_t seed, unsigned n,
    int sweep, int forgive, uint64_t *digest, struct wtab_stats *stp)
{
	struct test_model *m = calloc(1, sizeof(*m));
	struct wtab *t = wtab_new(cfg);
	struct test_malert ma;
	struct test_mev ev;
	struct wtab_event we;
	struct walert a;
	struct wtab_stats st;
	enum wtab_result r, mr;
	int64_t clock = 100000;
	uint64_t sweeprng = seed, xrng = seed ^ 0x5bd1e995, h;
	unsigned i, k, bad = 0;
	int x, fr, mfr;
	int64_t xtime;
	const char *why;
	char key[16];

	if (m == NULL)
		abort();
	m->cfg = *cfg;
	for (i = 0; i < n; i++) {
		k = test_stream_next(&seed, &clock, i, cfg, &ev);
		fr = -1;
		x = forgive ? test_stream_extra(&xrng, clock, &xtime) : -2;
		if (x >= 0) {
			snprintf(key, sizeof(key), "cust%d", x);
			fr = wtab_forgive(t, key, strlen(key), xtime);
			mfr = test_model_forgive(m, (unsigned)x, xtime);
			if (fr != mfr && bad++ == 0)
				fprintf(stderr, "replay: forgive before event "
				    "%u (%s at %lld): got %d, model %d\n", i,
				    key, (long long)xtime, fr, mfr);
		} else if (x == -1) {
			if (wtab_set_latest(t, xtime, &why) != 0)
				bad++;
			test_model_latest(m, xtime);
			test_model_forget(m);
			fr = 2;
		}
		snprintf(key, sizeof(key), "cust%u", k);
		we.time = ev.time;
		we.weight = ev.weight;
		we.channel = ev.channel;
		we.rule = ev.rule;
		we.source = ev.source;
		we.line = ev.line;
		we.linelen = ev.linelen;
		r = wtab_add(t, key, strlen(key), &we, &a);
		mr = test_model_add(m, k, &ev, &ma);
		if (r != mr || (r == WTAB_ALERT &&
		    !test_same_alert(&a, &ma, key, cfg->nrules))) {
			if (bad++ == 0)
				fprintf(stderr, "replay: event %u (%s at %lld):"
				    " got %d, model %d\n", i, key,
				    (long long)ev.time, r, mr);
		}
		h = test_alert_digest(r, &a, cfg->nrules);
		digest[i] = test_digest(h, &fr, sizeof(fr));
		if (sweep)
			for (k = test_rand(&sweeprng) % 3; k < 3; k++)
				wtab_sweep(t);
	}
	wtab_stats(t, &st);
	bad += st.late != m->late || st.evicted != m->evicted ||
	    st.alerts != m->alerts || st.forgiven != m->forgiven;
	if (!sweep)
		bad += st.forgotten != m->forgotten;
	if (stp != NULL)
		*stp = st;
	wtab_free(t);
	free(m);
	return bad;
}

static const struct wtab_config test_replay_cfgs[] = {
	{ .window = 1000, .cooldown = 0, .threshold = 12, .channels = 0,
	  .nchannels = 4, .nrules = 3, .evidence = 3, .max_customers = 100 },
	{ .window = 1000, .cooldown = 1500, .threshold = 8, .channels = 3,
	  .nchannels = 4, .nrules = 3, .evidence = 1, .max_customers = 10 },
	{ .window = 500, .cooldown = 200, .threshold = 30, .channels = 2,
	  .nchannels = 3, .nrules = 2, .evidence = 0, .max_customers = 3 },
	{ .window = 2000, .cooldown = 0, .threshold = 1000, .channels = 4,
	  .nchannels = 4, .nrules = 5, .evidence = 5, .max_customers = 40 },
	{ .window = 300, .cooldown = 5000, .threshold = 3, .channels = 0,
	  .nchannels = 1, .nrules = 1, .evidence = 2, .max_customers = 1 },
	{ .window = 8000, .cooldown = 100, .threshold = 25, .channels = 0,
	  .nchannels = 2, .nrules = 8, .evidence = 8, .max_customers = 25 },
};

#define TEST_NREPLAY	20000

/* Semantics 4-6 on random streams: the table agrees with the model. */
static void
test_model(void)
{
	static uint64_t digest[TEST_NREPLAY];
	size_t i, n = sizeof(test_replay_cfgs) / sizeof(test_replay_cfgs[0]);

	for (i = 0; i < n; i++)
		CHECK_INT(test_replay(&test_replay_cfgs[i], 0x9e3779b9 + i,
		    TEST_NREPLAY, 0, 0, digest, NULL), 0);
}

/* Semantics 6: extra wtab_sweep() calls change no result. */
static void
test_sweep_independent(void)
{
	static uint64_t plain[TEST_NREPLAY], swept[TEST_NREPLAY];
	size_t i, n = sizeof(test_replay_cfgs) / sizeof(test_replay_cfgs[0]);
	unsigned varied, j;

	for (i = 0; i < n; i++) {
		test_replay(&test_replay_cfgs[i], 77 + i, TEST_NREPLAY, 0, 0,
		    plain, NULL);
		CHECK_INT(test_replay(&test_replay_cfgs[i], 77 + i,
		    TEST_NREPLAY, 1, 0, swept, NULL), 0);
		CHECK(memcmp(plain, swept, sizeof(plain)) == 0);
		/* the stream must alert, else there is nothing to compare */
		varied = 0;
		for (j = 0; j < TEST_NREPLAY; j++)
			varied += plain[j] != plain[0];
		CHECK(varied > 0);
	}
}


/* Saved events of the only customer, counted: groups and ring events. */
struct test_peek {
	size_t		 ngroups;
	uint64_t	 nfolded;
	size_t		 nring;
	size_t		 nlines;
};

static int
test_peek_cb(void *arg, const struct wtab_saved *c)
{
	struct test_peek *p = arg;
	size_t k;

	for (k = 0; k < c->nevents; k++) {
		if (c->events[k].folded != 0) {
			p->ngroups++;
			p->nfolded += c->events[k].folded;
		} else
			p->nring++;
		p->nlines += c->events[k].evidence != 0;
	}
	return 0;
}

/*
 * The bound on the ring: a million events for one customer inside one
 * long window, suppressed all along. The ring stops at WTAB_RINGMAX, the
 * rest is folded, memory stays flat, and the alert after the cooldown
 * counts every event with the newest evidence, as without the bound.
 */
static void
test_flood_bounded(void)
{
	const unsigned n = 1000000;
	struct wtab_config cfg = test_config();
	struct test_peek pk;
	char line[32];
	struct wtab_event ev;
	struct wtab *t;
	struct walert a;
	double heap0 = 0, heap;
	unsigned k, alerts = 0;
	enum wtab_result r;

	cfg.window = 1000000000;
	cfg.cooldown = 500000000;
	cfg.threshold = 10;
	cfg.evidence = 3;
	t = wtab_new(&cfg);
	memset(&ev, 0, sizeof(ev));
	ev.weight = 1;
	ev.line = line;
	for (k = 0; k < n; k++) {
		if (k == 2 * WTAB_RINGMAX)
			heap0 = test_heap();
		ev.time = k;
		ev.rule = k % 4;
		ev.channel = k % 2;
		ev.linelen = (size_t)snprintf(line, sizeof(line), "line %u",
		    k);
		r = wtab_add(t, "flood", 5, &ev, &a);
		alerts += r == WTAB_ALERT;
	}
	heap = test_heap();
	CHECK_INT(alerts, 1);	/* the 10th event; then suppressed */
	CHECK_INT(test_stats(t).events, n - 10);
	CHECK_INT(test_stats(t).folded, n - 10 - WTAB_RINGMAX);
	if (heap0 >= 0 && test_rss_honest())
		CHECK(heap - heap0 < 64 * 1024);
	memset(&pk, 0, sizeof(pk));
	wtab_each(t, test_peek_cb, &pk);
	CHECK_INT(pk.nring, WTAB_RINGMAX);
	CHECK_INT(pk.nfolded, n - 10 - WTAB_RINGMAX);
	CHECK_INT(pk.ngroups, 4);	/* rule k % 4 decides channel k % 2 */
	CHECK_INT(pk.nlines, 3);
	/* The cooldown ends: everything since the first alert is there. */
	ev.time = 500000009;
	ev.rule = 1;
	ev.channel = 1;
	ev.linelen = (size_t)snprintf(line, sizeof(line), "last");
	CHECK_INT(wtab_add(t, "flood", 5, &ev, &a), WTAB_ALERT);
	CHECK_INT(a.reason, WTAB_REASON_SCORE);
	CHECK_INT(a.nevents, n - 10 + 1);
	CHECK_INT(a.score, n - 10 + 1);
	CHECK_INT(a.first, 10);
	CHECK_INT(a.chmask, 3);
	CHECK_INT(a.rulecount[0], (n - 10) / 4);
	CHECK_INT(a.rulecount[1], (n - 10) / 4 + 1);
	CHECK_INT(a.nevidence, 3);
	CHECK_STR(a.evidence[0].line, "line 999998");
	CHECK_STR(a.evidence[1].line, "line 999999");
	CHECK_STR(a.evidence[2].line, "last");
	CHECK_INT(test_stats(t).events, 0);
	wtab_free(t);
}

/*
 * threshold <= WTAB_RINGMAX: past the bound, alerts come exactly when
 * they would without it. A short window and a long cooldown: the fold
 * keeps events the window has dropped, which only the alert's counts
 * show (they are at least the exact ones).
 */
static void
test_flood_decisions(void)
{
	struct wtab_config cfg = test_config();
	struct wtab_event ev;
	struct wtab *t;
	struct walert a;
	unsigned k, nalert = 0;
	int64_t when[8];

	cfg.window = 1000;
	cfg.cooldown = 5000;
	cfg.threshold = 5;
	cfg.evidence = 2;
	t = wtab_new(&cfg);
	memset(&ev, 0, sizeof(ev));
	ev.weight = 1;
	ev.line = "x";
	ev.linelen = 1;
	/* 8 events a ms for 20 s: 8000 in any window, twice the bound */
	for (k = 0; k < 8 * 20000; k++) {
		ev.time = k / 8;
		if (wtab_add(t, "f", 1, &ev, &a) != WTAB_ALERT)
			continue;
		if (nalert < 8)
			when[nalert] = a.time;
		nalert++;
		CHECK(a.score >= (a.time == 0 ? 5 : 8000));
		CHECK(a.nevents == a.score);
	}
	CHECK_INT(nalert, 4);
	CHECK_INT(when[0], 0);
	CHECK_INT(when[1], 5000);
	CHECK_INT(when[2], 10000);
	CHECK_INT(when[3], 15000);
	CHECK(test_stats(t).folded > 0);
	/* The fold leaves whole with its newest event: the window empties. */
	ev.time = 21000;
	CHECK_INT(wtab_add(t, "f", 1, &ev, &a), WTAB_ADDED);
	CHECK_INT(test_stats(t).events, 1);
	wtab_free(t);
}

/* A window kept as one packed event turns into a ring and back. */
static void
test_packed(void)
{
	struct wtab_config cfg = test_config();
	struct wtab *t;
	struct walert a;

	cfg.evidence = 0;
	cfg.window = (int64_t)1 << 40;
	t = wtab_new(&cfg);
	/* older than now by more than 31 bits: not packed, still right */
	CHECK_INT(test_add(t, "a", (int64_t)1 << 35, 1, &a), WTAB_ADDED);
	CHECK_INT(test_add(t, "a", 0, 1, &a), WTAB_ADDED);
	CHECK_INT(test_add(t, "b", 100, 2, &a), WTAB_ADDED);
	CHECK_INT(test_add(t, "b", 50, 3, &a), WTAB_ADDED);
	CHECK_INT(test_add(t, "b", 50, 5, &a), WTAB_ALERT);
	CHECK_INT(a.first, 50);
	CHECK_INT(a.nevents, 3);
	CHECK_INT(a.score, 10);
	CHECK_INT(test_add(t, "c", 7, 10, &a), WTAB_ALERT);
	CHECK_INT(a.first, 7);
	CHECK_INT(a.time, 7);
	CHECK_INT(a.nevents, 1);
	CHECK_INT(test_stats(t).events, 2);
	wtab_free(t);
}


/* Lines over 4 KiB are kept in buffers of their own, and freed. */
static void
test_long_lines(void)
{
	struct wtab_config cfg = test_config();
	static char big[3][9000];
	struct wtab_event ev;
	struct wtab *t;
	struct walert a;
	unsigned k;

	cfg.evidence = 2;
	cfg.threshold = 1000;
	t = wtab_new(&cfg);
	memset(&ev, 0, sizeof(ev));
	ev.weight = 1;
	for (k = 0; k < 3; k++)
		memset(big[k], 'a' + k, sizeof(big[k]));
	for (k = 0; k < 50; k++) {
		ev.time = k;
		ev.line = big[k % 3];
		ev.linelen = k % 2 == 1 ? 4096 + k : 10;
		ev.source = k;
		CHECK_INT(wtab_add(t, k < 25 ? "a" : "b", 1, &ev, &a),
		    WTAB_ADDED);
	}
	ev.time = 60;
	ev.weight = 1000;
	ev.line = big[0];
	ev.linelen = 8999;
	CHECK_INT(wtab_add(t, "b", 1, &ev, &a), WTAB_ALERT);
	CHECK_INT(a.nevidence, 2);
	CHECK_INT(a.evidence[0].linelen, 4096 + 49);
	CHECK_INT(a.evidence[0].source, 49);
	CHECK(a.evidence[0].line[0] == 'b' &&
	    a.evidence[0].line[4096 + 48] == 'b' &&
	    a.evidence[0].line[4096 + 49] == '\0');
	CHECK_INT(a.evidence[1].linelen, 8999);
	CHECK(a.evidence[1].line[8998] == 'a');
	/* "a" keeps its two, one long, until the table goes */
	wtab_free(t);
}

/* Semantics 4-6 and Forgiveness on random streams: the model agrees. */
static void
test_model_forgiving(void)
{
	static uint64_t digest[TEST_NREPLAY], swept[TEST_NREPLAY];
	size_t i, n = sizeof(test_replay_cfgs) / sizeof(test_replay_cfgs[0]);
	struct wtab_stats st;

	for (i = 0; i < n; i++) {
		CHECK_INT(test_replay(&test_replay_cfgs[i], 0x51ed + i,
		    TEST_NREPLAY, 0, 1, digest, &st), 0);
		/* the streams must forgive, and drop late failures too */
		CHECK(st.forgiven > 0);
		CHECK(st.alerts > 0);
		/* extra sweeps change nothing here either */
		CHECK_INT(test_replay(&test_replay_cfgs[i], 0x51ed + i,
		    TEST_NREPLAY, 1, 1, swept, NULL), 0);
		CHECK(memcmp(digest, swept, sizeof(digest)) == 0);
	}
}

static int
test_forgive(struct wtab *t, const char *key, int64_t time)
{
	return wtab_forgive(t, key, strlen(key), time);
}

/* One customer as wtab_each() lends it out. */
struct test_one {
	const char	*key;
	int		 found;
	int64_t		 now, supp, fu;
	size_t		 nevents;
	uint64_t	 nfolded;
};

static int
test_one_cb(void *arg, const struct wtab_saved *c)
{
	struct test_one *o = arg;
	size_t k;

	if (c->keylen != strlen(o->key) ||
	    memcmp(c->key, o->key, c->keylen) != 0)
		return 0;
	o->found = 1;
	o->now = c->now;
	o->supp = c->suppressed_until;
	o->fu = c->forgiven_until;
	o->nevents = c->nevents;
	for (k = 0; k < c->nevents; k++)
		o->nfolded += c->events[k].folded;
	return 0;
}

static struct test_one
test_one(const struct wtab *t, const char *key)
{
	struct test_one o;

	memset(&o, 0, sizeof(o));
	o.key = key;
	CHECK(wtab_each(t, test_one_cb, &o) == 0);
	return o;
}

/*
 * Forgiveness 2: events with time <= t leave the window (t itself too),
 * later ones stay, and are counted as forgiven; their lines go (a long
 * one's buffer too, which the sanitizer pass checks) and the evidence of
 * a later alert is that of the events still there.
 */
static void
test_forgive_removes(void)
{
	struct wtab_config cfg = test_config();
	struct wtab *t = wtab_new(&cfg);
	static char big[5000];
	struct wtab_event ev;
	struct walert a;

	test_addline(t, "a", 100, 2, 1, 0, "l100", &a);
	test_addline(t, "a", 200, 2, 1, 0, "l200", &a);
	test_addline(t, "a", 300, 2, 1, 1, "l300", &a);
	test_addline(t, "a", 400, 2, 1, 1, "l400", &a);
	CHECK_INT(test_forgive(t, "a", 250), 1);
	CHECK_INT(test_stats(t).forgiven, 2);
	CHECK_INT(test_stats(t).events, 2);
	CHECK_INT(test_stats(t).alerts, 0);
	CHECK_INT(test_one(t, "a").nevents, 2);
	CHECK_INT(test_one(t, "a").fu, 250);
	/* 2 + 2 + 5: without the forgiveness, 13 would have alerted */
	CHECK_INT(test_addline(t, "a", 500, 5, 2, 2, "l500", &a), WTAB_ADDED);
	CHECK_INT(test_addline(t, "a", 600, 1, 2, 3, "l600", &a), WTAB_ALERT);
	CHECK_INT(a.nevents, 4);
	CHECK_INT(a.first, 300);
	CHECK_INT(a.score, 10);
	CHECK_INT(a.rulecount[0], 0);
	CHECK_INT(a.rulecount[1], 2);
	CHECK_INT(a.nevidence, 3);
	test_evidence_is(&a, 0, 400, 1, 1, "l400");
	test_evidence_is(&a, 1, 500, 2, 2, "l500");
	test_evidence_is(&a, 2, 600, 2, 3, "l600");
	/* boundary: an event at t leaves; the evidence is what stays */
	test_addline(t, "b", 100, 1, 3, 0, "m100", &a);
	test_addline(t, "b", 200, 1, 3, 0, "m200", &a);
	test_addline(t, "b", 201, 1, 3, 0, "m201", &a);
	CHECK_INT(test_forgive(t, "b", 200), 1);
	CHECK_INT(test_stats(t).forgiven, 4);
	CHECK_INT(test_addline(t, "b", 202, 9, 4, 0, "m202", &a),
	    WTAB_ALERT);
	CHECK_INT(a.nevents, 2);
	CHECK_INT(a.first, 201);
	CHECK_INT(a.nevidence, 2);
	test_evidence_is(&a, 0, 201, 3, 0, "m201");
	test_evidence_is(&a, 1, 202, 4, 0, "m202");
	/* a window emptied whole, long lines and all */
	memset(big, 'q', sizeof(big));
	memset(&ev, 0, sizeof(ev));
	ev.weight = 1;
	ev.line = big;
	ev.linelen = sizeof(big);
	ev.time = 10;
	CHECK_INT(wtab_add(t, "c", 1, &ev, &a), WTAB_ADDED);
	ev.time = 20;
	CHECK_INT(wtab_add(t, "c", 1, &ev, &a), WTAB_ADDED);
	CHECK_INT(test_forgive(t, "c", 20), 1);
	CHECK_INT(test_one(t, "c").nevents, 0);
	CHECK_INT(test_one(t, "c").found, 1);
	CHECK_INT(test_stats(t).forgiven, 6);
	CHECK_INT(test_stats(t).events, 0);
	wtab_free(t);

	/* a packed window (no evidence) leaves too, or stays */
	cfg.evidence = 0;
	t = wtab_new(&cfg);
	CHECK_INT(test_add(t, "p", 100, 9, &a), WTAB_ADDED);
	CHECK_INT(test_add(t, "q", 100, 9, &a), WTAB_ADDED);
	CHECK_INT(test_forgive(t, "p", 100), 1);
	CHECK_INT(test_forgive(t, "q", 99), 1);
	CHECK_INT(test_stats(t).forgiven, 1);
	CHECK_INT(test_stats(t).events, 1);
	CHECK_INT(test_add(t, "p", 101, 1, &a), WTAB_ADDED);
	CHECK_INT(test_add(t, "q", 101, 1, &a), WTAB_ALERT);
	CHECK_INT(a.first, 100);
	wtab_free(t);
}

/*
 * Forgiveness 3: a failure logged after the success that followed it
 * (time <= forgiven_until) is dropped and counted as forgiven, before
 * lateness is looked at; one after forgiven_until joins. forgiven_until
 * and now never move back.
 */
static void
test_forgive_out_of_order(void)
{
	struct wtab_config cfg = test_config();
	struct wtab *t = wtab_new(&cfg);
	struct walert a;

	test_add(t, "a", 100, 3, &a);
	test_add(t, "a", 200, 3, &a);
	CHECK_INT(test_forgive(t, "a", 300), 1);
	CHECK_INT(test_add(t, "a", 250, 5, &a), WTAB_FORGIVEN);
	CHECK_INT(test_add(t, "a", 300, 5, &a), WTAB_FORGIVEN);
	CHECK_INT(test_stats(t).forgiven, 4);
	CHECK_INT(test_stats(t).late, 0);
	CHECK_INT(test_stats(t).events, 0);
	CHECK_INT(test_add(t, "a", 301, 5, &a), WTAB_ADDED);
	CHECK_INT(test_add(t, "a", 302, 5, &a), WTAB_ALERT);
	CHECK_INT(a.nevents, 2);
	CHECK_INT(a.first, 301);
	/* forgiveness before lateness */
	test_add(t, "b", 5000, 1, &a);
	CHECK_INT(test_forgive(t, "b", 5000), 1);
	CHECK_INT(test_add(t, "b", 3000, 1, &a), WTAB_FORGIVEN);
	CHECK_INT(test_stats(t).late, 0);
	test_add(t, "b", 6000, 1, &a);
	CHECK_INT(test_add(t, "b", 4999, 1, &a), WTAB_FORGIVEN);
	CHECK_INT(test_add(t, "b", 5001, 1, &a), WTAB_ADDED);
	test_add(t, "b", 6500, 1, &a);
	CHECK_INT(test_add(t, "b", 5000, 1, &a), WTAB_FORGIVEN);
	CHECK_INT(test_add(t, "b", 5001, 1, &a), WTAB_LATE);
	CHECK_INT(test_stats(t).late, 1);
	/* a success older than now: now stays, forgiven_until never falls */
	test_add(t, "c", 6000, 1, &a);
	test_add(t, "c", 6400, 1, &a);
	CHECK_INT(test_forgive(t, "c", 6200), 1);
	CHECK_INT(test_one(t, "c").now, 6400);
	CHECK_INT(test_one(t, "c").fu, 6200);
	CHECK_INT(test_one(t, "c").nevents, 1);
	CHECK_INT(test_forgive(t, "c", 6100), 1);
	CHECK_INT(test_one(t, "c").fu, 6200);
	CHECK_INT(test_add(t, "c", 6150, 1, &a), WTAB_FORGIVEN);
	CHECK_INT(test_add(t, "c", 6201, 1, &a), WTAB_ADDED);
	CHECK_INT(test_one(t, "c").nevents, 2);
	wtab_free(t);
}

/*
 * Forgiveness 1: a forgiving line for a customer the table does not
 * track, or tracks only as idle, makes no entry, and the customer's next
 * event starts afresh; T still moves to the line's time (semantics 6).
 */
static void
test_forgive_untracked(void)
{
	struct wtab_config cfg = test_config();
	struct wtab *t = wtab_new(&cfg);
	struct walert a;

	CHECK_INT(test_forgive(t, "nobody", 100), 0);
	CHECK_INT(test_stats(t).customers, 0);
	CHECK_INT(test_stats(t).peak, 0);
	CHECK_INT(wtab_latest(t), 100);
	test_add(t, "x", 100, 1, &a);
	CHECK_INT(test_forgive(t, "y", 5000), 0);
	CHECK_INT(wtab_latest(t), 5000);
	CHECK_INT(test_stats(t).customers, 1);
	/* T from the forgiving line made x idle; y has no forgiven_until */
	CHECK_INT(test_add(t, "y", 4500, 1, &a), WTAB_ADDED);
	CHECK_INT(test_stats(t).forgotten, 1);
	CHECK_INT(test_one(t, "x").found, 0);
	CHECK_INT(test_one(t, "y").fu, INT64_MIN);
	/* idle: forgotten, not forgiven */
	test_add(t, "z", 6000, 1, &a);
	test_add(t, "w", 7001, 1, &a);
	CHECK_INT(test_forgive(t, "z", 7001), 0);
	CHECK_INT(test_stats(t).customers, 1);
	CHECK_INT(test_add(t, "z", 6500, 9, &a), WTAB_ADDED);
	CHECK_INT(test_one(t, "z").fu, INT64_MIN);
	CHECK_INT(test_one(t, "z").now, 6500);
	CHECK_INT(test_stats(t).forgiven, 0);
	CHECK_INT(test_stats(t).late, 0);
	wtab_free(t);
}

/*
 * Forgiveness 4: during suppression, forgiveness removes events as ever,
 * leaves suppressed_until alone, and never alerts, even when it moves
 * now past suppressed_until; the first event after that alerts with
 * what is left.
 */
static void
test_forgive_suppressed(void)
{
	struct wtab_config cfg = test_config();
	struct wtab *t;
	struct walert a;

	cfg.window = 10000;
	cfg.cooldown = 5000;
	cfg.threshold = 2;
	t = wtab_new(&cfg);
	test_add(t, "a", 0, 1, &a);
	CHECK_INT(test_add(t, "a", 1, 1, &a), WTAB_ALERT);
	CHECK_INT(test_one(t, "a").supp, 5001);
	CHECK_INT(test_add(t, "a", 2, 1, &a), WTAB_ADDED);
	CHECK_INT(test_add(t, "a", 3, 1, &a), WTAB_ADDED);
	CHECK_INT(test_add(t, "a", 4, 1, &a), WTAB_ADDED);
	CHECK_INT(test_forgive(t, "a", 2), 1);
	CHECK_INT(test_one(t, "a").supp, 5001);
	CHECK_INT(test_one(t, "a").nevents, 2);
	CHECK_INT(test_add(t, "a", 5001, 1, &a), WTAB_ALERT);
	CHECK_INT(a.nevents, 3);
	CHECK_INT(a.first, 3);
	CHECK_INT(test_one(t, "a").supp, 10001);
	/* now moves past suppressed_until by forgiveness alone */
	CHECK_INT(test_add(t, "a", 5002, 1, &a), WTAB_ADDED);
	CHECK_INT(test_add(t, "a", 5003, 1, &a), WTAB_ADDED);
	CHECK_INT(test_forgive(t, "a", 12000), 1);
	CHECK_INT(test_stats(t).alerts, 2);
	CHECK_INT(test_one(t, "a").supp, 10001);
	CHECK_INT(test_one(t, "a").now, 12000);
	CHECK_INT(test_add(t, "a", 12001, 1, &a), WTAB_ADDED);
	CHECK_INT(test_add(t, "a", 12002, 1, &a), WTAB_ALERT);
	CHECK_INT(a.nevents, 2);
	wtab_free(t);
}

/* Add n events of weight 1 at times first, first + 1, ... for key. */
static void
test_flood(struct wtab *t, const char *key, int64_t first, unsigned n)
{
	struct wtab_event ev;
	struct walert a;
	unsigned k, bad = 0;

	memset(&ev, 0, sizeof(ev));
	ev.weight = 1;
	ev.line = "flood";
	ev.linelen = 5;
	for (k = 0; k < n; k++) {
		ev.time = first + k;
		ev.rule = k % 2;
		bad += wtab_add(t, key, strlen(key), &ev, &a) != WTAB_ADDED;
	}
	CHECK_INT(bad, 0);
}

/*
 * Forgiveness 2 and Floods: a folded aggregate leaves whole when its
 * newest event has time <= t, and only then; while it stays, the ring
 * (all newer than it) stays too.
 */
static void
test_forgive_folded(void)
{
	struct wtab_config cfg = test_config();
	struct test_peek pk;
	struct wtab *t;
	struct walert a;

	cfg.window = 1000000000;
	cfg.threshold = 1000000000;
	t = wtab_new(&cfg);
	/* 100 folded (times 0 to 99), WTAB_RINGMAX in the ring after them */
	test_flood(t, "f", 0, WTAB_RINGMAX + 100);
	CHECK_INT(test_one(t, "f").nfolded, 100);
	CHECK_INT(test_forgive(t, "f", 50), 1);
	CHECK_INT(test_stats(t).forgiven, 0);
	CHECK_INT(test_stats(t).events, WTAB_RINGMAX + 100);
	CHECK_INT(test_one(t, "f").nfolded, 100);
	CHECK_INT(test_one(t, "f").fu, 50);
	CHECK_INT(test_forgive(t, "f", 99), 1);
	CHECK_INT(test_stats(t).forgiven, 100);
	CHECK_INT(test_stats(t).events, WTAB_RINGMAX);
	CHECK_INT(test_one(t, "f").nfolded, 0);
	CHECK_INT(test_forgive(t, "f", 199), 1);
	CHECK_INT(test_stats(t).forgiven, 200);
	memset(&pk, 0, sizeof(pk));
	wtab_each(t, test_peek_cb, &pk);
	CHECK_INT(pk.ngroups, 0);
	CHECK_INT(pk.nring, WTAB_RINGMAX - 100);
	CHECK_INT(pk.nlines, 3);
	/* the ring refills and folds again, then all of it is forgiven */
	test_flood(t, "f", 200000, 200);
	CHECK_INT(test_one(t, "f").nfolded, 100);
	CHECK_INT(test_forgive(t, "f", 200199), 1);
	CHECK_INT(test_stats(t).events, 0);
	CHECK_INT(test_stats(t).forgiven, 200 + WTAB_RINGMAX + 100);
	CHECK_INT(test_add(t, "f", 200199, 1, &a), WTAB_FORGIVEN);
	wtab_free(t);
}

/*
 * Semantics 6 with forgiveness: a forgiven customer with an empty window
 * stays (its forgiven_until still drops late failures) until it is idle
 * by T; then it is forgotten, forgiven_until with it, and starts afresh.
 */
static void
test_forgive_idle(void)
{
	struct wtab_config cfg = test_config();
	struct wtab *t = wtab_new(&cfg);
	struct walert a;
	const char *why;

	test_add(t, "a", 0, 1, &a);
	CHECK_INT(test_forgive(t, "a", 100), 1);
	CHECK_INT(test_stats(t).events, 0);
	CHECK_INT(test_one(t, "a").found, 1);
	CHECK_INT(test_one(t, "a").nevents, 0);
	test_add(t, "b", 1099, 1, &a);
	CHECK_INT(test_add(t, "a", 50, 1, &a), WTAB_FORGIVEN);
	CHECK_INT(wtab_sweep(t), 0);
	test_add(t, "b", 1100, 1, &a);
	CHECK_INT(test_stats(t).forgotten, 0);	/* T moves after the line */
	CHECK_INT(test_one(t, "a").found, 0);	/* but a is idle: absent */
	CHECK_INT(test_add(t, "a", 50, 1, &a), WTAB_ADDED);
	CHECK_INT(test_stats(t).forgotten, 1);
	CHECK_INT(test_stats(t).forgiven, 2);
	/* a forgiven entry goes once it is idle, and not before */
	CHECK_INT(test_add(t, "a", 1090, 1, &a), WTAB_ADDED);
	CHECK_INT(test_forgive(t, "a", 1095), 1);
	CHECK_INT(wtab_set_latest(t, 2094, &why), 0);
	CHECK_INT(wtab_sweep(t), 0);
	CHECK_INT(test_stats(t).customers, 2);
	CHECK_INT(wtab_set_latest(t, 2095, &why), 0);
	CHECK_INT(test_stats(t).customers, 1);
	CHECK_INT(test_one(t, "a").found, 0);
	CHECK_INT(test_add(t, "a", 1096, 1, &a), WTAB_ADDED);
	wtab_free(t);
}

/*
 * Forgiveness 2: a forgiving line later than now moves now. The customer
 * then stays tracked as long as the new now says, and failures up to it
 * are forgiven, not late and not a fresh start. Every event the raised
 * now would put out of the window is no later than t, so it has left by
 * forgiveness already.
 */
static void
test_forgive_now(void)
{
	struct wtab_config cfg = test_config();
	struct wtab *t = wtab_new(&cfg);
	struct walert a;

	test_add(t, "a", 0, 5, &a);
	test_add(t, "a", 10, 4, &a);
	CHECK_INT(test_forgive(t, "a", 5000), 1);
	CHECK_INT(test_one(t, "a").now, 5000);
	CHECK_INT(test_one(t, "a").fu, 5000);
	CHECK_INT(test_stats(t).forgiven, 2);
	test_add(t, "b", 5999, 1, &a);
	CHECK_INT(test_one(t, "a").found, 1);
	CHECK_INT(test_add(t, "a", 4500, 1, &a), WTAB_FORGIVEN);
	test_add(t, "b", 6000, 1, &a);
	CHECK_INT(test_one(t, "a").found, 0);
	CHECK_INT(test_add(t, "a", 4500, 9, &a), WTAB_ADDED);
	CHECK_INT(test_stats(t).late, 0);
	wtab_free(t);
}

/* Forgiveness is activity: max_customers evicts someone else first. */
static void
test_forgive_lru(void)
{
	struct wtab_config cfg = test_config();
	struct wtab *t;
	struct walert a;

	cfg.window = 1000000;
	cfg.max_customers = 2;
	t = wtab_new(&cfg);
	test_add(t, "a", 1, 1, &a);
	test_add(t, "b", 2, 1, &a);
	CHECK_INT(test_forgive(t, "a", 3), 1);
	test_add(t, "c", 4, 1, &a);
	CHECK_INT(test_stats(t).evicted, 1);
	CHECK_INT(test_one(t, "a").found, 1);
	CHECK_INT(test_one(t, "b").found, 0);
	CHECK_INT(test_add(t, "a", 2, 1, &a), WTAB_FORGIVEN);
	wtab_free(t);
}

/* Everything a customer lends out, as text. */
static int
test_text_cb(void *arg, const struct wtab_saved *c)
{
	char *buf = arg, *p = buf + strlen(buf);
	size_t k, left = 65536 - (size_t)(p - buf);
	int n;

	n = snprintf(p, left, "%.*s %lld %lld %lld:", (int)c->keylen, c->key,
	    (long long)c->now, (long long)c->suppressed_until,
	    (long long)c->forgiven_until);
	for (k = 0; n > 0 && (size_t)n < left && k < c->nevents; k++) {
		p += n;
		left -= (size_t)n;
		n = snprintf(p, left, " %lld/%u/%llu/%d",
		    (long long)c->events[k].time, c->events[k].weight,
		    (unsigned long long)c->events[k].folded,
		    c->events[k].evidence);
	}
	if (n > 0 && (size_t)n < left)
		snprintf(p + n, left - (size_t)n, "\n");
	return 0;
}

static void
test_text(const struct wtab *t, char *buf)
{
	buf[0] = '\0';
	snprintf(buf, 64, "T%lld\n", (long long)wtab_latest(t));
	CHECK(wtab_each(t, test_text_cb, buf) == 0);
}

static int
test_restore_cb(void *arg, const struct wtab_saved *c)
{
	const char *why = NULL;
	int r = wtab_restore(arg, c, &why);

	if (r != 0)
		fprintf(stderr, "restore: %s\n", why);
	return r != 0;
}

static int
test_adopt_cb(void *arg, const struct wtab_saved *c)
{
	const char *why = NULL;
	int r = wtab_adopt(arg, c, &why);

	if (r != 0)
		fprintf(stderr, "adopt: %s\n", why);
	return r != 0;
}

/*
 * forgiven_until travels through wtab_each() and wtab_restore() (and
 * wtab_adopt(), for a reload), in every window form: none, packed, a
 * ring, a fold; the copy then forgives what the original would.
 */
static void
test_forgive_saved(void)
{
	static const char *keys[] = { "empty", "one", "ring", "fold" };
	static const int64_t fus[] = { 20, 5, 30, 105 };
	static char text1[65536], text2[65536];
	struct wtab_config cfg = test_config();
	struct wtab *t, *t2;
	struct walert a, a2;
	const char *why, *k;
	unsigned ev, pass;
	uint64_t before;
	int64_t when;

	for (pass = 0; pass < 4; pass++) {
		cfg.evidence = pass % 2 == 0 ? 0 : 2;
		cfg.window = 1000000;
		cfg.threshold = 100000;
		t = wtab_new(&cfg);
		test_add(t, "empty", 10, 1, &a);
		test_forgive(t, "empty", 20);
		test_add(t, "one", 10, 1, &a);
		test_forgive(t, "one", 5);
		test_add(t, "ring", 10, 1, &a);
		test_add(t, "ring", 30, 1, &a);
		test_add(t, "ring", 40, 1, &a);
		test_forgive(t, "ring", 30);
		test_flood(t, "fold", 100, WTAB_RINGMAX + 10);
		test_forgive(t, "fold", 105);
		test_add(t, "plain", 200, 1, &a);
		t2 = wtab_new(&cfg);
		CHECK(wtab_set_latest(t2, wtab_latest(t), &why) == 0);
		CHECK(wtab_each(t, pass < 2 ? test_restore_cb : test_adopt_cb,
		    t2) == 0);
		test_text(t, text1);
		test_text(t2, text2);
		CHECK_STR(text2, text1);
		CHECK(strstr(text1, "empty 20 ") != NULL);
		CHECK_INT(test_one(t2, "empty").fu, 20);
		CHECK_INT(test_one(t2, "one").fu, 5);
		CHECK_INT(test_one(t2, "ring").fu, 30);
		CHECK_INT(test_one(t2, "fold").fu, 105);
		CHECK_INT(test_one(t2, "fold").nfolded, 10);
		CHECK_INT(test_one(t2, "plain").fu, INT64_MIN);
		before = test_stats(t).forgiven;
		for (ev = 0; ev < 8; ev++) {
			k = keys[ev % 4];
			when = fus[ev % 4] + (ev < 4 ? 0 : 1);
			CHECK_INT(test_add(t2, k, when, 1, &a2),
			    ev < 4 ? WTAB_FORGIVEN : WTAB_ADDED);
			CHECK_INT(test_add(t, k, when, 1, &a),
			    ev < 4 ? WTAB_FORGIVEN : WTAB_ADDED);
		}
		CHECK_INT(test_stats(t2).forgiven, 4);
		CHECK_INT(test_stats(t).forgiven, before + 4);
		wtab_free(t);
		wtab_free(t2);
	}
}

/*
 * A table at T 500 given *c with forgiven_until fu by wtab_restore() or
 * wtab_adopt(): taken when want is NULL, else refused saying want.
 */
static struct wtab *
test_try_saved(const struct wtab_config *cfg, struct wtab_saved *c,
    int adopt, int64_t fu, const char *want)
{
	struct wtab *t = wtab_new(cfg);
	const char *why = NULL;
	int r;

	CHECK(wtab_set_latest(t, 500, &why) == 0);
	c->forgiven_until = fu;
	why = NULL;
	r = adopt ? wtab_adopt(t, c, &why) : wtab_restore(t, c, &why);
	if (want == NULL) {
		CHECK_INT(r, 0);
		CHECK(why == NULL);
	} else {
		CHECK_INT(r, -1);
		CHECK(why != NULL && strstr(why, want) != NULL);
	}
	CHECK_INT(test_stats(t).customers, want == NULL);
	return t;
}

/* wtab_restore() and wtab_adopt() refuse a forgiven_until no run gives. */
static void
test_forgive_refused(void)
{
	struct wtab_config cfg = test_config();
	struct wtab_saved_event ev[2];
	struct wtab_saved c;
	struct wtab *t;
	struct walert a;
	int adopt;

	memset(ev, 0, sizeof(ev));
	ev[0].time = ev[0].first = 400;
	ev[1].time = ev[1].first = 500;
	ev[0].weight = ev[1].weight = 1;
	ev[0].evidence = ev[1].evidence = 1;
	ev[0].line = ev[1].line = "l";
	ev[0].linelen = ev[1].linelen = 1;
	memset(&c, 0, sizeof(c));
	c.key = "r";
	c.keylen = 1;
	c.now = 500;
	c.suppressed_until = INT64_MIN;
	c.events = ev;
	c.nevents = 2;
#define TEST_TRY(fu, want)	t = test_try_saved(&cfg, &c, adopt, fu, want)
	for (adopt = 0; adopt < 2; adopt++) {
		TEST_TRY(INT64_MIN, NULL);
		CHECK_INT(test_add(t, "r", 400, 1, &a), WTAB_ADDED);
		wtab_free(t);
		TEST_TRY(399, NULL);
		CHECK_INT(test_add(t, "r", 399, 1, &a), WTAB_FORGIVEN);
		CHECK_INT(test_add(t, "r", 401, 1, &a), WTAB_ADDED);
		wtab_free(t);
		TEST_TRY(-((int64_t)1 << 62) + 1, NULL);
		wtab_free(t);
		TEST_TRY(501, "forgiveness time out of range");
		wtab_free(t);
		TEST_TRY(INT64_MAX, "forgiveness time out of range");
		wtab_free(t);
		TEST_TRY(INT64_MIN + 1, "forgiveness time out of range");
		wtab_free(t);
		TEST_TRY(-((int64_t)1 << 62), "forgiveness time out of range");
		wtab_free(t);
		TEST_TRY(400, "event kept though forgiven");
		wtab_free(t);
		TEST_TRY(500, "event kept though forgiven");
		wtab_free(t);
		/* no events: any time up to now */
		c.nevents = 0;
		TEST_TRY(500, NULL);
		CHECK_INT(test_add(t, "r", 500, 1, &a), WTAB_FORGIVEN);
		wtab_free(t);
		TEST_TRY(501, "forgiveness time out of range");
		wtab_free(t);
		c.nevents = 2;
	}
#undef TEST_TRY
}

/*
 * What forgiveness costs: memory per forgiven customer (an emptied
 * window takes none; the slab entry is 8 bytes longer for
 * forgiven_until, for every customer), the time of wtab_forgive(), and
 * of wtab_set_latest() as the engine calls it for every detector before
 * every line: with T where it is, and with T moving.
 */
static void
test_forgive_cost(void)
{
	const unsigned n = 1000000, nset = 20000000;
	struct wtab_config cfg = test_config();
	double heap0, rss0, t0, secs, per, rss;
	struct wtab *t;
	unsigned k, bad = 0;
	const char *why;
	char key[32];
	int len;

	cfg.window = 100000000;
	cfg.threshold = 2;
	cfg.evidence = 0;
	cfg.max_customers = 1 << 24;
	t = wtab_new(&cfg);
	heap0 = test_heap();
	rss0 = test_rss();
	(void)test_fill(t, n, WTAB_ADDED, "before forgiveness");
	t0 = test_now();
	for (k = 0; k < n; k++) {
		len = snprintf(key, sizeof(key), "cust-%07u", k);
		bad += wtab_forgive(t, key, (size_t)len, n) != 1;
	}
	secs = test_now() - t0;
	CHECK_INT(bad, 0);
	CHECK_INT(test_stats(t).forgiven, n);
	CHECK_INT(test_stats(t).events, 0);
	per = (test_heap() - heap0) / n;
	rss = (test_rss() - rss0) / n;
	printf("wtab: %u customers forgiven: %.0f ns per forgive, %.1f "
	    "bytes each (malloc), %.1f (resident)\n", n, secs * 1e9 / n, per,
	    rss);
	if (test_rss_honest())
		CHECK((heap0 >= 0 ? per : rss) <= 120);
	/* T still: what every detector pays for every line */
	t0 = test_now();
	for (k = 0; k < nset; k++)
		bad += wtab_set_latest(t, n - k % 2, &why) != 0;
	secs = test_now() - t0;
	printf("wtab: wtab_set_latest, T still: %.1f ns per call\n",
	    secs * 1e9 / nset);
	/* T moving, a million customers none of whom is due */
	t0 = test_now();
	for (k = 0; k < nset; k++)
		bad += wtab_set_latest(t, (int64_t)n + k, &why) != 0;
	secs = test_now() - t0;
	printf("wtab: wtab_set_latest, T moving: %.1f ns per call\n",
	    secs * 1e9 / nset);
	CHECK_INT(bad, 0);
	CHECK_INT(test_stats(t).customers, n);
	CHECK_INT(wtab_set_latest(t, (int64_t)n + cfg.window, &why), 0);
	CHECK_INT(test_stats(t).customers, 0);
	CHECK_INT(test_stats(t).forgotten, n);
	wtab_free(t);
}

/* How many of key's events hold an evidence line (-1: not tracked). */
struct test_nl {
	const char	*key;
	int		 n;
};

static int
test_nlines_cb(void *arg, const struct wtab_saved *c)
{
	struct test_nl *nl = arg;
	size_t k;

	if (c->keylen != strlen(nl->key) ||
	    memcmp(c->key, nl->key, c->keylen) != 0)
		return 0;
	nl->n = 0;
	for (k = 0; k < c->nevents; k++)
		nl->n += c->events[k].evidence != 0;
	return 1;
}

static int
test_nlines(const struct wtab *t, const char *key)
{
	struct test_nl nl = { key, -1 };

	wtab_each(t, test_nlines_cb, &nl);
	return nl.n;
}

#define TEST_COST	WTAB_LINECOST(4)	/* test_add()'s "line" */

/*
 * --evidence-memory: past the limit the least recently active customer
 * (by wtab_add() and wtab_forgive()) loses all its lines first; every
 * event stays, and its alert counts the lines it lost.
 */
static void
test_budget_lru(void)
{
	struct wtab_config cfg = test_config();
	struct wtab_budget *b = wtab_budget_new(3 * TEST_COST);
	struct wtab *t;
	struct walert a;

	cfg.threshold = 1000;
	cfg.budget = b;
	t = wtab_new(&cfg);
	test_add(t, "a", 10, 1, &a);
	test_add(t, "b", 20, 1, &a);
	test_add(t, "c", 30, 1, &a);
	CHECK_INT(wtab_budget_used(b), 3 * TEST_COST);
	CHECK_INT(test_stats(t).evdropped, 0);
	test_add(t, "d", 40, 1, &a);		/* a goes */
	CHECK_INT(test_nlines(t, "a"), 0);
	CHECK_INT(test_nlines(t, "b"), 1);
	CHECK_INT(test_stats(t).evdropped, 1);
	test_forgive(t, "b", 5);		/* used: b is recent now */
	test_add(t, "e", 50, 1, &a);		/* so c goes, not b */
	CHECK_INT(test_nlines(t, "c"), 0);
	CHECK_INT(test_nlines(t, "b"), 1);
	test_add(t, "b", 60, 1, &a);		/* d goes: b keeps two */
	CHECK_INT(test_nlines(t, "d"), 0);
	CHECK_INT(test_nlines(t, "b"), 2);
	CHECK_INT(test_nlines(t, "e"), 1);
	CHECK_INT(wtab_budget_used(b), 3 * TEST_COST);
	CHECK_INT(test_stats(t).evbytes, 3 * TEST_COST);
	/* a's alert: its line was dropped, its event was not; e goes */
	CHECK_INT(test_add(t, "a", 70, 1000, &a), WTAB_ALERT);
	CHECK_INT(a.nevents, 2);
	CHECK_INT(a.score, 1001);
	CHECK_INT(a.first, 10);
	CHECK_INT(a.nevidence, 1);
	CHECK_INT(a.evidence[0].time, 70);
	CHECK_INT(a.dropped, 1);
	CHECK_INT(test_nlines(t, "e"), 0);
	/* the alert emptied a's window: its line is free again */
	CHECK_INT(wtab_budget_used(b), 2 * TEST_COST);
	CHECK_INT(test_stats(t).evdropped, 4);
	CHECK_INT(test_stats(t).events, 5);
	CHECK_INT(wtab_budget_peak(b), 3 * TEST_COST);
	wtab_free(t);
	CHECK_INT(wtab_budget_used(b), 0);
	wtab_budget_free(b);
}

/*
 * Tables that share a budget: the customer dropped first is the one
 * whose now is earliest, in whichever table.
 */
static void
test_budget_tables(void)
{
	struct wtab_config cfg = test_config();
	struct wtab_budget *b = wtab_budget_new(2 * TEST_COST);
	struct wtab *t1, *t2;
	struct walert a;

	cfg.threshold = 1000;
	cfg.budget = b;
	t1 = wtab_new(&cfg);
	t2 = wtab_new(&cfg);
	test_add(t1, "a", 10, 1, &a);
	test_add(t2, "b", 20, 1, &a);
	test_add(t1, "c", 30, 1, &a);		/* a (10) before b (20) */
	CHECK_INT(test_nlines(t1, "a"), 0);
	CHECK_INT(test_nlines(t2, "b"), 1);
	test_add(t2, "d", 40, 1, &a);		/* b (20) before c (30) */
	CHECK_INT(test_nlines(t2, "b"), 0);
	CHECK_INT(test_nlines(t1, "c"), 1);
	test_add(t2, "e", 50, 1, &a);		/* c, of the other table */
	CHECK_INT(test_nlines(t1, "c"), 0);
	CHECK_INT(test_nlines(t2, "d"), 1);
	CHECK_INT(test_nlines(t2, "e"), 1);
	CHECK_INT(test_stats(t1).evdropped, 2);
	CHECK_INT(test_stats(t2).evdropped, 1);
	CHECK_INT(test_stats(t1).evbytes, 0);
	CHECK_INT(test_stats(t2).evbytes, 2 * TEST_COST);
	/* a table that goes gives its lines back */
	wtab_free(t2);
	CHECK_INT(wtab_budget_used(b), 0);
	test_add(t1, "f", 60, 1, &a);
	test_add(t1, "g", 70, 1, &a);
	CHECK_INT(test_stats(t1).evdropped, 2);
	wtab_free(t1);
	wtab_budget_free(b);
}

/*
 * With no other customer's lines left, a customer gives up its own
 * oldest; a line that costs more than the whole budget is not kept;
 * lines over 4 KiB cost their length too; 0 keeps none at all.
 */
static void
test_budget_self(void)
{
	static char big[5000];
	struct wtab_config cfg = test_config();
	struct wtab_budget *b = wtab_budget_new(2 * TEST_COST);
	struct wtab_event ev;
	struct wtab *t;
	struct walert a;
	unsigned k;

	cfg.evidence = 5;
	cfg.threshold = 5;
	cfg.budget = b;
	t = wtab_new(&cfg);
	for (k = 0; k < 4; k++)
		CHECK_INT(test_addline(t, "a", 10 + k, 1, k, 0, "line", &a),
		    WTAB_ADDED);
	CHECK_INT(test_addline(t, "a", 20, 1, 9, 1, "last", &a), WTAB_ALERT);
	CHECK_INT(a.nevents, 5);
	CHECK_INT(a.nevidence, 2);
	CHECK_INT(a.dropped, 3);
	test_evidence_is(&a, 0, 13, 3, 0, "line");
	test_evidence_is(&a, 1, 20, 9, 1, "last");
	CHECK_INT(wtab_budget_used(b), 0);
	/* 20 bytes cost 28 > 24: not kept, not even alone */
	CHECK_INT(test_addline(t, "b", 30, 5, 0, 0, "twenty bytes of line",
	    &a), WTAB_ALERT);
	CHECK_INT(a.nevidence, 0);
	CHECK_INT(a.dropped, 1);
	CHECK_INT(test_stats(t).evdropped, 4);
	wtab_free(t);
	wtab_budget_free(b);

	b = wtab_budget_new(WTAB_LINECOST(sizeof(big)) + 100);
	cfg.budget = b;
	t = wtab_new(&cfg);
	memset(big, 'x', sizeof(big));
	memset(&ev, 0, sizeof(ev));
	ev.weight = 1;
	ev.line = big;
	ev.linelen = sizeof(big);
	for (k = 0; k < 3; k++) {
		ev.time = 100 + k;
		CHECK_INT(wtab_add(t, "long", 4, &ev, &a), WTAB_ADDED);
		CHECK_INT(wtab_budget_used(b), WTAB_LINECOST(sizeof(big)));
	}
	ev.line = "short";
	ev.linelen = 5;
	ev.time = 110;
	CHECK_INT(wtab_add(t, "long", 4, &ev, &a), WTAB_ADDED);
	ev.weight = 2;
	ev.time = 111;
	CHECK_INT(wtab_add(t, "long", 4, &ev, &a), WTAB_ALERT);
	CHECK_INT(a.nevidence, 3);
	CHECK_INT(a.dropped, 2);
	CHECK_INT(a.evidence[0].linelen, sizeof(big));
	CHECK(a.evidence[0].line[4999] == 'x' && a.evidence[0].line[5000] ==
	    '\0');
	CHECK_STR(a.evidence[1].line, "short");
	CHECK_INT(wtab_budget_used(b), 0);
	wtab_free(t);
	wtab_budget_free(b);

	b = wtab_budget_new(0);
	cfg.budget = b;
	cfg.evidence = 3;
	t = wtab_new(&cfg);
	for (k = 0; k < 4; k++)
		test_addline(t, "z", 10 + k, 1, k, 0, "line", &a);
	CHECK_INT(test_addline(t, "z", 20, 1, 9, 1, "last", &a), WTAB_ALERT);
	CHECK_INT(a.nevents, 5);
	CHECK_INT(a.nevidence, 0);
	CHECK_INT(a.dropped, 3);
	CHECK_INT(test_stats(t).evdropped, 5);
	CHECK_INT(wtab_budget_peak(b), 0);
	wtab_free(t);
	wtab_budget_free(b);
}

/*
 * A customer whose only event lost its line takes what it takes with no
 * evidence at all: the one-word form. One that keeps its line pays its
 * line and at most 32 bytes more. Dropping costs O(1) amortised.
 */
static void
test_budget_compact(void)
{
	const unsigned n = 200000;
	struct wtab_config cfg = test_config();
	struct wtab_budget *b = wtab_budget_new(1000 * TEST_COST);
	struct wtab *t;
	struct walert a;
	double none, kept, capped, heap0;
	unsigned k, bad = 0;
	char key[32];
	int len;

	cfg.window = 10000000;
	cfg.threshold = 2;
	cfg.max_customers = 1 << 24;
	cfg.evidence = 0;
	t = wtab_new(&cfg);
	none = test_fill(t, n, WTAB_ADDED, "with no evidence");
	wtab_free(t);
	cfg.evidence = 5;
	t = wtab_new(&cfg);
	kept = test_fill(t, n, WTAB_ADDED, "with a 4-byte line each");
	wtab_free(t);
	cfg.budget = b;
	t = wtab_new(&cfg);
	capped = test_fill(t, n, WTAB_ADDED, "with 1000 lines at most");
	CHECK_INT(test_stats(t).evdropped, n - 1000);
	CHECK_INT(wtab_budget_used(b), 1000 * TEST_COST);
	CHECK_INT(test_stats(t).events, n);
	if (test_rss_honest()) {
		CHECK(capped < none + 2);
		CHECK(kept > none + 16 && kept <= none + TEST_COST + 32);
	}
	wtab_free(t);
	/* a window left with one event (forgiven the other) shrinks too */
	cfg.threshold = 3;
	t = wtab_new(&cfg);
	heap0 = test_heap();
	for (k = 0; k < n; k++) {
		len = snprintf(key, sizeof(key), "cust-%07u", k);
		bad += test_addk(t, key, (size_t)len, 2 * k, 1, &a) !=
		    WTAB_ADDED;
		bad += test_addk(t, key, (size_t)len, 2 * k + 1, 1, &a) !=
		    WTAB_ADDED;
		bad += wtab_forgive(t, key, (size_t)len, 2 * k) != 1;
	}
	CHECK_INT(bad, 0);
	CHECK_INT(test_stats(t).events, n);
	/* the last one's forgiven line left a place */
	CHECK_INT(wtab_budget_used(b), 999 * TEST_COST);
	capped = (test_heap() - heap0) / n;
	printf("wtab: %u customers left with one event of two, 1000 lines "
	    "at most: %.1f bytes each (malloc)\n", n, capped);
	if (heap0 >= 0 && test_rss_honest())
		CHECK(capped < none + 2);
	wtab_free(t);
	wtab_budget_free(b);
}

/*
 * Two random streams, each through a table with no budget and one that
 * shares a budget of limit bytes with the other stream's, forgiving
 * lines mixed in: every result, alert decision, count and time is the
 * same; the lines shown are some of the unbounded table's, in order,
 * and the others are counted as dropped; the budget is never exceeded.
 * Then the budgeted tables are saved and restored: what comes back is
 * what was there, dropped lines missing. Returns the mismatches, and
 * the lines dropped in *dropped.
 */
static unsigned
test_budget_replay(const struct wtab_config *cfg, uint64_t seed, unsigned n,
    size_t limit, uint64_t *dropped)
{
	static char text1[65536], text2[65536];
	struct wtab_budget *b = wtab_budget_new(limit);
	struct wtab_config bc = *cfg;
	struct wtab *plain[2], *tab[2], *back;
	struct test_mev ev;
	struct wtab_event we;
	struct walert a, pa;
	enum wtab_result r, pr;
	int64_t clock[2] = { 100000, 100000 }, xtime;
	uint64_t rng[2] = { seed, seed * 3 + 1 }, xrng = seed ^ 77;
	unsigned i, j, k, s, bad = 0;
	const char *why;
	char key[16];
	int x;

	bc.budget = b;
	for (s = 0; s < 2; s++) {
		plain[s] = wtab_new(cfg);
		tab[s] = wtab_new(&bc);
	}
	for (i = 0; i < 2 * n; i++) {
		s = i % 2;
		k = test_stream_next(&rng[s], &clock[s], i, cfg, &ev);
		x = test_stream_extra(&xrng, clock[s], &xtime);
		if (x >= 0) {
			snprintf(key, sizeof(key), "cust%d", x);
			bad += wtab_forgive(plain[s], key, strlen(key),
			    xtime) != wtab_forgive(tab[s], key, strlen(key),
			    xtime);
		}
		snprintf(key, sizeof(key), "cust%u", k);
		memset(&we, 0, sizeof(we));
		we.time = ev.time;
		we.weight = ev.weight;
		we.channel = ev.channel;
		we.rule = ev.rule;
		we.source = ev.source;
		we.line = ev.line;
		we.linelen = ev.linelen;
		pr = wtab_add(plain[s], key, strlen(key), &we, &pa);
		r = wtab_add(tab[s], key, strlen(key), &we, &a);
		bad += wtab_budget_used(b) > limit;
		if (r != pr) {
			bad++;
			continue;
		}
		if (r != WTAB_ALERT)
			continue;
		/* the same alert, but for the evidence */
		bad += pa.dropped != 0;
		bad += a.nevidence + a.dropped != pa.nevidence;
		bad += a.reason != pa.reason || a.time != pa.time ||
		    a.first != pa.first || a.score != pa.score ||
		    a.chmask != pa.chmask || a.nevents != pa.nevents ||
		    memcmp(a.rulecount, pa.rulecount, cfg->nrules *
		    sizeof(*a.rulecount)) != 0;
		for (j = k = 0; j < a.nevidence; j++, k++) {
			while (k < pa.nevidence &&
			    (pa.evidence[k].time != a.evidence[j].time ||
			    strcmp(pa.evidence[k].line, a.evidence[j].line)))
				k++;
			bad += k == pa.nevidence ||
			    pa.evidence[k].source != a.evidence[j].source ||
			    pa.evidence[k].rule != a.evidence[j].rule;
		}
	}
	*dropped = test_stats(tab[0]).evdropped + test_stats(tab[1]).evdropped;
	bad += test_stats(tab[0]).evbytes + test_stats(tab[1]).evbytes !=
	    wtab_budget_used(b);
	/* saved and restored: with its lines, and dropped ones without */
	for (s = 0; s < 2; s++) {
		back = wtab_new(cfg);
		bad += wtab_set_latest(back, wtab_latest(tab[s]), &why) != 0;
		bad += wtab_each(tab[s], test_restore_cb, back) != 0;
		test_text(tab[s], text1);
		test_text(back, text2);
		bad += strcmp(text1, text2) != 0;
		wtab_free(back);
	}
	for (s = 0; s < 2; s++) {
		wtab_free(plain[s]);
		wtab_free(tab[s]);
	}
	bad += wtab_budget_used(b) != 0;
	wtab_budget_free(b);
	return bad;
}

/* cxwatch.rules(5), "Evidence": the budget changes no decision. */
static void
test_budget_model(void)
{
	static const size_t limits[] = { 0, 60, 400, 2000, (size_t)1 << 40 };
	size_t i, l, n = sizeof(test_replay_cfgs) / sizeof(test_replay_cfgs[0]);
	uint64_t dropped, some = 0;

	for (i = 0; i < n; i++)
		for (l = 0; l < sizeof(limits) / sizeof(limits[0]); l++) {
			CHECK_INT(test_budget_replay(&test_replay_cfgs[i],
			    0xb0d9 + i, 10000, limits[l], &dropped), 0);
			if (test_replay_cfgs[i].evidence == 0 ||
			    limits[l] == (size_t)1 << 40)
				CHECK_INT(dropped, 0);
			else if (limits[l] > 0)
				some += dropped;
		}
	CHECK(some > 0);
}

/*
 * A restore into a table whose budget is smaller drops the lines of the
 * customers restored first (the least recently active), and the alerts
 * that follow count them.
 */
static void
test_budget_restore(void)
{
	struct wtab_config cfg = test_config();
	struct wtab_budget *b = wtab_budget_new(3 * TEST_COST);
	struct wtab *t, *nt;
	struct walert a;
	const char *why;

	cfg.threshold = 1000;
	t = wtab_new(&cfg);
	test_add(t, "a", 10, 1, &a);
	test_add(t, "a", 11, 1, &a);
	test_add(t, "b", 20, 1, &a);
	test_add(t, "c", 30, 1, &a);
	test_add(t, "c", 31, 1, &a);
	cfg.budget = b;
	nt = wtab_new(&cfg);
	CHECK(wtab_set_latest(nt, wtab_latest(t), &why) == 0);
	CHECK(wtab_each(t, test_restore_cb, nt) == 0);
	CHECK_INT(test_nlines(nt, "a"), 0);
	CHECK_INT(test_nlines(nt, "b"), 1);
	CHECK_INT(test_nlines(nt, "c"), 2);
	CHECK_INT(test_add(nt, "a", 40, 1000, &a), WTAB_ALERT);
	CHECK_INT(a.nevents, 3);
	CHECK_INT(a.nevidence, 1);
	CHECK_INT(a.dropped, 2);
	CHECK_INT(test_nlines(nt, "b"), 0);
	wtab_free(nt);
	wtab_free(t);
	wtab_budget_free(b);
}

int
main(void)
{
	test_many_customers();	/* first, while the heap is clean */
	test_threshold_exact();
	test_below_threshold();
	test_expiry_boundary();
	test_late_dropped();
	test_out_of_order();
	test_channels_alone();
	test_channels_off();
	test_reasons_both();
	test_cooldown();
	test_emptied_after_alert();
	test_evidence_newest();
	test_evidence_zero();
	test_rulecount_first();
	test_idle_fresh();
	test_idle_suppression();
	test_sweep_count();
	test_max_customers();
	test_keys();
	test_model();
	test_sweep_independent();
	test_growth_delete();
	test_flood_bounded();
	test_flood_decisions();
	test_packed();
	test_long_lines();
	test_model_forgiving();
	test_forgive_removes();
	test_forgive_out_of_order();
	test_forgive_untracked();
	test_forgive_suppressed();
	test_forgive_folded();
	test_forgive_idle();
	test_forgive_now();
	test_forgive_lru();
	test_forgive_saved();
	test_forgive_refused();
	test_forgive_cost();
	test_budget_lru();
	test_budget_tables();
	test_budget_self();
	test_budget_compact();
	test_budget_model();
	test_budget_restore();
	T_DONE();
}
