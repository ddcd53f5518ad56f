/*
 * follow: tail -F as a byte source. See follow.h.
 *
 * At the end of what the open file holds, the path is looked at again:
 * a different inode means the file was rotated (we have read the old one
 * to its end, so nothing is lost: open the new one from 0); the same
 * inode, smaller than our offset, means it was truncated in place (read
 * again from 0). A read error other than EINTR reopens by path.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "follow.h"
#include "xmalloc.h"

struct follow {
	char		*path;
	int		 fd;		/* -1: waiting for the file */
	dev_t		 dev;
	ino_t		 ino;
	off_t		 off;		/* bytes read from this file */
	int		 from_start;
	int		 midline;	/* last byte handed out was not \n */
	int		 newline_due;	/* hand out a \n before the next file */
};

/* Open path; at the start of a run honour from_start, else from 0. */
static void
follow_open(struct follow *f, int at_end)
{
	struct stat st;

	/* Non-blocking: a FIFO must not stall the loop. */
	if ((f->fd = open(f->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1)
		return;
	if (fstat(f->fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		/* A FIFO or device is read as it comes, from where it is. */
		f->dev = 0;
		f->ino = 0;
		f->off = 0;
		return;
	}
	f->dev = st.st_dev;
	f->ino = st.st_ino;
	f->off = at_end ? lseek(f->fd, 0, SEEK_END) : 0;
	if (f->off == -1)
		f->off = 0;
}

struct follow *
follow_new(const char *path, int from_start)
{
	struct follow *f = xcalloc(1, sizeof(*f));

	f->path = xstrdup(path);
	f->from_start = from_start;
	follow_open(f, !from_start);
	return f;
}

void
follow_free(struct follow *f)
{
	if (f == NULL)
		return;
	if (f->fd != -1)
		close(f->fd);
	free(f->path);
	free(f);
}

/* Start over on the file now at path (rotated, truncated or new). */
static void
follow_switch(struct follow *f, int reopen)
{
	if (f->midline)
		f->newline_due = 1;
	f->midline = 0;
	if (!reopen) {
		(void)lseek(f->fd, 0, SEEK_SET);
		f->off = 0;
		return;
	}
	if (f->fd != -1)
		close(f->fd);
	follow_open(f, 0);
}

/* At the end of the open file: has the path moved on? */
static int
follow_check(struct follow *f)
{
	struct stat st;

	if (stat(f->path, &st) == -1)
		return 0;		/* gone: wait for the new one */
	if (f->fd == -1) {
		follow_open(f, 0);
		return f->fd != -1;
	}
	if (f->ino == 0)
		return 0;		/* not a regular file */
	if (st.st_dev != f->dev || st.st_ino != f->ino) {
		follow_switch(f, 1);
		return 1;
	}
	if (st.st_size < f->off) {
		follow_switch(f, 0);
		return 1;
	}
	return 0;
}

ssize_t
follow_fill(void *ctx, char *buf, size_t len)
{
	struct follow *f = ctx;
	ssize_t n;
	int tries;

	for (tries = 0; tries < 2; tries++) {
		if (f->newline_due) {
			f->newline_due = 0;
			buf[0] = '\n';
			return 1;
		}
		if (f->fd != -1) {
			do
				n = read(f->fd, buf, len);
			while (n == -1 && errno == EINTR);
			if (n > 0) {
				f->off += n;
				f->midline = buf[n - 1] != '\n';
				return n;
			}
			if (n == -1 && errno == EAGAIN)
				break;
			if (n == -1) {
				close(f->fd);
				f->fd = -1;
			}
		}
		if (!follow_check(f))
			break;
	}
	errno = EAGAIN;
	return -1;
}
