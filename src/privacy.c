/*
 * privacy: pseudonyms and redaction for one thread. See privacy.h.
 */
#include <err.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "match.h"
#include "privacy.h"
#include "pseudonym.h"
#include "redact.h"
#include "rules.h"
#include "xmalloc.h"

struct privacy {
	const struct pseudonym	*key;		/* NULL: none */
	struct pseudonym_work	*pw;
	const struct redactor	*rd;		/* the rules', or own */
	struct redactor		*own;		/* a key without [redact] */
	struct redact_work	*rw;
	char			 pseud[PSEUDONYM_LEN + 1];
	const char		*clear;		/* the id before its pseudonym */
	size_t			 clearlen;
};

struct privacy *
privacy_new(const struct ruleset *rs, const struct pseudonym *key,
    int simple)
{
	struct privacy *pv;
	char *cause = NULL;

	if (key == NULL && rs->privacy.redactor == NULL)
		return NULL;
	pv = xcalloc(1, sizeof(*pv));
	pv->key = key;
	pv->rd = rs->privacy.redactor;
	if (pv->rd == NULL) {
		/* No patterns: it cannot fail (but on memory: xmalloc). */
		if ((pv->own = redact_new(0, NULL, 0, &cause)) == NULL)
			errx(2, "%s", cause);
		pv->rd = pv->own;
	}
	pv->rw = redact_work_new(pv->rd);
	if (simple)
		redact_work_simple(pv->rw);
	if (key != NULL)
		pv->pw = pseudonym_work_new(key);
	return pv;
}

void
privacy_free(struct privacy *pv)
{
	if (pv == NULL)
		return;
	redact_work_free(pv->rw);
	redact_free(pv->own);
	pseudonym_work_free(pv->pw);
	free(pv);
}

int
privacy_keyed(const struct privacy *pv)
{
	return pv != NULL && pv->key != NULL;
}

const struct match *
privacy_pseudonymize(struct privacy *pv, const struct match *m,
    struct match *pm)
{
	if (m->pseudonymized) {
		pv->clear = NULL;
		pv->clearlen = 0;
		return m;
	}
	pv->clear = m->customer;
	pv->clearlen = m->customerlen;
	if (pv->key == NULL || m->customerlen == 0)
		return m;
	*pm = *m;
	memcpy(pv->pseud, pseudonym_get(pv->pw, m->customer, m->customerlen),
	    PSEUDONYM_LEN);
	pm->customer = pv->pseud;
	pm->customerlen = PSEUDONYM_LEN;
	pm->pseudonymized = 1;
	return pm;
}

size_t
privacy_redact(struct privacy *pv, const struct match *m, const char *line,
    size_t len, const char *v, size_t vlen, const char **out,
    uint64_t *fired)
{
	struct redact_id id, *idp = NULL;
	uintptr_t c = (uintptr_t)m->craw, l = (uintptr_t)line;

	if (pv->key != NULL && pv->clearlen > 0) {
		id.id = pv->clear;
		id.idlen = pv->clearlen;
		id.pseud = m->customer;
		id.pseudlen = m->customerlen;
		id.spanoff = id.spanlen = 0;
		/* The field as the line has it (escaped, perhaps). */
		if (v == line && m->crawlen > 0 && c >= l &&
		    c + m->crawlen <= l + len) {
			id.spanoff = c - l;
			id.spanlen = m->crawlen;
		}
		idp = &id;
	}
	*fired = 0;
	return redact_line(pv->rd, pv->rw, v, vlen, idp, out, fired);
}
