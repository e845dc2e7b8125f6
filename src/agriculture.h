/*
** agriculture.c -- the harvest.
**
** History: ~30% of China's grain came in the summer harvest (wheat, early
**   rice; June-July), ~70% in the autumn (rice, coarse grains, tubers;
**   September-November) (MODEL.md sec.2).  Output grew ~3.5% a year in
**   1952-57 (163.9 -> 195.1 Mt, data/national.csv).
** Rule (1957 policies): commune c in province p, year y, harvest week w:
**   Y_c(y) = Ybar_c * (1 + g)^(y - 1957) * W_p(y)              GU/year
**   H_c(w) = Y_c(y) * share(w)
**   share(w) = summer_share / n_summer(y) in the n_summer weeks whose middle
**   day falls in [summer_start, summer_start + 7 * summer_weeks); likewise
**   (1 - summer_share) / n_autumn(y) in the autumn window; 0 otherwise.
**   Ybar_c: the province's 1957 output shared by households x land quality
**   (popgen.h); g = agriculture.trend_growth; W_p from weather.c.
**   Seed, feed and losses take sfl_share of the harvest at once; the rest
**   enters the commune granary.
** Units: GU (10 g unhusked grain), sample units.
** Invariants: sum over the year's weeks of share(w) = 1; nothing harvested
**   outside the windows; urban units harvest nothing.
** Cost: O(communes) in harvest weeks.
** Must not: take procurement (procurement.c) or feed anyone (food.c).
*/
#ifndef LEAP_AGRICULTURE_H
#define LEAP_AGRICULTURE_H

#include "sim.h"

/* Share of year y's output harvested in week w, and the weeks from w to the
   next harvest window (0 inside one). */
double agri_share(const Params *P, int week, int *weeks_to_next);
void agri_step(SimState *S);

#endif
