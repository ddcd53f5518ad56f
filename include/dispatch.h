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
 * other rules are tried for every line. The candidates, merged in rule
 * order, are tried as before: the first that holds decides, so the line
 * is decided as if every rule had been tried (semantics 3), and a rule
 * left out is one whose condition would have failed without running a
 * pattern.
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

/*
 * The dispatch of source si of rs, whose rules and conditions must be
 * compiled; NULL when fewer than two of its rules are keyed on one field
 * (trying the rules in turn costs no more).
 */
struct dispatch	*dispatch_new(const struct ruleset *rs, size_t si);
void		 dispatch_free(struct dispatch *);	/* NULL is fine */

/* The field (a claim's group or field number) the rules are keyed on. */
int		 dispatch_field(const struct dispatch *);

/*
 * The rules to try for a line whose field is v[0..len): *keyed (those
 * keyed on v) and *always (the others), each ascending positions in the
 * source's rules, to be merged; either may be empty.
 */
void		 dispatch_lookup(const struct dispatch *, const char *v,
		    size_t len, const uint32_t **keyed, size_t *nkeyed,
		    const uint32_t **always, size_t *nalways);

#endif
