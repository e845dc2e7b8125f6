/* mem.c -- accounting allocator (see mem.h). Thread-safe counters. */
#include "mem.h"
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static _Atomic size_t held, peak;  /* process-wide accounting, not model state */

static void account(size_t old_size, size_t new_size)
{
    size_t now = atomic_fetch_add(&held, new_size - old_size) + new_size - old_size;
    size_t p = atomic_load(&peak);
    while (now > p && !atomic_compare_exchange_weak(&peak, &p, now)) {}
}

void *mem_realloc(void *p, size_t old_size, size_t new_size)
{
    if (new_size == 0) {
        free(p);
        account(old_size, 0);
        return NULL;
    }
    void *q = realloc(p, new_size);
    if (!q) {
        fprintf(stderr, "leap: out of memory (asked for %zu bytes)\n", new_size);
        abort();
    }
    account(old_size, new_size);
    return q;
}

void *mem_calloc(size_t n, size_t size)
{
    if (size && n > (size_t)-1 / size) {
        fprintf(stderr, "leap: allocation size overflow (%zu x %zu)\n", n, size);
        abort();
    }
    if (n * size == 0) return NULL;
    void *q = calloc(n, size);
    if (!q) {
        fprintf(stderr, "leap: out of memory (asked for %zu bytes)\n", n * size);
        abort();
    }
    account(0, n * size);
    return q;
}

void mem_free(void *p, size_t size)
{
    if (p) mem_realloc(p, size, 0);
}

char *mem_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = mem_realloc(NULL, 0, n);
    memcpy(d, s, n);
    return d;
}

size_t mem_bytes(void) { return atomic_load(&held); }
size_t mem_peak(void) { return atomic_load(&peak); }

size_t mem_peak_rss_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f) return 0;
    char line[256];
    size_t kib = 0;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmHWM: %zu kB", &kib) == 1) break;
    fclose(f);
    return kib;
}
