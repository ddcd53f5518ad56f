/*
 * dispatch: a source's rules by the value of one field (dispatch.h).
 *
 * The values are in an open-addressing table of twice their number or
 * more (a power of two), probed linearly, hashed with FNV-1a; each slot
 * holds a value (borrowed from its condition) and its run of rule
 * positions in one array.
 */
#include <stdlib.h>
#include <string.h>

#include "dispatch.h"
#include "rules.h"
#include "xmalloc.h"

struct dslot {
	const char	*v;		/* NULL: empty */
	size_t		 len;
	uint32_t	 off;		/* into dispatch.pos */
	uint32_t	 n;
};

struct dispatch {
	int		 field;
	struct dslot	*slots;
	size_t		 mask;		/* nslots - 1 */
	uint32_t	*pos;		/* the keyed rules' runs, in rule
					   order within each run */
	uint32_t	*always;
	size_t		 nalways;
};

static uint64_t
dispatch_hash(const char *v, size_t len)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);

	while (len-- > 0)
		h = (h ^ (unsigned char)*v++) * UINT64_C(0x100000001b3);
	return h ^ (h >> 29);
}

/*
 * The condition of rule r that keys it on a field: the first FIELD ==
 * VALUE with a VALUE that is not a number, if no pattern could run
 * before it; NULL if none. With field >= 0, only one on that field.
 */
static const struct cond *
dispatch_key(const struct rule *r, int field)
{
	const struct cond *cd;
	size_t i;

	if (r->rx != NULL)
		return NULL;
	for (i = 0; i < r->nconds; i++) {
		cd = &r->conds[i];
		if (cd->op == COND_MATCH || cd->op == COND_NOMATCH)
			return NULL;
		if (cd->op == COND_EQ && !cd->isnum &&
		    cd->field != RULES_FIELD_LINE &&
		    (field < 0 || cd->field == field))
			return cd;
	}
	return NULL;
}

static struct dslot *
dispatch_find(const struct dispatch *d, const char *v, size_t len)
{
	size_t i = (size_t)dispatch_hash(v, len) & d->mask;

	for (;; i = (i + 1) & d->mask)
		if (d->slots[i].v == NULL || (d->slots[i].len == len &&
		    memcmp(d->slots[i].v, v, len) == 0))
			return &d->slots[i];
}

struct dispatch *
dispatch_new(const struct ruleset *rs, size_t si)
{
	const struct source *src = &rs->sources[si];
	const struct cond *cd;
	struct dispatch *d;
	struct dslot *s;
	int *fields, best = -1;
	size_t i, j, nbest = 0, n, nslots, nkeyed = 0;
	uint32_t *fill;

	/* The field most rules are keyed on (the first of a tie). */
	fields = xcalloc(src->nrules > 0 ? src->nrules : 1, sizeof(*fields));
	for (i = 0; i < src->nrules; i++) {
		cd = dispatch_key(&rs->rules[src->rules[i]], -1);
		fields[i] = cd != NULL ? cd->field : -1;
	}
	for (i = 0; i < src->nrules; i++) {
		if (fields[i] < 0)
			continue;
		for (j = 0, n = 0; j < src->nrules; j++)
			n += fields[j] == fields[i];
		if (n > nbest) {
			nbest = n;
			best = fields[i];
		}
	}
	free(fields);
	if (nbest < 2)
		return NULL;

	/* A rule first keyed on another field may be keyed on this too. */
	for (i = 0, nbest = 0; i < src->nrules; i++)
		nbest += dispatch_key(&rs->rules[src->rules[i]], best) != NULL;
	d = xcalloc(1, sizeof(*d));
	d->field = best;
	for (nslots = 4; nslots < 2 * nbest; nslots *= 2)
		;
	d->slots = xcalloc(nslots, sizeof(*d->slots));
	d->mask = nslots - 1;
	d->pos = xcalloc(nbest, sizeof(*d->pos));
	d->always = xcalloc(src->nrules - nbest + 1, sizeof(*d->always));
	/* Count each value's rules, give each a run, then fill the runs. */
	for (i = 0; i < src->nrules; i++) {
		if ((cd = dispatch_key(&rs->rules[src->rules[i]], best)) == NULL)
			continue;
		s = dispatch_find(d, cd->str, cd->strlen);
		if (s->v == NULL) {
			s->v = cd->str;
			s->len = cd->strlen;
		}
		s->n++;
	}
	for (i = 0; i <= d->mask; i++)
		if (d->slots[i].v != NULL) {
			d->slots[i].off = (uint32_t)nkeyed;
			nkeyed += d->slots[i].n;
		}
	fill = xcalloc(nslots, sizeof(*fill));
	for (i = 0; i < src->nrules; i++) {
		if ((cd = dispatch_key(&rs->rules[src->rules[i]], best)) == NULL) {
			d->always[d->nalways++] = (uint32_t)i;
			continue;
		}
		s = dispatch_find(d, cd->str, cd->strlen);
		d->pos[s->off + fill[s - d->slots]++] = (uint32_t)i;
	}
	free(fill);
	return d;
}

void
dispatch_free(struct dispatch *d)
{
	if (d == NULL)
		return;
	free(d->slots);
	free(d->pos);
	free(d->always);
	free(d);
}

int
dispatch_field(const struct dispatch *d)
{
	return d->field;
}

void
dispatch_lookup(const struct dispatch *d, const char *v, size_t len,
    const uint32_t **keyed, size_t *nkeyed, const uint32_t **always,
    size_t *nalways)
{
	const struct dslot *s = dispatch_find(d, v, len);

	*keyed = s->v != NULL ? d->pos + s->off : d->pos;
	*nkeyed = s->v != NULL ? s->n : 0;
	*always = d->always;
	*nalways = d->nalways;
}
