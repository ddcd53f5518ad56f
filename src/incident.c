/*
 * incident: a failure rule's window of distinct customers and its
 * incident. See incident.h and cxwatch.rules(5), semantics 7 to 13.
 *
 * The window is a list of at most `customers` slots, newest first by
 * each customer's latest time, with an open-addressing index by id. A
 * customer whose latest time is older than the oldest slot's, when the
 * list is full, is not among the `customers` most recent, and so leaves
 * the window no later than every slot does: dropping it changes no
 * "count >= customers" decision, which is why the opening is exact.
 * The affected set of an open incident is a second index of copied ids
 * up to INCIDENT_EXACT, then a HyperLogLog (Flajolet et al. 2007, with
 * linear counting below 2.5 m).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "incident.h"
#include "xmalloc.h"

#define INCIDENT_NIL	UINT32_MAX
#define INCIDENT_MINUTE	(60 * 1000)

struct incident_slot {
	char		*id;
	size_t		 len;
	uint64_t	 hash;
	int64_t		 t;
	uint32_t	 prev, next;	/* toward the newest, the oldest */
};

/* An affected customer, while the set is exact. */
struct incident_member {
	char		*id;		/* NULL: empty */
	size_t		 len;
	uint64_t	 hash;
};

struct incident {
	struct incident_config cfg;
	int64_t		 now;		/* now_r; INT64_MIN before any */
	int64_t		 suppressed;	/* suppressed_until_r */
	struct incident_slot *slots;	/* [cfg.customers] */
	uint32_t	 nused;
	uint32_t	 head, tail, freeslot;
	uint32_t	*index;		/* [icap]: slot + 1, 0 empty */
	size_t		 icap;
	uint32_t	*minutes;	/* [nminutes] events per minute */
	size_t		 nminutes;
	int64_t		 curmin;	/* the newest counter's minute */
	int		 open;
	int64_t		 opened, first;
	uint64_t	 peak;
	struct incident_member *set;	/* [INCIDENT_EXACT * 2], or NULL */
	size_t		 nset;
	unsigned char	*hll;		/* [INCIDENT_HLL_REGS], or NULL */
};

static int64_t
incident_floordiv(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* FNV-1a, then MurmurHash3's finalizer for the HyperLogLog's bits. */
static uint64_t
incident_hash(const char *s, size_t len)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= UINT64_C(0x100000001b3);
	}
	h ^= h >> 33;
	h *= UINT64_C(0xff51afd7ed558ccd);
	h ^= h >> 33;
	h *= UINT64_C(0xc4ceb9fe1a85ec53);
	h ^= h >> 33;
	return h;
}

struct incident *
incident_new(const struct incident_config *cfg)
{
	struct incident *in;
	uint32_t i;

	in = xcalloc(1, sizeof(*in));
	in->cfg = *cfg;
	in->now = INT64_MIN;
	in->suppressed = INT64_MIN;
	in->slots = xcalloc(cfg->customers, sizeof(*in->slots));
	for (i = 0; i < cfg->customers; i++)
		in->slots[i].next = i + 1 < cfg->customers ? i + 1 :
		    INCIDENT_NIL;
	in->freeslot = 0;
	in->head = in->tail = INCIDENT_NIL;
	for (in->icap = 4; in->icap < 2 * (size_t)cfg->customers; )
		in->icap *= 2;
	in->index = xcalloc(in->icap, sizeof(*in->index));
	in->nminutes = (size_t)(cfg->window / INCIDENT_MINUTE) + 2;
	in->minutes = xcalloc(in->nminutes, sizeof(*in->minutes));
	in->curmin = INT64_MIN;
	return in;
}

static void
incident_set_free(struct incident *in)
{
	size_t i;

	if (in->set != NULL)
		for (i = 0; i < 2 * INCIDENT_EXACT; i++)
			free(in->set[i].id);
	free(in->set);
	free(in->hll);
	in->set = NULL;
	in->hll = NULL;
	in->nset = 0;
}

/* Empty the window: every slot free, the counters zero. */
static void
incident_clear(struct incident *in)
{
	uint32_t i, k = in->cfg.customers;

	/* Empty already (an idle rule's every event may come here). */
	if (in->nused == 0 && in->curmin == INT64_MIN)
		return;
	for (i = 0; i < k; i++) {
		free(in->slots[i].id);
		in->slots[i].id = NULL;
		in->slots[i].next = i + 1 < k ? i + 1 : INCIDENT_NIL;
	}
	in->freeslot = 0;
	in->head = in->tail = INCIDENT_NIL;
	in->nused = 0;
	memset(in->index, 0, in->icap * sizeof(*in->index));
	memset(in->minutes, 0, in->nminutes * sizeof(*in->minutes));
	in->curmin = INT64_MIN;
}

void
incident_free(struct incident *in)
{
	if (in == NULL)
		return;
	incident_clear(in);
	incident_set_free(in);
	free(in->slots);
	free(in->index);
	free(in->minutes);
	free(in);
}

const struct incident_config *
incident_config(const struct incident *in)
{
	return &in->cfg;
}

/* The index position of id, or of the empty place where it would go. */
static size_t
incident_find(const struct incident *in, const char *id, size_t len,
    uint64_t h)
{
	size_t i = (size_t)h & (in->icap - 1);
	const struct incident_slot *s;

	for (; in->index[i] != 0; i = (i + 1) & (in->icap - 1)) {
		s = &in->slots[in->index[i] - 1];
		if (s->hash == h && s->len == len &&
		    memcmp(s->id, id, len) == 0)
			break;
	}
	return i;
}

/* Take index entry i out, shifting back the entries after it. */
static void
incident_unindex(struct incident *in, size_t i)
{
	size_t j = i, home, mask = in->icap - 1;

	for (;;) {
		in->index[i] = 0;
		for (;;) {
			j = (j + 1) & mask;
			if (in->index[j] == 0)
				return;
			home = (size_t)in->slots[in->index[j] - 1].hash & mask;
			/* Stays unless its home is cyclically in (i, j]. */
			if (i <= j ? (home <= i || home > j) :
			    (home <= i && home > j))
				break;
		}
		in->index[i] = in->index[j];
		i = j;
	}
}

static void
incident_unlink(struct incident *in, uint32_t k)
{
	struct incident_slot *s = &in->slots[k];

	if (s->prev != INCIDENT_NIL)
		in->slots[s->prev].next = s->next;
	else
		in->head = s->next;
	if (s->next != INCIDENT_NIL)
		in->slots[s->next].prev = s->prev;
	else
		in->tail = s->prev;
}

/* Link slot k in by its time: after the slots newer than it. */
static void
incident_link(struct incident *in, uint32_t k)
{
	struct incident_slot *s = &in->slots[k];
	uint32_t at = in->head, before = INCIDENT_NIL;

	while (at != INCIDENT_NIL && in->slots[at].t > s->t) {
		before = at;
		at = in->slots[at].next;
	}
	s->prev = before;
	s->next = at;
	if (before != INCIDENT_NIL)
		in->slots[before].next = k;
	else
		in->head = k;
	if (at != INCIDENT_NIL)
		in->slots[at].prev = k;
	else
		in->tail = k;
}

/* Drop slot k from the window. */
static void
incident_drop(struct incident *in, uint32_t k)
{
	struct incident_slot *s = &in->slots[k];

	incident_unindex(in, incident_find(in, s->id, s->len, s->hash));
	incident_unlink(in, k);
	free(s->id);
	s->id = NULL;
	s->next = in->freeslot;
	in->freeslot = k;
	in->nused--;
}

/* A new slot for id at t; the list has room. */
static void
incident_take(struct incident *in, size_t pos, const char *id, size_t len,
    uint64_t h, int64_t t)
{
	uint32_t k = in->freeslot;
	struct incident_slot *s = &in->slots[k];

	in->freeslot = s->next;
	s->id = xmalloc(len + 1);
	memcpy(s->id, id, len);
	s->id[len] = '\0';
	s->len = len;
	s->hash = h;
	s->t = t;
	in->index[pos] = k + 1;
	incident_link(in, k);
	in->nused++;
}

static void
incident_hll_add(unsigned char *reg, uint64_t h)
{
	uint64_t w = (h << INCIDENT_HLL_BITS) |
	    (UINT64_C(1) << (INCIDENT_HLL_BITS - 1));
	unsigned i = (unsigned)(h >> (64 - INCIDENT_HLL_BITS));
	unsigned char rank = (unsigned char)(__builtin_clzll(w) + 1);

	if (reg[i] < rank)
		reg[i] = rank;
}

static uint64_t
incident_hll_count(const unsigned char *reg)
{
	double m = INCIDENT_HLL_REGS, sum = 0, est;
	unsigned i, zeros = 0;

	for (i = 0; i < INCIDENT_HLL_REGS; i++) {
		sum += ldexp(1.0, -(int)reg[i]);
		zeros += reg[i] == 0;
	}
	est = 0.7213 / (1 + 1.079 / m) * m * m / sum;
	if (est <= 2.5 * m && zeros > 0)
		est = m * log(m / zeros);
	return (uint64_t)(est + 0.5);
}

/* One customer into the open incident's affected set. */
static void
incident_affect(struct incident *in, const char *id, size_t len, uint64_t h)
{
	struct incident_member *mb;
	size_t i, mask = 2 * INCIDENT_EXACT - 1;

	if (in->hll != NULL) {
		incident_hll_add(in->hll, h);
		return;
	}
	for (i = (size_t)h & mask; in->set[i].id != NULL; i = (i + 1) & mask)
		if (in->set[i].hash == h && in->set[i].len == len &&
		    memcmp(in->set[i].id, id, len) == 0)
			return;
	if (in->nset < INCIDENT_EXACT) {
		mb = &in->set[i];
		mb->id = xmalloc(len + 1);
		memcpy(mb->id, id, len);
		mb->id[len] = '\0';
		mb->len = len;
		mb->hash = h;
		in->nset++;
		return;
	}
	/* Past the bound: every member into the registers, then this one. */
	in->hll = xcalloc(INCIDENT_HLL_REGS, 1);
	for (i = 0; i <= mask; i++)
		if (in->set[i].id != NULL)
			incident_hll_add(in->hll, in->set[i].hash);
	incident_hll_add(in->hll, h);
	for (i = 0; i <= mask; i++)
		free(in->set[i].id);
	free(in->set);
	in->set = NULL;
	in->nset = 0;
}

/* Minute m's counter in the ring. */
static size_t
incident_minute_slot(const struct incident *in, int64_t m)
{
	int64_t n = (int64_t)in->nminutes;

	return (size_t)(m - incident_floordiv(m, n) * n);
}

/* The event's minute counter, as the clock moves (semantics 11). */
static uint32_t
incident_minute(struct incident *in, int64_t t)
{
	int64_t m = incident_floordiv(t, INCIDENT_MINUTE), d;
	size_t n = in->nminutes;

	if (in->curmin == INT64_MIN || m - in->curmin >= (int64_t)n) {
		memset(in->minutes, 0, n * sizeof(*in->minutes));
		in->curmin = m;
	}
	for (d = in->curmin + 1; d <= m; d++)
		in->minutes[incident_minute_slot(in, d)] = 0;
	if (m > in->curmin)
		in->curmin = m;
	if (in->curmin - m >= (int64_t)n)
		return 0;
	return ++in->minutes[incident_minute_slot(in, m)];
}

/* Semantics 9: open, the window's customers the first affected. */
static void
incident_open(struct incident *in, struct incident_info *info)
{
	int64_t lo;
	uint32_t k, c;
	size_t i;

	in->open = 1;
	in->opened = in->now;
	in->first = in->slots[in->tail].t;
	/* Semantics 11: the minutes that end after the opening - window. */
	in->peak = 0;
	lo = incident_floordiv(in->now - in->cfg.window, INCIDENT_MINUTE);
	for (i = 0; i < in->nminutes && in->curmin - (int64_t)i >= lo; i++) {
		c = in->minutes[incident_minute_slot(in, in->curmin -
		    (int64_t)i)];
		if (c > in->peak)
			in->peak = c;
	}
	in->set = xcalloc(2 * INCIDENT_EXACT, sizeof(*in->set));
	for (k = in->tail; k != INCIDENT_NIL; k = in->slots[k].prev)
		incident_affect(in, in->slots[k].id, in->slots[k].len,
		    in->slots[k].hash);
	memset(info, 0, sizeof(*info));
	info->time = info->opened = in->opened;
	info->first = in->first;
	info->last = in->now;
	info->customers = in->nused;
	info->peak = in->peak;
	for (k = in->head; k != INCIDENT_NIL &&
	    info->nsamples < INCIDENT_SAMPLES; k = in->slots[k].next) {
		info->sample[info->nsamples] = in->slots[k].id;
		info->samplelen[info->nsamples++] = in->slots[k].len;
	}
}

enum incident_result
incident_add(struct incident *in, const char *id, size_t len, int64_t t,
    int64_t T, struct incident_info *opened)
{
	int64_t w = in->cfg.window;
	uint64_t h;
	uint32_t k, c;
	size_t pos;

	/* Semantics 7: an idle rule starts afresh, then late is late. */
	if (in->now == INT64_MIN || (T != INT64_MIN && in->now <= T - w)) {
		incident_clear(in);
		in->now = t;
	}
	if (t <= in->now - w)
		return INCIDENT_LATE;
	if (t > in->now)
		in->now = t;
	while (in->tail != INCIDENT_NIL && in->slots[in->tail].t <= in->now - w)
		incident_drop(in, in->tail);
	c = incident_minute(in, t);
	if (in->open && c > in->peak)
		in->peak = c;
	h = incident_hash(id, len);
	pos = incident_find(in, id, len, h);
	if ((k = in->index[pos]) != 0) {
		if (t > in->slots[k - 1].t) {
			incident_unlink(in, k - 1);
			in->slots[k - 1].t = t;
			incident_link(in, k - 1);
		}
	} else if (in->nused < in->cfg.customers) {
		incident_take(in, pos, id, len, h, t);
	} else if (t > in->slots[in->tail].t) {
		incident_drop(in, in->tail);
		incident_take(in, incident_find(in, id, len, h), id, len, h, t);
	}
	if (in->open) {
		incident_affect(in, id, len, h);
		return INCIDENT_JOINED;
	}
	if (in->now >= in->suppressed && in->nused >= in->cfg.customers) {
		incident_open(in, opened);
		return INCIDENT_OPENED;
	}
	return INCIDENT_JOINED;
}

int
incident_is_open(const struct incident *in)
{
	return in->open;
}

int64_t
incident_opened(const struct incident *in)
{
	return in->opened;
}

int
incident_due(const struct incident *in, int64_t u)
{
	return in->open && in->now <= u - in->cfg.window;
}

void
incident_end(struct incident *in, struct incident_info *info)
{
	memset(info, 0, sizeof(*info));
	info->time = in->now + in->cfg.window;
	info->opened = in->opened;
	info->first = in->first;
	info->last = in->now;
	info->approximate = in->hll != NULL;
	info->customers = in->hll != NULL ? incident_hll_count(in->hll) :
	    in->nset;
	info->peak = in->peak;
	in->open = 0;
	in->suppressed = in->now + in->cfg.window + in->cfg.cooldown;
	incident_set_free(in);
	incident_clear(in);
}

size_t
incident_memory(const struct incident *in)
{
	size_t n = sizeof(*in), i;
	uint32_t k;

	n += in->cfg.customers * sizeof(*in->slots);
	n += in->icap * sizeof(*in->index);
	n += in->nminutes * sizeof(*in->minutes);
	for (k = in->head; k != INCIDENT_NIL; k = in->slots[k].next)
		n += in->slots[k].len + 1;
	if (in->set != NULL) {
		n += 2 * INCIDENT_EXACT * sizeof(*in->set);
		for (i = 0; i < 2 * INCIDENT_EXACT; i++)
			if (in->set[i].id != NULL)
				n += in->set[i].len + 1;
	}
	if (in->hll != NULL)
		n += INCIDENT_HLL_REGS;
	return n;
}

/* --state's bytes: a growing buffer. */
struct incident_buf {
	unsigned char	*p;
	size_t		 len, cap;
};

static void
incident_put(struct incident_buf *b, const void *p, size_t len)
{
	if (b->len + len > b->cap) {
		while (b->len + len > b->cap)
			b->cap = b->cap ? 2 * b->cap : 256;
		b->p = xreallocarray(b->p, b->cap, 1);
	}
	memcpy(b->p + b->len, p, len);
	b->len += len;
}

static void
incident_put_le(struct incident_buf *b, uint64_t v, size_t size)
{
	unsigned char c[8];
	size_t i;

	for (i = 0; i < size; i++)
		c[i] = (unsigned char)(v >> (8 * i));
	incident_put(b, c, size);
}

static void
incident_put_id(struct incident_buf *b, const char *id, size_t len)
{
	incident_put_le(b, len, 2);
	incident_put(b, id, len);
}

unsigned char *
incident_export(const struct incident *in, size_t *len)
{
	struct incident_buf b = { NULL, 0, 0 };
	uint32_t k;
	size_t i;

	incident_put_le(&b, (uint64_t)in->now, 8);
	incident_put_le(&b, (uint64_t)in->suppressed, 8);
	incident_put_le(&b, in->nused, 4);
	for (k = in->tail; k != INCIDENT_NIL; k = in->slots[k].prev) {
		incident_put_id(&b, in->slots[k].id, in->slots[k].len);
		incident_put_le(&b, (uint64_t)in->slots[k].t, 8);
	}
	incident_put_le(&b, (uint64_t)in->curmin, 8);
	incident_put_le(&b, in->nminutes, 4);
	for (i = 0; i < in->nminutes; i++)
		incident_put_le(&b, in->minutes[i], 4);
	incident_put_le(&b, (uint64_t)in->open, 1);
	if (in->open) {
		incident_put_le(&b, (uint64_t)in->opened, 8);
		incident_put_le(&b, (uint64_t)in->first, 8);
		incident_put_le(&b, in->peak, 8);
		incident_put_le(&b, in->hll != NULL, 1);
		if (in->hll != NULL)
			incident_put(&b, in->hll, INCIDENT_HLL_REGS);
		else {
			incident_put_le(&b, in->nset, 4);
			for (i = 0; i < 2 * INCIDENT_EXACT; i++)
				if (in->set[i].id != NULL)
					incident_put_id(&b, in->set[i].id,
					    in->set[i].len);
		}
	}
	*len = b.len;
	return b.p;
}

/* Reading --state's bytes; bad is set by any read past the end. */
struct incident_in {
	const unsigned char *p;
	size_t		 len, off;
	int		 bad;
};

static uint64_t
incident_get_le(struct incident_in *r, size_t size)
{
	uint64_t v = 0;
	size_t i;

	if (r->bad || r->len - r->off < size) {
		r->bad = 1;
		return 0;
	}
	for (i = 0; i < size; i++)
		v |= (uint64_t)r->p[r->off + i] << (8 * i);
	r->off += size;
	return v;
}

/* An id: 1 to 256 bytes (semantics 2), pointing into the bytes. */
static const char *
incident_get_id(struct incident_in *r, size_t *len)
{
	const char *id;

	*len = (size_t)incident_get_le(r, 2);
	if (r->bad || *len == 0 || *len > 256 || r->len - r->off < *len) {
		r->bad = 1;
		return NULL;
	}
	id = (const char *)r->p + r->off;
	r->off += *len;
	return id;
}

/* The window's customers, oldest first, into fresh tracker in. */
static int
incident_get_window(struct incident *in, struct incident_in *r)
{
	uint32_t n, i;
	const char *id;
	int64_t t, prev = INT64_MIN;
	uint64_t h;
	size_t len, pos;

	n = (uint32_t)incident_get_le(r, 4);
	if (r->bad || n > in->cfg.customers || (n > 0 &&
	    in->now == INT64_MIN))
		return -1;
	for (i = 0; i < n; i++) {
		id = incident_get_id(r, &len);
		t = (int64_t)incident_get_le(r, 8);
		if (r->bad || t < prev || t > in->now ||
		    t <= in->now - in->cfg.window)
			return -1;
		prev = t;
		h = incident_hash(id, len);
		pos = incident_find(in, id, len, h);
		if (in->index[pos] != 0)
			return -1;
		incident_take(in, pos, id, len, h, t);
	}
	return 0;
}

static int
incident_get_open(struct incident *in, struct incident_in *r)
{
	uint32_t n, i;
	const char *id;
	size_t len;

	in->opened = (int64_t)incident_get_le(r, 8);
	in->first = (int64_t)incident_get_le(r, 8);
	in->peak = incident_get_le(r, 8);
	in->set = xcalloc(2 * INCIDENT_EXACT, sizeof(*in->set));
	if (incident_get_le(r, 1) != 0) {
		if (r->bad || r->len - r->off < INCIDENT_HLL_REGS)
			return -1;
		in->hll = xmalloc(INCIDENT_HLL_REGS);
		memcpy(in->hll, r->p + r->off, INCIDENT_HLL_REGS);
		r->off += INCIDENT_HLL_REGS;
		for (i = 0; i < INCIDENT_HLL_REGS; i++)
			if (in->hll[i] > 64 - INCIDENT_HLL_BITS + 1)
				return -1;
		free(in->set);
		in->set = NULL;
		return 0;
	}
	n = (uint32_t)incident_get_le(r, 4);
	if (r->bad || n > INCIDENT_EXACT)
		return -1;
	for (i = 0; i < n; i++) {
		if ((id = incident_get_id(r, &len)) == NULL)
			return -1;
		incident_affect(in, id, len, incident_hash(id, len));
	}
	return in->nset == n && !r->bad ? 0 : -1;
}

/* The whole of r into fresh tracker in; -1 on any bad length or value. */
static int
incident_get(struct incident *in, struct incident_in *r)
{
	size_t i;
	int open;

	in->now = (int64_t)incident_get_le(r, 8);
	in->suppressed = (int64_t)incident_get_le(r, 8);
	if (incident_get_window(in, r) == -1)
		return -1;
	in->curmin = (int64_t)incident_get_le(r, 8);
	if (incident_get_le(r, 4) != in->nminutes || r->bad)
		return -1;
	for (i = 0; i < in->nminutes; i++)
		in->minutes[i] = (uint32_t)incident_get_le(r, 4);
	open = (int)incident_get_le(r, 1);
	if (r->bad || open > 1 || (open && in->nused == 0))
		return -1;
	in->open = open;
	if (open && incident_get_open(in, r) == -1)
		return -1;
	return r->bad || r->off != r->len ? -1 : 0;
}

void
incident_swap(struct incident *a, struct incident *b)
{
	struct incident t = *a;

	*a = *b;
	*b = t;
}

int
incident_import(struct incident *in, const unsigned char *p, size_t len,
    const char **why)
{
	struct incident_in r = { p, len, 0, 0 };
	struct incident *tmp = incident_new(&in->cfg);

	if (incident_get(tmp, &r) == -1) {
		incident_free(tmp);
		*why = "a bad incident tracker";
		return -1;
	}
	incident_swap(in, tmp);
	incident_free(tmp);
	return 0;
}
