/*
 * test_obuf: output goes to a temp file (or a pipe) and is read back.
 * Escaper outputs are checked literally, and for random input against
 * an independent validator of what a terminal and a JSON parser accept.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "obuf.h"
#include "t.h"
#include "tparse.h"
#include "xmalloc.h"

#define S(lit)	lit, sizeof(lit) - 1

typedef void (*esc_fn)(struct obuf *, const char *, size_t);

/* Buffer sizes to run escapers with: default, minimum, odd. */
static const size_t caps[] = { 0, 1, 67 };
#define NCAPS	(sizeof(caps) / sizeof(caps[0]))

static uint32_t
rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* The whole of f, NUL-terminated; caller frees. */
static char *
slurp(FILE *f, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *p = xmalloc(cap);

	rewind(f);
	while ((n += fread(p + n, 1, cap - n - 1, f)) == cap - 1) {
		cap *= 2;
		p = xreallocarray(p, cap, 1);
	}
	p[n] = '\0';
	if (len != NULL)
		*len = n;
	return p;
}

/* Output of fn on in[0..n) through an obuf of capacity cap. */
static char *
esc(esc_fn fn, const char *in, size_t n, size_t cap, size_t *outlen)
{
	FILE *f = tmpfile();
	struct obuf *o = obuf_new(fileno(f), cap);
	char *out;

	fn(o, in, n);
	CHECK_INT(obuf_error(o), 0);
	obuf_free(o);
	out = slurp(f, outlen);
	fclose(f);
	return out;
}

static void
check_esc(esc_fn fn, const char *in, size_t n, const char *want)
{
	char *out;
	size_t i;

	for (i = 0; i < NCAPS; i++) {
		out = esc(fn, in, n, caps[i], NULL);
		CHECK_STR(out, want);
		free(out);
	}
}

#define TEXT(in, want)	check_esc(obuf_text, S(in), want)
#define FIELD(in, want)	check_esc(obuf_field, S(in), want)
#define JSON(in, want)	check_esc(obuf_json, S(in), want)

static void
test_text_controls(void)
{
	TEXT("", "");
	TEXT("plain ascii ~!", "plain ascii ~!");
	TEXT("tab\there", "tab\there");
	TEXT("back\\slash", "back\\\\slash");
	TEXT("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m");
	TEXT("a\0b", "a\\x00b");
	TEXT("\r\n\x7f\x1f\x01", "\\x0d\\x0a\\x7f\\x1f\\x01");
	TEXT("\xc2\x9b" "2J", "\\u{009b}2J");
	TEXT("\xc2\x80\xc2\x9f", "\\u{0080}\\u{009f}");
	TEXT("\xc2\xa0", "\xc2\xa0");
	TEXT("abc\xe2\x80\xae" "cba", "abc\\u{202e}cba");
	TEXT("\xe2\x80\xa8\xe2\x80\xa9\xe2\x80\xaa",
	    "\\u{2028}\\u{2029}\\u{202a}");
	TEXT("\xe2\x81\xa6\xe2\x81\xa9", "\\u{2066}\\u{2069}");
	/* Just outside the escaped ranges. */
	TEXT("\xe2\x80\xa7\xe2\x80\xaf\xe2\x81\xa5\xe2\x81\xaa",
	    "\xe2\x80\xa7\xe2\x80\xaf\xe2\x81\xa5\xe2\x81\xaa");
}

static void
test_text_utf8(void)
{
	TEXT("caf\xc3\xa9 \xe2\x82\xac" "5 \xf0\x9f\x98\x80",
	    "caf\xc3\xa9 \xe2\x82\xac" "5 \xf0\x9f\x98\x80");
	TEXT("\xf4\x8f\xbf\xbf\xef\xbf\xbd\xed\x9f\xbf",
	    "\xf4\x8f\xbf\xbf\xef\xbf\xbd\xed\x9f\xbf");
	TEXT("\xff", "\\xff");
	TEXT("\x80", "\\x80");
	TEXT("\xc0\xaf", "\\xc0\\xaf");
	TEXT("\xe0\x80\xaf", "\\xe0\\x80\\xaf");
	TEXT("\xed\xa0\x80", "\\xed\\xa0\\x80");
	TEXT("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80");
	TEXT("\xf5\x80", "\\xf5\\x80");
	TEXT("a\xe2\x82", "a\\xe2\\x82");
	TEXT("\xe2\x82" "a\xe2\x82\xac", "\\xe2\\x82a\xe2\x82\xac");
	TEXT("\xf0\x9f\x98", "\\xf0\\x9f\\x98");
	TEXT("\xc3\xc3\xa9", "\\xc3\xc3\xa9");
}

/* A literal "\x1b" and a real ESC must not print alike. */
static void
test_text_backslash(void)
{
	TEXT("A\\x1bB", "A\\\\x1bB");
	TEXT("A\x1b" "B", "A\\x1bB");
	TEXT("\\u{202e}", "\\\\u{202e}");
	TEXT("\\", "\\\\");
	TEXT("\\\\", "\\\\\\\\");
	TEXT("a\\", "a\\\\");
}

static void
test_field(void)
{
	FIELD("C004211", "C004211");
	FIELD("", "\"\"");
	FIELD("Value 63", "Value\\x2063");
	FIELD(" ", "\\x20");
	FIELD("a\tb", "a\\x09b");
	FIELD("\"q\"", "\\x22q\\x22");
	FIELD("k=v", "k\\x3dv");
	FIELD("a\\b", "a\\\\b");
	FIELD("A\\x20B", "A\\\\x20B");
	FIELD("\x1b[2J\n", "\\x1b[2J\\x0a");
	FIELD("caf\xc3\xa9\xff", "caf\xc3\xa9\\xff");
	FIELD("\xe2\x80\xae", "\\u{202e}");
	/* Only ASCII blanks: awk and cut split on no other. */
	FIELD("\xc2\xa0", "\xc2\xa0");
	FIELD("/a?b=c&d=\"e f\"", "/a?b\\x3dc&d\\x3d\\x22e\\x20f\\x22");
}

static void
test_json(void)
{
	JSON("plain / ascii", "plain / ascii");
	JSON("\"q\" \\", "\\\"q\\\" \\\\");
	JSON("\n\r\t\b\f", "\\n\\r\\t\\b\\f");
	JSON("\0\x01\x1b[1m\x1f\x7f", "\\u0000\\u0001\\u001b[1m\\u001f\\u007f");
	JSON("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
	    "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	JSON("\xe2\x80\xa8\xe2\x80\xa9", "\\u2028\\u2029");
	JSON("\xc2\x9b\xe2\x80\xae\xe2\x81\xa9", "\\u009b\\u202e\\u2069");
	JSON("\xff", "\\ufffd");
	JSON("\xc0\xaf", "\\ufffd\\ufffd");
	JSON("\xed\xa0\x80", "\\ufffd\\ufffd\\ufffd");
	JSON("\xe2\x82", "\\ufffd");
	JSON("\xe2\x82" "a", "\\ufffda");
	JSON("\xf0\x9f\x98", "\\ufffd");
	JSON("\xf4\x90\x80\x80", "\\ufffd\\ufffd\\ufffd\\ufffd");
	JSON("\xc3\xc3\xa9", "\\ufffd\xc3\xa9");
	check_esc(obuf_jstr, S("a\"b"), "\"a\\\"b\"");
	check_esc(obuf_jstr, S(""), "\"\"");
}

/*
 * Decode one well-formed UTF-8 character, computed arithmetically rather
 * than from byte ranges: its length, or 0 if ill-formed.
 */
static size_t
utf8_ok(const unsigned char *p, size_t n, uint32_t *cp)
{
	static const uint32_t min[] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t len, i;
	uint32_t v;

	if (p[0] < 0x80)
		len = 1, v = p[0];
	else if ((p[0] & 0xe0) == 0xc0)
		len = 2, v = p[0] & 0x1f;
	else if ((p[0] & 0xf0) == 0xe0)
		len = 3, v = p[0] & 0x0f;
	else if ((p[0] & 0xf8) == 0xf0)
		len = 4, v = p[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (p[i] & 0x3f);
	}
	if (v < min[len] || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

/* Length of the JSON escape at s (s[0] is a backslash), or 0. */
static size_t
json_esc_len(const char *s, size_t n)
{
	size_t i;

	if (n >= 2 && s[1] != '\0' && strchr("\"\\/bfnrt", s[1]) != NULL)
		return 2;
	if (n < 6 || s[1] != 'u')
		return 0;
	for (i = 2; i < 6; i++)
		if (!isxdigit((unsigned char)s[i]))
			return 0;
	return 6;
}

/* A JSON string body as RFC 8259 defines it, in valid UTF-8. */
static int
json_body_ok(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;
	uint32_t cp;

	while (i < n) {
		if (p[i] == '\\')
			k = json_esc_len(s + i, n - i);
		else if (p[i] < 0x20 || p[i] == '"')
			k = 0;
		else
			k = utf8_ok(p + i, n - i, &cp);
		if (k == 0)
			return 0;
		i += k;
	}
	return 1;
}

/* Text output a terminal cannot act on: no controls, valid UTF-8. */
static int
text_ok(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;
	uint32_t cp;

	while (i < n) {
		if ((k = utf8_ok(p + i, n - i, &cp)) == 0)
			return 0;
		if ((cp < 0x20 && cp != '\t') || (cp >= 0x7f && cp <= 0x9f) ||
		    (cp >= 0x2028 && cp <= 0x202e) ||
		    (cp >= 0x2066 && cp <= 0x2069))
			return 0;
		i += k;
	}
	return 1;
}

/* The value of ndig lower-case hex digits at s, or -1. */
static long
hexval(const char *s, size_t ndig)
{
	long v = 0;
	size_t i;

	for (i = 0; i < ndig; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			v = v << 4 | (s[i] - '0');
		else if (s[i] >= 'a' && s[i] <= 'f')
			v = v << 4 | (s[i] - 'a' + 10);
		else
			return -1;
	}
	return v;
}

/*
 * Read text escaping back as cxwatch(1) ALERTS says: \\, \xHH and
 * \u{XXXX}, every other byte as it is. Returns the length written to
 * out (room for n bytes), or -1 on a backslash that starts none.
 */
static long
unescape(const char *s, size_t n, char *out)
{
	size_t i = 0, o = 0;
	long v;

	while (i < n) {
		if (s[i] != '\\')
			out[o++] = s[i++];
		else if (n - i >= 2 && s[i + 1] == '\\') {
			out[o++] = '\\';
			i += 2;
		} else if (n - i >= 4 && s[i + 1] == 'x' &&
		    (v = hexval(s + i + 2, 2)) >= 0) {
			out[o++] = (char)v;
			i += 4;
		} else if (n - i >= 8 && s[i + 1] == 'u' && s[i + 2] == '{' &&
		    s[i + 7] == '}' && (v = hexval(s + i + 3, 4)) >= 0x80) {
			if (v < 0x800)
				out[o++] = (char)(0xc0 | v >> 6);
			else {
				out[o++] = (char)(0xe0 | v >> 12);
				out[o++] = (char)(0x80 | (v >> 6 & 0x3f));
			}
			out[o++] = (char)(0x80 | (v & 0x3f));
			i += 8;
		} else
			return -1;
	}
	return (long)o;
}

/* fn's output on in reads back to in; a field's is one word, too. */
static void
check_roundtrip(esc_fn fn, const char *in, size_t n, size_t cap)
{
	char *out, *back;
	size_t len;
	long blen;

	out = esc(fn, in, n, cap, &len);
	back = xmalloc(len + 1);
	blen = unescape(out, len, back);
	if (fn == obuf_field && n == 0)
		CHECK_STR(out, "\"\"");
	else {
		CHECK_INT(blen, n);
		CHECK(blen == (long)n && memcmp(back, in, n) == 0);
	}
	if (fn == obuf_field && n > 0)
		CHECK(len > 0 && strcspn(out, " \t\"=") == len);
	free(back);
	free(out);
}

static void
test_roundtrip(void)
{
	static const char *cases[] = { "A\\x1bB", "A\x1b" "B", "\\\\x41",
	    "\\u{202e}", "\xe2\x80\xae", "Value 63", "a\\", "\\", "" };
	char in[256];
	size_t i, k;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		for (k = 0; k < NCAPS; k++) {
			check_roundtrip(obuf_text, cases[i],
			    strlen(cases[i]), caps[k]);
			check_roundtrip(obuf_field, cases[i],
			    strlen(cases[i]), caps[k]);
		}
	for (i = 0; i < 256; i++)
		in[i] = (char)i;
	for (k = 0; k < NCAPS; k++) {
		check_roundtrip(obuf_text, in, sizeof(in), caps[k]);
		check_roundtrip(obuf_field, in, sizeof(in), caps[k]);
	}
}

static void
test_all_bytes(void)
{
	char in[256], *out;
	size_t i, len;

	for (i = 0; i < 256; i++)
		in[i] = (char)i;
	for (i = 0; i < NCAPS; i++) {
		out = esc(obuf_json, in, sizeof(in), caps[i], &len);
		CHECK(json_body_ok(out, len));
		CHECK(strlen(out) == len);
		free(out);
		out = esc(obuf_text, in, sizeof(in), caps[i], &len);
		CHECK(text_ok(out, len));
		free(out);
	}
}

/* Random bytes, biased to UTF-8 lead and continuation bytes. */
static void
test_random_bytes(void)
{
	static const unsigned char pick[] = { 0x80, 0x9b, 0xa0, 0xbf, 0xc2,
	    0xe0, 0xe2, 0xed, 0xf0, 0xf4, 0x82, 0x81, 0xa8, 0xae, 0xa6 };
	uint32_t seed = 7;
	size_t n = 64 * 1024, i, len;
	char *in = xmalloc(n), *out;

	for (i = 0; i < n; i++)
		in[i] = rnd(&seed) % 2 ? (char)(rnd(&seed) & 0xff) :
		    (char)pick[rnd(&seed) % sizeof(pick)];
	out = esc(obuf_json, in, n, 0, &len);
	CHECK(json_body_ok(out, len));
	free(out);
	out = esc(obuf_text, in, n, 0, &len);
	CHECK(text_ok(out, len));
	free(out);
	check_roundtrip(obuf_text, in, n, 0);
	check_roundtrip(obuf_field, in, n, 0);
	out = esc(obuf_field, in, n, 0, &len);
	CHECK(text_ok(out, len));
	free(out);
	free(in);
}

static void
check_u64(uint64_t v, const char *want)
{
	FILE *f = tmpfile();
	struct obuf *o = obuf_new(fileno(f), 0);
	char *out;

	obuf_u64(o, v);
	obuf_free(o);
	out = slurp(f, NULL);
	CHECK_STR(out, want);
	free(out);
	fclose(f);
}

static void
test_numbers(void)
{
	char want[64], *out;
	FILE *f = tmpfile();
	struct obuf *o = obuf_new(fileno(f), 1);
	uint32_t seed = 99;
	size_t w = 0;
	int64_t v;
	int i;

	check_u64(0, "0");
	check_u64(9, "9");
	check_u64(10, "10");
	check_u64(99, "99");
	check_u64(100, "100");
	check_u64(1000000, "1000000");
	check_u64(UINT64_MAX, "18446744073709551615");
	obuf_i64(o, INT64_MIN);
	obuf_i64(o, INT64_MAX);
	obuf_i64(o, -1);
	obuf_i64(o, 0);
	for (i = 0; i < 10000; i++) {
		v = (int64_t)((uint64_t)rnd(&seed) << 32 | rnd(&seed));
		v >>= rnd(&seed) % 64;
		obuf_i64(o, v);
		obuf_putc(o, ' ');
	}
	obuf_free(o);
	out = slurp(f, NULL);
	CHECK(strncmp(out, "-9223372036854775808" "9223372036854775807"
	    "-1" "0", 42) == 0);
	seed = 99;
	for (i = 0, w = 42; i < 10000; i++, w += strlen(want)) {
		v = (int64_t)((uint64_t)rnd(&seed) << 32 | rnd(&seed));
		v >>= rnd(&seed) % 64;
		snprintf(want, sizeof(want), "%" PRId64 " ", v);
		if (strncmp(out + w, want, strlen(want)) != 0)
			break;
	}
	CHECK_INT(i, 10000);
	free(out);
	fclose(f);
}

static void
test_printf_time(void)
{
	FILE *f = tmpfile();
	struct obuf *o = obuf_new(fileno(f), 64);
	char want[4096], big[1000], *out;
	size_t n;

	memset(big, 'b', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	obuf_puts(o, "0123456789012345678901234567890123456789012345678");
	obuf_printf(o, "[%d:%s]", 42, "abcdefghijklmnopqrstuvwxyz");
	obuf_printf(o, "<%s>", big);
	obuf_time(o, 0);
	obuf_putc(o, ' ');
	obuf_time(o, 1763720262120);
	obuf_free(o);
	out = slurp(f, NULL);
	n = (size_t)snprintf(want, sizeof(want), "%s[42:%s]<%s>",
	    "0123456789012345678901234567890123456789012345678",
	    "abcdefghijklmnopqrstuvwxyz", big);
	n += tp_format(0, want + n);
	want[n++] = ' ';
	n += tp_format(1763720262120, want + n);
	want[n] = '\0';
	CHECK_STR(out, want);
	free(out);
	fclose(f);
}

static void
test_pending_large(void)
{
	FILE *f = tmpfile();
	struct obuf *o = obuf_new(fileno(f), 4096);
	size_t n = 1024 * 1024, off = 0, k, len;
	uint32_t seed = 5;
	char *in = xmalloc(n), *out;

	for (k = 0; k < n; k++)
		in[k] = (char)rnd(&seed);
	obuf_put(o, in, 10);
	CHECK_INT(obuf_pending(o), 10);
	CHECK_INT(obuf_flush(o), 0);
	CHECK_INT(obuf_pending(o), 0);
	for (off = 10; off < n; off += k) {
		k = rnd(&seed) % 3 ? rnd(&seed) % 100 : rnd(&seed) % 20000;
		k = k < n - off ? k : n - off;
		obuf_put(o, in + off, k);
	}
	CHECK_INT(obuf_error(o), 0);
	obuf_free(o);
	out = slurp(f, &len);
	CHECK(len == n && memcmp(out, in, n) == 0);
	free(in);
	free(out);
	fclose(f);
}

static void
test_epipe(void)
{
	char big[10000];
	struct obuf *o;
	int fds[2];

	signal(SIGPIPE, SIG_IGN);
	CHECK(pipe(fds) == 0);
	close(fds[0]);
	o = obuf_new(fds[1], 64);
	obuf_puts(o, "hello");
	CHECK_INT(obuf_error(o), 0);
	CHECK_INT(obuf_flush(o), -1);
	CHECK_INT(obuf_error(o), EPIPE);
	memset(big, 'x', sizeof(big));
	obuf_put(o, big, sizeof(big));
	obuf_text(o, S("\x1b more"));
	obuf_json(o, S("\xff more"));
	obuf_printf(o, "%s", "more");
	obuf_u64(o, 12345);
	obuf_putc(o, 'c');
	CHECK_INT(obuf_pending(o), 0);
	CHECK_INT(obuf_flush(o), -1);
	CHECK_INT(obuf_error(o), EPIPE);
	obuf_free(o);
	/* A write larger than the buffer goes straight to the fd. */
	o = obuf_new(fds[1], 64);
	obuf_put(o, big, sizeof(big));
	CHECK_INT(obuf_error(o), EPIPE);
	obuf_free(o);
	close(fds[1]);
	o = obuf_new(1000, 0);		/* no such descriptor */
	obuf_putc(o, 'x');
	CHECK_INT(obuf_flush(o), -1);
	CHECK_INT(obuf_error(o), EBADF);
	obuf_free(o);
	obuf_free(NULL);
}

/* fd -1: in memory, growing past the first capacity, never flushed. */
static void
test_memory(void)
{
	struct obuf *o = obuf_new(-1, 64);
	const char *p;
	size_t len, i;

	for (i = 0; i < 1000; i++)
		obuf_putc(o, (char)('a' + i % 26));
	obuf_put(o, "0123456789", 10);
	obuf_text(o, "\x1b", 1);
	CHECK_INT(obuf_flush(o), 0);
	p = obuf_data(o, &len);
	CHECK_INT(len, 1014);
	CHECK(len == 1014 && p[0] == 'a' && p[999] == 'l' &&
	    memcmp(p + 1000, "0123456789\\x1b", 14) == 0);
	obuf_clear(o);
	obuf_data(o, &len);
	CHECK_INT(len, 0);
	obuf_free(o);
}

static volatile sig_atomic_t nsig;

static void
count_sig(int sig)
{
	(void)sig;
	nsig++;
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

/* Copy the pipe to fd in small reads, signalling the writer each time. */
static void
slow_reader(int in, int out)
{
	char b[1000];
	ssize_t n;

	while ((n = read(in, b, sizeof(b))) > 0) {
		kill(getppid(), SIGUSR1);
		if (write(out, b, (size_t)n) != n)
			_exit(1);
	}
	_exit(n == 0 ? 0 : 1);
}

/* Signals without SA_RESTART cut writes short or fail them with EINTR. */
static void
test_short_writes(void)
{
	size_t n = 2 * 1024 * 1024, len, i;
	FILE *f = tmpfile();
	struct sigaction sa, old;
	struct obuf *o;
	uint32_t seed = 11;
	char *in = xmalloc(n), *out;
	int fds[2];
	pid_t pid;

	for (i = 0; i < n; i++)
		in[i] = (char)rnd(&seed);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = count_sig;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, &old);
	CHECK(pipe(fds) == 0);
	if ((pid = fork()) == 0) {
		free(in);
		close(fds[1]);
		slow_reader(fds[0], fileno(f));
	}
	close(fds[0]);
	o = obuf_new(fds[1], 256 * 1024);
	for (i = 0; i < n; i += 1000)
		obuf_put(o, in + i, n - i < 1000 ? n - i : 1000);
	CHECK_INT(obuf_flush(o), 0);
	obuf_free(o);
	close(fds[1]);
	CHECK(child_ok(pid));
	sigaction(SIGUSR1, &old, NULL);
	CHECK(nsig > 0);
	out = slurp(f, &len);
	CHECK(len == n && memcmp(out, in, n) == 0);
	free(in);
	free(out);
	fclose(f);
}

/* Records marked: none unwritten on a file; all of them after EPIPE. */
static void
test_marks(void)
{
	FILE *f = tmpfile();
	struct obuf *o;
	char big[200];
	int fds[2], i;

	o = obuf_new(fileno(f), 64);
	memset(big, 'r', sizeof(big));
	for (i = 0; i < 10; i++) {
		obuf_put(o, big, (size_t)(i * 20));
		obuf_mark(o);
	}
	CHECK_INT(obuf_flush(o), 0);
	CHECK_INT(obuf_unwritten(o), 0);
	obuf_free(o);
	fclose(f);

	signal(SIGPIPE, SIG_IGN);
	CHECK(pipe(fds) == 0);
	close(fds[0]);
	o = obuf_new(fds[1], 64);
	obuf_puts(o, "one\n");
	obuf_mark(o);
	obuf_puts(o, "two\n");
	obuf_mark(o);
	CHECK_INT(obuf_unwritten(o), 2);	/* pending */
	CHECK_INT(obuf_flush(o), -1);
	CHECK_INT(obuf_unwritten(o), 2);
	obuf_puts(o, "three\n");
	obuf_mark(o);
	CHECK_INT(obuf_unwritten(o), 3);
	obuf_free(o);
	close(fds[1]);
}

static volatile sig_atomic_t stop_flag;

static void
stop_sig(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * A pipe nobody reads: the write waits until a stop signal comes, then
 * drops what the pipe does not take (ECANCELED); every record is in the
 * pipe whole or counted unwritten. With the flag set, what fits in the
 * pipe is still written.
 */
static void
test_stop(void)
{
	struct sigaction sa, old;
	struct obuf *o;
	sigset_t sigs;
	char rec[100], buf[4096];
	size_t got = 0, i;
	ssize_t n;
	double t0;
	int fds[2], nrec = 3000;
	pid_t pid;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = stop_sig;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR2, &sa, &old);
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGUSR2);
	CHECK(pipe(fds) == 0);
	stop_flag = 0;
	if ((pid = fork()) == 0) {
		struct timespec ts = { 0, 200 * 1000 * 1000 };

		close(fds[0]);
		close(fds[1]);
		nanosleep(&ts, NULL);
		kill(getppid(), SIGUSR2);
		_exit(0);
	}
	o = obuf_new(fds[1], 4096);
	obuf_set_stop(o, &stop_flag, &sigs);
	memset(rec, 'x', sizeof(rec) - 1);
	rec[sizeof(rec) - 1] = '\n';
	t0 = now_s();
	for (i = 0; i < (size_t)nrec; i++) {
		obuf_put(o, rec, sizeof(rec));
		obuf_mark(o);
	}
	obuf_flush(o);
	CHECK(now_s() - t0 < 5);
	CHECK(stop_flag == 1);
	CHECK_INT(obuf_error(o), ECANCELED);
	close(fds[1]);
	while ((n = read(fds[0], buf, sizeof(buf))) > 0)
		got += (size_t)n;
	close(fds[0]);
	CHECK(got > 0 && got < (size_t)nrec * sizeof(rec));
	CHECK_INT(got / sizeof(rec) + obuf_unwritten(o), nrec);
	obuf_free(o);
	CHECK(child_ok(pid));

	/* Stopped already: a pipe with room still takes the bytes. */
	CHECK(pipe(fds) == 0);
	o = obuf_new(fds[1], 64);
	obuf_set_stop(o, &stop_flag, &sigs);
	obuf_puts(o, "still written\n");
	obuf_mark(o);
	CHECK_INT(obuf_flush(o), 0);
	CHECK_INT(obuf_unwritten(o), 0);
	obuf_free(o);
	close(fds[1]);
	n = read(fds[0], buf, sizeof(buf));
	CHECK_INT(n, 14);
	close(fds[0]);
	sigaction(SIGUSR2, &old, NULL);
	stop_flag = 0;
}

/* An O_NONBLOCK fd (stdout shared with a non-blocking stdin): EAGAIN
   waits for room instead of failing. */
static void
test_nonblock(void)
{
	size_t n = 1024 * 1024, len, i;
	FILE *f = tmpfile();
	struct sigaction sa, old;
	struct obuf *o;
	char *in = xmalloc(n), *out;
	int fds[2];
	pid_t pid;

	for (i = 0; i < n; i++)
		in[i] = (char)('a' + i % 26);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = count_sig;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, &old);
	CHECK(pipe(fds) == 0);
	if ((pid = fork()) == 0) {
		close(fds[1]);
		slow_reader(fds[0], fileno(f));
	}
	close(fds[0]);
	fcntl(fds[1], F_SETFL, fcntl(fds[1], F_GETFL) | O_NONBLOCK);
	o = obuf_new(fds[1], 4096);
	obuf_put(o, in, n);
	CHECK_INT(obuf_flush(o), 0);
	CHECK_INT(obuf_error(o), 0);
	obuf_free(o);
	close(fds[1]);
	CHECK(child_ok(pid));
	sigaction(SIGUSR1, &old, NULL);
	out = slurp(f, &len);
	CHECK(len == n && memcmp(out, in, n) == 0);
	free(in);
	free(out);
	fclose(f);
}

/* The reader gone is seen without writing; a file never is "gone". */
static void
test_gone(void)
{
	FILE *f = tmpfile();
	struct obuf *o;
	int fds[2];

	CHECK(pipe(fds) == 0);
	o = obuf_new(fds[1], 64);
	CHECK_INT(obuf_gone(o), 0);
	close(fds[0]);
	CHECK_INT(obuf_gone(o), 1);
	CHECK_INT(obuf_error(o), EPIPE);
	obuf_free(o);
	close(fds[1]);
	o = obuf_new(fileno(f), 64);
	CHECK_INT(obuf_gone(o), 0);
	obuf_free(o);
	fclose(f);
}

int
main(void)
{
	test_memory();
	test_text_controls();
	test_text_utf8();
	test_text_backslash();
	test_field();
	test_roundtrip();
	test_json();
	test_all_bytes();
	test_random_bytes();
	test_numbers();
	test_printf_time();
	test_pending_large();
	test_epipe();
	test_short_writes();
	test_marks();
	test_stop();
	test_nonblock();
	test_gone();
	T_DONE();
}
