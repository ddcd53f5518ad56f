/*
 * engine: line → match → window tables → alerts, with the counters behind
 * --stats and the per-line account behind --explain.
 *
 * One window table per detector (cxwatch.rules(5), "Detectors."). T, the
 * latest time of a line a rule decided (semantics 6), is the engine's:
 * a table is brought up to it (wtab_set_latest()) just before it is used,
 * and every table before the tables are saved or counted, so that each
 * sees the same T as if it had seen every line. The tables share one
 * budget for their evidence lines, --evidence-memory (wtab.h).
 *
 * With an [incident] section each failure rule also has an incident
 * tracker (incident.h), fed in the same apply path, in input order, so
 * that incidents come out the same on every path (cxwatch.rules(5),
 * semantics 7 to 13).
 */
#include <err.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alert.h"
#include "engine.h"
#include "exec.h"
#include "incident.h"
#include "match.h"
#include "obuf.h"
#include "privacy.h"
#include "redact.h"
#include "report.h"
#include "rules.h"
#include "slog.h"
#include "wtab.h"
#include "xmalloc.h"

#define ENGINE_XEX	3	/* -x -s: examples of each kind of line */

/* A detector's table and what it counted. */
struct engine_det {
	struct wtab		*wt;
	struct wtab_stats	 before;	/* counted by tables before a
						   reload (engine_reload()) */
};

struct engine {
	uint64_t		 alerts;	/* all detectors' */
	uint64_t		 skip;		/* engine_skip_alerts() */
	const struct ruleset	*rs;
	struct matcher		*mt;
	struct claim		*cl;		/* for lines not claimed before */
	struct obuf		*out;
	struct engine_det	*det;		/* [rs->ndetectors] */
	size_t			 ndet;
	struct wtab_budget	*budget;	/* the tables' evidence lines */
	int64_t			 T;		/* semantics 6; INT64_MIN */
	struct engine_opts	 opts;
	struct engine_stats	 st;
	struct wtab_stats	 gone;		/* counted by the tables of
						   detectors a reload dropped */
	int			 wallclock;	/* a source has time = none */
	struct obuf		*json;		/* --exec: the alert, in memory */
	struct obuf		*env;		/* --exec: CX_* values */
	unsigned char		*srcwarned;	/* [nsources] limit warned */
	unsigned char		*rulewarned;	/* [nrules] */
	struct incident		**inc;		/* [nrules]: NULL without
						   [incident], and for
						   forgiving rules */
	char			**incid;	/* [nrules]: the open
						   incident's id, or NULL */
	const char		**ids;		/* [nrules]: an alert's */
	size_t			*open;		/* [nrules]: the rules with an
						   open incident, in order */
	size_t			 nopen;
	int			 xshown;	/* -x: this line is described */
	/* -x -s: the first lines of each status, and of each rule. */
	char			*xex[MATCH_EVENT + 1][ENGINE_XEX];
	char			**xrule;	/* [nrules] */
	struct privacy		*pv;		/* cxwatch.rules(5), Privacy:
						   NULL when nothing to do */
};

/* One tracker per failure rule, with [incident]'s values. */
static void
engine_incidents_new(struct engine *e)
{
	const struct ruleset *rs = e->rs;
	struct incident_config ic;
	size_t i;

	ic.customers = rs->incident.customers;
	ic.window = rs->incident.window;
	ic.cooldown = rs->incident.cooldown;
	e->inc = xcalloc(rs->nrules, sizeof(*e->inc));
	e->incid = xcalloc(rs->nrules, sizeof(*e->incid));
	e->ids = xcalloc(rs->nrules, sizeof(*e->ids));
	e->open = xcalloc(rs->nrules, sizeof(*e->open));
	for (i = 0; i < rs->nrules; i++)
		if (!rs->rules[i].forgiving)
			e->inc[i] = incident_new(&ic);
}

struct engine *
engine_new(const struct ruleset *rs, const struct engine_opts *opts,
    struct obuf *out)
{
	struct wtab_config wc;
	struct engine *e;
	size_t i;

	e = xcalloc(1, sizeof(*e));
	e->rs = rs;
	e->out = out;
	e->opts = *opts;
	e->mt = matcher_new(rs, opts->simple, opts->max_line > 0 ?
	    opts->max_line : 64 * 1024);
	e->cl = claim_new(rs);
	e->T = INT64_MIN;
	e->ndet = rs->ndetectors;
	e->det = xcalloc(e->ndet, sizeof(*e->det));
	e->st.det = xcalloc(e->ndet, sizeof(*e->st.det));
	e->budget = wtab_budget_new(opts->evidence_memory);
	for (i = 0; i < e->ndet; i++) {
		memset(&wc, 0, sizeof(wc));
		wc.window = rs->detectors[i].settings.window;
		wc.cooldown = rs->detectors[i].settings.cooldown;
		wc.threshold = rs->detectors[i].settings.threshold;
		wc.channels = rs->detectors[i].settings.channels;
		wc.nchannels = (unsigned)rs->nchannels;
		wc.nrules = (unsigned)rs->nrules;
		wc.evidence = opts->evidence;
		wc.max_customers = opts->max_customers;
		wc.budget = e->budget;
		e->det[i].wt = wtab_new(&wc);
	}
	if (opts->exec != NULL || opts->slog != NULL) {
		e->json = obuf_new(-1, 4096);
		e->env = obuf_new(-1, 1024);
	}
	e->st.srclines = xcalloc(rs->nsources, sizeof(uint64_t));
	e->st.srcunparsable = xcalloc(rs->nsources, sizeof(uint64_t));
	e->st.ruleevents = xcalloc(rs->nrules, sizeof(uint64_t));
	e->st.srclimits = xcalloc(rs->nsources, sizeof(uint64_t));
	e->st.rulelimits = xcalloc(rs->nrules, sizeof(uint64_t));
	matcher_counters(e->mt, e->st.srclimits, e->st.rulelimits);
	e->srcwarned = xcalloc(rs->nsources, 1);
	e->rulewarned = xcalloc(rs->nrules, 1);
	for (i = 0; i < rs->nsources; i++)
		if (rs->sources[i].time.kind == TP_NONE)
			e->wallclock = 1;
	if (rs->incident.file != NULL)
		engine_incidents_new(e);
	e->pv = privacy_new(rs, opts->pseud, opts->simple);
	if (opts->explain)
		e->xrule = xcalloc(rs->nrules, sizeof(*e->xrule));
	return e;
}

void
engine_free(struct engine *e)
{
	size_t i, j;

	if (e == NULL)
		return;
	for (i = 0; i < e->ndet; i++)
		wtab_free(e->det[i].wt);
	wtab_budget_free(e->budget);
	free(e->det);
	free(e->st.det);
	matcher_free(e->mt);
	claim_free(e->cl);
	obuf_free(e->json);
	obuf_free(e->env);
	free(e->st.srclines);
	free(e->st.srcunparsable);
	free(e->st.ruleevents);
	free(e->st.srclimits);
	free(e->st.rulelimits);
	free(e->srcwarned);
	free(e->rulewarned);
	for (i = 0; e->inc != NULL && i < e->rs->nrules; i++) {
		incident_free(e->inc[i]);
		free(e->incid[i]);
	}
	free(e->inc);
	free(e->incid);
	free(e->ids);
	free(e->open);
	privacy_free(e->pv);
	for (i = 0; i <= MATCH_EVENT; i++)
		for (j = 0; j < ENGINE_XEX; j++)
			free(e->xex[i][j]);
	for (i = 0; e->xrule != NULL && i < e->rs->nrules; i++)
		free(e->xrule[i]);
	free(e->xrule);
	free(e);
}

static int64_t
engine_now(const struct engine *e)
{
	struct timespec ts;

	if (!e->wallclock)
		return 0;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* key=value for -x; the value is one word (obuf_field()). */
static void
engine_kv(struct obuf *o, const char *key, const char *v, size_t len)
{
	obuf_putc(o, ' ');
	obuf_puts(o, key);
	obuf_putc(o, '=');
	obuf_field(o, v, len);
}

/* -x: *v (a value from m's line) as it may be shown: redacted. */
static void
engine_redacted(struct engine *e, const struct match *m, const char *line,
    size_t len, const char **v, size_t *vlen)
{
	uint64_t fired;

	if (e->pv != NULL)
		*vlen = privacy_redact(e->pv, m, line, len, *v, *vlen, v,
		    &fired);
}

/* -x: whether field g of m's source is shown (not customer or time). */
static int
engine_field_shown(const struct source *src, const struct match *m,
    uint32_t g)
{
	return src->groupname[g] != NULL && (int)g != src->g_customer &&
	    (int)g != src->g_time && (!m->claim->structured ||
	    match_present(m->claim, (int)g));
}

/* engine_kv() of a value from the line, redacted (-x). */
static void
engine_kv_line(struct engine *e, const char *key, const struct match *m,
    const char *line, size_t len, const char *v, size_t vlen)
{
	engine_redacted(e, m, line, len, &v, &vlen);
	engine_kv(e->out, key, v, vlen);
}

/* The names of what fired, comma-separated (-x). */
static void
engine_fired(const struct engine *e, struct obuf *o, uint64_t fired)
{
	const char *sep = "";
	size_t i;

	if (fired & REDACT_FIRED_ID) {
		obuf_puts(o, "customer");
		sep = ", ";
	}
	for (i = 0; i < REDACT_NCLASS; i++)
		if (fired & REDACT_FIRED_CLASS(i)) {
			obuf_puts(o, sep);
			obuf_puts(o, redact_class_name((int)i));
			sep = ", ";
		}
	for (i = 0; i < e->rs->privacy.nredacts; i++)
		if (fired & REDACT_FIRED_RULE(i)) {
			obuf_puts(o, sep);
			obuf_puts(o, e->rs->privacy.redacts[i].name);
			sep = ", ";
		}
	if (fired & REDACT_FIRED_LIMIT) {
		obuf_puts(o, sep);
		obuf_puts(o, "a pattern's limit: the rest hidden");
		sep = ", ";
	}
	if (*sep == '\0')
		obuf_puts(o, "nothing");
}

/*
 * -x: a note on the line just described ("  => what[: ev]"), or with -o
 * json an object {"type":"note","note":what[,"evidence":ev]}.
 */
static void
engine_xnote(struct engine *e, const char *what, const char *ev,
    size_t evlen)
{
	struct obuf *o = e->out;

	if (e->opts.format == ALERT_JSON) {
		obuf_puts(o, "{\"type\":\"note\",\"note\":");
		obuf_jstr(o, what, strlen(what));
		if (ev != NULL) {
			obuf_puts(o, ",\"evidence\":");
			obuf_jstr(o, ev, evlen);
		}
		obuf_puts(o, "}\n");
		return;
	}
	obuf_puts(o, "  => ");
	obuf_text(o, what, strlen(what));
	if (ev != NULL) {
		obuf_puts(o, ": ");
		obuf_text(o, ev, evlen);
	}
	obuf_putc(o, '\n');
}

static void
engine_explain_fields(struct engine *e, const struct match *m,
    const char *line, size_t len)
{
	const struct source *src = &e->rs->sources[m->source];
	const char *v;
	size_t vlen;
	uint32_t g;

	for (g = 1; g <= src->ngroups; g++) {
		if (!engine_field_shown(src, m, g))
			continue;
		match_field(m->claim, line, (int)g, &v, &vlen);
		engine_kv_line(e, src->groupname[g], m, line, len, v, vlen);
	}
}

static void
engine_explain_norule(struct engine *e, const struct match *m,
    const char *line, size_t len)
{
	const struct source *src = &e->rs->sources[m->source];
	char why[512];
	size_t i;

	obuf_puts(e->out, " no rule");
	for (i = 0; i < src->nrules; i++) {
		obuf_puts(e->out, i == 0 ? ": " : "; ");
		obuf_puts(e->out, e->rs->rules[src->rules[i]].name);
		obuf_puts(e->out, ": ");
		match_why(e->mt, m->claim, line, len, src->rules[i], why,
		    sizeof(why));
		obuf_text(e->out, why, strlen(why));
	}
}

/* The names of the detectors in mask, comma-separated; "-" for none. */
static void
engine_detectors(const struct engine *e, struct obuf *o, uint64_t mask)
{
	const char *sep = "";
	size_t d;

	if (mask == 0)
		obuf_putc(o, '-');
	for (d = 0; d < e->ndet; d++)
		if (mask & (UINT64_C(1) << d)) {
			obuf_puts(o, sep);
			obuf_puts(o, e->rs->detectors[d].name);
			sep = ",";
		}
}

/* -x: where and why a json or logfmt source could not read the line. */
static void
engine_unparsable(struct obuf *o, const struct claim *c)
{
	obuf_puts(o, " unparsable: ");
	if (c->inner) {
		obuf_puts(o, "in the unwrapped field at byte ");
		obuf_u64(o, c->whyoff);
		obuf_puts(o, ", byte ");
		obuf_u64(o, c->inner_off);
	} else {
		obuf_puts(o, "byte ");
		obuf_u64(o, c->whyoff);
	}
	obuf_puts(o, ": ");
	obuf_text(o, c->why, strlen(c->why));
}

/* -x: why the line has no customer (semantics 2). */
static void
engine_nocustomer(struct obuf *o, const struct ruleset *rs,
    const struct match *m)
{
	const struct claim *c = m->claim;
	int g = rs->sources[m->source].g_customer;

	if (c->structured) {
		if (!match_present(c, g)) {
			obuf_puts(o, " ignored: no customer field");
			return;
		}
		if (!match_scalar(c, g)) {
			engine_kv(o, "customer", m->customer, m->customerlen);
			obuf_puts(o, " ignored: customer is not a string or "
			    "a number");
			return;
		}
	}
	obuf_puts(o, m->customerlen == 0 ? " ignored: empty customer" :
	    " ignored: customer longer than 256 bytes");
}

/* -x -o json: each status's name. */
static const char *
engine_status_name(enum match_status st)
{
	switch (st) {
	case MATCH_UNMATCHED:
		return "unmatched";
	case MATCH_NOCUSTOMER:
		return "no customer";
	case MATCH_ANONYMOUS:
		return "anonymous";
	case MATCH_UNPARSABLE:
		return "unparsable";
	case MATCH_BADTIME:
		return "bad time";
	case MATCH_NORULE:
		return "no rule";
	case MATCH_EVENT:
		break;
	}
	return "event";
}

/* -x -o json: "detectors":["a","b"] of mask. */
static void
engine_jdetectors(const struct engine *e, struct obuf *o, const char *key,
    uint64_t mask)
{
	const char *sep = "";
	size_t d;

	obuf_printf(o, ",\"%s\":[", key);
	for (d = 0; d < e->ndet; d++)
		if (mask & (UINT64_C(1) << d)) {
			obuf_puts(o, sep);
			obuf_jstr(o, e->rs->detectors[d].name,
			    strlen(e->rs->detectors[d].name));
			sep = ",";
		}
	obuf_putc(o, ']');
}

/* -x -o json: "key":"value", the value from the line, redacted. */
static void
engine_jkv_line(struct engine *e, const char *key, const struct match *m,
    const char *line, size_t len, const char *v, size_t vlen)
{
	engine_redacted(e, m, line, len, &v, &vlen);
	obuf_jstr(e->out, key, strlen(key));
	obuf_putc(e->out, ':');
	obuf_jstr(e->out, v, vlen);
}

/*
 * -x -o json: the line as one object, with what the text form says: the
 * input and line number, "status", the source, rule, customer, time,
 * fields, and why nothing holds ("why", "rules").
 */
static void
engine_explain_json(struct engine *e, const char *name, uint64_t lineno,
    const struct match *m, const char *line, size_t len)
{
	const struct source *src;
	const struct rule *r;
	struct obuf *o = e->out, *w;
	const char *v, *sep;
	char why[512];
	size_t i, vlen;
	uint32_t g;

	obuf_puts(o, "{\"type\":\"line\",\"input\":");
	obuf_jstr(o, name, strlen(name));
	obuf_puts(o, ",\"line\":");
	obuf_u64(o, lineno);
	obuf_puts(o, ",\"status\":\"");
	obuf_puts(o, engine_status_name(m->status));
	obuf_putc(o, '"');
	if (m->source < 0)
		goto done;
	src = &e->rs->sources[m->source];
	obuf_puts(o, ",\"source\":");
	obuf_jstr(o, src->name, strlen(src->name));
	if (m->status != MATCH_NOCUSTOMER && m->status != MATCH_UNPARSABLE) {
		obuf_puts(o, ",\"customer\":");
		obuf_jstr(o, m->customer, m->customerlen);
	}
	if (m->status != MATCH_EVENT && m->status != MATCH_NORULE) {
		/* The text form's reason, without its leading blank. */
		w = obuf_new(-1, 256);
		if (m->status == MATCH_NOCUSTOMER)
			engine_nocustomer(w, e->rs, m);
		else if (m->status == MATCH_ANONYMOUS)
			obuf_puts(w, " ignored: anonymous");
		else if (m->status == MATCH_UNPARSABLE)
			engine_unparsable(w, m->claim);
		else
			obuf_puts(w, " bad time");
		v = obuf_data(w, &vlen);
		obuf_puts(o, ",\"why\":");
		obuf_jstr(o, v + 1, vlen - 1);
		obuf_free(w);
		if (m->status == MATCH_BADTIME) {
			obuf_putc(o, ',');
			engine_jkv_line(e, "time", m, line, len, m->timestr,
			    m->timelen);
		}
		goto done;
	}
	if (m->status == MATCH_EVENT) {
		r = &e->rs->rules[m->rule];
		obuf_puts(o, ",\"rule\":");
		obuf_jstr(o, r->name, strlen(r->name));
		if (r->forgiving)
			engine_jdetectors(e, o, "forgives", r->forgives);
		else {
			obuf_puts(o, ",\"weight\":");
			obuf_u64(o, r->weight);
			engine_jdetectors(e, o, "detectors", r->detectors);
		}
		obuf_puts(o, ",\"channel\":");
		obuf_jstr(o, e->rs->channels[src->channel],
		    strlen(e->rs->channels[src->channel]));
	}
	obuf_puts(o, ",\"time\":\"");
	obuf_time(o, m->time);
	obuf_puts(o, "\",\"fields\":{");
	for (sep = "", g = 1; g <= src->ngroups; g++) {
		if (!engine_field_shown(src, m, g))
			continue;
		obuf_puts(o, sep);
		match_field(m->claim, line, (int)g, &v, &vlen);
		engine_jkv_line(e, src->groupname[g], m, line, len, v, vlen);
		sep = ",";
	}
	obuf_putc(o, '}');
	if (m->status == MATCH_NORULE) {
		obuf_puts(o, ",\"rules\":[");
		for (i = 0; i < src->nrules; i++) {
			match_why(e->mt, m->claim, line, len, src->rules[i],
			    why, sizeof(why));
			obuf_puts(o, i == 0 ? "{\"rule\":" : ",{\"rule\":");
			r = &e->rs->rules[src->rules[i]];
			obuf_jstr(o, r->name, strlen(r->name));
			obuf_puts(o, ",\"why\":");
			obuf_jstr(o, why, strlen(why));
			obuf_putc(o, '}');
		}
		obuf_putc(o, ']');
	}
done:
	if (m->limits > 0)
		obuf_puts(o, ",\"limit\":true");
	obuf_puts(o, "}\n");
}

/* -x -s: note the line as an example of its kind, while there is room. */
static void
engine_example(struct engine *e, const char *name, uint64_t lineno,
    const struct match *m)
{
	char **slot = NULL;
	size_t j;

	if (m->status == MATCH_EVENT)
		slot = e->xrule[m->rule] == NULL ? &e->xrule[m->rule] : NULL;
	else
		for (j = 0; j < ENGINE_XEX && slot == NULL; j++)
			if (e->xex[m->status][j] == NULL)
				slot = &e->xex[m->status][j];
	if (slot != NULL)
		*slot = xasprintf("%s:%llu", name, (unsigned long long)lineno);
}

/* -x -s: the examples, after the counters. */
static void
engine_examples_write(const struct engine *e, struct obuf *o)
{
	static const enum match_status order[] = { MATCH_UNMATCHED,
	    MATCH_NOCUSTOMER, MATCH_ANONYMOUS, MATCH_BADTIME,
	    MATCH_UNPARSABLE, MATCH_NORULE };
	const char *sep;
	size_t i, j;

	obuf_puts(o, "  examples (-x):\n");
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		if (e->xex[order[i]][0] == NULL)
			continue;
		obuf_printf(o, "    %-20s ", engine_status_name(order[i]));
		for (sep = "", j = 0; j < ENGINE_XEX &&
		    e->xex[order[i]][j] != NULL; j++, sep = ", ") {
			obuf_puts(o, sep);
			obuf_text(o, e->xex[order[i]][j],
			    strlen(e->xex[order[i]][j]));
		}
		obuf_putc(o, '\n');
	}
	for (i = 0; i < e->rs->nrules; i++)
		if (e->xrule[i] != NULL) {
			obuf_printf(o, "    rule %-15s ", e->rs->rules[i].name);
			obuf_text(o, e->xrule[i], strlen(e->xrule[i]));
			obuf_putc(o, '\n');
		}
}

/* --explain-only's kind of a line of status st. */
static unsigned
engine_xkind(enum match_status st)
{
	switch (st) {
	case MATCH_EVENT:
		return ENGINE_X_EVENT;
	case MATCH_NORULE:
		return ENGINE_X_NORULE;
	case MATCH_UNMATCHED:
		return ENGINE_X_UNCLAIMED;
	default:
		return ENGINE_X_IGNORED;
	}
}

/* -x: one line saying what happened to this input line. */
static void
engine_explain(struct engine *e, const char *name, uint64_t lineno,
    const struct match *m, const char *line, size_t len)
{
	const struct rule *r;
	struct obuf *o = e->out;
	char tb[TP_FMTLEN];

	obuf_text(o, name, strlen(name));
	obuf_putc(o, ':');
	obuf_u64(o, lineno);
	obuf_putc(o, ':');
	if (m->status == MATCH_UNMATCHED) {
		obuf_puts(o, " unmatched: no source matched");
		goto done;
	}
	obuf_puts(o, " source=");
	obuf_puts(o, e->rs->sources[m->source].name);
	switch (m->status) {
	case MATCH_NOCUSTOMER:
		engine_nocustomer(o, e->rs, m);
		goto done;
	case MATCH_ANONYMOUS:
		engine_kv(o, "customer", m->customer, m->customerlen);
		obuf_puts(o, " ignored: anonymous");
		goto done;
	case MATCH_UNPARSABLE:
		engine_unparsable(o, m->claim);
		goto done;
	case MATCH_BADTIME:
		engine_kv(o, "customer", m->customer, m->customerlen);
		obuf_puts(o, " bad time");
		engine_kv_line(e, "time", m, line, len, m->timestr,
		    m->timelen);
		goto done;
	default:
		break;
	}
	if (m->status == MATCH_EVENT) {
		r = &e->rs->rules[m->rule];
		obuf_puts(o, " rule=");
		obuf_puts(o, r->name);
		if (r->forgiving) {
			obuf_puts(o, " forgives=");
			engine_detectors(e, o, r->forgives);
		} else {
			obuf_puts(o, " weight=");
			obuf_u64(o, r->weight);
			obuf_puts(o, " detectors=");
			engine_detectors(e, o, r->detectors);
		}
		obuf_puts(o, " channel=");
		obuf_puts(o, e->rs->channels[e->rs->sources[m->source].channel]);
	}
	engine_kv(o, "customer", m->customer, m->customerlen);
	engine_kv(o, "time", tb, tp_format(m->time, tb));
	engine_explain_fields(e, m, line, len);
	if (m->status == MATCH_NORULE)
		engine_explain_norule(e, m, line, len);
done:
	if (m->limits > 0)
		obuf_puts(o, " (a pattern hit the PCRE2 match limit)");
	obuf_putc(o, '\n');
}

/*
 * --exec: the alert as JSON on the program's stdin, and its main fields,
 * as the text output writes them (escaped), in CX_* variables.
 */
static void
engine_exec(struct engine *e, const struct walert *a,
    const struct alert_incidents *ai)
{
	const struct ruleset *rs = e->rs;
	struct exec_job_env env;
	size_t off[6], i, len;
	const char *p, *sep;

	obuf_clear(e->json);
	alert_write(e->json, ALERT_JSON, rs, a, ai);
	obuf_clear(e->env);
	off[0] = 0;
	obuf_field(e->env, a->customer, a->customerlen);
	obuf_putc(e->env, '\0');
	off[1] = obuf_pending(e->env);
	obuf_u64(e->env, a->score);
	obuf_putc(e->env, '\0');
	off[2] = obuf_pending(e->env);
	obuf_time(e->env, a->time);
	obuf_putc(e->env, '\0');
	off[3] = obuf_pending(e->env);
	for (sep = "", i = 0; i < rs->nchannels; i++)
		if (a->chmask & (UINT64_C(1) << i)) {
			obuf_puts(e->env, sep);
			obuf_puts(e->env, rs->channels[i]);
			sep = ",";
		}
	obuf_putc(e->env, '\0');
	off[4] = obuf_pending(e->env);
	for (sep = "", i = 0; i < rs->nrules; i++)
		if (a->rulecount[i] > 0) {
			obuf_puts(e->env, sep);
			obuf_printf(e->env, "%s:%u", rs->rules[i].name,
			    a->rulecount[i]);
			sep = ",";
		}
	obuf_putc(e->env, '\0');
	off[5] = obuf_pending(e->env);
	obuf_puts(e->env, rs->detectors[a->detector].name);
	obuf_putc(e->env, '\0');
	p = obuf_data(e->env, &len);
	env.customer = p + off[0];
	env.score = p + off[1];
	env.time = p + off[2];
	env.channels = p + off[3];
	env.rules = p + off[4];
	env.detector = p + off[5];
	p = obuf_data(e->json, &len);
	exec_alert(e->opts.exec, p, len, &env);
}

/* --syslog: the alert's first line, as the text form writes it. */
static void
engine_slog(struct engine *e, const struct walert *a,
    const struct alert_incidents *ai)
{
	const char *p;
	size_t len;

	obuf_clear(e->json);
	alert_summary(e->json, e->rs, a, ai);
	p = obuf_data(e->json, &len);
	slog_send(e->opts.slog, p, len);
}

/* One pattern's first limit: what happened, where, and what to do. */
static void
engine_limit_say(const char *what, const char *name, const char *file,
    int fileline, const char *input, uint64_t lineno)
{
	struct obuf *o = obuf_new(-1, 256);
	const char *p;
	size_t len;

	obuf_printf(o, "%s %s (", what, name);
	obuf_text(o, file, strlen(file));
	obuf_printf(o, ":%d): pattern hit the PCRE2 backtracking limit on ",
	    fileline);
	obuf_text(o, input, strlen(input));
	obuf_printf(o, ":%llu and was taken as not matching; simplify it "
	    "(no nested repeats such as (a+)+). Said once; -s counts every "
	    "line", (unsigned long long)lineno);
	p = obuf_data(o, &len);
	warnx("%.*s", (int)len, p);
	obuf_free(o);
}

/*
 * A line hit a limit: warn for each source or rule whose counter
 * (match_line() bumped it) is new since the last look. Rare, so a walk.
 */
static void
engine_limit_warn(struct engine *e, const char *input, uint64_t lineno)
{
	const struct ruleset *rs = e->rs;
	size_t i;

	for (i = 0; i < rs->nsources; i++)
		if (e->st.srclimits[i] > 0 && !e->srcwarned[i]) {
			e->srcwarned[i] = 1;
			engine_limit_say("source", rs->sources[i].name,
			    rs->sources[i].file, rs->sources[i].lineno,
			    input, lineno);
		}
	for (i = 0; i < rs->nrules; i++)
		if (e->st.rulelimits[i] > 0 && !e->rulewarned[i]) {
			e->rulewarned[i] = 1;
			engine_limit_say("rule", rs->rules[i].name,
			    rs->rules[i].file, rs->rules[i].lineno, input,
			    lineno);
		}
}

/* Bring detector d's table to the engine's T before it is used. */
static struct wtab *
engine_table_at(struct engine *e, size_t d)
{
	struct wtab *wt = e->det[d].wt;
	const char *why;

	if (e->T != INT64_MIN && wtab_latest(wt) < e->T)
		(void)wtab_set_latest(wt, e->T, &why);
	return wt;
}

/*
 * Semantics 12: the ids of the open incidents of the rules with events
 * in a's window, in rule order.
 */
static void
engine_alert_ids(const struct engine *e, const struct walert *a,
    struct alert_incidents *ai)
{
	size_t i;

	ai->ids = e->ids;
	ai->n = 0;
	for (i = 0; i < e->nopen; i++)
		if (a->rulecount[e->open[i]] > 0)
			e->ids[ai->n++] = e->incid[e->open[i]];
}

/* An alert of detector d: written, reported, handed on. */
static void
engine_alert(struct engine *e, size_t d, struct walert *a)
{
	struct alert_incidents ai;

	engine_alert_ids(e, a, &ai);
	a->detector = (unsigned)d;
	e->st.det[d].alerts++;
	e->alerts++;
	if (e->skip > 0) {
		/* Written already, by the worker before (--consume). */
		e->skip--;
		return;
	}
	if (e->opts.report != NULL)
		report_alert(e->opts.report, a);
	if (e->opts.explain && e->opts.format == ALERT_JSON) {
		alert_write(e->out, ALERT_JSON, e->rs, a, &ai);
		return;
	}
	if (e->opts.explain) {
		obuf_puts(e->out, "  => ");
		alert_summary(e->out, e->rs, a, &ai);
		obuf_putc(e->out, '\n');
		return;
	}
	if (!e->opts.quiet) {
		alert_write(e->out, e->opts.format, e->rs, a, &ai);
		obuf_mark(e->out);	/* to count those not written */
	}
	/* -x describes; it does not act. */
	if (e->opts.exec != NULL)
		engine_exec(e, a, &ai);
	if (e->opts.slog != NULL)
		engine_slog(e, a, &ai);
}

/*
 * --exec for an incident: its JSON object on stdin; CX_TIME, CX_RULES
 * (its rule), CX_CHANNELS (its channel) and CX_SCORE (its customers) as
 * the text writes them; CX_CUSTOMER and CX_DETECTOR empty.
 */
static void
engine_exec_incident(struct engine *e, unsigned rule, const char *id,
    const struct incident_info *in, int end)
{
	const struct ruleset *rs = e->rs;
	const struct rule *r = &rs->rules[rule];
	struct exec_job_env env;
	size_t off[4], len;
	const char *p;

	obuf_clear(e->json);
	alert_incident(e->json, ALERT_JSON, rs, rule, id, in, end);
	obuf_clear(e->env);
	obuf_putc(e->env, '\0');
	off[0] = obuf_pending(e->env);
	obuf_u64(e->env, in->customers);
	obuf_putc(e->env, '\0');
	off[1] = obuf_pending(e->env);
	obuf_time(e->env, in->time);
	obuf_putc(e->env, '\0');
	off[2] = obuf_pending(e->env);
	obuf_puts(e->env, rs->channels[rs->sources[r->source].channel]);
	obuf_putc(e->env, '\0');
	off[3] = obuf_pending(e->env);
	obuf_puts(e->env, r->name);
	obuf_putc(e->env, '\0');
	p = obuf_data(e->env, &len);
	env.customer = p;
	env.detector = p;
	env.score = p + off[0];
	env.time = p + off[1];
	env.channels = p + off[2];
	env.rules = p + off[3];
	p = obuf_data(e->json, &len);
	exec_alert(e->opts.exec, p, len, &env);
}

/* An INCIDENT or INCIDENT END: written, handed on, as alerts are. */
static void
engine_incident_out(struct engine *e, unsigned rule, const char *id,
    const struct incident_info *in, int end)
{
	const char *p;
	size_t len;

	if (e->opts.report != NULL)
		report_incident(e->opts.report, rule, id, in, end);
	if (e->opts.explain && e->opts.format == ALERT_JSON) {
		alert_incident(e->out, ALERT_JSON, e->rs, rule, id, in, end);
		return;
	}
	if (e->opts.explain) {
		obuf_puts(e->out, "  => ");
		alert_incident_summary(e->out, e->rs, rule, id, in, end);
		obuf_putc(e->out, '\n');
		return;
	}
	if (!e->opts.quiet) {
		alert_incident(e->out, e->opts.format, e->rs, rule, id, in,
		    end);
		obuf_mark(e->out);
	}
	if (e->opts.exec != NULL)
		engine_exec_incident(e, rule, id, in, end);
	if (e->opts.slog != NULL) {
		obuf_clear(e->json);
		alert_incident_summary(e->json, e->rs, rule, id, in, end);
		p = obuf_data(e->json, &len);
		slog_send(e->opts.slog, p, len);
	}
}

/* The list of open incidents again, from the trackers (a load, a reload). */
static void
engine_open_rebuild(struct engine *e)
{
	size_t i;

	e->nopen = 0;
	for (i = 0; e->inc != NULL && i < e->rs->nrules; i++)
		if (e->inc[i] != NULL && incident_is_open(e->inc[i]))
			e->open[e->nopen++] = i;
}

/* Semantics 8: end the k-th open incident. */
static void
engine_incident_end(struct engine *e, size_t k)
{
	struct incident_info info;
	size_t i = e->open[k];

	incident_end(e->inc[i], &info);
	e->st.incidents_ended++;
	engine_incident_out(e, (unsigned)i, e->incid[i], &info, 1);
	free(e->incid[i]);
	e->incid[i] = NULL;
	memmove(e->open + k, e->open + k + 1,
	    (e->nopen - k - 1) * sizeof(*e->open));
	e->nopen--;
}

/* Semantics 8: every open incident due once the clock is at u. */
static void
engine_incidents_due(struct engine *e, int64_t u)
{
	size_t k = 0;

	while (k < e->nopen)
		if (incident_due(e->inc[e->open[k]], u))
			engine_incident_end(e, k);
		else
			k++;
}

/* The id of rule i's incident opened at t: NAME@TIME. */
static char *
engine_incident_id(const struct engine *e, size_t i, int64_t t)
{
	char tb[TP_FMTLEN];

	tp_format(t, tb);
	return xasprintf("%s@%s", e->rs->rules[i].name, tb);
}

/* Semantics 7 and 9: a failure rule's event into its rule's window. */
static void
engine_incident_event(struct engine *e, const struct match *m)
{
	struct incident_info info;
	enum incident_result res;
	size_t k;

	res = incident_add(e->inc[m->rule], m->customer, m->customerlen,
	    m->time, e->T, &info);
	if (res == INCIDENT_LATE) {
		e->st.incident_late++;
		if (e->xshown)
			engine_xnote(e, "late for the rule's incident window, "
			    "not counted there", NULL, 0);
	} else if (res == INCIDENT_OPENED) {
		/* The list stays in rule order: rules in the order defined. */
		for (k = e->nopen; k > 0 && e->open[k - 1] > (size_t)m->rule;
		    k--)
			e->open[k] = e->open[k - 1];
		e->open[k] = (size_t)m->rule;
		e->nopen++;
		e->st.incidents++;
		e->incid[m->rule] = engine_incident_id(e, (size_t)m->rule,
		    info.opened);
		engine_incident_out(e, (unsigned)m->rule, e->incid[m->rule],
		    &info, 0);
	}
}

void
engine_finish(struct engine *e)
{
	while (e->nopen > 0)
		engine_incident_end(e, 0);
}

/*
 * Semantics 3: a failure rule's event, in every detector that counts it,
 * in the order they were defined.
 */
static void
engine_event(struct engine *e, const struct rule *r, const struct match *m,
    const char *line, size_t len)
{
	const struct source *src = &e->rs->sources[m->source];
	struct wtab_event ev;
	struct walert a;
	enum wtab_result res;
	char *note;
	size_t d;

	e->st.events++;
	e->st.ruleevents[m->rule]++;
	if (e->opts.report != NULL)
		report_event(e->opts.report, m->time, (unsigned)m->source);
	ev.time = m->time;
	ev.weight = r->weight;
	ev.channel = src->channel;
	ev.rule = (unsigned)m->rule;
	ev.source = (unsigned)m->source;
	ev.line = line;
	ev.linelen = len;
	for (d = 0; d < e->ndet; d++) {
		if (!(r->detectors & (UINT64_C(1) << d)))
			continue;
		e->st.det[d].events++;
		res = wtab_add(engine_table_at(e, d), m->customer,
		    m->customerlen, &ev, &a);
		if (res == WTAB_ALERT)
			engine_alert(e, d, &a);
		else if (e->xshown && (res == WTAB_LATE ||
		    res == WTAB_FORGIVEN)) {
			note = xasprintf(res == WTAB_LATE ? "late in %s: older "
			    "than the customer's window, dropped" :
			    "forgiven in %s: no later than a success of the "
			    "customer's, dropped", e->rs->detectors[d].name);
			engine_xnote(e, note, NULL, 0);
			free(note);
		}
	}
}

/* A forgiving rule's line: cxwatch.rules(5), Forgiveness. */
static void
engine_forgive(struct engine *e, const struct rule *r, const struct match *m)
{
	size_t d;

	e->st.forgiving++;
	e->st.ruleevents[m->rule]++;
	for (d = 0; d < e->ndet; d++) {
		if (!(r->forgives & (UINT64_C(1) << d)))
			continue;
		e->st.det[d].forgiving++;
		(void)wtab_forgive(engine_table_at(e, d), m->customer,
		    m->customerlen, m->time);
	}
}

/* --emit: the line goes out, counted as it would be here. */
static void
engine_emit(struct engine *e, const struct rule *r, const struct match *m,
    const char *line, size_t len)
{
	e->st.ruleevents[m->rule]++;
	if (r->forgiving) {
		e->st.forgiving++;
		e->opts.emit(e->opts.emit_arg, m, r, NULL, 0);
	} else {
		e->st.events++;
		e->opts.emit(e->opts.emit_arg, m, r, line, len);
	}
	if (m->time > e->T)
		e->T = m->time;
}

void
engine_privacy(const struct engine *e, const struct pseudonym **key,
    int *redact)
{
	*key = e->opts.pseud;
	*redact = e->pv != NULL && (e->opts.evidence > 0 || e->opts.explain);
}

void
engine_line(struct engine *e, const char *name, uint64_t lineno, int forced,
    const char *line, size_t len)
{
	(void)matcher_claim(e->mt, e->cl, forced, line, len, engine_now(e), 0);
	engine_line_claimed(e, name, lineno, e->cl, line, len);
}

int
engine_claim(struct engine *e, struct claim *c, int forced, const char *line,
    size_t len)
{
	return matcher_claim(e->mt, c, forced, line, len, engine_now(e), 1);
}

void
engine_line_claimed(struct engine *e, const char *name, uint64_t lineno,
    const struct claim *c, const char *line, size_t len)
{
	struct match m;

	/* --no-prefilter: nothing is taken from before, not even the claim. */
	if (e->opts.simple && c != e->cl && c->source >= 0) {
		(void)matcher_claim(e->mt, e->cl, c->source, line, len,
		    engine_now(e), 1);
		c = e->cl;
	}
	matcher_decide(e->mt, c, line, len, &m);
	engine_line_decided(e, name, lineno, &m, NULL, 0, line, len);
}

void
engine_line_decided(struct engine *e, const char *name, uint64_t lineno,
    const struct match *m, const uint32_t *lim, size_t nlim,
    const char *line, size_t len)
{
	const struct ruleset *rs = e->rs;
	const struct rule *r;
	const char *ev = line;
	struct match pm;
	struct obuf *o;
	uint64_t fired = 0;
	size_t i, n, evlen = len;

	e->st.lines++;
	if (m->limits > 0) {
		/* Counted by another thread's matcher: counted here now. */
		for (i = 0; i < nlim; i++)
			if (lim[i] < rs->nsources)
				e->st.srclimits[lim[i]]++;
			else
				e->st.rulelimits[lim[i] - rs->nsources]++;
		e->st.limits++;
		engine_limit_warn(e, name, lineno);
	}
	if (m->source >= 0)
		e->st.srclines[m->source]++;
	/*
	 * cxwatch.rules(5), Privacy: past here, only the pseudonym, and
	 * evidence redacted (only the lines it may be made of). A pool's
	 * worker may have done both (m->pseudonymized, m->evline).
	 */
	if (e->pv != NULL && (m->status == MATCH_EVENT ||
	    (e->opts.explain && m->claim != NULL)))
		m = privacy_pseudonymize(e->pv, m, &pm);
	e->xshown = e->opts.explain && m->claim != NULL &&
	    (e->opts.explain_only == 0 ||
	    (e->opts.explain_only & engine_xkind(m->status)));
	if (e->opts.explain)
		engine_example(e, name, lineno, m);
	if (e->xshown && e->opts.format == ALERT_JSON)
		engine_explain_json(e, name, lineno, m, line, len);
	else if (e->xshown)
		engine_explain(e, name, lineno, m, line, len);
	if (m->evline != NULL) {
		ev = m->evline;
		evlen = m->evlen;
		fired = m->evfired;
	} else if (e->pv != NULL && m->status == MATCH_EVENT &&
	    !rs->rules[m->rule].forgiving &&
	    (e->opts.evidence > 0 || e->opts.explain))
		evlen = privacy_redact(e->pv, m, line, len, line, len, &ev,
		    &fired);
	if (ev != line) {
		if (fired & ~REDACT_FIRED_LIMIT)
			e->st.redacted++;
		if (fired & REDACT_FIRED_LIMIT)
			e->st.redact_limits++;
		if (e->xshown && fired != 0) {
			o = obuf_new(-1, 128);
			obuf_puts(o, "kept redacted (");
			engine_fired(e, o, fired);
			obuf_puts(o, ")");
			obuf_putc(o, '\0');
			engine_xnote(e, obuf_data(o, &n), ev, evlen);
			obuf_free(o);
		}
	}
	switch (m->status) {
	case MATCH_UNMATCHED:
		e->st.unmatched++;
		return;
	case MATCH_NOCUSTOMER:
		e->st.nocustomer++;
		return;
	case MATCH_ANONYMOUS:
		e->st.anonymous++;
		return;
	case MATCH_UNPARSABLE:
		e->st.unparsable++;
		e->st.srcunparsable[m->source]++;
		return;
	case MATCH_BADTIME:
		e->st.badtime++;
		return;
	case MATCH_NORULE:
		e->st.norule++;
		if (e->opts.emit_seen != NULL)
			e->opts.emit_seen(e->opts.emit_arg, m->time);
		return;
	case MATCH_EVENT:
		break;
	}
	r = &rs->rules[m->rule];
	if (e->opts.emit != NULL) {
		engine_emit(e, r, m, ev, evlen);
		return;
	}
	/* Semantics 8 before the line, 9 before its alerts. */
	if (e->inc != NULL) {
		engine_incidents_due(e, m->time > e->T ? m->time : e->T);
		if (!r->forgiving)
			engine_incident_event(e, m);
	}
	if (r->forgiving)
		engine_forgive(e, r, m);
	else
		engine_event(e, r, m, ev, evlen);
	/* cxwatch.rules(5), semantics 6: T moves after the line. */
	if (m->time > e->T)
		e->T = m->time;
}

void
engine_notef(struct engine *e, const char *name, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (!e->opts.explain)
		return;
	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (e->opts.format == ALERT_JSON) {
		obuf_puts(e->out, "{\"type\":\"note\",\"input\":");
		obuf_jstr(e->out, name, strlen(name));
		obuf_puts(e->out, ",\"note\":");
		obuf_jstr(e->out, msg, strlen(msg));
		obuf_puts(e->out, "}\n");
	} else {
		obuf_text(e->out, name, strlen(name));
		obuf_puts(e->out, ": ");
		obuf_text(e->out, msg, strlen(msg));
		obuf_putc(e->out, '\n');
	}
	free(msg);
}

size_t
engine_ndetectors(const struct engine *e)
{
	return e->ndet;
}

struct wtab *
engine_table(struct engine *e, size_t d)
{
	return engine_table_at(e, d);
}

size_t
engine_incident_trackers(struct engine *e, struct incident ***inc)
{
	*inc = e->inc;
	return e->inc != NULL ? e->rs->nrules : 0;
}

void
engine_incidents_loaded(struct engine *e)
{
	size_t i;

	for (i = 0; e->inc != NULL && i < e->rs->nrules; i++) {
		free(e->incid[i]);
		e->incid[i] = NULL;
		if (e->inc[i] != NULL && incident_is_open(e->inc[i]))
			e->incid[i] = engine_incident_id(e, i,
			    incident_opened(e->inc[i]));
	}
	engine_open_rebuild(e);
}

int64_t
engine_latest(const struct engine *e)
{
	return e->T;
}

int
engine_set_latest(struct engine *e, int64_t t, const char **why)
{
	size_t d;

	for (d = 0; d < e->ndet; d++)
		if (wtab_set_latest(e->det[d].wt, t, why) == -1)
			return -1;
	if (t > e->T)
		e->T = t;
	engine_incidents_due(e, e->T);
	return 0;
}

/* a += b, for the counters that add up (not customers or their peak). */
static void
engine_wt_add(struct wtab_stats *a, const struct wtab_stats *b)
{
	a->late += b->late;
	a->evicted += b->evicted;
	a->forgotten += b->forgotten;
	a->folded += b->folded;
	a->forgiven += b->forgiven;
	a->alerts += b->alerts;
	a->evdropped += b->evdropped;
}

struct engine_stats *
engine_stats(struct engine *e)
{
	struct wtab_stats ws, *dst;
	size_t d;

	memset(&e->st.wt, 0, sizeof(e->st.wt));
	engine_wt_add(&e->st.wt, &e->gone);
	for (d = 0; d < e->ndet; d++) {
		wtab_stats(engine_table_at(e, d), &ws);
		dst = &e->st.det[d].wt;
		*dst = ws;
		engine_wt_add(dst, &e->det[d].before);
		if (e->det[d].before.peak > dst->peak)
			dst->peak = e->det[d].before.peak;
		engine_wt_add(&e->st.wt, dst);
		e->st.wt.customers += dst->customers;
		e->st.wt.peak += dst->peak;
		e->st.wt.events += dst->events;
		e->st.wt.evbytes += dst->evbytes;
	}
	if (wtab_budget_peak(e->budget) > e->st.evidence_peak)
		e->st.evidence_peak = wtab_budget_peak(e->budget);
	return &e->st;
}

/* What a reload carries from the old rules to the new, by name. */
struct engine_move {
	const struct ruleset	*from, *to;
	struct wtab		*wt;
	uint64_t		 bit;		/* the new table's detector */
	int			*rulemap;	/* old rule → new, or -1 */
	struct wtab_saved_event	*evs;
	size_t			 cap;
};

static int
engine_find_rule(const struct ruleset *rs, const char *name)
{
	size_t i;

	for (i = 0; i < rs->nrules; i++)
		if (strcmp(rs->rules[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* One customer into the new table: its events of rules still there. */
static int
engine_move_cb(void *arg, const struct wtab_saved *c)
{
	struct engine_move *mv = arg;
	const struct wtab_config *cfg = wtab_config(mv->wt);
	const struct rule *r;
	struct wtab_saved nc = *c;
	const char *why;
	size_t k, n = 0;
	int ri;

	if (c->nevents > mv->cap) {
		mv->cap = c->nevents;
		mv->evs = xreallocarray(mv->evs, mv->cap, sizeof(*mv->evs));
	}
	for (k = 0; k < c->nevents; k++) {
		if ((ri = mv->rulemap[c->events[k].rule]) < 0 ||
		    !(mv->to->rules[ri].detectors & mv->bit) ||
		    c->events[k].time <= c->now - cfg->window)
			continue;
		r = &mv->to->rules[ri];
		mv->evs[n] = c->events[k];
		/* 0 for now: one of the newest, its line dropped. */
		mv->evs[n].evidence = c->events[k].evidence ||
		    c->events[k].folded != 0 || k + cfg->evidence < c->nevents;
		mv->evs[n].rule = (unsigned)ri;
		mv->evs[n].weight = r->weight;
		mv->evs[n].source = r->source;
		mv->evs[n].channel = mv->to->sources[r->source].channel;
		n++;
	}
	/*
	 * Evidence is kept for the newest events, as wtab_add() keeps it;
	 * those that never had a line get an empty one, and those whose
	 * line the budget dropped stay without.
	 */
	for (k = 0; k < n; k++) {
		mv->evs[k].evidence = k + cfg->evidence >= n &&
		    mv->evs[k].evidence;
		if (mv->evs[k].evidence && mv->evs[k].line == NULL) {
			mv->evs[k].line = "";
			mv->evs[k].linelen = 0;
		}
	}
	nc.events = mv->evs;
	nc.nevents = n;
	if (nc.suppressed_until != INT64_MIN &&
	    nc.suppressed_until > c->now + cfg->cooldown)
		nc.suppressed_until = c->now + cfg->cooldown;
	/* A customer the new settings make idle, or a bad one, is left out. */
	(void)wtab_adopt(mv->wt, &nc, &why);
	return 0;
}

/* Detector d of e's into n's table nd, customer by customer. */
static void
engine_move_det(struct engine *e, size_t d, struct engine *n, size_t nd,
    struct engine_move *mv)
{
	mv->wt = n->det[nd].wt;
	mv->bit = UINT64_C(1) << nd;
	n->det[nd].before = e->st.det[d].wt;
	n->st.det[nd] = e->st.det[d];
	(void)wtab_each(engine_table_at(e, d), engine_move_cb, mv);
}

/*
 * Semantics 13: the new rules' tracker for old rule i, if it keeps it
 * (same name, a failure rule, the same [incident] values), else -1.
 */
static int
engine_incident_keeps(const struct engine *e, size_t i,
    const struct ruleset *rs)
{
	const struct rules_incident *a = &e->rs->incident, *b = &rs->incident;
	int k;

	if (b->file == NULL || a->customers != b->customers ||
	    a->window != b->window || a->cooldown != b->cooldown)
		return -1;
	if ((k = engine_find_rule(rs, e->rs->rules[i].name)) < 0 ||
	    rs->rules[k].forgiving)
		return -1;
	return k;
}

/*
 * A reload to rs: with n NULL, the open incidents that do not carry over
 * end (in e, before its counters move); with n, the rest move to it.
 */
static void
engine_reload_incidents(struct engine *e, const struct ruleset *rs,
    struct engine *n)
{
	size_t i;
	int k;

	if (n == NULL) {
		for (i = 0; i < e->nopen; )
			if (engine_incident_keeps(e, e->open[i], rs) < 0)
				engine_incident_end(e, i);
			else
				i++;
		return;
	}
	for (i = 0; e->inc != NULL && i < e->rs->nrules; i++)
		if (e->inc[i] != NULL &&
		    (k = engine_incident_keeps(e, i, rs)) >= 0) {
			incident_swap(n->inc[k], e->inc[i]);
			n->incid[k] = e->incid[i];
			e->incid[i] = NULL;
		}
	e->nopen = 0;
	engine_open_rebuild(n);
}

struct engine *
engine_reload(struct engine *e, const struct ruleset *rs)
{
	const struct ruleset *old = e->rs;
	struct engine_move mv;
	struct engine *n;
	struct engine_det_stats *det;
	const char *why;
	size_t i;
	int k;

	engine_reload_incidents(e, rs, NULL);
	(void)engine_stats(e);
	n = engine_new(rs, &e->opts, e->out);
	free(n->st.srclines);
	free(n->st.srcunparsable);
	free(n->st.ruleevents);
	free(n->st.srclimits);
	free(n->st.rulelimits);
	det = n->st.det;
	n->st = e->st;
	n->st.det = det;
	n->gone = e->gone;
	n->st.srclines = xcalloc(rs->nsources, sizeof(uint64_t));
	n->st.srcunparsable = xcalloc(rs->nsources, sizeof(uint64_t));
	n->st.ruleevents = xcalloc(rs->nrules, sizeof(uint64_t));
	n->st.srclimits = xcalloc(rs->nsources, sizeof(uint64_t));
	n->st.rulelimits = xcalloc(rs->nrules, sizeof(uint64_t));
	matcher_counters(n->mt, n->st.srclimits, n->st.rulelimits);
	for (i = 0; i < old->nsources; i++)
		if ((k = rules_source_find(rs, old->sources[i].name)) >= 0) {
			n->st.srclines[k] = e->st.srclines[i];
			n->st.srcunparsable[k] = e->st.srcunparsable[i];
			n->st.srclimits[k] = e->st.srclimits[i];
			n->srcwarned[k] = e->srcwarned[i];
		}
	memset(&mv, 0, sizeof(mv));
	mv.from = old;
	mv.to = rs;
	mv.rulemap = xcalloc(old->nrules, sizeof(int));
	for (i = 0; i < old->nrules; i++) {
		mv.rulemap[i] = engine_find_rule(rs, old->rules[i].name);
		if ((k = mv.rulemap[i]) >= 0) {
			n->st.ruleevents[k] = e->st.ruleevents[i];
			n->st.rulelimits[k] = e->st.rulelimits[i];
			n->rulewarned[k] = e->rulewarned[i];
		}
	}
	n->T = e->T;
	if (n->T != INT64_MIN)
		(void)engine_set_latest(n, n->T, &why);
	/* Detectors by name; a new one starts empty, a gone one is dropped. */
	for (i = 0; i < e->ndet; i++) {
		if ((k = rules_detector_find(rs, old->detectors[i].name)) >= 0)
			engine_move_det(e, i, n, (size_t)k, &mv);
		else
			engine_wt_add(&n->gone, &e->st.det[i].wt);
	}
	free(mv.rulemap);
	free(mv.evs);
	engine_reload_incidents(e, rs, n);
	return n;
}

static void
engine_stat(struct obuf *o, const char *what, uint64_t n)
{
	obuf_printf(o, "  %-22s %llu\n", what, (unsigned long long)n);
}

void
engine_stats_write(struct engine *e, struct obuf *o, double elapsed)
{
	const struct engine_stats *st = engine_stats(e);
	const struct ruleset *rs = e->rs;
	size_t i;

	obuf_puts(o, "cxwatch: stats\n");
	engine_stat(o, "inputs", st->inputs);
	engine_stat(o, "inputs already read", st->inputs_done);
	engine_stat(o, "inputs read on", st->inputs_resumed);
	engine_stat(o, "lines read", st->lines + st->longlines);
	engine_stat(o, "bytes read", st->bytes);
	for (i = 0; i < rs->nsources; i++)
		obuf_printf(o, "  lines source %-9s %llu\n",
		    rs->sources[i].name,
		    (unsigned long long)st->srclines[i]);
	engine_stat(o, "lines unmatched", st->unmatched);
	engine_stat(o, "lines too long", st->longlines);
	engine_stat(o, "lines bad time", st->badtime);
	engine_stat(o, "lines unparsable", st->unparsable);
	for (i = 0; i < rs->nsources; i++)
		if (rs->sources[i].format == SOURCE_JSON ||
		    rs->sources[i].format == SOURCE_LOGFMT)
			obuf_printf(o, "  unparsable source %-4s %llu\n",
			    rs->sources[i].name,
			    (unsigned long long)st->srcunparsable[i]);
	engine_stat(o, "lines anonymous", st->anonymous);
	engine_stat(o, "lines no customer", st->nocustomer);
	engine_stat(o, "lines no rule", st->norule);
	engine_stat(o, "lines forgiving", st->forgiving);
	engine_stat(o, "lines regex limit", st->limits);
	for (i = 0; i < rs->nsources; i++)
		if (st->srclimits[i] > 0)
			obuf_printf(o, "  regex limit source %-3s %llu\n",
			    rs->sources[i].name,
			    (unsigned long long)st->srclimits[i]);
	for (i = 0; i < rs->nrules; i++)
		if (st->rulelimits[i] > 0)
			obuf_printf(o, "  regex limit rule %-5s %llu\n",
			    rs->rules[i].name,
			    (unsigned long long)st->rulelimits[i]);
	engine_stat(o, "events", st->events);
	for (i = 0; i < rs->nrules; i++)
		obuf_printf(o, "  events rule %-10s %llu\n", rs->rules[i].name,
		    (unsigned long long)st->ruleevents[i]);
	engine_stat(o, "events late", st->wt.late);
	engine_stat(o, "events forgiven", st->wt.forgiven);
	engine_stat(o, "events folded", st->wt.folded);
	engine_stat(o, "evidence lines dropped", st->wt.evdropped);
	engine_stat(o, "evidence bytes peak", st->evidence_peak);
	if (e->pv != NULL) {
		engine_stat(o, "evidence lines redacted", st->redacted);
		engine_stat(o, "evidence redaction limit", st->redact_limits);
	}
	engine_stat(o, "alerts", st->wt.alerts);
	if (e->inc != NULL) {
		engine_stat(o, "incidents", st->incidents);
		engine_stat(o, "incidents ended", st->incidents_ended);
		engine_stat(o, "incident events late", st->incident_late);
	}
	for (i = 0; i < e->ndet; i++)
		obuf_printf(o, "  detector %s: events %llu, forgiving lines "
		    "%llu, events forgiven %llu, events late %llu, alerts "
		    "%llu\n", rs->detectors[i].name,
		    (unsigned long long)st->det[i].events,
		    (unsigned long long)st->det[i].forgiving,
		    (unsigned long long)st->det[i].wt.forgiven,
		    (unsigned long long)st->det[i].wt.late,
		    (unsigned long long)st->det[i].alerts);
	if (e->xrule != NULL)
		engine_examples_write(e, o);
	engine_stat(o, "customers tracked", st->wt.customers);
	engine_stat(o, "customers peak", st->wt.peak);
	engine_stat(o, "customers evicted", st->wt.evicted);
	engine_stat(o, "customers forgotten", st->wt.forgotten);
	if (e->opts.slog != NULL)
		engine_stat(o, "syslog lost", slog_lost(e->opts.slog));
	if (e->opts.exec != NULL) {
		struct exec_stats xs;

		exec_stats(e->opts.exec, &xs);
		engine_stat(o, "exec started", xs.started);
		engine_stat(o, "exec exit 0", xs.exited_ok);
		engine_stat(o, "exec failed", xs.exited_fail);
		engine_stat(o, "exec not run", xs.notrun + xs.spawn_failed);
		engine_stat(o, "exec killed (timeout)", xs.killed);
		engine_stat(o, "exec killed (stop)", xs.stop_killed);
		engine_stat(o, "exec dropped", xs.dropped);
		engine_stat(o, "exec dropped (stop)", xs.stop_dropped);
		engine_stat(o, "exec running", xs.running);
		engine_stat(o, "exec queued", xs.queued);
	}
	obuf_printf(o, "  %-22s %.3f s\n", "elapsed", elapsed);
	obuf_printf(o, "  %-22s %.1f MB/s\n", "throughput", elapsed > 0 ?
	    (double)st->bytes / 1e6 / elapsed : 0.0);
}

uint64_t
engine_alerts(const struct engine *e)
{
	return e->alerts;
}

void
engine_skip_alerts(struct engine *e, uint64_t alerts, uint64_t skip)
{
	e->alerts = alerts;
	e->skip = skip;
}
