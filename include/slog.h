/*
 * slog: alerts to syslog (--syslog), as one RFC 3164 datagram each on a
 * local socket (/dev/log by default), so the systemd journal or rsyslog
 * gets them with a facility and a tag. Written here rather than with
 * syslog(3) so that the socket can be named and nothing is global.
 * Never prints: a message that cannot be sent is counted as lost and
 * told to the caller's function (slog_on_lost()). Each message is sent
 * to the socket's path afresh, so a syslog that restarts (a new socket
 * at the same path) gets the next one.
 */
#ifndef CXW_SLOG_H
#define CXW_SLOG_H

#include <stdint.h>

struct slog;

/*
 * facility: a syslog facility name (daemon, user, local0..local7, auth,
 * ...); NULL if unknown, with *cause set. socket NULL: /dev/log.
 */
struct slog	*slog_new(const char *socket, const char *facility,
		    const char *tag, const char **cause);
void		 slog_free(struct slog *);	/* NULL is fine */

/* One message at severity "warning"; msg is trusted (escaped) text. */
void		 slog_send(struct slog *, const char *msg, size_t len);

/* Messages that could not be sent. */
uint64_t	 slog_lost(const struct slog *);

/*
 * Whether something listens on the socket (connect(2) on a probe
 * socket): 0, or the errno (ENOENT: no socket; ECONNREFUSED: nobody).
 */
int		 slog_check(const struct slog *);

/* fn(arg, errno) for each message that could not be sent. */
void		 slog_on_lost(struct slog *, void (*fn)(void *arg, int error),
		    void *arg);

#endif
