/*
** migration.c -- moves between countryside and city (mechanism `migration`).
**
** History (FACTS.md sec.2, 8; LITERATURE.md sec.12): the urban population
**   grew from 71.6 million (1952) to 99.5 million (1957), ~0.8% of the rural
**   population a year moving to the cities; then the Leap recruited ~20
**   million more workers in 1958-60 (urban population +31 million to 130
**   million), who ate state rations; from 1961 ~20 million were sent back.
**   The household registration regulations (9 Jan 1958) tied rations to
**   urban hukou, and starving peasants who fled were intercepted and sent
**   back: the floating population was ~6 million at the 1960 peak.
** Rule, each week in each rural commune (movers owed accumulate
**   fractionally; each mover is found by drawing random founding slots of the
**   commune, up to 32 draws a mover, keyed by commune, week and draw):
**   trend: migration.rural_urban_rate / 52.18 x members at home, aged 15-34
**     (with the mechanism on, not in the retreat);
**   recruitment (on, from the Leap's launch until the retreat):
**     recruit_rate x P / 52.18 x members at home, aged 15-34;
**   sending back (on, in the retreat): send_back_rate / 52.18 x members
**     living in cities return home;
**   flight: flight_rate x (1 - block) x members at home with reserves below
**     0.6 flee to the cities; block = hukou_block (on) or 0.3 (1957 rule).
**   A mover stays a member of the household (the table does not move) but
**   is flagged away: lives in the city, eats urban rations (food.c), has
**   urban mortality, counts in the urban population.
** Units: persons (sample).  Cost: O(movers).
** Invariants: a move changes where people live, never how many there are.
*/
#ifndef LEAP_MIGRATION_H
#define LEAP_MIGRATION_H

#include "sim.h"

void mig_commune(SimState *S, int c);

#endif
