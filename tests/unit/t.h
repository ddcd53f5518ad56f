/*
 * t.h: the unit-test harness. One CHECK per assertion; each test file's
 * main() calls its test functions and ends with T_DONE(), which prints
 * "N passed, N failed" for the file and exits 1 on any failure.
 */
#ifndef CXW_T_H
#define CXW_T_H

#include <stdio.h>
#include <string.h>

static int t_pass, t_fail;

#define CHECK(cond) do {						\
	if (cond) t_pass++;						\
	else {								\
		t_fail++;						\
		fprintf(stderr, "%s:%d: FAIL: %s\n",			\
		    __FILE__, __LINE__, #cond);				\
	}								\
} while (0)

#define CHECK_STR(got, want) do {					\
	const char *t_g = (got), *t_w = (want);				\
	if (t_g != NULL && strcmp(t_g, t_w) == 0) t_pass++;		\
	else {								\
		t_fail++;						\
		fprintf(stderr, "%s:%d: FAIL: %s\n  got  \"%s\"\n"	\
		    "  want \"%s\"\n", __FILE__, __LINE__, #got,	\
		    t_g ? t_g : "(null)", t_w);				\
	}								\
} while (0)

#define CHECK_INT(got, want) do {					\
	long long t_g = (long long)(got), t_w = (long long)(want);	\
	if (t_g == t_w) t_pass++;					\
	else {								\
		t_fail++;						\
		fprintf(stderr, "%s:%d: FAIL: %s\n  got  %lld\n"	\
		    "  want %lld\n", __FILE__, __LINE__, #got, t_g, t_w);\
	}								\
} while (0)

#define T_DONE() do {							\
	printf("%d passed, %d failed\n", t_pass, t_fail);		\
	return t_fail ? 1 : 0;						\
} while (0)

#endif
