/*
** migration.c -- moves between countryside and city (mechanism `migration`;
** this is its 1957 rule).
**
** History: the urban population grew from 71.6 million (1952) to 99.5
**   million (1957), ~6.8% a year, of which natural increase was ~2.3%: the
**   rest, ~4 million a year or ~0.8% of the rural population, came from the
**   countryside (data/national.csv).  Household registration (9 Jan 1958)
**   then tied grain rations to urban hukou.
** Rule (1957): each rural commune owes m = migration.rural_urban_rate
**   / 52.18 x (members at home) movers a week, carried fractionally; each
**   mover is a member aged 15-34 living at home, found by drawing a random
**   founding slot of the commune (up to 32 draws a mover, keyed by commune,
**   week and draw).  A mover stays a member of the household (the table does
**   not move) but is flagged away: lives in the city, eats urban rations
**   (food.c), has urban mortality, counts in the urban population.
** Units: persons (sample).  Cost: O(movers).
** Invariants: a mover was alive, at home and 15-34; nobody leaves a commune's
**   slots; population is unchanged by a move.
*/
#ifndef LEAP_MIGRATION_H
#define LEAP_MIGRATION_H

#include "sim.h"

void mig_commune(SimState *S, int c);

#endif
