/* diag: collected diagnostics. See diag.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "diag.h"
#include "xmalloc.h"

void
diag_init(struct diag *d)
{
	d->msgs = NULL;
	d->nmsgs = d->cap = 0;
}

void
diag_free(struct diag *d)
{
	size_t i;

	for (i = 0; i < d->nmsgs; i++)
		free(d->msgs[i]);
	free(d->msgs);
	diag_init(d);
}

void
diag_add(struct diag *d, const char *fmt, ...)
{
	va_list ap;
	char *m;

	va_start(ap, fmt);
	m = xvasprintf(fmt, ap);
	va_end(ap);
	if (d->nmsgs == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 8;
		d->msgs = xreallocarray(d->msgs, d->cap, sizeof(*d->msgs));
	}
	d->msgs[d->nmsgs++] = m;
}
