/*
 * xmalloc: allocation that cannot fail. On exhaustion it prints
 * "cxwatch: out of memory" and exits 2; callers never check for NULL.
 */
#ifndef CXW_XMALLOC_H
#define CXW_XMALLOC_H

#include <stdarg.h>
#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t nmemb, size_t size);
void	*xreallocarray(void *, size_t nmemb, size_t size);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
/* printf into a new string; caller frees. */
char	*xasprintf(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2), nonnull(1)));

char	*xvasprintf(const char *fmt, va_list ap)
	    __attribute__((format(printf, 1, 0), nonnull(1)));

#endif
