/*
 * fuzz_state: the --state loader on arbitrary bytes. state_load() reads
 * a path, so the input goes to a memfd (fuzz_memfile()). So that mutated
 * files get past the outer checks into the customers, the target fixes
 * up what a corrupted file would fail on at once and what is not the
 * point here: the length field (bytes 12-19) and the CRC (last 4 bytes)
 * are rewritten to fit, and the table is made with the configuration
 * and fingerprint the header names, when wtab accepts it.
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

/* The configuration the header names, if wtab_new() would take it. */
static int
st_config(const uint8_t *h, struct wtab_config *c)
{
	memset(c, 0, sizeof(*c));
	c->window = (int64_t)st_le(h + 28, 8);
	c->cooldown = (int64_t)st_le(h + 36, 8);
	c->threshold = st_le(h + 44, 8);
	c->channels = (unsigned)st_le(h + 52, 4);
	c->nchannels = (unsigned)st_le(h + 56, 4);
	c->nrules = (unsigned)st_le(h + 60, 4);
	c->evidence = (unsigned)st_le(h + 64, 4);
	c->max_customers = 4;
	if (c->window <= 0 || c->window > INT64_C(1) << 62 ||
	    c->cooldown < 0 || c->cooldown > INT64_C(1) << 62 ||
	    c->threshold < 1 || c->nchannels > 64 || c->channels > 64 ||
	    c->nrules > 65536 || c->evidence >= 65535)
		return -1;
	return 0;
}

static int
st_count_cb(void *arg, const struct wtab_saved *c)
{
	(void)c;
	++*(size_t *)arg;
	return 0;
}

/* Save t under dir/name; return the file's bytes (malloc'd). */
static uint8_t *
st_save(const struct wtab *t, const struct registry *reg, uint64_t fp,
    const char *name, size_t *len)
{
	char path[512], *cause = NULL;

	snprintf(path, sizeof(path), "%s/%s", fuzz_tmpdir(), name);
	if (state_save(path, t, reg, fp, &cause) == -1)
		fuzz_fail("state_save: %s", cause);
	return fuzz_slurp(path, 0, len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wtab_config cfg;
	struct wtab *t, *t2;
	struct registry *reg, *reg2;
	uint8_t *buf, *s1, *s2;
	uint64_t fp;
	size_t n = 0, l1, l2;
	char *cause = NULL, path[512];
	int r;

	state_selftest_loaded = 0;
	if (size < ST_HEAD + 4 || st_config(data, &cfg) == -1)
		return 0;
	if ((buf = malloc(size)) == NULL)
		return 0;
	memcpy(buf, data, size);
	st_put_le(buf + 12, size, 8);
	st_put_le(buf + size - 4, crc32(crc32(0, NULL, 0), buf,
	    (uInt)(size - 4)), 4);
	fp = st_le(buf + 20, 8);
	t = wtab_new(&cfg);
	reg = registry_new();
	r = state_load(fuzz_memfile(buf, size), t, reg, fp, &cause);
	free(buf);
	(void)wtab_each(t, st_count_cb, &n);
	if (r == -1 && (cause == NULL || n != 0 ||
	    wtab_latest(t) != INT64_MIN || registry_count(reg) != 0))
		fuzz_fail("refused, but %zu customers (%s)", n,
		    cause != NULL ? cause : "no cause");
	if (r == 1)
		fuzz_fail("a memfd that is not there");
	free(cause);
	if (r == 0) {
		state_selftest_loaded = 1;
		s1 = st_save(t, reg, fp, "a", &l1);
		t2 = wtab_new(&cfg);
		reg2 = registry_new();
		snprintf(path, sizeof(path), "%s/a", fuzz_tmpdir());
		cause = NULL;
		if (state_load(path, t2, reg2, fp, &cause) != 0)
			fuzz_fail("a saved state does not load: %s", cause);
		s2 = st_save(t2, reg2, fp, "b", &l2);
		if (l1 != l2 || memcmp(s1, s2, l1) != 0)
			fuzz_fail("saved, loaded and saved again: %zu and %zu "
			    "bytes differ", l1, l2);
		free(s1);
		free(s2);
		wtab_free(t2);
		registry_free(reg2);
	}
	wtab_free(t);
	registry_free(reg);
	return 0;
}

/* A state saved from a real table loads through the target's fix-ups. */
int
fuzz_selftest(void)
{
	static const struct wtab_config cfg = { 60000, 0, 5, 2, 2, 3, 2, 4 };
	struct wtab_event ev;
	struct walert a;
	struct wtab *t;
	uint8_t *buf;
	size_t len;
	int i;

	t = wtab_new(&cfg);
	memset(&ev, 0, sizeof(ev));
	for (i = 0; i < 3; i++) {
		ev.time = 1000 * i;
		ev.weight = 1;
		ev.channel = (unsigned)i % 2;
		ev.rule = (unsigned)i;
		ev.line = "line";
		ev.linelen = 4;
		(void)wtab_add(t, "C1", 2, &ev, &a);
	}
	buf = st_save(t, NULL, 42, "self", &len);
	wtab_free(t);
	buf[len - 1] ^= 0xff;	/* the target mends the CRC */
	LLVMFuzzerTestOneInput(buf, len);
	if (!state_selftest_loaded)
		fuzz_fail("a saved state was refused");
	free(buf);
	return 0;
}
