/*
 * follow: a byte source on a named file that is followed as tail -F does
 * (cxwatch(1), -f): it starts at the end (or the start), hands out what
 * is appended, and returns -1 with errno EAGAIN when there is nothing
 * new. Rotation by rename is noticed (the old file is read to its end,
 * then the new one from its start, once it appears), and so is
 * truncation in place (copytruncate: read again from offset 0). A file
 * that does not exist yet is waited for. When a file ends without a
 * newline and is then rotated or truncated, a newline is handed out so
 * that its last line is not glued to the next file's first.
 * Knows nothing of event loops: the caller polls it.
 */
#ifndef CXW_FOLLOW_H
#define CXW_FOLLOW_H

#include <sys/types.h>

struct follow;

/* path is copied. from_start: read what the file holds first. */
struct follow	*follow_new(const char *path, int from_start);
void		 follow_free(struct follow *);	/* NULL is fine */

/* The reader_fill_fn: ctx is the struct follow. Never returns 0. */
ssize_t		 follow_fill(void *ctx, char *buf, size_t len);

#endif
