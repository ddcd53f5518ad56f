/*
 * replay: a main() for a fuzz target built without libFuzzer, so that
 * make check runs it (build/tests/test_fuzz_NAME, under gcc and under
 * the sanitizers). With no arguments it runs the target's self test,
 * then replays every file in tests/fuzz/regress/NAME/: inputs that once
 * crashed it, kept so the fix stays. Arguments are files or directories
 * to replay instead (to reproduce a crash: test_fuzz_NAME crash-FILE).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int
replay_file(const char *path)
{
	uint8_t *buf;
	size_t len;

	buf = fuzz_slurp(path, 0, &len);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 1;
}

/* Replay path, a file or a directory of files; return how many. */
static int
replay_path(const char *path, int must)
{
	struct dirent *de;
	struct stat st;
	char sub[4096];
	DIR *d;
	int n = 0;

	if (stat(path, &st) == -1) {
		if (must)
			fuzz_fail("%s: not found", path);
		return 0;
	}
	if (!S_ISDIR(st.st_mode))
		return replay_file(path);
	if ((d = opendir(path)) == NULL)
		fuzz_fail("%s: cannot open", path);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
		n += replay_path(sub, 1);
	}
	closedir(d);
	return n;
}

int
main(int argc, char **argv)
{
	int i, n = 0;

	if (argc > 1) {
		for (i = 1; i < argc; i++)
			n += replay_path(argv[i], 1);
		printf("%d inputs replayed\n", n);
		return 0;
	}
	if (fuzz_selftest() != 0)
		return 1;
	n = replay_path(FUZZ_TOP "/tests/fuzz/regress/" FUZZ_NAME, 0);
	printf("self test passed, %d inputs replayed\n", n);
	return 0;
}
