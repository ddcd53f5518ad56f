/*
 * bus: NATS JetStream through libnats (bus.h). Publishing is libnats'
 * asynchronous publish, bounded by jsOptions' PublishAsync.MaxPending;
 * a refused publish is counted by the error handler, on a libnats
 * thread, and reported by bus_flush(). Fetch batches stay below the
 * consumer's MaxAckPending: a batch larger than that can never fill, and
 * every fetch would wait out its timeout.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <nats/nats.h>

#include "bus.h"
#include "xmalloc.h"

#define BUS_DUPLICATES	((int64_t)120 * 1000000000)	/* ns: 2 minutes */
#define BUS_FLUSH_WAIT	30000		/* ms for the last acks */
#define BUS_BATCH	256		/* messages per fetch */
#define BUS_ACK_PENDING	1024		/* the consumer's MaxAckPending */

struct bus {
	natsConnection	*nc;
	jsCtx		*js;
	char		*stream;
	atomic_ulong	 refused;	/* publishes not acknowledged */
	_Atomic int	 lasterr;	/* natsStatus of the last one */
	struct bus_pub	*pub;		/* NULL, or bus_open_conf()'s */
};

struct bus_pub;
static int	bus_replicas(const struct bus *);
static void	bus_pub_free(struct bus_pub *);
static int64_t	bus_ms(void);
static int	bus_transient(natsStatus, jsErrCode);
static int	bus_wait_stopped(const struct bus_conf *, int);
static const struct bus_conf *bus_retrying(const struct bus *);
static void	bus_count_connect(struct bus *);

#define BUS_ACK_WAIT	2000	/* ms for the last ack of a batch */
#define BUS_UNSURE	4096	/* messages whose ack may be lost, at most */
#define BUS_AWAY_WAIT	1000	/* ms between fetches while the server is away */

/*
 * With retry (bus_fetch()): the stream sequences of messages taken in
 * whose acks the server may not have had, a ring; a redelivery of one
 * is acknowledged, not taken in twice.
 */
struct bus_sub {
	natsSubscription *sub;
	struct bus	*b;
	char		*subject;
	char		*durable;
	uint64_t	 startseq;	/* bus_pull()'s */
	int		 away;		/* fetches failed since the last one */
	int64_t		 awaysince;	/* ms */
	uint64_t	 unsure[BUS_UNSURE];
	size_t		 nunsure, headunsure;
};

/* "what: libnats' text (JetStream error N)" */
static char *
bus_cause(const char *what, natsStatus s, jsErrCode jerr)
{
	const char *text = nats_GetLastError(NULL), *p;

	if (text == NULL || *text == '\0')
		text = natsStatus_GetText(s);
	/* libnats puts where it was in its source first: "(conn.c:2088): " */
	else if (*text == '(' && (p = strstr(text, "): ")) != NULL)
		text = p + 3;
	if (jerr != 0)
		return xasprintf("%s: %s (JetStream error %d)", what, text,
		    (int)jerr);
	return xasprintf("%s: %s", what, text);
}

static int
bus_name_ok(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!(*s >= 'a' && *s <= 'z') && !(*s >= 'A' && *s <= 'Z') &&
		    !(*s >= '0' && *s <= '9') && *s != '-' && *s != '_')
			return 0;
	return 1;
}

/* libnats' thread: a publish the server refused or never acknowledged. */
static void
bus_refused_cb(jsCtx *js, jsPubAckErr *pae, void *arg)
{
	struct bus *b = arg;

	(void)js;
	atomic_fetch_add(&b->refused, 1);
	atomic_store(&b->lasterr, (int)pae->Err);
}

static int
bus_stream(struct bus *b, char **cause)
{
	jsStreamConfig sc;
	jsStreamInfo *si = NULL;
	jsErrCode jerr = 0;
	natsStatus s;
	char *subj;
	const char *subjects[1];

	s = js_GetStreamInfo(&si, b->js, b->stream, NULL, &jerr);
	if (s == NATS_OK) {
		jsStreamInfo_Destroy(si);
		return 0;
	}
	if (s != NATS_NOT_FOUND && jerr != JSStreamNotFoundErr) {
		*cause = bus_cause("stream info", s, jerr);
		return -1;
	}
	subj = xasprintf("%s.>", b->stream);
	subjects[0] = subj;
	jsStreamConfig_Init(&sc);
	sc.Name = b->stream;
	sc.Subjects = subjects;
	sc.SubjectsLen = 1;
	sc.Storage = js_FileStorage;
	sc.Duplicates = BUS_DUPLICATES;
	sc.Replicas = bus_replicas(b);
	jerr = 0;
	s = js_AddStream(&si, b->js, &sc, NULL, &jerr);
	free(subj);
	/* Another producer or consumer may have made it meanwhile. */
	if (s != NATS_OK && jerr != JSStreamNameExistErr) {
		*cause = bus_cause("creating the stream", s, jerr);
		return -1;
	}
	jsStreamInfo_Destroy(si);
	return 0;
}

struct bus *
bus_open(const char *urls, const char *prefix, unsigned maxpending,
    char **cause)
{
	struct bus *b;
	jsOptions jo;
	natsStatus s;

	if (!bus_name_ok(prefix)) {
		*cause = xasprintf("\"%s\" is not a stream name (letters, "
		    "digits, - and _)", prefix);
		return NULL;
	}
	b = xcalloc(1, sizeof(*b));
	b->stream = xstrdup(prefix);
	atomic_init(&b->refused, 0);
	atomic_init(&b->lasterr, NATS_OK);
	if ((s = natsConnection_ConnectTo(&b->nc, urls)) != NATS_OK) {
		*cause = bus_cause(urls, s, 0);
		goto fail;
	}
	jsOptions_Init(&jo);
	jo.PublishAsync.MaxPending = maxpending;
	jo.PublishAsync.ErrHandler = bus_refused_cb;
	jo.PublishAsync.ErrHandlerClosure = b;
	if ((s = natsConnection_JetStream(&b->js, b->nc, &jo)) != NATS_OK) {
		*cause = bus_cause("JetStream", s, 0);
		goto fail;
	}
	if (bus_stream(b, cause) == -1)
		goto fail;
	return b;
fail:
	bus_close(b);
	return NULL;
}

void
bus_close(struct bus *b)
{
	if (b == NULL)
		return;
	jsCtx_Destroy(b->js);
	natsConnection_Destroy(b->nc);
	free(b->stream);
	nats_Close();
	bus_pub_free(b->pub);
	free(b);
}

int
bus_publish(struct bus *b, const char *subject, const void *data,
    size_t len, const char *msgid, char **cause)
{
	jsPubOptions po;
	natsStatus s;

	jsPubOptions_Init(&po);
	po.MsgId = msgid;
	/* NATS_TIMEOUT: MaxPending in flight for StallWait; wait on. */
	while ((s = js_PublishAsync(b->js, subject, data, (int)len, &po)) ==
	    NATS_TIMEOUT)
		continue;
	if (s != NATS_OK) {
		*cause = bus_cause(subject, s, 0);
		return -1;
	}
	return 0;
}

int
bus_flush(struct bus *b, char **cause)
{
	jsPubOptions po;
	natsStatus s;
	unsigned long n;

	jsPubOptions_Init(&po);
	po.MaxWait = BUS_FLUSH_WAIT;
	s = js_PublishAsyncComplete(b->js, &po);
	if (s != NATS_OK) {
		*cause = bus_cause("waiting for the server's acknowledgments",
		    s, 0);
		return -1;
	}
	if ((n = atomic_load(&b->refused)) > 0) {
		*cause = xasprintf("%lu messages not acknowledged (%s)", n,
		    natsStatus_GetText((natsStatus)atomic_load(&b->lasterr)));
		return -1;
	}
	return 0;
}

/* bus_pull()'s subscription, made (again) on bs->b. */
static natsStatus
bus_pull_subscribe(struct bus_sub *bs, jsErrCode *jerr)
{
	jsSubOptions so;

	jsSubOptions_Init(&so);
	so.Stream = bs->b->stream;
	so.Config.AckPolicy = js_AckExplicit;
	so.Config.MaxAckPending = BUS_ACK_PENDING;
	if (bs->startseq > 0) {
		/* As bus_pull() made it: binding again must ask the same. */
		so.Config.DeliverPolicy = js_DeliverByStartSequence;
		so.Config.OptStartSeq = bs->startseq;
	}
	*jerr = 0;
	return js_PullSubscribe(&bs->sub, bs->b->js, bs->subject, bs->durable,
	    NULL, &so, jerr);
}

static const struct bus_conf *
bus_sub_retry(const struct bus_sub *bs)
{
	return bus_retrying(bs->b);
}

/*
 * With retry, a fetch or subscription that failed for a reason that may
 * pass (the server away, restarting, JetStream not back yet): say it
 * once, wait a second, and 0; else -1 with *cause.
 */
static int
bus_sub_away(struct bus_sub *bs, const char *what, natsStatus s,
    jsErrCode jerr, char **cause)
{
	const struct bus_conf *c = bus_sub_retry(bs);
	char *why;

	why = bus_cause(what, s, jerr);
	if (c == NULL || (!bus_transient(s, jerr) &&
	    jerr != JSConsumerNotFoundErr && jerr != JSNotEnabledErr &&
	    jerr != JSNotEnabledForAccountErr)) {
		*cause = why;
		return -1;
	}
	bus_count_connect(bs->b);
	if (bs->away++ == 0) {
		bs->awaysince = bus_ms();
		if (c->note != NULL)
			c->note(c->note_arg, why);
	}
	free(why);
	(void)bus_wait_stopped(c, BUS_AWAY_WAIT);
	return 0;
}

/*
 * Connected again but the fetches still fail (the durable consumer lost
 * with a store, say): subscribe again, which makes it when missing.
 */
static void
bus_sub_renew(struct bus_sub *bs)
{
	natsSubscription *old = bs->sub;
	jsErrCode jerr;

	if (natsConnection_Status(bs->b->nc) != NATS_CONN_STATUS_CONNECTED ||
	    bus_ms() - bs->awaysince < 5 * BUS_AWAY_WAIT)
		return;
	if (bus_pull_subscribe(bs, &jerr) != NATS_OK) {
		bs->sub = old;
		return;
	}
	natsSubscription_Destroy(old);
	bs->awaysince = bus_ms();
}

struct bus_sub *
bus_pull(struct bus *b, const char *subject, const char *durable,
    uint64_t startseq, char **cause)
{
	struct bus_sub *bs;
	jsErrCode jerr = 0;
	natsStatus s;
	const struct bus_conf *c;

	if (!bus_name_ok(durable)) {
		*cause = xasprintf("\"%s\" is not a consumer name", durable);
		return NULL;
	}
	if (startseq > 0) {
		/* Made again, to start there; gone already is fine. */
		s = js_DeleteConsumer(b->js, b->stream, durable, NULL, &jerr);
		if (s != NATS_OK && s != NATS_NOT_FOUND &&
		    jerr != JSConsumerNotFoundErr) {
			*cause = bus_cause(durable, s, jerr);
			return NULL;
		}
		jerr = 0;
	}
	bs = xcalloc(1, sizeof(*bs));
	bs->b = b;
	bs->startseq = startseq;
	bs->subject = xstrdup(subject);
	bs->durable = xstrdup(durable);
	while ((s = bus_pull_subscribe(bs, &jerr)) != NATS_OK) {
		if (bus_sub_away(bs, subject, s, jerr, cause) == -1)
			goto fail;
		c = bus_sub_retry(bs);
		if (c->stop != NULL && *c->stop) {
			*cause = xasprintf("%s: stopped while JetStream did not "
			    "answer", bus_server(b));
			goto fail;
		}
	}
	bs->away = 0;
	return bs;
fail:
	bus_sub_free(bs);
	return NULL;
}

void
bus_sub_free(struct bus_sub *bs)
{
	if (bs == NULL)
		return;
	natsSubscription_Destroy(bs->sub);
	free(bs->subject);
	free(bs->durable);
	free(bs);
}

static uint64_t
bus_msg_seq(natsMsg *m, uint64_t *ndelivered)
{
	jsMsgMetaData *md;
	uint64_t seq;

	*ndelivered = 0;
	if (natsMsg_GetMetaData(&md, m) != NATS_OK)
		return 0;
	seq = md->Sequence.Stream;
	*ndelivered = md->NumDelivered;
	jsMsgMetaData_Destroy(md);
	return seq;
}

static void
bus_sub_unsure(struct bus_sub *bs, natsMsg **ms, int n)
{
	uint64_t nd, seq;
	int i;

	for (i = 0; i < n; i++) {
		if ((seq = bus_msg_seq(ms[i], &nd)) == 0)
			continue;
		bs->unsure[(bs->headunsure + bs->nunsure) % BUS_UNSURE] = seq;
		if (bs->nunsure < BUS_UNSURE)
			bs->nunsure++;
		else
			bs->headunsure = (bs->headunsure + 1) % BUS_UNSURE;
	}
}

/* A redelivery of a message taken in already, whose ack was lost? */
static int
bus_sub_seen(struct bus_sub *bs, natsMsg *m)
{
	uint64_t nd, seq;
	size_t i;

	if (bs->nunsure == 0 || (seq = bus_msg_seq(m, &nd)) == 0 || nd < 2)
		return 0;
	for (i = 0; i < bs->nunsure; i++)
		if (bs->unsure[(bs->headunsure + i) % BUS_UNSURE] == seq)
			return 1;
	return 0;
}

/*
 * With retry, the acks go out as they come and the last one waits for
 * the server's answer, which comes after the others': when it does not
 * come, the batch's messages may be redelivered, and are known again.
 */
static int
bus_fetch_ack(struct bus_sub *bs, natsMsgList *list, char **cause)
{
	jsOptions jo;
	natsStatus s = NATS_OK;
	int i, n = list->Count;

	for (i = 0; i < n - 1 && s == NATS_OK; i++)
		s = natsMsg_Ack(list->Msgs[i], NULL);
	if (s == NATS_OK && n > 0 && bus_sub_retry(bs) != NULL) {
		jsOptions_Init(&jo);
		jo.Wait = BUS_ACK_WAIT;
		s = natsMsg_AckSync(list->Msgs[n - 1], &jo, NULL);
	} else if (s == NATS_OK && n > 0)
		s = natsMsg_Ack(list->Msgs[n - 1], NULL);
	if (s == NATS_OK)
		return 0;
	if (bus_sub_retry(bs) == NULL) {
		*cause = bus_cause("ack", s, 0);
		return -1;
	}
	bus_sub_unsure(bs, list->Msgs, n);
	return 0;
}

int
bus_fetch(struct bus_sub *bs, int timeout_ms, void (*cb)(void *arg,
    const char *subject, const char *data, size_t len, uint64_t seq),
    void *arg, char **cause)
{
	natsMsgList list;
	jsErrCode jerr = 0;
	natsStatus s;
	uint64_t nd;
	int i, n = 0, rv;

	s = natsSubscription_Fetch(&list, bs->sub, BUS_BATCH, timeout_ms,
	    &jerr);
	if (s == NATS_TIMEOUT)
		return 0;
	if (s != NATS_OK) {
		if (bus_sub_away(bs, "fetch", s, jerr, cause) == -1)
			return -1;
		bus_sub_renew(bs);
		return 0;
	}
	bs->away = 0;
	for (i = 0; i < list.Count; i++) {
		if (bus_sub_seen(bs, list.Msgs[i]))
			continue;
		cb(arg, natsMsg_GetSubject(list.Msgs[i]),
		    natsMsg_GetData(list.Msgs[i]),
		    (size_t)natsMsg_GetDataLength(list.Msgs[i]),
		    bus_msg_seq(list.Msgs[i], &nd));
		n++;
	}
	rv = bus_fetch_ack(bs, &list, cause);
	natsMsgList_Destroy(&list);
	return rv == -1 ? -1 : n;
}

uint32_t
bus_fnv1a(const void *key, size_t len)
{
	const unsigned char *p = key;
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 16777619u;
	}
	return h;
}

unsigned
bus_partition(const void *key, size_t len, unsigned n)
{
	return bus_fnv1a(key, len) % n;
}

/*
 * bus_open_conf()'s publishing: libnats' ack handler (on its threads)
 * counts what is acknowledged and keeps what was refused for a reason
 * that may pass, which the publishing thread sends again; what stays
 * unacknowledged BUS_STALE ms while connected is taken back from libnats
 * (js_PublishAsyncGetPendingList()) and sent again. Every event carries
 * its message id, so a message sent twice is stored once.
 */
#define BUS_RETRY_WAIT	1000	/* ms between connection attempts */
#define BUS_RESEND_WAIT	500	/* ms before what was refused goes again */
#define BUS_STALE	3000	/* ms without an ack: send again */
#define BUS_NAP		20	/* ms */
#define BUS_PONG_WAIT	1000	/* ms for a stale connection's PONG */
#define BUS_GRACE	5000	/* ms for the last acks of a stopped run */

struct bus_pub {
	struct bus_conf	 conf;
	char		*urls;
	pthread_mutex_t	 mu;
	natsMsg		**retry;	/* refused, to send again (mu) */
	size_t		 nretry, capretry;
	atomic_llong	 outstanding;	/* tracked by libnats */
	atomic_ullong	 published, acked, refusedn, resent, connects,
			 disconnects;
	_Atomic int64_t	 progress;	/* ms: the last ack or reconnect */
	int64_t		 resendat;	/* ms: the last resend */
	int64_t		 flushed;	/* ms: progress set by a stale flush */
	char		 server[256];
};

static int64_t
bus_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
bus_nap(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		break;
}

static int
bus_replicas(const struct bus *b)
{
	return b->pub != NULL && b->pub->conf.replicas > 1 ?
	    (int)b->pub->conf.replicas : 1;
}

/* bus_open_conf()'s conf when it retries, else NULL. */
static const struct bus_conf *
bus_retrying(const struct bus *b)
{
	return b->pub != NULL && b->pub->conf.retry ? &b->pub->conf : NULL;
}

static void
bus_count_connect(struct bus *b)
{
	if (b->pub != NULL)
		atomic_fetch_add(&b->pub->connects, 1);
}

/* A refusal that may pass: no JetStream (yet), no leader, no link. */
static int
bus_transient(natsStatus s, jsErrCode jerr)
{
	if (jerr == JSClusterNotAvailErr)
		return 1;
	if (jerr != 0)
		return 0;
	return s == NATS_TIMEOUT || s == NATS_NO_RESPONDERS ||
	    s == NATS_CONNECTION_CLOSED || s == NATS_CONNECTION_DISCONNECTED ||
	    s == NATS_NO_SERVER || s == NATS_IO_ERROR ||
	    s == NATS_INSUFFICIENT_BUFFER || s == NATS_ERR;
}

static void
bus_keep(struct bus_pub *bp, natsMsg *m)
{
	pthread_mutex_lock(&bp->mu);
	if (bp->nretry == bp->capretry) {
		bp->capretry = bp->capretry ? bp->capretry * 2 : 64;
		bp->retry = xreallocarray(bp->retry, bp->capretry,
		    sizeof(*bp->retry));
	}
	bp->retry[bp->nretry++] = m;
	pthread_mutex_unlock(&bp->mu);
}

/* libnats' thread: one publish answered, or refused. */
static void
bus_ack_cb(jsCtx *js, natsMsg *m, jsPubAck *pa, jsPubAckErr *pae, void *arg)
{
	struct bus *b = arg;
	struct bus_pub *bp = b->pub;

	(void)js;
	atomic_fetch_sub(&bp->outstanding, 1);
	atomic_store(&bp->progress, bus_ms());
	if (pa != NULL) {
		atomic_fetch_add(&bp->acked, 1);
		natsMsg_Destroy(m);
		return;
	}
	if (pae != NULL && bus_transient(pae->Err, pae->ErrCode)) {
		bus_keep(bp, m);
		return;
	}
	atomic_fetch_add(&b->refused, 1);
	atomic_fetch_add(&bp->refusedn, 1);
	atomic_store(&b->lasterr, pae != NULL ? (int)pae->Err : NATS_ERR);
	natsMsg_Destroy(m);
}

static void
bus_disconnected_cb(natsConnection *nc, void *arg)
{
	struct bus_pub *bp = arg;

	(void)nc;
	atomic_fetch_add(&bp->disconnects, 1);
}

static void
bus_reconnected_cb(natsConnection *nc, void *arg)
{
	struct bus_pub *bp = arg;

	(void)nc;
	atomic_store(&bp->progress, bus_ms());
}

/*
 * Send ms[0..n) again; what libnats does not take yet is kept. Once one
 * stalls (MaxPending in flight for StallWait), the rest are kept without
 * trying: each would stall as long.
 */
static void
bus_resend(struct bus *b, natsMsg **ms, int n)
{
	struct bus_pub *bp = b->pub;
	jsPubOptions po;
	int i, stalled = 0;

	jsPubOptions_Init(&po);
	for (i = 0; i < n; i++) {
		if (ms[i] == NULL)
			continue;
		if (!stalled) {
			atomic_fetch_add(&bp->outstanding, 1);
			if (js_PublishMsgAsync(b->js, &ms[i], &po) ==
			    NATS_OK) {
				atomic_fetch_add(&bp->resent, 1);
				continue;
			}
			atomic_fetch_sub(&bp->outstanding, 1);
			stalled = 1;
		}
		if (ms[i] != NULL) {
			bus_keep(bp, ms[i]);
			ms[i] = NULL;
		}
	}
}

/* On the publishing thread: send again what is due. */
static void
bus_service(struct bus *b)
{
	struct bus_pub *bp = b->pub;
	natsMsgList list;
	natsMsg **ms;
	int64_t now = bus_ms();
	size_t n;

	if (natsConnection_Status(b->nc) != NATS_CONN_STATUS_CONNECTED)
		return;
	if (bp->nretry > 0 && now - bp->resendat >= BUS_RESEND_WAIT) {
		pthread_mutex_lock(&bp->mu);
		ms = bp->retry;
		n = bp->nretry;
		bp->retry = NULL;
		bp->nretry = bp->capretry = 0;
		pthread_mutex_unlock(&bp->mu);
		bp->resendat = now;
		bus_resend(b, ms, (int)n);
		free(ms);
	}
	/*
	 * Stale: no ack for BUS_STALE ms. A PING and its PONG first push
	 * out what the connection holds (libnats 3.4.1 has been seen to
	 * keep publishes in its buffer after a reconnect, its flusher
	 * never woken), then what libnats still tracks goes again.
	 */
	if (atomic_load(&bp->outstanding) > 0 &&
	    now - atomic_load(&bp->progress) >= BUS_STALE &&
	    atomic_load(&bp->progress) != bp->flushed) {
		(void)natsConnection_FlushTimeout(b->nc, BUS_PONG_WAIT);
		bp->flushed = bus_ms();
		atomic_store(&bp->progress, bp->flushed);
		return;
	}
	if (atomic_load(&bp->outstanding) > 0 &&
	    now - atomic_load(&bp->progress) >= BUS_STALE &&
	    js_PublishAsyncGetPendingList(&list, b->js) == NATS_OK) {
		atomic_fetch_sub(&bp->outstanding, list.Count);
		atomic_store(&bp->progress, now);
		bus_resend(b, list.Msgs, list.Count);
		natsMsgList_Destroy(&list);
	}
}

static size_t
bus_nretry(struct bus_pub *bp)
{
	size_t n;

	pthread_mutex_lock(&bp->mu);
	n = bp->nretry;
	pthread_mutex_unlock(&bp->mu);
	return n;
}

/* "user:password" or a token, the first line of path. */
static natsStatus
bus_auth(natsOptions *opts, const char *path, char **cause)
{
	char line[4096], *colon;
	natsStatus s;
	FILE *fp;
	size_t n;

	if ((fp = fopen(path, "r")) == NULL) {
		*cause = xasprintf("--nats-auth: %s: %s", path,
		    strerror(errno));
		return NATS_ERR;
	}
	if (fgets(line, sizeof(line), fp) == NULL)
		line[0] = '\0';
	fclose(fp);
	n = strcspn(line, "\r\n");
	line[n] = '\0';
	if (n == 0) {
		*cause = xasprintf("--nats-auth: %s: empty; write "
		    "user:password or a token on its first line", path);
		return NATS_ERR;
	}
	if ((colon = strchr(line, ':')) != NULL) {
		*colon = '\0';
		s = natsOptions_SetUserInfo(opts, line, colon + 1);
	} else
		s = natsOptions_SetToken(opts, line);
	explicit_bzero(line, sizeof(line));
	if (s != NATS_OK)
		*cause = bus_cause("--nats-auth", s, 0);
	return s;
}

/* libnats says little of a file it cannot read: we say it first. */
static int
bus_readable(const char *opt, const char *path, char **cause)
{
	FILE *fp;

	if (path == NULL)
		return 0;
	if ((fp = fopen(path, "r")) == NULL) {
		*cause = xasprintf("%s: %s: %s", opt, path, strerror(errno));
		return -1;
	}
	fclose(fp);
	return 0;
}

static natsStatus
bus_tls(natsOptions *opts, const struct bus_conf *c, char **cause)
{
	natsStatus s = NATS_OK;

	if (c->tls_ca == NULL && c->tls_cert == NULL)
		return NATS_OK;
	if (bus_readable("--nats-tls-ca", c->tls_ca, cause) == -1 ||
	    bus_readable("--nats-tls-cert", c->tls_cert, cause) == -1 ||
	    bus_readable("--nats-tls-key", c->tls_key, cause) == -1)
		return NATS_ERR;
	if ((s = natsOptions_SetSecure(opts, true)) != NATS_OK) {
		*cause = bus_cause("TLS", s, 0);
		return s;
	}
	if (c->tls_ca != NULL && (s = natsOptions_LoadCATrustedCertificates(opts,
	    c->tls_ca)) != NATS_OK) {
		*cause = bus_cause("--nats-tls-ca", s, 0);
		return s;
	}
	if (c->tls_cert != NULL && (s = natsOptions_LoadCertificatesChain(opts,
	    c->tls_cert, c->tls_key)) != NATS_OK)
		*cause = bus_cause("--nats-tls-cert and --nats-tls-key", s, 0);
	return s;
}

/*
 * urls, "nats://host:port[,...]": natsOptions_SetURL() takes one URL
 * (a list is natsConnection_ConnectTo()'s), so the list is split here.
 */
static natsStatus
bus_servers(natsOptions *opts, const char *urls)
{
	char *copy = xstrdup(urls), *p, *save = NULL;
	const char **list = NULL;
	natsStatus s;
	int n = 0;

	for (p = strtok_r(copy, ",", &save); p != NULL;
	    p = strtok_r(NULL, ",", &save)) {
		list = xreallocarray(list, (size_t)n + 1, sizeof(*list));
		list[n++] = p;
	}
	s = n > 0 ? natsOptions_SetServers(opts, list, n) : NATS_INVALID_ARG;
	free(list);
	free(copy);
	return s;
}

static natsOptions *
bus_options(struct bus *b, char **cause)
{
	const struct bus_conf *c = &b->pub->conf;
	natsOptions *opts;

	if (natsOptions_Create(&opts) != NATS_OK) {
		*cause = xstrdup("out of memory for the NATS options");
		return NULL;
	}
	if (bus_servers(opts, c->urls) != NATS_OK) {
		*cause = bus_cause(c->urls, NATS_INVALID_ARG, 0);
		goto fail;
	}
	(void)natsOptions_SetTimeout(opts, 2000);
	(void)natsOptions_SetMaxReconnect(opts, c->retry ? -1 : 60);
	(void)natsOptions_SetReconnectWait(opts, BUS_RETRY_WAIT);
	(void)natsOptions_SetDisconnectedCB(opts, bus_disconnected_cb, b->pub);
	(void)natsOptions_SetReconnectedCB(opts, bus_reconnected_cb, b->pub);
	if (bus_tls(opts, c, cause) != NATS_OK)
		goto fail;
	if (c->auth != NULL && bus_auth(opts, c->auth, cause) != NATS_OK)
		goto fail;
	return opts;
fail:
	natsOptions_Destroy(opts);
	return NULL;
}

/* What to do about a connection that failed for good. */
static char *
bus_connect_cause(const struct bus_conf *c, natsStatus s)
{
	char *t = bus_cause(c->urls, s, 0), *u;
	const char *hint = NULL;

	switch (s) {
	case NATS_CONNECTION_AUTH_FAILED:
	case NATS_NOT_PERMITTED:
		hint = c->auth != NULL ? "the server refused the credentials "
		    "of --nats-auth; check them" : "the server wants "
		    "credentials: give --nats-auth FILE (user:password or "
		    "a token)";
		break;
	case NATS_SSL_ERROR:
		hint = c->tls_ca == NULL ? "the server wants TLS: give "
		    "--nats-tls-ca FILE, the CA that signed its certificate" :
		    "TLS failed: check that --nats-tls-ca holds the CA that "
		    "signed the server's certificate (and --nats-tls-cert, "
		    "--nats-tls-key when the server verifies clients)";
		break;
	case NATS_SECURE_CONNECTION_REQUIRED:
		hint = "the server wants TLS: give --nats-tls-ca FILE";
		break;
	case NATS_SECURE_CONNECTION_WANTED:
		hint = "the server does not offer TLS: leave out --nats-tls-*";
		break;
	default:
		/* A server that verifies clients drops one without. */
		if (c->tls_ca != NULL && c->tls_cert == NULL)
			hint = "TLS failed: if the server verifies its clients, "
			    "give --nats-tls-cert FILE and --nats-tls-key FILE";
		break;
	}
	if (hint == NULL)
		return t;
	u = xasprintf("%s; %s", t, hint);
	free(t);
	return u;
}

static int
bus_wait_stopped(const struct bus_conf *c, int ms)
{
	int64_t until = bus_ms() + ms;

	while (bus_ms() < until) {
		if (c->stop != NULL && *c->stop)
			return 1;
		bus_nap(BUS_NAP * 2);
	}
	return c->stop != NULL && *c->stop;
}

/* Connect, retrying while no server answers (conf->retry). */
static int
bus_connect(struct bus *b, natsOptions *opts, int *stopped, char **cause)
{
	struct bus_pub *bp = b->pub;
	const struct bus_conf *c = &bp->conf;
	natsStatus s;
	int said = 0;

	for (;;) {
		s = natsConnection_Connect(&b->nc, opts);
		if (s == NATS_OK)
			break;
		if (!c->retry || (s != NATS_NO_SERVER && s != NATS_TIMEOUT &&
		    s != NATS_IO_ERROR)) {
			*cause = bus_connect_cause(c, s);
			return -1;
		}
		atomic_fetch_add(&bp->connects, 1);
		if (!said++ && c->note != NULL) {
			char *why = bus_cause(c->urls, s, 0);

			c->note(c->note_arg, why);
			free(why);
		}
		if (bus_wait_stopped(c, BUS_RETRY_WAIT)) {
			*stopped = 1;
			*cause = xasprintf("%s: stopped while no server answered "
			    "(%llu attempts)", c->urls,
			    (unsigned long long)atomic_load(&bp->connects));
			return -1;
		}
	}
	if (natsConnection_GetConnectedUrl(b->nc, bp->server,
	    sizeof(bp->server)) != NATS_OK)
		(void)snprintf(bp->server, sizeof(bp->server), "%s", c->urls);
	return 0;
}

/*
 * The stream, waiting while JetStream does not answer yet (a cluster
 * electing its leader): its own refusals, but "temporarily unavailable",
 * are for good.
 */
static int
bus_stream_wait(struct bus *b, int *stopped, char **cause)
{
	const struct bus_conf *c = &b->pub->conf;
	int said = 0;

	for (;;) {
		if (bus_stream(b, cause) == 0)
			return 0;
		if (!c->retry || (strstr(*cause, "JetStream error") != NULL &&
		    strstr(*cause, "JetStream error 10008") == NULL))
			return -1;
		atomic_fetch_add(&b->pub->connects, 1);
		if (!said++ && c->note != NULL)
			c->note(c->note_arg, *cause);
		free(*cause);
		*cause = NULL;
		if (bus_wait_stopped(c, BUS_RETRY_WAIT)) {
			*stopped = 1;
			*cause = xasprintf("%s: stopped while JetStream did not "
			    "answer", c->urls);
			return -1;
		}
	}
}

struct bus *
bus_open_conf(const struct bus_conf *conf, int *stopped, char **cause)
{
	struct bus *b;
	struct bus_pub *bp;
	natsOptions *opts;
	jsOptions jo;
	natsStatus s;

	*stopped = 0;
	if (!bus_name_ok(conf->prefix)) {
		*cause = xasprintf("\"%s\" is not a stream name (letters, "
		    "digits, - and _)", conf->prefix);
		return NULL;
	}
	b = xcalloc(1, sizeof(*b));
	b->stream = xstrdup(conf->prefix);
	atomic_init(&b->refused, 0);
	atomic_init(&b->lasterr, NATS_OK);
	b->pub = bp = xcalloc(1, sizeof(*bp));
	bp->conf = *conf;
	bp->urls = xstrdup(conf->urls);
	bp->conf.urls = bp->urls;
	bp->conf.prefix = b->stream;
	(void)snprintf(bp->server, sizeof(bp->server), "%s", conf->urls);
	pthread_mutex_init(&bp->mu, NULL);
	atomic_store(&bp->progress, bus_ms());
	if ((opts = bus_options(b, cause)) == NULL)
		goto fail;
	if (bus_connect(b, opts, stopped, cause) == -1) {
		natsOptions_Destroy(opts);
		goto fail;
	}
	natsOptions_Destroy(opts);
	jsOptions_Init(&jo);
	jo.PublishAsync.MaxPending = conf->maxpending;
	jo.PublishAsync.AckHandler = bus_ack_cb;
	jo.PublishAsync.AckHandlerClosure = b;
	jo.PublishAsync.StallWait = 200;
	if ((s = natsConnection_JetStream(&b->js, b->nc, &jo)) != NATS_OK) {
		*cause = bus_cause("JetStream", s, 0);
		goto fail;
	}
	if (bus_stream_wait(b, stopped, cause) == -1)
		goto fail;
	atomic_store(&bp->progress, bus_ms());
	return b;
fail:
	bus_close(b);
	return NULL;
}

int
bus_publish_wait(struct bus *b, const char *subject, const void *data,
    size_t len, const char *msgid, char **cause)
{
	struct bus_pub *bp = b->pub;
	jsPubOptions po;
	natsStatus s;

	if (bp == NULL)
		return bus_publish(b, subject, data, len, msgid, cause);
	jsPubOptions_Init(&po);
	po.MsgId = msgid;
	for (;;) {
		bus_service(b);
		atomic_fetch_add(&bp->outstanding, 1);
		s = js_PublishAsync(b->js, subject, data, (int)len, &po);
		if (s == NATS_OK) {
			atomic_fetch_add(&bp->published, 1);
			return 0;
		}
		atomic_fetch_sub(&bp->outstanding, 1);
		/* NATS_TIMEOUT: MaxPending in flight for StallWait. */
		if (s != NATS_TIMEOUT && (!bp->conf.retry ||
		    !bus_transient(s, 0))) {
			*cause = bus_cause(subject, s, 0);
			return -1;
		}
		/* Blocked: a stop ends the wait. */
		if (bp->conf.stop != NULL && *bp->conf.stop) {
			*cause = xasprintf("%s: stopped while waiting for the "
			    "server's acknowledgments", bp->server);
			return -1;
		}
		if (s != NATS_TIMEOUT)
			bus_nap(BUS_NAP);
	}
}

int
bus_flush_wait(struct bus *b, int patience_ms, char **cause)
{
	struct bus_pub *bp = b->pub;
	int64_t start = bus_ms();
	jsPubOptions po;
	unsigned long n;
	long long left;
	int stopped;

	if (bp == NULL)
		return bus_flush(b, cause);
	stopped = bp->conf.stop != NULL && *bp->conf.stop;
	/* A run stopped already gets a grace, not a wait without end. */
	if (stopped && patience_ms < 0)
		patience_ms = BUS_GRACE;
	jsPubOptions_Init(&po);
	po.MaxWait = 100;
	for (;;) {
		bus_service(b);
		left = atomic_load(&bp->outstanding) + (long long)bus_nretry(bp);
		if (left <= 0)
			break;
		if ((!stopped && bp->conf.stop != NULL && *bp->conf.stop) ||
		    (stopped && bp->conf.hurry != NULL && *bp->conf.hurry) ||
		    (patience_ms >= 0 && bus_ms() - start > patience_ms)) {
			*cause = xasprintf("%s: %lld messages not acknowledged "
			    "(%s)", bp->server, left, patience_ms >= 0 &&
			    bus_ms() - start > patience_ms ? "no answer in time" :
			    "stopped while waiting");
			return -1;
		}
		if (js_PublishAsyncComplete(b->js, &po) == NATS_OK)
			bus_nap(BUS_NAP);
	}
	if ((n = atomic_load(&b->refused)) > 0) {
		*cause = xasprintf("%s: %lu messages refused (%s)", bp->server,
		    n, natsStatus_GetText((natsStatus)atomic_load(&b->lasterr)));
		return -1;
	}
	return 0;
}

void
bus_pub_stats(struct bus *b, struct bus_pub_stats *st)
{
	struct bus_pub *bp = b->pub;

	memset(st, 0, sizeof(*st));
	if (bp == NULL)
		return;
	st->published = atomic_load(&bp->published);
	st->acked = atomic_load(&bp->acked);
	st->connects = atomic_load(&bp->connects);
	st->resent = atomic_load(&bp->resent);
	st->refused = atomic_load(&bp->refusedn);
	st->disconnects = atomic_load(&bp->disconnects);
}

const char *
bus_server(struct bus *b)
{
	return b->pub != NULL ? b->pub->server : b->stream;
}

static void
bus_pub_free(struct bus_pub *bp)
{
	size_t i;

	if (bp == NULL)
		return;
	for (i = 0; i < bp->nretry; i++)
		natsMsg_Destroy(bp->retry[i]);
	free(bp->retry);
	free(bp->urls);
	pthread_mutex_destroy(&bp->mu);
	free(bp);
}

/*
 * Key-value buckets (bus.h). libnats' kvStore_Create() and
 * kvStore_Update() say only that they failed: whether the key was there
 * (or at another revision) is then asked with kvStore_Get().
 */
struct bus_kv {
	kvStore		*kv;
	char		*bucket;
};

struct bus_kv *
bus_kv_open(struct bus *b, const char *bucket, int64_t ttl_ms,
    char **cause)
{
	struct bus_kv *k;
	kvConfig kc;
	natsStatus s;

	if (!bus_name_ok(bucket)) {
		*cause = xasprintf("\"%s\" is not a bucket name", bucket);
		return NULL;
	}
	k = xcalloc(1, sizeof(*k));
	k->bucket = xstrdup(bucket);
	s = js_KeyValue(&k->kv, b->js, bucket);
	if (s == NATS_NOT_FOUND) {
		kvConfig_Init(&kc);
		kc.Bucket = bucket;
		kc.History = 1;
		kc.TTL = ttl_ms;
		kc.StorageType = js_FileStorage;
		kc.Replicas = bus_replicas(b);
		s = js_CreateKeyValue(&k->kv, b->js, &kc);
		/* Made by another meanwhile. */
		if (s != NATS_OK)
			s = js_KeyValue(&k->kv, b->js, bucket);
	}
	if (s != NATS_OK) {
		*cause = bus_cause(bucket, s, 0);
		free(k->bucket);
		free(k);
		return NULL;
	}
	return k;
}

void
bus_kv_free(struct bus_kv *k)
{
	if (k == NULL)
		return;
	kvStore_Destroy(k->kv);
	free(k->bucket);
	free(k);
}

int
bus_kv_get(struct bus_kv *k, const char *key, char **data, size_t *len,
    uint64_t *rev, char **cause)
{
	kvEntry *e = NULL;
	natsStatus s;
	int n;

	s = kvStore_Get(&e, k->kv, key);
	if (s == NATS_NOT_FOUND)
		return 0;
	if (s != NATS_OK) {
		*cause = bus_cause(key, s, 0);
		return -1;
	}
	n = kvEntry_ValueLen(e);
	*len = n > 0 ? (size_t)n : 0;
	*data = xmalloc(*len + 1);
	if (*len > 0)
		memcpy(*data, kvEntry_Value(e), *len);
	(*data)[*len] = '\0';
	if (rev != NULL)
		*rev = kvEntry_Revision(e);
	kvEntry_Destroy(e);
	return 1;
}

int
bus_kv_put(struct bus_kv *k, const char *key, const void *data, size_t len,
    char **cause)
{
	natsStatus s;

	if (len > INT32_MAX) {
		*cause = xasprintf("%s: %zu bytes is too large", key, len);
		return -1;
	}
	if ((s = kvStore_Put(NULL, k->kv, key, data, (int)len)) != NATS_OK) {
		*cause = bus_cause(key, s, 0);
		return -1;
	}
	return 0;
}

/* After a failed create or update: 0 if key is (or is not) at last. */
static int
bus_kv_conflict(struct bus_kv *k, const char *key, natsStatus s,
    char **cause)
{
	kvEntry *e = NULL;
	natsStatus g;

	*cause = bus_cause(key, s, 0);
	g = kvStore_Get(&e, k->kv, key);
	kvEntry_Destroy(e);
	if (g == NATS_OK || g == NATS_NOT_FOUND) {
		free(*cause);
		*cause = NULL;
		return 0;
	}
	return -1;
}

int
bus_kv_create(struct bus_kv *k, const char *key, const void *data,
    size_t len, uint64_t *rev, char **cause)
{
	kvEntry *e = NULL;
	natsStatus s, g;
	int tries;

	/*
	 * Refused with no value there: a bucket just made may not take
	 * writes yet; tried again a few times.
	 */
	for (tries = 0; tries < 20; tries++) {
		s = kvStore_Create(rev, k->kv, key, data, (int)len);
		if (s == NATS_OK)
			return 1;
		*cause = bus_cause(key, s, 0);
		g = kvStore_Get(&e, k->kv, key);
		kvEntry_Destroy(e);
		e = NULL;
		if (g == NATS_OK) {
			free(*cause);
			*cause = NULL;
			return 0;
		}
		if (g != NATS_NOT_FOUND)
			return -1;
		free(*cause);
		*cause = NULL;
		bus_nap(100);
	}
	*cause = bus_cause(key, s, 0);
	return -1;
}

int
bus_kv_update(struct bus_kv *k, const char *key, const void *data,
    size_t len, uint64_t last, uint64_t *rev, char **cause)
{
	natsStatus s;

	s = kvStore_Update(rev, k->kv, key, data, (int)len, last);
	if (s == NATS_OK)
		return 1;
	return bus_kv_conflict(k, key, s, cause);
}

int
bus_kv_delete(struct bus_kv *k, const char *key, char **cause)
{
	natsStatus s;

	if ((s = kvStore_Delete(k->kv, key)) != NATS_OK) {
		*cause = bus_cause(key, s, 0);
		return -1;
	}
	return 0;
}
