/*
 * fuzz_state: the --state loader on arbitrary bytes. state_load() reads
 * a path, so the input goes to a memfd (fuzz_memfile()). So that mutated
 * files get past the outer checks into the customers, the target fixes
 * up what a corrupted file would fail on at once and what is not the
 * point here: the length field (bytes 12-19) and the CRC (last 4 bytes)
 * are rewritten to fit, and the tables (up to 4) are made with the names
 * and configurations the header gives, when wtab accepts them.
 *
 * Checked: a refused file leaves the table as it was (empty) and says
 * why; a loaded table saves, and the saved file loads again and saves
 * to the same bytes (load and save are each other's inverse).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "fuzz.h"
#include "registry.h"
#include "state.h"
#include "wtab.h"

#define ST_HEAD		84
#define ST_MAXTABS	4	/* tables a fuzzed file may have */
#define ST_NAMEMAX	32

static int	state_selftest_loaded;

static uint64_t
st_le(const uint8_t *p, size_t n)
{
	uint64_t v = 0;

	while (n-- > 0)
		v = v << 8 | p[n];
	return v;
}

static void
st_put_le(uint8_t *p, uint64_t v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* The tables a header names, if wtab_new() would take them. */
struct st_tabs {
	struct wtab_config	 cfg[ST_MAXTABS];
	char			 name[ST_MAXTABS][ST_NAMEMAX + 1];
	size_t			 n;
};

/* One table's settings at h (window, cooldown, threshold, channels). */
static int
st_settings(const uint8_t *h, struct wtab_config *c)
{
	c->window = (int64_t)st_le(h, 8);
	c->cooldown = (int64_t)st_le(h + 8, 8);
	c->threshold = st_le(h + 16, 8);
	c->channels = (unsigned)st_le(h + 24, 4);
	c->max_customers = 4;
	return c->window <= 0 || c->window > INT64_C(1) << 62 ||
	    c->cooldown < 0 || c->cooldown > INT64_C(1) << 62 ||
	    c->threshold < 1 || c->channels > 64 ? -1 : 0;
}

/*
 * Format 4: nchannels, nrules, evidence at 28, the tables from 52;
 * formats 1 to 3: one table, "default", its settings at 28.
 */
static int
st_config(const uint8_t *h, size_t size, struct st_tabs *tt)
{
	struct wtab_config base;
	size_t i, off, len;

	memset(tt, 0, sizeof(*tt));
	memset(&base, 0, sizeof(base));
	if (st_le(h + 8, 4) < 4) {
		if (st_settings(h + 28, &base) == -1)
			return -1;
		base.nchannels = (unsigned)st_le(h + 56, 4);
		base.nrules = (unsigned)st_le(h + 60, 4);
		base.evidence = (unsigned)st_le(h + 64, 4);
		tt->cfg[0] = base;
		strcpy(tt->name[0], "default");
		tt->n = 1;
	} else {
		base.nchannels = (unsigned)st_le(h + 28, 4);
		base.nrules = (unsigned)st_le(h + 32, 4);
		base.evidence = (unsigned)st_le(h + 36, 4);
		tt->n = (size_t)st_le(h + 48, 4);
		if (tt->n < 1 || tt->n > ST_MAXTABS)
			return -1;
		for (i = 0, off = 52; i < tt->n; i++) {
			if (off + 2 > size)
				return -1;
			len = (size_t)st_le(h + off, 2);
			if (len > ST_NAMEMAX || off + 2 + len + 36 > size)
				return -1;
			memcpy(tt->name[i], h + off + 2, len);
			tt->name[i][len] = '\0';
			tt->cfg[i] = base;
			if (st_settings(h + off + 2 + len, &tt->cfg[i]) == -1)
				return -1;
			off += 2 + len + 36;
		}
	}
	if (base.nchannels > 64 || base.nrules > 65536 ||
	    base.evidence >= 65535)
		return -1;
	for (i = 0; i < tt->n; i++) {
		tt->cfg[i].nchannels = base.nchannels;
		tt->cfg[i].nrules = base.nrules;
		tt->cfg[i].evidence = base.evidence;
	}
	return 0;
}

static int
st_count_cb(void *arg, const struct wtab_saved *c)
{
	(void)c;
	++*(size_t *)arg;
	return 0;
}

/* Fresh tables for tt; tabs[i].wt to be freed by st_free(). */
static void
st_tables(const struct st_tabs *tt, struct state_table *tabs)
{
	size_t i;

	for (i = 0; i < tt->n; i++) {
		tabs[i].name = tt->name[i];
		tabs[i].wt = wtab_new(&tt->cfg[i]);
	}
}

static void
st_free(struct state_table *tabs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		wtab_free(tabs[i].wt);
}

/* Save the tables under dir/name; return the file's bytes (malloc'd). */
static uint8_t *
st_save(const struct state_table *tabs, size_t n, const struct registry *reg,
    uint64_t fp, const char *name, size_t *len)
{
	char path[512], *cause = NULL;

	snprintf(path, sizeof(path), "%s/%s", fuzz_tmpdir(), name);
	if (state_save(path, tabs, n, reg, fp, &cause) == -1)
		fuzz_fail("state_save: %s", cause);
	return fuzz_slurp(path, 0, len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct state_table tabs[ST_MAXTABS], tabs2[ST_MAXTABS];
	struct st_tabs tt;
	struct registry *reg, *reg2;
	uint8_t *buf, *s1, *s2;
	uint64_t fp;
	size_t n = 0, l1, l2, i;
	char *cause = NULL, path[512];
	int r, latest = 0;

	state_selftest_loaded = 0;
	if (size < ST_HEAD + 4 || st_config(data, size, &tt) == -1)
		return 0;
	if ((buf = malloc(size)) == NULL)
		return 0;
	memcpy(buf, data, size);
	st_put_le(buf + 12, size, 8);
	st_put_le(buf + size - 4, crc32(crc32(0, NULL, 0), buf,
	    (uInt)(size - 4)), 4);
	fp = st_le(buf + 20, 8);
	st_tables(&tt, tabs);
	reg = registry_new();
	r = state_load(fuzz_memfile(buf, size), tabs, tt.n, reg, fp, &cause);
	free(buf);
	for (i = 0; i < tt.n; i++) {
		(void)wtab_each(tabs[i].wt, st_count_cb, &n);
		latest |= wtab_latest(tabs[i].wt) != INT64_MIN;
	}
	if (r == -1 && (cause == NULL || n != 0 || latest ||
	    registry_count(reg) != 0))
		fuzz_fail("refused, but %zu customers (%s)", n,
		    cause != NULL ? cause : "no cause");
	if (r == 1)
		fuzz_fail("a memfd that is not there");
	free(cause);
	if (r == 0) {
		state_selftest_loaded = 1;
		s1 = st_save(tabs, tt.n, reg, fp, "a", &l1);
		st_tables(&tt, tabs2);
		reg2 = registry_new();
		snprintf(path, sizeof(path), "%s/a", fuzz_tmpdir());
		cause = NULL;
		if (state_load(path, tabs2, tt.n, reg2, fp, &cause) != 0)
			fuzz_fail("a saved state does not load: %s", cause);
		s2 = st_save(tabs2, tt.n, reg2, fp, "b", &l2);
		if (l1 != l2 || memcmp(s1, s2, l1) != 0)
			fuzz_fail("saved, loaded and saved again: %zu and %zu "
			    "bytes differ", l1, l2);
		free(s1);
		free(s2);
		st_free(tabs2, tt.n);
		registry_free(reg2);
	}
	st_free(tabs, tt.n);
	registry_free(reg);
	return 0;
}

/*
 * States saved from real tables, one and two, a customer forgiven in
 * one, load through the target's fix-ups.
 */
int
fuzz_selftest(void)
{
	static const struct wtab_config cfg = {
	    60000, 0, 5, 2, 2, 3, 2, 4, NULL };
	struct state_table tabs[2];
	struct wtab_event ev;
	struct walert a;
	uint8_t *buf;
	size_t len, n;
	int i;

	tabs[0] = (struct state_table){ "default", wtab_new(&cfg) };
	tabs[1] = (struct state_table){ "fast", wtab_new(&cfg) };
	memset(&ev, 0, sizeof(ev));
	for (i = 0; i < 3; i++) {
		ev.time = 1000 * i;
		ev.weight = 1;
		ev.channel = (unsigned)i % 2;
		ev.rule = (unsigned)i;
		ev.line = "line";
		ev.linelen = 4;
		(void)wtab_add(tabs[0].wt, "C1", 2, &ev, &a);
		(void)wtab_add(tabs[1].wt, "C1", 2, &ev, &a);
	}
	(void)wtab_forgive(tabs[1].wt, "C1", 2, 1500);
	for (n = 1; n <= 2; n++) {
		buf = st_save(tabs, n, NULL, 42, "self", &len);
		buf[len - 1] ^= 0xff;	/* the target mends the CRC */
		LLVMFuzzerTestOneInput(buf, len);
		if (!state_selftest_loaded)
			fuzz_fail("a saved state of %zu tables was refused", n);
		free(buf);
	}
	st_free(tabs, 2);
	return 0;
}
