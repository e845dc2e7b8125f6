/*
** batch.h -- many runs of one scenario, each with its seed and overrides,
** as `leap run` child processes, `jobs` at a time (the experiments:
** calibrate, decompose).
**
** Each job runs `leap run SCENARIO --seed S --set K=V ... --scale F
** --threads T --no-db --quiet` into workdir/job-<i> (its log beside it) and
** is read back with cmp_read_run().  With a run store (Batch.db) a job runs
** with `--db FILE --scratch` instead of --no-db: recorded with its series
** but without its folder, which batch_cleanup removes.  Processes, not
** threads: a run's memory is returned when it ends, a crash stays in its
** process, and the results are those `leap run` gives.
*/
#ifndef LEAP_BATCH_H
#define LEAP_BATCH_H

#include "compare.h"
#include "err.h"
#include <signal.h>

#define BATCH_MAX_SETS 40

typedef struct BatchJob {
    int seed;
    int nsets;
    char sets[BATCH_MAX_SETS][128];   /* "key=value" */
} BatchJob;

typedef struct Batch {
    const char *exe;          /* the leap executable */
    const char *scenario;
    const char *workdir;      /* exists */
    double scale;
    int jobs, threads_per_run;
    void (*progress)(int done, int n, void *ctx);   /* after each run ends (may be NULL) */
    void *ctx;
    const char *db;           /* record every run in this run store, without its folder (NULL: --no-db) */
} Batch;

/* The stop signal (SIGINT or SIGTERM) this process caught, 0 if none: the
   command's handler sets it.  batch_run forwards it to the runs in flight
   and starts no more, so `kill PID` stops a batch as Ctrl-C does. */
extern volatile sig_atomic_t batch_stop_signal;

/* Run jobs[0..n) and read their results into out[0..n).  *stopped is set
   (and LEAP_OK returned) if a run was stopped by a signal (Ctrl-C), or this
   process received one (batch_stop_signal), before or while they ran. */
int batch_run(const Batch *b, const BatchJob *jobs, int n, CmpRun *out, int *stopped, LeapErr *e);
/* The folder job i ran in (for keeping its files). */
void batch_dir(const Batch *b, int i, char *buf, size_t len);
/* Remove a run folder (flat: files only) and the folder. */
void batch_remove_dir(const char *dir);
/* A progress line on stderr ("leap NAME: run 3 of 40, about 1:20 left"),
   redrawn on a terminal, every tenth run in a log; for Batch.progress with
   a BatchProgress as ctx. */
typedef struct BatchProgress { const char *name; int quiet; double t0; } BatchProgress;
void batch_progress(int done, int n, void *ctx);

/* Remove the folders and logs of jobs 0..n-1, and the work folder. */
void batch_cleanup(const Batch *b, int n);
/* An experiment's result file: opens DIR/NAME for writing (its path in
   path[len]); NULL with e set (bad input: the folder cannot be written) if
   it cannot.  batch_close_out closes it and returns rc, or, if rc was 0 and
   the write failed, an error naming the file. */
FILE *batch_open_out(const char *dir, const char *name, char *path, size_t len, LeapErr *e);
int batch_close_out(FILE *f, const char *path, int rc, LeapErr *e);
/* Append "key=value" to a job. */
void batch_set(BatchJob *j, const char *key, const char *value);

#endif
