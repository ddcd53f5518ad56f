/*
 * options: the table of cxwatch's options and what is made from it. See
 * options.h. Each row says everything about one option; the parser, the
 * synopsis and --help walk the table, so an option cannot be parsed but
 * missing from --help, or documented with a range it does not check.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "suggest.h"
#include "tparse.h"
#include "xmalloc.h"

enum options_type {
	OPT_FLAG,	/* int field = value (1 unless given) */
	OPT_STR,	/* const char * field */
	OPT_LIST,	/* struct options_list field, repeatable */
	OPT_NUM,	/* long long field, lo..hi */
	OPT_DUR,	/* int64_t ms field; lo 1: must be positive */
	OPT_SIZE,	/* long long bytes field, lo..hi; K, M, G suffixes */
	OPT_ENUM,	/* int field = index into choices */
	OPT_SET,	/* unsigned field |= 1 << index of each of the
			   comma-separated choices; repeatable */
	OPT_ACTION	/* int field = 1: --help, --version */
};

struct options_entry {
	const char		*name;		/* long name */
	int			 shortc;	/* 0: long only */
	enum options_type	 type;
	size_t			 off;		/* offsetof(struct options, ...) */
	const char		*arg;		/* in the synopsis: "n" */
	const char		*harg;		/* in --help: "N" */
	long long		 lo, hi;	/* OPT_NUM; OPT_DUR: lo = 1 */
	int			 value;		/* OPT_FLAG: what is set */
	const char *const	*choices;	/* OPT_ENUM, OPT_SET;
						   NULL-terminated */
	const char		*needs;		/* long name it goes with;
						   "a|b": either */
	const char		*usage;		/* NULL: made from the row;
						   "": shown with another's */
	const char		*help;		/* --help text; \n continues */
};

#define OPT(f)	offsetof(struct options, f)

static const char *const options_formats[] = { "text", "json", NULL };
static const char *const options_report_formats[] = { "text", "json", "html",
    NULL };
/* In the order of engine.h's ENGINE_X_* bits. */
static const char *const options_explain_only[] = { "event", "norule",
    "unclaimed", "ignored", NULL };

/*
 * In the synopsis order of cxwatch(1): short options first, then the
 * long ones. --help lists them in this order too.
 */
static const struct options_entry options_table[] = {
	{ .name = "follow", .shortc = 'f', .type = OPT_FLAG,
	  .off = OPT(follow), .value = 1,
	  .help = "follow the files as tail -F does, until SIGINT/SIGTERM" },
	{ .name = "help", .shortc = 'h', .type = OPT_ACTION, .off = OPT(help),
	  .help = "this help" },
	{ .name = "quiet", .shortc = 'q', .type = OPT_FLAG, .off = OPT(quiet),
	  .value = 1, .help = "print no alerts (exit status only)" },
	{ .name = "stats", .shortc = 's', .type = OPT_FLAG, .off = OPT(stats),
	  .value = 1, .help = "print counters to stderr at the end" },
	{ .name = "check", .shortc = 't', .type = OPT_FLAG, .off = OPT(check),
	  .value = 1, .help = "check the rules, summarise them, exit" },
	{ .name = "version", .shortc = 'V', .type = OPT_ACTION,
	  .off = OPT(version), .help = "print the version" },
	{ .name = "explain", .shortc = 'x', .type = OPT_FLAG,
	  .off = OPT(explain), .value = 1,
	  .help = "say what happened to every line instead of alerting" },
	{ .name = "channels", .shortc = 'C', .type = OPT_NUM,
	  .off = OPT(channels), .arg = "n", .harg = "N", .lo = 0, .hi = 64,
	  .help = "override [settings] channels (0 off)" },
	{ .name = "cooldown", .shortc = 'c', .type = OPT_DUR,
	  .off = OPT(cooldown), .arg = "duration", .harg = "DUR",
	  .help = "override [settings] cooldown" },
	{ .name = "evidence", .shortc = 'e', .type = OPT_NUM,
	  .off = OPT(evidence), .arg = "n", .harg = "N", .lo = 0, .hi = 1000,
	  .help = "evidence lines per alert (default 5, 0 none)" },
	{ .name = "format", .shortc = 'o', .type = OPT_ENUM,
	  .off = OPT(format), .harg = "FMT", .choices = options_formats,
	  .usage = "[-o text | json]",
	  .help = "alerts as text (default) or json (JSON Lines)" },
	{ .name = "rules", .shortc = 'r', .type = OPT_LIST, .off = OPT(rules),
	  .arg = "rules", .harg = "PATH",
	  .help = "rules file or directory (default $CXWATCH_RULES,\n"
	  "@RULESDIR@, ./rules)" },
	{ .name = "threshold", .shortc = 'T', .type = OPT_NUM,
	  .off = OPT(threshold), .arg = "n", .harg = "N", .lo = 1,
	  .hi = 1000000000, .help = "override [settings] threshold" },
	{ .name = "window", .shortc = 'w', .type = OPT_DUR, .off = OPT(window),
	  .arg = "duration", .harg = "DUR", .lo = 1,
	  .help = "override [settings] window (45s, 30m, 2h, 1d)" },
	{ .name = "evidence-memory", .type = OPT_SIZE,
	  .off = OPT(evidence_memory), .arg = "size", .harg = "SIZE",
	  .lo = 0, .hi = (long long)1 << 40,
	  .help = "evidence lines held at most, all customers together\n"
	  "(default 128M; K, M, G)" },
	{ .name = "explain-only", .type = OPT_SET, .off = OPT(explain_only),
	  .arg = "what", .harg = "WHAT", .choices = options_explain_only,
	  .usage = "[--explain-only event,norule,unclaimed,ignored]",
	  .help = "-x, only for these lines: a rule's (event), claimed\n"
	  "but no rule (norule), no source's (unclaimed), no\n"
	  "customer, anonymous, bad time or unparsable (ignored)" },
	{ .name = "from-start", .type = OPT_FLAG, .off = OPT(from_start),
	  .value = 1, .needs = "follow",
	  .help = "with -f: read what the files hold first" },
	{ .name = "max-customers", .type = OPT_NUM, .off = OPT(max_customers),
	  .arg = "n", .harg = "N", .lo = 1, .hi = 1000000000,
	  .help = "customers tracked at once (default 1000000)" },
	{ .name = "max-line", .type = OPT_NUM, .off = OPT(max_line),
	  .arg = "bytes", .harg = "BYTES", .lo = 16, .hi = 256 * 1024 * 1024,
	  .help = "longer lines are skipped (default 65536)" },
	{ .name = "no-merge", .type = OPT_FLAG, .off = OPT(nomerge),
	  .value = 1,
	  .help = "read several files one after another, not by time" },
	{ .name = "no-prefilter", .type = OPT_FLAG, .off = OPT(simple),
	  .value = 1, .usage = "",
	  .help = "debugging: run every pattern and parse every time in\n"
	  "full (slower; the alerts are the same)" },
	{ .name = "progress", .type = OPT_FLAG, .off = OPT(progress),
	  .value = 1, .usage = "[--progress | --no-progress]",
	  .help = "a progress line on stderr (default: when it is a\n"
	  "terminal and the inputs are files)" },
	{ .name = "no-progress", .type = OPT_FLAG, .off = OPT(progress),
	  .value = 0, .usage = "", .help = "never show the progress line" },
	{ .name = "report", .type = OPT_STR, .off = OPT(report),
	  .arg = "file", .harg = "FILE",
	  .help = "write a summary of the run to FILE (- for stderr)" },
	{ .name = "report-format", .type = OPT_ENUM,
	  .off = OPT(report_format), .harg = "F",
	  .choices = options_report_formats, .needs = "report",
	  .usage = "[--report-format text | json | html]",
	  .help = "text (default), json, or html (one page to open in a\n"
	  "browser)" },
	{ .name = "rotate-wait", .type = OPT_DUR, .off = OPT(rotate_wait),
	  .arg = "duration", .harg = "DUR", .needs = "follow",
	  .help = "with -f: read a rotated file until quiet this long\n"
	  "(default 10s)" },
	{ .name = "state", .type = OPT_STR, .off = OPT(state), .arg = "file",
	  .harg = "FILE",
	  .usage = "[--state file [--state-reset] [--reread]]",
	  .help = "carry the windows over from the last run, save at exit" },
	{ .name = "state-reset", .type = OPT_FLAG, .off = OPT(state_reset),
	  .value = 1, .needs = "state|consume", .usage = "",
	  .help = "ignore the state FILE (or --consume's checkpoint)\n"
	  "holds, start afresh" },
	{ .name = "reread", .type = OPT_FLAG, .off = OPT(reread), .value = 1,
	  .needs = "state", .usage = "",
	  .help = "read every file from its start, even what --state\n"
	  "says was read before" },
	{ .name = "try-source", .type = OPT_STR, .off = OPT(try_source),
	  .arg = "regex", .harg = "RX",
	  .usage = "[--try-source regex [--try-rule expression ...]]",
	  .help = "-x with no rules files but a source of this pattern\n"
	  "(named groups, customer among them) and one rule" },
	{ .name = "try-rule", .type = OPT_LIST, .off = OPT(try_rule),
	  .arg = "expression", .harg = "EXPR", .needs = "try-source",
	  .usage = "", .help = "an \"if\" of that rule: FIELD OP VALUE (repeat: all\n"
	  "must hold)" },
	{ .name = "pseudonymize", .type = OPT_STR, .off = OPT(pseudonymize),
	  .arg = "keyfile", .harg = "KEY",
	  .help = "replace every customer id by its keyed pseudonym\n"
	  "(HMAC-SHA256; KEY: 32+ random bytes, mode 600)" },
	{ .name = "pseudonym-of", .type = OPT_LIST, .off = OPT(pseudonym_of),
	  .arg = "id", .harg = "ID", .usage = "[--pseudonym-of id ...]",
	  .help = "print the pseudonym of ID and exit (repeat for more)" },
	{ .name = "exec", .type = OPT_STR, .off = OPT(exec), .arg = "program",
	  .harg = "PROGRAM",
	  .usage = "[--exec program [--exec-arg arg ...] [--exec-jobs n] "
	  "[--exec-timeout duration]]",
	  .help = "run PROGRAM for each alert (JSON on stdin, CX_* env)" },
	{ .name = "exec-arg", .type = OPT_LIST, .off = OPT(exec_args),
	  .arg = "arg", .harg = "ARG", .needs = "exec", .usage = "",
	  .help = "an argument for PROGRAM (repeat for more)" },
	{ .name = "exec-jobs", .type = OPT_NUM, .off = OPT(exec_jobs),
	  .arg = "n", .harg = "N", .lo = 1, .hi = 256, .needs = "exec",
	  .usage = "", .help = "at most N at once (default 4)" },
	{ .name = "exec-timeout", .type = OPT_DUR, .off = OPT(exec_timeout),
	  .arg = "duration", .harg = "DUR", .lo = 1, .needs = "exec",
	  .usage = "", .help = "kill one running longer (default 60s)" },
	{ .name = "threads", .type = OPT_NUM, .off = OPT(threads),
	  .arg = "n", .harg = "N", .lo = 1, .hi = 64,
	  .help = "threads that read lines (default: the CPUs, at most 8;\n"
	  "1: one thread does everything)" },
	{ .name = "syslog", .type = OPT_FLAG, .off = OPT(syslog), .value = 1,
	  .usage = "[--syslog [--syslog-facility name] [--syslog-tag tag] "
	  "[--syslog-socket path]]",
	  .help = "also send each alert's line to syslog (-q: only there)" },
	{ .name = "syslog-facility", .type = OPT_STR,
	  .off = OPT(syslog_facility), .arg = "name", .harg = "F",
	  .needs = "syslog", .usage = "",
	  .help = "daemon (default), user, local0..7, ..." },
	{ .name = "syslog-tag", .type = OPT_STR, .off = OPT(syslog_tag),
	  .arg = "tag", .harg = "TAG", .needs = "syslog", .usage = "",
	  .help = "default cxwatch" },
	{ .name = "syslog-socket", .type = OPT_STR, .off = OPT(syslog_socket),
	  .arg = "path", .harg = "P", .needs = "syslog", .usage = "",
	  .help = "default /dev/log" },
	{ .name = "emit", .type = OPT_STR, .off = OPT(emit), .arg = "url",
	  .harg = "URL", .usage = "[--emit url [--producer name]]",
	  .help = "publish the events to NATS JetStream at URL\n"
	  "(nats://host:port[,...]) instead of alerting" },
	{ .name = "producer", .type = OPT_STR, .off = OPT(producer),
	  .arg = "name", .harg = "NAME", .needs = "emit", .usage = "",
	  .help = "this producer's name (default: the host name)" },
	{ .name = "consume", .type = OPT_STR, .off = OPT(consume),
	  .arg = "url", .harg = "URL",
	  .usage = "[--consume url [--partition k] [--producers n] "
	  "[--lateness duration] [--producer-timeout duration] "
	  "[--checkpoint-every duration] [--lease duration] [--standby]]",
	  .help = "alert on partition K's events, from NATS JetStream" },
	{ .name = "partition", .type = OPT_NUM, .off = OPT(partition),
	  .arg = "k", .harg = "K", .lo = 0, .hi = 1023, .needs = "consume",
	  .usage = "", .help = "the partition to consume, 0 (default) to P-1" },
	{ .name = "producers", .type = OPT_NUM, .off = OPT(producers),
	  .arg = "n", .harg = "N", .lo = 1, .hi = 100000, .needs = "consume",
	  .usage = "", .help = "wait for N producers; end when all have" },
	{ .name = "lateness", .type = OPT_DUR, .off = OPT(lateness),
	  .arg = "duration", .harg = "DUR", .lo = 0, .needs = "consume",
	  .usage = "", .help = "hold events DUR of log time longer for stragglers\n"
	  "(default 0)" },
	{ .name = "producer-timeout", .type = OPT_DUR,
	  .off = OPT(producer_timeout), .arg = "duration", .harg = "DUR",
	  .lo = 0, .needs = "consume", .usage = "",
	  .help = "a producer silent this long holds nothing back\n"
	  "(default 10s, 0 never)" },
	{ .name = "checkpoint-every", .type = OPT_DUR,
	  .off = OPT(checkpoint_every), .arg = "duration", .harg = "DUR",
	  .lo = 1, .needs = "consume", .usage = "",
	  .help = "save the partition's state this often (default 5s)" },
	{ .name = "lease", .type = OPT_DUR, .off = OPT(lease),
	  .arg = "duration", .harg = "DUR", .lo = 1, .needs = "consume",
	  .usage = "", .help = "how long a partition's owner may be silent before\n"
	  "a standby takes over (default 10s)" },
	{ .name = "standby", .type = OPT_FLAG, .off = OPT(standby),
	  .value = 1, .needs = "consume", .usage = "",
	  .help = "wait for the partition's lease, then take over" },
	{ .name = "emit-subject", .type = OPT_STR, .off = OPT(emit_subject),
	  .arg = "prefix", .harg = "PREFIX",
	  .help = "the stream and its subjects' prefix (default cxwatch)" },
	{ .name = "partitions", .type = OPT_NUM, .off = OPT(partitions),
	  .arg = "n", .harg = "P", .lo = 1, .hi = 1024,
	  .help = "partitions by customer (default 1)" },
	{ .name = "emit-replicas", .type = OPT_NUM, .off = OPT(emit_replicas),
	  .arg = "n", .harg = "N", .lo = 1, .hi = 5,
	  .help = "the stream's replicas when it is made (default 1;\n"
	  "3 on a JetStream cluster of three)" },
	{ .name = "emit-pending", .type = OPT_NUM, .off = OPT(emit_pending),
	  .arg = "n", .harg = "N", .lo = 1, .hi = 1000000, .needs = "emit",
	  .help = "events in flight, not yet acknowledged, at most\n"
	  "(default 4096)" },
	{ .name = "nats-auth", .type = OPT_STR, .off = OPT(nats_auth),
	  .arg = "file", .harg = "FILE",
	  .help = "NATS credentials: FILE's first line, user:password\n"
	  "or a token" },
	{ .name = "nats-tls-ca", .type = OPT_STR, .off = OPT(nats_tls_ca),
	  .arg = "file", .harg = "FILE",
	  .help = "TLS to NATS, trusting the CA certificates in FILE" },
	{ .name = "nats-tls-cert", .type = OPT_STR, .off = OPT(nats_tls_cert),
	  .arg = "file", .harg = "FILE", .needs = "nats-tls-key",
	  .usage = "[--nats-tls-cert file --nats-tls-key file]",
	  .help = "TLS to NATS with this client certificate (PEM) ..." },
	{ .name = "nats-tls-key", .type = OPT_STR, .off = OPT(nats_tls_key),
	  .arg = "file", .harg = "FILE", .needs = "nats-tls-cert",
	  .usage = "", .help = "... and its private key (PEM)" },
};

#define OPTIONS_N	(sizeof(options_table) / sizeof(options_table[0]))

static const struct options_entry *
options_find_short(int c)
{
	size_t i;

	for (i = 0; i < OPTIONS_N; i++)
		if (options_table[i].shortc == c)
			return &options_table[i];
	return NULL;
}

static int
options_has_arg(const struct options_entry *e)
{
	return e->type != OPT_FLAG && e->type != OPT_ACTION;
}

/* "-w" for an option with a short name, else "--name". */
static char *
options_label(const struct options_entry *e)
{
	return e->shortc != 0 ? xasprintf("-%c", e->shortc) :
	    xasprintf("--%s", e->name);
}

static char *
options_number(const struct options_entry *e, const char *s, void *field)
{
	char *end, *lab, *cause;
	long long n;

	errno = 0;
	n = strtoll(s, &end, 10);
	if (*s != '\0' && *end == '\0' && errno == 0 && n >= e->lo &&
	    n <= e->hi) {
		*(long long *)field = n;
		return NULL;
	}
	lab = options_label(e);
	cause = xasprintf("%s: \"%s\" is not a whole number from %lld to %lld",
	    lab, s, e->lo, e->hi);
	free(lab);
	return cause;
}

/* A byte count: digits, then nothing, K, M or G (powers of 1024). */
static char *
options_size(const struct options_entry *e, const char *s, void *field)
{
	char *end, *lab, *cause;
	long long n;
	int shift = 0;

	errno = 0;
	n = strtoll(s, &end, 10);
	if (end != s && *s != '-' && *s != '+' && errno == 0) {
		switch (*end) {
		case 'k': case 'K': shift = 10; end++; break;
		case 'm': case 'M': shift = 20; end++; break;
		case 'g': case 'G': shift = 30; end++; break;
		}
		if (*end == '\0' && n <= (e->hi >> shift) &&
		    (n << shift) >= e->lo) {
			*(long long *)field = n << shift;
			return NULL;
		}
	}
	lab = options_label(e);
	cause = xasprintf("%s: \"%s\" is not a size (try 0, 500K, 128M, 2G)",
	    lab, s);
	free(lab);
	return cause;
}

static char *
options_duration(const struct options_entry *e, const char *s, void *field)
{
	char *lab, *cause;
	int64_t ms;

	if (tp_duration(s, &ms) == 0 && (e->lo == 0 || ms > 0)) {
		*(int64_t *)field = ms;
		return NULL;
	}
	lab = options_label(e);
	cause = xasprintf("%s: \"%s\" is not a %sduration (try 45s, 30m, 2h, "
	    "1d)", lab, s, e->lo != 0 ? "positive " : "");
	free(lab);
	return cause;
}

static char	*options_not_choice(const struct options_entry *,
		    const char *, size_t);

static char *
options_choice(const struct options_entry *e, const char *s, void *field)
{
	int i;

	for (i = 0; e->choices[i] != NULL; i++)
		if (strcmp(e->choices[i], s) == 0) {
			*(int *)field = i;
			return NULL;
		}
	return options_not_choice(e, s, strlen(s));
}

/* "-o: "x" is not one of text, json" */
static char *
options_not_choice(const struct options_entry *e, const char *s, size_t n)
{
	char *lab, *cause, *list = xstrdup(""), *t;
	int i;

	for (i = 0; e->choices[i] != NULL; i++) {
		t = xasprintf("%s%s%s", list, i == 0 ? "" :
		    e->choices[i + 1] == NULL ? " or " : ", ", e->choices[i]);
		free(list);
		list = t;
	}
	lab = options_label(e);
	cause = xasprintf("%s: \"%.*s\" is not one of %s", lab, (int)n, s,
	    list);
	free(lab);
	free(list);
	return cause;
}

/* OPT_SET: "event,norule". */
static char *
options_set_words(const struct options_entry *e, const char *s, void *field)
{
	size_t n;
	int i;

	for (;;) {
		n = strcspn(s, ",");
		for (i = 0; e->choices[i] != NULL; i++)
			if (strlen(e->choices[i]) == n &&
			    strncmp(e->choices[i], s, n) == 0)
				break;
		if (e->choices[i] == NULL)
			return options_not_choice(e, s, n);
		*(unsigned *)field |= 1u << i;
		if (s[n] == '\0')
			return NULL;
		s += n + 1;
	}
}

/* Store optarg as e says; NULL, or what is wrong with it. */
static char *
options_set(const struct options_entry *e, struct options *o, char *arg)
{
	void *field = (char *)o + e->off;
	struct options_list *l;

	switch (e->type) {
	case OPT_FLAG:
		*(int *)field = e->value;
		return NULL;
	case OPT_ACTION:
		*(int *)field = 1;
		return NULL;
	case OPT_STR:
		*(const char **)field = arg;
		return NULL;
	case OPT_LIST:
		l = field;
		l->v = xreallocarray(l->v, l->n + 1, sizeof(*l->v));
		l->v[l->n++] = arg;
		return NULL;
	case OPT_NUM:
		return options_number(e, arg, field);
	case OPT_DUR:
		return options_duration(e, arg, field);
	case OPT_SIZE:
		return options_size(e, arg, field);
	case OPT_ENUM:
		return options_choice(e, arg, field);
	case OPT_SET:
		return options_set_words(e, arg, field);
	}
	return NULL;
}

static void
options_defaults(struct options *o)
{
	memset(o, 0, sizeof(*o));
	o->evidence = 5;
	o->window = o->cooldown = -1;
	o->threshold = o->channels = -1;
	o->max_customers = 1000000;
	o->max_line = 64 * 1024;
	o->evidence_memory = -1;
	o->threads = -1;
	o->progress = -1;
	o->exec_timeout = 60000;
	o->rotate_wait = 10000;
	o->emit_subject = "cxwatch";
	o->partitions = 1;
	o->producer_timeout = 10000;
	o->checkpoint_every = 5000;
	o->lease = 10000;
}

/* getopt_long's tables, made from ours. */
static void
options_getopt(struct option *longopts, char *shortopts)
{
	size_t i, k = 0;

	shortopts[k++] = ':';
	for (i = 0; i < OPTIONS_N; i++) {
		longopts[i].name = options_table[i].name;
		longopts[i].has_arg = options_has_arg(&options_table[i]) ?
		    required_argument : no_argument;
		longopts[i].flag = NULL;
		longopts[i].val = 256 + (int)i;
		if (options_table[i].shortc != 0) {
			shortopts[k++] = (char)options_table[i].shortc;
			if (options_has_arg(&options_table[i]))
				shortopts[k++] = ':';
		}
	}
	memset(&longopts[OPTIONS_N], 0, sizeof(longopts[OPTIONS_N]));
	shortopts[k] = '\0';
}

/* "--bogus is not an option", with the closest long name when near. */
static char *
options_unknown(const char *arg, int opt)
{
	struct suggest sg;
	const char *best;
	char *word, *cause;
	size_t i;

	if (opt != 0 && strncmp(arg, "--", 2) != 0)
		return xasprintf("-%c is not an option", opt);
	word = xstrndup(arg, strcspn(arg, "="));
	suggest_init(&sg, word + 2);
	for (i = 0; i < OPTIONS_N; i++)
		suggest_try(&sg, options_table[i].name);
	if ((best = suggest_best(&sg)) != NULL)
		cause = xasprintf("%s is not an option (did you mean --%s?)",
		    word, best);
	else
		cause = xasprintf("%s is not an option", word);
	free(word);
	return cause;
}

static char *
options_novalue(const char *arg, int opt)
{
	if (opt != 0 && strncmp(arg, "--", 2) != 0)
		return xasprintf("-%c needs a value", opt);
	return xasprintf("%.*s needs a value", (int)strcspn(arg, "="), arg);
}

/* Every option given that goes with another needs that other. */
static char *
options_needs(const unsigned char *given)
{
	const struct options_entry *e, *n;
	char *a, *b, *cause, *all;
	const char *w, *bar;
	size_t i, j, len;
	int ok;

	for (i = 0; i < OPTIONS_N; i++) {
		e = &options_table[i];
		if (!given[i] || e->needs == NULL)
			continue;
		/* "a|b": either will do. */
		ok = 0;
		all = NULL;
		for (w = e->needs; !ok && *w != '\0'; w = *bar ? bar + 1 : bar) {
			bar = w + strcspn(w, "|");
			len = (size_t)(bar - w);
			for (j = 0; j < OPTIONS_N; j++)
				if (strlen(options_table[j].name) == len &&
				    strncmp(options_table[j].name, w, len) == 0)
					break;
			if (given[j]) {
				ok = 1;
				break;
			}
			n = &options_table[j];
			b = options_label(n);
			cause = n->arg != NULL ? xasprintf("%s%s%s %s",
			    all ? all : "", all ? " or " : "", b, n->harg) :
			    xasprintf("%s%s%s", all ? all : "", all ? " or " : "",
			    b);
			free(b);
			free(all);
			all = cause;
		}
		if (ok) {
			free(all);
			continue;
		}
		a = options_label(e);
		cause = xasprintf("%s goes with %s", a, all);
		free(a);
		free(all);
		return cause;
	}
	return NULL;
}

int
options_parse(int argc, char **argv, struct options *o, char **cause,
    int *usage)
{
	struct option longopts[OPTIONS_N + 1];
	char shortopts[2 * OPTIONS_N + 2];
	unsigned char given[OPTIONS_N];
	const struct options_entry *e;
	int ch;

	options_defaults(o);
	options_getopt(longopts, shortopts);
	memset(given, 0, sizeof(given));
	*usage = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, shortopts, longopts, NULL)) !=
	    -1) {
		if (ch == ':' || ch == '?') {
			*usage = 1;
			*cause = ch == ':' ? options_novalue(argv[optind - 1],
			    optopt) : options_unknown(argv[optind - 1], optopt);
			return -1;
		}
		e = ch >= 256 ? &options_table[ch - 256] :
		    options_find_short(ch);
		given[e - options_table] = 1;
		if ((*cause = options_set(e, o, optarg)) != NULL)
			return -1;
		if (e->type == OPT_ACTION)
			return optind;
	}
	if ((*cause = options_needs(given)) != NULL)
		return -1;
	return optind;
}

void
options_free(struct options *o)
{
	free(o->rules.v);
	free(o->exec_args.v);
	free(o->pseudonym_of.v);
	free(o->try_rule.v);
	o->rules.v = o->exec_args.v = o->pseudonym_of.v = o->try_rule.v = NULL;
	o->rules.n = o->exec_args.n = o->pseudonym_of.n = o->try_rule.n = 0;
}

/* Case-blind order of short letters, as the synopsis sorts them. */
static int
options_cmp_short(const void *a, const void *b)
{
	const struct options_entry *x = *(const struct options_entry *const *)a;
	const struct options_entry *y = *(const struct options_entry *const *)b;
	int d = tolower(x->shortc) - tolower(y->shortc);

	return d != 0 ? d : x->shortc - y->shortc;
}

/* The synopsis fragments, in order, into a NULL-terminated array. */
static char **
options_fragments(void)
{
	const struct options_entry *sorted[OPTIONS_N];
	const struct options_entry *e;
	char **frag = xcalloc(OPTIONS_N + 3, sizeof(*frag));
	char flags[OPTIONS_N + 1];
	size_t i, n = 0, k = 0, nf = 0;

	for (i = 0; i < OPTIONS_N; i++)
		if (options_table[i].shortc != 0)
			sorted[n++] = &options_table[i];
	qsort(sorted, n, sizeof(*sorted), options_cmp_short);
	for (i = 0; i < n; i++)
		if (!options_has_arg(sorted[i]))
			flags[k++] = (char)sorted[i]->shortc;
	flags[k] = '\0';
	frag[nf++] = xasprintf("[-%s]", flags);
	for (i = 0; i < n; i++) {
		e = sorted[i];
		if (!options_has_arg(e))
			continue;
		frag[nf++] = e->usage != NULL ? xstrdup(e->usage) :
		    xasprintf("[-%c %s]", e->shortc, e->arg);
	}
	for (i = 0; i < OPTIONS_N; i++) {
		e = &options_table[i];
		if (e->shortc != 0 || (e->usage != NULL && *e->usage == '\0'))
			continue;
		if (e->usage != NULL)
			frag[nf++] = xstrdup(e->usage);
		else if (e->arg != NULL)
			frag[nf++] = xasprintf("[--%s %s]", e->name, e->arg);
		else
			frag[nf++] = xasprintf("[--%s]", e->name);
	}
	frag[nf++] = xstrdup("[[source=]file ...]");
	return frag;
}

/*
 * Words of the synopsis wrapped at 80 columns under "usage: cxwatch ";
 * a fragment is broken only at its blanks, and only when it would not
 * fit on a line of its own.
 */
void
options_usage(FILE *fp)
{
	static const char lead[] = "usage: cxwatch ";
	const size_t indent = sizeof(lead) - 1, width = 80;
	char **frag = options_fragments(), *w, *save;
	size_t i, col = indent, len;

	fputs(lead, fp);
	for (i = 0; frag[i] != NULL; i++) {
		len = strlen(frag[i]);
		if (col > indent && col + 1 + len <= width) {
			fprintf(fp, " %s", frag[i]);
			col += 1 + len;
		} else if (col + (col > indent) + len <= width ||
		    indent + len <= width) {
			if (col > indent)
				fprintf(fp, "\n%*s", (int)indent, "");
			fputs(frag[i], fp);
			col = indent + len;
		} else {
			for (w = strtok_r(frag[i], " ", &save); w != NULL;
			    w = strtok_r(NULL, " ", &save)) {
				len = strlen(w);
				if (col > indent && col + 1 + len > width) {
					fprintf(fp, "\n%*s", (int)indent, "");
					col = indent;
				}
				fprintf(fp, "%s%s", col > indent ? " " : "", w);
				col += (col > indent) + len;
			}
		}
		free(frag[i]);
	}
	fputc('\n', fp);
	free(frag);
}

/* One option's lines of --help. */
static void
options_help_entry(FILE *fp, const struct options_entry *e,
    const char *rulesdir)
{
	char left[64];
	const char *p, *nl;
	int n;

	if (e->shortc != 0)
		n = snprintf(left, sizeof(left), "  -%c, --%s%s%s", e->shortc,
		    e->name, e->harg != NULL ? " " : "",
		    e->harg != NULL ? e->harg : "");
	else
		n = snprintf(left, sizeof(left), "      --%s%s%s", e->name,
		    e->harg != NULL ? " " : "", e->harg != NULL ? e->harg : "");
	/* A left side too wide for its column gets a line of its own. */
	if (n < 25)
		fprintf(fp, "%-25s", left);
	else
		fprintf(fp, "%s\n%25s", left, "");
	for (p = e->help; ; p = nl + 1) {
		nl = strchr(p, '\n');
		if (strncmp(p, "@RULESDIR@", 10) == 0) {
			fputs(rulesdir, fp);
			p += 10;
		}
		fprintf(fp, "%.*s\n", nl != NULL ? (int)(nl - p) : (int)strlen(p),
		    p);
		if (nl == NULL)
			break;
		fprintf(fp, "%25s", "");
	}
}

void
options_help(FILE *fp, const char *rulesdir)
{
	size_t i;

	options_usage(fp);
	fputs("\nReads web, support and billing logs, matches failed "
	    "interactions with\nPCRE2 rules and alerts when one customer "
	    "crosses a threshold within a\nsliding window. No file, or -, "
	    "reads standard input; several files\nare merged by the times "
	    "of their lines.\n\n", fp);
	for (i = 0; i < OPTIONS_N; i++)
		options_help_entry(fp, &options_table[i], rulesdir);
	fputs("\nExit status: 0 an alert was printed, 1 none, 2 trouble.\n"
	    "See cxwatch(1) and cxwatch.rules(5).\n", fp);
}
