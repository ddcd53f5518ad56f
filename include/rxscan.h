/*
 * rxscan: the tokens of a PCRE2 pattern's text, for the prefilter
 * (pattern.c) and rxlint: literal bytes with their escapes decoded,
 * classes and their members, the escapes that are classes, assertions
 * or back references, groups, | and quantifiers.
 *
 * Reads text only: no PCRE2, no I/O, no allocation. The pattern is
 * borrowed and must outlive the scanner; a struct rxscan is a plain
 * value, copied to look ahead. Any string is safe: what PCRE2 would
 * reject is still read somehow, never past the NUL.
 */
#ifndef CXW_RXSCAN_H
#define CXW_RXSCAN_H

#include <stddef.h>

#define RXSCAN_INF	(-1)	/* a quantifier's max: no bound */

enum rxscan_kind {
	RXSCAN_END,	/* the end of the pattern, or of a class */
	RXSCAN_LIT,	/* c: one byte, as written or escaped (\. \t \x41) */
	RXSCAN_QUOTE,	/* \Q...\E: the bytes quoted are text */
	RXSCAN_CLASS,	/* [...], neg for [^...]: rxscan_member() walks it */
	RXSCAN_TYPE,	/* c: . or the letter of \d \w \s \h \v \N \R \X \p */
	RXSCAN_ANCHOR,	/* c: ^ $ or the letter of \b \A \z \Z \G \K \E */
	RXSCAN_REF,	/* \1 \g{1} \k<n> ...: a back reference */
	RXSCAN_OPEN,	/* a group, of kind group: its body and ) follow */
	RXSCAN_CLOSE,	/* ) */
	RXSCAN_ALT,	/* | */
	RXSCAN_SETOPTS,	/* (?i) (?-s) ..., read through its ) */
	RXSCAN_COMMENT,	/* (?#...) */
	RXSCAN_VERB,	/* (*UTF) (*FAIL) ... */
	RXSCAN_CALL,	/* (?R) (?1) (?-1) (?+1) (?&n) (?P>n) (?P=n) */
	RXSCAN_QUANT,	/* from rxscan_quant() */
	RXSCAN_RANGE,	/* from rxscan_member(): c, then c to hi */
	RXSCAN_POSIX	/* from rxscan_member(): [:name:], the name is text */
};

enum rxscan_group {
	RXSCAN_CAPTURE,	/* ( */
	RXSCAN_NAMED,	/* (?<n> (?'n' (?P<n> */
	RXSCAN_NONCAP,	/* (?: (?| */
	RXSCAN_OPTIONS,	/* (?i: (?-s: ...: options for the body */
	RXSCAN_LOOK,	/* (?= (?! (?<= (?<! */
	RXSCAN_ATOMIC,	/* (?> */
	RXSCAN_COND	/* (?( : the condition follows, as a group of its own */
};

struct rxscan {
	const char	*pat;
	size_t		 pos;
	int		 first;		/* in a class: at its first member */
};

struct rxscan_tok {
	int		 kind;		/* RXSCAN_END ... */
	size_t		 start, end;	/* its bytes in the pattern */
	int		 esc;		/* the byte after the \ of an escape
					   (0 at the end), else -1 */
	int		 c;		/* see the kinds; QUANT: ? * + or { */
	int		 hi;		/* RANGE: its end, -1 if not a byte */
	int		 group;		/* OPEN: RXSCAN_CAPTURE ... */
	int		 neg;		/* CLASS: [^...] */
	int		 closed;	/* CLASS, QUOTE and the (...) read
					   whole: their ], \E or ) is there */
	long		 min, max;	/* QUANT: max RXSCAN_INF, no bound */
	int		 lazy, poss;	/* QUANT: ? or + after it */
	const char	*text;		/* QUOTE, POSIX: in the pattern */
	size_t		 textlen;
};

void	rxscan_init(struct rxscan *, const char *pat);
void	rxscan_seek(struct rxscan *, size_t pos);	/* read on at pos */

/*
 * The token at the scanner, read where an atom may stand (there ? * +
 * and { are literal bytes), and the scanner past it. At the end: END,
 * again and again. peek reads it without moving.
 */
void	rxscan_next(struct rxscan *, struct rxscan_tok *);
void	rxscan_peek(const struct rxscan *, struct rxscan_tok *);

/*
 * After an atom: 1 and a QUANT token when a quantifier is next (? * +
 * {n} {n,} {n,m}, then ? or +), the scanner past it; else 0, unmoved
 * (a { that starts no quantifier is a literal: {,n} and { n } too, as
 * PCRE2 10.42 reads them). As in PCRE2, (?#...) comments before the
 * quantifier or its ? or + are skipped: the token's bytes hold them.
 */
int	rxscan_quant(struct rxscan *, struct rxscan_tok *);

/*
 * The members of CLASS token cl of s's pattern: m from rxscan_class(),
 * then 1 and each member (LIT, RANGE, TYPE, POSIX, REF, ANCHOR) from
 * rxscan_member(), 0 after the last.
 */
void	rxscan_class(struct rxscan *m, const struct rxscan *s,
	    const struct rxscan_tok *cl);
int	rxscan_member(struct rxscan *m, struct rxscan_tok *);

#endif
