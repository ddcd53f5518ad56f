/*
 * report: the end-of-run summary of --report, for a person reviewing a
 * day at a glance (text, with Unicode sparklines, or one self-contained
 * HTML page with charts and the alerted customers' journeys) or for a
 * program (one JSON object): lines per source and channel, events per rule, alerts
 * per channel combination, the top customers by score, and events and
 * alerts per hour. Fed by the engine; does no I/O beyond the obuf given.
 */
#ifndef CXW_REPORT_H
#define CXW_REPORT_H

#include <stdint.h>

struct engine_stats;
struct incident_info;
struct obuf;
struct ruleset;
struct walert;

enum report_format { REPORT_TEXT, REPORT_JSON, REPORT_HTML };

struct report;

struct report	*report_new(const struct ruleset *);	/* borrowed */
void		 report_free(struct report *);		/* NULL is fine */

/*
 * SIGHUP: the counts follow the rules to rs (borrowed), by rule and
 * channel name; those of rules and channels rs no longer has are
 * dropped. Call before the old rule set is freed.
 */
void		 report_reload(struct report *, const struct ruleset *rs);

/* An event at time ms of a line of source (for the hourly counts). */
void		 report_event(struct report *, int64_t ms, unsigned source);
/*
 * An INCIDENT (end 0) or INCIDENT END (end 1) of rule, id as written
 * (copied, as are the samples).
 */
void		 report_incident(struct report *, unsigned rule, const char *id,
		    const struct incident_info *, int end);
/* The inputs' names, for the HTML form (copied). */
void		 report_inputs(struct report *, char *const *names, size_t n);
/* An alert (customer and evidence copied). */
void		 report_alert(struct report *, const struct walert *);

void		 report_write(struct report *, struct obuf *,
		    enum report_format, const struct engine_stats *);

#endif
