/*
 * pool: claim and decide lines on worker threads, hand them back in
 * order. See pool.h.
 *
 * A lane is a ring of chunks. A chunk is a copy of consecutive lines (one
 * buffer, a struct pline each) and, once a worker has decided them, what
 * the decisions point to: the events' customers, copied, and the limits
 * hit. A chunk is FREE (the caller's thread may fill it), QUEUED (in the
 * pool's queue, or being decided), or DONE (the caller hands its lines
 * out). The caller's thread fills every FREE chunk of the ring as soon as
 * one is released, so the workers always have the next chunks while the
 * caller applies one.
 *
 * One mutex guards the queue and the chunk states; workers wait on
 * `work`, the caller on `done`. A chunk's contents belong to whoever its
 * state says, so they need no lock: the caller's before QUEUED and from
 * DONE, a worker's in between.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "match.h"
#include "pool.h"
#include "privacy.h"
#include "reader.h"
#include "rules.h"
#include "tparse.h"
#include "xmalloc.h"

#define LANE_LINES	2048		/* lines per chunk, at most */
#define LANE_BYTES	(256 * 1024)	/* bytes per chunk, unless one line
					   is longer */
#define LANE_MINDEPTH	3		/* chunks per lane, at least */
#define POOL_NOEV	UINT32_MAX	/* eoff: no redacted copy */

enum chunk_state {
	CHUNK_FREE,
	CHUNK_QUEUED,
	CHUNK_DONE
};

struct chunk {
	struct lane		*lane;
	enum chunk_state	 state;
	struct chunk		*qnext;		/* the pool's queue */
	char			*buf;		/* the lines, back to back */
	size_t			 used, cap;
	struct pline		*ln;		/* [LANE_LINES] */
	size_t			 n;
	char			*arena;		/* customers of events */
	size_t			 aused, acap;
	uint32_t		*coff;		/* [LANE_LINES] into arena */
	uint32_t		*eoff;		/* [LANE_LINES]: the redacted
						   line's, or POOL_NOEV */
	uint32_t		*lim;		/* limits hit, all lines' */
	size_t			 nlim, limcap;
	uint32_t		*loff;		/* [LANE_LINES] into lim */
};

struct lane {
	struct pool		*p;
	struct reader		*r;
	int			 forced;
	int			 order;
	struct chunk		*ring;		/* [depth] */
	size_t			 depth;
	size_t			 head;		/* the chunk handed out next */
	size_t			 nbusy;		/* QUEUED or DONE, from head */
	size_t			 cur;		/* in the head chunk */
	int			 rc;		/* the reader's last 0 or -1 */
	int			 err;		/* its errno */
	int			 ended;		/* rc is final */
	int			 again;		/* EAGAIN in this call */
	int			 nowait;	/* lane_nowait() */
	int			 headdone;	/* the head chunk is DONE, seen
					   under the lock */
	/* A line read that the chunk being filled had no room for. */
	const char		*pline;
	size_t			 plen;
	uint64_t		 plineno, pprev, pprevlines;
	int			 pending;
	int			 open;		/* the chunk after the busy ones
					   holds lines not queued yet */
};

struct worker {
	struct pool		*p;
	pthread_t		 th;
	struct matcher		*mt;
	struct claim		*cl;
	struct privacy		*pv;		/* NULL: nothing to let out */
	uint64_t		*cnt;		/* [nsources + nrules] limits */
	uint64_t		*seen;		/* cnt as last looked at */
};

struct pool {
	const struct ruleset	*rs;
	int			 simple;
	int			 redact;	/* evidence lines are kept */
	int			 wallclock;	/* a source has time = none */
	pthread_mutex_t		 mu;
	pthread_cond_t		 work;
	pthread_cond_t		 done;
	struct chunk		*qhead, *qtail;
	int			 quit;
	struct worker		*w;
	unsigned		 nw;
	unsigned		 nlanes;	/* lanes now */
	void			(*notify)(void *);
	void			*notify_arg;
};

/* As engine.c's clock: the time "time = none" sources take. */
static int64_t
pool_now(const struct pool *p)
{
	struct timespec ts;

	if (!p->wallclock)
		return 0;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The limits counters that line moved since the last look, into c. */
static void
pool_limits(struct worker *w, struct chunk *c)
{
	size_t i, n = w->p->rs->nsources + w->p->rs->nrules;

	for (i = 0; i < n; i++) {
		if (w->cnt[i] == w->seen[i])
			continue;
		w->seen[i] = w->cnt[i];
		if (c->nlim == c->limcap) {
			c->limcap = c->limcap == 0 ? 16 : 2 * c->limcap;
			c->lim = xreallocarray(c->lim, c->limcap,
			    sizeof(*c->lim));
		}
		c->lim[c->nlim++] = (uint32_t)i;
	}
}

/* Copy p[0..n) to the end of c's arena. */
static void
pool_keep(struct chunk *c, const char *p, size_t n)
{
	if (c->aused + n > c->acap) {
		c->acap = c->acap == 0 ? 4096 : 2 * c->acap;
		if (c->acap < c->aused + n)
			c->acap = c->aused + n;
		c->arena = xreallocarray(c->arena, c->acap, 1);
	}
	memcpy(c->arena + c->aused, p, n);
	c->aused += n;
}

/*
 * cxwatch.rules(5), Privacy, on the worker: line i's event with its
 * customer's pseudonym, and its line redacted when evidence is kept
 * (into the arena when it changed; m.evline is the line itself when it
 * did not). What engine_line_decided() would do, done here.
 */
static void
pool_private(struct worker *w, struct chunk *c, size_t i)
{
	struct pline *pl = &c->ln[i];
	const struct match *pm;
	struct match tmp;
	const char *ev;
	uint64_t fired;
	size_t evlen;

	pm = privacy_pseudonymize(w->pv, &pl->m, &tmp);
	if (w->p->redact && !w->p->rs->rules[pm->rule].forgiving) {
		evlen = privacy_redact(w->pv, pm, pl->line, pl->len, pl->line,
		    pl->len, &ev, &fired);
		/* Past what the arena's offsets hold: the engine does it. */
		if (ev != pl->line && (evlen >= POOL_NOEV ||
		    c->aused + evlen + pm->customerlen >= POOL_NOEV))
			return;
		tmp = *pm;
		tmp.evfired = fired;
		tmp.evlen = evlen;
		tmp.evline = pl->line;
		if (ev != pl->line) {
			c->eoff[i] = (uint32_t)c->aused;
			pool_keep(c, ev, evlen);
			tmp.evline = NULL;	/* set from eoff */
		}
		pl->m = tmp;
	} else if (pm != &pl->m)
		pl->m = *pm;
}

/*
 * Decide c's lines as engine_line() (order 0) or a merge's
 * engine_claim() then engine_line_claimed() (order 1) would.
 */
static void
pool_decide(struct worker *w, struct chunk *c)
{
	struct pool *p = w->p;
	struct lane *l = c->lane;
	struct claim *cl = w->cl;
	struct pline *pl;
	size_t i;
	int s;

	c->aused = 0;
	c->nlim = 0;
	for (i = 0; i < c->n; i++) {
		pl = &c->ln[i];
		(void)matcher_claim(w->mt, cl, l->forced, pl->line, pl->len,
		    pool_now(p), l->order);
		pl->held = cl->source >= 0 && cl->timeok;
		pl->time = cl->time;
		/* --no-prefilter takes nothing from before, as the engine. */
		if (p->simple && l->order && (s = cl->source) >= 0)
			(void)matcher_claim(w->mt, cl, s, pl->line, pl->len,
			    pool_now(p), 1);
		matcher_decide(w->mt, cl, pl->line, pl->len, &pl->m);
		pl->m.claim = NULL;
		pl->m.timestr = NULL;
		pl->m.timelen = 0;
		c->loff[i] = (uint32_t)c->nlim;
		if (pl->m.limits > 0)
			pool_limits(w, c);
		pl->nlim = c->nlim - c->loff[i];
		c->eoff[i] = POOL_NOEV;
		if (pl->m.status != MATCH_EVENT) {
			pl->m.customer = NULL;
			pl->m.customerlen = 0;
			continue;
		}
		if (w->pv != NULL)
			pool_private(w, c, i);
		pool_keep(c, pl->m.customer, pl->m.customerlen);
		c->coff[i] = (uint32_t)(c->aused - pl->m.customerlen);
	}
	/* The arrays may have moved while they grew. */
	for (i = 0; i < c->n; i++) {
		pl = &c->ln[i];
		if (pl->m.status == MATCH_EVENT)
			pl->m.customer = c->arena + c->coff[i];
		if (c->eoff[i] != POOL_NOEV)
			pl->m.evline = c->arena + c->eoff[i];
		pl->lim = pl->nlim > 0 ? c->lim + c->loff[i] : NULL;
	}
}

static void *
pool_work(void *arg)
{
	struct worker *w = arg;
	struct pool *p = w->p;
	struct chunk *c;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (p->qhead == NULL && !p->quit)
			pthread_cond_wait(&p->work, &p->mu);
		if (p->qhead == NULL)
			break;
		c = p->qhead;
		if ((p->qhead = c->qnext) == NULL)
			p->qtail = NULL;
		pthread_mutex_unlock(&p->mu);
		pool_decide(w, c);
		pthread_mutex_lock(&p->mu);
		c->state = CHUNK_DONE;
		pthread_cond_broadcast(&p->done);
		if (p->notify != NULL) {
			pthread_mutex_unlock(&p->mu);
			p->notify(p->notify_arg);
			pthread_mutex_lock(&p->mu);
		}
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

struct pool *
pool_new(const struct ruleset *rs, unsigned nworkers, int simple,
    size_t maxline, char **cause)
{
	struct pool *p;
	struct worker *w;
	size_t i, n = rs->nsources + rs->nrules;
	int rc;

	p = xcalloc(1, sizeof(*p));
	p->rs = rs;
	p->simple = simple;
	for (i = 0; i < rs->nsources; i++)
		if (rs->sources[i].time.kind == TP_NONE)
			p->wallclock = 1;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->done, NULL);
	p->w = xcalloc(nworkers, sizeof(*p->w));
	for (p->nw = 0; p->nw < nworkers; p->nw++) {
		w = &p->w[p->nw];
		w->p = p;
		w->mt = matcher_new(rs, simple, maxline);
		w->cl = claim_new(rs);
		w->cnt = xcalloc(n, sizeof(*w->cnt));
		w->seen = xcalloc(n, sizeof(*w->seen));
		matcher_counters(w->mt, w->cnt, w->cnt + rs->nsources);
		if ((rc = pthread_create(&w->th, NULL, pool_work, w)) != 0) {
			*cause = xasprintf("cannot start a thread: %s",
			    strerror(rc));
			matcher_free(w->mt);
			claim_free(w->cl);
			free(w->cnt);
			free(w->seen);
			pool_free(p);
			return NULL;
		}
	}
	return p;
}

void
pool_privacy(struct pool *p, const struct pseudonym *key, int redact)
{
	unsigned i;

	pthread_mutex_lock(&p->mu);
	p->redact = redact;
	for (i = 0; i < p->nw; i++) {
		privacy_free(p->w[i].pv);
		p->w[i].pv = privacy_new(p->rs, key, p->simple);
	}
	pthread_mutex_unlock(&p->mu);
}

void
pool_free(struct pool *p)
{
	struct worker *w;
	unsigned i;

	if (p == NULL)
		return;
	pthread_mutex_lock(&p->mu);
	p->quit = 1;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->mu);
	for (i = 0; i < p->nw; i++) {
		w = &p->w[i];
		pthread_join(w->th, NULL);
		privacy_free(w->pv);
		matcher_free(w->mt);
		claim_free(w->cl);
		free(w->cnt);
		free(w->seen);
	}
	free(p->w);
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->done);
	pthread_mutex_destroy(&p->mu);
	free(p);
}

void
pool_notify(struct pool *p, void (*fn)(void *), void *arg)
{
	pthread_mutex_lock(&p->mu);
	p->notify = fn;
	p->notify_arg = arg;
	pthread_mutex_unlock(&p->mu);
}

struct lane *
lane_new(struct pool *p, struct reader *r, int forced, int order)
{
	struct lane *l;
	struct chunk *c;
	size_t i;

	l = xcalloc(1, sizeof(*l));
	l->p = p;
	l->r = r;
	l->forced = forced;
	l->order = order;
	/*
	 * Enough chunks for every worker to have one while this lane's head
	 * is handed out; with many lanes at once (a merge), fewer each.
	 */
	pthread_mutex_lock(&p->mu);
	p->nlanes++;
	l->depth = (2 * (size_t)p->nw + 2) / p->nlanes;
	pthread_mutex_unlock(&p->mu);
	if (l->depth < LANE_MINDEPTH)
		l->depth = LANE_MINDEPTH;
	l->ring = xcalloc(l->depth, sizeof(*l->ring));
	for (i = 0; i < l->depth; i++) {
		c = &l->ring[i];
		c->lane = l;
		c->ln = xcalloc(LANE_LINES, sizeof(*c->ln));
		c->coff = xcalloc(LANE_LINES, sizeof(*c->coff));
		c->eoff = xcalloc(LANE_LINES, sizeof(*c->eoff));
		c->loff = xcalloc(LANE_LINES, sizeof(*c->loff));
	}
	return l;
}

/* Wait until no chunk of l is with the workers. */
static void
lane_quiesce(struct lane *l)
{
	struct pool *p = l->p;
	size_t i;

	pthread_mutex_lock(&p->mu);
	for (i = 0; i < l->depth; i++)
		while (l->ring[i].state == CHUNK_QUEUED)
			pthread_cond_wait(&p->done, &p->mu);
	pthread_mutex_unlock(&p->mu);
}

void
lane_free(struct lane *l)
{
	struct chunk *c;
	size_t i;

	if (l == NULL)
		return;
	lane_quiesce(l);
	pthread_mutex_lock(&l->p->mu);
	l->p->nlanes--;
	pthread_mutex_unlock(&l->p->mu);
	for (i = 0; i < l->depth; i++) {
		c = &l->ring[i];
		free(c->buf);
		free(c->ln);
		free(c->arena);
		free(c->coff);
		free(c->eoff);
		free(c->lim);
		free(c->loff);
	}
	free(l->ring);
	free(l);
}

/* Copy a line into c; 0, or -1 when c has no room for it. */
static int
lane_put(struct chunk *c, const char *line, size_t len, uint64_t lineno,
    uint64_t prev, uint64_t prevlines)
{
	struct pline *pl;

	if (c->n == LANE_LINES || (c->n > 0 && c->used + len > c->cap))
		return -1;
	if (c->n == 0 && len > c->cap) {
		/* Only while empty, so that no line in it moves. */
		free(c->buf);
		c->cap = len > LANE_BYTES ? len : LANE_BYTES;
		c->buf = xmalloc(c->cap);
	}
	pl = &c->ln[c->n++];
	if (len > 0)
		memcpy(c->buf + c->used, line, len);
	pl->line = c->buf + c->used;
	pl->len = len;
	pl->lineno = lineno;
	pl->prev = prev;
	pl->prevlines = prevlines;
	c->used += len;
	return 0;
}

static void
lane_queue(struct lane *l, struct chunk *c)
{
	struct pool *p = l->p;

	pthread_mutex_lock(&p->mu);
	c->state = CHUNK_QUEUED;
	c->qnext = NULL;
	if (p->qtail != NULL)
		p->qtail->qnext = c;
	else
		p->qhead = c;
	p->qtail = c;
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->mu);
	l->nbusy++;
}

/*
 * Fill l's free chunks from its reader and queue them: each when full,
 * the last also when the reader ends, or has nothing yet while a worker
 * is idle. While every worker has a chunk, a chunk that the reader left
 * part full stays open, to be filled on at the next call: its lines
 * would wait for the workers anyway, and chunks stay large when a pipe
 * hands out a little at a time.
 */
static void
lane_fill(struct lane *l)
{
	struct chunk *c;
	const char *line;
	size_t len;
	uint64_t prev, prevlines;
	int rc;

	while (l->nbusy < l->depth) {
		c = &l->ring[(l->head + l->nbusy) % l->depth];
		if (!l->open)
			c->n = c->used = 0;
		l->open = 1;
		if (l->pending && lane_put(c, l->pline, l->plen, l->plineno,
		    l->pprev, l->pprevlines) == 0)
			l->pending = 0;
		while (!l->ended && !l->again && !l->pending) {
			prev = reader_offset(l->r, &prevlines);
			if ((rc = reader_next(l->r, &line, &len)) != 1) {
				if (rc == -1 && errno == EAGAIN) {
					l->again = 1;
					break;
				}
				l->rc = rc;
				l->err = errno;
				l->ended = 1;
				break;
			}
			if (lane_put(c, line, len, reader_lineno(l->r), prev,
			    prevlines) == -1) {
				/* Valid until the next reader_next(). */
				l->pline = line;
				l->plen = len;
				l->plineno = reader_lineno(l->r);
				l->pprev = prev;
				l->pprevlines = prevlines;
				l->pending = 1;
			}
		}
		if (c->n == 0) {
			l->open = 0;
			return;
		}
		if (!l->pending && !l->ended && l->nbusy >= l->p->nw)
			return;		/* stays open */
		l->open = 0;
		lane_queue(l, c);
		if (!l->pending && (l->again || l->ended))
			return;
	}
}

/* c's lines are decided: a worker has let go of it. */
static int
lane_done(struct chunk *c)
{
	struct pool *p = c->lane->p;
	int done;

	pthread_mutex_lock(&p->mu);
	done = c->state == CHUNK_DONE;
	pthread_mutex_unlock(&p->mu);
	return done;
}

int
lane_next(struct lane *l, struct pline **pl)
{
	struct pool *p = l->p;
	struct chunk *c;

	l->again = 0;
	for (;;) {
		if (l->nbusy > 0) {
			c = &l->ring[l->head];
			if (l->headdone || (l->headdone = lane_done(c))) {
				if (l->cur < c->n) {
					*pl = &c->ln[l->cur++];
					return 1;
				}
				/* Released: read on into it at once. */
				c->state = CHUNK_FREE;
				l->headdone = 0;
				l->head = (l->head + 1) % l->depth;
				l->nbusy--;
				l->cur = 0;
				lane_fill(l);
				continue;
			}
		}
		lane_fill(l);
		if (l->nbusy == 0) {
			if (l->again) {
				errno = EAGAIN;
				return -1;
			}
			errno = l->err;
			return l->rc;
		}
		c = &l->ring[l->head];
		if (l->nowait && !lane_done(c)) {
			errno = EAGAIN;
			return -1;
		}
		pthread_mutex_lock(&p->mu);
		while (c->state != CHUNK_DONE)
			pthread_cond_wait(&p->done, &p->mu);
		pthread_mutex_unlock(&p->mu);
		l->headdone = 1;
	}
}

void
lane_nowait(struct lane *l, int on)
{
	l->nowait = on;
}

int
lane_reading(const struct lane *l)
{
	return !l->ended && l->nbusy < l->depth;
}

void
lane_stop_reading(struct lane *l)
{
	l->nowait = 0;
	if (!l->ended) {
		l->ended = 1;
		l->rc = 0;
		l->err = 0;
	}
}

uint64_t
lane_offset(const struct lane *l, uint64_t *lines)
{
	const struct chunk *c;

	if (l->nbusy > 0) {
		c = &l->ring[l->head];
		if (l->cur < c->n) {
			*lines = c->ln[l->cur].prevlines;
			return c->ln[l->cur].prev;
		}
		if (l->nbusy > 1) {
			c = &l->ring[(l->head + 1) % l->depth];
			*lines = c->ln[0].prevlines;
			return c->ln[0].prev;
		}
	}
	if (l->open && l->nbusy < l->depth) {
		c = &l->ring[(l->head + l->nbusy) % l->depth];
		if (c->n > 0) {
			*lines = c->ln[0].prevlines;
			return c->ln[0].prev;
		}
	}
	if (l->pending) {
		*lines = l->pprevlines;
		return l->pprev;
	}
	return reader_offset(l->r, lines);
}
