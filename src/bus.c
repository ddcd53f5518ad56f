/*
 * bus: NATS JetStream through libnats (bus.h). Publishing is libnats'
 * asynchronous publish, bounded by jsOptions' PublishAsync.MaxPending;
 * a refused publish is counted by the error handler, on a libnats
 * thread, and reported by bus_flush(). Fetch batches stay below the
 * consumer's MaxAckPending: a batch larger than that can never fill, and
 * every fetch would wait out its timeout.
 */
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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
};

struct bus_sub {
	natsSubscription *sub;
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
	free(b);
	nats_Close();
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

struct bus_sub *
bus_pull(struct bus *b, const char *subject, const char *durable,
    char **cause)
{
	struct bus_sub *bs;
	jsSubOptions so;
	jsErrCode jerr = 0;
	natsStatus s;

	if (!bus_name_ok(durable)) {
		*cause = xasprintf("\"%s\" is not a consumer name", durable);
		return NULL;
	}
	bs = xcalloc(1, sizeof(*bs));
	jsSubOptions_Init(&so);
	so.Stream = b->stream;
	so.Config.AckPolicy = js_AckExplicit;
	so.Config.MaxAckPending = BUS_ACK_PENDING;
	s = js_PullSubscribe(&bs->sub, b->js, subject, durable, NULL, &so,
	    &jerr);
	if (s != NATS_OK) {
		*cause = bus_cause(subject, s, jerr);
		free(bs);
		return NULL;
	}
	return bs;
}

void
bus_sub_free(struct bus_sub *bs)
{
	if (bs == NULL)
		return;
	natsSubscription_Destroy(bs->sub);
	free(bs);
}

int
bus_fetch(struct bus_sub *bs, int timeout_ms, void (*cb)(void *arg,
    const char *subject, const char *data, size_t len), void *arg,
    char **cause)
{
	natsMsgList list;
	jsErrCode jerr = 0;
	natsStatus s;
	int i, n;

	s = natsSubscription_Fetch(&list, bs->sub, BUS_BATCH, timeout_ms,
	    &jerr);
	if (s == NATS_TIMEOUT)
		return 0;
	if (s != NATS_OK) {
		*cause = bus_cause("fetch", s, jerr);
		return -1;
	}
	for (i = 0; i < list.Count; i++) {
		cb(arg, natsMsg_GetSubject(list.Msgs[i]),
		    natsMsg_GetData(list.Msgs[i]),
		    (size_t)natsMsg_GetDataLength(list.Msgs[i]));
		if ((s = natsMsg_Ack(list.Msgs[i], NULL)) != NATS_OK) {
			*cause = bus_cause("ack", s, 0);
			natsMsgList_Destroy(&list);
			return -1;
		}
	}
	n = list.Count;
	natsMsgList_Destroy(&list);
	return n;
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
