/*
 * rules: the rules language of cxwatch.rules(5). Reads rules files or
 * directories, checks everything, compiles every pattern once (pattern.h)
 * and returns one rule set, immutable from then on: nothing writes to it
 * (the command line's settings are applied while it is built), so it may
 * be shared by several matchers, and a reload is a pointer swap. A rule
 * set owns its patterns and is freed whole.
 *
 * The structs are open because the matcher and the alert formatter walk
 * them; nothing outside rules.c and rules-detect.c (the detectors and
 * what counts in each) writes to them.
 */
#ifndef CXW_RULES_H
#define CXW_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "tparse.h"

struct diag;
struct pattern;

#define RULES_MAXWEIGHT		1000
#define RULES_MAXDETECTORS	64	/* detector masks are uint64_t */
#define RULES_FIELD_LINE	(-1)	/* condition on the whole line */

enum cond_op {
	COND_MATCH, COND_NOMATCH,	/* ~ !~ */
	COND_EQ, COND_NE,		/* == != */
	COND_LT, COND_LE, COND_GT, COND_GE
};

struct cond {
	int		 field;		/* group number, or RULES_FIELD_LINE */
	char		*fieldname;
	enum cond_op	 op;
	struct pattern	*rx;		/* ~ and !~; else NULL */
	char		*str;		/* the right-hand side as written */
	size_t		 strlen;
	double		 num;
	int		 isnum;		/* str is a number */
};

struct settings {
	int64_t		window;		/* ms */
	int64_t		cooldown;	/* ms */
	uint64_t	threshold;
	unsigned	channels;
};

/*
 * The command line's -w, -c, -T and -C: they replace [settings]' values,
 * and so reach every detector that does not set the key itself. Applied
 * while the set is built: nothing writes to a rule set once loaded.
 * -1: not given.
 */
struct rules_overrides {
	int64_t		window;		/* ms */
	int64_t		cooldown;	/* ms */
	long long	threshold;
	long long	channels;
};

/*
 * A detector (cxwatch.rules(5), [detector NAME]): one threshold over the
 * events of some failure rules. Without [detector] sections the set has
 * one, "default", counting every failure rule with [settings]' values
 * (file NULL, lineno 0: the only detector with no file). Detector d is
 * bit d of struct rule's masks.
 */
struct detector {
	char		*name;
	char		*file;		/* where defined; NULL for "default" */
	int		 lineno;	/* of its [detector] line */
	struct settings	 settings;	/* its own keys, else [settings]'
					   after the overrides */
	char	       **patterns;	/* "rules =" as written; none: "*" */
	size_t		 npatterns;
};

struct source {
	char		*name;
	char		*file;		/* where it was defined */
	int		 lineno;
	struct pattern	*rx;
	uint32_t	 ngroups;	/* capture groups, not counting 0 */
	char	       **groupname;	/* [ngroups + 1], NULL if unnamed */
	int		 g_customer;	/* group numbers */
	int		 g_time;	/* 0 when time = none */
	struct tp_spec	 time;
	unsigned	 channel;
	char	       **anonymous;
	size_t		 nanonymous;
	unsigned	*rules;		/* indexes into ruleset.rules, in order */
	size_t		 nrules;
};

struct rule {
	char		*name;
	char		*file;
	int		 lineno;
	unsigned	 source;
	struct pattern	*rx;		/* NULL when there is no match */
	struct cond	*conds;
	size_t		 nconds;
	unsigned	 weight;	/* 1 in a forgiving rule: unused */
	char		*description;
	int		 forgiving;	/* has "forgive": makes no event */
	uint64_t	 detectors;	/* failure rule: bit d set when its
					   events count in detector d (0: in
					   none); forgiving rule: 0 */
	uint64_t	 forgives;	/* forgiving rule: bit d set when it
					   forgives in detector d (never 0);
					   failure rule: 0 */
	char	       **forgive;	/* "forgive =" as written; NULL and 0
					   in a failure rule */
	size_t		 nforgive;
};

struct ruleset {
	struct settings	  settings;	/* [settings] with the overrides */
	struct detector	 *detectors;	/* in the order defined; >= 1 */
	size_t		  ndetectors;	/* <= RULES_MAXDETECTORS */
	struct source	 *sources;
	size_t		  nsources;
	struct rule	 *rules;
	size_t		  nrules;
	char		**channels;	/* names, in order of first use */
	size_t		  nchannels;
	char		**files;	/* every file read, in order */
	size_t		  nfiles;
	uint64_t	  fingerprint;	/* of the files' bytes, in order */
};

/*
 * Load every path (a file, or a directory whose *.rules files are read in
 * name order) into one rule set, with ov (NULL: none) applied. All errors
 * are added to diag as "FILE:LINE: message"; on any error NULL is
 * returned.
 */
struct ruleset	*rules_load(char *const *paths, size_t npaths,
		    const struct rules_overrides *ov, struct diag *);

/* Index of the detector called name (its bit in the masks), or -1. */
int		 rules_detector_find(const struct ruleset *, const char *name);
void		 rules_free(struct ruleset *);	/* NULL is fine */

/* Parse a rules-style number: decimal, optional sign, fraction and
 * exponent, finite. 0 and *v, or -1 ("nan", "0x10", "1e309" are not). */
int		 rules_number(const char *s, size_t len, double *v);

/* Index of the source called name, or -1. */
int		 rules_source_find(const struct ruleset *, const char *name);

#endif
