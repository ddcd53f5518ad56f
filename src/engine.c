/*
 * engine: line → match → window table → alert, with the counters behind
 * --stats and the per-line account behind --explain.
 */
#include <err.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alert.h"
#include "engine.h"
#include "exec.h"
#include "match.h"
#include "obuf.h"
#include "report.h"
#include "rules.h"
#include "slog.h"
#include "wtab.h"
#include "xmalloc.h"

struct engine {
	struct ruleset		*rs;
	struct obuf		*out;
	struct wtab		*wt;
	struct engine_opts	 opts;
	struct engine_stats	 st;
	struct wtab_stats	 before;	/* counted by tables before a
						   reload (engine_reload()) */
	int			 wallclock;	/* a source has time = none */
	struct obuf		*json;		/* --exec: the alert, in memory */
	struct obuf		*env;		/* --exec: CX_* values */
	unsigned char		*srcwarned;	/* [nsources] limit warned */
	unsigned char		*rulewarned;	/* [nrules] */
};

struct engine *
engine_new(struct ruleset *rs, const struct engine_opts *opts,
    struct obuf *out)
{
	struct wtab_config wc;
	struct engine *e;
	size_t i;

	e = xcalloc(1, sizeof(*e));
	e->rs = rs;
	e->out = out;
	e->opts = *opts;
	rules_set_simple(rs, opts->simple);
	memset(&wc, 0, sizeof(wc));
	wc.window = rs->settings.window;
	wc.cooldown = rs->settings.cooldown;
	wc.threshold = rs->settings.threshold;
	wc.channels = rs->settings.channels;
	wc.nchannels = (unsigned)rs->nchannels;
	wc.nrules = (unsigned)rs->nrules;
	wc.evidence = opts->evidence;
	wc.max_customers = opts->max_customers;
	e->wt = wtab_new(&wc);
	if (opts->exec != NULL || opts->slog != NULL) {
		e->json = obuf_new(-1, 4096);
		e->env = obuf_new(-1, 1024);
	}
	e->st.srclines = xcalloc(rs->nsources, sizeof(uint64_t));
	e->st.ruleevents = xcalloc(rs->nrules, sizeof(uint64_t));
	e->st.srclimits = xcalloc(rs->nsources, sizeof(uint64_t));
	e->st.rulelimits = xcalloc(rs->nrules, sizeof(uint64_t));
	e->srcwarned = xcalloc(rs->nsources, 1);
	e->rulewarned = xcalloc(rs->nrules, 1);
	for (i = 0; i < rs->nsources; i++)
		if (rs->sources[i].time.kind == TP_NONE)
			e->wallclock = 1;
	return e;
}

void
engine_free(struct engine *e)
{
	if (e == NULL)
		return;
	wtab_free(e->wt);
	obuf_free(e->json);
	obuf_free(e->env);
	free(e->st.srclines);
	free(e->st.ruleevents);
	free(e->st.srclimits);
	free(e->st.rulelimits);
	free(e->srcwarned);
	free(e->rulewarned);
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

static void
engine_explain_fields(struct engine *e, const struct match *m,
    const char *line)
{
	const struct source *src = &e->rs->sources[m->source];
	const char *v;
	size_t vlen;
	uint32_t g;

	for (g = 1; g <= src->ngroups; g++) {
		if (src->groupname[g] == NULL || (int)g == src->g_customer ||
		    (int)g == src->g_time)
			continue;
		match_field(e->rs, m, line, (int)g, &v, &vlen);
		engine_kv(e->out, src->groupname[g], v, vlen);
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
		match_why(e->rs, m, line, len, src->rules[i], why,
		    sizeof(why));
		obuf_text(e->out, why, strlen(why));
	}
}

/* -x: one line saying what happened to this input line. */
static void
engine_explain(struct engine *e, const char *name, uint64_t lineno,
    const struct match *m, const char *line, size_t len)
{
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
		obuf_puts(o, m->customerlen == 0 ? " ignored: empty customer"
		    : " ignored: customer longer than 256 bytes");
		goto done;
	case MATCH_ANONYMOUS:
		engine_kv(o, "customer", m->customer, m->customerlen);
		obuf_puts(o, " ignored: anonymous");
		goto done;
	case MATCH_BADTIME:
		engine_kv(o, "customer", m->customer, m->customerlen);
		obuf_puts(o, " bad time");
		engine_kv(o, "time", m->timestr, m->timelen);
		goto done;
	default:
		break;
	}
	if (m->status == MATCH_EVENT) {
		obuf_puts(o, " rule=");
		obuf_puts(o, e->rs->rules[m->rule].name);
		obuf_puts(o, " weight=");
		obuf_u64(o, e->rs->rules[m->rule].weight);
		obuf_puts(o, " channel=");
		obuf_puts(o, e->rs->channels[e->rs->sources[m->source].channel]);
	}
	engine_kv(o, "customer", m->customer, m->customerlen);
	engine_kv(o, "time", tb, tp_format(m->time, tb));
	engine_explain_fields(e, m, line);
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
engine_exec(struct engine *e, const struct walert *a)
{
	const struct ruleset *rs = e->rs;
	struct exec_job_env env;
	size_t off[5], i, len;
	const char *p, *sep;

	obuf_clear(e->json);
	alert_write(e->json, ALERT_JSON, rs, a);
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
	p = obuf_data(e->env, &len);
	env.customer = p + off[0];
	env.score = p + off[1];
	env.time = p + off[2];
	env.channels = p + off[3];
	env.rules = p + off[4];
	p = obuf_data(e->json, &len);
	exec_alert(e->opts.exec, p, len, &env);
}

/* --syslog: the alert's first line, as the text form writes it. */
static void
engine_slog(struct engine *e, const struct walert *a)
{
	const char *p;
	size_t len;

	obuf_clear(e->json);
	alert_summary(e->json, e->rs, a);
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

void
engine_line(struct engine *e, const char *name, uint64_t lineno, int forced,
    const char *line, size_t len)
{
	engine_line_held(e, name, lineno, forced, NULL, line, len);
}

void
engine_line_held(struct engine *e, const char *name, uint64_t lineno,
    int forced, const struct match_held *held, const char *line, size_t len)
{
	const struct source *src;
	struct wtab_event ev;
	struct walert a;
	struct match m;
	enum wtab_result r;

	e->st.lines++;
	m.srclimits = e->st.srclimits;
	m.rulelimits = e->st.rulelimits;
	if (held != NULL)
		match_line_held(e->rs, held, line, len, engine_now(e), &m);
	else
		match_line(e->rs, forced, line, len, engine_now(e), &m);
	if (m.limits > 0) {
		e->st.limits++;
		engine_limit_warn(e, name, lineno);
	}
	if (m.source >= 0)
		e->st.srclines[m.source]++;
	if (e->opts.explain)
		engine_explain(e, name, lineno, &m, line, len);
	switch (m.status) {
	case MATCH_UNMATCHED:
		e->st.unmatched++;
		return;
	case MATCH_NOCUSTOMER:
		e->st.nocustomer++;
		return;
	case MATCH_ANONYMOUS:
		e->st.anonymous++;
		return;
	case MATCH_BADTIME:
		e->st.badtime++;
		return;
	case MATCH_NORULE:
		e->st.norule++;
		return;
	case MATCH_EVENT:
		break;
	}
	e->st.events++;
	e->st.ruleevents[m.rule]++;
	src = &e->rs->sources[m.source];
	ev.time = m.time;
	ev.weight = e->rs->rules[m.rule].weight;
	ev.channel = src->channel;
	ev.rule = (unsigned)m.rule;
	ev.source = (unsigned)m.source;
	ev.line = line;
	ev.linelen = len;
	r = wtab_add(e->wt, m.customer, m.customerlen, &ev, &a);
	if (e->opts.report != NULL) {
		report_event(e->opts.report, m.time);
		if (r == WTAB_ALERT)
			report_alert(e->opts.report, &a);
	}
	if (e->opts.explain) {
		if (r == WTAB_LATE)
			obuf_puts(e->out, "  => late: older than the "
			    "customer's window, dropped\n");
		else if (r == WTAB_ALERT) {
			obuf_puts(e->out, "  => ");
			alert_summary(e->out, e->rs, &a);
			obuf_putc(e->out, '\n');
		}
	} else if (r == WTAB_ALERT && !e->opts.quiet) {
		alert_write(e->out, e->opts.format, e->rs, &a);
		obuf_mark(e->out);	/* to count those not written */
	}
	/* -x describes; it does not act. */
	if (r == WTAB_ALERT && e->opts.exec != NULL && !e->opts.explain)
		engine_exec(e, &a);
	if (r == WTAB_ALERT && e->opts.slog != NULL && !e->opts.explain)
		engine_slog(e, &a);
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
	obuf_text(e->out, name, strlen(name));
	obuf_puts(e->out, ": ");
	obuf_text(e->out, msg, strlen(msg));
	obuf_putc(e->out, '\n');
	free(msg);
}

int64_t
engine_latest(const struct engine *e)
{
	return wtab_latest(e->wt);
}

struct wtab *
engine_table(struct engine *e)
{
	return e->wt;
}

struct engine_stats *
engine_stats(struct engine *e)
{
	wtab_stats(e->wt, &e->st.wt);
	e->st.wt.late += e->before.late;
	e->st.wt.evicted += e->before.evicted;
	e->st.wt.forgotten += e->before.forgotten;
	e->st.wt.folded += e->before.folded;
	e->st.wt.alerts += e->before.alerts;
	if (e->before.peak > e->st.wt.peak)
		e->st.wt.peak = e->before.peak;
	return &e->st;
}

/* What a reload carries from the old rules to the new, by name. */
struct engine_move {
	const struct ruleset	*from, *to;
	struct wtab		*wt;
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
		    c->events[k].time <= c->now - cfg->window)
			continue;
		r = &mv->to->rules[ri];
		mv->evs[n] = c->events[k];
		mv->evs[n].rule = (unsigned)ri;
		mv->evs[n].weight = r->weight;
		mv->evs[n].source = r->source;
		mv->evs[n].channel = mv->to->sources[r->source].channel;
		n++;
	}
	/* Evidence is kept for the newest events, as wtab_add() keeps it. */
	for (k = 0; k < n; k++) {
		mv->evs[k].evidence = k + cfg->evidence >= n;
		if (mv->evs[k].line == NULL) {
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

struct engine *
engine_reload(struct engine *e, struct ruleset *rs)
{
	const struct ruleset *old = e->rs;
	struct engine_move mv;
	struct engine *n;
	const char *why;
	size_t i;
	int k;

	n = engine_new(rs, &e->opts, e->out);
	free(n->st.srclines);
	free(n->st.ruleevents);
	free(n->st.srclimits);
	free(n->st.rulelimits);
	n->st = *engine_stats(e);
	n->before = n->st.wt;
	n->st.srclines = xcalloc(rs->nsources, sizeof(uint64_t));
	n->st.ruleevents = xcalloc(rs->nrules, sizeof(uint64_t));
	n->st.srclimits = xcalloc(rs->nsources, sizeof(uint64_t));
	n->st.rulelimits = xcalloc(rs->nrules, sizeof(uint64_t));
	for (i = 0; i < old->nsources; i++)
		if ((k = rules_source_find(rs, old->sources[i].name)) >= 0) {
			n->st.srclines[k] = e->st.srclines[i];
			n->st.srclimits[k] = e->st.srclimits[i];
			n->srcwarned[k] = e->srcwarned[i];
		}
	memset(&mv, 0, sizeof(mv));
	mv.from = old;
	mv.to = rs;
	mv.wt = n->wt;
	mv.rulemap = xcalloc(old->nrules, sizeof(int));
	for (i = 0; i < old->nrules; i++) {
		mv.rulemap[i] = engine_find_rule(rs, old->rules[i].name);
		if ((k = mv.rulemap[i]) >= 0) {
			n->st.ruleevents[k] = e->st.ruleevents[i];
			n->st.rulelimits[k] = e->st.rulelimits[i];
			n->rulewarned[k] = e->rulewarned[i];
		}
	}
	(void)wtab_set_latest(n->wt, wtab_latest(e->wt), &why);
	(void)wtab_each(e->wt, engine_move_cb, &mv);
	free(mv.rulemap);
	free(mv.evs);
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
	engine_stat(o, "lines anonymous", st->anonymous);
	engine_stat(o, "lines no customer", st->nocustomer);
	engine_stat(o, "lines no rule", st->norule);
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
	engine_stat(o, "events folded", st->wt.folded);
	engine_stat(o, "alerts", st->wt.alerts);
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
