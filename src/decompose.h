/*
** decompose.h -- `leap decompose`: how much of the famine each mechanism
** caused, as Shapley values (Shapley 1953).
**
** Players: the Leap's mechanisms (weather is not one).  A coalition S runs
** the scenario with the mechanisms outside S switched off (enabled: false,
** their 1957 behaviour).  Its worth, for each seed k (the same seeds 1..K
** for every coalition: common random numbers):
**   v_k(S) = true excess deaths 1958-61 (million)
**   w_k(S) = grain output 1959-61 with every player off, less with S on (Mt):
**            the grain shortfall S causes.
** Shapley value of player i:
**   phi_i = sum over S not containing i of |S|! (m - |S| - 1)! / m! [v(S + i) - v(S)],
** the mean of i's marginal contribution over all m! orders in which the
** players could be switched on.  Exact (all 2^m coalitions) when 2^m K runs
** fit the budget; otherwise N orders drawn at random (keyed by the order's
** number, so the same N orders every time), each order costing at most m+1
** new coalitions.  Either way the values add up exactly, order by order, to
** v(all) - v(none) (efficiency).
** Uncertainty (90% intervals, +-1.645 standard errors): the seeds' spread
** (sd over seeds / sqrt K) and, when sampled, the orders' (sd over orders /
** sqrt N), combined in quadrature.
** Weather: two more coalitions per seed with the weather off (1957-like
** yields): its effect with every player on, and with none.
*/
#ifndef LEAP_DECOMPOSE_H
#define LEAP_DECOMPOSE_H

#include <stdint.h>
#include "err.h"

#define DEC_MAX_PLAYERS 12

/* The worth of coalition `mask` (bit i: player i on) for seed index k:
   two values (excess deaths, grain shortfall).  Returns LEAP_OK or an error. */
typedef int (*DecWorth)(uint32_t mask, int k, double out[2], void *ctx, LeapErr *e);

typedef struct DecResult {
    int m, K, exact, orders;
    double phi[DEC_MAX_PLAYERS][2];     /* mean over seeds */
    double se[DEC_MAX_PLAYERS][2];      /* combined standard error */
    double total[2];                    /* v(all) - v(none), mean over seeds */
    double sum_phi[2];
} DecResult;

/* The coalitions the decomposition needs: exact (all 2^m) or those of
   `orders` sampled orders; written as masks into list (capacity cap);
   returns how many (at most cap), deduplicated, in a fixed order. */
int dec_coalitions(int m, int exact, int orders, uint32_t *list, int cap);
/* The Shapley values, given the worth of every coalition dec_coalitions()
   listed (worth() is called only for those). */
int dec_shapley(int m, int K, int exact, int orders, DecWorth worth, void *ctx, DecResult *r, LeapErr *e);

/* The whole command: SCENARIO's players decomposed with runs of `exe`. */
typedef struct DecOptions {
    const char *exe, *scenario, *outdir;
    const char *players[DEC_MAX_PLAYERS];   /* mechanism names */
    int m, seeds, samples, budget, jobs, quiet;
    double scale;
} DecOptions;

int dec_run(const DecOptions *o, LeapErr *e);

/* The mechanisms that can be players, in this order. */
extern const char *const dec_mechanisms[];
extern const int dec_nmechanisms;

#endif
