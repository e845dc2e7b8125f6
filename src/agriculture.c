/* agriculture.c -- see agriculture.h. */
#include "agriculture.h"
#include "cal.h"
#include <math.h>

static int in_window(int doy, int start, int weeks) { return doy >= start && doy < start + 7 * weeks; }

double agri_share(const Params *P, int week, int *weeks_to_next)
{
    int y = cal_year_of_week(week), w0 = cal_first_week_of_year(y), w1 = cal_first_week_of_year(y + 1);
    int ns = 0, na = 0;
    for (int w = w0; w < w1; w++) {
        int d = cal_doy_of_week(w);
        ns += in_window(d, P->summer_start, P->summer_weeks);
        na += in_window(d, P->autumn_start, P->autumn_weeks);
    }
    int d = cal_doy_of_week(week);
    if (weeks_to_next) {
        int k = 0;
        for (int w = week; k < 60; w++, k++) {
            int dw = cal_doy_of_week(w);
            if (in_window(dw, P->summer_start, P->summer_weeks) || in_window(dw, P->autumn_start, P->autumn_weeks)) break;
        }
        *weeks_to_next = k;
    }
    if (in_window(d, P->summer_start, P->summer_weeks)) return ns ? P->summer_share / ns : 0;
    if (in_window(d, P->autumn_start, P->autumn_weeks)) return na ? (1 - P->summer_share) / na : 0;
    return 0;
}

void agri_step(SimState *S)
{
    const Params *P = S->P;
    if (S->harvest_frac <= 0) return;
    double growth = pow(1 + P->trend_growth, S->year - 1957);
    for (int i = 0; i < S->ncomm; i++) {
        Commune *c = &S->comm[i];
        if (c->urban || c->output0 <= 0) continue;
        Province *v = &S->prov[c->province];
        int64_t h = (int64_t)llround(c->output0 * growth * v->weather * S->harvest_frac);
        int64_t sfl = (int64_t)llround((double)h * P->sfl_share);
        c->granary += h - sfl;
        S->acc[i].harvest += h;
        S->acc[i].sfl += sfl;
    }
}
