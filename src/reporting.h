/*
** reporting.c -- harvest reports climbing the hierarchy (mechanism `reporting`).
**
** History (LITERATURE.md sec.2, data/claims.csv): from June 1958 communes
**   "launched sputniks"; cadres who reported honestly were labelled
**   rightists, those who fabricated promoted; neighbours out-bid each other
**   (Xiping re-bid until it beat Suiping).  The Centre claimed 375 Mt for
**   1958 (true 200) and ~270 for 1959 (true 170); by 1960, after the deaths,
**   "nobody dared over-report any more" (x1.23).  In calm 1957 the estimate,
**   185 Mt, was below the true 195.  Inspections were stage-managed.
** Rule.  In each harvest week commune c in province p reports R_c = H_c m_c,
**   log m_c = log calm_margin + climate_gain P_p
**             + gap_gain P_p log max(1, T_c / Y_c)        (T_c its target,
**                                                          Y_c its true potential)
**             + peer_gain pbar_k                           (pbar_k: mean log m_c of
**                                                          its county's last harvest)
**             - detection max(0, perceived - 1)            (the Centre's perceived
**                                                          excess mortality)
**   clamped to [log calm_margin, log max_inflation].  Its county and
**   province multiply by (1 + county_inflation P_p)(1 + province_inflation P_p).
**   The Centre believes B = H (1 + (M - 1)(1 - inspection_correction)) for
**   a total inflation M > 1 (B = H M if M <= 1); B summed over the year's
**   harvests is the belief on 31 December (the output column
**   grain_output_claimed_at_time_mt).
** Disabled: every commune reports H x calm_margin, nothing added above.
** Units: GU.  Cost: O(communes) in harvest weeks.
** Invariants: with P = 0, no target gap, no peers and no perceived crisis,
**   R = H x calm_margin; R >= H x calm_margin always.
** Must not: move grain; procurement.c reads the reports.
*/
#ifndef LEAP_REPORTING_H
#define LEAP_REPORTING_H

#include "sim.h"

/* log(report/true) of a commune (exposed for tests). */
double rep_log_m(const Params *P, double Pp, double target, double potential, double peer, double perceived);
void rep_step(SimState *S);

#endif
