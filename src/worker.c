/*
 * worker: a partition's lease, checkpoints and consumer (worker.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bus.h"
#include "ckpt.h"
#include "consume.h"
#include "engine.h"
#include "obuf.h"
#include "worker.h"
#include "xmalloc.h"

#define WORKER_MAGIC	"cxwatch-checkpoint 1\n"
#define WORKER_PATIENCE	60	/* tries, a second apart, at the start */

struct worker {
	const struct worker_conf *conf;
	struct ckpt	*ck;
	struct engine	*e;
	struct obuf	*out;
	struct consume	*c;
	char		 dir[256];	/* for the state file */
	char		 path[300];
	int64_t		 renewat, saveat;
	uint64_t	 alertsput;
	uint64_t	 skipped;	/* alerts written after the checkpoint */
	uint64_t	 saved;		/* consume_seen() at the last save */
	unsigned	 troubles;	/* ticks the bus failed, in a row */
	int		 leased;	/* the lease is ours */
	int		 held;		/* refused: another holds it */
	char		*cause;		/* why tick() ended the run */
	int		 lost;
};

static int64_t
worker_ms(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
worker_nap(int64_t ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000 };

	(void)nanosleep(&ts, NULL);
}

static void
worker_note(const struct worker *w, const char *what)
{
	if (w->conf->note != NULL)
		w->conf->note(w->conf->note_arg, what);
}

/* path's bytes, malloc'd; NULL and *cause when they cannot be read. */
static char *
worker_slurp(const char *path, size_t *len, char **cause)
{
	char *buf = NULL;
	size_t cap = 0, n = 0;
	ssize_t r;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (n == cap) {
			cap = cap == 0 ? 65536 : cap * 2;
			buf = xreallocarray(buf, cap, 1);
		}
		if ((r = read(fd, buf + n, cap - n)) == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	if (r == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		free(buf);
		buf = NULL;
	}
	(void)close(fd);
	*len = n;
	return buf;
}

static int
worker_spit(const char *path, const char *data, size_t len, char **cause)
{
	ssize_t r;
	size_t off = 0;
	int fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600)) == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	while (off < len) {
		if ((r = write(fd, data + off, len - off)) == -1) {
			if (errno == EINTR)
				continue;
			*cause = xasprintf("%s: %s", path, strerror(errno));
			(void)close(fd);
			return -1;
		}
		off += (size_t)r;
	}
	if (close(fd) == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* The checkpoint: the alerts, the position, the engine's state. */
static int
worker_save(struct worker *w, char **cause)
{
	struct obuf *pos = obuf_new(-1, 4096), *all;
	const char *p, *a;
	char *state;
	size_t plen, slen, alen;
	int r;

	switch (ckpt_renew(w->ck, cause)) {
	case 0:
		w->lost = 1;
		*cause = xasprintf("partition %u: the lease was lost (it "
		    "lapsed, or another worker took over); no checkpoint "
		    "saved", w->conf->partition);
		obuf_free(pos);
		return -1;
	case -1:
		obuf_free(pos);
		return -1;
	}
	w->renewat = worker_ms() + w->conf->lease / 3;
	if (w->conf->state(w->conf->state_arg, w->path, 1, cause) == -1) {
		obuf_free(pos);
		return -1;
	}
	state = worker_slurp(w->path, &slen, cause);
	(void)unlink(w->path);
	if (state == NULL) {
		obuf_free(pos);
		return -1;
	}
	consume_export(w->c, pos);
	p = obuf_data(pos, &plen);
	all = obuf_new(-1, plen + slen + 128);
	obuf_puts(all, WORKER_MAGIC);
	obuf_printf(all, "alerts %" PRIu64 "\nposition %zu\n",
	    engine_alerts(w->e), plen);
	obuf_put(all, p, plen);
	obuf_put(all, state, slen);
	a = obuf_data(all, &alen);
	r = ckpt_save(w->ck, a, alen, cause);
	obuf_free(all);
	obuf_free(pos);
	free(state);
	return r;
}

/*
 * The checkpoint into the engine and consumer: 1 loaded (*resume set),
 * 0 none, -1.
 */
static int
worker_load(struct worker *w, uint64_t *resume, char **cause)
{
	char *data, *p, *end, *why = NULL;
	uint64_t alerts, written;
	size_t len, plen;
	int r, n = 0;

	if ((r = ckpt_load(w->ck, &data, &len, &why)) == -2) {
		*cause = why;
		return -2;
	}
	if (r == -1) {
		*cause = xasprintf("partition %u's checkpoint (bucket %s-ckpt): "
		    "%s (use --state-reset to start afresh)",
		    w->conf->partition, w->conf->prefix, why);
		free(why);
		return -1;
	}
	if (r == 0) {
		/* None: the alerts written so far were all after it. */
		if (ckpt_alerts(w->ck, &written, cause) == -1)
			return -2;
		w->skipped = written;
		engine_skip_alerts(w->e, 0, written);
		w->alertsput = written;
		return 0;
	}
	p = data + strlen(WORKER_MAGIC);
	if (len < strlen(WORKER_MAGIC) || memcmp(data, WORKER_MAGIC,
	    strlen(WORKER_MAGIC)) != 0 || sscanf(p, "alerts %" SCNu64
	    "\nposition %zu\n%n", &alerts, &plen, &n) != 2 || n == 0 ||
	    plen > len - (size_t)(p + n - data)) {
		*cause = xasprintf("partition %u's checkpoint is not one "
		    "(use --state-reset to start afresh)", w->conf->partition);
		free(data);
		return -1;
	}
	p += n;
	end = data + len;
	if (consume_import(w->c, p, plen, resume, &why) == -1 ||
	    worker_spit(w->path, p + plen, (size_t)(end - p - plen),
	    &why) == -1 || w->conf->state(w->conf->state_arg, w->path, 0,
	    &why) == -1) {
		*cause = xasprintf("partition %u's checkpoint: %s (use "
		    "--state-reset to start afresh)", w->conf->partition, why);
		free(why);
		(void)unlink(w->path);
		free(data);
		return -1;
	}
	(void)unlink(w->path);
	free(data);
	if (ckpt_alerts(w->ck, &written, cause) == -1)
		return -2;
	w->skipped = written > alerts ? written - alerts : 0;
	engine_skip_alerts(w->e, alerts, w->skipped);
	w->alertsput = written > alerts ? written : alerts;
	return 1;
}

/*
 * The bus failed under the tick (the server away, say): said the first
 * time of a streak, tried again at the next tick.
 */
static void
worker_trouble(struct worker *w, char *cause)
{
	char *what;

	if (w->troubles++ == 0) {
		what = xasprintf("partition %u: %s; trying again",
		    w->conf->partition, cause);
		worker_note(w, what);
		free(what);
	}
	free(cause);
}

/* consume's tick: the alerts written, the lease, a checkpoint. */
static int
worker_tick(void *arg)
{
	struct worker *w = arg;
	int64_t now = worker_ms();
	uint64_t n = engine_alerts(w->e);
	char *cause = NULL;
	int ok = 1;

	if (n > w->alertsput) {
		if (ckpt_alerts_put(w->ck, n, &cause) == -1) {
			worker_trouble(w, cause);
			return 0;
		}
		w->alertsput = n;
	}
	/* A checkpoint when something came since the last. */
	if (now >= w->saveat && consume_seen(w->c) != w->saved) {
		if (worker_save(w, &cause) == -1) {
			if (w->lost) {
				w->cause = cause;
				return -1;
			}
			worker_trouble(w, cause);
			ok = 0;
			w->saveat = now + 1000;
		} else {
			w->saved = consume_seen(w->c);
			w->saveat = now + w->conf->every;
		}
	} else if (now >= w->renewat) {
		switch (ckpt_renew(w->ck, &cause)) {
		case 0:
			w->lost = 1;
			w->cause = xasprintf("partition %u: the lease was "
			    "lost (it lapsed, or another worker took over)",
			    w->conf->partition);
			return -1;
		case -1:
			worker_trouble(w, cause);
			ok = 0;
			w->renewat = now + 1000;
			break;
		default:
			w->renewat = now + w->conf->lease / 3;
		}
	}
	if (ok && w->troubles > 0) {
		worker_note(w, "the bus answers again");
		w->troubles = 0;
	}
	return 0;
}

/* Take the lease, or wait for it as a standby: 1, 0 stopped, -1. */
static int
worker_lease(struct worker *w, char **cause)
{
	char *holder = NULL, *what;
	int said = 0, r;

	for (;;) {
		if ((r = ckpt_lease(w->ck, w->conf->owner, &holder,
		    cause)) != 0)
			return r;
		if (!w->conf->standby) {
			w->held = 1;
			*cause = xasprintf("partition %u is held by %s (its "
			    "lease lapses %.3g s after it was last renewed); "
			    "--standby waits for it", w->conf->partition,
			    holder, (double)w->conf->lease / 1000);
			free(holder);
			return -1;
		}
		if (!said) {
			what = xasprintf("partition %u is held by %s: waiting "
			    "as a standby", w->conf->partition, holder);
			worker_note(w, what);
			free(what);
			said = 1;
		}
		free(holder);
		holder = NULL;
		if (*w->conf->stop)
			return 0;
		worker_nap(w->conf->lease / 4 > 0 ? w->conf->lease / 4 : 1);
		if (*w->conf->stop)
			return 0;
	}
}

int
worker_run(struct bus *b, struct engine *e, const struct ruleset *rs,
    struct obuf *out, const struct worker_conf *conf,
    struct consume_stats *st, char **cause)
{
	struct worker w;
	struct consume_conf cc = conf->cc;
	struct bus_sub *sub = NULL;
	const char *tmp = getenv("TMPDIR");
	char subject[300], durable[300], *what, *sink;
	uint64_t resume = 1;
	int r, rv = -1, tries;

	memset(&w, 0, sizeof(w));
	memset(st, 0, sizeof(*st));
	w.conf = conf;
	w.e = e;
	w.out = out;
	if (tmp == NULL || *tmp == '\0' || strlen(tmp) > 200)
		tmp = "/tmp";
	(void)snprintf(w.dir, sizeof(w.dir), "%s/cxwatch-ckpt.XXXXXX", tmp);
	if (mkdtemp(w.dir) == NULL) {
		*cause = xasprintf("%s: %s (set TMPDIR)", w.dir,
		    strerror(errno));
		return -1;
	}
	(void)snprintf(w.path, sizeof(w.path), "%s/state", w.dir);
	/*
	 * The buckets, the lease, the checkpoint: a cluster just started,
	 * or electing leaders, may not answer at first; tried again a
	 * second apart, up to WORKER_PATIENCE times.
	 */
	for (tries = 0; ; tries++) {
		if (tries > 0) {
			if (tries == 1) {
				what = xasprintf("partition %u: %s; trying "
				    "again every second", conf->partition,
				    *cause);
				worker_note(&w, what);
				free(what);
			}
			free(*cause);
			*cause = NULL;
			if (tries >= WORKER_PATIENCE || *conf->stop) {
				*cause = xasprintf("partition %u: the bus did "
				    "not answer in %d tries", conf->partition,
				    tries);
				goto out;
			}
			worker_nap(1000);
		}
		if (w.ck == NULL && (w.ck = ckpt_open(b, conf->prefix,
		    conf->partition, conf->lease, cause)) == NULL)
			continue;
		if (!w.leased) {
			if ((r = worker_lease(&w, cause)) == 0) {
				rv = 0;
				goto out;
			}
			if (r == -1 && !w.held)
				continue;
			if (r == -1)
				goto out;
			w.leased = 1;
		}
		if (w.c == NULL) {
			cc.tick = worker_tick;
			cc.tick_arg = &w;
			w.c = consume_new(e, rs, out, conf->prefix, &cc);
		}
		r = conf->reset ? 0 : worker_load(&w, &resume, cause);
		if (r == -2) {
			/* A fresh consumer for the next try. */
			consume_free(w.c);
			w.c = NULL;
			continue;
		}
		if (r == -1)
			goto out;
		break;
	}
	if (r == 0 && w.skipped > 0) {
		what = xasprintf("partition %u: no checkpoint, but %" PRIu64
		    " alert%s written already: not written again",
		    conf->partition, w.skipped, w.skipped == 1 ? "" : "s");
		worker_note(&w, what);
		free(what);
	}
	if (r == 1) {
		if (w.skipped > 0)
			what = xasprintf("partition %u: going on from its "
			    "checkpoint (stream sequence %" PRIu64 "; %" PRIu64
			    " alert%s written since then not written again)",
			    conf->partition, resume, w.skipped,
			    w.skipped == 1 ? "" : "s");
		else
			what = xasprintf("partition %u: going on from its "
			    "checkpoint (stream sequence %" PRIu64 ")",
			    conf->partition, resume);
		worker_note(&w, what);
		free(what);
	}
	(void)snprintf(subject, sizeof(subject), "%s.*.%u", conf->prefix,
	    conf->partition);
	(void)snprintf(durable, sizeof(durable), "%s-%u", conf->prefix,
	    conf->partition);
	if ((sub = bus_pull(b, subject, durable, resume, cause)) == NULL)
		goto out;
	w.renewat = worker_ms() + conf->lease / 3;
	w.saveat = worker_ms() + conf->every;
	w.saved = consume_seen(w.c);
	rv = consume_run(w.c, sub, conf->stop, cause);
	if (rv == 0 && w.cause != NULL) {
		*cause = w.cause;
		w.cause = NULL;
		rv = -1;
	}
	if (!w.lost) {
		/* The end: what was written, and where it stopped. */
		if (rv == 0 && (worker_tick(&w) == -1 ||
		    ckpt_alerts_put(w.ck, engine_alerts(e), &w.cause) == -1 ||
		    worker_save(&w, &w.cause) == -1)) {
			*cause = w.cause;
			w.cause = NULL;
			rv = -1;
		}
	}
out:
	/* Given up, unless lost: a standby need not wait for it. */
	if (w.ck != NULL && !w.lost && ckpt_release(w.ck, &sink) == -1)
		free(sink);
	if (w.c != NULL)
		*st = *consume_stats(w.c);
	free(w.cause);
	consume_free(w.c);
	bus_sub_free(sub);
	ckpt_free(w.ck);
	(void)unlink(w.path);
	(void)rmdir(w.dir);
	return rv;
}
