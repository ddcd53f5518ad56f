/*
 * progress: one line on a terminal saying how far a batch run has got:
 * bytes done of the total, percent, MB/s, time left and alerts so far.
 * Redrawn at most ten times a second and erased at the end. The caller
 * decides whether to show it (stderr a terminal, inputs regular files).
 */
#ifndef CXW_PROGRESS_H
#define CXW_PROGRESS_H

#include <stdint.h>

struct progress;

/* total 0: unknown (no percent, no time left). Draws the first line. */
struct progress	*progress_new(int fd, uint64_t total);
/* Redraw if 100 ms have passed since the last time. */
void		 progress_update(struct progress *, uint64_t done,
		    uint64_t alerts);
/* Monotonic seconds: what the rates are measured with. */
double		 progress_clock(void);

/* Erase the line and free; NULL is fine. */
void		 progress_end(struct progress *);

#endif
