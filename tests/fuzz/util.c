/* fuzz: memfd paths, a temporary directory, failing. See fuzz.h. */
#define _GNU_SOURCE		/* memfd_create() */

#include <sys/mman.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

static char	fuzz_tmp[256];

const char *
fuzz_memfile(const uint8_t *data, size_t size)
{
	static char path[64];
	static int fd = -1;
	size_t off = 0;
	ssize_t n;

	if (fd == -1) {
		if ((fd = memfd_create("cxwatch-fuzz", MFD_CLOEXEC)) == -1)
			fuzz_fail("memfd_create failed");
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) == -1)
		fuzz_fail("ftruncate failed");
	while (off < size) {
		if ((n = pwrite(fd, data + off, size - off, (off_t)off)) <= 0)
			fuzz_fail("pwrite failed");
		off += (size_t)n;
	}
	return path;
}

static void
fuzz_tmpdir_rm(void)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fuzz_tmp);
	if (system(cmd) != 0)
		fprintf(stderr, "fuzz: cannot remove %s\n", fuzz_tmp);
}

const char *
fuzz_tmpdir(void)
{
	const char *t = getenv("TMPDIR");

	if (fuzz_tmp[0] != '\0')
		return fuzz_tmp;
	snprintf(fuzz_tmp, sizeof(fuzz_tmp), "%s/cxwatch-fuzz.XXXXXX",
	    t != NULL && *t != '\0' && strlen(t) < 200 ? t : "/tmp");
	if (mkdtemp(fuzz_tmp) == NULL)
		fuzz_fail("mkdtemp %s failed", fuzz_tmp);
	atexit(fuzz_tmpdir_rm);
	return fuzz_tmp;
}

uint8_t *
fuzz_slurp(const char *path, size_t pre, size_t *len)
{
	FILE *fp;
	uint8_t *buf = NULL;
	size_t cap = pre, n = pre, got;

	if ((fp = fopen(path, "rb")) == NULL)
		fuzz_fail("cannot open %s", path);
	do {
		if (cap - n < 65536 && (buf = realloc(buf,
		    cap = cap * 2 + 65536)) == NULL)
			fuzz_fail("out of memory");
		n += got = fread(buf + n, 1, cap - n, fp);
	} while (got > 0);
	if (ferror(fp))
		fuzz_fail("cannot read %s", path);
	fclose(fp);
	*len = n;
	return buf;
}

void
fuzz_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("fuzz: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}
