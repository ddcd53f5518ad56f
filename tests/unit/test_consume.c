/*
 * test_consume: a --consume worker's position, as a checkpoint holds it
 * (consume.h): what consume_import() reads, consume_export() writes back
 * the same; and a position from anywhere -- truncated, mangled, random
 * bytes -- is refused or read, never a crash, never an overflow.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "consume.h"
#include "diag.h"
#include "engine.h"
#include "obuf.h"
#include "rules.h"

static const char *const test_rules =
    "[settings]\nwindow = 1h\nthreshold = 1\ncooldown = 1h\nchannels = 0\n"
    "[source t]\nformat = template\ntemplate = $time $customer $what\n"
    "timefmt = iso8601\n[rule fail]\nsource = t\nif = what == fail\n";

static struct ruleset *rs;
static struct engine *e;
static struct obuf *out;

static struct consume *
test_new(void)
{
	struct consume_conf cc;

	memset(&cc, 0, sizeof(cc));
	cc.nproducers = 2;
	return consume_new(e, rs, out, "cx", &cc);
}

/* text in, text out: the same bytes; *resume as given. */
static void
test_roundtrip(const char *text, uint64_t want)
{
	struct consume *c = test_new();
	struct obuf *o = obuf_new(-1, 256);
	const char *got;
	uint64_t resume = 0;
	char *cause = NULL;
	size_t len;

	CHECK_INT(consume_import(c, text, strlen(text), &resume, &cause), 0);
	CHECK(cause == NULL);
	CHECK_INT(resume, want);
	consume_export(c, o);
	got = obuf_data(o, &len);
	CHECK(len == strlen(text) && memcmp(got, text, len) == 0);
	if (!(len == strlen(text) && memcmp(got, text, len) == 0))
		fprintf(stderr, "got:\n%.*s\nwant:\n%s", (int)len, got, text);
	obuf_free(o);
	consume_free(c);
}

static void
test_refused(const char *text, size_t len)
{
	struct consume *c = test_new();
	uint64_t resume;
	char *cause = NULL;

	CHECK_INT(consume_import(c, text, len, &resume, &cause), -1);
	CHECK(cause != NULL && strstr(cause, "position") != NULL);
	free(cause);
	consume_free(c);
}

static void
test_positions(void)
{
	/* Fresh: nothing read, nothing released. */
	test_roundtrip("cxwatch-consume 1\nresume 1\nseen 0\nreleased none\n"
	    "maxwall -9223372036854775808\n", 1);
	/* Two producers, "web" released last; one ended, one idle. */
	test_roundtrip("cxwatch-consume 1\nresume 17\nseen 40\nreleased "
	    "1764288000000 12 776562\nmaxwall 1764288090000\n"
	    "producer 1764288000500 1764288090000 0 0 776562\n"
	    "producer 1764287999000 1764288080000 1 1 62696c6c696e67\n", 17);
	/* A name with bytes a terminal must not see, in hex. */
	test_roundtrip("cxwatch-consume 1\nresume 3\nseen 2\nreleased none\n"
	    "maxwall 5\nproducer 1 5 0 0 1b5b324a0a\n", 3);
}

static void
test_hostile(void)
{
	static const char *const bad[] = {
		"",
		"cxwatch-consume 2\nresume 1\n",
		"cxwatch-consume 1\n",				/* no resume */
		"cxwatch-consume 1\nresume 0\n",
		"cxwatch-consume 1\nresume x\n",
		"cxwatch-consume 1\nresume 1 2\n",
		"cxwatch-consume 1\nresume 1\nreleased 5 6 zz\n",
		"cxwatch-consume 1\nresume 1\nreleased 5 6 7\n",  /* odd hex */
		"cxwatch-consume 1\nresume 1\nreleased 5 6 \n",   /* no name */
		"cxwatch-consume 1\nresume 1\nproducer 1 2 0 0\n",
		"cxwatch-consume 1\nresume 1\nmaxwall\n",
		"cxwatch-consume 1\nresume 1\nwhat 1\n",
		"resume 1\ncxwatch-consume 1\n",
	};
	char buf[4096], big[2000];
	size_t i, j, n;
	struct consume *c;
	uint64_t resume;
	char *cause;
	unsigned r = 12345;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		test_refused(bad[i], strlen(bad[i]));
	/* A name past what a producer's can be: refused, not overrun. */
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	n = (size_t)snprintf(buf, sizeof(buf), "cxwatch-consume 1\nresume 1\n"
	    "producer 1 2 0 0 %s\n", big);
	test_refused(buf, n);
	/* A NUL inside: the rest is not read. */
	test_refused("cxwatch-consume 1\0resume 1\n", 27);
	/* Random bytes and mangled good ones: never a crash. */
	for (i = 0; i < 2000; i++) {
		n = (size_t)snprintf(buf, sizeof(buf), "cxwatch-consume 1\n"
		    "resume 17\nseen 40\nreleased 1 12 776562\nmaxwall 9\n"
		    "producer 1 2 0 0 776562\n");
		for (j = 0; j < 1 + i % 8; j++) {
			r = r * 1103515245u + 12345u;
			buf[(r >> 8) % n] = (char)(r >> 20);
		}
		c = test_new();
		cause = NULL;
		if (consume_import(c, buf, n, &resume, &cause) == -1)
			CHECK(cause != NULL);
		else
			CHECK(resume > 0);
		free(cause);
		consume_free(c);
	}
}

int
main(void)
{
	struct engine_opts eo;
	struct diag d;

	diag_init(&d);
	rs = rules_load_text("t.rules", test_rules, NULL, &d);
	CHECK(rs != NULL);
	diag_free(&d);
	if (rs == NULL)
		T_DONE();
	out = obuf_new(-1, 1024);
	memset(&eo, 0, sizeof(eo));
	eo.evidence = 1;
	eo.max_customers = 1000;
	eo.evidence_memory = 1 << 20;
	e = engine_new(rs, &eo, out);
	test_positions();
	test_hostile();
	engine_free(e);
	obuf_free(out);
	rules_free(rs);
	T_DONE();
}
