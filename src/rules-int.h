/*
 * rules-int: what the parts of the rules loader share, rules.c (reading,
 * sources, rules) and rules-detect.c (detectors and forgiveness). No
 * other file includes this; the rule set itself is in rules.h.
 *
 * Everything here lives for one rules_load() call: the raw sections and
 * the errors are freed before it returns.
 */
#ifndef CXW_RULES_INT_H
#define CXW_RULES_INT_H

#include <stddef.h>

#include "rules.h"

struct pattern;

enum rsec_kind { RSEC_SETTINGS, RSEC_SOURCE, RSEC_RULE, RSEC_DETECTOR,
    RSEC_INCIDENT, RSEC_REDACT };

struct rkv {
	char	*key;
	char	*val;
	int	 lineno;
};

/* A section as read: its name, its key/value lines, where it came from. */
struct rsec {
	enum rsec_kind	 kind;
	char		*name;
	const char	*file;		/* borrowed from ruleset.files */
	int		 lineno;
	struct rkv	*kvs;
	size_t		 nkvs;
	int		 dup;		/* a duplicate name: skipped */
	int		 broken;	/* a line of it was in error: say
					   nothing more of what it lacks */
};

struct rerr;

struct rload {
	struct ruleset	*rs;
	struct diag	*diag;
	struct rerr	*errs;
	struct rsec	*secs;
	size_t		 nsecs;
	int		 nerr;
	/* [settings] keys seen so far, for "already set at" (the four of
	   rules_setting(), then pseudonymize) */
	const char	*setfile[5];
	int		 setline[5];
	/* [redact] classes: where set first */
	const char	*classfile;
	int		 classline;
	/* [incident] keys seen so far, the same way */
	const char	*incfile[3];
	int		 incline[3];
	const struct rules_overrides *ov;	/* NULL, or the command line's */
	const char	*text;		/* rules_load_text()'s: the only file's
					   bytes */
	const struct rsec **detsecs;	/* [ndetectors]: each detector's
					   section, NULL for "default" */
};

/* Add "FILE:LINE: message" to the errors (lineno 0: "FILE: message"). */
void		 rules_err(struct rload *, const char *file, int lineno,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* The value of key in sec, and its line (sec's own when absent), or NULL. */
const char	*rules_kv(const struct rsec *, const char *key, int *lineno);

/* Whether s is a name of letters, digits, '-', '_' and '.'. */
int		 rules_name_ok(const char *s);

/* The channel called name, added if new (at most 64). */
unsigned	 rules_channel(struct rload *, const char *name,
		    const char *file, int lineno);

/* Compile pat into *rx (pattern.h): 0, or -1 after "what: why" there. */
int		 rules_compile(struct rload *, struct pattern **rx,
		    const char *pat, const char *file, int lineno,
		    const char *what);

/* rules-source.c */

/* A [source NAME] section, into a new source of the set. */
void		 rules_do_source(struct rload *, const struct rsec *);

/*
 * The number of src's field called name: a regex source's group, or a
 * structured source's path or key, added if new. -1 after an error at
 * file:lineno, which starts with what ("if", "customer").
 */
int		 rules_field(struct rload *, struct source *src,
		    const char *name, const char *file, int lineno,
		    const char *what);

/* Compile each json source's paths, once every rule has named its own. */
void		 rules_sources_finish(struct rload *);
void		 rules_source_free(struct source *);

/* Split s at blanks into *n copied words (caller frees). */
void		 rules_split_words(const char *s, char ***words, size_t *n);
void		 rules_words_free(char **, size_t);

/*
 * A [settings] key (window, threshold, cooldown or channels), also one of
 * a detector's, checked and stored in st: 0, or -1 after an error.
 */
int		 rules_setting(struct rload *, const char *file,
		    const struct rkv *, struct settings *st);

/* rules-detect.c */

/*
 * The detectors from the [detector] sections in order, or the one
 * "default" when there are none, with [settings]' values (after the
 * overrides) for the keys each leaves out. Before the rules are built.
 */
void		 rules_detect_define(struct rload *);

/* r's "forgive = value" at lineno: r->forgive, r->forgives. */
void		 rules_detect_forgive(struct rload *, struct rule *r,
		    const char *value, const char *file, int lineno);

/* Each detector's "rules" into the failure rules' masks. After the rules
 * are built. */
void		 rules_detect_resolve(struct rload *);

void		 rules_detect_free(struct ruleset *);

/* rules-privacy.c */

/* [settings] pseudonymize = PATH. */
void		 rules_privacy_keyfile(struct rload *, const char *file,
		    const struct rkv *);

/* A [redact] or [redact NAME] section. */
void		 rules_do_redact(struct rload *, const struct rsec *);

/* Compile the redactor, once every [redact] section is read. */
void		 rules_privacy_finish(struct rload *);

void		 rules_privacy_free(struct ruleset *);

#endif
