/*
 * report-int.h: what report.c gathers, for its writers (report.c: text
 * and JSON; report-html.c: HTML). Not for other modules.
 */
#ifndef CXW_REPORT_INT_H
#define CXW_REPORT_INT_H

#include <stddef.h>
#include <stdint.h>

#include "report.h"
#include "wtab.h"

#define REPORT_MAXHOURS		(24 * 400)
#define REPORT_MAXCOMBOS	256
#define REPORT_TOP		10
#define REPORT_WIDTH		72	/* sparkline characters at most */
#define REPORT_HOUR		INT64_C(3600000)
#define REPORT_JOURNEYS		500	/* alerts kept whole, highest scores */
#define REPORT_LINEMAX		2000	/* bytes of an evidence line kept */
#define REPORT_MAXCUST		(1u << 19)	/* customers counted exactly */
#define REPORT_NOINDEX		UINT32_MAX	/* a rule gone by a reload */
#define REPORT_INCIDENTS	1000	/* incidents kept, the first */
#define REPORT_SAMPLES		5

struct report_hour {
	int64_t		hour;		/* ms / REPORT_HOUR, floored */
	uint64_t	events;
	uint64_t	alerts;
	uint64_t	*chevents;	/* [nchannels] of events */
};

struct report_combo {
	uint64_t	mask;
	uint64_t	alerts;
};

struct report_top {
	char		 key[WTAB_MAXKEY];
	size_t		 keylen;
	uint64_t	 score;
	int64_t		 time;
	uint64_t	 chmask;
};

/* An evidence line of a journey. */
struct report_line {
	int64_t		 time;
	uint32_t	 rule;		/* REPORT_NOINDEX: gone */
	uint32_t	 channel;	/* REPORT_NOINDEX: gone */
	char		*line;		/* at most REPORT_LINEMAX bytes */
	size_t		 len;
	size_t		 cut;		/* bytes of it not kept */
};

/* An alert kept whole for the journeys. */
struct report_journey {
	uint64_t	 seq;		/* the run's alerts, from 0 */
	char		 key[WTAB_MAXKEY];
	size_t		 keylen;
	int64_t		 time, first;
	uint64_t	 score;
	uint64_t	 chmask;
	int		 reason;
	uint32_t	 detector;	/* REPORT_NOINDEX: gone */
	unsigned	 nevents;
	unsigned	 dropped;
	struct report_line *lines;
	unsigned	 nlines;
};

/* An incident, from its INCIDENT and, once it ended, its END. */
struct report_incident {
	char		*id;
	uint32_t	 rule;		/* REPORT_NOINDEX: gone */
	int64_t		 opened, first;
	uint64_t	 atopen;	/* customers counted at opening */
	int		 ended;
	int64_t		 end, last;	/* the end, and the rule's last event */
	uint64_t	 affected;	/* at the end */
	int		 approximate;
	uint64_t	 peak;		/* events in one minute */
	char		*sample[REPORT_SAMPLES];
	unsigned	 nsamples;
};

struct report {
	const struct ruleset	*rs;
	struct report_hour	*hours;		/* sorted by hour */
	size_t			 nhours;
	uint64_t		 hours_lost;
	struct report_combo	 combos[REPORT_MAXCOMBOS];
	size_t			 ncombos;
	uint64_t		 combos_lost;
	uint64_t		*rulealerts;	/* [nrules] alerts naming it */
	struct report_top	 top[REPORT_TOP];
	size_t			 ntop;
	uint64_t		 nalerts;	/* seen, for seq */
	struct report_journey	*jour;		/* [REPORT_JOURNEYS] */
	size_t			 njour;
	uint64_t		*cust;		/* customers alerted: hashes */
	size_t			 ncust, custcap;
	int			 custfull;	/* more than REPORT_MAXCUST */
	int64_t			 tmin, tmax;	/* events' time span */
	struct report_incident	*inc;		/* [REPORT_INCIDENTS] */
	size_t			 ninc;
	uint64_t		 inc_lost;	/* opened past the bound */
	char		       **inputs;	/* names, as given */
	size_t			 ninputs;
};

void	report_html(struct report *, struct obuf *, const struct engine_stats *);
int	report_cmp_combo(const void *, const void *);

#endif
