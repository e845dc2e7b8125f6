/* agriculture.c -- see agriculture.h. */
#include "agriculture.h"
#include "cal.h"
#include <math.h>

static int in_window(int doy, int start, int weeks) { return doy >= start && doy < start + 7 * weeks; }

static int harvest_week(const Params *P, int w)
{
    int d = cal_doy_of_week(w);
    return in_window(d, P->summer_start, P->summer_weeks) || in_window(d, P->autumn_start, P->autumn_weeks);
}

double agri_share(const Params *P, int week, int *ration_weeks, double *rest, double *year_rest)
{
    int y = cal_year_of_week(week), w0 = cal_first_week_of_year(y), w1 = cal_first_week_of_year(y + 1);
    int ns = 0, na = 0;
    for (int w = w0; w < w1; w++) {
        int d = cal_doy_of_week(w);
        ns += in_window(d, P->summer_start, P->summer_weeks);
        na += in_window(d, P->autumn_start, P->autumn_weeks);
    }
    if (ration_weeks) {   /* to the start of the next harvest window not yet begun */
        int w = week;
        while (harvest_week(P, w) && w < week + 20) w++;    /* the end of a window we are in */
        while (!harvest_week(P, w) && w < week + 60) w++;   /* the start of the next */
        *ration_weeks = w - week;
    }
    int d = cal_doy_of_week(week);
    if (year_rest) {   /* shares of this week and the year's later weeks */
        *year_rest = 0;
        for (int w = week; w < w1; w++) {
            int dw = cal_doy_of_week(w);
            if (in_window(dw, P->summer_start, P->summer_weeks)) *year_rest += ns ? P->summer_share / ns : 0;
            else if (in_window(dw, P->autumn_start, P->autumn_weeks)) *year_rest += na ? (1 - P->summer_share) / na : 0;
        }
    }
    if (rest) {   /* shares of the weeks after this one in the same window */
        *rest = 0;
        int summer = in_window(d, P->summer_start, P->summer_weeks), autumn = in_window(d, P->autumn_start, P->autumn_weeks);
        for (int w = week + 1; summer || autumn; w++) {
            int dw = cal_doy_of_week(w);
            if (summer && in_window(dw, P->summer_start, P->summer_weeks)) *rest += ns ? P->summer_share / ns : 0;
            else if (autumn && in_window(dw, P->autumn_start, P->autumn_weeks)) *rest += na ? (1 - P->summer_share) / na : 0;
            else break;
        }
    }
    if (in_window(d, P->summer_start, P->summer_weeks)) return ns ? P->summer_share / ns : 0;
    if (in_window(d, P->autumn_start, P->autumn_weeks)) return na ? (1 - P->summer_share) / na : 0;
    return 0;
}

/* The year's potential output of a rural commune, GU/year; trend: the
   trend's growth since 1957, (1 + trend_growth)^(year - 1957). */
static double potential(const SimState *S, const Commune *c, double trend)
{
    const Params *P = S->P;
    double y = c->output0 * trend * S->prov[c->province].weather;
    if (P->agro_on) y *= pow(c->area, P->agro_area_el) * (1 - P->agro_penalty * c->adopt_sown);
    if (P->furn_on) y *= 1 - P->furn_tools * (1 - c->tools);
    if (P->lab_on) y *= c->irrigation;
    y *= pow(c->capital, P->cap_elast);
    if (c->season_weeks > 0) {
        double n = c->season_weeks;
        if (P->lab_on) {
            y *= pow(c->season_labour / n, P->lab_beta);
            y *= pow(fmin(1, c->season_reserve / n / 0.97), P->lab_nutr);
        }
        if (P->inc_on) y *= c->season_effort / n;
    }
    return y;
}

void agri_step(SimState *S)
{
    const Params *P = S->P;
    double trend = pow(1 + P->trend_growth, S->year - 1957);   /* the same for every commune */
    #pragma omp parallel for num_threads(S->threads) schedule(static)   /* each commune its own: any order */
    for (int i = 0; i < S->ncomm; i++) {
        Commune *c = &S->comm[i];
        if (c->urban || c->output0 <= 0) continue;
        Tally *t = &S->acc[i];
        /* farm capital: lost where members go hungry, rebuilt slowly */
        double depl = 1 - c->reserve_mean;
        c->capital += (float)((P->cap_recover * (1 - c->capital) - P->cap_hunger * (depl > 0 ? depl : 0)) /
                              S->weeks_per_year);
        if (c->capital < (float)P->cap_floor) c->capital = (float)P->cap_floor;
        if (c->field > 0) {   /* what waited in the field since last week rots a little */
            int64_t lost = (int64_t)llround((double)c->field * P->lab_rot);
            c->field -= lost;
            t->rotted += lost;
        }
        if (S->harvest_frac > 0) {
            c->potential = potential(S, c, trend);
            c->field += (int64_t)llround(c->potential * S->harvest_frac);
        }
        /* what households can still expect from this harvest window, net of
           seed, feed, losses and the state's share (food.c rations on it) */
        double rest = c->potential * S->harvest_rest * (1 - P->sfl_share);
        double state = rest * (P->proc_on ? (c->potential > 0 ? fmin(1, c->quota / c->potential) : 0) : P->proc_share);
        c->expect_rest = rest - state;
        if (c->field <= 0) continue;
        double rate = P->lab_on ? fmin(1, c->farm_share / P->lab_harvest) : 1;
        int64_t h = (int64_t)llround((double)c->field * rate);
        int64_t sfl = (int64_t)llround((double)h * P->sfl_share);
        c->field -= h;
        c->granary += h - sfl;
        t->harvest += h;
        t->sfl += sfl;
    }
}
