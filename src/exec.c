/*
 * exec: one child per alert, at most maxjobs at once. See exec.h.
 *
 * The parent may have threads (gzip inflates in one), so between fork()
 * and execve() the child only makes async-signal-safe calls: argv, the
 * environment and the PATH candidates are all built before fork(), and
 * the child walks the candidates with execve() itself instead of calling
 * execvp(), which is not async-signal-safe and would hand a file without
 * #! to /bin/sh.
 *
 * Every slot with a pid is a child not yet reaped: it holds its slot, so
 * "running" counts zombies until exec_poll() sees them.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* memfd_create */
#endif

#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "exec.h"
#include "xmalloc.h"

#define EXEC_NVARS	5
#define EXEC_REAP_RETRY	0.05	/* s between looks at a killed child */
#define EXEC_DRAIN_STEP	0.1	/* s, longest sleep in exec_drain() */

extern char **environ;

static const char *const exec_names[EXEC_NVARS] = {
	"CX_CUSTOMER", "CX_SCORE", "CX_TIME", "CX_CHANNELS", "CX_RULES"
};

struct exec_job {
	struct exec_job	*next;
	char		*json;
	size_t		 len;
	char		*vars[EXEC_NVARS];	/* "CX_NAME=value" */
};

struct exec_slot {
	pid_t		 pid;		/* 0: free */
	double		 deadline;	/* monotonic s; 0: none */
	int		 killed;
};

struct exec {
	char		**argv;		/* program, args..., NULL */
	char		**paths;	/* what execve() tries, in order */
	size_t		  npaths;
	long		  maxfd;	/* for the close() loop fallback */
	double		  timeout;
	struct exec_slot *slots;
	unsigned	  maxjobs;
	unsigned	  nrunning;
	struct exec_job	 *head, *tail;	/* the queue, oldest first */
	size_t		  qlen, maxqueue;
	struct exec_job	 *forking;	/* keeps a child's view leak-free */
	char		**forkenv;
	struct exec_stats st;
};

static double
exec_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* execvp(3)'s search: a name with a slash is used as it is. */
static void
exec_paths(struct exec *e, const char *program)
{
	const char *path, *p, *colon;
	size_t n;

	if (*program == '\0' || strchr(program, '/') != NULL) {
		e->paths = xcalloc(1, sizeof(*e->paths));
		e->paths[e->npaths++] = xstrdup(program);
		return;
	}
	if ((path = getenv("PATH")) == NULL)
		path = "/bin:/usr/bin";
	for (n = 1, p = path; *p != '\0'; p++)
		n += *p == ':';
	e->paths = xcalloc(n, sizeof(*e->paths));
	for (p = path; ; p = colon + 1) {
		if ((colon = strchr(p, ':')) == NULL)
			colon = p + strlen(p);
		/* An empty element is the current directory. */
		e->paths[e->npaths++] = colon == p ?
		    xasprintf("./%s", program) :
		    xasprintf("%.*s/%s", (int)(colon - p), p, program);
		if (*colon == '\0')
			break;
	}
}

struct exec *
exec_new(const char *program, const char *const *args, size_t nargs,
    unsigned maxjobs, size_t maxqueue, double timeout)
{
	struct exec *e;
	size_t i;

	e = xcalloc(1, sizeof(*e));
	e->argv = xcalloc(nargs + 2, sizeof(*e->argv));
	e->argv[0] = xstrdup(program);
	for (i = 0; i < nargs; i++)
		e->argv[i + 1] = xstrdup(args[i]);
	exec_paths(e, program);
	if ((e->maxfd = sysconf(_SC_OPEN_MAX)) < 0)
		e->maxfd = 1024;
	e->timeout = timeout > 0 ? timeout : 0;	/* NaN too */
	e->maxjobs = maxjobs > 0 ? maxjobs : EXEC_MAXJOBS;
	e->slots = xcalloc(e->maxjobs, sizeof(*e->slots));
	e->maxqueue = maxqueue;
	return e;
}

static void
exec_job_free(struct exec_job *job)
{
	size_t i;

	free(job->json);
	for (i = 0; i < EXEC_NVARS; i++)
		free(job->vars[i]);
	free(job);
}

static struct exec_job *
exec_job_new(const char *json, size_t len, const struct exec_job_env *env)
{
	struct exec_job *job;
	const char *val[EXEC_NVARS] = { NULL };
	size_t i;

	if (env != NULL) {
		val[0] = env->customer;
		val[1] = env->score;
		val[2] = env->time;
		val[3] = env->channels;
		val[4] = env->rules;
	}
	job = xcalloc(1, sizeof(*job));
	job->json = xmalloc(len > 0 ? len : 1);
	if (len > 0)
		memcpy(job->json, json, len);
	job->len = len;
	for (i = 0; i < EXEC_NVARS; i++)
		job->vars[i] = xasprintf("%s=%s", exec_names[i],
		    val[i] != NULL ? val[i] : "");
	return job;
}

/* Where memfd_create() is missing or refused: an unlinked temp file. */
static int
exec_tmpfile(void)
{
	const char *dir;
	char *path;
	int fd;

	if ((dir = getenv("TMPDIR")) == NULL || *dir == '\0')
		dir = "/tmp";
	path = xasprintf("%s/cxwatch-exec.XXXXXX", dir);
	if ((fd = mkstemp(path)) != -1) {
		unlink(path);
		if (fcntl(fd, F_SETFD, FD_CLOEXEC) == -1) {
			close(fd);
			fd = -1;
		}
	}
	free(path);
	return fd;
}

/* A file holding buf[0..len), at offset 0: a stdin that never blocks. */
static int
exec_stdin(const char *buf, size_t len)
{
	ssize_t n;
	size_t off;
	int fd;

#ifdef MFD_CLOEXEC
	if ((fd = memfd_create("cxwatch-exec", MFD_CLOEXEC)) == -1)
		fd = exec_tmpfile();
#else
	fd = exec_tmpfile();
#endif
	if (fd == -1)
		return -1;
	for (off = 0; off < len; off += (size_t)n) {
		if ((n = write(fd, buf + off, len - off)) == -1) {
			if (errno == EINTR) {
				n = 0;
				continue;
			}
			goto fail;
		}
	}
	if (lseek(fd, 0, SEEK_SET) == -1)
		goto fail;
	return fd;
fail:
	close(fd);
	return -1;
}

/* The parent's environment less inherited CX_* of ours, plus the job's. */
static char **
exec_envp(const struct exec_job *job)
{
	char **envp, **ep;
	size_t n, i;

	for (n = 0; environ != NULL && environ[n] != NULL; n++)
		continue;
	envp = xcalloc(n + EXEC_NVARS + 1, sizeof(*envp));
	for (n = 0, ep = environ; ep != NULL && *ep != NULL; ep++) {
		for (i = 0; i < EXEC_NVARS; i++)
			if (strncmp(*ep, job->vars[i],
			    strlen(exec_names[i]) + 1) == 0)
				break;
		if (i == EXEC_NVARS)
			envp[n++] = *ep;
	}
	for (i = 0; i < EXEC_NVARS; i++)
		envp[n++] = job->vars[i];
	return envp;
}

/* Close every fd above 2. */
static void
exec_closefrom(long maxfd)
{
	long fd;

#ifdef SYS_close_range
	if (syscall(SYS_close_range, 3U, ~0U, 0U) == 0)
		return;
#endif
	for (fd = 3; fd < maxfd; fd++)
		close((int)fd);
}

/* Errors after which execvp(3) tries the next PATH element. */
static int
exec_try_next(int error)
{
	switch (error) {
	case EACCES:
	case ENOENT:
	case ENOTDIR:
	case ENODEV:
	case ESTALE:
	case ETIMEDOUT:
		return 1;
	default:
		return 0;
	}
}

/* In the child, every signal blocked: async-signal-safe calls only. */
static _Noreturn void
exec_child(const struct exec *e, int fd, char *const *envp)
{
	struct sigaction sa, dfl;
	sigset_t none;
	size_t i;
	int sig;

	setpgid(0, 0);
	/* Caught signals too: a handler must not run before execve(). */
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	for (sig = 1; sig < NSIG; sig++)
		if (sigaction(sig, NULL, &sa) == 0 &&
		    ((sa.sa_flags & SA_SIGINFO) || sa.sa_handler != SIG_DFL))
			sigaction(sig, &dfl, NULL);
	/* dup2() onto itself would keep FD_CLOEXEC. */
	if (fd == 0) {
		if (fcntl(0, F_SETFD, 0) == -1)
			_exit(127);
	} else {
		if (dup2(fd, 0) == -1)
			_exit(127);
		if (fd <= 2)
			close(fd);
	}
	exec_closefrom(e->maxfd);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (i = 0; i < e->npaths; i++) {
		execve(e->paths[i], e->argv, envp);
		if (!exec_try_next(errno))
			break;
	}
	_exit(127);
}

/* Start job in a free slot, or count it as spawn_failed; job is freed. */
static void
exec_start(struct exec *e, struct exec_job *job)
{
	struct exec_slot *s;
	sigset_t all, old;
	char **envp;
	pid_t pid;
	int fd;

	if ((fd = exec_stdin(job->json, job->len)) == -1) {
		e->st.spawn_failed++;
		exec_job_free(job);
		return;
	}
	envp = exec_envp(job);
	/* A child whose exec fails exits with these still reachable. */
	e->forking = job;
	e->forkenv = envp;
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	if ((pid = fork()) == 0)
		exec_child(e, fd, envp);
	sigprocmask(SIG_SETMASK, &old, NULL);
	e->forking = NULL;
	e->forkenv = NULL;
	close(fd);
	free(envp);
	exec_job_free(job);
	if (pid == -1) {
		e->st.spawn_failed++;
		return;
	}
	/* As the child does: whichever runs first, the group exists. */
	setpgid(pid, pid);
	for (s = e->slots; s->pid != 0; s++)
		continue;
	s->pid = pid;
	s->deadline = e->timeout > 0 ? exec_now() + e->timeout : 0;
	s->killed = 0;
	e->nrunning++;
	e->st.started++;
}

/* Reap s if it has ended (options 0: wait for it); 1 if it was. */
static int
exec_reap(struct exec *e, struct exec_slot *s, int options)
{
	pid_t r;
	int status = 0;

	while ((r = waitpid(s->pid, &status, options)) == -1 && errno == EINTR)
		continue;
	if (r == 0)
		return 0;
	/* r == -1 (ECHILD): someone else reaped it; its status is lost. */
	if (s->killed)
		e->st.killed++;
	else if (r == s->pid && WIFEXITED(status) && WEXITSTATUS(status) == 0)
		e->st.exited_ok++;
	else
		e->st.exited_fail++;
	s->pid = 0;
	e->nrunning--;
	return 1;
}

/* The child and whatever it started in its process group. */
static void
exec_kill(struct exec_slot *s, double now)
{
	kill(-s->pid, SIGKILL);
	kill(s->pid, SIGKILL);
	s->killed = 1;
	s->deadline = now + EXEC_REAP_RETRY;
}

void
exec_free(struct exec *e)
{
	struct exec_job *job;
	unsigned i;

	if (e == NULL)
		return;
	for (i = 0; i < e->maxjobs; i++) {
		if (e->slots[i].pid == 0)
			continue;
		exec_kill(&e->slots[i], 0);
		exec_reap(e, &e->slots[i], 0);
	}
	while ((job = e->head) != NULL) {
		e->head = job->next;
		exec_job_free(job);
	}
	for (i = 0; e->argv[i] != NULL; i++)
		free(e->argv[i]);
	free(e->argv);
	while (e->npaths > 0)
		free(e->paths[--e->npaths]);
	free(e->paths);
	free(e->slots);
	free(e);
}

unsigned
exec_poll(struct exec *e)
{
	struct exec_slot *s;
	struct exec_job *job;
	double now;
	unsigned i;

	now = exec_now();
	for (i = 0; i < e->maxjobs; i++) {
		s = &e->slots[i];
		if (s->pid == 0 || exec_reap(e, s, WNOHANG))
			continue;
		if (s->deadline > 0 && now >= s->deadline) {
			if (s->killed)
				s->deadline = now + EXEC_REAP_RETRY;
			else {
				exec_kill(s, now);
				exec_reap(e, s, WNOHANG);
			}
		}
	}
	while (e->nrunning < e->maxjobs && (job = e->head) != NULL) {
		if ((e->head = job->next) == NULL)
			e->tail = NULL;
		e->qlen--;
		exec_start(e, job);
	}
	return e->nrunning;
}

void
exec_alert(struct exec *e, const char *json, size_t len,
    const struct exec_job_env *env)
{
	struct exec_job *job;

	/* Without an event loop the caller may never poll: reap here. */
	if (e->nrunning == e->maxjobs)
		exec_poll(e);
	if (e->nrunning < e->maxjobs) {
		exec_start(e, exec_job_new(json, len, env));
		return;
	}
	if (e->qlen >= e->maxqueue) {
		e->st.dropped++;
		return;
	}
	job = exec_job_new(json, len, env);
	if (e->tail != NULL)
		e->tail->next = job;
	else
		e->head = job;
	e->tail = job;
	e->qlen++;
}

double
exec_next_deadline(const struct exec *e)
{
	double now, next = -1, left;
	unsigned i;

	now = exec_now();
	for (i = 0; i < e->maxjobs; i++) {
		if (e->slots[i].pid == 0 || e->slots[i].deadline <= 0)
			continue;
		left = e->slots[i].deadline - now;
		if (left < 0)
			left = 0;
		if (next < 0 || left < next)
			next = left;
	}
	return next;
}

void
exec_drain(struct exec *e)
{
	struct timespec ts;
	sigset_t chld, old;
	double wait;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	/* Blocked, a SIGCHLD between exec_poll() and the wait stays pending. */
	sigprocmask(SIG_BLOCK, &chld, &old);
	while (exec_poll(e) > 0) {
		wait = exec_next_deadline(e);
		if (wait < 0 || wait > EXEC_DRAIN_STEP)
			wait = EXEC_DRAIN_STEP;
		ts.tv_sec = (time_t)wait;
		ts.tv_nsec = (long)((wait - (double)ts.tv_sec) * 1e9);
		sigtimedwait(&chld, NULL, &ts);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
}

void
exec_stats(const struct exec *e, struct exec_stats *st)
{
	*st = e->st;
	st->running = e->nrunning;
	st->queued = e->qlen;
}
