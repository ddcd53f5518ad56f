/*
 * afile: a file replaced whole or not at all, for --state (state.c) and
 * --report (main.c). afile_open() makes a temporary file beside the path,
 * named PATH.tmp-XXXXXX; the caller writes it through afile_fd();
 * afile_commit() syncs it, renames it over the path and syncs the
 * directory, so that after a crash the path holds the old file or the new
 * one, whole, never a part. afile_abort() removes the temporary.
 *
 * A symbolic link at the path is written through: its target is
 * replaced, the link stays (afile_resolve()). Only a kill between
 * afile_open() and afile_commit() or afile_abort() leaves a temporary
 * behind; afile_clean() removes such leftovers for a caller that knows
 * no other process is writing the same path.
 *
 * Does no printing: failures return -1 (or NULL) with *cause, a malloc'd
 * message naming the file and what to do, which the caller frees.
 */
#ifndef CXW_AFILE_H
#define CXW_AFILE_H

#include <stddef.h>

/* afile_open()'s mode: the existing file's, else 0666 less the umask. */
#define AFILE_MODE_OPEN		(-1)

struct afile;

/*
 * Where path's symbolic links lead (at most 40 of them), malloc'd: a copy
 * of path when it is not a link. The target need not exist. NULL and
 * *cause when a link cannot be read or there are too many.
 */
char		*afile_resolve(const char *path, char **cause);

/*
 * A temporary file beside path's target, empty, with mode (or
 * AFILE_MODE_OPEN). what names the file in messages, a noun: "state"
 * gives "PATH: cannot save state: ...; the previous state is kept".
 * path and what are copied.
 */
struct afile	*afile_open(const char *path, const char *what, int mode,
		    char **cause);

/* The temporary's descriptor, for the caller's writes. */
int		 afile_fd(const struct afile *);

/* The temporary's name, for messages. */
const char	*afile_tmpname(const struct afile *);

/*
 * err is 0, or the errno of the caller's first failed write: then the
 * temporary is removed and *cause says why. Else it is synced, closed
 * and renamed over the target, and the directory synced. af is freed
 * either way. 0 or -1; when only the directory sync failed, the new file
 * is in place and *cause says so.
 */
int		 afile_commit(struct afile *af, int err, char **cause);

/* Remove the temporary and free af; NULL is fine. */
void		 afile_abort(struct afile *);

/*
 * Remove the temporaries afile_open() left beside path (resolved):
 * regular files of our user named PATH.tmp-XXXXXX for which ours(),
 * given a read-only descriptor positioned at 0, returns 1. *nremoved
 * counts them. 0, or -1 and *cause when the directory cannot be read.
 */
int		 afile_clean(const char *path, int (*ours)(int fd),
		    size_t *nremoved, char **cause);

#endif
