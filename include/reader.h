/*
 * reader: hands out lines from one large buffer, with no per-line
 * allocation or copy. Used by the batch path (and later by gzip and
 * followed files, which plug in as another byte source).
 *
 * A line is a view (ptr, len) into the reader's buffer, valid until the
 * next reader_next() or reader_free(). It may hold any bytes, NUL too.
 * The newline is not part of it, nor one CR directly before it (a CR at
 * the very end of input, with no newline after it, stays). The last line
 * counts even without a newline: "" gives no lines, "a\n" one, "\n\n"
 * two empty ones. A UTF-8 byte-order mark (EF BB BF) that begins the
 * input is skipped: it is not part of the first line, but its bytes
 * count in reader_bytes(). Only the first bytes the source hands out are
 * looked at, so a followed file is one input across its rotations.
 *
 * Lines longer than max_line bytes (not counting the newline and its CR)
 * are skipped whole, never truncated, and counted in nlong; their bytes
 * are discarded as they arrive, so a huge line costs no memory. The
 * buffer is allocated once: 1 MiB, or 2 * (max_line + 1) bytes if more.
 */
#ifndef CXW_READER_H
#define CXW_READER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * A byte source: fill buf with up to len bytes. Returns the count, 0 at
 * end of input, or -1 with errno set. ctx is the source's own state.
 * After 0 or -1 it is not called again, except after -1 with EAGAIN
 * ("nothing yet"), when the reader calls it again on its next call.
 */
typedef ssize_t (*reader_fill_fn)(void *ctx, char *buf, size_t len);

struct reader;

/* Read from fd with read(2), retrying on EINTR; fd is not closed. */
struct reader	*reader_new_fd(int fd, size_t max_line);
/* Read from any byte source; ctx is borrowed. */
struct reader	*reader_new(reader_fill_fn, void *ctx, size_t max_line);
void		 reader_free(struct reader *);	/* NULL is fine */

/*
 * Next line: 1 with *line and *len set; 0 at end of input; -1 on a
 * read error (errno set; the complete lines before it were handed out,
 * a partial one is lost). After 0 or -1, every later call returns the
 * same (and sets errno again) -- except -1 with errno EAGAIN, which a
 * source returns when it has nothing yet (a followed file): the partial
 * line is kept and a later call goes on where this one stopped.
 */
int		 reader_next(struct reader *, const char **line, size_t *len);

/* 1-based number of the line last returned (counting skipped lines). */
uint64_t	 reader_lineno(const struct reader *);
/* Bytes read from the source so far (may run ahead of the lines). */
uint64_t	 reader_bytes(const struct reader *);
/* Lines skipped for being longer than max_line. */
uint64_t	 reader_nlong(const struct reader *);

/*
 * The source starts at text offset offset of its input, just after line
 * lineno (a run going on where an earlier one stopped): line numbers and
 * reader_offset() count from there. Call before the first reader_next().
 */
void		 reader_resume(struct reader *, uint64_t offset,
		    uint64_t lineno);

/*
 * on: at the end of input, a last line without a newline is not handed
 * out (it may still be being written; a later run reads it whole).
 */
void		 reader_hold_last(struct reader *, int on);

/*
 * Text offset just past the last line handed out or skipped, its
 * newline included: where a later run would go on; *lines, the lines
 * before it (a long line being skipped counts once it ends).
 */
uint64_t	 reader_offset(const struct reader *, uint64_t *lines);

#endif
