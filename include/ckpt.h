/*
 * ckpt: a --consume partition's checkpoint and lease (cxwatch(1),
 * Distributed runs), kept in two JetStream key-value buckets (bus.h) of
 * the stream PREFIX: PREFIX-ckpt, kept for ever, and PREFIX-lease, whose
 * values expire a lease after they are put.
 *
 * Partition K's checkpoint is the bytes given to ckpt_save(), in chunks
 * "pK.gG.N" (N from 0) of at most CKPT_CHUNK bytes, and then its
 * manifest "pK", "G NCHUNKS LENGTH CRC32": a save is all there or not at
 * all. G is 0 or 1 in turn, so that a save never writes the chunks the
 * manifest names, and the keys stay as few as two checkpoints need.
 * "pK-alerts" is how many alerts the partition has written, in decimal.
 * The lease is "pK" in PREFIX-lease, whose value names its owner: taken
 * only when it has none, renewed only by the revision last put, so that
 * one worker at a time owns the partition.
 *
 * -1 (NULL) and *cause (malloc'd) on trouble; nothing here prints.
 */
#ifndef CXW_CKPT_H
#define CXW_CKPT_H

#include <stddef.h>
#include <stdint.h>

#define CKPT_CHUNK	(512 * 1024)	/* below NATS' 1 MB max_payload */

struct bus;
struct ckpt;

struct ckpt	*ckpt_open(struct bus *, const char *prefix, unsigned k,
		    int64_t lease_ms, char **cause);
void		 ckpt_free(struct ckpt *);	/* NULL is fine */

/*
 * Take the lease for owner: 1 when taken, 0 when another holds it (then
 * *holder, malloc'd, printable, names it).
 */
int		 ckpt_lease(struct ckpt *, const char *owner, char **holder,
		    char **cause);
/* Renew it: 1; 0 when it was lost (lapsed, or taken by another). */
int		 ckpt_renew(struct ckpt *, char **cause);
/* Give it up (a clean end), so that a standby takes over at once. */
int		 ckpt_release(struct ckpt *, char **cause);

/*
 * The last checkpoint saved: 1 and its bytes (malloc'd), 0 when there is
 * none; -1 when it is damaged (a chunk missing, a CRC mismatch), -2 when
 * the bus did not answer (worth trying again).
 */
int		 ckpt_load(struct ckpt *, char **data, size_t *len,
		    char **cause);
int		 ckpt_save(struct ckpt *, const void *data, size_t len,
		    char **cause);

/* The alerts written so far (0 when never put). */
int		 ckpt_alerts(struct ckpt *, uint64_t *n, char **cause);
int		 ckpt_alerts_put(struct ckpt *, uint64_t n, char **cause);

#endif
