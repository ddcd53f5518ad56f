/*
 * registry: what earlier runs read of each input file, kept in the
 * --state file, so that cron runs over rotated, compressed, grown and
 * repeated logs count every line once (cxwatch(1), "Inputs already
 * read"). Used by input.c (which file starts where) and state.c (which
 * saves and loads it); does no I/O but reading the file it is asked to
 * identify, and never prints.
 *
 * A file is known by its identity -- device, inode, size, and the
 * SHA-256 of its first REGISTRY_FPLEN bytes (of the compressed bytes for
 * gzip) -- and by its text: the SHA-256 of its first REGISTRY_FPLEN bytes
 * once inflated. The identity recognises a file renamed in place (a
 * rotation); the text recognises the same lines under another inode (the
 * rotated file compressed, or copied by copytruncate). What an entry
 * remembers is the text offset, just past the last whole line read, and
 * the number of lines before it.
 *
 * Everything passed in is copied; an entry returned points into the
 * registry and is valid until the next change to it.
 */
#ifndef CXW_REGISTRY_H
#define CXW_REGISTRY_H

#include <stddef.h>
#include <stdint.h>

#define REGISTRY_FPLEN		1024	/* bytes fingerprinted */
#define REGISTRY_DIGEST		32	/* SHA-256 */
#define REGISTRY_MAXENTRIES	10000
#define REGISTRY_MAXAGE		(INT64_C(30) * 86400 * 1000) /* ms of log
						   time not seen */

struct registry_id {
	uint64_t	 dev, ino;
	uint64_t	 size;		/* bytes of the file */
	int		 gzip;
	uint32_t	 rawlen;	/* bytes in raw: min(size, FPLEN) */
	unsigned char	 raw[REGISTRY_DIGEST];
	uint32_t	 textlen;	/* text bytes in text (0: none could
					   be inflated) */
	unsigned char	 text[REGISTRY_DIGEST];
	/* The prefixes themselves, for comparing with other lengths. */
	unsigned char	 rawbuf[REGISTRY_FPLEN];
	unsigned char	 textbuf[REGISTRY_FPLEN];
};

struct registry_entry {
	uint64_t	 dev, ino, size;
	int		 gzip;
	uint32_t	 rawlen;
	unsigned char	 raw[REGISTRY_DIGEST];
	uint32_t	 textlen;
	unsigned char	 text[REGISTRY_DIGEST];
	uint64_t	 offset;	/* text bytes read, to a line's end */
	uint64_t	 lines;		/* lines in them */
	int		 complete;	/* read to its very end */
	int64_t		 seen;		/* the log's T (ms) at the end of the
					   last run that had it; INT64_MIN:
					   no run with a time had it yet */
	int		 touched;	/* recorded since registry_seen() */
};

enum registry_verdict {
	REGISTRY_NEW,		/* unknown, or replaced: from the start */
	REGISTRY_RESUME,	/* go on at offset, after lines */
	REGISTRY_DONE		/* nothing in it that was not read */
};

struct registry;

struct registry	*registry_new(void);
void		 registry_free(struct registry *);	/* NULL is fine */

/*
 * Identify the regular file open on fd (its offset is left alone) into
 * *id. 0, or -1 with errno when it cannot be read.
 */
int		 registry_identify(int fd, struct registry_id *id);

/*
 * 1 when a and b hold the same text as far as the shorter prefix goes
 * (neither empty): one is, as far as we can tell, a copy or a later
 * state of the other.
 */
int		 registry_same_text(const struct registry_id *a,
		    const struct registry_id *b);

/*
 * Where to start reading the file id is: see enum registry_verdict.
 * *offset and *lines are set for REGISTRY_RESUME and REGISTRY_DONE
 * (DONE: what was read of it). *how, static, says which rule decided,
 * for -x: "renamed or grown", "same text" and so on.
 */
enum registry_verdict registry_lookup(const struct registry *,
		    const struct registry_id *id, uint64_t *offset,
		    uint64_t *lines, const char **how);

/*
 * Note that a run read the file id up to offset (lines before it);
 * complete: to its very end. Replaces what was known of that device and
 * inode.
 */
void		 registry_record(struct registry *,
		    const struct registry_id *id, uint64_t offset,
		    uint64_t lines, int complete);

/*
 * At the end of a run: the entries recorded since the last call were seen
 * at now, the log's T (ms; INT64_MIN, no time yet: left as they were).
 * Log time, not the wall clock, so that the same runs over the same logs
 * save the same state, byte for byte.
 */
void		 registry_seen(struct registry *, int64_t now);

/*
 * Drop entries not seen for REGISTRY_MAXAGE before now (the log's T;
 * INT64_MIN: none), then the least recently seen beyond
 * REGISTRY_MAXENTRIES. Returns how many.
 */
size_t		 registry_expire(struct registry *, int64_t now);

/* Exchange the entries of two registries. */
void		 registry_swap(struct registry *, struct registry *);

/* For state.c: the entries, in the order they are saved. */
size_t		 registry_count(const struct registry *);
const struct registry_entry *registry_entry(const struct registry *,
		    size_t i);

/*
 * For state.c: add a saved entry. -1 with *why (static) for one no run
 * could have written (lengths out of range, offset past a plain file's
 * size, more than REGISTRY_MAXENTRIES); the registry is then unchanged.
 */
int		 registry_restore(struct registry *,
		    const struct registry_entry *, const char **why);

#endif
