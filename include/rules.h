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
struct jsonl_paths;
struct logfmt_keys;
struct template;
struct pattern;
struct dispatch;

#define RULES_MAXWEIGHT		1000
#define RULES_MAXDETECTORS	64	/* detector masks are uint64_t */
#define RULES_FIELD_LINE	(-1)	/* condition on the whole line */
#define RULES_MAXFIELDS		1024	/* of a json or logfmt source */

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
	double		 num;		/* str's number, or duration in s */
	int		 isnum;		/* str is a number */
	int		 isdur;		/* str is a duration (< <= > >=):
					   the field must be one too */
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

/*
 * [incident] (cxwatch.rules(5), semantics 7 to 13): file is NULL when
 * no rules file has the section, and then there are no incidents.
 */
struct rules_incident {
	const char	*file;		/* of the first [incident] section */
	int		 lineno;
	unsigned	 customers;
	int64_t		 window;	/* ms */
	int64_t		 cooldown;	/* ms */
};

enum source_format {
	SOURCE_REGEX,			/* fields: match's named groups */
	SOURCE_JSON,			/* fields: paths (jsonl.h) */
	SOURCE_LOGFMT,			/* fields: keys (logfmt.h) */
	SOURCE_TEMPLATE			/* fields: the template's (template.h) */
};

/*
 * A source. Its fields are numbered from 1: a regex source's are its
 * pattern's groups, a template source's its template's fields in the
 * order written, a json or logfmt source's the paths or keys its
 * customer, time and conditions name (customer 1, time 2 unless there
 * is none, then each new name in the order the rules name it); struct
 * cond's field and g_customer, g_time are these numbers.
 */
struct source {
	char		*name;
	char		*file;		/* where it was defined */
	int		 lineno;
	enum source_format format;
	struct pattern	*rx;		/* regex: the match; structured: the
					   optional raw-line match, or NULL */
	uint32_t	 ngroups;	/* fields (regex: groups, not 0) */
	char	       **groupname;	/* [ngroups + 1]: regex: the group's
					   name, NULL if unnamed; structured:
					   the path or key */
	int		 g_customer;	/* field numbers */
	int		 g_time;	/* 0 when time = none */
	struct jsonl_paths *jpaths;	/* json: field i is path i - 1 */
	char		*unwrap;	/* json: unwrap path, or NULL */
	struct logfmt_keys *lkeys;	/* logfmt: the keys */
	int		*slot;		/* logfmt: [ngroups + 1], field i's
					   slot in lkeys */
	struct template	*tmpl;		/* template: field i is its i - 1 */
	struct tp_spec	 time;
	unsigned	 channel;
	char	       **anonymous;
	size_t		 nanonymous;
	unsigned	*rules;		/* indexes into ruleset.rules, in order */
	size_t		 nrules;
	struct dispatch	*dispatch;	/* its rules by a field's value, or
					   NULL (dispatch.h) */
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

/* A [redact NAME] section (cxwatch.rules(5), Privacy). */
struct rules_redact {
	char		*name;
	char		*file;
	int		 lineno;
	char		*pattern;
	char		*replace;	/* NULL: "[NAME]" */
};

/*
 * [settings] pseudonymize and the [redact] sections (cxwatch.rules(5),
 * Privacy). The key file is only named here: main.c opens it.
 */
struct rules_privacy {
	char		*keyfile;	/* resolved against its rules file's
					   directory; NULL when not set */
	char		*keyfile_file;	/* where it was set */
	int		 keyfile_line;
	unsigned	 classes;	/* [redact] classes: bit i is class i
					   of redact.h */
	struct rules_redact *redacts;	/* in the order defined */
	size_t		 nredacts;
	struct redactor	*redactor;	/* classes and patterns compiled;
					   NULL when there are none */
};

struct ruleset {
	struct settings	  settings;	/* [settings] with the overrides */
	struct rules_incident incident;
	struct rules_privacy privacy;
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

/*
 * rules_load() of text, as if it were the one file called name (errors
 * say "NAME:LINE: ..."): cxwatch(1)'s --try-source.
 */
struct ruleset	*rules_load_text(const char *name, const char *text,
		    const struct rules_overrides *ov, struct diag *);

/* Index of the detector called name (its bit in the masks), or -1. */
int		 rules_detector_find(const struct ruleset *, const char *name);
void		 rules_free(struct ruleset *);	/* NULL is fine */

/* Parse a rules-style number: decimal, optional sign, fraction and
 * exponent, finite. 0 and *v, or -1 ("nan", "0x10", "1e309" are not). */
int		 rules_number(const char *s, size_t len, double *v);

/* "regex", "json", "logfmt" or "template". */
const char	*rules_format_name(enum source_format);

/*
 * Parse a duration with units, "419s", "3m5s", "1.5h", "250ms" (parts of
 * a decimal number and a unit: ms s m h d): 0 and *v in seconds, or -1
 * (a bare number is not a duration).
 */
int		 rules_duration(const char *s, size_t len, double *v);

/* Index of the source called name, or -1. */
int		 rules_source_find(const struct ruleset *, const char *name);

#endif
