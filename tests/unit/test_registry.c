/*
 * test_registry: identifying files and deciding where a run starts on
 * each (cxwatch(1), "Inputs already read"), the bounds, and the registry
 * in the state file.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "registry.h"
#include "state.h"
#include "t.h"
#include "wtab.h"

static char test_dir[64];

static const char *
test_file(const char *name, const void *p, size_t len)
{
	static char path[8][128];
	static int k;
	char *s = path[k++ % 8];
	FILE *fp;

	snprintf(s, 128, "%s/%s", test_dir, name);
	fp = fopen(s, "wb");
	if (fp == NULL || fwrite(p, 1, len, fp) != len || fclose(fp) != 0)
		abort();
	return s;
}

/* gzip of p[0..len) into out (a member per piece of `split` bytes). */
static size_t
test_gzip(const char *p, size_t len, size_t split, unsigned char *out,
    size_t cap)
{
	size_t done = 0, n, off = 0;
	z_stream z;

	do {
		n = len - off < split ? len - off : split;
		memset(&z, 0, sizeof(z));
		if (deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8,
		    Z_DEFAULT_STRATEGY) != Z_OK)
			abort();
		z.next_in = (unsigned char *)p + off;
		z.avail_in = (uInt)n;
		z.next_out = out + done;
		z.avail_out = (uInt)(cap - done);
		if (deflate(&z, Z_FINISH) != Z_STREAM_END)
			abort();
		done = cap - z.avail_out;
		deflateEnd(&z);
		off += n;
	} while (off < len);
	return done;
}

static void
test_id(const char *path, struct registry_id *id)
{
	int fd = open(path, O_RDONLY);

	CHECK(fd != -1);
	CHECK_INT(registry_identify(fd, id), 0);
	CHECK_INT(lseek(fd, 0, SEEK_CUR), 0);	/* offset left alone */
	close(fd);
}

/* A log of n numbered lines, each 40 bytes. */
static char *
test_log(int n, size_t *len)
{
	char *p = malloc((size_t)n * 40 + 1);
	int i;

	for (i = 0; i < n; i++)
		snprintf(p + i * 40, 41, "2026-11-21T10:00:00Z web C%05d /x 502\n",
		    i % 100000);
	*len = (size_t)n * 40;
	return p;
}

static void
test_identify(void)
{
	unsigned char gz[1 << 16];
	struct registry_id a, g, m, s, e, d;
	size_t len, glen;
	char *log = test_log(100, &len);

	test_id(test_file("a", log, len), &a);
	CHECK_INT(a.size, 4000);
	CHECK_INT(a.gzip, 0);
	CHECK_INT(a.rawlen, REGISTRY_FPLEN);
	CHECK_INT(a.textlen, REGISTRY_FPLEN);
	CHECK(memcmp(a.textbuf, log, REGISTRY_FPLEN) == 0);
	/* gzip: the text is the inflated prefix, the identity its own. */
	glen = test_gzip(log, len, len, gz, sizeof(gz));
	test_id(test_file("a.gz", gz, glen), &g);
	CHECK_INT(g.gzip, 1);
	CHECK_INT(g.size, glen);
	CHECK_INT(g.textlen, REGISTRY_FPLEN);
	CHECK(memcmp(g.text, a.text, REGISTRY_DIGEST) == 0);
	CHECK(memcmp(g.raw, a.raw, REGISTRY_DIGEST) != 0);
	CHECK(registry_same_text(&a, &g));
	/* Members of 100 bytes: the text goes on across them. */
	glen = test_gzip(log, len, 100, gz, sizeof(gz));
	test_id(test_file("m.gz", gz, glen), &m);
	CHECK_INT(m.textlen, REGISTRY_FPLEN);
	CHECK(memcmp(m.text, a.text, REGISTRY_DIGEST) == 0);
	/* Cut off in the middle: as much text as inflates. */
	glen = test_gzip(log, len, len, gz, sizeof(gz));
	test_id(test_file("d.gz", gz, glen / 3), &d);
	CHECK(d.textlen < REGISTRY_FPLEN);
	CHECK(registry_same_text(&a, &d) == (d.textlen > 0));
	/* Short and empty files. */
	test_id(test_file("s", log, 50), &s);
	CHECK_INT(s.rawlen, 50);
	CHECK_INT(s.textlen, 50);
	CHECK(registry_same_text(&a, &s));
	test_id(test_file("e", "", 0), &e);
	CHECK_INT(e.rawlen, 0);
	CHECK(!registry_same_text(&a, &e));
	CHECK(!registry_same_text(&e, &e));
	log[10] = 'X';
	test_id(test_file("x", log, len), &s);
	CHECK(!registry_same_text(&a, &s));
	free(log);
}

static enum registry_verdict
test_look(const struct registry *r, const struct registry_id *id,
    uint64_t *off)
{
	uint64_t lines;
	const char *how = NULL;
	enum registry_verdict v;

	v = registry_lookup(r, id, off, &lines, &how);
	CHECK(how != NULL);
	CHECK(v == REGISTRY_NEW || lines == *off / 40);
	return v;
}

static void
test_lookup(void)
{
	unsigned char gz[1 << 16];
	struct registry *r = registry_new();
	struct registry_id a, a2, g, c, x;
	uint64_t off;
	size_t len, glen;
	char *log = test_log(200, &len);

	test_id(test_file("a", log, 4000), &a);
	CHECK(test_look(r, &a, &off) == REGISTRY_NEW);
	registry_record(r, &a, 4000, 100, 1);
	CHECK(test_look(r, &a, &off) == REGISTRY_DONE);
	CHECK_INT(off, 4000);
	/* Grown (the same inode, as after a rename): read on. */
	test_id(test_file("a", log, 6000), &a2);
	CHECK_INT(a2.ino, a.ino);
	CHECK(test_look(r, &a2, &off) == REGISTRY_RESUME);
	CHECK_INT(off, 4000);
	/* Truncated below what was read: from the start. */
	test_id(test_file("a", log, 2000), &x);
	CHECK(test_look(r, &x, &off) == REGISTRY_NEW);
	/* The same inode holding other lines: not the same file. */
	log[0] = '1';
	test_id(test_file("a", log, 4000), &x);
	log[0] = '2';
	CHECK(test_look(r, &x, &off) == REGISTRY_NEW);
	/* Its gzip, another inode: its text; read on after what was read. */
	glen = test_gzip(log, 5000, 5000, gz, sizeof(gz));
	test_id(test_file("a.gz", gz, glen), &g);
	CHECK(test_look(r, &g, &off) == REGISTRY_RESUME);
	CHECK_INT(off, 4000);
	/* Read to its end, the archive itself is then known. */
	registry_record(r, &g, 5000, 125, 1);
	CHECK(test_look(r, &g, &off) == REGISTRY_DONE);
	CHECK_INT(off, 5000);
	/* Not complete (damaged): read on, to find the damage again. */
	registry_record(r, &g, 4800, 120, 0);
	CHECK(test_look(r, &g, &off) == REGISTRY_RESUME);
	CHECK_INT(off, 4800);
	/* A plain copy of less than was read: nothing new in it. */
	test_id(test_file("c", log, 3000), &c);
	CHECK(test_look(r, &c, &off) == REGISTRY_DONE);
	/* A copy of more: read on after the furthest of the two. */
	test_id(test_file("c", log, 8000), &c);
	CHECK(test_look(r, &c, &off) == REGISTRY_RESUME);
	CHECK_INT(off, 4800);
	/* An entry read to 0 says nothing of a text. */
	registry_free(r);
	r = registry_new();
	registry_record(r, &a, 0, 0, 0);
	CHECK(test_look(r, &c, &off) == REGISTRY_NEW);
	/* Recording replaces what was known of the device and inode. */
	registry_record(r, &a, 4000, 100, 1);
	registry_record(r, &a2, 6000, 150, 1);
	CHECK_INT(registry_count(r), 1);
	CHECK_INT(registry_entry(r, 0)->offset, 6000);
	/* Seen at the run's log time, once the run ends; none: unchanged. */
	CHECK(registry_entry(r, 0)->seen == INT64_MIN);
	registry_seen(r, 1001);
	CHECK_INT(registry_entry(r, 0)->seen, 1001);
	registry_seen(r, 2002);
	CHECK_INT(registry_entry(r, 0)->seen, 1001);
	registry_record(r, &a2, 6000, 150, 1);
	registry_seen(r, INT64_MIN);
	CHECK_INT(registry_entry(r, 0)->seen, 1001);
	registry_free(r);
	free(log);
}

static void
test_expire(void)
{
	struct registry *r = registry_new();
	struct registry_id a;
	size_t i, len;
	char *log;

	log = test_log(2, &len);
	test_id(test_file("a", log, len), &a);
	/* By age, in log time: not seen for REGISTRY_MAXAGE. */
	a.ino = 1;
	registry_record(r, &a, 80, 2, 1);
	registry_seen(r, 100);
	a.ino = 2;
	registry_record(r, &a, 80, 2, 1);
	registry_seen(r, 101);
	a.ino = 3;
	registry_record(r, &a, 80, 2, 1);		/* never at a time */
	registry_seen(r, INT64_MIN);
	CHECK_INT(registry_expire(r, INT64_MIN), 0);	/* no time: no age */
	CHECK_INT(registry_expire(r, 100 + REGISTRY_MAXAGE), 1);
	CHECK_INT(registry_count(r), 2);
	CHECK_INT(registry_entry(r, 0)->ino, 2);
	CHECK_INT(registry_entry(r, 1)->ino, 3);
	registry_free(r);
	/* By count: the least recently seen go first. */
	r = registry_new();
	for (i = 0; i < REGISTRY_MAXENTRIES + 5; i++) {
		a.ino = 1000 + i;
		registry_record(r, &a, 80, 2, 1);
		registry_seen(r, (int64_t)(2000000 + i));
	}
	CHECK_INT(registry_count(r), REGISTRY_MAXENTRIES + 5);
	CHECK_INT(registry_expire(r, INT64_MIN), 5);
	CHECK_INT(registry_count(r), REGISTRY_MAXENTRIES);
	for (i = 0; i < registry_count(r); i++)
		CHECK(registry_entry(r, i)->ino >= 1005);
	registry_free(r);
	free(log);
}

static void
test_restore(void)
{
	static const struct {
		int		 field;
		uint64_t	 val;
		const char	*why;
	} cases[] = {
		{ 0, REGISTRY_FPLEN + 1, "fingerprint length out of range" },
		{ 1, REGISTRY_FPLEN + 1, "fingerprint length out of range" },
		{ 2, 10, "fingerprint longer than the file" },
		{ 3, 5000, "offset or text out of range for a plain file" },
		{ 4, 4001, "more lines than bytes" },
		{ 5, 2, "bad gzip flag" },
		{ 6, 2, "bad completion flag" },
	};
	struct registry_entry good, e;
	struct registry *r = registry_new();
	const char *why;
	size_t i;

	memset(&good, 0, sizeof(good));
	good.dev = 1, good.ino = 2, good.size = 4000, good.rawlen = 1024;
	good.textlen = 1024, good.offset = 4000, good.lines = 100;
	good.complete = 1, good.seen = 5;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		e = good;
		switch (cases[i].field) {
		case 0: e.rawlen = (uint32_t)cases[i].val; break;
		case 1: e.textlen = (uint32_t)cases[i].val; break;
		case 2: e.size = cases[i].val; break;
		case 3: e.offset = cases[i].val; break;
		case 4: e.lines = cases[i].val; break;
		case 5: e.gzip = (int)cases[i].val; break;
		case 6: e.complete = (int)cases[i].val; break;
		}
		why = NULL;
		CHECK_INT(registry_restore(r, &e, &why), -1);
		CHECK_STR(why, cases[i].why);
	}
	CHECK_INT(registry_count(r), 0);
	CHECK_INT(registry_restore(r, &good, &why), 0);
	CHECK_INT(registry_restore(r, &good, &why), -1);
	CHECK_STR(why, "two entries for one file");
	/* gzip: the offset is in the text, past the file's size. */
	e = good;
	e.ino = 3, e.gzip = 1, e.size = 100, e.rawlen = 100, e.textlen = 1024;
	CHECK_INT(registry_restore(r, &e, &why), 0);
	CHECK_INT(registry_count(r), 2);
	registry_free(r);
}

/* The registry travels in the state file, and back, entry for entry. */
static void
test_state_roundtrip(void)
{
	struct wtab_config cfg;
	struct registry *r = registry_new(), *r2 = registry_new();
	struct registry_id a;
	struct wtab *t;
	char path[128], *cause = NULL, *log;
	size_t i, len;

	memset(&cfg, 0, sizeof(cfg));
	cfg.window = 60000, cfg.threshold = 5, cfg.nchannels = 1;
	cfg.nrules = 1, cfg.max_customers = 10;
	t = wtab_new(&cfg);
	log = test_log(10, &len);
	test_id(test_file("a", log, len), &a);
	for (i = 0; i < 3; i++) {
		a.ino = 50 + i;
		registry_record(r, &a, 40 * i, i, (int)(i & 1));
		registry_seen(r, 7 + (int64_t)i);
	}
	snprintf(path, sizeof(path), "%s/state", test_dir);
	CHECK_INT(state_save(path, &(struct state_table){ "default", t }, 1, r,
	    99, &cause), 0);
	CHECK_INT(state_load(path, &(struct state_table){ "default", t }, 1,
	    r2, 99, &cause), 0);
	CHECK_INT(registry_count(r2), 3);
	for (i = 0; i < 3 && registry_count(r2) == 3; i++)
		CHECK(memcmp(registry_entry(r, i), registry_entry(r2, i),
		    sizeof(struct registry_entry)) == 0);
	/* A refused state leaves the caller's registry as it was. */
	CHECK_INT(state_load(path, &(struct state_table){ "default", t }, 1,
	    r2, 98, &cause), -1);
	free(cause);
	CHECK_INT(registry_count(r2), 3);
	unlink(path);
	wtab_free(t);
	registry_free(r);
	registry_free(r2);
	free(log);
}

int
main(void)
{
	static const char *const names[] = { "a", "a.gz", "m.gz", "d.gz", "s",
	    "e", "x", "c" };
	char path[128];
	size_t i;

	snprintf(test_dir, sizeof(test_dir), "/tmp/test_registry.XXXXXX");
	if (mkdtemp(test_dir) == NULL) {
		perror("mkdtemp");
		return 2;
	}
	test_identify();
	test_lookup();
	test_expire();
	test_restore();
	test_state_roundtrip();
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", test_dir, names[i]);
		unlink(path);
	}
	rmdir(test_dir);
	T_DONE();
}
