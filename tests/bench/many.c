/*
 * many: lines for many distinct customers, for cxwatch's memory benchmark
 * (tests/bench/run). Writes to standard output, in time order.
 *
 *	many -a n [-d yyyy-mm-dd]
 *	many -e n -c customers [-s seed] [-d yyyy-mm-dd]
 *
 * -a: n customers C0000001 .. each with one failed checkout (a web line
 * with status 502, weight 4 with rules/ as shipped, under the threshold)
 * spread evenly over five minutes from 10:00, so all of them are in the
 * window at once.
 *
 * -e: n events spread evenly over the day, each for a customer drawn
 * uniformly from C0000001 .. C<customers>: 70% failed checkouts (web),
 * 20% abandoned chats (support, logfmt), 10% declined payments (billing,
 * JSON). Every line is an event for rules/ as shipped.
 *
 * Self-contained, like gen.c: libc only and no floating point.
 */
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
#define MANY_MAX	4000000000ULL
#define LINE_ROOM	512

static const char *const months[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};

/* The day's date, as the formats spell it. */
struct day {
	int64_t	 ms;		/* midnight UTC */
	char	 iso[32];	/* 2026-11-21 */
	char	 clf[32];	/* 21/Nov/2026 */
};

/* splitmix64: customer draws that depend only on seed and index. */
static uint64_t
many_mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static uint64_t
many_num(const char *opt, const char *s, uint64_t lo, uint64_t hi)
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

static void
many_date(struct day *d, const char *s)
{
	unsigned	 y, m, dd, mp, yoe, doy;
	int64_t		 era, days;
	char		 c;

	if (strlen(s) != 10 || sscanf(s, "%4u-%2u-%2u%c", &y, &m, &dd, &c)
	    != 3 || y < 1970 || m < 1 || m > 12 || dd < 1 || dd > 28)
		errx(2, "-d: \"%s\" is not a date from the 1st to the 28th "
		    "(try 2026-11-21)", s);
	/* days_from_civil, H. Hinnant: days since 1970-01-01. */
	era = (int64_t)(m <= 2 ? y - 1 : y) / 400;
	yoe = (m <= 2 ? y - 1 : y) - (unsigned)era * 400;
	mp = m > 2 ? m - 3 : m + 9;
	doy = (153 * mp + 2) / 5 + dd - 1;
	days = era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
	d->ms = days * DAY_MS;
	snprintf(d->iso, sizeof d->iso, "%04u-%02u-%02u", y, m, dd);
	snprintf(d->clf, sizeof d->clf, "%02u/%s/%04u", dd, months[m - 1], y);
}

/* Time of day t (ms since midnight) as HH:MM:SS. */
static int
many_hms(char *b, size_t len, int64_t t)
{
	return snprintf(b, len, "%02d:%02d:%02d", (int)(t / HOUR_MS),
	    (int)(t / MIN_MS % 60), (int)(t / SEC_MS % 60));
}

static int
many_web(char *b, const struct day *d, int64_t t, uint64_t cust)
{
	char	 hms[16];

	many_hms(hms, sizeof hms, t);
	return snprintf(b, LINE_ROOM, "192.0.2.%u - C%07" PRIu64
	    " [%s:%s +0000] \"POST /checkout/pay HTTP/1.1\" 502 173 "
	    "\"https://shop.example.com/checkout\" \"Mozilla/5.0\" 0.731\n",
	    (unsigned)(cust % 254 + 1), cust, d->clf, hms);
}

static int
many_support(char *b, const struct day *d, int64_t t, uint64_t cust)
{
	char	 hms[16];

	many_hms(hms, sizeof hms, t);
	return snprintf(b, LINE_ROOM, "%sT%s.%03dZ level=warn "
	    "event=chat.abandoned customer=C%07" PRIu64 " ticket=T-%" PRIu64
	    " channel=chat queue=orders wait=41s\n", d->iso, hms,
	    (int)(t % SEC_MS), cust, 40000 + cust % 50000);
}

static int
many_billing(char *b, const struct day *d, int64_t t, uint64_t cust)
{
	char	 hms[16];

	many_hms(hms, sizeof hms, t);
	return snprintf(b, LINE_ROOM, "{\"ts\":\"%sT%s.%03dZ\","
	    "\"event\":\"payment.failed\",\"customer\":\"C%07" PRIu64 "\","
	    "\"amount\":4999,\"currency\":\"EUR\","
	    "\"decline_code\":\"insufficient_funds\","
	    "\"payment\":\"pay_%014" PRIx64 "\"}\n", d->iso, hms,
	    (int)(t % SEC_MS), cust, many_mix(cust) >> 8);
}

static void
many_put(const char *b, int len)
{
	if (len < 0 || len >= LINE_ROOM)
		errx(1, "line too long");
	if (fwrite(b, 1, (size_t)len, stdout) != (size_t)len)
		err(1, "stdout");
}

static void
many_active(const struct day *d, uint64_t n)
{
	char		 b[LINE_ROOM];
	uint64_t	 i;

	for (i = 0; i < n; i++)
		many_put(b, many_web(b, d, 10 * HOUR_MS +
		    (int64_t)(i * (uint64_t)(5 * MIN_MS) / n), i + 1));
}

static void
many_events(const struct day *d, uint64_t n, uint64_t ncust, uint64_t seed)
{
	char		 b[LINE_ROOM];
	uint64_t	 i, r, cust;
	int64_t		 t;
	int		 len;

	for (i = 0; i < n; i++) {
		t = (int64_t)(i * (uint64_t)(DAY_MS - 1) / n);
		r = many_mix(seed ^ many_mix(i));
		cust = 1 + (r >> 8) % ncust;
		switch (r % 10) {
		case 0:
			len = many_billing(b, d, t, cust);
			break;
		case 1:
		case 2:
			len = many_support(b, d, t, cust);
			break;
		default:
			len = many_web(b, d, t, cust);
			break;
		}
		many_put(b, len);
	}
}

static void
usage(void)
{
	fprintf(stderr, "usage: many -a n [-d yyyy-mm-dd]\n"
	    "       many -e n -c customers [-s seed] [-d yyyy-mm-dd]\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	static char	 obuf[1 << 20];
	struct day	 d;
	uint64_t	 active = 0, events = 0, ncust = 0, seed = 1;
	int		 ch;

	many_date(&d, "2026-11-21");
	while ((ch = getopt(argc, argv, "a:c:d:e:s:")) != -1) {
		switch (ch) {
		case 'a':
			active = many_num("-a", optarg, 1, MANY_MAX);
			break;
		case 'c':
			ncust = many_num("-c", optarg, 1, MANY_MAX);
			break;
		case 'd':
			many_date(&d, optarg);
			break;
		case 'e':
			events = many_num("-e", optarg, 1, MANY_MAX);
			break;
		case 's':
			seed = many_num("-s", optarg, 0, UINT64_MAX);
			break;
		default:
			usage();
		}
	}
	if (optind != argc || (active == 0) == (events == 0) ||
	    (events != 0) != (ncust != 0))
		usage();
	if (setvbuf(stdout, obuf, _IOFBF, sizeof obuf) != 0)
		err(1, "setvbuf");
	if (active != 0)
		many_active(&d, active);
	else
		many_events(&d, events, ncust, seed);
	if (fflush(stdout) == EOF)
		err(1, "stdout");
	return 0;
}
