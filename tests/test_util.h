/* test_util.h -- shared helpers for leap's cmocka tests. */
#ifndef LEAP_TEST_UTIL_H
#define LEAP_TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

/* Write `text` to a fresh file under /tmp; returns its path (static buffer
   per call site is the caller's: pass one in). */
static inline const char *write_tmp(char *path, size_t len, const char *name, const char *text)
{
    snprintf(path, len, "/tmp/leap-test-%d-%s", (int)getpid(), name);
    FILE *f = fopen(path, "w");
    if (!f) return NULL;
    fputs(text, f);
    fclose(f);
    return path;
}

/* The data folder of the source tree (tests run from the repository root). */
#define TEST_DATA "data"

#endif
