/*
 * match: source detection, field extraction and rule evaluation for one
 * line (cxwatch.rules(5), semantics 1-3). The source's match data holds
 * the line's fields; rules and conditions have their own match data, so
 * evaluating them never disturbs the fields.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match.h"
#include "rules.h"
#include "wtab.h"
#include "xmalloc.h"

static const char *const match_opname[] = {
	"~", "!~", "==", "!=", "<", "<=", ">", ">="
};

/* match_field() for the hot path; the ovector has ngroups + 1 pairs. */
static inline void
match_field_of(const struct source *src, const char *line, int group,
    const char **val, size_t *vlen)
{
	const PCRE2_SIZE *ov = src->rx.ov;

	if (group < 0 || (uint32_t)group >= src->rx.nov ||
	    ov[2 * group] == PCRE2_UNSET) {
		*val = "";
		*vlen = 0;
		return;
	}
	*val = line + ov[2 * group];
	*vlen = ov[2 * group + 1] - ov[2 * group];
}

void
match_field(const struct ruleset *rs, const struct match *m,
    const char *line, int group, const char **val, size_t *vlen)
{
	match_field_of(&rs->sources[m->source], line, group, val, vlen);
}

/*
 * rules_number() of a field, remembered for the line: rules often test
 * one field against several numbers (rt >= 10, then rt >= 3).
 */
static int
match_number(struct match *m, const char *v, size_t vlen, double *n)
{
	if (v != m->numv || vlen != m->numlen) {
		m->numv = v;
		m->numlen = vlen;
		m->numok = rules_number(v, vlen, &m->num) == 0;
	}
	*n = m->num;
	return m->numok ? 0 : -1;
}

/* == and != compare as numbers when both sides are numbers. */
static int
match_equal(const struct cond *c, struct match *m, const char *v,
    size_t vlen)
{
	double n;

	if (c->isnum && match_number(m, v, vlen, &n) == 0)
		return n == c->num;
	return vlen == c->strlen && memcmp(v, c->str, vlen) == 0;
}

/* 1 holds, 0 not; a PCRE2 limit counts as "not" and bumps m->limits. */
static int
match_cond(const struct ruleset *rs, const struct cond *c,
    struct match *m, const char *line, size_t len)
{
	const char *v = line;
	size_t vlen = len;
	double n;
	int r;

	if (c->field != RULES_FIELD_LINE)
		match_field_of(&rs->sources[m->source], line, c->field, &v,
		    &vlen);
	switch (c->op) {
	case COND_MATCH:
	case COND_NOMATCH:
		r = rules_exec(rs, &c->rx, v, vlen);
		if (r < 0) {
			m->limits++;
			return 0;
		}
		return c->op == COND_MATCH ? r : !r;
	case COND_EQ:
		return match_equal(c, m, v, vlen);
	case COND_NE:
		return !match_equal(c, m, v, vlen);
	default:
		break;
	}
	if (match_number(m, v, vlen, &n) == -1)
		return 0;
	switch (c->op) {
	case COND_LT:
		return n < c->num;
	case COND_LE:
		return n <= c->num;
	case COND_GT:
		return n > c->num;
	default:
		return n >= c->num;
	}
}

/* 1 when rule r holds for the line; *failed: which test failed. */
static int
match_rule_tests(const struct ruleset *rs, const struct rule *r,
    struct match *m, const char *line, size_t len, int *failed)
{
	size_t i;
	int rc;

	if (r->rx.code != NULL) {
		rc = rules_exec(rs, &r->rx, line, len);
		if (rc < 0)
			m->limits++;
		if (rc != 1) {
			*failed = -1;
			return 0;
		}
	}
	for (i = 0; i < r->nconds; i++)
		if (!match_cond(rs, &r->conds[i], m, line, len)) {
			*failed = (int)i;
			return 0;
		}
	return 1;
}

/* The same, and a limit hit on the way is also counted against r. */
static int
match_rule(const struct ruleset *rs, const struct rule *r, struct match *m,
    const char *line, size_t len, int *failed)
{
	unsigned limits = m->limits;
	int holds;

	holds = match_rule_tests(rs, r, m, line, len, failed);
	if (m->limits != limits && m->rulelimits != NULL)
		m->rulelimits[r - rs->rules]++;
	return holds;
}

static int
match_anonymous(const struct source *src, const char *c, size_t len)
{
	size_t i;

	for (i = 0; i < src->nanonymous; i++)
		if (strlen(src->anonymous[i]) == len &&
		    memcmp(src->anonymous[i], c, len) == 0)
			return 1;
	return 0;
}

/*
 * The claiming source's part: customer, time, then its rules. known is
 * NULL, or the line's time as a merge's peek parsed it.
 */
static void
match_claimed(struct ruleset *rs, struct match *m, const char *line,
    size_t len, int64_t now, const int64_t *known)
{
	struct source *src = &rs->sources[m->source];
	size_t i;
	int failed;

	match_field_of(src, line, src->g_customer, &m->customer,
	    &m->customerlen);
	if (m->customerlen == 0 || m->customerlen > WTAB_MAXKEY) {
		m->status = MATCH_NOCUSTOMER;
		return;
	}
	if (match_anonymous(src, m->customer, m->customerlen)) {
		m->status = MATCH_ANONYMOUS;
		return;
	}
	m->time = now;
	if (src->g_time != 0) {
		match_field_of(src, line, src->g_time, &m->timestr,
		    &m->timelen);
		if (known != NULL)
			m->time = *known;
		else if (tp_parse(&src->time, m->timestr, m->timelen,
		    &m->time) == -1) {
			m->status = MATCH_BADTIME;
			return;
		}
	}
	for (i = 0; i < src->nrules; i++)
		if (match_rule(rs, &rs->rules[src->rules[i]], m, line, len,
		    &failed)) {
			m->rule = (int)src->rules[i];
			m->status = MATCH_EVENT;
			return;
		}
	m->status = MATCH_NORULE;
}

static void
match_reset(struct match *m)
{
	m->status = MATCH_UNMATCHED;
	m->source = m->rule = -1;
	m->customer = m->timestr = NULL;
	m->customerlen = m->timelen = 0;
	m->time = 0;
	m->limits = 0;
	m->numv = NULL;
	m->numlen = 0;
}

void
match_line(struct ruleset *rs, int forced, const char *line, size_t len,
    int64_t now, struct match *m)
{
	size_t i, lo = 0, hi = rs->nsources;
	int rc;

	match_reset(m);
	if (forced >= 0) {
		lo = (size_t)forced;
		hi = lo + 1;
	}
	/* Semantics 1: the first source whose match matches claims it. */
	for (i = lo; i < hi; i++) {
		rc = rules_exec(rs, &rs->sources[i].rx, line, len);
		if (rc < 0) {
			m->limits++;
			if (m->srclimits != NULL)
				m->srclimits[i]++;
		}
		if (rc == 1) {
			m->source = (int)i;
			match_claimed(rs, m, line, len, now, NULL);
			return;
		}
	}
}

int
match_peek(struct ruleset *rs, int forced, const char *line, size_t len,
    int64_t *time)
{
	return match_peek_held(rs, forced, line, len, NULL, time);
}

struct match_held {
	int		 source;
	int64_t		 time;
	uint32_t	 nov;		/* pairs in ov */
	PCRE2_SIZE	 ov[];		/* the source's ovector */
};

struct match_held *
match_held_new(const struct ruleset *rs)
{
	struct match_held *h;
	uint32_t max = 0;
	size_t i;

	for (i = 0; i < rs->nsources; i++)
		if (rs->sources[i].rx.nov > max)
			max = rs->sources[i].rx.nov;
	h = xcalloc(1, sizeof(*h) + 2 * (size_t)max * sizeof(PCRE2_SIZE));
	h->source = -1;
	return h;
}

void
match_held_free(struct match_held *h)
{
	free(h);
}

int
match_peek_held(struct ruleset *rs, int forced, const char *line,
    size_t len, struct match_held *h, int64_t *time)
{
	struct source *src;
	const char *ts;
	size_t i, tslen, lo = 0, hi = rs->nsources;

	if (h != NULL)
		h->source = -1;
	if (forced >= 0) {
		lo = (size_t)forced;
		hi = lo + 1;
	}
	for (i = lo; i < hi; i++) {
		src = &rs->sources[i];
		if (rules_exec(rs, &src->rx, line, len) != 1)
			continue;
		if (src->g_time == 0)
			return -1;
		match_field_of(src, line, src->g_time, &ts, &tslen);
		if (tp_parse(&src->time, ts, tslen, time) == -1)
			return -1;
		if (h != NULL) {
			h->source = (int)i;
			h->time = *time;
			h->nov = src->rx.nov;
			memcpy(h->ov, src->rx.ov, 2 * (size_t)h->nov *
			    sizeof(PCRE2_SIZE));
		}
		return (int)i;
	}
	return -1;
}

void
match_line_held(struct ruleset *rs, const struct match_held *h,
    const char *line, size_t len, int64_t now, struct match *m)
{
	struct source *src;

	if (rs->simple || h->source < 0) {
		match_line(rs, h->source, line, len, now, m);
		return;
	}
	match_reset(m);
	src = &rs->sources[h->source];
	/* The source's fields as its match of this line left them. */
	memcpy(src->rx.ov, h->ov, 2 * (size_t)h->nov * sizeof(PCRE2_SIZE));
	m->source = h->source;
	match_claimed(rs, m, line, len, now, &h->time);
}

const char *
match_why(const struct ruleset *rs, const struct match *m, const char *line,
    size_t len, unsigned rule, char *buf, size_t bufsz)
{
	const struct rule *r = &rs->rules[rule];
	const struct cond *c;
	struct match scratch = *m;
	int failed = 0;

	/* Asking why counts nothing: the line was counted when matched. */
	scratch.srclimits = scratch.rulelimits = NULL;

	if (match_rule(rs, r, &scratch, line, len, &failed))
		snprintf(buf, bufsz, "holds");
	else if (failed < 0)
		snprintf(buf, bufsz, "match failed");
	else {
		c = &r->conds[failed];
		snprintf(buf, bufsz, "if %s %s %s failed", c->fieldname,
		    match_opname[c->op], c->str);
	}
	return buf;
}
