/* progress: the progress line of batch runs. See progress.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"
#include "xmalloc.h"

#define PROGRESS_EVERY	0.1	/* seconds between redraws */

struct progress {
	int		fd;
	uint64_t	total;
	double		start;
	double		last;
};

double
progress_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
progress_draw(struct progress *p, uint64_t done, uint64_t alerts, double now)
{
	char line[160];
	double secs = now - p->start, rate, left;
	int n;

	rate = secs > 0 ? (double)done / secs : 0;
	n = snprintf(line, sizeof(line), "\rcxwatch: %.1f", (double)done / 1e6);
	if (p->total > 0) {
		left = rate > 0 ? (double)(p->total - (done < p->total ? done :
		    p->total)) / rate : 0;
		n += snprintf(line + n, sizeof(line) - (size_t)n,
		    "/%.1f MB %3d%% %.1f MB/s ETA %d:%02d",
		    (double)p->total / 1e6,
		    (int)(done >= p->total ? 100 : done * 100 / p->total),
		    rate / 1e6, (int)left / 60, (int)left % 60);
	} else
		n += snprintf(line + n, sizeof(line) - (size_t)n,
		    " MB %.1f MB/s", rate / 1e6);
	n += snprintf(line + n, sizeof(line) - (size_t)n, " alerts %llu\033[K",
	    (unsigned long long)alerts);
	/* A terminal that cannot take it is no reason to stop. */
	if (write(p->fd, line, (size_t)n) < 0)
		return;
	p->last = now;
}

struct progress *
progress_new(int fd, uint64_t total)
{
	struct progress *p = xcalloc(1, sizeof(*p));

	p->fd = fd;
	p->total = total;
	p->start = progress_clock();
	progress_draw(p, 0, 0, p->start);
	return p;
}

void
progress_update(struct progress *p, uint64_t done, uint64_t alerts)
{
	double now = progress_clock();

	if (now - p->last >= PROGRESS_EVERY)
		progress_draw(p, done, alerts, now);
}

void
progress_end(struct progress *p)
{
	static const char erase[] = "\r\033[K";

	if (p == NULL)
		return;
	if (write(p->fd, erase, sizeof(erase) - 1) == -1)
		p->fd = -1;	/* a broken terminal: nothing more to do */
	free(p);
}
