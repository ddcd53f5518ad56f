/*
 * status: the exit status of the run, in one place, as grep's: 0 an
 * alert was raised, 1 none, 2 trouble. Trouble only goes up: whatever
 * part of the run meets it (a bad input, a state that cannot be saved,
 * an --exec program that failed) raises it, and the others still run.
 * Used by main.c, which alone decides what is trouble.
 */
#ifndef CXW_STATUS_H
#define CXW_STATUS_H

#define CXW_EXIT_ALERT		0
#define CXW_EXIT_NOALERT	1
#define CXW_EXIT_TROUBLE	2

/* Note trouble; the run ends with CXW_EXIT_TROUBLE. */
void	status_trouble(void);
/* 1 once status_trouble() was called. */
int	status_troubled(void);
/* The exit status: trouble, else 0 when alerted, else 1. */
int	status_exit(int alerted);

#endif
