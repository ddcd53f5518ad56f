/*
 * match: offer one line to a rule set (cxwatch.rules(5), semantics 1-3):
 * which source claims it, whose line it is and when, and the first of the
 * source's rules that holds. Allocates nothing.
 *
 * Everything a struct match points to is borrowed from the line or the
 * rule set and is valid until the next match_line() on the same set.
 */
#ifndef CXW_MATCH_H
#define CXW_MATCH_H

#include <stddef.h>
#include <stdint.h>

struct ruleset;

enum match_status {
	MATCH_UNMATCHED,	/* no source claimed the line */
	MATCH_NOCUSTOMER,	/* customer empty or over 256 bytes */
	MATCH_ANONYMOUS,	/* customer listed in "anonymous" */
	MATCH_BADTIME,		/* time did not parse */
	MATCH_NORULE,		/* claimed, but no rule holds */
	MATCH_EVENT		/* a rule holds: one event */
};

struct match {
	enum match_status status;
	int		 source;	/* -1 when unmatched */
	int		 rule;		/* -1 unless MATCH_EVENT */
	const char	*customer;
	size_t		 customerlen;
	const char	*timestr;
	size_t		 timelen;
	int64_t		 time;		/* ms */
	unsigned	 limits;	/* patterns that hit a PCRE2 limit */
};

/*
 * Offer line[0..len) to the sources (only to source `forced` when it is
 * >= 0). now is the time, in ms, that sources with "time = none" use.
 */
void	match_line(struct ruleset *, int forced, const char *line,
	    size_t len, int64_t now, struct match *);

/*
 * Just the time of a line, for merging inputs: the index of the source
 * that claims it and *time, or -1 when no source claims it or it has no
 * time that parses.
 */
int	match_peek(struct ruleset *, int forced, const char *line,
	    size_t len, int64_t *time);

/*
 * Field `group` of the claiming source's match of that line; an unset
 * group is the empty string.
 */
void	match_field(const struct ruleset *, const struct match *,
	    const char *line, int group, const char **val, size_t *vlen);

/*
 * Why rule (an index into the set's rules) does not hold for the line
 * last matched: e.g. "match failed" or "if status >= 500 failed".
 * Writes into buf and returns it.
 */
const char *match_why(const struct ruleset *, const struct match *,
	    const char *line, size_t len, unsigned rule, char *buf,
	    size_t bufsz);

#endif
