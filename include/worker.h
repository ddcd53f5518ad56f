/*
 * worker: --consume's owner of one partition (cxwatch(1), Distributed
 * runs). It takes the partition's lease (ckpt.h), or with standby waits
 * until it can; loads the partition's checkpoint, if there is one, into
 * the engine and the consumer (consume.h) and reads the stream again
 * from where the checkpoint says; then runs the consumer, renewing the
 * lease a third of a lease apart, putting the count of alerts written
 * after each turn that wrote some, and saving a checkpoint every
 * `every` ms of wall time and at the end; and at a clean end gives the
 * lease up.
 *
 * A checkpoint: "cxwatch-checkpoint 1\n", "alerts N\n", "position
 * LENGTH\n", the consumer's position (consume_export()), then the
 * engine's state in the --state file's format (state.h). Taking over
 * from one, the alerts the worker before wrote after it (the count put
 * since, less the checkpoint's) are raised again but not written
 * (engine_skip_alerts()).
 *
 * The engine, rule set, obuf and bus are borrowed.
 */
#ifndef CXW_WORKER_H
#define CXW_WORKER_H

#include <signal.h>
#include <stdint.h>

#include "consume.h"

struct bus;
struct engine;
struct obuf;
struct ruleset;

struct worker_conf {
	const char	*prefix;	/* the stream */
	unsigned	 partition;
	int64_t		 lease;		/* ms */
	int64_t		 every;		/* ms between checkpoints */
	int		 standby;	/* wait for the lease */
	int		 reset;		/* ignore the checkpoint */
	const char	*owner;		/* this worker's name, printable */
	struct consume_conf cc;
	/* The engine's state saved to (save 1) or loaded from path: 0,
	   or -1 and *cause. */
	int		(*state)(void *arg, const char *path, int save,
			    char **cause);
	void		*state_arg;
	/* What the worker does, for the user (NULL: not said). */
	void		(*note)(void *arg, const char *what);
	void		*note_arg;
	const volatile sig_atomic_t *stop;
};

/*
 * Own the partition and consume it until done or stopped. 0; -1 with
 * *cause (malloc'd) on trouble: the bus fails, the checkpoint cannot be
 * read or saved, the lease is held and standby is not set, or it was
 * lost (then nothing more is saved). *st gets the consumer's counts.
 */
int	worker_run(struct bus *, struct engine *, const struct ruleset *,
	    struct obuf *, const struct worker_conf *,
	    struct consume_stats *st, char **cause);

#endif
