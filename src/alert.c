/* alert: text and JSON alerts. See alert.h and cxwatch(1) ALERTS. */
#include <string.h>

#include "alert.h"
#include "incident.h"
#include "obuf.h"
#include "rules.h"
#include "wtab.h"

void
alert_summary(struct obuf *o, const struct ruleset *rs,
    const struct walert *a, const struct alert_incidents *inc)
{
	const char *sep = "";
	size_t i;

	obuf_time(o, a->time);
	obuf_puts(o, " ALERT ");
	obuf_field(o, a->customer, a->customerlen);
	obuf_puts(o, " detector=");
	obuf_puts(o, rs->detectors[a->detector].name);
	obuf_puts(o, " reason=");
	if (a->reason & WTAB_REASON_SCORE)
		obuf_puts(o, a->reason & WTAB_REASON_CHANNELS ?
		    "score,channels" : "score");
	else
		obuf_puts(o, "channels");
	obuf_puts(o, " score=");
	obuf_u64(o, a->score);
	obuf_putc(o, '/');
	obuf_u64(o, rs->detectors[a->detector].settings.threshold);
	obuf_puts(o, " channels=");
	for (i = 0; i < rs->nchannels; i++)
		if (a->chmask & (UINT64_C(1) << i)) {
			obuf_puts(o, sep);
			obuf_puts(o, rs->channels[i]);
			sep = ",";
		}
	obuf_puts(o, " events=");
	obuf_u64(o, a->nevents);
	obuf_puts(o, " first=");
	obuf_time(o, a->first);
	obuf_puts(o, " rules=");
	sep = "";
	for (i = 0; i < rs->nrules; i++)
		if (a->rulecount[i] > 0) {
			obuf_puts(o, sep);
			obuf_puts(o, rs->rules[i].name);
			obuf_putc(o, ':');
			obuf_u64(o, a->rulecount[i]);
			sep = ",";
		}
	for (i = 0; inc != NULL && i < inc->n; i++) {
		obuf_puts(o, i == 0 ? " incidents=" : ",");
		obuf_puts(o, inc->ids[i]);
	}
}

static void
alert_text(struct obuf *o, const struct ruleset *rs, const struct walert *a,
    const struct alert_incidents *inc)
{
	unsigned i;

	alert_summary(o, rs, a, inc);
	obuf_putc(o, '\n');
	for (i = 0; i < a->nevidence; i++) {
		obuf_puts(o, "  ");
		obuf_text(o, a->evidence[i].line, a->evidence[i].linelen);
		obuf_putc(o, '\n');
	}
	/* Only then, so that output without the budget is as it was. */
	if (a->dropped > 0)
		obuf_printf(o, "  (%u evidence line%s dropped: "
		    "--evidence-memory)\n", a->dropped,
		    a->dropped == 1 ? "" : "s");
}

static void
alert_jname(struct obuf *o, const char *s)
{
	obuf_jstr(o, s, strlen(s));
}

static void
alert_jtime(struct obuf *o, const char *key, int64_t ms)
{
	obuf_puts(o, key);
	obuf_putc(o, '"');
	obuf_time(o, ms);
	obuf_putc(o, '"');
}

static void
alert_jlists(struct obuf *o, const struct ruleset *rs,
    const struct walert *a)
{
	const char *sep = "";
	size_t i;

	obuf_puts(o, ",\"channels\":[");
	for (i = 0; i < rs->nchannels; i++)
		if (a->chmask & (UINT64_C(1) << i)) {
			obuf_puts(o, sep);
			alert_jname(o, rs->channels[i]);
			sep = ",";
		}
	obuf_puts(o, "],\"rules\":{");
	sep = "";
	for (i = 0; i < rs->nrules; i++)
		if (a->rulecount[i] > 0) {
			obuf_puts(o, sep);
			alert_jname(o, rs->rules[i].name);
			obuf_putc(o, ':');
			obuf_u64(o, a->rulecount[i]);
			sep = ",";
		}
	obuf_putc(o, '}');
}

static void
alert_json(struct obuf *o, const struct ruleset *rs, const struct walert *a,
    const struct alert_incidents *inc)
{
	const struct wtab_evidence *ev;
	unsigned i;

	alert_jtime(o, "{\"time\":", a->time);
	obuf_puts(o, ",\"customer\":");
	obuf_jstr(o, a->customer, a->customerlen);
	obuf_puts(o, ",\"detector\":");
	alert_jname(o, rs->detectors[a->detector].name);
	obuf_puts(o, ",\"reason\":[");
	if (a->reason & WTAB_REASON_SCORE)
		obuf_puts(o, a->reason & WTAB_REASON_CHANNELS ?
		    "\"score\",\"channels\"]" : "\"score\"]");
	else
		obuf_puts(o, "\"channels\"]");
	obuf_puts(o, ",\"score\":");
	obuf_u64(o, a->score);
	obuf_puts(o, ",\"threshold\":");
	obuf_u64(o, rs->detectors[a->detector].settings.threshold);
	obuf_puts(o, ",\"window\":");
	obuf_i64(o, rs->detectors[a->detector].settings.window / 1000);
	alert_jtime(o, ",\"first\":", a->first);
	alert_jtime(o, ",\"last\":", a->time);
	alert_jlists(o, rs, a);
	obuf_puts(o, ",\"events\":");
	obuf_u64(o, a->nevents);
	obuf_puts(o, ",\"evidence\":[");
	for (i = 0; i < a->nevidence; i++) {
		ev = &a->evidence[i];
		alert_jtime(o, i > 0 ? ",{\"time\":" : "{\"time\":", ev->time);
		obuf_puts(o, ",\"source\":");
		alert_jname(o, rs->sources[ev->source].name);
		obuf_puts(o, ",\"rule\":");
		alert_jname(o, rs->rules[ev->rule].name);
		obuf_puts(o, ",\"line\":");
		obuf_jstr(o, ev->line, ev->linelen);
		obuf_putc(o, '}');
	}
	obuf_putc(o, ']');
	if (a->dropped > 0) {
		obuf_puts(o, ",\"evidence_dropped\":");
		obuf_u64(o, a->dropped);
	}
	for (i = 0; inc != NULL && i < inc->n; i++) {
		obuf_puts(o, i == 0 ? ",\"incidents\":[" : ",");
		alert_jname(o, inc->ids[i]);
		if (i + 1 == inc->n)
			obuf_putc(o, ']');
	}
	obuf_puts(o, "}\n");
}

void
alert_write(struct obuf *o, enum alert_format fmt, const struct ruleset *rs,
    const struct walert *a, const struct alert_incidents *inc)
{
	if (fmt == ALERT_JSON)
		alert_json(o, rs, a, inc);
	else
		alert_text(o, rs, a, inc);
}

/* A duration in ms as seconds, with a fraction only when it has one. */
static void
alert_seconds(struct obuf *o, int64_t ms)
{
	obuf_i64(o, ms / 1000);
	if (ms % 1000 != 0)
		obuf_printf(o, ".%03d", (int)(ms % 1000));
}

void
alert_incident_summary(struct obuf *o, const struct ruleset *rs,
    unsigned rule, const char *id, const struct incident_info *in, int end)
{
	const struct rule *r = &rs->rules[rule];
	unsigned i;

	obuf_time(o, in->time);
	obuf_puts(o, end ? " INCIDENT END " : " INCIDENT ");
	obuf_puts(o, id);
	obuf_puts(o, " rule=");
	obuf_puts(o, r->name);
	obuf_puts(o, " channel=");
	obuf_puts(o, rs->channels[rs->sources[r->source].channel]);
	obuf_puts(o, in->approximate ? " customers=~" : " customers=");
	obuf_u64(o, in->customers);
	obuf_puts(o, " first=");
	obuf_time(o, in->first);
	if (end) {
		obuf_puts(o, " duration=");
		alert_seconds(o, in->last - in->opened);
		obuf_puts(o, "s peak=");
		obuf_u64(o, in->peak);
		obuf_puts(o, "/min");
		return;
	}
	for (i = 0; i < in->nsamples; i++) {
		obuf_puts(o, i == 0 ? " samples=" : ",");
		obuf_field(o, in->sample[i], in->samplelen[i]);
	}
}

static void
alert_incident_json(struct obuf *o, const struct ruleset *rs, unsigned rule,
    const char *id, const struct incident_info *in, int end)
{
	const struct rule *r = &rs->rules[rule];
	unsigned i;

	obuf_puts(o, end ? "{\"type\":\"incident_end\"" :
	    "{\"type\":\"incident\"");
	alert_jtime(o, ",\"time\":", in->time);
	obuf_puts(o, ",\"id\":");
	alert_jname(o, id);
	obuf_puts(o, ",\"rule\":");
	alert_jname(o, r->name);
	obuf_puts(o, ",\"channel\":");
	alert_jname(o, rs->channels[rs->sources[r->source].channel]);
	obuf_puts(o, ",\"customers\":");
	obuf_u64(o, in->customers);
	alert_jtime(o, ",\"first\":", in->first);
	if (end) {
		obuf_puts(o, in->approximate ? ",\"approximate\":true" :
		    ",\"approximate\":false");
		alert_jtime(o, ",\"opened\":", in->opened);
		alert_jtime(o, ",\"last\":", in->last);
		obuf_puts(o, ",\"duration\":");
		alert_seconds(o, in->last - in->opened);
		obuf_puts(o, ",\"peak_per_minute\":");
		obuf_u64(o, in->peak);
	} else {
		obuf_puts(o, ",\"samples\":[");
		for (i = 0; i < in->nsamples; i++) {
			if (i > 0)
				obuf_putc(o, ',');
			obuf_jstr(o, in->sample[i], in->samplelen[i]);
		}
		obuf_putc(o, ']');
	}
	obuf_puts(o, "}\n");
}

void
alert_incident(struct obuf *o, enum alert_format fmt,
    const struct ruleset *rs, unsigned rule, const char *id,
    const struct incident_info *in, int end)
{
	if (fmt == ALERT_JSON) {
		alert_incident_json(o, rs, rule, id, in, end);
		return;
	}
	alert_incident_summary(o, rs, rule, id, in, end);
	obuf_putc(o, '\n');
}
