/*
 * cxwatch: per-customer bad-experience alerts from web, support and
 * billing logs. main.c parses the command line and wires the modules:
 * rules → engine (match, window table, alerts) ← reader, per input.
 */
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
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
#include "reader.h"
#include "report.h"
#include "rules.h"
#include "rxlint.h"
#include "slog.h"
#include "state.h"
#include "tparse.h"
#include "xmalloc.h"

#define CXW_VERSION		"0.1.0"
#define CXW_EXIT_ALERT		0
#define CXW_EXIT_NOALERT	1
#define CXW_EXIT_TROUBLE	2
#define CXW_MAX_LINE		(64 * 1024)
#define CXW_MAX_CUSTOMERS	1000000
#define CXW_EXEC_QUEUE		1000	/* alerts waiting for --exec */
#define CXW_EXEC_TIMEOUT	60.0	/* seconds */
#define CXW_ROTATE_WAIT		10.0	/* seconds; cxwatch(1), -f */

#ifndef CXW_RULESDIR
#define CXW_RULESDIR		"/usr/local/etc/cxwatch/rules"
#endif

struct options {
	char		**rules;
	size_t		  nrules;
	struct engine_opts eng;
	const char	 *window, *cooldown;	/* overrides, as given */
	long long	  threshold, channels;	/* -1: not given */
	size_t		  max_line;
	int		  check, stats, nomerge, progress;
	int		  follow, from_start;
	const char	 *rotate_wait;	/* --rotate-wait, as given */
	const char	 *exec;		/* --exec PROGRAM */
	const char	**exec_args;
	size_t		  nexec_args;
	unsigned	  exec_jobs;
	const char	 *exec_timeout;
	int		  syslog;
	const char	 *syslog_facility, *syslog_tag, *syslog_socket;
	const char	 *report;	/* --report FILE, "-" for stderr */
	const char	 *state;	/* --state FILE */
	int		  state_reset;
	enum report_format report_format;
};

/* What the fill function needs to flush alerts before blocking. */
struct input {
	int		 fd;
	int		 regular;
	struct obuf	*out;
};

static volatile sig_atomic_t main_stop;
static volatile sig_atomic_t main_usr1;
static char *main_default_rules[1];
static int main_trouble;

static void
main_usage(FILE *fp)
{
	fprintf(fp,
	    "usage: cxwatch [-fhqstVx] [-C n] [-c duration] [-e n] "
	    "[-o text|json] [-r rules]\n"
	    "               [-T n] [-w duration] [--max-customers n] "
	    "[--max-line bytes]\n"
	    "               [--from-start] [--no-merge] [--[no-]progress] "
	    "[--report file]\n"
	    "               "
	    "[--report-format fmt] [--rotate-wait duration]\n"
	    "               [--state file [--state-reset]] [--exec program "
	    "[--exec-arg arg]...\n"
	    "               [--exec-jobs n] [--exec-timeout duration]]\n"
	    "               [--syslog [--syslog-facility name] "
	    "[--syslog-tag tag]\n"
	    "               [--syslog-socket path]] [[source=]file ...]\n");
}

static void
main_help(void)
{
	main_usage(stdout);
	printf("\nReads web, support and billing logs, matches failed "
	    "interactions with\nPCRE2 rules and alerts when one customer "
	    "crosses a threshold within a\nsliding window. No file, or -, "
	    "reads standard input; several files\nare merged by the times "
	    "of their lines.\n\n"
	    "  -r, --rules PATH       rules file or directory (default "
	    "$CXWATCH_RULES,\n"
	    "                         " CXW_RULESDIR ", ./rules)\n"
	    "  -o, --format FMT       alerts as text (default) or json "
	    "(JSON Lines)\n"
	    "  -e, --evidence N       evidence lines per alert (default 5, "
	    "0 none)\n"
	    "  -w, --window DUR       override [settings] window (45s, 30m, "
	    "2h, 1d)\n"
	    "  -T, --threshold N      override [settings] threshold\n"
	    "  -c, --cooldown DUR     override [settings] cooldown\n"
	    "  -C, --channels N       override [settings] channels (0 off)\n"
	    "  -t, --check            check the rules, summarise them, exit\n"
	    "      --exec PROGRAM     run PROGRAM for each alert (JSON on "
	    "stdin, CX_* env)\n"
	    "      --exec-arg ARG     an argument for PROGRAM (repeat for "
	    "more)\n"
	    "      --exec-jobs N      at most N at once (default 4)\n"
	    "      --exec-timeout DUR kill one running longer (default "
	    "60s)\n"
	    "      --syslog           also send each alert's line to syslog "
	    "(-q: only there)\n"
	    "      --syslog-facility F  daemon (default), user, local0..7, "
	    "...\n"
	    "      --syslog-tag TAG   default cxwatch\n"
	    "      --syslog-socket P  default /dev/log\n"
	    "  -f, --follow           follow the files as tail -F does, "
	    "until SIGINT/SIGTERM\n"
	    "      --from-start       with -f: read what the files hold "
	    "first\n"
	    "      --rotate-wait DUR  with -f: read a rotated file until "
	    "quiet this long\n"
	    "                         (default 10s)\n"
	    "  -x, --explain          say what happened to every line "
	    "instead of alerting\n"
	    "  -s, --stats            print counters to stderr at the end\n"
	    "      --report FILE      write a summary of the run to FILE "
	    "(- for stderr)\n"
	    "      --report-format F  text (default) or json\n"
	    "      --state FILE       carry the windows over from the last "
	    "run, save at exit\n"
	    "      --state-reset      ignore the state FILE holds, start "
	    "afresh\n"
	    "  -q, --quiet            print no alerts (exit status only)\n"
	    "      --max-customers N  customers tracked at once (default "
	    "1000000)\n"
	    "      --max-line BYTES   longer lines are skipped (default "
	    "65536)\n"
	    "      --no-merge         read several files one after another, "
	    "not by time\n"
	    "      --[no-]progress    a progress line on stderr (default: "
	    "when it is a\n"
	    "                         terminal and the inputs are files)\n"
	    "      --no-prefilter     debugging: run every pattern and parse "
	    "every time in\n"
	    "                         full (slower; the alerts are the "
	    "same)\n"
	    "  -h, --help             this help\n"
	    "  -V, --version          print the version\n\n"
	    "Exit status: 0 an alert was printed, 1 none, 2 trouble.\n"
	    "See cxwatch(1) and cxwatch.rules(5).\n");
}

/* Batch runs: a handler only sets a flag, checked between lines. */
static void
main_sig(int sig)
{
	if (sig == SIGUSR1)
		main_usr1 = 1;
	else
		main_stop = 1;
}

static long long
main_number(const char *opt, const char *s, long long lo, long long hi)
{
	char *end;
	long long n;

	errno = 0;
	n = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || n < lo || n > hi)
		errx(CXW_EXIT_TROUBLE, "%s: \"%s\" is not a whole number from "
		    "%lld to %lld", opt, s, lo, hi);
	return n;
}

/* getopt's own messages name the program by its path: say it our way. */
static void
main_badopt(const char *arg, int opt, const char *what)
{
	if (opt != 0 && strncmp(arg, "--", 2) != 0)
		warnx("-%c %s", opt, what);
	else
		warnx("%.*s %s", (int)strcspn(arg, "="), arg, what);
	main_usage(stderr);
	exit(CXW_EXIT_TROUBLE);
}

static void
main_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "channels", required_argument, NULL, 'C' },
		{ "check", no_argument, NULL, 't' },
		{ "cooldown", required_argument, NULL, 'c' },
		{ "evidence", required_argument, NULL, 'e' },
		{ "exec", required_argument, NULL, 'X' },
		{ "exec-arg", required_argument, NULL, 'A' },
		{ "exec-jobs", required_argument, NULL, 'J' },
		{ "exec-timeout", required_argument, NULL, 'D' },
		{ "explain", no_argument, NULL, 'x' },
		{ "follow", no_argument, NULL, 'f' },
		{ "format", required_argument, NULL, 'o' },
		{ "from-start", no_argument, NULL, 'B' },
		{ "help", no_argument, NULL, 'h' },
		{ "max-customers", required_argument, NULL, 'M' },
		{ "max-line", required_argument, NULL, 'L' },
		{ "no-merge", no_argument, NULL, 'N' },
		{ "no-prefilter", no_argument, NULL, 'Q' },
		{ "no-progress", no_argument, NULL, 'p' },
		{ "progress", no_argument, NULL, 'P' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "report", required_argument, NULL, 'R' },
		{ "report-format", required_argument, NULL, 'F' },
		{ "rotate-wait", required_argument, NULL, 'W' },
		{ "rules", required_argument, NULL, 'r' },
		{ "state", required_argument, NULL, 'S' },
		{ "state-reset", no_argument, NULL, 'Z' },
		{ "stats", no_argument, NULL, 's' },
		{ "syslog", no_argument, NULL, 'G' },
		{ "syslog-facility", required_argument, NULL, 'H' },
		{ "syslog-socket", required_argument, NULL, 'K' },
		{ "syslog-tag", required_argument, NULL, 'I' },
		{ "threshold", required_argument, NULL, 'T' },
		{ "version", no_argument, NULL, 'V' },
		{ "window", required_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	memset(o, 0, sizeof(*o));
	o->eng.format = ALERT_TEXT;
	o->eng.evidence = 5;
	o->eng.max_customers = CXW_MAX_CUSTOMERS;
	o->threshold = o->channels = -1;
	o->max_line = CXW_MAX_LINE;
	o->progress = -1;
	while ((ch = getopt_long(argc, argv, ":C:c:e:fho:qr:stT:Vw:x",
	    longopts, NULL)) != -1) {
		switch (ch) {
		case 'C':
			o->channels = main_number("-C", optarg, 0, 64);
			break;
		case 'c':
			o->cooldown = optarg;
			break;
		case 'e':
			o->eng.evidence = (unsigned)main_number("-e", optarg,
			    0, 1000);
			break;
		case 'A':
			o->exec_args = xreallocarray(o->exec_args,
			    o->nexec_args + 1, sizeof(*o->exec_args));
			o->exec_args[o->nexec_args++] = optarg;
			break;
		case 'B':
			o->from_start = 1;
			break;
		case 'D':
			o->exec_timeout = optarg;
			break;
		case 'G':
			o->syslog = 1;
			break;
		case 'H':
			o->syslog_facility = optarg;
			break;
		case 'I':
			o->syslog_tag = optarg;
			break;
		case 'K':
			o->syslog_socket = optarg;
			break;
		case 'J':
			o->exec_jobs = (unsigned)main_number("--exec-jobs",
			    optarg, 1, 256);
			break;
		case 'X':
			o->exec = optarg;
			break;
		case 'f':
			o->follow = 1;
			break;
		case 'h':
			main_help();
			exit(0);
		case 'L':
			o->max_line = (size_t)main_number("--max-line",
			    optarg, 16, 256 * 1024 * 1024);
			break;
		case 'M':
			o->eng.max_customers = (size_t)main_number(
			    "--max-customers", optarg, 1, 1000000000);
			break;
		case 'N':
			o->nomerge = 1;
			break;
		case 'Q':
			o->eng.simple = 1;
			break;
		case 'p':
			o->progress = 0;
			break;
		case 'P':
			o->progress = 1;
			break;
		case 'o':
			if (strcmp(optarg, "text") == 0)
				o->eng.format = ALERT_TEXT;
			else if (strcmp(optarg, "json") == 0)
				o->eng.format = ALERT_JSON;
			else
				errx(CXW_EXIT_TROUBLE, "-o: \"%s\" is not a "
				    "format (use text or json)", optarg);
			break;
		case 'q':
			o->eng.quiet = 1;
			break;
		case 'R':
			o->report = optarg;
			break;
		case 'F':
			if (strcmp(optarg, "text") == 0)
				o->report_format = REPORT_TEXT;
			else if (strcmp(optarg, "json") == 0)
				o->report_format = REPORT_JSON;
			else
				errx(CXW_EXIT_TROUBLE, "--report-format: \"%s\" "
				    "is not a format (use text or json)", optarg);
			break;
		case 'r':
			o->rules = xreallocarray(o->rules, o->nrules + 1,
			    sizeof(*o->rules));
			o->rules[o->nrules++] = optarg;
			break;
		case 's':
			o->stats = 1;
			break;
		case 'S':
			o->state = optarg;
			break;
		case 'Z':
			o->state_reset = 1;
			break;
		case 't':
			o->check = 1;
			break;
		case 'T':
			o->threshold = main_number("-T", optarg, 1,
			    1000000000);
			break;
		case 'V':
			printf("cxwatch " CXW_VERSION "\n");
			exit(0);
		case 'w':
			o->window = optarg;
			break;
		case 'W':
			o->rotate_wait = optarg;
			break;
		case 'x':
			o->eng.explain = 1;
			break;
		case ':':
			main_badopt(argv[optind - 1], optopt, "needs a value");
			break;
		default:
			main_badopt(argv[optind - 1], optopt, "is not an option");
			break;
		}
	}
}

static void
main_options_free(struct options *o)
{
	free(o->exec_args);
	if (o->rules != main_default_rules)
		free(o->rules);
	else
		free(main_default_rules[0]);
}

static int64_t
main_duration(const char *opt, const char *s, int positive)
{
	int64_t ms;

	if (tp_duration(s, &ms) == -1 || (positive && ms == 0))
		errx(CXW_EXIT_TROUBLE, "%s: \"%s\" is not a %sduration (try "
		    "45s, 30m, 2h, 1d)", opt, s, positive ? "positive " : "");
	return ms;
}

static struct ruleset *main_load(const struct options *, const char *);

/* -r, else $CXWATCH_RULES, else the installed rules, else ./rules. */
static struct ruleset *
main_rules(struct options *o)
{
	char **fallback = main_default_rules;
	struct ruleset *rs;
	struct stat st;

	if (o->nrules == 0) {
		fallback[0] = getenv("CXWATCH_RULES");
		if (fallback[0] == NULL || *fallback[0] == '\0')
			fallback[0] = xstrdup(stat(CXW_RULESDIR, &st) == 0 ?
			    CXW_RULESDIR : "rules");
		else
			fallback[0] = xstrdup(fallback[0]);
		o->rules = fallback;
		o->nrules = 1;
	}
	if ((rs = main_load(o, "")) == NULL)
		exit(CXW_EXIT_TROUBLE);
	return rs;
}

/* Read o's rules and apply the command line's settings: NULL on errors. */
static struct ruleset *
main_load(const struct options *o, const char *prefix)
{
	struct ruleset *rs;
	struct diag d;
	size_t i;

	diag_init(&d);
	rs = rules_load(o->rules, o->nrules, &d);
	for (i = 0; i < d.nmsgs; i++)
		warnx("%s%s", prefix, d.msgs[i]);
	diag_free(&d);
	if (rs == NULL)
		return NULL;
	if (o->window != NULL)
		rs->settings.window = main_duration("-w", o->window, 1);
	if (o->cooldown != NULL)
		rs->settings.cooldown = main_duration("-c", o->cooldown, 0);
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
 * it could be overwritten), save at the end.
 */
static int
main_state(const struct options *o, struct engine *e,
    const struct ruleset *rs, int save)
{
	char *cause = NULL;
	int rc;

	if (save)
		rc = state_save(o->state, engine_table(e), rs->fingerprint,
		    &cause);
	else
		rc = state_load(o->state, engine_table(e), rs->fingerprint,
		    &cause);
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
	if (lv->o->eng.report != NULL)
		report_reload(lv->o->eng.report, rs);
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
main_report(const struct options *o, struct engine *e)
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
	report_write(o->eng.report, ob, o->report_format, engine_stats(e));
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

int
main(int argc, char **argv)
{
	static char dash[] = "-";
	static char *stdin_arg[] = { dash };
	struct options o;
	struct ruleset *rs;
	struct engine *e;
	struct obuf *out, *err;
	struct sigaction sa;
	double start = progress_clock();
	struct input_opts io;
	struct loop_opts lo;
	struct main_live lv;
	struct state_lock *slock = NULL;
	const char *cause;
	double exec_timeout = CXW_EXEC_TIMEOUT;
	double rotate_wait = CXW_ROTATE_WAIT;
	int stopped = 0, badstate = 0, live;
	char **inputs;
	size_t ninputs;
	int status;

	main_options(argc, argv, &o);
	if ((o.from_start || o.rotate_wait != NULL) && !o.follow)
		errx(CXW_EXIT_TROUBLE, "%s goes with -f", o.from_start ?
		    "--from-start" : "--rotate-wait");
	if ((o.exec_args != NULL || o.exec_jobs != 0 || o.exec_timeout != NULL)
	    && o.exec == NULL)
		errx(CXW_EXIT_TROUBLE, "--exec-arg, --exec-jobs and "
		    "--exec-timeout go with --exec PROGRAM");
	if ((o.syslog_facility != NULL || o.syslog_tag != NULL ||
	    o.syslog_socket != NULL) && !o.syslog)
		errx(CXW_EXIT_TROUBLE, "--syslog-facility, --syslog-tag and "
		    "--syslog-socket go with --syslog");
	if (o.progress == 1 && o.follow)
		errx(CXW_EXIT_TROUBLE, "--progress is for runs that end, not "
		    "with -f");
	if (o.state_reset && o.state == NULL)
		errx(CXW_EXIT_TROUBLE, "--state-reset: there is no --state "
		    "FILE to reset");
	/* Every value is checked before anything is allocated. */
	if (o.exec_timeout != NULL)
		exec_timeout = (double)main_duration("--exec-timeout",
		    o.exec_timeout, 1) / 1000;
	if (o.rotate_wait != NULL)
		rotate_wait = (double)main_duration("--rotate-wait",
		    o.rotate_wait, 0) / 1000;
	if (o.syslog && (o.eng.slog = slog_new(o.syslog_socket,
	    o.syslog_facility != NULL ? o.syslog_facility : "daemon",
	    o.syslog_tag != NULL ? o.syslog_tag : "cxwatch", &cause)) == NULL)
		errx(CXW_EXIT_TROUBLE, "--syslog-facility: \"%s\": %s",
		    o.syslog_facility, cause);
	rs = main_rules(&o);
	if (o.check) {
		main_check(rs);
		rules_free(rs);
		slog_free(o.eng.slog);
		main_options_free(&o);
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
		o.eng.report = report_new(rs);
	if (o.exec != NULL)
		o.eng.exec = exec_new(o.exec, o.exec_args, o.nexec_args,
		    o.exec_jobs, CXW_EXEC_QUEUE, exec_timeout);
	e = engine_new(rs, &o.eng, out);
	/* A state file we refuse stops the run before any input is read. */
	if (o.state != NULL && (main_state_lock(&o, &slock) == -1 ||
	    (!o.state_reset && main_state(&o, e, rs, 0) == -1))) {
		main_trouble = 1;
		badstate = 1;
	}
	inputs = optind < argc ? argv + optind : stdin_arg;
	ninputs = optind < argc ? (size_t)(argc - optind) : 1;
	io.max_line = o.max_line;
	io.merge = !o.nomerge;
	io.out = out;
	io.stop = &main_stop;
	io.usr1 = &main_usr1;
	io.start = start;
	io.progress = o.progress;
	if (!badstate && (o.follow || main_live_stdin(inputs, ninputs, rs))) {
		lo.max_line = o.max_line;
		lo.from_start = o.from_start;
		lo.out = out;
		lo.start = start;
		lo.clock = progress_clock;
		lv.o = &o;
		lv.rsp = &rs;
		lv.ep = &e;
		lv.inputs = inputs;
		lv.ninputs = ninputs;
		lo.reload = main_reload;
		lo.exec = o.eng.exec;
		lo.arg = &lv;
		lo.progress = o.progress == 1;
		lo.rotate_wait = rotate_wait;
		live = loop_run(inputs, ninputs, &rs, &e, &lo);
		stopped = (live & LOOP_STOPPED) != 0;
		if (live & LOOP_TROUBLE)
			main_trouble = 1;
	} else if (!badstate && input_run(inputs, ninputs, rs, e, &io) == -1)
		main_trouble = 1;
	obuf_flush(out);
	if (o.eng.exec != NULL)
		exec_drain(o.eng.exec);
	if (o.state != NULL && !badstate && main_state(&o, e, rs, 1) == -1)
		main_trouble = 1;
	if (obuf_error(out) != 0 && obuf_error(out) != EPIPE) {
		warnx("standard output: %s", strerror(obuf_error(out)));
		main_trouble = 1;
	}
	if (o.stats) {
		err = obuf_new(STDERR_FILENO, 4096);
		engine_stats_write(e, err, progress_clock() - start);
		obuf_free(err);
	}
	if (o.report != NULL && main_report(&o, e) == -1)
		main_trouble = 1;
	report_free(o.eng.report);
	state_unlock(slock);
	exec_free(o.eng.exec);
	slog_free(o.eng.slog);
	/* cxwatch(1): stopped by a signal while following, the run went fine. */
	status = engine_stats(e)->wt.alerts > 0 || stopped ? CXW_EXIT_ALERT :
	    CXW_EXIT_NOALERT;
	if (main_trouble)
		status = CXW_EXIT_TROUBLE;
	obuf_free(out);
	engine_free(e);
	rules_free(rs);
	main_options_free(&o);
	return status;
}
