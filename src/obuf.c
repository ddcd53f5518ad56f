/*
 * obuf: buffered output and the escapers. See obuf.h.
 *
 * Invariant: len <= cap, and after a write error len stays 0 and every
 * write is dropped. The buffer is at least OBUF_MINCAP bytes, so any one
 * escape or number fits after a flush. marks[mhead..mlen) are the ends
 * (as byte counts from the start: out + len) of the records not yet
 * written whole, oldest first.
 */
#define _GNU_SOURCE		/* ppoll() */

#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "obuf.h"
#include "tparse.h"
#include "xmalloc.h"

#define OBUF_DEFCAP	(64 * 1024)
#define OBUF_MINCAP	64
#define OBUF_BAD	UINT32_MAX	/* not a code point: invalid UTF-8 */
#define OBUF_STOP_WAIT	1000	/* ms the fd gets in all once stopped */

/* Bytes each escaper copies as they are. */
#define OBUF_TEXT_PLAIN(c)	((((c) >= 0x20 && (c) < 0x7f) || \
				    (c) == '\t') && (c) != '\\')
#define OBUF_FIELD_PLAIN(c)	((c) > 0x20 && (c) < 0x7f && (c) != '\\' && \
				    (c) != '"' && (c) != '=')
#define OBUF_HTML_PLAIN(c)	(OBUF_TEXT_PLAIN(c) && (c) != '&' && \
				    (c) != '<' && (c) != '>' && (c) != '"' && \
				    (c) != '\'')
#define OBUF_JSON_PLAIN(c)	((c) >= 0x20 && (c) < 0x7f && (c) != '"' && \
				    (c) != '\\')

enum obuf_esc {
	OBUF_ESC_TEXT,
	OBUF_ESC_FIELD,
	OBUF_ESC_JSON,
	OBUF_ESC_HTML
};

struct obuf {
	int	 fd;
	int	 err;
	char	*buf;
	size_t	 len;
	size_t	 cap;
	int	 waits;		/* a pipe, socket or device: may block */
	int	 pipe;		/* a pipe or FIFO: PIPE_BUF after POLLOUT */
	int	 sock;
	const volatile sig_atomic_t *stop;
	sigset_t sigs;		/* held while *stop is looked at */
	int	 stopwait;	/* ms left to wait once stopped */
	uint64_t out;		/* bytes written */
	uint64_t *marks;
	size_t	 mhead, mlen, mcap;
	uint64_t lost;		/* records dropped by an error */
};

static const char obuf_hexdig[] = "0123456789abcdef";

static const char obuf_digits2[] =
    "00010203040506070809101112131415161718192021222324252627282930313233"
    "34353637383940414243444546474849505152535455565758596061626364656667"
    "6869707172737475767778798081828384858687888990919293949596979899";

struct obuf *
obuf_new(int fd, size_t cap)
{
	struct obuf *o = xcalloc(1, sizeof(*o));
	struct stat sb;

	if (cap == 0)
		cap = OBUF_DEFCAP;
	else if (cap < OBUF_MINCAP)
		cap = OBUF_MINCAP;
	o->fd = fd;
	o->cap = cap;
	o->buf = xmalloc(cap);
	if (fd >= 0 && fstat(fd, &sb) == 0) {
		o->pipe = S_ISFIFO(sb.st_mode);
		o->sock = S_ISSOCK(sb.st_mode);
		o->waits = o->pipe || o->sock || S_ISCHR(sb.st_mode);
	}
	return o;
}

void
obuf_free(struct obuf *o)
{
	if (o == NULL)
		return;
	obuf_flush(o);
	free(o->marks);
	free(o->buf);
	free(o);
}

void
obuf_set_stop(struct obuf *o, const volatile sig_atomic_t *stop,
    const sigset_t *sigs)
{
	o->stop = stop;
	o->stopwait = OBUF_STOP_WAIT;
	if (sigs != NULL)
		o->sigs = *sigs;
	else
		sigemptyset(&o->sigs);
}

/* The first error: what was pending is lost with it. */
static void
obuf_fail(struct obuf *o, int err)
{
	o->err = err;
	o->lost += o->mlen - o->mhead;
	o->mhead = o->mlen = 0;
}

/* w more bytes are out: the records they complete are done. */
static void
obuf_wrote(struct obuf *o, size_t w)
{
	o->out += w;
	while (o->mhead < o->mlen && o->marks[o->mhead] <= o->out)
		o->mhead++;
	if (o->mhead == o->mlen)
		o->mhead = o->mlen = 0;
}

static int64_t
obuf_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Once stopped: poll for at most what is left of OBUF_STOP_WAIT. */
static int
obuf_wait_stopped(struct obuf *o, struct pollfd *pfd)
{
	int64_t t0 = obuf_ms();
	int r;

	r = poll(pfd, 1, o->stopwait);
	o->stopwait -= (int)(obuf_ms() - t0);
	if (o->stopwait < 0)
		o->stopwait = 0;
	return r;
}

/*
 * Wait until the fd takes more: 0 (or an error that write(2) will say),
 * or -1 when stopped while it would not, within the little time a stop
 * leaves it. The stop signals are held while the flag is looked at;
 * ppoll() lets them in only while it waits.
 */
static int
obuf_wait(struct obuf *o)
{
	struct pollfd pfd;
	sigset_t old;
	int r, stopped;

	for (;;) {
		pfd.fd = o->fd;
		pfd.events = POLLOUT;
		pfd.revents = 0;
		stopped = 0;
		if (o->stop == NULL)
			r = poll(&pfd, 1, -1);
		else {
			pthread_sigmask(SIG_BLOCK, &o->sigs, &old);
			if ((stopped = *o->stop != 0))
				r = obuf_wait_stopped(o, &pfd);
			else
				r = ppoll(&pfd, 1, NULL, &old);
			pthread_sigmask(SIG_SETMASK, &old, NULL);
		}
		if (r > 0 || (r == -1 && errno != EINTR))
			return 0;
		if (stopped && o->stopwait == 0)
			return -1;
	}
}

/*
 * Write all of p, or record the first error. With a stop flag, a pipe is
 * written PIPE_BUF bytes at a time after POLLOUT, which then cannot block:
 * a stop is never missed inside write(2).
 */
static void
obuf_write(struct obuf *o, const char *p, size_t n)
{
	size_t chunk;
	ssize_t w;

	while (n > 0 && o->err == 0) {
		chunk = n;
		if (o->stop != NULL && o->waits) {
			if (obuf_wait(o) == -1) {
				obuf_fail(o, ECANCELED);
				break;
			}
			if (o->pipe && chunk > PIPE_BUF)
				chunk = PIPE_BUF;
		}
		w = write(o->fd, p, chunk);
		if (w > 0) {
			p += w;
			n -= (size_t)w;
			obuf_wrote(o, (size_t)w);
		} else if (w == 0)
			obuf_fail(o, EIO);	/* no progress and no errno */
		else if (errno == EAGAIN || errno == EWOULDBLOCK) {
			/* O_NONBLOCK, as a terminal shared with stdin is. */
			if (obuf_wait(o) == -1)
				obuf_fail(o, ECANCELED);
		} else if (errno != EINTR)
			obuf_fail(o, errno);
	}
}

int
obuf_flush(struct obuf *o)
{
	if (o->fd < 0)
		return 0;	/* in memory: the bytes stay */
	obuf_write(o, o->buf, o->len);
	o->len = 0;
	return o->err ? -1 : 0;
}

/* In memory, make room for n more bytes. */
static void
obuf_grow(struct obuf *o, size_t n)
{
	while (o->cap - o->len < n)
		o->cap *= 2;
	o->buf = xreallocarray(o->buf, o->cap, 1);
}

const char *
obuf_data(const struct obuf *o, size_t *len)
{
	*len = o->len;
	return o->buf;
}

void
obuf_clear(struct obuf *o)
{
	o->len = 0;
}

size_t
obuf_pending(const struct obuf *o)
{
	return o->len;
}

int
obuf_error(const struct obuf *o)
{
	return o->err;
}

void
obuf_mark(struct obuf *o)
{
	uint64_t end = o->out + o->len;

	if (o->fd < 0)
		return;
	if (o->err) {
		o->lost++;
		return;
	}
	if (end <= o->out)
		return;		/* written already */
	if (o->mlen == o->mcap) {
		if (o->mhead > 0) {
			memmove(o->marks, o->marks + o->mhead,
			    (o->mlen - o->mhead) * sizeof(*o->marks));
			o->mlen -= o->mhead;
			o->mhead = 0;
		}
		if (o->mlen == o->mcap) {
			o->mcap = o->mcap ? o->mcap * 2 : 64;
			o->marks = xreallocarray(o->marks, o->mcap,
			    sizeof(*o->marks));
		}
	}
	o->marks[o->mlen++] = end;
}

uint64_t
obuf_unwritten(const struct obuf *o)
{
	return o->lost + (o->mlen - o->mhead);
}

int
obuf_gone(struct obuf *o)
{
	struct pollfd pfd = { .fd = o->fd, .events = 0, .revents = 0 };

	if (o->err != 0)
		return o->err == EPIPE;
	if (!o->pipe && !o->sock)
		return 0;
	if (poll(&pfd, 1, 0) != 1 || !(pfd.revents & (POLLERR | POLLHUP)))
		return 0;
	o->len = 0;
	obuf_fail(o, EPIPE);
	return 1;
}

void
obuf_put(struct obuf *o, const char *p, size_t n)
{
	if (o->err || n == 0)
		return;
	if (o->fd < 0 && n > o->cap - o->len)
		obuf_grow(o, n);
	if (n > o->cap - o->len && obuf_flush(o) == -1)
		return;
	if (n >= o->cap)
		obuf_write(o, p, n);
	else {
		memcpy(o->buf + o->len, p, n);
		o->len += n;
	}
}

void
obuf_puts(struct obuf *o, const char *s)
{
	obuf_put(o, s, strlen(s));
}

void
obuf_putc(struct obuf *o, char c)
{
	if (o->err)
		return;
	if (o->fd < 0 && o->len == o->cap)
		obuf_grow(o, 1);
	if (o->len == o->cap && obuf_flush(o) == -1)
		return;
	o->buf[o->len++] = c;
}

void
obuf_printf(struct obuf *o, const char *fmt, ...)
{
	va_list ap;
	char *big;
	int n;

	if (o->err)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->len, o->cap - o->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < o->cap - o->len) {
		o->len += (size_t)n;
		return;
	}
	if (obuf_flush(o) == -1)
		return;
	if ((size_t)n < o->cap) {
		va_start(ap, fmt);
		o->len = (size_t)vsnprintf(o->buf, o->cap, fmt, ap);
		va_end(ap);
		return;
	}
	big = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	obuf_put(o, big, (size_t)n);
	free(big);
}

void
obuf_u64(struct obuf *o, uint64_t v)
{
	char b[20];
	size_t i = sizeof(b), d;

	while (v >= 100) {
		d = (size_t)(v % 100) * 2;
		v /= 100;
		b[--i] = obuf_digits2[d + 1];
		b[--i] = obuf_digits2[d];
	}
	if (v >= 10) {
		b[--i] = obuf_digits2[v * 2 + 1];
		b[--i] = obuf_digits2[v * 2];
	} else
		b[--i] = (char)('0' + v);
	obuf_put(o, b + i, sizeof(b) - i);
}

void
obuf_i64(struct obuf *o, int64_t v)
{
	if (v < 0) {
		obuf_putc(o, '-');
		obuf_u64(o, 0 - (uint64_t)v);
	} else
		obuf_u64(o, (uint64_t)v);
}

void
obuf_time(struct obuf *o, int64_t ms)
{
	char b[TP_FMTLEN];

	obuf_put(o, b, tp_format(ms, b));
}

/*
 * Decode one UTF-8 sequence at s (n > 0 bytes) as Unicode's table 3-7
 * defines well-formed: return its length and set *cp, or on an
 * ill-formed one return the length of its maximal subpart (Unicode 3.9,
 * "U+FFFD substitution of maximal subparts") and set *cp to OBUF_BAD.
 * This rejects overlongs, surrogates and anything above U+10FFFF.
 */
static size_t
obuf_utf8(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	size_t need, i;
	uint32_t v;

	*cp = OBUF_BAD;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c < 0xc2 || c > 0xf4)
		return 1;
	if (c < 0xe0) {
		need = 2;
		v = c & 0x1f;
	} else if (c < 0xf0) {
		need = 3;
		v = c & 0x0f;
		lo = c == 0xe0 ? 0xa0 : 0x80;
		hi = c == 0xed ? 0x9f : 0xbf;
	} else {
		need = 4;
		v = c & 0x07;
		lo = c == 0xf0 ? 0x90 : 0x80;
		hi = c == 0xf4 ? 0x8f : 0xbf;
	}
	for (i = 1; i < need; i++, lo = 0x80, hi = 0xbf) {
		if (i == n || s[i] < lo || s[i] > hi)
			return i;
		v = v << 6 | (s[i] & 0x3f);
	}
	*cp = v;
	return need;
}

/* Code points a terminal may act on: C1 controls, bidi and separators. */
static int
obuf_unsafe(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || (cp >= 0x2028 && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069);
}

/* Write pre, cp as 4 lower-case hex digits, then post. */
static void
obuf_hex4(struct obuf *o, const char *pre, uint32_t cp, const char *post)
{
	char h[4];
	int i;

	for (i = 3; i >= 0; i--, cp >>= 4)
		h[i] = obuf_hexdig[cp & 0xf];
	obuf_puts(o, pre);
	obuf_put(o, h, sizeof(h));
	obuf_puts(o, post);
}

static void
obuf_text_byte(struct obuf *o, unsigned char c)
{
	char e[4] = { '\\', 'x', obuf_hexdig[c >> 4], obuf_hexdig[c & 0xf] };

	obuf_put(o, e, sizeof(e));
}

/*
 * Every byte of a maximal subpart becomes \xHH; since its bytes after the
 * first are continuation bytes, which are invalid on their own too, this
 * is the same output as judging byte by byte. Any other ASCII byte that
 * got here (a control, or a blank, '"' or '=' in a field) is \xHH too.
 */
static void
obuf_text_esc(struct obuf *o, const unsigned char *p, size_t k, uint32_t cp)
{
	size_t i;

	if (cp == '\\')
		obuf_put(o, "\\\\", 2);
	else if (cp != OBUF_BAD && cp >= 0x80)
		obuf_hex4(o, "\\u{", cp, "}");
	else
		for (i = 0; i < k; i++)
			obuf_text_byte(o, p[i]);
}

static void
obuf_json_esc(struct obuf *o, uint32_t cp)
{
	switch (cp) {
	case OBUF_BAD:
		obuf_put(o, "\\ufffd", 6);
		break;
	case '"':
		obuf_put(o, "\\\"", 2);
		break;
	case '\\':
		obuf_put(o, "\\\\", 2);
		break;
	case '\b':
		obuf_put(o, "\\b", 2);
		break;
	case '\f':
		obuf_put(o, "\\f", 2);
		break;
	case '\n':
		obuf_put(o, "\\n", 2);
		break;
	case '\r':
		obuf_put(o, "\\r", 2);
		break;
	case '\t':
		obuf_put(o, "\\t", 2);
		break;
	default:
		obuf_hex4(o, "\\u", cp, "");
		break;
	}
}

/* The five characters HTML gives a meaning: 1 when cp was one. */
static int
obuf_html_esc(struct obuf *o, uint32_t cp)
{
	switch (cp) {
	case '&':
		obuf_put(o, "&amp;", 5);
		return 1;
	case '<':
		obuf_put(o, "&lt;", 4);
		return 1;
	case '>':
		obuf_put(o, "&gt;", 4);
		return 1;
	case '"':
		obuf_put(o, "&quot;", 6);
		return 1;
	case '\'':
		obuf_put(o, "&#39;", 5);
		return 1;
	default:
		return 0;
	}
}

/*
 * The one escaping loop: runs of bytes that need nothing are copied in
 * one go; how picks the rules (a loop invariant the compiler hoists).
 */
static void
obuf_escape(struct obuf *o, const char *s, size_t n, enum obuf_esc how)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0, k;
	uint32_t cp;

	while (i < n) {
		if (how == OBUF_ESC_JSON)
			while (i < n && OBUF_JSON_PLAIN(p[i]))
				i++;
		else if (how == OBUF_ESC_FIELD)
			while (i < n && OBUF_FIELD_PLAIN(p[i]))
				i++;
		else if (how == OBUF_ESC_HTML)
			while (i < n && OBUF_HTML_PLAIN(p[i]))
				i++;
		else
			while (i < n && OBUF_TEXT_PLAIN(p[i]))
				i++;
		if (i == n)
			break;
		k = obuf_utf8(p + i, n - i, &cp);
		if (cp != OBUF_BAD && cp >= 0x80 && !obuf_unsafe(cp)) {
			i += k;
			continue;
		}
		obuf_put(o, s + run, i - run);
		if (how == OBUF_ESC_JSON)
			obuf_json_esc(o, cp);
		else if (how == OBUF_ESC_HTML && obuf_html_esc(o, cp))
			;
		else
			obuf_text_esc(o, p + i, k, cp);
		run = i += k;
	}
	obuf_put(o, s + run, i - run);
}

void
obuf_text(struct obuf *o, const char *s, size_t n)
{
	obuf_escape(o, s, n, OBUF_ESC_TEXT);
}

void
obuf_field(struct obuf *o, const char *s, size_t n)
{
	if (n == 0)
		obuf_put(o, "\"\"", 2);
	else
		obuf_escape(o, s, n, OBUF_ESC_FIELD);
}

void
obuf_html(struct obuf *o, const char *s, size_t n)
{
	obuf_escape(o, s, n, OBUF_ESC_HTML);
}

void
obuf_json(struct obuf *o, const char *s, size_t n)
{
	obuf_escape(o, s, n, OBUF_ESC_JSON);
}

void
obuf_jstr(struct obuf *o, const char *s, size_t n)
{
	obuf_putc(o, '"');
	obuf_json(o, s, n);
	obuf_putc(o, '"');
}
