/*
 * afile: atomic replacement of a file. See afile.h.
 *
 * The temporary is made with open(O_CREAT | O_EXCL) under a name of our
 * own rather than with mkstemp(3), so that the kernel applies the umask
 * to AFILE_MODE_OPEN's 0666 as it would for a plain open(2), and so that
 * afile_clean() can tell our leftovers by their name: PATH.tmp- and six
 * letters or digits.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "afile.h"
#include "xmalloc.h"

#define AFILE_TAG	".tmp-"
#define AFILE_NRAND	6
#define AFILE_TRIES	100
#define AFILE_MAXLINKS	40

struct afile {
	char		*name;		/* as the caller gave it, for messages */
	char		*path;		/* its target */
	char		*tmp;
	char		*what;
	int		 fd;
};

static const char afile_chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/* The directory part of path: "." when it has none. */
static char *
afile_dir(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return xstrdup(".");
	return xstrndup(path, slash == path ? 1 : (size_t)(slash - path));
}

char *
afile_resolve(const char *path, char **cause)
{
	char *p = xstrdup(path), *link, *dir, *next;
	struct stat st;
	ssize_t n;
	size_t cap;
	int hops;

	for (hops = 0; lstat(p, &st) == 0 && S_ISLNK(st.st_mode); hops++) {
		if (hops == AFILE_MAXLINKS) {
			*cause = xasprintf("%s: too many levels of symbolic "
			    "links", path);
			free(p);
			return NULL;
		}
		cap = st.st_size > 0 ? (size_t)st.st_size + 1 : 256;
		for (;;) {
			link = xmalloc(cap);
			if ((n = readlink(p, link, cap)) == -1 ||
			    (size_t)n < cap)
				break;
			free(link);
			cap *= 2;
		}
		if (n == -1) {
			*cause = xasprintf("%s: cannot read the symbolic link "
			    "%s: %s", path, p, strerror(errno));
			free(link);
			free(p);
			return NULL;
		}
		link[n] = '\0';
		if (link[0] == '/')
			next = xstrdup(link);
		else {
			dir = afile_dir(p);
			next = xasprintf("%s/%s", dir, link);
			free(dir);
		}
		free(link);
		free(p);
		p = next;
	}
	/* Not a link, absent, or unreachable: what uses it will say. */
	return p;
}

/* Six letters or digits that differ from call to call and run to run. */
static void
afile_rand(char *out)
{
	static uint64_t counter;
	struct timespec ts;
	uint64_t x;
	int i;

	clock_gettime(CLOCK_REALTIME, &ts);
	x = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 30) ^
	    ((uint64_t)getpid() << 16) ^ (++counter * UINT64_C(0x9e3779b97f4a7c15));
	for (i = 0; i < AFILE_NRAND; i++) {
		x ^= x >> 33;
		x *= UINT64_C(0xff51afd7ed558ccd);
		x ^= x >> 29;
		out[i] = afile_chars[x % (sizeof(afile_chars) - 1)];
	}
	out[AFILE_NRAND] = '\0';
}

struct afile *
afile_open(const char *path, const char *what, int mode, char **cause)
{
	struct afile *af;
	struct stat st;
	char rnd[AFILE_NRAND + 1];
	char *target;
	int tries, err;

	if ((target = afile_resolve(path, cause)) == NULL)
		return NULL;
	af = xcalloc(1, sizeof(*af));
	af->name = xstrdup(path);
	af->path = target;
	af->what = xstrdup(what);
	af->fd = -1;
	for (tries = 0; tries < AFILE_TRIES && af->fd == -1; tries++) {
		afile_rand(rnd);
		free(af->tmp);
		af->tmp = xasprintf("%s" AFILE_TAG "%s", target, rnd);
		af->fd = open(af->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
		    mode == AFILE_MODE_OPEN ? 0666 : mode);
		if (af->fd == -1 && errno != EEXIST)
			break;
	}
	if (af->fd == -1) {
		err = errno;
		*cause = xasprintf("%s: cannot save %s: cannot create a "
		    "temporary file beside it: %s; check that its directory "
		    "exists and is writable", path, what, strerror(err));
		free(af->tmp);
		af->tmp = NULL;
		afile_abort(af);
		return NULL;
	}
	/* Replacing a file keeps its permissions, as an edit in place would. */
	if (mode == AFILE_MODE_OPEN && stat(target, &st) == 0 &&
	    S_ISREG(st.st_mode))
		(void)fchmod(af->fd, st.st_mode & 07777);
	return af;
}

int
afile_fd(const struct afile *af)
{
	return af->fd;
}

const char *
afile_tmpname(const struct afile *af)
{
	return af->tmp;
}

static const char *
afile_hint(int err)
{
	switch (err) {
	case ENOSPC:
#ifdef EDQUOT
	case EDQUOT:
#endif
		return "free some space and run again";
	case EFBIG:
		return "raise the file size limit (ulimit -f) and run again";
	default:
		return "check the disk and run again";
	}
}

/*
 * Make the rename durable; file systems that cannot sync a directory
 * say EINVAL, and there is nothing more to do on them.
 */
static int
afile_sync_dir(const struct afile *af, char **cause)
{
	char *dir = afile_dir(af->path);
	int fd, err = 0;

	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd == -1 || (fsync(fd) == -1 && errno != EINVAL))
		err = errno;
	if (fd != -1)
		close(fd);
	free(dir);
	if (err == 0)
		return 0;
	*cause = xasprintf("%s: %s saved, but syncing its directory failed: "
	    "%s; a crash now could lose it", af->name, af->what,
	    strerror(err));
	return -1;
}

int
afile_commit(struct afile *af, int err, char **cause)
{
	int r = -1;

	if (err == 0 && fsync(af->fd) == -1)
		err = errno;
	if (close(af->fd) == -1 && err == 0)
		err = errno;
	af->fd = -1;
	if (err != 0) {
		*cause = xasprintf("%s: cannot save %s: writing %s: %s; the "
		    "previous %s is kept; %s", af->name, af->what, af->tmp,
		    strerror(err), af->what, afile_hint(err));
		afile_abort(af);
		return -1;
	}
	if (rename(af->tmp, af->path) == -1) {
		*cause = xasprintf("%s: cannot save %s: renaming %s over it: "
		    "%s; the previous %s is kept", af->name, af->what, af->tmp,
		    strerror(errno), af->what);
		afile_abort(af);
		return -1;
	}
	free(af->tmp);
	af->tmp = NULL;
	r = afile_sync_dir(af, cause);
	afile_abort(af);
	return r;
}

void
afile_abort(struct afile *af)
{
	if (af == NULL)
		return;
	if (af->fd != -1)
		close(af->fd);
	if (af->tmp != NULL)
		(void)unlink(af->tmp);
	free(af->tmp);
	free(af->path);
	free(af->name);
	free(af->what);
	free(af);
}

/* Is name base + AFILE_TAG + AFILE_NRAND of afile_chars? */
static int
afile_is_tmp(const char *name, const char *base)
{
	size_t blen = strlen(base), tlen = strlen(AFILE_TAG);

	return strncmp(name, base, blen) == 0 &&
	    strncmp(name + blen, AFILE_TAG, tlen) == 0 &&
	    strlen(name + blen + tlen) == AFILE_NRAND &&
	    strspn(name + blen + tlen, afile_chars) == AFILE_NRAND;
}

/* Remove dir/name if it is a regular file of ours that ours() claims. */
static int
afile_clean_one(int dfd, const char *name, int (*ours)(int fd))
{
	struct stat st;
	int fd, mine;

	fd = openat(dfd, name, O_RDONLY | O_NONBLOCK | O_NOFOLLOW |
	    O_CLOEXEC);
	if (fd == -1)
		return 0;
	mine = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_uid == geteuid() && ours(fd) == 1;
	close(fd);
	return mine && unlinkat(dfd, name, 0) == 0;
}

int
afile_clean(const char *path, int (*ours)(int fd), size_t *nremoved,
    char **cause)
{
	char *target, *dir;
	const char *base;
	struct dirent *de;
	DIR *d;

	*nremoved = 0;
	if ((target = afile_resolve(path, cause)) == NULL)
		return -1;
	dir = afile_dir(target);
	base = strrchr(target, '/') != NULL ? strrchr(target, '/') + 1 :
	    target;
	if ((d = opendir(dir)) == NULL) {
		*cause = xasprintf("%s: cannot look for temporary files left "
		    "beside it: %s: %s", path, dir, strerror(errno));
		free(dir);
		free(target);
		return -1;
	}
	while ((de = readdir(d)) != NULL)
		if (afile_is_tmp(de->d_name, base) &&
		    afile_clean_one(dirfd(d), de->d_name, ours))
			(*nremoved)++;
	closedir(d);
	free(dir);
	free(target);
	return 0;
}
