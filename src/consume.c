/*
 * consume: one partition's events, ordered by watermark, into the engine
 * (consume.h). The held events are a binary min-heap on (time, producer,
 * seq); each is one allocation, its customer and line after it.
 *
 * Messages are acknowledged as they are taken in, held or applied; what
 * a run keeps across runs is its position (consume_export()), in the
 * checkpoint worker.c saves, and a stop leaves what it holds to be read
 * again from there.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bus.h"
#include "consume.h"
#include "engine.h"
#include "jsonl.h"
#include "match.h"
#include "obuf.h"
#include "rules.h"
#include "xmalloc.h"

#define CONSUME_MAXMSG	(1024 * 1024)	/* bytes of one message */
#define CONSUME_WAIT	500		/* ms a fetch waits */

/* The fields of events and watermarks (emit.h), in jsonl's order. */
enum { F_CUSTOMER, F_TIME, F_RULE, F_SOURCE, F_WEIGHT, F_LINE, F_PRODUCER,
    F_SEQ, F_END, F_WALL, F_N };
static const char *const consume_fields[F_N] = { "customer", "time", "rule",
    "source", "weight", "line", "producer", "seq", "end", "wall" };

struct consume_ev {
	int64_t		 time;
	uint64_t	 sseq;		/* its stream sequence number */
	size_t		 producer;	/* index in prod */
	uint64_t	 seq;
	int		 rule;
	size_t		 customerlen;
	size_t		 linelen;
	char		 data[];	/* customer, then line */
};

struct consume_producer {
	char		*name;
	char		*shown;		/* name, printable: for messages */
	int64_t		 wm;		/* INT64_MIN before one */
	int64_t		 wall;		/* its last watermark's clock */
	int		 ended;
	int		 idle;
};

struct consume {
	struct engine		*e;
	const struct ruleset	*rs;
	struct obuf		*out;
	char			*prefix;
	size_t			 prefixlen;
	struct consume_conf	 conf;
	unsigned		 want;		/* nproducers */
	int64_t			 maxwall;	/* newest wall of any */
	struct consume_producer	*prod;
	size_t			 nprod;
	struct consume_ev	**heap;
	size_t			 nheap, capheap;
	/* The last event released: (time, producer, seq). */
	int64_t			 rtime;
	size_t			 rprod;		/* SIZE_MAX: none yet */
	uint64_t		 rseq;
	struct jsonl_paths	*paths;
	struct jsonl		*jl;
	struct consume_stats	 st;
	int			 unflushed;	/* late ones applied */
	uint64_t		 msgseq;	/* the message's, in the cb */
	uint64_t		 seen;		/* the highest taken in */
	uint64_t		 skipto;	/* a checkpoint's seen */
	uint64_t		 floor;		/* ... and its resume */
	uint64_t		 got;		/* the highest this run */
};

struct consume *
consume_new(struct engine *e, const struct ruleset *rs, struct obuf *out,
    const char *prefix, const struct consume_conf *conf)
{
	struct consume *c = xcalloc(1, sizeof(*c));
	struct jsonl_badpath bad;

	c->e = e;
	c->rs = rs;
	c->out = out;
	c->prefix = xstrdup(prefix);
	c->prefixlen = strlen(prefix);
	c->conf = *conf;
	c->want = conf->nproducers;
	c->maxwall = INT64_MIN;
	c->rtime = INT64_MIN;
	c->rprod = SIZE_MAX;
	c->paths = jsonl_paths_new(consume_fields, F_N, NULL, &bad);
	c->jl = jsonl_new(c->paths, CONSUME_MAXMSG);
	return c;
}

void
consume_free(struct consume *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nheap; i++)
		free(c->heap[i]);
	free(c->heap);
	for (i = 0; i < c->nprod; i++) {
		free(c->prod[i].name);
		free(c->prod[i].shown);
	}
	free(c->prod);
	jsonl_free(c->jl);
	jsonl_paths_free(c->paths);
	free(c->prefix);
	free(c);
}

const struct consume_stats *
consume_stats(const struct consume *c)
{
	return &c->st;
}

/* (t, p, seq) before (t2, p2, seq2); p2 SIZE_MAX comes first of all */
static int
consume_key_before(const struct consume *c, int64_t t, size_t p,
    uint64_t seq, int64_t t2, size_t p2, uint64_t seq2)
{
	if (t != t2)
		return t < t2;
	if (p2 == SIZE_MAX)
		return 0;
	if (p != p2)
		return strcmp(c->prod[p].name, c->prod[p2].name) < 0;
	return seq < seq2;
}

/* a before b in (time, producer, seq) */
static int
consume_before(const struct consume *c, const struct consume_ev *a,
    const struct consume_ev *b)
{
	return consume_key_before(c, a->time, a->producer, a->seq, b->time,
	    b->producer, b->seq);
}

static void
consume_push(struct consume *c, struct consume_ev *ev)
{
	struct consume_ev *t;
	size_t i, up;

	if (c->nheap == c->capheap) {
		c->capheap = c->capheap == 0 ? 256 : c->capheap * 2;
		c->heap = xreallocarray(c->heap, c->capheap,
		    sizeof(*c->heap));
	}
	i = c->nheap++;
	c->heap[i] = ev;
	while (i > 0 && consume_before(c, c->heap[i],
	    c->heap[up = (i - 1) / 2])) {
		t = c->heap[i];
		c->heap[i] = c->heap[up];
		c->heap[up] = t;
		i = up;
	}
}

static struct consume_ev *
consume_pop(struct consume *c)
{
	struct consume_ev *top = c->heap[0], *t;
	size_t i = 0, k, n;

	n = --c->nheap;
	c->heap[0] = c->heap[n];
	for (;;) {
		k = 2 * i + 1;
		if (k >= n)
			break;
		if (k + 1 < n && consume_before(c, c->heap[k + 1], c->heap[k]))
			k++;
		if (!consume_before(c, c->heap[k], c->heap[i]))
			break;
		t = c->heap[i];
		c->heap[i] = c->heap[k];
		c->heap[k] = t;
		i = k;
	}
	return top;
}

/* The event, to the engine as a line its rule decided. */
static void
consume_apply(struct consume *c, struct consume_ev *ev)
{
	const struct rule *r = &c->rs->rules[ev->rule];
	struct match m;

	memset(&m, 0, sizeof(m));
	m.status = MATCH_EVENT;
	m.source = (int)r->source;
	m.rule = ev->rule;
	m.customer = ev->data;
	m.customerlen = ev->customerlen;
	m.craw = m.customer;
	m.crawlen = m.customerlen;
	/* As the producer let them out: pseudonym and redaction done. */
	m.pseudonymized = 1;
	m.evline = ev->data + ev->customerlen;
	m.evlen = ev->linelen;
	m.time = ev->time;
	engine_line_decided(c->e, "--consume", ev->seq, &m, NULL, 0,
	    m.evline, m.evlen);
	if (c->rprod == SIZE_MAX || consume_key_before(c, c->rtime, c->rprod,
	    c->rseq, ev->time, ev->producer, ev->seq)) {
		c->rtime = ev->time;
		c->rprod = ev->producer;
		c->rseq = ev->seq;
	}
	free(ev);
}

static size_t
consume_producer(struct consume *c, const struct jsonl_value *v)
{
	size_t i, k;

	for (i = 0; i < c->nprod; i++)
		if (strlen(c->prod[i].name) == v->len &&
		    memcmp(c->prod[i].name, v->p, v->len) == 0)
			return i;
	c->prod = xreallocarray(c->prod, c->nprod + 1, sizeof(*c->prod));
	c->prod[i].name = xstrndup(v->p, v->len);
	c->prod[i].shown = xstrndup(v->p, v->len < 64 ? v->len : 64);
	for (k = 0; c->prod[i].shown[k] != '\0'; k++)
		if (c->prod[i].shown[k] < 0x21 || c->prod[i].shown[k] > 0x7e)
			c->prod[i].shown[k] = '?';
	c->prod[i].wm = INT64_MIN;
	c->prod[i].wall = INT64_MIN;
	c->prod[i].ended = 0;
	c->prod[i].idle = 0;
	return c->nprod++;
}

/* A JSON integer; -1 when v is not one. */
static int
consume_int(const struct jsonl_value *v, int64_t *n)
{
	char buf[32], *end;

	if (v->type != JSONL_NUMBER || v->len >= sizeof(buf))
		return -1;
	memcpy(buf, v->p, v->len);
	buf[v->len] = '\0';
	*n = strtoll(buf, &end, 10);
	return *end == '\0' ? 0 : -1;
}

static int
consume_rule(const struct consume *c, const struct jsonl_value *v)
{
	size_t i;

	for (i = 0; i < c->rs->nrules; i++)
		if (strlen(c->rs->rules[i].name) == v->len &&
		    memcmp(c->rs->rules[i].name, v->p, v->len) == 0)
			return (int)i;
	return -1;
}

static void
consume_bad(struct consume *c, const char *why)
{
	c->st.bad++;
	if (c->st.badwhy == NULL)
		c->st.badwhy = why;
}

static void
consume_event(struct consume *c)
{
	const struct jsonl_value *v[F_N];
	struct consume_ev *ev;
	const struct rule *r;
	const char *src;
	int64_t t, w, seq;
	size_t i, p, ll;
	int rule;

	for (i = 0; i < F_N; i++)
		v[i] = jsonl_value(c->jl, i);
	if (v[F_CUSTOMER]->type != JSONL_STRING ||
	    v[F_CUSTOMER]->len == 0 || v[F_RULE]->type != JSONL_STRING ||
	    v[F_SOURCE]->type != JSONL_STRING ||
	    v[F_PRODUCER]->type != JSONL_STRING ||
	    consume_int(v[F_TIME], &t) == -1 ||
	    consume_int(v[F_WEIGHT], &w) == -1 ||
	    consume_int(v[F_SEQ], &seq) == -1 ||
	    (v[F_LINE]->present && v[F_LINE]->type != JSONL_STRING)) {
		consume_bad(c, "an event without its fields");
		return;
	}
	if ((rule = consume_rule(c, v[F_RULE])) == -1) {
		consume_bad(c, "an event of a rule these rules do not have");
		return;
	}
	r = &c->rs->rules[rule];
	src = c->rs->sources[r->source].name;
	if (strlen(src) != v[F_SOURCE]->len ||
	    memcmp(src, v[F_SOURCE]->p, v[F_SOURCE]->len) != 0) {
		consume_bad(c, "an event whose rule has another source here");
		return;
	}
	if (!r->forgiving && w != (int64_t)r->weight)
		c->st.reweighted++;
	p = consume_producer(c, v[F_PRODUCER]);
	/*
	 * Read again after a checkpoint was loaded: applied already, by
	 * this or the worker before, when it was released (or late) then.
	 */
	if (c->msgseq <= c->skipto && c->rprod != SIZE_MAX &&
	    !consume_key_before(c, c->rtime, c->rprod, c->rseq, t, p,
	    (uint64_t)seq)) {
		c->st.replayed++;
		return;
	}
	c->st.events++;
	c->prod[p].ended = 0;
	ll = v[F_LINE]->present ? v[F_LINE]->len : 0;
	ev = xmalloc(sizeof(*ev) + v[F_CUSTOMER]->len + ll);
	ev->time = t;
	ev->sseq = c->msgseq;
	ev->producer = p;
	ev->seq = (uint64_t)seq;
	ev->rule = rule;
	ev->customerlen = v[F_CUSTOMER]->len;
	ev->linelen = ll;
	memcpy(ev->data, v[F_CUSTOMER]->p, ev->customerlen);
	if (ll > 0)
		memcpy(ev->data + ev->customerlen, v[F_LINE]->p, ll);
	/* Before what went out: it cannot take its place now. */
	if (c->rprod != SIZE_MAX && consume_key_before(c, t, p, ev->seq,
	    c->rtime, c->rprod, c->rseq)) {
		c->st.late++;
		consume_apply(c, ev);
		c->unflushed = 1;
	} else
		consume_push(c, ev);
}

static void
consume_watermark(struct consume *c)
{
	const struct jsonl_value *pv = jsonl_value(c->jl, F_PRODUCER),
	    *tv = jsonl_value(c->jl, F_TIME), *ev = jsonl_value(c->jl, F_END),
	    *wv = jsonl_value(c->jl, F_WALL);
	int64_t t, wall;
	size_t p;

	if (pv->type != JSONL_STRING || (tv->present &&
	    consume_int(tv, &t) == -1) || (ev->type != JSONL_TRUE &&
	    ev->type != JSONL_FALSE) || (wv->present &&
	    consume_int(wv, &wall) == -1)) {
		consume_bad(c, "a watermark without its fields");
		return;
	}
	p = consume_producer(c, pv);
	if (tv->present && t > c->prod[p].wm)
		c->prod[p].wm = t;
	c->prod[p].ended = ev->type == JSONL_TRUE;
	if (wv->present) {
		if (wall > c->prod[p].wall)
			c->prod[p].wall = wall;
		if (wall > c->maxwall)
			c->maxwall = wall;
	}
	if (c->prod[p].idle) {
		c->prod[p].idle = 0;
		if (c->conf.note != NULL)
			c->conf.note(c->conf.note_arg, c->prod[p].shown, 0);
	}
}

/* bus_fetch()'s callback: PREFIX.ev.K or PREFIX.wm.K. */
static void
consume_msg_cb(void *arg, const char *subject, const char *data, size_t len,
    uint64_t seq)
{
	struct consume *c = arg;
	const char *kind = subject + c->prefixlen;

	c->msgseq = seq;
	if (seq > c->seen)
		c->seen = seq;
	if (seq > c->got)
		c->got = seq;
	if (strncmp(subject, c->prefix, c->prefixlen) != 0 ||
	    (strncmp(kind, ".ev.", 4) != 0 && strncmp(kind, ".wm.", 4) != 0)) {
		consume_bad(c, "a message on a subject not an event's or a "
		    "watermark's");
		return;
	}
	if (jsonl_parse(c->jl, data, len) == -1) {
		consume_bad(c, "a message that is not a JSON object");
		return;
	}
	if (kind[1] == 'e')
		consume_event(c);
	else
		consume_watermark(c);
}

/*
 * Producers silent too long, by the clocks in their watermarks: idle,
 * until they are heard from again (consume_watermark()).
 */
static void
consume_idle(struct consume *c)
{
	size_t i;

	if (c->conf.idle <= 0 || c->maxwall == INT64_MIN)
		return;
	for (i = 0; i < c->nprod; i++) {
		struct consume_producer *p = &c->prod[i];

		if (p->ended || p->idle || p->wall == INT64_MIN ||
		    c->maxwall - p->wall <= c->conf.idle)
			continue;
		p->idle = 1;
		c->st.idled++;
		if (c->conf.note != NULL)
			c->conf.note(c->conf.note_arg, p->shown, 1);
	}
}

/*
 * What may go: events before the lowest watermark of the producers that
 * have neither ended nor gone idle, minus the lateness (*all when none
 * holds any back).
 */
static int64_t
consume_floor(const struct consume *c, int *all)
{
	int64_t w = INT64_MAX;
	size_t i;

	*all = 0;
	if (c->nprod < c->want)
		return INT64_MIN;
	for (i = 0; i < c->nprod; i++)
		if (!c->prod[i].ended && !c->prod[i].idle && c->prod[i].wm < w)
			w = c->prod[i].wm;
	if (w == INT64_MAX) {
		/* Only idle ones left: they hold nothing back either. */
		for (i = 0; i < c->nprod; i++)
			if (!c->prod[i].ended)
				return INT64_MAX;
		*all = 1;
		return w;
	}
	if (w == INT64_MIN)
		return w;
	return w < INT64_MIN + c->conf.lateness ? INT64_MIN :
	    w - c->conf.lateness;
}

static void
consume_release(struct consume *c, int all)
{
	int64_t w = all ? INT64_MAX : consume_floor(c, &all);
	int any = c->unflushed;

	c->unflushed = 0;
	while (c->nheap > 0 && (all || c->heap[0]->time < w)) {
		consume_apply(c, consume_pop(c));
		any = 1;
	}
	if (any)
		(void)obuf_flush(c->out);
}

static int
consume_done(const struct consume *c)
{
	int all;

	if (c->want == 0 || c->nheap > 0)
		return 0;
	(void)consume_floor(c, &all);
	return all;
}

int
consume_run(struct consume *c, struct bus_sub *bs,
    const volatile sig_atomic_t *stop, char **cause)
{
	int rv = 0;

	while (!*stop && !consume_done(c) && !obuf_gone(c->out)) {
		if (bus_fetch(bs, CONSUME_WAIT, consume_msg_cb, c,
		    cause) == -1) {
			rv = -1;
			break;
		}
		consume_idle(c);
		consume_release(c, 0);
		if (c->conf.tick != NULL && c->conf.tick(c->conf.tick_arg) == -1)
			break;
	}
	/* Stopped: what is held stays for the next run (its checkpoint). */
	return rv;
}

/*
 * The position, as text: a line "cxwatch-consume 1", then "resume SEQ"
 * (the stream sequence to read from again: the lowest of the events
 * held, or the one after the highest taken in), "seen SEQ", "released
 * TIME SEQ HEX" (or "released none"), "maxwall W", and per producer
 * "producer WM WALL ENDED IDLE HEX", names in hex.
 */
static void
consume_hex(struct obuf *o, const char *s)
{
	for (; *s != '\0'; s++)
		obuf_printf(o, "%02x", (unsigned char)*s);
}

void
consume_export(const struct consume *c, struct obuf *o)
{
	uint64_t resume = c->seen + 1;
	size_t i;

	for (i = 0; i < c->nheap; i++)
		if (c->heap[i]->sseq < resume)
			resume = c->heap[i]->sseq;
	/* What the checkpoint loaded held and is not read again yet. */
	if (c->floor > 0 && c->got < c->skipto && c->floor < resume)
		resume = c->floor;
	obuf_printf(o, "cxwatch-consume 1\nresume %" PRIu64 "\nseen %" PRIu64
	    "\n", resume, c->seen);
	if (c->rprod == SIZE_MAX)
		obuf_puts(o, "released none\n");
	else {
		obuf_printf(o, "released %" PRId64 " %" PRIu64 " ", c->rtime,
		    c->rseq);
		consume_hex(o, c->prod[c->rprod].name);
		obuf_putc(o, '\n');
	}
	obuf_printf(o, "maxwall %" PRId64 "\n", c->maxwall);
	for (i = 0; i < c->nprod; i++) {
		obuf_printf(o, "producer %" PRId64 " %" PRId64 " %d %d ",
		    c->prod[i].wm, c->prod[i].wall, c->prod[i].ended,
		    c->prod[i].idle);
		consume_hex(o, c->prod[i].name);
		obuf_putc(o, '\n');
	}
}

/* hex[0..] up to a blank or the end, as a jsonl_value for the lookup. */
static int
consume_unhex(const char *hex, char *out, size_t cap, size_t *len)
{
	size_t n = 0;
	unsigned v;

	while (hex[0] != '\0' && hex[0] != '\n') {
		if (n == cap || sscanf(hex, "%2x", &v) != 1 ||
		    !isxdigit((unsigned char)hex[1]))
			return -1;
		out[n++] = (char)v;
		hex += 2;
	}
	*len = n;
	return n > 0 ? 0 : -1;
}

int
consume_import(struct consume *c, const char *data, size_t len,
    uint64_t *resume, char **cause)
{
	char *text = xstrndup(data, len), *line, *next, name[512];
	struct jsonl_value v;
	int64_t a, b;
	uint64_t q;
	int e, i, n, ok = 1, first = 1;
	size_t p, nl;

	*resume = 0;
	for (line = text; ok && line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		n = 0;
		if (first) {
			ok = strcmp(line, "cxwatch-consume 1") == 0;
			first = 0;
		} else if (sscanf(line, "resume %" SCNu64 "%n", &q, &n) == 1 &&
		    line[n] == '\0' && q > 0)
			*resume = q;
		else if (sscanf(line, "seen %" SCNu64 "%n", &q, &n) == 1 &&
		    line[n] == '\0')
			c->seen = c->skipto = q;
		else if (strcmp(line, "released none") == 0)
			c->rprod = SIZE_MAX;
		else if (sscanf(line, "released %" SCNd64 " %" SCNu64 " %n", &a,
		    &q, &n) == 2 && consume_unhex(line + n, name,
		    sizeof(name), &nl) == 0) {
			v.p = name, v.len = nl;
			c->rtime = a;
			c->rseq = q;
			c->rprod = consume_producer(c, &v);
		} else if (sscanf(line, "maxwall %" SCNd64 "%n", &a, &n) == 1 &&
		    line[n] == '\0')
			c->maxwall = a;
		else if (sscanf(line, "producer %" SCNd64 " %" SCNd64
		    " %d %d %n", &a, &b, &e, &i, &n) == 4 &&
		    consume_unhex(line + n, name, sizeof(name), &nl) == 0) {
			v.p = name, v.len = nl;
			p = consume_producer(c, &v);
			c->prod[p].wm = a;
			c->prod[p].wall = b;
			c->prod[p].ended = e != 0;
			c->prod[p].idle = i != 0;
		} else
			ok = 0;
	}
	free(text);
	c->floor = *resume;
	if (!ok || *resume == 0) {
		*cause = xstrdup("not a consumer's position");
		return -1;
	}
	return 0;
}

uint64_t
consume_seen(const struct consume *c)
{
	return c->seen;
}
