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
	/*
	 * Set by the caller, left alone by match_line(): NULL, or
	 * counters ([nsources], [nrules]) bumped once for each source
	 * pattern, and each rule (its match or an "if ~"), that hit a
	 * PCRE2 limit on this line.
	 */
	uint64_t	*srclimits;
	uint64_t	*rulelimits;
	/* The last field read as a number on this line, and its value. */
	const char	*numv;
	size_t		 numlen;
	double		 num;
	int		 numok;
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
 * A merge's peek at a line, kept so that the line is matched once
 * (input.c): which source claimed it, its time, and a copy of that
 * source's fields. One per input, made for one rule set; nothing in it
 * points into the line.
 */
struct match_held;

struct match_held *match_held_new(const struct ruleset *);
void	match_held_free(struct match_held *);	/* NULL is fine */

/* As match_peek(), keeping what it found in h (NULL: nothing kept). */
int	match_peek_held(struct ruleset *, int forced, const char *line,
	    size_t len, struct match_held *h, int64_t *time);

/*
 * The same as match_line() with forced = the source h names, for the
 * line (the same bytes) h was last filled from by a match_peek_held()
 * that returned >= 0, on the same rule set; but the source's pattern
 * does not run again and the time is the peek's. With
 * rules_set_simple() on, it is match_line() itself.
 */
void	match_line_held(struct ruleset *, const struct match_held *h,
	    const char *line, size_t len, int64_t now, struct match *);

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
