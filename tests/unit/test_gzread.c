/*
 * test_gzread: plain and gzip input must come out the same whatever the
 * chunking of the raw bytes and the size of the reads, and damage must be
 * reported where it is, after the bytes inflated before it. The same holds
 * for a non-blocking raw source that says EAGAIN ("nothing yet") between
 * its chunks: the bytes, errors and offsets are those of the blocking case.
 * The gzip data is made here with zlib; the fixtures in tests/data/gzip
 * are used when found (from the current directory, or from $CXW_TOP).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "gzread.h"
#include "reader.h"
#include "t.h"
#include "xmalloc.h"

#define S(lit)		lit, sizeof(lit) - 1
#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define MAX_LINE	4096
#define BIG		(64 * 1024)	/* above this, no byte-at-a-time */
#define READMAX		(1024 * 1024)

struct sbuf {
	char	*p;
	size_t	 len;
	size_t	 cap;
};

/* A memory source handing out bytes in awkward chunks. */
struct src {
	const char	*data;
	size_t		 len;
	size_t		 pos;
	size_t		 chunk;		/* bytes per call; 0: random */
	size_t		 maxchunk;	/* random: 1..maxchunk */
	uint32_t	 seed;
	size_t		 failat;	/* fail with EACCES once pos is here */
	int		 again;		/* EAGAIN: 0 never, 1 before each
					   answer, 2 at random (3 in 4) */
	uint32_t	 aseed;		/* for again 2, apart from seed */
	int		 owe;		/* again 1: an EAGAIN was said */
	int		 saidagain;	/* said EAGAIN since last cleared */
	int		 spin;		/* called again after it, in one fill */
	int		 ended;		/* returned 0 or -1 already */
	int		 misuse;	/* called again after 0 or -1 */
};

struct chunking {
	size_t		 chunk;
	size_t		 maxchunk;
	uint32_t	 seed;
	int		 again;		/* as in struct src */
};

/* The reader only sees gzread's output: the first NLINES are enough. */
static const struct chunking chunkings[] = {
	{ SIZE_MAX, 0, 0, 0 }, { 1, 0, 0, 0 }, { 0, 5, 1, 0 }, { 2, 0, 0, 0 },
	{ 0, 300, 2, 0 }, { 0, 70000, 3, 0 },
};
static const struct chunking bigchunkings[] = {
	{ SIZE_MAX, 0, 0, 0 }, { 0, 4096, 4, 0 }, { 0, 300000, 5, 0 },
};
/*
 * The raw source says EAGAIN between its chunks (and before the first
 * and before its end). The data chunks are those of the same chunking
 * without it: the random ones draw from seed alone.
 */
static const struct chunking againchunkings[] = {
	{ 1, 0, 0, 1 }, { 0, 300, 6, 2 }, { 7, 0, 0, 1 }, { 2, 0, 0, 1 },
	{ 3, 0, 0, 2 }, { 4096, 0, 0, 1 }, { SIZE_MAX, 0, 0, 1 },
};
static const struct chunking bigagainchunkings[] = {
	{ 4096, 0, 0, 1 }, { 0, 70000, 7, 2 },
};
#define NLINES		3
static const size_t readlens[] = { 1, 3, 4096, READMAX };
static const size_t bigreadlens[] = { 4093, READMAX };

/*
 * Reads of len go to the end of this buffer, so that writing past len
 * is caught by the sanitizers; one allocation keeps them fast.
 */
static char *readbuf;

/* What one pass of gzread_fill() over a source gave. */
struct run {
	struct sbuf	 out;
	int		 rc;		/* the last fill: 0 or -1 */
	int		 errnum;	/* errno after it */
	int		 haswhy;	/* gzread_error() was not NULL */
	char		 why[256];
	int		 gzip;
	uint64_t	 consumed;
	int		 misuse;
	int		 overrun;	/* a fill returned more than asked */
	size_t		 nagain;	/* fills that returned -1 with EAGAIN */
	int		 fakeagain;	/* one while the source said none */
	int		 whyonagain;	/* gzread_error() set with EAGAIN */
	int		 spin;		/* as in struct src */
};

static uint32_t
rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void
sbuf_reserve(struct sbuf *b, size_t len)
{
	if (b->cap - b->len < len) {
		b->cap = (b->len + len) * 2;
		b->p = xreallocarray(b->p, b->cap, 1);
	}
}

static void
sbuf_add(struct sbuf *b, const char *p, size_t len)
{
	sbuf_reserve(b, len);
	if (len > 0)
		memcpy(b->p + b->len, p, len);
	b->len += len;
}

static int
sbuf_is(const struct sbuf *b, const char *p, size_t len)
{
	return b->len == len && (len == 0 || memcmp(b->p, p, len) == 0);
}

static int
sbuf_is_prefix_of(const struct sbuf *b, const char *p, size_t len)
{
	return b->len <= len && (b->len == 0 || memcmp(b->p, p, b->len) == 0);
}

static void
sbuf_line(struct sbuf *b, uint64_t lineno, const char *p, size_t len)
{
	char head[64];
	int n;

	n = snprintf(head, sizeof(head), "%llu:%zu:",
	    (unsigned long long)lineno, len);
	sbuf_add(b, head, (size_t)n);
	sbuf_add(b, p, len);
	sbuf_add(b, "|", 1);
}

/* The lines a reader with MAX_LINE must give for d, as sbuf_line()s. */
static void
ref_lines(const char *d, size_t n, struct sbuf *out)
{
	const char *nl;
	uint64_t lineno = 0;
	size_t i = 0, end, len;

	while (i < n) {
		nl = memchr(d + i, '\n', n - i);
		end = nl ? (size_t)(nl - d) : n;
		len = end - i;
		if (nl && len > 0 && d[end - 1] == '\r')
			len--;
		lineno++;
		if (len <= MAX_LINE)
			sbuf_line(out, lineno, d + i, len);
		i = end + 1;
	}
}

/* Bytes up to and including the last newline: what a failed read keeps. */
static size_t
complete_lines_len(const char *d, size_t n)
{
	while (n > 0 && d[n - 1] != '\n')
		n--;
	return n;
}

static ssize_t
src_fill(void *ctx, char *buf, size_t len)
{
	struct src *s = ctx;
	size_t n;

	if (s->ended)
		s->misuse++;
	if (s->saidagain)
		s->spin++;
	if (s->again == 1)
		s->owe = !s->owe;
	if ((s->again == 1 && s->owe) ||
	    (s->again == 2 && rnd(&s->aseed) % 4 != 0)) {
		s->saidagain = 1;
		errno = EAGAIN;
		return -1;
	}
	if (s->pos >= s->failat) {
		s->ended = 1;
		errno = EACCES;
		return -1;
	}
	n = s->chunk ? s->chunk : 1 + rnd(&s->seed) % s->maxchunk;
	if (n > len)
		n = len;
	if (n > s->len - s->pos)
		n = s->len - s->pos;
	if (n > s->failat - s->pos)
		n = s->failat - s->pos;
	if (n > 0)
		memcpy(buf, s->data + s->pos, n);
	s->pos += n;
	if (n == 0)
		s->ended = 1;
	return (ssize_t)n;
}

static void
src_init(struct src *s, const char *d, size_t n, const struct chunking *c,
    size_t failat)
{
	memset(s, 0, sizeof(*s));
	s->data = d;
	s->len = n;
	s->chunk = c->chunk;
	s->maxchunk = c->maxchunk;
	s->seed = c->seed;
	s->failat = failat;
	s->again = c->again;
	s->aseed = c->seed * 7 + 12345;
}

/* Append one gzip member holding d[0..n) to out. */
static void
gz_add(struct sbuf *out, const char *d, size_t n, int level)
{
	z_stream zs;
	uLong bound;
	int rc;

	memset(&zs, 0, sizeof(zs));
	/* 15 + 16: a gzip header and trailer around the deflate data. */
	rc = deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY);
	CHECK_INT(rc, Z_OK);
	bound = deflateBound(&zs, (uLong)n);
	sbuf_reserve(out, bound);
	zs.next_in = (Bytef *)(uintptr_t)d;
	zs.avail_in = (uInt)n;
	zs.next_out = (Bytef *)out->p + out->len;
	zs.avail_out = (uInt)bound;
	CHECK_INT(deflate(&zs, Z_FINISH), Z_STREAM_END);
	out->len += bound - zs.avail_out;
	deflateEnd(&zs);
}

/* Log-like text lines. */
static char *
make_text(uint32_t seed, size_t n)
{
	char *d = xmalloc(n > 0 ? n : 1), line[128];
	size_t i = 0, k;
	int len;

	while (i < n) {
		len = snprintf(line, sizeof(line), "2026-11-21T%02u:%02u:%02u "
		    "shop web[%u]: GET /cart/%u HTTP/1.1 200 %u\n",
		    (unsigned)(rnd(&seed) % 24), (unsigned)(rnd(&seed) % 60),
		    (unsigned)(rnd(&seed) % 60), (unsigned)(rnd(&seed) % 9000),
		    (unsigned)(rnd(&seed) % 100000),
		    (unsigned)(rnd(&seed) % 20000));
		k = (size_t)len < n - i ? (size_t)len : n - i;
		memcpy(d + i, line, k);
		i += k;
	}
	return d;
}

/* Incompressible bytes. */
static char *
make_random(uint32_t seed, size_t n)
{
	char *d = xmalloc(n > 0 ? n : 1);
	size_t i;

	for (i = 0; i < n; i++)
		d[i] = (char)(rnd(&seed) >> 24);
	return d;
}

/* Read d through gzread_fill() with reads of readlen; failat as in src. */
static void
run_fill(struct run *r, const char *d, size_t n, const struct chunking *c,
    size_t readlen, size_t failat)
{
	struct gzread *g;
	struct src s;
	char *buf = readbuf + READMAX - readlen;
	const char *why;
	ssize_t got;

	memset(r, 0, sizeof(*r));
	src_init(&s, d, n, c, failat);
	g = gzread_new(src_fill, &s);
	for (;;) {
		/* A caller may touch errno between fills. */
		errno = 0;
		s.saidagain = 0;
		got = gzread_fill(g, buf, readlen);
		if (got == -1 && errno == EAGAIN) {
			/* Only when the source said it; then call again. */
			if (!s.saidagain) {
				r->fakeagain = 1;
				break;
			}
			if (gzread_error(g) != NULL)
				r->whyonagain = 1;
			r->nagain++;
			continue;
		}
		if (got <= 0)
			break;
		if ((size_t)got > readlen) {
			r->overrun = 1;
			break;
		}
		sbuf_add(&r->out, buf, (size_t)got);
	}
	r->errnum = errno;
	r->rc = got == 0 ? 0 : -1;
	if ((why = gzread_error(g)) != NULL) {
		r->haswhy = 1;
		snprintf(r->why, sizeof(r->why), "%s", why);
	}
	r->gzip = gzread_is_gzip(g);
	r->consumed = gzread_consumed(g);
	r->misuse = s.misuse;
	r->spin = s.spin;
	gzread_free(g);
}

/*
 * What every run must be, whatever the input: no overrun, no call of the
 * source after its end, and EAGAIN only as the source said it; with an
 * EAGAIN chunking, at least one passed through.
 */
static void
check_sane(const struct run *r, const struct chunking *c)
{
	CHECK(!r->overrun);
	CHECK_INT(r->misuse, 0);
	CHECK_INT(r->fakeagain, 0);
	CHECK_INT(r->spin, 0);
	CHECK_INT(r->whyonagain, 0);
	if (c->again)
		CHECK(r->nagain > 0);
	else
		CHECK_INT(r->nagain, 0);
}

/* gzread_fill() for the reader, watching the EAGAINs it passes on. */
struct lfill {
	struct gzread	*g;
	struct src	*s;
	int		 fakeagain;	/* EAGAIN while the source said none */
};

static ssize_t
lfill(void *ctx, char *buf, size_t len)
{
	struct lfill *l = ctx;
	ssize_t n;

	l->s->saidagain = 0;
	n = gzread_fill(l->g, buf, len);
	if (n == -1 && errno == EAGAIN && !l->s->saidagain) {
		l->fakeagain = 1;
		errno = EPROTO;
	}
	return n;
}

/*
 * Read d through reader_new(gzread_fill, ...) into lines; return the last
 * reader_next() result, with errno after it in *errnum. After EAGAIN it
 * calls reader_next() again: the partial line must have been kept.
 */
static int
run_lines(struct sbuf *lines, const char *d, size_t n,
    const struct chunking *c, size_t failat, int *errnum, uint64_t *bytes)
{
	struct lfill l;
	struct reader *r;
	struct src s;
	const char *line;
	size_t len, nagain = 0;
	int rc;

	src_init(&s, d, n, c, failat);
	l.g = gzread_new(src_fill, &s);
	l.s = &s;
	l.fakeagain = 0;
	r = reader_new(lfill, &l, MAX_LINE);
	for (;;) {
		errno = 0;
		rc = reader_next(r, &line, &len);
		if (rc == 1)
			sbuf_line(lines, reader_lineno(r), line, len);
		else if (rc == -1 && errno == EAGAIN)
			nagain++;
		else
			break;
	}
	*errnum = errno;
	*bytes = reader_bytes(r);
	CHECK_INT(s.misuse, 0);
	CHECK_INT(s.spin, 0);
	CHECK_INT(l.fakeagain, 0);
	CHECK(c->again ? nagain > 0 : nagain == 0);
	reader_free(r);
	gzread_free(l.g);
	return rc;
}

static void
run_free(struct run *r)
{
	free(r->out.p);
}

/* The chunkings for n bytes: blocking ones, or (again) with EAGAIN. */
static void
chunkings_for(size_t n, int again, const struct chunking **cs,
    size_t *ncs, const size_t **rls, size_t *nrls)
{
	if (n <= BIG) {
		*cs = again ? againchunkings : chunkings;
		*ncs = again ? NELEM(againchunkings) : NELEM(chunkings);
		*rls = readlens;
		*nrls = NELEM(readlens);
	} else {
		*cs = again ? bigagainchunkings : bigchunkings;
		*ncs = again ? NELEM(bigagainchunkings) : NELEM(bigchunkings);
		*rls = bigreadlens;
		*nrls = NELEM(bigreadlens);
	}
}

/* c without its EAGAINs: the same data chunks, blocking. */
static struct chunking
blocking(const struct chunking *c)
{
	struct chunking b = *c;

	b.again = 0;
	return b;
}

static void
where(int fails, const char *what, int again, size_t ci, size_t readlen)
{
	if (t_fail > fails)
		fprintf(stderr, "  (in %s, %schunking %zu, reads of %zu)\n",
		    what, again ? "EAGAIN " : "", ci, readlen);
}

/* d reads as want with no error, whatever the chunking and read size. */
static void
check_ok(const char *what, const char *d, size_t n, const char *want,
    size_t wantlen, int gzip)
{
	const struct chunking *cs;
	const size_t *rls;
	size_t ncs, nrls, ci, ri;
	struct sbuf ref = { 0 }, lines;
	struct run r;
	uint64_t bytes;
	int again, errnum, fails;

	ref_lines(want, wantlen, &ref);
	for (again = 0; again < 2; again++) {
		chunkings_for(n > wantlen ? n : wantlen, again, &cs, &ncs, &rls,
		    &nrls);
		for (ci = 0; ci < ncs; ci++) {
			for (ri = 0; ri < nrls; ri++) {
				fails = t_fail;
				run_fill(&r, d, n, &cs[ci], rls[ri], SIZE_MAX);
				CHECK_INT(r.rc, 0);
				CHECK(sbuf_is(&r.out, want, wantlen));
				CHECK_INT(r.gzip, gzip);
				CHECK_INT(r.consumed, n);
				CHECK(!r.haswhy);
				check_sane(&r, &cs[ci]);
				run_free(&r);
				where(fails, what, again, ci, rls[ri]);
			}
			if (ci >= NLINES)
				continue;
			fails = t_fail;
			memset(&lines, 0, sizeof(lines));
			CHECK_INT(run_lines(&lines, d, n, &cs[ci], SIZE_MAX,
			    &errnum, &bytes), 0);
			CHECK(sbuf_is(&lines, ref.p, ref.len));
			CHECK_INT(bytes, wantlen);
			free(lines.p);
			where(fails, what, again, ci, 0);
		}
	}
	free(ref.p);
}

/*
 * d gives a prefix of want (all of it if exact), then -1 with EIO and
 * gzread_error() = why; through the reader, the complete lines of that
 * prefix, then -1 with EIO. The prefix is the same whatever the chunking,
 * the read size and the EAGAINs: every byte inflated before the damage.
 */
static void
check_bad(const char *what, const char *d, size_t n, const char *want,
    size_t wantlen, int exact, const char *why)
{
	const struct chunking *cs;
	const size_t *rls;
	size_t ncs, nrls, ci, ri;
	struct sbuf ref, lines, first = { 0 };
	struct chunking b;
	struct run r, br;
	uint64_t bytes;
	int again, errnum, fails, isfirst = 1;

	for (again = 0; again < 2; again++) {
		chunkings_for(n > wantlen ? n : wantlen, again, &cs, &ncs, &rls,
		    &nrls);
		for (ci = 0; ci < ncs; ci++) {
			for (ri = 0; ri < nrls; ri++) {
				fails = t_fail;
				run_fill(&r, d, n, &cs[ci], rls[ri], SIZE_MAX);
				CHECK_INT(r.rc, -1);
				CHECK_INT(r.errnum, EIO);
				CHECK_STR(r.haswhy ? r.why : NULL, why);
				if (exact)
					CHECK(sbuf_is(&r.out, want, wantlen));
				else
					CHECK(sbuf_is_prefix_of(&r.out, want,
					    wantlen));
				if (isfirst)
					sbuf_add(&first, r.out.p, r.out.len);
				else
					CHECK(sbuf_is(&r.out, first.p,
					    first.len));
				isfirst = 0;
				CHECK_INT(r.gzip, 1);
				CHECK(r.consumed <= n);
				check_sane(&r, &cs[ci]);
				if (again) {
					/* Just as without the EAGAINs. */
					b = blocking(&cs[ci]);
					run_fill(&br, d, n, &b, rls[ri],
					    SIZE_MAX);
					CHECK(sbuf_is(&r.out, br.out.p,
					    br.out.len));
					CHECK_INT(r.consumed, br.consumed);
					run_free(&br);
				}
				if (ri + 1 < nrls || ci >= NLINES)
					run_free(&r);
				where(fails, what, again, ci, rls[ri]);
			}
			if (ci >= NLINES)
				continue;
			/* r is the run with the largest reads. */
			fails = t_fail;
			memset(&ref, 0, sizeof(ref));
			memset(&lines, 0, sizeof(lines));
			ref_lines(r.out.p, complete_lines_len(r.out.p,
			    r.out.len), &ref);
			CHECK_INT(run_lines(&lines, d, n, &cs[ci], SIZE_MAX,
			    &errnum, &bytes), -1);
			CHECK_INT(errnum, EIO);
			CHECK(sbuf_is(&lines, ref.p, ref.len));
			CHECK_INT(bytes, r.out.len);
			run_free(&r);
			free(ref.p);
			free(lines.p);
			where(fails, what, again, ci, 0);
		}
	}
	free(first.p);
}

static void
test_plain(void)
{
	static const struct {
		const char	*d;
		size_t		 n;
	} cases[] = {
		{ S("") }, { S("a") }, { S("\n") }, { S("\x1f") },
		{ S("\x8b") }, { S("\0") }, { S("\x1f" "a") },
		{ S("\x1f\x1f\x8b\n") }, { S("\x8b\x1f") },
		{ S("\x1f\x8a\x08\x00") }, { S("ab\x1f\x8b" "cd\nef\n") },
		{ S("a\n\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\n") },
		{ S("\0\x1f\x8b") },
	};
	struct sbuf d = { 0 }, gz = { 0 };
	char *text;
	size_t i, n = 300 * 1000;

	for (i = 0; i < NELEM(cases); i++)
		check_ok("plain case", cases[i].d, cases[i].n, cases[i].d,
		    cases[i].n, 0);

	/* Big text with the magic in the middle. */
	text = make_text(11, n);
	memcpy(text + n / 2, "\x1f\x8b\x08\x00", 4);
	check_ok("plain big", text, n, text, n, 0);

	/* A gzip member after one byte of text is not gzip input. */
	sbuf_add(&d, "x", 1);
	gz_add(&gz, text, 1000, 6);
	sbuf_add(&d, gz.p, gz.len);
	check_ok("plain before gzip", d.p, d.len, d.p, d.len, 0);
	free(text);
	free(d.p);
	free(gz.p);
}

static void
test_single_member(void)
{
	static const size_t sizes[] = {
		0, 1, 100, 65535, 65536, 65537, 300 * 1000, 3 * 1024 * 1024,
	};
	static const int levels[] = { 0, 1, 6, 9 };
	static const int rlevels[] = { 0, 6 };
	struct sbuf gz;
	char *d;
	size_t i, j;

	for (i = 0; i < NELEM(sizes); i++) {
		d = make_text((uint32_t)i + 1, sizes[i]);
		for (j = 0; j < NELEM(levels); j++) {
			/* Megabytes once are enough. */
			if (sizes[i] > 1024 * 1024 && levels[j] != 6)
				continue;
			memset(&gz, 0, sizeof(gz));
			gz_add(&gz, d, sizes[i], levels[j]);
			check_ok("one member", gz.p, gz.len, d, sizes[i], 1);
			free(gz.p);
		}
		free(d);
	}

	/* Incompressible: stored blocks, asked for or fallen back to. */
	d = make_random(99, 1024 * 1024);
	for (j = 0; j < NELEM(rlevels); j++) {
		memset(&gz, 0, sizeof(gz));
		gz_add(&gz, d, 1024 * 1024, rlevels[j]);
		CHECK(gz.len > 1024 * 1024);
		check_ok("random member", gz.p, gz.len, d, 1024 * 1024, 1);
		free(gz.p);
	}
	free(d);
}

static void
test_concatenated(void)
{
	struct sbuf gz = { 0 };
	char *d = make_text(5, 200 * 1000);

	/* cat a.gz b.gz c.gz, of different levels. */
	gz_add(&gz, d, 1000, 9);
	gz_add(&gz, d + 1000, 100, 0);
	gz_add(&gz, d + 1100, 50000, 1);
	check_ok("3 members", gz.p, gz.len, d, 51100, 1);

	/* BGZF: an empty member last. */
	gz_add(&gz, "", 0, 6);
	check_ok("3 members + empty", gz.p, gz.len, d, 51100, 1);

	/* Empty members first and between, and members over 64K. */
	free(gz.p);
	memset(&gz, 0, sizeof(gz));
	gz_add(&gz, "", 0, 6);
	gz_add(&gz, d, 100 * 1000, 6);
	gz_add(&gz, "", 0, 6);
	gz_add(&gz, "", 0, 0);
	gz_add(&gz, d + 100 * 1000, 100 * 1000, 6);
	check_ok("empty members", gz.p, gz.len, d, 200 * 1000, 1);

	/* Only empty members: gzip input with no bytes. */
	free(gz.p);
	memset(&gz, 0, sizeof(gz));
	gz_add(&gz, "", 0, 6);
	gz_add(&gz, "", 0, 6);
	check_ok("only empty members", gz.p, gz.len, "", 0, 1);

	/* A line split across members is one line. */
	free(gz.p);
	memset(&gz, 0, sizeof(gz));
	gz_add(&gz, "ab", 2, 6);
	gz_add(&gz, "c\nd", 3, 6);
	gz_add(&gz, "\n", 1, 6);
	check_ok("split line", gz.p, gz.len, "abc\nd\n", 6, 1);
	free(gz.p);
	free(d);
}

static void
test_trailing_zeros(void)
{
	static const size_t nzeros[] = { 1, 2, 3, 1000, 600 * 1000 };
	struct sbuf gz = { 0 }, member = { 0 }, twice = { 0 };
	char *d = make_text(6, 5000), *zeros = xcalloc(1, 600 * 1000);
	size_t i;

	gz_add(&member, d, 5000, 6);
	sbuf_add(&twice, d, 5000);
	sbuf_add(&twice, d, 5000);
	for (i = 0; i < NELEM(nzeros); i++) {
		gz.len = 0;
		sbuf_add(&gz, member.p, member.len);
		sbuf_add(&gz, zeros, nzeros[i]);
		check_ok("trailing zeros", gz.p, gz.len, d, 5000, 1);
		/* And after a second member. */
		gz.len = member.len;
		sbuf_add(&gz, member.p, member.len);
		sbuf_add(&gz, zeros, nzeros[i]);
		check_ok("trailing zeros 2", gz.p, gz.len, twice.p, twice.len,
		    1);
	}
	free(zeros);
	free(gz.p);
	free(member.p);
	free(twice.p);
	free(d);
}

static void
test_trailing_garbage(void)
{
	static const struct {
		const char	*junk;
		size_t		 n;
		size_t		 at;	/* the offset reported, after member */
	} cases[] = {
		{ S("x"), 0 }, { S("\x1f"), 0 }, { S("\x8b"), 0 },
		{ S("garbage\n"), 0 }, { S("\x8b\x1f"), 0 },
		{ S("\x1f\x1f\x8b"), 0 },
		/* Zeros are skipped; the junk starts after them. */
		{ S("\0\0\0x"), 3 }, { S("\0\x1f"), 1 },
	};
	struct sbuf gz = { 0 }, member = { 0 }, d2 = { 0 };
	char *d = make_text(7, 3000), *zeros, why[128];
	size_t i, nz = 300 * 1000;

	gz_add(&member, d, 3000, 6);
	for (i = 0; i < NELEM(cases); i++) {
		gz.len = 0;
		sbuf_add(&gz, member.p, member.len);
		sbuf_add(&gz, cases[i].junk, cases[i].n);
		snprintf(why, sizeof(why), "trailing garbage after gzip data "
		    "at byte %zu", member.len + cases[i].at);
		check_bad("trailing garbage", gz.p, gz.len, d, 3000, 1, why);
	}

	/*
	 * A member after a zero byte is junk too, also when the source says
	 * EAGAIN between the zero and the member.
	 */
	gz.len = 0;
	sbuf_add(&gz, member.p, member.len);
	sbuf_add(&gz, "\0", 1);
	sbuf_add(&gz, member.p, member.len);
	snprintf(why, sizeof(why), "trailing garbage after gzip data at "
	    "byte %zu", member.len + 1);
	check_bad("member after zero", gz.p, gz.len, d, 3000, 1, why);

	/* After two members. */
	gz.len = 0;
	sbuf_add(&gz, member.p, member.len);
	sbuf_add(&gz, member.p, member.len);
	sbuf_add(&gz, S("junk"));
	sbuf_add(&d2, d, 3000);
	sbuf_add(&d2, d, 3000);
	snprintf(why, sizeof(why), "trailing garbage after gzip data at "
	    "byte %zu", 2 * member.len);
	check_bad("garbage after 2", gz.p, gz.len, d2.p, d2.len, 1, why);

	/* After more zeros than the input buffer holds. */
	zeros = xcalloc(1, nz);
	gz.len = member.len;
	sbuf_add(&gz, zeros, nz);
	sbuf_add(&gz, S("!"));
	snprintf(why, sizeof(why), "trailing garbage after gzip data at "
	    "byte %zu", member.len + nz);
	check_bad("garbage after zeros", gz.p, gz.len, d, 3000, 1, why);
	free(zeros);
	free(gz.p);
	free(member.p);
	free(d2.p);
	free(d);
}

/*
 * Cut gz at every offset from from; members end at ends[0..nends) and
 * their data at dends[0..nends) of d.
 */
static void
check_cuts(const char *what, const struct sbuf *gz, size_t from,
    const size_t *ends, size_t nends, const char *d, const size_t *dends)
{
	char why[128];
	size_t cut, k;

	/* Nothing: empty plain input. One byte, 1f: plain too. */
	if (from == 0) {
		check_ok(what, gz->p, 0, "", 0, 0);
		check_ok(what, gz->p, 1, "\x1f", 1, 0);
		from = 2;
	}
	for (cut = from; cut <= ends[nends - 1]; cut++) {
		for (k = 0; k < nends && ends[k] < cut; k++)
			continue;
		if (ends[k] == cut) {
			check_ok(what, gz->p, cut, d, dends[k], 1);
			continue;
		}
		if (k > 0 && cut == ends[k - 1] + 1) {
			/* A lone 1f after a member is not a member. */
			snprintf(why, sizeof(why), "trailing garbage after "
			    "gzip data at byte %zu", ends[k - 1]);
			check_bad(what, gz->p, cut, d, dends[k - 1], 1, why);
			continue;
		}
		snprintf(why, sizeof(why), "truncated gzip data at byte %zu",
		    cut);
		check_bad(what, gz->p, cut, d, dends[k], 0, why);
	}
}

static void
test_truncated(void)
{
	static const char text[] =
	    "2026-11-21T10:00:00 shop web[1]: GET /cart/1 200\n"
	    "2026-11-21T10:00:01 shop web[1]: GET /cart/2 200\n"
	    "2026-11-21T10:00:02 shop web[2]: POST /pay 500\n";
	struct sbuf gz = { 0 }, twice = { 0 };
	size_t ends[2], dends[2], n = sizeof(text) - 1;
	struct run r;

	gz_add(&gz, text, n, 6);
	ends[0] = gz.len;
	dends[0] = n;
	check_cuts("cut", &gz, 0, ends, 1, text, dends);

	/* Cuts in a second (stored) member: the first one's bytes first. */
	gz_add(&gz, text, 50, 0);
	ends[1] = gz.len;
	sbuf_add(&twice, text, n);
	sbuf_add(&twice, text, 50);
	dends[1] = twice.len;
	check_cuts("cut 2nd", &gz, ends[0], ends, 2, twice.p, dends);
	free(twice.p);

	/* Cut in the trailer: every data byte came out before the error. */
	run_fill(&r, gz.p, ends[0] - 4, &chunkings[1], 1, SIZE_MAX);
	CHECK(sbuf_is(&r.out, text, n));
	CHECK_INT(r.consumed, ends[0] - 4);
	run_free(&r);
	free(gz.p);
}

/* The outcome of reading a damaged member, as check_corrupt() allows. */
static int
corrupt_ok(const struct run *r, const char *orig, size_t origlen,
    size_t n)
{
	if (r->overrun || r->misuse || r->consumed > n)
		return 0;
	if (r->rc == 0)
		return !r->haswhy && sbuf_is(&r->out, orig, origlen);
	return r->errnum == EIO && r->haswhy &&
	    (strncmp(r->why, "corrupt gzip data (", 19) == 0 ||
	    strncmp(r->why, "truncated gzip data at byte ", 28) == 0 ||
	    strncmp(r->why, "trailing garbage after gzip data at ", 36) == 0);
}

/*
 * Flip every byte of a member in turn, and single bits: no crash, no
 * hang, and an error or (rarely) the same output. Returns how many
 * changes were read without an error.
 */
static size_t
check_corrupt(const char *what, const char *d, size_t n, int level)
{
	static const unsigned char flips[] = { 0xff, 0x01, 0x80 };
	static const size_t rl[] = { READMAX, 7 };
	struct sbuf gz = { 0 };
	struct chunking b;
	struct run r, ar;
	size_t i, f, ci, nsame = 0;
	int fails;

	gz_add(&gz, d, n, level);
	for (i = 0; i < gz.len; i++) {
		for (f = 0; f < NELEM(flips); f++) {
			gz.p[i] ^= (char)flips[f];
			/* Byte at a time too, for whole bytes flipped. */
			for (ci = 0; ci < (f == 0 ? 2u : 1u); ci++) {
				fails = t_fail;
				run_fill(&r, gz.p, gz.len, &chunkings[ci],
				    rl[ci], SIZE_MAX);
				if (i < 2) {
					/* No magic: plain bytes. */
					CHECK(r.rc == 0 && !r.gzip &&
					    sbuf_is(&r.out, gz.p, gz.len));
				} else {
					CHECK(corrupt_ok(&r, d, n, gz.len));
					if (r.rc == 0 && ci == 0)
						nsame++;
				}
				if (t_fail > fails)
					fprintf(stderr, "  (%s: byte %zu ^ "
					    "0x%02x: rc %d, %s)\n", what, i,
					    flips[f], r.rc, r.why);
				run_free(&r);
			}
			/*
			 * With EAGAIN between chunks of 7 or of random size:
			 * the same bytes, message and offset as with the same
			 * chunks blocking.
			 */
			for (ci = 1; ci < 3; ci++) {
				fails = t_fail;
				b = blocking(&againchunkings[ci]);
				run_fill(&r, gz.p, gz.len, &b, READMAX,
				    SIZE_MAX);
				run_fill(&ar, gz.p, gz.len, &againchunkings[ci],
				    READMAX, SIZE_MAX);
				check_sane(&ar, &againchunkings[ci]);
				CHECK_INT(ar.rc, r.rc);
				CHECK_INT(ar.errnum, r.errnum);
				CHECK_STR(ar.haswhy ? ar.why : "", r.haswhy ?
				    r.why : "");
				CHECK(sbuf_is(&ar.out, r.out.p, r.out.len));
				CHECK_INT(ar.consumed, r.consumed);
				CHECK_INT(ar.gzip, r.gzip);
				if (t_fail > fails)
					fprintf(stderr, "  (%s, EAGAIN %zu: "
					    "byte %zu ^ 0x%02x)\n", what, ci,
					    i, flips[f]);
				run_free(&r);
				run_free(&ar);
			}
			gz.p[i] ^= (char)flips[f];
		}
	}
	free(gz.p);
	return nsame;
}

static void
test_corrupt(void)
{
	static const char text[] =
	    "2026-11-21T10:00:00 shop web[1]: GET /cart/1 200\n"
	    "2026-11-21T10:00:01 shop web[1]: GET /cart/2 200\n"
	    "2026-11-21T10:00:02 shop web[2]: POST /pay 500\n";
	char *big = make_text(8, 2000);
	size_t nsame;

	/*
	 * Changes in the header's mtime, XFL and OS and to its FTEXT bit
	 * leave the data alone (19 of them), as does one to the padding
	 * after the last block; every other change must be an error.
	 */
	nsame = check_corrupt("fixed", text, sizeof(text) - 1, 6);
	CHECK(nsame <= 24);
	nsame = check_corrupt("stored", text, sizeof(text) - 1, 0);
	CHECK(nsame <= 24);
	nsame = check_corrupt("dynamic", big, 2000, 9);
	CHECK(nsame <= 24);
	free(big);
}

/* A bit flip in the CRC32 or length of the trailer is corruption. */
static void
test_trailer(void)
{
	static const char text[] = "one\ntwo\nthree\n";
	struct sbuf gz = { 0 };
	char why[128];
	size_t i, n = sizeof(text) - 1;
	int bit;

	gz_add(&gz, text, n, 6);
	for (i = gz.len - 8; i < gz.len; i++) {
		for (bit = 0; bit < 8; bit += 7) {
			gz.p[i] ^= (char)(1 << bit);
			snprintf(why, sizeof(why), "corrupt gzip data "
			    "(incorrect %s check) at byte %zu",
			    i < gz.len - 4 ? "data" : "length",
			    i < gz.len - 4 ? gz.len - 4 : gz.len);
			check_bad("trailer", gz.p, gz.len, text, n, 1, why);
			gz.p[i] ^= (char)(1 << bit);
		}
	}
	free(gz.p);
}

/* The raw source fails with EACCES after failat bytes. */
static void
check_raw_error(const char *what, const char *d, size_t n, size_t failat,
    const char *want, size_t wantlen, int gzip)
{
	const struct chunking *cs;
	const size_t *rls;
	size_t ncs, nrls, ci, ri;
	struct sbuf lines;
	struct run r;
	uint64_t bytes;
	int again, errnum, fails;

	for (again = 0; again < 2; again++) {
		chunkings_for(n, again, &cs, &ncs, &rls, &nrls);
		for (ci = 0; ci < ncs; ci++) {
			for (ri = 0; ri < nrls; ri++) {
				fails = t_fail;
				run_fill(&r, d, n, &cs[ci], rls[ri], failat);
				CHECK_INT(r.rc, -1);
				CHECK_INT(r.errnum, EACCES);
				CHECK(!r.haswhy);
				CHECK(r.consumed <= failat);
				check_sane(&r, &cs[ci]);
				if (gzip && failat >= 2)
					CHECK(sbuf_is_prefix_of(&r.out, want,
					    wantlen));
				else
					/* Plain bytes read before it. */
					CHECK(sbuf_is(&r.out, d, failat));
				CHECK_INT(r.gzip, gzip && failat >= 2);
				run_free(&r);
				where(fails, what, again, ci, rls[ri]);
			}
			if (ci >= NLINES)
				continue;
			fails = t_fail;
			memset(&lines, 0, sizeof(lines));
			CHECK_INT(run_lines(&lines, d, n, &cs[ci], failat,
			    &errnum, &bytes), -1);
			CHECK_INT(errnum, EACCES);
			free(lines.p);
			where(fails, what, again, ci, 0);
		}
	}
}

static void
test_raw_error(void)
{
	static const size_t fails[] = { 0, 1, 2, 5, 10, 11, 100 };
	struct sbuf gz = { 0 };
	char *d = make_text(9, 20000);
	size_t i;

	gz_add(&gz, d, 20000, 6);
	for (i = 0; i < NELEM(fails); i++) {
		check_raw_error("raw error gzip", gz.p, gz.len, fails[i], d,
		    20000, 1);
		check_raw_error("raw error plain", d, 20000, fails[i], d,
		    20000, 0);
	}
	/* Late: half way, and at the end instead of end of input. */
	check_raw_error("raw error gzip", gz.p, gz.len, gz.len / 2, d, 20000,
	    1);
	check_raw_error("raw error gzip", gz.p, gz.len, gz.len, d, 20000, 1);
	check_raw_error("raw error plain", d, 20000, 20000, d, 20000, 0);
	/* Between members. */
	gz_add(&gz, d, 100, 6);
	check_raw_error("raw error gzip", gz.p, gz.len, gz.len - 120, d,
	    20000, 1);
	free(gz.p);
	free(d);
}

/* Read a fixture from tests/data/gzip, here or under $CXW_TOP: 0 if absent. */
static int
fixture(const char *name, struct sbuf *out)
{
	const char *top = getenv("CXW_TOP");
	char path[4096], buf[4096];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "tests/data/gzip/%s", name);
	if ((f = fopen(path, "rb")) == NULL && top != NULL && *top != '\0') {
		snprintf(path, sizeof(path), "%s/tests/data/gzip/%s", top,
		    name);
		f = fopen(path, "rb");
	}
	if (f == NULL) {
		fprintf(stderr, "test_gzread: tests/data/gzip/%s not found "
		    "(run from the top or set CXW_TOP); its checks skipped\n",
		    name);
		return 0;
	}
	memset(out, 0, sizeof(*out));
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sbuf_add(out, buf, n);
	CHECK(!ferror(f));
	fclose(f);
	return 1;
}

static void
test_fixtures(void)
{
	struct sbuf gz, txt;
	struct chunking b;
	struct run r, ar;
	size_t ci;

	/* BGZF: 6 members, the last one empty. */
	if (fixture("htslib-bgziptest.txt.gz", &gz)) {
		if (fixture("htslib-bgziptest.txt", &txt)) {
			CHECK(sbuf_is(&txt, S("122333444455555")));
			check_ok("bgziptest", gz.p, gz.len, txt.p, txt.len,
			    1);
			free(txt.p);
		}
		free(gz.p);
	}

	/* One member whose deflate data holds 1f 8b. */
	if (fixture("pseudo-multimember-gzip.gz", &gz)) {
		run_fill(&r, gz.p, gz.len, &chunkings[0], 1024 * 1024,
		    SIZE_MAX);
		CHECK_INT(r.rc, 0);
		CHECK_INT(r.out.len, 129791);
		CHECK_INT(r.consumed, gz.len);
		CHECK(!r.haswhy);
		check_ok("pseudo-multimember", gz.p, gz.len, r.out.p,
		    r.out.len, 1);
		run_free(&r);
		free(gz.p);
	}

	/* A header, then 7 bytes of "0": a stored block with bad lengths. */
	if (fixture("lnav-textfile_broken_gz.txt.gz", &gz)) {
		CHECK_INT(gz.len, 17);
		for (ci = 0; ci < NELEM(chunkings); ci++) {
			run_fill(&r, gz.p, gz.len, &chunkings[ci], 4096,
			    SIZE_MAX);
			CHECK_INT(r.rc, -1);
			CHECK_INT(r.errnum, EIO);
			CHECK(r.haswhy && (strncmp(r.why, "corrupt gzip data",
			    17) == 0 || strncmp(r.why, "truncated gzip data",
			    19) == 0));
			CHECK_INT(r.gzip, 1);
			run_free(&r);
		}
		/* With EAGAIN: as with the same chunks blocking. */
		for (ci = 0; ci < NELEM(againchunkings); ci++) {
			b = blocking(&againchunkings[ci]);
			run_fill(&r, gz.p, gz.len, &b, 4096, SIZE_MAX);
			run_fill(&ar, gz.p, gz.len, &againchunkings[ci], 4096,
			    SIZE_MAX);
			check_sane(&ar, &againchunkings[ci]);
			CHECK_INT(ar.rc, -1);
			CHECK_INT(ar.errnum, EIO);
			CHECK_STR(ar.haswhy ? ar.why : "", r.why);
			CHECK(sbuf_is(&ar.out, r.out.p, r.out.len));
			CHECK_INT(ar.consumed, r.consumed);
			run_free(&r);
			run_free(&ar);
		}
		free(gz.p);
	}
}

/*
 * A source that gives d[0..cut) in chunks of chunk, then says EAGAIN for
 * as long as hold is set, then the rest.
 */
struct cutsrc {
	const char	*d;
	size_t		 n;
	size_t		 cut;
	size_t		 chunk;
	size_t		 pos;
	int		 hold;
	size_t		 calls;
	int		 ended;
	int		 misuse;
};

static ssize_t
cutsrc_fill(void *ctx, char *buf, size_t len)
{
	struct cutsrc *c = ctx;
	size_t k;

	c->calls++;
	if (c->ended)
		c->misuse++;
	if (c->hold && c->pos == c->cut) {
		errno = EAGAIN;
		return -1;
	}
	k = (c->hold ? c->cut : c->n) - c->pos;
	if (k > c->chunk)
		k = c->chunk;
	if (k > len)
		k = len;
	if (k == 0)
		c->ended = 1;
	else
		memcpy(buf, c->d + c->pos, k);
	c->pos += k;
	return (ssize_t)k;
}

/* Fill until it returns 0 or -1; the bytes go to out. */
static ssize_t
drain(struct gzread *g, struct sbuf *out, size_t readlen)
{
	char *buf = readbuf + READMAX - readlen;
	ssize_t got;

	while ((got = gzread_fill(g, buf, readlen)) > 0)
		sbuf_add(out, buf, (size_t)got);
	return got;
}

/*
 * The source stops with EAGAIN after every cut of d in turn: each time
 * gzread hands out first every byte it can make from what it has (what
 * a blocking read of the cut input gives before its end or its damage),
 * except a lone 1f which may start a magic; then -1 with EAGAIN, and
 * again on each later fill, asking the source each time; then, when the
 * rest comes, the rest of want, and the end.
 */
static void
check_again_cuts(const char *what, const char *d, size_t n,
    const char *want, size_t wantlen, int gzip)
{
	static const size_t chunks[] = { SIZE_MAX, 1 };
	static const size_t rls[] = { READMAX, 5 };
	struct sbuf out;
	struct cutsrc c;
	struct gzread *g;
	struct run pre;
	size_t cut, ci, calls;
	ssize_t got;
	int i, fails;

	for (cut = 0; cut <= n; cut++) {
		/* What the bytes up to the cut give, read blocking. */
		run_fill(&pre, d, cut, &chunkings[0], READMAX, SIZE_MAX);
		if (cut == 1 && d[0] == 0x1f)
			pre.out.len = 0;
		for (ci = 0; ci < NELEM(chunks); ci++) {
			fails = t_fail;
			memset(&c, 0, sizeof(c));
			memset(&out, 0, sizeof(out));
			c.d = d;
			c.n = n;
			c.cut = cut;
			c.chunk = chunks[ci];
			c.hold = 1;
			g = gzread_new(cutsrc_fill, &c);
			got = drain(g, &out, rls[ci]);
			CHECK_INT(got, -1);
			CHECK_INT(errno, EAGAIN);
			CHECK(sbuf_is(&out, pre.out.p, pre.out.len));
			CHECK(gzread_error(g) == NULL);
			CHECK_INT(gzread_consumed(g), cut);
			for (i = 0; i < 3; i++) {
				calls = c.calls;
				errno = 0;
				got = gzread_fill(g, readbuf, READMAX);
				CHECK_INT(got, -1);
				CHECK_INT(errno, EAGAIN);
				CHECK_INT(c.calls, calls + 1);
				CHECK(gzread_error(g) == NULL);
			}
			c.hold = 0;
			CHECK_INT(drain(g, &out, rls[ci]), 0);
			CHECK(sbuf_is(&out, want, wantlen));
			CHECK_INT(gzread_is_gzip(g), gzip);
			CHECK_INT(gzread_consumed(g), n);
			CHECK_INT(c.misuse, 0);
			gzread_free(g);
			free(out.p);
			if (t_fail > fails)
				fprintf(stderr, "  (%s: EAGAIN at byte %zu, "
				    "chunks of %zu)\n", what, cut, chunks[ci]);
		}
		run_free(&pre);
	}
}

static void
test_again_cuts(void)
{
	static const char text[] =
	    "2026-11-21T10:00:00 shop web[1]: GET /cart/1 200\n"
	    "2026-11-21T10:00:02 shop web[2]: POST /pay 500\n";
	static const char notgz[] = "\x1f" "not gzip\n\x1f\x8b\n";
	struct sbuf gz = { 0 }, twice = { 0 }, fx, txt;
	size_t n = sizeof(text) - 1;

	check_again_cuts("plain", text, n, text, n, 0);
	check_again_cuts("plain 1f", notgz, sizeof(notgz) - 1, notgz,
	    sizeof(notgz) - 1, 0);
	check_again_cuts("plain 1 byte", "\n", 1, "\n", 1, 0);
	check_again_cuts("plain 1f only", "\x1f", 1, "\x1f", 1, 0);

	gz_add(&gz, text, n, 9);
	check_again_cuts("member", gz.p, gz.len, text, n, 1);
	/* A stored member after it, then trailing zeros. */
	gz_add(&gz, text, 60, 0);
	sbuf_add(&twice, text, n);
	sbuf_add(&twice, text, 60);
	check_again_cuts("2 members", gz.p, gz.len, twice.p, twice.len, 1);
	sbuf_add(&gz, "\0\0\0", 3);
	check_again_cuts("2 members + zeros", gz.p, gz.len, twice.p,
	    twice.len, 1);
	if (fixture("htslib-bgziptest.txt.gz", &fx)) {
		if (fixture("htslib-bgziptest.txt", &txt)) {
			check_again_cuts("bgziptest", fx.p, fx.len, txt.p,
			    txt.len, 1);
			free(txt.p);
		}
		free(fx.p);
	}
	free(gz.p);
	free(twice.p);
}

/* A scripted source: its pieces in turn, NULL for EAGAIN, then the end. */
struct piece {
	const char	*p;
	size_t		 n;
};

struct script {
	const struct piece	*pieces;
	size_t			 npieces;
	size_t			 i;
	size_t			 off;
	int			 ended;
	int			 misuse;
};

static ssize_t
script_fill(void *ctx, char *buf, size_t len)
{
	struct script *s = ctx;
	const struct piece *pc;
	size_t k;

	if (s->ended)
		s->misuse++;
	if (s->i == s->npieces) {
		s->ended = 1;
		return 0;
	}
	pc = &s->pieces[s->i];
	if (pc->p == NULL) {
		s->i++;
		errno = EAGAIN;
		return -1;
	}
	k = pc->n - s->off < len ? pc->n - s->off : len;
	memcpy(buf, pc->p + s->off, k);
	if ((s->off += k) == pc->n) {
		s->i++;
		s->off = 0;
	}
	return (ssize_t)k;
}

/*
 * Read the script's pieces as lines through gzread and the reader: want
 * lists each reader_next() result in turn as "1:lineno:line", "again"
 * or "end".
 */
static void
check_script_lines(const char *what, const struct piece *pieces,
    size_t npieces, const char *const *want, size_t nwant)
{
	struct script s = { pieces, npieces, 0, 0, 0, 0 };
	struct gzread *g = gzread_new(script_fill, &s);
	struct reader *r = reader_new(gzread_fill, g, MAX_LINE);
	const char *line;
	char got[256];
	size_t i, len;
	int rc, fails = t_fail;

	for (i = 0; i < nwant; i++) {
		errno = 0;
		rc = reader_next(r, &line, &len);
		if (rc == 1)
			snprintf(got, sizeof(got), "1:%llu:%.*s",
			    (unsigned long long)reader_lineno(r), (int)len,
			    line);
		else if (rc == -1 && errno == EAGAIN)
			snprintf(got, sizeof(got), "again");
		else if (rc == 0)
			snprintf(got, sizeof(got), "end");
		else
			snprintf(got, sizeof(got), "error %d", errno);
		CHECK_STR(got, want[i]);
	}
	CHECK_INT(s.misuse, 0);
	if (t_fail > fails)
		fprintf(stderr, "  (in %s)\n", what);
	reader_free(r);
	gzread_free(g);
}

static void
test_again_lines(void)
{
	static const char *const want1[] = {
		"1:1:alpha", "again", "1:2:bravo", "again", "1:3:charlie",
		"end", "end",
	};
	static const char *const want2[] = {
		"again", "again", "1:2:ok", "again", "1:3:", "end",
	};
	static const char *const want3[] = {
		"1:1:a", "again", "1:2:b", "end",
	};
	static const char *const want4[] = {
		"again", "1:1:\x1f" "b", "end",
	};
	static const char *const want5[] = {
		"1:1:", "again", "1:2:b", "end",
	};
	struct sbuf m1 = { 0 }, m2 = { 0 }, m3 = { 0 }, m4 = { 0 };
	char *x = xmalloc(MAX_LINE + 1000);
	struct piece p[8];

	/* A line split by an EAGAIN at a member's end, the last unended. */
	gz_add(&m1, S("alpha\nbra"), 6);
	gz_add(&m2, S("vo\ncharlie"), 6);
	p[0] = (struct piece){ m1.p, m1.len };
	p[1] = (struct piece){ NULL, 0 };
	p[2] = (struct piece){ m2.p, m2.len };
	p[3] = (struct piece){ NULL, 0 };
	check_script_lines("split line", p, 4, want1, NELEM(want1));

	/*
	 * A line too long, cut by EAGAIN in the middle of its member and
	 * between members: skipped and counted, the next ones right.
	 */
	memset(x, 'x', MAX_LINE + 1000);
	m1.len = m2.len = 0;
	gz_add(&m1, x, MAX_LINE - 10, 6);
	gz_add(&m2, x, 1010, 1);
	gz_add(&m3, S("\nok\n"), 6);
	gz_add(&m4, S("\n"), 0);
	p[0] = (struct piece){ m1.p, m1.len / 2 };
	p[1] = (struct piece){ NULL, 0 };
	p[2] = (struct piece){ m1.p + m1.len / 2, m1.len - m1.len / 2 };
	p[3] = (struct piece){ m2.p, m2.len };
	p[4] = (struct piece){ NULL, 0 };
	p[5] = (struct piece){ m3.p, m3.len };
	p[6] = (struct piece){ NULL, 0 };
	p[7] = (struct piece){ m4.p, m4.len };
	check_script_lines("long line", p, 8, want2, NELEM(want2));

	/* Plain: a line is handed out before the EAGAIN after it. */
	p[0] = (struct piece){ "a\n", 2 };
	p[1] = (struct piece){ NULL, 0 };
	p[2] = (struct piece){ "b\n", 2 };
	check_script_lines("plain", p, 3, want3, NELEM(want3));
	/* A first byte other than 1f is plain: no wait for a second. */
	p[0] = (struct piece){ "\n", 1 };
	check_script_lines("plain 1 byte", p, 3, want5, NELEM(want5));
	/* A lone 1f waits for the next byte: it may be gzip. */
	p[0] = (struct piece){ "\x1f", 1 };
	p[1] = (struct piece){ NULL, 0 };
	p[2] = (struct piece){ "b\n", 2 };
	check_script_lines("plain 1f", p, 3, want4, NELEM(want4));
	free(m1.p);
	free(m2.p);
	free(m3.p);
	free(m4.p);
	free(x);
}

static void
test_free_null(void)
{
	gzread_free(NULL);
	CHECK(1);
}

int
main(void)
{
	/*
	 * A hang is a failure, not a stuck test run. Under valgrind on a
	 * busy machine the run takes minutes.
	 */
	alarm(600);
	readbuf = xmalloc(READMAX);
	test_plain();
	test_single_member();
	test_concatenated();
	test_trailing_zeros();
	test_trailing_garbage();
	test_truncated();
	test_corrupt();
	test_trailer();
	test_raw_error();
	test_fixtures();
	test_again_cuts();
	test_again_lines();
	test_free_null();
	free(readbuf);
	T_DONE();
}
