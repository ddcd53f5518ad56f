/*
 * fuzz: what the libFuzzer targets in tests/fuzz share. Each fuzz_*.c
 * defines LLVMFuzzerTestOneInput() and fuzz_selftest(); built with
 * -fsanitize=fuzzer it runs under libFuzzer (make fuzz), built with
 * replay.c it replays files and runs its self test (make check, as
 * build/tests/test_fuzz_*). Targets call the real modules; a broken
 * promise of theirs is an abort(), which both builds report.
 */
#ifndef CXW_FUZZ_H
#define CXW_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The target's own check that its oracle and set-up work: 0, or -1. */
int	fuzz_selftest(void);

/*
 * A path whose file holds exactly data[0..size): a memfd made once per
 * process and rewritten on every call, named /proc/self/fd/N, so that
 * modules that open paths (rules_load, state_load) read fuzz input.
 */
const char	*fuzz_memfile(const uint8_t *data, size_t size);

/* A private directory made once per process, removed at exit. */
const char	*fuzz_tmpdir(void);

/* The file at path, after pre spare bytes at the start; fails if none. */
uint8_t		*fuzz_slurp(const char *path, size_t pre, size_t *len);

/* Abort with a message on stderr: the fuzz target found a bug. */
void	fuzz_fail(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

/*
 * JSON (RFC 8259), strictly: one value, surrounded by optional
 * whitespace, valid UTF-8 in strings, no lone surrogates in \u escapes,
 * nesting at most 64 deep. 0 if p[0..len) is that, else -1 and *why.
 */
int	fuzz_json_check(const char *p, size_t len, const char **why);

#endif
