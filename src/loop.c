/*
 * loop: the live path on libev. A repeating timer polls every followed
 * input (a read(2) that finds nothing costs little, and works on every
 * file system, unlike inotify); standard input is watched with ev_io.
 * Lines are handed to the engine as they complete; the alerts are
 * flushed whenever the input pauses, so an alert is out within one poll
 * interval of its line being written.
 *
 * Idle customers are forgotten by the log's clock (wtab), which stands
 * still while no lines come. So that memory still drains then, the poll
 * timer moves the table's clock on by the wall-clock time that has passed
 * since the log's clock last moved: the latest log time seen, plus the
 * seconds of silence since (cxwatch(1), "Memory").
 *
 * SIGINT and SIGTERM: libev's own handler restarts an interrupted
 * write(2) (SA_RESTART), so an alert write that nobody takes would never
 * see the signal. Once their ev_signal watchers are on, our handler takes
 * their place: it calls the handler it replaced (main's, which sets the
 * stop flag that obuf's wait looks at) and passes the signal on to libev
 * with ev_feed_signal(). At the end the watchers are stopped and every
 * signal's handler is put back as it was found.
 */
#define _GNU_SOURCE		/* F_SETPIPE_SZ */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ev.h>

#include "engine.h"
#include "exec.h"
#include "follow.h"
#include "gzread.h"
#include "input.h"
#include "loop.h"
#include "obuf.h"
#include "pool.h"
#include "progress.h"
#include "reader.h"
#include "wtab.h"
#include "xmalloc.h"

#define LOOP_POLL	0.05	/* seconds between looks at the files */
#define LOOP_BATCH	4096	/* lines per input per turn, for fairness */
#define LOOP_PIPESZ	(1 << 20)	/* standard input's pipe, with workers */
/*
 * Descriptors kept free of followed files, for what the run opens while
 * the loop runs or after it: --exec's stdin memfd (one per start), a
 * SIGHUP reload (a rules directory and one file at a time), --state's
 * and --report's temporary file and directory, a syslog reconnect: about
 * eight, doubled for headroom. libev's own descriptors, the standard
 * streams, the state lock and the syslog socket are open before the
 * pool is made and counted then.
 */
#define LOOP_FD_RESERVE	16
#define LOOP_NSIGS	4

static const int loop_signums[LOOP_NSIGS] = {
	SIGINT, SIGTERM, SIGUSR1, SIGHUP
};
/* The handlers found, by loop_signums index; loop_sig() chains to them. */
static struct sigaction loop_oldsa[LOOP_NSIGS];
static volatile sig_atomic_t loop_signalled;	/* SIGINT or SIGTERM */

struct loop_input {
	const char	*arg;
	const char	*name;
	int		 forced;
	int		 done;
	struct follow	*f;		/* NULL for standard input */
	int		 refused;	/* not opened for want of descriptors:
					   said once */
	struct gzread	*gz;		/* standard input only */
	struct reader	*r;
	struct lane	*lane;		/* NULL, or r's lines, decided by the
					   loop's pool */
	int		 more;		/* stopped at LOOP_BATCH lines */
};

struct loop {
	struct ev_loop		*ev;
	struct engine		**ep;		/* main's: a reload replaces it */
	struct ruleset		**rsp;
	const struct loop_opts	*opts;
	struct loop_input	*ins;
	size_t			 nins;
	ev_timer		 poll;
	ev_io			 in;
	ev_idle			 idle;		/* drains inputs with more */
	ev_async		 wake;		/* a worker decided a chunk */
	ev_signal		 sigint, sigterm, sigusr1, sighup;
	int			 stopped;	/* by SIGINT or SIGTERM */
	int			 trouble;	/* an input could not be read */
	size_t			 ndone;		/* inputs at their end */
	int			 stdin_flags;	/* to restore; -1: untouched */
	struct progress		*progress;	/* NULL, or --progress */
	struct follow_pool	*pool;		/* the followed files' fds */
	struct pool		*workers;	/* NULL, or standard input's */
	int64_t			 log_t;		/* the table's clock ... */
	double			 wall_t;	/* ... when it last moved */
};

#define LOOP_OF(w, field) \
	((struct loop *)((char *)(w) - offsetof(struct loop, field)))

/* Standard input without blocking: EAGAIN means nothing yet. */
static ssize_t
loop_stdin_fill(void *ctx, char *buf, size_t len)
{
	ssize_t n;

	(void)ctx;
	do
		n = read(STDIN_FILENO, buf, len);
	while (n == -1 && errno == EINTR);
	return n;
}

/* Hand in's complete lines to the engine, a batch at a time. */
static void
loop_drain(struct loop *l, struct loop_input *in)
{
	const char *line;
	struct pline *pl;
	size_t len;
	int rc = 1, n, err;

	if (in->lane != NULL)
		for (n = 0; n < LOOP_BATCH &&
		    (rc = lane_next(in->lane, &pl)) == 1; n++)
			engine_line_decided(*l->ep, in->name, pl->lineno,
			    &pl->m, pl->lim, pl->nlim, pl->line, pl->len);
	else
		for (n = 0; n < LOOP_BATCH &&
		    (rc = reader_next(in->r, &line, &len)) == 1; n++)
			engine_line(*l->ep, in->name, reader_lineno(in->r),
			    in->forced, line, len);
	/*
	 * A full batch: there may be more, already read into the buffer
	 * where neither the timer nor ev_io would see it. The idle watcher
	 * goes on as soon as the loop has nothing else to do.
	 */
	if ((in->more = rc == 1) && !ev_is_active(&l->idle))
		ev_idle_start(l->ev, &l->idle);
	/*
	 * With workers, standard input waits while they have every chunk:
	 * the wake watcher reads on when they give one back.
	 */
	if (in->lane != NULL && (rc == 1 || (rc == -1 && errno == EAGAIN))) {
		err = errno;
		if (lane_reading(in->lane))
			ev_io_start(l->ev, &l->in);
		else
			ev_io_stop(l->ev, &l->in);
		errno = err;
	}
	if (l->progress != NULL)
		progress_update(l->progress, in->gz != NULL ?
		    gzread_consumed(in->gz) : reader_bytes(in->r),
		    engine_stats(*l->ep)->wt.alerts);
	if (rc == 1 || (rc == -1 && errno == EAGAIN))
		return;
	if (rc == -1) {
		if (in->gz != NULL && gzread_error(in->gz) != NULL)
			warnx("%s: %s; the lines before it were used",
			    in->name, gzread_error(in->gz));
		else
			warnx("%s: %s", in->name, strerror(errno));
		l->trouble = 1;
	}
	in->done = 1;
	if (in->f == NULL)
		ev_io_stop(l->ev, &l->in);
	if (++l->ndone == l->nins)
		ev_break(l->ev, EVBREAK_ALL);
}

/* The input paused: out with the alerts; stop if nobody reads them. */
static void
loop_flush(struct loop *l)
{
	if (obuf_pending(l->opts->out) > 0)
		obuf_flush(l->opts->out);
	if (obuf_error(l->opts->out) != 0)
		ev_break(l->ev, EVBREAK_ALL);
}

/* SIGINT, SIGTERM: no SA_RESTART, the old handler, then libev's turn. */
static void
loop_sig(int sig)
{
	const struct sigaction *old = &loop_oldsa[sig == SIGTERM];

	loop_signalled = 1;
	if (!(old->sa_flags & SA_SIGINFO) && old->sa_handler != SIG_DFL &&
	    old->sa_handler != SIG_IGN)
		old->sa_handler(sig);
	ev_feed_signal(sig);
}

/*
 * Move the table's clock on by the wall-clock time that has passed since
 * the log's clock last moved, forgetting the customers that makes idle.
 * A replay (--from-start) moves the log's clock far faster than the wall
 * clock, so it is never disturbed; a quiet live log drains.
 */
static void
loop_expire(struct loop *l)
{
	int64_t t = engine_latest(*l->ep), to;
	double now = l->opts->clock(), quiet;
	const char *why;

	if (t != l->log_t || t == INT64_MIN) {
		l->log_t = t;
		l->wall_t = now;
		return;
	}
	if ((quiet = now - l->wall_t) < 1)
		return;
	to = t + (int64_t)(quiet * 1000);
	if (engine_set_latest(*l->ep, to, &why) == 0) {
		l->log_t = to;
		l->wall_t = now;
	}
}

/*
 * A followed file that could not be opened for want of descriptors: say
 * so once, and that it is followed when it opens at last. It is trouble:
 * the lines written to it while it is not open are read late, and lost
 * if it is rotated meanwhile.
 */
static void
loop_refused(struct loop *l, struct loop_input *in)
{
	unsigned long long limit;
	size_t room;
	int err = follow_refused(in->f);

	if (err != 0 && in->refused == 0) {
		follow_pool_limits(l->pool, &limit, &room);
		warnx("%s: cannot follow it: %s: the descriptor limit (ulimit "
		    "-n, %llu) leaves room for %zu followed files; raise it or "
		    "follow fewer files; it is tried again meanwhile", in->name,
		    strerror(err), limit, room);
		in->refused = 1;
		l->trouble = 1;
	} else if (err == 0 && in->refused == 1) {
		warnx("%s: followed now", in->name);
		in->refused = 2;
	}
}

static void
loop_poll_cb(struct ev_loop *ev, ev_timer *w, int revents)
{
	struct loop *l = LOOP_OF(w, poll);
	size_t i;

	(void)ev;
	(void)revents;
	for (i = 0; i < l->nins; i++)
		if (l->ins[i].f != NULL && !l->ins[i].done) {
			loop_drain(l, &l->ins[i]);
			loop_refused(l, &l->ins[i]);
		}
	loop_flush(l);
	/* -f | head -1: a reader gone is noticed without an alert to write. */
	if (obuf_gone(l->opts->out))
		ev_break(l->ev, EVBREAK_ALL);
	loop_expire(l);
	/* --exec: reap, enforce timeouts, start what waits. */
	if (l->opts->exec != NULL)
		exec_poll(l->opts->exec);
	if (l->opts->tick != NULL)
		l->opts->tick(l->opts->tick_arg);
}

static void
loop_idle_cb(struct ev_loop *ev, ev_idle *w, int revents)
{
	struct loop *l = LOOP_OF(w, idle);
	size_t i;
	int more = 0;

	(void)revents;
	for (i = 0; i < l->nins; i++)
		if (l->ins[i].more && !l->ins[i].done) {
			loop_drain(l, &l->ins[i]);
			more |= l->ins[i].more;
		}
	if (!more) {
		ev_idle_stop(ev, w);
		loop_flush(l);
	}
}

/* On a worker thread: wake the loop. */
static void
loop_wake(void *arg)
{
	struct loop *l = arg;

	ev_async_send(l->ev, &l->wake);
}

static void
loop_wake_cb(struct ev_loop *ev, ev_async *w, int revents)
{
	struct loop *l = LOOP_OF(w, wake);

	(void)ev;
	(void)revents;
	if (l->ins[0].lane != NULL && !l->ins[0].done)
		loop_drain(l, &l->ins[0]);
	loop_flush(l);
}

static void
loop_stdin_cb(struct ev_loop *ev, ev_io *w, int revents)
{
	struct loop *l = LOOP_OF(w, in);
	size_t i;

	(void)ev;
	(void)revents;
	for (i = 0; i < l->nins; i++)
		if (l->ins[i].f == NULL && !l->ins[i].done)
			loop_drain(l, &l->ins[i]);
	loop_flush(l);
}

static void
loop_stop_cb(struct ev_loop *ev, ev_signal *w, int revents)
{
	struct loop *l = w->signum == SIGINT ? LOOP_OF(w, sigint) :
	    LOOP_OF(w, sigterm);

	(void)revents;
	l->stopped = 1;
	ev_break(ev, EVBREAK_ALL);
}

/* SIGUSR1: the --stats figures, now, without stopping. */
static void
loop_stats_cb(struct ev_loop *ev, ev_signal *w, int revents)
{
	struct loop *l = LOOP_OF(w, sigusr1);
	struct obuf *err = obuf_new(STDERR_FILENO, 4096);

	(void)ev;
	(void)revents;
	engine_stats_write(*l->ep, err, l->opts->clock() - l->opts->start);
	obuf_free(err);
}

/*
 * on: standard input, when it is the only input, gets a pool of
 * workers on the rules now in force (a reload makes a new one). Off: the
 * lines already read are handed to the engine and the pool goes.
 */
static void
loop_workers(struct loop *l, int on)
{
	struct loop_input *in = &l->ins[0];
	const struct pseudonym *key;
	struct pline *pl;
	char *cause;
	int redact;

	if (on) {
		if (l->opts->threads < 2 || l->nins != 1 || in->f != NULL ||
		    in->done)
			return;
		if ((l->workers = pool_new(*l->rsp, l->opts->threads,
		    l->opts->simple, l->opts->max_line, &cause)) == NULL) {
			warnx("%s; reading on one thread", cause);
			free(cause);
			return;
		}
		engine_privacy(*l->ep, &key, &redact);
		pool_privacy(l->workers, key, redact);
		/*
		 * A pipe hands out what it holds: 64 KiB by default, a few
		 * hundred lines. More, and the workers get fuller chunks
		 * (Linux; the limit is fs.pipe-max-size, 1 MiB by default).
		 */
		(void)fcntl(STDIN_FILENO, F_SETPIPE_SZ, LOOP_PIPESZ);
		in->lane = lane_new(l->workers, in->r, in->forced, 0);
		lane_nowait(in->lane, 1);
		pool_notify(l->workers, loop_wake, l);
		return;
	}
	if (in->lane == NULL)
		return;
	lane_stop_reading(in->lane);
	while (lane_next(in->lane, &pl) == 1)
		engine_line_decided(*l->ep, in->name, pl->lineno, &pl->m,
		    pl->lim, pl->nlim, pl->line, pl->len);
	lane_free(in->lane);
	in->lane = NULL;
	pool_free(l->workers);
	l->workers = NULL;
}

/*
 * SIGHUP: main re-reads the rules; on success the engine and rule set
 * behind ep and rsp are new, and the inputs' sources are looked up again
 * by name (main has checked they all still exist).
 */
static void
loop_reload_cb(struct ev_loop *ev, ev_signal *w, int revents)
{
	struct loop *l = LOOP_OF(w, sighup);
	const char *file;
	size_t i;

	(void)ev;
	(void)revents;
	/* The lines read so far are decided by the rules they were read by. */
	loop_workers(l, 0);
	loop_flush(l);
	if (l->opts->reload != NULL && l->opts->reload(l->opts->arg) == 0)
		for (i = 0; i < l->nins; i++)
			l->ins[i].forced = input_forced(*l->rsp,
			    l->ins[i].arg, &file);
	loop_workers(l, 1);
}

static void
loop_open(struct loop *l, struct loop_input *in, const char *arg,
    const struct ruleset *rs)
{
	const char *file;

	in->arg = arg;
	engine_stats(*l->ep)->inputs++;
	in->forced = input_forced(rs, arg, &file);
	if (strcmp(file, "-") == 0) {
		in->name = "(standard input)";
		/* The flags are the open file's, shared: put them back. */
		if ((l->stdin_flags = fcntl(STDIN_FILENO, F_GETFL)) != -1)
			(void)fcntl(STDIN_FILENO, F_SETFL,
			    l->stdin_flags | O_NONBLOCK);
		in->gz = gzread_new(loop_stdin_fill, NULL);
		in->r = reader_new(gzread_fill, in->gz, l->opts->max_line);
		ev_io_init(&l->in, loop_stdin_cb, STDIN_FILENO, EV_READ);
		ev_io_start(l->ev, &l->in);
		return;
	}
	in->name = file;
	in->f = follow_new(file, l->opts->from_start, l->pool);
	in->r = reader_new(follow_fill, in->f, l->opts->max_line);
}

/*
 * on: keep the handlers found, start the watchers, then put loop_sig()
 * in libev's place for SIGINT and SIGTERM. Off: stop the watchers and
 * put back what was found. Signals are held meanwhile.
 */
static void
loop_signals(struct loop *l, int on)
{
	ev_signal *w[LOOP_NSIGS] = { &l->sigint, &l->sigterm, &l->sigusr1,
	    &l->sighup };
	struct sigaction sa;
	sigset_t all, old;
	size_t i;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	for (i = 0; i < LOOP_NSIGS; i++) {
		if (on) {
			sigaction(loop_signums[i], NULL, &loop_oldsa[i]);
			ev_signal_start(l->ev, w[i]);
		} else {
			ev_signal_stop(l->ev, w[i]);
			sigaction(loop_signums[i], &loop_oldsa[i], NULL);
		}
	}
	if (on) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = loop_sig;
		sigfillset(&sa.sa_mask);
		loop_signalled = 0;
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
}

int
loop_run(char *const *args, size_t nargs, struct ruleset **rsp,
    struct engine **ep, const struct loop_opts *opts)
{
	struct loop l;
	size_t i;

	memset(&l, 0, sizeof(l));
	l.stdin_flags = -1;
	l.log_t = INT64_MIN;
	/*
	 * Not the default loop: that one reaps every child on SIGCHLD,
	 * which would take --exec's children from under exec.c.
	 */
	if ((l.ev = ev_loop_new(EVFLAG_AUTO)) == NULL)
		errx(2, "cannot start the event loop");
	l.ep = ep;
	l.rsp = rsp;
	l.opts = opts;
	l.nins = nargs;
	l.ins = xcalloc(nargs, sizeof(*l.ins));
	ev_idle_init(&l.idle, loop_idle_cb);
	ev_async_init(&l.wake, loop_wake_cb);
	ev_async_start(l.ev, &l.wake);
	ev_timer_init(&l.poll, loop_poll_cb, 0, LOOP_POLL);
	ev_timer_start(l.ev, &l.poll);
	ev_signal_init(&l.sigint, loop_stop_cb, SIGINT);
	ev_signal_init(&l.sigterm, loop_stop_cb, SIGTERM);
	ev_signal_init(&l.sigusr1, loop_stats_cb, SIGUSR1);
	ev_signal_init(&l.sighup, loop_reload_cb, SIGHUP);
	loop_signals(&l, 1);
	/* libev's descriptors are open now: the files get what is left. */
	l.pool = follow_pool_new(LOOP_FD_RESERVE, opts->rotate_wait,
	    opts->clock);
	for (i = 0; i < nargs; i++)
		loop_open(&l, &l.ins[i], args[i], *rsp);
	loop_workers(&l, 1);
	if (opts->progress)
		l.progress = progress_new(STDERR_FILENO, 0);
	ev_run(l.ev, 0);
	loop_signals(&l, 0);
	if (loop_signalled)
		l.stopped = 1;
	/* Lines complete at the stop are still read and alerted on. */
	for (i = 0; i < nargs; i++) {
		if (!l.ins[i].done)
			loop_drain(&l, &l.ins[i]);
		if (i == 0)
			loop_workers(&l, 0);
		engine_stats(*l.ep)->bytes += reader_bytes(l.ins[i].r);
		engine_stats(*l.ep)->longlines += reader_nlong(l.ins[i].r);
		reader_free(l.ins[i].r);
		gzread_free(l.ins[i].gz);
		follow_free(l.ins[i].f);
	}
	progress_end(l.progress);
	loop_flush(&l);
	if (l.stdin_flags != -1)
		(void)fcntl(STDIN_FILENO, F_SETFL, l.stdin_flags);
	free(l.ins);
	follow_pool_free(l.pool);
	ev_loop_destroy(l.ev);
	return (l.stopped ? LOOP_STOPPED : 0) | (l.trouble ? LOOP_TROUBLE : 0);
}
