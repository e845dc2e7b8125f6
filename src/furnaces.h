/*
** furnaces.c -- backyard iron and steel, and modern steel (mechanism `furnaces`).
**
** History (LITERATURE.md sec.5, FACTS.md sec.3): after Beidaihe (Aug 1958)
**   90 million people built "several million" native furnaces; of the 10.7
**   Mt claimed for 1958 ~3 Mt was unusable native steel and the usable
**   output was ~8 Mt; native iron cost 2-5 times a modern plant's; charcoal
**   came from the forests ("trees cut bare, iron goods handed over, labour
**   used up"); woks and tools were melted, so households could no longer
**   cook and farm tools were lost.  Most native furnaces closed in early
**   1959.  Modern steel rose 5.35 (1957) -> 13.9 (1959) -> 18.7 Mt (1960),
**   then fell to 8.7 Mt in 1961 (data/national.csv).
** Rule.  From timeline.steel_campaign, while the local climate P_p is at
**   least stop_climate, a commune puts f = labour_share x P_p x g x v of its
**   labourers on the furnaces, g = min(1, max(0, (T_s - S_m) / (0.5 T_s)))
**   the gap between the national steel target T_s (targets.c) and modern
**   output S_m, v the campaign's wave: rising over its first 4 weeks, then
**   halving every campaign_half_life weeks.  They make kg_per_worker_day x 7 kg a week each, limited by
**   the wood left (wood_t_per_t tonnes a tonne); the forest starts at
**   forest_t_per_person x the 1957 rural population.  Usable: usable_share.
**   The first week of the campaign in a commune melts the woks and tools of
**   a share wok_share x P_p of its households (a draw per household, keyed,
**   at that event): they must eat in the commune's hall while it is open
**   (dining.c; when the halls have collapsed or closed, or with dining
**   off, they cook at home again: the model has no lasting cost of a lost
**   wok) and the commune's tool stock falls to 1 - that share
**   (agriculture.c: tool_loss).
**   Modern steel grows at modern_push x P a year, falls by retreat_fall
**   once in the retreat.  Claimed steel = modern + all native; usable steel
**   = modern + usable_share x native.
** Disabled: no furnaces, woks and tools kept; modern steel still follows
**   the rule (its push comes from the climate).
** Units: tonnes (sample), Mt (national).  Cost: O(communes) a week.
** Invariants: no furnace labour, no native iron and no melted woks before
**   the campaign or with the mechanism off; the forest never goes negative.
*/
#ifndef LEAP_FURNACES_H
#define LEAP_FURNACES_H

#include "sim.h"

void furn_init(SimState *S);
void furn_step(SimState *S);
/* In the commune's own phase: mark the households whose woks were melted. */
void furn_households(SimState *S, int c);

#endif
