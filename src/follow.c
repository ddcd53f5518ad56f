/*
 * follow: tail -F as a byte source. See follow.h.
 *
 * At the end of what the file at the name holds (cur), the name is
 * looked at again: a different inode means the file was rotated. cur
 * then joins the old files, which are read until each has been quiet for
 * the rotate wait, and the new file at the name becomes cur, read from
 * 0. The same inode, smaller than our offset, means it was truncated in
 * place (read again from 0). A read error other than EINTR closes the
 * file (an old one for good, cur to be reopened by name).
 *
 * One line at a time: while more than one file is open, what is read is
 * cut after its last newline and the rest given back with lseek(2) (the
 * files are regular), so the stream handed out is at a line boundary
 * whenever it may move to another file. A line longer than the buffer
 * cannot be cut; it is handed out as it is, and the stream stays in that
 * file until its newline (the reader skips such a line anyway). A last
 * line without a newline is handed out once its old file is quiet.
 */
#include <sys/resource.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "follow.h"
#include "xmalloc.h"

/* Descriptors probed at the pool's start when the limit is higher. */
#define FOLLOW_PROBE	65536

struct follow_pool {
	size_t		 nopen;		/* descriptors the follows hold */
	size_t		 base;		/* open at the start, plus reserve */
	double		 wait;		/* rotate wait, seconds */
	double		 (*clock)(void);
};

struct follow_file {
	int		 fd;		/* -1: none */
	dev_t		 dev;
	ino_t		 ino;		/* 0: not a regular file */
	off_t		 off;		/* bytes handed out from it */
	int		 mid;		/* the last of them was not \n */
	off_t		 size;		/* old files: size last seen ... */
	double		 changed;	/* ... and when it last changed */
};

struct follow {
	char			*path;
	struct follow_pool	*pool;
	struct follow_file	 cur;		/* the file at path */
	struct follow_file	*old;		/* rotated away, oldest first */
	size_t			 nold;
	int			 newline_due;	/* hand out a \n first */
	int			 refused;	/* errno: no descriptor */
	/* The file as the run began, when it could not be opened then. */
	int			 start_set;
	dev_t			 start_dev;
	ino_t			 start_ino;
	off_t			 start_off;
};

/* The soft descriptor limit now, as a count. */
static size_t
follow_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1 ||
	    rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > SIZE_MAX)
		return SIZE_MAX;
	return (size_t)rl.rlim_cur;
}

struct follow_pool *
follow_pool_new(size_t reserve, double rotate_wait, double (*clock)(void))
{
	struct follow_pool *p = xcalloc(1, sizeof(*p));
	size_t lim = follow_limit(), fd, n = 0;

	for (fd = 0; fd < lim && fd < FOLLOW_PROBE; fd++)
		if (fcntl((int)fd, F_GETFD) != -1)
			n++;
	p->base = n + reserve;
	p->wait = rotate_wait;
	p->clock = clock;
	return p;
}

void
follow_pool_free(struct follow_pool *p)
{
	free(p);
}

void
follow_pool_limits(const struct follow_pool *p, unsigned long long *limit,
    size_t *room)
{
	size_t lim = follow_limit();

	*limit = lim;
	*room = lim > p->base ? lim - p->base : 0;
}

/* A descriptor from the pool: 1, or 0 when there is no room. */
static int
follow_pool_take(struct follow_pool *p)
{
	size_t lim = follow_limit();

	if (lim <= p->base || p->nopen >= lim - p->base)
		return 0;
	p->nopen++;
	return 1;
}

static void
follow_file_close(struct follow *f, struct follow_file *ff)
{
	if (ff->fd == -1)
		return;
	close(ff->fd);
	ff->fd = -1;
	f->pool->nopen--;
}

/*
 * Open path as cur: at its end (the run's start, without from_start),
 * where the run began if it opens late, or at 0.
 */
static void
follow_open(struct follow *f, int at_end)
{
	struct follow_file *c = &f->cur;
	struct stat st;

	if (!follow_pool_take(f->pool)) {
		errno = EMFILE;
		goto refused;
	}
	/* Non-blocking: a FIFO must not stall the loop. */
	if ((c->fd = open(f->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1) {
		f->pool->nopen--;
		if (errno == EMFILE || errno == ENFILE)
			goto refused;
		return;
	}
	f->refused = 0;
	c->mid = 0;
	c->off = 0;
	if (fstat(c->fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		/* A FIFO or device is read as it comes, from where it is. */
		c->dev = 0;
		c->ino = 0;
		return;
	}
	c->dev = st.st_dev;
	c->ino = st.st_ino;
	if (f->start_set && st.st_dev == f->start_dev &&
	    st.st_ino == f->start_ino && st.st_size >= f->start_off)
		c->off = lseek(c->fd, f->start_off, SEEK_SET);
	else if (at_end)
		c->off = lseek(c->fd, 0, SEEK_END);
	f->start_set = 0;
	if (c->off == -1)
		c->off = 0;
	return;
refused:
	/* A file that does not exist yet is only waited for, as ever. */
	f->refused = errno;
	if (stat(f->path, &st) == -1) {
		f->refused = 0;
		return;
	}
	/* What the file holds now is old: the lines after it are not. */
	if (at_end && !f->start_set && S_ISREG(st.st_mode)) {
		f->start_set = 1;
		f->start_dev = st.st_dev;
		f->start_ino = st.st_ino;
		f->start_off = st.st_size;
	}
}

struct follow *
follow_new(const char *path, int from_start, struct follow_pool *pool)
{
	struct follow *f = xcalloc(1, sizeof(*f));

	f->path = xstrdup(path);
	f->pool = pool;
	f->cur.fd = -1;
	follow_open(f, !from_start);
	return f;
}

void
follow_free(struct follow *f)
{
	size_t i;

	if (f == NULL)
		return;
	follow_file_close(f, &f->cur);
	for (i = 0; i < f->nold; i++)
		follow_file_close(f, &f->old[i]);
	free(f->old);
	free(f->path);
	free(f);
}

int
follow_refused(const struct follow *f)
{
	return f->cur.fd == -1 && f->nold == 0 ? f->refused : 0;
}

/* Files open: more than one means reading a line at a time. */
static size_t
follow_nopen(const struct follow *f)
{
	return f->nold + (f->cur.fd != -1);
}

/*
 * Read from ff into buf. cut: hand out only up to the last newline, and
 * nothing (*held set) when there is none yet, unless the line fills buf.
 * Returns as read(2).
 */
static ssize_t
follow_read(struct follow_file *ff, char *buf, size_t len, int cut,
    int *held)
{
	const char *end;
	ssize_t n;

	*held = 0;
	do
		n = read(ff->fd, buf, len);
	while (n == -1 && errno == EINTR);
	if (n <= 0)
		return n;
	if (cut && ff->ino != 0) {
		for (end = buf + n; end > buf && end[-1] != '\n'; end--)
			continue;
		if (end == buf && (size_t)n < len) {
			(void)lseek(ff->fd, -(off_t)n, SEEK_CUR);
			*held = 1;
			return 0;
		}
		if (end > buf && end < buf + n) {
			(void)lseek(ff->fd, -(off_t)(buf + n - end), SEEK_CUR);
			n = end - buf;
		}
	}
	ff->off += n;
	ff->mid = buf[n - 1] != '\n';
	return n;
}

/* Close old file i for good; a line it left unfinished gets its \n. */
static void
follow_drop_old(struct follow *f, size_t i)
{
	if (f->old[i].mid)
		f->newline_due = 1;
	follow_file_close(f, &f->old[i]);
	memmove(&f->old[i], &f->old[i + 1], (f->nold - i - 1) *
	    sizeof(*f->old));
	f->nold--;
}

/*
 * Old file i: bytes handed out (> 0), or 0 for nothing now (it may have
 * been closed: quiet for the rotate wait, or a read error).
 */
static ssize_t
follow_old(struct follow *f, size_t i, char *buf, size_t len)
{
	struct follow_file *o = &f->old[i];
	double now = f->pool->clock();
	struct stat st;
	ssize_t n;
	int quiet, held;

	if (fstat(o->fd, &st) == 0 && st.st_size != o->size) {
		o->size = st.st_size;
		o->changed = now;
	}
	quiet = now - o->changed >= f->pool->wait;
	/* Quiet: its unfinished last line comes out whole, and it ends. */
	n = follow_read(o, buf, len, !quiet && follow_nopen(f) > 1, &held);
	if (n > 0)
		return n;
	if (n == -1 && errno == EAGAIN)
		return 0;
	if (n == -1 || (quiet && !held))
		follow_drop_old(f, i);
	return 0;
}

/* A rotation: cur joins the old files; the new one is opened from 0. */
static void
follow_rotate(struct follow *f)
{
	struct follow_file *o;

	f->old = xreallocarray(f->old, f->nold + 1, sizeof(*f->old));
	o = &f->old[f->nold++];
	*o = f->cur;
	o->size = o->off;
	o->changed = f->pool->clock();
	f->cur.fd = -1;
	f->cur.mid = 0;
	follow_open(f, 0);
}

/* At the end of cur: has the name moved on? 1 if something changed. */
static int
follow_check(struct follow *f)
{
	struct follow_file *c = &f->cur;
	struct stat st;

	if (stat(f->path, &st) == -1)
		return 0;		/* gone: wait for the new one */
	if (c->fd == -1) {
		follow_open(f, 0);
		return c->fd != -1;
	}
	if (c->ino == 0)
		return 0;		/* not a regular file */
	if (st.st_dev != c->dev || st.st_ino != c->ino) {
		follow_rotate(f);
		return 1;
	}
	if (st.st_size < c->off) {
		if (c->mid)
			f->newline_due = 1;
		c->mid = 0;
		(void)lseek(c->fd, 0, SEEK_SET);
		c->off = 0;
		return 1;
	}
	return 0;
}

/* The file the stream is midway through a line of, or NULL. */
static const struct follow_file *
follow_mid(const struct follow *f)
{
	size_t i;

	if (f->cur.fd != -1 && f->cur.mid)
		return &f->cur;
	for (i = 0; i < f->nold; i++)
		if (f->old[i].mid)
			return &f->old[i];
	return NULL;
}

ssize_t
follow_fill(void *ctx, char *buf, size_t len)
{
	struct follow *f = ctx;
	const struct follow_file *mid;
	size_t i, nold;
	ssize_t n;
	int tries, held = 0;

	for (tries = 0; tries < 3; tries++) {
		if (f->newline_due) {
			f->newline_due = 0;
			buf[0] = '\n';
			return 1;
		}
		/* The old files first, unless a line of another is begun. */
		mid = follow_mid(f);
		for (i = 0; i < f->nold && f->newline_due == 0; i++) {
			if (mid != NULL && mid != &f->old[i])
				continue;
			nold = f->nold;
			if ((n = follow_old(f, i, buf, len)) > 0)
				return n;
			if (f->nold < nold)
				i--;		/* closed: the next moved up */
		}
		if (f->newline_due)
			continue;
		if ((mid = follow_mid(f)) != NULL && mid != &f->cur)
			break;			/* its line must end first */
		if (f->cur.fd != -1) {
			n = follow_read(&f->cur, buf, len, follow_nopen(f) > 1,
			    &held);
			if (n > 0)
				return n;
			if (held || (n == -1 && errno == EAGAIN))
				break;
			if (n == -1)
				follow_file_close(f, &f->cur);
		}
		if (!follow_check(f))
			break;
	}
	errno = EAGAIN;
	return -1;
}
