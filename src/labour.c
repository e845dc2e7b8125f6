/* labour.c -- see labour.h. */
#include "labour.h"
#include "cal.h"
#include "politics.h"
#include <math.h>

static int winter(int doy) { return doy >= 304 || doy < 90; }   /* 1 Nov - 31 Mar */
static int growing(int doy) { return doy >= 59 && doy < 304; }  /* 1 Mar - 31 Oct */

void lab_step(SimState *S)
{
    const Params *P = S->P;
    int doy = cal_doy_of_week(S->week), w0 = pol_week(P->t_water);
    int first_winter = S->week >= w0 && S->week < w0 + 26 && winter(doy);
    int later = pol_launched(S) && winter(doy);
    if (S->week == cal_first_week_of_year(S->year))
        for (int i = 0; i < S->ncomm; i++) {
            Commune *c = &S->comm[i];
            c->season_labour = c->season_effort = c->season_reserve = c->season_weeks = 0;
        }
    #pragma omp parallel for num_threads(S->threads) schedule(static)   /* each commune its own: any order */
    for (int i = 0; i < S->ncomm; i++) {
        Commune *c = &S->comm[i];
        if (c->urban) continue;
        double Pp = S->prov[c->province].P;
        double w = P->lab_on ? P->lab_water * (first_winter ? 1 : later ? Pp : 0) : 0;
        double div = w + c->furnace_share + c->plough_share;
        if (div > 1) { w *= 1 / div; div = 1; }
        c->water_share = (float)w;
        /* a full campaign winter (~22 weeks at water_share) adds irrigation_gain */
        if (w > 0) c->irrigation += (float)(P->lab_irrig * w / (P->lab_water * 22));
        c->farm_share = (float)(1 - div);   /* off: no water works, and harvests never lack hands */
        c->overwork = (float)(P->lab_on ? 1 + P->lab_overwork * (w + c->furnace_share) * 0.6 : 1);
        if (growing(doy)) {
            c->season_labour += c->farm_share;
            c->season_effort += c->effort;
            c->season_reserve += c->reserve_mean;
            c->season_weeks += 1;
        }
        Tally *t = &S->acc[i];
        double L = c->labourers;
        t->labour_farm += L * c->farm_share;
        t->labour_water += L * w;
        t->labour_furnace += L * c->furnace_share;
    }
}

float lab_conception(const SimState *S, const Commune *c)
{
    if (!S->P->lab_on || c->urban) return 1.0f;
    double f = 1 - S->P->lab_sep * (c->water_share + c->furnace_share);
    return (float)(f < 0 ? 0 : f);
}
