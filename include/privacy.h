/*
 * privacy: what one thread needs to let a decided line out as
 * cxwatch.rules(5), Privacy, says: the customer's pseudonym (with a key)
 * and the line redacted (the id, [redact] patterns and classes). One per
 * engine and one per pool worker, so that the work is done where the
 * line is decided, on every thread; the key and the rule set's redactor
 * are shared, read only.
 */
#ifndef CXW_PRIVACY_H
#define CXW_PRIVACY_H

#include <stddef.h>
#include <stdint.h>

struct match;
struct pseudonym;
struct ruleset;

struct privacy;

/*
 * NULL when there is nothing to do: no key and no [redact]. simple:
 * --no-prefilter, redaction without its cheap tests (redact.h).
 */
struct privacy	*privacy_new(const struct ruleset *, const struct pseudonym *,
		    int simple);
void		 privacy_free(struct privacy *);	/* NULL is fine */

/* Whether there is a key: the customers become pseudonyms. */
int		 privacy_keyed(const struct privacy *);

/*
 * m with its customer's pseudonym, in pm (m itself without a key, or
 * when it is one already, m->pseudonymized); the clear id is kept in pv
 * for privacy_redact(), until the next call.
 */
const struct match *privacy_pseudonymize(struct privacy *pv,
		    const struct match *m, struct match *pm);

/*
 * v[0..vlen), m's line (line[0..len)) or a part of it, redacted, after
 * privacy_pseudonymize() of m: *out (valid until the next call) and its
 * length; *fired as redact_line() says. The customer's field is replaced
 * as a span only when v is the whole line.
 */
size_t		 privacy_redact(struct privacy *pv, const struct match *m,
		    const char *line, size_t len, const char *v, size_t vlen,
		    const char **out, uint64_t *fired);

#endif
