/*
 * emit: --emit, the match stage of a distributed run (cxwatch(1),
 * Distributed runs). The engine hands it every line a rule decides
 * (engine_opts.emit); it publishes one compact event per line to
 * PREFIX.ev.P, P the customer's partition (bus_partition()), with message
 * id PRODUCER-SEQ (SEQ counts its events from 1), and its watermark --
 * the latest log time of an event it has emitted or of a line claimed
 * with a customer that no rule decided (emit_seen_cb()) -- to every
 * partition's PREFIX.wm.P, once a second of wall
 * time (while events flow, and from emit_tick_cb()) and, marked final, at
 * the end.
 *
 * The event, one JSON object: customer, time (ms), rule, source (names),
 * weight, line (the evidence, absent with -e 0 and for a forgiving rule),
 * producer, seq. The watermark, with no message id: producer, time
 * (absent before any event), wall (its clock when sent, ms since the
 * epoch, for --producer-timeout), end (true on the last).
 *
 * A watermark goes out only once every event before it is acknowledged
 * (bus_flush_wait()), so that no event sent again after a refusal comes
 * after a watermark past its time.
 *
 * The bus and rule set are borrowed and must outlive it. A publish that
 * fails is kept as the first error; emit_finish() returns it.
 */
#ifndef CXW_EMIT_H
#define CXW_EMIT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct bus;
struct match;
struct rule;
struct ruleset;

struct emit	*emit_new(struct bus *, const struct ruleset *,
		    const char *prefix, unsigned partitions,
		    const char *producer, int evidence);
void		 emit_free(struct emit *);	/* NULL is fine */

/* engine_opts.emit's callback; arg is the struct emit. */
void		 emit_line_cb(void *arg, const struct match *m,
		    const struct rule *r, const char *line, size_t len);

/*
 * The watermarks, when a second of wall time has passed since the last;
 * for a live run's quiet spells. arg is the struct emit.
 */
void		 emit_tick_cb(void *arg);
/* engine_opts.emit_seen: a line's time moves the watermark too. */
void		 emit_seen_cb(void *arg, int64_t time);

/*
 * The final watermarks, then wait for every acknowledgment. 0, or -1
 * with *cause (malloc'd): the first failure, and how many events and
 * watermarks were not published.
 */
int		 emit_finish(struct emit *, char **cause);

/*
 * A live run (-f, or standard input from a pipe): its lines are never
 * read again, so its message ids are PRODUCER~RUNID-SEQ, RUNID (hex) this
 * run's (0 is taken as 1): a restart within the duplicate window, whose
 * sequence numbers may be those of a run killed before it saved its
 * state, does not have new events taken for duplicates.
 */
void		 emit_live(struct emit *, uint64_t runid);

/*
 * --state: the sequence number of the last event of the runs before
 * (the next event's is one more), and of the last event so far.
 */
void		 emit_set_seq(struct emit *, uint64_t seq);
uint64_t	 emit_seq(const struct emit *);
const char	*emit_producer(const struct emit *);

/* --stats: what was published and the retries it took, two lines. */
void		 emit_stats_write(struct emit *, FILE *);

#endif
