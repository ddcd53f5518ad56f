/*
 * incident: one failure rule's window of distinct customers and its
 * systemic incident, cxwatch.rules(5) semantics 7 to 13. Used by the
 * engine, which keeps one per failure rule when the rules have an
 * [incident] section, and by --state through incident_export() and
 * incident_import(). Does no I/O and knows no rule names: the caller
 * names the incident.
 *
 * Memory is bounded whatever the customers: the window keeps at most
 * `customers` ids (the most recent distinct ones, which is all that
 * deciding "count >= customers" takes), an open incident's affected set
 * at most INCIDENT_EXACT ids, then a HyperLogLog of INCIDENT_HLL_REGS
 * one-byte registers, and one counter per minute of the window for the
 * peak rate. Ids are copied in.
 */
#ifndef CXW_INCIDENT_H
#define CXW_INCIDENT_H

#include <stddef.h>
#include <stdint.h>

#define INCIDENT_EXACT		4096	/* affected customers kept exactly */
#define INCIDENT_HLL_BITS	14
#define INCIDENT_HLL_REGS	(1u << INCIDENT_HLL_BITS)
#define INCIDENT_SAMPLES	5
#define INCIDENT_MAXCUSTOMERS	10000
#define INCIDENT_MAXWINDOW	(24 * 3600 * 1000LL)	/* ms */

struct incident;

struct incident_config {
	int64_t		 window;	/* ms, 1 s to INCIDENT_MAXWINDOW */
	int64_t		 cooldown;	/* ms */
	unsigned	 customers;	/* 1 to INCIDENT_MAXCUSTOMERS */
};

/*
 * An incident as INCIDENT and INCIDENT END write it. samples point into
 * the tracker and are valid until its next call.
 */
struct incident_info {
	int64_t		 time;		/* opening, or end: now_r + window */
	int64_t		 opened;
	int64_t		 first;		/* earliest counted customer's time */
	int64_t		 last;		/* now_r */
	uint64_t	 customers;	/* at opening: counted; at end:
					   affected */
	int		 approximate;	/* customers is a HyperLogLog's */
	uint64_t	 peak;		/* events in one minute */
	const char	*sample[INCIDENT_SAMPLES];
	size_t		 samplelen[INCIDENT_SAMPLES];
	unsigned	 nsamples;
};

enum incident_result {
	INCIDENT_LATE,			/* too late for the rule window */
	INCIDENT_JOINED,
	INCIDENT_OPENED			/* joined and opened: info filled */
};

struct incident	*incident_new(const struct incident_config *);
void		 incident_free(struct incident *);	/* NULL is fine */
const struct incident_config *incident_config(const struct incident *);

/*
 * Semantics 7 and 9: customer id (copied) had an event of the rule at t,
 * with T of semantics 6 (INT64_MIN: none yet). Call incident_due() and
 * incident_end() with the later of T and t first (semantics 8).
 */
enum incident_result incident_add(struct incident *, const char *id,
		    size_t len, int64_t t, int64_t T,
		    struct incident_info *opened);

/* Whether an incident is open. */
int		 incident_is_open(const struct incident *);

/* Its opening time (its id's), when one is open. */
int64_t		 incident_opened(const struct incident *);

/* Whether an open incident ends once the clock is at u (semantics 8). */
int		 incident_due(const struct incident *, int64_t u);

/* End the open incident: its INCIDENT END in *info; the window empties. */
void		 incident_end(struct incident *, struct incident_info *info);

/* Bytes held now, for the tests of the bound. */
size_t		 incident_memory(const struct incident *);

/*
 * --state: the whole tracker as bytes (little-endian, malloc'd, caller
 * frees; *len set), and back into a fresh tracker of the same config.
 * The bytes: i64 now_r, i64 suppressed_until, u32 window customers; per
 * customer, oldest first, u16 id length, the id, i64 time; i64 the
 * minute of the newest counter, u32 counters, each u32; u8 open; when
 * open i64 opened, i64 first, u64 peak, u8 approximate, then u32 exact
 * ids, each u16 length and the id, or the INCIDENT_HLL_REGS registers.
 * incident_import() checks every length and value; -1 and *why when the
 * bytes are not a tracker of this config, the tracker then as it was.
 */
/* Exchange two trackers' contents (a loaded state into place). */
void		 incident_swap(struct incident *, struct incident *);

unsigned char	*incident_export(const struct incident *, size_t *len);
int		 incident_import(struct incident *, const unsigned char *,
		    size_t len, const char **why);

#endif
