/*
** labour.c -- each commune's labour by use, week by week (mechanism `labour`).
**
** History (LITERATURE.md sec.4, FACTS.md sec.2): the water-conservancy
**   campaign took ~100 million labourers at its January 1958 peak (winter,
**   the slack season); the steel campaign 90 million, two-fifths of the
**   labour force, in autumn 1958, at the harvest's peak: crops rotted in
**   the fields; the cadres and campaigns worked people to exhaustion ("six
**   hours of sleep in two days").  Li & Yang (2005): output fell with the
**   resources diverted and with the calories left to the peasants.
** Rule.  Shares of a commune's labourers (16-59, at home) this week:
**   water works  w = water_share x s  in campaign winters (1 Nov - 31 Mar):
**                s = 1 in the first winter after timeline.water_conservancy,
**                the local climate P_p after the Leap's launch, 0 otherwise;
**   furnaces     f (furnaces.c); deep ploughing d (agronomy.c);
**   farming      1 - w - f - d (at least 0).
**   Water works build irrigation: each campaign-winter week adds
**   irrigation_gain x w / (water_share x 22) to the commune's yield
**   multiplier (a full winter of 22 weeks adds irrigation_gain), for good.
**   Over the growing season (1 March - 31 October) the farm share, effort
**   (incentives.c) and the members' mean reserve are averaged: they set the
**   year's potential output (agriculture.c, elasticities output_elasticity
**   and nutrition_elasticity); in harvest weeks the farm share limits how
**   much ripe grain is gathered (harvest_need).  Campaign labour raises the
**   household's energy need by overwork x (w + f) x 0.6 (0.6: the
**   labourers' share of a household's need), which lowers its intake ratio.
**   Couples apart: campaign labourers lived at the works and furnaces, so a
**   woman at home conceives at separation x (w + f) less than her hazard
**   (nutrition.c applies it; the births it costs count as lost births).
**   The 1958 birth fall (true CBR 43.3 -> 37.8, Banister 1984) came before
**   any hunger.
** Disabled: no water works; whoever the furnaces and deep ploughing leave
**   farms, but output and harvests do not depend on labour or reserves; no
**   overwork; no couples apart.
** Units: shares of labourers; labourer-weeks in the tallies.
** Cost: O(communes) a week.
** Invariants: 0 <= w + f + d <= 1; farm share + diverted shares = 1.
*/
#ifndef LEAP_LABOUR_H
#define LEAP_LABOUR_H

#include "sim.h"

void lab_step(SimState *S);

/* A commune's conception factor this week, in [0, 1]: 1 - separation x
   (water + furnace shares) for a rural commune with labour on, else 1. */
float lab_conception(const SimState *S, const Commune *c);

#endif
