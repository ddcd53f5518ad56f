/*
 * tparse: time stamps and durations. See tparse.h.
 * Every parser reads s[0..len) through a cursor (p, e) that never passes
 * e, fills a struct tp_fields, and tp_finish() validates the fields and
 * turns them into milliseconds. Nothing allocates. Results are limited
 * to the years 0000..9999, so every time tp_parse() returns prints with
 * a four-digit year.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "tparse.h"
#include "xmalloc.h"

#define TP_DAY_S	86400
#define TP_DAY_MS	(86400 * 1000LL)
#define TP_MIN_MS	(-62167219200000LL)	/* 0000-01-01T00:00:00.000Z */
#define TP_MAX_MS	253402300799999LL	/* 9999-12-31T23:59:59.999Z */
#define TP_MAX_S	253402300799LL
#define TP_MAX_OFF_MIN	(14 * 60)
#define TP_DUR_MAX_S	(36525LL * TP_DAY_S)	/* 100 Julian years */
#define TP_NO_KEY	INT64_MIN

struct tp_fields {
	int	 year, mon, mday, yday;
	int	 hour, min, sec, ms;
	int	 off;		/* seconds east of UTC, if has_zone */
	int64_t	 epoch;		/* |seconds|, if has_epoch; neg gives sign */
	int	 has_year, has_md, has_yday, has_zone, has_epoch, neg;
	int	 has_12, pm;
	const char *secp;	/* the clock's seconds, if it has them */
	const char *fracend;	/* just past them and their fraction */
};

static const struct tp_fields tp_fields0 = { .mon = 1, .mday = 1 };

static const char *const tp_months[12] = {
	"january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december"
};

static const char *const tp_wdays[7] = {
	"sunday", "monday", "tuesday", "wednesday", "thursday", "friday",
	"saturday"
};

static const struct {
	const char	*name;
	enum tp_kind	 kind;
} tp_kinds[] = {
	{ "clf", TP_CLF },
	{ "iso8601", TP_ISO8601 },
	{ "syslog", TP_SYSLOG },
	{ "epoch", TP_EPOCH },
	{ "epoch_ms", TP_EPOCH_MS },
	{ "auto", TP_AUTO },
	{ "none", TP_NONE }
};

/* Conversions a TP_FORMAT may use; tp_fmt_conv() handles each. */
static const char tp_convs[] = "YymdejHIpMSfbhBaAzZsTFD%";

/* cause must be static, so each letter gets its own message. */
#define TP_BADCONV(c)	"unknown conversion %" #c " in time format"
static const char *const tp_badconv_uc[26] = {
	TP_BADCONV(A), TP_BADCONV(B), TP_BADCONV(C), TP_BADCONV(D),
	TP_BADCONV(E), TP_BADCONV(F), TP_BADCONV(G), TP_BADCONV(H),
	TP_BADCONV(I), TP_BADCONV(J), TP_BADCONV(K), TP_BADCONV(L),
	TP_BADCONV(M), TP_BADCONV(N), TP_BADCONV(O), TP_BADCONV(P),
	TP_BADCONV(Q), TP_BADCONV(R), TP_BADCONV(S), TP_BADCONV(T),
	TP_BADCONV(U), TP_BADCONV(V), TP_BADCONV(W), TP_BADCONV(X),
	TP_BADCONV(Y), TP_BADCONV(Z)
};
static const char *const tp_badconv_lc[26] = {
	TP_BADCONV(a), TP_BADCONV(b), TP_BADCONV(c), TP_BADCONV(d),
	TP_BADCONV(e), TP_BADCONV(f), TP_BADCONV(g), TP_BADCONV(h),
	TP_BADCONV(i), TP_BADCONV(j), TP_BADCONV(k), TP_BADCONV(l),
	TP_BADCONV(m), TP_BADCONV(n), TP_BADCONV(o), TP_BADCONV(p),
	TP_BADCONV(q), TP_BADCONV(r), TP_BADCONV(s), TP_BADCONV(t),
	TP_BADCONV(u), TP_BADCONV(v), TP_BADCONV(w), TP_BADCONV(x),
	TP_BADCONV(y), TP_BADCONV(z)
};

static int	tp_fmt_run(const char *, const char **, const char *,
		    struct tp_fields *);

static int
tp_isdigit(char c)
{
	return c >= '0' && c <= '9';
}

/* ASCII only: tolower(3) would depend on the locale. */
static char
tp_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static int64_t
tp_floordiv(int64_t a, int64_t b)
{
	return a / b - (a % b < 0);
}

static int64_t
tp_floormod(int64_t a, int64_t b)
{
	return a % b + (a % b < 0 ? b : 0);
}

static int
tp_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
tp_mdays(int64_t y, int m)
{
	static const unsigned char mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	return mdays[m - 1] + (m == 2 && tp_leap(y));
}

/* Howard Hinnant's days_from_civil. */
int64_t
tp_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Howard Hinnant's civil_from_days, the inverse of the above. */
static void
tp_civil(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int
tp_eat(const char **pp, const char *e, char c)
{
	if (*pp == e || **pp != c)
		return 0;
	(*pp)++;
	return 1;
}

static int
tp_blanks(const char **pp, const char *e)
{
	const char *p = *pp;

	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	if (p == *pp)
		return 0;
	*pp = p;
	return 1;
}

/* min..max (at most 9) digits, greedy. */
static int
tp_num(const char **pp, const char *e, int min, int max, int *v)
{
	const char *p = *pp;
	int n = 0, val = 0;

	while (n < max && p < e && tp_isdigit(*p)) {
		val = val * 10 + (*p++ - '0');
		n++;
	}
	if (n < min)
		return -1;
	*pp = p;
	*v = val;
	return 0;
}

/* Any number of digits whose value is at most max: never overflows. */
static int
tp_bignum(const char **pp, const char *e, int64_t max, int64_t *v)
{
	const char *p = *pp;
	int64_t val = 0;

	if (p == e || !tp_isdigit(*p))
		return -1;
	for (; p < e && tp_isdigit(*p); p++) {
		val = val * 10 + (*p - '0');
		if (val > max)
			return -1;
	}
	*pp = p;
	*v = val;
	return 0;
}

/* Digits of a fraction of a second: milliseconds kept, the rest dropped. */
static int
tp_frac(const char **pp, const char *e, int *ms)
{
	const char *start = *pp;
	int val;
	ptrdiff_t n;

	if (tp_num(pp, e, 1, 3, &val) == -1)
		return -1;
	for (n = *pp - start; n < 3; n++)
		val *= 10;
	while (*pp < e && tp_isdigit(**pp))
		(*pp)++;
	*ms = val;
	return 0;
}

static int
tp_caseeq(const char *p, const char *lower, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (tp_lower(p[i]) != lower[i])
			return 0;
	return 1;
}

/*
 * A name from tab by its first three letters, or (if full) in full;
 * any case. Returns its index or -1.
 */
static int
tp_name(const char **pp, const char *e, const char *const *tab, int n,
    int full)
{
	const char *p = *pp;
	size_t rest;
	int i;

	if (e - p < 3)
		return -1;
	for (i = 0; i < n; i++)
		if (tp_caseeq(p, tab[i], 3))
			break;
	if (i == n)
		return -1;
	p += 3;
	rest = strlen(tab[i] + 3);
	if (full && rest > 0 && (size_t)(e - p) >= rest &&
	    tp_caseeq(p, tab[i] + 3, rest))
		p += rest;
	*pp = p;
	return i;
}

static int
tp_month(const char **pp, const char *e, int full, struct tp_fields *f)
{
	int i;

	if ((i = tp_name(pp, e, tp_months, 12, full)) == -1)
		return -1;
	f->mon = i + 1;
	f->has_md = 1;
	return 0;
}

/* Z, z, +HH, +HHMM or +HH:MM (or -), at most 14:00 away from UTC. */
static int
tp_zone(const char **pp, const char *e, int *off)
{
	const char *p = *pp;
	int neg, hh, mm = 0;

	if (p == e)
		return -1;
	if (*p == 'Z' || *p == 'z') {
		*off = 0;
		*pp = p + 1;
		return 0;
	}
	if (*p != '+' && *p != '-')
		return -1;
	neg = *p++ == '-';
	if (tp_num(&p, e, 2, 2, &hh) == -1)
		return -1;
	if ((tp_eat(&p, e, ':') || (p < e && tp_isdigit(*p))) &&
	    tp_num(&p, e, 2, 2, &mm) == -1)
		return -1;
	if (mm > 59 || hh * 60 + mm > TP_MAX_OFF_MIN)
		return -1;
	*off = (neg ? -1 : 1) * (hh * 3600 + mm * 60);
	*pp = p;
	return 0;
}

/* HH:MM:SS[.frac], or with opt_sec also HH:MM. */
static int
tp_clock(const char **pp, const char *e, int opt_sec, struct tp_fields *f)
{
	if (tp_num(pp, e, 2, 2, &f->hour) == -1 || !tp_eat(pp, e, ':') ||
	    tp_num(pp, e, 2, 2, &f->min) == -1)
		return -1;
	if (!tp_eat(pp, e, ':'))
		return opt_sec ? 0 : -1;
	f->secp = *pp;
	if (tp_num(pp, e, 2, 2, &f->sec) == -1)
		return -1;
	if ((tp_eat(pp, e, '.') || tp_eat(pp, e, ',')) &&
	    tp_frac(pp, e, &f->ms) == -1)
		return -1;
	f->fracend = *pp;
	return 0;
}

static int
tp_valid(const struct tp_fields *f)
{
	if (f->year < 0 || f->year > 9999)
		return 0;
	if (f->hour > 23 || f->min > 59 || f->sec > 60)
		return 0;
	if (f->has_yday && !f->has_md)
		return f->yday >= 1 && f->yday <= 365 + tp_leap(f->year);
	return f->mon >= 1 && f->mon <= 12 && f->mday >= 1 &&
	    f->mday <= tp_mdays(f->year, f->mon);
}

/* The fields as seconds since the epoch as if they were UTC. */
static int64_t
tp_naive(const struct tp_fields *f)
{
	int64_t days;

	if (f->has_yday && !f->has_md)
		days = tp_days_from_civil(f->year, 1, 1) + f->yday - 1;
	else
		days = tp_days_from_civil(f->year, (unsigned)f->mon,
		    (unsigned)f->mday);
	/* A leap second (:60) rolls into the next minute, as timegm(3). */
	return days * TP_DAY_S + f->hour * 3600 + f->min * 60 + f->sec;
}

/* Local offset of the local hour containing naive; cached by hour. */
static int
tp_local_off(struct tp_state *st, int64_t naive, int64_t *off)
{
	int64_t key, y;
	unsigned m, d;
	struct tm tm;
	time_t t;

	key = tp_floordiv(naive, 3600);
	if (key != st->cache_key) {
		tp_civil(tp_floordiv(key, 24), &y, &m, &d);
		memset(&tm, 0, sizeof tm);
		tm.tm_year = (int)(y - 1900);
		tm.tm_mon = (int)m - 1;
		tm.tm_mday = (int)d;
		tm.tm_hour = (int)tp_floormod(key, 24);
		tm.tm_isdst = -1;
		if ((t = mktime(&tm)) == (time_t)-1)
			return -1;
		st->cache_off = key * 3600 - (int64_t)t;
		st->cache_key = key;
	}
	*off = st->cache_off;
	return 0;
}

static int
tp_spec_off(const struct tp_spec *spec, struct tp_state *st, int64_t naive,
    int64_t *off)
{
	switch (spec->tz) {
	case TP_TZ_FIXED:
		*off = spec->tz_off;
		return 0;
	case TP_TZ_LOCAL:
		return tp_local_off(st, naive, off);
	case TP_TZ_UTC:
	default:
		*off = 0;
		return 0;
	}
}

/*
 * No year in the stamp: the year of ref_now where the stamp was written,
 * or the year before if that puts the stamp more than a day after
 * ref_now. For local time the last offset seen stands in for the exact
 * one, which only matters within an hour of the one-day limit.
 */
static void
tp_pick_year(const struct tp_spec *spec, const struct tp_state *st,
    struct tp_fields *f)
{
	int64_t off, ref, y;
	unsigned m, d;

	if (f->has_zone)
		off = f->off;
	else if (spec->tz == TP_TZ_FIXED)
		off = spec->tz_off;
	else if (spec->tz == TP_TZ_LOCAL)
		off = st->cache_off;
	else
		off = 0;
	ref = spec->ref_now + off * 1000;
	tp_civil(tp_floordiv(tp_floordiv(ref, 1000), TP_DAY_S), &y, &m, &d);
	f->year = y < 0 || y > 9999 ? -1 : (int)y;
	if (tp_valid(f) && tp_naive(f) * 1000 + f->ms <= ref + TP_DAY_MS)
		return;
	f->year--;
}

static int
tp_finish_epoch(const struct tp_fields *f, int64_t *ms)
{
	int64_t t;

	t = f->epoch * 1000 + f->ms;
	if (f->neg)
		t = -t;
	if (t < TP_MIN_MS || t > TP_MAX_MS)
		return -1;
	*ms = t;
	return 0;
}

static int
tp_finish(const struct tp_spec *spec, struct tp_state *st, struct tp_fields *f,
    int64_t *ms)
{
	int64_t naive, off, t;

	if (f->has_epoch)
		return tp_finish_epoch(f, ms);
	if (f->has_12) {
		if (f->hour < 1 || f->hour > 12)
			return -1;
		f->hour = f->hour % 12 + (f->pm ? 12 : 0);
	}
	if (!f->has_year)
		tp_pick_year(spec, st, f);
	if (!tp_valid(f))
		return -1;
	naive = tp_naive(f);
	if (f->has_zone)
		off = f->off;
	else if (tp_spec_off(spec, st, naive, &off) == -1)
		return -1;
	t = (naive - off) * 1000 + f->ms;
	if (t < TP_MIN_MS || t > TP_MAX_MS)
		return -1;
	*ms = t;
	return 0;
}

/* After "YYYY-": MM-DD, or the ordinal DDD. */
static int
tp_iso_date(const char **pp, const char *e, struct tp_fields *f)
{
	int v, d;

	if (tp_num(pp, e, 2, 2, &v) == -1)
		return -1;
	if (tp_eat(pp, e, '-')) {
		f->mon = v;
		f->has_md = 1;
		return tp_num(pp, e, 2, 2, &f->mday);
	}
	if (tp_num(pp, e, 1, 1, &d) == -1)
		return -1;
	f->yday = v * 10 + d;
	f->has_yday = 1;
	return 0;
}

static int
tp_parse_iso(const struct tp_spec *spec, struct tp_state *st, const char *p,
    const char *e,
    struct tp_fields *fp, int64_t *ms)
{
	struct tp_fields f = tp_fields0;

	if (tp_num(&p, e, 4, 4, &f.year) == -1 || !tp_eat(&p, e, '-') ||
	    tp_iso_date(&p, e, &f) == -1)
		return -1;
	if (!tp_eat(&p, e, 'T') && !tp_eat(&p, e, 't') && !tp_eat(&p, e, ' '))
		return -1;
	if (tp_clock(&p, e, 1, &f) == -1)
		return -1;
	if (p < e) {
		if (tp_zone(&p, e, &f.off) == -1 || p != e)
			return -1;
		f.has_zone = 1;
	}
	f.has_year = 1;
	*fp = f;
	return tp_finish(spec, st, fp, ms);
}

/* 21/Nov/2026:10:15:09[.frac][ +0000] */
static int
tp_parse_clf(const struct tp_spec *spec, struct tp_state *st, const char *p,
    const char *e,
    struct tp_fields *fp, int64_t *ms)
{
	struct tp_fields f = tp_fields0;

	if (tp_num(&p, e, 2, 2, &f.mday) == -1 || !tp_eat(&p, e, '/') ||
	    tp_month(&p, e, 0, &f) == -1 || !tp_eat(&p, e, '/') ||
	    tp_num(&p, e, 4, 4, &f.year) == -1 || !tp_eat(&p, e, ':') ||
	    tp_clock(&p, e, 0, &f) == -1)
		return -1;
	if (p < e) {
		if (!tp_eat(&p, e, ' ') || tp_zone(&p, e, &f.off) == -1 ||
		    p != e)
			return -1;
		f.has_zone = 1;
	}
	f.has_year = 1;
	*fp = f;
	return tp_finish(spec, st, fp, ms);
}

/* Nov 21 10:15:09, Nov  3 ..., Nov 21 2026 10:15:09; optional .frac */
static int
tp_parse_syslog(const struct tp_spec *spec, struct tp_state *st, const char *p,
    const char *e,
    struct tp_fields *fp, int64_t *ms)
{
	struct tp_fields f = tp_fields0;

	if (tp_month(&p, e, 0, &f) == -1 || !tp_eat(&p, e, ' '))
		return -1;
	(void)tp_eat(&p, e, ' ');
	if (tp_num(&p, e, 1, 2, &f.mday) == -1 || !tp_eat(&p, e, ' '))
		return -1;
	if (e - p > 4 && p[4] == ' ') {
		if (tp_num(&p, e, 4, 4, &f.year) == -1)
			return -1;
		p++;
		f.has_year = 1;
	}
	if (tp_clock(&p, e, 0, &f) == -1 || p != e)
		return -1;
	*fp = f;
	return tp_finish(spec, st, fp, ms);
}

static int
tp_parse_epoch(const char *p, const char *e, int64_t *ms)
{
	struct tp_fields f = tp_fields0;

	f.neg = tp_eat(&p, e, '-');
	if (tp_bignum(&p, e, TP_MAX_S, &f.epoch) == -1)
		return -1;
	if (tp_eat(&p, e, '.') && tp_frac(&p, e, &f.ms) == -1)
		return -1;
	if (p != e)
		return -1;
	f.has_epoch = 1;
	return tp_finish_epoch(&f, ms);
}

static int
tp_parse_epoch_ms(const char *p, const char *e, int64_t *ms)
{
	int64_t v;
	int neg;

	neg = tp_eat(&p, e, '-');
	if (tp_bignum(&p, e, TP_MAX_MS, &v) == -1 || p != e)
		return -1;
	v = neg ? -v : v;
	if (v < TP_MIN_MS)
		return -1;
	*ms = v;
	return 0;
}

/* Exactly 13 digits, optionally signed: milliseconds since the epoch. */
static int
tp_looks_ms(const char *p, const char *e)
{
	(void)tp_eat(&p, e, '-');
	if (e - p != 13)
		return 0;
	for (; p < e; p++)
		if (!tp_isdigit(*p))
			return 0;
	return 1;
}

static int
tp_parse_auto(const struct tp_spec *spec, struct tp_state *st, const char *p,
    const char *e,
    int64_t *ms)
{
	struct tp_fields f;

	if (tp_parse_iso(spec, st, p, e, &f, ms) == 0 ||
	    tp_parse_clf(spec, st, p, e, &f, ms) == 0 ||
	    tp_parse_syslog(spec, st, p, e, &f, ms) == 0)
		return 0;
	if (tp_looks_ms(p, e))
		return tp_parse_epoch_ms(p, e, ms);
	return tp_parse_epoch(p, e, ms);
}

static int
tp_ampm(const char **pp, const char *e, struct tp_fields *f)
{
	const char *p = *pp;

	if (e - p < 2 || tp_lower(p[1]) != 'm')
		return -1;
	if (tp_lower(p[0]) == 'a')
		f->pm = 0;
	else if (tp_lower(p[0]) == 'p')
		f->pm = 1;
	else
		return -1;
	*pp = p + 2;
	return 0;
}

/* %Z: only names that mean UTC. */
static int
tp_utcname(const char **pp, const char *e, struct tp_fields *f)
{
	const char *p = *pp;

	if (e - p >= 3 && (tp_caseeq(p, "utc", 3) || tp_caseeq(p, "gmt", 3)))
		p += 3;
	else if (p < e && (*p == 'Z' || *p == 'z'))
		p++;
	else
		return -1;
	f->off = 0;
	f->has_zone = 1;
	*pp = p;
	return 0;
}

static int
tp_fmt_epoch(const char **pp, const char *e, struct tp_fields *f)
{
	f->neg = tp_eat(pp, e, '-');
	f->has_epoch = 1;
	return tp_bignum(pp, e, TP_MAX_S, &f->epoch);
}

static int
tp_fmt_year2(const char **pp, const char *e, struct tp_fields *f)
{
	int v;

	if (tp_num(pp, e, 1, 2, &v) == -1)
		return -1;
	/* POSIX strptime: 69..99 are 19xx, 00..68 are 20xx. */
	f->year = v < 69 ? 2000 + v : 1900 + v;
	f->has_year = 1;
	return 0;
}

static int
tp_fmt_conv(char c, const char **pp, const char *e, struct tp_fields *f)
{
	switch (c) {
	case 'Y':
		f->has_year = 1;
		return tp_num(pp, e, 1, 4, &f->year);
	case 'y':
		return tp_fmt_year2(pp, e, f);
	case 'm':
		f->has_md = 1;
		return tp_num(pp, e, 1, 2, &f->mon);
	case 'd':
	case 'e':
		if (c == 'e')
			(void)tp_blanks(pp, e);
		f->has_md = 1;
		return tp_num(pp, e, 1, 2, &f->mday);
	case 'j':
		f->has_yday = 1;
		return tp_num(pp, e, 1, 3, &f->yday);
	case 'H':
	case 'I':
		f->has_12 = c == 'I';
		return tp_num(pp, e, 1, 2, &f->hour);
	case 'p':
		return tp_ampm(pp, e, f);
	case 'M':
		return tp_num(pp, e, 1, 2, &f->min);
	case 'S':
		return tp_num(pp, e, 1, 2, &f->sec);
	case 'f':
		return tp_frac(pp, e, &f->ms);
	case 'b':
	case 'h':
	case 'B':
		return tp_month(pp, e, 1, f);
	case 'a':
	case 'A':
		return tp_name(pp, e, tp_wdays, 7, 1) == -1 ? -1 : 0;
	case 'z':
		f->has_zone = 1;
		return tp_zone(pp, e, &f->off);
	case 'Z':
		return tp_utcname(pp, e, f);
	case 's':
		return tp_fmt_epoch(pp, e, f);
	case 'T':
		return tp_fmt_run("%H:%M:%S", pp, e, f);
	case 'F':
		return tp_fmt_run("%Y-%m-%d", pp, e, f);
	case 'D':
		return tp_fmt_run("%m/%d/%y", pp, e, f);
	case '%':
		return tp_eat(pp, e, '%') ? 0 : -1;
	default:
		return -1;
	}
}

/* fmt was checked by tp_fmt_check(): every % has a known conversion. */
static int
tp_fmt_run(const char *fmt, const char **pp, const char *e,
    struct tp_fields *f)
{
	for (; *fmt != '\0'; fmt++) {
		if (*fmt == '%') {
			if (tp_fmt_conv(*++fmt, pp, e, f) == -1)
				return -1;
		} else if (*fmt == ' ') {
			if (!tp_blanks(pp, e))
				return -1;
		} else if (!tp_eat(pp, e, *fmt))
			return -1;
	}
	return 0;
}

static int
tp_parse_fmt(const struct tp_spec *spec, struct tp_state *st, const char *p,
    const char *e,
    int64_t *ms)
{
	struct tp_fields f = tp_fields0;

	if (tp_fmt_run(spec->fmt, &p, e, &f) == -1 || p != e)
		return -1;
	return tp_finish(spec, st, &f, ms);
}

/*
 * a[0..n) == b[0..n), in 8-byte words, the last of them ending at n
 * (overlapping the one before): the prefixes are short, and an ISO 8601
 * one ("2026-11-21T10:15:") is three words.
 */
static inline int
tp_same(const char *a, const char *b, size_t n)
{
	uint64_t x, y;
	size_t i;

	if (n < 8) {
		for (i = 0; i < n; i++)
			if (a[i] != b[i])
				return 0;
		return 1;
	}
	for (i = 0; i + 8 < n; i += 8) {
		memcpy(&x, a + i, 8);
		memcpy(&y, b + i, 8);
		if (x != y)
			return 0;
	}
	memcpy(&x, a + n - 8, 8);
	memcpy(&y, b + n - 8, 8);
	return x == y;
}

/*
 * "SS.mmm" or "SS,mmm" at p, whose two bytes before are readable: 1
 * with *sec (00..99) and *frac, else 0. One 8-byte load from p - 2,
 * the five digits tested at once: a byte is a digit when its high
 * nibble is 3 both as it is and with 6 added (a carry from the byte
 * below only ever adds to it, so it can turn a digit away, never let
 * another byte in).
 */
static inline int
tp_sec_ms(const char *p, int *sec, int *frac)
{
	const uint64_t m = 0xffffff00ffff0000ull;	/* bytes 2 3 5 6 7 */
	const uint64_t hi = 0xf0f0f0f0f0f0f0f0ull & m;
	const uint64_t zeros = 0x3030303030303030ull & m;
	uint64_t x;
	unsigned dot;

	memcpy(&x, p - 2, sizeof(x));
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	x = __builtin_bswap64(x);
#endif
	dot = (unsigned)(x >> 32) & 0xff;
	if ((x & hi) != zeros ||
	    ((x + 0x0606060606060606ull) & hi) != zeros ||
	    (dot != '.' && dot != ','))
		return 0;
	*sec = (int)(x >> 16 & 15) * 10 + (int)(x >> 24 & 15);
	*frac = (int)(x >> 40 & 15) * 100 + (int)(x >> 48 & 15) * 10 +
	    (int)(x >> 56 & 15);
	return 1;
}

/*
 * s..e is the last stamp but for its seconds (00..59, never a leap
 * second, which may end an hour) and their fraction: the clf, iso8601
 * and syslog parsers read such a stamp exactly as the last one up to
 * the seconds, then the seconds and a fraction as here, then the same
 * bytes after them, so the result differs only by those seconds.
 */
static inline int
tp_last_hit(struct tp_state *st, const char *s, const char *e,
    int64_t *ms)
{
	const struct tp_last *l = &st->last;
	const char *p;
	int sec, frac = 0;
	int64_t t;

	if (!l->valid || (size_t)(e - s) < l->prelen + 2 + l->suflen ||
	    !tp_same(s, l->buf, l->prelen))
		return 0;
	p = s + l->prelen;
	/*
	 * The common case first, "SS.mmm" and the same bytes after: read as
	 * below would read it (the suffix starts with no digit).
	 */
	if ((size_t)(e - p) == 6 + l->suflen && l->prelen >= 2 &&
	    tp_sec_ms(p, &sec, &frac) &&
	    tp_same(p + 6, l->buf + l->prelen, l->suflen)) {
		if (sec > 59)
			return 0;
		goto hit;
	}
	if (!tp_isdigit(p[0]) || !tp_isdigit(p[1]) ||
	    (sec = (p[0] - '0') * 10 + (p[1] - '0')) > 59)
		return 0;
	p += 2;
	if (p < e && (*p == '.' || *p == ',')) {
		p++;
		/* Milliseconds, the common case, without tp_frac()'s loop. */
		if (e - p >= 3 && tp_isdigit(p[0]) && tp_isdigit(p[1]) &&
		    tp_isdigit(p[2]) && (e - p == 3 || !tp_isdigit(p[3]))) {
			frac = (p[0] - '0') * 100 + (p[1] - '0') * 10 +
			    (p[2] - '0');
			p += 3;
		} else if (tp_frac(&p, e, &frac) == -1)
			return 0;
	}
	if ((size_t)(e - p) != l->suflen ||
	    !tp_same(p, l->buf + l->prelen, l->suflen))
		return 0;
hit:
	t = l->base + sec * 1000LL + frac;
	if (t < TP_MIN_MS || t > TP_MAX_MS)
		return 0;
	/* What tp_local_off() would have left for this hour. */
	st->cache_key = l->key;
	st->cache_off = l->off;
	st->hits++;
	*ms = t;
	return 1;
}

/*
 * tp_last_hit() for a stamp of l->fastlen bytes at s, in words: the
 * stamp is the last one but for "SS.mmm" (or, fastvar 2, "SS"), read as
 * tp_last_hit() reads it.
 */
static inline int
tp_fast_hit(struct tp_state *st, const char *s, int64_t *ms)
{
	const struct tp_last *l = &st->last;
	uint64_t w[4], d;
	int sec, frac;
	int64_t t;

	memcpy(&w[0], s, 8);
	memcpy(&w[1], s + 8, 8);
	memcpy(&w[2], s + l->fastoff, 8);
	memcpy(&w[3], s + l->fastlen - 8, 8);
	d = ((w[0] ^ l->fastw[0]) & l->fastmask[0]) |
	    ((w[1] ^ l->fastw[1]) & l->fastmask[1]) |
	    ((w[2] ^ l->fastw[2]) & l->fastmask[2]) |
	    ((w[3] ^ l->fastw[3]) & l->fastmask[3]);
	if (d != 0)
		return 0;
	if (l->fastvar == 2) {
		s += l->prelen;
		if (!tp_isdigit(s[0]) || !tp_isdigit(s[1]) ||
		    (sec = (s[0] - '0') * 10 + (s[1] - '0')) > 59)
			return 0;
		frac = 0;
	} else if (!tp_sec_ms(s + l->prelen, &sec, &frac) || sec > 59)
		return 0;
	t = l->base + sec * 1000LL + frac;	/* in range: tp_last_fast() */
	st->cache_key = l->key;
	st->cache_off = l->off;
	st->hits++;
	*ms = t;
	return 1;
}

/*
 * Fill l's fast form (see tp_last), for a stamp that had "SS.mmm" (var
 * 6) or "SS" (var 2) between pre and suf.
 */
static void
tp_last_fast(struct tp_last *l, size_t var)
{
	char img[32], mask[32];
	size_t n = l->prelen + var + l->suflen, i, off[4];

	l->fastlen = 0;
	if (n < 16 || n > sizeof(img) || l->prelen < 2 ||
	    l->base < TP_MIN_MS || l->base + 59999 > TP_MAX_MS)
		return;
	memcpy(img, l->buf, l->prelen);
	memset(img + l->prelen, 0, var);
	memcpy(img + l->prelen + var, l->buf + l->prelen, l->suflen);
	memset(mask, 0xff, n);
	memset(mask + l->prelen, 0, var);
	l->fastoff = n > 24 ? 16 : n - 8;
	off[0] = 0;
	off[1] = 8;
	off[2] = l->fastoff;
	off[3] = n - 8;
	for (i = 0; i < 4; i++) {
		memcpy(&l->fastw[i], img + off[i], 8);
		memcpy(&l->fastmask[i], mask + off[i], 8);
		l->fastw[i] &= l->fastmask[i];
	}
	l->fastlen = n;
	l->fastvar = var;
}

/*
 * Remember s..e, parsed in full to f and t, for tp_last_hit(). Only
 * stamps with a year: without one, the year depends on the seconds near
 * the one-day limit (tp_pick_year()).
 */
static void
tp_last_keep(struct tp_state *st, const char *s, const char *e,
    const struct tp_fields *f, int64_t t)
{
	struct tp_last *l = &st->last;
	size_t pre, suf;

	if (f->secp == NULL || f->fracend == NULL || !f->has_year ||
	    f->has_epoch || f->has_12 || f->sec > 59)
		return;
	pre = (size_t)(f->secp - s);
	suf = (size_t)(e - f->fracend);
	/* A fraction or more digits would have been read into the clock. */
	if (pre + suf > TP_LAST_MAX || (suf > 0 && (tp_isdigit(*f->fracend) ||
	    *f->fracend == '.' || *f->fracend == ',')))
		return;
	memcpy(l->buf, s, pre);
	memcpy(l->buf + pre, f->fracend, suf);
	l->prelen = pre;
	l->suflen = suf;
	l->base = t - f->sec * 1000LL - f->ms;
	l->key = st->cache_key;
	l->off = st->cache_off;
	l->valid = 1;
	l->fastlen = 0;
	if (f->fracend - f->secp == 6 && (f->secp[2] == '.' ||
	    f->secp[2] == ','))
		tp_last_fast(l, 6);
	else if (f->fracend - f->secp == 2)
		tp_last_fast(l, 2);
}

/* clf, iso8601, syslog, once tp_parse() found no tp_last_hit(). */
static int
tp_parse_clock(const struct tp_spec *spec, struct tp_state *st, const char *s,
    const char *e,
    int64_t *ms)
{
	struct tp_fields f;
	int rc;

	if (spec->kind == TP_CLF)
		rc = tp_parse_clf(spec, st, s, e, &f, ms);
	else if (spec->kind == TP_ISO8601)
		rc = tp_parse_iso(spec, st, s, e, &f, ms);
	else
		rc = tp_parse_syslog(spec, st, s, e, &f, ms);
	if (rc == 0 && !st->nocache)
		tp_last_keep(st, s, e, &f, *ms);
	return rc;
}

/* tp_parse() past tp_last_hit(): apart, so that a hit pays for less. */
static __attribute__((noinline)) int
tp_parse_full(const struct tp_spec *spec, struct tp_state *st, const char *s,
    size_t len, int64_t *ms)
{
	const char *e;

	if (s == NULL)
		return -1;
	e = s + len;
	switch (spec->kind) {
	case TP_CLF:
	case TP_ISO8601:
	case TP_SYSLOG:
		return tp_parse_clock(spec, st, s, e, ms);
	case TP_EPOCH:
		return tp_parse_epoch(s, e, ms);
	case TP_EPOCH_MS:
		return tp_parse_epoch_ms(s, e, ms);
	case TP_AUTO:
		return tp_parse_auto(spec, st, s, e, ms);
	case TP_FORMAT:
		return tp_parse_fmt(spec, st, s, e, ms);
	case TP_NONE:
	default:
		return -1;
	}
}

/* tp_parse() past tp_fast_hit(). */
static __attribute__((noinline)) int
tp_parse_slow(const struct tp_spec *spec, struct tp_state *st, const char *s,
    size_t len, int64_t *ms)
{
	/* Only tp_parse_clock() fills st->last, and only without nocache. */
	if (s != NULL && st->last.valid && (spec->kind == TP_CLF ||
	    spec->kind == TP_ISO8601 || spec->kind == TP_SYSLOG) &&
	    tp_last_hit(st, s, s + len, ms))
		return 0;
	return tp_parse_full(spec, st, s, len, ms);
}

int
tp_parse(const struct tp_spec *spec, struct tp_state *st, const char *s,
    size_t len, int64_t *ms)
{
	if (len == st->last.fastlen && len != 0 && s != NULL &&
	    st->last.valid && tp_fast_hit(st, s, ms))
		return 0;
	return tp_parse_slow(spec, st, s, len, ms);
}

static const char *
tp_badconv(char c)
{
	if (c >= 'A' && c <= 'Z')
		return tp_badconv_uc[c - 'A'];
	if (c >= 'a' && c <= 'z')
		return tp_badconv_lc[c - 'a'];
	return "unknown conversion in time format (a % must be followed by "
	    "one of YymdejHIpMSfbhBaAzZsTFD%)";
}

static int
tp_fmt_check(const char *fmt, const char **cause)
{
	int nconv = 0;

	for (; *fmt != '\0'; fmt++) {
		if (*fmt != '%')
			continue;
		if (*++fmt == '\0') {
			*cause = "time format ends with a lone %";
			return -1;
		}
		if (strchr(tp_convs, *fmt) == NULL) {
			*cause = tp_badconv(*fmt);
			return -1;
		}
		nconv += *fmt != '%';
	}
	if (nconv == 0) {
		*cause = "time format has no conversion (such as %Y or %H)";
		return -1;
	}
	return 0;
}

static int
tp_spec_kind(struct tp_spec *spec, const char *kind, const char **cause)
{
	size_t i;

	if (kind == NULL)
		kind = "";
	for (i = 0; i < sizeof tp_kinds / sizeof tp_kinds[0]; i++) {
		if (strcmp(kind, tp_kinds[i].name) == 0) {
			spec->kind = tp_kinds[i].kind;
			return 0;
		}
	}
	if (strchr(kind, '%') == NULL) {
		*cause = "unknown time format (use clf, iso8601, syslog, "
		    "epoch, epoch_ms, auto, none or a %-format)";
		return -1;
	}
	if (tp_fmt_check(kind, cause) == -1)
		return -1;
	spec->kind = TP_FORMAT;
	spec->fmt = xstrdup(kind);
	return 0;
}

static int
tp_spec_tz(struct tp_spec *spec, const char *tz, const char **cause)
{
	const char *p = tz, *e;
	int off;

	if (tz == NULL || strcasecmp(tz, "utc") == 0 ||
	    strcasecmp(tz, "gmt") == 0 || strcasecmp(tz, "z") == 0) {
		spec->tz = TP_TZ_UTC;
		return 0;
	}
	if (strcasecmp(tz, "local") == 0) {
		spec->tz = TP_TZ_LOCAL;
		return 0;
	}
	e = tz + strlen(tz);
	if ((*p == '+' || *p == '-') && tp_zone(&p, e, &off) == 0 && p == e) {
		spec->tz = TP_TZ_FIXED;
		spec->tz_off = off;
		return 0;
	}
	*cause = "unknown timezone (use UTC, local, or +HHMM, -HHMM, "
	    "+HH:MM, -HH:MM within 14 hours)";
	return -1;
}

static int64_t
tp_now(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) == -1)
		return (int64_t)time(NULL) * 1000;
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The local offset at now, so the first stamp's year guess is close. */
static int64_t
tp_now_off(int64_t now)
{
	time_t t = (time_t)tp_floordiv(now, 1000);
	struct tm tm;
	int64_t naive;

	if (localtime_r(&t, &tm) == NULL)
		return 0;
	naive = tp_days_from_civil(tm.tm_year + 1900LL,
	    (unsigned)tm.tm_mon + 1, (unsigned)tm.tm_mday) * TP_DAY_S +
	    tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
	return naive - (int64_t)t;
}

int
tp_spec_init(struct tp_spec *spec, const char *kind, const char *tz,
    const char **cause)
{
	memset(spec, 0, sizeof *spec);
	if (tp_spec_tz(spec, tz, cause) == -1 ||
	    tp_spec_kind(spec, kind, cause) == -1)
		return -1;
	spec->ref_now = tp_now();
	return 0;
}

void
tp_state_init(struct tp_state *st, const struct tp_spec *spec, int nocache)
{
	memset(st, 0, sizeof(*st));
	st->cache_key = TP_NO_KEY;
	st->nocache = nocache;
	if (spec->tz == TP_TZ_LOCAL)
		st->cache_off = tp_now_off(spec->ref_now);
}

void
tp_spec_free(struct tp_spec *spec)
{
	if (spec == NULL)
		return;
	free(spec->fmt);
	spec->fmt = NULL;
}

size_t
tp_format(int64_t ms, char *buf)
{
	int64_t secs, days, sod, y;
	unsigned m, d;
	int n, frac;

	secs = tp_floordiv(ms, 1000);
	frac = (int)tp_floormod(ms, 1000);
	days = tp_floordiv(secs, TP_DAY_S);
	sod = tp_floormod(secs, TP_DAY_S);
	tp_civil(days, &y, &m, &d);
	if (frac != 0)
		n = snprintf(buf, TP_FMTLEN, "%04lld-%02u-%02uT%02d:%02d:%02d"
		    ".%03dZ", (long long)y, m, d, (int)(sod / 3600),
		    (int)(sod / 60 % 60), (int)(sod % 60), frac);
	else
		n = snprintf(buf, TP_FMTLEN, "%04lld-%02u-%02uT%02d:%02d:%02dZ",
		    (long long)y, m, d, (int)(sod / 3600),
		    (int)(sod / 60 % 60), (int)(sod % 60));
	if (n < 0) {
		buf[0] = '\0';
		return 0;
	}
	return (size_t)n < TP_FMTLEN ? (size_t)n : TP_FMTLEN - 1;
}

int
tp_duration(const char *s, int64_t *ms)
{
	const char *p = s;
	int64_t v, mult;

	if (s == NULL || tp_bignum(&p, p + strlen(p), TP_DUR_MAX_S, &v) == -1)
		return -1;
	switch (*p) {
	case '\0':
	case 's':
		mult = 1;
		break;
	case 'm':
		mult = 60;
		break;
	case 'h':
		mult = 3600;
		break;
	case 'd':
		mult = TP_DAY_S;
		break;
	default:
		return -1;
	}
	if (*p != '\0' && p[1] != '\0')
		return -1;
	if (v > TP_DUR_MAX_S / mult)
		return -1;
	*ms = v * mult * 1000;
	return 0;
}
