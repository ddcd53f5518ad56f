/*
 * test_state: --state files. A saved and reloaded table must go on exactly
 * as the original (same alerts, evidence, eviction order); runs split by
 * save/load must alert as one run; every damaged or hostile file must be
 * refused with a cause and leave the table alone; a failed save must keep
 * the old file and leave no temporary one.
 */
#include <sys/resource.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "t.h"
#include "incident.h"
#include "state.h"
#include "wtab.h"

#define TEST_FP		0x1234567890abcdefULL
/* One table, as a rule set without detectors has it. */
#define TAB(t)		(&(struct state_table){ "default", (t) }), 1
#define TEST_SMALLLEN	250	/* bytes of test_small()'s state */

struct tbuf {
	char	*p;
	size_t	 len;
	size_t	 cap;
};

struct test_item {
	char		 key[WTAB_MAXKEY];
	size_t		 keylen;
	char		 line[48];
	struct wtab_event ev;
};

struct test_stream {
	struct test_item *it;
	size_t		 n;
};

static char test_dir[64];

static void
tbuf_add(struct tbuf *b, const void *p, size_t len)
{
	if (b->len + len > b->cap) {
		b->cap = 2 * (b->len + len) + 64;
		b->p = realloc(b->p, b->cap);
		if (b->p == NULL)
			abort();
	}
	memcpy(b->p + b->len, p, len);
	b->len += len;
}

static void
tbuf_printf(struct tbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
tbuf_printf(struct tbuf *b, const char *fmt, ...)
{
	char s[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(s, sizeof(s), fmt, ap);
	va_end(ap);
	tbuf_add(b, s, (size_t)n);
}

static void
tbuf_hex(struct tbuf *b, const char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		tbuf_printf(b, "%02x", (unsigned char)p[i]);
	tbuf_add(b, " ", 1);
}

static int
tbuf_same(const struct tbuf *a, const struct tbuf *b)
{
	return a->len == b->len && (a->len == 0 ||
	    memcmp(a->p, b->p, a->len) == 0);
}

static uint64_t test_rng_state = 88172645463325252ULL;

static uint64_t
test_rand(void)
{
	test_rng_state ^= test_rng_state << 13;
	test_rng_state ^= test_rng_state >> 7;
	test_rng_state ^= test_rng_state << 17;
	return test_rng_state;
}

static unsigned
test_below(unsigned n)
{
	return (unsigned)(test_rand() % n);
}

static struct wtab_config
test_config(void)
{
	struct wtab_config cfg;

	memset(&cfg, 0, sizeof(cfg));
	cfg.window = 1000;
	cfg.cooldown = 300;
	cfg.threshold = 20;
	cfg.channels = 3;
	cfg.nchannels = 4;
	cfg.nrules = 5;
	cfg.evidence = 3;
	cfg.max_customers = 50;
	return cfg;
}

static void
test_alert(struct tbuf *b, enum wtab_result r, const struct walert *a,
    unsigned nrules)
{
	unsigned k;

	tbuf_printf(b, "%d ", (int)r);
	if (r != WTAB_ALERT)
		return;
	tbuf_hex(b, a->customer, a->customerlen);
	tbuf_printf(b, "r%d t%" PRId64 " f%" PRId64 " s%" PRIu64 " c%" PRIx64
	    " n%u [", a->reason, a->time, a->first, a->score, a->chmask,
	    a->nevents);
	for (k = 0; k < nrules; k++)
		if (a->rulecount[k] != 0)
			tbuf_printf(b, "%u:%u,", k, a->rulecount[k]);
	tbuf_printf(b, "] e%u:", a->nevidence);
	for (k = 0; k < a->nevidence; k++) {
		tbuf_printf(b, "(%" PRId64 " %u %u ", a->evidence[k].time,
		    a->evidence[k].source, a->evidence[k].rule);
		tbuf_hex(b, a->evidence[k].line, a->evidence[k].linelen);
		CHECK(a->evidence[k].line[a->evidence[k].linelen] == '\0');
		tbuf_add(b, ")", 1);
	}
	tbuf_add(b, "\n", 1);
}

static int
test_dump_cb(void *arg, const struct wtab_saved *c)
{
	const struct wtab_saved_event *e;
	struct tbuf *b = arg;
	size_t k;

	tbuf_hex(b, c->key, c->keylen);
	tbuf_printf(b, "%" PRId64 " %" PRId64 " %" PRId64 " %zu:", c->now,
	    c->suppressed_until, c->forgiven_until, c->nevents);
	for (k = 0; k < c->nevents; k++) {
		e = &c->events[k];
		tbuf_printf(b, " %" PRId64 "/%u/%u/%u/%d", e->time, e->weight,
		    e->channel, e->rule, e->evidence);
		if (e->folded != 0)
			tbuf_printf(b, "/f%" PRIu64 "/%" PRId64, e->folded,
			    e->first);
		if (e->evidence) {
			tbuf_printf(b, "/%u/", e->source);
			tbuf_hex(b, e->line, e->linelen);
		}
	}
	tbuf_add(b, "\n", 1);
	return 0;
}

/* Everything that travels, in wtab_each() (LRU) order. */
static void
test_dump(const struct wtab *t, struct tbuf *b)
{
	struct wtab_stats st;

	wtab_stats(t, &st);
	b->len = 0;
	tbuf_printf(b, "T%" PRId64 " c%" PRIu64 " e%" PRIu64 "\n",
	    wtab_latest(t), st.customers, st.events);
	CHECK(wtab_each(t, test_dump_cb, b) == 0);
}

static void
test_key(struct test_item *it, unsigned k)
{
	size_t i;

	it->keylen = k % 7 == 0 ? WTAB_MAXKEY : 2 + (k * 37) % 40;
	it->key[0] = (char)(k & 0xff);
	it->key[1] = (char)(k >> 8);
	for (i = 2; i < it->keylen; i++)
		it->key[i] = (char)((k * 7 + i * 13) & 0xff);
}

/*
 * A stream over nkeys customers, time rising step per event on average
 * with jitter back
 * (some late), jumps that make customers idle, odd bytes in ids and lines.
 */
static void
test_stream_make(struct test_stream *s, size_t n, unsigned nkeys,
    unsigned step, const struct wtab_config *cfg)
{
	int64_t clock = 1000000;
	struct test_item *it;
	size_t i, j;

	s->n = n;
	s->it = calloc(n, sizeof(*s->it));
	if (s->it == NULL)
		abort();
	for (i = 0; i < n; i++) {
		it = &s->it[i];
		test_key(it, test_below(nkeys));
		clock += test_below(2 * step);
		if (cfg->window < 1000000 && test_below(500) == 0)
			clock += 3 * cfg->window + cfg->cooldown;
		it->ev.time = clock - (int64_t)test_below(test_below(4) == 0 ?
		    1500 : 50);
		it->ev.weight = test_below(50) == 0 ? 1000 : 1 + test_below(5);
		it->ev.channel = test_below(cfg->nchannels);
		it->ev.rule = test_below(cfg->nrules);
		it->ev.source = (unsigned)test_rand();
		it->ev.linelen = test_below(sizeof(it->line));
		for (j = 0; j < it->ev.linelen; j++)
			it->line[j] = (char)test_rand();
		if (it->ev.linelen > 2)
			it->line[1] = '\0', it->line[2] = '\n';
		it->ev.line = it->line;
	}
}

static void
test_run(struct wtab *t, const struct test_stream *s, size_t from,
    size_t to, struct tbuf *log)
{
	const struct test_item *it;
	struct walert a;
	enum wtab_result r;
	size_t i;

	for (i = from; i < to; i++) {
		it = &s->it[i];
		r = wtab_add(t, it->key, it->keylen, &it->ev, &a);
		test_alert(log, r, &a, wtab_config(t)->nrules);
	}
}

/* name in the test directory; each name has its own buffer. */
static const char *
test_path(const char *name)
{
	static char path[8][128];
	size_t i;

	for (i = 0; i < 8 && path[i][0] != '\0'; i++)
		if (strcmp(strrchr(path[i], '/') + 1, name) == 0)
			return path[i];
	if (i == 8)
		abort();
	snprintf(path[i], sizeof(path[i]), "%s/%s", test_dir, name);
	return path[i];
}

static int
test_save(const char *path, const struct wtab *t)
{
	char *cause = NULL;
	int r;

	r = state_save(path, &(struct state_table){ "default",
	    (struct wtab *)t }, 1, NULL, TEST_FP, &cause);
	if (r != 0)
		fprintf(stderr, "state_save: %s\n", cause);
	free(cause);
	return r;
}

/* Load path into a fresh table; NULL (and *cause) when refused. */
static struct wtab *
test_load(const char *path, const struct wtab_config *cfg, int *r,
    char **cause)
{
	struct wtab *t = wtab_new(cfg);

	*cause = NULL;
	*r = state_load(path, &(struct state_table){ "default", t }, 1, NULL,
	    TEST_FP, cause);
	if (*r == 0)
		return t;
	wtab_free(t);
	return NULL;
}

static struct wtab *
test_reload(const struct wtab *t)
{
	const char *path = test_path("reload");
	struct wtab *nt;
	char *cause;
	int r;

	CHECK(test_save(path, t) == 0);
	nt = test_load(path, wtab_config(t), &r, &cause);
	CHECK_INT(r, 0);
	if (cause != NULL)
		fprintf(stderr, "state_load: %s\n", cause);
	free(cause);
	unlink(path);
	return nt;
}

static int
test_has(const char *cause, const char *want)
{
	if (cause != NULL && strstr(cause, want) != NULL)
		return 1;
	fprintf(stderr, "cause \"%s\" lacks \"%s\"\n",
	    cause ? cause : "(null)", want);
	return 0;
}

static void
test_missing(void)
{
	struct wtab_config cfg = test_config();
	struct wtab *t = wtab_new(&cfg);
	char *cause = NULL;
	struct tbuf b0 = { 0 }, b1 = { 0 };

	test_dump(t, &b0);
	CHECK_INT(state_load(test_path("none"), TAB(t), NULL, TEST_FP, &cause), 1);
	CHECK(cause == NULL);
	test_dump(t, &b1);
	CHECK(tbuf_same(&b0, &b1));
	wtab_free(t);
	free(b0.p);
	free(b1.p);
}

static void
test_empty_roundtrip(void)
{
	struct wtab_config cfg = test_config();
	struct wtab *t = wtab_new(&cfg), *nt;
	struct tbuf b0 = { 0 }, b1 = { 0 };

	nt = test_reload(t);
	CHECK(nt != NULL);
	if (nt != NULL) {
		CHECK(wtab_latest(nt) == INT64_MIN);
		test_dump(t, &b0);
		test_dump(nt, &b1);
		CHECK(tbuf_same(&b0, &b1));
	}
	wtab_free(t);
	wtab_free(nt);
	free(b0.p);
	free(b1.p);
}

/*
 * Many customers, evictions, idle ones, suppression, odd bytes: the
 * reloaded table holds the same state and reacts to the same events the
 * same way, down to evidence bytes and which customer is evicted.
 */
static void
test_roundtrip(void)
{
	struct wtab_config cfg = test_config();
	struct test_stream s;
	struct wtab *t = wtab_new(&cfg), *nt;
	struct wtab_stats a0, a1, b0, b1;
	struct tbuf d0 = { 0 }, d1 = { 0 }, l0 = { 0 }, l1 = { 0 };

	test_stream_make(&s, 8000, 120, 3, &cfg);
	test_run(t, &s, 0, 5000, &l0);
	wtab_sweep(t);
	wtab_stats(t, &a0);
	CHECK(a0.evicted > 0 && a0.forgotten > 0 && a0.alerts > 0);
	CHECK(a0.customers > 10 && a0.events > 50);
	nt = test_reload(t);
	if (nt == NULL)
		goto out;
	wtab_stats(nt, &b0);
	CHECK_INT(b0.customers, a0.customers);
	CHECK_INT(b0.events, a0.events);
	CHECK_INT(b0.alerts + b0.late + b0.evicted + b0.forgotten, 0);
	test_dump(t, &d0);
	test_dump(nt, &d1);
	CHECK(tbuf_same(&d0, &d1));
	CHECK(memchr(d0.p, '\n', d0.len) != NULL && d0.len > 1000);

	l0.len = 0;
	test_run(t, &s, 5000, s.n, &l0);
	test_run(nt, &s, 5000, s.n, &l1);
	CHECK(l0.len > 0 && tbuf_same(&l0, &l1));
	wtab_stats(t, &a1);
	wtab_stats(nt, &b1);
	CHECK(a1.alerts > a0.alerts && a1.evicted > a0.evicted);
	CHECK_INT(b1.alerts, a1.alerts - a0.alerts);
	CHECK_INT(b1.late, a1.late - a0.late);
	CHECK_INT(b1.evicted, a1.evicted - a0.evicted);
	CHECK_INT(b1.forgotten, a1.forgotten - a0.forgotten);
	CHECK_INT(b1.customers, a1.customers);
	CHECK_INT(b1.events, a1.events);
	test_dump(t, &d0);
	test_dump(nt, &d1);
	CHECK(tbuf_same(&d0, &d1));
out:
	wtab_free(t);
	wtab_free(nt);
	free(s.it);
	free(d0.p);
	free(d1.p);
	free(l0.p);
	free(l1.p);
}

/* Idle customers are absent (semantics 6): they are not saved. */
static void
test_idle_not_saved(void)
{
	struct wtab_config cfg = test_config();
	struct wtab *t = wtab_new(&cfg), *nt;
	struct wtab_event ev;
	struct walert a;
	struct wtab_stats st;

	memset(&ev, 0, sizeof(ev));
	ev.weight = 1;
	ev.time = 100;
	wtab_add(t, "old", 3, &ev, &a);
	ev.time = 100 + cfg.window;
	wtab_add(t, "new", 3, &ev, &a);
	wtab_add(t, "new", 3, &ev, &a);
	nt = test_reload(t);
	if (nt != NULL) {
		wtab_stats(nt, &st);
		CHECK_INT(st.customers, 1);
		CHECK(wtab_latest(nt) == 100 + cfg.window);
	}
	wtab_free(t);
	wtab_free(nt);
}

/*
 * One stream, cut at several places with a save and a load at each cut:
 * the same alerts as the whole stream in one table.
 */
static void
test_halves_cfg(const struct wtab_config *cfg, size_t n, unsigned nkeys)
{
	static const size_t pieces[] = { 2, 3, 4, 7 };
	struct test_stream s;
	struct tbuf whole = { 0 }, split = { 0 };
	struct wtab *t, *nt;
	size_t p, k, at, prev;

	test_stream_make(&s, n, nkeys, 20, cfg);
	t = wtab_new(cfg);
	test_run(t, &s, 0, n, &whole);
	wtab_free(t);
	for (p = 0; p < sizeof(pieces) / sizeof(pieces[0]); p++) {
		split.len = 0;
		t = wtab_new(cfg);
		for (k = 0, prev = 0; k < pieces[p] && t != NULL; k++) {
			at = k * n / pieces[p] + (k == 1 && p == 0);
			test_run(t, &s, prev, at, &split);
			prev = at;
			nt = test_reload(t);
			wtab_free(t);
			t = nt;
		}
		if (t != NULL)
			test_run(t, &s, prev, n, &split);
		CHECK(whole.len > 0 && tbuf_same(&whole, &split));
		wtab_free(t);
	}
	free(s.it);
	free(whole.p);
	free(split.p);
}

static void
test_halves(void)
{
	struct wtab_config cfg = test_config();

	test_halves_cfg(&cfg, 6000, 60);
	cfg.max_customers = 20;
	test_halves_cfg(&cfg, 6000, 60);
	cfg.evidence = 0;
	cfg.channels = 0;
	cfg.cooldown = 0;
	cfg.max_customers = 1000;
	test_halves_cfg(&cfg, 6000, 200);
	cfg = test_config();
	cfg.nrules = 65536;
	cfg.nchannels = 64;
	cfg.channels = 64;
	cfg.evidence = 1;
	test_halves_cfg(&cfg, 3000, 10);
}

/* Two customers, evidence on each event; TEST_SMALLLEN bytes saved. */
static struct wtab *
test_small(void)
{
	struct wtab_config cfg = test_config();
	struct wtab *t;
	struct wtab_event ev;
	struct walert a;

	cfg.evidence = 2;
	t = wtab_new(&cfg);
	memset(&ev, 0, sizeof(ev));
	ev.time = 100, ev.weight = 1, ev.line = "x", ev.linelen = 1;
	wtab_add(t, "aa", 2, &ev, &a);
	ev.time = 120, ev.weight = 1, ev.line = "", ev.linelen = 0;
	ev.source = 7;
	wtab_add(t, "ab", 2, &ev, &a);
	ev.time = 150, ev.weight = 2, ev.line = "yz", ev.linelen = 2;
	ev.channel = 1, ev.rule = 1;
	wtab_add(t, "aa", 2, &ev, &a);
	return t;
}

static size_t
test_slurp(const char *path, unsigned char *buf, size_t cap)
{
	FILE *fp = fopen(path, "rb");
	size_t n;

	if (fp == NULL)
		return 0;
	n = fread(buf, 1, cap, fp);
	fclose(fp);
	return n;
}

static void
test_spit(const char *path, const unsigned char *buf, size_t len)
{
	FILE *fp = fopen(path, "wb");

	if (fp == NULL)
		abort();
	if (len > 0 && fwrite(buf, 1, len, fp) != len)
		abort();
	fclose(fp);
}

static void
test_put_le(unsigned char *p, uint64_t v, size_t size)
{
	size_t i;

	for (i = 0; i < size; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void
test_fix(unsigned char *buf, size_t len)
{
	test_put_le(buf + 12, len, 8);
	test_put_le(buf + len - 4, crc32(crc32(0, NULL, 0), buf,
	    (uInt)(len - 4)), 4);
}

/*
 * Load buf into a table that already holds something; expect -1, a
 * cause with want in it, and the table untouched.
 */
static void
test_refused(const unsigned char *buf, size_t len, uint64_t fp,
    const struct wtab_config *cfg, const char *want)
{
	const char *path = test_path("bad");
	struct tbuf b0 = { 0 }, b1 = { 0 };
	struct wtab *t = wtab_new(cfg);
	struct wtab_event ev;
	struct walert a;
	char *cause = NULL;

	memset(&ev, 0, sizeof(ev));
	ev.time = 5, ev.weight = 1, ev.line = "keep", ev.linelen = 4;
	wtab_add(t, "mine", 4, &ev, &a);
	test_dump(t, &b0);
	test_spit(path, buf, len);
	CHECK_INT(state_load(path, TAB(t), NULL, fp, &cause), -1);
	CHECK(want == NULL || test_has(cause, want));
	CHECK(test_has(cause, path));
	test_dump(t, &b1);
	CHECK(tbuf_same(&b0, &b1));
	free(cause);
	wtab_free(t);
	unlink(path);
	free(b0.p);
	free(b1.p);
}

static void
test_damage(void)
{
	unsigned char good[512], bad[512];
	struct wtab *t = test_small();
	struct wtab_config cfg = *wtab_config(t);
	const char *path = test_path("small");
	size_t len, i;
	int bit;

	CHECK(test_save(path, t) == 0);
	len = test_slurp(path, good, sizeof(good));
	CHECK_INT(len, TEST_SMALLLEN);
	if (len != TEST_SMALLLEN)
		goto out;
	for (i = 0; i < len; i++)
		test_refused(good, i, TEST_FP, &cfg, "state");
	for (i = 0; i < len; i++)
		for (bit = 0; bit < 8; bit += 7) {
			memcpy(bad, good, len);
			bad[i] ^= (unsigned char)(1 << bit);
			test_refused(bad, len, TEST_FP, &cfg,
			    i < 8 ? "not a cxwatch state file" : "afresh");
			bad[i] = (unsigned char)~good[i];
			test_refused(bad, len, TEST_FP, &cfg, NULL);
		}
	test_refused(good, 0, TEST_FP, &cfg, "truncated");
	test_refused(good, 100, TEST_FP, &cfg, "truncated (100 bytes)");
	memcpy(bad, good, len);
	bad[len - 1] ^= 1;
	test_refused(bad, len, TEST_FP, &cfg, "checksum mismatch");
	memcpy(bad, good, len);
	memcpy(bad, "CXWSTATF", 8);
	test_refused(bad, len, TEST_FP, &cfg, "not a cxwatch state file");
	test_refused((const unsigned char *)"hello\n", 6, TEST_FP, &cfg,
	    "not a cxwatch state file");
	memcpy(bad, good, len);
	bad[8] = 7;	/* 6 is the producer's registry */
	test_refused(bad, len, TEST_FP, &cfg, "made by a newer cxwatch");
	bad[8] = 0;
	test_refused(bad, len, TEST_FP, &cfg, "unknown state format 0");
	memcpy(bad, good, len);
	memset(bad + len, 0, 8);
	test_fix(bad, len + 8);
	test_put_le(bad + 12, len + 9, 8);
	test_refused(bad, len + 8, TEST_FP, &cfg, "truncated");
	test_put_le(bad + 12, len + 7, 8);
	test_refused(bad, len + 8, TEST_FP, &cfg, "damaged (258 bytes, 257");
out:
	unlink(path);
	wtab_free(t);
}

/* Other rules or other settings: refused, with --state-reset named. */
static void
test_mismatch(void)
{
	unsigned char good[512];
	struct wtab *t = test_small();
	struct wtab_config cfg = *wtab_config(t), c;
	const char *path = test_path("small"), *want;
	struct wtab *nt;
	size_t len;
	char *cause;
	int r, k;

	want = "made with other rules or settings";
	CHECK(test_save(path, t) == 0);
	len = test_slurp(path, good, sizeof(good));
	test_refused(good, len, TEST_FP ^ 1, &cfg, want);
	test_refused(good, len, TEST_FP ^ 1, &cfg, "use --state-reset");
	for (k = 0; k < 7; k++) {
		c = cfg;
		switch (k) {
		case 0: c.window++; break;
		case 1: c.cooldown++; break;
		case 2: c.threshold++; break;
		case 3: c.channels--; break;
		case 4: c.nchannels++; break;
		case 5: c.nrules++; break;
		default: c.evidence++; break;
		}
		test_refused(good, len, TEST_FP, &c, want);
	}
	/* max_customers may change: the least recent go, as evicted. */
	c = cfg;
	c.max_customers = 1;
	nt = test_load(path, &c, &r, &cause);
	CHECK_INT(r, 0);
	if (nt != NULL) {
		struct wtab_stats st;

		wtab_stats(nt, &st);
		CHECK_INT(st.customers, 1);
		CHECK_INT(st.evicted, 1);
	}
	free(cause);
	wtab_free(nt);
	unlink(path);
	wtab_free(t);
}

/*
 * Files with a correct checksum that no cxwatch wrote: each value out of
 * range is refused by name. Offsets follow test_small()'s layout (format
 * 4): T at 40, the one table "default" at 52 (its customer count at 89);
 * "ab" (one event) at 97, its forgiven_until at 117, its event at 129;
 * "aa" (two events) at 155, events at 187 and 214; the registry (no
 * entries) at 242; CRC at 246.
 */
static void
test_hostile(void)
{
	static const struct {
		size_t		 off;
		uint64_t	 val;
		size_t		 size;
		const char	*want;
	} cases[] = {
		{ 40, INT64_MAX, 8, "latest time out of range" },
		{ 40, 149, 8, "customer time out of range" },
		{ 40, 150 + 1000, 8, "customer is idle" },
		{ 89, 7, 8, "customer count does not fit" },
		{ 89, 3, 8, "customer id length out of range" },
		{ 89, 1, 8, "input file count does not fit the file" },
		{ 242, 1, 4, "input file count does not fit the file" },
		{ 242, UINT32_MAX, 4, "input file count does not fit the file" },
		{ 89, UINT64_MAX, 8, "customer count does not fit" },
		{ 97, 0, 2, "customer id length out of range" },
		{ 97, WTAB_MAXKEY + 1, 2, "customer id length out of range" },
		{ 97, 200, 2, "lengths do not fit the file" },
		{ 125, UINT32_MAX, 4, "lengths do not fit the file" },
		{ 125, 2, 4, "" },
		{ 125, 0, 4, "" },
		{ 137, 0, 2, "event weight out of range" },
		{ 137, 1001, 2, "event weight out of range" },
		{ 139, 5, 2, "rule number out of range" },
		{ 141, 4, 1, "channel number out of range" },
		{ 142, 3, 1, "unknown event flags" },
		{ 147, UINT64_MAX, 8, "lengths do not fit the file" },
		{ 147, 1000, 8, "lengths do not fit the file" },
		{ 129, 121, 8, "event outside its customer's window" },
		{ 129, 120 - 1000, 8, "event outside its customer's window" },
		{ 109, 120 + 300 + 1, 8, "suppression time out of range" },
		{ 109, INT64_MAX, 8, "suppression time out of range" },
		{ 187, 151, 8, "event outside its customer's window" },
		{ 214, 99, 8, "events out of time order" },
		{ 157, 'a' | 'b' << 8, 2, "customer saved twice" },
		{ 222, 20, 2, "window should have alerted" },
	};
	unsigned char good[512], bad[512];
	struct wtab *t = test_small();
	struct wtab_config cfg = *wtab_config(t);
	const char *path = test_path("small");
	size_t len, i;

	CHECK(test_save(path, t) == 0);
	len = test_slurp(path, good, sizeof(good));
	CHECK_INT(len, TEST_SMALLLEN);
	if (len != TEST_SMALLLEN)
		goto out;
	/* The layout the offsets rely on. */
	CHECK(memcmp(good + 54, "default", 7) == 0);
	CHECK(memcmp(good + 99, "ab", 2) == 0);
	CHECK(memcmp(good + 157, "aa", 2) == 0);
	CHECK(memcmp(good + 213, "x", 1) == 0);
	CHECK(memcmp(good + 240, "yz", 2) == 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memcpy(bad, good, len);
		test_put_le(bad + cases[i].off, cases[i].val, cases[i].size);
		test_fix(bad, len);
		test_refused(bad, len, TEST_FP, &cfg, "damaged at byte ");
		test_refused(bad, len, TEST_FP, &cfg, cases[i].want);
	}
	/*
	 * One of the newest events without its line ("aa" keeps 2 of 2):
	 * a line --evidence-memory dropped. It loads so, and its alert
	 * says so.
	 */
	memcpy(bad, good, len);
	bad[200] = 0;
	memmove(bad + 201, bad + 214, len - 214);
	test_fix(bad, len - 13);
	test_spit(path, bad, len - 13);
	{
		struct wtab_event ev;
		struct walert a;
		struct wtab *nt;
		char *cause;
		int r;

		nt = test_load(path, &cfg, &r, &cause);
		CHECK_INT(r, 0);
		free(cause);
		memset(&ev, 0, sizeof(ev));
		/* older than both: the newest two stay 100 and 150 */
		ev.time = 90, ev.weight = 20, ev.line = "z", ev.linelen = 1;
		CHECK(nt != NULL &&
		    wtab_add(nt, "aa", 2, &ev, &a) == WTAB_ALERT);
		CHECK_INT(a.nevents, 3);
		CHECK_INT(a.nevidence, 1);
		CHECK_INT(a.dropped, 1);
		CHECK_STR(a.evidence[0].line, "yz");
		wtab_free(nt);
	}
	/* The unchanged file loads. */
	test_fix(good, len);
	{
		struct wtab *nt;
		char *cause;
		int r;

		test_spit(path, good, len);
		nt = test_load(path, &cfg, &r, &cause);
		CHECK_INT(r, 0);
		free(cause);
		wtab_free(nt);
	}
out:
	unlink(path);
	wtab_free(t);
}

/* Names in dir other than keep; 0 when there are none. */
static int
test_strays(const char *dir, const char *keep)
{
	struct dirent *de;
	DIR *d = opendir(dir);
	int n = 0;

	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0 ||
		    (keep != NULL && strcmp(de->d_name, keep) == 0))
			continue;
		fprintf(stderr, "stray file %s/%s\n", dir, de->d_name);
		n++;
	}
	closedir(d);
	return n;
}

/* The state in path is still the one dumped in want. */
static void
test_intact(const char *path, const struct wtab_config *cfg,
    const struct tbuf *want)
{
	struct tbuf got = { 0 };
	struct wtab *t;
	char *cause;
	int r;

	t = test_load(path, cfg, &r, &cause);
	CHECK_INT(r, 0);
	if (t != NULL) {
		test_dump(t, &got);
		CHECK(tbuf_same(want, &got));
	}
	free(cause);
	wtab_free(t);
	free(got.p);
}

static void
test_unwritable(void)
{
	struct wtab *t = test_small(), *big;
	struct wtab_config cfg = *wtab_config(t);
	struct tbuf old = { 0 };
	char dir[128], path[160], *cause = NULL;
	struct test_stream s;
	struct tbuf log = { 0 };

	test_dump(t, &old);
	snprintf(dir, sizeof(dir), "%s/ro", test_dir);
	snprintf(path, sizeof(path), "%s/state", dir);
	CHECK(mkdir(dir, 0755) == 0);
	CHECK(test_save(path, t) == 0);
	big = wtab_new(&cfg);
	test_stream_make(&s, 500, 20, 20, &cfg);
	test_run(big, &s, 0, s.n, &log);
	CHECK(chmod(dir, 0555) == 0);
	if (geteuid() != 0 || access(dir, W_OK) != 0) {
		CHECK_INT(state_save(path, TAB(big), NULL, TEST_FP, &cause), -1);
		CHECK(test_has(cause, path));
		CHECK(test_has(cause, "writable"));
		free(cause);
		cause = NULL;
	}
	CHECK(chmod(dir, 0755) == 0);
	CHECK_INT(test_strays(dir, "state"), 0);
	test_intact(path, &cfg, &old);

	/* Root writes anyway: no directory, a non-directory, a directory
	 * in the way of the rename. */
	CHECK_INT(state_save("/nonexistent.cxw/state", TAB(t), NULL, TEST_FP, &cause),
	    -1);
	CHECK(test_has(cause, "/nonexistent.cxw/state: cannot save state"));
	free(cause);
	CHECK_INT(state_save("/dev/null/x", TAB(t), NULL, TEST_FP, &cause), -1);
	CHECK(test_has(cause, "/dev/null/x: "));
	free(cause);
	CHECK(unlink(path) == 0);
	CHECK(mkdir(path, 0755) == 0);
	CHECK_INT(state_save(path, TAB(t), NULL, TEST_FP, &cause), -1);
	CHECK(test_has(cause, "the previous state is kept"));
	free(cause);
	CHECK_INT(test_strays(dir, "state"), 0);
	CHECK(rmdir(path) == 0);
	CHECK(rmdir(dir) == 0);
	wtab_free(big);
	wtab_free(t);
	free(s.it);
	free(old.p);
	free(log.p);
}

/* A write that fails half way (EFBIG) keeps the old file. */
static void
test_fsize(void)
{
	struct wtab *t = test_small(), *big;
	struct wtab_config cfg = *wtab_config(t), bigcfg;
	struct tbuf old = { 0 }, log = { 0 };
	const char *path = test_path("state");
	struct rlimit rl, small;
	struct test_stream s;
	struct stat st;
	char *cause = NULL;

	CHECK(test_save(path, t) == 0);
	test_dump(t, &old);
	bigcfg = cfg;
	bigcfg.window = 1000000000;
	bigcfg.threshold = UINT64_MAX;
	bigcfg.channels = 0;
	bigcfg.max_customers = 1000;
	big = wtab_new(&bigcfg);
	test_stream_make(&s, 20000, 100, 20, &bigcfg);
	test_run(big, &s, 0, s.n, &log);
	CHECK(test_save(test_path("big"), big) == 0);
	CHECK(stat(test_path("big"), &st) == 0 && st.st_size > 100000);
	unlink(test_path("big"));
	signal(SIGXFSZ, SIG_IGN);
	CHECK(getrlimit(RLIMIT_FSIZE, &rl) == 0);
	small = rl;
	small.rlim_cur = 70000;
	CHECK(setrlimit(RLIMIT_FSIZE, &small) == 0);
	CHECK_INT(state_save(path, TAB(big), NULL, TEST_FP, &cause), -1);
	CHECK(setrlimit(RLIMIT_FSIZE, &rl) == 0);
	signal(SIGXFSZ, SIG_DFL);
	CHECK(test_has(cause, path));
	CHECK(test_has(cause, strerror(EFBIG)));
	CHECK(test_has(cause, "the previous state is kept"));
	free(cause);
	CHECK_INT(test_strays(test_dir, "state"), 0);
	test_intact(path, &cfg, &old);
	unlink(path);
	wtab_free(big);
	wtab_free(t);
	free(s.it);
	free(old.p);
	free(log.p);
}

/* Saving over an existing state replaces it; mode 0600, no strays. */
static void
test_replace(void)
{
	struct wtab *t = test_small(), *e;
	struct wtab_config cfg = *wtab_config(t);
	const char *path = test_path("state");
	struct tbuf b = { 0 };
	struct stat st;

	e = wtab_new(&cfg);
	CHECK(test_save(path, e) == 0);
	CHECK(test_save(path, t) == 0);
	test_dump(t, &b);
	test_intact(path, &cfg, &b);
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
	CHECK_INT(test_strays(test_dir, "state"), 0);
	unlink(path);
	wtab_free(e);
	wtab_free(t);
	free(b.p);
}


static int
test_count_folded_cb(void *arg, const struct wtab_saved *c)
{
	uint64_t *n = arg;
	size_t k;

	for (k = 0; k < c->nevents; k++)
		*n += c->events[k].folded;
	return 0;
}

/*
 * Floods past the ring's bound (WTAB_RINGMAX): the folded events travel
 * as groups, and runs split by save/load alert as one run.
 */
static void
test_flood(void)
{
	struct wtab_config cfg = test_config();
	struct test_stream s;
	struct tbuf log = { 0 }, b0 = { 0 }, b1 = { 0 };
	struct wtab_stats st;
	struct wtab *t, *nt;
	uint64_t nfolded = 0;

	cfg.window = 2000000;
	cfg.cooldown = 300000;
	test_stream_make(&s, 40000, 3, 20, &cfg);
	t = wtab_new(&cfg);
	test_run(t, &s, 0, 30000, &log);
	wtab_stats(t, &st);
	CHECK(st.folded > 0);
	wtab_each(t, test_count_folded_cb, &nfolded);
	CHECK(nfolded > 0);
	test_dump(t, &b0);
	nt = test_reload(t);
	CHECK(nt != NULL);
	if (nt != NULL) {
		test_dump(nt, &b1);
		CHECK(tbuf_same(&b0, &b1));
		wtab_free(nt);
	}
	wtab_free(t);
	free(s.it);
	free(log.p);
	free(b0.p);
	free(b1.p);
	test_halves_cfg(&cfg, 40000, 3);
	cfg.evidence = 0;
	cfg.channels = 0;
	test_halves_cfg(&cfg, 40000, 2);
}

/* Groups of folded events no run could have left are refused. */
static void
test_flood_hostile(void)
{
	struct wtab_config cfg = test_config();
	struct wtab_saved_event *ev;
	struct wtab_saved c;
	struct wtab *t;
	const char *why;
	size_t n = 1 + WTAB_RINGMAX, k;

	cfg.threshold = 1000000000;
	ev = calloc(n + 1, sizeof(*ev));
	if (ev == NULL)
		abort();
	for (k = 0; k <= n; k++) {
		ev[k].time = ev[k].first = 500;
		ev[k].weight = 1;
	}
	ev[0].folded = 3;
	ev[0].first = 400;
	for (k = n - cfg.evidence; k < n; k++) {
		ev[k].evidence = 1;
		ev[k].line = "l";
		ev[k].linelen = 1;
	}
	memset(&c, 0, sizeof(c));
	c.key = "f";
	c.keylen = 1;
	c.now = 500;
	c.suppressed_until = INT64_MIN;
	c.events = ev;
	c.nevents = n;
	t = wtab_new(&cfg);
	CHECK(wtab_set_latest(t, 500, &why) == 0);
	/* as a run leaves it: a group, a full ring */
	CHECK(wtab_restore(t, &c, &why) == 0);
	wtab_free(t);
#define TEST_REFUSED(want) do {						\
	t = wtab_new(&cfg);						\
	CHECK(wtab_set_latest(t, 500, &why) == 0);			\
	why = NULL;							\
	CHECK(wtab_restore(t, &c, &why) == -1);				\
	CHECK(why != NULL && strstr(why, want) != NULL);		\
	wtab_free(t);							\
} while (0)
	c.nevents = n - 1;	/* room left in the ring */
	ev[n - 1 - cfg.evidence].evidence = 1;
	ev[n - 1 - cfg.evidence].line = "l";
	TEST_REFUSED("beyond or below the bound");
	ev[n - 1 - cfg.evidence].evidence = 0;
	c.nevents = n + 1;	/* one too many kept one by one */
	ev[n].evidence = 1;
	ev[n].line = "l";
	ev[n - cfg.evidence].evidence = 0;
	TEST_REFUSED("beyond or below the bound");
	c.nevents = n;
	ev[n - cfg.evidence].evidence = 1;
	ev[0].first = 501;
	TEST_REFUSED("first time out of range");
	ev[0].first = -((int64_t)1 << 62);
	TEST_REFUSED("first time out of range");
	ev[0].first = 400;
	ev[0].evidence = 1;
	TEST_REFUSED("evidence kept for the wrong events");
	ev[0].evidence = 0;
	/* a ring event older than the newest three with a line */
	ev[1].evidence = 1;
	ev[1].line = "l";
	ev[1].linelen = 1;
	TEST_REFUSED("evidence kept for the wrong events");
	ev[1].evidence = 0;
	/* one of the newest three without: its line was dropped */
	ev[n - 1].evidence = 0;
	t = wtab_new(&cfg);
	CHECK(wtab_set_latest(t, 500, &why) == 0);
	CHECK(wtab_restore(t, &c, &why) == 0);
	wtab_free(t);
	ev[n - 1].evidence = 1;
	ev[0].time = 499;
	ev[1].folded = 1;
	TEST_REFUSED("folded events at different times");
	ev[0].time = 500;
	ev[1].folded = 0;
	ev[2].folded = 1;
	TEST_REFUSED("folded events after others");
	ev[2].folded = 0;
	ev[0].folded = (uint64_t)1 << 60;
	TEST_REFUSED("too many events");
	ev[0].folded = 3;
	/* a window past the threshold that did not alert */
	cfg.threshold = WTAB_RINGMAX + 3;
	TEST_REFUSED("window should have alerted");
#undef TEST_REFUSED
	free(ev);
}

/*
 * test_small()'s file as format 3 wrote it, made from its format 4 bytes
 * (see test_hostile() for the layout): the one table's settings where
 * format 3 had them, its customer count after T, no forgiven_until.
 */
static size_t
test_to_v3(const unsigned char *v4, size_t len, unsigned char *v3)
{
	size_t n = 0;

#define TEST_COPY(from, to) do {					\
	memcpy(v3 + n, v4 + (from), (size_t)((to) - (from)));		\
	n += (size_t)((to) - (from));					\
} while (0)
	TEST_COPY(0, 28);		/* magic, version, length, fp */
	TEST_COPY(61, 89);		/* window .. channels */
	TEST_COPY(28, 48);		/* nchannels, nrules, evidence, T */
	TEST_COPY(89, 97);		/* customers */
	TEST_COPY(97, 117);		/* "ab" up to suppressed_until */
	TEST_COPY(125, 175);		/* its events, "aa" up to the same */
	TEST_COPY(183, len);		/* its events, registry, CRC */
#undef TEST_COPY
	v3[8] = 3;
	test_fix(v3, n);
	return n;
}

/*
 * Formats 1 (before folded groups), 2 (before the read registry) and 3
 * (before detectors) are still read, into the table of a rule set
 * without detectors, with no customer forgiven.
 */
static void
test_old_versions(void)
{
	unsigned char v4[512], buf[512];
	struct wtab *t = test_small(), *nt;
	struct wtab_config cfg = *wtab_config(t);
	const char *path = test_path("v1");
	struct tbuf b0 = { 0 }, b1 = { 0 };
	char *cause = NULL;
	size_t len;
	int r, v;

	CHECK(test_save(path, t) == 0);
	len = test_slurp(path, v4, sizeof(v4));
	CHECK_INT(len, TEST_SMALLLEN);
	CHECK_INT(v4[8], 4);
	if (len != TEST_SMALLLEN)
		goto out;
	len = test_to_v3(v4, len, buf);
	CHECK_INT(len, TEST_SMALLLEN - 29);
	test_dump(t, &b0);
	for (v = 3; v >= 1; v--) {
		if (v == 2) {
			/* Drop the registry's u32 count (0) before the CRC. */
			CHECK_INT(buf[len - 8] | buf[len - 7] | buf[len - 6] |
			    buf[len - 5], 0);
			len -= 4;
		}
		buf[8] = (unsigned char)v;
		test_fix(buf, len);
		test_spit(path, buf, len);
		nt = test_load(path, &cfg, &r, &cause);
		CHECK_INT(r, 0);
		if (nt != NULL) {
			free(b1.p);
			memset(&b1, 0, sizeof(b1));
			test_dump(nt, &b1);
			CHECK(tbuf_same(&b0, &b1));
		}
		free(cause);
		wtab_free(nt);
	}
	/* Formats before 4 had no detectors: refused with some. */
	{
		struct wtab *t2 = wtab_new(&cfg);

		test_spit(path, buf, len);
		CHECK_INT(state_load(path, &(struct state_table){ "journey",
		    t2 }, 1, NULL, TEST_FP, &cause), -1);
		CHECK(test_has(cause, "detectors changed"));
		free(cause);
		wtab_free(t2);
	}
	/* no groups in format 1 */
	buf[121] = 2;
	test_fix(buf, len);
	test_refused(buf, len, TEST_FP, &cfg, "unknown event flags");
	/* A format 2 file with a registry after its customers is damaged. */
	len += 4;
	buf[8] = 2;
	buf[121] = 1;
	test_fix(buf, len);
	test_refused(buf, len, TEST_FP, &cfg, "bytes after the last customer");
out:
	unlink(path);
	free(b0.p);
	free(b1.p);
	wtab_free(t);
}

/* The count of forgiven customers a table holds, for test_detectors(). */
static int
test_forgiven_cb(void *arg, const struct wtab_saved *c)
{
	if (c->forgiven_until != INT64_MIN)
		++*(int *)arg;
	return 0;
}

/*
 * Format 4: several tables, each with its name and settings, and a
 * forgiven customer's forgiven_until, saved and loaded back; other
 * detectors, in name, order or settings, are refused.
 */
static void
test_detectors(void)
{
	struct wtab_config c1 = test_config(), c2 = test_config();
	struct wtab *a = wtab_new(&c1), *b, *na, *nb;
	struct state_table tabs[2], ntabs[2];
	const char *path = test_path("det");
	struct tbuf d0 = { 0 }, d1 = { 0 };
	struct wtab_event ev;
	struct walert al;
	char *cause = NULL;
	int n = 0;

	c2.window = c1.window * 2;
	c2.threshold = c1.threshold + 1;
	b = wtab_new(&c2);
	memset(&ev, 0, sizeof(ev));
	ev.time = 1000, ev.weight = 1, ev.line = "l1", ev.linelen = 2;
	(void)wtab_add(a, "C1", 2, &ev, &al);
	(void)wtab_add(b, "C1", 2, &ev, &al);
	ev.time = 2000;
	(void)wtab_add(b, "C2", 2, &ev, &al);
	CHECK_INT(wtab_forgive(b, "C2", 2, 2500), 1);
	ev.time = 3000;
	(void)wtab_add(b, "C2", 2, &ev, &al);
	(void)wtab_set_latest(a, wtab_latest(b), (const char **)&cause);
	tabs[0] = (struct state_table){ "fast", a };
	tabs[1] = (struct state_table){ "all", b };
	CHECK_INT(state_save(path, tabs, 2, NULL, TEST_FP, &cause), 0);
	na = wtab_new(&c1);
	nb = wtab_new(&c2);
	ntabs[0] = (struct state_table){ "fast", na };
	ntabs[1] = (struct state_table){ "all", nb };
	CHECK_INT(state_load(path, ntabs, 2, NULL, TEST_FP, &cause), 0);
	(void)wtab_sweep(b);	/* C1 is idle there: not saved */
	test_dump(b, &d0);
	test_dump(nb, &d1);
	CHECK(tbuf_same(&d0, &d1));
	(void)wtab_each(nb, test_forgiven_cb, &n);
	CHECK_INT(n, 1);
	CHECK_INT(wtab_latest(na), wtab_latest(b));
	/* Other names, order, count or settings: refused, saying which. */
	ntabs[0].name = "all";
	ntabs[1].name = "fast";
	CHECK_INT(state_load(path, ntabs, 2, NULL, TEST_FP, &cause), -1);
	CHECK(test_has(cause, "detectors changed"));
	free(cause);
	CHECK_INT(state_load(path, ntabs, 1, NULL, TEST_FP, &cause), -1);
	CHECK(test_has(cause, "detectors changed"));
	free(cause);
	ntabs[0] = (struct state_table){ "fast", nb };
	ntabs[1] = (struct state_table){ "all", na };
	CHECK_INT(state_load(path, ntabs, 2, NULL, TEST_FP, &cause), -1);
	CHECK(test_has(cause, "window of detector fast changed"));
	free(cause);
	unlink(path);
	free(d0.p);
	free(d1.p);
	wtab_free(a);
	wtab_free(b);
	wtab_free(na);
	wtab_free(nb);
}

/*
 * Format 5: the incident trackers travel by rule name with the tables;
 * a file without them, other names, or a damaged tracker is refused, and
 * the tracker is left as it was.
 */
static void
test_incidents(void)
{
	struct incident_config ic = { 600000, 0, 2 };
	struct wtab_config cfg = test_config();
	struct wtab *t = wtab_new(&cfg), *nt = wtab_new(&cfg);
	struct incident *a = incident_new(&ic), *b = incident_new(&ic);
	struct incident *keep;
	const char *names[1] = { "err" }, *bad[1] = { "other" };
	struct state_incidents si = { names, &a, 1 }, sb = { names, &b, 1 };
	struct incident_info info;
	const char *path = test_path("det");
	unsigned char *p, *q, *buf;
	size_t plen, qlen, len;
	char *cause = NULL;
	FILE *fp;

	(void)incident_add(a, "C1", 2, 1000, INT64_MIN, &info);
	CHECK(incident_add(a, "C2", 2, 2000, 1000, &info) == INCIDENT_OPENED);
	CHECK_INT(state_save_all(path, TAB(t), &si, NULL, TEST_FP, &cause),
	    0);
	CHECK_INT(state_load_all(path, &(struct state_table){ "default", nt },
	    1, &sb, NULL, TEST_FP, &cause), 0);
	CHECK(incident_is_open(b));
	p = incident_export(a, &plen);
	q = incident_export(b, &qlen);
	CHECK(plen == qlen && memcmp(p, q, plen) == 0);
	free(q);
	/* Without trackers, or with other names: refused. */
	keep = incident_new(&ic);
	sb.inc = &keep;
	CHECK_INT(state_load(path, TAB(nt), NULL, TEST_FP, &cause), -1);
	CHECK(test_has(cause, "incident changed"));
	free(cause);
	sb.rules = bad;
	CHECK_INT(state_load_all(path, TAB(nt), &sb, NULL, TEST_FP, &cause),
	    -1);
	CHECK(test_has(cause, "incident trackers"));
	free(cause);
	CHECK(!incident_is_open(keep));
	/* A tracker's bytes damaged (CRC fixed): refused, keep untouched. */
	sb.rules = names;
	fp = fopen(path, "rb");
	if ((buf = malloc(65536)) == NULL)
		abort();
	len = fread(buf, 1, 65536, fp);
	fclose(fp);
	CHECK(len > plen + 4);
	buf[len - 4 - plen + 16] = 9;	/* window customers: 9 > 2 */
	test_fix(buf, len);
	test_spit(path, buf, len);
	CHECK_INT(state_load_all(path, TAB(nt), &sb, NULL, TEST_FP, &cause),
	    -1);
	CHECK(test_has(cause, "bad incident tracker"));
	free(cause);
	CHECK(!incident_is_open(keep));
	unlink(path);
	free(buf);
	free(p);
	incident_free(a);
	incident_free(b);
	incident_free(keep);
	wtab_free(t);
	wtab_free(nt);
}

int
main(void)
{
	snprintf(test_dir, sizeof(test_dir), "%s/test_state.XXXXXX",
	    getenv("TMPDIR") != NULL && strlen(getenv("TMPDIR")) < 32 ?
	    getenv("TMPDIR") : "/tmp");
	if (mkdtemp(test_dir) == NULL) {
		perror("mkdtemp");
		return 2;
	}
	test_missing();
	test_empty_roundtrip();
	test_roundtrip();
	test_idle_not_saved();
	test_halves();
	test_damage();
	test_mismatch();
	test_hostile();
	test_unwritable();
	test_fsize();
	test_replace();
	test_flood();
	test_flood_hostile();
	test_old_versions();
	test_detectors();
	test_incidents();
	CHECK_INT(test_strays(test_dir, NULL), 0);
	rmdir(test_dir);
	T_DONE();
}
