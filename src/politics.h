/*
** politics.c -- the political climate, the Centre's perceptions and its
** rules (mechanism `politics`).
**
** History (LITERATURE.md sec.11, FACTS.md sec.5): a radical phase from the
**   launch of the General Line (May 1958) and Beidaihe (Aug 1958); a first
**   correction from the Zhengzhou conference (Nov 1958) to mid-1959; a
**   re-radicalisation after Lushan purged Peng Dehuai (Aug 1959 - mid 1960);
**   the retreat from the Twelve Articles (3 Nov 1960): procurement cut,
**   food exports halted (Dec 1960), grain imported from 1961, dining halls
**   abolished (June 1961), workers sent back.  News of deaths "only reached
**   the centre in summer 1960"; city grain stocks of 2-6 days' sales in July
**   1960 forced action.  Provinces differed in radicalism; Politburo
**   alternates procured more than full members (Kung & Chen 2011).
** Rule.  Only the timeline's decisions are dated; everything else is a rule.
**   Climate P (0 calm .. 1 radical) relaxes toward calm with half-life
**   `fatigue_weeks` from the level the last dated decision pushed it to:
**     launch -> climate_launch; Beidaihe (steel campaign, communes) ->
**     climate_campaign; Lushan -> climate_campaign (purge; it then relaxes
**     with half-life purge_fatigue_weeks: fear lasts) or climate_heed;
**   while the Centre is in retreat P falls to calm at once and stays there.
**   Local climate of province p: P_p = min(1.5, P x radical_p) (above 1 in
**     the most radical provinces at the height of a campaign), with
**     log radical_p = radical_alternate [alternate] + radical_full [full
**     member] + radical_sd z_p   (z_p a normal draw keyed by the province:
**     pre-1958 information only, never outcomes).
**   News: each week every province sends its deaths, filtered by its
**     climate, D_sent = B + (D - B)(1 - news_filter x P_p) (B = baseline
**     deaths); they arrive news_delay_weeks later; the Centre's perceived
**     mortality is sum D_sent / sum B over the 13 weeks last arrived.
**   Days of supply: state granary / the last week's outlays (urban rations,
**     exports, state uses) x 7.
**   Retreat rule: once the Leap is launched, the Centre retreats when
**     perceived mortality >= crisis_threshold + denial x P (a radical Centre
**     dismisses bad news) or days of supply < urban_days_threshold.
**   Import rule: the Centre imports once days of supply fall below the
**     threshold or in the retreat (procurement.c buys the grain), or on
**     timeline.imports if a scenario dates the decision (a counterfactual
**     lever; history leaves it to the rule).
** Disabled: P stays calm, nothing is perceived, no retreat (a dated import
**   decision still holds).
** Units: P dimensionless; weeks; days.  Cost: O(provinces) a week.
** Must not: touch grain or people; others read P_p, the retreat and imports.
*/
#ifndef LEAP_POLITICS_H
#define LEAP_POLITICS_H

#include "sim.h"

/* Radicalism of each province (once, before the run). */
void pol_init(SimState *S);
/* The week's dated decisions, climate, news and rules. */
void pol_step(SimState *S);
/* Week number of a YYYYMMDD date. */
int pol_week(int yyyymmdd);
/* True once the Leap is launched (the timeline's launch date has passed). */
int pol_launched(const SimState *S);
/* True in the retreat; weeks since it began in *since (if not NULL). */
int pol_retreat(const SimState *S, int *since);

#endif
