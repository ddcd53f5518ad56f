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
	char small[256], *m;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	m = xmalloc(n < 0 ? 1 : (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(m, n < 0 ? 1 : (size_t)n + 1, fmt, ap);
	va_end(ap);
	if (d->nmsgs == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 8;
		d->msgs = xreallocarray(d->msgs, d->cap, sizeof(*d->msgs));
	}
	d->msgs[d->nmsgs++] = m;
}
