/*
 * test_pseudonym: HMAC-SHA256 against the RFC 4231 vectors, pseudonyms
 * against values computed with Python's hmac module (an independent
 * implementation of the same formula), the run's fast HMAC (two SHA-256
 * contexts, pseudonym_get()) against EVP_MAC (pseudonym_of()) on many
 * ids and key lengths, and the key file's checks.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pseudonym.h"
#include "t.h"

static void
hex(const unsigned char *p, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
}

/* RFC 4231 section 4: test cases 1 to 7 (6 and 7: a 131-byte key). */
static void
test_rfc4231(void)
{
	static const struct {
		unsigned char key[131];
		size_t keylen;
		const char *data;
		unsigned char fill;	/* data of datalen bytes of fill */
		size_t datalen;
		const char *mac;	/* hex; case 5 truncated to 128 bits */
	} v[] = {
		{ { 0 }, 20, "Hi There", 0, 8,
		  "b0344c61d8db38535ca8afceaf0bf12b"
		  "881dc200c9833da726e9376c2e32cff7" },
		{ "Jefe", 4, "what do ya want for nothing?", 0, 28,
		  "5bdcc146bf60754e6a042426089575c7"
		  "5a003f089d2739839dec58b964ec3843" },
		{ { 0 }, 20, NULL, 0xdd, 50,
		  "773ea91e36800e46854db8ebd09181a7"
		  "2959098b3ef8c122d9635514ced565fe" },
		{ { 0 }, 25, NULL, 0xcd, 50,
		  "82558a389a443c0ea4cc819899f2083a"
		  "85f0faa3e578f8077a2e3ff46729665b" },
		{ { 0 }, 20, "Test With Truncation", 0, 20,
		  "a3b6167473100ee06e0c796c2955552b" },
		{ { 0 }, 131,
		  "Test Using Larger Than Block-Size Key - Hash Key First",
		  0, 54,
		  "60e431591ee0b67f0d8a26aacbf5b77f"
		  "8e0bc6213728c5140546040f0ee37f54" },
		{ { 0 }, 131,
		  "This is a test using a larger than block-size key and a "
		  "larger than block-size data. The key needs to be hashed "
		  "before being used by the HMAC algorithm.", 0, 152,
		  "9b09ffa71b942fcb27635fbcd5b0e944"
		  "bfdc63644f0713938a7f51535c3a35e2" },
	};
	unsigned char key[131], data[152], mac[32];
	char got[65];
	size_t i, j;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		memcpy(key, v[i].key, sizeof(key));
		if (i == 0)
			memset(key, 0x0b, 20);
		else if (i == 2 || i == 5 || i == 6)
			memset(key, 0xaa, v[i].keylen);
		else if (i == 3)
			for (j = 0; j < 25; j++)
				key[j] = (unsigned char)(j + 1);
		else if (i == 4)
			memset(key, 0x0c, 20);
		if (v[i].data != NULL)
			memcpy(data, v[i].data, v[i].datalen);
		else
			memset(data, v[i].fill, v[i].datalen);
		CHECK(strlen(v[i].data != NULL ? v[i].data : "") ==
		    (v[i].data != NULL ? v[i].datalen : 0));
		CHECK_INT(pseudonym_hmac(key, v[i].keylen, data,
		    v[i].datalen, mac), 0);
		hex(mac, strlen(v[i].mac) / 2, got);
		CHECK_STR(got, v[i].mac);
	}
}

/* Python: hmac.new(bytes(range(32)), b"cxwatch:v1:" + id, sha256). */
static void
test_pseudonyms(void)
{
	unsigned char key[32];
	struct pseudonym *p;
	char out[PSEUDONYM_LEN + 1], *cause = NULL;
	size_t i;

	for (i = 0; i < sizeof(key); i++)
		key[i] = (unsigned char)i;
	p = pseudonym_new(key, sizeof(key), &cause);
	CHECK(p != NULL);
	if (p == NULL)
		return;
	CHECK_STR(pseudonym_keyid(p), "b8846062");
	CHECK_INT(pseudonym_of(p, "C1234", 5, out), PSEUDONYM_LEN);
	CHECK_STR(out, "b8846062-b5991eaed58decdc47c0aab233b07db2");
	CHECK_INT(strlen(out), 41);
	pseudonym_of(p, "alice@example.com", 17, out);
	CHECK_STR(out, "b8846062-ed6092424ef5af6a9cd62c312d2295bb");
	pseudonym_of(p, "caf\xc3\xa9", 5, out);
	CHECK_STR(out, "b8846062-ad418adffd476f31a75cc2b87a4ae3f3");
	/* Only id's bytes count: what follows them is not read. */
	pseudonym_of(p, "C12345", 5, out);
	CHECK_STR(out, "b8846062-b5991eaed58decdc47c0aab233b07db2");
	pseudonym_free(p);

	CHECK(pseudonym_new(key, 31, &cause) == NULL);
	CHECK(cause != NULL && strstr(cause, "32") != NULL);
	free(cause);
}

/*
 * pseudonym_get() (its HMAC from pads, through the cache) gives what
 * pseudonym_of() (EVP_MAC) does: keys of 32, 63 to 65 (a block and
 * past it: hashed), 131 and 4096 bytes, ids of 1 to 200 bytes (one and
 * two SHA-256 blocks, longer than the cache holds), each asked twice.
 */
static void
test_fast_equal(void)
{
	static const size_t keylens[] = { 32, 63, 64, 65, 131, 4096 };
	unsigned char key[4096];
	struct pseudonym *p;
	struct pseudonym_work *w;
	char id[200], want[PSEUDONYM_LEN + 1], *cause = NULL;
	const char *got;
	size_t i, k, len, bad = 0, n = 0;
	unsigned long x = 99;
	int round;

	for (k = 0; k < sizeof(keylens) / sizeof(keylens[0]); k++) {
		for (i = 0; i < keylens[k]; i++)
			key[i] = (unsigned char)(i * 131 + k);
		if ((p = pseudonym_new(key, keylens[k], &cause)) == NULL) {
			CHECK(p != NULL);
			continue;
		}
		w = pseudonym_work_new(p);
		for (round = 0; round < 4000; round++) {
			x = x * 6364136223846793005UL + 1442695040888963407UL;
			len = 1 + (x >> 33) % (round < 3000 ? 16 : 200);
			for (i = 0; i < len; i++) {
				x = x * 6364136223846793005UL +
				    1442695040888963407UL;
				id[i] = (char)(x >> 56);
			}
			pseudonym_of(p, id, len, want);
			got = pseudonym_get(w, id, len);
			bad += memcmp(got, want, PSEUDONYM_LEN) != 0;
			got = pseudonym_get(w, id, len);
			bad += memcmp(got, want, PSEUDONYM_LEN) != 0;
			n++;
		}
		pseudonym_work_free(w);
		pseudonym_free(p);
	}
	CHECK_INT(bad, 0);
	CHECK_INT(n, 24000);
}

/* Write a key file of n bytes (i * 37 + 1) with mode; its path. */
static const char *
keyfile(const char *dir, const char *name, size_t n, unsigned char byte,
    mode_t mode)
{
	static char path[4096];
	unsigned char b;
	size_t i;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	for (i = 0; i < n; i++) {
		b = byte != 0 ? byte : (unsigned char)(i * 37 + 1);
		if (write(fd, &b, 1) != 1)
			abort();
	}
	close(fd);
	chmod(path, mode);
	return path;
}

/* What pseudonym_open() says of path; "" when it opens. */
static char *
refusal(const char *path)
{
	static char buf[1024];
	struct pseudonym *p;
	char *cause = NULL;

	if ((p = pseudonym_open(path, &cause)) != NULL) {
		pseudonym_free(p);
		return (char *)"";
	}
	snprintf(buf, sizeof(buf), "%s", cause);
	free(cause);
	return buf;
}

static void
test_keyfile(void)
{
	char dir[] = "/tmp/test_pseudonym.XXXXXX", link[4200];
	const char *k;

	if (mkdtemp(dir) == NULL)
		abort();
	k = keyfile(dir, "good", 32, 0, 0600);
	CHECK_STR(refusal(k), "");
	k = keyfile(dir, "ro", 64, 0, 0400);
	CHECK_STR(refusal(k), "");
	snprintf(link, sizeof(link), "%s/link", dir);
	CHECK(symlink("ro", link) == 0);
	CHECK_STR(refusal(link), "");
	k = keyfile(dir, "short", 31, 0, 0600);
	CHECK(strstr(refusal(k), "31 bytes, a key needs at least 32") !=
	    NULL);
	k = keyfile(dir, "long", 4097, 0, 0600);
	CHECK(strstr(refusal(k), "more than a key's 4096") != NULL);
	k = keyfile(dir, "group", 32, 0, 0640);
	CHECK(strstr(refusal(k), "mode 0640): chmod 600") != NULL);
	k = keyfile(dir, "other", 32, 0, 0604);
	CHECK(strstr(refusal(k), "mode 0604") != NULL);
	k = keyfile(dir, "typed", 40, 'a', 0600);
	CHECK(strstr(refusal(k), "not a random key") != NULL);
	CHECK(strstr(refusal(dir), "not a regular file") != NULL);
	snprintf(link, sizeof(link), "%s/none", dir);
	CHECK(strstr(refusal(link), "No such file") != NULL);
	CHECK(strstr(refusal(link), link) == refusal(link));
	snprintf(link, sizeof(link), "%s/fifo", dir);
	CHECK(mkfifo(link, 0600) == 0);
	CHECK(strstr(refusal(link), "not a regular file") != NULL);
	CHECK(strstr(refusal("/dev/null"), "not a regular file") != NULL);
	snprintf(link, sizeof(link), "rm -rf '%s'", dir);
	CHECK(system(link) == 0);
}

int
main(void)
{
	test_rfc4231();
	test_pseudonyms();
	test_fast_equal();
	test_keyfile();
	T_DONE();
}
