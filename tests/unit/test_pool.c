/*
 * test_pool: a lane hands out the lines a reader gives, in order, each
 * decided as one matcher on one thread decides it, with the same line
 * numbers and offsets; whatever the number of workers, the pieces the
 * source hands out, a source that says EAGAIN at random (a pipe, with
 * lane_nowait()), long lines skipped across chunk edges, CRLF, and a stop
 * part way (lane_stop_reading(), as a reload does) after which a second
 * lane on the same reader goes on where the first stopped.
 */
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "match.h"
#include "pool.h"
#include "reader.h"
#include "rules.h"
#include "t.h"

#define MAXLINE	300

static char tmpdir[] = "/tmp/cxw-pool-XXXXXX";

static const char rules_text[] =
    "[settings]\nwindow = 10m\nthreshold = 3\n"
    "[source web]\n"
    "match = ^(?<time>\\S+) (?<customer>\\S+) (?<what>\\S+) "
    "(?<status>\\d+)$\n"
    "time = iso8601\n"
    "[source chat]\nformat = logfmt\ncustomer = customer\ntime = ts\n"
    "timefmt = iso8601\n"
    "[rule fail]\nsource = web\nif = status >= 500\n"
    "[rule slow]\nsource = web\nmatch = /checkout\nif = status == 429\n"
    "[rule ok]\nsource = web\nif = status == 200\nif = what == /pay\n"
    "forgive = *\n"
    "[rule abandoned]\nsource = chat\nif = event == chat.abandoned\n";

static struct ruleset *
load(void)
{
	char *paths[1];
	struct ruleset *rs;
	struct diag d;
	FILE *fp;
	size_t i;

	paths[0] = (char *)"t.rules";
	if ((fp = fopen("t.rules", "w")) == NULL)
		return NULL;
	fputs(rules_text, fp);
	fclose(fp);
	diag_init(&d);
	rs = rules_load(paths, 1, NULL, &d);
	for (i = 0; i < d.nmsgs; i++)
		fprintf(stderr, "%s\n", d.msgs[i]);
	diag_free(&d);
	return rs;
}

/* A byte source over memory: random pieces, EAGAIN at random if asked. */
struct mem {
	const char	*p;
	size_t		 len, at;
	int		 eagain;
	unsigned	 seed;
};

static ssize_t
mem_fill(void *ctx, char *buf, size_t len)
{
	struct mem *m = ctx;
	size_t n;

	if (m->eagain && rand_r(&m->seed) % 3 == 0) {
		errno = EAGAIN;
		return -1;
	}
	if (m->at == m->len)
		return 0;
	n = 1 + (size_t)rand_r(&m->seed) % 5000;
	if (n > len)
		n = len;
	if (n > m->len - m->at)
		n = m->len - m->at;
	memcpy(buf, m->p + m->at, n);
	m->at += n;
	return (ssize_t)n;
}

static char *
gen(unsigned seed, size_t nlines, size_t *len)
{
	size_t cap = nlines * 400 + 64, o = 0, k;
	char *b = malloc(cap);
	unsigned r;
	size_t i;

	for (i = 0; i < nlines; i++) {
		r = (unsigned)rand_r(&seed);
		switch (r % 8) {
		case 0: case 1: case 2:
			o += (size_t)snprintf(b + o, cap - o,
			    "2026-11-21T10:%02u:%02u.%03uZ C%u %s %u",
			    r / 8 % 60, r / 480 % 60, r % 1000, r / 7 % 50,
			    r & 16 ? "/checkout" : "/pay",
			    (const unsigned[]){ 200, 429, 502, 503 }[r / 32 % 4]);
			break;
		case 3: case 4:
			o += (size_t)snprintf(b + o, cap - o,
			    "ts=2026-11-21T10:%02u:%02uZ customer=%sC%u "
			    "event=%s", r / 8 % 60, r / 480 % 60,
			    r & 64 ? "\"" : "", r / 7 % 50,
			    r & 32 ? "chat.abandoned" : "chat.ok");
			if (r & 64)
				b[o++] = ' ';	/* an unterminated quote */
			break;
		case 5:
			/* Longer than MAXLINE: skipped whole. */
			for (k = 0; k < MAXLINE + 1 + r % 64; k++)
				b[o++] = 'x';
			break;
		case 6:
			break;			/* empty */
		default:
			o += (size_t)snprintf(b + o, cap - o, "junk %u", r);
			break;
		}
		if (r & 128)
			b[o++] = '\r';
		if (i + 1 < nlines || r % 2)
			b[o++] = '\n';
	}
	*len = o;
	return b;
}

/* What the reference, one matcher on this thread, gives for a line. */
struct ref {
	char		*line;
	size_t		 len;
	uint64_t	 lineno, prev, prevlines;
	int		 held;
	int64_t		 time;
	struct match	 m;
	char		 cust[300];
};

static struct ref *
reference(const struct ruleset *rs, const char *in, size_t inlen,
    int order, size_t *n, uint64_t *endoff)
{
	struct mem mm = { in, inlen, 0, 0, 7 };
	struct matcher *mt = matcher_new(rs, 0, MAXLINE);
	struct claim *cl = claim_new(rs);
	struct reader *r = reader_new(mem_fill, &mm, MAXLINE);
	struct ref *v = NULL;
	size_t cap = 0;
	const char *line;
	size_t len;
	uint64_t lines;

	*n = 0;
	for (;;) {
		if (*n == cap)
			v = realloc(v, (cap = cap ? 2 * cap : 1024) *
			    sizeof(*v));
		v[*n].prev = reader_offset(r, &v[*n].prevlines);
		if (reader_next(r, &line, &len) != 1)
			break;
		v[*n].line = malloc(len + 1);
		if (len > 0)
			memcpy(v[*n].line, line, len);
		v[*n].len = len;
		v[*n].lineno = reader_lineno(r);
		(void)matcher_claim(mt, cl, -1, line, len, 0, order);
		v[*n].held = cl->source >= 0 && cl->timeok;
		v[*n].time = cl->time;
		matcher_decide(mt, cl, line, len, &v[*n].m);
		if (v[*n].m.status == MATCH_EVENT)
			memcpy(v[*n].cust, v[*n].m.customer,
			    v[*n].m.customerlen);
		(*n)++;
	}
	*endoff = reader_offset(r, &lines);
	reader_free(r);
	claim_free(cl);
	matcher_free(mt);
	return v;
}

/*
 * offsets: compare prev too. A source that says EAGAIN may stop the
 * reader just after a long line it skipped, so that the offset before
 * the next line includes it: right, but not the reference's.
 */
static int
same(const struct ref *a, const struct pline *b, int offsets)
{
	if (a->len != b->len || (a->len > 0 &&
	    memcmp(a->line, b->line, a->len) != 0) ||
	    a->lineno != b->lineno || (offsets && (a->prev != b->prev ||
	    a->prevlines != b->prevlines)) || a->held != b->held ||
	    a->m.status != b->m.status || a->m.source != b->m.source ||
	    a->m.rule != b->m.rule || a->m.limits != b->m.limits)
		return 0;
	if (a->held && a->time != b->time)
		return 0;
	if (a->m.status == MATCH_EVENT && (a->m.time != b->m.time ||
	    a->m.customerlen != b->m.customerlen ||
	    memcmp(a->cust, b->m.customer, a->m.customerlen) != 0))
		return 0;
	return 1;
}

/*
 * One run: nw workers, order, EAGAIN or not; stop after `stop` lines
 * (0: never) and go on with a second lane.
 */
static void
one(const struct ruleset *rs, unsigned seed, unsigned nw, int order,
    int eagain, size_t stop)
{
	size_t inlen, nref, i = 0, k;
	char *in = gen(seed, 3000 + seed % 5000, &inlen);
	uint64_t endoff, off, lines;
	struct ref *ref = reference(rs, in, inlen, order, &nref, &endoff);
	struct mem mm = { in, inlen, 0, eagain, seed };
	struct reader *r = reader_new(mem_fill, &mm, MAXLINE);
	struct pool *p;
	struct lane *l;
	struct pline *pl;
	char *cause = NULL;
	int rc, bad = 0, offbad = 0, lanes = 0;

	p = pool_new(rs, nw, 0, MAXLINE, &cause);
	CHECK(p != NULL);
	if (p == NULL)
		return;
	l = lane_new(p, r, -1, order);
	lane_nowait(l, eagain);
	for (;;) {
		if (stop > 0 && i == stop && lanes == 0) {
			/* A reload: what was read is handed out, then anew. */
			lane_stop_reading(l);
			while ((rc = lane_next(l, &pl)) == 1) {
				if (i >= nref || !same(&ref[i], pl, !eagain))
					bad++;
				i++;
			}
			CHECK_INT(rc, 0);
			off = lane_offset(l, &lines);
			if (!eagain && i < nref && (off != ref[i].prev ||
			    lines != ref[i].prevlines))
				offbad++;
			lane_free(l);
			l = lane_new(p, r, -1, order);
			lane_nowait(l, eagain);
			lanes++;
		}
		if ((rc = lane_next(l, &pl)) == -1 && errno == EAGAIN) {
			sched_yield();
			continue;
		}
		if (rc != 1)
			break;
		if (i >= nref || !same(&ref[i], pl, !eagain)) {
			if (bad++ == 0 && i < nref)
				fprintf(stderr, "seed %u line %zu: \"%.*s\" "
				    "lineno %llu/%llu status %d/%d rule %d/%d "
				    "held %d/%d time %lld/%lld prev %llu/%llu "
				    "%llu/%llu len %zu/%zu\n", seed, i,
				    (int)pl->len, pl->line,
				    (unsigned long long)ref[i].lineno,
				    (unsigned long long)pl->lineno,
				    ref[i].m.status, pl->m.status,
				    ref[i].m.rule, pl->m.rule, ref[i].held,
				    pl->held, (long long)ref[i].time,
				    (long long)pl->time,
				    (unsigned long long)ref[i].prev,
				    (unsigned long long)pl->prev,
				    (unsigned long long)ref[i].prevlines,
				    (unsigned long long)pl->prevlines,
				    ref[i].len, pl->len);
		}
		i++;
		/* Where the lines handed out end: before the next one. */
		if (!eagain && i % 97 == 0 && i < nref) {
			off = lane_offset(l, &lines);
			if (off != ref[i].prev || lines != ref[i].prevlines)
				offbad++;
		}
	}
	CHECK_INT(rc, 0);
	CHECK_INT(i, nref);
	CHECK_INT(bad, 0);
	CHECK_INT(offbad, 0);
	CHECK_INT(lane_offset(l, &lines), endoff);
	lane_free(l);
	pool_free(p);
	reader_free(r);
	for (k = 0; k < nref; k++)
		free(ref[k].line);
	free(ref);
	free(in);
}

int
main(void)
{
	struct ruleset *rs;
	unsigned s;

	if (mkdtemp(tmpdir) == NULL || chdir(tmpdir) == -1)
		return 1;
	rs = load();
	CHECK(rs != NULL);
	if (rs == NULL)
		T_DONE();
	for (s = 1; s <= 24; s++)
		one(rs, s, 1 + s % 4, s % 2, s % 3 == 0,
		    s % 4 == 0 ? 100 * s : 0);
	rules_free(rs);
	unlink("t.rules");
	rmdir(tmpdir);
	T_DONE();
}
