/*
** sensitivity.h -- `leap sensitivity`: Morris elementary-effects screening
** (Morris 1991; Campolongo, Cariboni & Saltelli 2007) of the calibrated
** parameters.
**
** Each parameter is scaled to [0, 1] over its calibration range
** (calibration/params.yaml) and takes p levels {0, 1/(p-1), ..., 1}.  A
** trajectory starts at a random grid point and moves one parameter at a
** time, in a random order, by +-Delta, Delta = p / (2 (p - 1)); R
** trajectories cost R (n + 1) parameter sets, each run for seeds 1..K
** (common random numbers).  Parameter i's elementary effect on output y:
**   EE_i = [y(x + Delta e_i) - y(x)] / Delta      (per whole range)
** and over the R trajectories mu* = mean |EE_i| (how much it matters),
** mu = mean EE_i (which way), sigma = sd EE_i (non-linearity and
** interactions).  The random points come from keyed random numbers: the
** same design every time.
*/
#ifndef LEAP_SENSITIVITY_H
#define LEAP_SENSITIVITY_H

#include "err.h"

#define SENS_MAX 16
#define SENS_NOUT 4

/* The points of R trajectories over n factors at p levels: (n + 1) rows per
   trajectory, in [0, 1]^n; step[r][j] = the factor moved between row j and
   j + 1 of trajectory r, and its sign in sign[r][j]. */
void sens_design(int n, int p, int R, double *points, int *step, int *sign);

typedef struct SensStat { double mu_star, mu, sigma; } SensStat;

/* Effects from the outputs y[(r (n + 1) + j) * nout + q] of the design's points. */
void sens_effects(int n, int p, int R, int nout, const double *y, const int *step, const int *sign, SensStat *out);

typedef struct SensOptions {
    const char *exe, *scenario, *params_file, *outdir;
    int trajectories, levels, seeds, jobs, quiet;
    double scale;
} SensOptions;

int sens_run(const SensOptions *o, LeapErr *e);

#endif
