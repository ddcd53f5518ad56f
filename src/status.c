/* status: the run's exit status. See status.h. */
#include "status.h"

static int status_bad;

void
status_trouble(void)
{
	status_bad = 1;
}

int
status_troubled(void)
{
	return status_bad;
}

int
status_exit(int alerted)
{
	if (status_bad)
		return CXW_EXIT_TROUBLE;
	return alerted ? CXW_EXIT_ALERT : CXW_EXIT_NOALERT;
}
