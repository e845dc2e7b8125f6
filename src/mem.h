/*
** mem.h -- the one allocation hook.
**
** Every heap allocation of leap goes through mem_realloc(), so that memory
** can be accounted (mem_bytes(), mem_peak()), leaks found (a test checks
** mem_bytes() returns to zero) and a failed allocation handled in one place:
** it aborts with a message, so no caller tests for NULL.  mem_realloc(p, old,
** 0) frees and returns NULL.  The caller passes the old size; sizes are the
** caller's bookkeeping, as in Lua's frealloc.
*/
#ifndef LEAP_MEM_H
#define LEAP_MEM_H

#include <stddef.h>

void *mem_realloc(void *p, size_t old_size, size_t new_size);
/* Zeroed allocation of n*size bytes (checked for overflow). Returns owned. */
void *mem_calloc(size_t n, size_t size);
void mem_free(void *p, size_t size);
char *mem_strdup(const char *s);           /* returns owned; free with mem_free(p, strlen+1) */
/* A whole file as text, NUL-terminated, or NULL if it cannot be read;
   *len its bytes.  Returns owned: free with mem_free(p, *len + 1). */
char *mem_read_file(const char *path, size_t *len);
size_t mem_bytes(void);                    /* bytes currently held */
size_t mem_peak(void);                     /* high-water mark of mem_bytes() */
size_t mem_peak_rss_kib(void);             /* the kernel's VmHWM for this process */
/* Bytes this process may still take: MemAvailable (/proc/meminfo), less if a
   cgroup memory limit (memory.max) or an address-space limit (ulimit -v)
   leaves less room.  SIZE_MAX if none can be read. */
size_t mem_available(void);

#endif
