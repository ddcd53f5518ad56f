/*
 * test_afile: atomic replacement (afile.h). A committed file is whole
 * and in place, through symbolic links, with the mode asked for or the
 * old file's; a write error or an abort leaves the old file as it was
 * and no temporary; afile_clean() removes only what afile_open() would
 * have left; a loop of links is an error, a dangling link is followed.
 * Also regfile.h: a FIFO is refused at once, named for what it is.
 */
#include <sys/resource.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "t.h"
#include "afile.h"
#include "regfile.h"

static char test_dir[64];

/* name in the test directory; each call has its own buffer (8 kept). */
static const char *
test_path(const char *name)
{
	static char path[8][160];
	static int next;
	char *p = path[next++ % 8];

	snprintf(p, sizeof(path[0]), "%s/%s", test_dir, name);
	return p;
}

static void
test_put(const char *path, const char *s)
{
	FILE *fp = fopen(path, "w");

	if (fp == NULL || fputs(s, fp) == EOF || fclose(fp) == EOF)
		abort();
}

/* The file's bytes, or "(none)". */
static const char *
test_get(const char *path)
{
	static char buf[256];
	FILE *fp = fopen(path, "r");
	size_t n;

	if (fp == NULL)
		return "(none)";
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

/* Names in the test directory other than keep (a space-separated list). */
static int
test_strays(const char *keep)
{
	char word[sizeof(((struct dirent *)0)->d_name) + 2];
	struct dirent *de;
	DIR *d = opendir(test_dir);
	int n = 0;

	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		snprintf(word, sizeof(word), " %s ", de->d_name);
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0 ||
		    strstr(keep, word) != NULL)
			continue;
		fprintf(stderr, "stray file %s/%s\n", test_dir, de->d_name);
		n++;
	}
	closedir(d);
	return n;
}

static int
test_write(const char *path, const char *what, int mode, const char *s,
    char **cause)
{
	struct afile *af;
	size_t len = strlen(s);

	*cause = NULL;
	if ((af = afile_open(path, what, mode, cause)) == NULL)
		return -1;
	if (write(afile_fd(af), s, len) != (ssize_t)len)
		abort();
	return afile_commit(af, 0, cause);
}

static int
test_has(const char *cause, const char *want)
{
	if (cause != NULL && strstr(cause, want) != NULL)
		return 1;
	fprintf(stderr, "cause \"%s\" lacks \"%s\"\n",
	    cause ? cause : "(null)", want);
	return 0;
}

static void
test_commit(void)
{
	const char *p = test_path("a");
	struct stat st;
	char *cause;

	CHECK_INT(test_write(p, "state", 0600, "one\n", &cause), 0);
	CHECK(cause == NULL);
	CHECK_STR(test_get(p), "one\n");
	CHECK(stat(p, &st) == 0 && (st.st_mode & 07777) == 0600);
	CHECK_INT(test_write(p, "state", 0600, "two\n", &cause), 0);
	CHECK_STR(test_get(p), "two\n");
	CHECK_INT(test_strays(" a "), 0);
	unlink(p);
}

/* AFILE_MODE_OPEN: as open(2) would make it, or as the file was. */
static void
test_mode(void)
{
	const char *p = test_path("m");
	struct stat st;
	mode_t old = umask(022);
	char *cause;

	CHECK_INT(test_write(p, "report", AFILE_MODE_OPEN, "x", &cause), 0);
	CHECK(stat(p, &st) == 0 && (st.st_mode & 07777) == 0644);
	CHECK(chmod(p, 0640) == 0);
	CHECK_INT(test_write(p, "report", AFILE_MODE_OPEN, "y", &cause), 0);
	CHECK(stat(p, &st) == 0 && (st.st_mode & 07777) == 0640);
	CHECK_STR(test_get(p), "y");
	umask(old);
	unlink(p);
}

/* A write error or an abort: the old file stays, no temporary. */
static void
test_fail(void)
{
	const char *p = test_path("f");
	struct afile *af;
	char *cause = NULL;

	test_put(p, "old\n");
	CHECK((af = afile_open(p, "state", 0600, &cause)) != NULL);
	CHECK(af != NULL && strncmp(afile_tmpname(af), p, strlen(p)) == 0);
	CHECK(af != NULL && strncmp(afile_tmpname(af) + strlen(p), ".tmp-",
	    5) == 0);
	if (af != NULL && write(afile_fd(af), "new", 3) != 3)
		abort();
	CHECK_INT(afile_commit(af, ENOSPC, &cause), -1);
	CHECK(test_has(cause, ": cannot save state: writing "));
	CHECK(test_has(cause, "No space left on device; the previous state "
	    "is kept; free some space and run again"));
	free(cause);
	CHECK_STR(test_get(p), "old\n");
	CHECK_INT(test_strays(" f "), 0);

	CHECK((af = afile_open(p, "state", 0600, &cause)) != NULL);
	afile_abort(af);
	afile_abort(NULL);
	CHECK_STR(test_get(p), "old\n");
	CHECK_INT(test_strays(" f "), 0);

	CHECK(afile_open("/nonexistent.cxw/r", "report", AFILE_MODE_OPEN,
	    &cause) == NULL);
	CHECK(test_has(cause, "/nonexistent.cxw/r: cannot save report: cannot "
	    "create a temporary file beside it: No such file or directory"));
	free(cause);
	unlink(p);
}

/* A file size limit fails the write (EFBIG), which the caller passes. */
static void
test_fsize(void)
{
	const char *p = test_path("big");
	struct rlimit old, rl;
	struct afile *af;
	char buf[4096], *cause = NULL;
	int err = 0;
	size_t i;

	test_put(p, "old\n");
	memset(buf, 'x', sizeof(buf));
	signal(SIGXFSZ, SIG_IGN);
	CHECK(getrlimit(RLIMIT_FSIZE, &old) == 0);
	rl = old;
	rl.rlim_cur = 1024;
	CHECK(setrlimit(RLIMIT_FSIZE, &rl) == 0);
	CHECK((af = afile_open(p, "report", AFILE_MODE_OPEN, &cause)) != NULL);
	for (i = 0; af != NULL && i < 4 && err == 0; i++)
		if (write(afile_fd(af), buf, sizeof(buf)) == -1)
			err = errno;
	CHECK_INT(err, EFBIG);
	CHECK_INT(afile_commit(af, err, &cause), -1);
	CHECK(test_has(cause, "File too large; the previous report is kept; "
	    "raise the file size limit (ulimit -f) and run again"));
	free(cause);
	CHECK(setrlimit(RLIMIT_FSIZE, &old) == 0);
	CHECK_STR(test_get(p), "old\n");
	CHECK_INT(test_strays(" big "), 0);
	unlink(p);
}

/* Links are written through, relative to the link's directory. */
static void
test_links(void)
{
	char sub[96], *cause = NULL, *r;
	const char *l1 = test_path("l1"), *l2 = test_path("l2");
	const char *t = test_path("sub/target");
	struct stat st;

	snprintf(sub, sizeof(sub), "%s/sub", test_dir);
	CHECK(mkdir(sub, 0755) == 0);
	/* l2 -> l1 -> sub/target, which does not exist yet. */
	CHECK(symlink("sub/target", l1) == 0);
	CHECK(symlink("l1", l2) == 0);
	r = afile_resolve(l2, &cause);
	CHECK_STR(r, t);
	free(r);
	CHECK_INT(test_write(l2, "state", 0600, "through\n", &cause), 0);
	CHECK(lstat(l2, &st) == 0 && S_ISLNK(st.st_mode));
	CHECK(lstat(l1, &st) == 0 && S_ISLNK(st.st_mode));
	CHECK(lstat(t, &st) == 0 && S_ISREG(st.st_mode));
	CHECK_STR(test_get(t), "through\n");
	CHECK_INT(test_write(l2, "state", 0600, "again\n", &cause), 0);
	CHECK_STR(test_get(l2), "again\n");
	CHECK_INT(test_strays(" l1 l2 sub "), 0);
	/* An absolute link, and a plain path, resolve as they should. */
	unlink(l1);
	CHECK(symlink(t, l1) == 0);
	r = afile_resolve(l2, &cause);
	CHECK_STR(r, t);
	free(r);
	r = afile_resolve(t, &cause);
	CHECK_STR(r, t);
	free(r);
	/* A loop. */
	unlink(l1);
	CHECK(symlink("l2", l1) == 0);
	CHECK(afile_resolve(l1, &cause) == NULL);
	CHECK(test_has(cause, "l1: too many levels of symbolic links"));
	free(cause);
	CHECK(afile_open(l1, "state", 0600, &cause) == NULL);
	free(cause);
	unlink(l1);
	unlink(l2);
	unlink(t);
	rmdir(sub);
}

static int
test_ours(int fd)
{
	char c;

	return read(fd, &c, 1) == 1 && c == 'S';
}

/* Only PATH.tmp- and six letters or digits, regular, and ours(). */
static void
test_clean(void)
{
	static const char *names[] = {
		"s.tmp-Abc123",	/* removed */
		"s.tmp-ZZZZZZ",	/* removed */
		"s.tmp-abc12",	/* too short */
		"s.tmp-abc1234",	/* too long */
		"s.tmp-abc_12",	/* not a letter or digit */
		"s.tmp-Other1",	/* ours() says no */
		"t.tmp-Abc123",	/* another file's */
		"s.backup",
		"s",
	};
	const char *keep = " s.tmp-abc12 s.tmp-abc1234 s.tmp-abc_12 "
	    "s.tmp-Other1 t.tmp-Abc123 s.backup s s.tmp-Link12 s.tmp-Dir123 ";
	char *cause = NULL;
	size_t i, n = 99;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		test_put(test_path(names[i]), strcmp(names[i],
		    "s.tmp-Other1") == 0 ? "other" : "STATE");
	/* A link to one of ours and a directory are never touched. */
	CHECK(symlink("s.tmp-Abc123", test_path("s.tmp-Link12")) == 0);
	CHECK(mkdir(test_path("s.tmp-Dir123"), 0755) == 0);
	CHECK_INT(afile_clean(test_path("s"), test_ours, &n, &cause), 0);
	CHECK_INT(n, 2);
	CHECK_INT(test_strays(keep), 0);
	for (i = 2; i < sizeof(names) / sizeof(names[0]); i++)
		unlink(test_path(names[i]));
	unlink(test_path("s.tmp-Link12"));
	rmdir(test_path("s.tmp-Dir123"));
	CHECK_INT(afile_clean("/nonexistent.cxw/s", test_ours, &n, &cause), -1);
	CHECK(test_has(cause, "/nonexistent.cxw/s: cannot look for temporary "
	    "files"));
	free(cause);
}

/* A FIFO with no writer is refused at once, and named. */
static void
test_regfile(void)
{
	const char *p = test_path("fifo"), *kind;
	struct stat st;
	int fd;

	CHECK(mkfifo(p, 0600) == 0);
	CHECK_INT(regfile_open(p, &st, &kind), -1);
	CHECK_STR(kind, "a FIFO");
	unlink(p);
	CHECK_INT(regfile_open("/dev/zero", &st, &kind), -1);
	CHECK_STR(kind, "a character device");
	CHECK_INT(regfile_open(test_dir, &st, &kind), -1);
	CHECK_STR(kind, "a directory");
	CHECK_INT(regfile_open(p, &st, &kind), -1);
	CHECK(kind == NULL && errno == ENOENT);
	test_put(p, "x");
	CHECK((fd = regfile_open(p, &st, &kind)) >= 0 && kind == NULL);
	CHECK(S_ISREG(st.st_mode) && st.st_size == 1);
	if (fd >= 0)
		close(fd);
	unlink(p);
}

int
main(void)
{
	snprintf(test_dir, sizeof(test_dir), "%s/test_afile.XXXXXX",
	    getenv("TMPDIR") != NULL && strlen(getenv("TMPDIR")) < 32 ?
	    getenv("TMPDIR") : "/tmp");
	if (mkdtemp(test_dir) == NULL) {
		perror("mkdtemp");
		return 2;
	}
	test_commit();
	test_mode();
	test_fail();
	test_fsize();
	test_links();
	test_clean();
	test_regfile();
	CHECK_INT(test_strays(""), 0);
	rmdir(test_dir);
	T_DONE();
}
