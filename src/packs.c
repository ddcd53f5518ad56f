/*
 * packs: which rule packs are installed beside the default rules, and
 * which a rule set read (include/packs.h).
 */
#include <sys/stat.h>

#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "packs.h"
#include "xmalloc.h"

static int
packs_cmp(const void *a, const void *b)
{
	return strcmp(((const struct pack *)a)->name,
	    ((const struct pack *)b)->name);
}

/* Does dir (a real path) hold one of files, once resolved? */
static int
packs_holds(const char *dir, char *const *files, size_t nfiles)
{
	char real[PATH_MAX];
	size_t i, len = strlen(dir);

	for (i = 0; i < nfiles; i++)
		if (realpath(files[i], real) != NULL &&
		    strncmp(real, dir, len) == 0 && real[len] == '/')
			return 1;
	return 0;
}

size_t
packs_list(const char *dir, char *const *files, size_t nfiles,
    struct pack **packs)
{
	struct pack *v = NULL;
	struct dirent *de;
	struct stat st;
	char *path, real[PATH_MAX];
	size_t n = 0;
	DIR *d;

	*packs = NULL;
	if ((d = opendir(dir)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode) &&
		    realpath(path, real) != NULL) {
			v = xreallocarray(v, n + 1, sizeof(*v));
			v[n].name = xstrdup(de->d_name);
			v[n++].enabled = packs_holds(real, files, nfiles);
		}
		free(path);
	}
	closedir(d);
	if (n > 1)
		qsort(v, n, sizeof(*v), packs_cmp);
	*packs = v;
	return n;
}

void
packs_free(struct pack *packs, size_t npacks)
{
	size_t i;

	if (packs == NULL)
		return;
	for (i = 0; i < npacks; i++)
		free(packs[i].name);
	free(packs);
}
