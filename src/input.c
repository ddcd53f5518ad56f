/*
 * input: open the inputs, read their lines and hand them to the engine,
 * one after another or merged by time.
 */
#define _GNU_SOURCE		/* ppoll() */

#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine.h"
#include "gzread.h"
#include "input.h"
#include "match.h"
#include "obuf.h"
#include "progress.h"
#include "reader.h"
#include "rules.h"
#include "xmalloc.h"

/* What all inputs share while one run reads them. */
struct input_run {
	const struct input_opts	*opts;
	struct engine		*e;
	struct progress		*progress;
	uint64_t		 done;		/* raw bytes read */
	uint64_t		 lines;
};

struct input {
	const char		*name;
	int			 fd;
	int			 regular;
	int			 forced;	/* source index, or -1 */
	struct gzread		*gz;		/* gzip or pass-through */
	struct reader		*r;
	const struct input_opts	*opts;
	struct input_run	*run;
	/* merge: the held next line, its source, time and fields */
	const char		*line;
	size_t			 len;
	int			 src;
	int64_t			 time;
	int			 held;
	struct match_held	*peek;
	uint64_t		 seen;		/* bytes counted for progress */
};

/* SIGUSR1 came: the --stats figures on stderr, and go on. */
static void
input_usr1(struct input_run *run)
{
	struct obuf *err;

	if (run->opts->usr1 == NULL || !*run->opts->usr1)
		return;
	*run->opts->usr1 = 0;
	err = obuf_new(STDERR_FILENO, 4096);
	engine_stats_write(run->e, err, progress_clock() - run->opts->start);
	obuf_free(err);
}

/*
 * The raw bytes of an input. Reading from a pipe or terminal may block
 * for a long time (tail -F): the alerts found so far are flushed before
 * every such read. For regular files this runs on gzread's thread, so it
 * touches nothing but the fd and the stop flag.
 */
/*
 * Wait until fd has input or a signal came, without the race of checking
 * the flags and then blocking in read(2): the signals are held while the
 * flags are looked at, and ppoll() lets them in only while it waits.
 * 1 input (or end) is there, 0 a signal came.
 */
static int
input_wait(struct input *in)
{
	struct pollfd pfd = { .fd = in->fd, .events = POLLIN };
	sigset_t hold, old;
	int rc;

	sigemptyset(&hold);
	sigaddset(&hold, SIGINT);
	sigaddset(&hold, SIGTERM);
	sigaddset(&hold, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &hold, &old);
	if (*in->opts->stop || (in->opts->usr1 != NULL && *in->opts->usr1))
		rc = 0;
	else
		rc = ppoll(&pfd, 1, NULL, &old) == -1 && errno == EINTR ? 0 : 1;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}

/*
 * The raw bytes of an input. Reading from a pipe or terminal may block
 * for a long time (tail -F): the alerts found so far are flushed before
 * every such wait, and SIGUSR1 is answered during it. For regular files
 * this runs on gzread's thread, so it touches nothing but the fd and the
 * stop flag.
 */
static ssize_t
input_fill(void *ctx, char *buf, size_t len)
{
	struct input *in = ctx;
	struct obuf *out = in->opts->out;
	ssize_t n;

	if (!in->regular) {
		if (obuf_pending(out) > 0)
			obuf_flush(out);
		for (;;) {
			input_usr1(in->run);
			if (obuf_error(out) == EPIPE || *in->opts->stop)
				return 0;
			if (input_wait(in))
				break;
		}
	}
	if (*in->opts->stop)
		return 0;
	do
		n = read(in->fd, buf, len);
	while (n == -1 && errno == EINTR && !*in->opts->stop);
	/* Stopped by SIGINT/SIGTERM: end of input, not an error. */
	return n == -1 && *in->opts->stop ? 0 : n;
}

/* What the line reader reads: gzread's bytes, counted for progress. */
static ssize_t
input_gzfill(void *ctx, char *buf, size_t len)
{
	struct input *in = ctx;
	struct input_run *run = in->run;
	ssize_t n = gzread_fill(in->gz, buf, len);
	uint64_t now;

	if (run->progress != NULL) {
		now = gzread_consumed(in->gz);
		run->done += now - in->seen;
		in->seen = now;
		progress_update(run->progress, run->done,
		    engine_stats(run->e)->wt.alerts);
	}
	return n;
}

int
input_forced(const struct ruleset *rs, const char *arg, const char **file)
{
	const char *eq = strchr(arg, '=');
	char name[128];
	int si;

	*file = arg;
	if (eq == NULL || eq == arg || (size_t)(eq - arg) >= sizeof(name))
		return -1;
	memcpy(name, arg, (size_t)(eq - arg));
	name[eq - arg] = '\0';
	if ((si = rules_source_find(rs, name)) == -1)
		return -1;
	*file = eq + 1;
	return si;
}

static int
input_open(struct input *in, const char *arg, const struct ruleset *rs,
    struct input_run *run)
{
	const struct input_opts *opts = run->opts;
	struct stat sb;
	const char *file;

	memset(in, 0, sizeof(*in));
	in->opts = opts;
	in->run = run;
	in->forced = input_forced(rs, arg, &file);
	if (strcmp(file, "-") == 0) {
		in->name = "(standard input)";
		in->fd = STDIN_FILENO;
	} else if ((in->fd = open(in->name = file, O_RDONLY)) == -1) {
		warnx("%s: %s", file, strerror(errno));
		return -1;
	}
	in->regular = fstat(in->fd, &sb) == 0 && S_ISREG(sb.st_mode);
	in->gz = in->regular ? gzread_new_async(input_fill, in) :
	    gzread_new(input_fill, in);
	in->r = reader_new(input_gzfill, in, opts->max_line);
	return 0;
}

/* Close in, adding its byte and long-line counts to the stats. */
static void
input_close(struct input *in, struct engine *e)
{
	struct engine_stats *st = engine_stats(e);

	if (in->r == NULL)
		return;
	st->bytes += reader_bytes(in->r);
	st->longlines += reader_nlong(in->r);
	reader_free(in->r);
	gzread_free(in->gz);
	in->r = NULL;
	in->gz = NULL;
	if (in->fd != STDIN_FILENO)
		close(in->fd);
}

/* Next line of in: 1, 0 at its end, -1 after reporting a read error. */
static int
input_next(struct input *in)
{
	int rc = reader_next(in->r, &in->line, &in->len);
	const char *why;

	if (rc != -1)
		return rc;
	if ((why = gzread_error(in->gz)) != NULL)
		warnx("%s: %s; the lines before it were used", in->name, why);
	else
		warnx("%s: %s", in->name, strerror(errno));
	return rc;
}

/*
 * The reader of our output went away (cxwatch ... | head -1): stop. Pipes
 * notice in input_fill(); files are checked every few thousand lines.
 */
static int
input_gone(struct input_run *run)
{
	if ((++run->lines & 4095) != 0)
		return 0;
	input_usr1(run);
	return obuf_error(run->opts->out) == EPIPE || *run->opts->stop;
}

static int
input_straight(struct input *in, struct engine *e)
{
	int rc;

	while ((rc = input_next(in)) == 1) {
		engine_line(e, in->name, reader_lineno(in->r), in->forced,
		    in->line, in->len);
		if (input_gone(in->run))
			return 0;
	}
	return rc;
}

/*
 * Merge: hold in's next line that has a time, passing on at once the
 * lines before it that have none. Returns as input_next().
 */
static int
input_advance(struct input *in, struct ruleset *rs, struct engine *e)
{
	int rc;

	in->held = 0;
	while ((rc = input_next(in)) == 1) {
		in->src = match_peek_held(rs, in->forced, in->line, in->len,
		    in->peek, &in->time);
		if (in->src >= 0) {
			in->held = 1;
			return 1;
		}
		engine_line(e, in->name, reader_lineno(in->r), in->forced,
		    in->line, in->len);
	}
	return rc;
}

static int
input_merge(struct input *ins, size_t n, struct ruleset *rs,
    struct engine *e)
{
	struct input *best;
	size_t i;
	int ret = 0;

	for (i = 0; i < n; i++)
		if (ins[i].r != NULL && input_advance(&ins[i], rs, e) == -1)
			ret = -1;
	for (;;) {
		best = NULL;
		for (i = 0; i < n; i++)
			if (ins[i].held && (best == NULL ||
			    ins[i].time < best->time))
				best = &ins[i];
		if (best == NULL)
			return ret;
		/* The peek found the claiming source and its fields. */
		engine_line_held(e, best->name, reader_lineno(best->r),
		    best->src, best->peek, best->line, best->len);
		if (input_gone(best->run))
			return ret;
		if (input_advance(best, rs, e) == -1)
			ret = -1;
	}
}

/*
 * The progress line: forced by opts, else only when stderr is a terminal
 * and every input a regular file whose sizes make the total.
 */
static struct progress *
input_progress(char *const *args, size_t nargs, const struct ruleset *rs,
    const struct input_opts *opts)
{
	struct stat sb;
	uint64_t total = 0;
	const char *file;
	size_t i;
	int known = 1;

	if (opts->progress == 0 || (opts->progress < 0 && !isatty(2)))
		return NULL;
	for (i = 0; i < nargs; i++) {
		(void)input_forced(rs, args[i], &file);
		if (strcmp(file, "-") != 0 && stat(file, &sb) == 0 &&
		    S_ISREG(sb.st_mode))
			total += (uint64_t)sb.st_size;
		else
			known = 0;
	}
	if (!known && opts->progress < 0)
		return NULL;
	return progress_new(2, known ? total : 0);
}

int
input_run(char *const *args, size_t nargs, struct ruleset *rs,
    struct engine *e, const struct input_opts *opts)
{
	struct input_run run;
	struct input *ins;
	size_t i;
	int ret = 0;

	run.opts = opts;
	run.e = e;
	run.done = 0;
	run.lines = 0;
	run.progress = input_progress(args, nargs, rs, opts);
	ins = xcalloc(nargs, sizeof(*ins));
	if (nargs == 1 || !opts->merge) {
		for (i = 0; i < nargs && !*opts->stop; i++) {
			if (input_open(&ins[0], args[i], rs, &run) == -1 ||
			    input_straight(&ins[0], e) == -1)
				ret = -1;
			input_close(&ins[0], e);
			if (obuf_error(opts->out) == EPIPE)
				break;
		}
	} else {
		for (i = 0; i < nargs; i++) {
			if (input_open(&ins[i], args[i], rs, &run) == -1)
				ret = -1;
			ins[i].peek = match_held_new(rs);
		}
		if (input_merge(ins, nargs, rs, e) == -1)
			ret = -1;
		for (i = 0; i < nargs; i++) {
			input_close(&ins[i], e);
			match_held_free(ins[i].peek);
		}
	}
	free(ins);
	progress_end(run.progress);
	return ret;
}
