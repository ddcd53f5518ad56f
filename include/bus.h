/*
 * bus: the NATS JetStream transport behind --emit and --consume
 * (cxwatch(1), Distributed runs). One stream per subject prefix, named
 * after it, on subjects PREFIX.>, file storage, with a duplicate window so
 * that a message published twice under one message id is stored once.
 * Used by emit.c and consume.c; the only file that includes libnats.
 *
 * One struct bus per process: bus_close() also ends libnats' own threads
 * (nats_Close()). Functions return -1 (NULL) and set *cause, malloc'd,
 * for the caller to say and free; nothing here prints or exits.
 */
#ifndef CXW_BUS_H
#define CXW_BUS_H

#include <stddef.h>
#include <stdint.h>

struct bus;
struct bus_sub;

/*
 * Connect to urls ("nats://host:port", several separated by commas) and
 * make sure stream `prefix` exists (created when missing). prefix must be
 * a stream name: letters, digits, '-' and '_'. Asynchronous publishes
 * wait while maxpending are unacknowledged.
 */
struct bus	*bus_open(const char *urls, const char *prefix,
		    unsigned maxpending, char **cause);
void		 bus_close(struct bus *);	/* NULL is fine */

/*
 * Publish data[0..len) on subject, asynchronously, with message id msgid
 * (Nats-Msg-Id: the stream stores one message per id within its
 * duplicate window), or none when msgid is NULL. Blocks while maxpending
 * are in flight.
 */
int		 bus_publish(struct bus *, const char *subject,
		    const void *data, size_t len, const char *msgid,
		    char **cause);

/*
 * Wait until every message published is acknowledged; -1 when one was
 * refused or none came in time (the count and the last error in
 * *cause).
 */
int		 bus_flush(struct bus *, char **cause);

/*
 * A pull subscription on subject (wildcards allowed) through durable
 * consumer `durable` of the stream, created when missing: the server
 * keeps its place, so a later run goes on where this one stopped.
 */
struct bus_sub	*bus_pull(struct bus *, const char *subject,
		    const char *durable, char **cause);
void		 bus_sub_free(struct bus_sub *);	/* NULL is fine */

/*
 * Fetch what is there, up to a batch, waiting at most timeout_ms for the
 * first: cb gets each message's subject and data (borrowed, valid during
 * the call) and the message is acknowledged after it returns. Returns
 * the number of messages (0 when none came in time), or -1.
 */
int		 bus_fetch(struct bus_sub *, int timeout_ms,
		    void (*cb)(void *arg, const char *subject,
		    const char *data, size_t len), void *arg, char **cause);

/*
 * The partition of key[0..len) among n: FNV-1a (32 bits) of the bytes,
 * mod n, as nats-server 2.9's {{partition(n,1)}} subject mapping places
 * a token.
 */
uint32_t	 bus_fnv1a(const void *key, size_t len);
unsigned	 bus_partition(const void *key, size_t len, unsigned n);

#endif
