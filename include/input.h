/*
 * input: the command line's inputs, read into the engine. One input is
 * read straight through; several are merged by time (cxwatch(1), "Several
 * inputs"): always the next line of the input whose next line is the
 * earliest, ties to the input named first; lines with no time are passed
 * on at once. Errors are reported with warnx(3) naming the file.
 */
#ifndef CXW_INPUT_H
#define CXW_INPUT_H

#include <signal.h>
#include <stddef.h>

struct engine;
struct obuf;
struct registry;
struct ruleset;

struct input_opts {
	size_t			 max_line;
	int			 merge;		/* 0: one after another */
	struct obuf		*out;		/* flushed before blocking */
	volatile sig_atomic_t	*stop;		/* set by SIGINT/SIGTERM */
	volatile sig_atomic_t	*usr1;		/* set by SIGUSR1: --stats now */
	double			 start;		/* progress_clock() at start */
	int			 progress;	/* 1 on, 0 off, -1: on when
						   stderr is a terminal and
						   every input a regular file */
	struct registry		*registry;	/* NULL, or --state's: where
						   files start, and noted */
	unsigned		 threads;	/* >= 1; 1: all on this one,
						   else workers that claim and
						   decide lines (pool.h) */
	int			 simple;	/* --no-prefilter */
	int			 reread;	/* --reread: start every file
						   at 0, but note them */
};

/*
 * An argument "SOURCE=FILE" where SOURCE names a source: that source's
 * index, *file pointing at FILE. Anything else is a file: -1, *file = arg.
 */
int	input_forced(const struct ruleset *, const char *arg,
	    const char **file);

/*
 * Read every arg ("FILE", "-", or "SOURCE=FILE") into e. Returns 0, or -1
 * when an input could not be opened or read (the others were still read).
 */
int	input_run(char *const *args, size_t nargs, struct ruleset *,
	    struct engine *e, const struct input_opts *);

#endif
