/*
 * jsonl-dump: jsonl (jsonl.h) as a filter, for tests that hold it to
 * another decoder (tests/e2e/shared/json-agreement.sh). Reads records of
 * two lines from standard input:
 *
 *	[U<TAB>unwrap<TAB>]path<TAB>path...	(the paths, tab-separated)
 *	{...}					(the JSON line)
 *
 * and writes for each: "badpath I WHY" if path I is refused, else "ok" or
 * "refused OFF WHY" (OFF: INNER@OFF when the unwrapped text is at fault),
 * then one line per path "I TYPE HEX" (TYPE a jsonl_type number, HEX the
 * value's bytes in hex, "-" when absent), then an empty line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonl.h"
#include "xmalloc.h"

#define DUMP_MAXLEN	(1 << 20)

static char *
dump_line(char *buf, size_t cap)
{
	size_t n;

	if (fgets(buf, (int)cap, stdin) == NULL)
		return NULL;
	n = strcspn(buf, "\n");
	buf[n] = '\0';
	return buf;
}

static void
dump_record(char *pl, const char *json)
{
	const char *paths[4096], *unwrap = NULL;
	const struct jsonl_value *v;
	const struct jsonl_fail *f;
	struct jsonl_badpath bad;
	struct jsonl_paths *jp;
	struct jsonl *jl;
	size_t n = 0, i, k;
	char *t;

	if (strncmp(pl, "U\t", 2) == 0) {
		unwrap = strtok(pl + 2, "\t");
		pl = NULL;
	}
	for (t = strtok(unwrap != NULL ? NULL : pl, "\t"); t != NULL &&
	    n < sizeof(paths) / sizeof(paths[0]); t = strtok(NULL, "\t"))
		paths[n++] = t;
	if ((jp = jsonl_paths_new(paths, n, unwrap, &bad)) == NULL) {
		printf("badpath %zu %s\n\n", bad.path, bad.why);
		return;
	}
	jl = jsonl_new(jp, DUMP_MAXLEN);
	if (jsonl_parse(jl, json, strlen(json)) == 0)
		printf("ok\n");
	else {
		f = jsonl_failure(jl);
		if (f->inner)
			printf("refused INNER@%zu %s\n", f->inner_off, f->why);
		else
			printf("refused %zu %s\n", f->off, f->why);
	}
	for (i = 0; i < n; i++) {
		v = jsonl_value(jl, i);
		printf("%zu %d ", i, (int)v->type);
		if (!v->present)
			putchar('-');
		for (k = 0; v->present && k < v->len; k++)
			printf("%02x", (unsigned char)v->p[k]);
		putchar('\n');
	}
	putchar('\n');
	jsonl_free(jl);
	jsonl_paths_free(jp);
}

int
main(void)
{
	char *pl = xmalloc(DUMP_MAXLEN + 2), *js = xmalloc(DUMP_MAXLEN + 2);

	while (dump_line(pl, DUMP_MAXLEN + 2) != NULL &&
	    dump_line(js, DUMP_MAXLEN + 2) != NULL)
		dump_record(pl, js);
	free(pl);
	free(js);
	return 0;
}
