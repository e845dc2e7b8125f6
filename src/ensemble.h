/*
** ensemble.h -- `leap ensemble`: a scenario's national annual series with
** uncertainty, over seeds and over the best parameter sets the calibration
** kept (calibration/best_sets.csv).
**
** Replicate (i, k) runs parameter set i with seed k; seed k is the same in
** every parameter set (and in every scenario: common random numbers, so two
** scenarios' ensembles differ only by what their scenarios change).  For
** every column of national_annual.csv and every year: the mean over the N x K
** replicates and the 5th and 95th percentiles (the 90% interval: _lo, _hi).
** Where the spread comes from, by the law of total variance:
**   var = var_i(mean_k x_ik) + mean_i(var_k x_ik)
**         parameters           seeds
** (interval_sources.csv).  Seed noise alone at scale 0.01 is a fraction of a
** percent: an interval over seeds only is false precision.
*/
#ifndef LEAP_ENSEMBLE_H
#define LEAP_ENSEMBLE_H

#include "err.h"
#include "params.h"

typedef struct EnsOptions {
    const char *exe, *scenario, *outdir, *sets_file;
    int seeds, nsets, jobs, quiet;
    double scale;
    const Params *params;   /* the scenario's values: a set must keep the rules between parameters with them */
} EnsOptions;

int ens_run(const EnsOptions *o, LeapErr *e);

/* The q-quantile (0..1) of n values (sorted in place), linear between order statistics. */
double ens_quantile(double *v, int n, double q);

#endif
