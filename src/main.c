/*
 * cxwatch: per-customer bad-experience alerts from web, support and
 * billing logs. main.c parses the command line and wires the modules:
 * rules → engine (match, window table, alerts) ← reader, per input.
 */
#define _GNU_SOURCE		/* sched_getaffinity(), CPU_COUNT() */

#include <sys/stat.h>

#include <sched.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "afile.h"
#include "bus.h"
#include "consume.h"
#include "worker.h"
#include "diag.h"
#include "emit.h"
#include "engine.h"
#include "exec.h"
#include "input.h"
#include "loop.h"
#include "pattern.h"
#include "progress.h"
#include "obuf.h"
#include "options.h"
#include "packs.h"
#include "pseudonym.h"
#include "reader.h"
#include "redact.h"
#include "registry.h"
#include "report.h"
#include "rules.h"
#include "rxlint.h"
#include "slog.h"
#include "state.h"
#include "status.h"
#include "tparse.h"
#include "wtab.h"
#include "xmalloc.h"

#define CXW_VERSION		"0.1.0"
#define CXW_EXEC_QUEUE		1000	/* alerts waiting for --exec */
#define CXW_EXEC_SAID		3	/* --exec failures said one by one */
#define CXW_EXEC_GRACE		3.0	/* s running programs get at a stop */
#define MAIN_MAXTHREADS		8	/* --threads' default, at most */
#define MAIN_EMIT_PENDING	4096	/* --emit: unacknowledged, at most */
#define MAIN_PRODUCER_MAX	255	/* --producer: bytes (a host name's) */
/*
 * --evidence-memory's default: about 850,000 lines of 150 bytes, far
 * more than the customers near their threshold on any day we have seen,
 * and what keeps 5 million active customers under 600 MB (cxwatch(1),
 * --evidence-memory).
 */
#define MAIN_EVIDENCE_MEMORY	((size_t)128 << 20)

#ifndef CXW_RULESDIR
#define CXW_RULESDIR		"/usr/local/etc/cxwatch/rules"
#endif

static volatile sig_atomic_t main_stop;	/* SIGINT or SIGTERM came */
static volatile sig_atomic_t main_hurry;	/* ... and another */
static volatile sig_atomic_t main_usr1;
static int main_state_loaded;		/* --state: a file was loaded */

/* What was said on stderr about --exec and --syslog, not to repeat it. */
static struct {
	uint64_t	failed;		/* up to CXW_EXEC_SAID */
	int		notrun;
	int		dropped;
	int		slog;
} main_said;

/*
 * A handler only sets a flag, checked between lines (batch runs), while
 * waiting, and after the live loop, which chains to it.
 */
static void
main_sig(int sig)
{
	if (sig == SIGUSR1)
		main_usr1 = 1;
	else if (main_stop)
		main_hurry = 1;
	else
		main_stop = 1;
}

/*
 * A closed 0, 1 or 2 would be taken by the next file opened, and the
 * alerts written into it: hold each with /dev/null opened the other way,
 * so that using it fails with EBADF as it would have. (open(2) takes the
 * lowest free descriptor, which is fd.)
 */
static void
main_hold_stdio(void)
{
	int fd;

	for (fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) == -1 && errno == EBADF)
			(void)open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY);
}

/*
 * The rules to read: -r, else $CXWATCH_RULES, else the installed rules,
 * else ./rules. The list is o's, or one static fallback.
 */
static char *
main_default_rules(void)
{
	static char installed[] = CXW_RULESDIR, local[] = "rules";
	struct stat st;
	char *env;

	if ((env = getenv("CXWATCH_RULES")) != NULL && *env != '\0')
		return env;
	return stat(installed, &st) == 0 ? installed : local;
}

static void
main_rules_paths(const struct options *o, char ***paths, size_t *npaths)
{
	static char *fallback[1];

	if (o->rules.n > 0) {
		*paths = o->rules.v;
		*npaths = o->rules.n;
		return;
	}
	fallback[0] = main_default_rules();
	*paths = fallback;
	*npaths = 1;
}

/*
 * -t, last: the packs in the default rules directory's packs/ that the
 * rules read did not enable (README.md, Rule packs).
 */
static void
main_check_packs(const struct ruleset *rs)
{
	struct pack *v;
	char *dir;
	size_t i, n, left = 0;

	dir = xasprintf("%s/packs", main_default_rules());
	n = packs_list(dir, rs->files, rs->nfiles, &v);
	for (i = 0; i < n; i++)
		if (!v[i].enabled)
			printf("%s %s", left++ == 0 ? "packs:" : "", v[i].name);
	if (left > 0)
		printf(" in %s (not enabled; -r %s/NAME enables one)\n", dir,
		    dir);
	packs_free(v, n);
	free(dir);
}

/*
 * --try-source and --try-rule as a rules file (cxwatch(1)): a source
 * "try" of the pattern, its times read if it has a "time" group, and a
 * rule "try" holding where every expression does (on every line the
 * source claims, with none).
 */
static char *
main_try_text(const struct options *o)
{
	const char *rx = o->try_source, *time = "none";
	char *text, *t;
	size_t i;

	if (strchr(rx, '\n') != NULL)
		errx(CXW_EXIT_TROUBLE, "--try-source: a pattern of one line");
	for (i = 0; i < o->try_rule.n; i++)
		if (strchr(o->try_rule.v[i], '\n') != NULL)
			errx(CXW_EXIT_TROUBLE, "--try-rule: an expression of "
			    "one line");
	if (strstr(rx, "(?<time>") != NULL || strstr(rx, "(?P<time>") != NULL ||
	    strstr(rx, "(?'time'") != NULL)
		time = "auto";
	text = xasprintf("[source try]\nmatch = %s\ntime = %s\n\n"
	    "[rule try]\nsource = try\n", rx, time);
	if (o->try_rule.n == 0) {
		t = xasprintf("%smatch = (?:)\n", text);
		free(text);
		text = t;
	}
	for (i = 0; i < o->try_rule.n; i++) {
		t = xasprintf("%sif = %s\n", text, o->try_rule.v[i]);
		free(text);
		text = t;
	}
	return text;
}

/* Read o's rules and apply the command line's settings: NULL on errors. */
static struct ruleset *
main_load(const struct options *o, const char *prefix)
{
	struct rules_overrides ov;
	struct ruleset *rs;
	struct diag d;
	char **paths, *text;
	size_t i, npaths;

	ov.window = o->window;
	ov.cooldown = o->cooldown;
	ov.threshold = o->threshold;
	ov.channels = o->channels;
	diag_init(&d);
	if (o->try_source != NULL) {
		text = main_try_text(o);
		rs = rules_load_text("--try-source", text, &ov, &d);
		free(text);
	} else {
		main_rules_paths(o, &paths, &npaths);
		rs = rules_load(paths, npaths, &ov, &d);
	}
	for (i = 0; i < d.nmsgs; i++)
		warnx("%s%s", prefix, d.msgs[i]);
	diag_free(&d);
	return rs;
}

/*
 * --pseudonymize, else [settings] pseudonymize (rs NULL: the option
 * only): the key, or NULL for none. A key that will not do ends the run
 * (cxwatch(1), EXIT STATUS: 2), naming the file and what is wrong.
 */
static struct pseudonym *
main_key(const struct options *o, const struct ruleset *rs)
{
	struct pseudonym *p;
	char *cause;

	if (o->pseudonymize != NULL) {
		if ((p = pseudonym_open(o->pseudonymize, &cause)) == NULL)
			errx(CXW_EXIT_TROUBLE, "--pseudonymize: %s", cause);
		return p;
	}
	if (rs == NULL || rs->privacy.keyfile == NULL)
		return NULL;
	if ((p = pseudonym_open(rs->privacy.keyfile, &cause)) == NULL)
		errx(CXW_EXIT_TROUBLE, "%s:%d: pseudonymize: %s",
		    rs->privacy.keyfile_file, rs->privacy.keyfile_line, cause);
	return p;
}

/* --pseudonym-of: each id's pseudonym, a line each, and the end. */
static void
main_pseudonym_of(const struct options *o, struct pseudonym *p)
{
	char out[PSEUDONYM_LEN + 1];
	size_t i;

	if (p == NULL)
		errx(CXW_EXIT_TROUBLE, "--pseudonym-of needs the key: give "
		    "--pseudonymize KEYFILE, or set pseudonymize in [settings]");
	for (i = 0; i < o->pseudonym_of.n; i++) {
		pseudonym_of(p, o->pseudonym_of.v[i],
		    strlen(o->pseudonym_of.v[i]), out);
		printf("%s\n", out);
	}
	pseudonym_free(p);
	if (fflush(stdout) == EOF || ferror(stdout))
		err(CXW_EXIT_TROUBLE, "stdout");
	exit(0);
}

/*
 * The state file's fingerprint: the rules', and the key's id, so that
 * windows kept under one key (or in the clear) are never joined by the
 * pseudonyms of another (cxwatch.rules(5), Privacy).
 */
static uint64_t
main_fingerprint(const struct ruleset *rs, const struct pseudonym *key)
{
	uint64_t h = rs->fingerprint;
	const char *p;

	if (key == NULL)
		return h;
	for (p = "pseudonym key "; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * UINT64_C(0x100000001b3);
	for (p = pseudonym_keyid(key); *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * UINT64_C(0x100000001b3);
	return h;
}

static void
main_put_duration(int64_t ms)
{
	static const struct { int64_t ms; char unit; } units[] = {
		{ 86400000, 'd' }, { 3600000, 'h' }, { 60000, 'm' },
		{ 1000, 's' }
	};
	size_t i;

	for (i = 0; i < 4; i++)
		if (ms != 0 && ms % units[i].ms == 0) {
			printf("%lld%c", (long long)(ms / units[i].ms),
			    units[i].unit);
			return;
		}
	printf("%llds", (long long)(ms / 1000));
}

static const char *
main_time_name(const struct tp_spec *t)
{
	static const char *names[] = { "none", "clf", "iso8601", "syslog",
	    "epoch", "epoch_ms", "auto" };

	return t->kind == TP_FORMAT ? t->fmt : names[t->kind];
}

/* -t: a warning on stderr when rxlint finds that rx backtracks badly. */
static void
main_check_rx(const char *what, const char *name, const char *file,
    int lineno, const struct pattern *rx)
{
	char why[512];

	if (rx != NULL && rxlint_check(rx->src, why, sizeof(why)) == 1)
		warnx("warning: %s %s (%s:%d): pattern may backtrack "
		    "exponentially: %s", what, name, file, lineno, why);
}

/* -t: n words, comma-separated. */
static void
main_put_words(char *const *w, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		printf("%s%s", i > 0 ? "," : "", w[i]);
}

/* -t: " detectors=" and the names of those in mask, or "(none)". */
static void
main_put_detectors(const struct ruleset *rs, uint64_t mask)
{
	const char *sep = "";
	size_t d;

	printf(" detectors=%s", mask == 0 ? "(none)" : "");
	for (d = 0; d < rs->ndetectors; d++)
		if (mask & (UINT64_C(1) << d)) {
			printf("%s%s", sep, rs->detectors[d].name);
			sep = ",";
		}
}

/* -t: a detector, its settings, its "rules" and how many they match. */
static void
main_check_detector(const struct ruleset *rs, size_t d)
{
	const struct detector *dt = &rs->detectors[d];
	size_t i, n = 0;

	for (i = 0; i < rs->nrules; i++)
		if (rs->rules[i].detectors & (UINT64_C(1) << d))
			n++;
	printf("detector %s: window=", dt->name);
	main_put_duration(dt->settings.window);
	printf(" threshold=%llu cooldown=",
	    (unsigned long long)dt->settings.threshold);
	main_put_duration(dt->settings.cooldown);
	printf(" channels=%u rules=", dt->settings.channels);
	main_put_words(dt->patterns, dt->npatterns);
	printf(" matching=%zu (%s:%d)\n", n, dt->file, dt->lineno);
}

/*
 * -t: a rule; the detectors it counts in (or forgives in). With no
 * [detector] section, a failure rule's line is as it was before there
 * were detectors. A failure rule that counts nowhere brings a warning.
 */
static void
main_check_rule(const struct ruleset *rs, const struct rule *r)
{
	int written = rs->detectors[0].file != NULL;
	size_t k;

	printf("rule %s: source=%s ", r->name, rs->sources[r->source].name);
	if (r->forgiving) {
		printf("forgive=");
		main_put_words(r->forgive, r->nforgive);
	} else
		printf("weight=%u", r->weight);
	printf(" match=%s if=%zu", r->rx != NULL ? "yes" : "no",
	    r->nconds);
	if (r->forgiving || written)
		main_put_detectors(rs, r->forgiving ? r->forgives :
		    r->detectors);
	printf(" (%s:%d)\n", r->file, r->lineno);
	if (!r->forgiving && r->detectors == 0)
		warnx("warning: rule %s (%s:%d) counts in no detector",
		    r->name, r->file, r->lineno);
	main_check_rx("rule", r->name, r->file, r->lineno, r->rx);
	for (k = 0; k < r->nconds; k++)
		main_check_rx("rule", r->name, r->file, r->lineno,
		    r->conds[k].rx);
}

/*
 * -t: a field's name as written, but a path or key may hold any byte:
 * one that is not printable ASCII, a comma or a backslash is written as
 * \xHH, so the list stays one line that reads back unambiguously.
 */
static void
main_put_field(const char *name)
{
	const unsigned char *p;

	for (p = (const unsigned char *)name; *p != '\0'; p++)
		if (*p <= 0x20 || *p >= 0x7f || *p == ',' || *p == '\\')
			printf("\\x%02x", *p);
		else
			putchar(*p);
}

/*
 * -t: one line for the settings, each detector written in the rules,
 * each source and each rule; a warning on stderr for each pattern that
 * may backtrack exponentially and each failure rule that counts in no
 * detector (neither changes the exit status).
 */
/* -t: what [redact] redacts. */
static void
main_check_redact(const struct ruleset *rs)
{
	const struct rules_privacy *pv = &rs->privacy;
	const char *sep = "";
	size_t i;

	if (pv->classes == 0 && pv->nredacts == 0)
		return;
	printf("redact: classes=");
	for (i = 0; i < REDACT_NCLASS; i++)
		if (pv->classes & (1u << i)) {
			printf("%s%s", sep, redact_class_name((int)i));
			sep = ",";
		}
	if (*sep == '\0')
		printf("-");
	printf("\n");
	for (i = 0; i < pv->nredacts; i++)
		if (pv->redacts[i].replace != NULL)
			printf("redact %s: replace=%s (%s:%d)\n",
			    pv->redacts[i].name, pv->redacts[i].replace,
			    pv->redacts[i].file, pv->redacts[i].lineno);
		else
			printf("redact %s: replace=[%s] (%s:%d)\n",
			    pv->redacts[i].name, pv->redacts[i].name,
			    pv->redacts[i].file, pv->redacts[i].lineno);
}

static void
main_check(const struct ruleset *rs, const struct pseudonym *key)
{
	const struct source *s;
	const char *sep;
	size_t i;
	uint32_t g;

	printf("settings: window=");
	main_put_duration(rs->settings.window);
	printf(" threshold=%llu cooldown=",
	    (unsigned long long)rs->settings.threshold);
	main_put_duration(rs->settings.cooldown);
	printf(" channels=%u\n", rs->settings.channels);
	if (rs->incident.file != NULL) {
		printf("incident: customers=%u window=", rs->incident.customers);
		main_put_duration(rs->incident.window);
		printf(" cooldown=");
		main_put_duration(rs->incident.cooldown);
		printf(" (%s:%d)\n", rs->incident.file, rs->incident.lineno);
	}
	if (key != NULL)
		printf("pseudonyms: key %s\n", pseudonym_keyid(key));
	main_check_redact(rs);
	for (i = 0; rs->detectors[0].file != NULL && i < rs->ndetectors; i++)
		main_check_detector(rs, i);
	for (i = 0; i < rs->nsources; i++) {
		s = &rs->sources[i];
		if (s->format == SOURCE_REGEX)
			printf("source %s: channel=%s time=%s fields=", s->name,
			    rs->channels[s->channel], main_time_name(&s->time));
		else {
			printf("source %s: format=%s channel=%s customer=",
			    s->name, rules_format_name(s->format),
			    rs->channels[s->channel]);
			main_put_field(s->groupname[s->g_customer]);
			printf(" time=");
			if (s->g_time > 0)
				main_put_field(s->groupname[s->g_time]);
			else
				printf("-");
			printf(" timefmt=%s", main_time_name(&s->time));
			if (s->unwrap != NULL) {
				printf(" unwrap=");
				main_put_field(s->unwrap);
			}
			printf(" match=%s fields=", s->rx != NULL ? "yes" :
			    "no");
		}
		for (sep = "", g = 1; g <= s->ngroups; g++)
			if (s->groupname[g] != NULL) {
				printf("%s", sep);
				main_put_field(s->groupname[g]);
				sep = ",";
			}
		printf(" rules=%zu (%s:%d)\n", s->nrules, s->file, s->lineno);
		main_check_rx("source", s->name, s->file, s->lineno, s->rx);
	}
	for (i = 0; i < rs->nrules; i++)
		main_check_rule(rs, &rs->rules[i]);
	printf("ok: %zu file%s, %zu source%s, %zu rule%s, %zu channel%s\n",
	    rs->nfiles, rs->nfiles == 1 ? "" : "s", rs->nsources,
	    rs->nsources == 1 ? "" : "s", rs->nrules,
	    rs->nrules == 1 ? "" : "s", rs->nchannels,
	    rs->nchannels == 1 ? "" : "s");
}

/*
 * --state: load before any input (a bad state file stops the run before
 * it could be overwritten), save at the end; the windows and the read
 * registry travel together.
 */
static int
main_state_at(const char *path, struct engine *e, struct registry *reg,
    const struct ruleset *rs, const struct pseudonym *key, int save,
    struct state_producer *prod, char **causep);

static int
main_state(const struct options *o, struct engine *e, struct registry *reg,
    const struct ruleset *rs, const struct pseudonym *key, int save,
    struct state_producer *prod)
{
	return main_state_at(o->state, e, reg, rs, key, save, prod, NULL);
}

/* As main_state(), at path; with causep, the trouble is left there. */
static int
main_state_at(const char *path, struct engine *e, struct registry *reg,
    const struct ruleset *rs, const struct pseudonym *key, int save,
    struct state_producer *prod, char **causep)
{
	struct state_table *tabs;
	struct state_incidents si;
	struct incident **inc;
	const char **names;
	char *cause = NULL;
	size_t i, n = engine_ndetectors(e), ni;
	int rc;

	tabs = xcalloc(n, sizeof(*tabs));
	for (i = 0; i < n; i++) {
		tabs[i].name = rs->detectors[i].name;
		tabs[i].wt = engine_table(e, i);
	}
	ni = engine_incident_trackers(e, &inc);
	names = xcalloc(ni + 1, sizeof(*names));
	si.inc = xcalloc(ni + 1, sizeof(*si.inc));
	si.n = 0;
	for (i = 0; i < ni; i++)
		if (inc[i] != NULL) {
			names[si.n] = rs->rules[i].name;
			si.inc[si.n++] = inc[i];
		}
	si.rules = names;
	if (save)
		rc = state_save_prod(path, tabs, n, &si, reg, prod,
		    main_fingerprint(rs, key), &cause);
	else
		rc = state_load_prod(path, tabs, n, &si, reg, prod,
		    main_fingerprint(rs, key), &cause);
	if (!save && causep == NULL)
		main_state_loaded = rc == 0;
	if (rc == 0 && !save) {
		engine_incidents_loaded(e);
		(void)engine_set_latest(e, wtab_latest(tabs[0].wt),
		    (const char **)&cause);
	}
	free(tabs);
	free(names);
	free(si.inc);
	if (rc == -1 && causep != NULL) {
		*causep = cause;
		return -1;
	}
	if (rc == -1) {
		warnx("%s", cause);
		free(cause);
		return -1;
	}
	return rc;
}

/*
 * --state: lock the state file for the whole run (state_lock()), then
 * load and save the target of its links. -1 after saying why.
 */
static int
main_state_lock(struct options *o, struct state_lock **slp)
{
	char *note, *cause;

	if ((*slp = state_lock(o->state, &note, &cause)) == NULL) {
		warnx("%s", cause);
		free(cause);
		return -1;
	}
	if (note != NULL) {
		warnx("%s", note);
		free(note);
	}
	o->state = state_lock_path(*slp);
	return 0;
}

/* What SIGHUP needs to swap the rules under the live loop. */
struct main_live {
	const struct options	*o;
	struct report		*report;
	struct ruleset		**rsp;
	struct engine		**ep;
	char			**inputs;
	size_t			 ninputs;
};

/*
 * SIGHUP: good rules replace the old ones, keeping every customer's
 * window (engine_reload()); bad ones are reported and the old go on.
 */
static int
main_reload(void *arg)
{
	struct main_live *lv = arg;
	struct ruleset *rs;
	struct engine *e;
	const char *file;
	size_t i;

	if ((rs = main_load(lv->o, "SIGHUP: ")) == NULL) {
		warnx("SIGHUP: the rules have errors; going on with the old "
		    "ones");
		return -1;
	}
	/* The key is read once: a new one would split every window. */
	if (lv->o->pseudonymize == NULL &&
	    ((rs->privacy.keyfile == NULL) !=
	    ((*lv->rsp)->privacy.keyfile == NULL) ||
	    (rs->privacy.keyfile != NULL &&
	    strcmp(rs->privacy.keyfile, (*lv->rsp)->privacy.keyfile) != 0))) {
		warnx("SIGHUP: [settings] pseudonymize changed: restart "
		    "cxwatch to change the key; going on with the old rules");
		rules_free(rs);
		return -1;
	}
	for (i = 0; i < lv->ninputs; i++)
		if (input_forced(*lv->rsp, lv->inputs[i], &file) >= 0 &&
		    input_forced(rs, lv->inputs[i], &file) < 0) {
			warnx("SIGHUP: %s: its source is gone from the rules; "
			    "going on with the old ones", lv->inputs[i]);
			rules_free(rs);
			return -1;
		}
	e = engine_reload(*lv->ep, rs);
	if (lv->report != NULL)
		report_reload(lv->report, rs);
	engine_free(*lv->ep);
	rules_free(*lv->rsp);
	*lv->ep = e;
	*lv->rsp = rs;
	warnx("SIGHUP: rules reloaded: %zu source%s, %zu rule%s",
	    rs->nsources, rs->nsources == 1 ? "" : "s", rs->nrules,
	    rs->nrules == 1 ? "" : "s");
	return 0;
}

/*
 * Standard input alone, from a pipe, socket or terminal, is live: it goes
 * through the event loop as -f does, so that SIGHUP reloads the rules and
 * idle customers are forgotten while it is quiet. Files (and /dev/null)
 * take the batch path.
 */
static int
main_live_stdin(char *const *inputs, size_t ninputs, const struct ruleset *rs)
{
	const char *file;
	struct stat sb;

	if (ninputs != 1)
		return 0;
	(void)input_forced(rs, inputs[0], &file);
	if (strcmp(file, "-") != 0 || fstat(STDIN_FILENO, &sb) == -1)
		return 0;
	return S_ISFIFO(sb.st_mode) || S_ISSOCK(sb.st_mode) ||
	    isatty(STDIN_FILENO);
}

/* --report: to stderr for "-", else a file replaced whole (afile.h). */
static int
main_report(const struct options *o, struct report *report, struct engine *e)
{
	struct afile *af = NULL;
	struct obuf *ob;
	char *cause;
	int fd = STDERR_FILENO, err;

	if (strcmp(o->report, "-") != 0) {
		if ((af = afile_open(o->report, "report", AFILE_MODE_OPEN,
		    &cause)) == NULL)
			goto fail;
		fd = afile_fd(af);
	}
	ob = obuf_new(fd, 64 * 1024);
	report_write(report, ob, o->report_format == 2 ? REPORT_HTML :
	    o->report_format == 1 ? REPORT_JSON :
	    REPORT_TEXT, engine_stats(e));
	obuf_flush(ob);
	err = obuf_error(ob);
	obuf_free(ob);
	if (af != NULL && afile_commit(af, err, &cause) == -1)
		goto fail;
	if (af == NULL && err != 0) {
		warnx("--report: standard error: %s", strerror(err));
		return -1;
	}
	return 0;
fail:
	warnx("%s", cause);
	free(cause);
	return -1;
}

/*
 * --exec, as it goes: a program that could not be run is said once, the
 * first CXW_EXEC_SAID that failed one by one, a full queue once; the
 * rest are counted (main_exec_finish()).
 */
/* Whose job it was: an alert's (CX_CUSTOMER set) or an incident's. */
static void
main_exec_whose(const struct exec_end *x, char *buf, size_t len)
{
	if (x->customer[0] != '\0')
		snprintf(buf, len, "alert for %s", x->customer);
	else
		snprintf(buf, len, "an incident");
}

static void
main_exec_end(void *arg, const struct exec_end *x)
{
	const struct options *o = arg;
	char what[128], whose[WTAB_MAXKEY * 4 + 16];

	main_exec_whose(x, whose, sizeof(whose));
	switch (x->how) {
	case EXEC_NOTRUN:
		if (main_said.notrun++ == 0)
			warnx("--exec: %s (%s): %s: %s; said once, -s counts "
			    "them", o->exec, whose, x->call,
			    strerror(x->code));
		return;
	case EXEC_DROPPED:
		if (main_said.dropped++ == 0)
			warnx("--exec: %s: %d alerts wait already; the %s "
			    "and others until there is room are dropped (said "
			    "once, -s counts them)", o->exec, CXW_EXEC_QUEUE,
			    whose);
		return;
	case EXEC_EXIT:
		if (x->code == -1)
			snprintf(what, sizeof(what), "its exit status was "
			    "lost");
		else
			snprintf(what, sizeof(what), "exit status %d",
			    x->code);
		break;
	case EXEC_SIGNAL:
		snprintf(what, sizeof(what), "killed by signal %d (%s)",
		    x->code, strsignal(x->code));
		break;
	case EXEC_TIMEOUT:
		snprintf(what, sizeof(what), "still running after "
		    "--exec-timeout %gs: killed",
		    (double)o->exec_timeout / 1000);
		break;
	}
	if (main_said.failed++ < CXW_EXEC_SAID)
		warnx("--exec: %s (%s): %s", o->exec, whose, what);
}

/* ", N what" (whats when n > 1) at the end of buf when n is not 0. */
static void
main_count(char *buf, size_t size, uint64_t n, const char *what,
    const char *whats)
{
	size_t len = strlen(buf);

	if (n > 0 && len < size)
		snprintf(buf + len, size - len, "%s%llu %s",
		    len > 0 ? ", " : "", (unsigned long long)n,
		    n == 1 ? what : whats);
}

/*
 * --exec at the end: run what waits, unless stopped (cxwatch(1) --exec:
 * drop the queue, a grace for the programs running, then kill them; a
 * second signal cuts the grace). Any failure is trouble; what was not
 * said one by one is summed up.
 */
static void
main_exec_finish(const struct options *o, struct exec *x)
{
	struct exec_stats st;
	char buf[512];
	uint64_t nsaid;

	if (main_stop || exec_drain(x, &main_stop) == -1)
		exec_stop(x, CXW_EXEC_GRACE, &main_hurry);
	exec_stats(x, &st);
	buf[0] = '\0';
	main_count(buf, sizeof(buf), st.stop_dropped, "queued alert dropped",
	    "queued alerts dropped");
	main_count(buf, sizeof(buf), st.stop_killed, "running program killed",
	    "running programs killed");
	if (buf[0] != '\0')
		warnx("stopped: --exec: %s", buf);
	nsaid = (main_said.failed < CXW_EXEC_SAID ? main_said.failed :
	    CXW_EXEC_SAID) + (main_said.notrun > 0) + (main_said.dropped > 0);
	buf[0] = '\0';
	main_count(buf, sizeof(buf), st.exited_fail, "failed", "failed");
	main_count(buf, sizeof(buf), st.killed, "killed at the timeout",
	    "killed at the timeout");
	main_count(buf, sizeof(buf), st.notrun + st.spawn_failed,
	    "could not be run", "could not be run");
	main_count(buf, sizeof(buf), st.dropped, "alert dropped (queue full)",
	    "alerts dropped (queue full)");
	if (st.exited_fail + st.killed + st.notrun + st.spawn_failed +
	    st.dropped > nsaid)
		warnx("--exec: %s: in all: %s", o->exec, buf);
	if (buf[0] != '\0' || st.stop_dropped + st.stop_killed > 0)
		status_trouble();
}

/* --syslog: the first message lost is said; the rest are counted. */
static void
main_slog_lost(void *arg, int error)
{
	const char *path = arg;

	if (main_said.slog++ == 0)
		warnx("--syslog: %s: %s; alerts that cannot be sent are "
		    "counted (said once)", path, strerror(error));
}

/* --syslog: a bad facility is a usage error. */
static struct slog *
main_slog(const struct options *o)
{
	const char *cause, *path;
	struct slog *sl;

	path = o->syslog_socket != NULL ? o->syslog_socket : "/dev/log";
	if ((sl = slog_new(path, o->syslog_facility != NULL ?
	    o->syslog_facility : "daemon", o->syslog_tag != NULL ?
	    o->syslog_tag : "cxwatch", &cause)) == NULL)
		errx(CXW_EXIT_TROUBLE, "--syslog-facility: \"%s\": %s",
		    o->syslog_facility, cause);
	slog_on_lost(sl, main_slog_lost, (void *)path);
	return sl;
}

/*
 * --syslog before the inputs: a socket nobody listens on is said, and is
 * trouble; the run goes on, and alerts are sent once it answers.
 */
static void
main_slog_check(const struct options *o, struct slog *sl)
{
	int error;

	if ((error = slog_check(sl)) != 0) {
		main_slog_lost((void *)(o->syslog_socket != NULL ?
		    o->syslog_socket : "/dev/log"), error);
		status_trouble();
	}
}

/* --syslog at the end: any message lost is trouble. */
static void
main_slog_finish(const struct options *o, const struct slog *sl)
{
	uint64_t n = slog_lost(sl);

	if (n == 0)
		return;
	warnx("--syslog: %s: %llu alert%s not sent", o->syslog_socket !=
	    NULL ? o->syslog_socket : "/dev/log", (unsigned long long)n,
	    n == 1 ? "" : "s");
	status_trouble();
}

/*
 * Standard output at the end: an error is said, with the alerts it cost,
 * and is trouble; EPIPE (the reader went away) is a quiet stop.
 */
static void
main_out_finish(const struct obuf *out)
{
	unsigned long long n = obuf_unwritten(out);
	int error = obuf_error(out);
	char lost[64] = "";

	if (error == 0 || error == EPIPE)
		return;
	if (n > 0)
		snprintf(lost, sizeof(lost), "; %llu alert%s not written", n,
		    n == 1 ? "" : "s");
	if (error == ECANCELED)
		warnx("standard output: stopped while nobody read it%s", lost);
	else
		warnx("standard output: %s%s", strerror(error), lost);
	status_trouble();
}

/*
 * --threads: as given, else the CPUs this process may run on, at most
 * MAIN_MAXTHREADS. -x describes every line in order as it goes: one.
 */
static unsigned
main_threads(const struct options *o, char *const *inputs, size_t ninputs)
{
	cpu_set_t set;
	size_t i, len;
	int n;

	if (o->explain)
		return 1;
	if (o->threads > 0)
		return (unsigned)o->threads;
	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		n = CPU_COUNT(&set);
	else
		n = (int)sysconf(_SC_NPROCESSORS_ONLN);
	/*
	 * Each gzip file is inflated on a thread of its own (gzread.h):
	 * its CPU is not the workers'. On two CPUs one .gz input runs
	 * 17% faster on one thread than with a worker beside it.
	 */
	for (i = 0; i < ninputs && n > 1; i++)
		if ((len = strlen(inputs[i])) > 3 &&
		    strcmp(inputs[i] + len - 3, ".gz") == 0)
			n--;
	return n < 1 ? 1 : n > MAIN_MAXTHREADS ? MAIN_MAXTHREADS : (unsigned)n;
}

/* The engine's options, from the command line's. */
static void
main_engine_opts(const struct options *o, struct engine_opts *eng)
{
	memset(eng, 0, sizeof(*eng));
	eng->format = o->format == 1 ? ALERT_JSON : ALERT_TEXT;
	eng->evidence = (unsigned)o->evidence;
	eng->max_customers = (size_t)o->max_customers;
	eng->evidence_memory = o->evidence_memory < 0 ? MAIN_EVIDENCE_MEMORY :
	    (size_t)o->evidence_memory;
	eng->explain = o->explain;
	eng->explain_only = o->explain_only;
	eng->quiet = o->quiet;
	eng->simple = o->simple;
	eng->max_line = (size_t)o->max_line;
}

/* --emit and --consume: what goes with them. */
static void
main_dist_check(const struct options *o, int noperands)
{
	if (o->emit != NULL && o->consume != NULL)
		errx(CXW_EXIT_TROUBLE, "--emit and --consume are two stages: "
		    "one or the other");
	if (o->emit == NULL && o->consume == NULL) {
		if (o->partitions != 1 || strcmp(o->emit_subject, "cxwatch"))
			errx(CXW_EXIT_TROUBLE, "--partitions and "
			    "--emit-subject go with --emit or --consume");
		if (o->emit_replicas != 0 || o->nats_auth != NULL ||
		    o->nats_tls_ca != NULL || o->nats_tls_cert != NULL)
			errx(CXW_EXIT_TROUBLE, "--emit-replicas and --nats-* go "
			    "with --emit or --consume");
		return;
	}
	if (o->state != NULL && o->consume != NULL)
		errx(CXW_EXIT_TROUBLE, "--consume keeps its state in the "
		    "stream's checkpoints, not in --state");
	if (o->consume == NULL)
		return;
	if (noperands > 0 || o->follow || o->explain)
		errx(CXW_EXIT_TROUBLE, "--consume reads no files (no file, -f "
		    "or -x)");
	if (o->partition >= o->partitions)
		errx(CXW_EXIT_TROUBLE, "--partition: %lld is not below "
		    "--partitions (%lld)", o->partition, o->partitions);
}

/* --emit: the first try found no server; said once. */
static void
main_bus_note(void *arg, const char *why)
{
	warnx("%s: %s; trying again every second until a server answers "
	    "(SIGTERM stops; -s counts the attempts)", (const char *)arg, why);
}

/* How to reach the servers at urls, from the command line. */
static void
main_bus_conf(const struct options *o, const char *urls, unsigned pending,
    struct bus_conf *conf)
{
	memset(conf, 0, sizeof(*conf));
	conf->urls = urls;
	conf->prefix = o->emit_subject;
	conf->maxpending = pending;
	conf->replicas = (unsigned)o->emit_replicas;
	conf->tls_ca = o->nats_tls_ca;
	conf->tls_cert = o->nats_tls_cert;
	conf->tls_key = o->nats_tls_key;
	conf->auth = o->nats_auth;
	conf->stop = &main_stop;
	conf->hurry = &main_hurry;
	conf->note = main_bus_note;
	conf->note_arg = (void *)(o->emit != NULL ? "--emit" : "--consume");
}

/* --emit: the engine's events go to the bus. */
static struct emit *
main_emit(const struct options *o, const struct ruleset *rs,
    struct engine_opts *eng, struct bus **bp)
{
	char host[256], *cause;
	const char *producer = o->producer;
	struct bus_conf conf;
	int stopped;

	if (producer == NULL) {
		if (gethostname(host, sizeof(host)) == -1)
			err(CXW_EXIT_TROUBLE, "gethostname (try --producer)");
		host[sizeof(host) - 1] = '\0';
		producer = host;
	}
	if (*producer == '\0' || strlen(producer) > MAIN_PRODUCER_MAX)
		errx(CXW_EXIT_TROUBLE, "--producer: a name of 1 to %d bytes",
		    MAIN_PRODUCER_MAX);
	main_bus_conf(o, o->emit, o->emit_pending > 0 ?
	    (unsigned)o->emit_pending : MAIN_EMIT_PENDING, &conf);
	conf.retry = 1;
	if ((*bp = bus_open_conf(&conf, &stopped, &cause)) == NULL) {
		if (stopped)
			warnx("--emit: %s; nothing was published", cause);
		else
			errx(CXW_EXIT_TROUBLE, "--emit: %s", cause);
		exit(CXW_EXIT_TROUBLE);
	}
	eng->emit = emit_line_cb;
	eng->emit_seen = emit_seen_cb;
	eng->emit_arg = emit_new(*bp, rs, o->emit_subject,
	    (unsigned)o->partitions, producer, o->evidence > 0);
	return eng->emit_arg;
}

/* --emit at the end: 0 when every event was acknowledged. */
static int
main_emit_finish(const struct options *o, struct emit *em)
{
	char *cause;

	if (emit_finish(em, &cause) == 0)
		return 0;
	warnx("--emit: %s", cause);
	free(cause);
	if (o->state != NULL)
		warnx("--emit: %s: not saved, as not every event was "
		    "acknowledged; the next run reads again from where it "
		    "says, and the stream keeps one of each event it has "
		    "(within its duplicate window, 2 minutes)", o->state);
	status_trouble();
	return -1;
}

/*
 * --emit with --state: the state is a producer's, of this producer
 * (its sequence numbers go on where it stopped), or none yet.
 */
static int
main_emit_state(const struct options *o, struct emit *em,
    struct state_producer *prod)
{
	const char *name = emit_producer(em);

	if (!main_state_loaded)
		return 0;
	if (!prod->present) {
		warnx("%s: made by a run without --emit; give the producer "
		    "its own --state file, or use --state-reset", o->state);
		return -1;
	}
	if (strcmp(prod->name, name) != 0) {
		warnx("%s: the state of producer %s, not %s; give --producer "
		    "%s, or use --state-reset", o->state, prod->name, name,
		    prod->name);
		return -1;
	}
	emit_set_seq(em, prod->seq);
	return 0;
}

/* --emit with --state: what is saved, all of it acknowledged. */
static int
main_emit_saved(struct emit *em, struct state_producer *prod)
{
	memset(prod, 0, sizeof(*prod));
	(void)snprintf(prod->name, sizeof(prod->name), "%s",
	    emit_producer(em));
	prod->seq = emit_seq(em);
	return 0;
}

/* A live producer's run id: the wall clock's microseconds and the pid. */
static uint64_t
main_runid(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000) ^
	    ((uint64_t)getpid() << 52);
}

/* --consume: a producer that went quiet, or came back. */
static void
main_consume_note(void *arg, const char *producer, int idle)
{
	(void)arg;
	if (idle)
		warnx("--consume: producer %s is silent for longer than "
		    "--producer-timeout: not waited for; its events older "
		    "than those applied will be late", producer);
	else
		warnx("--consume: producer %s is heard from again",
		    producer);
}

/* --consume: the engine's state to or from a checkpoint's file. */
struct main_ckpt {
	struct engine		*e;
	const struct ruleset	*rs;
	const struct pseudonym	*key;
};

static int
main_consume_state(void *arg, const char *path, int save, char **cause)
{
	struct main_ckpt *mc = arg;

	return main_state_at(path, mc->e, NULL, mc->rs, mc->key, save, NULL,
	    cause) == -1 ? -1 : 0;
}

static void
main_worker_note(void *arg, const char *what)
{
	(void)arg;
	warnx("--consume: %s", what);
}

/* --consume: partition K's events into e, until done or stopped. */
static void
main_consume(const struct options *o, struct engine *e,
    const struct ruleset *rs, const struct pseudonym *key, struct obuf *out)
{
	struct consume_stats st;
	struct worker_conf wc;
	struct main_ckpt mc;
	struct bus_conf conf;
	struct bus *b;
	char owner[300], host[256], *cause;
	int stopped;

	main_bus_conf(o, o->consume, 1, &conf);
	conf.retry = 1;
	if ((b = bus_open_conf(&conf, &stopped, &cause)) == NULL)
		errx(CXW_EXIT_TROUBLE, "--consume: %s", cause);
	if (gethostname(host, sizeof(host)) == -1)
		(void)strcpy(host, "localhost");
	host[sizeof(host) - 1] = '\0';
	(void)snprintf(owner, sizeof(owner), "%s:%ld", host, (long)getpid());
	mc.e = e;
	mc.rs = rs;
	mc.key = key;
	memset(&wc, 0, sizeof(wc));
	wc.prefix = o->emit_subject;
	wc.partition = (unsigned)o->partition;
	wc.lease = o->lease;
	wc.every = o->checkpoint_every;
	wc.standby = o->standby;
	wc.reset = o->state_reset;
	wc.owner = owner;
	wc.cc.nproducers = (unsigned)o->producers;
	wc.cc.lateness = o->lateness;
	wc.cc.idle = o->producer_timeout;
	wc.cc.note = main_consume_note;
	wc.state = main_consume_state;
	wc.state_arg = &mc;
	wc.note = main_worker_note;
	wc.stop = &main_stop;
	if (worker_run(b, e, rs, out, &wc, &st, &cause) == -1) {
		warnx("--consume: %s", cause);
		free(cause);
		status_trouble();
	}
	if (st.bad > 0) {
		warnx("--consume: %llu messages not read (the first: %s)",
		    (unsigned long long)st.bad, st.badwhy);
		status_trouble();
	}
	if (st.late > 0)
		warnx("--consume: %llu event%s came after %s place in time "
		    "had gone, applied late", (unsigned long long)st.late,
		    st.late == 1 ? "" : "s", st.late == 1 ? "its" : "their");
	if (st.reweighted > 0)
		warnx("--consume: %llu events weighed otherwise where they "
		    "were matched (are the rules the same?)",
		    (unsigned long long)st.reweighted);
	bus_close(b);
}

/* Parse the command line; usage errors exit 2, --help and -V exit 0. */
static int
main_options(int argc, char **argv, struct options *o)
{
	char *cause;
	int usage, first;

	if ((first = options_parse(argc, argv, o, &cause, &usage)) == -1) {
		warnx("%s", cause);
		free(cause);
		if (usage)
			options_usage(stderr);
		exit(CXW_EXIT_TROUBLE);
	}
	if (o->help) {
		options_help(stdout, CXW_RULESDIR);
		exit(0);
	}
	if (o->version) {
		printf("cxwatch " CXW_VERSION "\n");
		exit(0);
	}
	/* --explain-only is -x, for some lines; --try-source too. */
	if (o->explain_only != 0 || o->try_source != NULL)
		o->explain = 1;
	if (o->try_source != NULL && o->rules.n > 0)
		errx(CXW_EXIT_TROUBLE, "--try-source reads no rules files: "
		    "leave out -r");
	if (o->progress == 1 && o->follow)
		errx(CXW_EXIT_TROUBLE, "--progress is for runs that end, not "
		    "with -f");
	main_dist_check(o, argc - first);
	return first;
}

int
main(int argc, char **argv)
{
	static char dash[] = "-";
	static char *stdin_arg[] = { dash };
	struct options o;
	struct engine_opts eng;
	struct ruleset *rs;
	struct engine *e;
	struct obuf *out, *err;
	struct sigaction sa;
	double start = progress_clock();
	struct input_opts io;
	struct loop_opts lo;
	struct main_live lv;
	struct registry *reg = NULL;
	struct state_lock *slock = NULL;
	struct pseudonym *key;
	struct emit *em = NULL;
	struct bus *bus = NULL;
	sigset_t stopsigs;
	struct state_producer prod = { "", 0, 0 };
	char *xcause;
	int stopped = 0, badstate = 0, live, first, emitfailed = 0;
	char **inputs;
	size_t ninputs;
	int status;

	main_hold_stdio();
	first = main_options(argc, argv, &o);
	/* With the key on the command line, no rules are needed. */
	if (o.pseudonym_of.n > 0 && o.pseudonymize != NULL)
		main_pseudonym_of(&o, main_key(&o, NULL));
	main_engine_opts(&o, &eng);
	if (o.syslog)
		eng.slog = main_slog(&o);
	if ((rs = main_load(&o, "")) == NULL)
		exit(CXW_EXIT_TROUBLE);
	key = main_key(&o, rs);
	if (o.pseudonym_of.n > 0)
		main_pseudonym_of(&o, key);
	eng.pseud = key;
	if (o.check) {
		main_check(rs, key);
		main_check_packs(rs);
		pseudonym_free(key);
		rules_free(rs);
		slog_free(eng.slog);
		options_free(&o);
		return 0;
	}
	/* cxwatch(1) --exec: a program that cannot be started is a usage
	   error. */
	if (o.exec != NULL) {
		eng.exec = exec_new(o.exec, (const char *const *)o.exec_args.v,
		    o.exec_args.n, (unsigned)o.exec_jobs, CXW_EXEC_QUEUE,
		    (double)o.exec_timeout / 1000);
		if (exec_check(eng.exec, &xcause) == -1)
			errx(CXW_EXIT_TROUBLE, "--exec: %s", xcause);
		exec_on_end(eng.exec, main_exec_end, &o);
	}
	if (eng.slog != NULL)
		main_slog_check(&o, eng.slog);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = main_sig;
	sigfillset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* A file size limit must fail the write (EFBIG), not kill us. */
	signal(SIGXFSZ, SIG_IGN);
	/* After the handlers: a wait for the server ends at SIGTERM. */
	if (o.emit != NULL)
		em = main_emit(&o, rs, &eng, &bus);
	out = obuf_new(STDOUT_FILENO, 64 * 1024);
	/* A stop signal ends a write nobody takes: cxwatch(1) SIGTERM. */
	sigemptyset(&stopsigs);
	sigaddset(&stopsigs, SIGINT);
	sigaddset(&stopsigs, SIGTERM);
	obuf_set_stop(out, &main_stop, &stopsigs);
	if (o.report != NULL)
		eng.report = report_new(rs);
	e = engine_new(rs, &eng, out);
	if (o.state != NULL)
		reg = registry_new();
	/* A state file we refuse stops the run before any input is read. */
	if (o.state != NULL && (main_state_lock(&o, &slock) == -1 ||
	    (!o.state_reset && main_state(&o, e, reg, rs, key, 0,
	    em != NULL ? &prod : NULL) == -1) ||
	    (em != NULL && main_emit_state(&o, em, &prod) == -1))) {
		status_trouble();
		badstate = 1;
	}
	inputs = first < argc ? argv + first : stdin_arg;
	ninputs = first < argc ? (size_t)(argc - first) : 1;
	if (em != NULL && (o.follow || main_live_stdin(inputs, ninputs, rs)))
		emit_live(em, main_runid());
	if (eng.report != NULL)
		report_inputs(eng.report, inputs, ninputs);
	io.max_line = (size_t)o.max_line;
	io.merge = !o.nomerge;
	io.out = out;
	io.stop = &main_stop;
	io.usr1 = &main_usr1;
	io.start = start;
	io.progress = o.progress;
	io.registry = reg;
	io.reread = o.reread;
	io.threads = main_threads(&o, inputs, ninputs);
	io.simple = o.simple;
	if (o.consume != NULL) {
		main_consume(&o, e, rs, key, out);
		stopped = main_stop != 0;
	} else if (!badstate && (o.follow ||
	    main_live_stdin(inputs, ninputs, rs))) {
		lo.max_line = (size_t)o.max_line;
		lo.from_start = o.from_start;
		lo.rotate_wait = (double)o.rotate_wait / 1000;
		lo.threads = io.threads;
		lo.simple = o.simple;
		lo.out = out;
		lo.start = start;
		lo.clock = progress_clock;
		lv.o = &o;
		lv.report = eng.report;
		lv.rsp = &rs;
		lv.ep = &e;
		lv.inputs = inputs;
		lv.ninputs = ninputs;
		lo.reload = main_reload;
		lo.exec = eng.exec;
		lo.arg = &lv;
		lo.progress = o.progress == 1;
		lo.tick = em != NULL ? emit_tick_cb : NULL;
		lo.tick_arg = em;
		live = loop_run(inputs, ninputs, &rs, &e, &lo);
		stopped = (live & LOOP_STOPPED) != 0;
		if (live & LOOP_TROUBLE)
			status_trouble();
	} else if (!badstate && input_run(inputs, ninputs, rs, e, &io) == -1)
		status_trouble();
	if (em != NULL && main_emit_finish(&o, em) == -1)
		emitfailed = 1;
	/* cxwatch.rules(5), semantics 13: what --state does not carry ends. */
	if (o.state == NULL || badstate || o.explain)
		engine_finish(e);
	/*
	 * The end: the alerts out (as far as a stop lets them), the state
	 * saved before anything that may wait on others (--exec), then what
	 * went wrong, the stats and the report.
	 */
	obuf_flush(out);
	/* cxwatch(1): -x describes a run; it reads --state, never writes it. */
	if (o.state != NULL && !badstate && !o.explain && !emitfailed &&
	    (em == NULL || main_emit_saved(em, &prod) == 0) &&
	    main_state(&o, e, reg, rs, key, 1, em != NULL ? &prod : NULL) == -1)
		status_trouble();
	if (eng.exec != NULL)
		main_exec_finish(&o, eng.exec);
	if (eng.slog != NULL)
		main_slog_finish(&o, eng.slog);
	main_out_finish(out);
	if (o.stats) {
		err = obuf_new(STDERR_FILENO, 4096);
		engine_stats_write(e, err, progress_clock() - start);
		obuf_free(err);
		if (em != NULL)
			emit_stats_write(em, stderr);
	}
	emit_free(em);
	bus_close(bus);
	if (o.report != NULL && main_report(&o, eng.report, e) == -1)
		status_trouble();
	report_free(eng.report);
	registry_free(reg);
	state_unlock(slock);
	exec_free(eng.exec);
	slog_free(eng.slog);
	/* cxwatch(1): stopped by a signal while following, the run went fine. */
	/* cxwatch(1): --emit raises no alert; 0 when all went out. */
	status = status_exit(engine_stats(e)->wt.alerts > 0 || stopped ||
	    em != NULL);
	obuf_free(out);
	engine_free(e);
	pseudonym_free(key);
	rules_free(rs);
	options_free(&o);
	return status;
}
