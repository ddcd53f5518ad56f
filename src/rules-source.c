/*
 * rules-source: the [source NAME] sections of cxwatch.rules(5) and the
 * fields of each source. A regex source's fields are its pattern's
 * groups, known when the pattern compiles, and a template source's its
 * template's (template.h); a json or logfmt source's are
 * the paths or keys that its customer, time and its rules' conditions
 * name, numbered as they are first named, and compiled (jsonl.h,
 * logfmt.h) once every rule is read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonl.h"
#include "logfmt.h"
#include "pattern.h"
#include "dispatch.h"
#include "rules.h"
#include "rules-int.h"
#include "template.h"
#include "tparse.h"
#include "xmalloc.h"

static const char *const rules_format_names[] = { "regex", "json",
    "logfmt", "template" };

const char *
rules_format_name(enum source_format f)
{
	return rules_format_names[f];
}

/* Fill the group-number → name table of a regex source's pattern. */
static void
rules_groups(struct source *src)
{
	uint32_t n = 0, esz = 0, i;
	PCRE2_SPTR tab;
	int g;

	pcre2_pattern_info(src->rx->code, PCRE2_INFO_CAPTURECOUNT,
	    &src->ngroups);
	src->groupname = xcalloc(src->ngroups + 1, sizeof(char *));
	pcre2_pattern_info(src->rx->code, PCRE2_INFO_NAMECOUNT, &n);
	pcre2_pattern_info(src->rx->code, PCRE2_INFO_NAMEENTRYSIZE, &esz);
	pcre2_pattern_info(src->rx->code, PCRE2_INFO_NAMETABLE, &tab);
	for (i = 0; i < n; i++, tab += esz) {
		g = (tab[0] << 8) | tab[1];
		if (src->groupname[g] == NULL)
			src->groupname[g] = xstrdup((const char *)tab + 2);
	}
}

static int
rules_group(const struct source *src, const char *name)
{
	uint32_t g;

	for (g = 1; g <= src->ngroups; g++)
		if (src->groupname[g] != NULL &&
		    strcmp(src->groupname[g], name) == 0)
			return (int)g;
	return -1;
}

/*
 * Whether name can be a field of a structured source; NULL, or why not
 * (in buf). A json path is checked by compiling it alone.
 */
static const char *
rules_field_bad(const struct source *src, const char *name, char *buf,
    size_t bufsz)
{
	struct jsonl_paths *jp;
	struct jsonl_badpath bad;
	const char *p;

	if (src->format == SOURCE_JSON) {
		if ((jp = jsonl_paths_new(&name, 1, NULL, &bad)) != NULL) {
			jsonl_paths_free(jp);
			return NULL;
		}
		snprintf(buf, bufsz, "%s (at byte %zu)", bad.why, bad.off);
		return buf;
	}
	if (*name == '\0')
		return "an empty key";
	for (p = name; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || *p == '=') {
			snprintf(buf, bufsz, "a logfmt key holds no blank "
			    "or '=' (byte %zu)", (size_t)(p - name));
			return buf;
		}
	return NULL;
}

int
rules_field(struct rload *l, struct source *src, const char *name,
    const char *file, int lineno, const char *what)
{
	const char *why, *cause;
	char buf[160];
	int g, slot;

	if (src->format == SOURCE_REGEX || src->format == SOURCE_TEMPLATE) {
		if ((g = rules_group(src, name)) == -1)
			rules_err(l, file, lineno, src->format == SOURCE_REGEX ?
			    "%s: source %s has no field \"%s\" (name it with "
			    "(?<%s>...) in its match)" : "%s: source %s has no "
			    "field \"%s\" (write ${%s} in its template)",
			    what, src->name, name, name);
		return g;
	}
	if ((g = rules_group(src, name)) != -1)
		return g;
	if ((why = rules_field_bad(src, name, buf, sizeof(buf))) != NULL) {
		rules_err(l, file, lineno, "%s: \"%s\" is not a %s: %s", what,
		    name, src->format == SOURCE_JSON ? "field path" :
		    "logfmt key", why);
		return -1;
	}
	if (src->ngroups >= RULES_MAXFIELDS) {
		rules_err(l, file, lineno, "%s: source %s has more than %d "
		    "fields", what, src->name, RULES_MAXFIELDS);
		return -1;
	}
	slot = 0;
	if (src->format == SOURCE_LOGFMT &&
	    (slot = logfmt_keys_add(src->lkeys, name, strlen(name),
	    &cause)) == -1) {
		rules_err(l, file, lineno, "%s: \"%s\": %s", what, name, cause);
		return -1;
	}
	src->groupname = xreallocarray(src->groupname, src->ngroups + 2,
	    sizeof(*src->groupname));
	src->slot = xreallocarray(src->slot, src->ngroups + 2,
	    sizeof(*src->slot));
	src->ngroups++;
	src->groupname[src->ngroups] = xstrdup(name);
	src->slot[src->ngroups] = slot;
	return (int)src->ngroups;
}

/* A key only some formats take, given to one that does not. */
static void
rules_not_for(struct rload *l, const struct rsec *sec,
    const struct source *src, const char *key, const char *instead)
{
	int ln;

	if (rules_kv(sec, key, &ln) != NULL)
		rules_err(l, sec->file, ln, "%s: not a key of a %s source%s",
		    key, rules_format_name(src->format), instead);
}

static void
rules_source_regex(struct rload *l, const struct rsec *sec,
    struct source *src)
{
	const char *v, *cause;
	int ln;

	rules_not_for(l, sec, src, "customer", " (name its customer with "
	    "(?<customer>...) in match)");
	rules_not_for(l, sec, src, "timefmt", " (its \"time\" says how the "
	    "time group is written)");
	rules_not_for(l, sec, src, "unwrap", " (only of format = json)");
	v = rules_kv(sec, "time", &ln);
	if (tp_spec_init(&src->time, v != NULL ? v : "auto",
	    rules_kv(sec, "timezone", NULL), &cause) == -1) {
		if (strstr(cause, "zone") != NULL)
			(void)rules_kv(sec, "timezone", &ln);
		rules_err(l, sec->file, ln, "%s", cause);
	}
	if ((v = rules_kv(sec, "match", &ln)) == NULL) {
		if (!sec->broken)
			rules_err(l, sec->file, sec->lineno, "[source %s] "
			    "needs a \"match\" pattern", sec->name);
		return;
	}
	if (rules_compile(l, &src->rx, v, sec->file, ln, "match") == -1)
		return;
	rules_groups(src);
	if ((src->g_customer = rules_group(src, "customer")) == -1)
		rules_err(l, sec->file, ln, "match must capture (?<customer>"
		    "...) so cxwatch knows whose line it is");
	src->g_time = 0;
	if (src->time.kind != TP_NONE &&
	    (src->g_time = rules_group(src, "time")) == -1)
		rules_err(l, sec->file, ln, "match must capture (?<time>...),"
		    " or say \"time = none\"");
}

static void
rules_source_structured(struct rload *l, const struct rsec *sec,
    struct source *src)
{
	const char *v, *cause, *why;
	char buf[160];
	uint32_t n = 0;
	int ln;

	if (src->format == SOURCE_LOGFMT) {
		src->lkeys = logfmt_keys_new();
		rules_not_for(l, sec, src, "unwrap", " (only of format = "
		    "json)");
	}
	src->groupname = xcalloc(1, sizeof(*src->groupname));
	src->slot = xcalloc(1, sizeof(*src->slot));
	v = rules_kv(sec, "timefmt", &ln);
	if (tp_spec_init(&src->time, v != NULL ? v : "auto",
	    rules_kv(sec, "timezone", NULL), &cause) == -1) {
		if (strstr(cause, "zone") != NULL)
			(void)rules_kv(sec, "timezone", &ln);
		rules_err(l, sec->file, ln, "timefmt: %s", cause);
	}
	if ((v = rules_kv(sec, "match", &ln)) != NULL &&
	    rules_compile(l, &src->rx, v, sec->file, ln, "match") == 0) {
		pcre2_pattern_info(src->rx->code, PCRE2_INFO_NAMECOUNT, &n);
		if (n > 0)
			rules_err(l, sec->file, ln, "match: the named groups "
			    "of a %s source's match are not fields (its "
			    "fields are named by %s): remove the names",
			    rules_format_name(src->format),
			    src->format == SOURCE_JSON ? "path" : "key");
	}
	if ((v = rules_kv(sec, "unwrap", &ln)) != NULL &&
	    src->format == SOURCE_JSON) {
		if ((why = rules_field_bad(src, v, buf, sizeof(buf))) != NULL)
			rules_err(l, sec->file, ln, "unwrap: \"%s\" is not a "
			    "field path: %s", v, why);
		else
			src->unwrap = xstrdup(v);
	}
	v = rules_kv(sec, "customer", &ln);
	src->g_customer = rules_field(l, src, v != NULL ? v : "customer",
	    sec->file, ln, "customer");
	/* The key whose "KEY=" makes the source claim a line (semantics 1). */
	if (src->format == SOURCE_LOGFMT && src->g_customer > 0 &&
	    logfmt_keys_claim(src->lkeys, src->groupname[src->g_customer],
	    strlen(src->groupname[src->g_customer]), &cause) == -1)
		rules_err(l, sec->file, ln, "customer: %s", cause);
	v = rules_kv(sec, "time", &ln);
	if (v != NULL && strcmp(v, "none") == 0) {
		rules_err(l, sec->file, ln, "time: in a %s source \"time\" "
		    "names the field that holds the time; for lines without "
		    "one say \"timefmt = none\"",
		    rules_format_name(src->format));
		return;
	}
	if (src->time.kind == TP_NONE) {
		if (v != NULL)
			rules_err(l, sec->file, ln, "time: \"timefmt = none\" "
			    "says the lines have no time: remove one of the "
			    "two");
		src->g_time = 0;
		return;
	}
	src->g_time = rules_field(l, src, v != NULL ? v : "time", sec->file,
	    ln, "time");
	if (src->g_time > 0 && src->format == SOURCE_LOGFMT &&
	    logfmt_keys_leading(src->lkeys, src->slot[src->g_time],
	    &cause) == -1)
		rules_err(l, sec->file, ln, "time: %s", cause);
}

/* Every template of src has field g (its customer, or its time). */
static void
rules_template_has(struct rload *l, const char *file, const int *lines,
    const struct source *src, int g, const char *what)
{
	size_t i;

	for (i = 0; g >= 1 && i < template_nlayouts(src->tmpl); i++)
		if (!template_in(src->tmpl, i, (size_t)g - 1))
			rules_err(l, file, lines[i], "template: no ${%s}, the "
			    "%s field: each template must have it",
			    src->groupname[g], what);
}

/* The template source's customer and time, which each template has. */
static void
rules_source_template_fields(struct rload *l, const struct rsec *sec,
    struct source *src, const int *lines)
{
	const char *v;
	uint32_t i;
	int ln;

	if (rules_kv(sec, "template", NULL) == NULL) {
		if (!sec->broken)
			rules_err(l, sec->file, sec->lineno, "[source %s] "
			    "needs a template, such as: template = $ip - "
			    "$customer [$time] \"$request\" $status", sec->name);
		return;
	}
	if (template_nlayouts(src->tmpl) == 0)
		return;
	src->ngroups = (uint32_t)template_nfields(src->tmpl);
	src->groupname = xcalloc(src->ngroups + 1, sizeof(*src->groupname));
	for (i = 0; i < src->ngroups; i++)
		src->groupname[i + 1] = xstrdup(template_name(src->tmpl, i));
	v = rules_kv(sec, "customer", &ln);
	src->g_customer = rules_field(l, src, v != NULL ? v : "customer",
	    sec->file, ln, "customer");
	rules_template_has(l, sec->file, lines, src, src->g_customer,
	    "customer");
	v = rules_kv(sec, "time", &ln);
	if (v != NULL && strcmp(v, "none") == 0) {
		rules_err(l, sec->file, ln, "time: in a template source "
		    "\"time\" names the field that holds the time; for lines "
		    "without one say \"timefmt = none\"");
		return;
	}
	if (src->time.kind == TP_NONE) {
		if (v != NULL)
			rules_err(l, sec->file, ln, "time: \"timefmt = none\" "
			    "says the lines have no time: remove one of the "
			    "two");
		src->g_time = 0;
		return;
	}
	src->g_time = rules_field(l, src, v != NULL ? v : "time", sec->file,
	    ln, "time");
	rules_template_has(l, sec->file, lines, src, src->g_time, "time");
}

/*
 * A template source: its fields are the template's, numbered as written;
 * customer and time name two of them, as in a json or logfmt source.
 */
static void
rules_source_template(struct rload *l, const struct rsec *sec,
    struct source *src)
{
	const char *v, *cause;
	char *why;
	uint32_t n = 0;
	size_t i;
	int ln, *lines;

	rules_not_for(l, sec, src, "unwrap", " (only of format = json)");
	v = rules_kv(sec, "timefmt", &ln);
	if (tp_spec_init(&src->time, v != NULL ? v : "auto",
	    rules_kv(sec, "timezone", NULL), &cause) == -1) {
		if (strstr(cause, "zone") != NULL)
			(void)rules_kv(sec, "timezone", &ln);
		rules_err(l, sec->file, ln, "timefmt: %s", cause);
	}
	if ((v = rules_kv(sec, "match", &ln)) != NULL &&
	    rules_compile(l, &src->rx, v, sec->file, ln, "match") == 0) {
		pcre2_pattern_info(src->rx->code, PCRE2_INFO_NAMECOUNT, &n);
		if (n > 0)
			rules_err(l, sec->file, ln, "match: the named groups "
			    "of a template source's match are not fields (its "
			    "fields are named in its template): remove the "
			    "names");
	}
	/* Each template's line, for the errors below. */
	lines = xcalloc(sec->nkvs + 1, sizeof(*lines));
	src->tmpl = template_new();
	for (i = 0; i < sec->nkvs; i++) {
		if (strcmp(sec->kvs[i].key, "template") != 0)
			continue;
		if (template_add(src->tmpl, sec->kvs[i].val, &why) == -1) {
			rules_err(l, sec->file, sec->kvs[i].lineno,
			    "template: %s", why);
			free(why);
		} else
			lines[template_nlayouts(src->tmpl) - 1] =
			    sec->kvs[i].lineno;
	}
	rules_source_template_fields(l, sec, src, lines);
	free(lines);
}

void
rules_do_source(struct rload *l, const struct rsec *sec)
{
	struct ruleset *rs = l->rs;
	struct source *src;
	const char *v;
	int ln;

	rs->sources = xreallocarray(rs->sources, rs->nsources + 1,
	    sizeof(*rs->sources));
	src = &rs->sources[rs->nsources++];
	memset(src, 0, sizeof(*src));
	src->name = xstrdup(sec->name);
	src->file = xstrdup(sec->file);
	src->lineno = sec->lineno;
	v = rules_kv(sec, "channel", &ln);
	if (v != NULL && !rules_name_ok(v)) {
		rules_err(l, sec->file, ln, "channel: \"%s\" is not a name of "
		    "letters, digits, '-', '_' or '.'", v);
		v = NULL;
	}
	src->channel = rules_channel(l, v != NULL ? v : sec->name, sec->file,
	    ln);
	if ((v = rules_kv(sec, "anonymous", NULL)) != NULL)
		rules_split_words(v, &src->anonymous, &src->nanonymous);
	if ((v = rules_kv(sec, "format", &ln)) == NULL ||
	    strcmp(v, "regex") == 0)
		src->format = SOURCE_REGEX;
	else if (strcmp(v, "json") == 0)
		src->format = SOURCE_JSON;
	else if (strcmp(v, "logfmt") == 0)
		src->format = SOURCE_LOGFMT;
	else if (strcmp(v, "template") == 0)
		src->format = SOURCE_TEMPLATE;
	else {
		rules_err(l, sec->file, ln, "format: \"%s\" is not regex, json, "
		    "logfmt or template", v);
		return;
	}
	if (src->format != SOURCE_TEMPLATE)
		rules_not_for(l, sec, src, "template", " (only of format = "
		    "template)");
	if (src->format == SOURCE_REGEX)
		rules_source_regex(l, sec, src);
	else if (src->format == SOURCE_TEMPLATE)
		rules_source_template(l, sec, src);
	else
		rules_source_structured(l, sec, src);
}

void
rules_sources_finish(struct rload *l)
{
	struct ruleset *rs = l->rs;
	struct jsonl_badpath bad;
	struct source *src;
	size_t i;

	for (i = 0; i < rs->nsources; i++) {
		src = &rs->sources[i];
		if (src->format != SOURCE_JSON || src->g_customer < 1)
			continue;
		src->jpaths = jsonl_paths_new((const char *const *)
		    src->groupname + 1, src->ngroups, src->unwrap, &bad);
		if (src->jpaths == NULL)
			rules_err(l, src->file, src->lineno, "[source %s]: "
			    "path %s: %s (at byte %zu)", src->name,
			    bad.path < src->ngroups ?
			    src->groupname[bad.path + 1] : src->unwrap,
			    bad.why, bad.off);
	}
}

void
rules_source_free(struct source *s)
{
	uint32_t j;

	dispatch_free(s->dispatch);
	pattern_free(s->rx);
	for (j = 0; s->groupname != NULL && j <= s->ngroups; j++)
		free(s->groupname[j]);
	free(s->groupname);
	free(s->slot);
	free(s->unwrap);
	jsonl_paths_free(s->jpaths);
	logfmt_keys_free(s->lkeys);
	template_free(s->tmpl);
	tp_spec_free(&s->time);
	rules_words_free(s->anonymous, s->nanonymous);
	free(s->rules);
	free(s->name);
	free(s->file);
}
