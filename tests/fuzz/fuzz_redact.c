/*
 * fuzz_redact: redaction (redact.h) on arbitrary bytes. The input is an
 * option byte (its low 4 bits the id's length k), k bytes of customer
 * id, then the line. Two redactors are made once: one with the id only
 * (no class, no rule), held to a second reading of rules 1 (a), 2 and 3
 * written here the slow way (fr_ref_id() below, sharing no code with
 * redact.c); and one with every class and rules that match empty, look
 * behind and use $n, held to what must be true of any line:
 *
 *  - *out is the line itself exactly when nothing fired, and then the
 *    length is the line's;
 *  - the same line through the same work again gives the same bytes;
 *  - the classes alone never give up (REDACT_FIRED_LIMIT): their
 *    patterns are possessive and their scanners linear;
 *  - the classes' cheap tests change nothing: a work without them
 *    (redact_work_simple(), --no-prefilter) gives the same bytes.
 *
 * The option byte's high bits place the id's field span in the line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "redact.h"

#define FR_MAXLEN	(1 << 16)
#define FR_PSEUD	"<P>"

static struct redactor	*fr_idonly, *fr_all, *fr_rules;
static struct redact_work *fr_wid, *fr_wall, *fr_wrules, *fr_wsimple;

static void
fr_init(void)
{
	static const struct redact_rule rules[] = {
		{ "empty", "x*", NULL },
		{ "behind", "(?<=[0-9])(k)(v?)", "<$2$1$$>" },
		{ "acct", "acct=([^ ]*)", "acct=$1!" },
	};
	char *cause = NULL;

	if (fr_idonly != NULL)
		return;
	fr_idonly = redact_new(0, NULL, 0, &cause);
	fr_all = redact_new((1u << REDACT_NCLASS) - 1, NULL, 0, &cause);
	fr_rules = redact_new((1u << REDACT_NCLASS) - 1, rules,
	    sizeof(rules) / sizeof(rules[0]), &cause);
	if (fr_idonly == NULL || fr_all == NULL || fr_rules == NULL)
		fuzz_fail("redact_new: %s", cause);
	fr_wid = redact_work_new(fr_idonly);
	fr_wall = redact_work_new(fr_all);
	fr_wrules = redact_work_new(fr_rules);
	fr_wsimple = redact_work_new(fr_all);
	redact_work_simple(fr_wsimple);
}

static int
fr_word(unsigned char c)
{
	return c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z');
}

/*
 * Rules 1 (a), 2 and 3 with the id only, the slow way: every span, in a
 * list sorted by start; one that starts before the end of those before
 * it joins them, else it starts a new replacement. All spans have the
 * pseudonym, so which one a merged span takes does not matter. out has
 * room for len * (strlen(FR_PSEUD) + 1) bytes; *nspans, the spans.
 */
static size_t
fr_ref_id(const unsigned char *l, size_t len, const unsigned char *id,
    size_t idlen, size_t spanoff, size_t spanlen, char *out, size_t *nspans)
{
	size_t *a = calloc(len + 1, sizeof(*a)), *b = calloc(len + 1,
	    sizeof(*b));
	size_t n = 0, i, k, o = 0, at = 0, end;

	if (a == NULL || b == NULL)
		fuzz_fail("out of memory");
	for (i = 0; idlen > 0 && i + idlen <= len; i++) {
		if (memcmp(l + i, id, idlen) != 0)
			continue;
		if (i > 0 && fr_word(l[i - 1]) && fr_word(id[0]))
			continue;
		if (i + idlen < len && fr_word(l[i + idlen]) &&
		    fr_word(id[idlen - 1]))
			continue;
		a[n] = i;
		b[n++] = i + idlen;
	}
	if (spanlen > 0 && spanoff < len) {
		/* Into its place by start. */
		for (k = n; k > 0 && a[k - 1] > spanoff; k--) {
			a[k] = a[k - 1];
			b[k] = b[k - 1];
		}
		a[k] = spanoff;
		b[k] = spanoff + spanlen > len ? len : spanoff + spanlen;
		n++;
	}
	for (k = 0; k < n; ) {
		end = b[k];
		for (i = k + 1; i < n && a[i] < end; i++)
			if (b[i] > end)
				end = b[i];
		memcpy(out + o, l + at, a[k] - at);
		o += a[k] - at;
		memcpy(out + o, FR_PSEUD, strlen(FR_PSEUD));
		o += strlen(FR_PSEUD);
		at = end;
		k = i;
	}
	memcpy(out + o, l + at, len - at);
	o += len - at;
	*nspans = n;
	free(a);
	free(b);
	return o;
}

/* The invariants any redaction keeps; name says which redactor. */
static void
fr_check_any(const struct redactor *r, struct redact_work *w,
    const char *name, const char *line, size_t len,
    const struct redact_id *id, int classes_only)
{
	const char *out;
	char *copy;
	uint64_t f, f2;
	size_t n, n2;

	n = redact_line(r, w, line, len, id, &out, &f);
	if ((f == 0) != (out == line) || (out == line && n != len))
		fuzz_fail("%s: fired %llx but out %s the line", name,
		    (unsigned long long)f, out == line ? "is" : "is not");
	if (classes_only && (f & REDACT_FIRED_LIMIT))
		fuzz_fail("%s: a class gave up", name);
	if ((copy = malloc(n > 0 ? n : 1)) == NULL)
		fuzz_fail("out of memory");
	memcpy(copy, out, n);
	n2 = redact_line(r, w, line, len, id, &out, &f2);
	if (n2 != n || f2 != f || memcmp(out, copy, n) != 0)
		fuzz_fail("%s: a second redaction differs", name);
	free(copy);
}

/* Every class, with and without the cheap tests: the same output. */
static void
fr_check_simple(const char *line, size_t len, const struct redact_id *id)
{
	const char *out, *sout;
	uint64_t f, sf;
	size_t n, sn;

	n = redact_line(fr_all, fr_wall, line, len, id, &out, &f);
	sn = redact_line(fr_all, fr_wsimple, line, len, id, &sout, &sf);
	if (n != sn || f != sf || memcmp(out, sout, n) != 0)
		fuzz_fail("prefilters: got \"%.*s\" (fired %llx), without "
		    "them \"%.*s\" (%llx)", (int)n, out,
		    (unsigned long long)f, (int)sn, sout,
		    (unsigned long long)sf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct redact_id id;
	const char *out;
	char *line, *want;
	size_t k, len, n, wn, nspans;
	uint64_t f;

	if (size < 1 || size > FR_MAXLEN)
		return 0;
	fr_init();
	k = data[0] & 15;
	if (k > size - 1)
		k = size - 1;
	len = size - 1 - k;
	/* Exactly len bytes, so that an overread trips AddressSanitizer. */
	if ((line = malloc(len > 0 ? len : 1)) == NULL ||
	    (want = malloc(len * (strlen(FR_PSEUD) + 1) + 1)) == NULL)
		fuzz_fail("out of memory");
	memcpy(line, data + 1 + k, len);
	memset(&id, 0, sizeof(id));
	id.id = (const char *)data + 1;
	id.idlen = k;
	id.pseud = FR_PSEUD;
	id.pseudlen = strlen(FR_PSEUD);
	/* The high bits: a field span at a place of the line, or none. */
	if ((data[0] >> 4) != 0 && len > 0) {
		id.spanoff = (size_t)(data[0] >> 4) * len / 16;
		id.spanlen = 1 + (size_t)(data[0] >> 6);
	}

	n = redact_line(fr_idonly, fr_wid, line, len, &id, &out, &f);
	wn = fr_ref_id((const unsigned char *)line, len,
	    (const unsigned char *)id.id, k, id.spanoff, id.spanlen, want,
	    &nspans);
	if (n != wn || memcmp(out, want, n) != 0)
		fuzz_fail("id: got \"%.*s\", want \"%.*s\"", (int)n, out,
		    (int)wn, want);
	if (f != (nspans > 0 ? REDACT_FIRED_ID : 0))
		fuzz_fail("id: fired %llx", (unsigned long long)f);

	fr_check_any(fr_all, fr_wall, "classes", line, len, NULL, 1);
	fr_check_any(fr_all, fr_wall, "classes and id", line, len, &id, 1);
	fr_check_any(fr_rules, fr_wrules, "rules", line, len, &id, 0);
	fr_check_simple(line, len, NULL);
	fr_check_simple(line, len, &id);
	free(line);
	free(want);
	return 0;
}

/* The oracle on inputs whose redaction is known. */
int
fuzz_selftest(void)
{
	static const struct {
		const char	*in;	/* option byte, id, line */
		size_t		 len;
		const char	*out;	/* with the id only */
	} known[] = {
		{ "\002C1GET /a/C1/b C12 C1", 21, "GET /a/<P>/b C12 <P>" },
		{ "\002aaaa-aaa", 9, "<P>-aaa" },
		{ "\001-a--", 5, "a<P><P>" },
		{ "\000plain", 6, "plain" },
	};
	char want[64];
	size_t i, k, wn, nspans;

	fr_init();
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		k = (unsigned char)known[i].in[0] & 15;
		wn = fr_ref_id((const unsigned char *)known[i].in + 1 + k,
		    known[i].len - 1 - k,
		    (const unsigned char *)known[i].in + 1, k, 0, 0, want,
		    &nspans);
		if (wn != strlen(known[i].out) ||
		    memcmp(want, known[i].out, wn) != 0)
			fuzz_fail("self test: the reference on %s gave %.*s",
			    known[i].in + 1, (int)wn, want);
		LLVMFuzzerTestOneInput((const uint8_t *)known[i].in,
		    known[i].len);
	}
	return 0;
}
