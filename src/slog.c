/* slog: RFC 3164 datagrams to the local syslog socket. See slog.h. */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "slog.h"
#include "xmalloc.h"

#define SLOG_WARNING	4
#define SLOG_MAX	8192	/* bytes of message per datagram */

static const struct {
	const char	*name;
	int		 code;
} slog_facilities[] = {
	{ "kern", 0 }, { "user", 1 }, { "mail", 2 }, { "daemon", 3 },
	{ "auth", 4 }, { "syslog", 5 }, { "lpr", 6 }, { "news", 7 },
	{ "uucp", 8 }, { "cron", 9 }, { "authpriv", 10 }, { "ftp", 11 },
	{ "local0", 16 }, { "local1", 17 }, { "local2", 18 },
	{ "local3", 19 }, { "local4", 20 }, { "local5", 21 },
	{ "local6", 22 }, { "local7", 23 }
};

struct slog {
	struct sockaddr_un	 addr;
	int			 fd;
	int			 facility;
	char			*tag;
	uint64_t		 lost;
	void			(*on_lost)(void *, int);
	void			*on_lost_arg;
};

struct slog *
slog_new(const char *path, const char *facility, const char *tag,
    const char **cause)
{
	struct slog *s;
	size_t i, n = sizeof(slog_facilities) / sizeof(slog_facilities[0]);

	if (path == NULL)
		path = "/dev/log";
	for (i = 0; i < n; i++)
		if (strcmp(slog_facilities[i].name, facility) == 0)
			break;
	if (i == n) {
		*cause = "not a syslog facility (try daemon, user or "
		    "local0 to local7)";
		return NULL;
	}
	if (strlen(path) >= sizeof(s->addr.sun_path)) {
		*cause = "socket path too long";
		return NULL;
	}
	s = xcalloc(1, sizeof(*s));
	s->facility = slog_facilities[i].code;
	s->tag = xstrdup(tag);
	s->addr.sun_family = AF_UNIX;
	memcpy(s->addr.sun_path, path, strlen(path) + 1);
	/* A syslog that is down must not stall the alerts. */
	s->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	return s;
}

void
slog_free(struct slog *s)
{
	if (s == NULL)
		return;
	if (s->fd != -1)
		close(s->fd);
	free(s->tag);
	free(s);
}

uint64_t
slog_lost(const struct slog *s)
{
	return s->lost;
}

int
slog_check(const struct slog *s)
{
	int fd, error = 0;

	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return errno;
	if (connect(fd, (const struct sockaddr *)&s->addr,
	    sizeof(s->addr)) == -1)
		error = errno;
	close(fd);
	return error;
}

void
slog_on_lost(struct slog *s, void (*fn)(void *, int), void *arg)
{
	s->on_lost = fn;
	s->on_lost_arg = arg;
}

void
slog_send(struct slog *s, const char *msg, size_t len)
{
	char buf[SLOG_MAX + 256], stamp[32];
	struct tm tm;
	time_t now = time(NULL);
	int n, error;

	if (len > SLOG_MAX)
		len = SLOG_MAX;
	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%b %e %H:%M:%S", &tm);
	n = snprintf(buf, sizeof(buf), "<%d>%s %s[%ld]: %.*s",
	    s->facility * 8 + SLOG_WARNING, stamp, s->tag, (long)getpid(),
	    (int)len, msg);
	if (n < 0)
		error = EINVAL;
	else if (s->fd == -1)
		error = EBADF;
	else if (sendto(s->fd, buf, (size_t)n > sizeof(buf) ? sizeof(buf) :
	    (size_t)n, MSG_NOSIGNAL, (struct sockaddr *)&s->addr,
	    sizeof(s->addr)) == -1)
		error = errno;
	else
		return;
	s->lost++;
	if (s->on_lost != NULL)
		s->on_lost(s->on_lost_arg, error);
}
