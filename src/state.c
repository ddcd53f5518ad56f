/*
 * state: the --state file. See state.h for the contract and the format.
 *
 * Saving walks the table twice through wtab_each(): once to count the
 * bytes and customers the header announces, once to write them through a
 * small buffer that also runs the CRC. Loading reads the whole file, checks
 * the header, length and CRC, then restores into a table of its own, which
 * replaces the caller's only when every customer has passed wtab_restore():
 * a damaged file leaves the caller's table as it was. The CRC catches
 * accidents, not forgery, so every length is also checked against the
 * bytes left and every value against the table's limits.
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "afile.h"
#include "incident.h"
#include "regfile.h"
#include "registry.h"
#include "state.h"
#include "wtab.h"
#include "xmalloc.h"

#define STATE_MAGIC	"CXWSTATE"
#define STATE_VERSION	6	/* 6: a producer (written only with
				   one); 5: incidents (written only with
				   them; else 4); 4: detectors; 3: the
				   read registry; 2: folded groups; 1 to
				   5 are read too */
#define STATE_HEAD	84	/* bytes before the first customer */
#define STATE_CUSTMIN	23	/* smallest customer: 1-byte id, no events */
#define STATE_EVMIN	14	/* smallest event: no evidence */
#define STATE_REGENTRY	(8 * 3 + 1 + 4 + 32 + 4 + 32 + 8 + 8 + 1 + 8)
#define STATE_EVIDENCE	0x1
#define STATE_FOLDED	0x2	/* format 2 on; never with evidence */
#define STATE_RESET	"use --state-reset to start afresh"

struct state_out {
	int		 fd;		/* -1: count only */
	int		 err;		/* first errno, 0 while all is well */
	uint64_t	 total;		/* bytes put */
	uint64_t	 ncust;		/* customers put */
	uLong		 crc;
	const struct state_producer *prod;	/* NULL: none */
	size_t		 n;
	unsigned char	 buf[65536];
};

struct state_in {
	const unsigned char *p;
	size_t		 len;		/* up to the CRC */
	size_t		 off;
	int		 bad;		/* read past len */
	unsigned	 version;
	struct state_producer *prod;	/* NULL: none wanted */
};

static void
state_flush(struct state_out *o)
{
	size_t off = 0;
	ssize_t r;

	while (o->err == 0 && off < o->n) {
		r = write(o->fd, o->buf + off, o->n - off);
		if (r > 0)
			off += (size_t)r;
		else if (r == 0)
			o->err = EIO;
		else if (errno != EINTR)
			o->err = errno;
	}
	o->n = 0;
}

static void
state_put(struct state_out *o, const void *p, size_t len)
{
	const unsigned char *s = p;
	size_t k;

	o->total += len;
	if (o->fd == -1)
		return;
	while (len > 0 && o->err == 0) {
		if (o->n == sizeof(o->buf))
			state_flush(o);
		k = sizeof(o->buf) - o->n;
		if (k > len)
			k = len;
		memcpy(o->buf + o->n, s, k);
		o->crc = crc32(o->crc, s, (uInt)k);
		o->n += k;
		s += k;
		len -= k;
	}
}

static void
state_put_le(struct state_out *o, uint64_t v, size_t size)
{
	unsigned char b[8];
	size_t i;

	for (i = 0; i < size; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	state_put(o, b, size);
}

static int
state_put_cust(void *arg, const struct wtab_saved *c)
{
	const struct wtab_saved_event *e;
	struct state_out *o = arg;
	size_t k;

	state_put_le(o, c->keylen, 2);
	state_put(o, c->key, c->keylen);
	state_put_le(o, (uint64_t)c->now, 8);
	state_put_le(o, (uint64_t)c->suppressed_until, 8);
	state_put_le(o, (uint64_t)c->forgiven_until, 8);
	state_put_le(o, c->nevents, 4);
	for (k = 0; k < c->nevents; k++) {
		e = &c->events[k];
		state_put_le(o, (uint64_t)e->time, 8);
		state_put_le(o, e->weight, 2);
		state_put_le(o, e->rule, 2);
		state_put_le(o, e->channel, 1);
		if (e->folded != 0) {
			state_put_le(o, STATE_FOLDED, 1);
			state_put_le(o, e->folded, 8);
			state_put_le(o, (uint64_t)e->first, 8);
			continue;
		}
		state_put_le(o, e->evidence ? STATE_EVIDENCE : 0, 1);
		if (!e->evidence)
			continue;
		state_put_le(o, e->source, 4);
		state_put_le(o, e->linelen, 8);
		state_put(o, e->line, e->linelen);
	}
	o->ncust++;
	return o->err != 0;
}

static void
state_put_registry(struct state_out *o, const struct registry *reg)
{
	const struct registry_entry *e;
	size_t i, n = reg != NULL ? registry_count(reg) : 0;

	state_put_le(o, n, 4);
	for (i = 0; i < n; i++) {
		e = registry_entry(reg, i);
		state_put_le(o, e->dev, 8);
		state_put_le(o, e->ino, 8);
		state_put_le(o, e->size, 8);
		state_put_le(o, (uint64_t)e->gzip, 1);
		state_put_le(o, e->rawlen, 4);
		state_put(o, e->raw, sizeof(e->raw));
		state_put_le(o, e->textlen, 4);
		state_put(o, e->text, sizeof(e->text));
		state_put_le(o, e->offset, 8);
		state_put_le(o, e->lines, 8);
		state_put_le(o, (uint64_t)e->complete, 1);
		state_put_le(o, (uint64_t)e->seen, 8);
	}
}

/*
 * The whole file; total and ncust[] are the counting pass's results
 * (ncust NULL: the counting pass itself, which fills counted[]).
 */
/* Format 5: each rule's incident tracker, by name (incident.h). */
static void
state_put_incidents(struct state_out *o, const struct state_incidents *si)
{
	unsigned char *p;
	size_t i, len;

	state_put_le(o, si->n, 4);
	for (i = 0; i < si->n; i++) {
		len = strlen(si->rules[i]);
		state_put_le(o, len, 2);
		state_put(o, si->rules[i], len);
		p = incident_export(si->inc[i], &len);
		state_put_le(o, len, 8);
		state_put(o, p, len);
		free(p);
	}
}

static void
state_put_all(struct state_out *o, const struct state_table *tabs,
    size_t ntabs, const struct state_incidents *si,
    const struct registry *reg, uint64_t fp, uint64_t total,
    const uint64_t *ncust, uint64_t *counted)
{
	const struct wtab_config *cfg = wtab_config(tabs[0].wt);
	int64_t latest = INT64_MIN;
	size_t i, len;
	uint32_t crc;

	for (i = 0; i < ntabs; i++)
		if (wtab_latest(tabs[i].wt) > latest)
			latest = wtab_latest(tabs[i].wt);
	state_put(o, STATE_MAGIC, 8);
	state_put_le(o, o->prod != NULL ? 6 : si != NULL && si->n > 0 ? 5 :
	    4, 4);
	state_put_le(o, total, 8);
	state_put_le(o, fp, 8);
	state_put_le(o, cfg->nchannels, 4);
	state_put_le(o, cfg->nrules, 4);
	state_put_le(o, cfg->evidence, 4);
	state_put_le(o, (uint64_t)latest, 8);
	state_put_le(o, ntabs, 4);
	for (i = 0; i < ntabs; i++) {
		cfg = wtab_config(tabs[i].wt);
		len = strlen(tabs[i].name);
		state_put_le(o, len, 2);
		state_put(o, tabs[i].name, len);
		state_put_le(o, (uint64_t)cfg->window, 8);
		state_put_le(o, (uint64_t)cfg->cooldown, 8);
		state_put_le(o, cfg->threshold, 8);
		state_put_le(o, cfg->channels, 4);
		state_put_le(o, ncust != NULL ? ncust[i] : 0, 8);
	}
	for (i = 0; i < ntabs; i++) {
		o->ncust = 0;
		wtab_each(tabs[i].wt, state_put_cust, o);
		if (counted != NULL)
			counted[i] = o->ncust;
	}
	state_put_registry(o, reg);
	if (o->prod != NULL) {
		static const struct state_incidents none = { NULL, NULL, 0 };

		state_put_incidents(o, si != NULL ? si : &none);
		len = strlen(o->prod->name);
		state_put_le(o, len, 2);
		state_put(o, o->prod->name, len);
		state_put_le(o, o->prod->seq, 8);
	} else if (si != NULL && si->n > 0)
		state_put_incidents(o, si);
	crc = (uint32_t)o->crc;
	state_put_le(o, crc, 4);
}

int
state_save(const char *path, const struct state_table *tabs, size_t ntabs,
    const struct registry *reg, uint64_t fingerprint, char **cause)
{
	return state_save_all(path, tabs, ntabs, NULL, reg, fingerprint,
	    cause);
}

int
state_save_all(const char *path, const struct state_table *tabs,
    size_t ntabs, const struct state_incidents *si,
    const struct registry *reg, uint64_t fingerprint, char **cause)
{
	return state_save_prod(path, tabs, ntabs, si, reg, NULL, fingerprint,
	    cause);
}

int
state_save_prod(const char *path, const struct state_table *tabs,
    size_t ntabs, const struct state_incidents *si,
    const struct registry *reg, const struct state_producer *prod,
    uint64_t fingerprint, char **cause)
{
	struct state_out *o = xcalloc(1, sizeof(*o));
	uint64_t *ncust = xcalloc(ntabs, sizeof(*ncust));
	uint64_t *again = xcalloc(ntabs, sizeof(*again));
	struct afile *af;
	uint64_t total;
	int r = -1;

	o->fd = -1;
	o->prod = prod;
	state_put_all(o, tabs, ntabs, si, reg, fingerprint, 0, NULL, ncust);
	total = o->total;
	if ((af = afile_open(path, "state", 0600, cause)) == NULL)
		goto out;
	o->fd = afile_fd(af);
	o->total = 0;
	o->crc = crc32(0, NULL, 0);
	state_put_all(o, tabs, ntabs, si, reg, fingerprint, total, ncust,
	    again);
	state_flush(o);
	assert(o->err != 0 || (o->total == total &&
	    memcmp(ncust, again, ntabs * sizeof(*ncust)) == 0));
	r = afile_commit(af, o->err, cause);
out:
	free(ncust);
	free(again);
	free(o);
	return r;
}

static uint64_t
state_get_le(struct state_in *in, size_t size)
{
	uint64_t v = 0;
	size_t i;

	if (in->off > in->len || in->len - in->off < size) {
		in->bad = 1;
		in->off = in->len;
		return 0;
	}
	for (i = 0; i < size; i++)
		v |= (uint64_t)in->p[in->off + i] << (8 * i);
	in->off += size;
	return v;
}

static const char *
state_get_bytes(struct state_in *in, uint64_t len)
{
	const char *p = (const char *)in->p + in->off;

	if (in->off > in->len || len > in->len - in->off) {
		in->bad = 1;
		in->off = in->len;
		return NULL;
	}
	in->off += (size_t)len;
	return p;
}

static const char *
state_get_event(struct state_in *in, struct wtab_saved_event *e)
{
	unsigned flags;

	memset(e, 0, sizeof(*e));
	e->time = (int64_t)state_get_le(in, 8);
	e->weight = (unsigned)state_get_le(in, 2);
	e->rule = (unsigned)state_get_le(in, 2);
	e->channel = (unsigned)state_get_le(in, 1);
	flags = (unsigned)state_get_le(in, 1);
	if (flags != 0 && flags != STATE_EVIDENCE &&
	    (flags != STATE_FOLDED || in->version < 2))
		return "unknown event flags";
	if (flags & STATE_FOLDED) {
		e->folded = state_get_le(in, 8);
		e->first = (int64_t)state_get_le(in, 8);
		if (!in->bad && e->folded == 0)
			return "empty group of folded events";
	}
	if (flags & STATE_EVIDENCE) {
		e->evidence = 1;
		e->source = (unsigned)state_get_le(in, 4);
		e->linelen = state_get_le(in, 8);
		e->line = state_get_bytes(in, e->linelen);
	}
	return in->bad ? "lengths do not fit the file" : NULL;
}

/*
 * One customer into t. *ev is scratch that grows, but only as far as the
 * bytes left could hold events.
 */
static const char *
state_get_cust(struct state_in *in, struct wtab *t,
    struct wtab_saved_event **ev, size_t *evcap, size_t *at)
{
	struct wtab_saved c;
	const char *why;
	uint64_t n;
	size_t k;

	*at = in->off;
	c.keylen = (size_t)state_get_le(in, 2);
	if (!in->bad && (c.keylen == 0 || c.keylen > WTAB_MAXKEY))
		return "customer id length out of range";
	c.key = state_get_bytes(in, c.keylen);
	c.now = (int64_t)state_get_le(in, 8);
	c.suppressed_until = (int64_t)state_get_le(in, 8);
	c.forgiven_until = in->version >= 4 ?
	    (int64_t)state_get_le(in, 8) : INT64_MIN;
	n = state_get_le(in, 4);
	if (in->bad || n > (in->len - in->off) / STATE_EVMIN)
		return "lengths do not fit the file";
	if (n > *evcap) {
		*ev = xreallocarray(*ev, (size_t)n, sizeof(**ev));
		*evcap = (size_t)n;
	}
	for (k = 0; k < n; k++) {
		*at = in->off;
		if ((why = state_get_event(in, &(*ev)[k])) != NULL)
			return why;
	}
	c.events = *ev;
	c.nevents = (size_t)n;
	return wtab_restore(t, &c, &why) == -1 ? why : NULL;
}

static const char *
state_get_registry(struct state_in *in, struct registry *reg, size_t *at)
{
	struct registry_entry e;
	const unsigned char *p;
	const char *why;
	uint64_t n, i;

	*at = in->off;
	n = state_get_le(in, 4);
	if (in->bad || n > (in->len - in->off) / STATE_REGENTRY)
		return "input file count does not fit the file";
	for (i = 0; i < n; i++) {
		*at = in->off;
		memset(&e, 0, sizeof(e));
		e.dev = state_get_le(in, 8);
		e.ino = state_get_le(in, 8);
		e.size = state_get_le(in, 8);
		e.gzip = (int)state_get_le(in, 1);
		e.rawlen = (uint32_t)state_get_le(in, 4);
		if ((p = (const unsigned char *)state_get_bytes(in,
		    sizeof(e.raw))) != NULL)
			memcpy(e.raw, p, sizeof(e.raw));
		e.textlen = (uint32_t)state_get_le(in, 4);
		if ((p = (const unsigned char *)state_get_bytes(in,
		    sizeof(e.text))) != NULL)
			memcpy(e.text, p, sizeof(e.text));
		e.offset = state_get_le(in, 8);
		e.lines = state_get_le(in, 8);
		e.complete = (int)state_get_le(in, 1);
		e.seen = (int64_t)state_get_le(in, 8);
		if (in->bad)
			return "lengths do not fit the file";
		if (registry_restore(reg, &e, &why) == -1)
			return why;
	}
	return NULL;
}

/* n customers into t. */
static const char *
state_get_custs(struct state_in *in, struct wtab *t, uint64_t n, size_t *at)
{
	struct wtab_saved_event *ev = NULL;
	const char *why = NULL;
	size_t evcap = 0;
	uint64_t i;

	for (i = 0; i < n && why == NULL; i++)
		why = state_get_cust(in, t, &ev, &evcap, at);
	free(ev);
	return why;
}

/*
 * Format 5: the trackers, by rule name in si's order, into ni[] (fresh
 * trackers of si's configs).
 */
static const char *
state_get_incidents(struct state_in *in, const struct state_incidents *si,
    struct incident **ni, size_t *at)
{
	const unsigned char *p;
	const char *name, *why;
	uint64_t len;
	size_t i, nlen;

	*at = in->off;
	if (state_get_le(in, 4) != si->n || in->bad)
		return "not the rules' incident trackers";
	for (i = 0; i < si->n; i++) {
		*at = in->off;
		nlen = (size_t)state_get_le(in, 2);
		name = state_get_bytes(in, nlen);
		if (name == NULL || nlen != strlen(si->rules[i]) ||
		    memcmp(name, si->rules[i], nlen) != 0)
			return "not the rules' incident trackers";
		len = state_get_le(in, 8);
		if ((p = (const unsigned char *)state_get_bytes(in,
		    len)) == NULL)
			return "incident tracker does not fit the file";
		if (incident_import(ni[i], p, (size_t)len, &why) == -1)
			return why;
	}
	return NULL;
}

/* Format 6: the producer, into in->prod (checked by the caller). */
static const char *
state_get_producer(struct state_in *in, size_t *at)
{
	const char *name;
	size_t len;

	*at = in->off;
	len = (size_t)state_get_le(in, 2);
	if (in->bad || len == 0 || len >= sizeof(in->prod->name))
		return "producer name length out of range";
	if ((name = state_get_bytes(in, len)) == NULL ||
	    memchr(name, '\0', len) != NULL)
		return "producer name does not fit the file";
	memcpy(in->prod->name, name, len);
	in->prod->name[len] = '\0';
	in->prod->seq = state_get_le(in, 8);
	in->prod->present = 1;
	return in->bad ? "lengths do not fit the file" : NULL;
}

/*
 * After the configuration (state_check_config()), at T: the tables'
 * customers, the registry, format 5's incident trackers, and nothing
 * more.
 */
static const char *
state_get_payload(struct state_in *in, struct wtab **nt, size_t ntabs,
    const uint64_t *ncust, struct registry *reg,
    const struct state_incidents *si, struct incident **ni, size_t *at)
{
	const char *why = NULL;
	uint64_t n;
	size_t i;

	for (i = 0; i < ntabs && why == NULL; i++) {
		n = ncust[i];
		if (in->version < 4) {
			*at = in->off;
			n = state_get_le(in, 8);
		}
		if (n > (in->len - in->off) / STATE_CUSTMIN)
			return "customer count does not fit the file";
		why = state_get_custs(in, nt[i], n, at);
	}
	if (why == NULL && in->version >= 3)
		why = state_get_registry(in, reg, at);
	if (why == NULL && in->version >= 5)
		why = state_get_incidents(in, si, ni, at);
	if (why == NULL && in->version >= 6)
		why = state_get_producer(in, at);
	if (why == NULL && in->off != in->len) {
		*at = in->off;
		why = "bytes after the last customer";
	}
	return why;
}

static int
state_read(const char *path, unsigned char **bufp, size_t *lenp,
    char **cause)
{
	unsigned char *buf;
	const char *kind;
	struct stat st;
	size_t len = 0;
	ssize_t r;
	int fd;

	/* A FIFO must not hang the run: refused before it is read. */
	if ((fd = regfile_open(path, &st, &kind)) == -1) {
		if (kind == NULL && errno == ENOENT)
			return 1;
		*cause = kind != NULL ? xasprintf("%s: cannot read state: it "
		    "is %s, not a regular file", path, kind) :
		    xasprintf("%s: cannot read state: %s", path,
		    strerror(errno));
		return -1;
	}
	if ((uintmax_t)st.st_size > SIZE_MAX / 2) {
		*cause = xasprintf("%s: cannot read state: too large", path);
		close(fd);
		return -1;
	}
	buf = xmalloc((size_t)st.st_size + 1);
	while (len < (size_t)st.st_size) {
		r = read(fd, buf + len, (size_t)st.st_size - len);
		if (r == 0)
			break;
		if (r > 0)
			len += (size_t)r;
		else if (errno != EINTR) {
			*cause = xasprintf("%s: cannot read state: %s", path,
			    strerror(errno));
			free(buf);
			close(fd);
			return -1;
		}
	}
	close(fd);
	*bufp = buf;
	*lenp = len;
	return 0;
}

static uint32_t
state_crc(const unsigned char *p, size_t len)
{
	uLong crc = crc32(0, NULL, 0);
	size_t k;

	for (; len > 0; p += k, len -= k) {
		k = len < (1U << 30) ? len : (1U << 30);
		crc = crc32(crc, p, (uInt)k);
	}
	return (uint32_t)crc;
}

/* Magic, version, length and CRC: is this an intact file of ours? */
static int
state_check_file(const char *path, const unsigned char *buf, size_t len,
    char **cause)
{
	struct state_in in = { buf, len, 8, 0, 0, NULL };
	uint64_t version, total;

	if (memcmp(buf, STATE_MAGIC, len < 8 ? len : 8) != 0) {
		*cause = xasprintf("%s: not a cxwatch state file", path);
		return -1;
	}
	version = state_get_le(&in, 4);
	total = state_get_le(&in, 8);
	if (!in.bad && version > STATE_VERSION) {
		*cause = xasprintf("%s: made by a newer cxwatch (state format "
		    "%u, this one reads %u); upgrade cxwatch or %s", path,
		    (unsigned)version, STATE_VERSION, STATE_RESET);
		return -1;
	}
	if (!in.bad && (version < 1 || version > STATE_VERSION)) {
		*cause = xasprintf("%s: unknown state format %u; %s", path,
		    (unsigned)version, STATE_RESET);
		return -1;
	}
	if (in.bad || len < STATE_HEAD + 4 || total > len) {
		*cause = xasprintf("%s: truncated (%zu bytes); %s", path, len,
		    STATE_RESET);
		return -1;
	}
	if (total != len) {
		*cause = xasprintf("%s: damaged (%zu bytes, %llu expected); %s",
		    path, len, (unsigned long long)total, STATE_RESET);
		return -1;
	}
	in.off = len - 4;
	in.len = len;
	if (state_get_le(&in, 4) != state_crc(buf, len - 4)) {
		*cause = xasprintf("%s: damaged (checksum mismatch); %s", path,
		    STATE_RESET);
		return -1;
	}
	return 0;
}

/* The settings of one table, as the file has them, against t's. */
static const char *
state_check_settings(struct state_in *in, const struct wtab *t)
{
	const struct wtab_config *cfg = wtab_config(t);

	if (state_get_le(in, 8) != (uint64_t)cfg->window)
		return "window";
	if (state_get_le(in, 8) != (uint64_t)cfg->cooldown)
		return "cooldown";
	if (state_get_le(in, 8) != cfg->threshold)
		return "threshold";
	if (state_get_le(in, 4) != cfg->channels)
		return "channels";
	return NULL;
}

/*
 * Fingerprint and configuration: was it made with these rules, these
 * detectors and these settings? Leaves in at T, with ncust[] (format 4)
 * filled. Formats 1 to 3 had one table: that of a rule set without
 * detectors, "default".
 */
static int
state_check_config(const char *path, struct state_in *in,
    const struct state_table *tabs, size_t ntabs, uint64_t fingerprint,
    uint64_t *ncust, char **cause)
{
	const struct wtab_config *cfg = wtab_config(tabs[0].wt);
	const char *what = NULL, *name;
	char *det = NULL;
	size_t i, len;

	if (state_get_le(in, 8) != fingerprint)
		what = "rules, or the --pseudonymize key,";
	else if (in->version < 4 && (ntabs != 1 ||
	    strcmp(tabs[0].name, "default") != 0))
		what = "detectors";
	else if (in->version < 4)
		what = state_check_settings(in, tabs[0].wt);
	if (what == NULL && state_get_le(in, 4) != cfg->nchannels)
		what = "number of channels";
	else if (what == NULL && state_get_le(in, 4) != cfg->nrules)
		what = "number of rules";
	else if (what == NULL && state_get_le(in, 4) != cfg->evidence)
		what = "evidence lines";
	if (what == NULL && in->version >= 4) {
		(void)state_get_le(in, 8);	/* T */
		if (state_get_le(in, 4) != ntabs)
			what = "detectors";
		for (i = 0; what == NULL && i < ntabs; i++) {
			len = (size_t)state_get_le(in, 2);
			name = state_get_bytes(in, len);
			if (name == NULL || len != strlen(tabs[i].name) ||
			    memcmp(name, tabs[i].name, len) != 0)
				what = "detectors";
			else if ((what = state_check_settings(in,
			    tabs[i].wt)) != NULL)
				det = xasprintf("%s of detector %s", what,
				    tabs[i].name);
			ncust[i] = state_get_le(in, 8);
		}
		/* Back to T, for state_load(). */
		if (what == NULL && !in->bad)
			in->off = 40;
	}
	if (what == NULL && !in->bad)
		return 0;
	if (what == NULL) {
		*cause = xasprintf("%s: truncated in its header; %s", path,
		    STATE_RESET);
		return -1;
	}
	*cause = xasprintf("%s: made with other rules or settings (%s "
	    "changed); %s", path, det != NULL ? det : what, STATE_RESET);
	free(det);
	return -1;
}

int
state_load(const char *path, const struct state_table *tabs, size_t ntabs,
    struct registry *reg, uint64_t fingerprint, char **cause)
{
	return state_load_all(path, tabs, ntabs, NULL, reg, fingerprint,
	    cause);
}

int
state_load_all(const char *path, const struct state_table *tabs,
    size_t ntabs, const struct state_incidents *si, struct registry *reg,
    uint64_t fingerprint, char **cause)
{
	return state_load_prod(path, tabs, ntabs, si, reg, NULL, fingerprint,
	    cause);
}

int
state_load_prod(const char *path, const struct state_table *tabs,
    size_t ntabs, const struct state_incidents *si, struct registry *reg,
    struct state_producer *prod, uint64_t fingerprint, char **cause)
{
	static const struct state_incidents none = { NULL, NULL, 0 };
	struct incident **ni;
	struct state_producer nprod;
	struct state_in in;
	unsigned char *buf;
	struct registry *nreg;
	struct wtab **nt;
	uint64_t *ncust;
	const char *why = NULL;
	size_t len, at, i, hdr;
	int64_t latest;
	int r;

	if ((r = state_read(path, &buf, &len, cause)) != 0)
		return r;
	r = -1;
	if (si == NULL)
		si = &none;
	ni = xcalloc(si->n + 1, sizeof(*ni));
	for (i = 0; i < si->n; i++)
		ni[i] = incident_new(incident_config(si->inc[i]));
	nt = xcalloc(ntabs, sizeof(*nt));
	ncust = xcalloc(ntabs, sizeof(*ncust));
	nreg = registry_new();
	if (state_check_file(path, buf, len, cause) == -1)
		goto out;
	in.p = buf;
	in.len = len - 4;
	in.off = 8;
	in.bad = 0;
	in.version = (unsigned)state_get_le(&in, 4);
	in.off = 20;
	in.prod = &nprod;
	memset(&nprod, 0, sizeof(nprod));
	if (in.version >= 6 && prod == NULL) {
		*cause = xasprintf("%s: made by cxwatch --emit (a producer's "
		    "state); give each stage its own --state file", path);
		goto out;
	}
	if (state_check_config(path, &in, tabs, ntabs, fingerprint, ncust,
	    cause) == -1)
		goto out;
	/* The fingerprint covers [incident]; this is for a forged file. */
	if ((in.version == 5 && si->n == 0) || (in.version < 5 &&
	    si->n > 0)) {
		*cause = xasprintf("%s: made with other rules or settings "
		    "(incident changed); %s", path, STATE_RESET);
		goto out;
	}
	at = in.off;
	latest = (int64_t)state_get_le(&in, 8);
	for (i = 0; i < ntabs; i++) {
		nt[i] = wtab_new(wtab_config(tabs[i].wt));
		if (why == NULL && wtab_set_latest(nt[i], latest, &why) == -1)
			break;
	}
	if (why == NULL && in.version >= 4) {
		/* Past the table headers, to the first table's customers. */
		in.off += 4;
		for (i = 0; i < ntabs; i++) {
			hdr = (size_t)state_get_le(&in, 2);
			in.off += hdr + 36;
		}
	}
	if (why == NULL)
		why = state_get_payload(&in, nt, ntabs, ncust, nreg, si, ni,
		    &at);
	if (why != NULL) {
		*cause = xasprintf("%s: damaged at byte %zu: %s; %s", path, at,
		    why, STATE_RESET);
		goto out;
	}
	for (i = 0; i < ntabs; i++)
		wtab_swap(tabs[i].wt, nt[i]);
	if (reg != NULL)
		registry_swap(reg, nreg);
	for (i = 0; i < si->n; i++)
		incident_swap(si->inc[i], ni[i]);
	if (prod != NULL)
		*prod = nprod;
	r = 0;
out:
	for (i = 0; i < si->n; i++)
		incident_free(ni[i]);
	free(ni);
	for (i = 0; i < ntabs; i++)
		wtab_free(nt[i]);
	free(nt);
	free(ncust);
	registry_free(nreg);
	free(buf);
	return r;
}

/*
 * The run's lock: PATH.lock beside the (resolved) state file, locked
 * with flock(2) and holding the pid of the run that has it. The lock goes
 * with the process, however it ends, so a lock file left behind never
 * blocks a later run; it is never removed, since removing it would let a
 * third run lock a new file while the second still holds the old.
 */
struct state_lock {
	char		*path;		/* the state file, links resolved */
	int		 fd;		/* -1: not locked (see state_lock) */
};

/* Is fd a temporary of state_save(): empty or a prefix of the magic? */
static int
state_tmp_ours(int fd)
{
	char head[sizeof(STATE_MAGIC) - 1];
	size_t len = 0;
	ssize_t n;

	while (len < sizeof(head) &&
	    (n = read(fd, head + len, sizeof(head) - len)) != 0) {
		if (n == -1 && errno != EINTR)
			return 0;
		if (n > 0)
			len += (size_t)n;
	}
	return memcmp(head, STATE_MAGIC, len) == 0;
}

/* The pid the holder of lock file fd wrote, if it still runs, or 0. */
static long
state_lock_pid(int fd)
{
	char buf[32];
	ssize_t n;
	long pid = 0;
	int i;

	if ((n = pread(fd, buf, sizeof(buf) - 1, 0)) <= 0)
		return 0;
	for (i = 0; i < n && buf[i] >= '0' && buf[i] <= '9' &&
	    pid < 100000000; i++)
		pid = pid * 10 + (buf[i] - '0');
	if (i == 0 || i == n || buf[i] != '\n')
		return 0;
	return kill((pid_t)pid, 0) == 0 || errno == EPERM ? pid : 0;
}

/* Lock l->path; 0, 1 when it could not be tried (*note), -1 held. */
static int
state_lock_take(struct state_lock *l, const char *name, char **note,
    char **cause)
{
	char *lpath = xasprintf("%s.lock", l->path), pid[32];
	long other;
	int n, r = -1;

	l->fd = open(lpath, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (l->fd == -1) {
		/* No directory, or not ours to write: the save will say. */
		r = errno == ENOENT || errno == EACCES || errno == EROFS ||
		    errno == EPERM ? 1 : -1;
		if (r == -1)
			*cause = xasprintf("%s: cannot lock it: %s: %s", name,
			    lpath, strerror(errno));
		goto out;
	}
	if (flock(l->fd, LOCK_EX | LOCK_NB) == 0) {
		n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
		if (ftruncate(l->fd, 0) == -1 ||
		    pwrite(l->fd, pid, (size_t)n, 0) == -1) {
			/* The pid only helps a second run's message. */
		}
		r = 0;
	} else if (errno == EWOULDBLOCK) {
		other = state_lock_pid(l->fd);
		if (other > 0)
			*cause = xasprintf("%s: in use by another cxwatch "
			    "(pid %ld holds %s); wait for it to end, or give "
			    "each run its own --state file", name, other,
			    lpath);
		else
			*cause = xasprintf("%s: in use by another cxwatch "
			    "(it holds %s); wait for it to end, or give each "
			    "run its own --state file", name, lpath);
	} else {
		*note = xasprintf("%s: cannot lock %s: %s; a second run on "
		    "the same state would not be noticed", name, lpath,
		    strerror(errno));
		r = 1;
	}
	if (r != 0) {
		close(l->fd);
		l->fd = -1;
	}
out:
	free(lpath);
	return r;
}

struct state_lock *
state_lock(const char *path, char **note, char **cause)
{
	struct state_lock *l;
	size_t n;
	char *why = NULL;
	int r;

	*note = NULL;
	l = xcalloc(1, sizeof(*l));
	l->fd = -1;
	if ((l->path = afile_resolve(path, cause)) == NULL ||
	    (r = state_lock_take(l, path, note, cause)) == -1) {
		state_unlock(l);
		return NULL;
	}
	/* Only a run holding the lock knows no save is under way. */
	if (r == 0 && afile_clean(l->path, state_tmp_ours, &n, &why) == -1)
		*note = why;
	else if (r == 0 && n > 0)
		*note = xasprintf("%s: removed %zu temporary file%s left by "
		    "an interrupted save", path, n, n == 1 ? "" : "s");
	return l;
}

const char *
state_lock_path(const struct state_lock *l)
{
	return l->path;
}

void
state_unlock(struct state_lock *l)
{
	if (l == NULL)
		return;
	if (l->fd != -1) {
		if (ftruncate(l->fd, 0) == -1) {
			/* A pid left behind is checked before it is shown. */
		}
		close(l->fd);
	}
	free(l->path);
	free(l);
}
