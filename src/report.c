/*
 * report: counts for --report, and its text and JSON forms (the HTML one
 * is report-html.c's). Memory is bounded: at most REPORT_MAXHOURS
 * distinct hours, REPORT_MAXCOMBOS channel combinations, REPORT_TOP
 * customers, REPORT_JOURNEYS alerts with their evidence (each line cut
 * at REPORT_LINEMAX bytes) and REPORT_MAXCUST customers' hashes are
 * kept; what does not fit is counted as such.
 */
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "incident.h"
#include "obuf.h"
#include "report.h"
#include "report-int.h"
#include "rules.h"
#include "wtab.h"
#include "xmalloc.h"

struct report *
report_new(const struct ruleset *rs)
{
	struct report *r = xcalloc(1, sizeof(*r));

	r->rs = rs;
	r->rulealerts = xcalloc(rs->nrules, sizeof(uint64_t));
	r->jour = xcalloc(REPORT_JOURNEYS, sizeof(*r->jour));
	r->inc = xcalloc(REPORT_INCIDENTS, sizeof(*r->inc));
	r->tmin = INT64_MAX;
	r->tmax = INT64_MIN;
	return r;
}

static void
report_journey_clear(struct report_journey *j)
{
	unsigned i;

	for (i = 0; i < j->nlines; i++)
		free(j->lines[i].line);
	free(j->lines);
	j->lines = NULL;
	j->nlines = 0;
}

static void
report_incident_clear(struct report_incident *in)
{
	unsigned k;

	free(in->id);
	for (k = 0; k < in->nsamples; k++)
		free(in->sample[k]);
}

void
report_incident(struct report *r, unsigned rule, const char *id,
    const struct incident_info *info, int end)
{
	struct report_incident *in;
	size_t i;
	unsigned k;

	if (end) {
		for (i = r->ninc; i > 0; i--)
			if (!r->inc[i - 1].ended &&
			    strcmp(r->inc[i - 1].id, id) == 0)
				break;
		if (i == 0)
			return;		/* opened past the bound, or before */
		in = &r->inc[i - 1];
		in->ended = 1;
		in->end = info->time;
		in->last = info->last;
		in->affected = info->customers;
		in->approximate = info->approximate;
		in->peak = info->peak;
		return;
	}
	if (r->ninc == REPORT_INCIDENTS) {
		r->inc_lost++;
		return;
	}
	in = &r->inc[r->ninc++];
	memset(in, 0, sizeof(*in));
	in->id = xstrdup(id);
	in->rule = rule;
	in->opened = info->opened;
	in->first = info->first;
	in->atopen = in->affected = info->customers;
	in->last = info->last;
	for (k = 0; k < info->nsamples && k < REPORT_SAMPLES; k++)
		in->sample[in->nsamples++] = xstrndup(info->sample[k],
		    info->samplelen[k]);
}

void
report_inputs(struct report *r, char *const *names, size_t n)
{
	size_t i;

	for (i = 0; i < r->ninputs; i++)
		free(r->inputs[i]);
	free(r->inputs);
	r->inputs = xcalloc(n > 0 ? n : 1, sizeof(*r->inputs));
	for (i = 0; i < n; i++)
		r->inputs[i] = xstrdup(names[i]);
	r->ninputs = n;
}

void
report_free(struct report *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nhours; i++)
		free(r->hours[i].chevents);
	for (i = 0; i < r->njour; i++)
		report_journey_clear(&r->jour[i]);
	for (i = 0; i < r->ninc; i++)
		report_incident_clear(&r->inc[i]);
	free(r->inc);
	for (i = 0; i < r->ninputs; i++)
		free(r->inputs[i]);
	free(r->inputs);
	free(r->jour);
	free(r->cust);
	free(r->hours);
	free(r->rulealerts);
	free(r);
}

/* Channel bits of mask under the old rules, under the new (by name). */
static uint64_t
report_remap_mask(const struct ruleset *from, const struct ruleset *to,
    uint64_t mask)
{
	uint64_t m = 0;
	size_t i, j;

	for (i = 0; i < from->nchannels; i++)
		if (mask & (UINT64_C(1) << i))
			for (j = 0; j < to->nchannels; j++)
				if (strcmp(from->channels[i], to->channels[j])
				    == 0)
					m |= UINT64_C(1) << j;
	return m;
}

/* Index i of a name in from's list, in to's; REPORT_NOINDEX if none. */
static uint32_t
report_remap_index(uint32_t i, size_t nfrom, const char *(*fname)(const
    struct ruleset *, size_t), const struct ruleset *from,
    const struct ruleset *to, size_t nto)
{
	size_t j;

	if (i == REPORT_NOINDEX || i >= nfrom)
		return REPORT_NOINDEX;
	for (j = 0; j < nto; j++)
		if (strcmp(fname(from, i), fname(to, j)) == 0)
			return (uint32_t)j;
	return REPORT_NOINDEX;
}

static const char *
report_rule_name(const struct ruleset *rs, size_t i)
{
	return rs->rules[i].name;
}

static const char *
report_channel_name(const struct ruleset *rs, size_t i)
{
	return rs->channels[i];
}

static const char *
report_detector_name(const struct ruleset *rs, size_t i)
{
	return rs->detectors[i].name;
}

/* The hours' channel counts and the journeys, by name under rs. */
static void
report_reload_kept(struct report *r, const struct ruleset *rs)
{
	struct report_journey *jo;
	uint64_t *ce;
	uint32_t c;
	size_t i, k;

	for (i = 0; i < r->nhours; i++) {
		ce = xcalloc(rs->nchannels, sizeof(*ce));
		for (k = 0; k < r->rs->nchannels; k++) {
			c = report_remap_index((uint32_t)k, r->rs->nchannels,
			    report_channel_name, r->rs, rs, rs->nchannels);
			if (c != REPORT_NOINDEX)
				ce[c] += r->hours[i].chevents[k];
		}
		free(r->hours[i].chevents);
		r->hours[i].chevents = ce;
	}
	for (i = 0; i < r->ninc; i++)
		r->inc[i].rule = report_remap_index(r->inc[i].rule,
		    r->rs->nrules, report_rule_name, r->rs, rs, rs->nrules);
	for (i = 0; i < r->njour; i++) {
		jo = &r->jour[i];
		jo->chmask = report_remap_mask(r->rs, rs, jo->chmask);
		jo->detector = report_remap_index(jo->detector,
		    r->rs->ndetectors, report_detector_name, r->rs, rs,
		    rs->ndetectors);
		for (k = 0; k < jo->nlines; k++) {
			jo->lines[k].rule = report_remap_index(jo->lines[k].rule,
			    r->rs->nrules, report_rule_name, r->rs, rs,
			    rs->nrules);
			jo->lines[k].channel = report_remap_index(
			    jo->lines[k].channel, r->rs->nchannels,
			    report_channel_name, r->rs, rs, rs->nchannels);
		}
	}
}

void
report_reload(struct report *r, const struct ruleset *rs)
{
	uint64_t *ra = xcalloc(rs->nrules, sizeof(uint64_t));
	size_t i, j, n;

	report_reload_kept(r, rs);

	for (i = 0; i < r->rs->nrules; i++)
		for (j = 0; j < rs->nrules; j++)
			if (strcmp(r->rs->rules[i].name, rs->rules[j].name)
			    == 0)
				ra[j] = r->rulealerts[i];
	free(r->rulealerts);
	r->rulealerts = ra;
	/* Combinations that now name the same channels become one. */
	for (i = n = 0; i < r->ncombos; i++) {
		r->combos[i].mask = report_remap_mask(r->rs, rs,
		    r->combos[i].mask);
		for (j = 0; j < n && r->combos[j].mask != r->combos[i].mask;
		    j++)
			;
		if (j < n)
			r->combos[j].alerts += r->combos[i].alerts;
		else
			r->combos[n++] = r->combos[i];
	}
	r->ncombos = n;
	for (i = 0; i < r->ntop; i++)
		r->top[i].chmask = report_remap_mask(r->rs, rs,
		    r->top[i].chmask);
	r->rs = rs;
}

static int64_t
report_floor_hour(int64_t ms)
{
	return ms >= 0 ? ms / REPORT_HOUR : -((-ms + REPORT_HOUR - 1) /
	    REPORT_HOUR);
}

/* The slot of hour h, made if there is room; NULL if not. */
static struct report_hour *
report_hour(struct report *r, int64_t ms)
{
	int64_t h = report_floor_hour(ms);
	size_t lo = 0, hi = r->nhours, mid;

	if (r->nhours > 0 && r->hours[r->nhours - 1].hour == h)
		return &r->hours[r->nhours - 1];
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (r->hours[mid].hour < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < r->nhours && r->hours[lo].hour == h)
		return &r->hours[lo];
	if (r->nhours == REPORT_MAXHOURS) {
		r->hours_lost++;
		return NULL;
	}
	r->hours = xreallocarray(r->hours, r->nhours + 1, sizeof(*r->hours));
	memmove(&r->hours[lo + 1], &r->hours[lo],
	    (r->nhours - lo) * sizeof(*r->hours));
	r->nhours++;
	memset(&r->hours[lo], 0, sizeof(r->hours[lo]));
	r->hours[lo].hour = h;
	r->hours[lo].chevents = xcalloc(r->rs->nchannels > 0 ?
	    r->rs->nchannels : 1, sizeof(uint64_t));
	return &r->hours[lo];
}

void
report_event(struct report *r, int64_t ms, unsigned source)
{
	struct report_hour *h = report_hour(r, ms);

	if (ms < r->tmin)
		r->tmin = ms;
	if (ms > r->tmax)
		r->tmax = ms;
	if (h == NULL)
		return;
	h->events++;
	if (source < r->rs->nsources)
		h->chevents[r->rs->sources[source].channel]++;
}

static void
report_combo(struct report *r, uint64_t mask)
{
	size_t i;

	for (i = 0; i < r->ncombos; i++)
		if (r->combos[i].mask == mask) {
			r->combos[i].alerts++;
			return;
		}
	if (r->ncombos == REPORT_MAXCOMBOS) {
		r->combos_lost++;
		return;
	}
	r->combos[r->ncombos].mask = mask;
	r->combos[r->ncombos++].alerts = 1;
}

/* Keep the REPORT_TOP highest scores, earlier alerts first on ties. */
static void
report_keep_top(struct report *r, const struct walert *a)
{
	struct report_top *t;
	size_t i;

	if (r->ntop == REPORT_TOP && r->top[REPORT_TOP - 1].score >= a->score)
		return;
	i = r->ntop < REPORT_TOP ? r->ntop++ : REPORT_TOP - 1;
	for (; i > 0 && r->top[i - 1].score < a->score; i--)
		r->top[i] = r->top[i - 1];
	t = &r->top[i];
	memcpy(t->key, a->customer, a->customerlen);
	t->keylen = a->customerlen;
	t->score = a->score;
	t->time = a->time;
	t->chmask = a->chmask;
}

/* FNV-1a, 64 bits: customers alerted are counted by their hashes. */
static uint64_t
report_hash(const char *s, size_t n)
{
	uint64_t h = UINT64_C(14695981039346656037);
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= UINT64_C(1099511628211);
	}
	return h != 0 ? h : 1;		/* 0 marks a free slot */
}

/* Open addressing, at most half full. */
static void
report_count_customer(struct report *r, const char *key, size_t n)
{
	uint64_t h = report_hash(key, n), *old;
	size_t i, k, oldcap;

	if (r->custfull)
		return;
	if (2 * (r->ncust + 1) > r->custcap) {
		if (r->ncust == REPORT_MAXCUST) {
			r->custfull = 1;
			return;
		}
		old = r->cust;
		oldcap = r->custcap;
		r->custcap = oldcap == 0 ? 1024 : 2 * oldcap;
		r->cust = xcalloc(r->custcap, sizeof(*r->cust));
		for (k = 0; k < oldcap; k++)
			if (old[k] != 0) {
				for (i = old[k] & (r->custcap - 1);
				    r->cust[i] != 0; i = (i + 1) &
				    (r->custcap - 1))
					;
				r->cust[i] = old[k];
			}
		free(old);
	}
	for (i = h & (r->custcap - 1); r->cust[i] != 0;
	    i = (i + 1) & (r->custcap - 1))
		if (r->cust[i] == h)
			return;
	r->cust[i] = h;
	r->ncust++;
}

/*
 * Keep the alert whole if it is among the REPORT_JOURNEYS highest
 * scores (an earlier alert wins a tie); the slot of the lowest goes.
 */
static void
report_keep_journey(struct report *r, const struct walert *a)
{
	struct report_journey *j;
	const struct wtab_evidence *ev;
	size_t i, low = 0;
	unsigned k;

	if (r->njour < REPORT_JOURNEYS)
		j = &r->jour[r->njour++];
	else {
		for (i = 1; i < r->njour; i++)
			if (r->jour[i].score < r->jour[low].score ||
			    (r->jour[i].score == r->jour[low].score &&
			    r->jour[i].seq > r->jour[low].seq))
				low = i;
		if (r->jour[low].score >= a->score)
			return;
		j = &r->jour[low];
		report_journey_clear(j);
	}
	j->seq = r->nalerts - 1;
	memcpy(j->key, a->customer, a->customerlen);
	j->keylen = a->customerlen;
	j->time = a->time;
	j->first = a->first;
	j->score = a->score;
	j->chmask = a->chmask;
	j->reason = a->reason;
	j->detector = a->detector;
	j->nevents = a->nevents;
	j->dropped = a->dropped;
	j->nlines = a->nevidence;
	j->lines = xcalloc(a->nevidence > 0 ? a->nevidence : 1,
	    sizeof(*j->lines));
	for (k = 0; k < a->nevidence; k++) {
		ev = &a->evidence[k];
		j->lines[k].time = ev->time;
		j->lines[k].rule = ev->rule;
		j->lines[k].channel = ev->source < r->rs->nsources ?
		    r->rs->sources[ev->source].channel : REPORT_NOINDEX;
		j->lines[k].len = ev->linelen > REPORT_LINEMAX ?
		    REPORT_LINEMAX : ev->linelen;
		j->lines[k].cut = ev->linelen - j->lines[k].len;
		j->lines[k].line = xmalloc(j->lines[k].len + 1);
		memcpy(j->lines[k].line, ev->line, j->lines[k].len);
		j->lines[k].line[j->lines[k].len] = '\0';
	}
}

void
report_alert(struct report *r, const struct walert *a)
{
	struct report_hour *h = report_hour(r, a->time);
	size_t i;

	r->nalerts++;
	if (h != NULL)
		h->alerts++;
	report_combo(r, a->chmask);
	for (i = 0; i < r->rs->nrules; i++)
		if (a->rulecount[i] > 0)
			r->rulealerts[i]++;
	report_keep_top(r, a);
	report_count_customer(r, a->customer, a->customerlen);
	report_keep_journey(r, a);
}

static void
report_channels(struct obuf *o, const struct ruleset *rs, uint64_t mask,
    int json)
{
	const char *sep = "";
	size_t i;

	for (i = 0; i < rs->nchannels; i++)
		if (mask & (UINT64_C(1) << i)) {
			obuf_puts(o, sep);
			if (json)
				obuf_jstr(o, rs->channels[i],
				    strlen(rs->channels[i]));
			else
				obuf_puts(o, rs->channels[i]);
			sep = ",";
		}
}

static uint64_t
report_source_events(const struct ruleset *rs, const struct engine_stats *st,
    size_t s)
{
	uint64_t n = 0;
	size_t i;

	for (i = 0; i < rs->sources[s].nrules; i++)
		if (!rs->rules[rs->sources[s].rules[i]].forgiving)
			n += st->ruleevents[rs->sources[s].rules[i]];
	return n;
}

int
report_cmp_combo(const void *a, const void *b)
{
	const struct report_combo *x = a, *y = b;

	if (x->alerts != y->alerts)
		return x->alerts > y->alerts ? -1 : 1;
	return x->mask < y->mask ? -1 : x->mask > y->mask;
}

/*
 * One character per hour from the first hour seen to the last, or per
 * `step` hours when that would be wider than REPORT_WIDTH; a blank is
 * none, the eight blocks scale to the busiest.
 */
static int64_t
report_spark(struct obuf *o, const struct report *r, int alerts)
{
	static const char *blocks[] = { "\xe2\x96\x81", "\xe2\x96\x82",
	    "\xe2\x96\x83", "\xe2\x96\x84", "\xe2\x96\x85", "\xe2\x96\x86",
	    "\xe2\x96\x87", "\xe2\x96\x88" };
	int64_t first = r->hours[0].hour, span, step, b, nb;
	uint64_t *sum, max = 0, v;
	size_t i;

	span = r->hours[r->nhours - 1].hour - first + 1;
	step = (span + REPORT_WIDTH - 1) / REPORT_WIDTH;
	nb = (span + step - 1) / step;
	sum = xcalloc((size_t)nb, sizeof(*sum));
	for (i = 0; i < r->nhours; i++) {
		v = alerts ? r->hours[i].alerts : r->hours[i].events;
		b = (r->hours[i].hour - first) / step;
		sum[b] += v;
		if (sum[b] > max)
			max = sum[b];
	}
	obuf_printf(o, "  %-7s ", alerts ? "alerts" : "events");
	for (b = 0; b < nb; b++)
		if (sum[b] == 0)
			obuf_putc(o, ' ');
		else
			obuf_puts(o, blocks[(sum[b] * 8 - 1) / max]);
	obuf_printf(o, "  max %llu\n", (unsigned long long)max);
	free(sum);
	return step;
}

static void	report_jcount(struct obuf *, const char *, uint64_t);

/* Rule i's name and channel, or "?" when a reload took it. */
static const char *
report_inc_rule(const struct report *r, const struct report_incident *in)
{
	return in->rule < r->rs->nrules ? r->rs->rules[in->rule].name : "?";
}

static const char *
report_inc_channel(const struct report *r, const struct report_incident *in)
{
	const struct ruleset *rs = r->rs;

	return in->rule < rs->nrules ? rs->channels[rs->sources[
	    rs->rules[in->rule].source].channel] : "?";
}

static void
report_text_incidents(struct report *r, struct obuf *o)
{
	const struct report_incident *in;
	size_t i;
	unsigned k;

	obuf_printf(o, "\nincidents: %llu\n", (unsigned long long)(r->ninc +
	    r->inc_lost));
	for (i = 0; i < r->ninc; i++) {
		in = &r->inc[i];
		obuf_puts(o, "  ");
		obuf_field(o, in->id, strlen(in->id));
		obuf_printf(o, "  %s  %s  ", report_inc_rule(r, in),
		    report_inc_channel(r, in));
		obuf_time(o, in->opened);
		obuf_puts(o, " to ");
		if (in->ended)
			obuf_time(o, in->end);
		else
			obuf_puts(o, "(open)");
		obuf_printf(o, "  customers %s%llu  peak %llu/min  ",
		    in->approximate ? "~" : "",
		    (unsigned long long)in->affected,
		    (unsigned long long)in->peak);
		for (k = 0; k < in->nsamples; k++) {
			if (k > 0)
				obuf_putc(o, ',');
			obuf_field(o, in->sample[k], strlen(in->sample[k]));
		}
		obuf_putc(o, '\n');
	}
	if (r->inc_lost > 0)
		obuf_printf(o, "  (%llu more, not kept)\n",
		    (unsigned long long)r->inc_lost);
}

static void
report_json_incidents(struct report *r, struct obuf *o)
{
	const struct report_incident *in;
	size_t i;
	unsigned k;

	obuf_puts(o, ",\"incidents\":[");
	for (i = 0; i < r->ninc; i++) {
		in = &r->inc[i];
		obuf_puts(o, i > 0 ? ",{\"id\":" : "{\"id\":");
		obuf_jstr(o, in->id, strlen(in->id));
		obuf_puts(o, ",\"rule\":");
		obuf_jstr(o, report_inc_rule(r, in),
		    strlen(report_inc_rule(r, in)));
		obuf_puts(o, ",\"channel\":");
		obuf_jstr(o, report_inc_channel(r, in),
		    strlen(report_inc_channel(r, in)));
		obuf_puts(o, ",\"opened\":\"");
		obuf_time(o, in->opened);
		obuf_puts(o, "\",\"end\":");
		if (in->ended) {
			obuf_putc(o, '"');
			obuf_time(o, in->end);
			obuf_putc(o, '"');
		} else
			obuf_puts(o, "null");
		report_jcount(o, ",\"customers\":", in->affected);
		obuf_puts(o, in->approximate ? ",\"approximate\":true" :
		    ",\"approximate\":false");
		report_jcount(o, ",\"peak_per_minute\":", in->peak);
		obuf_puts(o, ",\"samples\":[");
		for (k = 0; k < in->nsamples; k++) {
			if (k > 0)
				obuf_putc(o, ',');
			obuf_jstr(o, in->sample[k], strlen(in->sample[k]));
		}
		obuf_puts(o, "]}");
	}
	report_jcount(o, "],\"incidents_not_kept\":", r->inc_lost);
}

static void
report_text(struct report *r, struct obuf *o, const struct engine_stats *st)
{
	const struct ruleset *rs = r->rs;
	int64_t step;
	size_t i;

	obuf_puts(o, "cxwatch report\n");
	obuf_printf(o, "lines: %llu read, %llu unmatched, %llu unparsable, "
	    "%llu bad time, %llu anonymous, %llu too long\n",
	    (unsigned long long)(st->lines + st->longlines),
	    (unsigned long long)st->unmatched,
	    (unsigned long long)st->unparsable,
	    (unsigned long long)st->badtime,
	    (unsigned long long)st->anonymous,
	    (unsigned long long)st->longlines);
	obuf_printf(o, "\n%-16s %-12s %-8s %8s %10s %8s\n", "source",
	    "channel", "format", "lines", "unparsable", "events");
	for (i = 0; i < rs->nsources; i++)
		obuf_printf(o, "%-16s %-12s %-8s %8llu %10llu %8llu\n",
		    rs->sources[i].name, rs->channels[rs->sources[i].channel],
		    rules_format_name(rs->sources[i].format),
		    (unsigned long long)st->srclines[i],
		    (unsigned long long)st->srcunparsable[i],
		    (unsigned long long)report_source_events(rs, st, i));
	obuf_printf(o, "\n%-28s %8s %8s\n", "rule", "events", "alerts");
	for (i = 0; i < rs->nrules; i++)
		obuf_printf(o, "%-28s %8llu %8llu\n", rs->rules[i].name,
		    (unsigned long long)st->ruleevents[i],
		    (unsigned long long)r->rulealerts[i]);
	obuf_printf(o, "\n%-16s %8s %10s %9s %8s\n", "detector", "events",
	    "forgiving", "forgiven", "alerts");
	for (i = 0; i < rs->ndetectors; i++)
		obuf_printf(o, "%-16s %8llu %10llu %9llu %8llu\n",
		    rs->detectors[i].name,
		    (unsigned long long)st->det[i].events,
		    (unsigned long long)st->det[i].forgiving,
		    (unsigned long long)st->det[i].wt.forgiven,
		    (unsigned long long)st->det[i].alerts);
	obuf_printf(o, "\nalerts: %llu\n", (unsigned long long)st->wt.alerts);
	qsort(r->combos, r->ncombos, sizeof(*r->combos), report_cmp_combo);
	for (i = 0; i < r->ncombos; i++) {
		obuf_printf(o, "  %6llu  ", (unsigned long long)r->combos[i].alerts);
		report_channels(o, rs, r->combos[i].mask, 0);
		obuf_putc(o, '\n');
	}
	if (rs->incident.file != NULL)
		report_text_incidents(r, o);
	if (r->ntop > 0)
		obuf_puts(o, "\ntop customers by score\n");
	for (i = 0; i < r->ntop; i++) {
		obuf_printf(o, "  %6llu  ", (unsigned long long)r->top[i].score);
		obuf_time(o, r->top[i].time);
		obuf_puts(o, "  ");
		obuf_field(o, r->top[i].key, r->top[i].keylen);
		obuf_puts(o, "  ");
		report_channels(o, rs, r->top[i].chmask, 0);
		obuf_putc(o, '\n');
	}
	if (r->nhours > 0) {
		obuf_puts(o, "\nover time\n");
		report_spark(o, r, 0);
		step = report_spark(o, r, 1);
		obuf_printf(o, "  one mark per %lld hour%s from ",
		    (long long)step, step == 1 ? "" : "s");
		obuf_time(o, r->hours[0].hour * REPORT_HOUR);
		obuf_putc(o, '\n');
	}
}

static void
report_jcount(struct obuf *o, const char *key, uint64_t n)
{
	obuf_puts(o, key);
	obuf_u64(o, n);
}

static void
report_json(struct report *r, struct obuf *o, const struct engine_stats *st)
{
	const struct ruleset *rs = r->rs;
	size_t i;

	report_jcount(o, "{\"lines\":{\"read\":", st->lines + st->longlines);
	report_jcount(o, ",\"unmatched\":", st->unmatched);
	report_jcount(o, ",\"unparsable\":", st->unparsable);
	report_jcount(o, ",\"bad_time\":", st->badtime);
	report_jcount(o, ",\"anonymous\":", st->anonymous);
	report_jcount(o, ",\"too_long\":", st->longlines);
	obuf_puts(o, "},\"sources\":[");
	for (i = 0; i < rs->nsources; i++) {
		obuf_puts(o, i > 0 ? ",{\"name\":" : "{\"name\":");
		obuf_jstr(o, rs->sources[i].name, strlen(rs->sources[i].name));
		obuf_puts(o, ",\"channel\":");
		report_channels(o, rs, UINT64_C(1) << rs->sources[i].channel,
		    1);
		obuf_puts(o, ",\"format\":\"");
		obuf_puts(o, rules_format_name(rs->sources[i].format));
		report_jcount(o, "\",\"lines\":", st->srclines[i]);
		report_jcount(o, ",\"unparsable\":", st->srcunparsable[i]);
		report_jcount(o, ",\"events\":",
		    report_source_events(rs, st, i));
		obuf_putc(o, '}');
	}
	obuf_puts(o, "],\"rules\":[");
	for (i = 0; i < rs->nrules; i++) {
		obuf_puts(o, i > 0 ? ",{\"name\":" : "{\"name\":");
		obuf_jstr(o, rs->rules[i].name, strlen(rs->rules[i].name));
		report_jcount(o, ",\"events\":", st->ruleevents[i]);
		report_jcount(o, ",\"alerts\":", r->rulealerts[i]);
		obuf_putc(o, '}');
	}
	obuf_puts(o, "],\"detectors\":[");
	for (i = 0; i < rs->ndetectors; i++) {
		obuf_puts(o, i > 0 ? ",{\"name\":" : "{\"name\":");
		obuf_jstr(o, rs->detectors[i].name,
		    strlen(rs->detectors[i].name));
		report_jcount(o, ",\"events\":", st->det[i].events);
		report_jcount(o, ",\"forgiving_lines\":", st->det[i].forgiving);
		report_jcount(o, ",\"events_forgiven\":",
		    st->det[i].wt.forgiven);
		report_jcount(o, ",\"alerts\":", st->det[i].alerts);
		obuf_putc(o, '}');
	}
	report_jcount(o, "],\"alerts\":", st->wt.alerts);
	obuf_puts(o, ",\"alerts_by_channels\":[");
	qsort(r->combos, r->ncombos, sizeof(*r->combos), report_cmp_combo);
	for (i = 0; i < r->ncombos; i++) {
		obuf_puts(o, i > 0 ? ",{\"channels\":[" : "{\"channels\":[");
		report_channels(o, rs, r->combos[i].mask, 1);
		report_jcount(o, "],\"alerts\":", r->combos[i].alerts);
		obuf_putc(o, '}');
	}
	obuf_puts(o, "]");
	if (rs->incident.file != NULL)
		report_json_incidents(r, o);
	obuf_puts(o, ",\"top\":[");
	for (i = 0; i < r->ntop; i++) {
		obuf_puts(o, i > 0 ? ",{\"customer\":" : "{\"customer\":");
		obuf_jstr(o, r->top[i].key, r->top[i].keylen);
		report_jcount(o, ",\"score\":", r->top[i].score);
		obuf_puts(o, ",\"time\":\"");
		obuf_time(o, r->top[i].time);
		obuf_puts(o, "\",\"channels\":[");
		report_channels(o, rs, r->top[i].chmask, 1);
		obuf_puts(o, "]}");
	}
	obuf_puts(o, "],\"hours\":[");
	for (i = 0; i < r->nhours; i++) {
		obuf_puts(o, i > 0 ? ",{\"hour\":\"" : "{\"hour\":\"");
		obuf_time(o, r->hours[i].hour * REPORT_HOUR);
		report_jcount(o, "\",\"events\":", r->hours[i].events);
		report_jcount(o, ",\"alerts\":", r->hours[i].alerts);
		obuf_putc(o, '}');
	}
	obuf_puts(o, "]}\n");
}

void
report_write(struct report *r, struct obuf *o, enum report_format fmt,
    const struct engine_stats *st)
{
	if (fmt == REPORT_JSON)
		report_json(r, o, st);
	else if (fmt == REPORT_HTML)
		report_html(r, o, st);
	else
		report_text(r, o, st);
}
