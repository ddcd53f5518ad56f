/*
 * suggest: "did you mean": the candidate closest to a mistyped word, by
 * edit distance. Used by the rules parser for keys and by the option
 * parser for long options. Borrows every string; allocates nothing.
 */
#ifndef CXW_SUGGEST_H
#define CXW_SUGGEST_H

#include <stddef.h>

struct suggest {
	const char	*word;
	const char	*best;
	size_t		 bestd;
};

void		 suggest_init(struct suggest *, const char *word);
/* Offer one candidate. */
void		 suggest_try(struct suggest *, const char *candidate);
/* The closest candidate within two edits, or NULL. */
const char	*suggest_best(const struct suggest *);

#endif
