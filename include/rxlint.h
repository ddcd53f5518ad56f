/*
 * rxlint: finds patterns that may backtrack exponentially, for -t.
 * Reads a PCRE2 pattern's text for a group repeated without bound (or
 * ten times or more) whose iterations can split the same text in many
 * ways: a repeat inside it over characters it can start with ((a+)+,
 * (\w+\s?)+, (.*a){20}), branches that can start alike ((a|aa)+), or a
 * body that can match nothing ((a*)*). Each such group is then run alone
 * with PCRE2 on short pumped strings under a low match limit, and only
 * the ones that hit the limit are reported, so (\d+\.)+ is not.
 *
 * Pure: no I/O, no globals; compiles and frees its own test patterns.
 * Any string is safe to pass; a pattern PCRE2 rejects is not reported.
 */
#ifndef CXW_RXLINT_H
#define CXW_RXLINT_H

#include <stddef.h>

/* Match limit of the test runs: linear and polynomial groups stay far
 * below it on RXLINT_PUMP bytes, exponential ones go far above it. */
#define RXLINT_LIMIT	100000
#define RXLINT_PUMP	30

/*
 * 1 when pat holds a group that backtracks exponentially, with why
 * (NUL-terminated, cut to whylen) naming the group, its pump and what it
 * cost; 0 when none was found (why is then "").
 */
int	rxlint_check(const char *pat, char *why, size_t whylen);

#endif
