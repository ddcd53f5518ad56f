/*
 * packs: the rule packs installed in the default rules directory (its
 * subdirectory "packs", one directory per pack holding *.rules files),
 * and which of them a loaded rule set read. Used by main.c for -t; does
 * no output. README.md, Rule packs.
 */
#ifndef CXW_PACKS_H
#define CXW_PACKS_H

#include <stddef.h>

struct pack {
	char	*name;		/* the pack's directory name */
	int	 enabled;	/* one of the files read is in it */
};

/*
 * The packs in dir, sorted by name, into *packs (caller frees with
 * packs_free): a pack is enabled when one of the nfiles files read
 * resolves (realpath(3), so through a symbolic link too) to a file in
 * its directory. A dir that does not exist or cannot be read has none.
 */
size_t	 packs_list(const char *dir, char *const *files, size_t nfiles,
	    struct pack **packs);
void	 packs_free(struct pack *, size_t npacks);	/* NULL is fine */

#endif
