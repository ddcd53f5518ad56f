/*
 * fuzz_lines: the whole line pipeline on arbitrary input, with the
 * shipped rules (loaded once) and low settings so that alerts happen:
 * gzread (plain or gzip) → reader → engine (source, customer, time,
 * rules, window table) → alerts, once as text (or -x) and once as JSON.
 *
 * Byte 0 picks options, the rest is the input:
 *   bit 0 -x on the text run    bits 1-2 evidence 0, 1, 5, 40
 *   bit 3 max-customers 2       bit 4 max-line 80
 *   bit 5 cooldown 0            bits 6-7 forced source: none, 0, 1, 2
 *
 * The promises checked (obuf.h, alert.h, cxwatch(1) ALERTS): every JSON
 * line is one valid JSON object, one per alert; the text output is valid
 * UTF-8 with no control byte but tab and newline and none of the code
 * points obuf_text() escapes, every backslash in it starts one of the
 * escapes \\, \xHH and \u{XXXX} (so it reads back), and its lines are
 * the alerts' (or -x's one per input line) and their indented evidence,
 * so no input byte could start a line of its own; an alert's customer is
 * one blank-free word, followed by its reason; both runs alert alike;
 * every line is accounted for once in the counters (lines_check_counts()),
 * a json or logfmt line read or counted unparsable.
 */
#define _GNU_SOURCE		/* memmem() */

#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "engine.h"
#include "fuzz.h"
#include "gzread.h"
#include "obuf.h"
#include "reader.h"
#include "rules.h"

#define S_ARGS(lit)	lit, sizeof(lit) - 1

struct mem {
	const uint8_t	*p;
	size_t		 len, off, calls;
};

/*
 * The shipped rules with -T 2 -C 2, so that alerts are common; [1] with
 * -c 0 as well. Loaded once; a rule set is never written to.
 */
static struct ruleset	*lines_sets[2];
static struct ruleset	*lines_rs;
static uint64_t		 lines_alerts;		/* for the self test */

/* Hand the bytes out in pieces of varying size, as pipes do. */
static ssize_t
lines_fill(void *ctx, char *buf, size_t len)
{
	static const size_t sizes[] = { 4096, 1, 7, 64, 65536 };
	struct mem *m = ctx;
	size_t n = sizes[m->calls++ % 5];

	if (n > len)
		n = len;
	if (n > m->len - m->off)
		n = m->len - m->off;
	memcpy(buf, m->p + m->off, n);
	m->off += n;
	return (ssize_t)n;
}

static void
lines_init(void)
{
	static char path[] = FUZZ_TOP "/rules";
	char *paths[] = { path };
	struct rules_overrides ov = { -1, -1, 2, 2 };
	struct diag d;
	int i;

	for (i = 0; i < 2; i++) {
		ov.cooldown = i == 0 ? -1 : 0;
		diag_init(&d);
		if ((lines_sets[i] = rules_load(paths, 1, &ov, &d)) == NULL)
			fuzz_fail("%s: %s", paths[0], d.nmsgs > 0 ?
			    d.msgs[0] : "?");
		diag_free(&d);
	}
	lines_rs = lines_sets[0];
}

/* Length of the code point obuf_text() must never let through at s. */
static size_t
lines_forbidden(const unsigned char *s, size_t n)
{
	if (s[0] == 0x7f || (s[0] < 0x20 && s[0] != '\t' && s[0] != '\n'))
		return 1;
	if (n >= 2 && s[0] == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f)
		return 2;	/* C1 */
	if (n >= 3 && s[0] == 0xe2 && s[1] == 0x80 && s[2] >= 0xa8 &&
	    s[2] <= 0xae)
		return 3;	/* U+2028..U+202E */
	if (n >= 3 && s[0] == 0xe2 && s[1] == 0x81 && s[2] >= 0xa6 &&
	    s[2] <= 0xa9)
		return 3;	/* U+2066..U+2069 */
	return 0;
}

/* Length of the text escape at s (s[0] is a backslash), or 0. */
static size_t
lines_escape_len(const char *s, size_t n)
{
	const char *hex = "0123456789abcdef";
	size_t i;

	if (n >= 2 && s[1] == '\\')
		return 2;
	if (n >= 4 && s[1] == 'x' && s[2] != '\0' && s[3] != '\0' &&
	    strchr(hex, s[2]) != NULL && strchr(hex, s[3]) != NULL)
		return 4;
	if (n < 8 || s[1] != 'u' || s[2] != '{' || s[7] != '}')
		return 0;
	for (i = 3; i < 7; i++)
		if (s[i] == '\0' || strchr(hex, s[i]) == NULL)
			return 0;
	return 8;
}

/*
 * An alert's first line: "TIME ALERT ID detector=NAME reason=", ID free
 * of blanks.
 */
static int
lines_head_ok(const char *p, size_t len)
{
	const char *id, *end = p + len, *sp;

	if ((id = memmem(p, len, " ALERT ", 7)) == NULL)
		return 0;
	id += 7;
	if ((sp = memchr(id, ' ', (size_t)(end - id))) == NULL || sp == id ||
	    memchr(id, '\t', (size_t)(sp - id)) != NULL)
		return 0;
	if (end - sp <= 10 || memcmp(sp, " detector=", 10) != 0)
		return 0;
	sp += 10;
	if ((sp = memchr(sp, ' ', (size_t)(end - sp))) == NULL)
		return 0;
	return end - sp > 8 && memcmp(sp, " reason=", 8) == 0;
}

/*
 * The text run's output for one input line: safe bytes, and lines that
 * are alert summaries (or, with -x, the line's account), "  " evidence
 * or "  => " results. Returns the number of summary or account lines.
 */
static uint64_t
lines_check_text(const char *p, size_t len, int explain)
{
	const char *nl, *end = p + len;
	const unsigned char *u = (const unsigned char *)p;
	uint64_t heads = 0;
	size_t i, k;

	for (i = 0; i < len; i++) {
		if (lines_forbidden(u + i, len - i) != 0)
			fuzz_fail("text output: forbidden byte 0x%02x at %zu",
			    u[i], i);
		if (p[i] != '\\')
			continue;
		if ((k = lines_escape_len(p + i, len - i)) == 0)
			fuzz_fail("text output: backslash at %zu starts no "
			    "escape", i);
		i += k - 1;
	}
	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			fuzz_fail("text output: line without a newline");
		if (nl - p >= 2 && p[0] == ' ' && p[1] == ' ')
			continue;
		if (explain ? strncmp(p, "fuzz:", 5) != 0 :
		    !lines_head_ok(p, (size_t)(nl - p)))
			fuzz_fail("text output: stray line \"%.*s\"",
			    (int)(nl - p), p);
		heads++;
	}
	return heads;
}

/* Every line one JSON object; returns how many. */
static uint64_t
lines_check_json(const char *p, size_t len)
{
	const char *why, *nl, *end = p + len;
	uint64_t n = 0;

	for (; p < end; p = nl + 1, n++) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			fuzz_fail("JSON output: line without a newline");
		if (*p != '{')
			fuzz_fail("JSON output: not an object");
		if (fuzz_json_check(p, (size_t)(nl - p), &why) == -1)
			fuzz_fail("JSON output: %s: %.*s", why,
			    (int)(nl - p), p);
	}
	return n;
}

/*
 * Every line is unmatched or claimed by one source (semantics 1), and a
 * claimed line is one of: unparsable (json and logfmt sources only), no
 * customer, anonymous, bad time, no rule, an event or a forgiving line
 * (semantics 2 and 3).
 */
static void
lines_check_counts(const struct engine_stats *st)
{
	uint64_t claimed = 0, unparsable = 0, ends;
	size_t i;

	for (i = 0; i < lines_rs->nsources; i++) {
		claimed += st->srclines[i];
		unparsable += st->srcunparsable[i];
		if (st->srcunparsable[i] > st->srclines[i] ||
		    (lines_rs->sources[i].format == SOURCE_REGEX &&
		    st->srcunparsable[i] != 0))
			fuzz_fail("source %zu: %llu unparsable of %llu lines", i,
			    (unsigned long long)st->srcunparsable[i],
			    (unsigned long long)st->srclines[i]);
	}
	ends = st->unparsable + st->nocustomer + st->anonymous +
	    st->badtime + st->norule + st->events + st->forgiving;
	if (st->lines != st->unmatched + claimed ||
	    st->unparsable != unparsable || ends != claimed)
		fuzz_fail("%llu lines: %llu unmatched, %llu claimed, %llu "
		    "unparsable (%llu by source), %llu accounted for",
		    (unsigned long long)st->lines,
		    (unsigned long long)st->unmatched,
		    (unsigned long long)claimed,
		    (unsigned long long)st->unparsable,
		    (unsigned long long)unparsable, (unsigned long long)ends);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned evidence[] = { 0, 1, 5, 40 };
	struct engine_opts to, jo;
	struct engine *te, *je;
	struct obuf *tout, *jout;
	struct gzread *gz;
	struct reader *r;
	struct mem m;
	const char *line, *p;
	size_t len, plen;
	uint64_t heads, jlines, alerts, jalerts;
	int flags, forced, rc;

	if (lines_sets[0] == NULL)
		lines_init();
	if (size == 0)
		return 0;
	flags = data[0];
	lines_rs = lines_sets[(flags & 0x20) != 0];
	forced = ((flags >> 6) & 3) - 1;
	if (forced >= (int)lines_rs->nsources)
		forced = -1;
	memset(&to, 0, sizeof(to));
	to.format = ALERT_TEXT;
	to.evidence = evidence[(flags >> 1) & 3];
	to.max_customers = flags & 0x08 ? 2 : 1000000;
	to.explain = flags & 0x01;
	jo = to;
	jo.format = ALERT_JSON;
	jo.explain = 0;
	tout = obuf_new(-1, 0);
	jout = obuf_new(-1, 0);
	te = engine_new(lines_rs, &to, tout);
	je = engine_new(lines_rs, &jo, jout);
	m.p = data + 1;
	m.len = size - 1;
	m.off = m.calls = 0;
	gz = gzread_new(lines_fill, &m);
	r = reader_new(gzread_fill, gz, flags & 0x10 ? 80 : 64 * 1024);
	heads = jlines = 0;
	while ((rc = reader_next(r, &line, &len)) == 1) {
		engine_line(te, "fuzz", reader_lineno(r), forced, line, len);
		engine_line(je, "fuzz", reader_lineno(r), forced, line, len);
		p = obuf_data(tout, &plen);
		heads += lines_check_text(p, plen, to.explain);
		obuf_clear(tout);
		p = obuf_data(jout, &plen);
		jlines += lines_check_json(p, plen);
		obuf_clear(jout);
	}
	if (rc == -1 && gzread_error(gz) == NULL)
		fuzz_fail("read error from memory");
	alerts = engine_stats(te)->wt.alerts;
	jalerts = engine_stats(je)->wt.alerts;
	if (alerts != jalerts || jlines != jalerts)
		fuzz_fail("text run %llu alerts, JSON run %llu in %llu lines",
		    (unsigned long long)alerts, (unsigned long long)jalerts,
		    (unsigned long long)jlines);
	if (heads != (to.explain ? engine_stats(te)->lines : alerts))
		fuzz_fail("%llu text heads for %llu alerts, %llu lines",
		    (unsigned long long)heads, (unsigned long long)alerts,
		    (unsigned long long)engine_stats(te)->lines);
	lines_check_counts(engine_stats(te));
	lines_alerts += alerts;
	reader_free(r);
	gzread_free(gz);
	engine_free(te);
	engine_free(je);
	obuf_free(tout);
	obuf_free(jout);
	return 0;
}

/* The sample day alerts, the same in both runs, with and without -x. */
int
fuzz_selftest(void)
{
	static const char *bad[] = { "{\"a\":1,}", "[1 2]", "\"\x01\"",
	    "\"\xc0\xaf\"", "\"\\ud800\"", "01", "{\"a\"}", "\"\\x41\"",
	    "1.", "tru", "\"\xed\xa0\x80\"" };
	static const char *good[] = { "{\"a\":[1,-2.5e+3,true,null,{}]}",
	    "\"\\ud83d\\ude00 \xc3\xa9\\n\"", " 0 " };
	const char *why;
	uint8_t *buf;
	size_t i, len;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (fuzz_json_check(bad[i], strlen(bad[i]), &why) == 0)
			fuzz_fail("JSON checker took %s", bad[i]);
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (fuzz_json_check(good[i], strlen(good[i]), &why) == -1)
			fuzz_fail("JSON checker refused %s: %s", good[i], why);
	if (lines_forbidden((const unsigned char *)"\xc2\x85", 2) != 2 ||
	    lines_forbidden((const unsigned char *)"\xe2\x80\xae", 3) != 3 ||
	    lines_forbidden((const unsigned char *)"\x1b", 1) != 1 ||
	    lines_forbidden((const unsigned char *)"\xc3\xa9", 2) != 0 ||
	    lines_escape_len("\\\\", 2) != 2 ||
	    lines_escape_len("\\x1b", 4) != 4 ||
	    lines_escape_len("\\u{202e}", 8) != 8 ||
	    lines_escape_len("\\x1", 3) != 0 ||
	    lines_escape_len("\\x1B", 4) != 0 ||
	    lines_escape_len("\\u{202e", 7) != 0 ||
	    lines_escape_len("\\q", 2) != 0 ||
	    !lines_head_ok(S_ARGS("T ALERT C1 detector=d reason=score s=1/1")) ||
	    lines_head_ok(S_ARGS("T ALERT C1 reason=score score=1/1")) ||
	    lines_head_ok(S_ARGS("T ALERT Value 63 detector=d reason=score")) ||
	    lines_head_ok(S_ARGS("T ALERT a\tb detector=d reason=score")))
		fuzz_fail("text checker broken");
	/*
	 * Hostile ids reach the oracle: a blank, a tab, a lone backslash
	 * (JSON escapes, decoded: the billing source reads JSON).
	 */
	for (i = 0; i < 2; i++) {
		static const char ids[] = "\x00"
		    "{\"ts\":\"2026-11-21T00:00:00Z\",\"event\":"
		    "\"charge.duplicated\",\"customer\":\"Value 63\"}\n"
		    "{\"ts\":\"2026-11-21T00:00:01Z\",\"event\":"
		    "\"charge.duplicated\",\"customer\":\"A\\\\qB\\\\\"}\n"
		    "{\"ts\":\"2026-11-21T00:00:02Z\",\"event\":"
		    "\"charge.duplicated\",\"customer\":\"a\\tb\"}\n";
		uint8_t in[sizeof(ids) - 1];

		memcpy(in, ids, sizeof(in));
		in[0] = (uint8_t)i;
		lines_alerts = 0;
		LLVMFuzzerTestOneInput(in, sizeof(in));
		if (lines_alerts != 3)
			fuzz_fail("%llu alerts for 3 hostile ids",
			    (unsigned long long)lines_alerts);
	}
	buf = fuzz_slurp(FUZZ_TOP "/tests/data/sample/web.log", 1, &len);
	for (i = 0; i < 4; i++) {
		buf[0] = (uint8_t[]){ 0x00, 0x01, 0x06, 0x2c }[i];
		lines_alerts = 0;
		LLVMFuzzerTestOneInput(buf, len);
		if (lines_alerts == 0)
			fuzz_fail("no alerts from web.log with flags 0x%02x",
			    buf[0]);
	}
	free(buf);
	return 0;
}
