/*
 * ckpt: checkpoints and leases in JetStream key-value buckets (ckpt.h).
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "bus.h"
#include "ckpt.h"
#include "xmalloc.h"

struct ckpt {
	struct bus_kv	*data;		/* PREFIX-ckpt */
	struct bus_kv	*lease;		/* PREFIX-lease */
	unsigned	 k;
	char		 key[32];	/* "pK" */
	uint64_t	 rev;		/* of our lease; 0: none */
	char		*owner;
	char		*manifest;	/* the last read or written */
};

struct ckpt *
ckpt_open(struct bus *b, const char *prefix, unsigned k, int64_t lease_ms,
    char **cause)
{
	struct ckpt *ck = xcalloc(1, sizeof(*ck));
	char *name;

	ck->k = k;
	(void)snprintf(ck->key, sizeof(ck->key), "p%u", k);
	name = xasprintf("%s-ckpt", prefix);
	ck->data = bus_kv_open(b, name, 0, cause);
	free(name);
	if (ck->data == NULL) {
		free(ck);
		return NULL;
	}
	name = xasprintf("%s-lease", prefix);
	/* The bucket's TTL is in ns. */
	ck->lease = bus_kv_open(b, name, lease_ms * 1000000, cause);
	free(name);
	if (ck->lease == NULL) {
		bus_kv_free(ck->data);
		free(ck);
		return NULL;
	}
	return ck;
}

void
ckpt_free(struct ckpt *ck)
{
	if (ck == NULL)
		return;
	bus_kv_free(ck->data);
	bus_kv_free(ck->lease);
	free(ck->owner);
	free(ck->manifest);
	free(ck);
}

int
ckpt_lease(struct ckpt *ck, const char *owner, char **holder, char **cause)
{
	char *v;
	size_t len, i;
	int r;

	r = bus_kv_create(ck->lease, ck->key, owner, strlen(owner), &ck->rev,
	    cause);
	if (r == 1) {
		free(ck->owner);
		ck->owner = xstrdup(owner);
		return 1;
	}
	if (r == -1)
		return -1;
	r = bus_kv_get(ck->lease, ck->key, &v, &len, NULL, cause);
	if (r == -1)
		return -1;
	if (r == 0)
		v = xstrdup("a worker whose lease has just lapsed");
	for (i = 0; v[i] != '\0'; i++)
		if (v[i] < 0x20 || v[i] > 0x7e)
			v[i] = '?';
	*holder = v;
	return 0;
}

int
ckpt_renew(struct ckpt *ck, char **cause)
{
	char *m = NULL;
	size_t mlen;
	int r;

	if (ck->rev == 0)
		return 0;
	switch (bus_kv_update(ck->lease, ck->key, ck->owner,
	    strlen(ck->owner), ck->rev, &ck->rev, cause)) {
	case 1:
		return 1;
	case -1:
		return -1;
	}
	/*
	 * Not at our revision: taken by another, or lapsed while the
	 * server was away. Lapsed and free, with no checkpoint saved
	 * since ours, it is ours again: no one else has had it.
	 */
	if ((r = bus_kv_create(ck->lease, ck->key, ck->owner,
	    strlen(ck->owner), &ck->rev, cause)) == -1)
		return -1;
	if (r == 1 && bus_kv_get(ck->data, ck->key, &m, &mlen, NULL,
	    cause) != -1 && (m == NULL ? ck->manifest == NULL :
	    ck->manifest != NULL && strcmp(m, ck->manifest) == 0)) {
		free(m);
		return 1;
	}
	free(m);
	m = NULL;
	/* Taken again by mistake: given back. */
	if (r == 1 && bus_kv_delete(ck->lease, ck->key, &m) == -1)
		free(m);
	ck->rev = 0;
	return 0;
}

int
ckpt_release(struct ckpt *ck, char **cause)
{
	if (ck->rev == 0)
		return 0;
	ck->rev = 0;
	return bus_kv_delete(ck->lease, ck->key, cause);
}

/* "G N LEN CRC" */
static int
ckpt_manifest(const char *v, uint64_t *g, uint64_t *n, uint64_t *len,
    uint64_t *crc)
{
	int end = 0;

	if (sscanf(v, "%" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64 "%n",
	    g, n, len, crc, &end) != 4 || v[end] != '\0' ||
	    *n != (*len + CKPT_CHUNK - 1) / CKPT_CHUNK || *crc > UINT32_MAX)
		return -1;
	return 0;
}

int
ckpt_load(struct ckpt *ck, char **data, size_t *len, char **cause)
{
	uint64_t g, n, total, crc, i;
	char *m, *c, key[96];
	size_t mlen, clen, off = 0;
	int r;

	if ((r = bus_kv_get(ck->data, ck->key, &m, &mlen, NULL, cause)) != 1)
		return r == -1 ? -2 : r;
	r = ckpt_manifest(m, &g, &n, &total, &crc);
	free(ck->manifest);
	ck->manifest = m;
	if (r == -1 || total > SIZE_MAX / 2) {
		*cause = xasprintf("%s is not a checkpoint's manifest",
		    ck->key);
		return -1;
	}
	*data = xmalloc(total + 1);
	for (i = 0; i < n; i++) {
		(void)snprintf(key, sizeof(key), "%s.g%" PRIu64 ".%" PRIu64,
		    ck->key, g, i);
		r = bus_kv_get(ck->data, key, &c, &clen, NULL, cause);
		if (r == 0)
			*cause = xasprintf("%s: missing", key);
		if (r == 1 && (clen > total - off || (clen != CKPT_CHUNK &&
		    i + 1 < n))) {
			*cause = xasprintf("%s: %zu bytes, not the manifest's",
			    key, clen);
			free(c);
			r = 0;
		}
		if (r != 1) {
			free(*data);
			return r == -1 ? -2 : -1;
		}
		memcpy(*data + off, c, clen);
		off += clen;
		free(c);
	}
	if (off != total || crc32(crc32(0, NULL, 0), (const Bytef *)*data,
	    (uInt)total) != crc) {
		*cause = xasprintf("%s: damaged (length or CRC mismatch)",
		    ck->key);
		free(*data);
		return -1;
	}
	*len = total;
	return 1;
}

int
ckpt_save(struct ckpt *ck, const void *data, size_t len, char **cause)
{
	const char *p = data;
	uint64_t g = 0, n, on = 0, ot, oc, og = 0, i;
	char *m, key[96];
	size_t mlen, part;
	int r, old;

	if ((r = bus_kv_get(ck->data, ck->key, &m, &mlen, NULL, cause)) == -1)
		return -1;
	old = r == 1 && ckpt_manifest(m, &og, &on, &ot, &oc) == 0;
	if (r == 1)
		free(m);
	/* Two generations, in turn: the keys, and so the store, stay
	   bounded; the one the manifest names is never written. */
	if (old)
		g = (og + 1) % 2;
	n = (len + CKPT_CHUNK - 1) / CKPT_CHUNK;
	for (i = 0; i < n; i++) {
		part = len - i * CKPT_CHUNK < CKPT_CHUNK ?
		    len - i * CKPT_CHUNK : CKPT_CHUNK;
		(void)snprintf(key, sizeof(key), "%s.g%" PRIu64 ".%" PRIu64,
		    ck->key, g, i);
		if (bus_kv_put(ck->data, key, p + i * CKPT_CHUNK, part,
		    cause) == -1)
			return -1;
	}
	m = xasprintf("%" PRIu64 " %" PRIu64 " %zu %lu", g, n, len,
	    crc32(crc32(0, NULL, 0), (const Bytef *)data, (uInt)len));
	r = bus_kv_put(ck->data, ck->key, m, strlen(m), cause);
	free(ck->manifest);
	ck->manifest = r == 0 ? m : NULL;
	if (r != 0)
		free(m);
	return r;
}

int
ckpt_alerts(struct ckpt *ck, uint64_t *n, char **cause)
{
	char key[48], *v, *end;
	size_t len;
	int r;

	(void)snprintf(key, sizeof(key), "%s-alerts", ck->key);
	*n = 0;
	if ((r = bus_kv_get(ck->data, key, &v, &len, NULL, cause)) != 1)
		return r;
	*n = strtoull(v, &end, 10);
	r = *end == '\0' && len > 0 ? 1 : -1;
	if (r == -1)
		*cause = xasprintf("%s: not a number", key);
	free(v);
	return r;
}

int
ckpt_alerts_put(struct ckpt *ck, uint64_t n, char **cause)
{
	char key[48], v[32];

	(void)snprintf(key, sizeof(key), "%s-alerts", ck->key);
	(void)snprintf(v, sizeof(v), "%" PRIu64, n);
	return bus_kv_put(ck->data, key, v, strlen(v), cause);
}
