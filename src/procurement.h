/*
** procurement.c -- the state's grain: procurement, and what the state
** granary pays out (mechanism `procurement`).
**
** History (LITERATURE.md sec.3): under unified purchase and sale (1953)
**   quotas were fixed in advance from expected (reported) output, larger
**   shares from more productive places (Meng, Qian & Yared 2015), and did not
**   adjust to the real harvest; campaigns against "concealment" searched
**   households in the winters of 1958-59 and 1959-60.  Procurement rose from
**   24% of output (1957) to ~38% (1959) while output fell; urban rations came
**   first, then exports (2.7 Mt 1958, 4.2 Mt 1959), then the state granary;
**   resales to hungry villages were small and late; from 1961 grain was
**   imported (5.8 Mt).  In 1957 gross procurement was 45.97 Mt of 195.05
**   (data/national.csv), resales ~8-10 Mt.
** Rule, 1957 (mechanism off): at harvest the state takes
**   food.procurement_share_1957 x (urban share of the population now / at
**   the start) of the harvest -- the quota fed the state's sales -- but
**   never below the floor of floor_kg a head (below); it buys surplus
**   households' grain (food.c); resales lift deficit households to
**   food.resale_floor of their need until the next harvest.
** Rule, the Leap (mechanism on):
**   quota: at the first harvest week of year y, before the harvest is known,
**     the national quota is Q = base_rate Y1957 (B(y-1)/Y1957)^belief_elasticity
**     (B the Centre's belief about last year's output, reporting.c), x (1 -
**     retreat_cut) in the retreat; commune c gets Q w_c / sum w, w_c =
**     max(0, R_c - retention_norm_kg N_c) (R_c its report of last year's
**     harvest, N_c its members at home): the surplus it claims over the
**     1955 "three fixes" retention norm (food, seed, feed).  A commune that
**     claims more per head gives a larger share of what it claims, so when
**     claims are inflated the quota grows faster than the true surplus in
**     the places that produce most (Meng, Qian & Yared's progressive,
**     inflexible procurement).  It does not change with the real harvest.
**   collection: each harvest week the state wants the week's part of what is
**     left of the quota, share(w) / (share of the year still to harvest),
**     x (enforcement + (1 - enforcement) P_p), but never so much that the commune's grain
**     (granary, households, hall) falls below a floor of floor_kg (1 -
**     anti_concealment P_p) a head a year for the weeks to the next
**     harvest's income (13 after the summer harvest, 30 after the autumn);
**     it takes it from the commune granary and, if that is short, levies
**     households and hall (food.c, anti-concealment).
**   exports: 2.0 Mt x (B(y-1) / Y1957)^export_elasticity (B the Centre's
**     belief about last year's output), none in the retreat; imports
**     imports_mt a year once the Centre decides (politics.c); army and
**     industry use x (1 + state_use_growth P).
**   flexible (a counterfactual lever, mechanisms.procurement.flexible): no
**     commune gives up through quotas and levies more than flexible_share of
**     what it truly harvested this calendar year (orders are counted when
**     made); voluntary surplus sales are not capped.
**   in the retreat the state resumes buying surplus above the quota (food.c).
**   resales: the floor falls to resale_radical of the 1957 floor at P_p = 1,
**     and a commune that reported m times its harvest (reporting.c) claims
**     only deficit / m^relief_inflation_penalty: relief went where the
**     reports allowed it.
** Every week the state granary pays, in this order, each item limited by
**   what is left: urban rations (rho x the grain need of city units and of
**   rural members living in cities, rho = food.urban_ration_ratio; cut, if
**   the granary cannot pay them to the next harvest, to what it can spread
**   over those weeks; in harvest weeks, while procurement grain arrives, it
**   pays in full what it holds), exports, state uses, resales from what lies above
**   those outlays to the next harvest plus food.resale_reserve_weeks more: each week a commune gets its deficit to the next harvest
**   divided by the weeks left (if the state cannot pay every deficit, each
**   gets the same fraction).  Urban priority (the Leap's rule: "the whole
**   nation is one chessboard"): when the state holds less than
**   food.urban_priority_weeks of its outlays, it levies the communes for
**   the difference, each in proportion to its grain above the levy floor.
**   Under the 1957 rule quotas were fixed for three years ("three fixes",
**   1955): a short state cut rations instead.
** Units: GU, sample units; Mt a year for national quantities.
** Invariants: the state granary never goes negative; a commune never pays
**   more than it holds; flexible, never more than flexible_share of its
**   true harvest (tests/test_mechanisms.c); grain moves between holders only (ledger.c), except
**   exports and imports.
** Cost: O(communes) a week, serial (the decisions of one granary).
*/
#ifndef LEAP_PROCUREMENT_H
#define LEAP_PROCUREMENT_H

#include "sim.h"

/* A commune's share weight for the Leap's quotas: the surplus its expected
   output (GU) claims over the retention norm for `persons` members, never
   below 0 (exposed for tests). */
double proc_weight(const Params *P, double expected, double persons);
void proc_step(SimState *S);
/* Pays want[0], want[1], ... want[n-1] from *stock in that order, each
   replaced by what it got (nothing for a want <= 0): the first are served
   in full when the stock runs short.  A loop over integers, so the state's
   steps work out the wants and book them on all threads and leave only this
   in order. */
void proc_take_in_order(int64_t *stock, int64_t *want, size_t n);

#endif
