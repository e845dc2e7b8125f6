/*
** targets.c -- the Centre's grain and steel targets and the "three ledgers"
** (mechanism `targets`).
**
** History (LITERATURE.md sec.1, data/plan_targets.csv): targets escalated
**   at every level ("more, faster, better, cheaper"): 1958 steel went 6.25
**   -> 7.0 -> 10.7 Mt in seven months; the 1959 grain target 300 -> 450 ->
**   750 -> 525 Mt in six.  Under the Sixty Work Methods each level's
**   must-achieve ledger was its parent's hoped-for ledger, so a target grew
**   by a margin at every level (6-7 ledgers by the grassroots).
** Rule.  National target for year y, in force on day t:
**   - the last row of data/plan_targets.csv for (indicator, y) set on or
**     before min(t, timeline.targets_inputs_until): the campaign's launch;
**   - after the cutoff, the Centre's rule revises it, never up:
**     T(y) = min(input, B(y-1) (1 + ambition P)), B the Centre's belief about
**     last year's output (reporting.c; for steel, the steel claimed), cut to
**     B(y-1)(1 - retreat_cut) in the retreat; a year with no input row
**     takes the rule's value.
**   Later rows of the file are checks, never read after the cutoff.
**   Commune c's grain target: T_c = T(y) x (its share of 1957 output) x
**   (1 + margin P_p)^3: province, county and commune each add the margin.
** Disabled: 1957 planning: T(y) = Y1957 (1 + plan_growth)^(y-1957), no
**   margins.
** Units: Mt (national), GU (communes).  Cost: O(communes) a week.
** Invariants: with P = 0 a commune's target is its share of the national one.
*/
#ifndef LEAP_TARGETS_H
#define LEAP_TARGETS_H

#include "sim.h"

/* The national target for `year` in force this week (Mt); steel if `steel`. */
double tgt_national(const SimState *S, int year, int steel);
void tgt_step(SimState *S);

#endif
