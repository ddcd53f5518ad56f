/*
 * obuf: an output buffer on a file descriptor, and the escapers that
 * make hostile log bytes safe for a terminal (text) or a parser (JSON).
 * Nothing from input is written except through obuf_text()/obuf_json().
 *
 * Write errors are sticky: after one, writes are dropped and
 * obuf_error() returns the errno (EPIPE when the reader went away).
 */
#ifndef CXW_OBUF_H
#define CXW_OBUF_H

#include <stddef.h>
#include <stdint.h>

struct obuf;

struct obuf	*obuf_new(int fd, size_t cap);
void		 obuf_free(struct obuf *);	/* flushes first; NULL ok */

void	obuf_put(struct obuf *, const char *, size_t);	/* raw, trusted */
void	obuf_puts(struct obuf *, const char *);		/* raw, trusted */
void	obuf_putc(struct obuf *, char);
void	obuf_printf(struct obuf *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	obuf_u64(struct obuf *, uint64_t);
void	obuf_i64(struct obuf *, int64_t);
void	obuf_time(struct obuf *, int64_t ms);	/* RFC 3339 UTC */

/*
 * Text escaping for people: valid UTF-8 passes, except C0/C1 controls,
 * DEL and the bidi/line-separator code points (U+2028..U+202E,
 * U+2066..U+2069), which become \xHH (bytes) or \u{XXXX}; invalid UTF-8
 * bytes become \xHH. Tab passes. Backslash passes.
 */
void	obuf_text(struct obuf *, const char *, size_t);

/*
 * JSON string body (no quotes): ", \ and controls escaped, invalid UTF-8
 * replaced by U+FFFD, so the output is valid JSON for any input bytes.
 */
void	obuf_json(struct obuf *, const char *, size_t);
/* A quoted JSON string: "..." */
void	obuf_jstr(struct obuf *, const char *, size_t);

/* Flush to the fd; 0, or -1 (see obuf_error). */
int	obuf_flush(struct obuf *);
/* Bytes waiting in the buffer. */
size_t	obuf_pending(const struct obuf *);
/* 0, or the errno of the first failed write. */
int	obuf_error(const struct obuf *);

#endif
