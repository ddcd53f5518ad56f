/*
 * test_reader: lines must come out the same whatever the chunking of the
 * input. Results are compared with a plain reference splitter, written
 * as "LINENO:LEN:BYTES|" strings.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "reader.h"
#include "t.h"
#include "xmalloc.h"

#define S(lit)	lit, sizeof(lit) - 1

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
	size_t		 failat;	/* fail with EIO once pos is here */
	int		 ended;		/* returned 0 already */
	int		 misuse;	/* called again after 0 or -1 */
	uintptr_t	 lo, hi;	/* span of the buffers handed in */
};

struct chunking {
	size_t		 chunk;
	size_t		 maxchunk;
	uint32_t	 seed;
};

static const struct chunking chunkings[] = {
	{ SIZE_MAX, 0, 0 }, { 1, 0, 0 }, { 2, 0, 0 }, { 3, 0, 0 },
	{ 7, 0, 0 }, { 0, 5, 1 }, { 0, 64, 2 }, { 0, 4096, 3 },
};
#define NCHUNKINGS	(sizeof(chunkings) / sizeof(chunkings[0]))

static uint32_t
rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void
sbuf_add(struct sbuf *b, const char *p, size_t len)
{
	if (b->cap - b->len < len) {
		b->cap = (b->len + len) * 2;
		b->p = xreallocarray(b->p, b->cap, 1);
	}
	memcpy(b->p + b->len, p, len);
	b->len += len;
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

static int
sbuf_is(const struct sbuf *b, const char *p, size_t len)
{
	return b->len == len && (len == 0 || memcmp(b->p, p, len) == 0);
}

/* The obviously correct model the reader is checked against. */
static void
ref_lines(const char *d, size_t n, size_t max_line, struct sbuf *out,
    uint64_t *nlong)
{
	const char *nl;
	uint64_t lineno = 0;
	size_t i = 0, end, len;

	*nlong = 0;
	if (n >= 3 && memcmp(d, "\xef\xbb\xbf", 3) == 0)
		i = 3;		/* a byte-order mark, not part of line 1 */
	while (i < n) {
		nl = memchr(d + i, '\n', n - i);
		end = nl ? (size_t)(nl - d) : n;
		len = end - i;
		if (nl && len > 0 && d[end - 1] == '\r')
			len--;
		lineno++;
		if (len > max_line)
			(*nlong)++;
		else
			sbuf_line(out, lineno, d + i, len);
		i = end + 1;
	}
}

static ssize_t
src_fill(void *ctx, char *buf, size_t len)
{
	struct src *s = ctx;
	size_t n;

	if (s->ended)
		s->misuse++;
	if (s->lo == 0 || (uintptr_t)buf < s->lo)
		s->lo = (uintptr_t)buf;
	if ((uintptr_t)buf + len > s->hi)
		s->hi = (uintptr_t)buf + len;
	if (s->pos >= s->failat) {
		s->ended = 1;
		errno = EIO;
		return -1;
	}
	n = s->chunk ? s->chunk : 1 + rnd(&s->seed) % s->maxchunk;
	if (n > len)
		n = len;
	if (n > s->len - s->pos)
		n = s->len - s->pos;
	if (n > s->failat - s->pos)
		n = s->failat - s->pos;
	memcpy(buf, s->data + s->pos, n);
	s->pos += n;
	if (n == 0)
		s->ended = 1;
	return (ssize_t)n;
}

static void
src_init(struct src *s, const char *d, size_t n, const struct chunking *c)
{
	memset(s, 0, sizeof(*s));
	s->data = d;
	s->len = n;
	s->chunk = c->chunk;
	s->maxchunk = c->maxchunk;
	s->seed = c->seed;
	s->failat = SIZE_MAX;
}

/* Read all lines of r into out; return the last reader_next() result. */
static int
drain(struct reader *r, struct sbuf *out)
{
	const char *line;
	size_t len;
	int rc;

	while ((rc = reader_next(r, &line, &len)) == 1)
		sbuf_line(out, reader_lineno(r), line, len);
	return rc;
}

/* Run d through the reader with chunking c and compare with the model. */
static void
check_one(const char *d, size_t n, size_t max_line,
    const struct chunking *c)
{
	struct sbuf want = { 0 }, got = { 0 };
	struct reader *r;
	struct src s;
	uint64_t nlong;
	const char *line;
	size_t len;

	ref_lines(d, n, max_line, &want, &nlong);
	src_init(&s, d, n, c);
	r = reader_new(src_fill, &s, max_line);
	CHECK_INT(drain(r, &got), 0);
	CHECK(sbuf_is(&got, want.p, want.len));
	CHECK_INT(reader_nlong(r), nlong);
	CHECK_INT(reader_bytes(r), n);
	CHECK_INT(reader_next(r, &line, &len), 0);
	CHECK_INT(s.misuse, 0);
	reader_free(r);
	free(want.p);
	free(got.p);
}

static void
check_all(const char *d, size_t n, size_t max_line)
{
	size_t i;

	for (i = 0; i < NCHUNKINGS; i++)
		check_one(d, n, max_line, &chunkings[i]);
}

/* Expected output for d under every chunking, and the model agrees. */
static void
check_case(const char *d, size_t n, size_t max_line, const char *want,
    size_t wantlen)
{
	struct sbuf ref = { 0 };
	uint64_t nlong;

	ref_lines(d, n, max_line, &ref, &nlong);
	CHECK(sbuf_is(&ref, want, wantlen));
	free(ref.p);
	check_all(d, n, max_line);
}

static void
test_shapes(void)
{
	check_case(S(""), 100, S(""));
	check_case(S("a\n"), 100, S("1:1:a|"));
	check_case(S("a"), 100, S("1:1:a|"));
	check_case(S("\n\n"), 100, S("1:0:|2:0:|"));
	check_case(S("ab\ncd"), 100, S("1:2:ab|2:2:cd|"));
	check_case(S("a\r\nb\r\n"), 100, S("1:1:a|2:1:b|"));
	check_case(S("\r\n"), 100, S("1:0:|"));
	check_case(S("a\rb\n"), 100, S("1:3:a\rb|"));
	check_case(S("a\r\r\n"), 100, S("1:2:a\r|"));
	check_case(S("\r"), 100, S("1:1:\r|"));
	check_case(S("abc\r"), 100, S("1:4:abc\r|"));
	check_case(S("x\0y\n\0"), 100, S("1:3:x\0y|2:1:\0|"));
	check_case(S("\0\n\0\0\r\n"), 100, S("1:1:\0|2:2:\0\0|"));
	check_case(S("\xff\xfe\x80\n"), 100, S("1:3:\xff\xfe\x80|"));
}

static void
test_max_line(void)
{
	check_case(S("0123456789\n"), 10, S("1:10:0123456789|"));
	check_case(S("0123456789\r\n"), 10, S("1:10:0123456789|"));
	check_case(S("0123456789"), 10, S("1:10:0123456789|"));
	check_case(S("0123456789A\nb\n"), 10, S("2:1:b|"));
	check_case(S("0123456789A\r\nb"), 10, S("2:1:b|"));
	check_case(S("0123456789A"), 10, S(""));
	check_case(S("0123456789\r"), 10, S(""));
	check_case(S("\n\na\n"), 0, S("1:0:|2:0:|"));
}

/* A source with nothing yet between its pieces, as a followed file. */
struct slow {
	const char	*const *pieces;
	size_t		 next;
	int		 gap;		/* EAGAIN before the next piece */
};

static ssize_t
slow_fill(void *ctx, char *buf, size_t len)
{
	struct slow *s = ctx;
	size_t n;

	if ((s->gap = !s->gap)) {
		errno = EAGAIN;
		return -1;
	}
	if (s->pieces[s->next] == NULL)
		return 0;
	n = strlen(s->pieces[s->next]);
	if (n > len)
		n = len;
	memcpy(buf, s->pieces[s->next++], n);
	return (ssize_t)n;
}

/*
 * A UTF-8 byte-order mark is skipped only where the input begins; its
 * bytes still count as read, and it is no part of line 1's length.
 */
static void
test_bom(void)
{
	static const char *const pieces[] = { "\xef", "\xbb", "\xbf",
	    "a\n\xef\xbb", "\xbf", "b", NULL };
	struct slow sl = { pieces, 0, 0 };
	struct sbuf got = { 0 };
	struct reader *r;
	const char *line;
	size_t len;
	int rc, eagain = 0;

	check_case(S("\xef\xbb\xbf" "a\nb\n"), 100, S("1:1:a|2:1:b|"));
	check_case(S("\xef\xbb\xbf"), 100, S(""));
	check_case(S("\xef\xbb\xbf\n"), 100, S("1:0:|"));
	check_case(S("\xef\xbb\xbf" "a"), 100, S("1:1:a|"));
	check_case(S("\xef\xbb"), 100, S("1:2:\xef\xbb|"));
	check_case(S("\xef\xbb\n"), 100, S("1:2:\xef\xbb|"));
	check_case(S("\xef\xbbx\n"), 100, S("1:3:\xef\xbbx|"));
	check_case(S("\xef\xbb\xbf\xef\xbb\xbf" "a"), 100,
	    S("1:4:\xef\xbb\xbf" "a|"));
	check_case(S("a\n\xef\xbb\xbf" "b\n"), 100,
	    S("1:1:a|2:4:\xef\xbb\xbf" "b|"));
	check_case(S(" \xef\xbb\xbf\n"), 100, S("1:4: \xef\xbb\xbf|"));
	check_case(S("\xef\xbb\xbf" "0123456789\n"), 10,
	    S("1:10:0123456789|"));
	check_case(S("\xef\xbb\xbf" "0123456789A\nb"), 10, S("2:1:b|"));
	r = reader_new(slow_fill, &sl, 100);
	while ((rc = reader_next(r, &line, &len)) != 0) {
		if (rc == -1) {
			CHECK_INT(errno, EAGAIN);
			if (errno != EAGAIN || ++eagain > 100)
				break;
			continue;
		}
		sbuf_line(&got, reader_lineno(r), line, len);
	}
	CHECK(sbuf_is(&got, S("1:1:a|2:4:\xef\xbb\xbf" "b|")));
	CHECK_INT(reader_bytes(r), 9);
	reader_free(r);
	free(got.p);
}

static void
test_lineno(void)
{
	const char d[] = "a\nTOOLONG\nb\nTOOLONG\nTOOLONG\r\nc";
	const char *line;
	size_t len;
	struct src s;
	struct reader *r;

	check_case(S(d), 5, S("1:1:a|3:1:b|6:1:c|"));
	src_init(&s, S(d), &chunkings[1]);
	r = reader_new(src_fill, &s, 5);
	CHECK_INT(reader_lineno(r), 0);
	while (reader_next(r, &line, &len) == 1)
		continue;
	CHECK_INT(reader_lineno(r), 6);
	CHECK_INT(reader_nlong(r), 3);
	reader_free(r);
}

/* Random lines clustered around max_line, with CR, NUL and high bytes. */
static char *
make_corpus(uint32_t seed, size_t n, size_t max_line)
{
	static const char alpha[] = "aaaaaaaaaaaaaaaaaaaa \r\r\r\0\xff\xc3\xa9";
	char *d = xmalloc(n);
	size_t i = 0, len, j, base = max_line > 3 ? max_line - 3 : 0;

	while (i < n) {
		len = rnd(&seed) % 8 == 0 ? rnd(&seed) % (20 * max_line + 1) :
		    base + rnd(&seed) % 7;
		for (j = 0; j < len && i < n; j++)
			d[i++] = alpha[rnd(&seed) % (sizeof(alpha) - 1)];
		if (i < n && rnd(&seed) % 3 == 0)
			d[i++] = '\r';
		if (i < n)
			d[i++] = '\n';
	}
	return d;
}

static void
test_random_corpus(void)
{
	static const size_t maxes[] = { 0, 3, 100, 5000 };
	size_t i, n = 300 * 1000;
	char *d;

	for (i = 0; i < sizeof(maxes) / sizeof(maxes[0]); i++) {
		d = make_corpus((uint32_t)i + 1, n, maxes[i] ? maxes[i] : 2);
		check_all(d, n, maxes[i]);
		/* And cut short, ending in the middle of a line. */
		check_all(d, n - 77, maxes[i]);
		free(d);
	}
}

/* max_line above the default buffer: the buffer must hold such a line. */
static void
test_big_max_line(void)
{
	static const struct chunking big[] = {
		{ SIZE_MAX, 0, 0 }, { 4093, 0, 0 }, { 0, 65536, 9 },
	};
	size_t max = 3 * 1024 * 1024, n = 0, i;
	char *d = xmalloc(2 * max + 16);

	memset(d, 'k', max);
	n += max;
	memcpy(d + n, "\r\n", 2);
	n += 2;
	memset(d + n, 's', max + 1);
	n += max + 1;
	memcpy(d + n, "\r\nend", 5);
	n += 5;
	for (i = 0; i < sizeof(big) / sizeof(big[0]); i++)
		check_one(d, n, max, &big[i]);
	free(d);
}

/* Hands out HUGE bytes of 'x' then a tail, in chunks of 1..64 bytes. */
struct gen {
	size_t		 huge;
	const char	*tail;
	size_t		 pos;
	uint32_t	 seed;
	uintptr_t	 lo, hi;
};

static ssize_t
gen_fill(void *ctx, char *buf, size_t len)
{
	struct gen *g = ctx;
	size_t n = 1 + rnd(&g->seed) % 64, i, total;

	total = g->huge + strlen(g->tail);
	if (g->lo == 0 || (uintptr_t)buf < g->lo)
		g->lo = (uintptr_t)buf;
	if ((uintptr_t)buf + len > g->hi)
		g->hi = (uintptr_t)buf + len;
	if (n > len)
		n = len;
	if (n > total - g->pos)
		n = total - g->pos;
	for (i = 0; i < n; i++, g->pos++)
		buf[i] = g->pos < g->huge ? 'x' : g->tail[g->pos - g->huge];
	return (ssize_t)n;
}

static void
check_huge(const char *tail, const char *want, uint64_t lineno)
{
	struct gen g = { 10 * 1000 * 1000, tail, 0, 42, 0, 0 };
	struct sbuf got = { 0 };
	struct reader *r;

	r = reader_new(gen_fill, &g, 1000);
	CHECK_INT(drain(r, &got), 0);
	CHECK(sbuf_is(&got, want, strlen(want)));
	CHECK_INT(reader_nlong(r), 1);
	CHECK_INT(reader_lineno(r), lineno);
	CHECK_INT(reader_bytes(r), g.huge + strlen(tail));
	/* The buffer did not grow to hold the line. */
	CHECK(g.hi - g.lo <= 2 * 1024 * 1024);
	reader_free(r);
	free(got.p);
}

static void
test_huge_line(void)
{
	check_huge("\nok\n", "2:2:ok|", 2);
	check_huge("\r\nok", "2:2:ok|", 2);
	check_huge("", "", 1);
}

static void
test_read_error(void)
{
	const char d[] = "a\nb\ncdef\n";
	const char *line;
	size_t len, i;
	struct src s;
	struct reader *r;

	for (i = 0; i < NCHUNKINGS; i++) {
		src_init(&s, S(d), &chunkings[i]);
		s.failat = 5;
		r = reader_new(src_fill, &s, 100);
		CHECK_INT(reader_next(r, &line, &len), 1);
		CHECK(len == 1 && line[0] == 'a');
		CHECK_INT(reader_next(r, &line, &len), 1);
		CHECK(len == 1 && line[0] == 'b');
		errno = 0;
		CHECK_INT(reader_next(r, &line, &len), -1);
		CHECK_INT(errno, EIO);
		errno = 0;
		CHECK_INT(reader_next(r, &line, &len), -1);
		CHECK_INT(errno, EIO);
		CHECK_INT(reader_lineno(r), 2);
		CHECK_INT(reader_bytes(r), 5);
		CHECK_INT(s.misuse, 0);
		reader_free(r);
	}
}

static ssize_t
liar_fill(void *ctx, char *buf, size_t len)
{
	(void)ctx;
	(void)buf;
	return (ssize_t)len + 1;
}

static void
test_bad_source(void)
{
	struct reader *r = reader_new(liar_fill, NULL, 100);
	const char *line;
	size_t len;

	errno = 0;
	CHECK_INT(reader_next(r, &line, &len), -1);
	CHECK_INT(errno, EIO);
	CHECK_INT(reader_bytes(r), 0);
	reader_free(r);
	reader_free(NULL);
}

static void
test_bytes(void)
{
	const char *line;
	size_t len;
	struct src s;
	struct reader *r;

	src_init(&s, S("ab\ncd\n"), &chunkings[1]);
	r = reader_new(src_fill, &s, 100);
	CHECK_INT(reader_bytes(r), 0);
	CHECK_INT(reader_next(r, &line, &len), 1);
	CHECK_INT(reader_bytes(r), 3);
	CHECK_INT(reader_next(r, &line, &len), 1);
	CHECK_INT(reader_bytes(r), 6);
	CHECK_INT(reader_next(r, &line, &len), 0);
	CHECK_INT(reader_bytes(r), 6);
	reader_free(r);
}

/* The child exited 0; waitpid(2) is retried as our signals cut it. */
static int
child_ok(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR)
			return 0;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* Write d to fd in odd sizes: 0, or 1 on error. */
static int
write_odd(int fd, const char *d, size_t n)
{
	static const size_t sizes[] = { 1, 7, 4096, 3, 70000, 12345 };
	size_t off, w, i;

	for (off = 0, i = 0; off < n; off += w, i++) {
		w = sizes[i % 6] < n - off ? sizes[i % 6] : n - off;
		if (write(fd, d + off, w) != (ssize_t)w)
			return 1;
	}
	return 0;
}

/* A child writes d into a pipe in odd sizes; the parent reads lines. */
static void
test_pipe(void)
{
	size_t n = 500 * 1000, max = 100;
	char *d = make_corpus(77, n, max);
	struct sbuf want = { 0 }, got = { 0 };
	struct reader *r;
	uint64_t nlong;
	int fds[2], st;
	pid_t pid;

	CHECK(pipe(fds) == 0);
	if ((pid = fork()) == 0) {
		close(fds[0]);
		st = write_odd(fds[1], d, n);
		free(d);
		_exit(st);
	}
	close(fds[1]);
	ref_lines(d, n, max, &want, &nlong);
	r = reader_new_fd(fds[0], max);
	CHECK_INT(drain(r, &got), 0);
	CHECK(sbuf_is(&got, want.p, want.len));
	CHECK_INT(reader_nlong(r), nlong);
	CHECK_INT(reader_bytes(r), n);
	CHECK(child_ok(pid));
	reader_free(r);
	close(fds[0]);
	free(d);
	free(want.p);
	free(got.p);
}

static volatile sig_atomic_t nsig;

static void
count_sig(int sig)
{
	(void)sig;
	nsig++;
}

/* Signals without SA_RESTART hit the blocked read(2); it must retry. */
static void
test_eintr(void)
{
	struct timespec ms = { 0, 1000 * 1000 };
	struct sigaction sa, old;
	struct sbuf got = { 0 };
	struct reader *r;
	int fds[2], i;
	pid_t pid;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = count_sig;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, &old);
	CHECK(pipe(fds) == 0);
	if ((pid = fork()) == 0) {
		close(fds[0]);
		for (i = 0; i < 50; i++) {
			kill(getppid(), SIGUSR1);
			nanosleep(&ms, NULL);
		}
		_exit(write(fds[1], "x\ny\n", 4) == 4 ? 0 : 1);
	}
	close(fds[1]);
	r = reader_new_fd(fds[0], 100);
	CHECK_INT(drain(r, &got), 0);
	CHECK(sbuf_is(&got, S("1:1:x|2:1:y|")));
	CHECK(child_ok(pid));
	CHECK(nsig > 0);
	sigaction(SIGUSR1, &old, NULL);
	reader_free(r);
	close(fds[0]);
	free(got.p);
}

int
main(void)
{
	test_shapes();
	test_max_line();
	test_bom();
	test_lineno();
	test_random_corpus();
	test_big_max_line();
	test_huge_line();
	test_read_error();
	test_bad_source();
	test_bytes();
	test_pipe();
	test_eintr();
	T_DONE();
}
