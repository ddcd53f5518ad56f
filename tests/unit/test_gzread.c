/*
 * test_gzread: plain and gzip input must come out the same whatever the
 * chunking of the raw bytes and the size of the reads, and damage must be
 * reported where it is, after the bytes inflated before it. The gzip data
 * is made here with zlib; the fixtures in tests/data/gzip are used when
 * found (from the current directory, or from $CXW_TOP).
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
	int		 ended;		/* returned 0 or -1 already */
	int		 misuse;	/* called again after 0 or -1 */
};

struct chunking {
	size_t		 chunk;
	size_t		 maxchunk;
	uint32_t	 seed;
};

/* The reader only sees gzread's output: the first NLINES are enough. */
static const struct chunking chunkings[] = {
	{ SIZE_MAX, 0, 0 }, { 1, 0, 0 }, { 0, 5, 1 }, { 2, 0, 0 },
	{ 0, 300, 2 }, { 0, 70000, 3 },
};
static const struct chunking bigchunkings[] = {
	{ SIZE_MAX, 0, 0 }, { 0, 4096, 4 }, { 0, 300000, 5 },
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
		got = gzread_fill(g, buf, readlen);
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
	gzread_free(g);
}

/*
 * Read d through reader_new(gzread_fill, ...) into lines; return the last
 * reader_next() result, with errno after it in *errnum.
 */
static int
run_lines(struct sbuf *lines, const char *d, size_t n,
    const struct chunking *c, size_t failat, int *errnum, uint64_t *bytes)
{
	struct gzread *g;
	struct reader *r;
	struct src s;
	const char *line;
	size_t len;
	int rc;

	src_init(&s, d, n, c, failat);
	g = gzread_new(src_fill, &s);
	r = reader_new(gzread_fill, g, MAX_LINE);
	errno = 0;
	while ((rc = reader_next(r, &line, &len)) == 1) {
		sbuf_line(lines, reader_lineno(r), line, len);
		errno = 0;
	}
	*errnum = errno;
	*bytes = reader_bytes(r);
	CHECK_INT(s.misuse, 0);
	reader_free(r);
	gzread_free(g);
	return rc;
}

static void
run_free(struct run *r)
{
	free(r->out.p);
}

static void
chunkings_for(size_t n, const struct chunking **cs, size_t *ncs,
    const size_t **rls, size_t *nrls)
{
	if (n <= BIG) {
		*cs = chunkings;
		*ncs = NELEM(chunkings);
		*rls = readlens;
		*nrls = NELEM(readlens);
	} else {
		*cs = bigchunkings;
		*ncs = NELEM(bigchunkings);
		*rls = bigreadlens;
		*nrls = NELEM(bigreadlens);
	}
}

static void
where(int fails, const char *what, size_t ci, size_t readlen)
{
	if (t_fail > fails)
		fprintf(stderr, "  (in %s, chunking %zu, reads of %zu)\n",
		    what, ci, readlen);
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
	int errnum, fails;

	chunkings_for(n > wantlen ? n : wantlen, &cs, &ncs, &rls, &nrls);
	ref_lines(want, wantlen, &ref);
	for (ci = 0; ci < ncs; ci++) {
		for (ri = 0; ri < nrls; ri++) {
			fails = t_fail;
			run_fill(&r, d, n, &cs[ci], rls[ri], SIZE_MAX);
			CHECK_INT(r.rc, 0);
			CHECK(sbuf_is(&r.out, want, wantlen));
			CHECK_INT(r.gzip, gzip);
			CHECK_INT(r.consumed, n);
			CHECK(!r.haswhy);
			CHECK(!r.overrun);
			CHECK_INT(r.misuse, 0);
			run_free(&r);
			where(fails, what, ci, rls[ri]);
		}
		if (ci >= NLINES)
			continue;
		fails = t_fail;
		memset(&lines, 0, sizeof(lines));
		CHECK_INT(run_lines(&lines, d, n, &cs[ci], SIZE_MAX, &errnum,
		    &bytes), 0);
		CHECK(sbuf_is(&lines, ref.p, ref.len));
		CHECK_INT(bytes, wantlen);
		free(lines.p);
		where(fails, what, ci, 0);
	}
	free(ref.p);
}

/*
 * d gives a prefix of want (all of it if exact), then -1 with EIO and
 * gzread_error() = why; through the reader, the complete lines of that
 * prefix, then -1 with EIO.
 */
static void
check_bad(const char *what, const char *d, size_t n, const char *want,
    size_t wantlen, int exact, const char *why)
{
	const struct chunking *cs;
	const size_t *rls;
	size_t ncs, nrls, ci, ri;
	struct sbuf ref, lines;
	struct run r;
	uint64_t bytes;
	int errnum, fails;

	chunkings_for(n > wantlen ? n : wantlen, &cs, &ncs, &rls, &nrls);
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
			CHECK_INT(r.gzip, 1);
			CHECK(r.consumed <= n);
			CHECK(!r.overrun);
			CHECK_INT(r.misuse, 0);
			if (ri + 1 < nrls || ci >= NLINES)
				run_free(&r);
			where(fails, what, ci, rls[ri]);
		}
		if (ci >= NLINES)
			continue;
		/* r is the run with the largest reads. */
		fails = t_fail;
		memset(&ref, 0, sizeof(ref));
		memset(&lines, 0, sizeof(lines));
		ref_lines(r.out.p, complete_lines_len(r.out.p, r.out.len),
		    &ref);
		CHECK_INT(run_lines(&lines, d, n, &cs[ci], SIZE_MAX, &errnum,
		    &bytes), -1);
		CHECK_INT(errnum, EIO);
		CHECK(sbuf_is(&lines, ref.p, ref.len));
		CHECK_INT(bytes, r.out.len);
		run_free(&r);
		free(ref.p);
		free(lines.p);
		where(fails, what, ci, 0);
	}
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
	struct run r;
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
	int errnum, fails;

	chunkings_for(n, &cs, &ncs, &rls, &nrls);
	for (ci = 0; ci < ncs; ci++) {
		for (ri = 0; ri < nrls; ri++) {
			fails = t_fail;
			run_fill(&r, d, n, &cs[ci], rls[ri], failat);
			CHECK_INT(r.rc, -1);
			CHECK_INT(r.errnum, EACCES);
			CHECK(!r.haswhy);
			CHECK(r.consumed <= failat);
			CHECK_INT(r.misuse, 0);
			if (gzip && failat >= 2)
				CHECK(sbuf_is_prefix_of(&r.out, want,
				    wantlen));
			else
				/* Plain bytes read before the failure. */
				CHECK(sbuf_is(&r.out, d, failat));
			CHECK_INT(r.gzip, gzip && failat >= 2);
			run_free(&r);
			where(fails, what, ci, rls[ri]);
		}
		if (ci >= NLINES)
			continue;
		fails = t_fail;
		memset(&lines, 0, sizeof(lines));
		CHECK_INT(run_lines(&lines, d, n, &cs[ci], failat, &errnum,
		    &bytes), -1);
		CHECK_INT(errnum, EACCES);
		free(lines.p);
		where(fails, what, ci, 0);
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
	struct run r;
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
		free(gz.p);
	}
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
	/* A hang is a failure, not a stuck test run. */
	alarm(120);
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
	test_free_null();
	free(readbuf);
	T_DONE();
}
