/*
 * redact: the redaction of evidence lines. See redact.h, whose numbered
 * rules this file cites.
 *
 * Each source of rule 1 adds the spans it finds, in the line's order,
 * to the work's span list; the list is then sorted by start (stable, so
 * that among spans that start alike the first found stays first), the
 * overlapping ones are merged (rule 2) and the output is written. A
 * span's replacement is a fixed text (the pseudonym, a class's) or one
 * a rule's $n made, kept in the work's rbuf.
 *
 * Patterns are compiled without UTF (PCRE2_NEVER_UTF): lines are bytes
 * an attacker may write, byte mode cannot fail on invalid UTF-8 or
 * treat a byte sequence as a character that swallows a delimiter, and
 * every shape rule 5 names is ASCII. \w and \b are then ASCII too, as
 * the id's word bytes are (rule 1).
 *
 * email and token are PCRE2 patterns, written with possessive
 * quantifiers so that they never backtrack far. ipv4, ipv6 and card are
 * read by hand: their test is arithmetic (octets, groups, Luhn), which
 * a pattern can only approximate, and a linear scan cannot hit a limit.
 * Each class has a cheap test of the line first (an @, two colons, 13
 * digits), as most lines hold none of them.
 */
#include <err.h>
#include <stdlib.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "redact.h"
#include "xmalloc.h"

/* Per start position, as PCRE2 counts (the search stops at the first). */
#define REDACT_MATCH_LIMIT	100000
#define REDACT_DEPTH_LIMIT	10000
#define REDACT_JIT_STACK_MIN	(32 * 1024)
#define REDACT_JIT_STACK_MAX	(1024 * 1024)
#define REDACT_COMPILE_OPTS	(PCRE2_NEVER_UTF | PCRE2_NEVER_UCP)

static const char *const redact_names[REDACT_NCLASS] = {
	"email", "ipv4", "ipv6", "card", "token"
};
static const char *const redact_repls[REDACT_NCLASS] = {
	"[email]", "[ipv4]", "[ipv6]", "[card]", "[token]"
};

/* Rule 5, email: possessive, and %40 is never part of the local part. */
static const char redact_email_rx[] =
    "(?<![A-Za-z0-9._%+-])(?:[A-Za-z0-9._+-]|%(?!40))++(?:@|%40)"
    "[A-Za-z0-9-]++(?:\\.[A-Za-z0-9-]++)++";

/* Rule 5, token: the keys whose value is a credential (either case). */
#define REDACT_LIT(s)	{ s, sizeof(s) - 1 }
static const struct redact_lit {
	const char	*s;
	size_t		 n;
} redact_token_keys[] = {
	REDACT_LIT("api_key"), REDACT_LIT("apikey"), REDACT_LIT("api-key"),
	REDACT_LIT("access_token"), REDACT_LIT("refresh_token"),
	REDACT_LIT("client_secret"), REDACT_LIT("secret"), REDACT_LIT("token"),
	REDACT_LIT("password"), REDACT_LIT("passwd"), REDACT_LIT("pwd"),
	REDACT_LIT("authorization"), REDACT_LIT("auth"),
	REDACT_LIT("sessionid"), REDACT_LIT("session"),
}, redact_token_schemes[] = { REDACT_LIT("bearer"), REDACT_LIT("basic") };

/*
 * Rule 5, token: the shapes anywhere in a line, each an alternative of
 * one pattern with the keyed values and the schemes. lit is what every
 * match of the shape holds, a ? in it any byte, and lit[key] a byte rare
 * in logs, where the prefilter looks: a line with none of them, no
 * scheme and no key before a : or = is not searched.
 */
static const struct redact_shape {
	const char	*lit;
	size_t		 key;
	const char	*rx;
} redact_token_shapes[] = {
	/* Stripe. */
	{ "k_live_", 0, "[spr]k_live_[0-9A-Za-z]{10,}+" },
	{ "k_test_", 0, "[spr]k_test_[0-9A-Za-z]{10,}+" },
	/* GitHub: classic tokens, fine-grained ones. */
	{ "gh?_", 0, "gh[pousr]_[0-9A-Za-z]{30,}+" },
	{ "github_pat_", 0, "github_pat_[0-9A-Za-z_]{20,}+" },
	/* AWS access key ids, long-term and temporary. */
	{ "AKIA", 1, "AKIA[0-9A-Z]{16}(?![0-9A-Za-z])" },
	{ "ASIA", 2, "ASIA[0-9A-Z]{16}(?![0-9A-Za-z])" },
	/* Slack. */
	{ "xox?-", 0, "xox[abposr]-[0-9A-Za-z-]{10,}+" },
	/* Google API keys. */
	{ "AIza", 2, "AIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])" },
	/* JWTs: header.payload.signature, the signature perhaps empty. */
	{ "eyJ", 2, "eyJ[0-9A-Za-z_-]++\\.eyJ[0-9A-Za-z_-]++\\."
	    "[0-9A-Za-z_-]*+" },
};
#define REDACT_NSHAPES	(sizeof(redact_token_shapes) / \
			    sizeof(redact_token_shapes[0]))

/* The bits of the token prefilter's table (struct redactor's tok). */
#define RT_SHAPE(i)	(1u << (i))	/* a shape's key byte */
#define RT_SHAPES	((1u << REDACT_NSHAPES) - 1)
#define RT_KEYEND	0x2000u		/* a key's last letter */
#define RT_SCHEME	0x4000u		/* a scheme's first letter */
#define RT_KEYED	0x8000u		/* : or =, a key may end before */

/*
 * The schemes' credential (RFC 6750's b64token, base64), and a key's
 * value: "key=v", "key: v", "\"key\":\"v\"", perhaps "key: Bearer v".
 * \K: the label before is kept.
 */
#define REDACT_SCHEME_RX	"(?i:bearer|basic)[ \\t]++\\K[A-Za-z0-9._~+/=-]++"
#define REDACT_KEYED_RX		"[\"']?+[ \\t]*+[:=][ \\t]*+[\"']?+" \
	"(?:(?i:bearer|basic)[ \\t]++)?+\\K[^\\x00-\\x20\"'&,;]++"
#define REDACT_NOT_AFTER	"(?<![A-Za-z0-9])"

/* Byte classes, for the scanners. */
#define RC_DIGIT	0x01
#define RC_HEX		0x02
#define RC_WORD		0x04	/* rule 1: A-Z a-z 0-9 _ */
#define RC_ALNUM	0x08
#define RC_V6		0x10	/* in an ipv6 run: hex, : and . */

struct redact_rx {
	pcre2_code	*code;
	int		 jit;
	uint32_t	 ngroups;
};

struct redact_urule {
	char		*name;
	struct redact_rx rx;
	char		*repl;		/* as written, or "[NAME]" */
	char		*brack;		/* "[NAME]" */
	int		 dollars;	/* repl has $: rule 4 expands it */
};

struct redactor {
	unsigned	 classes;
	uint16_t	 tok[256];	/* RT_* of each byte */
	unsigned char	 tokstart[16];	/* the bytes with more than RT_KEYEND */
	size_t		 ntokstart;
	struct redact_rx email;
	struct redact_rx token;
	struct redact_urule *rules;
	size_t		 nrules;
	uint32_t	 maxgroups;
};

/* A span to replace; its replacement is text, or rbuf[roff..) if NULL. */
struct redact_span {
	size_t		 start, end;
	size_t		 order;		/* rule 1's: the index found */
	const char	*text;
	size_t		 roff, rlen;
};

struct redact_work {
	int		 simple;	/* no prefilters: redact_work_simple() */
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack	*jitstack;
	struct redact_span *span, *tmp;
	size_t		 nspan, capspan;
	char		*rbuf;
	size_t		 rlen, rcap;
	char		*out;
	size_t		 outcap;
};

/* What one call is doing: the line and where its spans go. */
struct redact_call {
	const struct redactor *r;
	struct redact_work *w;
	const char	*line;
	size_t		 len;
	uint64_t	 fired;
};

int
redact_class_byname(const char *name, size_t len)
{
	int c;

	for (c = 0; c < REDACT_NCLASS; c++)
		if (strlen(redact_names[c]) == len &&
		    memcmp(redact_names[c], name, len) == 0)
			return c;
	return -1;
}

const char *
redact_class_name(int c)
{
	return c >= 0 && c < REDACT_NCLASS ? redact_names[c] : NULL;
}

/* RC_* of each byte; bytes from 0x80 are in none. */
static const unsigned char redact_cls[256] = {
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00,
	0x1f, 0x1f, 0x1f, 0x1f, 0x1f, 0x1f, 0x1f, 0x1f,
	0x1f, 0x1f, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x0c,
	0x0c, 0x0c, 0x0c, 0x0c, 0x0c, 0x0c, 0x0c, 0x0c,
	0x0c, 0x0c, 0x0c, 0x0c, 0x0c, 0x0c, 0x0c, 0x0c,
	0x0c, 0x0c, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x04,
	0x00, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x0c,
	0x0c, 0x0c, 0x0c, 0x0c, 0x0c, 0x0c, 0x0c, 0x0c,
	0x0c, 0x0c, 0x0c, 0x0c, 0x0c, 0x0c, 0x0c, 0x0c,
	0x0c, 0x0c, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00,
};

static inline int
redact_isword(unsigned char c)
{
	return redact_cls[c] & RC_WORD;
}

static inline int
redact_isalnum(unsigned char c)
{
	return redact_cls[c] & RC_ALNUM;
}

static inline int
redact_isdigit(unsigned char c)
{
	return redact_cls[c] & RC_DIGIT;
}

static inline int
redact_ishex(unsigned char c)
{
	return redact_cls[c] & RC_HEX;
}

static inline unsigned char
redact_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* The first needle[0..n) in s[from..len), n >= 1: its offset, or len. */
static size_t
redact_find(const char *s, size_t len, size_t from, const char *needle,
    size_t n)
{
	const char *p = s + from, *q, *last;

	if (len < n || from > len - n)
		return len;
	last = s + (len - n);
	while (p <= last && (q = memchr(p, needle[0],
	    (size_t)(last - p) + 1)) != NULL) {
		if (memcmp(q, needle, n) == 0)
			return (size_t)(q - s);
		p = q + 1;
	}
	return len;
}

/* Compile pat; 0, or -1 and *cause saying what, after who. */
static int
redact_compile(struct redact_rx *rx, const char *pat, const char *who,
    char **cause)
{
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE off;
	size_t jitsize = 0;
	int code;

	rx->code = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
	    REDACT_COMPILE_OPTS, &code, &off, NULL);
	if (rx->code == NULL) {
		pcre2_get_error_message(code, msg, sizeof(msg));
		*cause = xasprintf("%s: %s at offset %zu", who, (char *)msg,
		    (size_t)off);
		return -1;
	}
	/* Without JIT (an unsupported CPU) the interpreter does the work. */
	rx->jit = pcre2_jit_compile(rx->code, PCRE2_JIT_COMPLETE) == 0 &&
	    pcre2_pattern_info(rx->code, PCRE2_INFO_JITSIZE, &jitsize) == 0 &&
	    jitsize > 0;
	pcre2_pattern_info(rx->code, PCRE2_INFO_CAPTURECOUNT, &rx->ngroups);
	return 0;
}

/* Rule 4: a $n naming no group of the rule's pattern is an error. */
static int
redact_check_repl(struct redact_urule *u, char **cause)
{
	const char *s;

	for (s = u->repl; (s = strchr(s, '$')) != NULL; s++) {
		u->dollars = 1;
		if (s[1] == '$')
			s++;
		else if (s[1] >= '1' && s[1] <= '9' &&
		    (uint32_t)(s[1] - '0') > u->rx.ngroups) {
			*cause = xasprintf("redact rule %s: the replacement "
			    "names $%c, but the pattern has %u group%s",
			    u->name, s[1], u->rx.ngroups,
			    u->rx.ngroups == 1 ? "" : "s");
			return -1;
		}
	}
	return 0;
}

static int
redact_add_rule(struct redactor *r, const struct redact_rule *rule,
    char **cause)
{
	struct redact_urule *u = &r->rules[r->nrules];
	char *who;
	int rc;

	if (rule->name == NULL || *rule->name == '\0' ||
	    rule->pattern == NULL) {
		*cause = xasprintf("redact rule %zu: no name or no pattern",
		    r->nrules + 1);
		return -1;
	}
	who = xasprintf("redact rule %s", rule->name);
	rc = redact_compile(&u->rx, rule->pattern, who, cause);
	free(who);
	if (rc == -1)
		return -1;
	u->name = xstrdup(rule->name);
	u->brack = xasprintf("[%s]", rule->name);
	u->repl = xstrdup(rule->replace != NULL ? rule->replace : u->brack);
	r->nrules++;
	if (u->rx.ngroups > r->maxgroups)
		r->maxgroups = u->rx.ngroups;
	return rule->replace != NULL ? redact_check_repl(u, cause) : 0;
}

/* Both cases of c (an ASCII letter, or any byte: itself) get bits. */
static void
redact_tok_set(struct redactor *r, unsigned char c, unsigned bits)
{
	r->tok[c] |= bits;
	if (c >= 'a' && c <= 'z')
		r->tok[c - ('a' - 'A')] |= bits;
	else if (c >= 'A' && c <= 'Z')
		r->tok[c + ('a' - 'A')] |= bits;
}

/* The token prefilter's table, from the shapes, schemes and keys. */
static void
redact_token_table(struct redactor *r)
{
	const size_t nk = sizeof(redact_token_keys) /
	    sizeof(redact_token_keys[0]);
	const size_t nsch = sizeof(redact_token_schemes) /
	    sizeof(redact_token_schemes[0]);
	size_t i;

	for (i = 0; i < REDACT_NSHAPES; i++)
		r->tok[(unsigned char)redact_token_shapes[i].lit[
		    redact_token_shapes[i].key]] |= RT_SHAPE(i);
	for (i = 0; i < nsch; i++)
		redact_tok_set(r, (unsigned char)redact_token_schemes[i].s[0],
		    RT_SCHEME);
	for (i = 0; i < nk; i++)
		redact_tok_set(r, (unsigned char)redact_token_keys[i].s[
		    redact_token_keys[i].n - 1], RT_KEYEND);
	r->tok[':'] |= RT_KEYED;
	r->tok['='] |= RT_KEYED;
	for (i = 0; i < 256; i++)
		if ((r->tok[i] & ~RT_KEYEND) != 0) {
			if (r->ntokstart == sizeof(r->tokstart))
				abort();	/* the tables above grew */
			r->tokstart[r->ntokstart++] = (unsigned char)i;
		}
}

/* Rule 5, token: the shapes, the keys and the schemes as one pattern. */
static int
redact_add_token(struct redactor *r, char **cause)
{
	const size_t nk = sizeof(redact_token_keys) /
	    sizeof(redact_token_keys[0]);
	char *pat, *keys, *t;
	size_t i;
	int rc;

	keys = xstrdup(redact_token_keys[0].s);
	for (i = 1; i < nk; i++) {
		t = xasprintf("%s|%s", keys, redact_token_keys[i].s);
		free(keys);
		keys = t;
	}
	pat = xasprintf(REDACT_NOT_AFTER "(?:" REDACT_SCHEME_RX "|(?i:%s)"
	    REDACT_KEYED_RX, keys);
	free(keys);
	for (i = 0; i < REDACT_NSHAPES; i++) {
		t = xasprintf("%s|%s", pat, redact_token_shapes[i].rx);
		free(pat);
		pat = t;
	}
	t = xasprintf("%s)", pat);
	free(pat);
	rc = redact_compile(&r->token, t, "redact class token", cause);
	free(t);
	redact_token_table(r);
	return rc;
}

struct redactor *
redact_new(unsigned classes, const struct redact_rule *rules, size_t nrules,
    char **cause)
{
	struct redactor *r;
	size_t j;

	if (nrules > REDACT_MAXRULES) {
		*cause = xasprintf("%zu redact rules: at most %d are allowed",
		    nrules, REDACT_MAXRULES);
		return NULL;
	}
	r = xcalloc(1, sizeof(*r));
	r->classes = classes & ((1u << REDACT_NCLASS) - 1);
	r->rules = xcalloc(nrules > 0 ? nrules : 1, sizeof(*r->rules));
	for (j = 0; j < nrules; j++)
		if (redact_add_rule(r, &rules[j], cause) == -1)
			goto fail;
	if ((r->classes & (1u << REDACT_EMAIL)) && redact_compile(&r->email,
	    redact_email_rx, "redact class email", cause) == -1)
		goto fail;
	if ((r->classes & (1u << REDACT_TOKEN)) &&
	    redact_add_token(r, cause) == -1)
		goto fail;
	return r;
fail:
	redact_free(r);
	return NULL;
}

void
redact_free(struct redactor *r)
{
	size_t j;

	if (r == NULL)
		return;
	for (j = 0; j < r->nrules; j++) {
		pcre2_code_free(r->rules[j].rx.code);
		free(r->rules[j].name);
		free(r->rules[j].repl);
		free(r->rules[j].brack);
	}
	free(r->rules);
	pcre2_code_free(r->email.code);
	pcre2_code_free(r->token.code);
	free(r);
}

/* PCRE2's allocations fail as xmalloc's do (xmalloc.h). */
static void
redact_oom(void *p)
{
	if (p == NULL)
		errx(2, "out of memory");
}

struct redact_work *
redact_work_new(const struct redactor *r)
{
	struct redact_work *w = xcalloc(1, sizeof(*w));

	w->md = pcre2_match_data_create(r->maxgroups + 1, NULL);
	w->mctx = pcre2_match_context_create(NULL);
	w->jitstack = pcre2_jit_stack_create(REDACT_JIT_STACK_MIN,
	    REDACT_JIT_STACK_MAX, NULL);
	redact_oom(w->md);
	redact_oom(w->mctx);
	redact_oom(w->jitstack);
	pcre2_set_match_limit(w->mctx, REDACT_MATCH_LIMIT);
	pcre2_set_depth_limit(w->mctx, REDACT_DEPTH_LIMIT);
	pcre2_jit_stack_assign(w->mctx, NULL, w->jitstack);
	return w;
}

void
redact_work_simple(struct redact_work *w)
{
	w->simple = 1;
}

void
redact_work_free(struct redact_work *w)
{
	if (w == NULL)
		return;
	pcre2_match_data_free(w->md);
	pcre2_match_context_free(w->mctx);
	pcre2_jit_stack_free(w->jitstack);
	free(w->span);
	free(w->tmp);
	free(w->rbuf);
	free(w->out);
	free(w);
}

/* Room for n more bytes in *buf (length len, capacity *cap). */
static void
redact_grow(char **buf, size_t len, size_t *cap, size_t n)
{
	size_t want = len + n;

	if (want <= *cap)
		return;
	if (want < *cap * 2)
		want = *cap * 2;
	if (want < 256)
		want = 256;
	*buf = xreallocarray(*buf, want, 1);
	*cap = want;
}

/* Rule 1: add span [start, end), unless empty; return the span. */
static struct redact_span *
redact_add(struct redact_call *c, size_t start, size_t end,
    const char *text, size_t tlen)
{
	struct redact_work *w = c->w;
	struct redact_span *s;
	size_t cap;

	if (start >= end)
		return NULL;
	if (w->nspan == w->capspan) {
		cap = w->capspan < 16 ? 16 : w->capspan * 2;
		w->span = xreallocarray(w->span, cap, sizeof(*w->span));
		w->tmp = xreallocarray(w->tmp, cap, sizeof(*w->tmp));
		w->capspan = cap;
	}
	s = &w->span[w->nspan];
	s->start = start;
	s->end = end;
	s->order = w->nspan++;
	s->text = text;
	s->roff = 0;
	s->rlen = tlen;
	return s;
}

/* Rule 1 (a): the id's field, and its word-bounded occurrences. */
static void
redact_find_id(struct redact_call *c, const struct redact_id *id)
{
	const unsigned char *l = (const unsigned char *)c->line;
	size_t at, end, n = id->idlen;
	int wfirst, wlast;

	if (id->spanlen > 0 && id->spanoff < c->len) {
		end = id->spanlen < c->len - id->spanoff ?
		    id->spanoff + id->spanlen : c->len;
		if (redact_add(c, id->spanoff, end, id->pseud,
		    id->pseudlen) != NULL)
			c->fired |= REDACT_FIRED_ID;
	}
	if (n == 0)
		return;
	wfirst = redact_isword((unsigned char)id->id[0]);
	wlast = redact_isword((unsigned char)id->id[n - 1]);
	for (at = 0; (at = redact_find(c->line, c->len, at, id->id, n)) <
	    c->len; at++) {
		if ((at > 0 && wfirst && redact_isword(l[at - 1])) ||
		    (at + n < c->len && wlast && redact_isword(l[at + n])))
			continue;
		redact_add(c, at, at + n, id->pseud, id->pseudlen);
		c->fired |= REDACT_FIRED_ID;
	}
}

/* Rule 4: rule u's replacement for the match in w->md, into rbuf. */
static void
redact_expand(struct redact_call *c, struct redact_span *s,
    const struct redact_urule *u)
{
	struct redact_work *w = c->w;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(w->md);
	const char *p;
	size_t g, n;

	s->text = NULL;
	s->roff = w->rlen;
	for (p = u->repl; *p != '\0'; p++) {
		if (p[0] == '$' && p[1] == '$') {
			p++;
		} else if (p[0] == '$' && p[1] >= '1' && p[1] <= '9') {
			g = (size_t)(*++p - '0');
			if (ov[2 * g] == PCRE2_UNSET || ov[2 * g] >= ov[2 * g + 1])
				continue;
			n = ov[2 * g + 1] - ov[2 * g];
			redact_grow(&w->rbuf, w->rlen, &w->rcap, n);
			memcpy(w->rbuf + w->rlen, c->line + ov[2 * g], n);
			w->rlen += n;
			continue;
		}
		redact_grow(&w->rbuf, w->rlen, &w->rcap, 1);
		w->rbuf[w->rlen++] = *p;
	}
	s->rlen = w->rlen - s->roff;
}

/*
 * Every match of rx in the line as a span (rule 1), replaced by text or
 * by u's replacement; bit is the source's fired bit.
 */
static void
redact_search(struct redact_call *c, const struct redact_rx *rx,
    const struct redact_urule *u, const char *text, uint64_t bit)
{
	struct redact_work *w = c->w;
	struct redact_span *s;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(w->md);
	const char *t;
	size_t pos = 0;
	int rc;

	if (u != NULL && !u->dollars)
		text = u->repl;
	while (pos <= c->len) {
		if (rx->jit)
			rc = pcre2_jit_match(rx->code, (PCRE2_SPTR)c->line,
			    c->len, pos, 0, w->md, w->mctx);
		else
			rc = pcre2_match(rx->code, (PCRE2_SPTR)c->line, c->len,
			    pos, 0, w->md, w->mctx);
		if (rc == PCRE2_ERROR_NOMATCH)
			return;
		if (rc < 0) {
			/* Rule 6: the rest of the line, as one match. */
			t = u != NULL ? u->brack : text;
			redact_add(c, pos, c->len, t, strlen(t));
			c->fired |= bit | REDACT_FIRED_LIMIT;
			return;
		}
		/* An empty match (\K may even put its start after its end). */
		if (ov[0] < ov[1] && (s = redact_add(c, ov[0], ov[1], text,
		    text != NULL ? strlen(text) : 0)) != NULL) {
			if (u != NULL && u->dollars)
				redact_expand(c, s, u);
			c->fired |= bit;
		}
		pos = ov[1] > pos ? ov[1] : pos + 1;
	}
}

/*
 * Rule 5, ipv4: the octet (a whole run of digits) at l[i..): its end,
 * or 0 when it is none.
 */
static size_t
redact_octet(const unsigned char *l, size_t len, size_t i)
{
	size_t j, v = 0;

	for (j = i; j < len && redact_isdigit(l[j]); j++) {
		if (j - i == 3)
			return 0;
		v = v * 10 + (l[j] - '0');
	}
	return j > i && v <= 255 ? j : 0;
}

/* The ipv4 address at l[i..), i where a run of digits starts: end or 0. */
static size_t
redact_ipv4_at(const unsigned char *l, size_t len, size_t i)
{
	size_t j = i;
	int k;

	for (k = 0; k < 4; k++) {
		if (k > 0) {
			if (j >= len || l[j] != '.')
				return 0;
			j++;
		}
		if ((j = redact_octet(l, len, j)) == 0)
			return 0;
	}
	if (j + 1 < len && l[j] == '.' && redact_isdigit(l[j + 1]))
		return 0;
	return j;
}

/* Each address is found through the dot after its first octet. */
static void
redact_find_ipv4(struct redact_call *c)
{
	const unsigned char *l = (const unsigned char *)c->line, *p;
	size_t at = 0, dot, i, end;

	while (at < c->len && (p = memchr(l + at, '.', c->len - at)) != NULL) {
		dot = (size_t)(p - l);
		at = dot + 1;
		for (i = dot; i > 0 && dot - i < 4 && redact_isdigit(l[i - 1]);
		    i--)
			continue;
		if (i == dot || dot - i > 3 || (i >= 2 && l[i - 1] == '.' &&
		    redact_isdigit(l[i - 2])))
			continue;
		if ((end = redact_ipv4_at(l, c->len, i)) != 0) {
			redact_add(c, i, end, redact_repls[REDACT_IPV4], 6);
			c->fired |= REDACT_FIRED_CLASS(REDACT_IPV4);
			at = end;
		}
	}
}

/* Whether s[0..n) is, as a whole, an ipv4 address (for ipv6's tail). */
static int
redact_ipv4_is(const unsigned char *s, size_t n)
{
	return n >= 7 && redact_ipv4_at(s, n, 0) == n;
}

/*
 * Rule 5, ipv6: whether s[0..n) is an RFC 4291 address: groups of 1-4
 * hex digits joined by colons, one :: at most, the last perhaps an ipv4
 * address (two groups); eight groups, or fewer with ::.
 */
static int
redact_ipv6_is(const unsigned char *s, size_t n)
{
	size_t i = 0, j, groups = 0;
	int dcolon = 0;

	if (n >= 2 && s[0] == ':' && s[1] == ':') {
		dcolon = 1;
		i = 2;
		if (n == 2)
			return 1;
	} else if (n == 0 || s[0] == ':')
		return 0;
	for (;;) {
		for (j = i; j < n && j - i < 5 && redact_ishex(s[j]); j++)
			continue;
		if (j < n && s[j] == '.') {
			/* The last part, an ipv4 address. */
			if (!redact_ipv4_is(s + i, n - i))
				return 0;
			groups += 2;
			break;
		}
		if (j == i || j - i > 4)
			return 0;
		groups++;
		if (j == n)
			break;
		if (s[j] != ':')
			return 0;
		if (j + 1 < n && s[j + 1] == ':') {
			if (dcolon)
				return 0;
			dcolon = 1;
			if (j + 2 == n)
				break;
			i = j + 2;
		} else if (j + 1 == n)
			return 0;
		else
			i = j + 1;
	}
	return dcolon ? groups <= 7 : groups == 8;
}

/* A zone (RFC 4007, RFC 6874's unreserved bytes) at l[i..): its end. */
static size_t
redact_zone(const unsigned char *l, size_t len, size_t i)
{
	size_t j;

	if (i >= len || l[i] != '%')
		return i;
	for (j = i + 1; j < len && (redact_isword(l[j]) || l[j] == '.' ||
	    l[j] == '-' || l[j] == '~'); j++)
		continue;
	return j > i + 1 ? j : i;
}

static inline int
redact_ipv6_byte(unsigned char c)
{
	return redact_cls[c] & RC_V6;
}

/* The run l[i..e), as rule 5 reads it: the span's end, or 0. */
static size_t
redact_ipv6_run(const unsigned char *l, size_t len, size_t i, size_t e)
{
	if (i > 0 && redact_isword(l[i - 1]))
		return 0;
	if (!redact_ipv6_is(l + i, e - i)) {
		/* One dot or colon that ends the run and spoils it. */
		if (e - i < 3 || (l[e - 1] != '.' && l[e - 1] != ':') ||
		    l[e - 2] == ':' || !redact_ipv6_is(l + i, e - i - 1))
			return 0;
		e--;
	}
	e = redact_zone(l, len, e);
	if (e < len && redact_isword(l[e]))
		return 0;
	return e;
}

/* Each run is found through its first colon; two it must have. */
static void
redact_find_ipv6(struct redact_call *c)
{
	const unsigned char *l = (const unsigned char *)c->line, *p;
	size_t at = 0, i, e, end, ncolon;

	while (at < c->len && (p = memchr(l + at, ':', c->len - at)) != NULL) {
		for (i = (size_t)(p - l); i > at && redact_ipv6_byte(l[i - 1]);
		    i--)
			continue;
		ncolon = 0;
		for (e = (size_t)(p - l); e < c->len &&
		    redact_ipv6_byte(l[e]); e++)
			ncolon += l[e] == ':';
		at = e;
		/* Leading dots are not part of an address. */
		while (i < e && l[i] == '.')
			i++;
		if (ncolon < 2 || (end = redact_ipv6_run(l, c->len, i, e)) == 0)
			continue;
		redact_add(c, i, end, redact_repls[REDACT_IPV6], 6);
		c->fired |= REDACT_FIRED_CLASS(REDACT_IPV6);
		if (end > at)
			at = end;
	}
}

/* Rule 5, card: the Luhn check of the digits of s[0..n). */
static int
redact_luhn(const unsigned char *s, size_t n)
{
	size_t i, sum = 0, k = 0, d;

	for (i = n; i-- > 0; ) {
		if (!redact_isdigit(s[i]))
			continue;
		d = (size_t)(s[i] - '0');
		if (k++ & 1)
			d = d * 2 > 9 ? d * 2 - 9 : d * 2;
		sum += d;
	}
	return sum % 10 == 0;
}

/*
 * Rule 5, card, in a run [i, j) without its whole: its stretches of whole
 * groups (the digits between separators) of 13 to 19 digits that pass,
 * the longest from each group, leftmost first. At most 19 groups from
 * each: linear in the run.
 */
static void
redact_card_groups(struct redact_call *c, size_t i, size_t j)
{
	const unsigned char *l = (const unsigned char *)c->line;
	size_t s, e, k, ndig, best;

	for (s = i; s < j; ) {
		best = 0;
		for (e = s, ndig = 0; e < j && ndig <= 19; ) {
			for (k = e; k < j && redact_isdigit(l[k]); k++)
				ndig++;
			if (ndig >= 13 && ndig <= 19 && redact_luhn(l + s, k - s))
				best = k;
			e = k + 1;		/* past the separator */
		}
		if (best > 0) {
			redact_add(c, s, best, redact_repls[REDACT_CARD], 6);
			c->fired |= REDACT_FIRED_CLASS(REDACT_CARD);
			s = best + 1;
			continue;
		}
		while (s < j && redact_isdigit(l[s]))
			s++;
		s++;				/* the next group */
	}
}

#ifdef __SSE2__
/* The 16 bytes at p, of which n (1 or more) are the line's: zeros after. */
static inline __m128i
redact_load16(const unsigned char *p, size_t n)
{
	unsigned char tail[16];

	if (n >= 16)
		return _mm_loadu_si128((const __m128i *)p);
	memset(tail, 0, sizeof(tail));
	memcpy(tail, p, n);
	return _mm_loadu_si128((const __m128i *)tail);
}
#endif

/*
 * The card's prefilter: whether l[0..len) has 13 bytes in a row that are
 * digits, blanks or dashes, as every run of 13 digits and separators
 * has. With SSE2, 16 bytes a step: m holds one bit a byte of the step
 * before and this one, and a run of 13 is in the two if anywhere.
 */
static inline uint32_t
redact_run13(uint32_t m)
{
	m &= m >> 1;		/* bit i: bytes i..i+1 */
	m &= m >> 2;		/* i..i+3 */
	m &= m >> 4;		/* i..i+7 */
	return m & (m >> 5);	/* i..i+12 */
}

static int
redact_card_maybe(const unsigned char *l, size_t len)
{
	size_t i = 0;
#ifdef __SSE2__
	const __m128i zero = _mm_set1_epi8('0'), nine = _mm_set1_epi8(9);
	const __m128i blank = _mm_set1_epi8(' '), dash = _mm_set1_epi8('-');
	__m128i v, d;
	uint32_t prev = 0, cur;

	for (; i < len; i += 16) {
		v = redact_load16(l + i, len - i);
		d = _mm_sub_epi8(v, zero);
		d = _mm_cmpeq_epi8(_mm_min_epu8(d, nine), d);
		d = _mm_or_si128(d, _mm_or_si128(_mm_cmpeq_epi8(v, blank),
		    _mm_cmpeq_epi8(v, dash)));
		cur = (uint32_t)_mm_movemask_epi8(d);
		if (redact_run13(prev | cur << 16) != 0)
			return 1;
		prev = cur;
	}
	return 0;
#else
	size_t run = 0;

	for (; i < len; i++) {
		if (redact_isdigit(l[i]) || l[i] == ' ' || l[i] == '-') {
			if (++run == 13)
				return 1;
		} else
			run = 0;
	}
	return 0;
#endif
}

static void
redact_find_card(struct redact_call *c)
{
	const unsigned char *l = (const unsigned char *)c->line;
	size_t i = 0, j, ndig, nsep;

	for (;;) {
		while (i < c->len && !redact_isdigit(l[i]))
			i++;
		if (i == c->len)
			return;
		/* The whole run: digits, one blank or dash between two. */
		for (j = i, ndig = nsep = 0; j < c->len; j++) {
			if (redact_isdigit(l[j]))
				ndig++;
			else if ((l[j] != ' ' && l[j] != '-') ||
			    j + 1 == c->len || !redact_isdigit(l[j + 1]))
				break;
			else
				nsep++;
		}
		if (ndig >= 13 && (i == 0 || !redact_isalnum(l[i - 1])) &&
		    (j == c->len || !redact_isalnum(l[j]))) {
			if (ndig <= 19 && redact_luhn(l + i, j - i)) {
				redact_add(c, i, j, redact_repls[REDACT_CARD],
				    6);
				c->fired |= REDACT_FIRED_CLASS(REDACT_CARD);
			} else if (nsep > 0)
				redact_card_groups(c, i, j);
		}
		i = j;
	}
}

/* Whether s[0..n) is word[0..n) in either case (word is lower case). */
static int
redact_ci_eq(const unsigned char *s, const char *word, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		if (redact_lower(s[k]) != (unsigned char)word[k])
			return 0;
	return 1;
}

/* Whether a key of rule 5 ends at l[j], perhaps quoted, blanks after. */
static int
redact_key_before(const struct redactor *r, const unsigned char *l, size_t j)
{
	const size_t nk = sizeof(redact_token_keys) /
	    sizeof(redact_token_keys[0]);
	size_t k, n;

	while (j > 0 && (l[j - 1] == ' ' || l[j - 1] == '\t'))
		j--;
	if (j > 0 && (l[j - 1] == '"' || l[j - 1] == '\''))
		j--;
	if (j == 0 || !(r->tok[l[j - 1]] & RT_KEYEND))
		return 0;
	for (k = 0; k < nk; k++) {
		n = redact_token_keys[k].n;
		if (n <= j && redact_lower(l[j - 1]) ==
		    (unsigned char)redact_token_keys[k].s[n - 1] &&
		    redact_ci_eq(l + j - n, redact_token_keys[k].s, n))
			return 1;
	}
	return 0;
}

/* Whether s[0..n) starts with lit, a ? in lit any byte. */
static int
redact_lit_at(const unsigned char *s, size_t n, const char *lit)
{
	size_t k;

	for (k = 0; lit[k] != '\0'; k++)
		if (k == n || (lit[k] != '?' && s[k] != (unsigned char)lit[k]))
			return 0;
	return 1;
}

/* Whether an alternative of the token pattern may match at l[i]. */
static int
redact_token_at(const struct redactor *r, const unsigned char *l,
    size_t len, size_t i)
{
	const size_t nsch = sizeof(redact_token_schemes) /
	    sizeof(redact_token_schemes[0]);
	const struct redact_shape *sh;
	unsigned bits = r->tok[l[i]], shapes;
	size_t k;

	if ((bits & RT_KEYED) && redact_key_before(r, l, i))
		return 1;
	if (bits & RT_SCHEME)
		for (k = 0; k < nsch; k++)
			if (redact_token_schemes[k].n <= len - i &&
			    redact_ci_eq(l + i, redact_token_schemes[k].s,
			    redact_token_schemes[k].n))
				return 1;
	for (shapes = bits & RT_SHAPES; shapes != 0; shapes &= shapes - 1) {
		sh = &redact_token_shapes[__builtin_ctz(shapes)];
		if (sh->key <= i && redact_lit_at(l + i - sh->key,
		    len - (i - sh->key), sh->lit))
			return 1;
	}
	return 0;
}

/*
 * The token pattern's prefilter: whether any alternative may match (a
 * shape's literal, a key before a : or =, a scheme), looked at only
 * where r->tok says one may (r->tokstart; with SSE2, 16 bytes a step).
 */
static int
redact_token_maybe(const struct redactor *r, const unsigned char *l,
    size_t len)
{
	size_t i = 0;
#ifdef __SSE2__
	__m128i want[sizeof(r->tokstart)], v, hit;
	unsigned m;
	size_t k;

	for (k = 0; k < r->ntokstart; k++)
		want[k] = _mm_set1_epi8((char)r->tokstart[k]);
	for (; i < len; i += 16) {
		v = redact_load16(l + i, len - i);
		hit = _mm_setzero_si128();
		for (k = 0; k < r->ntokstart; k++)
			hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, want[k]));
		for (m = (unsigned)_mm_movemask_epi8(hit); m != 0; m &= m - 1)
			if (i + (size_t)__builtin_ctz(m) < len &&
			    redact_token_at(r, l, len, i + __builtin_ctz(m)))
				return 1;
	}
#else
	for (; i < len; i++)
		if ((r->tok[l[i]] & ~RT_KEYEND) != 0 &&
		    redact_token_at(r, l, len, i))
			return 1;
#endif
	return 0;
}

/* Rule 1 (c): the classes enabled, in their order. */
static void
redact_find_classes(struct redact_call *c)
{
	unsigned cl = c->r->classes;

	if ((cl & (1u << REDACT_EMAIL)) && (c->w->simple ||
	    memchr(c->line, '@', c->len) != NULL ||
	    redact_find(c->line, c->len, 0, "%40", 3) < c->len))
		redact_search(c, &c->r->email, NULL, redact_repls[REDACT_EMAIL],
		    REDACT_FIRED_CLASS(REDACT_EMAIL));
	if (cl & (1u << REDACT_IPV4))
		redact_find_ipv4(c);
	if (cl & (1u << REDACT_IPV6))
		redact_find_ipv6(c);
	if ((cl & (1u << REDACT_CARD)) && (c->w->simple ||
	    redact_card_maybe((const unsigned char *)c->line, c->len)))
		redact_find_card(c);
	if ((cl & (1u << REDACT_TOKEN)) && (c->w->simple ||
	    redact_token_maybe(c->r, (const unsigned char *)c->line, c->len)))
		redact_search(c, &c->r->token, NULL, redact_repls[REDACT_TOKEN],
		    REDACT_FIRED_CLASS(REDACT_TOKEN));
}

static int
redact_before(const struct redact_span *a, const struct redact_span *b)
{
	return a->start < b->start || (a->start == b->start &&
	    a->order < b->order);
}

/* Sort w's spans by start, then order: a merge sort, through w->tmp. */
static void
redact_sort(struct redact_work *w)
{
	struct redact_span *src = w->span, *dst = w->tmp, *t;
	size_t n = w->nspan, width, lo, mid, hi, a, b, k;

	for (width = 1; width < n; width *= 2) {
		for (lo = 0; lo < n; lo += 2 * width) {
			mid = lo + width < n ? lo + width : n;
			hi = lo + 2 * width < n ? lo + 2 * width : n;
			for (a = lo, b = mid, k = lo; k < hi; k++)
				dst[k] = a < mid && (b == hi ||
				    !redact_before(&src[b], &src[a])) ?
				    src[a++] : src[b++];
		}
		t = src;
		src = dst;
		dst = t;
	}
	w->span = src;
	w->tmp = dst;
}

/*
 * Rule 2: the replacement of the merged span of sp[0..n): the first
 * found of those that cover it all, else the first found.
 */
static const struct redact_span *
redact_pick(const struct redact_span *sp, size_t n, size_t start,
    size_t end)
{
	const struct redact_span *first = &sp[0], *cover = NULL;
	size_t k;

	for (k = 0; k < n; k++) {
		if (sp[k].order < first->order)
			first = &sp[k];
		if (sp[k].start == start && sp[k].end == end &&
		    (cover == NULL || sp[k].order < cover->order))
			cover = &sp[k];
	}
	return cover != NULL ? cover : first;
}

/* Rules 2 and 3: the output, in w->out; its length. */
static size_t
redact_write(struct redact_call *c)
{
	struct redact_work *w = c->w;
	const struct redact_span *sp = w->span, *pick;
	const char *text;
	size_t olen = 0, at = 0, k, m, end;

	for (k = 0; k < w->nspan; k = m) {
		end = sp[k].end;
		for (m = k + 1; m < w->nspan && sp[m].start < end; m++)
			if (sp[m].end > end)
				end = sp[m].end;
		pick = m - k == 1 ? &sp[k] : redact_pick(sp + k, m - k,
		    sp[k].start, end);
		text = pick->text != NULL ? pick->text : w->rbuf + pick->roff;
		redact_grow(&w->out, olen, &w->outcap, sp[k].start - at +
		    pick->rlen);
		memcpy(w->out + olen, c->line + at, sp[k].start - at);
		olen += sp[k].start - at;
		if (pick->rlen > 0)
			memcpy(w->out + olen, text, pick->rlen);
		olen += pick->rlen;
		at = end;
	}
	redact_grow(&w->out, olen, &w->outcap, c->len - at);
	memcpy(w->out + olen, c->line + at, c->len - at);
	return olen + (c->len - at);
}

size_t
redact_line(const struct redactor *r, struct redact_work *w,
    const char *line, size_t len, const struct redact_id *id,
    const char **out, uint64_t *fired)
{
	struct redact_call c;
	size_t j, olen;

	c.r = r;
	c.w = w;
	c.line = line;
	c.len = len;
	c.fired = 0;
	w->nspan = 0;
	w->rlen = 0;
	if (id != NULL)
		redact_find_id(&c, id);
	for (j = 0; j < r->nrules; j++)
		redact_search(&c, &r->rules[j].rx, &r->rules[j], NULL,
		    REDACT_FIRED_RULE(j));
	redact_find_classes(&c);
	if (fired != NULL)
		*fired = c.fired;
	if (w->nspan == 0) {
		*out = line;
		return len;
	}
	redact_sort(w);
	olen = redact_write(&c);
	*out = w->out;
	return olen;
}
