/*
 * pool: the stateless half of reading a log -- claiming each line and
 * deciding it (match.h) -- on worker threads, handed back in input order
 * for the stateful half (engine.h: windows, alerts) on the caller's
 * thread.
 *
 * One lane per input. The caller's thread reads the input's lines
 * (reader.h) into chunks of a few thousand, copied, and queues them;
 * each worker, with a matcher and a claim of its own on the shared rule
 * set, decides a chunk's lines; lane_next() hands them out one by one,
 * in order, each with what matcher_claim() and matcher_decide() gave
 * for it. So a run with a pool gives what the same lines claimed and
 * decided one after another on one thread would: the decision of a line
 * depends on the rule set and the line only (match.h), and the time
 * caches of tparse.h change only how fast a time is read.
 *
 * The caller's thread only reads, copies and applies: everything that
 * has state, in the order of the lines, stays there.
 */
#ifndef CXW_POOL_H
#define CXW_POOL_H

#include <stddef.h>
#include <stdint.h>

#include "match.h"

struct reader;
struct ruleset;

/* A line as lane_next() hands it out. */
struct pline {
	const char	*line;		/* the lane's copy */
	size_t		 len;
	uint64_t	 lineno;	/* reader_lineno() */
	uint64_t	 prev;		/* reader_offset() before it */
	uint64_t	 prevlines;
	int		 held;		/* claimed, with a time (claim.timeok):
					   a merge places it by time */
	int64_t		 time;		/* the claim's time */
	struct match	 m;		/* m.claim is NULL; m.customer and
					   m.timestr point into the lane */
	/*
	 * The PCRE2 limits the line hit (m.limits > 0): for each, the index
	 * of the source, or nsources + the index of the rule.
	 */
	const uint32_t	*lim;
	size_t		 nlim;
};

struct pool;
struct pseudonym;
struct lane;

/*
 * nworkers >= 1 threads, each with a matcher on rs (borrowed; it must
 * outlive the pool) made with simple and maxline as matcher_new(). NULL
 * with *cause (malloc'd) when a thread cannot be started.
 */
struct pool	*pool_new(const struct ruleset *rs, unsigned nworkers,
		    int simple, size_t maxline, char **cause);
void		 pool_free(struct pool *);	/* NULL is fine */

/*
 * cxwatch.rules(5), Privacy, on the workers: each event's customer
 * becomes its pseudonym under key (NULL: none) and, with redact (the
 * engine keeps evidence lines), its line is redacted as the rules say,
 * so that the engine gets both done (struct match's pseudonymized and
 * evline). Before the first lane.
 */
void		 pool_privacy(struct pool *, const struct pseudonym *key,
		    int redact);

/*
 * fn(arg) is called on a worker thread each time a chunk of lines has
 * been decided (for an event loop to wake: ev_async_send()).
 */
void		 pool_notify(struct pool *, void (*fn)(void *), void *arg);

/*
 * The lines of r (borrowed), each offered only to source forced when it
 * is >= 0; order as matcher_claim()'s (a merge). The lane holds at most
 * a few chunks of lines; its memory does not grow with the input.
 */
struct lane	*lane_new(struct pool *, struct reader *r, int forced,
		    int order);
void		 lane_free(struct lane *);	/* NULL is fine */

/*
 * The next line, in *pl (valid until the next lane_next() or
 * lane_free()): 1; 0 at the end of the input; -1 when reading failed
 * (errno set; the lines before it were all handed out) -- as
 * reader_next(), and like it, after 0 or -1 every later call returns the
 * same, except -1 with errno EAGAIN: the reader has nothing yet, and no
 * line read is waiting. Reads more of the input as room frees.
 */
int		 lane_next(struct lane *, struct pline **pl);

/*
 * on: lane_next() never waits for the workers: when the next line is
 * not decided yet it returns -1 with errno EAGAIN, as when the reader
 * has nothing, and the caller waits for new input or pool_notify().
 */
void		 lane_nowait(struct lane *, int on);

/*
 * 1 while lane_next() would read more of the input if it had it: not at
 * its end, and room for more lines. 0: new input can wait.
 */
int		 lane_reading(const struct lane *);

/*
 * Read no more: lane_next() hands out the lines already read, waiting
 * for them whatever lane_nowait() said, then returns 0. The reader is left just after the last of them, for a new
 * lane (a new rule set) or the caller to read on.
 */
void		 lane_stop_reading(struct lane *);

/*
 * Where the lines handed out end: the reader's offset before the first
 * line read but not handed out, or, when every line read was handed
 * out, reader_offset() itself (*lines as there).
 */
uint64_t	 lane_offset(const struct lane *, uint64_t *lines);

#endif
