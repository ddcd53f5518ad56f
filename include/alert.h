/*
 * alert: formats one alert from the window table for people (text) or
 * programs (JSON Lines), as cxwatch(1) ALERTS describes, and one
 * incident's opening or end (Incidents there). Every byte that came from
 * a log goes through obuf's escapers.
 */
#ifndef CXW_ALERT_H
#define CXW_ALERT_H

#include <stddef.h>

struct incident_info;
struct obuf;
struct ruleset;
struct walert;

enum alert_format { ALERT_TEXT, ALERT_JSON };

/*
 * The ids of the open incidents an alert carries (cxwatch.rules(5),
 * semantics 12), borrowed; none, and the alert is written as it always
 * was.
 */
struct alert_incidents {
	const char	*const *ids;
	size_t		 n;
};

/* One alert: its line, then (text) the evidence lines indented by two. */
void	alert_write(struct obuf *, enum alert_format, const struct ruleset *,
	    const struct walert *, const struct alert_incidents *);

/* Just the first line of the text form, without the newline. */
void	alert_summary(struct obuf *, const struct ruleset *,
	    const struct walert *, const struct alert_incidents *);

/*
 * An incident of rule `rule` with id `id`: INCIDENT when it opens (end
 * 0), INCIDENT END when it ends (end 1), as cxwatch(1) INCIDENTS says;
 * JSON objects have a "type". The sample customers go through obuf's
 * escapers.
 */
void	alert_incident(struct obuf *, enum alert_format,
	    const struct ruleset *, unsigned rule, const char *id,
	    const struct incident_info *, int end);

/* Just the text form, without the newline (--syslog, -x). */
void	alert_incident_summary(struct obuf *, const struct ruleset *,
	    unsigned rule, const char *id, const struct incident_info *,
	    int end);

#endif
