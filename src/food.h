/*
** food.c -- from a commune's grain to what each household eats.
**
** History: in the 1956-57 advanced cooperatives the harvest left after
**   procurement and seed was distributed to households, partly by need
**   (a basic grain ration per head) and partly by work points; each household
**   kept its grain at home, cooked for itself and rationed it until the next
**   harvest ("spring hunger" when it ran short).  Under unified purchase
**   ("three fixes", 1955) the state bought surplus households' grain and
**   resold grain to deficit households.  Cities ate state rations.
** Rule, each week, for each commune (E_h = household h's energy need at
**   home, kcal/day, and L_h its labourers aged 16-59, both counted by
**   nutrition.c last week, newborns included; n the non-grain share of
**   calories (incentives.c: lower while private plots are taken); k kcal
**   per kg; F_h = 7 E_h (1 - n) / k its full grain need a week, in GU;
**   W = the weeks to the start of the next harvest not yet begun (during a
**   harvest, the one after it: no ration cliff when a harvest ends; the
**   grain still to come from the harvest under way is counted), 1 for urban
**   households; a dining hall plans for dining.planning_horizon x W weeks,
**   eating its stocks early and running out in spring).  Households in
**   the commune's dining hall (dining.c) hold no grain: the hall does.
**   0. procurement's levy (procurement.c, anti-concealment): what the
**      commune granary could not pay is taken from households and hall in
**      proportion to their grain, into the sale bucket;
**   1. distribution: all grain in the commune granary goes to households,
**      h receiving G [(1 - omega) E_h / sum E + omega L_h / sum L]
**      (omega = food.workpoint_share), rounded down (the rest waits); the
**      shares of hall members go to the hall;
**   2. surplus sale (rural, harvest weeks; under the 1957 procurement rule,
**      and under the Leap's once the Centre retreats: above-quota purchases):
**      stock above food.household_stock_cap_weeks x F_h goes to the
**      commune's sale bucket, which the state collects the next week;
**   3. resales: the state's resales to the commune go to households (and
**      the hall) by their deficit max(0, resale floor x F_h x W - S_h);
**   4. meals: with stock S_h a household eats
**          e_h = F_h            if S_h >= W F_h
**          e_h = S_h / W        otherwise (rationing evenly to the harvest);
**      its members' intake ratio is q_h = (e_h k / 7 + n E_h) / E_h <= 1:
**      every member eats q_h times his or her need (food shared by need),
**      divided by the overwork factor of campaign labour (labour.c).  The
**      hall eats for its members by the rule of dining.c (freely, or
**      rationing to the harvest; cadre households first).
**      Members away in cities eat min(1, bucket / need) of their need from
**      the rations the state sent for them.
**   After meals each household's deficit for next week is summed for the
**   state's resale decision (procurement.c).
** Units: GU (10 g unhusked grain); kcal/day.
** Invariants: grain leaves a household only as e_h (eaten) or as a surplus
**   sale; a household never eats more than its stock; q_h <= 1.
** Cost: O(households) per commune-week; no person is read.  With AVX2 the
**   per-household loops (distribution, resale deficits and grants, meals at
**   home) do four households at once with the same double arithmetic on
**   each lane; sums whose value depends on order (intake, deficits) are
**   taken after, in household order, so --plain-kernel gives the same
**   bytes (simd.h).
** Must not: change reserves, deaths or births (nutrition.c).
*/
#ifndef LEAP_FOOD_H
#define LEAP_FOOD_H

#include "sim.h"

typedef struct Scratch {   /* per thread, reused across communes */
    float *ratio;     /* q_h */
    float *deficit;   /* resale deficit, GU */
    int cap;          /* households it can hold */
    float away_ratio; /* intake ratio of members away in cities */
    /* per slot of the commune: founding members, then birth pool (nutrition.c) */
    float *pq;        /* the household's q_h */
    int32_t *hstart;  /* per household (cap + 1): its first founding slot */
    int32_t *lo, *hi; /* what the person brings to the household's next week */
    int32_t *ev;      /* groups of eight slots with an event (nutrition.c) */
    int64_t slot_cap; /* slots they can hold */
} Scratch;

void scratch_init(Scratch *W, int cap, int64_t slot_cap);
void scratch_free(Scratch *W);
/* Count E_h, L_h and the need of members away from the persons (before the
   first week; afterwards nutrition.c counts them as it goes). */
void food_count_needs(SimState *S, int c);
/* Steps 1-4 for commune c. */
void food_commune(SimState *S, int c, Scratch *W);
/* The share of need to which resales lift a deficit household now. */
double food_resale_floor(const SimState *S, const Commune *c);
/* After nutrition.c has counted next week's needs: the commune's grain
   needs for the state's allocations. */
void food_after_week(SimState *S, int c);

#endif
