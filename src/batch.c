/* batch.c -- many runs as child processes (see batch.h). */
#include "batch.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

volatile sig_atomic_t batch_stop_signal;

void batch_dir(const Batch *b, int i, char *buf, size_t len) { snprintf(buf, len, "%s/job-%d", b->workdir, i); }

void batch_set(BatchJob *j, const char *key, const char *value)
{
    if (j->nsets < BATCH_MAX_SETS) snprintf(j->sets[j->nsets++], sizeof j->sets[0], "%s=%s", key, value);
}

void batch_remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *de;
    char p[4600];
    while ((de = readdir(d)))
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
            snprintf(p, sizeof p, "%.4300s/%s", dir, de->d_name);
            unlink(p);
        }
    closedir(d);
    rmdir(dir);
}

void batch_progress(int done, int n, void *ctx)
{
    const BatchProgress *p = ctx;
    if (p->quiet) return;
    int tty = isatty(2);
    if (!tty && done != n && done % (n / 10 > 0 ? n / 10 : 1)) return;
    double el = difftime(time(NULL), (time_t)p->t0), left = done ? el / done * (n - done) : 0;
    fprintf(stderr, "%sleap %s: run %d of %d, about %d:%02d left%s", tty ? "\r" : "", p->name, done, n, (int)left / 60,
            (int)left % 60, tty && done != n ? "  " : "\n");
}

void batch_cleanup(const Batch *b, int n)
{
    for (int i = 0; i < n; i++) {
        char d[4300];
        batch_dir(b, i, d, sizeof d - 8);
        batch_remove_dir(d);
        strcat(d, ".log");
        unlink(d);
    }
    rmdir(b->workdir);
}

/* The messages ("leap: ...") of a child's log. */
static void log_tail(const char *path, char *buf, size_t n)
{
    buf[0] = '\0';
    FILE *f = fopen(path, "r");
    if (!f) return;
    char line[1024];
    size_t used = 0;
    while (fgets(line, sizeof line, f) && used < n) {
        if (strncmp(line, "leap: ", 6)) continue;
        used += (size_t)snprintf(buf + used, n - used, "%s", line + 6);
    }
    fclose(f);
    size_t l = strlen(buf);
    while (l && buf[l - 1] == '\n') buf[--l] = '\0';
}

/* The runs start with the signal mask the caller had (batch_run blocks the
   stop signals while it works; a run must not inherit that, or it could
   never be stopped). */
static int spawn(const Batch *b, const BatchJob *j, int i, const sigset_t *mask, pid_t *pid, LeapErr *e)
{
    char dir[4200], log[4300], seed[32], scale[64], threads[16];
    batch_dir(b, i, dir, sizeof dir);
    snprintf(log, sizeof log, "%s.log", dir);
    snprintf(seed, sizeof seed, "%d", j->seed);
    snprintf(scale, sizeof scale, "%.17g", b->scale);
    snprintf(threads, sizeof threads, "%d", b->threads_per_run);
    char *argv[24 + 2 * BATCH_MAX_SETS];
    int a = 0;
    argv[a++] = (char *)b->exe; argv[a++] = "run"; argv[a++] = (char *)b->scenario;
    argv[a++] = "--scale"; argv[a++] = scale; argv[a++] = "--seed"; argv[a++] = seed;
    argv[a++] = "--threads"; argv[a++] = threads; argv[a++] = "--out"; argv[a++] = dir;
    argv[a++] = "--force"; argv[a++] = "--quiet";
    /* --scratch: the job's folder is removed at the end, so the store must
       not name it; the run's series stay in the store */
    if (b->db) { argv[a++] = "--db"; argv[a++] = (char *)b->db; argv[a++] = "--scratch"; }
    else argv[a++] = "--no-db";
    for (int k = 0; k < j->nsets; k++) { argv[a++] = "--set"; argv[a++] = (char *)j->sets[k]; }
    argv[a] = NULL;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawnattr_t at;
    posix_spawnattr_init(&at);
    posix_spawnattr_setsigmask(&at, mask);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK);
    int rc = posix_spawn(pid, b->exe, &fa, &at, argv, environ);
    posix_spawnattr_destroy(&at);
    posix_spawn_file_actions_destroy(&fa);
    return rc ? err_sys(e, "cannot start %s: %s", b->exe, strerror(rc)) : LEAP_OK;
}

static void on_child(int sig) { (void)sig; }   /* only wakes sigsuspend in batch_run */

/* Send sig to the runs still going (pid 0: ended). */
static void forward(const pid_t *pid, int started, int sig)
{
    for (int k = 0; k < started; k++)
        if (pid[k] > 0) kill(pid[k], sig);
}

int batch_run(const Batch *b, const BatchJob *jobs, int n, CmpRun *out, int *stopped, LeapErr *e)
{
    int started = 0, done = 0, failed = 0, fail_job = -1, signalled = 0, forwarded = 0,
        jobs_at_once = b->jobs > 0 ? b->jobs : 1;
    pid_t pid[4096];
    *stopped = 0;
    if (n > 4096) return err_set(e, LEAP_EINTERNAL, "batch of %d runs: at most 4096 at once", n);
    /* A stop signal may reach this process alone (kill PID; Ctrl-C reaches
       the runs too, through the terminal's process group): it is forwarded
       to the runs in flight, which then end as they do on Ctrl-C.  The stop
       signals and SIGCHLD stay blocked except inside sigsuspend: one that
       comes after the test of batch_stop_signal stays pending and wakes the
       wait at once, where a blocking waitpid would sleep on until some run
       ended -- minutes, for a large run. */
    sigset_t block, caller, wait_mask;
    sigemptyset(&block);
    sigaddset(&block, SIGCHLD);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigprocmask(SIG_BLOCK, &block, &caller);
    wait_mask = caller;
    sigdelset(&wait_mask, SIGCHLD);
    sigdelset(&wait_mask, SIGINT);
    sigdelset(&wait_mask, SIGTERM);
    struct sigaction sa, old_chld;   /* SIGCHLD's default is to be discarded, which would not wake sigsuspend */
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_child;
    sa.sa_flags = SA_NOCLDSTOP;
    sigaction(SIGCHLD, &sa, &old_chld);
    while (done < n) {
        if (batch_stop_signal && !forwarded) {
            forward(pid, started, batch_stop_signal);
            forwarded = signalled = 1;   /* and no run starts from now on */
        }
        while (started < n && started - done < jobs_at_once && !failed && !signalled) {
            if (spawn(b, &jobs[started], started, &caller, &pid[started], e)) { failed = LEAP_EINTERNAL; break; }
            started++;
        }
        if (done == started) break;
        int status;
        pid_t p = waitpid(-1, &status, WNOHANG);
        if (p == 0) { sigsuspend(&wait_mask); continue; }   /* a run ended, or a stop signal came */
        if (p < 0) { if (errno == EINTR) continue; break; }
        int k = 0;
        while (k < started && pid[k] != p) k++;
        if (k == started) continue;
        pid[k] = 0;
        done++;
        char log[4300];
        batch_dir(b, k, log, sizeof log - 8);
        strcat(log, ".log");
        char tail[700];
        log_tail(log, tail, sizeof tail);
        if (b->progress) b->progress(done, n, b->ctx);
        if (WIFSIGNALED(status) || strstr(tail, "interrupted")) signalled = 1;
        else if (WEXITSTATUS(status) != 0 && !failed) { failed = WEXITSTATUS(status); fail_job = k; }
    }
    sigaction(SIGCHLD, &old_chld, NULL);
    sigprocmask(SIG_SETMASK, &caller, NULL);   /* a stop signal still pending is handled now */
    if (signalled || batch_stop_signal) { *stopped = 1; return LEAP_OK; }
    if (failed) {
        if (e->code) return e->code;
        char log[4300], tail[700];
        batch_dir(b, fail_job, log, sizeof log - 8);
        strcat(log, ".log");
        log_tail(log, tail, sizeof tail);
        int rc = err_set(e, failed == LEAP_EINPUT ? LEAP_EINPUT : LEAP_EINTERNAL, "the run with seed %d failed: %s",
                         jobs[fail_job].seed, *tail ? tail : "(no message; see its log)");
        e->sys = 1;   /* the run's own message says whether it is a bug (and its system's reason if not) */
        return rc;
    }
    for (int i = 0; i < n; i++) {
        char dir[4200];
        batch_dir(b, i, dir, sizeof dir);
        if (cmp_read_run(dir, &out[i], e)) return e->code;
    }
    return LEAP_OK;
}

FILE *batch_open_out(const char *dir, const char *name, char *path, size_t len, LeapErr *e)
{
    snprintf(path, len, "%.4000s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) err_set(e, LEAP_EINPUT, "%s: cannot write (%s)", path, strerror(errno));
    return f;
}

int batch_close_out(FILE *f, const char *path, int rc, LeapErr *e)
{
    if (fclose(f) && !rc) rc = err_sys(e, "%s: write failed (%s)", path, strerror(errno));
    return rc;
}
