/*
** dining.c -- communal dining halls (mechanism `dining`).
**
** History (LITERATURE.md sec.7, FACTS.md sec.6): with the communes (Aug-Oct
**   1958) cooking at home was banned, household grain and utensils pooled,
**   and meals were free: people ate far more than before and "half a year's
**   reserves were used up in 20 days" in places.  By end-1958 3.45 million
**   halls fed over 90% of peasants.  Many collapsed in spring 1959; after
**   Lushan they were restored by force (autumn 1959-1960), removing the
**   household's buffer.  Cadres and cooks ate first.  The halls were
**   abolished in June 1961.
** Rule (commune c, local climate P_p):
**   share of households in the hall, d = participation x min(1, P_p) x ramp,
**     ramp rising linearly over spread_weeks from timeline.communes;
**   a hall holding less than collapse_weeks of its members' grain need
**     dissolves unless P_p >= force_climate; a dissolved hall reopens (and
**     pools the members' grain again) once P_p >= force_climate;
**   the halls are abolished abolish_lag_weeks after the Centre's retreat
**     (politics.c) -- a rule, not a date;
**   a hall eats freely -- (1 + free_eating) x its members' grain need, the
**     excess wasted -- while it holds more than free_while_weeks of need and
**     P_p >= 0.5; otherwise it rations its stock as if it had to last only
**     planning_horizon of the weeks to the next harvest (it runs out in spring);
**   members lose forage_loss of their non-grain food (no stove, no private
**     cooking or foraging: LITERATURE.md sec.7's "no household buffer or
**     foraging"), made up only while the hall eats freely (food.c);
**   households whose woks were melted (furnaces.c) are always members while
**     the hall is open; cadre and cook households (cadre_share of them) get
**     (1 + cadre_skim) times the members' intake ratio (at most their need),
**     the others what is left.
**   Joining pools the household's grain into the hall; leaving takes a share
**   of the hall's grain by need (a household without need takes none, but
**   leaves all the same).  Each household has one fixed draw u, keyed by
**   the household: it is a member while u < d; when d changes, only those
**   whose side of d could have changed are looked at again.
** Disabled: no halls; households keep their grain and cook at home.
** Units: shares; GU.  Cost: O(communes) a week; O(households) of a commune
**   in the weeks its hall's share changes.
** Invariants: grain moves between households and hall without loss; a
**   closed hall has no members; after a sort, members are exactly the
**   households without a wok or with u < d (tests/test_mechanisms.c).
*/
#ifndef LEAP_DINING_H
#define LEAP_DINING_H

#include "sim.h"

/* Each commune's hall share, collapse and reopening, free eating. */
void dine_step(SimState *S);
/* In the commune's own phase: households join or leave (grain moves). */
void dine_households(SimState *S, int c);

#endif
