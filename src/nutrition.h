/*
** nutrition.c -- each person's week: energy reserve, death, conception,
** birth; and the registration of births and deaths.
**
** History and anchors (LITERATURE.md sec.10, MODEL.md sec.9): death comes
**   near a 40-50% loss of body mass; on ~1,000 kcal/day an adult lasts
**   months, small children and the old weeks; in semi-starvation energy
**   expenditure falls by up to ~40% (Keys et al. 1950); famine amenorrhoea
**   stopped conception in 50-80% of young women in the worst places; the
**   true 1957 rates were ~18 per mille deaths, ~43 births (Banister 1984),
**   of which ~10.8 and ~34 were registered (data/national.csv).
** Rule, person i of age a, sex s, in household h, week t:
**   intake  c_i = q_h * E_a,s                       (food.c shares by need)
**   depletion d_i = 1 - R_i / RES_ONE  in [0, 1]
**   spending  E_a,s * (1 - alpha d_i)               alpha = nutrition.adaptation
**   R_i += (c_i - spending) * 7 / B_a,s * RES_ONE   B = body reserve, kcal, capped at RES_ONE
**   hazard  h_i = h0_a,s * z_p * M(d_i),  M(d) = exp(gamma d^2 / (1 - d))
**     (x1.3 at d = 1/4, x4.5 at 1/2, x850 at 3/4 for gamma = 3; certain death
**     at d = 1), z_p the province's (urban or rural) baseline scale chosen so
**     the registered 1957 provincial rates come out (sim.c)
**   death when the threshold T_i (unit exponential) falls to 0: T_i -= h_i.
**   Women: conception hazard phi_a * G(R_i) * s (s: couples apart, labour.h;
**     1 in cities and for women living there) (demog.h for phi; G rises
**     linearly from 0 at reserve nutrition.fecundity_reserve_lo to 1 at
**     _hi); a conception at t gives a birth at t + gestation and fecundity
**     again at t + gestation + postpartum; a woman who dies pregnant loses
**     the child.  The newborn joins its mother's household (pop.h) and starts
**     with reserve 1 - k (1 - R_mother), k = nutrition.newborn_reserve_inherit.
** Excess deaths: each week every living person adds the probability of
**   death at the baseline hazard h0 z_p (1957 nutrition: M = 1); excess =
**   deaths - that sum, in the same run.  Lost births the same way: each
**   week every living woman adds the births the scenario's schedule expects
**   of her age, m(a) / 52.18 (demog.h: what phi's renewal cycle yields at
**   G = 1 with couples together); lost = that sum - births, in the same
**   run.  So it counts what hunger (G < 1) and couples apart on campaigns
**   (labour.h) cost, and turns negative while postponed births are made
**   up.  (Adding phi (1 - G) for each fecund woman-week instead counts a
**   hungry woman's forgone conception again every week she stays fecund,
**   though one conception would have kept her busy for ~80 weeks: about
**   twice the loss.)
** Registration (the registered series): a death at age a is registered with
**   probability c_a / (1 + kappa max(0, rho_p - 1)): c_a fixed from 1957
**   (registration.death_completeness_{infant,child,adult}); rho_p the
**   province's deaths / baseline deaths over the last ~13 weeks; kappa =
**   registration.famine_drop (the one state-driven term).  A birth is
**   registered with probability registration.birth_completeness.  Draws
**   happen only at these events, keyed by the person's stable id.
** Units: kcal/day; reserve units; hazards per week.
** Invariants: no random draw unless an event happens; a dead slot is never
**   touched again; births come only from women pregnant at the week's start.
** Sums: every per-person sum is an integer -- need in 1/64 kcal/day,
**   probabilities (expected deaths and births) in 2^-30 -- so no sum
**   depends on the order in which persons are visited.
** Cost: O(persons) per week: ~12 bytes read and ~10 written per person.
**   The kernel does sixteen persons at once with AVX-512, or eight with
**   AVX2, when the processor has them (a lane with a death, a birth or the
**   end of a postpartum spell is done alone); --kernel plain does one after
**   another; the bytes out are the same (tests/history.sh checks it).  Next week's needs, labourers
**   and flags of households come from the kernel's running sums, eight
**   households at once with AVX2.
** Must not: move grain (food.c has decided q_h).
*/
#ifndef LEAP_NUTRITION_H
#define LEAP_NUTRITION_H

#include "food.h"
#include "sim.h"

void nutr_commune(SimState *S, int c, const Scratch *W);
/* The person kernel a run of S uses: "avx512" (sixteen persons at once),
   "avx2" (eight) or "plain" (--kernel plain, or a processor without AVX2). */
const char *nutr_kernel(const SimState *S);

/* One week of a reserve v (reserve units) at intake ratio q (intake/need),
   rk = need x 7 / body reserve x RES_ONE, adaptation alpha:
       v' = clamp(v + rk (q - 1 + alpha d), 0, RES_ONE),  d = 1 - v/RES_ONE.
   A fed person (q >= 1) at a full reserve stays there; at a constant q < 1
   the reserve settles where spending meets intake, d* = (1 - q)/alpha, or
   runs out if that is beyond 1.  A fed person recovers geometrically
   (surplus alpha d) and, within 1% of full, is full: without that last step
   the approach would never end (nor, in integer units, get there). */
static inline uint16_t nutr_reserve_next(uint16_t v, float q, float rk, float alpha)
{
    float d = v >= RES_ONE ? 0.0f : 1.0f - (float)v * (1.0f / RES_ONE);
    float nv = (float)v + rk * (q - 1 + alpha * d);
    if (q >= 1.0f && nv > 0.99f * RES_ONE) nv = RES_ONE;
    nv = nv < 0 ? 0 : nv > RES_ONE ? RES_ONE : nv;
    return (uint16_t)(nv + 0.5f);
}

#endif
