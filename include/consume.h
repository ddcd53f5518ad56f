/*
 * consume: --consume, the detect stage of a distributed run (cxwatch(1),
 * Distributed runs). It reads one partition's events and watermarks
 * (emit.h) from the bus, buffers the events in order of (time, producer,
 * seq), and releases them to the engine, each as a line its rule decided,
 * up to the lowest watermark of the producers that have not ended: below
 * it no producer has anything left to send. So the engine sees the
 * partition's events in the order one run over all the inputs would have.
 *
 * A producer is known from its first message; with nproducers > 0 nothing
 * is released before that many are known, and the run is done once they
 * have all ended and every event is released. An event that comes
 * before the last one released, in that order, is late: counted, and
 * applied at once.
 *
 * The alerts go out (obuf_flush()) after each turn that applied
 * events, as a live run's do when its input pauses.
 *
 * The engine, rule set and engine's obuf are borrowed and must outlive
 * it; the events are copied in.
 */
#ifndef CXW_CONSUME_H
#define CXW_CONSUME_H

#include <signal.h>
#include <stdint.h>

struct bus_sub;
struct engine;
struct obuf;
struct ruleset;

/*
 * How long to wait, in ms. lateness: events are released only below the
 * floor minus lateness (log time). idle: a producer that has not ended
 * and whose last watermark's wall clock is more than idle older than the
 * newest watermark's of any producer (their clocks, as they stamp them)
 * holds nothing back until it is heard from again; 0: never.
 */
struct consume_conf {
	unsigned	 nproducers;	/* 0: not waited for */
	int64_t		 lateness;
	int64_t		 idle;
	/* Called (NULL: not) when producer goes idle (1) or is heard
	   from again (0). */
	void		(*note)(void *arg, const char *producer, int idle);
	void		*note_arg;
	/* Called (NULL: not) after each turn's events are applied and
	   their alerts flushed; -1 ends the run as *stop does. */
	int		(*tick)(void *arg);
	void		*tick_arg;
};

struct consume	*consume_new(struct engine *, const struct ruleset *,
		    struct obuf *out, const char *prefix,
		    const struct consume_conf *);
void		 consume_free(struct consume *);	/* NULL is fine */

/*
 * Fetch, order and release until done (as above), *stop is set, the
 * reader of out has gone or the tick says so; the events still held are
 * not applied (a checkpoint's position reads them again). -1 with
 * *cause (malloc'd) when the bus fails.
 */
int		 consume_run(struct consume *, struct bus_sub *,
		    const volatile sig_atomic_t *stop, char **cause);

/* What it met: messages it could not read (and why the first), late
   events, events whose weight differs from this rule set's. */
struct consume_stats {
	uint64_t	 events;
	uint64_t	 bad;
	const char	*badwhy;	/* static text; NULL when none */
	uint64_t	 late;
	uint64_t	 idled;		/* producers found idle */
	uint64_t	 replayed;	/* read again, applied before */
	uint64_t	 reweighted;
};
const struct consume_stats *consume_stats(const struct consume *);

/*
 * Where it is, for a checkpoint (consume.c says the form): written to o
 * after what o holds. consume_import(), into a consumer not yet run,
 * restores it and sets *resume to the stream sequence number to read
 * from: events read again up to the highest the checkpoint had taken in
 * are skipped when they were applied then (consume_stats' replayed).
 */
void		 consume_export(const struct consume *, struct obuf *o);
/* The highest stream sequence number taken in (0: none). */
uint64_t	 consume_seen(const struct consume *);
int		 consume_import(struct consume *, const char *data,
		    size_t len, uint64_t *resume, char **cause);

#endif
