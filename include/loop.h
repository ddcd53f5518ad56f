/*
 * loop: the live path (cxwatch(1): -f, or standard input alone when it
 * is a pipe, socket or terminal). One libev loop polls the followed
 * files and reads standard input without blocking, hands every
 * complete line to the engine, flushes the alerts as soon as the input
 * pauses, and turns SIGINT/SIGTERM (stop), SIGUSR1 (--stats now) and
 * SIGHUP (reload the rules) into events. The only module that uses libev.
 */
#ifndef CXW_LOOP_H
#define CXW_LOOP_H

#include <stddef.h>

struct engine;
struct exec;
struct obuf;
struct ruleset;

struct loop_opts {
	size_t		 max_line;
	int		 from_start;	/* read what the files hold first */
	struct obuf	*out;
	double		 start;		/* monotonic seconds, for SIGUSR1 */
	double		 (*clock)(void);
	/* SIGHUP: re-read the rules; 0 when *rsp and *ep were replaced. */
	int		 (*reload)(void *arg);
	void		*arg;
	struct exec	*exec;		/* NULL, or polled every turn */
	int		 progress;	/* 1: a progress line on stderr */
	double		 rotate_wait;	/* seconds a rotated file is read
					   after it went quiet (follow.h) */
	unsigned	 threads;	/* > 1: standard input, when it is
					   the only input, is decided by
					   that many workers (pool.h) */
	int		 simple;	/* --no-prefilter */
	/* NULL, or called every turn, input or not (--emit's watermarks) */
	void		 (*tick)(void *arg);
	void		*tick_arg;
};

#define LOOP_STOPPED	0x1	/* by SIGINT or SIGTERM */
#define LOOP_TROUBLE	0x2	/* an input could not be read, or not
				   opened for want of descriptors
				   (reported) */

/*
 * Follow every arg ("FILE", "-", or "SOURCE=FILE") until SIGINT or
 * SIGTERM, or until the reader of out goes away or standard input, when
 * it is the only input, ends. Standard input may be gzip. Returns
 * LOOP_* bits.
 */
int	loop_run(char *const *args, size_t nargs, struct ruleset **rsp,
	    struct engine **ep, const struct loop_opts *);

#endif
