/*
** calibrate.h -- fitting parameters to the national record 1957-1960
** (`leap calibrate`).
**
** The params file (calibration/params.yaml) lists at most CALIB_MAX free
** parameters, each a key of params.def with a range [lo, hi] inside the
** key's plausible range and a literature source, and the weights of the
** error: one per target series (columns of national_annual.csv that
** compare.h knows, plus retreat_week) and one per provenance status of the
** historical value (its first word: verified, derived, memory, ...).
**
** The error of a parameter set x, whose runs (K seeds, the same seeds for
** every x: common random numbers) average to m:
**     L(x) = sum_i w_i e_i^2 / sum_i w_i
** over the targets i = (series s, year y in 1957-1960 with a historical
** value h), w_i = weight(s) x weight(status of h), e_i = (m - h) / h; and
** the retreat, w = weight(retreat_week), e = (the week the Centre's retreat
** began - 3 Nov 1960) / 365.25 days (the run's end if it never came).
** Nothing after 1960 enters L: 1961-1962 stay out of sample.
**
** The optimiser is NLopt's BOBYQA (or Subplex) on x scaled to [0, 1]^n,
** started from the scenario's values.  Every evaluation is appended to a
** cache (evaluations.csv) as it finishes; a restarted calibration replays
** the cache, and since the optimiser is deterministic it retraces the same
** path and goes on where it stopped.  A last line without its newline (the
** process killed while writing it) is dropped and that evaluation run again;
** any other malformed row is an error at its line and column.
*/
#ifndef LEAP_CALIBRATE_H
#define LEAP_CALIBRATE_H

#include "compare.h"
#include "err.h"
#include "params.h"

#define CALIB_MAX 12
#define CALIB_MAX_STATUS 8

typedef struct CalibSpec {
    char path[4096];
    int n;
    const ParamDesc *d[CALIB_MAX];
    double lo[CALIB_MAX], hi[CALIB_MAX];
    int line[CALIB_MAX], col[CALIB_MAX];   /* of each range in the file */
    char source[CALIB_MAX][1024];
    double w_series[CMP_NS];         /* 0: not a target */
    double w_retreat;
    int nstatus;
    char status[CALIB_MAX_STATUS][24];
    double w_status[CALIB_MAX_STATUS];
} CalibSpec;

/* Read and check a params file; its weights: are required if need_weights
   (calibrate), optional otherwise (sensitivity screens, it fits nothing). */
int calib_read_spec(const char *path, int need_weights, CalibSpec *s, LeapErr *e);
/* Refuse ranges that let a parameter set break a rule between parameters
   (params.h), the others at P's values: at the range (FILE:LINE:COL) of
   the rule's parameter listed last. */
int calib_check_rules(const CalibSpec *s, const Params *P, LeapErr *e);

/* The error L of the mean of a parameter set's runs; *unweighted status: -1
   if a target's provenance has no weight (then L is NaN and *why says which). */
double calib_loss(const CalibSpec *s, const CmpRun *mean, const CmpHist *h, char *why, size_t whylen);

/* The objective: the error at x (natural units).  Set *stop to end the
   calibration at once (the value is then not recorded). */
typedef double (*CalibObjective)(const double *x, void *ctx, int *stop, LeapErr *e);

typedef struct CalibResult {
    double x[CALIB_MAX], loss;   /* the best so far */
    int evals;                   /* evaluations in the cache at the end */
    int replayed;                /* of them, read back from an earlier session */
    int stopped;                 /* the objective asked to stop */
    int nlopt_result;
} CalibResult;

typedef struct CalibOptions {
    const char *cache;           /* evaluations.csv */
    int budget;                  /* evaluations in all, replayed ones included */
    int subplex;                 /* 0 BOBYQA, 1 Subplex */
    const double *x0;            /* start (natural units), inside the ranges */
    void (*on_eval)(const CalibSpec *s, int k, const double *x, double loss, const CalibResult *best, int replayed, void *ctx);
} CalibOptions;

/* Minimise f over the spec's box. */
int calib_optimise(const CalibSpec *s, const CalibOptions *o, CalibObjective f, void *ctx, CalibResult *r, LeapErr *e);

/* The cache's rows sorted by error: up to n best (x, loss); returns how many. */
int calib_best_sets(const CalibSpec *s, const char *cache, int n, double (*x)[CALIB_MAX], double *loss, LeapErr *e);

/* The model as the objective: runs `exe run scenario --seed k` for k = 1..seeds
   (the same seeds for every parameter set), `jobs` at a time, in
   workdir/seed-k; the best set's runs are kept in bestdir/seed-k. */
typedef struct CalibRunner {
    const char *exe, *scenario, *workdir, *bestdir;
    double scale;
    int seeds, jobs, threads_per_run;
    const CalibSpec *spec;
    const CmpHist *hist;
    double best_loss;            /* of the runs in bestdir (HUGE_VAL: none yet) */
    void *progress;              /* for the caller's on_eval */
} CalibRunner;

double calib_run_model(const double *x, void *ctx, int *stop, LeapErr *e);

#endif
