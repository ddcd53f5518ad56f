/*
 * test_incident: a rule's window of distinct customers and its incident
 * against cxwatch.rules(5) semantics 7 to 11: the opening is exact (a
 * reference count of the distinct customers in the window), ends come by
 * log time, the cooldown holds, the peak is per minute, and memory stays
 * bounded at a million customers in one window, where the affected count
 * becomes a HyperLogLog estimate.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "incident.h"
#include "t.h"

#define S	1000
#define M	(60 * S)

static struct incident *
test_new(unsigned k, int64_t window, int64_t cooldown)
{
	struct incident_config cfg;

	cfg.customers = k;
	cfg.window = window;
	cfg.cooldown = cooldown;
	return incident_new(&cfg);
}

static enum incident_result
test_add(struct incident *in, const char *id, int64_t t, int64_t T,
    struct incident_info *info)
{
	return incident_add(in, id, strlen(id), t, T, info);
}

/* Semantics 9: opens at the K-th distinct customer, not at K events. */
static void
test_opens_distinct(void)
{
	struct incident *in = test_new(3, 10 * M, 0);
	struct incident_info info;

	CHECK(test_add(in, "a", 1 * S, INT64_MIN, &info) == INCIDENT_JOINED);
	CHECK(test_add(in, "a", 2 * S, 1 * S, &info) == INCIDENT_JOINED);
	CHECK(test_add(in, "b", 3 * S, 2 * S, &info) == INCIDENT_JOINED);
	CHECK(test_add(in, "b", 4 * S, 3 * S, &info) == INCIDENT_JOINED);
	CHECK(!incident_is_open(in));
	CHECK(test_add(in, "c", 5 * S, 4 * S, &info) == INCIDENT_OPENED);
	CHECK(incident_is_open(in));
	CHECK_INT(info.time, 5 * S);
	CHECK_INT(info.first, 2 * S);	/* a's latest time */
	CHECK_INT(info.customers, 3);
	CHECK_INT(info.nsamples, 3);
	CHECK(info.samplelen[0] == 1 && info.sample[0][0] == 'c');
	CHECK(info.sample[2][0] == 'a');
	CHECK_INT(info.peak, 5);
	incident_free(in);
}

/* Semantics 7: customers leave after window; a late event is ignored. */
static void
test_window_slides(void)
{
	struct incident *in = test_new(3, 10 * S, 0);
	struct incident_info info;

	CHECK(test_add(in, "a", 0, INT64_MIN, &info) == INCIDENT_JOINED);
	CHECK(test_add(in, "b", 5 * S, 0, &info) == INCIDENT_JOINED);
	/* a's time 0 <= 10 s - window: gone. */
	CHECK(test_add(in, "c", 10 * S, 5 * S, &info) == INCIDENT_JOINED);
	CHECK(test_add(in, "z", 0, 10 * S, &info) == INCIDENT_LATE);
	CHECK(test_add(in, "d", 11 * S, 10 * S, &info) == INCIDENT_OPENED);
	incident_free(in);
}

/* Semantics 8: due once the clock is at now_r + window; then cooldown. */
static void
test_end_and_cooldown(void)
{
	struct incident *in = test_new(2, 10 * S, 60 * S);
	struct incident_info info;

	(void)test_add(in, "a", 0, INT64_MIN, &info);
	CHECK(test_add(in, "b", 1 * S, 0, &info) == INCIDENT_OPENED);
	(void)test_add(in, "c", 3 * S, 1 * S, &info);
	(void)test_add(in, "a", 4 * S, 3 * S, &info);
	CHECK(!incident_due(in, 14 * S - 1));
	CHECK(incident_due(in, 14 * S));
	incident_end(in, &info);
	CHECK(!incident_is_open(in));
	CHECK_INT(info.time, 14 * S);
	CHECK_INT(info.opened, 1 * S);
	CHECK_INT(info.last, 4 * S);
	CHECK_INT(info.customers, 3);
	CHECK(!info.approximate);
	CHECK_INT(info.peak, 4);
	/* Suppressed until 14 s + 60 s: the window fills, nothing opens. */
	(void)test_add(in, "x", 20 * S, 14 * S, &info);
	CHECK(test_add(in, "y", 21 * S, 20 * S, &info) == INCIDENT_JOINED);
	CHECK(!incident_is_open(in));
	(void)test_add(in, "x", 70 * S, 21 * S, &info);
	CHECK(test_add(in, "y", 74 * S, 70 * S, &info) == INCIDENT_OPENED);
	incident_free(in);
}

/* Semantics 7: an idle rule starts afresh, even with an older event. */
static void
test_idle_restart(void)
{
	struct incident *in = test_new(2, 10 * S, 0);
	struct incident_info info;

	(void)test_add(in, "a", 100 * S, INT64_MIN, &info);
	/* T = 200 s: idle, so b at 195 s starts a window without a. */
	CHECK(test_add(in, "b", 195 * S, 200 * S, &info) == INCIDENT_JOINED);
	CHECK(test_add(in, "a", 192 * S, 200 * S, &info) == INCIDENT_OPENED);
	/* Idle again by T = 300 s: c is alone in a fresh window. */
	incident_end(in, &info);
	CHECK(test_add(in, "c", 150 * S, 300 * S, &info) == INCIDENT_JOINED);
	incident_free(in);
}

/* Semantics 11: the peak is the busiest UTC minute. */
static void
test_peak_minutes(void)
{
	struct incident *in = test_new(2, 10 * M, 0);
	struct incident_info info;
	int i;
	char id[16];

	(void)test_add(in, "a", 0, INT64_MIN, &info);
	(void)test_add(in, "b", 59 * S, 0, &info);	/* opens, peak 2 */
	for (i = 0; i < 7; i++) {
		snprintf(id, sizeof(id), "c%d", i);
		(void)test_add(in, id, M + i * S, M, &info);
	}
	(void)test_add(in, "a", 30 * S, 2 * M, &info);	/* minute 0: 3 */
	incident_end(in, &info);
	CHECK_INT(info.peak, 7);
	CHECK_INT(info.customers, 9);
	incident_free(in);
}

/*
 * Semantics 11: at the opening, only the minutes that end after the
 * opening time - window count; minute 0's five events at 11:30 do not.
 */
static void
test_peak_span(void)
{
	struct incident *in = test_new(2, 10 * M, 0);
	struct incident_info info;
	int i;

	for (i = 0; i < 5; i++)
		(void)test_add(in, "a", i * S, i ? (i - 1) * S : INT64_MIN,
		    &info);
	(void)test_add(in, "b", 11 * M + 29 * S, 4 * S, &info);
	CHECK(test_add(in, "c", 11 * M + 30 * S, 11 * M + 29 * S, &info) ==
	    INCIDENT_OPENED);
	CHECK_INT(info.peak, 2);
	incident_free(in);
}

/*
 * The opening against a reference model of semantics 7 to 9, which keeps
 * every customer's latest time: random customers and times, out of
 * order, with idle gaps.
 */
static void
test_model(void)
{
	struct incident *in;
	struct incident_info info;
	int64_t last[30], now, T, t, u, supp, w = 20 * S;
	unsigned k, seed = 7;
	int i, c, j, n, open, want, got, mismatch = 0, opened = 0;
	char id[8];

	for (k = 1; k <= 6; k++) {
		in = test_new(k, w, 30 * S);
		now = T = supp = INT64_MIN;
		open = 0;
		for (i = 0; i < 5000; i++) {
			seed = seed * 1103515245 + 12345;
			c = (int)((seed >> 16) % 30);
			t = (int64_t)i * 400 - (int64_t)((seed >> 8) % 25) * S;
			if ((seed >> 4) % 500 == 0)
				t += 100 * S;
			u = T > t ? T : t;
			if (open && now <= u - w) {
				mismatch += !incident_due(in, u);
				incident_end(in, &info);
				open = 0;
				supp = now + w + 30 * S;
				for (j = 0; j < 30; j++)
					last[j] = INT64_MIN;
			} else
				mismatch += incident_due(in, u);
			if (now == INT64_MIN || (T != INT64_MIN &&
			    now <= T - w)) {
				for (j = 0; j < 30; j++)
					last[j] = INT64_MIN;
				now = t;
			}
			snprintf(id, sizeof(id), "c%d", c);
			got = test_add(in, id, t, T, &info);
			if (t <= now - w)
				mismatch += got != INCIDENT_LATE;
			else {
				if (t > now)
					now = t;
				if (t > last[c])
					last[c] = t;
				for (n = 0, j = 0; j < 30; j++)
					n += last[j] != INT64_MIN &&
					    last[j] > now - w;
				want = !open && now >= supp && n >= (int)k;
				mismatch += want != (got == INCIDENT_OPENED);
				if (want) {
					open = 1;
					opened++;
				}
			}
			if (t > T)
				T = t;
		}
		incident_free(in);
	}
	CHECK_INT(mismatch, 0);
	CHECK(opened > 10);
}

/* --state: export and import give the same tracker. */
static void
test_export(void)
{
	struct incident *a = test_new(3, 10 * M, 0);
	struct incident *b = test_new(3, 10 * M, 0);
	struct incident_info ia, ib;
	unsigned char *p, *q;
	size_t len, qlen;
	const char *why;
	char id[16];
	int i;

	for (i = 0; i < 10; i++) {
		snprintf(id, sizeof(id), "c%d", i % 5);
		(void)test_add(a, id, i * S, i ? (i - 1) * S : INT64_MIN, &ia);
	}
	CHECK(incident_is_open(a));
	p = incident_export(a, &len);
	CHECK(incident_import(b, p, len, &why) == 0);
	q = incident_export(b, &qlen);
	CHECK(qlen == len && memcmp(p, q, len) == 0);
	CHECK(incident_import(b, p, len - 1, &why) == -1);
	p[7] ^= 0x40;	/* now_r off: the window's times no longer fit */
	CHECK(incident_import(b, p, len, &why) == -1);
	free(p);
	free(q);
	(void)test_add(a, "n", 11 * S, 10 * S, &ia);
	(void)test_add(b, "n", 11 * S, 10 * S, &ib);
	incident_end(a, &ia);
	incident_end(b, &ib);
	CHECK_INT(ia.customers, 6);
	CHECK_INT(ib.customers, 6);
	CHECK_INT(ia.peak, ib.peak);
	incident_free(a);
	incident_free(b);
}

/*
 * A million customers in one window: the opening at the 25th, the count
 * exact to INCIDENT_EXACT, then within 3% of the truth, and the memory
 * never past the bound, exported state included.
 */
static void
test_million(void)
{
	struct incident *in = test_new(25, 10 * M, 0);
	struct incident_info info;
	size_t mem, peak = 0, bound;
	unsigned char *p;
	size_t len;
	char id[32];
	int i, opened = -1;

	/*
	 * The most: 25 slots and ids, the index, the exact set full (two
	 * entries of 24 bytes a member, and the ids), eleven minutes.
	 */
	bound = 320 * 1024;
	for (i = 0; i < 1000000; i++) {
		snprintf(id, sizeof(id), "customer-%07d", i);
		if (test_add(in, id, i / 2, i ? (i - 1) / 2 : INT64_MIN,
		    &info) == INCIDENT_OPENED)
			opened = i;
		if (i == INCIDENT_EXACT - 1) {
			p = incident_export(in, &len);
			free(p);
		}
		if (i % 1000 == 0 && (mem = incident_memory(in)) > peak)
			peak = mem;
	}
	CHECK_INT(opened, 24);
	CHECK(peak <= bound);
	/* Past INCIDENT_EXACT: the registers instead of the ids. */
	CHECK(incident_memory(in) <= INCIDENT_HLL_REGS + 4096);
	p = incident_export(in, &len);
	CHECK(len < 2 * INCIDENT_HLL_REGS);
	free(p);
	incident_end(in, &info);
	CHECK(info.approximate);
	CHECK(info.customers > 970000 && info.customers < 1030000);
	incident_free(in);
	/* Exact up to the bound. */
	in = test_new(1, 10 * M, 0);
	for (i = 0; i < INCIDENT_EXACT; i++) {
		snprintf(id, sizeof(id), "c%d", i);
		(void)test_add(in, id, i, i ? i - 1 : INT64_MIN, &info);
	}
	incident_end(in, &info);
	CHECK(!info.approximate);
	CHECK_INT(info.customers, INCIDENT_EXACT);
	incident_free(in);
}

int
main(void)
{
	test_opens_distinct();
	test_window_slides();
	test_end_and_cooldown();
	test_idle_restart();
	test_peak_minutes();
	test_peak_span();
	test_model();
	test_export();
	test_million();
	T_DONE();
}
