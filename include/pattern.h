/*
 * pattern: PCRE2 patterns, compiled once (with JIT where it can), each
 * with the prefilter its text gives, and the matching of them. Used by
 * rules.c (to compile what the rules say), match.c (to run it) and -t.
 *
 * A struct pattern is immutable once compiled and may be shared by
 * several matchers and threads. What a match changes is the caller's: a
 * struct pattern_ctx (the match and depth limits and the JIT stack: one
 * per matcher) and the match data (one per set of fields that must
 * outlive the next match).
 */
#ifndef CXW_PATTERN_H
#define CXW_PATTERN_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The prefilter is what every subject the pattern can match holds, read
 * conservatively from the pattern's text (pattern_exec() checks it
 * first): a literal prefix when the pattern is anchored, and a literal
 * that any match contains.
 */
struct pattern {
	pcre2_code	*code;
	int		 jit;		/* JIT code: pcre2_jit_match() */
	uint32_t	 ngroups;	/* capture groups, not counting 0 */
	char		*src;		/* the pattern as written */
	char		*pre;		/* NULL, or the subject starts so */
	size_t		 prelen;
	char		*lit;		/* NULL, or the subject holds it */
	size_t		 litlen;
	size_t		 litrare;	/* index of lit's rarest byte */
	char		*need;		/* NULL, or the longest literal every
					   match holds (the prefix's too): for
					   a scan for many at once */
	size_t		 needlen;
};

struct pattern_ctx;

/* NULL and *cause (malloc'd: "missing closing parenthesis at offset 31"). */
struct pattern	*pattern_compile(const char *pat, char **cause);
void		 pattern_free(struct pattern *);	/* NULL is fine */

/* simple: --no-prefilter, every pattern runs on every subject. */
struct pattern_ctx *pattern_ctx_new(int simple);
void		 pattern_ctx_free(struct pattern_ctx *);	/* NULL is fine */

/* Match data for the whole match and ngroups groups. */
pcre2_match_data *pattern_md_new(uint32_t ngroups);

/*
 * Run p on s[0..len) under ctx's limits, into md (whose groups, as many
 * as it holds, are the match's). 1 match, 0 no match, -1 a match or
 * depth limit was hit (take it as no match), -2 other error. A subject
 * without p's prefilter literals is no match at once.
 */
int		 pattern_exec(const struct pattern_ctx *, const struct pattern *p,
		    pcre2_match_data *md, const char *s, size_t len);

#endif
