/*
 * registry: what earlier runs read of each input file. See registry.h.
 *
 * The entries are few (a cron job's inputs over a month): a flat array,
 * searched linearly per input opened. SHA-256 (OpenSSL's libcrypto) and
 * not a faster hash, because the bytes fingerprinted are log lines an
 * attacker may write: a collision chosen to match a file already read
 * would make cxwatch skip the lines after it.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <zlib.h>

#include "registry.h"
#include "xmalloc.h"

#define REGISTRY_RAWMAX	(64 * 1024)	/* compressed bytes inflated to
					   find the first text bytes */

struct registry {
	struct registry_entry	*v;
	size_t			 n, cap;
};

struct registry *
registry_new(void)
{
	return xcalloc(1, sizeof(struct registry));
}

void
registry_free(struct registry *r)
{
	if (r == NULL)
		return;
	free(r->v);
	free(r);
}

static void
registry_sha256(const unsigned char *p, size_t len,
    unsigned char out[REGISTRY_DIGEST])
{
	unsigned int n = REGISTRY_DIGEST;

	/* Fails only without memory for a context: as xmalloc does. */
	if (EVP_Digest(p, len, out, &n, EVP_sha256(), NULL) != 1 ||
	    n != REGISTRY_DIGEST)
		abort();
}

/* Read up to len bytes at offset 0 with pread: the count, or -1. */
static ssize_t
registry_pread(int fd, unsigned char *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		n = pread(fd, buf + got, len - got, (off_t)got);
		if (n == 0)
			break;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		got += (size_t)n;
	}
	return (ssize_t)got;
}

/*
 * The first text bytes of gzip data raw[0..len): as far as the data and
 * REGISTRY_FPLEN go, over member boundaries; damage ends it early.
 */
static uint32_t
registry_inflate(const unsigned char *raw, size_t len, unsigned char *out)
{
	z_stream z;
	uint32_t got;
	int rc;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		return 0;
	z.next_in = (unsigned char *)raw;
	z.avail_in = (uInt)len;
	z.next_out = out;
	z.avail_out = REGISTRY_FPLEN;
	while (z.avail_out > 0) {
		rc = inflate(&z, Z_NO_FLUSH);
		if (rc == Z_STREAM_END) {
			/* Another member may follow (cat a.gz b.gz). */
			if (z.avail_in < 2 || z.next_in[0] != 0x1f ||
			    z.next_in[1] != 0x8b || inflateReset(&z) != Z_OK)
				break;
			continue;
		}
		if (rc != Z_OK)
			break;
	}
	got = REGISTRY_FPLEN - z.avail_out;
	inflateEnd(&z);
	return got;
}

int
registry_identify(int fd, struct registry_id *id)
{
	unsigned char *raw;
	struct stat st;
	ssize_t n;

	memset(id, 0, sizeof(*id));
	if (fstat(fd, &st) == -1)
		return -1;
	id->dev = (uint64_t)st.st_dev;
	id->ino = (uint64_t)st.st_ino;
	id->size = (uint64_t)st.st_size;
	raw = xmalloc(REGISTRY_RAWMAX);
	if ((n = registry_pread(fd, raw, REGISTRY_RAWMAX)) == -1) {
		free(raw);
		return -1;
	}
	id->rawlen = (uint32_t)((size_t)n < REGISTRY_FPLEN ? (size_t)n :
	    REGISTRY_FPLEN);
	memcpy(id->rawbuf, raw, id->rawlen);
	registry_sha256(id->rawbuf, id->rawlen, id->raw);
	id->gzip = n >= 2 && raw[0] == 0x1f && raw[1] == 0x8b;
	if (id->gzip)
		id->textlen = registry_inflate(raw, (size_t)n, id->textbuf);
	else {
		id->textlen = id->rawlen;
		memcpy(id->textbuf, id->rawbuf, id->rawlen);
	}
	registry_sha256(id->textbuf, id->textlen, id->text);
	free(raw);
	return 0;
}

int
registry_same_text(const struct registry_id *a, const struct registry_id *b)
{
	uint32_t n = a->textlen < b->textlen ? a->textlen : b->textlen;

	return n > 0 && memcmp(a->textbuf, b->textbuf, n) == 0;
}

/* Do the first len bytes of buf (have of them) hash to digest? */
static int
registry_prefix(const unsigned char *buf, uint32_t have,
    const unsigned char *full, uint32_t len, const unsigned char *digest)
{
	unsigned char d[REGISTRY_DIGEST];

	if (len > have)
		return 0;
	if (len == have)
		return memcmp(full, digest, REGISTRY_DIGEST) == 0;
	registry_sha256(buf, len, d);
	return memcmp(d, digest, REGISTRY_DIGEST) == 0;
}

/* The entry for the same file as id (device, inode, first bytes). */
static const struct registry_entry *
registry_find_file(const struct registry *r, const struct registry_id *id)
{
	const struct registry_entry *e;
	size_t i;

	for (i = 0; i < r->n; i++) {
		e = &r->v[i];
		if (e->dev == id->dev && e->ino == id->ino &&
		    e->gzip == id->gzip && registry_prefix(id->rawbuf,
		    id->rawlen, id->raw, e->rawlen, e->raw))
			return e;
	}
	return NULL;
}

/* Of the entries whose text id's text begins with, the one read furthest. */
static const struct registry_entry *
registry_find_text(const struct registry *r, const struct registry_id *id)
{
	const struct registry_entry *e, *best = NULL;
	size_t i;

	for (i = 0; i < r->n; i++) {
		e = &r->v[i];
		if (e->textlen == 0 || e->offset == 0 ||
		    !registry_prefix(id->textbuf, id->textlen, id->text,
		    e->textlen, e->text))
			continue;
		if (best == NULL || e->offset > best->offset)
			best = e;
	}
	return best;
}

enum registry_verdict
registry_lookup(const struct registry *r, const struct registry_id *id,
    uint64_t *offset, uint64_t *lines, const char **how)
{
	const struct registry_entry *e;

	*offset = *lines = 0;
	if ((e = registry_find_file(r, id)) != NULL) {
		*offset = e->offset;
		*lines = e->lines;
		if (id->gzip) {
			*how = "read before";
			return e->complete && e->size == id->size ?
			    REGISTRY_DONE : REGISTRY_RESUME;
		}
		if (id->size < e->offset) {
			*how = "truncated since it was read";
			*offset = *lines = 0;
			return REGISTRY_NEW;
		}
		*how = "read before";
		return id->size == e->offset ? REGISTRY_DONE : REGISTRY_RESUME;
	}
	if ((e = registry_find_text(r, id)) != NULL) {
		*offset = e->offset;
		*lines = e->lines;
		*how = "its first lines are those of a file read before";
		return !id->gzip && id->size <= e->offset ? REGISTRY_DONE :
		    REGISTRY_RESUME;
	}
	*how = "new";
	return REGISTRY_NEW;
}

static struct registry_entry *
registry_add(struct registry *r)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->v = xreallocarray(r->v, r->cap, sizeof(*r->v));
	}
	memset(&r->v[r->n], 0, sizeof(r->v[r->n]));
	return &r->v[r->n++];
}

void
registry_record(struct registry *r, const struct registry_id *id,
    uint64_t offset, uint64_t lines, int complete)
{
	struct registry_entry *e = NULL;
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->v[i].dev == id->dev && r->v[i].ino == id->ino) {
			e = &r->v[i];
			break;
		}
	if (e == NULL) {
		e = registry_add(r);
		e->seen = INT64_MIN;
	}
	e->dev = id->dev;
	e->ino = id->ino;
	e->size = id->size;
	e->gzip = id->gzip;
	e->rawlen = id->rawlen;
	memcpy(e->raw, id->raw, sizeof(e->raw));
	e->textlen = id->textlen;
	memcpy(e->text, id->text, sizeof(e->text));
	e->offset = offset;
	e->lines = lines;
	e->complete = complete;
	e->touched = 1;
}

void
registry_seen(struct registry *r, int64_t now)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		if (r->v[i].touched && now != INT64_MIN)
			r->v[i].seen = now;
		r->v[i].touched = 0;
	}
}

/* Most recently seen first, so that the tail is what the bound drops. */
static int
registry_cmp_seen(const void *a, const void *b)
{
	const struct registry_entry *x = a, *y = b;

	return x->seen > y->seen ? -1 : x->seen < y->seen;
}

size_t
registry_expire(struct registry *r, int64_t now)
{
	size_t i, k, before = r->n;

	for (i = k = 0; i < r->n; i++)
		if (now == INT64_MIN || r->v[i].seen == INT64_MIN ||
		    r->v[i].seen > now - REGISTRY_MAXAGE)
			r->v[k++] = r->v[i];
	r->n = k;
	if (r->n > REGISTRY_MAXENTRIES) {
		qsort(r->v, r->n, sizeof(*r->v), registry_cmp_seen);
		r->n = REGISTRY_MAXENTRIES;
	}
	return before - r->n;
}

void
registry_swap(struct registry *a, struct registry *b)
{
	struct registry tmp = *a;

	*a = *b;
	*b = tmp;
}

size_t
registry_count(const struct registry *r)
{
	return r->n;
}

const struct registry_entry *
registry_entry(const struct registry *r, size_t i)
{
	return i < r->n ? &r->v[i] : NULL;
}

int
registry_restore(struct registry *r, const struct registry_entry *e,
    const char **why)
{
	size_t i;

	if (r->n >= REGISTRY_MAXENTRIES)
		*why = "too many input files";
	else if (e->rawlen > REGISTRY_FPLEN || e->textlen > REGISTRY_FPLEN)
		*why = "fingerprint length out of range";
	else if (e->rawlen > e->size)
		*why = "fingerprint longer than the file";
	else if (!e->gzip && (e->offset > e->size ||
	    e->textlen != e->rawlen))
		*why = "offset or text out of range for a plain file";
	else if (e->lines > e->offset)
		*why = "more lines than bytes";
	else if (e->gzip != 0 && e->gzip != 1)
		*why = "bad gzip flag";
	else if (e->complete != 0 && e->complete != 1)
		*why = "bad completion flag";
	else {
		for (i = 0; i < r->n; i++)
			if (r->v[i].dev == e->dev && r->v[i].ino == e->ino) {
				*why = "two entries for one file";
				return -1;
			}
		*registry_add(r) = *e;
		return 0;
	}
	return -1;
}
