/*
 * regfile: regular files only. See regfile.h.
 *
 * O_NONBLOCK makes open(2) of a FIFO with no writer return at once
 * instead of waiting for one; fstat(2) then tells what was opened. On a
 * regular file the flag changes nothing, so it is left on.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "regfile.h"

const char *
regfile_kind(mode_t mode)
{
	if (S_ISREG(mode))
		return "a regular file";
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISSOCK(mode))
		return "a socket";
	return "not a regular file";
}

int
regfile_open(const char *path, struct stat *st, const char **kind)
{
	int fd, err;

	*kind = NULL;
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1) {
		/* A socket cannot be opened at all: say what it is. */
		err = errno;
		if (err == ENXIO && stat(path, st) == 0 &&
		    !S_ISREG(st->st_mode))
			*kind = regfile_kind(st->st_mode);
		errno = err;
		return -1;
	}
	if (fstat(fd, st) == -1) {
		err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	if (!S_ISREG(st->st_mode)) {
		*kind = regfile_kind(st->st_mode);
		close(fd);
		return -1;
	}
	return fd;
}
