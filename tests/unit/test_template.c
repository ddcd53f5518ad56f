/*
 * test_template: templates (template.h), rule by rule: names and $$,
 * the compile errors and that a failed layout leaves the template as it
 * was, fitting (shortest run, no second try, the end of the line, empty
 * values, a last field), layouts tried in order with absent fields, and
 * hostile lines: every line is scanned from a heap copy of exactly its
 * length, with no NUL after it, so an overread trips AddressSanitizer.
 * Last, a brute force check of rule 3 against a reference written the
 * slow way, on every string of up to six bytes over a small alphabet.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "template.h"
#include "xmalloc.h"

#define MAXF	16

static struct template_value v[MAXF];

/* Compile one layout, or NULL (the cause freed). */
static struct template *
tpl(const char *text)
{
	struct template *t = template_new();
	char *cause = NULL;

	if (template_add(t, text, &cause) == -1) {
		free(cause);
		template_free(t);
		return NULL;
	}
	return t;
}

/* The cause compiling text gives, or "ok". */
static const char *
cause_of(const char *text)
{
	static char buf[256];
	struct template *t = template_new();
	char *cause = NULL;

	if (template_add(t, text, &cause) == 0)
		snprintf(buf, sizeof(buf), "ok");
	else {
		snprintf(buf, sizeof(buf), "%s", cause);
		free(cause);
	}
	template_free(t);
	return buf;
}

/* Scan line from an exact heap copy; the layout, or -1. */
static int
scan(const struct template *t, const char *line)
{
	size_t len = strlen(line);
	char *copy = xmalloc(len > 0 ? len : 1);
	int rc;

	memcpy(copy, line, len);
	rc = template_scan(t, copy, len, v);
	/* Values as offsets, so that the copy may go. */
	for (size_t i = 0; rc >= 0 && i < template_nfields(t); i++)
		if (v[i].p != NULL)
			v[i].p = line + (v[i].p - copy);
	free(copy);
	return rc;
}

/* Field name's value as a string, "(absent)" when it has none. */
static const char *
val(const struct template *t, const char *name)
{
	static char buf[4][256];
	static int which;
	char *o = buf[which = (which + 1) & 3];
	int f = template_field(t, name);

	if (f < 0)
		return "(no such field)";
	if (v[f].p == NULL)
		return "(absent)";
	snprintf(o, sizeof(buf[0]), "%.*s", (int)v[f].len, v[f].p);
	return o;
}

static void
test_names(void)
{
	struct template *t;

	t = tpl("$a_1 ${b}c $$d $_e");
	CHECK(t != NULL);
	CHECK_INT(template_nfields(t), 3);
	CHECK_STR(template_name(t, 0), "a_1");
	CHECK_STR(template_name(t, 1), "b");
	CHECK_STR(template_name(t, 2), "_e");
	CHECK_INT(template_field(t, "b"), 1);
	CHECK_INT(template_field(t, "c"), -1);
	CHECK_INT(template_field(t, "d"), -1);
	/* "${b}c $$d " is text: "c $d ". */
	CHECK_INT(scan(t, "x yc $d z"), 0);
	CHECK_STR(val(t, "a_1"), "x");
	CHECK_STR(val(t, "b"), "y");
	CHECK_STR(val(t, "_e"), "z");
	CHECK_INT(scan(t, "x yc $$d z"), -1);
	template_free(t);
	/* A text-only layout fits only itself. */
	t = tpl("$$ok");
	CHECK_INT(template_nfields(t), 0);
	CHECK_INT(scan(t, "$ok"), 0);
	CHECK_INT(scan(t, "$ok "), -1);
	CHECK_INT(scan(t, "$o"), -1);
	template_free(t);
}

static void
test_errors(void)
{
	struct template *t;
	char *cause = NULL;

	CHECK_STR(cause_of(""), "an empty template");
	CHECK_STR(cause_of("$a$b"),
	    "two fields with no text between them (at byte 2)");
	CHECK_STR(cause_of("${a}${b}"),
	    "two fields with no text between them (at byte 4)");
	CHECK_STR(cause_of("$a $a"), "field a named twice (at byte 3)");
	CHECK_STR(cause_of("x $ y"),
	    "a $ with no field name after it (at byte 2; write $$ for a $)");
	CHECK_STR(cause_of("x $1a"),
	    "a $ with no field name after it (at byte 2; write $$ for a $)");
	CHECK_STR(cause_of("x $"),
	    "a $ with no field name after it (at byte 2; write $$ for a $)");
	CHECK_STR(cause_of("${a"), "${ must hold a field name and a } "
	    "(at byte 0)");
	CHECK_STR(cause_of("${}"), "${ must hold a field name and a } "
	    "(at byte 0)");
	CHECK_STR(cause_of("${a b}"), "${ must hold a field name and a } "
	    "(at byte 0)");
	CHECK_STR(cause_of("$a-$b"), "ok");
	/* A layout that fails adds neither itself nor its new names. */
	t = tpl("$a $b");
	CHECK(template_add(t, "$a $c $c", &cause) == -1);
	free(cause);
	CHECK_INT(template_nlayouts(t), 1);
	CHECK_INT(template_nfields(t), 2);
	CHECK_INT(template_field(t, "c"), -1);
	template_free(t);
}

static void
test_fit(void)
{
	struct template *t;

	/* The shortest run that the whole text follows. */
	t = tpl("$a: $b");
	CHECK_INT(scan(t, "x:y: z"), 0);
	CHECK_STR(val(t, "a"), "x:y");
	CHECK_STR(val(t, "b"), "z");
	CHECK_INT(scan(t, ": "), 0);
	CHECK_STR(val(t, "a"), "");
	CHECK_STR(val(t, "b"), "");
	CHECK_INT(scan(t, "x:"), -1);
	CHECK_INT(scan(t, ""), -1);
	template_free(t);
	/*
	 * No second try: "a" ends at the first ";", and then the line must
	 * end, which it does not; a longer "a" is not tried.
	 */
	t = tpl("$a;");
	CHECK_INT(scan(t, "x;y;"), -1);
	CHECK_INT(scan(t, "xy;"), 0);
	CHECK_STR(val(t, "a"), "xy");
	template_free(t);
	t = tpl("$a $b;");
	CHECK_INT(scan(t, "x y z;"), 0);
	CHECK_STR(val(t, "a"), "x");
	CHECK_STR(val(t, "b"), "y z");
	template_free(t);
	/* Text at the end ends the line; text at the start begins it. */
	t = tpl("[$a]");
	CHECK_INT(scan(t, "[x]"), 0);
	CHECK_STR(val(t, "a"), "x");
	CHECK_INT(scan(t, "[x] "), -1);
	CHECK_INT(scan(t, " [x]"), -1);
	CHECK_INT(scan(t, "[x]y]"), -1);
	CHECK_INT(scan(t, "[x"), -1);
	CHECK_INT(scan(t, "["), -1);
	template_free(t);
	/* A last field takes the rest, blanks, NULs and all. */
	t = tpl("$a $b");
	CHECK_INT(template_scan(t, "x \0y z", 6, v), 0);
	CHECK_INT(v[1].len, 4);
	CHECK(memcmp(v[1].p, "\0y z", 4) == 0);
	template_free(t);
	/* A text longer than what is left, and one that starts again. */
	t = tpl("$a<<>$b");
	CHECK_INT(scan(t, "x<<<>y"), 0);
	CHECK_STR(val(t, "a"), "x<");
	CHECK_STR(val(t, "b"), "y");
	CHECK_INT(scan(t, "x<<"), -1);
	CHECK_INT(scan(t, "x<<>"), 0);
	CHECK_STR(val(t, "b"), "");
	template_free(t);
	/* The CLF of the man page's example. */
	t = tpl("$ip [$time] $path");
	CHECK_INT(scan(t, "1.2.3.4 [21/Nov/2026:10:15:09 +0000] /a b"), 0);
	CHECK_STR(val(t, "ip"), "1.2.3.4");
	CHECK_STR(val(t, "time"), "21/Nov/2026:10:15:09 +0000");
	CHECK_STR(val(t, "path"), "/a b");
	template_free(t);
}

static const char *const WEB[] = {
	"$ip $ident $customer [$time] \"$method $path $protocol\" $status "
	    "$bytes \"$referer\" \"$agent\" $rt",
	"$ip $ident $customer [$time] \"$method $path $protocol\" $status "
	    "$bytes \"$referer\" \"$agent\"",
	"$ip $ident $customer [$time] \"$request\" $status $bytes "
	    "\"$referer\" \"$agent\" $rt",
	"$ip $ident $customer [$time] \"$request\" $status $bytes "
	    "\"$referer\" \"$agent\"",
	"$ip $ident $customer [$time] \"$method $path $protocol\" $status "
	    "$bytes",
	"$ip $ident $customer [$time] \"$request\" $status $bytes",
};

static void
test_layouts(void)
{
	struct template *t = template_new();
	char *cause;
	size_t i;

	for (i = 0; i < sizeof(WEB) / sizeof(WEB[0]); i++)
		CHECK(template_add(t, WEB[i], &cause) == 0);
	CHECK_INT(template_nlayouts(t), 6);
	CHECK_INT(template_nfields(t), 13);
	CHECK_STR(template_name(t, 12), "request");
	CHECK(template_in(t, 0, (size_t)template_field(t, "rt")));
	CHECK(!template_in(t, 1, (size_t)template_field(t, "rt")));
	CHECK(!template_in(t, 0, (size_t)template_field(t, "request")));
	CHECK_INT(scan(t, "1.2.3.4 - C1 [21/Nov/2026:10:15:09 +0000] "
	    "\"GET /a HTTP/1.1\" 502 12 \"-\" \"Mozilla/5.0 (X11)\" 0.5"), 0);
	CHECK_STR(val(t, "customer"), "C1");
	CHECK_STR(val(t, "path"), "/a");
	CHECK_STR(val(t, "agent"), "Mozilla/5.0 (X11)");
	CHECK_STR(val(t, "rt"), "0.5");
	CHECK_STR(val(t, "request"), "(absent)");
	CHECK_INT(scan(t, "1.2.3.4 - C1 [21/Nov/2026:10:15:09 +0000] "
	    "\"GET /a HTTP/1.1\" 502 12 \"-\" \"Mozilla/5.0 (X11)\""), 1);
	CHECK_STR(val(t, "rt"), "(absent)");
	CHECK_STR(val(t, "agent"), "Mozilla/5.0 (X11)");
	/* The earlier layouts' values do not leak into a later one's. */
	CHECK_INT(scan(t, "1.2.3.4 - - [21/Nov/2026:10:15:09 +0000] "
	    "\"-\" 400 0 \"-\" \"-\" 0.000"), 2);
	CHECK_STR(val(t, "request"), "-");
	CHECK_STR(val(t, "method"), "(absent)");
	CHECK_STR(val(t, "path"), "(absent)");
	CHECK_STR(val(t, "status"), "400");
	CHECK_INT(scan(t, "1.2.3.4 - - [21/Nov/2026:10:15:09 +0000] "
	    "\"\\x16\\x03\" 400 0 \"-\" \"-\""), 3);
	CHECK_STR(val(t, "request"), "\\x16\\x03");
	CHECK_INT(scan(t, "1.2.3.4 - C2 [21/Nov/2026:10:15:09 +0000] "
	    "\"GET / HTTP/1.0\" 200 5"), 4);
	CHECK_STR(val(t, "bytes"), "5");
	CHECK_INT(scan(t, "1.2.3.4 - C2 [21/Nov/2026:10:15:09 +0000] "
	    "\"-\" 400 0"), 5);
	CHECK_INT(scan(t, "1.2.3.4 - C2 [21/Nov/2026:10:15:09 +0000]"), -1);
	CHECK_INT(scan(t, "garbage"), -1);
	CHECK_INT(scan(t, ""), -1);
	template_free(t);
}

/*
 * Rule 3 the slow way: try every length for each field in turn, taking
 * the first (shortest) after which the text follows, and never going
 * back.
 */
static int
ref_fit(const char *lit0, const char *const *lits, size_t nf,
    const char *s, size_t len, size_t *vlen)
{
	size_t at = strlen(lit0), i, n, l;

	if (len < at || memcmp(s, lit0, at) != 0)
		return -1;
	for (i = 0; i < nf; i++) {
		l = strlen(lits[i]);
		if (l == 0) {
			vlen[i] = len - at;
			return 0;
		}
		for (n = 0; at + n + l <= len; n++)
			if (memcmp(s + at + n, lits[i], l) == 0)
				break;
		if (at + n + l > len)
			return -1;
		vlen[i] = n;
		at += n + l;
	}
	return at == len ? 0 : -1;
}

static void
test_brute(void)
{
	static const char *const texts[][3] = {
		{ "", "ab", "" }, { "a", "b", "a" }, { "", "aa", "b" },
		{ "b", "a", "" }, { "", "aba", "a" }, { "ab", "b", "ba" },
		{ "", " a", "" }, { "", "  b", " " }, { " ", " ", "a " },
		{ "", "a ", " b" }, { "b", " a ", "" },
	};
	const char alpha[] = "ab ";
	char layout[64], s[8];
	size_t k, len, i, code, total, vlen[2], bad = 0, fits = 0;

	for (k = 0; k < sizeof(texts) / sizeof(texts[0]); k++) {
		struct template *t;
		const char *lits[2] = { texts[k][1], texts[k][2] };

		snprintf(layout, sizeof(layout), "%s${x}%s${y}%s", texts[k][0],
		    texts[k][1], texts[k][2]);
		if ((t = tpl(layout)) == NULL) {
			CHECK(t != NULL);
			continue;
		}
		for (len = 0; len <= 6; len++) {
			for (total = 1, i = 0; i < len; i++)
				total *= 3;
			for (code = 0; code < total; code++) {
				int got, want;
				size_t c = code;

				for (i = 0; i < len; i++, c /= 3)
					s[i] = alpha[c % 3];
				want = ref_fit(texts[k][0], lits, 2, s, len,
				    vlen);
				got = template_scan(t, s, len, v);
				if (got != want || (got == 0 &&
				    (v[0].len != vlen[0] ||
				    v[1].len != vlen[1])))
					bad++;
				fits += got == 0;
			}
		}
		template_free(t);
	}
	CHECK_INT(bad, 0);
	CHECK(fits > 50);
}

/*
 * Layouts that begin alike are skipped once one failed past their common
 * part: the layout found is the first that fits, as trying each would
 * give, for every string of up to seven bytes over a small alphabet.
 */
static void
test_skip(void)
{
	static const char *const lays[] = {
		"${a} ${b}[${c}] ${d}", "${a} ${b}[${c}]", "${a} ${b}[${c}",
		"${a}[${c}] ${d}", "${a}[${c}]", "${a} ${e}",
	};
	const size_t nl = sizeof(lays) / sizeof(lays[0]);
	struct template *all, *one[6];
	struct template_value w[8];
	const char alpha[] = "a []";
	char s[8], *cause;
	size_t len, i, k, code, total, bad = 0, fitted[7] = { 0 };
	int got, want;

	all = template_new();
	for (k = 0; k < nl; k++) {
		CHECK(template_add(all, lays[k], &cause) == 0);
		one[k] = tpl(lays[k]);
	}
	for (len = 0; len <= 7; len++) {
		for (total = 1, i = 0; i < len; i++)
			total *= 4;
		for (code = 0; code < total; code++) {
			size_t c = code;

			for (i = 0; i < len; i++, c /= 4)
				s[i] = alpha[c % 4];
			for (want = -1, k = 0; k < nl && want < 0; k++)
				if (template_scan(one[k], s, len, w) == 0)
					want = (int)k;
			got = template_scan(all, s, len, v);
			if (got != want)
				bad++;
			fitted[got + 1]++;
		}
	}
	CHECK_INT(bad, 0);
	for (k = 0; k < nl; k++) {
		if (fitted[k + 1] == 0)
			fprintf(stderr, "layout %zu never fits\n", k);
		CHECK(fitted[k + 1] > 0);
		template_free(one[k]);
	}
	template_free(all);
}

int
main(void)
{
	test_names();
	test_errors();
	test_fit();
	test_layouts();
	test_brute();
	test_skip();
	T_DONE();
}
