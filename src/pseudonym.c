/*
 * pseudonym: keyed pseudonyms of customer ids. See pseudonym.h.
 */
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "pseudonym.h"
#include "xmalloc.h"

#define PSEUDONYM_PREFIX	"cxwatch:v1:"
#define PSEUDONYM_KEYIDMSG	"cxwatch:key-id:v1"
#define PSEUDONYM_DISTINCT	8	/* byte values a key has at least */

/*
 * The pseudonym of an id is HMAC-SHA256 (RFC 2104) of PREFIX || id.
 * EVP_MAC computes it, for --pseudonym-of and the key id; for the ids of
 * a run (pseudonym_get()) the same HMAC is taken from two SHA-256
 * contexts made once: inner has absorbed K ^ ipad and PREFIX, outer
 * K ^ opad, and each id costs a copy of each, an update and a final.
 * EVP_MAC_init() and EVP_MAC_final() take about 0.9 us an id here, this
 * 0.3 us; pseudonym_new() checks that the two agree, and test_pseudonym
 * on many ids and key lengths.
 */
struct pseudonym {
	EVP_MAC		*mac;
	EVP_MAC_CTX	*ctx;		/* keyed; copied for each id */
	EVP_MD		*md;
	EVP_MD_CTX	*inner, *outer;
	char		 keyid[PSEUDONYM_KEYIDLEN + 1];
};

static const char hexdigits[] = "0123456789abcdef";

static void
pseudonym_hex(const unsigned char *p, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hexdigits[p[i] >> 4];
		out[2 * i + 1] = hexdigits[p[i] & 15];
	}
}

/* HMAC of a || b under ctx's key, by a copy of ctx. */
static int
pseudonym_mac(EVP_MAC_CTX *ctx, const char *a, size_t alen, const char *b,
    size_t blen, unsigned char out[32])
{
	EVP_MAC_CTX *c;
	size_t n = 0;
	int ok;

	if ((c = EVP_MAC_CTX_dup(ctx)) == NULL)
		return -1;
	ok = EVP_MAC_update(c, (const unsigned char *)a, alen) == 1 &&
	    (blen == 0 ||
	    EVP_MAC_update(c, (const unsigned char *)b, blen) == 1) &&
	    EVP_MAC_final(c, out, &n, 32) == 1 && n == 32;
	EVP_MAC_CTX_free(c);
	return ok ? 0 : -1;
}

/* A context for HMAC-SHA256 keyed with key; NULL when libcrypto fails. */
static EVP_MAC_CTX *
pseudonym_keyed(EVP_MAC **macp, const void *key, size_t keylen)
{
	OSSL_PARAM params[2];
	EVP_MAC_CTX *ctx;
	EVP_MAC *mac;

	if ((mac = EVP_MAC_fetch(NULL, "HMAC", NULL)) == NULL)
		return NULL;
	if ((ctx = EVP_MAC_CTX_new(mac)) == NULL) {
		EVP_MAC_free(mac);
		return NULL;
	}
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
	    (char *)"SHA256", 0);
	params[1] = OSSL_PARAM_construct_end();
	if (EVP_MAC_init(ctx, key, keylen, params) != 1) {
		EVP_MAC_CTX_free(ctx);
		EVP_MAC_free(mac);
		return NULL;
	}
	*macp = mac;
	return ctx;
}

int
pseudonym_hmac(const void *key, size_t keylen, const void *msg,
    size_t msglen, unsigned char out[32])
{
	EVP_MAC_CTX *ctx;
	EVP_MAC *mac;
	int r;

	if ((ctx = pseudonym_keyed(&mac, key, keylen)) == NULL)
		return -1;
	r = pseudonym_mac(ctx, msg, msglen, NULL, 0, out);
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
	return r;
}

/* p's inner and outer SHA-256 contexts (above); -1 when libcrypto fails. */
static int
pseudonym_pads(struct pseudonym *p, const void *key, size_t keylen)
{
	unsigned char k[64], pad[64];
	unsigned int n = 0;
	size_t i;
	int ok;

	memset(k, 0, sizeof(k));
	if ((p->md = EVP_MD_fetch(NULL, "SHA256", NULL)) == NULL ||
	    (p->inner = EVP_MD_CTX_new()) == NULL ||
	    (p->outer = EVP_MD_CTX_new()) == NULL)
		return -1;
	/* RFC 2104: a key longer than a block is its hash. */
	if (keylen > sizeof(k)) {
		if (EVP_Digest(key, keylen, k, &n, p->md, NULL) != 1)
			return -1;
	} else
		memcpy(k, key, keylen);
	for (i = 0; i < sizeof(pad); i++)
		pad[i] = k[i] ^ 0x36;
	ok = EVP_DigestInit_ex(p->inner, p->md, NULL) == 1 &&
	    EVP_DigestUpdate(p->inner, pad, sizeof(pad)) == 1 &&
	    EVP_DigestUpdate(p->inner, PSEUDONYM_PREFIX,
	    strlen(PSEUDONYM_PREFIX)) == 1;
	for (i = 0; i < sizeof(pad); i++)
		pad[i] = k[i] ^ 0x5c;
	ok = ok && EVP_DigestInit_ex(p->outer, p->md, NULL) == 1 &&
	    EVP_DigestUpdate(p->outer, pad, sizeof(pad)) == 1;
	OPENSSL_cleanse(k, sizeof(k));
	OPENSSL_cleanse(pad, sizeof(pad));
	return ok ? 0 : -1;
}

/* HMAC(key, PREFIX || id) from p's contexts, through c. */
static int
pseudonym_fast(const struct pseudonym *p, EVP_MD_CTX *c, const char *id,
    size_t len, unsigned char h[32])
{
	unsigned int n = 0;

	return EVP_MD_CTX_copy_ex(c, p->inner) == 1 &&
	    EVP_DigestUpdate(c, id, len) == 1 &&
	    EVP_DigestFinal_ex(c, h, &n) == 1 && n == 32 &&
	    EVP_MD_CTX_copy_ex(c, p->outer) == 1 &&
	    EVP_DigestUpdate(c, h, 32) == 1 &&
	    EVP_DigestFinal_ex(c, h, &n) == 1 && n == 32 ? 0 : -1;
}

struct pseudonym *
pseudonym_new(const void *key, size_t keylen, char **cause)
{
	static const char probe[] = "C0042";
	struct pseudonym *p;
	unsigned char h[32], h2[32];
	EVP_MD_CTX *c = NULL;

	if (keylen < PSEUDONYM_KEYMIN || keylen > PSEUDONYM_KEYMAX) {
		*cause = xasprintf("a key has %d to %d bytes, not %zu",
		    PSEUDONYM_KEYMIN, PSEUDONYM_KEYMAX, keylen);
		return NULL;
	}
	p = xcalloc(1, sizeof(*p));
	if ((p->ctx = pseudonym_keyed(&p->mac, key, keylen)) == NULL ||
	    pseudonym_pads(p, key, keylen) == -1 ||
	    (c = EVP_MD_CTX_new()) == NULL ||
	    pseudonym_mac(p->ctx, PSEUDONYM_PREFIX, strlen(PSEUDONYM_PREFIX),
	    probe, strlen(probe), h2) == -1 ||
	    pseudonym_fast(p, c, probe, strlen(probe), h) == -1 ||
	    memcmp(h, h2, sizeof(h)) != 0 ||
	    pseudonym_mac(p->ctx, PSEUDONYM_KEYIDMSG,
	    strlen(PSEUDONYM_KEYIDMSG), NULL, 0, h) == -1) {
		*cause = xstrdup("libcrypto has no HMAC-SHA256 "
		    "(check the OpenSSL installation)");
		EVP_MD_CTX_free(c);
		pseudonym_free(p);
		return NULL;
	}
	EVP_MD_CTX_free(c);
	pseudonym_hex(h, PSEUDONYM_KEYIDLEN / 2, p->keyid);
	p->keyid[PSEUDONYM_KEYIDLEN] = '\0';
	return p;
}

void
pseudonym_free(struct pseudonym *p)
{
	if (p == NULL)
		return;
	EVP_MAC_CTX_free(p->ctx);
	EVP_MAC_free(p->mac);
	EVP_MD_CTX_free(p->inner);
	EVP_MD_CTX_free(p->outer);
	EVP_MD_free(p->md);
	free(p);
}

/* Why the key in fd (at path, with st) will not do; NULL when it will. */
static char *
pseudonym_refuse(const char *path, const struct stat *st)
{
	if (!S_ISREG(st->st_mode))
		return xasprintf("%s: not a regular file (a key file holds "
		    "32 or more random bytes, e.g. from "
		    "'head -c 32 /dev/urandom')", path);
	if (st->st_uid != geteuid() && st->st_uid != 0)
		return xasprintf("%s: owned by uid %lu, not by this user "
		    "(uid %lu) or root: chown it", path,
		    (unsigned long)st->st_uid, (unsigned long)geteuid());
	if ((st->st_mode & 077) != 0)
		return xasprintf("%s: its group or others may use it (mode "
		    "%04o): chmod 600 %s", path,
		    (unsigned)(st->st_mode & 07777), path);
	if (st->st_size < PSEUDONYM_KEYMIN)
		return xasprintf("%s: %lld bytes, a key needs at least %d "
		    "random bytes (head -c 32 /dev/urandom > %s)", path,
		    (long long)st->st_size, PSEUDONYM_KEYMIN, path);
	if (st->st_size > PSEUDONYM_KEYMAX)
		return xasprintf("%s: %lld bytes, more than a key's %d "
		    "(is it the right file?)", path, (long long)st->st_size,
		    PSEUDONYM_KEYMAX);
	return NULL;
}

struct pseudonym *
pseudonym_open(const char *path, char **cause)
{
	unsigned char key[PSEUDONYM_KEYMAX + 1], seen[256];
	struct pseudonym *p;
	struct stat st;
	size_t len = 0, distinct = 0, i;
	ssize_t n;
	int fd;

	/* O_NONBLOCK: a FIFO is refused, not waited for. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY |
	    O_NONBLOCK)) == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	if ((*cause = pseudonym_refuse(path, &st)) != NULL) {
		close(fd);
		return NULL;
	}
	while (len < sizeof(key)) {
		n = read(fd, key + len, sizeof(key) - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			*cause = xasprintf("%s: %s", path, strerror(errno));
			close(fd);
			OPENSSL_cleanse(key, sizeof(key));
			return NULL;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < len; i++)
		if (!seen[key[i]]++)
			distinct++;
	if (len < PSEUDONYM_KEYMIN || len > PSEUDONYM_KEYMAX) {
		*cause = xasprintf("%s: changed while it was read (%zu bytes)",
		    path, len);
		p = NULL;
	} else if (distinct < PSEUDONYM_DISTINCT) {
		*cause = xasprintf("%s: only %zu different byte values, not "
		    "a random key (head -c 32 /dev/urandom > %s)", path,
		    distinct, path);
		p = NULL;
	} else
		p = pseudonym_new(key, len, cause);
	OPENSSL_cleanse(key, sizeof(key));
	OPENSSL_cleanse(seen, sizeof(seen));
	return p;
}

/* KEYID-HEX: the key's id, and the first 16 bytes of h; NUL-terminated. */
static void
pseudonym_format(const struct pseudonym *p, const unsigned char *h,
    char out[PSEUDONYM_LEN + 1])
{
	memcpy(out, p->keyid, PSEUDONYM_KEYIDLEN);
	out[PSEUDONYM_KEYIDLEN] = '-';
	pseudonym_hex(h, 16, out + PSEUDONYM_KEYIDLEN + 1);
	out[PSEUDONYM_LEN] = '\0';
}

/* One cache line: a hit reads no other (the table is aligned to 64). */
struct pseudonym_slot {
	uint64_t	 hash;
	unsigned char	 len;		/* 0: empty */
	char		 id[PSEUDONYM_CACHEID];
	unsigned char	 h[16];		/* the HMAC's first bytes */
};
_Static_assert(sizeof(struct pseudonym_slot) == 64,
    "a pseudonym cache slot is one cache line");

struct pseudonym_work {
	const struct pseudonym	*p;
	EVP_MD_CTX		*ctx;	/* pseudonym_fast()'s */
	struct pseudonym_slot	*slots;	/* [PSEUDONYM_CACHE] */
	char			 out[PSEUDONYM_LEN + 1];
};

struct pseudonym_work *
pseudonym_work_new(const struct pseudonym *p)
{
	struct pseudonym_work *w;

	w = xcalloc(1, sizeof(*w));
	w->p = p;
	if ((w->ctx = EVP_MD_CTX_new()) == NULL)
		abort();
	if ((w->slots = aligned_alloc(64, PSEUDONYM_CACHE *
	    sizeof(*w->slots))) == NULL)
		errx(2, "out of memory");
	memset(w->slots, 0, PSEUDONYM_CACHE * sizeof(*w->slots));
	return w;
}

void
pseudonym_work_free(struct pseudonym_work *w)
{
	if (w == NULL)
		return;
	EVP_MD_CTX_free(w->ctx);
	/* The ids are the customers' own: not left in freed memory. */
	OPENSSL_cleanse(w->slots, PSEUDONYM_CACHE * sizeof(*w->slots));
	free(w->slots);
	free(w);
}

/* FNV-1a, 64 bits: the slot of an id. */
static uint64_t
pseudonym_hash(const char *id, size_t len)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)id[i]) * UINT64_C(0x100000001b3);
	return h;
}

const char *
pseudonym_get(struct pseudonym_work *w, const char *id, size_t len)
{
	struct pseudonym_slot *s = NULL;
	unsigned char h[32];
	uint64_t hash;

	if (len > 0 && len <= PSEUDONYM_CACHEID) {
		hash = pseudonym_hash(id, len);
		s = &w->slots[hash & (PSEUDONYM_CACHE - 1)];
		if (s->len == len && s->hash == hash &&
		    memcmp(s->id, id, len) == 0) {
			pseudonym_format(w->p, s->h, w->out);
			return w->out;
		}
	}
	if (pseudonym_fast(w->p, w->ctx, id, len, h) == -1)
		abort();
	pseudonym_format(w->p, h, w->out);
	if (s == NULL)
		return w->out;
	s->hash = hash;
	s->len = (unsigned char)len;
	memcpy(s->id, id, len);
	memcpy(s->h, h, sizeof(s->h));
	return w->out;
}

const char *
pseudonym_keyid(const struct pseudonym *p)
{
	return p->keyid;
}

size_t
pseudonym_of(const struct pseudonym *p, const char *id, size_t len,
    char out[PSEUDONYM_LEN + 1])
{
	unsigned char h[32];

	if (pseudonym_mac(p->ctx, PSEUDONYM_PREFIX, strlen(PSEUDONYM_PREFIX),
	    id, len, h) == -1)
		abort();
	pseudonym_format(p, h, out);
	return PSEUDONYM_LEN;
}
