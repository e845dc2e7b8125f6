/*
** agriculture.c -- potential output and the harvest.
**
** History: ~30% of China's grain came in the summer harvest (wheat, early
**   rice; June-July), ~70% in the autumn (rice, coarse grains, tubers;
**   September-November) (MODEL.md sec.2).  Output grew ~3.5% a year in
**   1952-57 (163.9 -> 195.1 Mt, data/national.csv).  In autumn 1958 crops
**   rotted in the fields while the labourers were at the furnaces
**   (LITERATURE.md sec.4).
** Rule.  Commune c in province p, year y:
**   Y_c(y) = Ybar_c (1 + g)^(y-1957) W_p(y)                 (weather.c)
**            x A^eta (1 - pen a_c) (1 - tl (1 - K_c)) I_c   (agronomy.c, furnaces.c,
**                                                           labour.c: irrigation I_c)
**            x Lbar^beta x Ebar x min(1, Rbar / 0.97)^nu      (labour.c, incentives.c)
**            x K_c^theta                                       (farm capital)
**   Ybar_c: the province's 1957 output shared by households x land quality
**   (popgen.h); A sown-area index, a close-planting adoption at sowing, K
**   tools; Lbar, Ebar, Rbar the means over the growing season so far
**   (1 March - end October) of the farm share of labour, effort and the
**   members' reserve (a population within 3% of full reserves works at
**   full capacity).  Each factor is 1 when its mechanism is off.
**   Farm capital K_c -- draft animals, pigs and their manure -- falls where
**   members go hungry and is rebuilt slowly, a week at a time:
**     dK = [capital_recovery (1 - K) - capital_hunger_loss (1 - R)] / 52.18
**   (R the members' mean reserve; K >= capital_floor); theta = capital_elasticity.
**   With no hunger K stays 1: this is not a Leap mechanism but the famine's
**   damage to the means of production, which kept output low in 1961.
**   A harvest week ripens Y_c share(w) (share(w): summer_share / n_summer
**   in the n_summer weeks whose middle day falls in the summer window,
**   likewise for autumn).  Ripe grain waiting in the field F_c is gathered
**   at the rate min(1, farm share / harvest_need) (labour mechanism; 1 if
**   off); what is not gathered loses rot_rate a week.  Seed, feed and losses
**   take sfl_share of what is gathered at once; the rest enters the
**   commune granary.
** Units: GU (10 g unhusked grain), sample units.
** Invariants: sum over the year's weeks of share(w) = 1; with every Leap
**   mechanism off, Y_c(y) = Ybar_c (1+g)^(y-1957) W_p(y) K_c^theta and all
**   is gathered (K_c = 1 while members keep full reserves; the seasonal
**   hunger of poor households lowers it a little even then).
** Cost: O(communes) a week.
** Must not: take procurement (procurement.c) or feed anyone (food.c).
*/
#ifndef LEAP_AGRICULTURE_H
#define LEAP_AGRICULTURE_H

#include "sim.h"

/* Share of year y's output harvested in week w; in *ration_weeks the
   weeks the grain in hand must last: to the start of the next harvest
   window that has not begun (inside a window, the one after it); in *rest
   the shares of the window's weeks still to come; in *year_rest the shares
   of this week and the year's weeks still to come. */
double agri_share(const Params *P, int week, int *ration_weeks, double *rest, double *year_rest);
void agri_step(SimState *S);

#endif
