/*
** err.h -- the three kinds of error in leap.
**
** 1. Bad input (scenario YAML, --set overrides, CLI flags, data files):
**    a function fills a LeapErr with "file:line:col: what is wrong; what is
**    allowed" and returns LEAP_EINPUT.  Nothing is printed and nothing exits
**    below main.c.
** 2. Bugs: LEAP_ASSERT() in checked builds (-DLEAP_CHECKED), ALWAYS()/NEVER()
**    around defensive code so the defence is visible to tests.
** 3. Out of memory: mem_realloc() aborts, so callers never test for NULL.
** 4. The system refused (a full disk, a read-only folder): err_sys() fills a
**    LeapErr with the path and strerror(errno); exit status 1 like a bug,
**    but not reported as one.
**
** Only main.c turns a LeapErr into an exit status: 0 success, 2 bad input,
** 1 internal error or the system's refusal.
*/
#ifndef LEAP_ERR_H
#define LEAP_ERR_H

#include <stdarg.h>

enum { LEAP_OK = 0, LEAP_EINTERNAL = 1, LEAP_EINPUT = 2 };

typedef struct LeapErr {
    int code;        /* LEAP_OK, LEAP_EINPUT or LEAP_EINTERNAL */
    int sys;         /* LEAP_EINTERNAL from err_sys(): the system, not a bug; or a message that says
                        itself when it is one (no "this is a bug" line after it) */
    char msg[1024];  /* human-readable, one or more lines, no trailing newline */
} LeapErr;

/* Fill *e (if not NULL) and return code.  printf-style. */
int err_set(LeapErr *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* LEAP_EINTERNAL, marked as the system's refusal (e->sys): a write or
   rename that failed for a reason outside leap.  printf-style. */
int err_sys(LeapErr *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "file:line:col: " prefix, then the message. */
int err_at(LeapErr *e, const char *file, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Each occurrence of `from` in e's message becomes `to` (a temporary
   path renamed to the one the user gave); the message is cut if it grows
   past its room. */
void err_replace(LeapErr *e, const char *from, const char *to);

/* LEAP_OK if path is an existing file that is not a directory; else fill *e
   with "path: no such file" or "path: is a directory; <what> is expected"
   (no line or column: there is no text to point into). */
int err_check_file(LeapErr *e, const char *path, const char *what);

#ifdef LEAP_CHECKED
#include <assert.h>
#define LEAP_ASSERT(x) assert(x)
#define ALWAYS(x) ((x) ? 1 : (assert(0), 0))
#define NEVER(x) ((x) ? (assert(0), 1) : 0)
#else
#define LEAP_ASSERT(x) ((void)0)
#define ALWAYS(x) (x)
#define NEVER(x) (x)
#endif

#endif
