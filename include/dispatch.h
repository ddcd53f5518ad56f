/*
 * dispatch: which of a source's rules can decide a line, found with one
 * hash lookup instead of trying them one by one.
 *
 * A rule is keyed when one of its conditions is FIELD == VALUE with a
 * VALUE that is not a number (so the test is byte equality, cxwatch.rules(5))
 * and nothing before it in the rule could hit a PCRE2 limit (no match
 * pattern, no ~ or !~ before it): such a rule can only hold for a line
 * whose FIELD is VALUE. A source's dispatch picks the field most of its
 * rules are keyed on and maps each VALUE to the rules keyed on it; the
 * other rules are tried for every line. A rule that is not keyed and
 * whose match pattern needs a literal (its prefilter, pattern.h) is a
 * literal rule: when a source has 8 or more, one Vectorscan scan of the
 * line finds those whose literal it holds, and only they are tried. The
 * candidates, merged in rule order, are tried as before: the first that
 * holds decides, so the line is decided as if every rule had been tried
 * (semantics 3), and a rule left out is one whose condition would have
 * failed without running a pattern, or whose pattern's prefilter would
 * have turned the line away.
 *
 * Built once, when the rules are loaded; read-only after, so any number
 * of matchers in any threads may share it.
 */
#ifndef CXW_DISPATCH_H
#define CXW_DISPATCH_H

#include <stddef.h>
#include <stdint.h>

struct ruleset;
struct dispatch;
struct dispatch_scratch;

/*
 * The dispatch of source si of rs, whose rules and conditions must be
 * compiled; NULL when fewer than two of its rules are keyed on one field
 * (trying the rules in turn costs no more).
 */
struct dispatch	*dispatch_new(const struct ruleset *rs, size_t si);
void		 dispatch_free(struct dispatch *);	/* NULL is fine */

/*
 * The field (a claim's group or field number) the rules are keyed on, or
 * -1 when none is (the dispatch is only by literals).
 */
int		 dispatch_field(const struct dispatch *);

/*
 * The rules to try for a line whose field is v[0..len): *keyed (those
 * keyed on v) and *always (the others but the literal rules), each
 * ascending positions in the source's rules, to be merged with those of
 * dispatch_scan(); any may be empty.
 */
void		 dispatch_lookup(const struct dispatch *, const char *v,
		    size_t len, const uint32_t **keyed, size_t *nkeyed,
		    const uint32_t **always, size_t *nalways);

/*
 * What a matcher needs to scan for literals (one per matcher and
 * dispatch: it is written by every scan); NULL when d has no literal
 * rules.
 */
struct dispatch_scratch	*dispatch_scratch_new(const struct dispatch *d);
void			 dispatch_scratch_free(struct dispatch_scratch *);

/*
 * The literal rules whose literal line[0..len) holds, in *pos (valid
 * until the next scan), ascending positions; returns how many. If the
 * scan cannot run, all the literal rules.
 */
size_t		 dispatch_scan(struct dispatch_scratch *, const char *line,
		    size_t len, const uint32_t **pos);

#endif
