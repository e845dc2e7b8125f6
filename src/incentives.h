/*
** incentives.c -- effort and private plots (mechanism `incentives`).
**
** History (LITERATURE.md sec.8): the communes of autumn 1958 took away the
**   members' right to leave the collective and paid part of the income as a
**   free supply; private plots and pigs were confiscated.  Lin (1990): without
**   the exit right the cooperative's self-enforcing discipline collapsed and
**   effort fell 10-30%.  The 1961 Sixty Articles restored work points
**   (wages >= 70% of distribution) and private plots (5-7% of land).
** Rule.  From timeline.communes until restore_lag_weeks after the Centre's
**   retreat (politics.c): effort = 1 - effort_drop (in the output, via
**   agriculture.c), and the non-grain share of calories is
**   nongrain_commune instead of nutrition.nongrain_share (private plots and
**   pigs gone).  Otherwise effort 1 and the 1957 non-grain share.
** Disabled: 1957 work points and private plots throughout.
** Units: effort multiplier; shares of calories.  Cost: O(communes) a week.
*/
#ifndef LEAP_INCENTIVES_H
#define LEAP_INCENTIVES_H

#include "sim.h"

/* 1 while members have lost the exit right and their plots (commune rules). */
int inc_collective(const SimState *S);
void inc_step(SimState *S);

#endif
