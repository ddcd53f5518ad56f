/*
 * reader: lines from one buffer. See reader.h.
 *
 * Invariants: buf[start..end) is unread input; buf[start..scan) is known
 * to hold no newline, so a line arriving in small pieces is scanned once.
 * Between calls the unread tail without a newline is at most max_line + 1
 * bytes (a longer one is dropped and we are "skipping" to its newline),
 * and cap >= 2 * (max_line + 1), so every read has room for at least half
 * the buffer and the buffer never grows.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "reader.h"
#include "xmalloc.h"

#define READER_BUFSZ	(1024 * 1024)

enum reader_state {
	READER_OK,
	READER_EOF,
	READER_ERR
};

struct reader {
	reader_fill_fn	 fill;
	void		*ctx;
	int		 fd;		/* reader_new_fd() only */
	char		*buf;
	size_t		 cap;
	size_t		 start;
	size_t		 scan;
	size_t		 end;
	size_t		 max_line;
	int		 skipping;	/* dropping a long line's rest */
	int		 bom;		/* still to look for a BOM */
	enum reader_state state;
	int		 err;
	uint64_t	 lineno;
	uint64_t	 bytes;
	uint64_t	 nlong;
	uint64_t	 base;		/* text offset the source starts at */
	uint64_t	 done;		/* bytes read through the last newline */
	uint64_t	 donelines;	/* lines in them */
	int		 hold_last;	/* keep a last line without newline */
};

static ssize_t
reader_fd_fill(void *ctx, char *buf, size_t len)
{
	int fd = *(int *)ctx;
	ssize_t n;

	while ((n = read(fd, buf, len)) == -1 && errno == EINTR)
		continue;
	return n;
}

struct reader *
reader_new(reader_fill_fn fill, void *ctx, size_t max_line)
{
	struct reader *r = xcalloc(1, sizeof(*r));

	r->fill = fill;
	r->ctx = ctx;
	r->fd = -1;
	r->max_line = max_line;
	r->bom = 1;
	/* An absurd max_line makes xmalloc() fail and exit, as documented. */
	if (max_line > SIZE_MAX / 2 - 1)
		r->cap = SIZE_MAX;
	else if (2 * (max_line + 1) > READER_BUFSZ)
		r->cap = 2 * (max_line + 1);
	else
		r->cap = READER_BUFSZ;
	/*
	 * Zeroed once: PCRE2's JIT may read a few bytes past a line's end
	 * (harmless, inside the buffer), which valgrind would otherwise
	 * report as a use of uninitialised memory.
	 */
	r->buf = xcalloc(1, r->cap);
	return r;
}

struct reader *
reader_new_fd(int fd, size_t max_line)
{
	struct reader *r = reader_new(reader_fd_fill, NULL, max_line);

	r->fd = fd;
	r->ctx = &r->fd;
	return r;
}

void
reader_free(struct reader *r)
{
	if (r == NULL)
		return;
	free(r->buf);
	free(r);
}

/*
 * Hand out the next complete line already in the buffer: 1, or 0 when
 * more input is needed. Long lines met on the way are counted and dropped.
 */
static int
reader_take(struct reader *r, const char **line, size_t *len)
{
	char *p, *nl;
	size_t n;

	while ((nl = memchr(r->buf + r->scan, '\n', r->end - r->scan))
	    != NULL) {
		p = r->buf + r->start;
		n = (size_t)(nl - p);
		r->start = r->scan = r->start + n + 1;
		/* buf[0..end) are the last end bytes read. */
		r->done = r->bytes - r->end + r->start;
		if (r->skipping) {
			/* Counted when the skipping began. */
			r->skipping = 0;
			r->donelines = r->lineno;
			continue;
		}
		if (n > 0 && p[n - 1] == '\r')
			n--;
		r->donelines = ++r->lineno;
		if (n > r->max_line) {
			r->nlong++;
			continue;
		}
		*line = p;
		*len = n;
		return 1;
	}
	r->scan = r->end;
	/* Even with a CR and newline next, this line is already too long. */
	if (!r->skipping && r->end - r->start > r->max_line + 1) {
		r->skipping = 1;
		r->lineno++;
		r->nlong++;
	}
	if (r->skipping)
		r->start = r->scan = r->end;
	return 0;
}

/* The last line, which had no newline: 1, or 0 if none or too long. */
static int
reader_take_last(struct reader *r, const char **line, size_t *len)
{
	size_t n = r->end - r->start;

	if (n == 0 || r->hold_last)
		return 0;
	r->done = r->bytes;
	*line = r->buf + r->start;
	*len = n;
	r->start = r->scan = r->end;
	r->donelines = ++r->lineno;
	if (n > r->max_line) {
		r->nlong++;
		return 0;
	}
	return 1;
}

/* Move the unread tail to the front when less than half is free. */
static void
reader_compact(struct reader *r)
{
	size_t tail = r->end - r->start;

	if (tail == 0)
		r->start = r->scan = r->end = 0;
	else if (r->cap - r->end < r->cap / 2) {
		memmove(r->buf, r->buf + r->start, tail);
		r->scan -= r->start;
		r->start = 0;
		r->end = tail;
	}
}

static int
reader_refill(struct reader *r)
{
	size_t room;
	ssize_t n;

	reader_compact(r);
	room = r->cap - r->end;
	n = r->fill(r->ctx, r->buf + r->end, room);
	/* Nothing yet (a followed file): try again later, keep the tail. */
	if (n < 0 && errno == EAGAIN)
		return -1;
	if (n < 0 || (size_t)n > room) {
		if (n >= 0)
			errno = EIO;	/* a broken source must not overrun */
		r->state = READER_ERR;
		r->err = errno;
		return -1;
	}
	if (n == 0)
		r->state = READER_EOF;
	r->end += (size_t)n;
	r->bytes += (uint64_t)n;
	return 0;
}

/*
 * A UTF-8 byte-order mark that begins the input is not part of its first
 * line (cxwatch(1), --max-line); its bytes were read all the same. 1 when
 * that is settled, 0 while the bytes so far could still be the start of
 * one.
 */
static int
reader_skip_bom(struct reader *r)
{
	static const char bom[] = "\xef\xbb\xbf";
	size_t n = r->end - r->start;

	if (n < 3 && r->state == READER_OK &&
	    memcmp(r->buf + r->start, bom, n) == 0)
		return 0;
	if (n >= 3 && memcmp(r->buf + r->start, bom, 3) == 0)
		r->start = r->scan = r->start + 3;
	r->bom = 0;
	return 1;
}

int
reader_next(struct reader *r, const char **line, size_t *len)
{
	for (;;) {
		if (r->state == READER_ERR) {
			errno = r->err;
			return -1;
		}
		if (r->bom && !reader_skip_bom(r)) {
			if (reader_refill(r) == -1)
				return -1;
			continue;
		}
		if (reader_take(r, line, len))
			return 1;
		if (r->state == READER_EOF)
			return reader_take_last(r, line, len);
		if (reader_refill(r) == -1)
			return -1;
	}
}

uint64_t
reader_lineno(const struct reader *r)
{
	return r->lineno;
}

uint64_t
reader_bytes(const struct reader *r)
{
	return r->bytes;
}

uint64_t
reader_nlong(const struct reader *r)
{
	return r->nlong;
}

void
reader_resume(struct reader *r, uint64_t offset, uint64_t lineno)
{
	r->base = offset;
	r->lineno = r->donelines = lineno;
	/* A mark is at an input's start only. */
	if (offset > 0)
		r->bom = 0;
}

void
reader_hold_last(struct reader *r, int on)
{
	r->hold_last = on;
}

uint64_t
reader_offset(const struct reader *r, uint64_t *lines)
{
	*lines = r->donelines;
	return r->base + r->done;
}
