/*
 * cxwatch: per-customer bad-experience alerts from web, support and
 * billing logs. main.c parses the command line and wires the modules:
 * rules → engine (match, window table, alerts) ← reader, per input.
 */
#include <sys/stat.h>

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
#include "diag.h"
#include "engine.h"
#include "exec.h"
#include "input.h"
#include "loop.h"
#include "progress.h"
#include "obuf.h"
#include "options.h"
#include "reader.h"
#include "registry.h"
#include "report.h"
#include "rules.h"
#include "rxlint.h"
#include "slog.h"
#include "state.h"
#include "status.h"
#include "tparse.h"
#include "xmalloc.h"

#define CXW_VERSION		"0.1.0"
#define CXW_EXEC_QUEUE		1000	/* alerts waiting for --exec */

#ifndef CXW_RULESDIR
#define CXW_RULESDIR		"/usr/local/etc/cxwatch/rules"
#endif

static volatile sig_atomic_t main_stop;
static volatile sig_atomic_t main_usr1;

/* Batch runs: a handler only sets a flag, checked between lines. */
static void
main_sig(int sig)
{
	if (sig == SIGUSR1)
		main_usr1 = 1;
	else
		main_stop = 1;
}

/*
 * The rules to read: -r, else $CXWATCH_RULES, else the installed rules,
 * else ./rules. The list is o's, or one static fallback.
 */
static void
main_rules_paths(const struct options *o, char ***paths, size_t *npaths)
{
	static char installed[] = CXW_RULESDIR, local[] = "rules";
	static char *fallback[1];
	struct stat st;
	char *env;

	if (o->rules.n > 0) {
		*paths = o->rules.v;
		*npaths = o->rules.n;
		return;
	}
	if ((env = getenv("CXWATCH_RULES")) != NULL && *env != '\0')
		fallback[0] = env;
	else
		fallback[0] = stat(installed, &st) == 0 ? installed : local;
	*paths = fallback;
	*npaths = 1;
}

/* Read o's rules and apply the command line's settings: NULL on errors. */
static struct ruleset *
main_load(const struct options *o, const char *prefix)
{
	struct ruleset *rs;
	struct diag d;
	char **paths;
	size_t i, npaths;

	main_rules_paths(o, &paths, &npaths);
	diag_init(&d);
	rs = rules_load(paths, npaths, &d);
	for (i = 0; i < d.nmsgs; i++)
		warnx("%s%s", prefix, d.msgs[i]);
	diag_free(&d);
	if (rs == NULL)
		return NULL;
	if (o->window >= 0)
		rs->settings.window = o->window;
	if (o->cooldown >= 0)
		rs->settings.cooldown = o->cooldown;
	if (o->threshold >= 0)
		rs->settings.threshold = (uint64_t)o->threshold;
	if (o->channels >= 0)
		rs->settings.channels = (unsigned)o->channels;
	return rs;
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
    int lineno, const struct rx *rx)
{
	char why[512];

	if (rx->code != NULL && rxlint_check(rx->src, why, sizeof(why)) == 1)
		warnx("warning: %s %s (%s:%d): pattern may backtrack "
		    "exponentially: %s", what, name, file, lineno, why);
}

/*
 * -t: one line for the settings, each source and each rule; a warning
 * on stderr for each pattern that may backtrack exponentially (which
 * does not change the exit status).
 */
static void
main_check(const struct ruleset *rs)
{
	const struct source *s;
	const struct rule *r;
	const char *sep;
	size_t i, k;
	uint32_t g;

	printf("settings: window=");
	main_put_duration(rs->settings.window);
	printf(" threshold=%llu cooldown=",
	    (unsigned long long)rs->settings.threshold);
	main_put_duration(rs->settings.cooldown);
	printf(" channels=%u\n", rs->settings.channels);
	for (i = 0; i < rs->nsources; i++) {
		s = &rs->sources[i];
		printf("source %s: channel=%s time=%s fields=", s->name,
		    rs->channels[s->channel], main_time_name(&s->time));
		for (sep = "", g = 1; g <= s->ngroups; g++)
			if (s->groupname[g] != NULL) {
				printf("%s%s", sep, s->groupname[g]);
				sep = ",";
			}
		printf(" rules=%zu (%s:%d)\n", s->nrules, s->file, s->lineno);
		main_check_rx("source", s->name, s->file, s->lineno, &s->rx);
	}
	for (i = 0; i < rs->nrules; i++) {
		r = &rs->rules[i];
		printf("rule %s: source=%s weight=%u match=%s if=%zu (%s:%d)\n",
		    r->name, rs->sources[r->source].name, r->weight,
		    r->rx.code != NULL ? "yes" : "no", r->nconds, r->file,
		    r->lineno);
		main_check_rx("rule", r->name, r->file, r->lineno, &r->rx);
		for (k = 0; k < r->nconds; k++)
			main_check_rx("rule", r->name, r->file, r->lineno,
			    &r->conds[k].rx);
	}
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
main_state(const struct options *o, struct engine *e, struct registry *reg,
    const struct ruleset *rs, int save)
{
	char *cause = NULL;
	int rc;

	if (save)
		rc = state_save(o->state, engine_table(e), reg,
		    rs->fingerprint, &cause);
	else
		rc = state_load(o->state, engine_table(e), reg,
		    rs->fingerprint, &cause);
	if (rc == -1) {
		warnx("%s", cause);
		free(cause);
		return -1;
	}
	return 0;
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
	report_write(report, ob, o->report_format == 1 ? REPORT_JSON :
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

/* The engine's options, from the command line's. */
static void
main_engine_opts(const struct options *o, struct engine_opts *eng)
{
	memset(eng, 0, sizeof(*eng));
	eng->format = o->format == 1 ? ALERT_JSON : ALERT_TEXT;
	eng->evidence = (unsigned)o->evidence;
	eng->max_customers = (size_t)o->max_customers;
	eng->explain = o->explain;
	eng->quiet = o->quiet;
	eng->simple = o->simple;
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
	if (o->progress == 1 && o->follow)
		errx(CXW_EXIT_TROUBLE, "--progress is for runs that end, not "
		    "with -f");
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
	const char *cause;
	int stopped = 0, badstate = 0, live, first;
	char **inputs;
	size_t ninputs;
	int status;

	first = main_options(argc, argv, &o);
	main_engine_opts(&o, &eng);
	if (o.syslog && (eng.slog = slog_new(o.syslog_socket,
	    o.syslog_facility != NULL ? o.syslog_facility : "daemon",
	    o.syslog_tag != NULL ? o.syslog_tag : "cxwatch", &cause)) == NULL)
		errx(CXW_EXIT_TROUBLE, "--syslog-facility: \"%s\": %s",
		    o.syslog_facility, cause);
	if ((rs = main_load(&o, "")) == NULL)
		exit(CXW_EXIT_TROUBLE);
	if (o.check) {
		main_check(rs);
		rules_free(rs);
		slog_free(eng.slog);
		options_free(&o);
		return 0;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = main_sig;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* A file size limit must fail the write (EFBIG), not kill us. */
	signal(SIGXFSZ, SIG_IGN);
	out = obuf_new(STDOUT_FILENO, 64 * 1024);
	if (o.report != NULL)
		eng.report = report_new(rs);
	if (o.exec != NULL)
		eng.exec = exec_new(o.exec, (const char *const *)o.exec_args.v,
		    o.exec_args.n, (unsigned)o.exec_jobs, CXW_EXEC_QUEUE,
		    (double)o.exec_timeout / 1000);
	e = engine_new(rs, &eng, out);
	if (o.state != NULL)
		reg = registry_new();
	/* A state file we refuse stops the run before any input is read. */
	if (o.state != NULL && (main_state_lock(&o, &slock) == -1 ||
	    (!o.state_reset && main_state(&o, e, reg, rs, 0) == -1))) {
		status_trouble();
		badstate = 1;
	}
	inputs = first < argc ? argv + first : stdin_arg;
	ninputs = first < argc ? (size_t)(argc - first) : 1;
	io.max_line = (size_t)o.max_line;
	io.merge = !o.nomerge;
	io.out = out;
	io.stop = &main_stop;
	io.usr1 = &main_usr1;
	io.start = start;
	io.progress = o.progress;
	io.registry = reg;
	io.reread = o.reread;
	if (!badstate && (o.follow || main_live_stdin(inputs, ninputs, rs))) {
		lo.max_line = (size_t)o.max_line;
		lo.from_start = o.from_start;
		lo.rotate_wait = (double)o.rotate_wait / 1000;
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
		live = loop_run(inputs, ninputs, &rs, &e, &lo);
		stopped = (live & LOOP_STOPPED) != 0;
		if (live & LOOP_TROUBLE)
			status_trouble();
	} else if (!badstate && input_run(inputs, ninputs, rs, e, &io) == -1)
		status_trouble();
	obuf_flush(out);
	if (eng.exec != NULL)
		exec_drain(eng.exec);
	/* cxwatch(1): -x describes a run; it reads --state, never writes it. */
	if (o.state != NULL && !badstate && !o.explain &&
	    main_state(&o, e, reg, rs, 1) == -1)
		status_trouble();
	if (obuf_error(out) != 0 && obuf_error(out) != EPIPE) {
		warnx("standard output: %s", strerror(obuf_error(out)));
		status_trouble();
	}
	if (o.stats) {
		err = obuf_new(STDERR_FILENO, 4096);
		engine_stats_write(e, err, progress_clock() - start);
		obuf_free(err);
	}
	if (o.report != NULL && main_report(&o, eng.report, e) == -1)
		status_trouble();
	report_free(eng.report);
	registry_free(reg);
	state_unlock(slock);
	exec_free(eng.exec);
	slog_free(eng.slog);
	/* cxwatch(1): stopped by a signal while following, the run went fine. */
	status = status_exit(engine_stats(e)->wt.alerts > 0 || stopped);
	obuf_free(out);
	engine_free(e);
	rules_free(rs);
	options_free(&o);
	return status;
}
