/*
 * obuf: an output buffer on a file descriptor, and the escapers that
 * make hostile log bytes safe for a terminal (text) or a parser (JSON).
 * Nothing from input is written except through obuf_text(), obuf_field(),
 * obuf_html() or obuf_json().
 *
 * Write errors are sticky: after one, writes are dropped and
 * obuf_error() returns the errno of the first (EPIPE when the reader went
 * away, if the caller ignores SIGPIPE). The module never prints.
 *
 * A write that would block (a pipe nobody reads) waits in ppoll(2); with
 * obuf_set_stop() that wait ends when a stop signal comes, and what the
 * fd does not take within a second more is then dropped. The caller
 * marks where each record (an alert) ends, so that it can say how many
 * were not written.
 */
#ifndef CXW_OBUF_H
#define CXW_OBUF_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

struct obuf;

/* Buffer cap bytes (0: 64 KiB; at least 64) for fd, which is not closed. */
/* fd -1: in memory, growing as needed; see obuf_data(). */
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
 * Text escaping for people: valid UTF-8 passes, except that a backslash
 * becomes \\, bytes 0x00-0x1f (but tab) and 0x7f become \xHH (two
 * lower-case hex digits), and the C1 controls U+0080..U+009F,
 * U+2028..U+202E and U+2066..U+2069 become \u{XXXX} (four lower-case
 * hex digits). Every byte of invalid UTF-8 (bad lead or continuation
 * byte, truncated or overlong sequence, surrogate, above U+10FFFF)
 * becomes \xHH. Tab passes. As a backslash only ever starts one of the
 * three escapes, the output reads back to the input bytes exactly
 * (cxwatch(1) ALERTS says how).
 */
void	obuf_text(struct obuf *, const char *, size_t);

/*
 * One field of a text line (a customer id in an alert, a -x value): as
 * obuf_text(), and blank, tab, '"' and '=' become \x20, \x09, \x22 and
 * \x3d, so the output is one word for awk(1) and cut(1) and holds no
 * '=' to take for a key's; empty input is written as "".
 */
void	obuf_field(struct obuf *, const char *, size_t);

/*
 * HTML text or attribute value (quoted with "): as obuf_text(), and
 * & < > " ' become &amp; &lt; &gt; &quot; &#39;, so no input byte can
 * open a tag, end an attribute or start a character reference.
 */
void	obuf_html(struct obuf *, const char *, size_t);

/*
 * JSON string body (no quotes), valid JSON for any input bytes:
 * " and \ become \" and \\; \b \f \n \r \t stay short; other bytes below
 * 0x20, 0x7f and the code points obuf_text() escapes become \u00XX or
 * \uXXXX (lower-case hex); each maximal subpart of invalid UTF-8
 * (Unicode 3.9, as Python's "replace" and WHATWG decoders do) becomes
 * \ufffd. Other valid UTF-8 passes as it is.
 */
void	obuf_json(struct obuf *, const char *, size_t);
/* A quoted JSON string: "..." */
void	obuf_jstr(struct obuf *, const char *, size_t);

/* Flush to the fd; 0, or -1 (see obuf_error). */
int	obuf_flush(struct obuf *);
/* Bytes waiting in the buffer. */
size_t	obuf_pending(const struct obuf *);
/* In memory: the bytes so far (valid until the next write), and clear. */
const char	*obuf_data(const struct obuf *, size_t *len);
void		 obuf_clear(struct obuf *);

/* 0, or the errno of the first failed write; ECANCELED: see below. */
int	obuf_error(const struct obuf *);

/*
 * Waiting for a pipe, socket or device to take more, the signals in sigs
 * (copied) are held while *stop is looked at and let in only during the
 * wait, so a handler that sets *stop ends the wait at once. Once *stop
 * is set, writes go on only as far as the fd takes them within one
 * second in all; the rest is dropped and obuf_error() is ECANCELED.
 * stop NULL: wait on.
 */
void	obuf_set_stop(struct obuf *, const volatile sig_atomic_t *stop,
	    const sigset_t *sigs);

/* A record ends here (fd >= 0 only). */
void	obuf_mark(struct obuf *);
/* Records marked but not written whole (after an error, or pending). */
uint64_t obuf_unwritten(const struct obuf *);

/*
 * Without writing or waiting: 1 if fd is a pipe or socket whose reader
 * has gone (poll(2) says POLLERR or POLLHUP), and from then on the error
 * is EPIPE; else 0. Lets a caller with nothing to write notice, as
 * tail -f does.
 */
int	obuf_gone(struct obuf *);

#endif
