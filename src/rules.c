/*
 * rules: parse, check and compile the rules language of cxwatch.rules(5).
 *
 * Loading runs in two passes. The first reads every file into raw
 * sections (name, key/value lines, where each came from) so that sections
 * may come in any order and across files. The second walks the raw
 * sections through the key tables below, checks and compiles them, and
 * collects every error before giving up, so one run shows them all.
 * Detectors and what counts in each are rules-detect.c's: they are
 * defined after [settings] and before the rules, whose "forgive" names
 * them, and their "rules" are resolved once every rule is built.
 */
#include <sys/stat.h>

#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "dispatch.h"
#include "incident.h"
#include "obuf.h"
#include "regfile.h"
#include "pattern.h"
#include "rules.h"
#include "rules-int.h"
#include "suggest.h"
#include "tparse.h"
#include "xmalloc.h"

/*
 * PCRE2's limits on one pattern run on one line (cxwatch.rules(5),
 * Patterns), measured with PCRE2 10.42 on x86-64 and lines of 64 KiB,
 * --max-line's default:
 * - The match limit bounds the time. Catastrophic patterns ((a+)+$,
 *   (a|aa)+$, (.*a){20}$) stop after 1e6 backtracking steps in 1.5-13 ms
 *   with JIT and 25-55 ms with the interpreter, at any line length; the
 *   shipped rules take under 0.1 ms on such a line, far below it.
 * - The depth limit binds only the interpreter (no JIT), whose heap of
 *   backtracking frames it caps near 1.3 MB. A group repeated once per
 *   byte ((?:a|b)*) then stops at runs of about 5000 bytes; letting it
 *   cover 64 KiB took 20 MB and 0.3 s a line, too dear for a fallback.
 * - The JIT stack grows on demand: that same group over a whole 64 KiB
 *   line needs 2 MiB, 4 MiB with a capture in it; 1 MiB stopped it at
 *   about 32 KiB. Only what a match uses is ever touched.
 */

/*
 * cxwatch.rules(5), DESCRIPTION: a rules input with no newline (-r
 * /dev/zero, a log given by mistake) must not take memory without
 * bound. A line may hold 64 KiB, --max-line's default: the longest
 * shipped line is 213 bytes, and a pattern of 64 KiB is past what anyone
 * maintains by hand. A file may hold 4 MiB: eight times a file of 10,000
 * rules (about 0.5 MiB, loaded in half a second), and small enough to
 * read whole.
 */
#define RULES_MAX_LINE		(64 * 1024)
#define RULES_MAX_FILE		(4 * 1024 * 1024)

/* An error, kept until the end so they come out in file and line order. */
struct rerr {
	const char	*file;
	int		 lineno;
	size_t		 seq;
	size_t		 fileidx;
	char		*msg;
};

/* The keys each section takes; "if" and "template" may repeat. */
struct rkey {
	const char	*name;
	int		 multi;
};

static const struct rkey rules_settings_keys[] = {
	{ "window", 0 }, { "threshold", 0 }, { "cooldown", 0 },
	{ "channels", 0 }, { "pseudonymize", 0 }, { NULL, 0 }
};
static const struct rkey rules_source_keys[] = {
	{ "format", 0 }, { "match", 0 }, { "customer", 0 }, { "time", 0 },
	{ "timefmt", 0 }, { "timezone", 0 }, { "unwrap", 0 },
	{ "template", 1 }, { "channel", 0 }, { "anonymous", 0 }, { NULL, 0 }
};
static const struct rkey rules_rule_keys[] = {
	{ "source", 0 }, { "match", 0 }, { "if", 1 }, { "weight", 0 },
	{ "description", 0 }, { "forgive", 0 }, { NULL, 0 }
};
static const struct rkey rules_incident_keys[] = {
	{ "customers", 0 }, { "window", 0 }, { "cooldown", 0 }, { NULL, 0 }
};
static const struct rkey rules_detector_keys[] = {
	{ "rules", 0 }, { "window", 0 }, { "threshold", 0 },
	{ "cooldown", 0 }, { "channels", 0 }, { NULL, 0 }
};
static const struct rkey rules_redact_keys[] = {
	{ "classes", 0 }, { "pattern", 0 }, { "replace", 0 }, { NULL, 0 }
};

static void	rules_cond_free(struct cond *);

/*
 * Room for element n of an array that grows one at a time: its capacity
 * is n rounded up to a power of two, so n appends copy O(n) bytes
 * whatever realloc does (10,000 rules copied the arrays quadratically).
 */
static void *
rules_grow(void *p, size_t n, size_t size)
{
	if (n == 0 || (n & (n - 1)) == 0)
		return xreallocarray(p, n == 0 ? 1 : 2 * n, size);
	return p;
}

static const struct rkey *
rules_keys(enum rsec_kind kind)
{
	switch (kind) {
	case RSEC_SETTINGS:
		return rules_settings_keys;
	case RSEC_SOURCE:
		return rules_source_keys;
	case RSEC_RULE:
		return rules_rule_keys;
	case RSEC_DETECTOR:
		return rules_detector_keys;
	case RSEC_INCIDENT:
		return rules_incident_keys;
	case RSEC_REDACT:
		return rules_redact_keys;
	}
	return NULL;
}

/* The section word of kind, as in its header. */
static const char *
rules_kind_name(enum rsec_kind kind)
{
	static const char *names[] = { "settings", "source", "rule",
	    "detector", "incident", "redact" };

	return names[kind];
}

void
rules_err(struct rload *l, const char *file, int lineno, const char *fmt,
    ...)
{
	char msg[1024], *raw;
	struct rerr *e;
	struct obuf *o;
	const char *p;
	size_t len;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	l->errs = xreallocarray(l->errs, (size_t)l->nerr + 1,
	    sizeof(*l->errs));
	e = &l->errs[l->nerr];
	e->file = file;
	e->lineno = lineno;
	e->seq = (size_t)l->nerr++;
	if (lineno > 0)
		raw = xasprintf("%s:%d: %s", file, lineno, msg);
	else
		raw = xasprintf("%s: %s", file, msg);
	/* A rules file may hold any bytes: none raw to the terminal. */
	o = obuf_new(-1, 256);
	obuf_text(o, raw, strlen(raw));
	p = obuf_data(o, &len);
	e->msg = xasprintf("%.*s", (int)len, p);
	obuf_free(o);
	free(raw);
}

static int
rules_cmp_errs(const void *a, const void *b)
{
	const struct rerr *x = a, *y = b;

	if (x->fileidx != y->fileidx)
		return x->fileidx < y->fileidx ? -1 : 1;
	if (x->lineno != y->lineno)
		return x->lineno < y->lineno ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Hand the errors to the caller by file (in reading order), then line. */
static void
rules_flush_errs(struct rload *l)
{
	size_t i, f;

	for (i = 0; i < (size_t)l->nerr; i++) {
		l->errs[i].fileidx = 0;
		for (f = 0; f < l->rs->nfiles; f++)
			if (l->errs[i].file == l->rs->files[f])
				l->errs[i].fileidx = f + 1;
	}
	if (l->nerr > 1)
		qsort(l->errs, (size_t)l->nerr, sizeof(*l->errs),
		    rules_cmp_errs);
	for (i = 0; i < (size_t)l->nerr; i++) {
		diag_add(l->diag, "%s", l->errs[i].msg);
		free(l->errs[i].msg);
	}
	free(l->errs);
}

static const char *
rules_suggest(const struct rkey *keys, const char *key)
{
	struct suggest sg;

	suggest_init(&sg, key);
	for (; keys->name != NULL; keys++)
		suggest_try(&sg, keys->name);
	return suggest_best(&sg);
}

static char *
rules_trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
	    e[-1] == '\n'))
		*--e = '\0';
	return s;
}

/* A # or ; after white space starts a comment at the end of a value. */
static void
rules_strip_comment(char *v)
{
	char *p;

	for (p = v; *p != '\0'; p++) {
		if ((*p == '#' || *p == ';') && p > v &&
		    (p[-1] == ' ' || p[-1] == '\t')) {
			*p = '\0';
			break;
		}
	}
}

int
rules_name_ok(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!(*s == '-' || *s == '_' || *s == '.' ||
		    (*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') ||
		    (*s >= 'A' && *s <= 'Z')))
			return 0;
	return 1;
}

static struct rsec *
rules_section_new(struct rload *l, enum rsec_kind kind, const char *name,
    const char *file, int lineno)
{
	struct rsec *s;

	l->secs = rules_grow(l->secs, l->nsecs, sizeof(*l->secs));
	s = &l->secs[l->nsecs++];
	s->kind = kind;
	s->name = xstrdup(name);
	s->file = file;
	s->lineno = lineno;
	s->kvs = NULL;
	s->nkvs = 0;
	s->dup = 0;
	s->broken = 0;
	return s;
}

static struct rsec *
rules_parse_header(struct rload *l, char *p, const char *file, int lineno)
{
	char *end = strchr(p, ']'), *name;
	enum rsec_kind kind;

	if (end == NULL || *rules_trim(end + 1) != '\0') {
		rules_err(l, file, lineno, "section header needs a closing ]");
		return NULL;
	}
	*end = '\0';
	p = rules_trim(p + 1);
	if (strcmp(p, "settings") == 0)
		return rules_section_new(l, RSEC_SETTINGS, "settings", file,
		    lineno);
	if (strcmp(p, "incident") == 0)
		return rules_section_new(l, RSEC_INCIDENT, "incident", file,
		    lineno);
	if (strcmp(p, "redact") == 0)
		return rules_section_new(l, RSEC_REDACT, "", file, lineno);
	name = p + strcspn(p, " \t");
	if (*name != '\0')
		*name++ = '\0';
	name = rules_trim(name);
	if (strcmp(p, "source") == 0)
		kind = RSEC_SOURCE;
	else if (strcmp(p, "rule") == 0)
		kind = RSEC_RULE;
	else if (strcmp(p, "detector") == 0)
		kind = RSEC_DETECTOR;
	else if (strcmp(p, "redact") == 0)
		kind = RSEC_REDACT;
	else {
		rules_err(l, file, lineno, "unknown section [%s] (use "
		    "[settings], [source NAME], [rule NAME], "
		    "[detector NAME], [incident] or [redact NAME])", p);
		return NULL;
	}
	if (!rules_name_ok(name)) {
		rules_err(l, file, lineno, "[%s] needs a name of letters, "
		    "digits, '-', '_' or '.'", rules_kind_name(kind));
		return NULL;
	}
	return rules_section_new(l, kind, name, file, lineno);
}

static void
rules_parse_kv(struct rload *l, struct rsec *sec, char *p, const char *file,
    int lineno)
{
	const struct rkey *keys;
	const char *hint;
	char *eq = strchr(p, '='), *key, *val;
	int was_broken = sec->broken;
	size_t i;

	sec->broken = 1;	/* until the line proves good */
	if (eq == NULL) {
		rules_err(l, file, lineno, "expected \"key = value\"");
		return;
	}
	*eq = '\0';
	key = rules_trim(p);
	val = eq + 1;
	rules_strip_comment(val);
	val = rules_trim(val);
	keys = rules_keys(sec->kind);
	for (i = 0; keys[i].name != NULL; i++)
		if (strcmp(keys[i].name, key) == 0)
			break;
	if (keys[i].name == NULL) {
		hint = rules_suggest(keys, key);
		if (hint != NULL)
			rules_err(l, file, lineno, "unknown key \"%s\" "
			    "(did you mean \"%s\"?)", key, hint);
		else
			rules_err(l, file, lineno, "unknown key \"%s\" in "
			    "[%s]", key, rules_kind_name(sec->kind));
		return;
	}
	if (!keys[i].multi) {
		for (size_t j = 0; j < sec->nkvs; j++)
			if (strcmp(sec->kvs[j].key, key) == 0) {
				rules_err(l, file, lineno, "duplicate key "
				    "\"%s\" (first at line %d)", key,
				    sec->kvs[j].lineno);
				return;
			}
	}
	if (*val == '\0') {
		rules_err(l, file, lineno, "\"%s\" needs a value", key);
		return;
	}
	sec->kvs = xreallocarray(sec->kvs, sec->nkvs + 1, sizeof(*sec->kvs));
	sec->kvs[sec->nkvs].key = xstrdup(key);
	sec->kvs[sec->nkvs].val = xstrdup(val);
	sec->kvs[sec->nkvs].lineno = lineno;
	sec->nkvs++;
	sec->broken = was_broken;
}

/* FNV-1a over every byte of every file: a saved state names its rules. */
static void
rules_fingerprint(struct ruleset *rs, const char *p, size_t len)
{
	uint64_t h = rs->fingerprint;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)p[i]) * UINT64_C(0x100000001b3);
	rs->fingerprint = h;
}

/*
 * Read file whole, at most RULES_MAX_FILE bytes and one more, the more
 * telling that it goes on: *len, *over. NULL after an error. Anything but
 * a regular file is refused before a byte is read (a FIFO would hang).
 */
static char *
rules_read_file(struct rload *l, const char *file, size_t *len, int *over)
{
	struct stat st;
	const char *kind;
	char *buf;
	size_t cap;
	ssize_t n;
	int fd;

	if ((fd = regfile_open(file, &st, &kind)) == -1) {
		if (kind != NULL)
			rules_err(l, file, 0, "cannot read: it is %s, not a "
			    "regular file", kind);
		else
			rules_err(l, file, 0, "cannot open: %s",
			    strerror(errno));
		return NULL;
	}
	/* Room for one byte past the limit, and a NUL after the last line. */
	cap = (st.st_size > 0 && st.st_size < RULES_MAX_FILE ?
	    (size_t)st.st_size : RULES_MAX_FILE) + 2;
	buf = xmalloc(cap);
	*len = 0;
	while (*len <= RULES_MAX_FILE) {
		if ((n = read(fd, buf + *len, cap - 1 - *len)) == 0)
			break;
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			rules_err(l, file, 0, "read error: %s",
			    strerror(errno));
			free(buf);
			close(fd);
			return NULL;
		}
		/* The file grew since fstat(2): up to the limit, and one. */
		if ((*len += (size_t)n) == cap - 1 && cap < RULES_MAX_FILE + 2) {
			cap = cap < RULES_MAX_FILE / 2 ? 2 * cap :
			    RULES_MAX_FILE + 2;
			buf = xreallocarray(buf, cap, 1);
		}
	}
	close(fd);
	*over = *len > RULES_MAX_FILE;
	if (*over)
		*len = RULES_MAX_FILE;
	return buf;
}

/* One line of a rules file, NUL-terminated, without its newline. */
static void
rules_parse_line(struct rload *l, char *p, const char *file, int lineno,
    struct rsec **sec, int *skipping)
{
	p = rules_trim(p);
	if (*p == '\0' || *p == '#' || *p == ';')
		return;
	if (*p == '[') {
		*sec = rules_parse_header(l, p, file, lineno);
		*skipping = (*sec == NULL);
	} else if (*sec != NULL)
		rules_parse_kv(l, *sec, p, file, lineno);
	else if (!*skipping) {
		rules_err(l, file, lineno, "\"%s\" outside any section (start "
		    "one with [settings], [source NAME], [rule NAME] or "
		    "[detector NAME])", strtok(p, " \t="));
		*skipping = 1;
	}
}

/* cxwatch.rules(5), DESCRIPTION: a line and a file have a size limit. */
static void
rules_parse_file(struct rload *l, const char *file)
{
	struct rsec *sec = NULL;
	char *buf, *p, *end, *nl;
	size_t len, n;
	int lineno = 0, skipping = 0, over, cut = 0;

	if (l->text != NULL) {
		len = strlen(l->text);
		over = len > RULES_MAX_FILE;
		if (over)
			len = RULES_MAX_FILE;
		buf = xmalloc(len + 2);
		memcpy(buf, l->text, len);
		buf[len] = '\0';
	} else if ((buf = rules_read_file(l, file, &len, &over)) == NULL)
		return;
	for (p = buf, end = buf + len; p < end && l->nerr <= 100; p += n) {
		lineno++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL && over) {
			cut = 1;	/* it goes on past the limit */
			break;
		}
		n = nl != NULL ? (size_t)(nl - p) + 1 : (size_t)(end - p);
		rules_fingerprint(l->rs, p, n);
		if (n - (nl != NULL) > RULES_MAX_LINE) {
			rules_err(l, file, lineno, "line longer than %d KiB, "
			    "the most a rules line may hold (is this a rules "
			    "file?); shorten it, or split its pattern over "
			    "several rules", RULES_MAX_LINE / 1024);
			if (sec != NULL)
				sec->broken = 1;
			continue;
		}
		if (memchr(p, '\0', n) != NULL) {
			rules_err(l, file, lineno, "NUL byte (is this a "
			    "rules file?)");
			if (sec != NULL)
				sec->broken = 1;
			break;
		}
		p[n - (nl != NULL)] = '\0';
		rules_parse_line(l, p, file, lineno, &sec, &skipping);
	}
	if (over && (cut || p == end) && l->nerr <= 100)
		rules_err(l, file, cut ? lineno : lineno + 1, "the file goes "
		    "on past %d MiB, the most a rules file may hold (is this "
		    "a rules file?); split it over several files in a rules "
		    "directory", RULES_MAX_FILE / (1024 * 1024));
	free(buf);
}

static int
rules_cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
rules_add_file(struct rload *l, const char *path)
{
	struct ruleset *rs = l->rs;

	rs->files = xreallocarray(rs->files, rs->nfiles + 1,
	    sizeof(*rs->files));
	rs->files[rs->nfiles++] = xstrdup(path);
}

static void
rules_read_dir(struct rload *l, const char *dir)
{
	DIR *d;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, i, len;

	if ((d = opendir(dir)) == NULL) {
		rules_err(l, dir, 0, "cannot open: %s", strerror(errno));
		return;
	}
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len < 7 ||
		    strcmp(de->d_name + len - 6, ".rules") != 0)
			continue;
		names = xreallocarray(names, n + 1, sizeof(*names));
		names[n++] = xasprintf("%s/%s", dir, de->d_name);
	}
	closedir(d);
	if (n == 0)
		rules_err(l, dir, 0, "no *.rules files in this directory");
	if (n > 1)
		qsort(names, n, sizeof(*names), rules_cmp_names);
	for (i = 0; i < n; i++) {
		rules_add_file(l, names[i]);
		free(names[i]);
	}
	free(names);
}

static void
rules_read_paths(struct rload *l, char *const *paths, size_t npaths)
{
	struct stat st;
	size_t i;

	for (i = 0; i < npaths; i++) {
		if (stat(paths[i], &st) == -1)
			rules_err(l, paths[i], 0, "cannot open: %s",
			    strerror(errno));
		else if (S_ISDIR(st.st_mode))
			rules_read_dir(l, paths[i]);
		else
			rules_add_file(l, paths[i]);
	}
	for (i = 0; i < l->rs->nfiles; i++)
		rules_parse_file(l, l->rs->files[i]);
}

const char *
rules_kv(const struct rsec *sec, const char *key, int *lineno)
{
	size_t i;

	for (i = 0; i < sec->nkvs; i++)
		if (strcmp(sec->kvs[i].key, key) == 0) {
			if (lineno != NULL)
				*lineno = sec->kvs[i].lineno;
			return sec->kvs[i].val;
		}
	if (lineno != NULL)
		*lineno = sec->lineno;
	return NULL;
}

int
rules_compile(struct rload *l, struct pattern **rx, const char *pat,
    const char *file, int lineno, const char *what)
{
	char *cause;

	if ((*rx = pattern_compile(pat, &cause)) != NULL)
		return 0;
	rules_err(l, file, lineno, "%s: %s", what, cause);
	free(cause);
	return -1;
}

/* rules_number() past its fast path: an exponent or many digits. */
static int
rules_number_slow(const char *s, size_t len, size_t i, double *v)
{
	char buf[64], *end;

	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '-' || s[i] == '+'))
			i++;
		if (i == len || s[i] < '0' || s[i] > '9')
			return -1;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (i != len || len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	*v = strtod(buf, &end);
	return isfinite(*v) ? 0 : -1;
}

/*
 * Up to 15 digits and no exponent take the fast path: the digits as an
 * integer, then one division by an exact power of ten, which is correctly
 * rounded (Clinger's fast path), so this equals strtod() without its cost
 * on the hot path. The rest goes to strtod().
 */
int
rules_number(const char *s, size_t len, double *v)
{
	static const double pow10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6,
	    1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15 };
	const char *p = s, *e = s + len, *dot;
	uint64_t n = 0;
	int neg = 0;

	if (len == 0 || len >= 64)
		return -1;
	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	for (; p < e && (unsigned)(*p - '0') < 10; p++)
		n = n * 10 + (uint64_t)(*p - '0');
	dot = p;
	if (p < e && *p == '.')
		for (p++; p < e && (unsigned)(*p - '0') < 10; p++)
			n = n * 10 + (uint64_t)(*p - '0');
	/* Digits: all but the sign and the dot. */
	len = (size_t)(p - s) - (s[0] == '-' || s[0] == '+') -
	    (dot < p && *dot == '.');
	if (len == 0)
		return -1;
	if (p == e && len <= 15) {
		*v = (double)n / pow10[dot < p ? (size_t)(p - dot) - 1 : 0];
		if (neg)
			*v = -*v;
		return 0;
	}
	return rules_number_slow(s, (size_t)(e - s), (size_t)(p - s), v);
}

/*
 * A duration in a field or a condition: parts of digits, an optional
 * fraction and a unit (ms, s, m, h, d), as "419s", "3m5s", "1.5h",
 * "250ms": Go's time.Duration and most log writers. Seconds in *v.
 */
int
rules_duration(const char *s, size_t len, double *v)
{
	const char *p = s, *e = s + len, *num;
	double total = 0, part;
	char buf[64];
	size_t n;
	int parts = 0;

	if (len == 0 || len >= 64)
		return -1;
	while (p < e) {
		num = p;
		while (p < e && (unsigned)(*p - '0') < 10)
			p++;
		if (p == num)
			return -1;
		if (p < e && *p == '.') {
			p++;
			if (p == e || (unsigned)(*p - '0') >= 10)
				return -1;
			while (p < e && (unsigned)(*p - '0') < 10)
				p++;
		}
		n = (size_t)(p - num);
		memcpy(buf, num, n);
		buf[n] = '\0';
		part = strtod(buf, NULL);
		if (p + 1 < e && p[0] == 'm' && p[1] == 's') {
			part /= 1000;
			p += 2;
		} else if (p < e && *p == 's')
			p++;
		else if (p < e && *p == 'm')
			part *= 60, p++;
		else if (p < e && *p == 'h')
			part *= 3600, p++;
		else if (p < e && *p == 'd')
			part *= 86400, p++;
		else
			return -1;
		total += part;
		parts++;
	}
	if (parts == 0 || !isfinite(total))
		return -1;
	*v = total;
	return 0;
}

static int
rules_uint(const char *s, uint64_t lo, uint64_t hi, uint64_t *v)
{
	uint64_t n = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9' || n > hi)
			return -1;
		n = n * 10 + (uint64_t)(*s - '0');
	}
	if (n < lo || n > hi)
		return -1;
	*v = n;
	return 0;
}

static const char *rules_setting_names[] = { "window", "threshold",
    "cooldown", "channels" };

int
rules_setting(struct rload *l, const char *file, const struct rkv *kv,
    struct settings *st)
{
	uint64_t u;
	int64_t ms;
	size_t k;

	for (k = 0; k < 4 && strcmp(rules_setting_names[k], kv->key) != 0;
	    k++)
		;
	if (k == 0 || k == 2) {
		if (tp_duration(kv->val, &ms) == -1 || (k == 0 && ms == 0)) {
			rules_err(l, file, kv->lineno, "%s: \"%s\" is not a "
			    "%sduration (try 45s, 30m, 2h, 1d)", kv->key,
			    kv->val, k == 0 ? "positive " : "");
			return -1;
		}
		*(k == 0 ? &st->window : &st->cooldown) = ms;
	} else if (k == 1) {
		if (rules_uint(kv->val, 1, 1000000000, &u) == -1) {
			rules_err(l, file, kv->lineno, "threshold: \"%s\" is "
			    "not a whole number from 1 to 1000000000",
			    kv->val);
			return -1;
		}
		st->threshold = u;
	} else {
		if (rules_uint(kv->val, 0, 64, &u) == -1) {
			rules_err(l, file, kv->lineno, "channels: \"%s\" is "
			    "not a whole number from 0 to 64", kv->val);
			return -1;
		}
		st->channels = (unsigned)u;
	}
	return 0;
}

static void
rules_do_settings(struct rload *l, const struct rsec *sec)
{
	const struct rkv *kv;
	size_t i, k;

	for (i = 0; i < sec->nkvs; i++) {
		kv = &sec->kvs[i];
		for (k = 0; k < 4 &&
		    strcmp(rules_setting_names[k], kv->key) != 0; k++)
			;	/* k 4: pseudonymize */
		if (l->setfile[k] != NULL) {
			rules_err(l, sec->file, kv->lineno, "\"%s\" is "
			    "already set at %s:%d", kv->key, l->setfile[k],
			    l->setline[k]);
			continue;
		}
		l->setfile[k] = sec->file;
		l->setline[k] = kv->lineno;
		if (k == 4)
			rules_privacy_keyfile(l, sec->file, kv);
		else
			(void)rules_setting(l, sec->file, kv,
			    &l->rs->settings);
	}
}

/* One [incident] key, checked, into rs->incident. */
static void
rules_incident_key(struct rload *l, const char *file, const struct rkv *kv)
{
	struct rules_incident *ri = &l->rs->incident;
	uint64_t u;
	int64_t ms;

	if (strcmp(kv->key, "customers") == 0) {
		if (rules_uint(kv->val, 1, INCIDENT_MAXCUSTOMERS, &u) == -1)
			rules_err(l, file, kv->lineno, "customers: \"%s\" is "
			    "not a whole number from 1 to %u", kv->val,
			    INCIDENT_MAXCUSTOMERS);
		else
			ri->customers = (unsigned)u;
	} else if (strcmp(kv->key, "window") == 0) {
		if (tp_duration(kv->val, &ms) == -1 || ms < 1000 ||
		    ms > INCIDENT_MAXWINDOW)
			rules_err(l, file, kv->lineno, "window: \"%s\" is not "
			    "a duration from 1s to 1d (try 45s, 10m, 2h)",
			    kv->val);
		else
			ri->window = ms;
	} else if (tp_duration(kv->val, &ms) == -1)
		rules_err(l, file, kv->lineno, "cooldown: \"%s\" is not a "
		    "duration (try 45s, 30m, 2h, 1d)", kv->val);
	else
		ri->cooldown = ms;
}

/*
 * [incident] (cxwatch.rules(5)): at most one value per key across all
 * files; its presence turns incidents on.
 */
static void
rules_do_incident(struct rload *l, const struct rsec *sec)
{
	struct rules_incident *ri = &l->rs->incident;
	const struct rkv *kv;
	size_t i, k;

	if (ri->file == NULL) {
		ri->file = sec->file;
		ri->lineno = sec->lineno;
	}
	for (i = 0; i < sec->nkvs; i++) {
		kv = &sec->kvs[i];
		for (k = 0; rules_incident_keys[k].name != NULL &&
		    strcmp(rules_incident_keys[k].name, kv->key) != 0; k++)
			;
		if (l->incfile[k] != NULL) {
			rules_err(l, sec->file, kv->lineno, "\"%s\" is "
			    "already set at %s:%d", kv->key, l->incfile[k],
			    l->incline[k]);
			continue;
		}
		l->incfile[k] = sec->file;
		l->incline[k] = kv->lineno;
		rules_incident_key(l, sec->file, kv);
	}
}

unsigned
rules_channel(struct rload *l, const char *name, const char *file,
    int lineno)
{
	struct ruleset *rs = l->rs;
	size_t i;

	for (i = 0; i < rs->nchannels; i++)
		if (strcmp(rs->channels[i], name) == 0)
			return (unsigned)i;
	if (rs->nchannels == 64) {
		rules_err(l, file, lineno, "more than 64 channels");
		return 0;
	}
	rs->channels = xreallocarray(rs->channels, rs->nchannels + 1,
	    sizeof(*rs->channels));
	rs->channels[rs->nchannels] = xstrdup(name);
	return (unsigned)rs->nchannels++;
}

void
rules_split_words(const char *s, char ***words, size_t *n)
{
	const char *p = s;
	size_t len;

	*words = NULL;
	*n = 0;
	while (*p != '\0') {
		p += strspn(p, " \t");
		len = strcspn(p, " \t");
		if (len == 0)
			break;
		*words = xreallocarray(*words, *n + 1, sizeof(**words));
		(*words)[(*n)++] = xstrndup(p, len);
		p += len;
	}
}

int
rules_source_find(const struct ruleset *rs, const char *name)
{
	size_t i;

	for (i = 0; i < rs->nsources; i++)
		if (strcmp(rs->sources[i].name, name) == 0)
			return (int)i;
	return -1;
}

static const struct {
	const char	*op;
	enum cond_op	 code;
} rules_ops[] = {
	{ "!~", COND_NOMATCH }, { "~", COND_MATCH }, { "==", COND_EQ },
	{ "!=", COND_NE }, { "<=", COND_LE }, { ">=", COND_GE },
	{ "<", COND_LT }, { ">", COND_GT }
};

/* "FIELD OP VALUE", e.g. "status >= 500" or "path ~ ^/checkout". */
static int
rules_cond(struct rload *l, struct source *src, struct cond *c,
    const char *spec, const char *file, int lineno)
{
	const char *p = spec, *name;
	size_t len, i, oplen;
	char what[64];

	memset(c, 0, sizeof(*c));
	name = p;
	if (src->format == SOURCE_REGEX || src->format == SOURCE_TEMPLATE)
		while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '_')
			p++;
	else	/* a path or key: cxwatch.rules(5), [rule NAME], if */
		while ((unsigned char)*p > 0x20 && strchr("~!=<>", *p) == NULL)
			p++;
	len = (size_t)(p - name);
	p += strspn(p, " \t");
	for (i = 0; i < sizeof(rules_ops) / sizeof(rules_ops[0]); i++) {
		oplen = strlen(rules_ops[i].op);
		if (strncmp(p, rules_ops[i].op, oplen) == 0)
			break;
	}
	if (len == 0 || i == sizeof(rules_ops) / sizeof(rules_ops[0])) {
		rules_err(l, file, lineno, "if: \"%s\" is not \"FIELD OP "
		    "VALUE\" (OP is one of ~ !~ == != < <= > >=)", spec);
		return -1;
	}
	c->fieldname = xstrndup(name, len);
	c->op = rules_ops[i].code;
	p += strspn(p + oplen, " \t") + oplen;
	c->str = xstrdup(p);
	c->strlen = strlen(p);
	c->isnum = rules_number(c->str, c->strlen, &c->num) == 0;
	if (strcmp(c->fieldname, "line") == 0)
		c->field = RULES_FIELD_LINE;
	else if ((c->field = rules_field(l, src, c->fieldname, file, lineno,
	    "if")) == -1)
		return -1;
	switch (c->op) {
	case COND_MATCH:
	case COND_NOMATCH:
		snprintf(what, sizeof(what), "if %s", rules_ops[i].op);
		return rules_compile(l, &c->rx, c->str, file, lineno, what);
	case COND_LT:
	case COND_LE:
	case COND_GT:
	case COND_GE:
		if (!c->isnum && rules_duration(c->str, c->strlen,
		    &c->num) == 0)
			c->isdur = 1;
		else if (!c->isnum) {
			rules_err(l, file, lineno, "if: \"%s\" is not a number "
			    "or a duration (%s compares numbers, or durations "
			    "such as 3m or 250ms)", c->str, rules_ops[i].op);
			return -1;
		}
		return 0;
	default:
		return 0;
	}
}

/* cxwatch.rules(5), forgive: never with weight; said at the later line. */
static void
rules_forgive_weight(struct rload *l, const char *file, int fln, int wln)
{
	if (wln > fln)
		rules_err(l, file, wln, "\"weight\" and \"forgive\" (line %d) "
		    "together: a forgiving rule makes no events, so it has no "
		    "weight; remove one of them", fln);
	else
		rules_err(l, file, fln, "\"forgive\" and \"weight\" (line %d) "
		    "together: a forgiving rule makes no events, so it has no "
		    "weight; remove one of them", wln);
}

static void
rules_do_rule(struct rload *l, const struct rsec *sec)
{
	struct ruleset *rs = l->rs;
	struct source *src;
	struct rule *r;
	const char *v;
	uint64_t u;
	size_t i;
	int ln, fln, si;

	if ((v = rules_kv(sec, "source", &ln)) == NULL) {
		if (!sec->broken)
			rules_err(l, sec->file, sec->lineno, "[rule %s] "
			    "needs \"source = NAME\"", sec->name);
		return;
	}
	if ((si = rules_source_find(rs, v)) == -1) {
		rules_err(l, sec->file, ln, "source \"%s\" is not defined "
		    "(define it with [source %s])", v, v);
		return;
	}
	rs->rules = rules_grow(rs->rules, rs->nrules, sizeof(*rs->rules));
	r = &rs->rules[rs->nrules++];
	memset(r, 0, sizeof(*r));
	r->name = xstrdup(sec->name);
	r->file = xstrdup(sec->file);
	r->lineno = sec->lineno;
	r->source = (unsigned)si;
	r->weight = 1;
	src = &rs->sources[si];
	src->rules = rules_grow(src->rules, src->nrules,
	    sizeof(*src->rules));
	src->rules[src->nrules++] = (unsigned)(rs->nrules - 1);
	if ((v = rules_kv(sec, "forgive", &fln)) != NULL) {
		r->forgiving = 1;
		rules_detect_forgive(l, r, v, sec->file, fln);
	}
	if ((v = rules_kv(sec, "weight", &ln)) != NULL) {
		if (r->forgiving)
			rules_forgive_weight(l, sec->file, fln, ln);
		else if (rules_uint(v, 1, RULES_MAXWEIGHT, &u) == -1)
			rules_err(l, sec->file, ln, "weight: \"%s\" is not a "
			    "whole number from 1 to %d", v, RULES_MAXWEIGHT);
		else
			r->weight = (unsigned)u;
	}
	if ((v = rules_kv(sec, "description", NULL)) != NULL)
		r->description = xstrdup(v);
	if ((v = rules_kv(sec, "match", &ln)) != NULL)
		(void)rules_compile(l, &r->rx, v, sec->file, ln, "match");
	for (i = 0; i < sec->nkvs; i++) {
		if (strcmp(sec->kvs[i].key, "if") != 0)
			continue;
		r->conds = xreallocarray(r->conds, r->nconds + 1,
		    sizeof(*r->conds));
		if (rules_cond(l, src, &r->conds[r->nconds], sec->kvs[i].val,
		    sec->file, sec->kvs[i].lineno) == 0)
			r->nconds++;
		else
			rules_cond_free(&r->conds[r->nconds]);
	}
	if (rules_kv(sec, "match", NULL) == NULL && rules_kv(sec, "if",
	    NULL) == NULL && !sec->broken)
		rules_err(l, sec->file, sec->lineno, "[rule %s] needs "
		    "\"match\", \"if\", or both", sec->name);
}

/* Names must be unique per kind: report the second with the first. */
static const struct rload *rules_dups_l;	/* for rules_dups_cmp() */

/* Sections by kind, name and order. */
static int
rules_dups_cmp(const void *a, const void *b)
{
	const struct rsec *x = &rules_dups_l->secs[*(const size_t *)a];
	const struct rsec *y = &rules_dups_l->secs[*(const size_t *)b];
	int c;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if ((c = strcmp(x->name, y->name)) != 0)
		return c;
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

/*
 * A section of a kind and name seen before is a duplicate of the first:
 * sorted, so that 10,000 rules take no 50 million comparisons.
 */
static void
rules_check_dups(struct rload *l)
{
	size_t i, *ord, *first;

	if (l->nsecs == 0)
		return;
	ord = xcalloc(l->nsecs, sizeof(*ord));
	first = xcalloc(l->nsecs, sizeof(*first));
	for (i = 0; i < l->nsecs; i++)
		ord[i] = first[i] = i;
	rules_dups_l = l;
	qsort(ord, l->nsecs, sizeof(*ord), rules_dups_cmp);
	for (i = 1; i < l->nsecs; i++)
		if (l->secs[ord[i]].kind == l->secs[ord[i - 1]].kind &&
		    strcmp(l->secs[ord[i]].name, l->secs[ord[i - 1]].name) == 0)
			first[ord[i]] = first[ord[i - 1]];
	for (i = 0; i < l->nsecs; i++) {
		if (l->secs[i].kind == RSEC_SETTINGS ||
		    l->secs[i].kind == RSEC_INCIDENT ||
		    (l->secs[i].kind == RSEC_REDACT &&
		    l->secs[i].name[0] == '\0') || first[i] == i)
			continue;
		rules_err(l, l->secs[i].file, l->secs[i].lineno,
		    "duplicate [%s %s] (first at %s:%d)",
		    rules_kind_name(l->secs[i].kind), l->secs[i].name,
		    l->secs[first[i]].file, l->secs[first[i]].lineno);
		l->secs[i].dup = 1;
	}
	free(ord);
	free(first);
}

/* The command line's values replace [settings]' (cxwatch(1), -w). */
static void
rules_override(struct settings *st, const struct rules_overrides *ov)
{
	if (ov == NULL)
		return;
	if (ov->window >= 0)
		st->window = ov->window;
	if (ov->cooldown >= 0)
		st->cooldown = ov->cooldown;
	if (ov->threshold >= 0)
		st->threshold = (uint64_t)ov->threshold;
	if (ov->channels >= 0)
		st->channels = (unsigned)ov->channels;
}

static void
rules_build(struct rload *l)
{
	struct ruleset *rs = l->rs;
	size_t i;

	rules_check_dups(l);
	for (i = 0; i < l->nsecs; i++)
		if (l->secs[i].kind == RSEC_SETTINGS)
			rules_do_settings(l, &l->secs[i]);
		else if (l->secs[i].kind == RSEC_INCIDENT)
			rules_do_incident(l, &l->secs[i]);
	rules_override(&rs->settings, l->ov);
	rules_detect_define(l);
	for (i = 0; i < l->nsecs; i++)
		if (l->secs[i].kind == RSEC_SOURCE && !l->secs[i].dup)
			rules_do_source(l, &l->secs[i]);
	for (i = 0; i < l->nsecs; i++)
		if (l->secs[i].kind == RSEC_RULE && !l->secs[i].dup)
			rules_do_rule(l, &l->secs[i]);
	rules_detect_resolve(l);
	rules_sources_finish(l);
	for (i = 0; i < l->nsecs; i++)
		if (l->secs[i].kind == RSEC_REDACT && !l->secs[i].dup)
			rules_do_redact(l, &l->secs[i]);
	rules_privacy_finish(l);
	if (l->nerr == 0)
		for (i = 0; i < rs->nsources; i++)
			rs->sources[i].dispatch = dispatch_new(rs, i);
	if (l->nerr == 0 && rs->nsources == 0)
		rules_err(l, rs->nfiles ? rs->files[0] : "rules", 0,
		    "no [source NAME] section: nothing to read lines with");
	if (rs->nrules > 65535)
		rules_err(l, rs->files[0], 0, "more than 65535 rules");
}

static void
rules_secs_free(struct rload *l)
{
	size_t i, j;

	for (i = 0; i < l->nsecs; i++) {
		for (j = 0; j < l->secs[i].nkvs; j++) {
			free(l->secs[i].kvs[j].key);
			free(l->secs[i].kvs[j].val);
		}
		free(l->secs[i].kvs);
		free(l->secs[i].name);
	}
	free(l->secs);
	free(l->detsecs);
}

static struct ruleset *rules_load_all(char *const *, size_t, const char *,
    const struct rules_overrides *, struct diag *);

struct ruleset *
rules_load(char *const *paths, size_t npaths,
    const struct rules_overrides *ov, struct diag *diag)
{
	return rules_load_all(paths, npaths, NULL, ov, diag);
}

struct ruleset *
rules_load_text(const char *name, const char *text,
    const struct rules_overrides *ov, struct diag *diag)
{
	char *paths[1];

	paths[0] = (char *)name;
	return rules_load_all(paths, 1, text, ov, diag);
}

static struct ruleset *
rules_load_all(char *const *paths, size_t npaths, const char *text,
    const struct rules_overrides *ov, struct diag *diag)
{
	struct rload l;
	struct ruleset *rs;

	memset(&l, 0, sizeof(l));
	l.text = text;
	l.diag = diag;
	l.rs = rs = xcalloc(1, sizeof(*rs));
	rs->fingerprint = UINT64_C(0xcbf29ce484222325);
	rs->settings.window = 30 * 60 * 1000;
	rs->settings.cooldown = 60 * 60 * 1000;
	rs->settings.threshold = 10;
	rs->settings.channels = 0;
	rs->incident.customers = 25;
	rs->incident.window = 10 * 60 * 1000;
	rs->incident.cooldown = 60 * 60 * 1000;
	if (text != NULL) {
		rules_add_file(&l, paths[0]);
		rules_parse_file(&l, rs->files[0]);
	} else
		rules_read_paths(&l, paths, npaths);
	l.ov = ov;
	rules_build(&l);
	rules_secs_free(&l);
	rules_flush_errs(&l);
	if (l.nerr > 0) {
		rules_free(rs);
		return NULL;
	}
	return rs;
}

static void
rules_cond_free(struct cond *c)
{
	pattern_free(c->rx);
	free(c->fieldname);
	free(c->str);
}

void
rules_words_free(char **w, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(w[i]);
	free(w);
}

void
rules_free(struct ruleset *rs)
{
	size_t i, j;

	if (rs == NULL)
		return;
	for (i = 0; i < rs->nsources; i++)
		rules_source_free(&rs->sources[i]);
	for (i = 0; i < rs->nrules; i++) {
		struct rule *r = &rs->rules[i];

		pattern_free(r->rx);
		for (j = 0; j < r->nconds; j++)
			rules_cond_free(&r->conds[j]);
		free(r->conds);
		free(r->name);
		free(r->file);
		free(r->description);
		rules_words_free(r->forgive, r->nforgive);
	}
	rules_detect_free(rs);
	rules_privacy_free(rs);
	free(rs->sources);
	free(rs->rules);
	rules_words_free(rs->channels, rs->nchannels);
	rules_words_free(rs->files, rs->nfiles);
	free(rs);
}
