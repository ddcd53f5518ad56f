/*
 * gen: a reproducible day of shop logs for cxwatch's tests and benchmarks.
 *
 *	gen [-s seed] [-n lines] [-c customers] [-p journeys] [-d yyyy-mm-dd]
 *	    [-v permille] outdir
 *
 * Writes outdir/web.log (nginx "combined" plus $request_time, the customer
 * id in $remote_user), outdir/support.log (logfmt), outdir/billing.log
 * (JSON Lines) and outdir/planted.txt. Each log is sorted by time; about
 * 70% of the lines are web, 20% support and 10% billing. -n counts all of
 * them, but the planted journeys (below; about 8 lines each, by default
 * one per 500 lines and at least one of each story) are written even when
 * they alone exceed it. -v N writes N in 1000 support and billing lines
 * in another form with the same content (see vary_line()); 0, the
 * default, writes none. Self-contained: libc only and no floating point,
 * so a seed gives the same bytes on every machine.
 *
 * Background traffic is sessions of customers drawn from a Zipf law (a few
 * very active, a long tail), mostly healthy with rare failures. Background
 * failures of one customer are at least GATE_MS apart, so no 30-minute
 * window holds two of them: with rules/ as shipped (threshold 10, channels
 * 3, heaviest rule 5) no background customer can alert.
 *
 * Planted journeys are scripted stories of one customer each, written to
 * planted.txt as "id story expect start detectors", expect being "alert"
 * or "quiet" for rules/ as shipped when the three logs are read in time
 * order, and detectors the shipped detectors that alert ("-": none). A
 * planted customer has no background failures and no background lines
 * from a minute before the journey on, so only the story is in its window.
 * With journeys, the day also has a planted outage (gen_outage()): many
 * customers' payments fail in a few minutes, a systemic incident.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <err.h>
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SEC_MS		1000LL
#define MIN_MS		60000LL
#define HOUR_MS		3600000LL
#define DAY_MS		86400000LL
#define GATE_MS		(35 * MIN_MS)	/* > the shipped 30m window */
#define NOJOURNEY	INT64_MAX
#define OUTAGE_CUSTOMERS 40		/* the planted outage's */
#define OUTAGE_MS	(5 * MIN_MS)

#define OUT_CAP		((size_t)4 << 20)
#define LINE_ROOM	1024		/* no line we write is longer */
#define PATH_ROOM	96
#define WPLAN_MAX	24
#define MAX_CUSTOMERS	10000000u
#define MAX_LINES	2000000000ULL

enum { F_WEB, F_SUPPORT, F_BILLING, NFILES };
static const char *const fnames[NFILES] = {
	"web.log", "support.log", "billing.log"
};

/*
 * An output buffer: a file's, flushed when full, or an arena (fp NULL)
 * that grows. Callers reserve LINE_ROOM with out_room() once per line;
 * the appenders below do not check.
 */
struct out {
	char	*buf;
	size_t	 len;
	size_t	 cap;
	FILE	*fp;
	char	*path;
};

/* A planted line, already formatted into the arena. */
struct pev {
	int64_t		 t;
	size_t		 off;
	uint32_t	 len;
	uint32_t	 seq;		/* keeps a story's order on ties */
	int		 file;
};

struct rng {
	uint64_t	 s;
};

/* A web visit: a plan of pages, emitted one per line. */
struct wsess {
	uint32_t	 cust;		/* 0: anonymous */
	uint16_t	 ip;
	uint8_t		 ua;
	uint8_t		 plain;		/* logged without $request_time */
	uint8_t		 search;	/* came from a search engine */
	uint8_t		 step;
	uint8_t		 nsteps;
	uint8_t		 plan[WPLAN_MAX];
	char		 prev[PATH_ROOM];	/* the referer */
};

enum sstate {
	SS_NEW, SS_CHAT, SS_CHAT_END, SS_CALL, SS_CALL_END, SS_EMAIL,
	SS_SOLVE, SS_AFTER, SS_DONE
};
enum { SK_CHAT, SK_PHONE, SK_EMAIL };

/* A support ticket's life. */
struct ssess {
	uint32_t	 cust;
	uint32_t	 ticket;
	uint8_t		 kind;		/* SK_* */
	uint8_t		 state;		/* enum sstate */
	uint8_t		 agent;
	uint8_t		 queue;
	uint8_t		 reopened;
};

enum { BK_PAY, BK_RETRY, BK_REFUND, BK_DISPUTE, BK_DUP };

/* A billing story: one to two lines. */
struct bsess {
	uint32_t	 cust;
	uint32_t	 amount;
	uint8_t		 kind;		/* BK_* */
	uint8_t		 step;
	uint8_t		 done;
	uint64_t	 charge;	/* BK_DUP: the first charge */
};

struct gen {
	struct rng	 rng;
	uint64_t	 nlines;
	uint32_t	 ncust;
	unsigned	 njourneys;
	int64_t		 day0;		/* ms, midnight UTC */
	uint64_t	*zipf;		/* [ncust] cumulative rank weights */
	int64_t		*lastbad;	/* [ncust + 1] last background fail */
	int64_t		*jstart;	/* [ncust + 1] journey start */
	struct out	 out[NFILES];
	struct out	 arena;		/* planted lines */
	struct pev	*pev;
	size_t		 npev;
	size_t		 cappev;
	uint32_t	 seq;
	struct wsess	*ws;
	size_t		 nws;
	struct ssess	*ss;
	size_t		 nss;
	struct bsess	*bs;
	size_t		 nbs;
	uint32_t	 ticket;
	uint32_t	 order;
	unsigned	 hour;		/* day_offset(): current hour */
	int64_t		 cday;		/* date cache: day number */
	char		 iso[11];	/* 2026-11-21 */
	char		 clf[12];	/* 21/Nov/2026 */
	unsigned	 vary;		/* -v: varied lines per 1000 */
	uint64_t	 seed;
	size_t		 nplanted;	/* pev of the journeys: what the
					   background makes room for */
};

static const char *const months[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};

/* Relative traffic per UTC hour: quiet nights, evening peak. */
static const unsigned hourw[24] = {
	30, 20, 15, 12, 12, 15, 30, 50, 70, 80, 85, 90,
	100, 95, 90, 90, 90, 95, 105, 120, 130, 120, 90, 60
};

static const char *const nets[3] = {
	"192.0.2.", "198.51.100.", "203.0.113."	/* RFC 5737 */
};

static const char *const uas[] = {
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
	    "(KHTML, like Gecko) Chrome/131.0 Safari/537.36",
	"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 "
	    "Version/18.1 Safari/605.1.15",
	"Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) Mobile/15E148",
	"Mozilla/5.0 (Linux; Android 14; Pixel 8) Chrome/131.0 Mobile",
	"Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 "
	    "Firefox/132.0",
	"ShopApp/4.12.0 (iOS 18.1; iPhone15,2)",
	"ShopApp/4.12.0 (Android 14; SM-S911B)",
	"ShopApp/4.11.3 (Android 13; SM-A536B)"
};
#define NUAS	(sizeof uas / sizeof uas[0])
static const char *const botuas[] = {
	"Mozilla/5.0 (compatible; Googlebot/2.1; "
	    "+http://www.google.com/bot.html)",
	"curl/8.5.0",
	"-"
};

static const char *const cats[] = {
	"shoes", "shirts", "outdoor", "kitchen", "books", "toys", "garden",
	"audio"
};
static const char *const terms[] = {
	"rain+jacket", "usb-c+cable", "running+shoes", "coffee+grinder",
	"kids+bike", "desk+lamp", "yoga+mat", "gift+card"
};
static const char *const probes[] = {
	"/wp-login.php", "/.env", "/admin/config.php", "/xmlrpc.php",
	"/.git/config"
};
static const char *const subjects[] = {
	"order", "delivery", "payment", "login", "refund", "account"
};
static const char *const queues[] = {
	"orders", "payments", "accounts", "delivery"
};
static const char *const currencies[3] = { "EUR", "GBP", "USD" };

/* Background decline codes; the rules weigh them 1, 2, 3 or 4. */
static const struct {
	const char	*code;
	unsigned	 freq;
} declines[] = {
	{ "insufficient_funds", 40 }, { "expired_card", 12 },
	{ "incorrect_cvc", 10 }, { "card_velocity_exceeded", 3 },
	{ "generic_decline", 12 }, { "processing_error", 8 },
	{ "issuer_not_available", 3 }, { "do_not_honor", 8 },
	{ "fraudulent", 4 }
};
#define NDECLINES	(sizeof declines / sizeof declines[0])

#define NELEM(a)	(sizeof (a) / sizeof (a)[0])

/* splitmix64: seeds the generator and hashes ids into stable traits. */
static uint64_t
mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* xorshift64* */
static uint64_t
rng_next(struct rng *r)
{
	uint64_t x = r->s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	r->s = x;
	return x * 0x2545f4914f6cdd1dULL;
}

/* Uniform in [0, n), n < 2^32. */
static uint32_t
rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rng_next(r) >> 32) * n) >> 32);
}

/* Uniform in [lo, hi]. */
static uint32_t
rng_range(struct rng *r, uint32_t lo, uint32_t hi)
{
	return lo + rng_below(r, hi - lo + 1);
}

/* True with probability ppm / 1e6. */
static int
rng_ppm(struct rng *r, uint32_t ppm)
{
	return rng_below(r, 1000000) < ppm;
}

static void
out_flush(struct out *o)
{
	if (o->len > 0 && fwrite(o->buf, 1, o->len, o->fp) != o->len)
		err(1, "%s", o->path);
	o->len = 0;
}

static void
out_room(struct out *o, size_t need)
{
	if (o->len + need <= o->cap)
		return;
	if (o->fp != NULL) {
		out_flush(o);
		return;
	}
	while (o->len + need > o->cap)
		o->cap *= 2;
	if ((o->buf = realloc(o->buf, o->cap)) == NULL)
		err(1, "realloc");
}

static void
out_mem(struct out *o, const char *s, size_t n)
{
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

static void
out_str(struct out *o, const char *s)
{
	out_mem(o, s, strlen(s));
}

static void
out_chr(struct out *o, char c)
{
	o->buf[o->len++] = c;
}

/* v in decimal, zero-padded to at least width digits. */
static void
out_pad(struct out *o, uint64_t v, int width)
{
	char	 t[20];
	int	 n = 0;

	do {
		t[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	while (width-- > n)
		out_chr(o, '0');
	while (n > 0)
		out_chr(o, t[--n]);
}

static void
out_num(struct out *o, uint64_t v)
{
	out_pad(o, v, 1);
}

static void
out_hex(struct out *o, uint64_t v, int ndigits)
{
	while (ndigits-- > 0)
		out_chr(o, "0123456789abcdef"[(v >> (4 * ndigits)) & 0xf]);
}

/* A customer id: C000001. */
static void
out_cust(struct out *o, uint32_t cust)
{
	out_chr(o, 'C');
	out_pad(o, cust, 6);
}

/* Howard Hinnant's days_from_civil and civil_from_days. */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t		 era;
	unsigned	 yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t		 era;
	unsigned	 doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

/* Keep g->iso and g->clf on t's date; t >= 0. */
static void
gen_date(struct gen *g, int64_t t)
{
	struct out	 o;
	int64_t		 y;
	unsigned	 m, d;

	if (t / DAY_MS == g->cday)
		return;
	g->cday = t / DAY_MS;
	civil_from_days(g->cday, &y, &m, &d);
	o = (struct out){ g->iso, 0, sizeof g->iso, NULL, NULL };
	out_pad(&o, (uint64_t)y, 4);
	out_chr(&o, '-');
	out_pad(&o, m, 2);
	out_chr(&o, '-');
	out_pad(&o, d, 2);
	out_chr(&o, '\0');
	o = (struct out){ g->clf, 0, sizeof g->clf, NULL, NULL };
	out_pad(&o, d, 2);
	out_chr(&o, '/');
	out_str(&o, months[m - 1]);
	out_chr(&o, '/');
	out_pad(&o, (uint64_t)y, 4);
	out_chr(&o, '\0');
}

static void
out_hms(struct out *o, int64_t t)
{
	int64_t	 ms = t % DAY_MS;

	out_pad(o, (uint64_t)(ms / HOUR_MS), 2);
	out_chr(o, ':');
	out_pad(o, (uint64_t)(ms / MIN_MS % 60), 2);
	out_chr(o, ':');
	out_pad(o, (uint64_t)(ms / SEC_MS % 60), 2);
}

/* 2026-11-21T10:15:09.120Z */
static void
out_iso(struct gen *g, struct out *o, int64_t t)
{
	gen_date(g, t);
	out_str(o, g->iso);
	out_chr(o, 'T');
	out_hms(o, t);
	out_chr(o, '.');
	out_pad(o, (uint64_t)(t % SEC_MS), 3);
	out_chr(o, 'Z');
}

/* 21/Nov/2026:10:15:09 +0000 */
static void
out_clf(struct gen *g, struct out *o, int64_t t)
{
	gen_date(g, t);
	out_str(o, g->clf);
	out_chr(o, ':');
	out_hms(o, t);
	out_str(o, " +0000");
}

/* One web request, as the session or the story saw it. */
struct req {
	uint32_t	 cust;
	unsigned	 ip;
	const char	*ua;
	const char	*method;	/* NULL: the request line is "-" */
	const char	*path;
	unsigned	 status;
	unsigned	 bytes;
	const char	*ref;		/* "/x" on our site, a URL, or "" */
	int		 rt;		/* ms; -1 when not logged */
};

static void
web_write(struct gen *g, struct out *o, int64_t t, const struct req *q)
{
	out_room(o, LINE_ROOM);
	out_str(o, nets[q->ip / 254 % 3]);
	out_num(o, q->ip % 254 + 1);
	out_str(o, " - ");
	if (q->cust == 0)
		out_chr(o, '-');
	else
		out_cust(o, q->cust);
	out_str(o, " [");
	out_clf(g, o, t);
	out_str(o, "] \"");
	if (q->method == NULL)
		out_chr(o, '-');
	else {
		out_str(o, q->method);
		out_chr(o, ' ');
		out_str(o, q->path);
		out_str(o, " HTTP/1.1");
	}
	out_str(o, "\" ");
	out_num(o, q->status);
	out_chr(o, ' ');
	out_num(o, q->bytes);
	out_str(o, " \"");
	if (q->ref[0] == '/')
		out_str(o, "https://shop.example.com");
	out_str(o, q->ref[0] == '\0' ? "-" : q->ref);
	out_str(o, "\" \"");
	out_str(o, q->ua);
	out_chr(o, '"');
	if (q->rt >= 0) {
		out_chr(o, ' ');
		out_num(o, (uint64_t)q->rt / 1000);
		out_chr(o, '.');
		out_pad(o, (uint64_t)q->rt % 1000, 3);
	}
	out_chr(o, '\n');
}

/* "TIME level=L event=E customer=C ticket=T-N"; the caller ends it. */
static void
sup_head(struct gen *g, struct out *o, int64_t t, const char *level,
    const char *event, uint32_t cust, uint32_t ticket)
{
	out_room(o, LINE_ROOM);
	out_iso(g, o, t);
	out_str(o, " level=");
	out_str(o, level);
	out_str(o, " event=");
	out_str(o, event);
	out_str(o, " customer=");
	out_cust(o, cust);
	out_str(o, " ticket=T-");
	out_num(o, ticket);
}

/* " key=value" with a number value and an optional unit. */
static void
out_kv(struct out *o, const char *key, uint64_t v, const char *unit)
{
	out_chr(o, ' ');
	out_str(o, key);
	out_chr(o, '=');
	out_num(o, v);
	out_str(o, unit);
}

static void
out_agent(struct out *o, unsigned agent)
{
	out_str(o, " agent=A");
	out_pad(o, agent, 2);
}

/* {"ts":..,"event":..,"customer":..,"amount":..,"currency":.. */
static void
bil_head(struct gen *g, struct out *o, int64_t t, const char *event,
    uint32_t cust, uint32_t amount)
{
	out_room(o, LINE_ROOM);
	out_str(o, "{\"ts\":\"");
	out_iso(g, o, t);
	out_str(o, "\",\"event\":\"");
	out_str(o, event);
	out_str(o, "\",\"customer\":\"");
	out_cust(o, cust);
	out_str(o, "\",\"amount\":");
	out_num(o, amount);
	out_str(o, ",\"currency\":\"");
	out_str(o, currencies[mix(cust) % 10 < 7 ? 0 : mix(cust) % 10 < 9 ?
	    1 : 2]);
	out_chr(o, '"');
}

/* ,"key":"pfx_0123456789abcd" */
static void
out_jid(struct out *o, const char *key, const char *pfx, uint64_t id)
{
	out_str(o, ",\"");
	out_str(o, key);
	out_str(o, "\":\"");
	out_str(o, pfx);
	out_hex(o, id, 14);
	out_chr(o, '"');
}

static void
out_jstr(struct out *o, const char *key, const char *v)
{
	out_str(o, ",\"");
	out_str(o, key);
	out_str(o, "\":\"");
	out_str(o, v);
	out_chr(o, '"');
}

static void
bil_succeeded(struct gen *g, struct out *o, int64_t t, uint32_t cust,
    uint32_t amount, uint64_t charge)
{
	bil_head(g, o, t, "payment.succeeded", cust, amount);
	out_jid(o, "payment", "pay_", rng_next(&g->rng));
	out_jid(o, "charge", "ch_", charge);
	out_str(o, "}\n");
}

static void
bil_failed(struct gen *g, struct out *o, int64_t t, uint32_t cust,
    uint32_t amount, const char *code)
{
	bil_head(g, o, t, "payment.failed", cust, amount);
	out_jstr(o, "decline_code", code);
	out_jid(o, "payment", "pay_", rng_next(&g->rng));
	out_str(o, "}\n");
}

/*
 * May this customer fail now? Anonymous visitors always may; planted
 * customers never do outside their story; others at most once per
 * GATE_MS, across all channels.
 */
static int
gen_may_fail(struct gen *g, uint32_t cust, int64_t t)
{
	if (cust == 0)
		return 1;
	if (g->jstart[cust] != NOJOURNEY || t - g->lastbad[cust] < GATE_MS)
		return 0;
	g->lastbad[cust] = t;
	return 1;
}

/* Is cust in, or about to start, a planted journey? */
static int
gen_in_journey(const struct gen *g, uint32_t cust, int64_t t)
{
	return cust != 0 && g->jstart[cust] != NOJOURNEY &&
	    t >= g->jstart[cust] - MIN_MS;
}

/* Customer id of Zipf rank (1-based): a fixed scramble of 1..ncust. */
static uint32_t
gen_rank_id(const struct gen *g, uint32_t rank)
{
	return (uint32_t)((uint64_t)(rank - 1) * 2654435761u % g->ncust) + 1;
}

/* A customer for a new session at t: Zipf, never one in a journey. */
static uint32_t
gen_customer(struct gen *g, int64_t t)
{
	uint64_t	 u;
	uint32_t	 lo, hi, mid, id;

	do {
		u = rng_next(&g->rng) % g->zipf[g->ncust - 1];
		lo = 0;
		hi = g->ncust - 1;
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			if (g->zipf[mid] > u)
				hi = mid;
			else
				lo = mid + 1;
		}
		id = gen_rank_id(g, lo + 1);
	} while (gen_in_journey(g, id, t));
	return id;
}

enum page {
	PG_HOME, PG_CATEGORY, PG_PRODUCT, PG_SEARCH, PG_ASSET, PG_IMAGE,
	PG_API_CART, PG_CART_ADD, PG_CART, PG_LOGIN_FORM, PG_LOGIN_POST,
	PG_CHECKOUT, PG_PAY, PG_CONFIRM, PG_ACCOUNT, PG_ORDERS, PG_INVOICES,
	PG_PROBE, PG_EMPTY
};

static void
web_plan_add(struct wsess *s, enum page p)
{
	if (s->nsteps < WPLAN_MAX)
		s->plan[s->nsteps++] = (uint8_t)p;
}

static void
web_new(struct gen *g, struct wsess *s, int64_t t)
{
	struct rng	*r = &g->rng;
	unsigned	 i, n, u;

	memset(s, 0, sizeof *s);
	s->cust = rng_below(r, 100) < 15 ? 0 : gen_customer(g, t);
	s->ip = (uint16_t)(s->cust != 0 && rng_below(r, 5) != 0 ?
	    mix(s->cust) % 762 : rng_below(r, 762));
	s->ua = (uint8_t)(s->cust != 0 && rng_below(r, 4) != 0 ?
	    mix(s->cust + 1) % NUAS : rng_below(r, NUAS));
	s->plain = rng_below(r, 100) == 0;
	s->search = rng_below(r, 3) == 0;
	if (s->cust == 0 && rng_below(r, 20) == 0) {
		s->ua = (uint8_t)(NUAS + rng_below(r, NELEM(botuas)));
		n = rng_range(r, 2, 6);
		for (i = 0; i < n; i++)
			web_plan_add(s, rng_below(r, 3) == 0 ? PG_EMPTY :
			    PG_PROBE);
		return;
	}
	u = rng_below(r, 100);
	web_plan_add(s, u < 50 ? PG_HOME : u < 75 ? PG_PRODUCT :
	    u < 90 ? PG_SEARCH : PG_CATEGORY);
	if (rng_below(r, 10) < 6) {
		web_plan_add(s, PG_ASSET);
		web_plan_add(s, PG_ASSET);
	}
	if (s->cust != 0 && rng_below(r, 5) == 0) {
		web_plan_add(s, PG_LOGIN_FORM);
		web_plan_add(s, PG_LOGIN_POST);
	}
	n = rng_range(r, 1, 7);
	for (i = 0; i < n; i++) {
		u = rng_below(r, 100);
		web_plan_add(s, u < 50 ? PG_PRODUCT : u < 70 ? PG_CATEGORY :
		    u < 85 ? PG_SEARCH : u < 90 ? PG_API_CART : PG_IMAGE);
	}
	if (rng_below(r, 10) < 3) {
		web_plan_add(s, PG_CART_ADD);
		web_plan_add(s, PG_CART);
		if (s->cust != 0 && rng_below(r, 10) < 4) {
			web_plan_add(s, PG_CHECKOUT);
			web_plan_add(s, PG_PAY);
			web_plan_add(s, PG_CONFIRM);
		}
	}
	if (s->cust != 0 && rng_below(r, 100) < 12) {
		web_plan_add(s, PG_ACCOUNT);
		web_plan_add(s, rng_below(r, 2) ? PG_ORDERS : PG_INVOICES);
	}
}

/* Fill q (path into pb) for the next page of s, healthy or not. */
static void
web_page(struct gen *g, struct wsess *s, int64_t t, struct req *q,
    struct out *pb)
{
	struct rng	*r = &g->rng;
	enum page	 p = (enum page)s->plan[s->step++];
	int		 failed = 0, page = 1;

	q->method = "GET";
	q->status = 200;
	q->bytes = rng_range(r, 9000, 42000);
	q->rt = (int)rng_range(r, 5, 120);
	if (rng_below(r, 10) == 0)
		q->rt += (int)rng_below(r, 600);
	switch (p) {
	case PG_HOME:
		out_chr(pb, '/');
		break;
	case PG_CATEGORY:
		out_str(pb, "/c/");
		out_str(pb, cats[rng_below(r, NELEM(cats))]);
		if (rng_below(r, 4) == 0)
			out_str(pb, "?page=2");
		break;
	case PG_PRODUCT:
		out_str(pb, "/products/");
		out_num(pb, rng_below(r, rng_below(r, 4000) + 1) + 1);
		break;
	case PG_SEARCH:
		out_str(pb, "/search?q=");
		out_str(pb, terms[rng_below(r, NELEM(terms))]);
		q->rt += 150;
		break;
	case PG_ASSET:
		out_str(pb, rng_below(r, 2) ? "/static/app.3f9a1c.js" :
		    "/static/app.8be21d.css");
		if (rng_below(r, 2))
			q->status = 304, q->bytes = 0;
		q->rt = (int)rng_below(r, 20);
		page = 0;
		break;
	case PG_IMAGE:
		out_str(pb, "/static/img/p");
		out_num(pb, rng_range(r, 1, 4000));
		out_str(pb, ".webp");
		q->rt = (int)rng_below(r, 40);
		/* A slow client, not a slow shop: the rules skip /static/. */
		if (rng_ppm(r, 3000))
			q->rt = (int)rng_range(r, 3000, 8000);
		page = 0;
		break;
	case PG_API_CART:
		out_str(pb, "/api/cart");
		q->bytes = rng_range(r, 200, 900);
		break;
	case PG_CART_ADD:
		q->method = "POST";
		out_str(pb, "/cart/items");
		q->status = 201;
		q->bytes = rng_range(r, 80, 200);
		break;
	case PG_CART:
		out_str(pb, "/cart");
		break;
	case PG_LOGIN_FORM:
		out_str(pb, "/login");
		if (rng_ppm(r, 10000) && gen_may_fail(g, s->cust, t)) {
			out_str(pb, "?error=session_expired");
			failed = 1;
		}
		break;
	case PG_LOGIN_POST:
		q->method = "POST";
		out_str(pb, "/login");
		q->status = 302;
		q->bytes = 0;
		q->rt = (int)rng_range(r, 60, 250);
		if (rng_ppm(r, 60000) && gen_may_fail(g, s->cust, t)) {
			q->status = rng_below(r, 5) ? 401 : 403;
			q->bytes = rng_range(r, 120, 180);
			failed = 1;
		}
		break;
	case PG_CHECKOUT:
		out_str(pb, "/checkout");
		break;
	case PG_PAY:
		q->method = "POST";
		out_str(pb, "/checkout/pay");
		q->status = 303;
		q->bytes = 0;
		q->rt = (int)rng_range(r, 400, 2500);
		if (rng_ppm(r, 15000) && gen_may_fail(g, s->cust, t)) {
			q->status = rng_range(r, 502, 504);
			q->bytes = 173;
			failed = 1;
			/* No confirmation page after a failed payment. */
			if (s->step < s->nsteps && s->plan[s->step] ==
			    PG_CONFIRM)
				s->step++;
		}
		break;
	case PG_CONFIRM:
		out_str(pb, "/checkout/confirmation/O-");
		out_num(pb, ++g->order);
		break;
	case PG_ACCOUNT:
		out_str(pb, "/account");
		break;
	case PG_ORDERS:
		out_str(pb, "/account/orders");
		break;
	case PG_INVOICES:
		out_str(pb, "/account/invoices");
		break;
	case PG_PROBE:
		out_str(pb, probes[rng_below(r, NELEM(probes))]);
		q->status = 404;
		q->bytes = 153;
		page = 0;
		break;
	case PG_EMPTY:
		q->method = NULL;
		q->status = 400;
		q->bytes = 0;
		q->rt = 0;
		page = 0;
		break;
	}
	if (page && !failed) {
		if (rng_ppm(r, 3000) && gen_may_fail(g, s->cust, t)) {
			q->status = rng_range(r, 500, 503);
			q->bytes = rng_range(r, 150, 600);
		} else if (rng_ppm(r, 4000) && gen_may_fail(g, s->cust, t))
			q->rt = (int)rng_range(r, 3000, 9999);
		else if (rng_ppm(r, 400) && gen_may_fail(g, s->cust, t))
			q->rt = (int)rng_range(r, 10000, 40000);
	}
	out_chr(pb, '\0');
}

static void
web_next(struct gen *g, int64_t t)
{
	struct wsess	*s = &g->ws[rng_below(&g->rng, (uint32_t)g->nws)];
	char		 path[PATH_ROOM];
	struct out	 pb = { path, 0, sizeof path, NULL, NULL };
	struct req	 q;

	if (s->step >= s->nsteps || gen_in_journey(g, s->cust, t))
		web_new(g, s, t);
	memset(&q, 0, sizeof q);
	web_page(g, s, t, &q, &pb);
	q.cust = s->cust;
	q.ip = s->ip;
	q.ua = s->ua < NUAS ? uas[s->ua] : botuas[s->ua - NUAS];
	q.path = path;
	q.ref = s->ua >= NUAS ? "" : s->prev[0] != '\0' ? s->prev :
	    s->search ? "https://www.google.com/" : "";
	if (s->plain)
		q.rt = -1;
	web_write(g, &g->out[F_WEB], t, &q);
	if (q.method != NULL && strncmp(path, "/static/", 8) != 0)
		memcpy(s->prev, path, strlen(path) + 1);
}

static void
sup_new(struct gen *g, struct ssess *s, int64_t t)
{
	unsigned	 u = rng_below(&g->rng, 4);

	memset(s, 0, sizeof *s);
	s->cust = gen_customer(g, t);
	s->ticket = ++g->ticket;
	s->kind = u < 2 ? SK_CHAT : u < 3 ? SK_PHONE : SK_EMAIL;
	s->agent = (uint8_t)rng_range(&g->rng, 1, 40);
	s->queue = (uint8_t)rng_below(&g->rng, NELEM(queues));
	s->state = SS_NEW;
}

/* Emit the next line of ticket s; 0 when it ended without one. */
static int
sup_step(struct gen *g, struct ssess *s, int64_t t)
{
	static const char *const kinds[] = { "chat", "phone", "email" };
	struct out	*o = &g->out[F_SUPPORT];
	struct rng	*r = &g->rng;
	unsigned	 score;

	switch ((enum sstate)s->state) {
	case SS_NEW:
		sup_head(g, o, t, "info", "ticket.created", s->cust,
		    s->ticket);
		out_str(o, " channel=");
		out_str(o, kinds[s->kind]);
		out_str(o, rng_below(r, 8) ? " priority=normal" :
		    " priority=high");
		out_str(o, " subject=");
		out_str(o, subjects[rng_below(r, NELEM(subjects))]);
		s->state = s->kind == SK_CHAT ? SS_CHAT :
		    s->kind == SK_PHONE ? SS_CALL : SS_EMAIL;
		break;
	case SS_CHAT:
	case SS_CALL:
		sup_head(g, o, t, "info", s->state == SS_CHAT ?
		    "chat.started" : "call.started", s->cust, s->ticket);
		out_str(o, s->state == SS_CHAT ? " channel=chat queue=" :
		    " channel=phone queue=");
		out_str(o, queues[s->queue]);
		s->state = s->state == SS_CHAT ? SS_CHAT_END : SS_CALL_END;
		break;
	case SS_CHAT_END:
		if (rng_ppm(r, 70000) && gen_may_fail(g, s->cust, t)) {
			sup_head(g, o, t, "warn", "chat.abandoned", s->cust,
			    s->ticket);
			out_str(o, " channel=chat queue=");
			out_str(o, queues[s->queue]);
			out_kv(o, "wait", rng_below(r, 3) ? rng_range(r, 180,
			    900) : rng_range(r, 15, 170), "s");
			s->state = SS_DONE;
			break;
		}
		sup_head(g, o, t, "info", "chat.answered", s->cust,
		    s->ticket);
		out_str(o, " channel=chat");
		out_agent(o, s->agent);
		out_kv(o, "wait", rng_range(r, 5, 240), "s");
		s->state = SS_SOLVE;
		break;
	case SS_CALL_END:
		if (rng_ppm(r, 50000) && gen_may_fail(g, s->cust, t)) {
			sup_head(g, o, t, "warn", "call.dropped", s->cust,
			    s->ticket);
			out_str(o, " channel=phone");
			out_agent(o, s->agent);
			out_kv(o, "duration", rng_range(r, 10, 400), "s");
			out_str(o, " reason=network");
			s->state = SS_DONE;
			break;
		}
		sup_head(g, o, t, "info", "call.completed", s->cust,
		    s->ticket);
		out_str(o, " channel=phone");
		out_agent(o, s->agent);
		out_kv(o, "duration", rng_range(r, 60, 1500), "s");
		s->state = SS_SOLVE;
		break;
	case SS_EMAIL:
		s->state = SS_SOLVE;
		if (!rng_ppm(r, 60000) || !gen_may_fail(g, s->cust, t))
			return sup_step(g, s, t);
		sup_head(g, o, t, "warn", "sla.breached", s->cust, s->ticket);
		out_str(o, " sla=first_response target=4h");
		break;
	case SS_SOLVE:
		sup_head(g, o, t, "info", "ticket.solved", s->cust, s->ticket);
		out_agent(o, s->agent);
		s->state = SS_AFTER;
		break;
	case SS_AFTER:
		if (!s->reopened && rng_ppm(r, 40000) &&
		    gen_may_fail(g, s->cust, t)) {
			sup_head(g, o, t, "warn", "ticket.reopened", s->cust,
			    s->ticket);
			out_str(o, " reason=customer_reply");
			s->reopened = 1;
			s->state = SS_SOLVE;
			break;
		}
		s->state = SS_DONE;
		if (rng_below(r, 100) >= 45)
			return 0;
		if (rng_ppm(r, 100000) && gen_may_fail(g, s->cust, t))
			score = rng_range(r, 1, 2);
		else
			score = rng_below(r, 4) ? rng_range(r, 4, 5) : 3;
		sup_head(g, o, t, "info", "csat.submitted", s->cust,
		    s->ticket);
		out_kv(o, "score", score, "");
		break;
	case SS_DONE:
		return 0;
	}
	out_chr(o, '\n');
	return 1;
}

/*
 * Varied lines (-v): the same event written another way, as real
 * services write it. Whether a support or billing line is varied, and
 * how, depends only on a hash of its bytes, never on the random stream,
 * so -v changes no line's content (customer, time, event, fields) and a
 * seed gives the same story at every -v: with rules/ as shipped every
 * -v gives the same alerts. A varied support (logfmt) line has its words
 * in another order, the time under ts= instead of in front, some values
 * quoted, and extra keys: host=, a quoted msg= that holds a decoy
 * "customer=" and escapes, a bare key at the end. A varied billing (JSON)
 * line has its members in another order, blanks after : and , the
 * customer's first 0 written \u0030, and extra members: "level", a nested
 * decoy "data":{"object":{"customer":...}}, an array of objects.
 */
#define VARY_WORDS	32

static uint64_t
vary_hash(const char *p, size_t n)
{
	uint64_t	 h = 0xcbf29ce484222325ULL;

	while (n-- > 0)
		h = (h ^ (unsigned char)*p++) * 0x100000001b3ULL;
	return mix(h);
}

/* Shuffle idx[0..n) with the hash h (Fisher-Yates). */
static void
vary_shuffle(unsigned *idx, unsigned n, uint64_t h)
{
	unsigned	 i, j, t;

	for (i = n; i > 1; i--) {
		j = (unsigned)(mix(h + i) % i);
		t = idx[i - 1];
		idx[i - 1] = idx[j];
		idx[j] = t;
	}
}

/* One logfmt line, "TIME k=v k=v ...", varied into o. */
static void
vary_support(const char *line, size_t len, uint64_t h, struct out *o)
{
	const char	*w[VARY_WORDS], *eq;
	size_t		 wl[VARY_WORDS], tl;
	unsigned	 idx[VARY_WORDS], n = 0, i, tspos;
	const char	*p = line, *end = line + len, *q;

	while (p < end && n < VARY_WORDS) {
		for (q = p; q < end && *q != ' '; q++)
			;
		w[n] = p;
		wl[n++] = (size_t)(q - p);
		p = q < end ? q + 1 : q;
	}
	if (p < end || n < 2)
		errx(1, "vary: a support line with too many words");
	tl = wl[0];
	for (i = 1; i < n; i++)
		idx[i - 1] = i;
	vary_shuffle(idx, n - 1, h);
	tspos = (h >> 8) & 1 ? (unsigned)((h >> 16) % n) : n;	/* n: leading */
	if (tspos == n) {
		out_mem(o, w[0], tl);
		out_chr(o, ' ');
	}
	if ((h >> 24) & 1)
		out_str(o, "host=sup-3 ");
	for (i = 0; i < n - 1; i++) {
		if (i == tspos) {
			out_str(o, (h >> 25) & 1 ? "ts=\"" : "ts=");
			out_mem(o, w[0], tl);
			out_str(o, (h >> 25) & 1 ? "\" " : " ");
		}
		p = w[idx[i]];
		eq = memchr(p, '=', wl[idx[i]]);
		if (eq != NULL && eq + 1 < p + wl[idx[i]] &&
		    (mix(h ^ idx[i]) & 3) == 0) {
			out_mem(o, p, (size_t)(eq - p) + 1);
			out_chr(o, '"');
			out_mem(o, eq + 1, wl[idx[i]] - (size_t)(eq - p) - 1);
			out_chr(o, '"');
		} else
			out_mem(o, p, wl[idx[i]]);
		out_chr(o, ' ');
	}
	if (tspos == n - 1) {
		out_str(o, "ts=");
		out_mem(o, w[0], tl);
		out_chr(o, ' ');
	}
	if ((h >> 26) & 1)
		out_str(o, "msg=\"note for customer=C999999: \\\"call back\\\" "
		    "\\\\ \\u00e9t\\u00e9\" ");
	if ((h >> 27) & 1)
		out_str(o, "sampled ");
	o->len--;			/* the last blank */
}

/* One JSON line of string and number members, varied into o. */
static void
vary_billing(const char *line, size_t len, uint64_t h, struct out *o)
{
	const char	*m[VARY_WORDS], *p, *end = line + len - 1, *q;
	size_t		 ml[VARY_WORDS];
	unsigned	 idx[VARY_WORDS], n = 0, i, k;
	int		 instr, blanks = (h >> 8) & 1, first = 1;
	const char	*colon = blanks ? "\": " : "\":";
	const char	*comma = blanks ? ", " : ",";

	if (len < 2 || line[0] != '{' || *end != '}')
		errx(1, "vary: a billing line that is not {...}");
	for (p = line + 1; p < end && n < VARY_WORDS; p = q + 1) {
		for (q = p, instr = 0; q < end && (instr || *q != ','); q++)
			if (*q == '"')
				instr = !instr;
		m[n] = p;
		ml[n++] = (size_t)(q - p);
	}
	if (p < end)
		errx(1, "vary: a billing line with too many members");
	for (i = 0; i < n; i++)
		idx[i] = i;
	vary_shuffle(idx, n, h);
	out_chr(o, '{');
	if ((h >> 24) & 1) {
		out_str(o, "\"level");
		out_str(o, colon);
		out_str(o, "\"info\"");
		first = 0;
	}
	for (i = 0; i < n; i++) {
		p = m[idx[i]];
		q = memchr(p + 1, '"', ml[idx[i]] - 1);	/* the key's end */
		if (q == NULL)
			errx(1, "vary: a billing member without a key");
		if (!first)
			out_str(o, comma);
		first = 0;
		if ((size_t)(q - p) == 9 && memcmp(p, "\"customer", 9) == 0 &&
		    (h >> 25) & 1) {
			out_str(o, "\"data");
			out_str(o, colon);
			out_str(o, "{\"object\":{\"customer\":\"C999999\","
			    "\"livemode\":false}}");
			out_str(o, comma);
		}
		out_mem(o, p, (size_t)(q - p));
		out_str(o, colon);
		p = q + 2;			/* past '":' */
		k = (unsigned)(m[idx[i]] + ml[idx[i]] - p);
		if ((size_t)(q - m[idx[i]]) == 9 &&
		    memcmp(m[idx[i]], "\"customer", 9) == 0 && (h >> 26) & 1 &&
		    k > 3 && p[2] == '0') {
			out_mem(o, p, 2);	/* "C */
			out_str(o, "\\u0030");
			out_mem(o, p + 3, k - 3);
		} else
			out_mem(o, p, k);
	}
	if ((h >> 27) & 1) {
		out_str(o, comma);
		out_str(o, "\"items");
		out_str(o, colon);
		out_str(o, "[{\"code\":\"sku_1\",\"qty\":2},{\"code\":"
		    "\"gift \\\"wrap\\\"\",\"qty\":1.5e0}]");
	}
	out_chr(o, '}');
}

/*
 * The line of file f that ends at o->len (with its newline): varied in
 * place, if -v picks it. Its start had LINE_ROOM reserved (out_room()),
 * and no varied line is longer.
 */
static void
vary_line(struct gen *g, struct out *o, int f)
{
	char		 b[2 * LINE_ROOM];
	struct out	 v = { b, 0, sizeof b, NULL, NULL };
	size_t		 start, len;
	uint64_t	 h;

	if (g->vary == 0 || f == F_WEB || o->len == 0)
		return;
	for (start = o->len - 1; start > 0 && o->buf[start - 1] != '\n';
	    start--)
		;
	len = o->len - 1 - start;
	h = vary_hash(o->buf + start, len);
	if (h % 1000 >= g->vary)
		return;
	if (f == F_SUPPORT)
		vary_support(o->buf + start, len, h, &v);
	else
		vary_billing(o->buf + start, len, h, &v);
	if (v.len + 1 > LINE_ROOM)
		errx(1, "vary: a varied line is too long");
	memcpy(o->buf + start, b, v.len);
	o->buf[start + v.len] = '\n';
	o->len = start + v.len + 1;
}

static void
sup_next(struct gen *g, int64_t t)
{
	struct ssess	*s = &g->ss[rng_below(&g->rng, (uint32_t)g->nss)];

	if (gen_in_journey(g, s->cust, t))
		s->state = SS_DONE;
	while (!sup_step(g, s, t))
		sup_new(g, s, t);
	vary_line(g, &g->out[F_SUPPORT], F_SUPPORT);
}

static void
bil_new(struct gen *g, struct bsess *s, int64_t t)
{
	unsigned	 u = rng_below(&g->rng, 1000);

	memset(s, 0, sizeof *s);
	s->cust = gen_customer(g, t);
	s->amount = rng_range(&g->rng, 499, 19999);
	s->kind = u < 880 ? BK_PAY : u < 950 ? BK_RETRY : u < 993 ?
	    BK_REFUND : u < 997 ? BK_DISPUTE : BK_DUP;
}

static const char *
bil_decline(struct rng *r)
{
	unsigned	 i, total = 0, u;

	for (i = 0; i < NDECLINES; i++)
		total += declines[i].freq;
	u = rng_below(r, total);
	for (i = 0; u >= declines[i].freq; i++)
		u -= declines[i].freq;
	return declines[i].code;
}

/* Emit the next line of billing story s; 0 when it ended without one. */
static int
bil_step(struct gen *g, struct bsess *s, int64_t t)
{
	struct out	*o = &g->out[F_BILLING];
	struct rng	*r = &g->rng;

	if (s->done)
		return 0;
	s->done = 1;
	if (s->kind == BK_DUP && s->step++ == 0) {
		s->charge = rng_next(r);
		bil_succeeded(g, o, t, s->cust, s->amount, s->charge);
		s->done = 0;
		return 1;
	}
	if (s->kind == BK_PAY || !gen_may_fail(g, s->cust, t)) {
		/* Healthy, or a failure the gate turned into a success. */
		if (s->kind == BK_DUP)
			return 0;
		bil_succeeded(g, o, t, s->cust, s->amount, rng_next(r));
		return 1;
	}
	switch (s->kind) {
	case BK_RETRY:
		bil_failed(g, o, t, s->cust, s->amount, bil_decline(r));
		s->kind = BK_PAY;	/* the retry succeeds */
		s->done = 0;
		return 1;
	case BK_REFUND:
		bil_head(g, o, t, "charge.refunded", s->cust, s->amount);
		out_jid(o, "charge", "ch_", rng_next(r));
		out_jstr(o, "reason", "requested_by_customer");
		break;
	case BK_DISPUTE:
		bil_head(g, o, t, "dispute.created", s->cust, s->amount);
		out_jid(o, "charge", "ch_", rng_next(r));
		out_jid(o, "dispute", "dp_", rng_next(r));
		out_jstr(o, "reason", rng_below(r, 2) ?
		    "product_not_received" : "fraudulent");
		break;
	case BK_DUP:
		bil_head(g, o, t, "charge.duplicated", s->cust, s->amount);
		out_jid(o, "charge", "ch_", rng_next(r));
		out_jid(o, "duplicate_of", "ch_", s->charge);
		out_jid(o, "payment", "pay_", rng_next(r));
		break;
	}
	out_str(o, "}\n");
	return 1;
}

static void
bil_next(struct gen *g, int64_t t)
{
	struct bsess	*s = &g->bs[rng_below(&g->rng, (uint32_t)g->nbs)];

	if (gen_in_journey(g, s->cust, t))
		s->done = 1;
	while (!bil_step(g, s, t))
		bil_new(g, s, t);
	vary_line(g, &g->out[F_BILLING], F_BILLING);
}

/* Start a planted line in file f at t; plant_end() closes it. */
static struct out *
plant_begin(struct gen *g, int f, int64_t t)
{
	struct pev	*p;

	if (g->npev == g->cappev) {
		g->cappev = g->cappev ? g->cappev * 2 : 256;
		g->pev = realloc(g->pev, g->cappev * sizeof *g->pev);
		if (g->pev == NULL)
			err(1, "realloc");
	}
	p = &g->pev[g->npev++];
	p->t = t;
	p->seq = g->seq++;
	p->file = f;
	p->off = g->arena.len;
	out_room(&g->arena, LINE_ROOM);
	return &g->arena;
}

static void
plant_end(struct gen *g)
{
	struct pev	*p = &g->pev[g->npev - 1];

	vary_line(g, &g->arena, p->file);
	p->len = (uint32_t)(g->arena.len - p->off);
}

/* A journey's state: its customer, start, referer and ticket. */
struct story {
	struct gen	*g;
	uint32_t	 cust;
	int64_t		 t0;
	char		 prev[PATH_ROOM];
	uint32_t	 ticket;
	unsigned	 agent;
};

static void
st_web(struct story *st, int64_t sec, const char *method, const char *path,
    unsigned status, int rt)
{
	struct gen	*g = st->g;
	struct req	 q;

	memset(&q, 0, sizeof q);
	q.cust = st->cust;
	q.ip = (unsigned)(mix(st->cust) % 762);
	q.ua = uas[mix(st->cust + 1) % NUAS];
	q.method = method;
	q.path = path;
	q.status = status;
	q.bytes = status >= 500 ? 173 : status == 303 || status == 302 ? 0 :
	    status == 401 || status == 403 ? 152 : 14000 + (unsigned)rt * 7;
	q.ref = st->prev;
	q.rt = rt;
	web_write(g, plant_begin(g, F_WEB, st->t0 + sec * SEC_MS + rt), st->t0 +
	    sec * SEC_MS + rt, &q);
	plant_end(g);
	memcpy(st->prev, path, strlen(path) + 1);
}

/* A support line: event, then " extra" (may be ""). */
static void
st_sup(struct story *st, int64_t sec, const char *level, const char *event,
    const char *extra)
{
	struct gen	*g = st->g;
	int64_t		 t = st->t0 + sec * SEC_MS + 120;
	struct out	*o = plant_begin(g, F_SUPPORT, t);

	sup_head(g, o, t, level, event, st->cust, st->ticket);
	out_str(o, extra);
	out_chr(o, '\n');
	plant_end(g);
}

static void
st_ticket(struct story *st, int64_t sec, const char *channel,
    const char *priority, const char *subject)
{
	char		 b[128];
	struct out	 o = { b, 0, sizeof b, NULL, NULL };

	st->ticket = ++st->g->ticket;
	st->agent = 1 + (unsigned)(mix(st->ticket) % 40);
	out_str(&o, " channel=");
	out_str(&o, channel);
	out_str(&o, " priority=");
	out_str(&o, priority);
	out_str(&o, " subject=");
	out_str(&o, subject);
	out_chr(&o, '\0');
	st_sup(st, sec, "info", "ticket.created", b);
}

/* A support line with a number: " key=N unit", after a fixed prefix. */
static void
st_supn(struct story *st, int64_t sec, const char *level, const char *event,
    const char *prefix, int agent, const char *key, unsigned v,
    const char *unit)
{
	char		 b[128];
	struct out	 o = { b, 0, sizeof b, NULL, NULL };

	out_str(&o, prefix);
	if (agent)
		out_agent(&o, st->agent);
	if (key != NULL)
		out_kv(&o, key, v, unit);
	out_chr(&o, '\0');
	st_sup(st, sec, level, event, b);
}

static void
st_failed(struct story *st, int64_t sec, const char *code)
{
	struct gen	*g = st->g;
	int64_t		 t = st->t0 + sec * SEC_MS + 310;

	bil_failed(g, plant_begin(g, F_BILLING, t), t, st->cust, 4999, code);
	plant_end(g);
}

/* A payment that went through, at sec (a forgiving line as shipped). */
static void
st_succeeded(struct story *st, int64_t sec)
{
	struct gen	*g = st->g;
	int64_t		 t = st->t0 + sec * SEC_MS + 310;

	bil_succeeded(g, plant_begin(g, F_BILLING, t), t, st->cust, 4999,
	    rng_next(&g->rng));
	plant_end(g);
}

/*
 * The stories, each written in time order. The comments give the rules'
 * weights as shipped and, after "=", the customer's score in the window
 * of the "journey" detector (30m, threshold 10), or, marked "pay", in
 * the "payments" detector's (15m, threshold 5, payment rules only).
 */
static void
story_checkout_broken(struct story *st)
{
	st_web(st, 0, "GET", "/cart", 200, 90);
	st_web(st, 40, "GET", "/checkout", 200, 140);
	st_web(st, 95, "POST", "/checkout/pay", 502, 731);	/* 4 */
	st_web(st, 150, "POST", "/checkout/pay", 502, 1204);	/* 4 = 8 */
	st_ticket(st, 240, "chat", "normal", "payment");
	st_supn(st, 241, "info", "chat.started", " channel=chat queue=payments",
	    0, NULL, 0, "");
	st_supn(st, 660, "warn", "chat.abandoned",		/* 3 = 11 */
	    " channel=chat queue=payments", 0, "wait", 419, "s");
	st_failed(st, 840, "processing_error");		/* 3 = 3 */
}

static void
story_double_charge(struct story *st)
{
	struct gen	*g = st->g;
	uint64_t	 first = rng_next(&g->rng);
	int64_t		 t;
	struct out	*o;

	st_web(st, 0, "GET", "/checkout", 200, 120);
	st_web(st, 30, "POST", "/checkout/pay", 303, 2100);
	t = st->t0 + 33 * SEC_MS;
	bil_succeeded(g, plant_begin(g, F_BILLING, t), t, st->cust, 8950,
	    first);
	plant_end(g);
	t = st->t0 + 95 * SEC_MS;
	o = plant_begin(g, F_BILLING, t);			/* 5 */
	bil_head(g, o, t, "charge.duplicated", st->cust, 8950);
	out_jid(o, "charge", "ch_", rng_next(&g->rng));
	out_jid(o, "duplicate_of", "ch_", first);
	out_jid(o, "payment", "pay_", rng_next(&g->rng));
	out_str(o, "}\n");
	plant_end(g);
	st_web(st, 180, "GET", "/account/orders", 200, 12400);	/* 2 = 7 */
	st_ticket(st, 300, "phone", "normal", "payment");
	st_supn(st, 301, "info", "call.started",
	    " channel=phone queue=payments", 0, NULL, 0, "");
	st_supn(st, 540, "warn", "call.dropped", " channel=phone", 1,
	    "duration", 239, "s reason=network");	/* 3 = 10, 3 ch */
	/* After the alert the window starts empty. */
	st_supn(st, 960, "info", "csat.submitted", "", 0, "score", 1, "");
								/* 4 = 4 */
	t = st->t0 + 1080 * SEC_MS;
	o = plant_begin(g, F_BILLING, t);		/* 5 = 9 */
	bil_head(g, o, t, "dispute.created", st->cust, 8950);
	out_jid(o, "charge", "ch_", first);
	out_jid(o, "dispute", "dp_", rng_next(&g->rng));
	out_jstr(o, "reason", "duplicate");
	out_str(o, "}\n");
	plant_end(g);
}

static void
story_locked_out(struct story *st)
{
	st_web(st, 0, "GET", "/login", 200, 45);
	st_web(st, 20, "POST", "/login", 401, 180);		/* 2 */
	st_web(st, 45, "POST", "/login", 401, 170);		/* 2 */
	st_web(st, 70, "POST", "/login", 403, 160);		/* 2 = 6 */
	st_ticket(st, 120, "email", "high", "login");
	st_supn(st, 1020, "warn", "sla.breached",		/* 3 = 9 */
	    " sla=first_response target=15m", 0, NULL, 0, "");
	st_supn(st, 1080, "info", "ticket.solved", "", 1, NULL, 0, "");
	st_supn(st, 1200, "warn", "ticket.reopened",		/* 3 = 12 */
	    " reason=customer_reply", 0, NULL, 0, "");
}

static void
story_three_channels(struct story *st)
{
	st_web(st, 0, "GET", "/account", 200, 80);
	st_web(st, 30, "GET", "/account/invoices", 500, 310);	/* 2 */
	st_ticket(st, 180, "chat", "normal", "account");
	st_supn(st, 181, "info", "chat.started", " channel=chat queue=accounts",
	    0, NULL, 0, "");
	st_supn(st, 480, "warn", "chat.abandoned",		/* 3 = 5 */
	    " channel=chat queue=accounts", 0, "wait", 299, "s");
	st_failed(st, 720, "insufficient_funds");	/* 1 = 6, 3 ch */
}

static void
story_at_threshold(struct story *st)
{
	st_web(st, 0, "GET", "/login", 200, 50);
	st_web(st, 15, "POST", "/login", 401, 190);		/* 2 */
	st_web(st, 40, "POST", "/login", 302, 150);
	st_web(st, 180, "GET", "/checkout", 200, 130);
	st_web(st, 240, "POST", "/checkout/pay", 503, 2900);	/* 4 = 6 */
	st_web(st, 300, "POST", "/checkout/pay", 504, 2999);	/* 4 = 10 */
}

static void
story_just_below(struct story *st)
{
	st_web(st, 0, "GET", "/checkout", 200, 110);
	st_web(st, 20, "POST", "/checkout/pay", 502, 640);	/* 4 */
	st_web(st, 80, "POST", "/checkout/pay", 502, 655);	/* 4 = 8 */
	/* Slow, but a static file: 0. Counting it would make 10. */
	st_web(st, 100, "GET", "/static/img/p1234.webp", 200, 4200);
	st_failed(st, 200, "insufficient_funds");	/* 1 = 9, 2 ch */
}

static void
story_slow_burn(struct story *st)
{
	st_web(st, 0, "GET", "/checkout", 200, 100);
	st_web(st, 30, "POST", "/checkout/pay", 502, 700);	/* 4 */
	st_ticket(st, 1500, "chat", "normal", "payment");
	st_supn(st, 1501, "info", "chat.started",
	    " channel=chat queue=payments", 0, NULL, 0, "");
	st_supn(st, 1800, "warn", "chat.abandoned",		/* 3 = 7 */
	    " channel=chat queue=payments", 0, "wait", 299, "s");
	/* The 502 is 54m old now: out of the window. */
	st_failed(st, 3300, "do_not_honor");		/* 4 = 7 */
}

/* Payment retries that keep failing: fast for "payments", not "journey". */
static void
story_payment_retries(struct story *st)
{
	st_web(st, 0, "GET", "/checkout", 200, 120);
	st_failed(st, 20, "processing_error");		/* 3, pay 3 */
	st_failed(st, 260, "try_again_later");		/* 3 = 6, pay 6 */
}

/*
 * The same retries with a payment that went through between them: the
 * first failure is forgiven, and "payments" stays quiet.
 */
static void
story_forgiven(struct story *st)
{
	st_web(st, 0, "GET", "/checkout", 200, 120);
	st_failed(st, 20, "processing_error");		/* 3, pay 3 */
	st_succeeded(st, 90);				/* pay 0 */
	st_failed(st, 400, "processing_error");		/* 3 = 6, pay 3 */
}

/*
 * expect: "alert" or "quiet" with the shipped rules; detectors: which of
 * the shipped detectors alert ("-": none), in the order defined.
 */
static const struct {
	const char	*name;
	const char	*expect;
	const char	*detectors;
	void		(*fn)(struct story *);
} stories[] = {
	{ "checkout-broken", "alert", "journey", story_checkout_broken },
	{ "double-charge", "alert", "journey", story_double_charge },
	{ "locked-out", "alert", "journey", story_locked_out },
	{ "three-channels", "alert", "journey", story_three_channels },
	{ "at-threshold", "alert", "journey", story_at_threshold },
	{ "just-below", "quiet", "-", story_just_below },
	{ "slow-burn", "quiet", "-", story_slow_burn },
	{ "payment-retries", "alert", "payments", story_payment_retries },
	{ "forgiven", "quiet", "-", story_forgiven }
};
#define NSTORIES	(sizeof stories / sizeof stories[0])

static int
pev_cmp(const void *a, const void *b)
{
	const struct pev *p = a, *q = b;

	if (p->t != q->t)
		return p->t < q->t ? -1 : 1;
	return p->seq < q->seq ? -1 : p->seq > q->seq;
}

/*
 * Plant the journeys: customers from the quieter four fifths of the
 * ranks, starts spread over 01:00-22:00 (the longest story is 56m).
 */
static void
gen_plant(struct gen *g, FILE *fp)
{
	struct story	 st;
	struct out	 o;
	char		 b[128];
	uint32_t	 lo = g->ncust / 5 + 1, id;
	int64_t		 slot;
	unsigned	 i;

	if (g->njourneys == 0)
		return;
	slot = 21 * HOUR_MS / g->njourneys;
	for (i = 0; i < g->njourneys; i++) {
		do
			id = gen_rank_id(g, rng_range(&g->rng, lo, g->ncust));
		while (g->jstart[id] != NOJOURNEY);
		memset(&st, 0, sizeof st);
		st.g = g;
		st.cust = id;
		st.t0 = g->day0 + HOUR_MS + i * slot +
		    (int64_t)rng_below(&g->rng, (uint32_t)slot);
		g->jstart[id] = st.t0;
		stories[i % NSTORIES].fn(&st);
		o = (struct out){ b, 0, sizeof b, NULL, NULL };
		out_cust(&o, id);
		out_chr(&o, ' ');
		out_str(&o, stories[i % NSTORIES].name);
		out_chr(&o, ' ');
		out_str(&o, stories[i % NSTORIES].expect);
		out_chr(&o, ' ');
		out_iso(g, &o, st.t0);
		out_chr(&o, ' ');
		out_str(&o, stories[i % NSTORIES].detectors);
		out_chr(&o, '\n');
		if (fwrite(b, 1, o.len, fp) != o.len)
			err(1, "planted.txt");
	}
	qsort(g->pev, g->npev, sizeof *g->pev, pev_cmp);
}

/*
 * The planted outage: the payment provider fails, from about 14:00, for
 * OUTAGE_CUSTOMERS customers within OUTAGE_MS, each with one payment
 * declined "processing_error" (the payment-error rule as shipped). With
 * the shipped [incident] (25 customers in 10m) that opens one incident,
 * which ends 10m after the last of them; alone, one event alerts nobody,
 * so each is in planted.txt as an "outage" story that is quiet. They are
 * customers of their own (ids past -c, no other line today), and their
 * lines draw on a generator of their own and are not counted in -n, so
 * the rest of the day is byte for byte the day without them.
 */
static void
gen_outage(struct gen *g, FILE *fp)
{
	struct rng	 r = { mix(g->seed ^ 0x6f75746167650000ULL) | 1 };
	struct out	*o, po;
	char		 b[128];
	int64_t		 t0, t;
	uint32_t	 id;
	unsigned	 i;

	if (g->njourneys == 0)
		return;
	t0 = g->day0 + 14 * HOUR_MS + (int64_t)rng_below(&r, 30) * MIN_MS;
	for (i = 0; i < OUTAGE_CUSTOMERS; i++) {
		id = g->ncust + 1 + i;
		t = t0 + (int64_t)i * OUTAGE_MS / OUTAGE_CUSTOMERS +
		    (int64_t)rng_below(&r, 1000);
		o = plant_begin(g, F_BILLING, t);
		bil_head(g, o, t, "payment.failed", id,
		    1000 + rng_below(&r, 9000));
		out_jstr(o, "decline_code", "processing_error");
		out_jid(o, "payment", "pay_", rng_next(&r));
		out_str(o, "}\n");
		plant_end(g);
		po = (struct out){ b, 0, sizeof b, NULL, NULL };
		out_cust(&po, id);
		out_str(&po, " outage quiet ");
		out_iso(g, &po, t);
		out_str(&po, " -\n");
		if (fwrite(b, 1, po.len, fp) != po.len)
			err(1, "planted.txt");
	}
	qsort(g->pev, g->npev, sizeof *g->pev, pev_cmp);
}

/*
 * Time of background line i of n, as ms after midnight: stratified
 * jitter, shaped by hourw[]. Non-decreasing in i; integers only.
 */
static int64_t
day_offset(struct gen *g, uint64_t i, uint64_t n)
{
	static uint64_t	 cum[25];
	uint64_t	 frac, pos, base;
	unsigned	 h;

	if (cum[24] == 0)
		for (h = 0; h < 24; h++)
			cum[h + 1] = cum[h] + hourw[h];
	frac = ((i << 32) + (rng_next(&g->rng) >> 32)) / n;
	pos = frac * cum[24];
	while (g->hour < 23 && pos >= cum[g->hour + 1] << 32)
		g->hour++;
	h = g->hour;
	base = cum[h] << 32;
	return (int64_t)h * HOUR_MS + (int64_t)(((pos - base) >> 10) *
	    (uint64_t)HOUR_MS / ((uint64_t)hourw[h] << 22));
}

static void
gen_run(struct gen *g)
{
	uint64_t	 i, nbg;
	size_t		 pi = 0;
	int64_t		 t;
	unsigned	 u;
	struct pev	*p;

	nbg = g->nlines > g->nplanted ? g->nlines - g->nplanted : 0;
	for (i = 0; i <= nbg; i++) {
		t = i < nbg ? g->day0 + day_offset(g, i, nbg) : INT64_MAX;
		for (; pi < g->npev && g->pev[pi].t <= t; pi++) {
			p = &g->pev[pi];
			out_room(&g->out[p->file], p->len);
			out_mem(&g->out[p->file], g->arena.buf + p->off,
			    p->len);
		}
		if (i == nbg)
			break;
		u = rng_below(&g->rng, 100);
		if (u < 70)
			web_next(g, t);
		else if (u < 90)
			sup_next(g, t);
		else
			bil_next(g, t);
	}
}

static uint64_t
parse_num(const char *opt, const char *s, uint64_t lo, uint64_t hi)
{
	char			*end;
	unsigned long long	 v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || errno != 0 || v < lo ||
	    v > hi)
		errx(2, "%s: \"%s\" is not a number from %" PRIu64 " to %"
		    PRIu64, opt, s, lo, hi);
	return v;
}

static int64_t
parse_date(const char *s)
{
	unsigned	 y, m, d, m2, d2;
	int64_t		 days, y2;
	char		 c;

	if (strlen(s) != 10 || sscanf(s, "%4u-%2u-%2u%c", &y, &m, &d, &c) != 3
	    || y < 1970 || m < 1 || m > 12 || d < 1 || d > 31)
		errx(2, "-d: \"%s\" is not a date (try 2026-11-21)", s);
	days = days_from_civil(y, m, d);
	civil_from_days(days, &y2, &m2, &d2);
	if (y2 != y || m2 != m || d2 != d)
		errx(2, "-d: \"%s\" is not a date (try 2026-11-21)", s);
	return days * DAY_MS;
}

static FILE *
open_out(const char *dir, const char *name, char **pathp)
{
	FILE	*fp;
	size_t	 len = strlen(dir) + strlen(name) + 2;

	if ((*pathp = malloc(len)) == NULL)
		err(1, "malloc");
	snprintf(*pathp, len, "%s/%s", dir, name);
	if ((fp = fopen(*pathp, "w")) == NULL)
		err(1, "%s", *pathp);
	return fp;
}

static void *
xcalloc(size_t n, size_t size)
{
	void	*p;

	if ((p = calloc(n, size)) == NULL)
		err(1, "calloc");
	return p;
}

static void
usage(void)
{
	fprintf(stderr, "usage: gen [-s seed] [-n lines] [-c customers] "
	    "[-p journeys] [-d yyyy-mm-dd] [-v permille] outdir\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	struct gen	 g;
	uint64_t	 seed = 1, ncust = 0, njourneys = UINT64_MAX;
	char		*planted;
	FILE		*pfp;
	uint32_t	 k;
	int		 ch, f;

	memset(&g, 0, sizeof g);
	g.nlines = 100000;
	g.day0 = parse_date("2026-11-21");
	while ((ch = getopt(argc, argv, "c:d:n:p:s:v:")) != -1) {
		switch (ch) {
		case 'c':
			ncust = parse_num("-c", optarg, 10, MAX_CUSTOMERS);
			break;
		case 'd':
			g.day0 = parse_date(optarg);
			break;
		case 'n':
			g.nlines = parse_num("-n", optarg, 0, MAX_LINES);
			break;
		case 'p':
			njourneys = parse_num("-p", optarg, 0, 1000000);
			break;
		case 's':
			seed = parse_num("-s", optarg, 0, UINT64_MAX);
			break;
		case 'v':
			g.vary = (unsigned)parse_num("-v", optarg, 0, 1000);
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1)
		usage();

	if (ncust == 0)
		ncust = g.nlines / 20 < 100 ? 100 : g.nlines / 20 >
		    MAX_CUSTOMERS ? MAX_CUSTOMERS : g.nlines / 20;
	g.ncust = (uint32_t)ncust;
	if (njourneys == UINT64_MAX)
		njourneys = g.nlines / 500 < NSTORIES ? NSTORIES :
		    g.nlines / 500;
	g.njourneys = (unsigned)njourneys;
	if (g.njourneys > (g.ncust - g.ncust / 5) / 2)
		errx(2, "%u customers are too few for %u planted journeys "
		    "(raise -c or lower -p)", g.ncust, g.njourneys);
	if ((g.rng.s = mix(seed)) == 0)
		g.rng.s = 1;
	g.seed = seed;
	g.cday = -1;

	g.zipf = xcalloc(g.ncust, sizeof *g.zipf);
	for (k = 0; k < g.ncust; k++)
		g.zipf[k] = (k ? g.zipf[k - 1] : 0) + (1ULL << 32) / (k + 1);
	g.lastbad = xcalloc(g.ncust + 1, sizeof *g.lastbad);
	g.jstart = xcalloc(g.ncust + 1, sizeof *g.jstart);
	for (k = 0; k <= g.ncust; k++) {
		g.lastbad[k] = INT64_MIN / 2;
		g.jstart[k] = NOJOURNEY;
	}
	g.nws = 1 + g.nlines / 3000;
	g.nss = 1 + g.nlines / 1800;
	g.nbs = 1 + g.nlines / 20000;
	g.ws = xcalloc(g.nws, sizeof *g.ws);
	g.ss = xcalloc(g.nss, sizeof *g.ss);
	g.bs = xcalloc(g.nbs, sizeof *g.bs);
	for (k = 0; k < g.nss; k++)
		g.ss[k].state = SS_DONE;
	for (k = 0; k < g.nbs; k++)
		g.bs[k].done = 1;
	g.ticket = 40000 + rng_below(&g.rng, 10000);
	g.order = 700000 + rng_below(&g.rng, 100000);

	if (mkdir(argv[0], 0777) == -1 && errno != EEXIST)
		err(1, "%s", argv[0]);
	for (f = 0; f < NFILES; f++) {
		g.out[f].fp = open_out(argv[0], fnames[f], &g.out[f].path);
		g.out[f].cap = OUT_CAP;
		if ((g.out[f].buf = malloc(OUT_CAP)) == NULL)
			err(1, "malloc");
	}
	g.arena.cap = 1 << 16;
	if ((g.arena.buf = malloc(g.arena.cap)) == NULL)
		err(1, "malloc");

	pfp = open_out(argv[0], "planted.txt", &planted);
	gen_plant(&g, pfp);
	g.nplanted = g.npev;
	gen_outage(&g, pfp);
	if (fclose(pfp) == EOF)
		err(1, "%s", planted);
	gen_run(&g);
	for (f = 0; f < NFILES; f++) {
		out_flush(&g.out[f]);
		if (fclose(g.out[f].fp) == EOF)
			err(1, "%s", g.out[f].path);
		free(g.out[f].buf);
		free(g.out[f].path);
	}
	free(planted);
	free(g.arena.buf);
	free(g.zipf);
	free(g.lastbad);
	free(g.jstart);
	free(g.ws);
	free(g.ss);
	free(g.bs);
	free(g.pev);
	return 0;
}
