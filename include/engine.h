/*
 * engine: the per-line pipeline that main.c feeds: match the line, add
 * its event to the window table, write alerts (or, with explain, what
 * happened to every line) to an output buffer, and count everything for
 * --stats. No I/O of its own beyond the obuf it is given, except one
 * warning on stderr (warnx(3)) the first time each source's or rule's
 * pattern hits a PCRE2 limit; no globals, so a later event loop or
 * reload can hold several.
 */
#ifndef CXW_ENGINE_H
#define CXW_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "alert.h"
#include "wtab.h"

struct exec;
struct claim;
struct incident;
struct match;
struct obuf;
struct slog;
struct report;
struct pseudonym;
struct rule;
struct ruleset;

struct engine_opts {
	enum alert_format format;
	unsigned	  evidence;	/* lines per alert */
	size_t		  max_customers;
	size_t		  evidence_memory; /* bytes of evidence lines, all
					   detectors' tables together */
	int		  explain;	/* -x: describe every line */
	unsigned	  explain_only;	/* --explain-only: 0, or only these
					   lines (ENGINE_X_*) */
	int		  quiet;	/* -q: count alerts, print nothing */
	struct report	 *report;	/* NULL, or fed every event/alert */
	struct exec	 *exec;		/* NULL, or --exec for every alert */
	struct slog	 *slog;		/* NULL, or --syslog */
	int		  simple;	/* --no-prefilter: no prefilters,
					   no time cache, no claim kept */
	size_t		  max_line;	/* the longest line given (0: 64 KiB,
					   --max-line's default) */
	const struct pseudonym *pseud;	/* NULL, or --pseudonymize's key:
					   every customer id the engine
					   lets out is its pseudonym */
	/*
	 * NULL, or --emit: every line a rule decides goes to emit instead
	 * of the windows, with its customer as the engine lets it out and,
	 * for a failure rule, its evidence line (redacted) or NULL and 0
	 * for a forgiving rule's. All borrowed, valid during the call.
	 */
	void		(*emit)(void *arg, const struct match *m,
			    const struct rule *r, const char *line,
			    size_t len);
	void		 *emit_arg;
	/* With emit: the time of every line claimed with a customer and a
	   time that no rule decided (the watermark's). NULL: not told. */
	void		(*emit_seen)(void *arg, int64_t time);
};

/* --explain-only's kinds of line (cxwatch(1)). */
#define ENGINE_X_EVENT		0x1	/* a rule decided it */
#define ENGINE_X_NORULE		0x2	/* claimed, no rule holds */
#define ENGINE_X_UNCLAIMED	0x4	/* no source claimed it */
#define ENGINE_X_IGNORED	0x8	/* no customer, anonymous, bad time,
					   unparsable */

/* One detector's counts. */
struct engine_det_stats {
	uint64_t	 events;	/* failure events that counted in it */
	uint64_t	 forgiving;	/* forgiving lines that named it */
	uint64_t	 alerts;
	struct wtab_stats wt;		/* its table's (late, forgiven ...) */
};

struct engine_stats {
	uint64_t	 inputs;	/* opened; added by the caller */
	uint64_t	 inputs_done;	/* already read (--state): skipped */
	uint64_t	 inputs_resumed; /* read on from where a run stopped */
	uint64_t	 lines;
	uint64_t	 bytes;		/* added by the caller */
	uint64_t	 longlines;	/* added by the caller */
	uint64_t	 unmatched;
	uint64_t	 nocustomer;
	uint64_t	 anonymous;
	uint64_t	 badtime;
	uint64_t	 unparsable;	/* claimed by a json or logfmt source
					   that could not read them */
	uint64_t	 norule;
	uint64_t	 events;	/* failure events */
	uint64_t	 forgiving;	/* lines a forgiving rule decided */
	uint64_t	 limits;	/* lines where a pattern hit a limit */
	uint64_t	*srclines;	/* [nsources] lines claimed */
	uint64_t	*srcunparsable;	/* [nsources] of them unparsable */
	uint64_t	*ruleevents;	/* [nrules] */
	uint64_t	*srclimits;	/* [nsources] lines where the source's
					   pattern hit a PCRE2 limit */
	uint64_t	*rulelimits;	/* [nrules] the same for a rule's */
	struct engine_det_stats *det;	/* [ndetectors] */
	struct wtab_stats wt;		/* all detectors: customers and peak
					   are the sums of theirs */
	uint64_t	 evidence_peak;	/* most bytes of evidence held at
					   once (WTAB_LINECOST a line) */
	uint64_t	 incidents;	/* opened */
	uint64_t	 incidents_ended;
	uint64_t	 incident_late;	/* events too late for their rule's
					   incident window */
	uint64_t	 redacted;	/* evidence lines a [redact] class or
					   pattern, or a pseudonym, changed */
	uint64_t	 redact_limits;	/* lines where a redaction pattern hit
					   a PCRE2 limit (redacted whole) */
};

/* rs and out are borrowed and must outlive the engine. */
struct engine	*engine_new(const struct ruleset *, const struct engine_opts *,
		    struct obuf *out);
void		 engine_free(struct engine *);	/* NULL is fine */

/*
 * One line of input `name` (for -x), numbered lineno. forced is the
 * source every line of this input belongs to, or -1 to detect it.
 */
void		 engine_line(struct engine *, const char *name,
		    uint64_t lineno, int forced, const char *line, size_t len);

/*
 * A merge's two steps: claim the line into c (a claim of the input's own,
 * made for the engine's rule set: claim_new()), returning the claiming
 * source or -1, and, when the line's turn comes, the rest of
 * engine_line() for that claim of the same bytes: the line is claimed
 * once.
 */
int		 engine_claim(struct engine *, struct claim *c, int forced,
		    const char *line, size_t len);
void		 engine_line_claimed(struct engine *, const char *name,
		    uint64_t lineno, const struct claim *c, const char *line,
		    size_t len);

/*
 * The rest, for a line already claimed and decided (m, by a matcher on
 * the engine's rule set, as matcher_decide() leaves it; m->claim may be
 * NULL, and is for lines decided on another thread, pool.h). That
 * matcher's limit counters are not the engine's: lim[0..nlim) are the
 * ones the line moved, each a source's index or nsources + a rule's.
 */
void		 engine_line_decided(struct engine *, const char *name,
		    uint64_t lineno, const struct match *m,
		    const uint32_t *lim, size_t nlim, const char *line,
		    size_t len);

/*
 * What a pool that decides lines for e does for it (pool_privacy()):
 * the key, and whether evidence lines are redacted.
 */
void		 engine_privacy(const struct engine *,
		    const struct pseudonym **key, int *redact);

/*
 * SIGHUP: a new engine on rs with e's options and counters, and every
 * customer's window and cooldown; the events of rules rs still has (by
 * name) keep their place, with the new rules' weights and channels, and
 * the rest are dropped. Per-source and per-rule counters (and whether
 * a limit warning was given) follow their names. Incident trackers
 * follow their rules' names while [incident] is unchanged; e's open
 * incidents that do not carry over end first, their INCIDENT END
 * written (cxwatch.rules(5), semantics 13). e is otherwise left as it
 * was; the caller frees it.
 */
struct engine	*engine_reload(struct engine *e, const struct ruleset *rs);

/*
 * With -x, a line about input `name` itself (not one of its lines):
 * "NAME: message", escaped. Nothing without -x.
 */
void		 engine_notef(struct engine *, const char *name,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * The detectors' window tables, for --state to save and load: table d
 * is detector d's (of the rule set), brought up to the engine's T.
 */
size_t		 engine_ndetectors(const struct engine *);
struct wtab	*engine_table(struct engine *, size_t d);

/*
 * --state: the failure rules' incident trackers, *inc[i] rule i's (NULL
 * for a forgiving rule); 0 and no trackers without [incident]. After
 * loading them, engine_incidents_loaded() names their open incidents.
 */
size_t		 engine_incident_trackers(struct engine *,
		    struct incident ***inc);
void		 engine_incidents_loaded(struct engine *);

/*
 * T of semantics 6 (INT64_MIN before any line a rule decided), and a way
 * to raise it in every table (a loaded state, or the live loop's clock
 * while the log is quiet): as wtab_set_latest().
 */
int64_t		 engine_latest(const struct engine *);
int		 engine_set_latest(struct engine *, int64_t t,
		    const char **why);

/*
 * The end of a run that saves no --state: every open incident ends
 * (cxwatch.rules(5), semantics 13), its INCIDENT END written.
 */
void		 engine_finish(struct engine *);

/*
 * The alerts raised so far, every detector's. engine_skip_alerts(): the
 * count goes on from alerts, and the next skip alerts are counted but
 * neither written nor acted on: a --consume worker taking over from a
 * checkpoint raises again those its predecessor wrote after it.
 */
uint64_t	 engine_alerts(const struct engine *);
void		 engine_skip_alerts(struct engine *, uint64_t alerts,
		    uint64_t skip);

/* The counters; the caller may add bytes and longlines. */
struct engine_stats *engine_stats(struct engine *);

/* The --stats report, as text, elapsed in seconds. */
void		 engine_stats_write(struct engine *, struct obuf *,
		    double elapsed);

#endif
