/*
 * report-html: the --report-format html page. One self-contained file:
 * inline CSS and SVG, no request to anywhere, readable with scripts off
 * (a few lines of inline script only filter the journeys by customer).
 *
 * Every byte that came from a log line, a customer id, an input's name or
 * a rules file goes through obuf_html(), so none can open a tag, end an
 * attribute or start a reference; the page's own markup is written with
 * obuf_puts() and obuf_printf() of numbers only.
 */
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "obuf.h"
#include "report.h"
#include "report-int.h"
#include "rules.h"
#include "wtab.h"

#define HTML_BUCKETS	96	/* timeline bars at most */
#define HTML_W		900	/* timeline plot width, px */
#define HTML_H		160	/* events plot height, px */
#define HTML_AH		48	/* alerts plot height, px */
#define HTML_LEFT	48	/* room for the axis labels */

static const char *const html_colors[] = { "#1f77b4", "#ff7f0e", "#2ca02c",
    "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22" };
#define HTML_NCOLORS	(sizeof(html_colors) / sizeof(html_colors[0]))

static void
html_str(struct obuf *o, const char *s)
{
	obuf_html(o, s, strlen(s));
}

static const char *
html_color(uint32_t channel)
{
	return channel == REPORT_NOINDEX ? "#777" :
	    html_colors[channel % HTML_NCOLORS];
}

static void
html_u64(struct obuf *o, uint64_t n)
{
	obuf_u64(o, n);
}

static void
html_head(struct obuf *o)
{
	obuf_puts(o, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n"
	    "<title>cxwatch report</title>\n<style>\n"
	    "body{font:14px/1.4 system-ui,sans-serif;margin:1.5em auto;"
	    "max-width:1100px;padding:0 1em;color:#222}\n"
	    "h1{font-size:1.6em}h2{font-size:1.2em;margin-top:1.6em;"
	    "border-bottom:1px solid #ddd}\n"
	    "table{border-collapse:collapse;margin:.4em 0}"
	    "td,th{padding:.15em .6em;text-align:left;"
	    "border-bottom:1px solid #eee;vertical-align:top}"
	    "td.n,th.n{text-align:right}\n"
	    ".glance{display:flex;flex-wrap:wrap;gap:.6em}"
	    ".glance div{background:#f4f6f8;border-radius:6px;"
	    "padding:.5em .9em}.glance b{display:block;font-size:1.4em}\n"
	    ".ch{color:#fff;border-radius:3px;padding:0 .35em;"
	    "font-size:.9em;white-space:nowrap}\n"
	    "details{border:1px solid #e3e3e3;border-radius:4px;"
	    "margin:.3em 0;padding:.2em .6em}summary{cursor:pointer}\n"
	    "td time{white-space:nowrap}code{font:12px/1.3 ui-monospace,monospace;"
	    "white-space:pre-wrap;"
	    "word-break:break-all}\n"
	    ".muted{color:#777}svg text{font:11px sans-serif;fill:#444}\n"
	    "</style>\n</head>\n<body>\n<h1>cxwatch report</h1>\n");
}

static void
html_channel(struct obuf *o, const struct ruleset *rs, uint32_t c)
{
	obuf_printf(o, "<span class=\"ch\" style=\"background:%s\">",
	    html_color(c));
	if (c == REPORT_NOINDEX || c >= rs->nchannels)
		obuf_puts(o, "?");
	else
		html_str(o, rs->channels[c]);
	obuf_puts(o, "</span>");
}

static void
html_channels(struct obuf *o, const struct ruleset *rs, uint64_t mask)
{
	size_t i;
	const char *sep = "";

	for (i = 0; i < rs->nchannels && i < 64; i++)
		if (mask & (UINT64_C(1) << i)) {
			obuf_puts(o, sep);
			html_channel(o, rs, (uint32_t)i);
			sep = " ";
		}
}

static void
html_box(struct obuf *o, const char *what, uint64_t n, const char *note)
{
	obuf_puts(o, "<div><b>");
	html_u64(o, n);
	obuf_printf(o, "</b>%s%s</div>\n", what, note);
}

/* The run at a glance. */
static void
html_glance(struct report *r, struct obuf *o, const struct engine_stats *st)
{
	size_t i;

	obuf_puts(o, "<h2 id=\"glance\">The run at a glance</h2>\n"
	    "<div class=\"glance\">\n");
	html_box(o, "lines read", st->lines + st->longlines, "");
	html_box(o, "events", st->events, "");
	html_box(o, "alerts", st->wt.alerts, "");
	html_box(o, "customers alerted", r->ncust,
	    r->custfull ? " (at least)" : "");
	if (r->rs->incident.file != NULL)
		html_box(o, r->ninc + r->inc_lost == 1 ? "incident" :
		    "incidents", r->ninc + r->inc_lost, "");
	obuf_puts(o, "</div>\n<p>");
	if (r->tmin <= r->tmax) {
		obuf_puts(o, "Events from <time>");
		obuf_time(o, r->tmin);
		obuf_puts(o, "</time> to <time>");
		obuf_time(o, r->tmax);
		obuf_puts(o, "</time>. ");
	} else
		obuf_puts(o, "No events. ");
	obuf_puts(o, "Lines unmatched ");
	html_u64(o, st->unmatched);
	obuf_puts(o, ", unparsable ");
	html_u64(o, st->unparsable);
	obuf_puts(o, ", with a bad time ");
	html_u64(o, st->badtime);
	obuf_puts(o, ", anonymous ");
	html_u64(o, st->anonymous);
	obuf_puts(o, ", too long ");
	html_u64(o, st->longlines);
	obuf_puts(o, ".</p>\n");
	if (r->ninputs > 0) {
		obuf_puts(o, "<p>Inputs:");
		for (i = 0; i < r->ninputs; i++) {
			obuf_puts(o, i > 0 ? ", <code>" : " <code>");
			html_str(o, r->inputs[i]);
			obuf_puts(o, "</code>");
		}
		obuf_puts(o, "</p>\n");
	}
}

/* One bar of a plot, with its tooltip. */
static void
html_rect(struct obuf *o, uint64_t x, uint64_t y, uint64_t w, uint64_t h,
    const char *fill)
{
	obuf_printf(o, "<rect x=\"%llu\" y=\"%llu\" width=\"%llu\" "
	    "height=\"%llu\" fill=\"%s\">", (unsigned long long)x,
	    (unsigned long long)y, (unsigned long long)w,
	    (unsigned long long)h, fill);
}

/*
 * Each incident as a band over the bars, from the bucket it opened in to
 * the one it ended in (the last, while open).
 */
static void
html_incident_bands(struct report *r, struct obuf *o, int64_t first,
    int64_t step, int64_t nb, uint64_t bw)
{
	const struct report_incident *in;
	int64_t b0, b1, h0, h1;
	size_t i;

	for (i = 0; i < r->ninc; i++) {
		in = &r->inc[i];
		h0 = in->opened >= 0 ? in->opened / REPORT_HOUR :
		    -((-in->opened + REPORT_HOUR - 1) / REPORT_HOUR);
		h1 = in->ended ? (in->end >= 0 ? in->end / REPORT_HOUR :
		    -((-in->end + REPORT_HOUR - 1) / REPORT_HOUR)) :
		    first + nb * step - 1;
		b0 = (h0 - first) / step;
		b1 = (h1 - first) / step;
		if (b0 < 0)
			b0 = 0;
		if (b1 >= nb)
			b1 = nb - 1;
		if (b1 < b0)
			continue;
		obuf_printf(o, "<rect x=\"%llu\" y=\"4\" width=\"%llu\" "
		    "height=\"%d\" fill=\"#d62728\" fill-opacity=\"0.15\" "
		    "stroke=\"#d62728\">", (unsigned long long)(HTML_LEFT +
		    (uint64_t)b0 * bw), (unsigned long long)((uint64_t)(b1 -
		    b0 + 1) * bw), HTML_H + 8);
		obuf_puts(o, "<title>incident ");
		html_str(o, in->id);
		obuf_puts(o, "</title></rect>\n");
	}
}

/* Events per bucket by channel, stacked; alerts below. */
static void
html_timeline(struct report *r, struct obuf *o)
{
	const struct ruleset *rs = r->rs;
	int64_t first, span, step, nb, b;
	uint64_t *ev, *al, maxe = 1, maxa = 1, bw, x, y, h, sum;
	size_t i, c, nch = rs->nchannels;

	obuf_puts(o, "<h2 id=\"timeline\">Over time</h2>\n");
	if (r->nhours == 0) {
		obuf_puts(o, "<p class=\"muted\">No events.</p>\n");
		return;
	}
	first = r->hours[0].hour;
	span = r->hours[r->nhours - 1].hour - first + 1;
	step = (span + HTML_BUCKETS - 1) / HTML_BUCKETS;
	nb = (span + step - 1) / step;
	ev = calloc((size_t)nb * (nch + 1), sizeof(*ev));
	al = calloc((size_t)nb, sizeof(*al));
	if (ev == NULL || al == NULL) {
		free(ev);
		free(al);
		obuf_puts(o, "<p>Out of memory for the timeline.</p>\n");
		return;
	}
	for (i = 0; i < r->nhours; i++) {
		b = (r->hours[i].hour - first) / step;
		for (c = 0; c < nch; c++)
			ev[(size_t)b * (nch + 1) + c] +=
			    r->hours[i].chevents[c];
		ev[(size_t)b * (nch + 1) + nch] += r->hours[i].events;
		al[b] += r->hours[i].alerts;
	}
	for (b = 0; b < nb; b++) {
		if (ev[(size_t)b * (nch + 1) + nch] > maxe)
			maxe = ev[(size_t)b * (nch + 1) + nch];
		if (al[b] > maxa)
			maxa = al[b];
	}
	bw = HTML_W / (uint64_t)nb;
	if (bw < 2)
		bw = 2;
	obuf_printf(o, "<svg role=\"img\" aria-label=\"events and alerts "
	    "over time\" width=\"%llu\" height=\"%d\" xmlns=\"http://www.w3."
	    "org/2000/svg\">\n", (unsigned long long)(HTML_LEFT + bw *
	    (uint64_t)nb + 8), HTML_H + HTML_AH + 46);
	for (b = 0; b < nb; b++) {
		x = HTML_LEFT + (uint64_t)b * bw;
		y = 10 + HTML_H;
		for (c = 0; c < nch; c++) {
			sum = ev[(size_t)b * (nch + 1) + c];
			if (sum == 0)
				continue;
			h = sum * HTML_H / maxe;
			if (h == 0)
				h = 1;
			y -= h;
			html_rect(o, x, y, bw > 1 ? bw - 1 : 1, h,
			    html_color((uint32_t)c));
			obuf_puts(o, "<title>");
			obuf_time(o, (first + b * step) * REPORT_HOUR);
			obuf_puts(o, " ");
			html_str(o, rs->channels[c]);
			obuf_puts(o, ": ");
			html_u64(o, sum);
			obuf_puts(o, " events</title></rect>\n");
		}
		if (al[b] > 0) {
			h = al[b] * HTML_AH / maxa;
			if (h == 0)
				h = 1;
			html_rect(o, x, 20 + HTML_H + HTML_AH - h,
			    bw > 1 ? bw - 1 : 1, h, "#d62728");
			obuf_puts(o, "<title>");
			obuf_time(o, (first + b * step) * REPORT_HOUR);
			obuf_puts(o, ": ");
			html_u64(o, al[b]);
			obuf_puts(o, " alerts</title></rect>\n");
		}
	}
	html_incident_bands(r, o, first, step, nb, bw);
	obuf_printf(o, "<text x=\"0\" y=\"20\">%llu</text>"
	    "<text x=\"0\" y=\"%d\">events</text>\n",
	    (unsigned long long)maxe, 10 + HTML_H);
	obuf_printf(o, "<text x=\"0\" y=\"%d\">%llu</text>"
	    "<text x=\"0\" y=\"%d\">alerts</text>\n", 30 + HTML_H,
	    (unsigned long long)maxa, 20 + HTML_H + HTML_AH);
	obuf_printf(o, "<text x=\"%d\" y=\"%d\">", HTML_LEFT,
	    HTML_H + HTML_AH + 40);
	obuf_time(o, first * REPORT_HOUR);
	obuf_printf(o, "</text><text x=\"%llu\" y=\"%d\" "
	    "text-anchor=\"end\">", (unsigned long long)(HTML_LEFT + bw *
	    (uint64_t)nb), HTML_H + HTML_AH + 40);
	obuf_time(o, (first + nb * step) * REPORT_HOUR);
	obuf_puts(o, "</text>\n</svg>\n<p>");
	for (c = 0; c < nch; c++) {
		html_channel(o, rs, (uint32_t)c);
		obuf_puts(o, " ");
	}
	obuf_printf(o, "events, <span class=\"ch\" style=\"background:"
	    "#d62728\">alerts</span>: one bar per %lld hour%s.",
	    (long long)step, step == 1 ? "" : "s");
	if (r->ninc > 0)
		obuf_puts(o, " A band in red outline is an incident.");
	obuf_puts(o, "</p>\n");
	free(ev);
	free(al);
}

static void
html_incidents(struct report *r, struct obuf *o)
{
	const struct ruleset *rs = r->rs;
	const struct report_incident *in;
	size_t i;
	unsigned k;

	if (rs->incident.file == NULL)
		return;
	obuf_puts(o, "<h2 id=\"incidents\">Incidents</h2>\n<p>One rule "
	    "failing for ");
	html_u64(o, rs->incident.customers);
	obuf_puts(o, " or more distinct customers within its window: a flaw "
	    "that hits many at once, not one customer's bad day.</p>\n");
	if (r->ninc == 0) {
		obuf_puts(o, "<p class=\"muted\">None.</p>\n");
		return;
	}
	obuf_puts(o, "<table>\n<tr><th>incident</th><th>rule</th>"
	    "<th>channel</th><th>opened</th><th>ended</th><th class=\"n\">"
	    "customers</th><th class=\"n\">peak / min</th><th>samples</th>"
	    "</tr>\n");
	for (i = 0; i < r->ninc; i++) {
		in = &r->inc[i];
		obuf_puts(o, "<tr><td><code>");
		html_str(o, in->id);
		obuf_puts(o, "</code></td><td>");
		if (in->rule < rs->nrules) {
			html_str(o, rs->rules[in->rule].name);
			obuf_puts(o, "</td><td>");
			html_channel(o, rs, rs->sources[
			    rs->rules[in->rule].source].channel);
		} else
			obuf_puts(o, "?</td><td>");
		obuf_puts(o, "</td><td><time>");
		obuf_time(o, in->opened);
		obuf_puts(o, "</time></td><td>");
		if (in->ended) {
			obuf_puts(o, "<time>");
			obuf_time(o, in->end);
			obuf_puts(o, "</time>");
		} else
			obuf_puts(o, "<b>open</b>");
		obuf_puts(o, in->approximate ? "</td><td class=\"n\">~" :
		    "</td><td class=\"n\">");
		html_u64(o, in->affected);
		obuf_puts(o, "</td><td class=\"n\">");
		if (in->ended)
			html_u64(o, in->peak);
		obuf_puts(o, "</td><td>");
		for (k = 0; k < in->nsamples; k++) {
			if (k > 0)
				obuf_puts(o, ", ");
			html_str(o, in->sample[k]);
		}
		obuf_puts(o, "</td></tr>\n");
	}
	obuf_puts(o, "</table>\n");
	if (r->inc_lost > 0) {
		obuf_puts(o, "<p>");
		html_u64(o, r->inc_lost);
		obuf_puts(o, " more incidents opened and are not listed.</p>\n");
	}
}

static void
html_rules(struct report *r, struct obuf *o, const struct engine_stats *st)
{
	const struct ruleset *rs = r->rs;
	const struct rule *ru;
	size_t i;

	obuf_puts(o, "<h2 id=\"rules\">Rules</h2>\n<table>\n<tr><th>rule"
	    "</th><th>channel</th><th>description</th><th class=\"n\">"
	    "events</th><th class=\"n\">alerts</th></tr>\n");
	for (i = 0; i < rs->nrules; i++) {
		ru = &rs->rules[i];
		obuf_puts(o, "<tr><td>");
		html_str(o, ru->name);
		obuf_puts(o, ru->forgiving ? " <span class=\"muted\">"
		    "(forgiving)</span></td><td>" : "</td><td>");
		html_channel(o, rs, rs->sources[ru->source].channel);
		obuf_puts(o, "</td><td>");
		if (ru->description != NULL)
			html_str(o, ru->description);
		obuf_puts(o, "</td><td class=\"n\">");
		html_u64(o, st->ruleevents[i]);
		obuf_puts(o, "</td><td class=\"n\">");
		html_u64(o, r->rulealerts[i]);
		obuf_puts(o, "</td></tr>\n");
	}
	obuf_puts(o, "</table>\n<table>\n<tr><th>detector</th><th class=\"n\">"
	    "events</th><th class=\"n\">forgiving lines</th><th class=\"n\">"
	    "events forgiven</th><th class=\"n\">alerts</th></tr>\n");
	for (i = 0; i < rs->ndetectors; i++) {
		obuf_puts(o, "<tr><td>");
		html_str(o, rs->detectors[i].name);
		obuf_puts(o, "</td><td class=\"n\">");
		html_u64(o, st->det[i].events);
		obuf_puts(o, "</td><td class=\"n\">");
		html_u64(o, st->det[i].forgiving);
		obuf_puts(o, "</td><td class=\"n\">");
		html_u64(o, st->det[i].wt.forgiven);
		obuf_puts(o, "</td><td class=\"n\">");
		html_u64(o, st->det[i].alerts);
		obuf_puts(o, "</td></tr>\n");
	}
	obuf_puts(o, "</table>\n");
}

static void
html_combos(struct report *r, struct obuf *o)
{
	size_t i;

	obuf_puts(o, "<h2 id=\"channels\">Alerts by channels</h2>\n");
	if (r->ncombos == 0) {
		obuf_puts(o, "<p class=\"muted\">No alerts.</p>\n");
		return;
	}
	qsort(r->combos, r->ncombos, sizeof(*r->combos), report_cmp_combo);
	obuf_puts(o, "<table>\n<tr><th>channels</th><th class=\"n\">alerts"
	    "</th></tr>\n");
	for (i = 0; i < r->ncombos; i++) {
		obuf_puts(o, "<tr><td>");
		html_channels(o, r->rs, r->combos[i].mask);
		obuf_puts(o, "</td><td class=\"n\">");
		html_u64(o, r->combos[i].alerts);
		obuf_puts(o, "</td></tr>\n");
	}
	obuf_puts(o, "</table>\n");
}

static int
html_cmp_journey(const void *a, const void *b)
{
	const struct report_journey *x = a, *y = b;

	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void
html_journey(struct report *r, struct obuf *o, const struct report_journey *j)
{
	const struct ruleset *rs = r->rs;
	const struct report_line *l;
	unsigned k;

	obuf_puts(o, "<details class=\"j\" data-c=\"");
	obuf_html(o, j->key, j->keylen);
	obuf_puts(o, "\"><summary><time>");
	obuf_time(o, j->time);
	obuf_puts(o, "</time> <b>");
	obuf_html(o, j->key, j->keylen);
	obuf_puts(o, "</b> score ");
	html_u64(o, j->score);
	obuf_puts(o, ", ");
	html_u64(o, j->nevents);
	obuf_puts(o, j->nevents == 1 ? " event " : " events ");
	html_channels(o, rs, j->chmask);
	if (j->detector != REPORT_NOINDEX && j->detector < rs->ndetectors) {
		obuf_puts(o, " <span class=\"muted\">detector ");
		html_str(o, rs->detectors[j->detector].name);
		obuf_puts(o, "</span>");
	}
	obuf_puts(o, "</summary>\n<table>\n");
	for (k = 0; k < j->nlines; k++) {
		l = &j->lines[k];
		obuf_puts(o, "<tr><td><time>");
		obuf_time(o, l->time);
		obuf_puts(o, "</time></td><td>");
		html_channel(o, rs, l->channel);
		obuf_puts(o, "</td><td>");
		if (l->rule != REPORT_NOINDEX && l->rule < rs->nrules)
			html_str(o, rs->rules[l->rule].name);
		obuf_puts(o, "</td><td><code>");
		obuf_html(o, l->line, l->len);
		obuf_puts(o, "</code>");
		if (l->cut > 0) {
			obuf_puts(o, " <span class=\"muted\">(");
			html_u64(o, l->cut);
			obuf_puts(o, " more bytes)</span>");
		}
		obuf_puts(o, "</td></tr>\n");
	}
	if (j->dropped > 0) {
		obuf_puts(o, "<tr><td colspan=\"4\" class=\"muted\">");
		html_u64(o, j->dropped);
		obuf_puts(o, " evidence lines dropped (--evidence-memory)"
		    "</td></tr>\n");
	}
	obuf_puts(o, "</table>\n</details>\n");
}

static void
html_journeys(struct report *r, struct obuf *o)
{
	size_t i;

	obuf_puts(o, "<h2 id=\"journeys\">Journeys of the alerted "
	    "customers</h2>\n");
	if (r->njour == 0) {
		obuf_puts(o, "<p class=\"muted\">No alerts.</p>\n");
		return;
	}
	obuf_puts(o, "<p>");
	if (r->nalerts > r->njour) {
		html_u64(o, r->njour);
		obuf_puts(o, " of ");
		html_u64(o, r->nalerts);
		obuf_puts(o, " alerts, those with the highest scores, in time "
		    "order (the alerts themselves, -o json, have all).");
	} else {
		html_u64(o, r->nalerts);
		obuf_puts(o, r->nalerts == 1 ? " alert." : " alerts, in time "
		    "order.");
	}
	obuf_puts(o, " Each opens to its evidence lines.</p>\n"
	    "<p><label>Find a customer: <input id=\"q\" type=\"search\" "
	    "autocomplete=\"off\"></label></p>\n<div id=\"js\">\n");
	qsort(r->jour, r->njour, sizeof(*r->jour), html_cmp_journey);
	for (i = 0; i < r->njour; i++)
		html_journey(r, o, &r->jour[i]);
	obuf_puts(o, "</div>\n<script>\n"
	    "document.getElementById('q').addEventListener('input',"
	    "function(){var q=this.value.toLowerCase();"
	    "var d=document.querySelectorAll('details.j');"
	    "for(var i=0;i<d.length;i++){var c=d[i].getAttribute('data-c')"
	    ".toLowerCase();d[i].style.display=c.indexOf(q)>=0?'':'none';}"
	    "});\n</script>\n");
}

void
report_html(struct report *r, struct obuf *o, const struct engine_stats *st)
{
	html_head(o);
	html_glance(r, o, st);
	html_timeline(r, o);
	html_incidents(r, o);
	html_rules(r, o, st);
	html_combos(r, o);
	html_journeys(r, o);
	obuf_puts(o, "<p class=\"muted\">Written by cxwatch.</p>\n"
	    "</body>\n</html>\n");
}
