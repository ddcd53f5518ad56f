/*
 * test_wtab: the window table against cxwatch.rules(5) semantics 4-6.
 * Each test pins one clause; test_model replays random streams through
 * the table and through a plain reference model of the same clauses.
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

/* The reference model: semantics 4-6 written as plainly as possible. */

struct test_mev {
	int64_t		 time;
	unsigned	 weight, channel, rule, source;
	unsigned long	 seq;
	char		 line[64];
	size_t		 linelen;
};

struct test_mcust {
	int		 live;
	int64_t		 now, supp;
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
	uint64_t	 late, evicted, forgotten, alerts;
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
	    c->supp <= m->latest;
}

static void
test_model_admit(struct test_model *m, struct test_mcust *c, int64_t time)
{
	struct test_mcust *lru = NULL;
	unsigned k, live = 0;

	for (k = 0; k < TEST_NKEYS; k++) {
		if (m->c[k].live && test_model_idle(m, &m->c[k])) {
			m->c[k].live = 0;
			m->forgotten++;
		}
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
	if (ev->time <= c->now - m->cfg.window) {
		m->late++;
		r = WTAB_LATE;
	} else
		r = test_model_join(m, c, ev, out);
	if (!m->seen || ev->time > m->latest)
		m->latest = ev->time;
	m->seen = 1;
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
 * Replay n events of stream seed through the table and the model; with
 * sweep set, call wtab_sweep() after every event and sometimes twice.
 * Store a digest of each result in digest[]; return the mismatches.
 */
static unsigned
test_replay(const struct wtab_config *cfg, uint64_t seed, unsigned n,
    int sweep, uint64_t *digest)
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
	uint64_t sweeprng = seed;
	unsigned i, k, bad = 0;
	char key[16];

	if (m == NULL)
		abort();
	m->cfg = *cfg;
	for (i = 0; i < n; i++) {
		k = test_stream_next(&seed, &clock, i, cfg, &ev);
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
		digest[i] = test_alert_digest(r, &a, cfg->nrules);
		if (sweep)
			for (k = test_rand(&sweeprng) % 3; k < 3; k++)
				wtab_sweep(t);
	}
	wtab_stats(t, &st);
	bad += st.late != m->late || st.evicted != m->evicted ||
	    st.alerts != m->alerts;
	if (!sweep)
		bad += st.forgotten != m->forgotten;
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
		    TEST_NREPLAY, 0, digest), 0);
}

/* Semantics 6: extra wtab_sweep() calls change no result. */
static void
test_sweep_independent(void)
{
	static uint64_t plain[TEST_NREPLAY], swept[TEST_NREPLAY];
	size_t i, n = sizeof(test_replay_cfgs) / sizeof(test_replay_cfgs[0]);
	unsigned varied, j;

	for (i = 0; i < n; i++) {
		test_replay(&test_replay_cfgs[i], 77 + i, TEST_NREPLAY, 0,
		    plain);
		CHECK_INT(test_replay(&test_replay_cfgs[i], 77 + i,
		    TEST_NREPLAY, 1, swept), 0);
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
	T_DONE();
}
