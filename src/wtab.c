/*
 * wtab: per-customer sliding windows and the alert decision,
 * cxwatch.rules(5) semantics 4-6 and Forgiveness, for one detector. See
 * wtab.h for the contract.
 *
 * Customers live in a slab (t->cust) and are named by their uint32 index
 * there. Four structures thread through the slab by index:
 *  - the hash index: open addressing with linear probing over a power of
 *    two array of slab index + 1 (0: empty), load <= 0.7, deletion by
 *    backward shift, so there are no tombstones;
 *  - the LRU list, head most recently passed to wtab_add() or
 *    wtab_forgive(), for max_customers eviction and for the budget, with
 *    a cursor t->evcold: no customer less recently used than it holds an
 *    evidence line (WTAB_NONE: none at all). Finding the least recently
 *    active customer that holds lines moves the cursor towards the head,
 *    past customers that hold none, and a customer passed over is passed
 *    again only after it has been used (moved to the head), so the walk
 *    costs O(1) amortised per wtab_add() or wtab_forgive();
 *  - a min-heap of lower bounds of each customer's idle time
 *    max(now + window, suppressed_until). A customer's idle time only
 *    grows while it is tracked, so the bound is refreshed lazily, when it
 *    reaches T; adding to a known customer never touches the heap;
 *  - the free list of slab entries, through next.
 *
 * A customer's window (c->win) is one of four things:
 *  - 0: empty;
 *  - a single event packed into the word itself (low bit set), with no
 *    evidence line: when no evidence is kept, or the budget dropped its
 *    line, and the event is at most 2^31 - 1 ms older than the customer's
 *    now (always so for a new customer);
 *  - a single event with its evidence line: a struct wtab_solo, tagged
 *    with bit 1, holding the packed word and the line (on the same terms);
 *  - a struct wtab_win: one allocation holding the header, per-channel
 *    counts (only when the channels rule is on), a ring of events sorted
 *    by time, equal times in arrival order, and the line area. The line
 *    area holds the evidence line records, back to back with no padding:
 *    u32 length, u32 source, then the bytes, or for lines over
 *    WTAB_LINEINL a pointer to a copy of their own. Records of events that
 *    lost their evidence are dead; when a new one does not fit, the live
 *    ones are packed to the front (through t->scratch) and the area is
 *    resized to 2 * live + new bytes when it is smaller or more than four
 *    times that, so packing costs O(1) a byte appended. Windows are
 *    released when emptied; small ones wait in t->cache. A window has
 *    lines to give up when lineused > 0 (the records may all be dead).
 *
 * The budget (wtab.h) counts WTAB_LINECOST(length) for each line held, in
 * a window's record or a solo: charged when the line is kept, released
 * when it loses it. What it does not count, the room and dead records of
 * line areas, is at most about as much again for a customer with several
 * lines, and nothing for one with one. A customer whose lines are
 * dropped keeps every event; its line area is freed, and a window of one
 * event goes back to the packed word.
 *
 * The ring keeps at most t->ringmax = max(WTAB_RINGMAX, evidence) events.
 * An event that would make it longer folds the oldest one (the new event
 * itself if it is older than the whole ring) into the window's fold
 * (t->fold[w->fold - 1]): a score, a count, a channel mask and groups of
 * (rule, weight, channel) counts. The fold leaves the window, all at
 * once, when its newest event (fold->last) would. While the fold is
 * there, every ring event is newer than fold->last, so none has left and
 * the ring is full: the score is at least ringmax, and decisions are
 * exact whenever threshold <= ringmax.
 *
 * Memory per tracked customer: a 64-byte slab entry, 12 bytes of heap
 * and 4 / load (5.7 to 11.4) bytes of index; keys over 14 bytes add their
 * own allocation. A one-event window with no evidence line adds nothing,
 * one with its line a 16-byte solo header and the line. A window adds
 * 24 bytes, 2 per channel when the channels rule is on
 * (rounded up to 8), 16 per ring place (a power of two >= its events,
 * at most ringmax rounded up) and its line area, plus 32 bytes and 24 per
 * group while something is folded.
 *
 * Invariants:
 *  - every idle customer is freed at the start of wtab_add() and
 *    wtab_forgive(), so a lookup never finds one, and "idle is absent"
 *    (semantics 6) holds whether or not anyone calls wtab_sweep();
 *  - in a window, no event but the newest min(n, evidence) ring events
 *    holds an evidence line, and each of those does unless the budget
 *    dropped it. Events leave only from the old end or all at once, so
 *    an event that lost its line never needs it back;
 *  - a fold is present only with a full ring, and fold->last <= the time
 *    of every ring event;
 *  - every ring event, and the fold's newest, has time > now - W
 *    (wtab_add() expires the window before it inserts; wtab_forgive(),
 *    the only other thing that moves now, removes every event up to the
 *    new now) and time > forgiven_until (wtab_forgive() removes those up
 *    to it, and wtab_add() drops any that come later);
 *  - forgiven_until <= now: wtab_forgive() raises both to its time.
 */
#include <sys/random.h>

#include <assert.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wtab.h"
#include "xmalloc.h"

#define WTAB_NONE	UINT32_MAX	/* no customer */
#define WTAB_NOLINE	UINT32_MAX	/* event holds no evidence line */
#define WTAB_KEYINL	14		/* longer keys get their own buffer */
#define WTAB_MINCAP	64		/* smallest slab */
#define WTAB_MAXCUST	((size_t)1 << 30)	/* keeps the index in uint32 */
#define WTAB_NCACHE	64		/* emptied windows kept for reuse */
#define WTAB_CACHEMAX	1024		/* ... when this small, bytes */
#define WTAB_LINEINL	4096		/* longer lines get their own buffer */
#define WTAB_LINEHEAD	8		/* u32 length, u32 source */
#define WTAB_DELTAMAX	(((int64_t)1 << 31) - 1)	/* packed: now - time */
#define WTAB_TMAX	((int64_t)1 << 62)
#define WTAB_FOLDMAX	((uint64_t)1 << 53)	/* folded events restored */
#define WTAB_SOLO	2		/* c->win tag of a struct wtab_solo */

struct wtab_ev {
	int64_t		time;
	uint32_t	line;		/* line record offset or WTAB_NOLINE */
	uint16_t	rule;
	uint16_t	wch;		/* weight << 6 | channel */
};

/*
 * Followed in the same allocation by uint16_t chcount[nchannels] (when
 * channels > 0), struct wtab_ev ring[1 << capshift] at t->evoff, and the
 * line area of linecap bytes.
 */
struct wtab_win {
	uint32_t	score;		/* of the ring's events */
	uint32_t	linecap;
	uint32_t	lineused;
	uint32_t	fold;		/* 1 + index in t->fold; 0: none */
	uint16_t	n;		/* events in the ring, <= ringmax */
	uint16_t	head;		/* ring index of the oldest event */
	uint8_t		capshift;
	uint8_t		nch;		/* channels in the ring or the fold */
	uint8_t		haslong;	/* a line over WTAB_LINEINL was kept */
};

/* Folded events of one rule, weight and channel. */
struct wtab_group {
	int64_t		first;		/* the oldest of them */
	uint64_t	n;
	uint16_t	rule;
	uint16_t	wch;
};

struct wtab_fold {
	int64_t		 first;		/* oldest folded event */
	int64_t		 last;		/* newest: the fold leaves with it */
	uint64_t	 score;
	uint64_t	 n;
	uint64_t	 chmask;
	struct wtab_group *group;
	uint32_t	 ngroup;
	uint32_t	 capgroup;
	uint32_t	 hit;		/* the group used last */
	uint32_t	 next;		/* free list */
};

/* One event and its line: c->win when that is all a customer has. */
struct wtab_solo {
	uint64_t	 ev;		/* packed as c->win would be */
	uint32_t	 len;
	uint32_t	 source;
	/* the line's bytes follow */
};

/* Tables that share a bound; wtab.h. */
struct wtab_budget {
	size_t		 limit;
	size_t		 used;
	size_t		 peak;
	struct wtab	**tab;
	size_t		 ntab;
	size_t		 captab;
};

struct wtab_cust {
	uint32_t	 hash;
	uint32_t	 heappos;
	uint32_t	 prev;		/* LRU: more recently used */
	uint32_t	 next;		/* LRU: less recently used; free list */
	uint16_t	 keylen;	/* 0: entry is free */
	char		 key[WTAB_KEYINL];	/* or a char * to the key */
	int64_t		 now;
	int64_t		 supp;		/* suppressed_until */
	int64_t		 forgiven;	/* forgiven_until */
	uint64_t	 win;		/* 0, a packed event, a wtab_solo *
					   | WTAB_SOLO or a wtab_win * */
};

struct wtab_line {
	char		*buf;
	size_t		 cap;
};

struct wtab {
	struct wtab_config cfg;
	uint64_t	 seed;		/* per table: ids are attacker-chosen */
	struct wtab_stats st;
	int64_t		 latest;	/* T of semantics 6 */
	struct wtab_cust *cust;
	uint32_t	 ncust;
	uint32_t	 custcap;
	uint32_t	 custused;	/* entries ever handed out */
	uint32_t	 freecust;
	uint32_t	 lruhead;
	uint32_t	 lrutail;
	uint32_t	 evcold;	/* LRU cursor: see the top */
	uint32_t	*index;
	uint32_t	 indexmask;
	int64_t		*hkey;		/* heap: idle time lower bounds */
	uint32_t	*hcust;		/* heap: their customers */
	uint32_t	 nheap;
	size_t		 evoff;		/* window layout */
	unsigned	 ringmax;	/* events a ring keeps */
	struct wtab_win	*cache[WTAB_NCACHE];
	unsigned	 ncache;
	struct wtab_fold *fold;
	uint32_t	 nfold;		/* entries ever handed out */
	uint32_t	 capfold;
	uint32_t	 freefold;
	char		*scratch;	/* line area packing */
	size_t		 scratchcap;
	unsigned	*rulecount;	/* walert scratch */
	struct wtab_evidence *evidence;
	struct wtab_line *lines;
};

_Static_assert(WTAB_KEYINL >= sizeof(char *), "long key pointer fits");
_Static_assert(WTAB_MAXCHANNELS <= UINT8_MAX, "nch fits");
_Static_assert(sizeof(struct wtab_ev) == 16, "ring places are small");
_Static_assert(sizeof(struct wtab_win) == 24, "window header is small");
_Static_assert(sizeof(struct wtab_cust) == 64, "a customer is a cache line");
_Static_assert(sizeof(struct wtab_solo) == 16, "a solo's header is small");
_Static_assert(WTAB_LINECOST(0) == WTAB_LINEHEAD, "a line costs its record");
_Static_assert(_Alignof(max_align_t) > WTAB_SOLO, "malloc leaves bit 1 free");
_Static_assert(1000 << 6 <= UINT16_MAX && WTAB_MAXCHANNELS <= 64,
    "weight and channel fit wch");

static uint64_t
wtab_rotl(uint64_t x, int r)
{
	return x << r | x >> (64 - r);
}

/*
 * Multiply-rotate over 8-byte words, then a murmur3-style finalizer. The
 * random per-table seed keeps a precomputed set of colliding customer ids
 * from turning the probes quadratic.
 */
static uint64_t
wtab_hash(uint64_t seed, const char *key, size_t len)
{
	const uint64_t k1 = 0x9e3779b97f4a7c15ULL, k2 = 0xbf58476d1ce4e5b9ULL;
	uint64_t h = seed ^ (len * k1), v;

	for (; len >= 8; key += 8, len -= 8) {
		memcpy(&v, key, 8);
		h = wtab_rotl(h ^ v * k2, 29) * k1;
	}
	v = 0;
	memcpy(&v, key, len);
	h = wtab_rotl(h ^ v * k2, 29) * k1;
	h ^= h >> 32;
	h *= 0xd6e8feb86659fd93ULL;
	h ^= h >> 32;
	h *= 0xd6e8feb86659fd93ULL;
	return h ^ h >> 32;
}

static const char *
wtab_cust_key(const struct wtab_cust *c)
{
	const char *p;

	if (c->keylen <= WTAB_KEYINL)
		return c->key;
	memcpy(&p, c->key, sizeof(p));
	return p;
}

/*
 * The least T at which c is idle. cxwatch.rules(5), semantics 6: now <=
 * T - W, suppressed_until <= T and forgiven_until <= T - W. The last
 * clause follows from the first, as forgiven_until <= now always, so it
 * adds nothing here.
 */
static int64_t
wtab_cust_idleat(const struct wtab *t, const struct wtab_cust *c)
{
	int64_t at = c->now + t->cfg.window;

	assert(c->forgiven <= c->now);
	return c->supp > at ? c->supp : at;
}

static int
wtab_cust_idle(const struct wtab *t, const struct wtab_cust *c)
{
	return wtab_cust_idleat(t, c) <= t->latest;
}

static int
wtab_time_ok(int64_t time)
{
	return time > -WTAB_TMAX && time < WTAB_TMAX;
}

static uint16_t
wtab_wch(unsigned weight, unsigned channel)
{
	return (uint16_t)(weight << 6 | channel);
}

/* A packed event: bit 0 set, wch, rule, and now - time in the top 31. */
static uint64_t
wtab_pack(const struct wtab_event *ev, int64_t now)
{
	return 1 | (uint64_t)wtab_wch(ev->weight, ev->channel) << 1 |
	    (uint64_t)ev->rule << 17 | (uint64_t)(now - ev->time) << 33;
}

static int
wtab_packed(uint64_t win)
{
	return (win & 1) != 0;
}

static int64_t
wtab_packed_time(uint64_t win, int64_t now)
{
	return now - (int64_t)(win >> 33);
}

static void
wtab_unpack(uint64_t win, int64_t now, struct wtab_event *ev)
{
	uint16_t wch = (uint16_t)(win >> 1);

	memset(ev, 0, sizeof(*ev));
	ev->time = wtab_packed_time(win, now);
	ev->weight = wch >> 6;
	ev->channel = wch & 63;
	ev->rule = (uint16_t)(win >> 17);
}

/* c's window, when c->win is neither 0, packed nor a solo. */
static struct wtab_win *
wtab_cust_win(const struct wtab_cust *c)
{
	return (struct wtab_win *)(uintptr_t)c->win;
}

static int
wtab_solo(uint64_t win)
{
	return (win & (1 | WTAB_SOLO)) == WTAB_SOLO;
}

static struct wtab_solo *
wtab_cust_solo(const struct wtab_cust *c)
{
	return (struct wtab_solo *)(uintptr_t)(c->win & ~(uint64_t)WTAB_SOLO);
}

/* A window proper: neither 0, packed nor a solo. */
static int
wtab_windowed(uint64_t win)
{
	return win != 0 && (win & (1 | WTAB_SOLO)) == 0;
}

static uint16_t *
wtab_win_chcount(struct wtab_win *w)
{
	return (uint16_t *)(w + 1);
}

static struct wtab_ev *
wtab_win_ring(const struct wtab *t, struct wtab_win *w)
{
	return (struct wtab_ev *)((char *)w + t->evoff);
}

static char *
wtab_win_lines(const struct wtab *t, struct wtab_win *w)
{
	return (char *)w + t->evoff + (sizeof(struct wtab_ev) << w->capshift);
}

static size_t
wtab_win_size(const struct wtab *t, unsigned capshift, size_t linecap)
{
	return t->evoff + (sizeof(struct wtab_ev) << capshift) + linecap;
}

static struct wtab_ev *
wtab_win_at(const struct wtab *t, struct wtab_win *w, uint32_t pos)
{
	return &wtab_win_ring(t, w)[(w->head + pos) &
	    (((uint32_t)1 << w->capshift) - 1)];
}

static uint64_t
wtab_win_foldmask(const struct wtab *t, const struct wtab_win *w)
{
	return w->fold == 0 ? 0 : t->fold[w->fold - 1].chmask;
}

/* Bytes of the record of a linelen-byte line. */
static size_t
wtab_rec_size(size_t linelen)
{
	return WTAB_LINEHEAD + (linelen <= WTAB_LINEINL ? linelen :
	    sizeof(char *));
}

static const char *
wtab_rec_line(const char *rec, size_t *len, unsigned *source)
{
	uint32_t l, s;
	const char *p;

	memcpy(&l, rec, 4);
	memcpy(&s, rec + 4, 4);
	*len = l;
	*source = s;
	if (l <= WTAB_LINEINL)
		return rec + WTAB_LINEHEAD;
	memcpy(&p, rec + WTAB_LINEHEAD, sizeof(p));
	return p;
}

/* A line of len bytes is held: t's share and its budget's. */
static void
wtab_charge(struct wtab *t, size_t len)
{
	struct wtab_budget *b = t->cfg.budget;
	size_t cost = WTAB_LINECOST(len);

	t->st.evbytes += cost;
	if (b == NULL)
		return;
	b->used += cost;
	if (b->used > b->peak)
		b->peak = b->used;
}

static void
wtab_release(struct wtab *t, size_t len)
{
	struct wtab_budget *b = t->cfg.budget;
	size_t cost = WTAB_LINECOST(len);

	assert(t->st.evbytes >= cost && (b == NULL || b->used >= cost));
	t->st.evbytes -= cost;
	if (b != NULL)
		b->used -= cost;
}

/* e loses its evidence line; a long line's own buffer goes now. */
static void
wtab_win_unline(struct wtab *t, struct wtab_win *w, struct wtab_ev *e)
{
	char *rec, *p;
	uint32_t l;

	if (e->line == WTAB_NOLINE)
		return;
	rec = wtab_win_lines(t, w) + e->line;
	memcpy(&l, rec, 4);
	wtab_release(t, l);
	if (l > WTAB_LINEINL) {
		memcpy(&p, rec + WTAB_LINEHEAD, sizeof(p));
		free(p);
	}
	e->line = WTAB_NOLINE;
}

/* Every line of w goes; returns how many there were. */
static unsigned
wtab_win_unlines(struct wtab *t, struct wtab_win *w)
{
	unsigned nev = t->cfg.evidence, n = 0;
	struct wtab_ev *e;
	uint32_t k;

	if (w->lineused == 0)
		return 0;
	for (k = w->n > nev ? w->n - nev : 0; k < w->n; k++) {
		e = wtab_win_at(t, w, k);
		n += e->line != WTAB_NOLINE;
		wtab_win_unline(t, w, e);
	}
	w->lineused = 0;
	w->haslong = 0;
	return n;
}

static uint32_t
wtab_fold_new(struct wtab *t)
{
	struct wtab_fold *f;
	uint32_t i = t->freefold;

	if (i != WTAB_NONE)
		t->freefold = t->fold[i].next;
	else {
		if (t->nfold == t->capfold) {
			t->capfold = t->capfold > 0 ? 2 * t->capfold : 8;
			t->fold = xreallocarray(t->fold, t->capfold,
			    sizeof(*t->fold));
		}
		i = t->nfold++;
	}
	f = &t->fold[i];
	memset(f, 0, sizeof(*f));
	f->first = INT64_MAX;
	f->last = INT64_MIN;
	return i + 1;
}

/*
 * Count n events of rule and wch, the oldest at first and the newest at
 * last, into w's fold. Groups are found by a linear search that tries
 * the last one used first: a flood comes from a few rules.
 */
static void
wtab_fold_add(struct wtab *t, struct wtab_win *w, int64_t first,
    int64_t last, unsigned rule, uint16_t wch, uint64_t n)
{
	uint64_t bit = (uint64_t)1 << (wch & 63);
	struct wtab_group *g = NULL;
	struct wtab_fold *f;
	uint32_t k;

	if (w->fold == 0)
		w->fold = wtab_fold_new(t);
	f = &t->fold[w->fold - 1];
	if (t->cfg.channels > 0 && (f->chmask & bit) == 0 &&
	    wtab_win_chcount(w)[wch & 63] == 0)
		w->nch++;
	f->chmask |= bit;
	f->score += n * (wch >> 6);
	f->n += n;
	if (first < f->first)
		f->first = first;
	if (last > f->last)
		f->last = last;
	if (f->hit < f->ngroup && f->group[f->hit].rule == rule &&
	    f->group[f->hit].wch == wch)
		g = &f->group[f->hit];
	for (k = 0; g == NULL && k < f->ngroup; k++)
		if (f->group[k].rule == rule && f->group[k].wch == wch) {
			g = &f->group[k];
			f->hit = k;
		}
	if (g == NULL) {
		if (f->ngroup == f->capgroup) {
			f->capgroup = f->capgroup > 0 ? 2 * f->capgroup : 4;
			f->group = xreallocarray(f->group, f->capgroup,
			    sizeof(*f->group));
		}
		f->hit = f->ngroup;
		g = &f->group[f->ngroup++];
		g->first = first;
		g->n = 0;
		g->rule = (uint16_t)rule;
		g->wch = wch;
	}
	if (first < g->first)
		g->first = first;
	g->n += n;
}

/* The fold leaves the window, all at once. */
static void
wtab_win_unfold(struct wtab *t, struct wtab_win *w)
{
	struct wtab_fold *f;
	unsigned ch;

	if (w->fold == 0)
		return;
	f = &t->fold[w->fold - 1];
	for (ch = 0; t->cfg.channels > 0 && ch < t->cfg.nchannels; ch++)
		if ((f->chmask >> ch & 1) && wtab_win_chcount(w)[ch] == 0)
			w->nch--;
	t->st.events -= f->n;
	free(f->group);
	f->group = NULL;
	f->next = t->freefold;
	t->freefold = w->fold - 1;
	w->fold = 0;
}

/* An empty window with room for linecap bytes of line records. */
static struct wtab_win *
wtab_win_get(struct wtab *t, size_t linecap)
{
	struct wtab_win *w;

	assert(linecap < UINT32_MAX / 4);
	if (t->ncache > 0) {
		w = t->cache[--t->ncache];
		if (w->linecap < linecap) {
			w = xreallocarray(w, 1, wtab_win_size(t, w->capshift,
			    linecap));
			w->linecap = (uint32_t)linecap;
		}
	} else {
		w = xmalloc(wtab_win_size(t, 0, linecap));
		w->capshift = 0;
		w->linecap = (uint32_t)linecap;
	}
	w->score = 0;
	w->lineused = 0;
	w->fold = 0;
	w->n = w->head = 0;
	w->nch = 0;
	w->haslong = 0;
	if (t->cfg.channels > 0)
		memset(wtab_win_chcount(w), 0,
		    t->cfg.nchannels * sizeof(uint16_t));
	return w;
}

/* Release w and its events; a small window waits for reuse. */
static void
wtab_win_put(struct wtab *t, struct wtab_win *w)
{
	wtab_win_unfold(t, w);
	wtab_win_unlines(t, w);
	t->st.events -= w->n;
	if (t->ncache < WTAB_NCACHE &&
	    wtab_win_size(t, w->capshift, w->linecap) <= WTAB_CACHEMAX)
		t->cache[t->ncache++] = w;
	else
		free(w);
}

/* Double a full ring; the wrapped part moves past the old end. */
static struct wtab_win *
wtab_win_grow(struct wtab *t, struct wtab_win *w)
{
	size_t oc = (size_t)1 << w->capshift;
	struct wtab_ev *r;
	char *lines;

	w = xreallocarray(w, 1, wtab_win_size(t, w->capshift + 1u,
	    w->linecap));
	lines = wtab_win_lines(t, w);
	memmove(lines + oc * sizeof(*r), lines, w->lineused);
	r = wtab_win_ring(t, w);
	memcpy(r + oc, r, w->head * sizeof(*r));
	w->capshift++;
	return w;
}

/* The oldest ring event leaves the ring (for good, or into the fold). */
static void
wtab_win_pop(struct wtab *t, struct wtab_win *w)
{
	struct wtab_ev *e = wtab_win_at(t, w, 0);
	unsigned ch = e->wch & 63;

	w->score -= e->wch >> 6;
	if (t->cfg.channels > 0 && --wtab_win_chcount(w)[ch] == 0 &&
	    (wtab_win_foldmask(t, w) >> ch & 1) == 0)
		w->nch--;
	wtab_win_unline(t, w, e);
	w->head = (w->head + 1) & (((uint32_t)1 << w->capshift) - 1);
	w->n--;
}

/* cxwatch.rules(5), semantics 4: events at or before now - W leave. */
static void
wtab_win_expire(struct wtab *t, struct wtab_win *w, int64_t now)
{
	int64_t limit = now - t->cfg.window;

	if (w->fold != 0 && t->fold[w->fold - 1].last <= limit)
		wtab_win_unfold(t, w);
	while (w->n > 0 && wtab_win_at(t, w, 0)->time <= limit) {
		wtab_win_pop(t, w);
		t->st.events--;
	}
}

/*
 * Insert ev in time order, after events of equal time (semantics 5: the
 * newest evidence is the latest to arrive). A ring at ringmax first folds
 * its oldest event, or ev itself when ev is older than all of the ring.
 * Returns ev's ring position, or -1 when it was folded. The ring must
 * have a free place unless it is at ringmax.
 */
static int32_t
wtab_win_insert(struct wtab *t, struct wtab_win *w,
    const struct wtab_event *ev)
{
	uint16_t wch = wtab_wch(ev->weight, ev->channel);
	unsigned ch = ev->channel;
	struct wtab_ev *e, old;
	uint32_t pos;

	if (w->n == t->ringmax) {
		t->st.folded++;
		if (ev->time < wtab_win_at(t, w, 0)->time) {
			wtab_fold_add(t, w, ev->time, ev->time, ev->rule, wch,
			    1);
			t->st.events++;
			return -1;
		}
		old = *wtab_win_at(t, w, 0);
		wtab_win_pop(t, w);
		wtab_fold_add(t, w, old.time, old.time, old.rule, old.wch, 1);
	}
	for (pos = w->n; pos > 0 && wtab_win_at(t, w, pos - 1)->time >
	    ev->time; pos--)
		*wtab_win_at(t, w, pos) = *wtab_win_at(t, w, pos - 1);
	e = wtab_win_at(t, w, pos);
	e->time = ev->time;
	e->line = WTAB_NOLINE;
	e->rule = (uint16_t)ev->rule;
	e->wch = wch;
	w->n++;
	w->score += ev->weight;
	if (t->cfg.channels > 0 && wtab_win_chcount(w)[ch]++ == 0 &&
	    (wtab_win_foldmask(t, w) >> ch & 1) == 0)
		w->nch++;
	t->st.events++;
	return (int32_t)pos;
}

/*
 * Make room for need more bytes of line records: pack the live records
 * to the front, in ring order, then resize the area to 2 * live + need
 * when it is smaller than that or over four times larger.
 */
static struct wtab_win *
wtab_win_pack(struct wtab *t, struct wtab_win *w, size_t need)
{
	unsigned nev = t->cfg.evidence;
	char *lines = wtab_win_lines(t, w);
	size_t live = 0, size, want;
	struct wtab_ev *e;
	uint32_t k, l;

	for (k = w->n > nev ? w->n - nev : 0; k < w->n; k++) {
		e = wtab_win_at(t, w, k);
		if (e->line == WTAB_NOLINE)
			continue;
		memcpy(&l, lines + e->line, 4);
		size = wtab_rec_size(l);
		if (t->scratchcap < live + size) {
			t->scratchcap = 2 * (live + size);
			t->scratch = xreallocarray(t->scratch, 1,
			    t->scratchcap);
		}
		memcpy(t->scratch + live, lines + e->line, size);
		e->line = (uint32_t)live;
		live += size;
	}
	if (live > 0)
		memcpy(lines, t->scratch, live);
	w->lineused = (uint32_t)live;
	want = 2 * live + need;
	assert(want < UINT32_MAX);
	if (w->linecap < want || w->linecap / 4 > want) {
		w = xreallocarray(w, 1, wtab_win_size(t, w->capshift, want));
		w->linecap = (uint32_t)want;
	}
	return w;
}

/* c holds lines the budget could take. */
static int
wtab_cust_holds(const struct wtab_cust *c)
{
	if (wtab_solo(c->win))
		return 1;
	return wtab_windowed(c->win) && wtab_cust_win(c)->lineused > 0;
}

/* Customer i was just used (it is the LRU head) and may hold lines. */
static void
wtab_evcold_note(struct wtab *t, uint32_t i)
{
	if (t->evcold == WTAB_NONE && wtab_cust_holds(&t->cust[i]))
		t->evcold = i;
}

/*
 * The least recently used customer of t that holds lines, other than
 * self (WTAB_NONE: any); WTAB_NONE when there is none. Self must be the
 * LRU head, so that reaching it means no other one holds any.
 */
static uint32_t
wtab_coldest(struct wtab *t, uint32_t self)
{
	uint32_t i;

	while ((i = t->evcold) != WTAB_NONE && i != self &&
	    !wtab_cust_holds(&t->cust[i]))
		t->evcold = t->cust[i].prev;
	return i == self ? WTAB_NONE : i;
}

/* Packed word and record of a solo; the line's bytes follow s. */
static void
wtab_solo_set(struct wtab_solo *s, uint64_t packed, const char *line,
    size_t len, unsigned source)
{
	s->ev = packed;
	s->len = (uint32_t)len;
	s->source = source;
	if (len > 0)
		memcpy(s + 1, line, len);
}

/*
 * A window of one event, nothing folded, within WTAB_DELTAMAX of c's
 * now, goes back to a compact form: the packed word, or a solo when the
 * event holds a line (which moves, still charged).
 */
static void
wtab_cust_shrink(struct wtab *t, struct wtab_cust *c)
{
	struct wtab_win *w = wtab_cust_win(c);
	struct wtab_solo *s = NULL;
	struct wtab_event ev;
	struct wtab_ev *e;
	const char *line;
	unsigned source;
	size_t len = 0;

	if (w->n != 1 || w->fold != 0)
		return;
	e = wtab_win_at(t, w, 0);
	if (c->now - e->time > WTAB_DELTAMAX)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.time = e->time;
	ev.weight = e->wch >> 6;
	ev.channel = e->wch & 63;
	ev.rule = e->rule;
	if (e->line != WTAB_NOLINE) {
		line = wtab_rec_line(wtab_win_lines(t, w) + e->line, &len,
		    &source);
		s = xmalloc(sizeof(*s) + len);
		wtab_solo_set(s, wtab_pack(&ev, c->now), line, len, source);
	}
	wtab_win_put(t, w);
	t->st.events++;
	if (s == NULL) {
		c->win = wtab_pack(&ev, c->now);
		return;
	}
	wtab_charge(t, len);
	c->win = (uint64_t)(uintptr_t)s | WTAB_SOLO;
}

/* The budget takes every line of customer i of t; its events stay. */
static void
wtab_cust_drop(struct wtab *t, uint32_t i)
{
	struct wtab_cust *c = &t->cust[i];
	struct wtab_solo *s;
	struct wtab_win *w;

	if (wtab_solo(c->win)) {
		s = wtab_cust_solo(c);
		wtab_release(t, s->len);
		c->win = s->ev;
		free(s);
		t->st.evdropped++;
		return;
	}
	w = wtab_cust_win(c);
	t->st.evdropped += wtab_win_unlines(t, w);
	wtab_cust_shrink(t, c);
	if (wtab_windowed(c->win) && w->linecap > 0) {
		w = xreallocarray(w, 1, wtab_win_size(t, w->capshift, 0));
		w->linecap = 0;
		c->win = (uint64_t)(uintptr_t)w;
	}
}

/*
 * Charge a line of len bytes for customer self of t (its LRU head),
 * first dropping, while it would not fit, the lines of the least
 * recently active other customer in any table of the budget (the
 * earliest now across tables). 1 when charged; 0 when it does not fit
 * with only self's own lines left, or at all.
 */
static int
wtab_budget_take(struct wtab *t, uint32_t self, size_t len)
{
	struct wtab_budget *b = t->cfg.budget;
	size_t cost = WTAB_LINECOST(len), k;
	struct wtab *u, *best;
	uint32_t i, bi = WTAB_NONE;

	assert(self == t->lruhead);
	if (b != NULL && cost > b->limit)
		return 0;
	while (b != NULL && b->used + cost > b->limit) {
		best = NULL;
		for (k = 0; k < b->ntab; k++) {
			u = b->tab[k];
			i = wtab_coldest(u, u == t ? self : WTAB_NONE);
			if (i != WTAB_NONE && (best == NULL ||
			    u->cust[i].now < best->cust[bi].now)) {
				best = u;
				bi = i;
			}
		}
		if (best == NULL)
			return 0;
		wtab_cust_drop(best, bi);
	}
	wtab_charge(t, len);
	return 1;
}

/*
 * The budget is short with no other customer's lines left: w's own
 * oldest lines go until a line of len bytes fits. 1 when charged.
 */
static int
wtab_win_room(struct wtab *t, struct wtab_win *w, size_t len)
{
	struct wtab_budget *b = t->cfg.budget;
	size_t cost = WTAB_LINECOST(len);
	unsigned nev = t->cfg.evidence;
	struct wtab_ev *e;
	uint32_t k;

	if (b == NULL || cost > b->limit)
		return 0;
	for (k = w->n > nev ? w->n - nev : 0; k < w->n &&
	    b->used + cost > b->limit; k++) {
		e = wtab_win_at(t, w, k);
		if (e->line == WTAB_NOLINE)
			continue;
		wtab_win_unline(t, w, e);
		t->st.evdropped++;
	}
	if (b->used + cost > b->limit)
		return 0;
	wtab_charge(t, len);
	return 1;
}

/* ev's line as the record of the event at pos; the area has room. */
static void
wtab_win_record(const struct wtab *t, struct wtab_win *w, uint32_t pos,
    const struct wtab_event *ev)
{
	uint32_t len = (uint32_t)ev->linelen, src = ev->source;
	char *rec, *p;

	rec = wtab_win_lines(t, w) + w->lineused;
	memcpy(rec, &len, 4);
	memcpy(rec + 4, &src, 4);
	if (ev->linelen <= WTAB_LINEINL) {
		if (ev->linelen > 0)
			memcpy(rec + WTAB_LINEHEAD, ev->line, ev->linelen);
	} else {
		p = xmalloc(ev->linelen);
		memcpy(p, ev->line, ev->linelen);
		memcpy(rec + WTAB_LINEHEAD, &p, sizeof(p));
		w->haslong = 1;
	}
	wtab_win_at(t, w, pos)->line = w->lineused;
	w->lineused += (uint32_t)wtab_rec_size(ev->linelen);
}

/*
 * Give the event just inserted at pos (customer self's) its evidence
 * line if it is among the newest `evidence` and the budget takes it
 * (else it counts as dropped); the one it pushes out of them loses its
 * line. With line 0 the event gets none (a saved one without). Returns
 * the window, which may have moved.
 */
static struct wtab_win *
wtab_win_keep(struct wtab *t, uint32_t self, struct wtab_win *w, int32_t pos,
    const struct wtab_event *ev, int line)
{
	unsigned nev = t->cfg.evidence;
	size_t need;

	if (nev == 0 || pos < 0 || (uint32_t)pos + nev < w->n)
		return w;
	if (w->n > nev)
		wtab_win_unline(t, w, wtab_win_at(t, w, w->n - nev - 1));
	if (!line)
		return w;
	if (!wtab_budget_take(t, self, ev->linelen) &&
	    !wtab_win_room(t, w, ev->linelen)) {
		t->st.evdropped++;
		return w;
	}
	need = wtab_rec_size(ev->linelen);
	if (w->linecap - w->lineused < need)
		w = wtab_win_pack(t, w, need);
	wtab_win_record(t, w, (uint32_t)pos, ev);
	return w;
}

/*
 * Add ev to w, customer self's (ring growth, fold, evidence, with line
 * as wtab_win_keep()); returns w, maybe moved.
 */
static struct wtab_win *
wtab_win_add(struct wtab *t, uint32_t self, struct wtab_win *w,
    const struct wtab_event *ev, int line)
{
	if (w->n == (uint32_t)1 << w->capshift && w->n < t->ringmax)
		w = wtab_win_grow(t, w);
	return wtab_win_keep(t, self, w, wtab_win_insert(t, w, ev), ev, line);
}

/* c's packed event, kept relative to now, as a window. */
static struct wtab_win *
wtab_cust_unpack(struct wtab *t, struct wtab_cust *c, int64_t now)
{
	struct wtab_event ev;
	struct wtab_win *w;

	wtab_unpack(c->win, now, &ev);
	w = wtab_win_get(t, 0);
	(void)wtab_win_insert(t, w, &ev);
	t->st.events--;		/* counted already */
	c->win = (uint64_t)(uintptr_t)w;
	return w;
}

/*
 * c's solo, kept relative to now, as a window whose line area also has
 * room for a record of extra bytes; the line moves, still charged.
 */
static struct wtab_win *
wtab_cust_unsolo(struct wtab *t, struct wtab_cust *c, int64_t now,
    size_t extra)
{
	struct wtab_solo *s = wtab_cust_solo(c);
	struct wtab_event ev;
	struct wtab_win *w;

	wtab_unpack(s->ev, now, &ev);
	ev.source = s->source;
	ev.line = (const char *)(s + 1);
	ev.linelen = s->len;
	w = wtab_win_get(t, wtab_rec_size(s->len) + extra);
	wtab_win_record(t, w, (uint32_t)wtab_win_insert(t, w, &ev), &ev);
	t->st.events--;		/* counted already */
	free(s);
	c->win = (uint64_t)(uintptr_t)w;
	return w;
}

/*
 * The first event of customer i, one that does not alert at once (an
 * alert needs a window): a solo, or packed when its line is not taken.
 */
static void
wtab_cust_solo_new(struct wtab *t, uint32_t i, const struct wtab_event *ev)
{
	struct wtab_cust *c = &t->cust[i];
	struct wtab_solo *s;

	t->st.events++;
	if (!wtab_budget_take(t, i, ev->linelen)) {
		t->st.evdropped++;
		c->win = wtab_pack(ev, c->now);
		return;
	}
	s = xmalloc(sizeof(*s) + ev->linelen);
	wtab_solo_set(s, wtab_pack(ev, c->now), ev->line, ev->linelen,
	    ev->source);
	c->win = (uint64_t)(uintptr_t)s | WTAB_SOLO;
	wtab_evcold_note(t, i);
}

/* Release c's window, whatever its form. */
static void
wtab_cust_clear(struct wtab *t, struct wtab_cust *c)
{
	struct wtab_solo *s;

	if (c->win == 0)
		return;
	if (wtab_packed(c->win))
		t->st.events--;
	else if (wtab_solo(c->win)) {
		s = wtab_cust_solo(c);
		wtab_release(t, s->len);
		free(s);
		t->st.events--;
	} else
		wtab_win_put(t, wtab_cust_win(c));
	c->win = 0;
}

/*
 * Forgiveness 2: the events with time <= until leave w, the fold whole by
 * its newest. The ring's events are no older than the fold's newest, so
 * when the fold stays, so does the ring. Returns how many left.
 */
static uint64_t
wtab_win_forgive(struct wtab *t, struct wtab_win *w, int64_t until)
{
	uint64_t n = 0;

	if (w->fold != 0) {
		if (t->fold[w->fold - 1].last > until)
			return 0;
		n = t->fold[w->fold - 1].n;
		wtab_win_unfold(t, w);
	}
	while (w->n > 0 && wtab_win_at(t, w, 0)->time <= until) {
		wtab_win_pop(t, w);
		t->st.events--;
		n++;
	}
	return n;
}

/*
 * The same for c's window, whatever its form, before c->now moves; an
 * emptied window is released. Returns how many events left. Events up to
 * now - W need no removal: a window holds none (see the invariants).
 */
static uint64_t
wtab_cust_forgive(struct wtab *t, struct wtab_cust *c, int64_t until)
{
	struct wtab_win *w;
	uint64_t n;

	if (c->win == 0)
		return 0;
	if (!wtab_windowed(c->win)) {
		/*
		 * An event kept is newer than until and no newer than now,
		 * so now does not move and its packed offset stays right.
		 */
		if (wtab_packed_time(wtab_packed(c->win) ? c->win :
		    wtab_cust_solo(c)->ev, c->now) > until)
			return 0;
		wtab_cust_clear(t, c);
		return 1;
	}
	w = wtab_cust_win(c);
	n = wtab_win_forgive(t, w, until);
	if (w->n == 0 && w->fold == 0) {
		wtab_win_put(t, w);
		c->win = 0;
	}
	return n;
}

static void
wtab_heap_set(struct wtab *t, uint32_t pos, int64_t key, uint32_t i)
{
	t->hkey[pos] = key;
	t->hcust[pos] = i;
	t->cust[i].heappos = pos;
}

static void
wtab_heap_up(struct wtab *t, uint32_t pos)
{
	int64_t key = t->hkey[pos];
	uint32_t i = t->hcust[pos], parent;

	for (; pos > 0; pos = parent) {
		parent = (pos - 1) / 2;
		if (t->hkey[parent] <= key)
			break;
		wtab_heap_set(t, pos, t->hkey[parent], t->hcust[parent]);
	}
	wtab_heap_set(t, pos, key, i);
}

static void
wtab_heap_down(struct wtab *t, uint32_t pos)
{
	int64_t key = t->hkey[pos];
	uint32_t i = t->hcust[pos], child;

	for (; (child = 2 * pos + 1) < t->nheap; pos = child) {
		if (child + 1 < t->nheap && t->hkey[child + 1] < t->hkey[child])
			child++;
		if (key <= t->hkey[child])
			break;
		wtab_heap_set(t, pos, t->hkey[child], t->hcust[child]);
	}
	wtab_heap_set(t, pos, key, i);
}

static void
wtab_heap_push(struct wtab *t, uint32_t i, int64_t key)
{
	uint32_t pos = t->nheap++;

	wtab_heap_set(t, pos, key, i);
	wtab_heap_up(t, pos);
}

static void
wtab_heap_del(struct wtab *t, uint32_t pos)
{
	uint32_t last = --t->nheap;

	if (pos == last)
		return;
	wtab_heap_set(t, pos, t->hkey[last], t->hcust[last]);
	if (pos > 0 && t->hkey[pos] < t->hkey[(pos - 1) / 2])
		wtab_heap_up(t, pos);
	else
		wtab_heap_down(t, pos);
}

static uint32_t
wtab_index_find(const struct wtab *t, uint32_t h, const char *key,
    size_t keylen)
{
	const struct wtab_cust *c;
	uint32_t pos;

	for (pos = h & t->indexmask; t->index[pos] != 0;
	    pos = (pos + 1) & t->indexmask) {
		c = &t->cust[t->index[pos] - 1];
		if (c->hash == h && c->keylen == keylen &&
		    memcmp(wtab_cust_key(c), key, keylen) == 0)
			return t->index[pos] - 1;
	}
	return WTAB_NONE;
}

static void
wtab_index_put(struct wtab *t, uint32_t i)
{
	uint32_t pos = t->cust[i].hash & t->indexmask;

	while (t->index[pos] != 0)
		pos = (pos + 1) & t->indexmask;
	t->index[pos] = i + 1;
}

/*
 * Backward-shift deletion: each later entry of the probe run moves into
 * the hole unless its home lies cyclically in (hole, pos].
 */
static void
wtab_index_del(struct wtab *t, uint32_t i)
{
	uint32_t mask = t->indexmask, hole, pos, home;

	hole = t->cust[i].hash & mask;
	while (t->index[hole] != i + 1)
		hole = (hole + 1) & mask;
	for (pos = (hole + 1) & mask; t->index[pos] != 0;
	    pos = (pos + 1) & mask) {
		home = t->cust[t->index[pos] - 1].hash & mask;
		if (((pos - home) & mask) >= ((pos - hole) & mask)) {
			t->index[hole] = t->index[pos];
			hole = pos;
		}
	}
	t->index[hole] = 0;
}

static void
wtab_index_build(struct wtab *t, size_t size)
{
	uint32_t i;

	free(t->index);
	t->index = xcalloc(size, sizeof(*t->index));
	t->indexmask = (uint32_t)(size - 1);
	for (i = 0; i < t->custused; i++)
		if (t->cust[i].keylen != 0)
			wtab_index_put(t, i);
}

/* Smallest power of two holding n entries at load <= 0.7. */
static size_t
wtab_index_size(size_t n)
{
	size_t size = 2 * WTAB_MINCAP;

	while (size * 7 < n * 10)
		size *= 2;
	return size;
}

static void
wtab_lru_unlink(struct wtab *t, uint32_t i)
{
	struct wtab_cust *c = &t->cust[i];

	/* Those less recently used than i hold no lines: neither will it. */
	if (t->evcold == i)
		t->evcold = c->prev;
	if (c->prev != WTAB_NONE)
		t->cust[c->prev].next = c->next;
	else
		t->lruhead = c->next;
	if (c->next != WTAB_NONE)
		t->cust[c->next].prev = c->prev;
	else
		t->lrutail = c->prev;
}

static void
wtab_lru_push(struct wtab *t, uint32_t i)
{
	struct wtab_cust *c = &t->cust[i];

	c->prev = WTAB_NONE;
	c->next = t->lruhead;
	if (t->lruhead != WTAB_NONE)
		t->cust[t->lruhead].prev = i;
	else
		t->lrutail = i;
	t->lruhead = i;
}

static void
wtab_lru_touch(struct wtab *t, uint32_t i)
{
	if (t->lruhead != i) {
		wtab_lru_unlink(t, i);
		wtab_lru_push(t, i);
	}
	wtab_evcold_note(t, i);
}

static void
wtab_slab_resize(struct wtab *t, uint32_t cap)
{
	t->cust = xreallocarray(t->cust, cap, sizeof(*t->cust));
	t->hkey = xreallocarray(t->hkey, cap, sizeof(*t->hkey));
	t->hcust = xreallocarray(t->hcust, cap, sizeof(*t->hcust));
	t->custcap = cap;
}

static uint32_t
wtab_slab_get(struct wtab *t)
{
	uint32_t i = t->freecust;
	size_t cap;

	if (i != WTAB_NONE) {
		t->freecust = t->cust[i].next;
		return i;
	}
	if (t->custused == t->custcap) {
		cap = 2 * (size_t)t->custcap;
		if (cap > t->cfg.max_customers)
			cap = t->cfg.max_customers;
		wtab_slab_resize(t, (uint32_t)cap);
	}
	return t->custused++;
}

/*
 * Move the live customers to the front of a smaller slab, in LRU order,
 * and rebuild the index for them: memory follows the active customers
 * down as well as up.
 */
static void
wtab_slab_compact(struct wtab *t)
{
	struct wtab_cust *old = t->cust;
	uint32_t n = t->ncust, cap, i, j, evcold = WTAB_NONE;

	cap = 2 * n > WTAB_MINCAP ? 2 * n : WTAB_MINCAP;
	t->cust = xreallocarray(NULL, cap, sizeof(*t->cust));
	for (i = t->lruhead, j = 0; i != WTAB_NONE; i = old[i].next, j++) {
		if (i == t->evcold)
			evcold = j;
		t->cust[j] = old[i];
		t->cust[j].prev = j > 0 ? j - 1 : WTAB_NONE;
		t->cust[j].next = j + 1 < n ? j + 1 : WTAB_NONE;
		t->hcust[old[i].heappos] = j;
	}
	free(old);
	t->evcold = evcold;
	t->lruhead = n > 0 ? 0 : WTAB_NONE;
	t->lrutail = n > 0 ? n - 1 : WTAB_NONE;
	t->custused = n;
	t->freecust = WTAB_NONE;
	t->hkey = xreallocarray(t->hkey, cap, sizeof(*t->hkey));
	t->hcust = xreallocarray(t->hcust, cap, sizeof(*t->hcust));
	t->custcap = cap;
	wtab_index_build(t, wtab_index_size(2 * (size_t)n));
}

static void
wtab_cust_free(struct wtab *t, uint32_t i)
{
	struct wtab_cust *c = &t->cust[i];

	wtab_index_del(t, i);
	wtab_heap_del(t, c->heappos);
	wtab_lru_unlink(t, i);
	if (c->keylen > WTAB_KEYINL)
		free((char *)wtab_cust_key(c));
	wtab_cust_clear(t, c);
	c->keylen = 0;
	c->next = t->freecust;
	t->freecust = i;
	t->ncust--;
}

static void
wtab_cust_setkey(struct wtab_cust *c, const char *key, size_t keylen)
{
	char *p;

	c->keylen = (uint16_t)keylen;
	if (keylen <= WTAB_KEYINL) {
		memcpy(c->key, key, keylen);
		return;
	}
	p = xmalloc(keylen);
	memcpy(p, key, keylen);
	memcpy(c->key, &p, sizeof(p));
}

/* A fresh customer (semantics 6): no events, suppression, forgiveness. */
static uint32_t
wtab_cust_new(struct wtab *t, uint32_t h, const char *key, size_t keylen,
    int64_t now)
{
	struct wtab_cust *c;
	uint32_t i;

	/* Semantics 6: idle customers are already gone, so evict. */
	if (t->ncust >= t->cfg.max_customers) {
		wtab_cust_free(t, t->lrutail);
		t->st.evicted++;
	}
	if (((size_t)t->ncust + 1) * 10 > ((size_t)t->indexmask + 1) * 7)
		wtab_index_build(t, 2 * ((size_t)t->indexmask + 1));
	i = wtab_slab_get(t);
	c = &t->cust[i];
	c->hash = h;
	wtab_cust_setkey(c, key, keylen);
	c->now = now;
	c->supp = INT64_MIN;
	c->forgiven = INT64_MIN;
	c->win = 0;
	wtab_index_put(t, i);
	wtab_heap_push(t, i, wtab_cust_idleat(t, c));
	wtab_lru_push(t, i);
	if (++t->ncust > t->st.peak)
		t->st.peak = t->ncust;
	return i;
}

/* Free every idle customer: pop the heap while its bound has come. */
static size_t
wtab_forget(struct wtab *t)
{
	size_t n = 0;
	uint32_t i;
	int64_t at;

	while (t->nheap > 0 && t->hkey[0] <= t->latest) {
		i = t->hcust[0];
		at = wtab_cust_idleat(t, &t->cust[i]);
		if (at <= t->latest) {
			wtab_cust_free(t, i);
			n++;
		} else {
			t->hkey[0] = at;
			wtab_heap_down(t, 0);
		}
	}
	t->st.forgotten += n;
	if (n > 0 && t->custcap > WTAB_MINCAP && t->ncust < t->custcap / 4)
		wtab_slab_compact(t);
	return n;
}

static int
wtab_win_reason(const struct wtab *t, const struct wtab_win *w)
{
	uint64_t score = w->score;
	int reason = 0;

	if (w->fold != 0)
		score += t->fold[w->fold - 1].score;
	if (score >= t->cfg.threshold)
		reason |= WTAB_REASON_SCORE;
	if (t->cfg.channels > 0 && w->nch >= t->cfg.channels)
		reason |= WTAB_REASON_CHANNELS;
	return reason;
}

/* The same for a window of one event of this weight. */
static int
wtab_one_reason(const struct wtab *t, unsigned weight)
{
	int reason = 0;

	if (weight >= t->cfg.threshold)
		reason |= WTAB_REASON_SCORE;
	if (t->cfg.channels == 1)
		reason |= WTAB_REASON_CHANNELS;
	return reason;
}

/* The newest events' lines, oldest first, copied to the table's buffers. */
static void
wtab_alert_evidence(struct wtab *t, struct wtab_win *w, struct walert *a)
{
	unsigned k, n = 0, nev = w->n < t->cfg.evidence ? w->n :
	    t->cfg.evidence;
	struct wtab_line *l;
	struct wtab_ev *e;
	const char *p;
	unsigned source;
	size_t len;

	a->dropped = 0;
	for (k = 0; k < nev; k++) {
		e = wtab_win_at(t, w, w->n - nev + k);
		if (e->line == WTAB_NOLINE) {
			a->dropped++;	/* by the budget: see the top */
			continue;
		}
		p = wtab_rec_line(wtab_win_lines(t, w) + e->line, &len,
		    &source);
		l = &t->lines[n];
		if (l->cap < len + 1) {
			free(l->buf);
			l->cap = len + 1 > 2 * l->cap ? len + 1 : 2 * l->cap;
			l->buf = xmalloc(l->cap);
		}
		if (len > 0)
			memcpy(l->buf, p, len);
		l->buf[len] = '\0';
		t->evidence[n].time = e->time;
		t->evidence[n].source = source;
		t->evidence[n].rule = e->rule;
		t->evidence[n].line = l->buf;
		t->evidence[n].linelen = len;
		n++;
	}
	a->evidence = t->evidence;
	a->nevidence = n;
}

/* Counts saturate: a fold may hold more than UINT_MAX events. */
static unsigned
wtab_sat(uint64_t n)
{
	return n > UINT_MAX ? UINT_MAX : (unsigned)n;
}

static void
wtab_alert_fill(struct wtab *t, const struct wtab_cust *c,
    struct wtab_win *w, int reason, struct walert *a)
{
	const struct wtab_fold *f = NULL;
	const struct wtab_group *g;
	uint64_t nevents = w->n;
	struct wtab_ev *e;
	uint32_t k;

	a->customer = wtab_cust_key(c);
	a->customerlen = c->keylen;
	a->reason = reason;
	a->time = c->now;
	a->first = w->n > 0 ? wtab_win_at(t, w, 0)->time : INT64_MAX;
	a->score = w->score;
	a->chmask = 0;
	memset(t->rulecount, 0, t->cfg.nrules * sizeof(*t->rulecount));
	for (k = 0; k < w->n; k++) {
		e = wtab_win_at(t, w, k);
		t->rulecount[e->rule]++;
		a->chmask |= (uint64_t)1 << (e->wch & 63);
	}
	if (w->fold != 0)
		f = &t->fold[w->fold - 1];
	for (k = 0; f != NULL && k < f->ngroup; k++) {
		g = &f->group[k];
		t->rulecount[g->rule] = wtab_sat(t->rulecount[g->rule] + g->n);
	}
	if (f != NULL) {
		a->first = f->first;
		a->score += f->score;
		a->chmask |= f->chmask;
		nevents += f->n;
	}
	a->nevents = wtab_sat(nevents);
	a->rulecount = t->rulecount;
	wtab_alert_evidence(t, w, a);
}

/*
 * Forgiveness, then semantics 4 and 5, for one customer that is not idle
 * (semantics 6: idleness first, then forgiveness, then lateness).
 */
static enum wtab_result
wtab_cust_add(struct wtab *t, uint32_t i, const struct wtab_event *ev,
    struct walert *alert)
{
	struct wtab_cust *c = &t->cust[i];
	int64_t old = c->now;
	struct wtab_win *w;
	int reason;

	/* cxwatch.rules(5), Forgiveness 3: at or before forgiven_until. */
	if (ev->time <= c->forgiven) {
		t->st.forgiven++;
		return WTAB_FORGIVEN;
	}
	if (ev->time <= c->now - t->cfg.window) {
		t->st.late++;
		return WTAB_LATE;
	}
	if (ev->time > c->now)
		c->now = ev->time;
	if (wtab_packed(c->win)) {
		if (wtab_packed_time(c->win, old) <= c->now - t->cfg.window) {
			c->win = 0;
			t->st.events--;
		} else
			wtab_cust_unpack(t, c, old);
	} else if (wtab_solo(c->win)) {
		if (wtab_packed_time(wtab_cust_solo(c)->ev, old) <=
		    c->now - t->cfg.window)
			wtab_cust_clear(t, c);
		else
			wtab_cust_unsolo(t, c, old,
			    wtab_rec_size(ev->linelen));
	}
	if (c->win == 0 && t->cfg.evidence > 0 &&
	    c->now - ev->time <= WTAB_DELTAMAX && (c->now < c->supp ||
	    wtab_one_reason(t, ev->weight) == 0)) {
		wtab_cust_solo_new(t, i, ev);
		return WTAB_ADDED;
	}
	if (c->win == 0 && t->cfg.evidence == 0 &&
	    c->now - ev->time <= WTAB_DELTAMAX) {
		c->win = wtab_pack(ev, c->now);
		t->st.events++;
		if (c->now < c->supp ||
		    (reason = wtab_one_reason(t, ev->weight)) == 0)
			return WTAB_ADDED;
		w = wtab_cust_unpack(t, c, c->now);
	} else {
		if (c->win == 0)
			w = wtab_win_get(t, t->cfg.evidence > 0 ?
			    wtab_rec_size(ev->linelen) : 0);
		else {
			w = wtab_cust_win(c);
			wtab_win_expire(t, w, c->now);
		}
		w = wtab_win_add(t, i, w, ev, 1);
		c->win = (uint64_t)(uintptr_t)w;
		wtab_evcold_note(t, i);
		if (c->now < c->supp || (reason = wtab_win_reason(t, w)) == 0)
			return WTAB_ADDED;
	}
	wtab_alert_fill(t, c, w, reason, alert);
	wtab_win_put(t, w);
	c->win = 0;
	c->supp = c->now + t->cfg.cooldown;
	t->st.alerts++;
	return WTAB_ALERT;
}

struct wtab_budget *
wtab_budget_new(size_t limit)
{
	struct wtab_budget *b = xcalloc(1, sizeof(*b));

	b->limit = limit;
	return b;
}

void
wtab_budget_free(struct wtab_budget *b)
{
	if (b == NULL)
		return;
	assert(b->ntab == 0 && b->used == 0);
	free(b->tab);
	free(b);
}

size_t
wtab_budget_used(const struct wtab_budget *b)
{
	return b->used;
}

size_t
wtab_budget_peak(const struct wtab_budget *b)
{
	return b->peak;
}

/* t and the lines it holds join its budget, last in the order of ties. */
static void
wtab_budget_join(struct wtab *t)
{
	struct wtab_budget *b = t->cfg.budget;

	if (b == NULL)
		return;
	if (b->ntab == b->captab) {
		b->captab = b->captab > 0 ? 2 * b->captab : 4;
		b->tab = xreallocarray(b->tab, b->captab, sizeof(*b->tab));
	}
	b->tab[b->ntab++] = t;
	b->used += t->st.evbytes;
	if (b->used > b->peak)
		b->peak = b->used;
}

static void
wtab_budget_leave(struct wtab *t)
{
	struct wtab_budget *b = t->cfg.budget;
	size_t k;

	if (b == NULL)
		return;
	for (k = 0; b->tab[k] != t; k++)
		assert(k + 1 < b->ntab);
	memmove(&b->tab[k], &b->tab[k + 1], (b->ntab - k - 1) *
	    sizeof(*b->tab));
	b->ntab--;
	assert(b->used >= t->st.evbytes);
	b->used -= t->st.evbytes;
}

struct wtab *
wtab_new(const struct wtab_config *cfg)
{
	struct wtab *t;
	size_t choff;

	assert(cfg->window > 0 && cfg->window <= WTAB_TMAX);
	assert(cfg->cooldown >= 0 && cfg->cooldown <= WTAB_TMAX);
	assert(cfg->threshold >= 1 && cfg->max_customers >= 1);
	assert(cfg->channels <= WTAB_MAXCHANNELS);
	assert(cfg->nchannels <= WTAB_MAXCHANNELS);
	assert(cfg->nrules <= (unsigned)UINT16_MAX + 1);
	assert(cfg->evidence < UINT16_MAX);
	t = xcalloc(1, sizeof(*t));
	t->cfg = *cfg;
	if (getrandom(&t->seed, sizeof(t->seed), GRND_NONBLOCK) !=
	    (ssize_t)sizeof(t->seed))
		t->seed = (uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)t;
	if (t->cfg.max_customers > WTAB_MAXCUST)
		t->cfg.max_customers = WTAB_MAXCUST;
	t->latest = INT64_MIN;
	t->freecust = t->lruhead = t->lrutail = t->evcold = WTAB_NONE;
	t->freefold = WTAB_NONE;
	wtab_slab_resize(t, t->cfg.max_customers < WTAB_MINCAP ?
	    (uint32_t)t->cfg.max_customers : WTAB_MINCAP);
	wtab_index_build(t, wtab_index_size(WTAB_MINCAP));
	choff = cfg->channels > 0 ? cfg->nchannels * sizeof(uint16_t) : 0;
	t->evoff = sizeof(struct wtab_win) + (choff + 7) / 8 * 8;
	t->ringmax = cfg->evidence > WTAB_RINGMAX ? cfg->evidence :
	    WTAB_RINGMAX;
	t->rulecount = xcalloc(cfg->nrules, sizeof(*t->rulecount));
	t->evidence = xcalloc(cfg->evidence, sizeof(*t->evidence));
	t->lines = xcalloc(cfg->evidence, sizeof(*t->lines));
	wtab_budget_join(t);
	return t;
}

static void
wtab_win_destroy(struct wtab *t, struct wtab_win *w)
{
	wtab_win_unlines(t, w);
	free(w);
}

void
wtab_free(struct wtab *t)
{
	struct wtab_cust *c;
	uint32_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->custused; i++) {
		c = &t->cust[i];
		if (c->keylen > WTAB_KEYINL)
			free((char *)wtab_cust_key(c));
		if (c->keylen != 0)
			wtab_cust_clear(t, c);
	}
	wtab_budget_leave(t);
	while (t->ncache > 0)
		wtab_win_destroy(t, t->cache[--t->ncache]);
	for (i = 0; i < t->nfold; i++)
		free(t->fold[i].group);
	for (i = 0; i < t->cfg.evidence; i++)
		free(t->lines[i].buf);
	free(t->fold);
	free(t->scratch);
	free(t->lines);
	free(t->evidence);
	free(t->rulecount);
	free(t->index);
	free(t->hkey);
	free(t->hcust);
	free(t->cust);
	free(t);
}

enum wtab_result
wtab_add(struct wtab *t, const char *key, size_t keylen,
    const struct wtab_event *ev, struct walert *alert)
{
	uint32_t h = (uint32_t)wtab_hash(t->seed, key, keylen), i;
	enum wtab_result r;

	assert(keylen >= 1 && keylen <= WTAB_MAXKEY);
	assert(ev->time > -WTAB_TMAX && ev->time < WTAB_TMAX);
	assert(ev->weight >= 1 && ev->weight <= 1000);
	assert(ev->channel < t->cfg.nchannels && ev->rule < t->cfg.nrules);
	assert(ev->linelen < UINT32_MAX);
	wtab_forget(t);
	i = wtab_index_find(t, h, key, keylen);
	if (i == WTAB_NONE)
		i = wtab_cust_new(t, h, key, keylen, ev->time);
	else {
		assert(!wtab_cust_idle(t, &t->cust[i]));
		wtab_lru_touch(t, i);
	}
	r = wtab_cust_add(t, i, ev, alert);
	if (ev->time > t->latest)
		t->latest = ev->time;
	return r;
}

int
wtab_forgive(struct wtab *t, const char *key, size_t keylen, int64_t time)
{
	uint32_t h = (uint32_t)wtab_hash(t->seed, key, keylen), i;
	struct wtab_cust *c;

	assert(keylen >= 1 && keylen <= WTAB_MAXKEY);
	assert(wtab_time_ok(time));
	wtab_forget(t);
	/* Forgiveness 1: an untracked (or idle, so freed) customer: nothing. */
	if ((i = wtab_index_find(t, h, key, keylen)) != WTAB_NONE) {
		c = &t->cust[i];
		assert(!wtab_cust_idle(t, c));
		wtab_lru_touch(t, i);
		/* Forgiveness 2; 4: suppression stays, nothing alerts. */
		t->st.forgiven += wtab_cust_forgive(t, c, time);
		if (time > c->now)
			c->now = time;
		if (time > c->forgiven)
			c->forgiven = time;
	}
	if (time > t->latest)
		t->latest = time;
	return i != WTAB_NONE;
}

size_t
wtab_sweep(struct wtab *t)
{
	return wtab_forget(t);
}

void
wtab_stats(const struct wtab *t, struct wtab_stats *st)
{
	*st = t->st;
	st->customers = t->ncust;
}

const struct wtab_config *
wtab_config(const struct wtab *t)
{
	return &t->cfg;
}

int64_t
wtab_latest(const struct wtab *t)
{
	return t->latest;
}

/* Saved events a customer lends out: its fold's groups, then its ring. */
static size_t
wtab_saved_count(const struct wtab *t, const struct wtab_cust *c)
{
	const struct wtab_win *w;

	if (c->win == 0)
		return 0;
	if (!wtab_windowed(c->win))
		return 1;
	w = wtab_cust_win(c);
	return w->n + (w->fold != 0 ? t->fold[w->fold - 1].ngroup : 0);
}

static void
wtab_saved_events(const struct wtab *t, const struct wtab_cust *c,
    struct wtab_saved_event *ev)
{
	const struct wtab_fold *f;
	const struct wtab_solo *s;
	struct wtab_event one;
	struct wtab_win *w;
	struct wtab_ev *e;
	size_t n = 0;
	uint32_t k;

	/* No events (ev may then be NULL, which memset must not get). */
	if (c->win == 0 || wtab_saved_count(t, c) == 0)
		return;
	memset(ev, 0, wtab_saved_count(t, c) * sizeof(*ev));
	if (!wtab_windowed(c->win)) {
		s = wtab_solo(c->win) ? wtab_cust_solo(c) : NULL;
		wtab_unpack(s != NULL ? s->ev : c->win, c->now, &one);
		ev[0].time = ev[0].first = one.time;
		ev[0].weight = one.weight;
		ev[0].channel = one.channel;
		ev[0].rule = one.rule;
		if (s != NULL) {
			ev[0].evidence = 1;
			ev[0].source = s->source;
			ev[0].line = (const char *)(s + 1);
			ev[0].linelen = s->len;
		}
		return;
	}
	w = wtab_cust_win(c);
	f = w->fold != 0 ? &t->fold[w->fold - 1] : NULL;
	for (k = 0; f != NULL && k < f->ngroup; k++, n++) {
		ev[n].time = f->last;
		ev[n].first = f->group[k].first;
		ev[n].folded = f->group[k].n;
		ev[n].weight = f->group[k].wch >> 6;
		ev[n].channel = f->group[k].wch & 63;
		ev[n].rule = f->group[k].rule;
	}
	for (k = 0; k < w->n; k++, n++) {
		e = wtab_win_at(t, w, k);
		ev[n].time = ev[n].first = e->time;
		ev[n].weight = e->wch >> 6;
		ev[n].channel = e->wch & 63;
		ev[n].rule = e->rule;
		if (e->line == WTAB_NOLINE)
			continue;
		ev[n].evidence = 1;
		ev[n].line = wtab_rec_line(wtab_win_lines(t, w) + e->line,
		    &ev[n].linelen, &ev[n].source);
	}
}

int
wtab_each(const struct wtab *t,
    int (*cb)(void *arg, const struct wtab_saved *c), void *arg)
{
	struct wtab_saved_event *ev = NULL;
	const struct wtab_cust *c;
	struct wtab_saved s;
	size_t cap = 0;
	uint32_t i;
	int r = 0;

	for (i = t->lrutail; i != WTAB_NONE && r == 0; i = c->prev) {
		c = &t->cust[i];
		if (wtab_cust_idle(t, c))
			continue;	/* semantics 6: absent already */
		s.key = wtab_cust_key(c);
		s.keylen = c->keylen;
		s.now = c->now;
		s.suppressed_until = c->supp;
		s.forgiven_until = c->forgiven;
		s.nevents = wtab_saved_count(t, c);
		if (s.nevents > cap) {
			cap = s.nevents;
			ev = xreallocarray(ev, cap, sizeof(*ev));
		}
		wtab_saved_events(t, c, ev);
		s.events = ev;
		r = cb(arg, &s);
	}
	free(ev);
	return r;
}

int
wtab_set_latest(struct wtab *t, int64_t latest, const char **why)
{
	if (latest != INT64_MIN && !wtab_time_ok(latest)) {
		*why = "latest time out of range";
		return -1;
	}
	if (latest > t->latest) {
		t->latest = latest;
		wtab_forget(t);
	}
	return 0;
}

/*
 * Each event on its own, as wtab_add() and wtab_win_expire() leave it;
 * k is its index in c->events, and nfold folded groups come first.
 */
static const char *
wtab_saved_event_check(const struct wtab *t, const struct wtab_saved *c,
    size_t k, size_t nfold, int adopt)
{
	const struct wtab_saved_event *e = &c->events[k];
	size_t nring = c->nevents - nfold;
	size_t nkeep = nring < t->cfg.evidence ? nring : t->cfg.evidence;

	if (e->time <= c->now - t->cfg.window || e->time > c->now)
		return "event outside its customer's window";
	if (e->time <= c->forgiven_until)
		return "event kept though forgiven";
	if (k > 0 && e->time < c->events[k - 1].time)
		return "events out of time order";
	if (e->weight < 1 || e->weight > 1000)
		return "event weight out of range";
	if (e->channel >= t->cfg.nchannels)
		return "channel number out of range";
	if (e->rule >= t->cfg.nrules)
		return "rule number out of range";
	if (e->evidence && e->linelen >= UINT32_MAX)
		return "evidence line too long";
	if (k < nfold) {
		if (e->time != c->events[0].time)
			return "folded events at different times";
		if (!wtab_time_ok(e->first) || e->first > e->time)
			return "folded events' first time out of range";
		if (e->evidence && !adopt)
			return "evidence kept for the wrong events";
		return NULL;
	}
	if (e->folded != 0)
		return "folded events after others";
	/* One of the newest without: a budget dropped its line. */
	if (e->evidence && k - nfold < nring - nkeep)
		return "evidence kept for the wrong events";
	return NULL;
}

/*
 * Everything wtab_add() asserts or keeps invariant for a customer, so that
 * a restored one is one a run could have left: semantics 4 (window), 5
 * (a window that should have alerted has), 6 (not idle, now <= T),
 * forgiveness (forgiven_until <= now, no event at or before it), and the
 * bound on the ring (a fold only with a full one).
 */
static const char *
wtab_saved_check(const struct wtab *t, const struct wtab_saved *c,
    uint32_t h, int adopt)
{
	const char *why;
	uint64_t score = 0, chmask = 0, nfolded = 0, n;
	unsigned nch = 0;
	size_t k, nfold;

	if (c->keylen < 1 || c->keylen > WTAB_MAXKEY)
		return "customer id length out of range";
	if (!wtab_time_ok(c->now) || c->now > t->latest)
		return "customer time out of range";
	if (c->suppressed_until != INT64_MIN &&
	    (!wtab_time_ok(c->suppressed_until) ||
	    c->suppressed_until > c->now + t->cfg.cooldown))
		return "suppression time out of range";
	if (c->forgiven_until != INT64_MIN &&
	    (!wtab_time_ok(c->forgiven_until) || c->forgiven_until > c->now))
		return "forgiveness time out of range";
	if (c->nevents >= (size_t)1 << 31)
		return "too many events";
	for (nfold = 0; nfold < c->nevents && c->events[nfold].folded != 0;
	    nfold++)
		;
	for (k = 0; k < c->nevents; k++) {
		if ((why = wtab_saved_event_check(t, c, k, nfold, adopt)) !=
		    NULL)
			return why;
		n = k < nfold ? c->events[k].folded : 1;
		if (n > WTAB_FOLDMAX - nfolded)
			return "too many events";
		if (k < nfold)
			nfolded += n;
		score += n * c->events[k].weight;
		chmask |= (uint64_t)1 << c->events[k].channel;
	}
	if (!adopt && (c->nevents - nfold > t->ringmax ||
	    (nfold > 0 && c->nevents - nfold != t->ringmax)))
		return "events kept one by one beyond or below the bound";
	for (; chmask != 0; chmask &= chmask - 1)
		nch++;
	if (!adopt && c->nevents > 0 && c->now >= c->suppressed_until &&
	    (score >= t->cfg.threshold ||
	    (t->cfg.channels > 0 && nch >= t->cfg.channels)))
		return "window should have alerted";
	/* Semantics 6; forgiven_until <= now, checked above, is implied. */
	if (c->now + t->cfg.window <= t->latest &&
	    c->suppressed_until <= t->latest)
		return "customer is idle";
	if (wtab_index_find(t, h, c->key, c->keylen) != WTAB_NONE)
		return "customer saved twice";
	return NULL;
}

static int
wtab_restore_as(struct wtab *t, const struct wtab_saved *c, int adopt,
    const char **why)
{
	const struct wtab_saved_event *se;
	uint32_t h = (uint32_t)wtab_hash(t->seed, c->key, c->keylen), i;
	struct wtab_event ev;
	struct wtab_cust *cu;
	struct wtab_win *w = NULL;
	size_t k;

	if ((*why = wtab_saved_check(t, c, h, adopt)) != NULL)
		return -1;
	i = wtab_cust_new(t, h, c->key, c->keylen, c->now);
	cu = &t->cust[i];
	cu->supp = c->suppressed_until;
	cu->forgiven = c->forgiven_until;
	t->hkey[cu->heappos] = wtab_cust_idleat(t, cu);
	wtab_heap_down(t, cu->heappos);
	memset(&ev, 0, sizeof(ev));
	for (k = 0; k < c->nevents; k++) {
		se = &c->events[k];
		if (w == NULL)
			w = wtab_win_get(t, 0);
		if (se->folded != 0) {
			wtab_fold_add(t, w, se->first, se->time, se->rule,
			    wtab_wch(se->weight, se->channel), se->folded);
			t->st.events += se->folded;
			continue;
		}
		ev.time = se->time;
		ev.weight = se->weight;
		ev.channel = se->channel;
		ev.rule = se->rule;
		ev.source = se->evidence ? se->source : 0;
		ev.line = se->evidence ? se->line : NULL;
		ev.linelen = se->evidence ? se->linelen : 0;
		w = wtab_win_add(t, i, w, &ev, se->evidence);
	}
	if (w != NULL) {
		cu->win = (uint64_t)(uintptr_t)w;
		/* As wtab_add() would keep one event: packed, or a solo. */
		wtab_cust_shrink(t, cu);
		wtab_evcold_note(t, i);
	}
	return 0;
}

int
wtab_restore(struct wtab *t, const struct wtab_saved *c, const char **why)
{
	return wtab_restore_as(t, c, 0, why);
}

int
wtab_adopt(struct wtab *t, const struct wtab_saved *c, const char **why)
{
	return wtab_restore_as(t, c, 1, why);
}

void
wtab_swap(struct wtab *a, struct wtab *b)
{
	struct wtab tmp;

	wtab_budget_leave(a);
	wtab_budget_leave(b);
	tmp = *a;
	*a = *b;
	*b = tmp;
	wtab_budget_join(a);
	wtab_budget_join(b);
}
