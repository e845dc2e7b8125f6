/* mem.c -- accounting allocator (see mem.h). Thread-safe counters. */
#include "mem.h"
#include <sys/resource.h>
#include <stdatomic.h>
#include <stdint.h>
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

/* A number after `key` in a /proc-style file, times `unit`; 0 if absent. */
static size_t read_field(const char *path, const char *key, size_t unit)
{
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    char line[256];
    size_t v = 0, kl = strlen(key);
    while (fgets(line, sizeof line, f))
        if (strncmp(line, key, kl) == 0) { v = (size_t)strtoull(line + kl, NULL, 10) * unit; break; }
    fclose(f);
    return v;
}

size_t mem_available(void)
{
    size_t avail = read_field("/proc/meminfo", "MemAvailable:", 1024);
    if (!avail) avail = SIZE_MAX;
    /* cgroup v2: the limit less what the group uses */
    FILE *f = fopen("/sys/fs/cgroup/memory.max", "r");
    if (f) {
        char buf[64] = "";
        if (fgets(buf, sizeof buf, f) && strncmp(buf, "max", 3) != 0) {
            size_t lim = (size_t)strtoull(buf, NULL, 10);
            size_t used = read_field("/sys/fs/cgroup/memory.current", "", 1);
            if (lim > used && lim - used < avail) avail = lim - used;
        }
        fclose(f);
    }
    /* ulimit -v: the limit less the address space already mapped */
    struct rlimit rl;
    if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
        size_t vm = read_field("/proc/self/status", "VmSize:", 1024);
        size_t room = (size_t)rl.rlim_cur > vm ? (size_t)rl.rlim_cur - vm : 0;
        if (room < avail) avail = room;
    }
    return avail;
}

char *mem_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, n = 0, got;
    char *buf = mem_realloc(NULL, 0, cap);
    while ((got = fread(buf + n, 1, cap - n, f)) > 0)
        if ((n += got) == cap) { buf = mem_realloc(buf, cap, 2 * cap); cap *= 2; }
    int bad = ferror(f);
    fclose(f);
    if (bad) { mem_free(buf, cap); return NULL; }
    buf = mem_realloc(buf, cap, n + 1);
    buf[n] = '\0';
    *len = n;
    return buf;
}
