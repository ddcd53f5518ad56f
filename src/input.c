/*
 * input: open the inputs, read their lines and hand them to the engine,
 * one after another or merged by time; with a read registry (--state),
 * start each file where earlier runs stopped (cxwatch(1), "Inputs
 * already read") and note how far it was read.
 *
 * One after another, each input is recorded in the registry as soon as it
 * is done, so a later input of the same run that is the same file, or
 * holds the same lines, finds it there like any file of an earlier run.
 * Merged, the inputs are read at once: those that are the same file, or
 * whose first lines are the same, are found before any is read, and only
 * the one that holds the most is read.
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
#include <time.h>
#include <unistd.h>

#include <zlib.h>

#include "engine.h"
#include "gzread.h"
#include "input.h"
#include "match.h"
#include "obuf.h"
#include "pool.h"
#include "progress.h"
#include "reader.h"
#include "registry.h"
#include "rules.h"
#include "xmalloc.h"

/* What all inputs share while one run reads them. */
struct input_run {
	const struct input_opts	*opts;
	struct engine		*e;
	struct progress		*progress;
	struct pool		*pool;		/* NULL: one thread */
	uint64_t		 done;		/* raw bytes read */
	uint64_t		 lines;
};

struct input {
	const char		*name;
	int			 fd;
	int			 regular;
	int			 forced;	/* source index, or -1 */
	struct gzread		*gz;		/* gzip or pass-through; NULL:
						   a plain file read straight */
	struct reader		*r;
	struct lane		*lane;		/* r's lines, decided by the
						   pool; NULL: decided here */
	struct pline		*pl;		/* the lane's current line */
	int			 merging;	/* read in a merge */
	const struct input_opts	*opts;
	struct input_run	*run;
	/* merge: the held next line, its time and claim */
	const char		*line;
	size_t			 len;
	int64_t			 time;
	int			 held;
	struct claim		*claim;		/* the held line's */
	uint64_t		 seen;		/* bytes counted for progress */
	/* the read registry (--state) */
	struct registry_id	*id;		/* NULL: not in the registry */
	enum registry_verdict	 verdict;
	uint64_t		 from, fromlines; /* where reading starts */
	uint64_t		 skip;		/* gzip: text bytes to drop */
	uint64_t		 prev, prevlines; /* before the held line */
	int			 skipped;	/* not read: read before, or
						   the same as another input */
	int			 ended;		/* read to its end, no error */
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

static void
input_progress_add(struct input_run *run, uint64_t n)
{
	if (run->progress == NULL)
		return;
	run->done += n;
	progress_update(run->progress, run->done,
	    engine_stats(run->e)->wt.alerts);
}

/*
 * What the line reader reads: gzread's bytes, counted for progress;
 * first, for a gzip file read before, the text bytes already read.
 */
static ssize_t
input_gzfill(void *ctx, char *buf, size_t len)
{
	struct input *in = ctx;
	uint64_t now;
	ssize_t n;

	for (;;) {
		n = gzread_fill(in->gz, buf, in->skip > 0 && in->skip < len ?
		    (size_t)in->skip : len);
		now = gzread_consumed(in->gz);
		input_progress_add(in->run, now - in->seen);
		in->seen = now;
		if (n <= 0 || in->skip == 0)
			return n;
		in->skip -= (uint64_t)n;
	}
}

/* A plain file read on from an offset: no gzip to look for. */
static ssize_t
input_plainfill(void *ctx, char *buf, size_t len)
{
	struct input *in = ctx;
	ssize_t n = input_fill(in, buf, len);

	if (n > 0)
		input_progress_add(in->run, (uint64_t)n);
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

/*
 * Open arg and, with a registry, identify it. Standard input, FIFOs and
 * other files that are not regular are never in the registry: what was
 * read of them cannot be read again.
 */
static int
input_open(struct input *in, const char *arg, const struct ruleset *rs,
    struct input_run *run)
{
	const struct input_opts *opts = run->opts;
	struct stat sb;
	const char *file;

	memset(in, 0, sizeof(*in));
	in->fd = -1;
	in->opts = opts;
	in->run = run;
	in->forced = input_forced(rs, arg, &file);
	if (strcmp(file, "-") == 0) {
		in->name = "(standard input)";
		in->fd = STDIN_FILENO;
	} else if ((in->fd = open(in->name = file, O_RDONLY | O_CLOEXEC)) ==
	    -1) {
		warnx("%s: %s", file, strerror(errno));
		return -1;
	}
	in->regular = fstat(in->fd, &sb) == 0 && S_ISREG(sb.st_mode);
	engine_stats(run->e)->inputs++;
	if (!in->regular || in->fd == STDIN_FILENO || opts->registry == NULL)
		return 0;
	in->id = xmalloc(sizeof(*in->id));
	if (registry_identify(in->fd, in->id) == -1) {
		warnx("%s: %s", file, strerror(errno));
		free(in->id);
		in->id = NULL;
		close(in->fd);
		in->fd = -1;
		return -1;
	}
	return 0;
}

/* Where in starts, by the registry (ignored with --reread). */
static void
input_lookup(struct input *in, const struct registry *reg)
{
	const char *how;

	in->verdict = REGISTRY_NEW;
	if (in->id == NULL || in->opts->reread)
		return;
	in->verdict = registry_lookup(reg, in->id, &in->from, &in->fromlines,
	    &how);
}

/* Make in's reader, starting where in->from says. */
static void
input_start(struct input *in)
{
	const struct input_opts *opts = in->opts;
	struct engine *e = in->run->e;

	if (in->from > 0 && in->id != NULL && !in->id->gzip &&
	    lseek(in->fd, (off_t)in->from, SEEK_SET) == (off_t)in->from) {
		/* Plain, and what lies before was read: no magic to find. */
		in->r = reader_new(input_plainfill, in, opts->max_line);
		input_progress_add(in->run, in->from);
	} else {
		if (in->id != NULL && in->id->gzip)
			in->skip = in->from;
		else
			in->from = in->fromlines = 0;
		in->gz = in->regular ? gzread_new_async(input_fill, in) :
		    gzread_new(input_fill, in);
		in->r = reader_new(input_gzfill, in, opts->max_line);
	}
	reader_resume(in->r, in->from, in->fromlines);
	/* A plain file may still be written: its last line waits for \n. */
	if (in->id != NULL && !in->id->gzip)
		reader_hold_last(in->r, 1);
	/*
	 * Regular files only: a pipe's lines must not wait in a chunk for
	 * more to come (loop.c reads those that are live).
	 */
	if (in->run->pool != NULL && in->regular)
		in->lane = lane_new(in->run->pool, in->r, in->forced,
		    in->merging);
	if (in->from > 0)
		engine_notef(e, in->name, "lines 1 to %llu were read by an "
		    "earlier run (--state); going on at line %llu",
		    (unsigned long long)in->fromlines,
		    (unsigned long long)in->fromlines + 1);
}

/* in is not read: everything in it was read before (or is read now). */
static void
input_skip(struct input *in, const char *why)
{
	in->skipped = 1;
	engine_stats(in->run->e)->inputs_done++;
	engine_notef(in->run->e, in->name, "%s: skipped", why);
}

/*
 * Where the lines in has handed out end (reader_offset()): with a lane,
 * its reader has read ahead.
 */
static uint64_t
input_offset(const struct input *in, uint64_t *lines)
{
	return in->lane != NULL ? lane_offset(in->lane, lines) :
	    reader_offset(in->r, lines);
}

/*
 * in's current line, claimed (merged: into in->claim) or not yet, to the
 * engine; with a lane, it comes decided.
 */
static void
input_apply(struct input *in, int claimed)
{
	struct engine *e = in->run->e;
	const struct pline *pl = in->pl;

	if (in->lane != NULL)
		engine_line_decided(e, in->name, pl->lineno, &pl->m, pl->lim,
		    pl->nlim, in->line, in->len);
	else if (claimed)
		engine_line_claimed(e, in->name, reader_lineno(in->r),
		    in->claim, in->line, in->len);
	else
		engine_line(e, in->name, reader_lineno(in->r), in->forced,
		    in->line, in->len);
}

/*
 * Note in in the registry: how far it was read (before a held line that
 * was not processed), or, when it was skipped, what was read of it.
 */
static void
input_record(struct input *in, struct registry *reg)
{
	uint64_t off, lines;
	struct stat sb;
	int complete;

	if (in->id == NULL || reg == NULL)
		return;
	if (in->skipped) {
		off = in->from;
		lines = in->fromlines;
		complete = 1;
	} else if (in->held) {
		off = in->prev;
		lines = in->prevlines;
		complete = 0;
	} else {
		off = input_offset(in, &lines);
		complete = in->ended;
		/* A gzip file shorter than what was read before. */
		if (in->skip > 0) {
			off = in->from - in->skip;
			lines = in->fromlines;
		}
	}
	/* The file may have grown while it was read. */
	if (fstat(in->fd, &sb) == 0 && (uint64_t)sb.st_size > in->id->size)
		in->id->size = (uint64_t)sb.st_size;
	if (!in->id->gzip && off > in->id->size)
		off = in->id->size;
	registry_record(reg, in->id, off, lines, complete);
}

/* Close in, adding its counts to the stats and noting it in reg. */
static void
input_close(struct input *in, struct registry *reg)
{
	struct engine_stats *st = engine_stats(in->run->e);
	uint64_t lines;

	if (in->fd == -1)
		return;
	if (in->r != NULL) {
		st->bytes += reader_bytes(in->r);
		st->longlines += reader_nlong(in->r);
		if (in->from > 0 && !in->held) {
			if (input_offset(in, &lines) > in->from &&
			    in->skip == 0)
				st->inputs_resumed++;
			else
				st->inputs_done++;
		}
	}
	input_record(in, reg);
	lane_free(in->lane);
	in->lane = NULL;
	reader_free(in->r);
	gzread_free(in->gz);
	free(in->id);
	in->r = NULL;
	in->gz = NULL;
	in->id = NULL;
	if (in->fd != STDIN_FILENO)
		close(in->fd);
	in->fd = -1;
}

/* Next line of in: 1, 0 at its end, -1 after reporting a read error. */
static int
input_next(struct input *in)
{
	int rc;
	const char *why;

	if (in->lane != NULL) {
		if ((rc = lane_next(in->lane, &in->pl)) == 1) {
			in->line = in->pl->line;
			in->len = in->pl->len;
			in->prev = in->pl->prev;
			in->prevlines = in->pl->prevlines;
		}
	} else {
		in->prev = reader_offset(in->r, &in->prevlines);
		rc = reader_next(in->r, &in->line, &in->len);
	}
	if (rc != -1) {
		if (rc == 0)
			in->ended = !*in->opts->stop;
		return rc;
	}
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
input_straight(struct input *in)
{
	int rc;

	while ((rc = input_next(in)) == 1) {
		input_apply(in, 0);
		if (input_gone(in->run))
			return 0;
	}
	return rc;
}

/*
 * One after another: each input starts where the registry says, which
 * knows the inputs of this run read so far.
 */
static int
input_sequence(char *const *args, size_t nargs, struct ruleset *rs,
    struct input_run *run)
{
	const struct input_opts *opts = run->opts;
	struct input in;
	size_t i;
	int ret = 0;

	for (i = 0; i < nargs && !*opts->stop; i++) {
		if (input_open(&in, args[i], rs, run) == -1) {
			ret = -1;
			continue;
		}
		input_lookup(&in, opts->registry);
		if (in.verdict == REGISTRY_DONE)
			input_skip(&in, "read to its end by an earlier run "
			    "(--state)");
		else {
			input_start(&in);
			if (input_straight(&in) == -1)
				ret = -1;
		}
		input_close(&in, opts->registry);
		if (obuf_error(opts->out) == EPIPE)
			break;
	}
	return ret;
}

/*
 * Merge: hold in's next line that has a time, passing on at once the
 * lines before it that have none. Returns as input_next().
 */
static int
input_advance(struct input *in, struct engine *e)
{
	int rc;

	in->held = 0;
	while ((rc = input_next(in)) == 1) {
		if (in->lane != NULL ? in->pl->held :
		    engine_claim(e, in->claim, in->forced, in->line,
		    in->len) >= 0 && in->claim->timeok) {
			in->time = in->lane != NULL ? in->pl->time :
			    in->claim->time;
			in->held = 1;
			return 1;
		}
		input_apply(in, 1);
	}
	return rc;
}

static int
input_merge(struct input *ins, size_t n, struct engine *e)
{
	struct input *best;
	size_t i;
	int ret = 0;

	for (i = 0; i < n; i++)
		if (ins[i].r != NULL && input_advance(&ins[i], e) == -1)
			ret = -1;
	for (;;) {
		best = NULL;
		for (i = 0; i < n; i++)
			if (ins[i].held && (best == NULL ||
			    ins[i].time < best->time))
				best = &ins[i];
		if (best == NULL)
			return ret;
		/* The line was claimed when it was held. */
		input_apply(best, 1);
		if (input_gone(best->run))
			return ret;
		if (input_advance(best, e) == -1)
			ret = -1;
	}
}

/*
 * The text of the file open on fd, to its end (inflated when gzip):
 * *len its length, *nl the offset just past its last newline, *lines
 * the newlines. For inputs of a merge that hold the same lines, to find
 * the one that holds the most. 0, or -1 (damaged or unreadable).
 */
static int
input_measure(int fd, int gzip, uint64_t *len, uint64_t *nl,
    uint64_t *lines)
{
	unsigned char in[65536], out[65536], *p, *q;
	z_stream z;
	off_t at = 0;
	ssize_t n;
	size_t k;
	int rc = Z_OK;

	*len = *nl = *lines = 0;
	memset(&z, 0, sizeof(z));
	if (gzip && inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		return -1;
	for (;;) {
		if ((n = pread(fd, in, sizeof(in), at)) == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		at += n;
		if (!gzip) {
			p = in;
			k = (size_t)n;
			goto count;
		}
		z.next_in = in;
		z.avail_in = (uInt)n;
		while (z.avail_in > 0) {
			z.next_out = out;
			z.avail_out = sizeof(out);
			rc = inflate(&z, Z_NO_FLUSH);
			if (rc == Z_STREAM_END)
				rc = inflateReset(&z);
			if (rc != Z_OK && rc != Z_BUF_ERROR)
				goto done;
			p = out;
			k = sizeof(out) - z.avail_out;
			for (q = p; (q = memchr(q, '\n', k - (size_t)(q - p)))
			    != NULL; q++) {
				(*lines)++;
				*nl = *len + (uint64_t)(q - p) + 1;
			}
			*len += k;
			if (k == 0 && rc == Z_BUF_ERROR)
				break;
		}
		continue;
count:
		for (q = p; (q = memchr(q, '\n', k - (size_t)(q - p))) != NULL;
		    q++) {
			(*lines)++;
			*nl = *len + (uint64_t)(q - p) + 1;
		}
		*len += k;
	}
done:
	if (gzip)
		inflateEnd(&z);
	return n < 0 || (rc != Z_OK && rc != Z_BUF_ERROR) ? -1 : 0;
}

/* For the plan: the text in holds, to its end. */
struct input_size {
	uint64_t	len, nl, lines;
	int		ok;
};

static void
input_size(const struct input *in, struct input_size *sz)
{
	sz->ok = input_measure(in->fd, in->id->gzip, &sz->len, &sz->nl,
	    &sz->lines) == 0;
}

/*
 * Merge with a registry: inputs that are the same file, or hold the same
 * lines, are read once -- the one that holds the most, from the furthest
 * any of them was read before. The others are skipped, and noted as
 * read to their end.
 */
static void
input_plan(struct input *ins, size_t n)
{
	struct input_size ka, kb;
	struct input *a, *b, *keep;
	size_t i, j;

	for (i = 0; i < n; i++)
		for (j = i + 1; ins[i].id != NULL && j < n; j++) {
			b = &ins[j];
			if (b->id == NULL || b->id->dev != ins[i].id->dev ||
			    b->id->ino != ins[i].id->ino)
				continue;
			input_skip(b, "the same file as an input before it");
			/* ins[i] notes the file in the registry. */
			free(b->id);
			b->id = NULL;
		}
	for (i = 0; i < n; i++) {
		a = &ins[i];
		if (a->id == NULL || a->skipped)
			continue;
		/* The longest of a and the later inputs with its text. */
		keep = NULL;
		for (j = i + 1; j < n; j++) {
			b = &ins[j];
			if (b->id == NULL || b->skipped ||
			    !registry_same_text(a->id, b->id))
				continue;
			if (keep == NULL) {
				keep = a;
				input_size(a, &ka);
			}
			input_size(b, &kb);
			if (kb.ok && (!ka.ok || kb.len > ka.len)) {
				keep = b;
				ka = kb;
			}
		}
		if (keep == NULL)
			continue;
		for (j = i; j < n; j++) {
			b = &ins[j];
			if (b == keep || b->id == NULL || b->skipped ||
			    !registry_same_text(a->id, b->id))
				continue;
			if (b->from > keep->from) {
				keep->from = b->from;
				keep->fromlines = b->fromlines;
				keep->verdict = REGISTRY_RESUME;
			}
			input_size(b, &kb);
			b->from = b->id->gzip ? kb.len : kb.nl;
			b->fromlines = kb.lines + (b->id->gzip && kb.len > kb.nl);
			input_skip(b, "holds the same lines as another input, "
			    "which is read");
		}
		if (keep->verdict == REGISTRY_RESUME && !keep->id->gzip &&
		    keep->from >= keep->id->size)
			keep->verdict = REGISTRY_DONE;
	}
}

static int
input_merged(char *const *args, size_t nargs, struct ruleset *rs,
    struct input_run *run)
{
	const struct input_opts *opts = run->opts;
	struct input *ins;
	size_t i;
	int ret = 0;

	ins = xcalloc(nargs, sizeof(*ins));
	for (i = 0; i < nargs; i++) {
		if (input_open(&ins[i], args[i], rs, run) == -1) {
			ret = -1;
			continue;
		}
		input_lookup(&ins[i], opts->registry);
	}
	if (opts->registry != NULL)
		input_plan(ins, nargs);
	for (i = 0; i < nargs; i++) {
		if (ins[i].fd == -1 || ins[i].skipped)
			continue;
		if (ins[i].verdict == REGISTRY_DONE)
			input_skip(&ins[i], "read to its end by an earlier run "
			    "(--state)");
		else {
			ins[i].merging = 1;
			input_start(&ins[i]);
			ins[i].claim = claim_new(rs);
		}
	}
	if (input_merge(ins, nargs, run->e) == -1)
		ret = -1;
	for (i = 0; i < nargs; i++) {
		input_close(&ins[i], opts->registry);
		claim_free(ins[i].claim);
	}
	free(ins);
	return ret;
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
	const struct pseudonym *key;
	struct input_run run;
	char *cause;
	int ret, redact;

	run.opts = opts;
	run.e = e;
	run.done = 0;
	run.lines = 0;
	run.progress = input_progress(args, nargs, rs, opts);
	run.pool = NULL;
	if (opts->threads > 1 && (run.pool = pool_new(rs, opts->threads,
	    opts->simple, opts->max_line, &cause)) == NULL) {
		warnx("%s; reading on one thread", cause);
		free(cause);
	}
	if (run.pool != NULL) {
		engine_privacy(e, &key, &redact);
		pool_privacy(run.pool, key, redact);
	}
	if (nargs == 1 || !opts->merge)
		ret = input_sequence(args, nargs, rs, &run);
	else
		ret = input_merged(args, nargs, rs, &run);
	if (opts->registry != NULL) {
		registry_seen(opts->registry, engine_latest(e));
		(void)registry_expire(opts->registry, engine_latest(e));
	}
	progress_end(run.progress);
	pool_free(run.pool);
	return ret;
}
