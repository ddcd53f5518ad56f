/* suggest: the closest candidate to a mistyped word. See suggest.h. */
#include <string.h>

#include "suggest.h"

#define SUGGEST_MAXLEN	32	/* longer words are never suggested */
#define SUGGEST_FAR	3	/* this many edits is too far */

/* Levenshtein distance; SUGGEST_FAR for words too long to compare. */
static size_t
suggest_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t row[SUGGEST_MAXLEN], prev, tmp;

	if (la >= SUGGEST_MAXLEN || lb >= SUGGEST_MAXLEN)
		return SUGGEST_FAR;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			tmp = row[j];
			row[j] = prev + (a[i - 1] != b[j - 1]);
			if (row[j] > row[j - 1] + 1)
				row[j] = row[j - 1] + 1;
			if (row[j] > tmp + 1)
				row[j] = tmp + 1;
			prev = tmp;
		}
	}
	return row[lb];
}

void
suggest_init(struct suggest *s, const char *word)
{
	s->word = word;
	s->best = NULL;
	s->bestd = SUGGEST_FAR;
}

void
suggest_try(struct suggest *s, const char *candidate)
{
	size_t d = suggest_distance(s->word, candidate);

	if (d < s->bestd) {
		s->bestd = d;
		s->best = candidate;
	}
}

const char *
suggest_best(const struct suggest *s)
{
	return s->best;
}
