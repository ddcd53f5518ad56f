/*
 * rules-detect: the detectors of a rule set and what counts in each,
 * cxwatch.rules(5), [detector NAME] and the "forgive" key of [rule NAME].
 * Part of the rules loader (see rules-int.h): rules.c calls
 * rules_detect_define() before it builds the rules, rules_detect_forgive()
 * for each rule that forgives, and rules_detect_resolve() after them all.
 *
 * Names and patterns are matched with fnmatch(3) against every candidate,
 * which costs rules x entries: 10,000 rules and a few entries per
 * detector are a few milliseconds. An entry that matches nothing is an
 * error, unless a section of that name exists whose building failed (its
 * own error was said).
 */
#include <fnmatch.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"
#include "rules-int.h"
#include "suggest.h"
#include "xmalloc.h"

/* A pattern, not a plain name: names hold none of these. */
static int
rules_detect_is_glob(const char *s)
{
	return strpbrk(s, "*?[\\") != NULL;
}

/* A hint for an entry that matched nothing: "" or " (...)". */
static void
rules_detect_hint(char *buf, size_t len, const char *word,
    const char *closest)
{
	if (strchr(word, ',') != NULL)
		snprintf(buf, len, " (separate them with blanks, not commas)");
	else if (closest != NULL)
		snprintf(buf, len, " (did you mean \"%s\"?)", closest);
	else
		buf[0] = '\0';
}

/*
 * Whether a section of kind matches pat (one without "forgive", if
 * failure). Asked only when nothing built matched, so such a section was
 * not built, and its own error was said.
 */
static int
rules_detect_unbuilt(const struct rload *l, enum rsec_kind kind,
    const char *pat, int failure)
{
	const struct rsec *sec;
	size_t i;

	for (i = 0; i < l->nsecs; i++) {
		sec = &l->secs[i];
		if (sec->kind == kind && !sec->dup &&
		    fnmatch(pat, sec->name, 0) == 0 &&
		    (!failure || rules_kv(sec, "forgive", NULL) == NULL))
			return 1;
	}
	return 0;
}

static struct detector *
rules_detect_add(struct rload *l, const char *name, const struct rsec *sec)
{
	struct ruleset *rs = l->rs;
	struct detector *d;

	rs->detectors = xreallocarray(rs->detectors, rs->ndetectors + 1,
	    sizeof(*rs->detectors));
	l->detsecs = xreallocarray(l->detsecs, rs->ndetectors + 1,
	    sizeof(*l->detsecs));
	l->detsecs[rs->ndetectors] = sec;
	d = &rs->detectors[rs->ndetectors++];
	memset(d, 0, sizeof(*d));
	d->name = xstrdup(name);
	d->settings = rs->settings;
	return d;
}

/* A detector's keys: its own settings, else [settings]' (semantics 4-6). */
static void
rules_detect_section(struct rload *l, const struct rsec *sec)
{
	struct detector *d;
	const char *v;
	size_t i;

	d = rules_detect_add(l, sec->name, sec);
	d->file = xstrdup(sec->file);
	d->lineno = sec->lineno;
	for (i = 0; i < sec->nkvs; i++)
		if (strcmp(sec->kvs[i].key, "rules") != 0)
			(void)rules_setting(l, sec->file, &sec->kvs[i],
			    &d->settings);
	if ((v = rules_kv(sec, "rules", NULL)) != NULL)
		rules_split_words(v, &d->patterns, &d->npatterns);
	else
		rules_split_words("*", &d->patterns, &d->npatterns);
}

void
rules_detect_define(struct rload *l)
{
	struct ruleset *rs = l->rs;
	struct detector *d;
	const struct rsec *sec;
	size_t i;
	int any = 0;

	for (i = 0; i < l->nsecs; i++) {
		sec = &l->secs[i];
		if (sec->kind != RSEC_DETECTOR || sec->dup)
			continue;
		if (rs->ndetectors == RULES_MAXDETECTORS) {
			rules_err(l, sec->file, sec->lineno, "more than %d "
			    "detectors, the most a rule set may have",
			    RULES_MAXDETECTORS);
			return;
		}
		rules_detect_section(l, sec);
		any = 1;
	}
	if (any)
		return;
	/* cxwatch.rules(5), [detector NAME]: none written, one "default". */
	d = rules_detect_add(l, "default", NULL);
	rules_split_words("*", &d->patterns, &d->npatterns);
}

void
rules_detect_forgive(struct rload *l, struct rule *r, const char *value,
    const char *file, int lineno)
{
	const struct ruleset *rs = l->rs;
	struct suggest sg;
	const char *w;
	char hint[128];
	size_t i, d;
	int hit;

	rules_split_words(value, &r->forgive, &r->nforgive);
	for (i = 0; i < r->nforgive; i++) {
		w = r->forgive[i];
		suggest_init(&sg, w);
		for (hit = 0, d = 0; d < rs->ndetectors; d++) {
			if (fnmatch(w, rs->detectors[d].name, 0) == 0) {
				r->forgives |= UINT64_C(1) << d;
				hit = 1;
			}
			suggest_try(&sg, rs->detectors[d].name);
		}
		if (hit || rules_detect_unbuilt(l, RSEC_DETECTOR, w, 0))
			continue;
		if (rules_detect_is_glob(w)) {
			rules_err(l, file, lineno, "forgive: \"%s\" matches no "
			    "detector", w);
			continue;
		}
		rules_detect_hint(hint, sizeof(hint), w, suggest_best(&sg));
		if (hint[0] == '\0' && l->detsecs[0] == NULL)
			snprintf(hint, sizeof(hint), " (with no [detector] "
			    "section the one detector is \"default\")");
		else if (hint[0] == '\0' && strcmp(w, "default") == 0)
			snprintf(hint, sizeof(hint), " (once a [detector] "
			    "section exists, only the detectors written do)");
		else if (hint[0] == '\0')
			snprintf(hint, sizeof(hint), " (define it with "
			    "[detector %s])", w);
		rules_err(l, file, lineno, "forgive: \"%s\" names no "
		    "detector%s", w, hint);
	}
}

/*
 * Entry w of a detector's "rules", at file:lineno, matched no failure
 * rule (forgiving: it matched a forgiving one): say why.
 */
static void
rules_detect_nomatch(struct rload *l, const char *w, int forgiving,
    const char *file, int lineno)
{
	const struct ruleset *rs = l->rs;
	struct suggest sg;
	char hint[128];
	size_t i;

	if (rules_detect_unbuilt(l, RSEC_RULE, w, 1))
		return;
	if (rules_detect_is_glob(w)) {
		rules_err(l, file, lineno, "rules: \"%s\" matches no failure "
		    "rule%s", w, forgiving ? ", only forgiving ones" : "");
		return;
	}
	if (forgiving) {
		rules_err(l, file, lineno, "rules: \"%s\" is a forgiving "
		    "rule, which makes no events; a detector counts failure "
		    "rules", w);
		return;
	}
	suggest_init(&sg, w);
	for (i = 0; i < rs->nrules; i++)
		if (!rs->rules[i].forgiving)
			suggest_try(&sg, rs->rules[i].name);
	rules_detect_hint(hint, sizeof(hint), w, suggest_best(&sg));
	rules_err(l, file, lineno, "rules: \"%s\" names no failure rule%s", w,
	    hint);
}

void
rules_detect_resolve(struct rload *l)
{
	struct ruleset *rs = l->rs;
	const struct detector *d;
	struct rule *r;
	const char *w;
	size_t i, k, j;
	int hit, forgiving, ln;

	for (i = 0; i < rs->ndetectors; i++) {
		d = &rs->detectors[i];
		for (k = 0; k < d->npatterns; k++) {
			w = d->patterns[k];
			for (hit = forgiving = 0, j = 0; j < rs->nrules; j++) {
				r = &rs->rules[j];
				if (fnmatch(w, r->name, 0) != 0)
					continue;
				if (r->forgiving)
					forgiving = 1;
				else {
					r->detectors |= UINT64_C(1) << i;
					hit = 1;
				}
			}
			/* The default "*" of a detector without "rules" may
			   match nothing: there may be no failure rule. */
			if (hit || l->detsecs[i] == NULL ||
			    rules_kv(l->detsecs[i], "rules", &ln) == NULL)
				continue;
			rules_detect_nomatch(l, w, forgiving,
			    l->detsecs[i]->file, ln);
		}
	}
}

int
rules_detector_find(const struct ruleset *rs, const char *name)
{
	size_t i;

	for (i = 0; i < rs->ndetectors; i++)
		if (strcmp(rs->detectors[i].name, name) == 0)
			return (int)i;
	return -1;
}

void
rules_detect_free(struct ruleset *rs)
{
	size_t i;

	for (i = 0; i < rs->ndetectors; i++) {
		free(rs->detectors[i].name);
		free(rs->detectors[i].file);
		rules_words_free(rs->detectors[i].patterns,
		    rs->detectors[i].npatterns);
	}
	free(rs->detectors);
}
