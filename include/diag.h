/*
 * diag: a list of diagnostics that modules collect for their caller.
 * Modules never print or exit; they add "FILE:LINE: message" strings
 * here and return -1. main.c prints them all with warnx(3).
 */
#ifndef CXW_DIAG_H
#define CXW_DIAG_H

#include <stddef.h>

struct diag {
	char	**msgs;		/* owned, each a full message */
	size_t	  nmsgs;
	size_t	  cap;
};

void	diag_init(struct diag *);
void	diag_free(struct diag *);	/* frees the messages, not d */
void	diag_add(struct diag *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3), nonnull(2)));

#endif
