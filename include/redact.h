/*
 * redact: takes what must not leave the program out of an evidence line
 * (alerts, JSON, --exec, syslog, report, state): the customer id, which
 * becomes its pseudonym, the user's redact rules and the built-in
 * classes. Does no I/O, never prints, holds no global state.
 *
 * A struct redactor is compiled once from the rules and is read-only
 * after: any number of threads may use it at once. What a call changes
 * lives in a struct redact_work (PCRE2 match data, the JIT stack, the
 * spans found, the output), one per caller or thread; its buffers grow
 * to the longest line seen and are reused, so a call allocates nothing
 * once they are big enough. Lines are bytes: NULs, invalid UTF-8 and
 * megabyte lines are fine.
 *
 * The redaction (words a manual can copy; numbers are cited in
 * redact.c):
 *
 *  1. Every span to replace is found in the original line, in this
 *     order: (a) the customer id, when one is given: its field (the span
 *     the source read it from), and every occurrence of its bytes in the
 *     line that is not inside a longer word: an occurrence is kept when
 *     the byte before it and the id's first byte are both word bytes
 *     (A-Z, a-z, 0-9, _), or the byte after it and the id's last byte
 *     are; (b) the matches of each redact rule, in the order the rules
 *     were given; (c) the matches of each class enabled, in the order
 *     email, ipv4, ipv6, card, token. Each pattern is searched from the
 *     line's start, then from the end of its last match; an empty match
 *     is ignored and the search goes on from the next byte.
 *  2. Spans that overlap (share at least one byte) merge, also through
 *     a third one, into one span that covers them all. It is replaced by
 *     the replacement of the first span, in the order of rule 1, that
 *     covers the whole merged span on its own; when none does, by that
 *     of the first span in that order. So nothing any of them matched
 *     survives. Spans that only touch (one ends where the next begins)
 *     stay apart, each replaced by its own replacement.
 *  3. The output is the line with each span replaced; every other byte
 *     is as it was. Nothing is searched again after replacement.
 *  4. A rule's replacement is literal text, except $1 to $9, the text
 *     that group of the pattern matched (empty when the group took no
 *     part in the match), and $$, one $. Any other $ is a literal $;
 *     naming a group the pattern does not have is an error. A rule
 *     without a replacement is replaced by [NAME], NAME the rule's name.
 *     Patterns are PCRE2 on bytes: no UTF mode ((*UTF) is an error), \w
 *     and [[:alpha:]] are ASCII.
 *  5. The classes:
 *     email  [email]: local@domain, the local part of A-Z a-z 0-9 and
 *            ._%+- and not preceded by one of those bytes, the domain
 *            two or more labels of A-Z a-z 0-9 and -, joined by dots;
 *            the @ may be written %40 (a query string).
 *     ipv4   [ipv4]: four decimal octets of 1 to 3 digits, each 0 to
 *            255 (leading zeros allowed), joined by dots, not preceded
 *            by a digit or by a dot after a digit, not followed by a
 *            digit or by a dot and a digit: 1.2.3.4.5 and 10.0.0.1.2
 *            are not addresses. A :port after it is kept.
 *     ipv6   [ipv6]: a run of hex digits, colons and dots that is, as a
 *            whole, an RFC 4291 address: eight groups of 1 to 4 hex
 *            digits (either case), or fewer with one :: standing for
 *            the rest, the last two groups perhaps written as an ipv4
 *            address; one dot or colon that ends the run and spoils it
 *            is left out. It must not be preceded or followed by a
 *            word byte. A zone (%eth0) after it is part of it; brackets
 *            and a :port after them are kept. Times (18:56:34), MAC
 *            addresses, ratios (1:2) and std::string are not addresses;
 *            a lone a::b or :: is.
 *     card   [card]: a run of digits, perhaps with one blank or dash
 *            between two digits, not preceded or followed by a letter or
 *            digit: the whole run, when it has 13 to 19 digits that pass
 *            the Luhn check; else, when it has blanks or dashes, from
 *            each of its groups (the digits between them), left to
 *            right, the longest stretch of whole groups with 13 to 19
 *            digits that pass, the search going on after it (so in
 *            "200 4111111111111111" the card is found). No group is
 *            cut: a run without separators that fails is left whole.
 *     token  [token], the label kept: the credential after Bearer or
 *            Basic (either case) and blanks; the value after a key
 *            api_key, apikey, api-key, access_token, refresh_token,
 *            token, secret, client_secret, password, passwd, pwd, auth,
 *            authorization, session or sessionid (either case, not
 *            preceded by a letter or digit; perhaps quoted) and = or :
 *            (perhaps with blanks, a quote or a scheme Bearer or Basic
 *            after it), up to a byte 0x00-0x20, a quote, &, comma or
 *            semicolon; and, anywhere, the shapes of Stripe, GitHub,
 *            AWS, Slack and Google keys and of JWTs (the table in
 *            redact.c).
 *  6. When a pattern gives up on a line (PCRE2's match, depth or heap
 *     limit, or another matching error), the rest of the line from
 *     where that search started counts as one match of it, replaced by
 *     [NAME] or the class's replacement, and REDACT_FIRED_LIMIT is set:
 *     a line too hard to read is hidden, not passed on.
 */
#ifndef CXW_REDACT_H
#define CXW_REDACT_H

#include <stddef.h>
#include <stdint.h>

enum redact_class {
	REDACT_EMAIL,
	REDACT_IPV4,
	REDACT_IPV6,
	REDACT_CARD,
	REDACT_TOKEN,
	REDACT_NCLASS
};

/* The bits of *fired (redact_line()). */
#define REDACT_MAXRULES		57
#define REDACT_FIRED_CLASS(c)	((uint64_t)1 << (c))
#define REDACT_FIRED_RULE(j)	((uint64_t)1 << (REDACT_NCLASS + (j)))
#define REDACT_FIRED_LIMIT	((uint64_t)1 << 62)	/* rule 6 */
#define REDACT_FIRED_ID		((uint64_t)1 << 63)

/* A user's rule; redact_new() copies what it needs. */
struct redact_rule {
	const char	*name;
	const char	*pattern;	/* PCRE2 */
	const char	*replace;	/* NULL: "[NAME]" */
};

/* The customer id of a line, to be replaced by its pseudonym. Borrowed. */
struct redact_id {
	const char	*id;		/* the clear id, perhaps not in the line */
	size_t		 idlen;		/* 0: only the span is replaced */
	const char	*pseud;		/* what replaces it */
	size_t		 pseudlen;
	size_t		 spanoff;	/* the id's field in the line */
	size_t		 spanlen;	/* 0: not known */
};

struct redactor;
struct redact_work;

/* The class called name[0..len) ("email", ...), or -1. */
int		 redact_class_byname(const char *name, size_t len);
const char	*redact_class_name(int);	/* NULL if out of range */

/*
 * Compile the classes (bit c of classes: class c) and nrules rules
 * (at most REDACT_MAXRULES). NULL and *cause (malloc'd: "redact rule
 * acct: missing closing parenthesis at offset 7") on error.
 */
struct redactor	*redact_new(unsigned classes, const struct redact_rule *rules,
		    size_t nrules, char **cause);
void		 redact_free(struct redactor *);	/* NULL is fine */

/* A caller's scratch for r; use it with r only. */
struct redact_work *redact_work_new(const struct redactor *r);
void		 redact_work_free(struct redact_work *);	/* NULL is fine */
/*
 * --no-prefilter: w's calls run every class's full search on every line,
 * without the cheap tests that skip it (the output is the same).
 */
void		 redact_work_simple(struct redact_work *);

/*
 * Redact line[0..len): return the output's length and point *out at it,
 * valid until the next call with w (it is line itself when nothing was
 * replaced). id may be NULL. *fired (fired may be NULL) gets bit
 * REDACT_FIRED_CLASS(c) when class c matched something and
 * REDACT_FIRED_RULE(j) when rule j did (all of it was replaced, if
 * perhaps by another's replacement, rule 2), REDACT_FIRED_ID when the
 * id or its field was replaced, REDACT_FIRED_LIMIT as rule 6 says.
 */
size_t		 redact_line(const struct redactor *, struct redact_work *w,
		    const char *line, size_t len, const struct redact_id *id,
		    const char **out, uint64_t *fired);

#endif
