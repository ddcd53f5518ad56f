/*
 * pattern: PCRE2 patterns for sources, rules and conditions, compiled
 * once with JIT where it can, each with the prefilter its text gives (the
 * literal prefix of an anchored pattern, a literal every match holds:
 * cxwatch.rules(5), Patterns); and the matching of them.
 *
 * A struct pattern is immutable once compiled and may be shared by
 * several matchers. What a match changes is the caller's: a struct
 * pattern_ctx (the match and depth limits and the JIT stack, one per
 * matcher or thread) and the match data (one per set of fields that must
 * outlive the next match).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pattern.h"
#include "rxscan.h"
#include "xmalloc.h"

#define PATTERN_MATCH_LIMIT	1000000
#define PATTERN_DEPTH_LIMIT	10000
#define PATTERN_JIT_STACK_MIN	(32 * 1024)
#define PATTERN_JIT_STACK_MAX	(4 * 1024 * 1024)

struct pattern_ctx {
	pcre2_match_context	*mctx;
	pcre2_jit_stack		*jitstack;
	int			 simple;	/* no prefilters */
};

/*
 * Prefilters: literals every match of a pattern must contain, read from
 * the pattern's text. Only what is certain is taken: patterns with a
 * top-level alternation, option settings ((?i), (?x), ...), verbs
 * ((*UTF), ...), \Q...\E or escapes we do not know give none; groups,
 * classes and anything quantified only end a run of literals. A byte
 * before ?, * or {...} is optional and dropped; one before + is kept.
 * Bytes are read as PCRE2 reads them: a { that starts no quantifier is
 * one, and a quantifier after (?#...) comments is the atom's before them.
 */
#define PATTERN_PF_MAX	64	/* longest literal kept */

struct pattern_pf {
	char	 run[PATTERN_PF_MAX];	/* the literals being read */
	size_t	 nrun;
	int	 atstart;		/* the run is the anchored prefix */
	char	 pre[PATTERN_PF_MAX];
	size_t	 prelen;
	char	 best[PATTERN_PF_MAX];
	size_t	 bestlen;
	int	 bestscore;
	char	 longest[PATTERN_PF_MAX];	/* the longest, prefix too */
	size_t	 longestlen;
};

/* How common a byte is in log lines: lower is rarer. */
static int
pattern_pf_score(unsigned char c)
{
	if (c == ' ')
		return 5;
	if (c >= 'a' && c <= 'z')
		return 4;
	if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return 3;
	if (strchr(".-:/=_", c) != NULL)
		return 2;
	if (strchr("\",()'", c) != NULL)
		return 1;
	return 0;
}

static size_t
pattern_pf_rarest(const char *s, size_t len, int *score)
{
	size_t i, at = 0;
	int sc;

	*score = 6;
	for (i = 0; i < len; i++)
		if ((sc = pattern_pf_score((unsigned char)s[i])) < *score) {
			*score = sc;
			at = i;
		}
	return at;
}

/* The run of literals ends: keep it as the prefix and/or the best. */
static void
pattern_pf_end(struct pattern_pf *pf)
{
	int score;

	if (pf->nrun > pf->longestlen) {
		memcpy(pf->longest, pf->run, pf->nrun);
		pf->longestlen = pf->nrun;
	}
	if (pf->atstart) {
		/* The prefix is checked anyway: not a candidate. */
		memcpy(pf->pre, pf->run, pf->nrun);
		pf->prelen = pf->nrun;
		pf->atstart = 0;
	} else if (pf->nrun > 0) {
		(void)pattern_pf_rarest(pf->run, pf->nrun, &score);
		/* Rarer first, then longer. */
		if (pf->bestlen == 0 || score < pf->bestscore ||
		    (score == pf->bestscore && pf->nrun > pf->bestlen)) {
			memcpy(pf->best, pf->run, pf->nrun);
			pf->bestlen = pf->nrun;
			pf->bestscore = score;
		}
	}
	pf->nrun = 0;
}

static void
pattern_pf_add(struct pattern_pf *pf, char c)
{
	if (pf->nrun == PATTERN_PF_MAX)
		pattern_pf_end(pf);
	pf->run[pf->nrun++] = c;
}

/*
 * After an atom: 1 and q if a quantifier is next (rxscan_quant()), or a
 * {...} that PCRE2 10.43 and later read as one and 10.42 as literals
 * ({,n}, blanks inside: { 2 , 3 }). q may then repeat nothing: neither
 * the atom nor the {...} (digits, commas and blanks) is taken, which is
 * right for both. Else 0: a { is then a literal byte, the next atom.
 */
static int
pattern_pf_quant(struct rxscan *s, struct rxscan_tok *q)
{
	struct rxscan c = *s;
	struct rxscan_tok t;
	const char *p;
	size_t at, n, m = 0;

	if (rxscan_quant(s, q))
		return 1;
	/* PCRE2 reads a quantifier as if comments before it were not there. */
	do {
		at = c.pos;
		rxscan_next(&c, &t);
	} while (t.kind == RXSCAN_COMMENT && t.closed);
	p = c.pat + at;
	if (*p++ != '{')
		return 0;
	p += strspn(p, " \t");
	p += n = strspn(p, "0123456789");
	p += strspn(p, " \t");
	if (*p == ',') {
		p += strspn(p + 1, " \t") + 1;
		p += m = strspn(p, "0123456789");
		p += strspn(p, " \t");
	}
	if (*p != '}' || n + m == 0)
		return 0;
	memset(q, 0, sizeof(*q));
	q->kind = RXSCAN_QUANT;
	q->c = '{';
	q->start = s->pos;
	q->end = (size_t)(p + 1 - c.pat);
	q->max = RXSCAN_INF;
	q->esc = q->hi = -1;
	rxscan_seek(s, q->end);
	return 1;
}

/* Past the body of the group just opened and its ): 0, or -1. */
static int
pattern_pf_group(struct rxscan *s)
{
	struct rxscan_tok t;
	size_t depth = 1;

	for (;;) {
		rxscan_next(s, &t);
		if (t.kind == RXSCAN_END)
			return -1;
		if (t.kind == RXSCAN_OPEN)
			depth++;
		else if (t.kind == RXSCAN_CLOSE && --depth == 0)
			return 0;
	}
}

/*
 * What token t is to the prefilter: 1 a literal byte, 0 not one (the
 * run ends), -1 the end of any prefilter.
 */
static int
pattern_pf_kind(const struct rxscan_tok *t)
{
	int e = t->esc;

	/* Of the escapes of letters and digits, only classes and assertions. */
	if (e == '\0')
		return -1;
	if ((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') ||
	    (e >= '0' && e <= '9'))
		return strchr("dDsSwWhHvVRXbBAzZGK", e) != NULL ? 0 : -1;
	switch (t->kind) {
	case RXSCAN_ALT:
	case RXSCAN_CLOSE:
	case RXSCAN_QUOTE:
	case RXSCAN_END:
		return -1;
	case RXSCAN_LIT:
		/* A ? * + after no literal, or a stray ] or }. */
		return e == -1 && strchr("?*+]}", t->c) != NULL ? 0 : 1;
	case RXSCAN_CLASS:
	case RXSCAN_SETOPTS:
	case RXSCAN_COMMENT:
	case RXSCAN_VERB:
	case RXSCAN_CALL:
		return t->closed ? 0 : -1;
	default:
		return 0;
	}
}

/* 0 and pf filled, or -1: this pattern gets no prefilter. */
static int
pattern_pf_scan(const char *pat, struct pattern_pf *pf)
{
	struct rxscan s;
	struct rxscan_tok t, q;
	const char *p;
	int rc;

	for (p = pat; (p = strstr(p, "(?")) != NULL; p++)
		if ((p[2] >= 'A' && p[2] <= 'Z' && p[2] != 'P') ||
		    (p[2] >= 'a' && p[2] <= 'z') || p[2] == '^' ||
		    p[2] == '-')
			return -1;
	if (strstr(pat, "(*") != NULL || strstr(pat, "\\Q") != NULL ||
	    strstr(pat, "\\E") != NULL)
		return -1;
	memset(pf, 0, sizeof(*pf));
	rxscan_init(&s, pat);
	if (*pat == '^') {
		pf->atstart = 1;
		rxscan_next(&s, &t);
	}
	for (;;) {
		rxscan_next(&s, &t);
		if (t.kind == RXSCAN_END)
			break;
		if ((rc = pattern_pf_kind(&t)) == -1)
			return -1;
		if (rc == 0) {
			/* A quantifier after it changes nothing. */
			pattern_pf_end(pf);
			if (t.kind == RXSCAN_OPEN && pattern_pf_group(&s) == -1)
				return -1;
			(void)pattern_pf_quant(&s, &q);
		} else if (pattern_pf_quant(&s, &q)) {
			if (q.c == '+')
				pattern_pf_add(pf, (char)t.c);
			pattern_pf_end(pf);
		} else
			pattern_pf_add(pf, (char)t.c);
	}
	pattern_pf_end(pf);
	return 0;
}

/* rx's prefilter from its pattern's text, if it has one. */
static void
pattern_prefilter(struct pattern *rx)
{
	struct pattern_pf pf;
	int score;

	if (pattern_pf_scan(rx->src, &pf) == -1)
		return;
	if (pf.longestlen > 0) {
		rx->need = xmalloc(pf.longestlen);
		memcpy(rx->need, pf.longest, pf.longestlen);
		rx->needlen = pf.longestlen;
	}
	if (pf.prelen > 0) {
		rx->pre = xmalloc(pf.prelen);
		memcpy(rx->pre, pf.pre, pf.prelen);
		rx->prelen = pf.prelen;
	}
	/*
	 * Not one byte that nearly every line has, nor a second look at
	 * subjects that a long prefix has already picked out.
	 */
	if (pf.bestlen == 0 || (pf.bestlen == 1 && pf.bestscore >= 3) ||
	    pf.prelen >= 4)
		return;
	rx->lit = xmalloc(pf.bestlen);
	memcpy(rx->lit, pf.best, pf.bestlen);
	rx->litlen = pf.bestlen;
	rx->litrare = pattern_pf_rarest(pf.best, pf.bestlen, &score);
}

/*
 * Whether this PCRE2's JIT is right about patterns compiled with
 * PCRE2_MATCH_INVALID_UTF: 10.42's matches no multibyte character with
 * \S, \D or \W (PCRE2 issue 224, fixed in 10.43), so "(*UTF)^\S+$"
 * missed "C\xc3\xa9". Asked once per process, of the library in use.
 */
static int
pattern_jit_utf_ok(void)
{
	static int ok = -1;
	pcre2_match_data *md;
	pcre2_code *c;
	PCRE2_SIZE off;
	int err;

	if (ok != -1)
		return ok;
	ok = 0;
	c = pcre2_compile((PCRE2_SPTR)"^\\S\\D\\W$", PCRE2_ZERO_TERMINATED,
	    PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &err, &off, NULL);
	if (c != NULL && pcre2_jit_compile(c, PCRE2_JIT_COMPLETE) == 0 &&
	    (md = pcre2_match_data_create_from_pattern(c, NULL)) != NULL) {
		ok = pcre2_match(c, (PCRE2_SPTR)"\xc3\xa9\xc3\xa9\xc3\xa9",
		    6, 0, 0, md, NULL) > 0;
		pcre2_match_data_free(md);
	}
	pcre2_code_free(c);
	return ok;
}

/*
 * Compile pat with JIT. Patterns run in byte mode; one that turns UTF on
 * with (*UTF) is recompiled to tolerate invalid UTF-8 in subjects, since
 * log lines are not promised to be valid.
 */
struct pattern *
pattern_compile(const char *pat, char **cause)
{
	struct pattern *rx;
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE off;
	size_t jitsize = 0;
	uint32_t opts = 0;
	int code;

	rx = xcalloc(1, sizeof(*rx));
	rx->code = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, 0,
	    &code, &off, NULL);
	if (rx->code != NULL) {
		pcre2_pattern_info(rx->code, PCRE2_INFO_ALLOPTIONS, &opts);
		if (opts & PCRE2_UTF) {
			pcre2_code_free(rx->code);
			rx->code = pcre2_compile((PCRE2_SPTR)pat,
			    PCRE2_ZERO_TERMINATED, PCRE2_MATCH_INVALID_UTF,
			    &code, &off, NULL);
		}
	}
	if (rx->code == NULL) {
		pcre2_get_error_message(code, msg, sizeof(msg));
		*cause = xasprintf("%s at offset %zu", (char *)msg,
		    (size_t)off);
		free(rx);
		return NULL;
	}
	/*
	 * Without JIT (unsupported CPU) the interpreter still works; it also
	 * runs UTF patterns when the JIT gets them wrong (pattern_jit_utf_ok).
	 */
	rx->jit = (!(opts & PCRE2_UTF) || pattern_jit_utf_ok()) &&
	    pcre2_jit_compile(rx->code, PCRE2_JIT_COMPLETE) == 0 &&
	    pcre2_pattern_info(rx->code, PCRE2_INFO_JITSIZE, &jitsize) == 0 &&
	    jitsize > 0;
	pcre2_pattern_info(rx->code, PCRE2_INFO_CAPTURECOUNT, &rx->ngroups);
	rx->src = xstrdup(pat);
	pattern_prefilter(rx);
	return rx;
}

void
pattern_free(struct pattern *rx)
{
	if (rx == NULL)
		return;
	pcre2_code_free(rx->code);
	free(rx->src);
	free(rx->pre);
	free(rx->lit);
	free(rx->need);
	free(rx);
}

/* Whether s[0..len) holds rx->lit: its rarest byte, then the rest. */
static int
pattern_has_lit(const struct pattern *rx, const char *s, size_t len)
{
	const char *p, *e, *q;
	char c = rx->lit[rx->litrare];

	if (len < rx->litlen)
		return 0;
	p = s + rx->litrare;
	e = s + (len - rx->litlen) + rx->litrare + 1;
	while (p < e && (q = memchr(p, c, (size_t)(e - p))) != NULL) {
		if (memcmp(q - rx->litrare, rx->lit, rx->litlen) == 0)
			return 1;
		p = q + 1;
	}
	return 0;
}

int
pattern_exec(const struct pattern_ctx *ctx, const struct pattern *rx,
    pcre2_match_data *md, const char *s, size_t len)
{
	int rc;

	if (!ctx->simple && ((rx->pre != NULL && (len < rx->prelen ||
	    memcmp(s, rx->pre, rx->prelen) != 0)) ||
	    (rx->lit != NULL && !pattern_has_lit(rx, s, len))))
		return 0;
	/*
	 * pcre2_match() would call the same JIT code after checks that
	 * cannot fail here: no UTF check is due (byte mode, or
	 * PCRE2_MATCH_INVALID_UTF) and the options are 0.
	 */
	if (rx->jit)
		rc = pcre2_jit_match(rx->code, (PCRE2_SPTR)s, len, 0, 0, md,
		    ctx->mctx);
	else
		rc = pcre2_match(rx->code, (PCRE2_SPTR)s, len, 0, 0, md,
		    ctx->mctx);
	/* 0: a match, but the match data holds fewer groups (we ask none). */
	if (rc >= 0)
		return 1;
	switch (rc) {
	case PCRE2_ERROR_NOMATCH:
		return 0;
	case PCRE2_ERROR_MATCHLIMIT:
	case PCRE2_ERROR_DEPTHLIMIT:
	case PCRE2_ERROR_HEAPLIMIT:
	case PCRE2_ERROR_JIT_STACKLIMIT:
		return -1;
	default:
		return -2;
	}
}

struct pattern_ctx *
pattern_ctx_new(int simple)
{
	struct pattern_ctx *ctx = xcalloc(1, sizeof(*ctx));

	ctx->simple = simple;
	ctx->mctx = pcre2_match_context_create(NULL);
	ctx->jitstack = pcre2_jit_stack_create(PATTERN_JIT_STACK_MIN,
	    PATTERN_JIT_STACK_MAX, NULL);
	if (ctx->mctx == NULL || ctx->jitstack == NULL) {
		fprintf(stderr, "cxwatch: out of memory\n");
		exit(2);
	}
	pcre2_set_match_limit(ctx->mctx, PATTERN_MATCH_LIMIT);
	pcre2_set_depth_limit(ctx->mctx, PATTERN_DEPTH_LIMIT);
	pcre2_jit_stack_assign(ctx->mctx, NULL, ctx->jitstack);
	return ctx;
}

void
pattern_ctx_free(struct pattern_ctx *ctx)
{
	if (ctx == NULL)
		return;
	pcre2_match_context_free(ctx->mctx);
	pcre2_jit_stack_free(ctx->jitstack);
	free(ctx);
}

pcre2_match_data *
pattern_md_new(uint32_t ngroups)
{
	pcre2_match_data *md = pcre2_match_data_create(ngroups + 1, NULL);

	if (md == NULL) {
		fprintf(stderr, "cxwatch: out of memory\n");
		exit(2);
	}
	return md;
}
