/*
** sweep.h -- `leap sweep`: a scenario over a grid of parameter values.
**
** Every point of the grid (the product of each --param KEY=LO:HI:N's N
** evenly spaced values) runs seeds 1..K (common random numbers), and each
** run adds one row to the CSV (the point's values, the seed and the
** headline results) as soon as its point is done -- streamed, into
** FILE.partial, renamed to FILE when the whole grid is done -- and records
** itself in the run store.  Nothing is held beyond one point's runs, so a
** sweep of any length runs in the memory of one point (a test checks it).
*/
#ifndef LEAP_SWEEP_H
#define LEAP_SWEEP_H

#include "err.h"
#include "params.h"

#define SWEEP_MAX_PARAMS 8
#define SWEEP_MAX_POINTS 1000000   /* the grid: the product of the N */

typedef struct SweepParam {
    const ParamDesc *d;
    double lo, hi;
    int n;
} SweepParam;

typedef struct SweepOptions {
    const char *exe, *scenario, *out_csv, *db, *workdir;
    SweepParam p[SWEEP_MAX_PARAMS];
    int np, seeds, jobs, quiet;
    double scale;
} SweepOptions;

/* Parse "KEY=LO:HI:N" (from --param number `index`), checked against the
   parameter's type and plausible range; earlier[0..index-2] are the --param
   before it, which must not name the same key, and with which the grid may
   not pass SWEEP_MAX_POINTS points.  `seed` is refused: --seeds sets it. */
int sweep_parse(const char *arg, int index, const SweepParam *earlier, SweepParam *p, LeapErr *e);
/* Refuse a grid with points that break a rule between parameters
   (params.h), the others at P's values: at the --param of the rule's
   parameter given last. */
int sweep_check_rules(const SweepParam *p, int np, const Params *P, LeapErr *e);
/* Value j of a parameter's n grid values. */
double sweep_value(const SweepParam *p, int j);
int sweep_run(const SweepOptions *o, LeapErr *e);

#endif
