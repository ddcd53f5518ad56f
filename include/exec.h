/*
 * exec: runs --exec PROGRAM once per alert, as cxwatch(1) describes. The
 * alert's JSON line is the child's standard input; its main fields are
 * in CX_CUSTOMER, CX_SCORE, CX_TIME, CX_CHANNELS and CX_RULES. Used by
 * main.c (batch path, through exec_drain) and loop.c (live, through
 * exec_poll on SIGCHLD and on a timer); knows nothing of either.
 *
 * Children are made with fork() and execve(), never through a shell:
 * nothing from a log reaches a command line. PROGRAM is looked up in the
 * PATH of exec_new() time as execvp(3) does, except that a file without
 * a #! line is not handed to /bin/sh. Each child leads its own process
 * group, so a timeout kills what it started too. Its stdin is a memfd
 * (the parent never blocks writing it); stdout and stderr are cxwatch's;
 * fds above 2 are closed; its signal mask is empty and every ignored
 * signal is back to SIG_DFL. If exec fails the child exits 127.
 *
 * Everything passed in is copied. Only the children of this module are
 * waited for (by pid), so the caller may have others. The caller must
 * not set SIGCHLD to SIG_IGN (children would vanish unreported). The
 * module never prints, never exits and does not touch signal handlers.
 */
#ifndef CXW_EXEC_H
#define CXW_EXEC_H

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
};

struct exec_stats {
	uint64_t	started;	/* children forked */
	uint64_t	exited_ok;	/* status 0 */
	uint64_t	exited_fail;	/* other status, signal, or exec
					   failed (127) */
	uint64_t	killed;		/* past the timeout: SIGKILL */
	uint64_t	dropped;	/* queue full */
	uint64_t	spawn_failed;	/* memfd or fork failed: dropped */
	uint64_t	running;	/* now */
	uint64_t	queued;		/* now */
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
 * enforced. Waits for SIGCHLD with sigtimedwait(2), SIGCHLD blocked
 * meanwhile in the calling thread (the mask is restored; a SIGCHLD
 * consumed here is not seen by the caller's handler).
 */
void		 exec_drain(struct exec *);

void		 exec_stats(const struct exec *, struct exec_stats *);

#endif
