/*
** procurement.c -- the state's grain: procurement, and what the state
** granary pays out (mechanism `procurement`; this is its 1957 rule).
**
** History: under unified purchase and sale (1953) the state bought a quota
**   of each unit's grain; in 1957 gross procurement was 45.97 Mt, 23.6% of
**   the 195.05 Mt harvest (data/national.csv), and ~8-10 Mt went back to
**   grain-deficit villages as resales (gross minus net procurement, 7.9 Mt).
**   Cities ate state rations (~196 kg of trade grain per head), ~2 Mt was
**   exported and ~5 Mt used by the army and industry (MODEL.md sec.9).
** Rule (1957):
**   procurement_c(w) = tau * H_c(w)        at harvest, from the commune granary
**     tau = food.procurement_share_1957
**   every week the state granary pays, in this order of priority, each item
**   limited by what is left:
**     1. urban rations: rho * (grain need of urban units and of rural members
**        living in cities, last week), rho = food.urban_ration_ratio;
**     2. exports: food.exports_mt / 52.18 per week (x scale);
**     3. army, industry, other state uses: food.state_other_use_mt / 52.18;
**     4. resales: a rural commune whose grain (households' stocks + granary)
**        covers less than food.resale_floor of its need until its next harvest
**        is lifted to that floor; if the granary cannot pay all deficits, each
**        gets the same fraction.
** Units: GU, sample units; exports and state uses scale with the sample.
** Invariants: the state granary never goes negative; procurement never
**   exceeds a commune's granary; grain moves between holders only (ledger.c).
** Cost: O(communes) per week, serial (decisions of one granary).
** Must not: feed households (food.c distributes what communes hold).
*/
#ifndef LEAP_PROCUREMENT_H
#define LEAP_PROCUREMENT_H

#include "sim.h"

void proc_step(SimState *S);

#endif
