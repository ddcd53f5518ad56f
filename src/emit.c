/*
 * emit: lines a rule decided → JSON events on the bus (emit.h). The
 * events' sequence numbers start at 1 with each run, so the same run
 * repeated within the stream's duplicate window publishes no event
 * twice.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bus.h"
#include "emit.h"
#include "match.h"
#include "obuf.h"
#include "rules.h"
#include "xmalloc.h"

#define EMIT_WM_EVERY	1.0	/* s of wall time between watermarks */

struct emit {
	struct bus		*bus;
	const struct ruleset	*rs;
	char			*prefix;
	unsigned		 partitions;
	char			*producer;
	int			 evidence;
	uint64_t		 seq;		/* the last event's */
	int64_t			 latest;	/* log time; INT64_MIN */
	uint64_t		 seen;		/* emit_seen_cb() calls */
	double			 wmlast;	/* wall time of the last wm */
	struct obuf		*msg;		/* the message being made */
	char			*cause;		/* the first failure */
	uint64_t		 failed;	/* messages not published */
	uint64_t		 runid;		/* 0, or emit_live()'s */
	uint64_t		 first;		/* seq before this run's */
	/* Live: the log's clock while quiet, as loop.c's local one. */
	int64_t			 qlog;		/* latest when last moved */
	double			 qwall;		/* ... and the wall then */
};

static double
emit_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct emit *
emit_new(struct bus *b, const struct ruleset *rs, const char *prefix,
    unsigned partitions, const char *producer, int evidence)
{
	struct emit *em = xcalloc(1, sizeof(*em));

	em->bus = b;
	em->rs = rs;
	em->prefix = xstrdup(prefix);
	em->partitions = partitions;
	em->producer = xstrdup(producer);
	em->evidence = evidence;
	em->latest = INT64_MIN;
	em->wmlast = emit_clock();
	em->msg = obuf_new(-1, 1024);
	return em;
}

void
emit_free(struct emit *em)
{
	if (em == NULL)
		return;
	obuf_free(em->msg);
	free(em->prefix);
	free(em->producer);
	free(em->cause);
	free(em);
}

/*
 * The message in em->msg to PREFIX.kind.p. An event's id is
 * PRODUCER-SEQ; a watermark has none: one more of them changes nothing,
 * and one taken for a duplicate could be a last one lost.
 */
static void
emit_send(struct emit *em, const char *kind, unsigned p, int withid)
{
	char subject[256], id[320];
	const char *data;
	char *cause;
	size_t len;

	(void)snprintf(subject, sizeof(subject), "%s.%s.%u", em->prefix, kind,
	    p);
	if (em->runid != 0)
		(void)snprintf(id, sizeof(id), "%s~%" PRIx64 "-%" PRIu64,
		    em->producer, em->runid, em->seq);
	else
		(void)snprintf(id, sizeof(id), "%s-%" PRIu64, em->producer,
		    em->seq);
	data = obuf_data(em->msg, &len);
	if (em->cause != NULL) {
		em->failed++;
		return;
	}
	if (bus_publish_wait(em->bus, subject, data, len, withid ? id : NULL,
	    &cause) == -1) {
		em->cause = cause;
		em->failed++;
	}
}

/* The wall clock, ms since the epoch, for the consumers' timeout. */
static int64_t
emit_wall(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
emit_watermarks(struct emit *em, int end)
{
	char *cause;
	unsigned p;

	/*
	 * Every event before it stored first: one refused for a while and
	 * sent again must not come after a watermark past it.
	 */
	if (em->cause == NULL && bus_flush_wait(em->bus, -1, &cause) == -1) {
		em->cause = cause;
		return;
	}

	obuf_clear(em->msg);
	obuf_puts(em->msg, "{\"producer\":");
	obuf_jstr(em->msg, em->producer, strlen(em->producer));
	if (em->latest != INT64_MIN)
		obuf_printf(em->msg, ",\"time\":%" PRId64, em->latest);
	obuf_printf(em->msg, ",\"wall\":%" PRId64 ",\"end\":%s}",
	    emit_wall(), end ? "true" : "false");
	for (p = 0; p < em->partitions; p++)
		emit_send(em, "wm", p, 0);
	em->wmlast = emit_clock();
}

void
emit_line_cb(void *arg, const struct match *m, const struct rule *r,
    const char *line, size_t len)
{
	struct emit *em = arg;
	const char *src = em->rs->sources[m->source].name;
	struct obuf *o = em->msg;

	em->seq++;
	obuf_clear(o);
	obuf_puts(o, "{\"customer\":");
	obuf_jstr(o, m->customer, m->customerlen);
	obuf_printf(o, ",\"time\":%" PRId64 ",\"rule\":", m->time);
	obuf_jstr(o, r->name, strlen(r->name));
	obuf_puts(o, ",\"source\":");
	obuf_jstr(o, src, strlen(src));
	obuf_printf(o, ",\"weight\":%u", r->weight);
	if (line != NULL && em->evidence) {
		obuf_puts(o, ",\"line\":");
		obuf_jstr(o, line, len);
	}
	obuf_puts(o, ",\"producer\":");
	obuf_jstr(o, em->producer, strlen(em->producer));
	obuf_printf(o, ",\"seq\":%" PRIu64 "}", em->seq);
	emit_send(em, "ev", bus_partition(m->customer, m->customerlen,
	    em->partitions), 1);
	if (m->time > em->latest)
		em->latest = m->time;
	emit_tick_cb(em);
}

void
emit_seen_cb(void *arg, int64_t time)
{
	struct emit *em = arg;

	if (time > em->latest)
		em->latest = time;
	/* The clock, not for every line. */
	if ((++em->seen & 255) == 0)
		emit_tick_cb(em);
}

void
emit_tick_cb(void *arg)
{
	struct emit *em = arg;
	double now;

	/*
	 * Live and quiet for a second or more: the watermark moves on with
	 * the wall clock from the last line's time, as a local run's log
	 * clock does (loop.c), so a lone failure is not held back for ever.
	 */
	if (em->runid != 0 && em->latest != INT64_MIN) {
		now = emit_clock();
		if (em->latest != em->qlog) {
			em->qlog = em->latest;
			em->qwall = now;
		} else if (now - em->qwall >= 1) {
			em->latest += (int64_t)((now - em->qwall) * 1000);
			em->qlog = em->latest;
			em->qwall = now;
		}
	}

	if (emit_clock() - em->wmlast >= EMIT_WM_EVERY)
		emit_watermarks(em, 0);
}

int
emit_finish(struct emit *em, char **cause)
{
	char *fcause;

	emit_watermarks(em, 1);
	if (em->cause == NULL && bus_flush_wait(em->bus, -1, &fcause) == -1)
		em->cause = fcause;
	if (em->cause == NULL)
		return 0;
	if (em->failed > 0)
		*cause = xasprintf("%s; %" PRIu64 " messages not published",
		    em->cause, em->failed);
	else
		*cause = xstrdup(em->cause);
	return -1;
}

void
emit_live(struct emit *em, uint64_t runid)
{
	em->runid = runid != 0 ? runid : 1;
}

void
emit_set_seq(struct emit *em, uint64_t seq)
{
	em->seq = em->first = seq;
}

uint64_t
emit_seq(const struct emit *em)
{
	return em->seq;
}

void
emit_stats_write(struct emit *em, FILE *fp)
{
	struct bus_pub_stats st;

	bus_pub_stats(em->bus, &st);
	if (em->seq > em->first)
		fprintf(fp, "emit: %" PRIu64 " events (seq %" PRIu64 " to %"
		    PRIu64 "), ", em->seq - em->first, em->first + 1, em->seq);
	else
		fprintf(fp, "emit: no events, ");
	fprintf(fp, "%" PRIu64 " messages published, %" PRIu64
	    " acknowledged, %" PRIu64 " refused\n", st.published, st.acked,
	    st.refused);
	fprintf(fp, "emit retries: %" PRIu64 " connection attempts failed, %"
	    PRIu64 " connections lost, %" PRIu64 " messages sent again\n",
	    st.connects, st.disconnects, st.resent);
}

const char *
emit_producer(const struct emit *em)
{
	return em->producer;
}
