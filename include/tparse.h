/*
 * tparse: time stamps and durations. Pure functions, no I/O, no global
 * state except the C library's time zone for TP_TZ_LOCAL.
 * Times are milliseconds since 1970-01-01T00:00:00Z (int64, may be
 * negative). tp_parse() only returns times in the years 0000..9999 and
 * never allocates; it calls mktime(3) only for TP_TZ_LOCAL, once per
 * local hour (see cache_key), and strptime(3) never. How a source's
 * stamps are written (struct tp_spec) is fixed once the rules are read
 * and may be shared; what parsing them remembers (struct tp_state: the
 * last local hour's offset, and the last stamp parsed in full, so that a
 * stamp that differs from it only in the seconds and their fraction
 * costs a few compares) is the caller's, one per source per matcher.
 */
#ifndef CXW_TPARSE_H
#define CXW_TPARSE_H

#include <stddef.h>
#include <stdint.h>

enum tp_kind {
	TP_NONE,	/* no time in the line: caller uses the read time */
	TP_CLF,		/* 21/Nov/2026:10:15:09 +0000 */
	TP_ISO8601,	/* 2026-11-21T10:15:09.120Z, 2026-11-21 10:15:09+01:00,
			   2012-025T10:22:40,672 (ordinal) */
	TP_SYSLOG,	/* Nov 21 10:15:09, Nov  3 ..., Nov 21 2026 10:15:09
			   (no year: see ref_now) */
	TP_EPOCH,	/* 1763720109 or 1763720109.120 */
	TP_EPOCH_MS,	/* 1763720109120 */
	TP_AUTO,	/* try iso8601, clf, syslog, then epoch_ms if 13
			   digits, else epoch */
	TP_FORMAT	/* strptime-like format, see tp_spec_init() */
};

enum tp_tz {
	TP_TZ_UTC,
	TP_TZ_LOCAL,	/* the process's TZ, via localtime rules */
	TP_TZ_FIXED	/* tz_off seconds east of UTC */
};

/*
 * The last clf, iso8601 or syslog stamp with a year that tp_parse() read
 * in full: its bytes before the seconds (pre) and after their fraction
 * (suf). A stamp that has the same pre and suf, two digits 00..59 between
 * them and maybe a fraction is base + those seconds and milliseconds:
 * the same minute of the same day in the same zone.
 */
#define TP_LAST_MAX	64
struct tp_last {
	char		 buf[TP_LAST_MAX];	/* pre, then suf */
	size_t		 prelen;
	size_t		 suflen;
	int		 valid;			/* 0: empty */
	int64_t		 base;			/* ms at second 0.000 */
	int64_t		 key, off;		/* cache_key, cache_off as
						   the full parse left them */
	/*
	 * When the stamp had "SS.mmm" (or "SS,mmm"; fastvar 6) or "SS"
	 * and no fraction (fastvar 2, as clf's) and is 16 to 32 bytes
	 * long, the same test in a few words: a stamp of fastlen bytes
	 * (0: none) whose 8-byte words at 0, 8, fastoff and fastlen - 8
	 * equal fastw[] where fastmask[] is set, all bytes but those
	 * fastvar.
	 */
	size_t		 fastlen;
	size_t		 fastvar;
	size_t		 fastoff;
	uint64_t	 fastw[4];
	uint64_t	 fastmask[4];
};

/*
 * How one source's time field is read. Zones written in the stamp
 * (Z, +01:00, +0100) always win over the spec's zone.
 */
struct tp_spec {
	enum tp_kind	 kind;
	char		*fmt;		/* TP_FORMAT only; owned */
	enum tp_tz	 tz;
	int		 tz_off;	/* TP_TZ_FIXED: seconds east of UTC */
	int64_t		 ref_now;	/* ms; stamps without a year take
					   its year in the stamp's zone, or
					   the one before when that would
					   put them >1 day after ref_now */
};

/* What parsing one spec's stamps remembers; see tp_state_init(). */
struct tp_state {
	/* TP_TZ_LOCAL cache: the UTC offset of the last local hour seen. */
	int64_t		 cache_key;	/* local hours since 1970 as if UTC;
					   INT64_MIN when empty */
	int64_t		 cache_off;	/* seconds east of UTC for that hour */
	int		 nocache;	/* 1: every stamp parsed in full */
	struct tp_last	 last;
	uint64_t	 hits;		/* stamps read through last */
};

/*
 * Fill spec from the rules' "time" and "timezone" values (tz may be NULL
 * for UTC; else UTC, utc, Z, GMT, local, or +HHMM, -HHMM, +HH:MM, -HH:MM
 * within 14 hours). ref_now is set to the current time; tests may
 * overwrite it. Returns 0, or -1 with a static message in *cause; on -1
 * nothing is allocated and spec needs no tp_spec_free().
 * kind: clf | iso8601 | syslog | epoch | epoch_ms | auto | none, or a
 * format with % conversions: %Y %y %m %d %e %j %H %I %p %M %S %f %b %h %B
 * %a %A %z %Z %s %T %F %D %% ; a space matches any run of blanks (space
 * or tab), other characters match themselves. Numbers are 1 to 2 digits
 * (%Y 1-4, %j 1-3), greedy. %b %h %B take an English month name, short
 * or full, any case; %a %A a weekday, ignored; %f fraction digits (ms
 * kept); %Z only UTC, GMT or Z; %s epoch seconds, which override the
 * other fields. No year: as ref_now. No month or day: 1.
 */
int	tp_spec_init(struct tp_spec *, const char *kind, const char *tz,
	    const char **cause);
void	tp_spec_free(struct tp_spec *);	/* frees fmt only */

/*
 * A fresh state for spec's stamps; nocache: parse every stamp in full
 * (--no-prefilter), the same results, slower. Nothing to free.
 */
void	tp_state_init(struct tp_state *, const struct tp_spec *,
	    int nocache);

/* Parse s[0..len) exactly (no trailing junk). 0 and *ms, or -1. */
int	tp_parse(const struct tp_spec *, struct tp_state *, const char *s,
	    size_t len, int64_t *ms);

/*
 * RFC 3339 UTC: 2026-11-21T10:17:42Z, or ...42.120Z when ms is not a
 * whole second. buf must hold TP_FMTLEN bytes; returns the length.
 */
#define TP_FMTLEN	40
size_t	tp_format(int64_t ms, char *buf);

/*
 * Duration: bare seconds or a number with s, m, h or d ("45s", "30m",
 * "2h", "1d", "90"). 0 and *ms, or -1. Range 0 .. 100 years.
 */
int	tp_duration(const char *s, int64_t *ms);

/*
 * Days since 1970-01-01 for a proleptic Gregorian date (no tables);
 * m is 1..12, d 1..31, |y| small enough not to overflow (< 10^15).
 */
int64_t	tp_days_from_civil(int64_t y, unsigned m, unsigned d);

#endif
