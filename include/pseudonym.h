/*
 * pseudonym: keyed pseudonyms of customer ids (cxwatch(1),
 * --pseudonymize; cxwatch.rules(5), semantics 14).
 *
 * The pseudonym of an id is the key's id, a dash, and the first 16 bytes,
 * in lowercase hex, of HMAC-SHA256(key, "cxwatch:v1:" || id): 41 bytes.
 * The key's id is the first 4 bytes, in hex, of HMAC-SHA256(key,
 * "cxwatch:key-id:v1"), so that a pseudonym says which key made it and
 * the key itself is never shown. The same id and key give the same
 * pseudonym on every run and machine; OpenSSL's libcrypto computes it
 * (EVP_MAC, a context keyed once and copied for each id).
 *
 * Used by main.c (which opens the key) and the engine (which replaces
 * each claimed line's customer). A struct pseudonym is read only after
 * pseudonym_open() and may be shared between threads.
 */
#ifndef CXW_PSEUDONYM_H
#define CXW_PSEUDONYM_H

#include <stddef.h>

#define PSEUDONYM_KEYMIN	32		/* bytes */
#define PSEUDONYM_KEYMAX	4096
#define PSEUDONYM_KEYIDLEN	8		/* hex digits */
#define PSEUDONYM_LEN		(PSEUDONYM_KEYIDLEN + 1 + 32)

struct pseudonym;

/*
 * Open the key file at path: a regular file (a symbolic link to one is
 * fine) owned by the effective user or root, with no permission for its
 * group or others, of 32 to 4096 bytes (all of them are the key) that do
 * not look typed by hand (fewer than 8 different byte values). NULL and
 * *cause (malloc'd, naming the file and what to do) otherwise.
 */
struct pseudonym *pseudonym_open(const char *path, char **cause);

/* A key given as bytes, checked only for its length (tests). */
struct pseudonym *pseudonym_new(const void *key, size_t keylen,
		    char **cause);
void		 pseudonym_free(struct pseudonym *);	/* NULL is fine */

/* The key's id: PSEUDONYM_KEYIDLEN hex digits and a NUL. */
const char	*pseudonym_keyid(const struct pseudonym *);

/*
 * The pseudonym of id[0..len) into out (PSEUDONYM_LEN bytes and a NUL).
 * Returns PSEUDONYM_LEN. Aborts only when libcrypto fails, which it does
 * not once the key is open.
 */
size_t		 pseudonym_of(const struct pseudonym *, const char *id,
		    size_t len, char out[PSEUDONYM_LEN + 1]);

/*
 * A caller's own (one per engine; not shared between threads): a SHA-256
 * context for the HMAC (pseudonym.c says how), and the pseudonyms of the
 * ids seen last, PSEUDONYM_CACHE of them in a direct-mapped table of
 * one cache line a slot (ids of up to PSEUDONYM_CACHEID bytes), so that
 * a customer's second line costs a hash, a compare and one line read.
 */
#define PSEUDONYM_CACHE		16384
#define PSEUDONYM_CACHEID	39

struct pseudonym_work;

struct pseudonym_work *pseudonym_work_new(const struct pseudonym *);
void		 pseudonym_work_free(struct pseudonym_work *);	/* NULL ok */

/*
 * pseudonym_of() through w: the pseudonym (PSEUDONYM_LEN bytes, no NUL),
 * valid until the next call with w.
 */
const char	*pseudonym_get(struct pseudonym_work *w, const char *id,
		    size_t len);

/*
 * HMAC-SHA256 of msg under key into out; 0, or -1 when libcrypto fails.
 * The primitive, for the RFC 4231 tests.
 */
int		 pseudonym_hmac(const void *key, size_t keylen,
		    const void *msg, size_t msglen, unsigned char out[32]);

#endif
