/*
 * gzread: a byte source that inflates gzip on the fly when the input
 * starts with the gzip magic (1f 8b), whatever its name, and passes the
 * bytes through unchanged otherwise. It sits between a raw source (read(2)
 * on a file or pipe) and the line reader, and has the same fill shape.
 *
 * Concatenated members (cat a.gz b.gz, BGZF) are read as one stream.
 * Trailing zero bytes after the last member are ignored, as gzip(1) does.
 * Damage (a truncated or corrupt member, other bytes after the last
 * member) ends the stream: the bytes inflated before it are handed out
 * first, then the fill returns -1 and gzread_error() says what and where.
 *
 * The raw source may be non-blocking (see reader_fill_fn): its -1 with
 * EAGAIN ("nothing yet") is passed through, never taken for damage or a
 * failure. Whatever gzread was doing is kept -- waiting for the second
 * byte of the magic after a first 1f (any other first byte means plain
 * input at once), inflating, looking past a member or at trailing zeros
 * -- no byte is lost or repeated, and the next fill calls the raw source
 * again. Bytes made before the EAGAIN are returned first: the fill
 * returns -1 with EAGAIN only when it has none. Within one fill the raw
 * source is not called again after it said EAGAIN, so no fill spins on it.
 */
#ifndef CXW_GZREAD_H
#define CXW_GZREAD_H

#include <stdint.h>

#include "reader.h"

struct gzread;

/* raw and its ctx are borrowed. */
struct gzread	*gzread_new(reader_fill_fn raw, void *ctx);
/*
 * The same, but gzip is inflated by a thread of its own, a few blocks
 * ahead of the reader, so that inflating and matching overlap. raw is
 * then called from that thread and must be safe there (read(2) on a
 * regular file is), and must block: EAGAIN is not passed through here.
 * Plain input is read in line as with gzread_new().
 */
struct gzread	*gzread_new_async(reader_fill_fn raw, void *ctx);
void		 gzread_free(struct gzread *);	/* NULL is fine */

/* The reader_fill_fn: ctx is the struct gzread. */
ssize_t		 gzread_fill(void *ctx, char *buf, size_t len);

/* 1 once the input is known to be gzip. */
int		 gzread_is_gzip(const struct gzread *);
/* Bytes taken from the raw source so far (compressed bytes for gzip). */
uint64_t	 gzread_consumed(const struct gzread *);

/*
 * After gzread_fill() returned -1: a message such as "truncated gzip data
 * at byte 48213", or NULL when the raw source failed or had nothing yet
 * (see errno).
 */
const char	*gzread_error(const struct gzread *);

#endif
