/*
 * dispatch: a source's rules by the value of one field, and by the
 * literals their match patterns need (dispatch.h).
 *
 * The values are in an open-addressing table of twice their number or
 * more (a power of two), probed linearly, hashed with FNV-1a; each slot
 * holds a value (borrowed from its condition) and its run of rule
 * positions in one array. The literals are one Vectorscan database in
 * literal mode (hs_compile_lit_multi()), each distinct literal once, its
 * id the index of its group of rules (gpos[goff[id]..goff[id + 1])),
 * reported once a scan (HS_FLAG_SINGLEMATCH).
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <hs.h>

#include "dispatch.h"
#include "pattern.h"
#include "rules.h"
#include "xmalloc.h"

#define DISPATCH_MINLIT	8	/* fewer: each rule's own prefilter is as
				   cheap as a scan */

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
	hs_database_t	*db;		/* NULL: no literal rules */
	uint32_t	*litpos;	/* [nlit]: the literal rules' positions */
	size_t		 nlit;
	uint32_t	*gpos;		/* [nlit]: litpos by literal */
	uint32_t	*goff;		/* [ngroups + 1] */
	size_t		 ngroups;
};

struct dispatch_scratch {
	const struct dispatch	*d;
	hs_scratch_t		*hs;
	uint32_t		*pos;	/* [d->nlit] */
	size_t			 n;
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

static int
dispatch_pos_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Sort positions ascending: by insertion when there are few (a line
 * holds one or two rules' literals), else with qsort(), so that a line
 * crafted to hold thousands of them costs n log n, not n squared.
 */
static void
dispatch_sort(uint32_t *p, size_t n)
{
	size_t i, j;
	uint32_t x;

	if (n > 16) {
		qsort(p, n, sizeof(*p), dispatch_pos_cmp);
		return;
	}
	for (i = 1; i < n; i++) {
		x = p[i];
		for (j = i; j > 0 && p[j - 1] > x; j--)
			p[j] = p[j - 1];
		p[j] = x;
	}
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

/* The literal a rule's match pattern needs, or NULL (pattern.h). */
static const char *
dispatch_literal(const struct rule *r, size_t *len)
{
	if (r->rx == NULL || r->rx->need == NULL)
		return NULL;
	*len = r->rx->needlen;
	return r->rx->need;
}

/* The field most rules are keyed on (the first of a tie), or -1. */
static int
dispatch_best(const struct ruleset *rs, const struct source *src)
{
	const struct cond *cd;
	int *fields, best = -1;
	size_t i, j, n, nbest = 0;

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
	return nbest >= 2 ? best : -1;
}

struct dlit {
	const char	*p;
	size_t		 len;
	uint32_t	 pos;
};

/* Literals by their bytes, then by rule position. */
static int
dispatch_lit_cmp(const void *a, const void *b)
{
	const struct dlit *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c;

	if ((c = memcmp(x->p, y->p, n)) != 0)
		return c;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->pos < y->pos ? -1 : 1;
}

/*
 * The literal rules' database, one entry per distinct literal (10,000
 * rules may share a few); 0, or -1 when Vectorscan refuses them.
 */
static int
dispatch_compile(struct dispatch *d, const struct ruleset *rs,
    const struct source *src)
{
	hs_compile_error_t *err = NULL;
	struct dlit *l;
	const char **lits;
	unsigned *flags, *ids;
	size_t *lens, i, g;
	int rc = 0;

	l = xcalloc(d->nlit, sizeof(*l));
	for (i = 0; i < d->nlit; i++) {
		l[i].p = dispatch_literal(&rs->rules[src->rules[d->litpos[i]]],
		    &l[i].len);
		l[i].pos = d->litpos[i];
	}
	qsort(l, d->nlit, sizeof(*l), dispatch_lit_cmp);
	lits = xcalloc(d->nlit, sizeof(*lits));
	lens = xcalloc(d->nlit, sizeof(*lens));
	flags = xcalloc(d->nlit, sizeof(*flags));
	ids = xcalloc(d->nlit, sizeof(*ids));
	d->gpos = xcalloc(d->nlit, sizeof(*d->gpos));
	d->goff = xcalloc(d->nlit + 1, sizeof(*d->goff));
	for (i = 0, g = 0; i < d->nlit; i++) {
		if (i == 0 || l[i].len != l[i - 1].len ||
		    memcmp(l[i].p, l[i - 1].p, l[i].len) != 0) {
			lits[g] = l[i].p;
			lens[g] = l[i].len;
			flags[g] = HS_FLAG_SINGLEMATCH;
			ids[g] = (unsigned)g;
			d->goff[g++] = (uint32_t)i;
		}
		d->gpos[i] = l[i].pos;
	}
	d->ngroups = g;
	d->goff[g] = (uint32_t)d->nlit;
	if (hs_compile_lit_multi(lits, flags, ids, lens, (unsigned)g,
	    HS_MODE_BLOCK, NULL, &d->db, &err) != HS_SUCCESS) {
		hs_free_compile_error(err);
		d->db = NULL;
		rc = -1;
	}
	free(l);
	free(lits);
	free(lens);
	free(flags);
	free(ids);
	return rc;
}

struct dispatch *
dispatch_new(const struct ruleset *rs, size_t si)
{
	const struct source *src = &rs->sources[si];
	const struct rule *r;
	const struct cond *cd;
	struct dispatch *d;
	struct dslot *s;
	int best;
	size_t i, nkey = 0, nlit = 0, nslots, nkeyed = 0, len;
	uint32_t *fill;

	/* A rule first keyed on another field may be keyed on this too. */
	best = dispatch_best(rs, src);
	for (i = 0; i < src->nrules; i++) {
		r = &rs->rules[src->rules[i]];
		if (best >= 0 && dispatch_key(r, best) != NULL)
			nkey++;
		else if (dispatch_literal(r, &len) != NULL)
			nlit++;
	}
	if (nlit < DISPATCH_MINLIT)
		nlit = 0;
	if (nkey == 0 && nlit == 0)
		return NULL;

	d = xcalloc(1, sizeof(*d));
	d->field = best;
	for (nslots = 4; nslots < 2 * nkey; nslots *= 2)
		;
	d->slots = xcalloc(nslots, sizeof(*d->slots));
	d->mask = nslots - 1;
	d->pos = xcalloc(nkey + 1, sizeof(*d->pos));
	d->always = xcalloc(src->nrules + 1, sizeof(*d->always));
	d->litpos = xcalloc(nlit + 1, sizeof(*d->litpos));
	/* Count each value's rules, give each a run, then fill the runs. */
	for (i = 0; best >= 0 && i < src->nrules; i++) {
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
		r = &rs->rules[src->rules[i]];
		if (best >= 0 && (cd = dispatch_key(r, best)) != NULL) {
			s = dispatch_find(d, cd->str, cd->strlen);
			d->pos[s->off + fill[s - d->slots]++] = (uint32_t)i;
		} else if (nlit > 0 && dispatch_literal(r, &len) != NULL)
			d->litpos[d->nlit++] = (uint32_t)i;
		else
			d->always[d->nalways++] = (uint32_t)i;
	}
	free(fill);
	/* Refused: the literal rules are tried on every line, as others. */
	if (d->nlit > 0 && dispatch_compile(d, rs, src) == -1) {
		for (i = 0; i < d->nlit; i++)
			d->always[d->nalways++] = d->litpos[i];
		dispatch_sort(d->always, d->nalways);
		d->nlit = 0;
	}
	return d;
}

void
dispatch_free(struct dispatch *d)
{
	if (d == NULL)
		return;
	hs_free_database(d->db);
	free(d->litpos);
	free(d->gpos);
	free(d->goff);
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
	const struct dslot *s;

	*always = d->always;
	*nalways = d->nalways;
	if (d->field < 0) {
		*keyed = d->pos;
		*nkeyed = 0;
		return;
	}
	s = dispatch_find(d, v, len);
	*keyed = s->v != NULL ? d->pos + s->off : d->pos;
	*nkeyed = s->v != NULL ? s->n : 0;
	*always = d->always;
	*nalways = d->nalways;
}

struct dispatch_scratch *
dispatch_scratch_new(const struct dispatch *d)
{
	struct dispatch_scratch *sc;

	if (d == NULL || d->db == NULL)
		return NULL;
	sc = xcalloc(1, sizeof(*sc));
	sc->d = d;
	sc->pos = xcalloc(d->nlit, sizeof(*sc->pos));
	if (hs_alloc_scratch(d->db, &sc->hs) != HS_SUCCESS)
		sc->hs = NULL;		/* dispatch_scan() gives them all */
	return sc;
}

void
dispatch_scratch_free(struct dispatch_scratch *sc)
{
	if (sc == NULL)
		return;
	hs_free_scratch(sc->hs);
	free(sc->pos);
	free(sc);
}

static int
dispatch_hit(unsigned id, unsigned long long from, unsigned long long to,
    unsigned flags, void *ctx)
{
	struct dispatch_scratch *sc = ctx;
	const struct dispatch *d = sc->d;
	uint32_t i;

	(void)from;
	(void)to;
	(void)flags;
	for (i = d->goff[id]; i < d->goff[id + 1]; i++)
		sc->pos[sc->n++] = d->gpos[i];
	return 0;
}

size_t
dispatch_scan(struct dispatch_scratch *sc, const char *line, size_t len,
    const uint32_t **pos)
{
	const struct dispatch *d = sc->d;

	sc->n = 0;
	if (sc->hs == NULL || len > UINT_MAX ||
	    hs_scan(d->db, line, (unsigned)len, 0, sc->hs, dispatch_hit,
	    sc) != HS_SUCCESS) {
		*pos = d->litpos;	/* all of them, in order */
		return d->nlit;
	}
	dispatch_sort(sc->pos, sc->n);
	*pos = sc->pos;
	return sc->n;
}
