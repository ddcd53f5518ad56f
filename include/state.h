/*
 * state: saves the detectors' window tables and the read registry to a
 * file and loads them back, so that runs over consecutive stretches of
 * logs alert exactly as one run over all of them would (--state). Used
 * by main.c; only this module knows the file format. Does no printing:
 * failures return -1 with *cause, a malloc'd message naming the file,
 * which the caller frees.
 *
 * The file (all integers little-endian, "u64" etc.), format 4:
 *   "CXWSTATE", u32 format version, u64 file length, u64 rules
 *   fingerprint, u32 nchannels, u32 nrules, u32 evidence, i64 T (latest
 *   time), u32 tables; per table (a detector, in the rule set's order):
 *   u16 name length, the name, i64 window, i64 cooldown, u64 threshold,
 *   u32 channels, u64 customers; then each table's customers, least
 *   recently active first: u16 id length, the id, i64 now, i64
 *   suppressed_until, i64 forgiven_until, u32 events; per event, oldest
 *   first: i64 time, u16 weight, u16 rule, u8 channel, u8 flags (1:
 *   evidence, 2: a group of folded events), and with evidence u32
 *   source, u64 line length, the line; for a group u64 events, i64 the
 *   oldest's time;
 *   then the read registry (registry.h): u32 entries; per entry u64
 *   device, u64 inode, u64 size, u8 gzip, u32 raw prefix length, 32 bytes
 *   its SHA-256, u32 text prefix length, 32 bytes its SHA-256, u64 text
 *   offset, u64 lines, u8 complete, i64 seen (the log's T, ms);
 *   format 5 only (written only when the rules have [incident], else
 *   the file is format 4): u32 trackers; per tracker (a failure rule, in
 *   the rule set's order) u16 name length, the rule's name, u64 length
 *   and the tracker's bytes (incident.h, incident_export());
 *   format 6 only (written only with a producer, --emit): the trackers
 *   as format 5 has them (u32 0 without [incident]), then the
 *   producer: u16 name length, the name, u64 the sequence number of its
 *   last event acknowledged;
 *   last, u32 CRC-32 (zlib) of every byte before it.
 * Formats 1 to 3 had one table, read as that of a rule set without
 * detectors ("default"): after the fingerprint, i64 window, i64
 * cooldown, u64 threshold, u32 channels, u32 nchannels, u32 nrules, u32
 * evidence, i64 T, u64 customers and the customers, without
 * forgiven_until; format 3 then the registry, formats 1 and 2 none (and
 * format 1 no groups: flags 0 or 1).
 */
#ifndef CXW_STATE_H
#define CXW_STATE_H

#include <stdint.h>

struct incident;
struct registry;
struct wtab;

struct state_lock;

/* One table to save or load: a detector's name and its windows. */
struct state_table {
	const char	*name;
	struct wtab	*wt;
};

/*
 * The failure rules' incident trackers (cxwatch.rules(5), semantics 13):
 * rules[i]'s is inc[i]; n 0 (or NULL for the struct) without [incident].
 */
struct state_incidents {
	const char	*const *rules;
	struct incident	**inc;
	size_t		 n;
};

/*
 * Write the tables (with the latest of their Ts), the incident trackers
 * (si, NULL: none), and reg's entries
 * (NULL: none), to path atomically (afile.h): a temporary file beside
 * it, PATH.tmp-XXXXXX, synced, renamed over it, the directory synced; a
 * symbolic link is written through. On failure the old file is untouched
 * and no temporary file is left. 0 or -1.
 */
int	state_save_all(const char *path, const struct state_table *,
	    size_t n, const struct state_incidents *si,
	    const struct registry *reg, uint64_t fingerprint, char **cause);
/* state_save_all() without incident trackers. */
int	state_save(const char *path, const struct state_table *, size_t n,
	    const struct registry *reg, uint64_t fingerprint, char **cause);

/*
 * Replace the tables' contents (normally fresh tables), and reg's (NULL:
 * the registry is checked, then dropped), with the state in path, which
 * must have been saved with the same fingerprint, the same detectors (by
 * name, in order) with the same window, cooldown, threshold and channels,
 * and the same nchannels, nrules and evidence. Returns 0 when loaded, 1
 * when path does not exist (a first run; tables untouched), -1 on any
 * other trouble, tables untouched. Every length, number and order in the
 * file is checked; it may come from anywhere. si's trackers (fresh ones,
 * of the rules' [incident] values) are replaced the same way, all or
 * none with the tables.
 */
int	state_load_all(const char *path, const struct state_table *,
	    size_t n, const struct state_incidents *si, struct registry *reg,
	    uint64_t fingerprint, char **cause);
/* state_load_all() for rules without [incident]. */
int	state_load(const char *path, const struct state_table *, size_t n,
	    struct registry *reg, uint64_t fingerprint, char **cause);

/*
 * --emit's producer (emit.h): its name, and the sequence number of the
 * last event the stream acknowledged, all before it too, for what the
 * registry says was read.
 */
struct state_producer {
	char		 name[256];	/* NUL-terminated */
	uint64_t	 seq;
	int		 present;	/* loaded: the file had one */
};

/*
 * state_save_all() and state_load_all() with a producer (format 6):
 * saved when prod is not NULL. Loading with prod NULL refuses a file
 * with a producer; with prod, one without leaves prod->present 0.
 */
int	state_save_prod(const char *path, const struct state_table *,
	    size_t n, const struct state_incidents *si,
	    const struct registry *reg, const struct state_producer *prod,
	    uint64_t fingerprint, char **cause);
int	state_load_prod(const char *path, const struct state_table *,
	    size_t n, const struct state_incidents *si, struct registry *reg,
	    struct state_producer *prod, uint64_t fingerprint, char **cause);

/*
 * Before the first state_load(), for the whole run: resolve path's
 * symbolic links once (the target is what is loaded, saved and locked;
 * see state_lock_path()), lock PATH.lock beside the target with flock(2)
 * and, holding the lock, remove the temporaries an interrupted save left
 * beside the target. NULL and *cause when another process holds the lock
 * (its pid named when it wrote one) or a link cannot be read. Where no
 * lock file can be made (no directory, not writable) the run goes on
 * unlocked and nothing is removed: no run can save there either. *note
 * is NULL, or a malloc'd message for the user (temporaries removed, or
 * locking not supported), which the caller frees.
 */
struct state_lock *state_lock(const char *path, char **note, char **cause);

/* The state file to load and save: path's target. Valid until unlock. */
const char	*state_lock_path(const struct state_lock *);

/* Release the lock (the lock file stays); NULL is fine. */
void		 state_unlock(struct state_lock *);

#endif
