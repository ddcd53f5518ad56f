/*
 * packs: the packs of a directory, sorted, and which the files read
 * enable, also through a symbolic link.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "packs.h"
#include "t.h"

static char test_dir[] = "/tmp/cxw-packs.XXXXXX";

static void
test_mk(const char *rel, int dir)
{
	char p[512];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", test_dir, rel);
	if (dir) {
		CHECK(mkdir(p, 0755) == 0);
		return;
	}
	CHECK((f = fopen(p, "w")) != NULL);
	if (f != NULL)
		fclose(f);
}

int
main(void)
{
	struct pack *v;
	char packs[512], link[512], other[512], *files[2];
	size_t n;

	if (mkdtemp(test_dir) == NULL) {
		perror("mkdtemp");
		return 2;
	}
	test_mk("packs", 1);
	test_mk("packs/zeta", 1);
	test_mk("packs/zeta/zeta.rules", 0);
	test_mk("packs/alpha", 1);
	test_mk("packs/alpha/alpha.rules", 0);
	test_mk("packs/README", 0);		/* not a directory: no pack */
	test_mk("packs/al", 1);			/* a prefix of alpha */
	test_mk("other.rules", 0);
	snprintf(packs, sizeof(packs), "%s/packs", test_dir);
	snprintf(link, sizeof(link), "%s/05-zeta.rules", test_dir);
	snprintf(other, sizeof(other), "%s/other.rules", test_dir);
	CHECK(symlink("packs/zeta/zeta.rules", link) == 0);

	files[0] = other;
	n = packs_list(packs, files, 1, &v);
	CHECK_INT(n, 3);
	if (n == 3) {
		CHECK_STR(v[0].name, "al");
		CHECK_STR(v[1].name, "alpha");
		CHECK_STR(v[2].name, "zeta");
		CHECK(!v[0].enabled && !v[1].enabled && !v[2].enabled);
	}
	packs_free(v, n);

	files[1] = link;
	n = packs_list(packs, files, 2, &v);
	CHECK(n == 3 && !v[0].enabled && !v[1].enabled && v[2].enabled);
	packs_free(v, n);

	CHECK_INT(packs_list("/nonexistent/packs", files, 2, &v), 0);
	CHECK(v == NULL);
	packs_free(NULL, 0);

	snprintf(link, sizeof(link), "rm -rf '%s'", test_dir);
	CHECK(system(link) == 0);
	T_DONE();
}
