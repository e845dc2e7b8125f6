/*
** agronomy.c -- close planting, deep ploughing, and the sown area cut on
** believed abundance (mechanism `agronomy`).
**
** History (LITERATURE.md sec.6): Mao's Eight-Character Charter pushed close
**   planting (seed rates several times normal) and deep ploughing (1.5-4 m),
**   at great labour cost and with falling yields (400 -> under 200 jin/mu in
**   one province).  Believing yields had multiplied, leaders cut the grain
**   area: 133.6 Mha (1957) -> 116.0 (1959) -> 122.4 (1960) (data/national.csv).
** Rule.  After the Leap's launch, adoption a_c = P_p (directives, carried out
**   as hard as the local climate); the crop sown on 1 March carries a_c:
**   yield x (1 - yield_penalty a_c) (agriculture.c); deep ploughing takes
**   labour_cost x a_c of labour in winter and spring (1 Nov - 30 Apr).
**   Sown area for year y (set on 1 March):
**     A(y) = 1 - min(max_area_cut, area_response max(0, B(y-1)/Y1957 - 1)),
**   B the Centre's belief about last year's output (reporting.c): output
**   scales with A^area_elasticity (the worst land is left unsown first).
** Disabled: 1957 practice, a = 0, A = 1.
** Units: shares.  Cost: O(communes) a week.
*/
#ifndef LEAP_AGRONOMY_H
#define LEAP_AGRONOMY_H

#include "sim.h"

/* The sown-area index given the believed/1957 output ratio (exposed for tests). */
double agro_area(const Params *P, double believed_ratio);
void agro_step(SimState *S);

#endif
