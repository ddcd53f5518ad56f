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
struct match_held;
struct obuf;
struct slog;
struct report;
struct ruleset;

struct engine_opts {
	enum alert_format format;
	unsigned	  evidence;	/* lines per alert */
	size_t		  max_customers;
	int		  explain;	/* -x: describe every line */
	int		  quiet;	/* -q: count alerts, print nothing */
	struct report	 *report;	/* NULL, or fed every event/alert */
	struct exec	 *exec;		/* NULL, or --exec for every alert */
	struct slog	 *slog;		/* NULL, or --syslog */
	int		  simple;	/* --no-prefilter: rules_set_simple()
					   on the engine's rule set */
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
	uint64_t	 norule;
	uint64_t	 events;
	uint64_t	 limits;	/* lines where a pattern hit a limit */
	uint64_t	*srclines;	/* [nsources] lines claimed */
	uint64_t	*ruleevents;	/* [nrules] */
	uint64_t	*srclimits;	/* [nsources] lines where the source's
					   pattern hit a PCRE2 limit */
	uint64_t	*rulelimits;	/* [nrules] the same for a rule's */
	struct wtab_stats wt;
};

/*
 * rs and out are borrowed and must outlive the engine; rs is set simple
 * or not as opts say (rules_set_simple()).
 */
struct engine	*engine_new(struct ruleset *, const struct engine_opts *,
		    struct obuf *out);
void		 engine_free(struct engine *);	/* NULL is fine */

/*
 * One line of input `name` (for -x), numbered lineno. forced is the
 * source every line of this input belongs to, or -1 to detect it.
 */
void		 engine_line(struct engine *, const char *name,
		    uint64_t lineno, int forced, const char *line, size_t len);

/*
 * The same, for a line a merge has peeked at: held is NULL (then this is
 * engine_line()), or what match_peek_held() kept of this very line, so
 * that it is matched once (match_line_held()); forced is then unused.
 */
void		 engine_line_held(struct engine *, const char *name,
		    uint64_t lineno, int forced, const struct match_held *held,
		    const char *line, size_t len);

/*
 * SIGHUP: a new engine on rs with e's options and counters, and every
 * customer's window and cooldown; the events of rules rs still has (by
 * name) keep their place, with the new rules' weights and channels, and
 * the rest are dropped. Per-source and per-rule counters (and whether
 * a limit warning was given) follow their names. e is left as it was;
 * the caller frees it.
 */
struct engine	*engine_reload(struct engine *e, struct ruleset *rs);

/*
 * With -x, a line about input `name` itself (not one of its lines):
 * "NAME: message", escaped. Nothing without -x.
 */
void		 engine_notef(struct engine *, const char *name,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* T of semantics 6: the latest event time seen; INT64_MIN before any. */
int64_t		 engine_latest(const struct engine *);

/* The window table, for --state to save and load. */
struct wtab	*engine_table(struct engine *);

/* The counters; the caller may add bytes and longlines. */
struct engine_stats *engine_stats(struct engine *);

/* The --stats report, as text, elapsed in seconds. */
void		 engine_stats_write(struct engine *, struct obuf *,
		    double elapsed);

#endif
