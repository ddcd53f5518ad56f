/*
 * alert: formats one alert from the window table for people (text) or
 * programs (JSON Lines), as cxwatch(1) ALERTS describes. Every byte that
 * came from a log goes through obuf's escapers.
 */
#ifndef CXW_ALERT_H
#define CXW_ALERT_H

struct obuf;
struct ruleset;
struct walert;

enum alert_format { ALERT_TEXT, ALERT_JSON };

/* One alert: its line, then (text) the evidence lines indented by two. */
void	alert_write(struct obuf *, enum alert_format, const struct ruleset *,
	    const struct walert *);

/* Just the first line of the text form, without the newline. */
void	alert_summary(struct obuf *, const struct ruleset *,
	    const struct walert *);

#endif
