/* err.c -- formatting of LeapErr messages (see err.h). */
#include "err.h"
#include <stdio.h>

int err_set(LeapErr *e, int code, const char *fmt, ...)
{
    if (e) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(e->msg, sizeof e->msg, fmt, ap);
        va_end(ap);
        e->code = code;
        e->sys = 0;
    }
    return code;
}

int err_sys(LeapErr *e, const char *fmt, ...)
{
    if (e) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(e->msg, sizeof e->msg, fmt, ap);
        va_end(ap);
        e->code = LEAP_EINTERNAL;
        e->sys = 1;
    }
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
