/*
 * gzread: gzip detection and streaming inflate with zlib, as a byte
 * source for the line reader. See gzread.h.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "gzread.h"
#include "xmalloc.h"

#define GZREAD_INSZ	(256 * 1024)
#define GZREAD_NBLOCK	4		/* blocks inflated ahead */
#define GZREAD_BLOCKSZ	(1024 * 1024)
#define GZREAD_AGAIN	(-2)		/* gzread_more(): nothing yet */

enum gzread_state {
	GZREAD_START,		/* magic not looked at yet */
	GZREAD_PLAIN,		/* not gzip: bytes pass through */
	GZREAD_INFLATE,		/* inside a member */
	GZREAD_BETWEEN,		/* a member ended: another, zeros or junk? */
	GZREAD_ZEROS,		/* trailing zeros: nothing else may follow */
	GZREAD_EOF,
	GZREAD_ERROR		/* err says why; fill returns -1 */
};

struct gzread_block {
	char			*data;
	size_t			 len;
};

struct gzread {
	reader_fill_fn		 raw;
	void			*ctx;
	enum gzread_state	 state;
	z_stream		 zs;
	int			 zinit;
	int			 zfull;		/* inflate() filled the output:
						   it may have more to give */
	unsigned char		*in;
	size_t			 inlen;		/* valid bytes in in */
	size_t			 inpos;		/* next unused byte */
	uint64_t		 base;		/* raw offset of in[0] */
	uint64_t		 consumed;
	int			 rawdone;
	int			 rawerr;	/* the raw source failed */
	int			 rawerrno;	/* with this errno */
	char			 err[160];
	/*
	 * gzread_new_async(): a thread inflates up to GZREAD_NBLOCK blocks
	 * ahead. It alone touches everything above once started; the
	 * reading side takes full blocks from the ring under mu.
	 */
	int			 async;
	int			 threaded;
	pthread_t		 thread;
	pthread_mutex_t		 mu;
	pthread_cond_t		 data;		/* a block is full, or done */
	pthread_cond_t		 space;		/* a block is free, or quit */
	struct gzread_block	 ring[GZREAD_NBLOCK];
	unsigned		 head, tail, count;
	size_t			 bpos;		/* read offset in ring[tail] */
	int			 finished;	/* result is set */
	int			 result;	/* 0 end, -1 error */
	int			 resulterrno;
	int			 quit;
};

struct gzread *
gzread_new(reader_fill_fn raw, void *ctx)
{
	struct gzread *g = xcalloc(1, sizeof(*g));

	g->raw = raw;
	g->ctx = ctx;
	g->in = xmalloc(GZREAD_INSZ);
	return g;
}

struct gzread *
gzread_new_async(reader_fill_fn raw, void *ctx)
{
	struct gzread *g = gzread_new(raw, ctx);

	g->async = 1;
	return g;
}

static void
gzread_thread_stop(struct gzread *g)
{
	size_t i;

	pthread_mutex_lock(&g->mu);
	g->quit = 1;
	pthread_cond_signal(&g->space);
	pthread_mutex_unlock(&g->mu);
	pthread_join(g->thread, NULL);
	pthread_mutex_destroy(&g->mu);
	pthread_cond_destroy(&g->data);
	pthread_cond_destroy(&g->space);
	for (i = 0; i < GZREAD_NBLOCK; i++)
		free(g->ring[i].data);
}

void
gzread_free(struct gzread *g)
{
	if (g == NULL)
		return;
	if (g->threaded)
		gzread_thread_stop(g);
	if (g->zinit)
		inflateEnd(&g->zs);
	free(g->in);
	free(g);
}

int
gzread_is_gzip(const struct gzread *g)
{
	return g->zinit;
}

uint64_t
gzread_consumed(const struct gzread *g)
{
	/* The inflating thread may be adding to it. */
	return __atomic_load_n(&g->consumed, __ATOMIC_RELAXED);
}

const char *
gzread_error(const struct gzread *g)
{
	return g->state == GZREAD_ERROR && !g->rawerr ? g->err : NULL;
}

static size_t
gzread_avail(const struct gzread *g)
{
	return g->inlen - g->inpos;
}

/* The raw source failed: keep its errno, which later calls return. */
static void
gzread_rawfail(struct gzread *g)
{
	g->rawerr = 1;
	g->rawerrno = errno;
	g->state = GZREAD_ERROR;
}

/*
 * Read more raw input after what is held: 1, 0 at its end, -1 error,
 * GZREAD_AGAIN when the raw source has nothing yet (it said EAGAIN: no
 * state changes, and the source is called again on the next fill).
 */
static int
gzread_more(struct gzread *g)
{
	ssize_t n;

	if (g->rawdone)
		return 0;
	if (g->inpos > 0) {
		memmove(g->in, g->in + g->inpos, gzread_avail(g));
		g->base += g->inpos;
		g->inlen -= g->inpos;
		g->inpos = 0;
	}
	n = g->raw(g->ctx, (char *)g->in + g->inlen, GZREAD_INSZ - g->inlen);
	if (n < 0) {
		if (errno == EAGAIN)
			return GZREAD_AGAIN;
		gzread_rawfail(g);
		return -1;
	}
	if (n == 0) {
		g->rawdone = 1;
		return 0;
	}
	g->inlen += (size_t)n;
	__atomic_add_fetch(&g->consumed, (uint64_t)n, __ATOMIC_RELAXED);
	return 1;
}

static void
gzread_fail(struct gzread *g, const char *what)
{
	snprintf(g->err, sizeof(g->err), "%s at byte %llu", what,
	    (unsigned long long)(g->base + g->inpos));
	g->state = GZREAD_ERROR;
}

/*
 * Whether the held bytes may still be the start of a gzip magic: none,
 * or a lone 1f. Any other byte settles it without waiting for a second.
 */
static int
gzread_undecided(const struct gzread *g)
{
	size_t k = gzread_avail(g);

	return k == 0 || (k == 1 && g->in[g->inpos] == 0x1f);
}

/*
 * Look at the first two bytes: gzip or plain. -1 on a raw error before
 * any byte; after one, it is plain and the error comes after the byte.
 * -1 with EAGAIN when the raw source has nothing yet and the bytes held
 * do not decide: the state stays GZREAD_START, the bytes stay held.
 */
static int
gzread_start(struct gzread *g)
{
	int rc = 1;

	while (gzread_undecided(g) && (rc = gzread_more(g)) > 0)
		;
	if (rc == GZREAD_AGAIN) {
		errno = EAGAIN;
		return -1;
	}
	if (rc < 0 && gzread_avail(g) == 0)
		return -1;
	if (rc >= 0 && gzread_avail(g) >= 2 && g->in[0] == 0x1f &&
	    g->in[1] == 0x8b) {
		/* 15 + 16: a gzip header and trailer, not zlib. */
		if (inflateInit2(&g->zs, 15 + 16) != Z_OK) {
			fprintf(stderr, "cxwatch: out of memory\n");
			exit(2);
		}
		g->zinit = 1;
		g->state = GZREAD_INFLATE;
	} else
		g->state = GZREAD_PLAIN;
	return 0;
}

static ssize_t
gzread_plain(struct gzread *g, char *buf, size_t len)
{
	ssize_t n;
	size_t k = gzread_avail(g);

	if (k > 0) {
		k = k < len ? k : len;
		memcpy(buf, g->in + g->inpos, k);
		g->inpos += k;
		return (ssize_t)k;
	}
	if (g->rawerr) {
		/* It failed in gzread_start(), after the byte just given. */
		g->state = GZREAD_ERROR;
		errno = g->rawerrno;
		return -1;
	}
	if (g->rawdone)
		return 0;
	if ((n = g->raw(g->ctx, buf, len)) > 0)
		g->consumed += (uint64_t)n;
	else if (n == 0)
		g->rawdone = 1;
	else if (errno != EAGAIN)	/* nothing yet: call it again later */
		gzread_rawfail(g);
	return n;
}

/*
 * After a member: another member, the end, or trailing zeros or junk
 * (GZREAD_ZEROS decides). Returns -1 on a raw error, or with EAGAIN when
 * the raw source has nothing yet and the bytes held do not decide (the
 * state stays GZREAD_BETWEEN).
 */
static int
gzread_between(struct gzread *g)
{
	int rc = 1;

	while (gzread_undecided(g) && (rc = gzread_more(g)) > 0)
		;
	if (rc == GZREAD_AGAIN) {
		errno = EAGAIN;
		return -1;
	}
	if (rc < 0)
		return -1;
	if (gzread_avail(g) == 0) {
		g->state = GZREAD_EOF;
		return 0;
	}
	if (gzread_avail(g) >= 2 && g->in[g->inpos] == 0x1f &&
	    g->in[g->inpos + 1] == 0x8b) {
		inflateReset(&g->zs);
		g->zfull = 0;
		g->state = GZREAD_INFLATE;
		return 0;
	}
	g->state = GZREAD_ZEROS;
	return 0;
}

/*
 * After the last member: zero bytes up to the end are ignored, as gzip(1)
 * does; anything else, a member too, is junk (an error). Returns -1 on a
 * raw error, or with EAGAIN when the raw source has nothing yet (the zeros
 * so far are consumed and the state stays GZREAD_ZEROS).
 */
static int
gzread_zeros(struct gzread *g)
{
	int rc;
	size_t i;

	for (;;) {
		for (i = g->inpos; i < g->inlen; i++)
			if (g->in[i] != 0) {
				g->inpos = i;
				gzread_fail(g, "trailing garbage after gzip "
				    "data");
				return 0;
			}
		g->inpos = g->inlen;
		if ((rc = gzread_more(g)) <= 0)
			break;
	}
	if (rc == 0) {
		g->state = GZREAD_EOF;
		return 0;
	}
	if (rc == GZREAD_AGAIN)
		errno = EAGAIN;
	return -1;
}

/*
 * Inflate into buf[0..len): bytes made, possibly 0 with a new state; -1
 * with EAGAIN when the raw source has nothing yet and no byte was made.
 * When it has nothing yet after some bytes, those are returned; either
 * way the next call goes on where inflate() stopped.
 */
static ssize_t
gzread_inflate(struct gzread *g, char *buf, size_t len)
{
	z_stream *zs = &g->zs;
	size_t made;
	int rc, again = 0;

	zs->next_out = (Bytef *)buf;
	zs->avail_out = len > UINT32_MAX ? UINT32_MAX : (uInt)len;
	while (zs->avail_out > 0 && g->state == GZREAD_INFLATE) {
		/*
		 * Input is needed only once inflate() has said so by leaving
		 * output room: after it filled the buffer it may hold more
		 * output (the rest of a match) to hand out before the end,
		 * or before an EAGAIN, is looked at.
		 */
		if (gzread_avail(g) == 0 && !g->zfull) {
			rc = gzread_more(g);
			if (rc == GZREAD_AGAIN) {
				again = 1;
				break;
			}
			if (rc < 0)
				break;
			if (rc == 0) {
				gzread_fail(g, "truncated gzip data");
				break;
			}
		}
		zs->next_in = g->in + g->inpos;
		zs->avail_in = (uInt)gzread_avail(g);
		rc = inflate(zs, Z_NO_FLUSH);
		g->inpos = (size_t)(zs->next_in - g->in);
		g->zfull = zs->avail_out == 0;
		if (rc == Z_STREAM_END)
			g->state = GZREAD_BETWEEN;
		else if (rc != Z_OK && rc != Z_BUF_ERROR) {
			char what[120];

			snprintf(what, sizeof(what), "corrupt gzip data (%s)",
			    zs->msg != NULL ? zs->msg : "inflate failed");
			gzread_fail(g, what);
		}
	}
	made = (size_t)((char *)zs->next_out - buf);
	if (made == 0 && again) {
		errno = EAGAIN;
		return -1;
	}
	return (ssize_t)made;
}

/* One synchronous step: what gzread_fill() does without a thread. */
static ssize_t
gzread_step(struct gzread *g, char *buf, size_t len)
{
	ssize_t n;

	for (;;) {
		switch (g->state) {
		case GZREAD_START:
			if (gzread_start(g) == -1)
				return -1;
			break;
		case GZREAD_PLAIN:
			return gzread_plain(g, buf, len);
		case GZREAD_INFLATE:
			/* Bytes before any damage go out first. */
			if ((n = gzread_inflate(g, buf, len)) != 0)
				return n;
			break;
		case GZREAD_BETWEEN:
			if (gzread_between(g) == -1)
				return -1;
			break;
		case GZREAD_ZEROS:
			if (gzread_zeros(g) == -1)
				return -1;
			break;
		case GZREAD_EOF:
			return 0;
		case GZREAD_ERROR:
			/* The caller may have changed errno since the failure. */
			errno = g->rawerr ? g->rawerrno : EIO;
			return -1;
		}
	}
}

/*
 * The inflating thread: fill free blocks with gzread_step() until the
 * end, an error, or gzread_free() asks it to quit.
 */
static void *
gzread_producer(void *arg)
{
	struct gzread *g = arg;
	struct gzread_block *b;
	ssize_t n = 1;
	int quit;

	for (;;) {
		pthread_mutex_lock(&g->mu);
		while (g->count == GZREAD_NBLOCK && !g->quit)
			pthread_cond_wait(&g->space, &g->mu);
		b = &g->ring[g->head];
		quit = g->quit;
		pthread_mutex_unlock(&g->mu);
		if (quit)
			break;
		b->len = 0;
		while (b->len < GZREAD_BLOCKSZ &&
		    (n = gzread_step(g, b->data + b->len,
		    GZREAD_BLOCKSZ - b->len)) > 0)
			b->len += (size_t)n;
		pthread_mutex_lock(&g->mu);
		if (b->len > 0) {
			g->head = (g->head + 1) % GZREAD_NBLOCK;
			g->count++;
		}
		if (n <= 0) {
			g->result = (int)n;
			g->resulterrno = errno;
			g->finished = 1;
		}
		pthread_cond_signal(&g->data);
		pthread_mutex_unlock(&g->mu);
		if (n <= 0)
			break;
	}
	return NULL;
}

/* The reading side of the thread's blocks. */
static ssize_t
gzread_consume(struct gzread *g, char *buf, size_t len)
{
	struct gzread_block *b;
	size_t k;

	pthread_mutex_lock(&g->mu);
	while (g->count == 0 && !g->finished)
		pthread_cond_wait(&g->data, &g->mu);
	if (g->count == 0) {
		pthread_mutex_unlock(&g->mu);
		if (g->result == 0)
			return 0;
		errno = g->resulterrno;
		return -1;
	}
	b = &g->ring[g->tail];
	pthread_mutex_unlock(&g->mu);
	k = b->len - g->bpos < len ? b->len - g->bpos : len;
	memcpy(buf, b->data + g->bpos, k);
	g->bpos += k;
	if (g->bpos == b->len) {
		g->bpos = 0;
		pthread_mutex_lock(&g->mu);
		g->tail = (g->tail + 1) % GZREAD_NBLOCK;
		g->count--;
		pthread_cond_signal(&g->space);
		pthread_mutex_unlock(&g->mu);
	}
	return (ssize_t)k;
}

static void
gzread_thread_start(struct gzread *g)
{
	sigset_t all, old;
	size_t i;
	int rc;

	for (i = 0; i < GZREAD_NBLOCK; i++)
		g->ring[i].data = xmalloc(GZREAD_BLOCKSZ);
	pthread_mutex_init(&g->mu, NULL);
	pthread_cond_init(&g->data, NULL);
	pthread_cond_init(&g->space, NULL);
	/*
	 * Every signal blocked in the thread, so that they all go to the
	 * caller's: one that holds a stop signal while it checks the flag,
	 * then lets it in to wait (ppoll), would miss one taken here.
	 */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&g->thread, NULL, gzread_producer, g);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc == 0) {
		g->threaded = 1;
		return;
	}
	/* Without a thread the same work is done in line: slower, not wrong. */
	pthread_mutex_destroy(&g->mu);
	pthread_cond_destroy(&g->data);
	pthread_cond_destroy(&g->space);
	for (i = 0; i < GZREAD_NBLOCK; i++) {
		free(g->ring[i].data);
		g->ring[i].data = NULL;
	}
}

ssize_t
gzread_fill(void *ctx, char *buf, size_t len)
{
	struct gzread *g = ctx;

	if (len == 0)
		return 0;
	if (g->threaded)
		return gzread_consume(g, buf, len);
	if (g->async && g->state == GZREAD_START) {
		if (gzread_start(g) == -1)
			return gzread_step(g, buf, len);
		if (g->state == GZREAD_INFLATE) {
			gzread_thread_start(g);
			if (g->threaded)
				return gzread_consume(g, buf, len);
		}
	}
	return gzread_step(g, buf, len);
}
