/*
 * match: offer one line to a rule set (cxwatch.rules(5), semantics 1-3),
 * in two steps with one small interface between them.
 *
 * The claim: which source claims the line, whose line it is and when,
 * and the source's fields (matcher_claim(), into a struct claim). The
 * decision: the first of the source's rules that holds on those fields
 * (matcher_decide()). A merge claims each input's next line to learn its
 * time and keeps the claim, one per input, until the line's turn comes:
 * the line is claimed once.
 *
 * The rule set is only read. Everything matching changes is in a struct
 * matcher (the pattern limits and JIT stack, the rules' match data, the
 * time-parse states, the counters) -- one per engine -- or in the claim.
 * Allocates nothing per line.
 */
#ifndef CXW_MATCH_H
#define CXW_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include "pattern.h"

struct ruleset;
struct logfmt_field;
struct template_value;

enum match_status {
	MATCH_UNMATCHED,	/* no source claimed the line */
	MATCH_NOCUSTOMER,	/* customer empty or over 256 bytes */
	MATCH_ANONYMOUS,	/* customer listed in "anonymous" */
	MATCH_UNPARSABLE,	/* a json or logfmt source could not read
				   the line it claimed */
	MATCH_BADTIME,		/* time did not parse */
	MATCH_NORULE,		/* claimed, but no rule holds (or, of a
				   claim, not decided yet) */
	MATCH_EVENT		/* a rule holds: one event */
};

/*
 * A claimed line. What it points to is the line's (valid while the line
 * is) or the claim's own; the fields stay until the next matcher_claim()
 * into this claim. Filled by matcher_claim(); read by the caller.
 */
struct claim {
	enum match_status status;	/* MATCH_NORULE: claimed and good */
	int		 source;	/* -1 when unmatched */
	const char	*customer;
	size_t		 customerlen;
	const char	*craw;		/* the customer as the line writes it
					   (escaped, when a json source
					   decoded it; else customer); maybe
					   not in the line (unwrap) */
	size_t		 crawlen;
	const char	*timestr;
	size_t		 timelen;
	int64_t		 time;		/* ms */
	int		 timeok;	/* the line has a time, read into time
					   (whatever its status): a merge
					   places it by that time */
	unsigned	 limits;	/* patterns that hit a PCRE2 limit */
	/* A regex source's fields: */
	pcre2_match_data *md;		/* the source pattern's groups */
	const PCRE2_SIZE *ov;		/* md's ovector */
	uint32_t	 nov;		/* its pairs */
	/* A json, logfmt or template source's (structured is set): */
	int		 structured;
	struct claim_field *f;		/* [nf]: field i is f[i], i >= 1;
					   not of a logfmt source, whose
					   field i is lv[lslot[i]], nor of a
					   template, whose is tv[i - 1] */
	uint32_t	 nf;
	struct logfmt_field *lv;	/* owned: a logfmt scan's fields */
	const int	*lslot;		/* the source's slots; NULL unless a
					   logfmt source claimed the line */
	struct template_value *tv;	/* owned: a template scan's fields
					   (p NULL: absent) */
	int		 tmpl;		/* a template source claimed it */
	char		*buf;		/* decoded values, when not the line's */
	size_t		 bufcap;
	/* MATCH_UNPARSABLE: why, and where (byte offsets from 0). */
	const char	*why;		/* static text */
	size_t		 whyoff;	/* in the line */
	int		 inner;		/* json: at inner_off in the unwrapped
					   field, whose value starts at
					   whyoff */
	size_t		 inner_off;
};

struct claim_field {
	const char	*p;		/* "" when absent */
	size_t		 len;
	int		 present;
	int		 scalar;	/* json: a string or a number; logfmt:
					   always (a customer must be one) */
};

/* A decided line: the claim's, and the rule that holds. */
struct match {
	enum match_status status;
	int		 source;	/* -1 when unmatched */
	int		 rule;		/* -1 unless MATCH_EVENT */
	const char	*customer;
	size_t		 customerlen;
	const char	*craw;		/* the claim's */
	size_t		 crawlen;
	/* Filled later, by whoever lets the line out (privacy.h): */
	int		 pseudonymized;	/* customer is the pseudonym */
	const char	*evline;	/* NULL, or the line redacted */
	size_t		 evlen;
	uint64_t	 evfired;	/* redact_line()'s fired bits */
	const char	*timestr;
	size_t		 timelen;
	int64_t		 time;		/* ms */
	unsigned	 limits;	/* of the claim and the rules */
	const struct claim *claim;
};

struct matcher;

/*
 * rs is borrowed and must outlive the matcher. simple: --no-prefilter.
 * maxline: the longest line it will be given (json sources refuse
 * longer ones).
 */
struct matcher	*matcher_new(const struct ruleset *rs, int simple,
		    size_t maxline);
void		 matcher_free(struct matcher *);	/* NULL is fine */

/*
 * NULL, or counters ([nsources], [nrules]) bumped once for each source
 * pattern, and each rule (its match or an "if ~"), that hits a PCRE2
 * limit on a line.
 */
void		 matcher_counters(struct matcher *, uint64_t *srclimits,
		    uint64_t *rulelimits);

/* A claim for lines of rs, with room for any of its sources' fields. */
struct claim	*claim_new(const struct ruleset *rs);
void		 claim_free(struct claim *);	/* NULL is fine */

/*
 * Semantics 1 and 2: offer line[0..len) to the sources (only to source
 * forced when it is >= 0), into c. now is the time, in ms, that sources
 * with "time = none" use. order: the line's time is wanted even when it
 * is ignored (no customer, anonymous), for a merge to place it
 * (c->timeok); without it, only a good claim's time is read. Returns
 * c->source.
 */
int		 matcher_claim(struct matcher *, struct claim *c, int forced,
		    const char *line, size_t len, int64_t now, int order);

/*
 * Semantics 3 for the line c was claimed from (the same bytes): the first
 * rule of the claiming source that holds. m is filled from c whatever its
 * status; only a good claim is decided.
 */
void		 matcher_decide(struct matcher *, const struct claim *c,
		    const char *line, size_t len, struct match *m);

/*
 * Field `group` of a claim of that line; an unset group is the empty
 * string.
 */
void		 match_field(const struct claim *, const char *line, int group,
		    const char **val, size_t *vlen);

/*
 * Of a claim by a json, logfmt or template source: whether field group
 * is in the line, and whether it is a string or a number (logfmt and
 * template: always).
 */
int		 match_present(const struct claim *, int group);
int		 match_scalar(const struct claim *, int group);

/*
 * Why rule (an index into the set's rules) does not hold for the line c
 * was claimed from: e.g. "match failed" or "if status >= 500 failed".
 * Counts nothing. Writes into buf and returns it.
 */
const char	*match_why(struct matcher *, const struct claim *c,
		    const char *line, size_t len, unsigned rule, char *buf,
		    size_t bufsz);

#endif
