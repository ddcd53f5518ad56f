/*
 * regfile: open a file that must be a regular file (a rules file, the
 * --state file) for reading, without blocking. A FIFO, device or socket
 * given where such a file belongs would otherwise hang the open or the
 * read for good; it is refused before any byte is read, and named for
 * what it is. Used by rules.c and state.c. Does no printing.
 */
#ifndef CXW_REGFILE_H
#define CXW_REGFILE_H

#include <sys/stat.h>

/*
 * Open path read-only (O_NONBLOCK, close-on-exec) and fstat it into *st.
 * A regular file: its descriptor, *kind NULL. Else -1 with nothing left
 * open: *kind NULL and errno set when open(2) or fstat(2) failed, or
 * *kind what it is ("a FIFO", "a directory", ...) when it is not a
 * regular file.
 */
int		 regfile_open(const char *path, struct stat *st,
		    const char **kind);

/* What a file of this mode is, for messages: "a FIFO", "a socket", ... */
const char	*regfile_kind(mode_t);

#endif
