/*
 * match: claims and decisions (cxwatch.rules(5), semantics 1-3). See
 * match.h. The claim's match data holds the source's fields; rules and
 * conditions run into the matcher's own, so deciding never disturbs the
 * fields.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dispatch.h"
#include "jsonl.h"
#include "logfmt.h"
#include "match.h"
#include "rules.h"
#include "template.h"
#include "wtab.h"
#include "xmalloc.h"

struct matcher {
	const struct ruleset	*rs;
	struct pattern_ctx	*ctx;
	pcre2_match_data	*md;		/* rules' and conditions' */
	struct tp_state		*tp;		/* [nsources] */
	struct jsonl		**jl;		/* [nsources]: json's parsers */
	struct logfmt		**lf;		/* [nsources]: logfmt's */
	size_t			*ckeylen;	/* [nsources]: logfmt's customer
						   key's length */
	unsigned		*lfwary;	/* [nsources]: logfmt's lines left
						   to look at before scanning */
	struct dispatch_scratch	**dsc;		/* [nsources]: for literal
						   rules, or NULL */
	int			 simple;
	uint64_t		*srclimits;	/* NULL, or [nsources] */
	uint64_t		*rulelimits;	/* NULL, or [nrules] */
	/* The last field read as a number in this decision, and its value. */
	const char		*numv;
	size_t			 numlen;
	double			 num;
	int			 numok;
};

/* Lines a logfmt source looks at first after scanning one it did not claim. */
#define MATCH_WARY	64

static const char *const match_opname[] = {
	"~", "!~", "==", "!=", "<", "<=", ">", ">="
};

struct matcher *
matcher_new(const struct ruleset *rs, int simple, size_t maxline)
{
	struct matcher *mt = xcalloc(1, sizeof(*mt));
	const struct source *src;
	size_t i, n = rs->nsources > 0 ? rs->nsources : 1;

	mt->rs = rs;
	mt->simple = simple;
	mt->ctx = pattern_ctx_new(simple);
	/* Rules and conditions only say whether they match. */
	mt->md = pattern_md_new(0);
	mt->tp = xcalloc(n, sizeof(*mt->tp));
	mt->jl = xcalloc(n, sizeof(*mt->jl));
	mt->lf = xcalloc(n, sizeof(*mt->lf));
	mt->ckeylen = xcalloc(n, sizeof(*mt->ckeylen));
	mt->lfwary = xcalloc(n, sizeof(*mt->lfwary));
	mt->dsc = xcalloc(n, sizeof(*mt->dsc));
	for (i = 0; i < rs->nsources; i++) {
		src = &rs->sources[i];
		if (!simple)
			mt->dsc[i] = dispatch_scratch_new(src->dispatch);
		tp_state_init(&mt->tp[i], &src->time, simple);
		if (src->format == SOURCE_JSON)
			mt->jl[i] = jsonl_new(src->jpaths, maxline);
		else if (src->format == SOURCE_LOGFMT) {
			mt->lf[i] = logfmt_new(src->lkeys, maxline);
			mt->ckeylen[i] = strlen(src->groupname[src->g_customer]);
		}
	}
	return mt;
}

void
matcher_free(struct matcher *mt)
{
	size_t i;

	if (mt == NULL)
		return;
	for (i = 0; i < mt->rs->nsources; i++) {
		jsonl_free(mt->jl[i]);
		logfmt_free(mt->lf[i]);
		dispatch_scratch_free(mt->dsc[i]);
	}
	free(mt->dsc);
	free(mt->jl);
	free(mt->lf);
	free(mt->ckeylen);
	free(mt->lfwary);
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
	uint32_t max = 0, maxf = 0;
	size_t i, maxslots = 1;

	for (i = 0; i < rs->nsources; i++) {
		if (rs->sources[i].format == SOURCE_LOGFMT &&
		    logfmt_keys_nslots(rs->sources[i].lkeys) > maxslots)
			maxslots = logfmt_keys_nslots(rs->sources[i].lkeys);
		if (rs->sources[i].format != SOURCE_REGEX) {
			if (rs->sources[i].ngroups > maxf)
				maxf = rs->sources[i].ngroups;
		} else if (rs->sources[i].ngroups > max)
			max = rs->sources[i].ngroups;
	}
	c->md = pattern_md_new(max);
	c->ov = pcre2_get_ovector_pointer(c->md);
	c->nov = pcre2_get_ovector_count(c->md);
	c->f = xcalloc(maxf + 1, sizeof(*c->f));
	c->lv = xcalloc(maxslots, sizeof(*c->lv));
	c->tv = xcalloc(maxf + 1, sizeof(*c->tv));
	c->source = -1;
	return c;
}

void
claim_free(struct claim *c)
{
	if (c == NULL)
		return;
	pcre2_match_data_free(c->md);
	free(c->f);
	free(c->lv);
	free(c->tv);
	free(c->buf);
	free(c);
}

/* match_field() for the hot path. */
static inline void
match_field_of(const struct claim *c, const char *line, int group,
    const char **val, size_t *vlen)
{
	const PCRE2_SIZE *ov = c->ov;
	const struct logfmt_field *v;

	if (c->structured) {
		if (group < 1 || (uint32_t)group > c->nf) {
			*val = "";
			*vlen = 0;
		} else if (c->lslot != NULL) {
			v = &c->lv[c->lslot[group]];
			*val = v->present ? v->p : "";
			*vlen = v->len;			/* 0 when absent */
		} else if (c->tmpl) {
			*val = c->tv[group - 1].p != NULL ?
			    c->tv[group - 1].p : "";
			*vlen = c->tv[group - 1].len;	/* 0 when absent */
		} else {
			*val = c->f[group].p;
			*vlen = c->f[group].len;
		}
		return;
	}
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

int
match_present(const struct claim *c, int group)
{
	if (group < 1 || (uint32_t)group > c->nf)
		return 0;
	if (c->lslot != NULL)
		return c->lv[c->lslot[group]].present;
	if (c->tmpl)
		return c->tv[group - 1].p != NULL;
	return c->f[group].present;
}

int
match_scalar(const struct claim *c, int group)
{
	if (group < 1 || (uint32_t)group > c->nf)
		return 0;
	return c->lslot != NULL || c->tmpl || c->f[group].scalar;
}

/*
 * Byte by byte, with no call: the names are short ("-"), and a call in
 * the loop would cost every line the registers saved around it.
 */
static int
match_anonymous(const struct source *src, const char *c, size_t len)
{
	const char *a;
	size_t i, j;

	for (i = 0; i < src->nanonymous; i++) {
		a = src->anonymous[i];
		for (j = 0; j < len && a[j] != '\0' && a[j] == c[j]; j++)
			;
		if (j == len && a[j] == '\0')
			return 1;
	}
	return 0;
}

/*
 * Semantics 1, a json source: the first byte past JSON's blanks is '{'.
 */
static int
match_json_looks(const char *line, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r' &&
		    line[i] != '\n')
			return line[i] == '{';
	return 0;
}

/* Room for need bytes in the claim's buffer. */
static void
match_room(struct claim *c, size_t need)
{
	if (need > c->bufcap) {
		free(c->buf);
		c->bufcap = need;
		c->buf = xmalloc(need);
	}
}

/*
 * The values that are not the line's bytes (decoded, so in the parser's
 * buffer, which the next line of the source overwrites) are copied into
 * the claim's own: a merge keeps a claim while it claims other lines.
 */
static void
match_keep(struct claim *c, const char *line, size_t len, size_t need)
{
	size_t off = 0;
	uint32_t i;

	match_room(c, need);
	for (i = 1; i <= c->nf; i++)
		if (c->f[i].len > 0 && (c->f[i].p < line ||
		    c->f[i].p + c->f[i].len > line + len)) {
			memcpy(c->buf + off, c->f[i].p, c->f[i].len);
			c->f[i].p = c->buf + off;
			off += c->f[i].len;
		}
}

/* match_keep() for a logfmt scan's nslots fields, need bytes or fewer. */
static void
match_keep_logfmt(struct claim *c, const char *line, size_t len,
    size_t nslots, size_t need)
{
	struct logfmt_field *v;
	size_t off = 0, i;

	match_room(c, need);
	for (i = 0, v = c->lv; i < nslots; i++, v++)
		if (v->len > 0 && (v->p < line || v->p + v->len > line + len)) {
			memcpy(c->buf + off, v->p, v->len);
			v->p = c->buf + off;
			off += v->len;
		}
}

/*
 * Semantics 1 and 2 for a template source: whether the line fits, and if
 * so the fields, which are the line's bytes.
 */
static int
match_template(struct claim *c, const struct source *src, const char *line,
    size_t len)
{
	if (template_scan(src->tmpl, line, len, c->tv) == -1)
		return 0;
	c->structured = 1;
	c->tmpl = 1;
	c->nf = src->ngroups;
	c->status = MATCH_NORULE;
	return 1;
}

/*
 * Semantics 1 and 2 for a json or logfmt source: whether it claims the
 * line (1) and, if so, the fields, or why the line is unparsable.
 */
static int
match_structured(struct matcher *mt, struct claim *c, size_t si,
    const char *line, size_t len)
{
	const struct source *src = &mt->rs->sources[si];
	const struct jsonl_value *jv;
	const struct jsonl_fail *jf;
	struct logfmt *lf;
	const char *end = line + len, *why, *key;
	size_t off, need = 0;
	uint32_t i;
	int rc;

	if (src->format == SOURCE_TEMPLATE)
		return match_template(c, src, line, len);
	if (src->format == SOURCE_JSON) {
		if (!match_json_looks(line, len))
			return 0;
		c->structured = 1;
		c->nf = src->ngroups;
		if (jsonl_parse(mt->jl[si], line, len) == -1) {
			jf = jsonl_failure(mt->jl[si]);
			c->why = jf->why;
			c->whyoff = jf->off;
			c->inner = jf->inner;
			c->inner_off = jf->inner_off;
			c->nf = 0;
			c->status = MATCH_UNPARSABLE;
			return 1;
		}
		for (i = 1; i <= c->nf; i++) {
			jv = jsonl_value(mt->jl[si], i - 1);
			c->f[i].present = jv->present;
			c->f[i].p = jv->present ? jv->p : "";
			c->f[i].len = jv->present ? jv->len : 0;
			c->f[i].scalar = jv->type == JSONL_STRING ||
			    jv->type == JSONL_NUMBER;
			if (c->f[i].len > 0 && (c->f[i].p < line ||
			    c->f[i].p + c->f[i].len > end))
				need += c->f[i].len;
		}
	} else {
		lf = mt->lf[si];
		key = src->groupname[src->g_customer];
		/*
		 * Semantics 1: the line holds "KEY=" at its start or after a
		 * blank. Not without =; yes when the scan (needed anyway)
		 * found a word "KEY=..." there; else, as a quoted value can
		 * hold it, logfmt_has_key() looks. A line the source does not
		 * claim is then scanned for nothing: after one, the next
		 * MATCH_WARY lines are looked at before they are scanned.
		 */
		if (mt->lfwary[si] > 0) {
			mt->lfwary[si]--;
			if (!logfmt_has_key(line, len, key, mt->ckeylen[si]))
				return 0;
			rc = logfmt_scan_into(lf, c->lv, line, len, &why, &off);
		} else {
			if (len == 0 || memchr(line, '=', len) == NULL)
				return 0;
			rc = logfmt_scan_into(lf, c->lv, line, len, &why, &off);
			if ((rc == -1 || (rc & LOGFMT_CLAIMED) == 0) &&
			    !logfmt_has_key(line, len, key, mt->ckeylen[si])) {
				mt->lfwary[si] = MATCH_WARY;
				return 0;
			}
		}
		c->structured = 1;
		if (rc == -1) {
			c->why = why;
			c->whyoff = off;
			c->inner = 0;
			c->nf = 0;
			c->status = MATCH_UNPARSABLE;
			return 1;
		}
		/*
		 * The fields are c->lv's, scanned into; only unescaped
		 * values are not the line's bytes.
		 */
		c->nf = src->ngroups;
		c->lslot = src->slot;
		if (rc & LOGFMT_UNESCAPED)
			match_keep_logfmt(c, line, len,
			    logfmt_keys_nslots(src->lkeys),
			    logfmt_unescaped(lf));
	}
	if (need > 0)
		match_keep(c, line, len, need);
	c->status = MATCH_NORULE;
	return 1;
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
	const struct jsonl_value *jv;
	enum match_status st = MATCH_NORULE;

	match_field_of(c, line, src->g_customer, &c->customer,
	    &c->customerlen);
	c->craw = c->customer;
	c->crawlen = c->customerlen;
	if (src->format == SOURCE_JSON && c->customerlen > 0) {
		/* Decoded: where the line has it, escaped (Privacy). */
		jv = jsonl_value(mt->jl[c->source], src->g_customer - 1);
		if (jv->present && jv->p != jv->raw) {
			c->craw = jv->raw;
			c->crawlen = jv->rawlen;
		}
	}
	if (c->customerlen == 0 || c->customerlen > WTAB_MAXKEY ||
	    (c->structured && !match_scalar(c, src->g_customer)))
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
	const struct source *src;
	size_t i, lo = 0, hi = rs->nsources;
	int rc;

	c->status = MATCH_UNMATCHED;
	c->source = -1;
	c->customer = c->timestr = NULL;
	c->customerlen = c->timelen = 0;
	c->time = 0;
	c->timeok = 0;
	c->limits = 0;
	c->structured = 0;
	c->nf = 0;
	c->lslot = NULL;
	c->tmpl = 0;
	if (forced >= 0) {
		lo = (size_t)forced;
		hi = lo + 1;
	}
	/* Semantics 1: the first source that claims it has it. */
	for (i = lo; i < hi; i++) {
		src = &rs->sources[i];
		rc = 1;
		if (src->rx != NULL) {
			rc = pattern_exec(mt->ctx, src->rx, c->md, line, len);
			if (rc < 0) {
				c->limits++;
				if (mt->srclimits != NULL)
					mt->srclimits[i]++;
			}
		}
		if (rc == 1 && src->format != SOURCE_REGEX &&
		    !match_structured(mt, c, i, line, len))
			rc = 0;
		if (rc == 1) {
			c->source = (int)i;
			if (c->status != MATCH_UNPARSABLE)
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
static inline __attribute__((always_inline)) int
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
	if (cd->isdur) {
		if (rules_duration(v, vlen, &n) == -1)
			return 0;
	} else if (match_number(mt, v, vlen, &n) == -1)
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
static inline __attribute__((always_inline)) int
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
static inline __attribute__((always_inline)) int
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

/*
 * Semantics 3 through the source's dispatch: only the rules keyed on the
 * line's value of the dispatch field, the literal rules whose literal the
 * line holds, and the others are tried, in rule order; those left out
 * would fail their key condition or their pattern's prefilter.
 */
static void
match_dispatched(struct matcher *mt, const struct source *src,
    const struct claim *c, const char *line, size_t len, struct match *m)
{
	const uint32_t *l[3];
	const char *v = "";
	size_t n[3] = { 0, 0, 0 }, at[3] = { 0, 0, 0 }, vlen = 0, k, best;
	uint32_t pos;
	int failed, field = dispatch_field(src->dispatch);

	if (field >= 0)
		match_field_of(c, line, field, &v, &vlen);
	dispatch_lookup(src->dispatch, v, vlen, &l[0], &n[0], &l[1], &n[1]);
	if (mt->dsc[c->source] != NULL)
		n[2] = dispatch_scan(mt->dsc[c->source], line, len, &l[2]);
	for (;;) {
		/* The lowest position at the head of the three lists. */
		for (k = 0, best = 3; k < 3; k++)
			if (at[k] < n[k] && (best == 3 ||
			    l[k][at[k]] < l[best][at[best]]))
				best = k;
		if (best == 3)
			return;
		pos = l[best][at[best]++];
		if (match_rule(mt, &mt->rs->rules[src->rules[pos]], c, line,
		    len, &m->limits, 1, &failed)) {
			m->rule = (int)src->rules[pos];
			m->status = MATCH_EVENT;
			return;
		}
	}
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
	m->craw = c->craw;
	m->crawlen = c->crawlen;
	m->pseudonymized = 0;
	m->evline = NULL;
	m->evlen = 0;
	m->evfired = 0;
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
	if (src->dispatch != NULL && !mt->simple) {
		match_dispatched(mt, src, c, line, len, m);
		return;
	}
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
