/*
 * options: the command line of cxwatch(1). Every option is described
 * once, in the table in options.c: its names, its argument, how its value
 * is checked, which option it goes with, its place in the synopsis and
 * its line of --help. getopt's long options, the parser, usage() and
 * --help are all made from that table. Used by main.c only; never prints
 * except where told to (options_usage(), options_help()), never exits.
 */
#ifndef CXW_OPTIONS_H
#define CXW_OPTIONS_H

#include <stdint.h>
#include <stdio.h>

/* A repeatable option's values, in order; the strings are argv's. */
struct options_list {
	char		**v;
	size_t		  n;
};

/* Values as given; -1 where "not given" must be told from a value. */
struct options {
	struct options_list rules;		/* -r */
	struct options_list exec_args;		/* --exec-arg */
	int		 format;		/* -o: 0 text, 1 json */
	long long	 evidence;		/* -e, default 5 */
	int64_t		 window;		/* -w, ms; -1 not given */
	int64_t		 cooldown;		/* -c, ms; -1 not given */
	long long	 threshold;		/* -T; -1 not given */
	long long	 channels;		/* -C; -1 not given */
	long long	 max_customers;
	long long	 max_line;
	long long	 evidence_memory;	/* bytes; -1 not given */
	long long	 threads;		/* -1 not given */
	int		 check, stats, explain, quiet, follow, from_start;
	unsigned	 explain_only;		/* engine.h's ENGINE_X_* */
	int		 nomerge, simple;
	int		 progress;		/* 1 on, 0 off, -1 default */
	int64_t		 rotate_wait;		/* ms; cxwatch(1), -f */
	const char	*exec;
	long long	 exec_jobs;		/* 0: exec.h's default */
	int64_t		 exec_timeout;		/* ms */
	int		 syslog;
	const char	*syslog_facility, *syslog_tag, *syslog_socket;
	const char	*report;
	int		 report_format;		/* 0 text, 1 json, 2 html */
	const char	*state;
	int		 state_reset;
	int		 reread;
	const char	*try_source;		/* a regex */
	struct options_list try_rule;		/* "if" expressions */
	const char	*pseudonymize;		/* key file */
	struct options_list pseudonym_of;	/* ids */
	const char	*emit, *producer;	/* --emit URL */
	const char	*consume;		/* --consume URL */
	long long	 partition;		/* default 0 */
	long long	 producers;		/* 0 not given */
	int64_t		 lateness;		/* ms, default 0 */
	int64_t		 producer_timeout;	/* ms, 0 never */
	int64_t		 checkpoint_every;	/* ms */
	int64_t		 lease;			/* ms */
	int		 standby;
	const char	*emit_subject;		/* default "cxwatch" */
	long long	 partitions;		/* default 1 */
	long long	 emit_replicas;		/* 0 not given */
	long long	 emit_pending;		/* 0 not given */
	const char	*nats_auth;		/* --nats-auth FILE */
	const char	*nats_tls_ca, *nats_tls_cert, *nats_tls_key;
	int		 help, version;
};

/*
 * Parse argv into o (defaults first). Returns the index of the first
 * operand, or -1 with *cause (malloc'd) saying what is wrong, in the
 * form "-w: \"10x\" is not a positive duration (try ...)"; *usage is
 * then 1 when the usage should follow the message.
 */
int	options_parse(int argc, char **argv, struct options *o, char **cause,
	    int *usage);

/* Free what options_parse() allocated (the lists). */
void	options_free(struct options *);

/* The synopsis, as cxwatch(1) SYNOPSIS has it, wrapped at 80 columns. */
void	options_usage(FILE *);

/* --help: the synopsis, then a line or more for each option. */
void	options_help(FILE *, const char *rulesdir);

#endif
