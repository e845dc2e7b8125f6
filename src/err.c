/* err.c -- formatting of LeapErr messages (see err.h). */
#include "err.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* The message, code and kind into *e (if not NULL); returns code. */
static int fill(LeapErr *e, int code, int sys, const char *fmt, va_list ap)
{
    if (e) {
        vsnprintf(e->msg, sizeof e->msg, fmt, ap);
        e->code = code;
        e->sys = sys;
    }
    return code;
}

int err_set(LeapErr *e, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fill(e, code, 0, fmt, ap);
    va_end(ap);
    return code;
}

int err_sys(LeapErr *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fill(e, LEAP_EINTERNAL, 1, fmt, ap);
    va_end(ap);
    return LEAP_EINTERNAL;
}

int err_at(LeapErr *e, const char *file, int line, int col, const char *fmt, ...)
{
    if (e) {
        int n = snprintf(e->msg, sizeof e->msg, "%s:%d:%d: ", file, line, col);
        if (n < 0 || (size_t)n >= sizeof e->msg) n = 0;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(e->msg + n, sizeof e->msg - (size_t)n, fmt, ap);
        va_end(ap);
        e->code = LEAP_EINPUT;
        e->sys = 0;
    }
    return LEAP_EINPUT;
}

int err_check_file(LeapErr *e, const char *path, const char *what)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return errno == ENOENT ? err_set(e, LEAP_EINPUT, "%s: no such file; %s is expected", path, what)
                               : err_set(e, LEAP_EINPUT, "%s: cannot open (%s)", path, strerror(errno));
    if (S_ISDIR(sb.st_mode)) return err_set(e, LEAP_EINPUT, "%s: is a directory; %s is expected", path, what);
    if (!S_ISREG(sb.st_mode))   /* a FIFO or a device would block the read or never end */
        return err_set(e, LEAP_EINPUT, "%s: not a regular file (a pipe or a device); %s is expected", path, what);
    return LEAP_OK;
}

void err_replace(LeapErr *e, const char *from, const char *to)
{
    size_t nf = strlen(from);
    if (!e || !nf || !strstr(e->msg, from)) return;
    char out[sizeof e->msg];
    size_t o = 0;
    for (const char *p = e->msg; *p && o + 1 < sizeof out;) {
        if (!strncmp(p, from, nf)) {
            o += (size_t)snprintf(out + o, sizeof out - o, "%s", to);
            if (o >= sizeof out) o = sizeof out - 1;
            p += nf;
        } else out[o++] = *p++;
    }
    out[o] = '\0';
    memcpy(e->msg, out, sizeof out);
}
