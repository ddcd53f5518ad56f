/*
 * exec: runs --exec PROGRAM once per alert, as cxwatch(1) describes. The
 * alert's JSON line is the child's standard input; its main fields are
 * in CX_CUSTOMER, CX_SCORE, CX_TIME, CX_CHANNELS, CX_RULES and
 * CX_DETECTOR. Used by
 * main.c (batch path, through exec_drain) and loop.c (live, through
 * exec_poll on SIGCHLD and on a timer); knows nothing of either.
 *
 * Children are made with fork() and execve(), never through a shell:
 * nothing from a log reaches a command line. PROGRAM is looked up in the
 * PATH of exec_new() time as execvp(3) does, except that a file without
 * a #! line is not handed to /bin/sh. Each child leads its own process
 * group; when it ends (or is killed at its timeout, at a stop, or by
 * exec_free()) the group is killed with SIGKILL, so nothing it started
 * outlives it. Its stdin is a memfd (the parent never blocks writing
 * it); stdout and stderr are cxwatch's; fds above 2 are closed; its
 * signal mask is empty and every ignored signal is back to SIG_DFL. If
 * exec fails the child sends errno to the parent on a close-on-exec pipe
 * and exits 127, so "could not be run" is told from a program's own 127.
 *
 * Everything passed in is copied. Only the children of this module are
 * waited for (by pid), so the caller may have others. The caller must
 * not set SIGCHLD to SIG_IGN (children would vanish unreported). The
 * module never prints, never exits and does not touch signal handlers:
 * what went wrong reaches the caller through exec_on_end().
 */
#ifndef CXW_EXEC_H
#define CXW_EXEC_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#define EXEC_MAXJOBS	4	/* running at once when maxjobs is 0 */

struct exec;

/* Values of the CX_* variables: NUL-terminated, already escaped text.
   NULL sets the variable empty; an inherited one is always replaced. */
struct exec_job_env {
	const char	*customer;
	const char	*score;
	const char	*time;
	const char	*channels;
	const char	*rules;
	const char	*detector;
};

struct exec_stats {
	uint64_t	started;	/* children forked */
	uint64_t	exited_ok;	/* status 0 */
	uint64_t	exited_fail;	/* other status, or killed by a
					   signal that was not ours */
	uint64_t	notrun;		/* execve failed in the child */
	uint64_t	killed;		/* past the timeout: SIGKILL */
	uint64_t	dropped;	/* queue full */
	uint64_t	spawn_failed;	/* memfd, pipe or fork failed */
	uint64_t	stop_dropped;	/* queued at exec_stop() */
	uint64_t	stop_killed;	/* running past exec_stop()'s grace */
	uint64_t	running;	/* now */
	uint64_t	queued;		/* now */
};

/* What exec_on_end()'s function is told. */
enum exec_how {
	EXEC_EXIT,		/* code: the exit status, not 0 */
	EXEC_SIGNAL,		/* code: the signal that killed it */
	EXEC_TIMEOUT,		/* killed at the timeout */
	EXEC_NOTRUN,		/* code: errno of call (execve, fork...) */
	EXEC_DROPPED		/* the queue was full */
};

struct exec_end {
	enum exec_how	 how;
	int		 code;
	const char	*call;		/* EXEC_NOTRUN: "execve", "fork"... */
	const char	*customer;	/* the alert's CX_CUSTOMER value */
};

/*
 * Run program with argv { program, args[0..nargs) } for each alert, at
 * most maxjobs (0: EXEC_MAXJOBS) at once, with up to maxqueue more
 * waiting. A child running longer than timeout seconds (0: no limit) is
 * killed.
 */
struct exec	*exec_new(const char *program, const char *const *args,
		    size_t nargs, unsigned maxjobs, size_t maxqueue,
		    double timeout);

/*
 * Whether PROGRAM can be started at all (it exists, on PATH if it has no
 * slash, is a regular file and may be executed): 0, or -1 with *cause
 * (malloc'd) saying why, "PROGRAM: strerror" as execvp(3) would fail.
 */
int		 exec_check(const struct exec *, char **cause);

/*
 * fn(arg, end) is called for every job that did not end well: a status
 * other than 0, a signal, the timeout, not run, or dropped from a full
 * queue (not for the kills and drops of exec_stop() and exec_free(),
 * which are only counted). It runs inside exec_alert(), exec_poll(),
 * exec_drain() and exec_stop(); end is valid during the call.
 */
void		 exec_on_end(struct exec *,
		    void (*fn)(void *arg, const struct exec_end *end),
		    void *arg);

/* SIGKILL the children still running and reap them; queued jobs are
   dropped unrun. NULL is fine. */
void		 exec_free(struct exec *);

/*
 * Run the program for one alert: json[0..len) (any bytes; NULL if len is
 * 0) is its stdin, env its variables (NULL: all empty). Starts at once
 * when a slot is free, else queues; a full queue drops it (counted).
 * When every slot is taken it polls first, so a caller without an event
 * loop needs only exec_drain() at the end.
 */
void		 exec_alert(struct exec *, const char *json, size_t len,
		    const struct exec_job_env *env);

/*
 * Without blocking: reap children that ended, kill those past the
 * timeout, start queued jobs in free slots. Returns how many run now.
 */
unsigned	 exec_poll(struct exec *);

/*
 * Seconds until exec_poll() next has a timeout to enforce (0 if one is
 * due), or -1 when no running child has a deadline.
 */
double		 exec_next_deadline(const struct exec *);

/*
 * Block until every queued and running job has ended, timeouts still
 * enforced, or until *stop (NULL: never) is set: 0 when all are done,
 * else -1. Waits for SIGCHLD with sigtimedwait(2), SIGCHLD blocked
 * meanwhile in the calling thread (the mask is restored; a SIGCHLD
 * consumed here is not seen by the caller's handler); *stop is looked at
 * whenever another signal's handler cuts the wait, and at least every
 * 0.1 s.
 */
int		 exec_drain(struct exec *, const volatile sig_atomic_t *stop);

/*
 * A stop (cxwatch(1) --exec): drop the queued jobs, give the running ones
 * up to grace seconds to end (less once *hurry is set), then SIGKILL the
 * process groups of the others and reap them. All are counted.
 */
void		 exec_stop(struct exec *, double grace,
		    const volatile sig_atomic_t *hurry);

void		 exec_stats(const struct exec *, struct exec_stats *);

#endif
