/*
 * follow: a byte source on a named file that is followed as tail -F does
 * (cxwatch(1), -f): it starts at the end (or the start), hands out what
 * is appended, and returns -1 with errno EAGAIN when there is nothing
 * new. Truncation in place (copytruncate) is noticed: the file is read
 * again from offset 0. A file that does not exist yet is waited for.
 *
 * Rotation by rename (or removal) is noticed too: the new file at the
 * name is read from its start as soon as it appears, and the old one
 * goes on being read beside it until it has been quiet (no byte added)
 * for the pool's rotate wait, so that a writer that reopens its log only
 * when told to after the rotation (logrotate's postrotate) loses no line.
 * While more than one file is open, each is handed out a whole line at a
 * time: the old files' complete lines first, oldest file first, then the
 * new file's, and a line once begun is finished from the same file, so
 * lines of two files never mix. A file whose last line has no newline
 * when it is closed for good (or truncated) gets one, so that line is
 * not glued to the next file's first.
 *
 * The follows of one loop share a pool of descriptors bounded by the
 * descriptor limit; a file that cannot be opened for want of one is
 * tried again later, and follow_refused() says so.
 * Knows nothing of event loops: the caller polls it.
 */
#ifndef CXW_FOLLOW_H
#define CXW_FOLLOW_H

#include <stddef.h>
#include <sys/types.h>

struct follow;
struct follow_pool;

/*
 * A pool for the follows of one loop, made once everything else the loop
 * keeps open is open: the follows together hold at most the soft
 * RLIMIT_NOFILE (as it is at each open, so raising it helps), less the
 * descriptors open now, less reserve for those the run opens later.
 * rotate_wait: seconds a rotated file must be quiet before it is closed
 * (0: at its end). clock: monotonic seconds. Free it after its follows.
 */
struct follow_pool *follow_pool_new(size_t reserve, double rotate_wait,
		    double (*clock)(void));
void		 follow_pool_free(struct follow_pool *);	/* NULL ok */

/* The limit the pool goes by, and how many files it leaves room for. */
void		 follow_pool_limits(const struct follow_pool *,
		    unsigned long long *limit, size_t *room);

/* path is copied. from_start: read what the file holds first. */
struct follow	*follow_new(const char *path, int from_start,
		    struct follow_pool *);
void		 follow_free(struct follow *);	/* NULL is fine */

/* The reader_fill_fn: ctx is the struct follow. Never returns 0. */
ssize_t		 follow_fill(void *ctx, char *buf, size_t len);

/*
 * The errno (EMFILE, ENFILE) of the last attempt to open the file, when
 * it failed for want of a descriptor and no file of this follow is open;
 * else 0. Such a file is tried again at each look at it; when it opens
 * at last, it is read from where the run began (the size it had then,
 * if it is the same file), or from its start if it is new.
 */
int		 follow_refused(const struct follow *);

#endif
