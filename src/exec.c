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
 * "running" counts zombies until exec_poll() sees them. A child that has
 * ended is first looked at with waitid(WNOWAIT): while it is a zombie its
 * pid, and so its process group id, cannot be reused, so the group can
 * be killed before the child is reaped.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* memfd_create */
#endif

#include <sys/mman.h>
#include <sys/stat.h>
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

#define EXEC_NVARS	6
#define EXEC_REAP_RETRY	0.05	/* s between looks at a killed child */
#define EXEC_DRAIN_STEP	0.1	/* s, longest sleep in exec_drain() */

/* Why a slot's child was killed. */
#define EXEC_KILL_TIMEOUT	1
#define EXEC_KILL_STOP		2	/* exec_stop() or exec_free() */

extern char **environ;

static const char *const exec_names[EXEC_NVARS] = {
	"CX_CUSTOMER", "CX_SCORE", "CX_TIME", "CX_CHANNELS", "CX_RULES",
	"CX_DETECTOR"
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
	int		 killed;	/* 0, or EXEC_KILL_* */
	int		 errfd;		/* the child's errno if exec fails */
	char		*customer;	/* for exec_on_end() */
};

struct exec {
	char		**argv;		/* program, args..., NULL */
	char		**paths;	/* what execve() tries, in order */
	size_t		  npaths;
	int		  searched;	/* paths are from PATH */
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
	void		(*on_end)(void *, const struct exec_end *);
	void		 *on_end_arg;
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
	e->searched = 1;
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

void
exec_on_end(struct exec *e, void (*fn)(void *, const struct exec_end *),
    void *arg)
{
	e->on_end = fn;
	e->on_end_arg = arg;
}

static void
exec_tell(struct exec *e, enum exec_how how, int code, const char *call,
    const char *customer)
{
	struct exec_end end;

	if (e->on_end == NULL)
		return;
	end.how = how;
	end.code = code;
	end.call = call;
	end.customer = customer != NULL ? customer : "";
	e->on_end(e->on_end_arg, &end);
}

/* What execve() of path would say, as far as stat(2) and access(2) tell. */
static int
exec_runnable(const char *path)
{
	struct stat sb;

	if (stat(path, &sb) == -1)
		return errno;
	if (!S_ISREG(sb.st_mode) || access(path, X_OK) == -1)
		return EACCES;
	return 0;
}

int
exec_check(const struct exec *e, char **cause)
{
	int error = ENOENT, acces = 0;
	size_t i;

	for (i = 0; i < e->npaths; i++) {
		if ((error = exec_runnable(e->paths[i])) == 0)
			return 0;
		if (error == EACCES)
			acces = 1;
	}
	/* execvp(3): EACCES on any element wins over not found. */
	if (acces)
		error = EACCES;
	*cause = xasprintf("%s: %s%s", e->argv[0], strerror(error),
	    e->searched ? " (looked in PATH)" : "");
	return -1;
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
		val[5] = env->detector;
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

/* Close every fd above 2 but keep (> 2). */
static void
exec_closefrom(long maxfd, int keep)
{
	long fd;

#ifdef SYS_close_range
	if ((keep == 3 || syscall(SYS_close_range, 3U, (unsigned)keep - 1,
	    0U) == 0) && syscall(SYS_close_range, (unsigned)keep + 1, ~0U,
	    0U) == 0)
		return;
#endif
	for (fd = 3; fd < maxfd; fd++)
		if (fd != keep)
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

/* In the child: tell the parent why, and give up. */
static _Noreturn void
exec_child_fail(int errfd, int error)
{
	ssize_t n;

	do
		n = write(errfd, &error, sizeof(error));
	while (n == -1 && errno == EINTR);
	_exit(127);
}

/* In the child, every signal blocked: async-signal-safe calls only. */
static _Noreturn void
exec_child(const struct exec *e, int fd, int errfd, char *const *envp)
{
	struct sigaction sa, dfl;
	sigset_t none;
	size_t i;
	int sig, error = ENOENT, acces = 0;

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
			exec_child_fail(errfd, errno);
	} else {
		if (dup2(fd, 0) == -1)
			exec_child_fail(errfd, errno);
		if (fd <= 2)
			close(fd);
	}
	exec_closefrom(e->maxfd, errfd);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (i = 0; i < e->npaths; i++) {
		execve(e->paths[i], e->argv, envp);
		error = errno;
		if (error == EACCES)
			acces = 1;
		if (!exec_try_next(error))
			break;
	}
	/* execvp(3): EACCES on any element wins over not found. */
	exec_child_fail(errfd, acces && exec_try_next(error) ? EACCES : error);
}

/* The close-on-exec pipe a child reports a failed exec on, above fd 2. */
static int
exec_errpipe(int p[2])
{
	int i, fd;

	if (pipe2(p, O_CLOEXEC | O_NONBLOCK) == -1)
		return -1;
	for (i = 0; i < 2; i++) {
		if (p[i] > 2)
			continue;
		fd = fcntl(p[i], F_DUPFD_CLOEXEC, 3);
		close(p[i]);
		if ((p[i] = fd) == -1) {
			close(p[1 - i]);
			return -1;
		}
	}
	return 0;
}

/* The errno a child sent before exiting 127, or 0 (it did exec). */
static int
exec_child_error(struct exec_slot *s)
{
	ssize_t n;
	int error = 0;

	do
		n = read(s->errfd, &error, sizeof(error));
	while (n == -1 && errno == EINTR);
	close(s->errfd);
	s->errfd = -1;
	return n == (ssize_t)sizeof(error) ? error : 0;
}

/* The job's CX_CUSTOMER value. */
static const char *
exec_job_customer(const struct exec_job *job)
{
	return job->vars[0] + strlen(exec_names[0]) + 1;
}

/* Count and tell a job that could not be started; the job is freed. */
static void
exec_spawn_failed(struct exec *e, struct exec_job *job, const char *call,
    int error)
{
	e->st.spawn_failed++;
	exec_tell(e, EXEC_NOTRUN, error, call, exec_job_customer(job));
	exec_job_free(job);
}

/* Start job in a free slot, or count it as spawn_failed; job is freed. */
static void
exec_start(struct exec *e, struct exec_job *job)
{
	struct exec_slot *s;
	sigset_t all, old;
	char **envp;
	pid_t pid;
	int fd, ep[2], error;

	if ((fd = exec_stdin(job->json, job->len)) == -1) {
		exec_spawn_failed(e, job, "memfd_create", errno);
		return;
	}
	if (exec_errpipe(ep) == -1) {
		error = errno;
		close(fd);
		exec_spawn_failed(e, job, "pipe", error);
		return;
	}
	envp = exec_envp(job);
	/* A child whose exec fails exits with these still reachable. */
	e->forking = job;
	e->forkenv = envp;
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	if ((pid = fork()) == 0)
		exec_child(e, fd, ep[1], envp);
	error = errno;
	sigprocmask(SIG_SETMASK, &old, NULL);
	e->forking = NULL;
	e->forkenv = NULL;
	close(fd);
	close(ep[1]);
	free(envp);
	if (pid == -1) {
		close(ep[0]);
		exec_spawn_failed(e, job, "fork", error);
		return;
	}
	/* As the child does: whichever runs first, the group exists. */
	setpgid(pid, pid);
	for (s = e->slots; s->pid != 0; s++)
		continue;
	s->pid = pid;
	s->deadline = e->timeout > 0 ? exec_now() + e->timeout : 0;
	s->killed = 0;
	s->errfd = ep[0];
	s->customer = xstrdup(exec_job_customer(job));
	exec_job_free(job);
	e->nrunning++;
	e->st.started++;
}

/* Count how s's child ended, and tell what went wrong. */
static void
exec_ended(struct exec *e, struct exec_slot *s, pid_t r, int status)
{
	int error = exec_child_error(s);

	if (s->killed == EXEC_KILL_STOP)
		e->st.stop_killed++;
	else if (s->killed == EXEC_KILL_TIMEOUT) {
		e->st.killed++;
		exec_tell(e, EXEC_TIMEOUT, 0, NULL, s->customer);
	} else if (error != 0) {
		e->st.notrun++;
		exec_tell(e, EXEC_NOTRUN, error, "execve", s->customer);
	} else if (r == s->pid && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0)
		e->st.exited_ok++;
	else {
		e->st.exited_fail++;
		/* r == -1 (ECHILD): someone else reaped it; status lost. */
		if (r != s->pid)
			exec_tell(e, EXEC_EXIT, -1, NULL, s->customer);
		else if (WIFSIGNALED(status))
			exec_tell(e, EXEC_SIGNAL, WTERMSIG(status), NULL,
			    s->customer);
		else
			exec_tell(e, EXEC_EXIT, WEXITSTATUS(status), NULL,
			    s->customer);
	}
}

/*
 * Reap s if it has ended (block: wait for it); 1 if it was. What is left
 * in its process group is killed first (cxwatch(1) --exec).
 */
static int
exec_reap(struct exec *e, struct exec_slot *s, int block)
{
	siginfo_t si;
	pid_t r;
	int status = 0, rc;

	memset(&si, 0, sizeof(si));
	while ((rc = waitid(P_PID, (id_t)s->pid, &si, WEXITED | WNOWAIT |
	    (block ? 0 : WNOHANG))) == -1 && errno == EINTR)
		continue;
	if (rc == 0 && si.si_pid == 0)
		return 0;
	if (rc == 0)
		kill(-s->pid, SIGKILL);
	while ((r = waitpid(s->pid, &status, 0)) == -1 && errno == EINTR)
		continue;
	exec_ended(e, s, r, status);
	free(s->customer);
	s->customer = NULL;
	s->pid = 0;
	e->nrunning--;
	return 1;
}

/* The child and whatever it started in its process group. */
static void
exec_kill(struct exec_slot *s, int why, double now)
{
	kill(-s->pid, SIGKILL);
	kill(s->pid, SIGKILL);
	if (s->killed == 0)
		s->killed = why;
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
		exec_kill(&e->slots[i], EXEC_KILL_STOP, 0);
		exec_reap(e, &e->slots[i], 1);
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
		if (s->pid == 0 || exec_reap(e, s, 0))
			continue;
		if (s->deadline > 0 && now >= s->deadline) {
			if (s->killed)
				s->deadline = now + EXEC_REAP_RETRY;
			else {
				exec_kill(s, EXEC_KILL_TIMEOUT, now);
				exec_reap(e, s, 0);
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
		exec_tell(e, EXEC_DROPPED, 0, NULL,
		    env != NULL ? env->customer : NULL);
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

/* Sleep until a SIGCHLD, a signal handler, or at most until `until`. */
static void
exec_sleep(const struct exec *e, const sigset_t *chld, double until)
{
	struct timespec ts;
	double wait;

	wait = exec_next_deadline(e);
	if (wait < 0 || wait > EXEC_DRAIN_STEP)
		wait = EXEC_DRAIN_STEP;
	if (until > 0 && until - exec_now() < wait)
		wait = until - exec_now();
	if (wait < 0)
		wait = 0;
	ts.tv_sec = (time_t)wait;
	ts.tv_nsec = (long)((wait - (double)ts.tv_sec) * 1e9);
	sigtimedwait(chld, NULL, &ts);
}

int
exec_drain(struct exec *e, const volatile sig_atomic_t *stop)
{
	sigset_t chld, old;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	/* Blocked, a SIGCHLD between exec_poll() and the wait stays pending. */
	sigprocmask(SIG_BLOCK, &chld, &old);
	while (exec_poll(e) > 0 && (stop == NULL || !*stop))
		exec_sleep(e, &chld, 0);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return e->nrunning == 0 && e->qlen == 0 ? 0 : -1;
}

void
exec_stop(struct exec *e, double grace, const volatile sig_atomic_t *hurry)
{
	struct exec_job *job;
	sigset_t chld, old;
	double until = exec_now() + grace;
	unsigned i;

	while ((job = e->head) != NULL) {
		e->head = job->next;
		exec_job_free(job);
		e->st.stop_dropped++;
	}
	e->tail = NULL;
	e->qlen = 0;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &old);
	while (exec_poll(e) > 0 && exec_now() < until &&
	    (hurry == NULL || !*hurry))
		exec_sleep(e, &chld, until);
	sigprocmask(SIG_SETMASK, &old, NULL);
	for (i = 0; i < e->maxjobs; i++) {
		if (e->slots[i].pid == 0)
			continue;
		exec_kill(&e->slots[i], EXEC_KILL_STOP, 0);
		exec_reap(e, &e->slots[i], 1);
	}
}

void
exec_stats(const struct exec *e, struct exec_stats *st)
{
	*st = e->st;
	st->running = e->nrunning;
	st->queued = e->qlen;
}
