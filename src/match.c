/*
 * match: claims and decisions (cxwatch.rules(5), semantics 1-3). See
 * match.h. The claim's match data holds the source's fields; rules and
 * conditions run into the matcher's own, so deciding never disturbs the
 * fields.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match.h"
#include "rules.h"
#include "wtab.h"
#include "xmalloc.h"

struct matcher {
	const struct ruleset	*rs;
	struct pattern_ctx	*ctx;
	pcre2_match_data	*md;		/* rules' and conditions' */
	struct tp_state		*tp;		/* [nsources] */
	int			 simple;
	uint64_t		*srclimits;	/* NULL, or [nsources] */
	uint64_t		*rulelimits;	/* NULL, or [nrules] */
	/* The last field read as a number in this decision, and its value. */
	const char		*numv;
	size_t			 numlen;
	double			 num;
	int			 numok;
};

static const char *const match_opname[] = {
	"~", "!~", "==", "!=", "<", "<=", ">", ">="
};

struct matcher *
matcher_new(const struct ruleset *rs, int simple)
{
	struct matcher *mt = xcalloc(1, sizeof(*mt));
	size_t i;

	mt->rs = rs;
	mt->simple = simple;
	mt->ctx = pattern_ctx_new(simple);
	/* Rules and conditions only say whether they match. */
	mt->md = pattern_md_new(0);
	mt->tp = xcalloc(rs->nsources > 0 ? rs->nsources : 1,
	    sizeof(*mt->tp));
	for (i = 0; i < rs->nsources; i++)
		tp_state_init(&mt->tp[i], &rs->sources[i].time, simple);
	return mt;
}

void
matcher_free(struct matcher *mt)
{
	if (mt == NULL)
		return;
	pattern_ctx_free(mt->ctx);
	pcre2_match_data_free(mt->md);
	free(mt->tp);
	free(mt);
}

void
matcher_counters(struct matcher *mt, uint64_t *srclimits,
    uint64_t *rulelimits)
{
	mt->srclimits = srclimits;
	mt->rulelimits = rulelimits;
}

struct claim *
claim_new(const struct ruleset *rs)
{
	struct claim *c = xcalloc(1, sizeof(*c));
	uint32_t max = 0;
	size_t i;

	for (i = 0; i < rs->nsources; i++)
		if (rs->sources[i].ngroups > max)
			max = rs->sources[i].ngroups;
	c->md = pattern_md_new(max);
	c->ov = pcre2_get_ovector_pointer(c->md);
	c->nov = pcre2_get_ovector_count(c->md);
	c->source = -1;
	return c;
}

void
claim_free(struct claim *c)
{
	if (c == NULL)
		return;
	pcre2_match_data_free(c->md);
	free(c);
}

/* match_field() for the hot path. */
static inline void
match_field_of(const struct claim *c, const char *line, int group,
    const char **val, size_t *vlen)
{
	const PCRE2_SIZE *ov = c->ov;

	if (group < 0 || (uint32_t)group >= c->nov ||
	    ov[2 * group] == PCRE2_UNSET) {
		*val = "";
		*vlen = 0;
		return;
	}
	*val = line + ov[2 * group];
	*vlen = ov[2 * group + 1] - ov[2 * group];
}

void
match_field(const struct claim *c, const char *line, int group,
    const char **val, size_t *vlen)
{
	match_field_of(c, line, group, val, vlen);
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
 * Semantics 2: the claiming source's customer and time. With order, the
 * time is read whatever the customer, so that a merge places every line
 * that has one (claim.timeok); a missing customer still goes before a
 * bad time.
 */
static void
match_claimed(struct matcher *mt, struct claim *c, const char *line,
    int64_t now, int order)
{
	const struct source *src = &mt->rs->sources[c->source];
	enum match_status st = MATCH_NORULE;

	match_field_of(c, line, src->g_customer, &c->customer,
	    &c->customerlen);
	if (c->customerlen == 0 || c->customerlen > WTAB_MAXKEY)
		st = MATCH_NOCUSTOMER;
	else if (match_anonymous(src, c->customer, c->customerlen))
		st = MATCH_ANONYMOUS;
	c->time = now;
	if (src->g_time != 0 && (order || st == MATCH_NORULE)) {
		match_field_of(c, line, src->g_time, &c->timestr, &c->timelen);
		c->timeok = tp_parse(&src->time, &mt->tp[c->source],
		    c->timestr, c->timelen, &c->time) == 0;
		if (!c->timeok) {
			c->time = now;
			if (st == MATCH_NORULE)
				st = MATCH_BADTIME;
		}
	}
	c->status = st;
}

int
matcher_claim(struct matcher *mt, struct claim *c, int forced,
    const char *line, size_t len, int64_t now, int order)
{
	const struct ruleset *rs = mt->rs;
	size_t i, lo = 0, hi = rs->nsources;
	int rc;

	c->status = MATCH_UNMATCHED;
	c->source = -1;
	c->customer = c->timestr = NULL;
	c->customerlen = c->timelen = 0;
	c->time = 0;
	c->timeok = 0;
	c->limits = 0;
	if (forced >= 0) {
		lo = (size_t)forced;
		hi = lo + 1;
	}
	/* Semantics 1: the first source whose match matches claims it. */
	for (i = lo; i < hi; i++) {
		rc = pattern_exec(mt->ctx, rs->sources[i].rx, c->md, line,
		    len);
		if (rc < 0) {
			c->limits++;
			if (mt->srclimits != NULL)
				mt->srclimits[i]++;
		}
		if (rc == 1) {
			c->source = (int)i;
			match_claimed(mt, c, line, now, order);
			break;
		}
	}
	return c->source;
}

/*
 * rules_number() of a field, remembered for the decision: rules often
 * test one field against several numbers (rt >= 10, then rt >= 3).
 */
static int
match_number(struct matcher *mt, const char *v, size_t vlen, double *n)
{
	if (v != mt->numv || vlen != mt->numlen) {
		mt->numv = v;
		mt->numlen = vlen;
		mt->numok = rules_number(v, vlen, &mt->num) == 0;
	}
	*n = mt->num;
	return mt->numok ? 0 : -1;
}

/* == and != compare as numbers when both sides are numbers. */
static int
match_equal(struct matcher *mt, const struct cond *cd, const char *v,
    size_t vlen)
{
	double n;

	if (cd->isnum && match_number(mt, v, vlen, &n) == 0)
		return n == cd->num;
	return vlen == cd->strlen && memcmp(v, cd->str, vlen) == 0;
}

/* 1 holds, 0 not; a PCRE2 limit counts as "not" and bumps *limits. */
static int
match_cond(struct matcher *mt, const struct cond *cd, const struct claim *c,
    const char *line, size_t len, unsigned *limits)
{
	const char *v = line;
	size_t vlen = len;
	double n;
	int r;

	if (cd->field != RULES_FIELD_LINE)
		match_field_of(c, line, cd->field, &v, &vlen);
	switch (cd->op) {
	case COND_MATCH:
	case COND_NOMATCH:
		r = pattern_exec(mt->ctx, cd->rx, mt->md, v, vlen);
		if (r < 0) {
			(*limits)++;
			return 0;
		}
		return cd->op == COND_MATCH ? r : !r;
	case COND_EQ:
		return match_equal(mt, cd, v, vlen);
	case COND_NE:
		return !match_equal(mt, cd, v, vlen);
	default:
		break;
	}
	if (match_number(mt, v, vlen, &n) == -1)
		return 0;
	switch (cd->op) {
	case COND_LT:
		return n < cd->num;
	case COND_LE:
		return n <= cd->num;
	case COND_GT:
		return n > cd->num;
	default:
		return n >= cd->num;
	}
}

/* 1 when rule r holds for the line; *failed: which test failed. */
static int
match_rule_tests(struct matcher *mt, const struct rule *r,
    const struct claim *c, const char *line, size_t len, unsigned *limits,
    int *failed)
{
	size_t i;
	int rc;

	if (r->rx != NULL) {
		rc = pattern_exec(mt->ctx, r->rx, mt->md, line, len);
		if (rc < 0)
			(*limits)++;
		if (rc != 1) {
			*failed = -1;
			return 0;
		}
	}
	for (i = 0; i < r->nconds; i++)
		if (!match_cond(mt, &r->conds[i], c, line, len, limits)) {
			*failed = (int)i;
			return 0;
		}
	return 1;
}

/* The same, and a limit hit on the way is also counted against r. */
static int
match_rule(struct matcher *mt, const struct rule *r, const struct claim *c,
    const char *line, size_t len, unsigned *limits, int count, int *failed)
{
	unsigned before = *limits;
	int holds;

	holds = match_rule_tests(mt, r, c, line, len, limits, failed);
	if (count && *limits != before && mt->rulelimits != NULL)
		mt->rulelimits[r - mt->rs->rules]++;
	return holds;
}

void
matcher_decide(struct matcher *mt, const struct claim *c, const char *line,
    size_t len, struct match *m)
{
	const struct source *src;
	size_t i;
	int failed;

	m->status = c->status;
	m->source = c->source;
	m->rule = -1;
	m->customer = c->customer;
	m->customerlen = c->customerlen;
	m->timestr = c->timestr;
	m->timelen = c->timelen;
	m->time = c->time;
	m->limits = c->limits;
	m->claim = c;
	if (c->status != MATCH_NORULE)
		return;
	mt->numv = NULL;
	mt->numlen = 0;
	src = &mt->rs->sources[c->source];
	for (i = 0; i < src->nrules; i++)
		if (match_rule(mt, &mt->rs->rules[src->rules[i]], c, line, len,
		    &m->limits, 1, &failed)) {
			m->rule = (int)src->rules[i];
			m->status = MATCH_EVENT;
			return;
		}
}

const char *
match_why(struct matcher *mt, const struct claim *c, const char *line,
    size_t len, unsigned rule, char *buf, size_t bufsz)
{
	const struct rule *r = &mt->rs->rules[rule];
	const struct cond *cd;
	unsigned limits = 0;
	int failed = 0;

	/* Asking why counts nothing: the line was counted when decided. */
	mt->numv = NULL;
	mt->numlen = 0;
	if (match_rule(mt, r, c, line, len, &limits, 0, &failed))
		snprintf(buf, bufsz, "holds");
	else if (failed < 0)
		snprintf(buf, bufsz, "match failed");
	else {
		cd = &r->conds[failed];
		snprintf(buf, bufsz, "if %s %s %s failed", cd->fieldname,
		    match_opname[cd->op], cd->str);
	}
	return buf;
}
