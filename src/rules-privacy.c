/*
 * rules-privacy: [settings] pseudonymize and the [redact] sections
 * (cxwatch.rules(5), Privacy), for rules.c. The patterns are compiled
 * once, into the set's redactor (redact.h), which is only read after.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "redact.h"
#include "rules-int.h"
#include "suggest.h"
#include "xmalloc.h"

void
rules_privacy_keyfile(struct rload *l, const char *file, const struct rkv *kv)
{
	struct rules_privacy *pv = &l->rs->privacy;
	const char *slash;

	if (kv->val[0] == '\0') {
		rules_err(l, file, kv->lineno, "pseudonymize: needs the path "
		    "of a key file (32 or more random bytes, mode 600)");
		return;
	}
	/* A relative path is the rules file's neighbour, as an include. */
	slash = strrchr(file, '/');
	if (kv->val[0] == '/' || slash == NULL)
		pv->keyfile = xstrdup(kv->val);
	else
		pv->keyfile = xasprintf("%.*s/%s", (int)(slash - file), file,
		    kv->val);
	pv->keyfile_file = xstrdup(file);
	pv->keyfile_line = kv->lineno;
}

/* "classes = email, card": each word a class, or "all". */
static void
rules_redact_classes(struct rload *l, const char *file, const struct rkv *kv)
{
	struct rules_privacy *pv = &l->rs->privacy;
	struct suggest sg;
	const char *p = kv->val, *best;
	char word[64];
	size_t len;
	int c, i;

	if (l->classfile != NULL) {
		rules_err(l, file, kv->lineno, "\"classes\" is already set at "
		    "%s:%d", l->classfile, l->classline);
		return;
	}
	l->classfile = file;
	l->classline = kv->lineno;
	for (;;) {
		p += strspn(p, " \t,");
		if ((len = strcspn(p, " \t,")) == 0)
			break;
		if (len == 3 && memcmp(p, "all", 3) == 0)
			pv->classes |= (1u << REDACT_NCLASS) - 1;
		else if ((c = redact_class_byname(p, len)) >= 0)
			pv->classes |= 1u << c;
		else {
			snprintf(word, sizeof(word), "%.*s",
			    (int)(len < 40 ? len : 40), p);
			suggest_init(&sg, word);
			for (i = 0; i < REDACT_NCLASS; i++)
				suggest_try(&sg, redact_class_name(i));
			best = suggest_best(&sg);
			rules_err(l, file, kv->lineno, "classes: unknown class "
			    "\"%s\"%s%s%s (the classes: email, ipv4, ipv6, "
			    "card, token, or all)", word,
			    best != NULL ? "; did you mean \"" : "",
			    best != NULL ? best : "",
			    best != NULL ? "\"?" : "");
		}
		p += len;
	}
}

void
rules_do_redact(struct rload *l, const struct rsec *sec)
{
	struct rules_privacy *pv = &l->rs->privacy;
	struct rules_redact *rr;
	struct redact_rule one;
	struct redactor *rd;
	const char *pat, *rep;
	char *cause = NULL;
	int line, rline;
	size_t i;

	if (sec->name[0] == '\0') {
		for (i = 0; i < sec->nkvs; i++)
			if (strcmp(sec->kvs[i].key, "classes") == 0)
				rules_redact_classes(l, sec->file,
				    &sec->kvs[i]);
			else
				rules_err(l, sec->file, sec->kvs[i].lineno,
				    "\"%s\" belongs in a named [redact NAME] "
				    "section; [redact] takes \"classes\"",
				    sec->kvs[i].key);
		return;
	}
	if (rules_kv(sec, "classes", &line) != NULL)
		rules_err(l, sec->file, line, "\"classes\" belongs in "
		    "[redact] without a name");
	if ((pat = rules_kv(sec, "pattern", &line)) == NULL) {
		if (!sec->broken)
			rules_err(l, sec->file, sec->lineno, "[redact %s] "
			    "needs a pattern", sec->name);
		return;
	}
	if (pv->nredacts == REDACT_MAXRULES) {
		rules_err(l, sec->file, sec->lineno, "more than %d [redact "
		    "NAME] sections", REDACT_MAXRULES);
		return;
	}
	rep = rules_kv(sec, "replace", &rline);
	one.name = sec->name;
	one.pattern = pat;
	one.replace = rep;
	if ((rd = redact_new(0, &one, 1, &cause)) == NULL) {
		rules_err(l, sec->file, line, "%s", cause);
		free(cause);
		return;
	}
	redact_free(rd);
	pv->redacts = xreallocarray(pv->redacts, pv->nredacts + 1,
	    sizeof(*pv->redacts));
	rr = &pv->redacts[pv->nredacts++];
	rr->name = xstrdup(sec->name);
	rr->file = xstrdup(sec->file);
	rr->lineno = sec->lineno;
	rr->pattern = xstrdup(pat);
	rr->replace = rep != NULL ? xstrdup(rep) : NULL;
}

void
rules_privacy_finish(struct rload *l)
{
	struct rules_privacy *pv = &l->rs->privacy;
	struct redact_rule *rules;
	char *cause = NULL;
	size_t i;

	if (l->nerr > 0 || (pv->classes == 0 && pv->nredacts == 0))
		return;
	rules = xcalloc(pv->nredacts + 1, sizeof(*rules));
	for (i = 0; i < pv->nredacts; i++) {
		rules[i].name = pv->redacts[i].name;
		rules[i].pattern = pv->redacts[i].pattern;
		rules[i].replace = pv->redacts[i].replace;
	}
	/* Each pattern compiled alone before: this cannot fail but on
	   memory, which xmalloc would have ended the run for. */
	if ((pv->redactor = redact_new(pv->classes, rules, pv->nredacts,
	    &cause)) == NULL) {
		rules_err(l, l->classfile != NULL ? l->classfile :
		    pv->redacts[0].file, l->classfile != NULL ? l->classline :
		    pv->redacts[0].lineno, "%s", cause);
		free(cause);
	}
	free(rules);
}

void
rules_privacy_free(struct ruleset *rs)
{
	struct rules_privacy *pv = &rs->privacy;
	size_t i;

	free(pv->keyfile);
	free(pv->keyfile_file);
	for (i = 0; i < pv->nredacts; i++) {
		free(pv->redacts[i].name);
		free(pv->redacts[i].file);
		free(pv->redacts[i].pattern);
		free(pv->redacts[i].replace);
	}
	free(pv->redacts);
	redact_free(pv->redactor);
}
