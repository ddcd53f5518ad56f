/*
 * wtab: per-customer sliding windows, keyed by customer id, and the alert
 * decision, for one detector. Implements semantics 4-6 and Forgiveness
 * of cxwatch.rules(5). Does no I/O and knows nothing of rules or
 * regexes: events arrive as small numbers. Several detectors are several
 * tables that share T through wtab_set_latest().
 *
 * Customer ids and evidence lines are copied in. The struct walert filled
 * by wtab_add() points into the table and is valid until the next call
 * that takes the table non-const (wtab_add, wtab_forgive,
 * wtab_set_latest, wtab_sweep, wtab_restore, wtab_adopt, wtab_swap or
 * wtab_free); calls on other tables leave it alone, also those that drop
 * this table's lines through a shared budget.
 *
 * Times are ms with |time| < 2^62, and window and cooldown are at most
 * 2^62, so no sum of them overflows. Out-of-range configurations and
 * events are caller bugs and trip assertions.
 *
 * Evidence lines may share a struct wtab_budget with other tables: past
 * its limit the least recently active customers' lines are dropped, and
 * alerts count them (walert.dropped); the decisions, counts and times of
 * alerts never depend on it (cxwatch.rules(5), semantics, "Evidence").
 *
 * Idle customers (semantics 6) are freed at the start of every wtab_add(),
 * wtab_forgive() and wtab_set_latest() that raises T, in O(log n) each;
 * wtab_sweep() is only needed to free memory when no lines come. Alerts
 * never depend on when any of these happens.
 *
 * A customer's window keeps at most max(WTAB_RINGMAX, evidence) events
 * one by one. Past that, the oldest are folded into one aggregate per
 * window that leaves it, whole, when the newest event folded into it
 * would (the window's memory stays bounded in a flood). The decision to
 * alert is unchanged whenever threshold <= WTAB_RINGMAX; the alert's
 * score, counts and first time then include folded events that would
 * have left. See cxwatch.rules(5), semantics.
 */
#ifndef CXW_WTAB_H
#define CXW_WTAB_H

#include <stddef.h>
#include <stdint.h>

#define WTAB_MAXCHANNELS	64
#define WTAB_MAXKEY		256	/* longest customer id, bytes */
#define WTAB_RINGMAX		4096	/* events kept one by one, at least */
#define WTAB_LINECOST(len)	((size_t)(len) + 8)	/* budget bytes of a
							   line held */

struct wtab_budget;

struct wtab_config {
	int64_t		window;		/* ms, > 0 */
	int64_t		cooldown;	/* ms, >= 0 */
	uint64_t	threshold;	/* score that alerts, >= 1 */
	unsigned	channels;	/* distinct channels that alert; 0 off */
	unsigned	nchannels;	/* channel ids are 0 .. nchannels-1 */
	unsigned	nrules;		/* rule ids are 0 .. nrules-1;
					   nrules <= 65536 */
	unsigned	evidence;	/* evidence lines kept per customer,
					   < 65535; 0: no line copies */
	size_t		max_customers;	/* >= 1; above 2^30 means 2^30 */
	struct wtab_budget *budget;	/* NULL: lines unbounded; else
					   borrowed, may be shared, and
					   must outlive the table */
};

struct wtab_event {
	int64_t		 time;		/* ms */
	unsigned	 weight;	/* 1 .. 1000 */
	unsigned	 channel;	/* < nchannels */
	unsigned	 rule;		/* < nrules */
	unsigned	 source;	/* carried into evidence only */
	const char	*line;		/* borrowed; copied if kept */
	size_t		 linelen;
};

struct wtab_evidence {
	int64_t		 time;
	unsigned	 source;
	unsigned	 rule;
	const char	*line;		/* copy, NUL-terminated as well */
	size_t		 linelen;
};

#define WTAB_REASON_SCORE	0x1
#define WTAB_REASON_CHANNELS	0x2

struct walert {
	const char	*customer;	/* not NUL-terminated */
	size_t		 customerlen;
	int		 reason;	/* WTAB_REASON_* bits */
	int64_t		 time;		/* the customer's now */
	int64_t		 first;		/* oldest event in the window */
	uint64_t	 score;		/* sum of weights in the window */
	uint64_t	 chmask;	/* bit c set: channel c in the window */
	unsigned	 nevents;
	const unsigned	*rulecount;	/* [nrules] events per rule */
	const struct wtab_evidence *evidence;	/* oldest first */
	unsigned	 nevidence;
	unsigned	 dropped;	/* lines of the newest min(nevents,
					   evidence) events not shown: the
					   budget dropped them */
	unsigned	 detector;	/* set by the caller (engine.c), whose
					   table this is; wtab leaves it */
};

enum wtab_result {
	WTAB_ADDED,	/* joined the window, no alert */
	WTAB_LATE,	/* too late for the customer's window: dropped */
	WTAB_FORGIVEN,	/* no later than the customer's forgiven_until:
			   dropped */
	WTAB_ALERT	/* joined and alerted: *alert filled */
};

struct wtab_stats {
	uint64_t	customers;	/* tracked now */
	uint64_t	peak;		/* most tracked at once */
	uint64_t	late;		/* events dropped as too late */
	uint64_t	evicted;	/* dropped by max_customers */
	uint64_t	forgotten;	/* idle customers freed */
	uint64_t	alerts;
	uint64_t	events;		/* in all windows now, folded too */
	uint64_t	folded;		/* events folded past the bound */
	uint64_t	forgiven;	/* events dropped as forgiven, or
					   removed from a window by
					   wtab_forgive() */
	uint64_t	evbytes;	/* evidence held now, WTAB_LINECOST
					   bytes a line */
	uint64_t	evdropped;	/* evidence lines the budget dropped
					   or did not take */
};

/*
 * A bound on the evidence lines of the tables given it (one per
 * detector): a line held costs WTAB_LINECOST(its length) bytes, and used
 * stays <= limit (but see wtab_swap()). A line that would take used past
 * limit first makes room by dropping every line of the least recently
 * active customer that holds any, in any of the tables (within a table
 * in LRU order, across tables the one whose now is earliest), then of
 * the next, and so on. Only when no other customer holds a line does the
 * customer give up its own oldest lines; a line costing more than the
 * whole limit is not kept. Finding what to drop costs O(1) amortised per
 * call, and no event, count, time or decision changes: a customer whose
 * only event lost its line is back to the one-word form. Not for several
 * threads: the tables that share one are used from one thread.
 */
struct wtab_budget *wtab_budget_new(size_t limit);
void		 wtab_budget_free(struct wtab_budget *);	/* NULL is
						   fine; after its tables */
size_t		 wtab_budget_used(const struct wtab_budget *);
size_t		 wtab_budget_peak(const struct wtab_budget *);	/* the most
						   used at once */

struct wtab	*wtab_new(const struct wtab_config *);
void		 wtab_free(struct wtab *);	/* NULL is fine */

/*
 * Add ev for customer key[0..keylen), 1 <= keylen <= WTAB_MAXKEY, any
 * bytes; see enum wtab_result. alert is written only for WTAB_ALERT.
 * In the order of semantics 6: idle customers are forgotten (so an idle
 * customer starts afresh, its forgiven_until gone), then an event no
 * later than forgiven_until is WTAB_FORGIVEN (counted in
 * stats.forgiven), then one too late is WTAB_LATE. Then raises T to
 * ev->time.
 */
enum wtab_result wtab_add(struct wtab *, const char *key, size_t keylen,
		    const struct wtab_event *ev, struct walert *alert);

/*
 * A forgiving line at time t (|t| < 2^62) for customer key
 * (cxwatch.rules(5), Forgiveness): when the customer is tracked and not
 * idle, its now becomes the later of now and t, the window's events with
 * time <= t leave it (folded aggregates whole, by their newest event;
 * they are counted in stats.forgiven, and their evidence lines freed),
 * and forgiven_until becomes the later of itself and t; suppression is
 * unchanged; the customer becomes the most recently active, as in
 * wtab_add(), for max_customers; returns 1. An untracked or idle
 * customer gets no entry: returns 0. Never alerts; like wtab_add() it
 * forgets idle customers first and then raises T to t. Costs O(1) plus
 * O(1) for each event that leaves and O(log n) for each idle customer
 * forgotten.
 */
int		 wtab_forgive(struct wtab *, const char *key, size_t keylen,
		    int64_t t);

/* Free every idle customer (semantics 6); returns how many. */
size_t		 wtab_sweep(struct wtab *);

void		 wtab_stats(const struct wtab *, struct wtab_stats *);

/*
 * Saving and restoring a table, for state.c. A customer travels as a
 * struct wtab_saved: wtab_each() lends them out, wtab_restore() copies
 * them in. A window's folded events come first, as groups: a saved
 * event with folded = n > 0 stands for n events of its weight, channel
 * and rule, the oldest at first; every group has the fold's time, that
 * of its newest event. Only the newest min(nevents, evidence) events that
 * are not folded may carry evidence; one of them without has had its
 * line dropped by a budget, and restores so (its alert counts it in
 * walert.dropped). Restored lines take their place in the table's
 * budget, which may drop some. Counters (struct wtab_stats) are per run
 * and do not travel.
 */
struct wtab_saved_event {
	int64_t		 time;
	unsigned	 weight;
	unsigned	 channel;
	unsigned	 rule;
	int		 evidence;	/* 1: source and line are kept */
	unsigned	 source;
	const char	*line;		/* evidence only */
	size_t		 linelen;
	uint64_t	 folded;	/* 0: one event; n: a group of n */
	int64_t		 first;		/* groups: the oldest's time */
};

struct wtab_saved {
	const char	*key;
	size_t		 keylen;
	int64_t		 now;
	int64_t		 suppressed_until;	/* INT64_MIN: never alerted */
	int64_t		 forgiven_until;	/* INT64_MIN: never forgiven;
						   else <= now, and every
						   event (group) is later */
	const struct wtab_saved_event *events;	/* in window order */
	size_t		 nevents;
};

/* The configuration in force; max_customers as clamped by wtab_new(). */
const struct wtab_config *wtab_config(const struct wtab *);

/*
 * T of semantics 6: the latest time of an event, forgiving line or
 * wtab_set_latest() seen; INT64_MIN before any.
 */
int64_t		 wtab_latest(const struct wtab *);

/*
 * Call cb for every tracked customer that is not idle, least recently
 * active first. Stops at cb's first nonzero return and returns it, else
 * returns 0. *c and all it points to are valid during the call only.
 */
int		 wtab_each(const struct wtab *,
		    int (*cb)(void *arg, const struct wtab_saved *c),
		    void *arg);

/*
 * Raise T to latest and forget the customers that makes idle: a saved
 * table's T, or the run's T, which the engine gives every detector's
 * table before each line a rule decided, so that T is the same in all
 * (cxwatch.rules(5), semantics 6). O(1) when latest <= T, and also when
 * T moves but makes no customer's lower bound on its idle time due;
 * otherwise O(log n) for each customer forgotten and for each bound found
 * stale and raised (a bound goes stale again only after an event or
 * forgiving line of its customer), work the table's next wtab_add() or
 * wtab_forgive() would do anyway. Returns -1 and sets *why (static) when
 * latest is not a valid time; the table is then unchanged.
 */
int		 wtab_set_latest(struct wtab *, int64_t latest,
		    const char **why);

/*
 * Copy c in as the most recently active customer; restoring in
 * wtab_each() order rebuilds the same table. Saved data comes from
 * files, so unlike wtab_add() this checks everything: on a customer no
 * run could have produced (bad lengths, times, numbers, order, evidence,
 * a forgiven_until after now, an event no later than forgiven_until, an
 * idle or duplicate customer) it returns -1 with *why (static) and
 * leaves the table unchanged. May evict as wtab_add() does.
 */
int		 wtab_restore(struct wtab *, const struct wtab_saved *c,
		    const char **why);

/*
 * As wtab_restore(), for a rules reload: a window that already reaches
 * the threshold or the channels is taken as it is, and alerts at the
 * customer's next event (semantics 5 is checked when an event arrives).
 * Groups may come with evidence (ignored) and any number of events
 * beside them; events beyond the bound are folded.
 */
int		 wtab_adopt(struct wtab *, const struct wtab_saved *c,
		    const char **why);

/*
 * Exchange the whole contents of two tables, configurations included;
 * held lines move with their table to its new budget, which may then be
 * over its limit until lines are dropped or freed.
 */
void		 wtab_swap(struct wtab *, struct wtab *);

#endif
