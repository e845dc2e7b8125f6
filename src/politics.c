/* politics.c -- see politics.h. */
#include "politics.h"
#include "cal.h"
#include "rng.h"
#include <math.h>

int pol_week(int ymd) { return cal_week_of_day(cal_days_of(ymd)); }

int pol_launched(const SimState *S) { return S->week >= pol_week(S->P->t_launch); }

int pol_retreat(const SimState *S, int *since)
{
    int w = S->centre.retreat_week;
    if (since) *since = w >= 0 ? S->week - w : -1;
    return w >= 0 && S->week >= w;
}

void pol_init(SimState *S)
{
    const Params *P = S->P;
    Centre *C = &S->centre;
    C->P = C->P_push = P->pol_calm;
    C->push_week = 0;
    C->push_half = P->pol_fatigue;
    C->retreat_week = C->imports_week = -1;
    C->perceived = 1;
    for (int p = 0; p < S->nprov; p++) {
        Province *v = &S->prov[p];
        int st = S->H->prov[p].politburo;
        double z = rng_normal(S->seed, RNG_POLITICS, (uint64_t)p, 0, 0);
        double lr = (st == 1 ? P->pol_alt : st == 2 ? P->pol_full : 0) + P->pol_sd * z;
        v->radical = exp(lr);
        v->P = fmin(1.5, C->P * v->radical);
    }
}

static void push(Centre *C, double level, int week, double half)
{
    C->P_push = level;
    C->push_week = week;
    C->push_half = half;
}

/* The dated decisions of the timeline. */
static void timeline(SimState *S)
{
    const Params *P = S->P;
    Centre *C = &S->centre;
    int w = S->week;
    if (w == pol_week(P->t_launch)) push(C, P->pol_launch, w, P->pol_fatigue);
    if (w == pol_week(P->t_steel) || w == pol_week(P->t_communes)) push(C, fmax(C->P, P->pol_campaign), w, P->pol_fatigue);
    if (w == pol_week(P->t_lushan) && !C->lushan_done) {
        C->lushan_done = 1;
        if (P->lushan_heed) push(C, P->pol_heed, w, P->pol_fatigue);
        else push(C, P->pol_campaign, w, P->pol_purge_fat);   /* the purge: fear lasts */
    }
}

/* Deaths news: sent now, perceived after the delay. */
static void news(SimState *S)
{
    const Params *P = S->P;
    Centre *C = &S->centre;
    double sent = 0, base = 0;
    for (int p = 0; p < S->nprov; p++) {
        const Province *v = &S->prov[p];
        double b = v->week.exp_deaths, d = (double)v->week.deaths;
        base += b;
        sent += b + (d - b) * (1 - P->pol_filter * v->P);
    }
    C->news_deaths[S->week % NEWS_RING] = sent;
    C->news_base[S->week % NEWS_RING] = base;
    int delay = (int)lround(P->pol_delay);
    double sd = 0, sb = 0;
    for (int k = 0; k < 13; k++) {
        int w = S->week - delay - k;
        if (w < 0) break;
        sd += C->news_deaths[w % NEWS_RING];
        sb += C->news_base[w % NEWS_RING];
    }
    C->perceived = sb > 0 ? sd / sb : 1;
}

void pol_step(SimState *S)
{
    const Params *P = S->P;
    Centre *C = &S->centre;
    /* a dated decision to import (a counterfactual lever), whatever the rules */
    if (P->t_imports > 0 && C->imports_week < 0 && S->week >= pol_week(P->t_imports)) C->imports_week = S->week;
    /* the state's granary in days of last week's outlays: measured whether or not a Centre acts on it */
    const Tally *lw = &S->nat_week;
    double out = (double)(lw->rations + lw->exported + lw->state_use);
    C->urban_days = out > 0 ? (double)S->state_granary / (out / 7) : 1e9;
    if (!P->pol_on) {
        C->P = P->pol_calm;
        for (int p = 0; p < S->nprov; p++) S->prov[p].P = fmin(1.5, C->P * S->prov[p].radical);
        return;
    }
    timeline(S);
    news(S);
    int stressed = C->urban_days < P->pol_days;
    double threshold = P->pol_crisis + P->pol_denial * C->P;   /* a radical Centre dismisses bad news */
    if (pol_launched(S) && C->retreat_week < 0 && (C->perceived >= threshold || stressed)) {
        C->retreat_week = S->week;
        C->retreat_perceived = C->perceived;
        C->retreat_days = C->urban_days;
    }
    if (pol_launched(S) && C->imports_week < 0 && (stressed || C->retreat_week >= 0))
        C->imports_week = S->week;
    /* climate: relax from the last push toward calm; calm in the retreat */
    if (C->retreat_week >= 0) C->P = P->pol_calm;
    else {
        double age = S->week - C->push_week;
        C->P = P->pol_calm + (C->P_push - P->pol_calm) * pow(0.5, age / C->push_half);
    }
    for (int p = 0; p < S->nprov; p++) S->prov[p].P = fmin(1.5, C->P * S->prov[p].radical);
}
