/*
 * test_exec: --exec children, run for real. Each test runs small
 * programs (sleep, or /bin/sh scripts written into a temp dir that is
 * also the cwd) and checks what reached them and what was counted.
 * Scripts are only the programs under test; exec.c never uses a shell.
 */
#include <sys/stat.h>
#include <sys/wait.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "exec.h"
#include "t.h"

static char test_dir[] = "/tmp/test_exec.XXXXXX";

static double
test_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
test_sleep(double s)
{
	struct timespec ts;

	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	nanosleep(&ts, NULL);
}

/* Write an executable script into the test dir; returns its path. */
static const char *
test_script(const char *name, const char *body)
{
	static char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", test_dir, name);
	if ((f = fopen(path, "w")) == NULL) {
		perror(path);
		exit(2);
	}
	fputs(body, f);
	fclose(f);
	chmod(path, 0755);
	return path;
}

/* The whole file, NUL-terminated as well; NULL if it is not there. */
static char *
test_slurp(const char *path, size_t *lenp)
{
	char *buf = NULL;
	size_t len = 0, cap = 0, n;
	FILE *f;

	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	do {
		if (cap - len < 4096) {
			cap = cap * 2 + 4096;
			if ((buf = realloc(buf, cap + 1)) == NULL)
				exit(2);
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	fclose(f);
	buf[len] = '\0';
	if (lenp != NULL)
		*lenp = len;
	return buf;
}

static int
test_exists(const char *name)
{
	return access(name, F_OK) == 0;
}

/* Count NUL-separated entries of env that start with prefix; *last is
   the last one. */
static int
test_env_count(const char *env, size_t len, const char *prefix,
    const char **last)
{
	const char *p;
	int n = 0;

	for (p = env; p < env + len; p += strlen(p) + 1)
		if (strncmp(p, prefix, strlen(prefix)) == 0) {
			n++;
			*last = p;
		}
	return n;
}

/*
 * Hostile customer ids, args and JSON reach the program as inert bytes:
 * argv stays as given, the CX_* variables hold exactly what was passed
 * (inherited ones replaced), stdin is the JSON, and nothing ran.
 */
static void
test_hostile(void)
{
	static const char customer[] = "$(touch pwned)`touch pwned2`; "
	    "touch pwned3\n'\"|&<>*?~ \\x\tz; reboot";
	static const char json[] = "{\"customer\":\"$(touch pwned4)\"}\n";
	const char *const args[] = { "a b", "$(touch pwned5)", "; touch pwned6",
	    "", "*", "x\ny" };
	const size_t nargs = sizeof(args) / sizeof(args[0]);
	struct exec_job_env env;
	struct exec_stats st;
	struct exec *e;
	const char *prog, *var = NULL;
	char want[512], *got, name[16];
	size_t len, wlen, i;
	int n;

	prog = test_script("record",
	    "#!/bin/sh\n"
	    "printf '%s\\0' \"$@\" > argv.out\n"
	    "printf '%s\\0' \"$CX_CUSTOMER\" \"$CX_SCORE\" \"$CX_TIME\" "
	    "\"$CX_CHANNELS\" \"$CX_RULES\" \"$CX_DETECTOR\" \"$CXTEST_KEEP\" "
	    "> env.out\n"
	    "cat /proc/$$/environ > environ.out 2>/dev/null\n"
	    "cat > stdin.out\n");
	setenv("CX_CUSTOMER", "inherited", 1);
	setenv("CX_RULES", "inherited", 1);
	setenv("CXTEST_KEEP", "kept; $(touch pwned7)", 1);
	env.customer = customer;
	env.score = "12";
	env.time = "2024-05-01T10:00:00Z";
	env.channels = "auth,web";
	env.rules = "ssh-fail `id`";
	env.detector = "journey";
	e = exec_new(prog, args, nargs, 0, 10, 5);
	exec_alert(e, json, strlen(json), &env);
	exec_drain(e, NULL);
	exec_stats(e, &st);
	CHECK_INT(st.started, 1);
	CHECK_INT(st.exited_ok, 1);
	exec_free(e);

	for (wlen = 0, i = 0; i < nargs; i++) {
		memcpy(want + wlen, args[i], strlen(args[i]) + 1);
		wlen += strlen(args[i]) + 1;
	}
	got = test_slurp("argv.out", &len);
	CHECK(got != NULL && len == wlen && memcmp(got, want, wlen) == 0);
	free(got);

	wlen = (size_t)snprintf(want, sizeof(want),
	    "%s%c%s%c%s%c%s%c%s%c%s%c%s%c", customer, 0, "12", 0,
	    "2024-05-01T10:00:00Z", 0, "auth,web", 0, "ssh-fail `id`", 0,
	    "journey", 0, "kept; $(touch pwned7)", 0);
	got = test_slurp("env.out", &len);
	CHECK(got != NULL && len == wlen && memcmp(got, want, wlen) == 0);
	free(got);

	got = test_slurp("stdin.out", NULL);
	CHECK_STR(got, json);
	free(got);

	if ((got = test_slurp("environ.out", &len)) != NULL && len > 0) {
		CHECK_INT(test_env_count(got, len, "CX_CUSTOMER=", &var), 1);
		CHECK(var != NULL && strcmp(var + 12, customer) == 0);
		CHECK_INT(test_env_count(got, len, "CX_RULES=", &var), 1);
		CHECK_STR(var, "CX_RULES=ssh-fail `id`");
		CHECK_INT(test_env_count(got, len, "CXTEST_KEEP=", &var), 1);
	}
	free(got);

	for (n = 1; n <= 7; n++) {
		snprintf(name, sizeof(name), n == 1 ? "pwned" : "pwned%d", n);
		CHECK(!test_exists(name));
	}
	unsetenv("CX_CUSTOMER");
	unsetenv("CX_RULES");
	unsetenv("CXTEST_KEEP");
}

/* Ten jobs, two slots: never more than two at once, both used, and the
   queue really waits (five rounds of 0.2 s take at least 1 s). */
static void
test_maxjobs(void)
{
	const char *const args[] = { "0.2" };
	struct exec_stats st;
	struct exec *e;
	unsigned n, most = 0;
	double t0, dt;
	int i;

	t0 = test_now();
	e = exec_new("sleep", args, 1, 2, 100, 0);
	for (i = 0; i < 10; i++)
		exec_alert(e, "{}\n", 3, NULL);
	exec_stats(e, &st);
	CHECK_INT(st.running, 2);
	CHECK_INT(st.queued, 8);
	CHECK(exec_next_deadline(e) == -1);
	while ((n = exec_poll(e)) > 0 && test_now() - t0 < 4) {
		if (n > most)
			most = n;
		test_sleep(0.005);
	}
	dt = test_now() - t0;
	CHECK_INT(n, 0);
	CHECK_INT(most, 2);
	CHECK(dt >= 0.95);
	exec_stats(e, &st);
	CHECK_INT(st.started, 10);
	CHECK_INT(st.exited_ok, 10);
	CHECK_INT(st.dropped, 0);
	CHECK_INT(st.running, 0);
	CHECK_INT(st.queued, 0);
	exec_free(e);
}

/* One slot, three queued, the other six of ten dropped; then the queue
   runs. With no queue at all, a busy slot drops. */
static void
test_overflow(void)
{
	const char *const args[] = { "0.1" };
	struct exec_stats st;
	struct exec *e;
	int i;

	e = exec_new("sleep", args, 1, 1, 3, 0);
	for (i = 0; i < 10; i++)
		exec_alert(e, "{}\n", 3, NULL);
	exec_stats(e, &st);
	CHECK_INT(st.started, 1);
	CHECK_INT(st.queued, 3);
	CHECK_INT(st.dropped, 6);
	exec_drain(e, NULL);
	exec_stats(e, &st);
	CHECK_INT(st.started, 4);
	CHECK_INT(st.exited_ok, 4);
	CHECK_INT(st.dropped, 6);
	CHECK_INT(st.queued, 0);
	exec_free(e);

	e = exec_new("sleep", args, 1, 1, 0, 0);
	exec_alert(e, NULL, 0, NULL);
	exec_alert(e, NULL, 0, NULL);
	exec_stats(e, &st);
	CHECK_INT(st.started, 1);
	CHECK_INT(st.dropped, 1);
	exec_free(e);
}

/*
 * A hanging program is killed at its timeout and counted, and so is what
 * it started (a shell script's own child). The grandchild is reparented
 * to us as subreaper, so we can see it died of SIGKILL.
 */
static void
test_timeout(void)
{
	const char *const args[] = { "100" };
	struct exec_stats st;
	struct exec *e, *e2;
	const char *prog;
	double t0, d;
	char *got;
	pid_t gpid = 0, r = 0;
	int status = 0;

#ifdef PR_SET_CHILD_SUBREAPER
	prctl(PR_SET_CHILD_SUBREAPER, 1);
#endif
	prog = test_script("spawner",
	    "#!/bin/sh\nsleep 100 &\necho $! > gpid.out\nwait\n");
	t0 = test_now();
	e = exec_new("sleep", args, 1, 1, 10, 0.2);
	e2 = exec_new(prog, NULL, 0, 1, 10, 0.2);
	CHECK(exec_next_deadline(e) == -1);
	exec_alert(e, "{}\n", 3, NULL);
	exec_alert(e2, "{}\n", 3, NULL);
	d = exec_next_deadline(e);
	CHECK(d > 0 && d <= 0.2);
	exec_drain(e, NULL);
	exec_drain(e2, NULL);
	CHECK(test_now() - t0 >= 0.19);
	CHECK(test_now() - t0 < 2);
	CHECK_INT(exec_poll(e), 0);
	CHECK(exec_next_deadline(e) == -1);
	exec_stats(e, &st);
	CHECK_INT(st.started, 1);
	CHECK_INT(st.killed, 1);
	CHECK_INT(st.exited_ok + st.exited_fail, 0);
	exec_stats(e2, &st);
	CHECK_INT(st.killed, 1);
	exec_free(e);
	exec_free(e2);

	if ((got = test_slurp("gpid.out", NULL)) != NULL)
		gpid = (pid_t)atoi(got);
	free(got);
	CHECK(gpid > 0);
#ifdef PR_SET_CHILD_SUBREAPER
	for (t0 = test_now(); gpid > 0 && test_now() - t0 < 2; ) {
		if ((r = waitpid(gpid, &status, WNOHANG)) != 0)
			break;
		test_sleep(0.01);
	}
	CHECK(r == gpid && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	if (r == 0)
		kill(gpid, SIGKILL), waitpid(gpid, NULL, 0);
	prctl(PR_SET_CHILD_SUBREAPER, 0);
#endif
}

/* What exec_on_end() was told, last first. */
static struct exec_end test_end;
static char test_end_customer[64];
static int test_nends;

static void
test_on_end(void *arg, const struct exec_end *end)
{
	(void)arg;
	test_end = *end;
	snprintf(test_end_customer, sizeof(test_end_customer), "%s",
	    end->customer);
	test_end.customer = test_end_customer;
	test_nends++;
}

/*
 * Exit 0 and exit 3 are told apart; a missing program (by path or on
 * PATH), one that may not be executed and a file without #! (not handed
 * to a shell) are "not run", with the errno execve() gave the child,
 * which is told from a program that exits 127 itself.
 */
static void
test_status(void)
{
	static const struct {
		const char	*prog;
		const char	*script;	/* NULL: not written */
		int		 mode;
		int		 ok;
		enum exec_how	 how;
		int		 code;		/* -1: nothing told */
	} cases[] = {
		{ "exit0", "#!/bin/sh\nexit 0\n", 0755, 1, EXEC_EXIT, -1 },
		{ "exit3", "#!/bin/sh\nexit 3\n", 0755, 0, EXEC_EXIT, 3 },
		{ "exit127", "#!/bin/sh\nexit 127\n", 0755, 0, EXEC_EXIT, 127 },
		{ "selfkill", "#!/bin/sh\nkill -9 $$\n", 0755, 0, EXEC_SIGNAL,
		  SIGKILL },
		{ "noshebang", "touch ran.out\n", 0755, 0, EXEC_NOTRUN,
		  ENOEXEC },
		{ "noexec", "#!/bin/sh\nexit 0\n", 0644, 0, EXEC_NOTRUN,
		  EACCES },
		{ "/nonexistent/cxwatch-test", NULL, 0, 0, EXEC_NOTRUN,
		  ENOENT },
		{ "cxwatch-no-such-program", NULL, 0, 0, EXEC_NOTRUN, ENOENT },
	};
	struct exec_job_env env;
	struct exec_stats st;
	struct exec *e;
	const char *prog;
	size_t i;
	int notrun;

	memset(&env, 0, sizeof(env));
	env.customer = "C\\x1b7";
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		prog = cases[i].prog;
		if (cases[i].script != NULL) {
			prog = test_script(cases[i].prog, cases[i].script);
			chmod(prog, (mode_t)cases[i].mode);
		}
		notrun = cases[i].how == EXEC_NOTRUN;
		e = exec_new(prog, NULL, 0, 1, 10, 5);
		exec_on_end(e, test_on_end, NULL);
		test_nends = 0;
		exec_alert(e, "{}\n", 3, &env);
		CHECK_INT(exec_drain(e, NULL), 0);
		exec_stats(e, &st);
		CHECK_INT(st.started, 1);
		CHECK_INT(st.exited_ok, cases[i].ok);
		CHECK_INT(st.exited_fail, !cases[i].ok && !notrun);
		CHECK_INT(st.notrun, notrun);
		CHECK_INT(st.spawn_failed, 0);
		CHECK_INT(test_nends, cases[i].code != -1);
		if (cases[i].code != -1 && test_nends == 1) {
			CHECK_INT(test_end.how, cases[i].how);
			CHECK_INT(test_end.code, cases[i].code);
			CHECK_STR(test_end.customer, "C\\x1b7");
			if (notrun)
				CHECK_STR(test_end.call, "execve");
		}
		exec_free(e);
	}
	CHECK(!test_exists("ran.out"));
}

/* exec_check() says what execve() would, before any alert. */
static void
test_check(void)
{
	static const struct {
		const char	*prog;
		const char	*want;		/* NULL: fine */
	} cases[] = {
		{ "sh", NULL },
		{ "/bin/sh", NULL },
		{ "ok", NULL },
		{ "./ok", NULL },
		{ "noexec", "noexec: Permission denied (looked in PATH)" },
		{ "./noexec", "./noexec: Permission denied" },
		{ "./adir", "./adir: Permission denied" },
		{ "/nonexistent/x",
		  "/nonexistent/x: No such file or directory" },
		{ "cxwatch-no-such-program", "cxwatch-no-such-program: No such "
		  "file or directory (looked in PATH)" },
		{ "", ": No such file or directory" },
	};
	const char *path = getenv("PATH");
	char *oldpath, *newpath, *cause;
	struct exec *e;
	size_t i;
	int rc;

	test_script("ok", "#!/bin/sh\nexit 0\n");
	chmod(test_script("noexec", "#!/bin/sh\nexit 0\n"), 0644);
	mkdir("adir", 0755);
	oldpath = strdup(path != NULL ? path : "/bin:/usr/bin");
	newpath = malloc(strlen(oldpath) + strlen(test_dir) + 2);
	sprintf(newpath, "%s:%s", test_dir, oldpath);
	setenv("PATH", newpath, 1);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		e = exec_new(cases[i].prog, NULL, 0, 1, 10, 5);
		cause = NULL;
		rc = exec_check(e, &cause);
		CHECK_INT(rc, cases[i].want == NULL ? 0 : -1);
		if (cases[i].want != NULL)
			CHECK_STR(cause, cases[i].want);
		free(cause);
		exec_free(e);
	}
	setenv("PATH", oldpath, 1);
	free(oldpath);
	free(newpath);
	rmdir("adir");
}

/* Wait up to 2 s for pid (not our child) to be gone or a zombie. */
static int
test_gone(pid_t pid)
{
	char path[64], *stat, *p;
	double t0 = test_now();
	int gone;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	do {
		if ((stat = test_slurp(path, NULL)) == NULL)
			return 1;
		p = strrchr(stat, ')');
		gone = p != NULL && p[1] == ' ' && p[2] == 'Z';
		free(stat);
		if (gone || kill(pid, 0) == -1)
			return 1;
		test_sleep(0.01);
	} while (test_now() - t0 < 2);
	return 0;
}

/* What a program that exits 0 left running in its group is killed. */
static void
test_group_reaped(void)
{
	struct exec_stats st;
	struct exec *e;
	const char *prog;
	char *got;
	pid_t gpid = 0;

	prog = test_script("leaver",
	    "#!/bin/sh\nsleep 100 &\necho $! > leaver.out\nexit 0\n");
	e = exec_new(prog, NULL, 0, 1, 10, 0);
	exec_alert(e, "{}\n", 3, NULL);
	CHECK_INT(exec_drain(e, NULL), 0);
	exec_stats(e, &st);
	CHECK_INT(st.exited_ok, 1);
	if ((got = test_slurp("leaver.out", NULL)) != NULL)
		gpid = (pid_t)atoi(got);
	free(got);
	CHECK(gpid > 0);
	CHECK(gpid > 0 && test_gone(gpid));
	if (gpid > 0)
		kill(gpid, SIGKILL);
	exec_free(e);
}

static volatile sig_atomic_t test_stop;

/*
 * exec_drain() gives up once *stop is set; exec_stop() then drops the
 * queue, lets a running program finish within the grace, kills one that
 * does not, and ends at once when *hurry is set.
 */
static void
test_stop_grace(void)
{
	const char *const args[] = { "100" };
	struct exec_stats st;
	struct exec *e;
	const char *prog;
	double t0;
	unsigned i;

	/* The flag set before: the drain returns at once, jobs left. */
	prog = test_script("short", "#!/bin/sh\nsleep 0.3\n"
	    "touch short.out\n");
	e = exec_new(prog, NULL, 0, 1, 10, 0);
	for (i = 0; i < 5; i++)
		exec_alert(e, "{}\n", 3, NULL);
	test_stop = 1;
	t0 = test_now();
	CHECK_INT(exec_drain(e, &test_stop), -1);
	CHECK(test_now() - t0 < 0.2);
	test_stop = 0;
	exec_stop(e, 5, &test_stop);
	CHECK(test_now() - t0 < 2);
	CHECK(test_exists("short.out"));
	exec_stats(e, &st);
	CHECK_INT(st.exited_ok, 1);
	CHECK_INT(st.stop_dropped, 4);
	CHECK_INT(st.stop_killed, 0);
	CHECK_INT(st.running + st.queued, 0);
	exec_free(e);

	/* Past the grace: killed, group and all. */
	e = exec_new("sleep", args, 1, 2, 10, 0);
	for (i = 0; i < 3; i++)
		exec_alert(e, "{}\n", 3, NULL);
	t0 = test_now();
	exec_stop(e, 0.3, NULL);
	CHECK(test_now() - t0 >= 0.29);
	CHECK(test_now() - t0 < 2);
	exec_stats(e, &st);
	CHECK_INT(st.stop_killed, 2);
	CHECK_INT(st.stop_dropped, 1);
	CHECK_INT(st.killed + st.exited_fail, 0);
	exec_free(e);

	/* Hurried: no grace at all. */
	e = exec_new("sleep", args, 1, 1, 10, 0);
	exec_alert(e, "{}\n", 3, NULL);
	test_stop = 1;
	t0 = test_now();
	exec_stop(e, 30, &test_stop);
	CHECK(test_now() - t0 < 1);
	exec_stats(e, &st);
	CHECK_INT(st.stop_killed, 1);
	exec_free(e);
	test_stop = 0;
}

/* A 1 MB alert of every byte value arrives whole. */
static void
test_big(void)
{
	const char *const args[] = { "big.out" };
	const size_t len = 1024 * 1024;
	struct exec_stats st;
	struct exec *e;
	const char *prog;
	char *json, *got;
	size_t i, glen = 0;

	json = malloc(len);
	for (i = 0; i < len; i++)
		json[i] = (char)((i * 7) ^ (i >> 9));
	prog = test_script("tofile", "#!/bin/sh\ncat > \"$1\"\n");
	e = exec_new(prog, args, 1, 1, 10, 5);
	exec_alert(e, json, len, NULL);
	exec_drain(e, NULL);
	exec_stats(e, &st);
	CHECK_INT(st.exited_ok, 1);
	exec_free(e);
	got = test_slurp("big.out", &glen);
	CHECK_INT(glen, len);
	CHECK(got != NULL && glen == len && memcmp(got, json, len) == 0);
	free(got);
	free(json);
}

/* exec_drain() returns only when every job, queued ones too, is done. */
static void
test_drain(void)
{
	static const char *const ids[] = { "1", "2", "3", "4", "5" };
	struct exec_job_env env;
	struct exec_stats st;
	struct exec *e;
	const char *prog;
	char name[32];
	size_t i;

	prog = test_script("later",
	    "#!/bin/sh\nsleep 0.1\ntouch \"done.$CX_CUSTOMER\"\n");
	memset(&env, 0, sizeof(env));
	e = exec_new(prog, NULL, 0, 3, 10, 0);
	for (i = 0; i < 5; i++) {
		env.customer = ids[i];
		exec_alert(e, "{}\n", 3, &env);
	}
	exec_drain(e, NULL);
	for (i = 0; i < 5; i++) {
		snprintf(name, sizeof(name), "done.%s", ids[i]);
		CHECK(test_exists(name));
	}
	CHECK_INT(exec_poll(e), 0);
	exec_stats(e, &st);
	CHECK_INT(st.started, 5);
	CHECK_INT(st.exited_ok, 5);
	CHECK_INT(st.running + st.queued, 0);
	exec_free(e);
}

/* exec_free() kills and reaps what still runs: no zombie, no child. */
static void
test_free(void)
{
	const char *const args[] = { "100" };
	struct exec *e;
	double t0;
	pid_t r;

	t0 = test_now();
	e = exec_new("sleep", args, 1, 2, 10, 0);
	exec_alert(e, "{}\n", 3, NULL);
	exec_alert(e, "{}\n", 3, NULL);
	exec_alert(e, "{}\n", 3, NULL);
	CHECK_INT(exec_poll(e), 2);
	exec_free(e);
	errno = 0;
	r = waitpid(-1, NULL, WNOHANG);
	CHECK(r == -1 && errno == ECHILD);
	CHECK(test_now() - t0 < 1);
	exec_free(NULL);
}

static void
test_ign(int sig)
{
	(void)sig;
}

/*
 * The child starts clean whatever the parent did: ignored and caught
 * signals back to default, empty mask, no fds above 2, stdin a memfd.
 */
static void
test_child_state(void)
{
	static const int ign[] = { SIGPIPE, SIGXFSZ, SIGINT, SIGTERM,
	    SIGUSR1 };
	const char *const cpargs[] = { "/proc/self/status", "status.out" };
	struct sigaction sa, old[5], oldhup;
	sigset_t blk, oldmask;
	struct exec_stats st;
	struct exec *e, *ecp;
	const char *prog;
	char *got, *p, want_ign[32];
	size_t i;
	int fd;

	if (access("/proc/self/status", R_OK) != 0)
		return;
	/*
	 * Signals 32 and 33 are glibc's own: sigaction() cannot reach them,
	 * and GNU make leaves them ignored in what it runs. Whatever this
	 * test inherited of those two the child inherits too; no other
	 * signal may stay ignored.
	 */
	got = test_slurp("/proc/self/status", NULL);
	p = got != NULL ? strstr(got, "SigIgn:\t") : NULL;
	snprintf(want_ign, sizeof(want_ign), "SigIgn:\t%016llx",
	    p != NULL ? strtoull(p + 8, NULL, 16) & 0x180000000ULL : 0);
	free(got);

	prog = test_script("state",
	    "#!/bin/sh\n"
	    "if [ -e /proc/$$/fd/57 ]; then echo open; else echo closed; fi"
	    " > fd.out\n"
	    "readlink /proc/$$/fd/0 > stdin.out\n");
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = SIG_IGN;
	for (i = 0; i < 5; i++)
		sigaction(ign[i], &sa, &old[i]);
	sa.sa_handler = test_ign;
	sigaction(SIGHUP, &sa, &oldhup);
	sigemptyset(&blk);
	sigaddset(&blk, SIGUSR2);
	sigaddset(&blk, SIGTERM);
	sigprocmask(SIG_BLOCK, &blk, &oldmask);
	fd = open("/dev/null", O_RDONLY);	/* no O_CLOEXEC */
	CHECK(fd != -1 && dup2(fd, 57) == 57);

	e = exec_new(prog, NULL, 0, 1, 10, 5);
	ecp = exec_new("cp", cpargs, 2, 1, 10, 5);
	exec_alert(e, "{}\n", 3, NULL);
	exec_alert(ecp, "{}\n", 3, NULL);
	exec_drain(e, NULL);
	exec_drain(ecp, NULL);
	exec_stats(e, &st);
	CHECK_INT(st.exited_ok, 1);
	exec_stats(ecp, &st);
	CHECK_INT(st.exited_ok, 1);
	exec_free(e);
	exec_free(ecp);

	close(57);
	close(fd);
	sigprocmask(SIG_SETMASK, &oldmask, NULL);
	sigaction(SIGHUP, &oldhup, NULL);
	for (i = 0; i < 5; i++)
		sigaction(ign[i], &old[i], NULL);

	/* cp itself, not a shell that might tidy its own signals. */
	got = test_slurp("status.out", NULL);
	p = got != NULL ? strstr(got, "SigBlk:") : NULL;
	CHECK(p != NULL && strncmp(p, "SigBlk:\t0000000000000000\n", 25) == 0);
	p = got != NULL ? strstr(got, "SigIgn:") : NULL;
	if (p != NULL)
		p[strcspn(p, "\n")] = '\0';	/* say which, if one is left */
	CHECK_STR(p, want_ign);
	free(got);
	got = test_slurp("fd.out", NULL);
	CHECK_STR(got, "closed\n");
	free(got);
	got = test_slurp("stdin.out", NULL);
	CHECK(got != NULL && strncmp(got, "/memfd:cxwatch-exec", 19) == 0);
	free(got);
}

static void
test_cleanup(void)
{
	struct dirent *d;
	char path[512];
	DIR *dir;

	if (chdir("/") != 0 || (dir = opendir(test_dir)) == NULL)
		return;
	while ((d = readdir(dir)) != NULL) {
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", test_dir, d->d_name);
		unlink(path);
	}
	closedir(dir);
	rmdir(test_dir);
}

int
main(void)
{
	if (mkdtemp(test_dir) == NULL || chdir(test_dir) != 0) {
		perror(test_dir);
		return 2;
	}
	test_hostile();
	test_maxjobs();
	test_overflow();
	test_timeout();
	test_status();
	test_check();
	test_group_reaped();
	test_stop_grace();
	test_big();
	test_drain();
	test_child_state();
	test_free();
	test_cleanup();
	T_DONE();
}
