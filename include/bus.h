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
#include <signal.h>
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
 * keeps its place, so a later run goes on where this one stopped. With
 * startseq > 0 the durable is made afresh, to start at that sequence
 * number of the stream.
 */
struct bus_sub	*bus_pull(struct bus *, const char *subject,
		    const char *durable, uint64_t startseq, char **cause);
void		 bus_sub_free(struct bus_sub *);	/* NULL is fine */

/*
 * Fetch what is there, up to a batch, waiting at most timeout_ms for the
 * first: cb gets each message's subject and data (borrowed, valid during
 * the call) and its sequence number in the stream, and the message is
 * acknowledged after it returns. Returns the number of messages (0 when
 * none came in time), or -1.
 *
 * On a bus of bus_open_conf() with conf->retry, bus_pull() and
 * bus_fetch() wait while the server is away or restarting (conf->note
 * once, then 0 after about a second, so the caller sees *stop), and the
 * last ack of a batch waits for the server's answer: a batch whose acks
 * may have been lost is not given to cb again when it is redelivered.
 */
int		 bus_fetch(struct bus_sub *, int timeout_ms,
		    void (*cb)(void *arg, const char *subject,
		    const char *data, size_t len, uint64_t seq), void *arg,
		    char **cause);

/*
 * The partition of key[0..len) among n: FNV-1a (32 bits) of the bytes,
 * mod n, as nats-server 2.9's {{partition(n,1)}} subject mapping places
 * a token.
 */
uint32_t	 bus_fnv1a(const void *key, size_t len);
unsigned	 bus_partition(const void *key, size_t len, unsigned n);

/*
 * How to reach the servers, for bus_open_conf() (cxwatch(1), --nats-*).
 * Strings are borrowed for the call. NULL: not given.
 */
struct bus_conf {
	const char	*urls;		/* "nats://host:port[,...]" */
	const char	*prefix;	/* the stream */
	unsigned	 maxpending;	/* publishes in flight, at most */
	unsigned	 replicas;	/* the stream's, when it is made; 0: 1 */
	const char	*tls_ca;	/* PEM: the CAs to trust (TLS on) */
	const char	*tls_cert;	/* PEM: our certificate chain ... */
	const char	*tls_key;	/* ... and its key (TLS on) */
	const char	*auth;		/* a file: "user:password" or a token */
	/*
	 * retry: while no server answers, try again every second until one
	 * does or *stop is set (counted, bus_pub_stats()); after that,
	 * publishes the server does not acknowledge are sent again
	 * (bus_publish(), bus_flush()). note (NULL: none), called once on
	 * this thread when the first try failed, with why.
	 */
	int		 retry;
	volatile sig_atomic_t *stop;	/* SIGINT, SIGTERM: give up waiting */
	volatile sig_atomic_t *hurry;	/* ... once more */
	void		(*note)(void *arg, const char *why);
	void		*note_arg;
};

/*
 * bus_open() with conf. An answer that retrying cannot change (refused
 * credentials, a TLS failure, a file that cannot be read) ends it at
 * once, naming the server and what to do; with conf->retry, a server
 * that does not answer is waited for. NULL with *cause, also when
 * stopped while waiting (then *stopped is 1).
 */
struct bus	*bus_open_conf(const struct bus_conf *conf, int *stopped,
		    char **cause);

/*
 * With conf->retry: bus_publish() and bus_flush() send again what the
 * server refused for a reason that may pass (no JetStream, no leader
 * yet, a lost connection) or has not acknowledged for a while, and block
 * meanwhile; bus_publish_wait() returns -1 with *cause when *stop was
 * set while it waited. bus_flush_wait(): wait for every
 * acknowledgment; patience_ms -1: until stopped, else at most that long
 * (for a run already stopped: *hurry cuts it short).
 */
int		 bus_publish_wait(struct bus *, const char *subject,
		    const void *data, size_t len, const char *msgid,
		    char **cause);
int		 bus_flush_wait(struct bus *, int patience_ms, char **cause);

/* What publishing took, for --stats. */
struct bus_pub_stats {
	uint64_t	 published;	/* messages handed to the bus */
	uint64_t	 acked;		/* acknowledged by the stream */
	uint64_t	 connects;	/* connection attempts that failed */
	uint64_t	 resent;	/* messages sent again */
	uint64_t	 refused;	/* refused for good */
	uint64_t	 disconnects;	/* connections lost */
};
void		 bus_pub_stats(struct bus *, struct bus_pub_stats *);

/*
 * A key-value bucket (made when missing, file storage, the stream's
 * replicas, one value per key, values kept ttl_ms after they are put; 0:
 * for ever). bus_kv_get(): 1 and the value (malloc'd, NUL after it) and
 * its revision (rev NULL: not wanted), 0 when there is none. create:
 * only when the key has no value (1; 0 when it has one); update: only
 * when its value is revision last (1; 0 when not, or gone). -1 and
 * *cause on trouble.
 */
struct bus_kv;
struct bus_kv	*bus_kv_open(struct bus *, const char *bucket,
		    int64_t ttl_ms, char **cause);
void		 bus_kv_free(struct bus_kv *);	/* NULL is fine */
int		 bus_kv_get(struct bus_kv *, const char *key, char **data,
		    size_t *len, uint64_t *rev, char **cause);
int		 bus_kv_put(struct bus_kv *, const char *key,
		    const void *data, size_t len, char **cause);
int		 bus_kv_create(struct bus_kv *, const char *key,
		    const void *data, size_t len, uint64_t *rev, char **cause);
int		 bus_kv_update(struct bus_kv *, const char *key,
		    const void *data, size_t len, uint64_t last, uint64_t *rev,
		    char **cause);
int		 bus_kv_delete(struct bus_kv *, const char *key, char **cause);

/* The server named in messages: the one connected to, else urls. */
const char	*bus_server(struct bus *);

#endif
