/*
** ledger.c -- grain and people are conserved, every week.
**
** Grain (GU, integers, so the check is exact): what all holders hold --
** households, commune granaries, the rations waiting for members in cities,
** the state granary -- changes only by the flows that cross the boundary:
**     held(t) = held(t-1) + harvest - seed/feed/loss - eaten - exports
**               - state uses + imports
** Procurement, resales, rations and distribution move grain between holders
** and cancel out.  People: N(t) = N(t-1) + births - deaths (moves between
** countryside and city change where people live, not how many there are).
** A violation is a bug: sim_step() returns LEAP_EINTERNAL with the numbers.
*/
#ifndef LEAP_LEDGER_H
#define LEAP_LEDGER_H

#include "sim.h"

int64_t ledg_holdings(const SimState *S);
/* Check this week's national tally against last week's holdings and
   population; on success remember this week's. */
int ledg_check(SimState *S, int64_t prev_pop, LeapErr *e);

#endif
