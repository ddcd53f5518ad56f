/*
 * fuzz_rules: the rules parser and compiler on arbitrary bytes, as one
 * rules file. rules_load() reads paths, so the input goes to a memfd
 * (fuzz_memfile()) and its /proc/self/fd path is loaded: no change to
 * rules.c, and its real fopen/getline path is what runs. A rule set that
 * loads is then used: the input's own lines and a few sample lines go
 * through the engine with -x, which matches every source, evaluates
 * every condition (match_why) and prints the fields.
 *
 * Checked: a failed load says why (diag has a message); a loaded set
 * has the shape rules.h promises (indexes in range, every source's rule
 * list pointing back at it, threshold >= 1, channels known); the -x
 * output has one line per input line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "engine.h"
#include "fuzz.h"
#include "obuf.h"
#include "jsonl.h"
#include "rules.h"
#include "template.h"

static const char *rules_samples[] = {
	"192.0.2.45 - C000045 [21/Nov/2026:00:01:54 +0000] \"POST /login "
	    "HTTP/1.1\" 401 21170 \"-\" \"x\" 12.5",
	"2026-11-21T00:26:16.524Z level=info event=sla.breached "
	    "customer=C000001 wait=300 score=1",
	"{\"ts\":\"2026-11-21T00:19:44.985Z\",\"event\":\"charge.failed\","
	    "\"customer\":\"C000150\",\"amount\":3126}",
	"Nov 21 10:15:09 host app[1]: customer=C1 error",
	"1763720109.120 C1 fail"
};
static int	rules_selftest_loaded;

static void
rules_check_shape(const struct ruleset *rs)
{
	const struct source *s;
	const struct rule *r;
	uint64_t dmask;
	size_t i, k;

	if (rs->ndetectors < 1 || rs->ndetectors > RULES_MAXDETECTORS)
		fuzz_fail("%zu detectors", rs->ndetectors);
	dmask = rs->ndetectors == 64 ? ~UINT64_C(0) :
	    (UINT64_C(1) << rs->ndetectors) - 1;
	for (i = 0; i < rs->ndetectors; i++)
		if (rs->detectors[i].settings.threshold < 1 ||
		    rs->detectors[i].settings.window <= 0 ||
		    rs->detectors[i].settings.cooldown < 0)
			fuzz_fail("detector %s: bad settings",
			    rs->detectors[i].name);
	if (rs->settings.threshold < 1 || rs->settings.window <= 0 ||
	    rs->settings.cooldown < 0 || rs->nchannels > 64 ||
	    rs->nfiles != 1)
		fuzz_fail("bad settings or counts");
	for (i = 0; i < rs->nsources; i++) {
		s = &rs->sources[i];
		if (s->channel >= rs->nchannels ||
		    (s->format == SOURCE_REGEX && s->rx == NULL) ||
		    s->g_customer < 1 || (uint32_t)s->g_customer > s->ngroups ||
		    s->g_time < 0 || (uint32_t)s->g_time > s->ngroups)
			fuzz_fail("source %s: bad shape", s->name);
		/* A structured source's fields are all named, and compiled. */
		if (s->format != SOURCE_REGEX)
			for (k = 1; k <= s->ngroups; k++)
				if (s->groupname[k] == NULL)
					fuzz_fail("source %s: field %zu has no "
					    "name", s->name, k);
		if ((s->format == SOURCE_JSON && (s->jpaths == NULL ||
		    jsonl_paths_count(s->jpaths) != s->ngroups)) ||
		    (s->format == SOURCE_LOGFMT && (s->lkeys == NULL ||
		    s->slot == NULL)) ||
		    (s->format == SOURCE_TEMPLATE && (s->tmpl == NULL ||
		    template_nfields(s->tmpl) != s->ngroups ||
		    template_nlayouts(s->tmpl) == 0)))
			fuzz_fail("source %s: fields not compiled", s->name);
		for (k = 0; k < s->nrules; k++)
			if (s->rules[k] >= rs->nrules ||
			    rs->rules[s->rules[k]].source != i)
				fuzz_fail("source %s: bad rule list", s->name);
	}
	for (i = 0; i < rs->nrules; i++) {
		r = &rs->rules[i];
		if (r->source >= rs->nsources || r->weight < 1 ||
		    r->weight > RULES_MAXWEIGHT)
			fuzz_fail("rule %s: bad shape", r->name);
		for (k = 0; k < r->nconds; k++)
			if (r->conds[k].field != RULES_FIELD_LINE &&
			    (r->conds[k].field < 0 || (uint32_t)r->conds[k].field
			    > rs->sources[r->source].ngroups))
				fuzz_fail("rule %s: bad field", r->name);
		/* A rule counts, or forgives, in detectors that exist. */
		if ((r->forgiving && (r->detectors != 0 || r->forgives == 0)) ||
		    (!r->forgiving && r->forgives != 0) ||
		    ((r->detectors | r->forgives) & ~dmask) != 0)
			fuzz_fail("rule %s: bad detectors", r->name);
	}
}

/* -x over the samples and the input's own lines: one account each. */
static void
rules_use(struct ruleset *rs, const uint8_t *data, size_t size)
{
	struct engine_opts eo;
	struct engine *e;
	struct obuf *o;
	const char *p, *end = (const char *)data + size, *nl;
	size_t i, len, nlines = 0, heads = 0;

	memset(&eo, 0, sizeof(eo));
	eo.format = ALERT_TEXT;
	eo.evidence = 2;
	eo.max_customers = 100;
	eo.explain = 1;
	o = obuf_new(-1, 0);
	e = engine_new(rs, &eo, o);
	for (i = 0; i < sizeof(rules_samples) / sizeof(rules_samples[0]);
	    i++, nlines++)
		engine_line(e, "s", i + 1, -1, rules_samples[i],
		    strlen(rules_samples[i]));
	for (p = (const char *)data; p < end && nlines < 200; p = nl + 1,
	    nlines++) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		engine_line(e, "s", nlines + 1, -1, p, (size_t)(nl - p));
	}
	p = obuf_data(o, &len);
	for (end = p + len; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			fuzz_fail("-x output without a newline");
		if (strncmp(p, "s:", 2) == 0)
			heads++;
		else if (strncmp(p, "  => ", 5) != 0)
			fuzz_fail("-x: stray line \"%.*s\"", (int)(nl - p), p);
	}
	if (heads != nlines)
		fuzz_fail("-x: %zu accounts for %zu lines", heads, nlines);
	engine_free(e);
	obuf_free(o);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *paths[1];
	struct ruleset *rs;
	struct diag d;

	paths[0] = (char *)fuzz_memfile(data, size);
	diag_init(&d);
	rs = rules_load(paths, 1, NULL, &d);
	if (rs == NULL && d.nmsgs == 0)
		fuzz_fail("rules refused without a message");
	diag_free(&d);
	rules_selftest_loaded = rs != NULL;
	if (rs == NULL)
		return 0;
	rules_check_shape(rs);
	rules_use(rs, data, size);
	rules_free(rs);
	return 0;
}

/* The shipped rules, as one file, load through the memfd; junk does not. */
int
fuzz_selftest(void)
{
	static const char *files[] = { "00-settings", "10-web", "20-support",
	    "30-billing" };
	uint8_t *all = NULL, *buf;
	size_t i, len, n = 0;
	char path[512];

	for (i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "%s/rules/%s.rules", FUZZ_TOP,
		    files[i]);
		buf = fuzz_slurp(path, 0, &len);
		if ((all = realloc(all, n + len)) == NULL)
			fuzz_fail("out of memory");
		memcpy(all + n, buf, len);
		n += len;
		free(buf);
	}
	LLVMFuzzerTestOneInput(all, n);
	if (!rules_selftest_loaded)
		fuzz_fail("the shipped rules did not load");
	free(all);
	LLVMFuzzerTestOneInput((const uint8_t *)"[rule x]\nweight = 0\n", 20);
	if (rules_selftest_loaded)
		fuzz_fail("bad rules loaded");
	return 0;
}
