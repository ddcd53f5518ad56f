/*
 * wtab: per-customer sliding windows and the alert decision,
 * cxwatch.rules(5) semantics 4-6. See wtab.h for the contract.
 *
 * Customers live in a slab (t->cust) and are named by their uint32 index
 * there. Four structures thread through the slab by index:
 *  - the hash index: open addressing with linear probing over a power of
 *    two array of slab index + 1 (0: empty), load <= 0.7, deletion by
 *    backward shift, so there are no tombstones;
 *  - the LRU list, head most recently passed to wtab_add(), for
 *    max_customers eviction;
 *  - a min-heap of lower bounds of each customer's idle time
 *    max(now + window, suppressed_until). A customer's idle time only
 *    grows while it is tracked, so the bound is refreshed lazily, when it
 *    reaches T; adding to a known customer never touches the heap;
 *  - the free list of slab entries, through next.
 *
 * A customer with events owns a window: one allocation holding the header,
 * per-channel counts (only when the channels rule is on), the evidence
 * slots and a ring of events sorted by time, equal times in arrival
 * order. Windows are released when emptied; a few wait in t->cache so that
 * their line buffers are reused.
 *
 * Memory per tracked customer: a 56-byte slab entry, 12 bytes of heap
 * and 4 / load (5.7 to 11.4) bytes of index; keys over 14 bytes add their
 * own allocation. A window adds 24 bytes, 4 per channel when the channels
 * rule is on, 32 per evidence slot plus the line copies, and 16 per ring
 * place (a power of two >= its events).
 *
 * Invariants:
 *  - every idle customer is freed at the start of wtab_add(), so a lookup
 *    never finds one, and "idle is absent" (semantics 6) holds whether or
 *    not anyone calls wtab_sweep();
 *  - in a window, the newest min(n, evidence) events hold an evidence
 *    slot and no other event does. Events leave only from the old end or
 *    all at once, so an event that lost its slot never needs it back.
 */
#include <sys/random.h>

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wtab.h"
#include "xmalloc.h"

#define WTAB_NONE	UINT32_MAX	/* no customer */
#define WTAB_NOSLOT	UINT16_MAX	/* event holds no evidence slot */
#define WTAB_KEYINL	14		/* longer keys get their own buffer */
#define WTAB_MINCAP	64		/* smallest slab */
#define WTAB_MAXCUST	((size_t)1 << 30)	/* keeps the index in uint32 */
#define WTAB_NCACHE	64		/* emptied windows kept for reuse */
#define WTAB_CACHEEV	64		/* ... when their ring is this small */
#define WTAB_TMAX	((int64_t)1 << 62)

struct wtab_ev {
	int64_t		time;
	uint16_t	weight;
	uint16_t	rule;
	uint16_t	slot;		/* evidence slot or WTAB_NOSLOT */
	uint8_t		channel;
};

struct wtab_slot {
	char		*line;		/* NUL-terminated copy; cap bytes */
	size_t		 len;
	size_t		 cap;
	unsigned	 source;
	uint16_t	 next;		/* free list, while unused */
};

/*
 * Followed in the same allocation by uint32_t chcount[nchannels] (when
 * channels > 0), struct wtab_slot slot[evidence] and struct wtab_ev
 * ev[cap], at the offsets kept in struct wtab. The ring has no bound yet:
 * a customer flooding one window grows it as far as memory allows.
 */
struct wtab_win {
	uint64_t	score;
	uint32_t	cap;		/* ring size, a power of two */
	uint32_t	head;		/* ring index of the oldest event */
	uint32_t	n;
	uint16_t	freeslot;
	uint8_t		nch;		/* channels with a nonzero count */
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
	struct wtab_win	*win;		/* NULL: window empty */
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
	uint32_t	*index;
	uint32_t	 indexmask;
	int64_t		*hkey;		/* heap: idle time lower bounds */
	uint32_t	*hcust;		/* heap: their customers */
	uint32_t	 nheap;
	size_t		 slotoff;	/* window layout */
	size_t		 evoff;
	struct wtab_win	*cache[WTAB_NCACHE];
	unsigned	 ncache;
	unsigned	*rulecount;	/* walert scratch */
	struct wtab_evidence *evidence;
	struct wtab_line *lines;
};

_Static_assert(WTAB_KEYINL >= sizeof(char *), "long key pointer fits");
_Static_assert(WTAB_MAXCHANNELS <= UINT8_MAX, "nch fits");

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

static int64_t
wtab_cust_idleat(const struct wtab *t, const struct wtab_cust *c)
{
	int64_t at = c->now + t->cfg.window;

	return c->supp > at ? c->supp : at;
}

/* cxwatch.rules(5), semantics 6: now <= T - W and suppressed_until <= T. */
static int
wtab_cust_idle(const struct wtab *t, const struct wtab_cust *c)
{
	return wtab_cust_idleat(t, c) <= t->latest;
}

static struct wtab_slot *
wtab_win_slots(const struct wtab *t, struct wtab_win *w)
{
	return (struct wtab_slot *)((char *)w + t->slotoff);
}

static struct wtab_ev *
wtab_win_ring(const struct wtab *t, struct wtab_win *w)
{
	return (struct wtab_ev *)((char *)w + t->evoff);
}

static uint32_t *
wtab_win_chcount(struct wtab_win *w)
{
	return (uint32_t *)(w + 1);
}

static struct wtab_ev *
wtab_win_at(const struct wtab *t, struct wtab_win *w, uint32_t pos)
{
	return &wtab_win_ring(t, w)[(w->head + pos) & (w->cap - 1)];
}

static void
wtab_win_reset(struct wtab *t, struct wtab_win *w)
{
	struct wtab_slot *s = wtab_win_slots(t, w);
	unsigned i, nev = t->cfg.evidence;

	w->score = 0;
	w->head = w->n = 0;
	w->nch = 0;
	if (t->cfg.channels > 0)
		memset(wtab_win_chcount(w), 0,
		    t->cfg.nchannels * sizeof(uint32_t));
	for (i = 0; i < nev; i++)
		s[i].next = i + 1 < nev ? (uint16_t)(i + 1) : WTAB_NOSLOT;
	w->freeslot = nev > 0 ? 0 : WTAB_NOSLOT;
}

static struct wtab_win *
wtab_win_get(struct wtab *t)
{
	struct wtab_win *w;
	struct wtab_slot *s;
	unsigned i;

	if (t->ncache > 0)
		w = t->cache[--t->ncache];
	else {
		w = xmalloc(t->evoff + sizeof(struct wtab_ev));
		w->cap = 1;
		s = wtab_win_slots(t, w);
		for (i = 0; i < t->cfg.evidence; i++) {
			s[i].line = NULL;
			s[i].cap = 0;
		}
	}
	wtab_win_reset(t, w);
	return w;
}

static void
wtab_win_destroy(struct wtab *t, struct wtab_win *w)
{
	struct wtab_slot *s = wtab_win_slots(t, w);
	unsigned i;

	for (i = 0; i < t->cfg.evidence; i++)
		free(s[i].line);
	free(w);
}

/* Release w and its events; its line buffers may wait for reuse. */
static void
wtab_win_put(struct wtab *t, struct wtab_win *w)
{
	t->st.events -= w->n;
	if (t->ncache < WTAB_NCACHE && w->cap <= WTAB_CACHEEV)
		t->cache[t->ncache++] = w;
	else
		wtab_win_destroy(t, w);
}

/* Double a full ring; the wrapped part moves past the old end. */
static struct wtab_win *
wtab_win_grow(struct wtab *t, struct wtab_win *w)
{
	uint32_t oc = w->cap;
	struct wtab_ev *r;

	assert(oc < (uint32_t)1 << 31);
	w = xreallocarray(w, 1, t->evoff + 2 * (size_t)oc *
	    sizeof(struct wtab_ev));
	r = wtab_win_ring(t, w);
	memcpy(r + oc, r, w->head * sizeof(*r));
	w->cap = 2 * oc;
	return w;
}

static void
wtab_win_drop(struct wtab *t, struct wtab_win *w, const struct wtab_ev *e)
{
	w->score -= e->weight;
	if (t->cfg.channels > 0 && --wtab_win_chcount(w)[e->channel] == 0)
		w->nch--;
	if (e->slot != WTAB_NOSLOT) {
		wtab_win_slots(t, w)[e->slot].next = w->freeslot;
		w->freeslot = e->slot;
	}
	t->st.events--;
}

/* cxwatch.rules(5), semantics 4: events at or before now - W leave. */
static void
wtab_win_expire(struct wtab *t, struct wtab_win *w, int64_t now)
{
	struct wtab_ev *r = wtab_win_ring(t, w);
	int64_t limit = now - t->cfg.window;

	while (w->n > 0 && r[w->head].time <= limit) {
		wtab_win_drop(t, w, &r[w->head]);
		w->head = (w->head + 1) & (w->cap - 1);
		w->n--;
	}
}

/*
 * Insert ev in time order, after events of equal time (semantics 5: the
 * later arrival is newer); return its position from the oldest. The
 * search starts at the newest end, where nearly ordered input lands.
 */
static uint32_t
wtab_win_insert(struct wtab *t, struct wtab_win *w,
    const struct wtab_event *ev)
{
	uint32_t pos = w->n;
	struct wtab_ev *e;

	while (pos > 0 && wtab_win_at(t, w, pos - 1)->time > ev->time) {
		*wtab_win_at(t, w, pos) = *wtab_win_at(t, w, pos - 1);
		pos--;
	}
	e = wtab_win_at(t, w, pos);
	e->time = ev->time;
	e->weight = (uint16_t)ev->weight;
	e->rule = (uint16_t)ev->rule;
	e->channel = (uint8_t)ev->channel;
	e->slot = WTAB_NOSLOT;
	w->n++;
	w->score += ev->weight;
	if (t->cfg.channels > 0 && wtab_win_chcount(w)[ev->channel]++ == 0)
		w->nch++;
	t->st.events++;
	return pos;
}

static void
wtab_slot_fill(struct wtab_slot *s, const struct wtab_event *ev)
{
	if (s->cap < ev->linelen + 1) {
		free(s->line);
		s->cap = ev->linelen + 1;
		s->line = xmalloc(s->cap);
	}
	if (ev->linelen > 0)
		memcpy(s->line, ev->line, ev->linelen);
	s->line[ev->linelen] = '\0';
	s->len = ev->linelen;
	s->source = ev->source;
}

/*
 * Give the event just inserted at pos an evidence slot if it is among the
 * newest `evidence`: the one it pushes out of them hands its slot over.
 */
static void
wtab_win_keep(struct wtab *t, struct wtab_win *w, uint32_t pos,
    const struct wtab_event *ev)
{
	unsigned nev = t->cfg.evidence;
	struct wtab_ev *e, *out;

	if (nev == 0 || pos + nev < w->n)
		return;
	e = wtab_win_at(t, w, pos);
	if (w->n > nev) {
		out = wtab_win_at(t, w, w->n - nev - 1);
		e->slot = out->slot;
		out->slot = WTAB_NOSLOT;
	} else {
		e->slot = w->freeslot;
		w->freeslot = wtab_win_slots(t, w)[e->slot].next;
	}
	wtab_slot_fill(&wtab_win_slots(t, w)[e->slot], ev);
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
	if (t->lruhead == i)
		return;
	wtab_lru_unlink(t, i);
	wtab_lru_push(t, i);
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
	uint32_t n = t->ncust, cap, i, j;

	cap = 2 * n > WTAB_MINCAP ? 2 * n : WTAB_MINCAP;
	t->cust = xreallocarray(NULL, cap, sizeof(*t->cust));
	for (i = t->lruhead, j = 0; i != WTAB_NONE; i = old[i].next, j++) {
		t->cust[j] = old[i];
		t->cust[j].prev = j > 0 ? j - 1 : WTAB_NONE;
		t->cust[j].next = j + 1 < n ? j + 1 : WTAB_NONE;
		t->hcust[old[i].heappos] = j;
	}
	free(old);
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
	if (c->win != NULL)
		wtab_win_put(t, c->win);
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

/* A fresh customer (semantics 6): no events, no suppression. */
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
	c->win = NULL;
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
wtab_cust_reason(const struct wtab *t, const struct wtab_cust *c)
{
	const struct wtab_win *w = c->win;
	int reason = 0;

	if (w->score >= t->cfg.threshold)
		reason |= WTAB_REASON_SCORE;
	if (t->cfg.channels > 0 && w->nch >= t->cfg.channels)
		reason |= WTAB_REASON_CHANNELS;
	return reason;
}

/*
 * The newest events, oldest first. Their line buffers trade places with
 * the table's scratch ones: no copy, and the window may go at once.
 */
static void
wtab_alert_evidence(struct wtab *t, struct wtab_win *w, struct walert *a)
{
	unsigned k, nev = w->n < t->cfg.evidence ? w->n : t->cfg.evidence;
	struct wtab_line tmp;
	struct wtab_slot *s;
	struct wtab_ev *e;

	for (k = 0; k < nev; k++) {
		e = wtab_win_at(t, w, w->n - nev + k);
		s = &wtab_win_slots(t, w)[e->slot];
		tmp = t->lines[k];
		t->lines[k].buf = s->line;
		t->lines[k].cap = s->cap;
		s->line = tmp.buf;
		s->cap = tmp.cap;
		t->evidence[k].time = e->time;
		t->evidence[k].source = s->source;
		t->evidence[k].rule = e->rule;
		t->evidence[k].line = t->lines[k].buf;
		t->evidence[k].linelen = s->len;
	}
	a->evidence = t->evidence;
	a->nevidence = nev;
}

static void
wtab_alert_fill(struct wtab *t, const struct wtab_cust *c, int reason,
    struct walert *a)
{
	struct wtab_win *w = c->win;
	struct wtab_ev *e;
	uint32_t k;

	a->customer = wtab_cust_key(c);
	a->customerlen = c->keylen;
	a->reason = reason;
	a->time = c->now;
	a->first = wtab_win_at(t, w, 0)->time;
	a->score = w->score;
	a->nevents = w->n;
	a->chmask = 0;
	memset(t->rulecount, 0, t->cfg.nrules * sizeof(*t->rulecount));
	for (k = 0; k < w->n; k++) {
		e = wtab_win_at(t, w, k);
		t->rulecount[e->rule]++;
		a->chmask |= (uint64_t)1 << e->channel;
	}
	a->rulecount = t->rulecount;
	wtab_alert_evidence(t, w, a);
}

/* Semantics 4 and 5 for one customer that is not idle. */
static enum wtab_result
wtab_cust_add(struct wtab *t, struct wtab_cust *c,
    const struct wtab_event *ev, struct walert *alert)
{
	uint32_t pos;
	int reason;

	if (ev->time <= c->now - t->cfg.window) {
		t->st.late++;
		return WTAB_LATE;
	}
	if (ev->time > c->now)
		c->now = ev->time;
	if (c->win == NULL)
		c->win = wtab_win_get(t);
	else
		wtab_win_expire(t, c->win, c->now);
	if (c->win->n == c->win->cap)
		c->win = wtab_win_grow(t, c->win);
	pos = wtab_win_insert(t, c->win, ev);
	wtab_win_keep(t, c->win, pos, ev);
	if (c->now < c->supp || (reason = wtab_cust_reason(t, c)) == 0)
		return WTAB_ADDED;
	wtab_alert_fill(t, c, reason, alert);
	wtab_win_put(t, c->win);
	c->win = NULL;
	c->supp = c->now + t->cfg.cooldown;
	t->st.alerts++;
	return WTAB_ALERT;
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
	assert(cfg->evidence < WTAB_NOSLOT);
	t = xcalloc(1, sizeof(*t));
	t->cfg = *cfg;
	if (getrandom(&t->seed, sizeof(t->seed), GRND_NONBLOCK) !=
	    (ssize_t)sizeof(t->seed))
		t->seed = (uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)t;
	if (t->cfg.max_customers > WTAB_MAXCUST)
		t->cfg.max_customers = WTAB_MAXCUST;
	t->latest = INT64_MIN;
	t->freecust = t->lruhead = t->lrutail = WTAB_NONE;
	wtab_slab_resize(t, t->cfg.max_customers < WTAB_MINCAP ?
	    (uint32_t)t->cfg.max_customers : WTAB_MINCAP);
	wtab_index_build(t, wtab_index_size(WTAB_MINCAP));
	choff = cfg->channels > 0 ? cfg->nchannels * sizeof(uint32_t) : 0;
	t->slotoff = sizeof(struct wtab_win) + (choff + 7) / 8 * 8;
	t->evoff = t->slotoff + cfg->evidence * sizeof(struct wtab_slot);
	t->rulecount = xcalloc(cfg->nrules, sizeof(*t->rulecount));
	t->evidence = xcalloc(cfg->evidence, sizeof(*t->evidence));
	t->lines = xcalloc(cfg->evidence, sizeof(*t->lines));
	return t;
}

void
wtab_free(struct wtab *t)
{
	uint32_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->custused; i++) {
		if (t->cust[i].keylen > WTAB_KEYINL)
			free((char *)wtab_cust_key(&t->cust[i]));
		if (t->cust[i].keylen != 0 && t->cust[i].win != NULL)
			wtab_win_destroy(t, t->cust[i].win);
	}
	while (t->ncache > 0)
		wtab_win_destroy(t, t->cache[--t->ncache]);
	for (i = 0; i < t->cfg.evidence; i++)
		free(t->lines[i].buf);
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
	wtab_forget(t);
	i = wtab_index_find(t, h, key, keylen);
	if (i == WTAB_NONE)
		i = wtab_cust_new(t, h, key, keylen, ev->time);
	else {
		assert(!wtab_cust_idle(t, &t->cust[i]));
		wtab_lru_touch(t, i);
	}
	r = wtab_cust_add(t, &t->cust[i], ev, alert);
	if (ev->time > t->latest)
		t->latest = ev->time;
	return r;
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

static void
wtab_saved_events(const struct wtab *t, const struct wtab_cust *c,
    struct wtab_saved_event *ev)
{
	struct wtab_win *w = c->win;
	struct wtab_slot *s;
	struct wtab_ev *e;
	uint32_t k;

	for (k = 0; w != NULL && k < w->n; k++) {
		e = wtab_win_at(t, w, k);
		memset(&ev[k], 0, sizeof(ev[k]));
		ev[k].time = e->time;
		ev[k].weight = e->weight;
		ev[k].channel = e->channel;
		ev[k].rule = e->rule;
		if (e->slot == WTAB_NOSLOT)
			continue;
		s = &wtab_win_slots(t, w)[e->slot];
		ev[k].evidence = 1;
		ev[k].source = s->source;
		ev[k].line = s->line;
		ev[k].linelen = s->len;
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
		s.nevents = c->win != NULL ? c->win->n : 0;
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

static int
wtab_time_ok(int64_t time)
{
	return time > -WTAB_TMAX && time < WTAB_TMAX;
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

/* Each event on its own, as wtab_add() and wtab_win_expire() leave it. */
static const char *
wtab_saved_event_check(const struct wtab *t, const struct wtab_saved *c,
    size_t k)
{
	const struct wtab_saved_event *e = &c->events[k];
	size_t nkeep = c->nevents < t->cfg.evidence ? c->nevents :
	    t->cfg.evidence;

	if (e->time <= c->now - t->cfg.window || e->time > c->now)
		return "event outside its customer's window";
	if (k > 0 && e->time < c->events[k - 1].time)
		return "events out of time order";
	if (e->weight < 1 || e->weight > 1000)
		return "event weight out of range";
	if (e->channel >= t->cfg.nchannels)
		return "channel number out of range";
	if (e->rule >= t->cfg.nrules)
		return "rule number out of range";
	if ((e->evidence != 0) != (k >= c->nevents - nkeep))
		return "evidence kept for the wrong events";
	return NULL;
}

/*
 * Everything wtab_add() asserts or keeps invariant for a customer, so that
 * a restored one is one a run could have left: semantics 4 (window), 5
 * (a window that should have alerted has), 6 (not idle, now <= T).
 */
static const char *
wtab_saved_check(const struct wtab *t, const struct wtab_saved *c,
    uint32_t h, int adopt)
{
	const char *why;
	uint64_t score = 0, chmask = 0;
	unsigned nch = 0;
	size_t k;

	if (c->keylen < 1 || c->keylen > WTAB_MAXKEY)
		return "customer id length out of range";
	if (!wtab_time_ok(c->now) || c->now > t->latest)
		return "customer time out of range";
	if (c->suppressed_until != INT64_MIN &&
	    (!wtab_time_ok(c->suppressed_until) ||
	    c->suppressed_until > c->now + t->cfg.cooldown))
		return "suppression time out of range";
	if (c->nevents >= (size_t)1 << 31)
		return "too many events";
	for (k = 0; k < c->nevents; k++) {
		if ((why = wtab_saved_event_check(t, c, k)) != NULL)
			return why;
		score += c->events[k].weight;
		chmask |= (uint64_t)1 << c->events[k].channel;
	}
	for (; chmask != 0; chmask &= chmask - 1)
		nch++;
	if (!adopt && c->nevents > 0 && c->now >= c->suppressed_until &&
	    (score >= t->cfg.threshold ||
	    (t->cfg.channels > 0 && nch >= t->cfg.channels)))
		return "window should have alerted";
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
	uint32_t h = (uint32_t)wtab_hash(t->seed, c->key, c->keylen), i, pos;
	struct wtab_event ev;
	struct wtab_cust *cu;
	size_t k;

	if ((*why = wtab_saved_check(t, c, h, adopt)) != NULL)
		return -1;
	i = wtab_cust_new(t, h, c->key, c->keylen, c->now);
	cu = &t->cust[i];
	cu->supp = c->suppressed_until;
	t->hkey[cu->heappos] = wtab_cust_idleat(t, cu);
	wtab_heap_down(t, cu->heappos);
	memset(&ev, 0, sizeof(ev));
	for (k = 0; k < c->nevents; k++) {
		se = &c->events[k];
		ev.time = se->time;
		ev.weight = se->weight;
		ev.channel = se->channel;
		ev.rule = se->rule;
		ev.source = se->evidence ? se->source : 0;
		ev.line = se->evidence ? se->line : NULL;
		ev.linelen = se->evidence ? se->linelen : 0;
		if (cu->win == NULL)
			cu->win = wtab_win_get(t);
		if (cu->win->n == cu->win->cap)
			cu->win = wtab_win_grow(t, cu->win);
		pos = wtab_win_insert(t, cu->win, &ev);
		wtab_win_keep(t, cu->win, pos, &ev);
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
	struct wtab tmp = *a;

	*a = *b;
	*b = tmp;
}
