/*
 * fuzz_gzread: the gzip reader and the line reader on arbitrary bytes,
 * read twice: by gzread_new() in small uneven pieces and by
 * gzread_new_async() (its inflating thread) in big ones. Both must hand
 * out the same lines and end the same way (end, or the same error), and
 * the lines must keep the reader's promises (reader.h): no newline in a
 * line, none longer than max_line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "fuzz.h"
#include "gzread.h"
#include "reader.h"

#define GZ_MAXLINE	100

struct mem {
	const uint8_t	*p;
	size_t		 len, off, calls;
	int		 small;
};

struct run {
	uLong		 crc;		/* of the lines, with their lengths */
	uint64_t	 nlines, nlong;
	int		 rc;
	char		 err[200];
	int		 gzip;
};

static int	gz_selftest_gzip;

static ssize_t
gz_fill(void *ctx, char *buf, size_t len)
{
	static const size_t sizes[] = { 1, 2, 3, 511, 10, 4096 };
	struct mem *m = ctx;
	size_t n = m->small ? sizes[m->calls++ % 6] : len;

	if (n > len)
		n = len;
	if (n > m->len - m->off)
		n = m->len - m->off;
	memcpy(buf, m->p + m->off, n);
	m->off += n;
	return (ssize_t)n;
}

static void
gz_run(const uint8_t *data, size_t size, int async, struct run *out)
{
	struct mem m = { data, size, 0, 0, !async };
	struct gzread *gz;
	struct reader *r;
	const char *line, *why;
	uint64_t len64;
	size_t len;

	memset(out, 0, sizeof(*out));
	out->crc = crc32(0, NULL, 0);
	gz = async ? gzread_new_async(gz_fill, &m) : gzread_new(gz_fill, &m);
	r = reader_new(gzread_fill, gz, GZ_MAXLINE);
	while ((out->rc = reader_next(r, &line, &len)) == 1) {
		if (len > GZ_MAXLINE || memchr(line, '\n', len) != NULL)
			fuzz_fail("bad line of %zu bytes", len);
		len64 = len;
		out->crc = crc32(out->crc, (const Bytef *)&len64, 8);
		out->crc = crc32(out->crc, (const Bytef *)line, (uInt)len);
		out->nlines++;
	}
	if (out->rc == -1) {
		if ((why = gzread_error(gz)) == NULL)
			fuzz_fail("read error from memory");
		strncpy(out->err, why, sizeof(out->err) - 1);
	}
	if (reader_next(r, &line, &len) != out->rc)
		fuzz_fail("the end was not sticky");
	out->nlong = reader_nlong(r);
	out->gzip = gzread_is_gzip(gz);
	if (gzread_consumed(gz) > size)
		fuzz_fail("consumed %llu of %zu bytes",
		    (unsigned long long)gzread_consumed(gz), size);
	reader_free(r);
	gzread_free(gz);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct run a, b;

	gz_run(data, size, 0, &a);
	gz_run(data, size, 1, &b);
	if (a.nlines != b.nlines || a.crc != b.crc || a.nlong != b.nlong ||
	    a.rc != b.rc || strcmp(a.err, b.err) != 0 || a.gzip != b.gzip)
		fuzz_fail("gzread_new: %llu lines, %llu long, rc %d \"%s\"; "
		    "gzread_new_async: %llu lines, %llu long, rc %d \"%s\"",
		    (unsigned long long)a.nlines, (unsigned long long)a.nlong,
		    a.rc, a.err, (unsigned long long)b.nlines,
		    (unsigned long long)b.nlong, b.rc, b.err);
	gz_selftest_gzip = a.gzip;
	return 0;
}

/* The shipped gzip files are read as gzip, the same both ways. */
int
fuzz_selftest(void)
{
	static const char *files[] = { "htslib-bgziptest.txt.gz",
	    "pseudo-multimember-gzip.gz", "lnav-textfile_broken_gz.txt.gz" };
	char path[512];
	uint8_t *buf;
	size_t i, len;

	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/tests/data/gzip/%s",
		    FUZZ_TOP, files[i]);
		buf = fuzz_slurp(path, 0, &len);
		LLVMFuzzerTestOneInput(buf, len);
		if (!gz_selftest_gzip)
			fuzz_fail("%s not read as gzip", path);
		free(buf);
	}
	return 0;
}
