/* procurement.c -- see procurement.h. */
#include "procurement.h"
#include "cal.h"
#include "food.h"
#include "politics.h"
#include <math.h>

static int64_t take(SimState *S, int64_t want)
{
    proc_take_in_order(&S->state_granary, &want, 1);
    return want;
}

void proc_take_in_order(int64_t *stock, int64_t *want, size_t n)
{
    for (size_t j = 0; j < n; j++) {
        int64_t got = want[j] <= 0 ? 0 : want[j] < *stock ? want[j] : *stock;
        *stock -= got;
        want[j] = got;
    }
}

/* What households sold or were levied last week becomes the state's. */
static void collect_sales(SimState *S)
{
    int64_t sold = 0;   /* an integer sum: the same in any order */
    #pragma omp parallel for num_threads(S->threads) schedule(static) reduction(+ : sold)
    for (int i = 0; i < S->ncomm; i++) {
        Commune *c = &S->comm[i];
        sold += c->sale_bucket;
        S->acc[i].procured += c->sale_bucket;
        S->acc[i].purchased += c->bought;
        c->sale_bucket = c->bought = 0;
    }
    S->state_granary += sold;
}

/* The grain a commune keeps when the state collects: floor_kg a head a
   year (less at a radical climate under the Leap's rule) for the weeks to
   the next harvest's income (13 after the summer harvest, 30 after the
   autumn). */
static double keep_floor(const SimState *S, const Commune *c)
{
    const Params *P = S->P;
    double Pp = P->proc_on ? S->prov[c->province].P : 0;
    double cover = cal_doy_of_week(S->week) < 200 ? 13 : 30;
    return P->proc_floor * GU_PER_KG * (1 - P->proc_conceal * Pp) * c->persons * cover / S->weeks_per_year;
}

/* Grain a commune holds (granary, households, hall), less what is levied. */
static double held(const Commune *c)
{
    return (double)(c->granary > 0 ? c->granary : 0) + (double)c->hh_stock + (double)c->hall_stock - (double)c->levy;
}

/* Flexible procurement (the counterfactual): what quotas and levies may
   still take from a commune this year, flexible_share of its true harvest
   so far less what was ordered; unlimited under the inflexible rule. */
static double flex_room(const SimState *S, const Commune *c)
{
    if (!S->P->proc_flex) return INFINITY;
    return S->P->proc_flex_share * c->harvest_year - c->taken_year;
}

/* 1957: a share of the true harvest, scaled with the urban share of the
   population (the quota's purpose was to feed the state's sales), never
   below the floor. */
static void procure_1957(SimState *S)
{
    const Params *P = S->P;
    double share = P->proc_share;
    if (S->urban_share0 > 0 && S->nat_week.pop_end > 0)
        share *= ((double)S->nat_week.urban_end / (double)S->nat_week.pop_end) / S->urban_share0;
    int64_t got = 0;   /* an integer sum: the same in any order */
    #pragma omp parallel for num_threads(S->threads) schedule(static) reduction(+ : got)
    for (int i = 0; i < S->ncomm; i++) {
        Commune *c = &S->comm[i];
        Tally *t = &S->acc[i];
        if (c->urban) continue;
        if (S->harvest_frac <= 0) { c->quota_left = 0; continue; }   /* what is owed lapses after the harvest */
        c->quota_left += (double)t->harvest * share;                   /* owed, arrears of earlier weeks included */
        double q = fmin(c->quota_left, held(c) - keep_floor(S, c));
        if (q > (double)c->granary) q = (double)c->granary;
        if (q <= 0) continue;
        int64_t g = (int64_t)q;
        c->granary -= g;
        c->quota_left -= (double)g;
        got += g;
        t->procured += g;
    }
    S->state_granary += got;
}

double proc_weight(const Params *P, double expected, double persons)
{
    double w = expected - P->proc_norm * GU_PER_KG * persons;
    return w > 0 ? w : 0;
}

/* The Leap: quotas fixed at the first harvest week of the year, before the
   harvest is known.  The national total follows the Centre's belief about
   last year's output (less than proportionally); communes share it by the
   surplus their reports claim over the retention norm ("three fixes"), so
   the more a commune claims per head, the larger the share it gives. */
static void set_quotas(SimState *S)
{
    const Params *P = S->P;
    double y57 = S->H->grain_output[1957 - DATA_FIRST_YEAR] * GU_PER_MT * S->scale;
    int i1 = S->year - 1 - 1957;
    double belief = i1 >= 0 && i1 < NYEARS && S->centre.belief[i1] > 0 ? S->centre.belief[i1] : y57 * P->rep_calm;
    double total = P->proc_rate * y57 * pow(belief / y57, P->proc_kappa) * (pol_retreat(S, NULL) ? 1 - P->proc_cut : 1);
    double wsum = 0, esum = 0;
    for (int i = 0; i < S->ncomm; i++) {
        Commune *c = &S->comm[i];
        if (c->urban) continue;
        c->expected = c->report_last > 0 ? c->report_last : c->output0 * P->rep_calm;
        c->quota = proc_weight(P, c->expected, c->persons);   /* a weight for now */
        wsum += c->quota;
        esum += c->expected;
    }
    for (int i = 0; i < S->ncomm; i++) {
        Commune *c = &S->comm[i];
        if (c->urban) continue;
        /* no claimed surplus anywhere: shares by expected output */
        double w = wsum > 0 ? c->quota / wsum : esum > 0 ? c->expected / esum : 0;
        c->quota = total * w;
        c->quota_left = c->quota;
        S->acc[i].quota += c->quota;
    }
}

static void collect_quotas(SimState *S)
{
    const Params *P = S->P;
    int first = S->harvest_frac > 0 && S->centre.quota_year != S->year;
    if (first) {
        set_quotas(S);
        S->centre.quota_year = S->year;
    }
    int since;
    if (pol_retreat(S, &since) && since == 0)
        for (int i = 0; i < S->ncomm; i++) {
            S->comm[i].quota *= 1 - P->proc_cut;
            S->comm[i].quota_left *= 1 - P->proc_cut;
        }
    if (S->harvest_frac <= 0) return;
    int64_t got = 0;   /* an integer sum: the same in any order */
    #pragma omp parallel for num_threads(S->threads) schedule(static) reduction(+ : got)
    for (int i = 0; i < S->ncomm; i++) {
        Commune *c = &S->comm[i];
        if (c->urban || c->quota_left <= 0) continue;
        double Pp = S->prov[c->province].P;
        /* this week's part of what is left of the quota (arrears included) */
        double part = S->year_rest > 0 ? S->harvest_frac / S->year_rest : 1;
        double want = c->quota_left * part * (P->proc_enf + (1 - P->proc_enf) * Pp);
        double room = fmin(held(c) - keep_floor(S, c), flex_room(S, c));   /* never below the floor */
        if (want > room) want = room;
        if (want <= 0) continue;
        c->taken_year += want;
        int64_t take = (int64_t)fmin(want, (double)(c->granary > 0 ? c->granary : 0));
        c->granary -= take;
        got += take;
        S->acc[i].procured += take;
        c->quota_left -= (double)take;
        int64_t rest = (int64_t)(want - (double)take);   /* anti-concealment: from households and hall */
        if (rest > 0) {
            c->levy += rest;
            c->quota_left -= (double)rest;
        }
    }
    S->state_granary += got;
}

/* Urban rations and the rations of members away in cities, scaled down
   together if the granary is short. */
static void rations(SimState *S)
{
    const Params *P = S->P;
    double *part = S->scratch_d, want = 0;
    #pragma omp parallel for num_threads(S->threads) schedule(static)   /* each commune its own */
    for (int i = 0; i < S->ncomm; i++) {
        const Commune *c = &S->comm[i];
        part[i] = (c->urban ? c->need_gu : 0) + c->away_need_gu;
    }
    for (int i = 0; i < S->ncomm; i++) want += part[i];   /* in commune order */
    want *= P->urban_ration;
    /* like a household, the state spreads what it holds to the next harvest;
       in harvest weeks procurement grain is arriving, so it pays in full
       what it holds */
    double W = S->harvest_frac <= 0 && S->weeks_to_harvest > 1 ? S->weeks_to_harvest : 1;
    double f = want > 0 && want * W > (double)S->state_granary ? (double)S->state_granary / (want * W) : 1.0;
    int64_t *g = S->scratch_i;   /* per commune: its city's rations, then its members' away */
    #pragma omp parallel for num_threads(S->threads) schedule(static)
    for (int i = 0; i < S->ncomm; i++) {
        const Commune *c = &S->comm[i];
        g[2 * i] = c->urban ? (int64_t)(c->need_gu * P->urban_ration * f) : 0;
        g[2 * i + 1] = c->away_need_gu > 0 ? (int64_t)(c->away_need_gu * P->urban_ration * f) : 0;
    }
    proc_take_in_order(&S->state_granary, g, 2 * (size_t)S->ncomm);   /* in commune order */
    #pragma omp parallel for num_threads(S->threads) schedule(static)
    for (int i = 0; i < S->ncomm; i++) {
        Commune *c = &S->comm[i];
        c->granary += g[2 * i];
        c->away_bucket += g[2 * i + 1];
        S->acc[i].rations += g[2 * i] + g[2 * i + 1];
    }
}

/* Resales to deficit communes: each week the part of their deficits to the
   next harvest that falls in this week, from the grain above the state's
   reserve; a commune's claim is discounted by the harvest it reported. */
static void resales(SimState *S, double outlays)
{
    const Params *P = S->P;
    if (S->weeks_to_harvest <= 1 || P->resale_floor <= 0) return;
    /* the state keeps what its own outlays need to the next harvest, and a reserve */
    int64_t keep = (int64_t)((P->resale_reserve + S->weeks_to_harvest) * outlays);
    if (S->state_granary <= keep) return;
    int64_t avail = S->state_granary - keep;
    double *claim = S->scratch_d;
    double total = 0;
    #pragma omp parallel for num_threads(S->threads) schedule(static)   /* each commune its own claim */
    for (int i = 0; i < S->ncomm; i++) {
        const Commune *c = &S->comm[i];
        claim[i] = 0;
        if (c->urban) continue;
        double pen = P->proc_on && c->log_m > 0 ? exp(-P->proc_relief_pen * c->log_m) : 1;
        claim[i] = fmax(0, c->deficit_gu - (double)c->resale_bucket) * pen;
    }
    for (int i = 0; i < S->ncomm; i++) total += claim[i];   /* in commune order */
    if (total <= 0) return;
    double spread = 1.0 / S->weeks_to_harvest;
    total *= spread;
    double f = total > (double)avail ? (double)avail / total : 1.0;
    int64_t *g = S->scratch_i;
    #pragma omp parallel for num_threads(S->threads) schedule(static)
    for (int i = 0; i < S->ncomm; i++) {
        double want = claim[i] * spread;
        g[i] = S->comm[i].urban || want <= 0 ? 0 : (int64_t)(want * f);
    }
    proc_take_in_order(&S->state_granary, g, (size_t)S->ncomm);   /* in commune order */
    #pragma omp parallel for num_threads(S->threads) schedule(static)
    for (int i = 0; i < S->ncomm; i++) {
        S->comm[i].resale_bucket += g[i];
        S->acc[i].resold += g[i];
    }
}

/* Exports planned for this year (Mt), the Leap's rule. */
static double exports_mt(const SimState *S)
{
    const Params *P = S->P;
    if (!P->proc_on) return P->exports_mt;
    if (pol_retreat(S, NULL)) return 0;
    int i = S->year - 1 - 1957;
    double y57 = S->H->grain_output[1957 - DATA_FIRST_YEAR] * GU_PER_MT * S->scale;
    double ratio = i >= 0 && i < NYEARS && S->centre.belief[i] > 0 ? S->centre.belief[i] / y57 : 1;
    return P->exports_mt * pow(ratio, P->proc_export);
}

/* Urban priority (the Leap's rule): a state short of grain levies the
   communes, each in proportion to its grain above the levy floor.  The
   grain arrives next week through the sale buckets.  Under the 1957 rule
   quotas were fixed ("three fixes", 1955) and a short state cut rations. */
static void urban_priority(SimState *S, double outlays)
{
    const Params *P = S->P;
    double want = P->urban_priority * outlays - (double)S->state_granary;
    if (want <= 0) return;
    double *above = S->scratch_d, total = 0;
    #pragma omp parallel for num_threads(S->threads) schedule(static)   /* each commune its own room */
    for (int i = 0; i < S->ncomm; i++) {
        Commune *c = &S->comm[i];
        above[i] = 0;
        if (c->urban) continue;
        double room = fmin(held(c) - keep_floor(S, c), flex_room(S, c));
        above[i] = room > 0 ? room : 0;
    }
    for (int i = 0; i < S->ncomm; i++) total += above[i];   /* in commune order */
    if (total <= 0) return;
    double f = want < total ? want / total : 1.0;
    int64_t got = 0;   /* an integer sum: the same in any order */
    #pragma omp parallel for num_threads(S->threads) schedule(static) reduction(+ : got)
    for (int i = 0; i < S->ncomm; i++) {
        Commune *c = &S->comm[i];
        if (above[i] <= 0) continue;
        int64_t g = (int64_t)(above[i] * f);
        c->taken_year += (double)g;
        int64_t from_granary = g < c->granary ? g : c->granary;
        c->granary -= from_granary;
        got += from_granary;
        S->acc[i].procured += from_granary;
        c->levy += g - from_granary;
    }
    S->state_granary += got;
}

void proc_step(SimState *S)
{
    const Params *P = S->P;
    collect_sales(S);          /* surplus sales and levies of last week */
    int new_year = S->week == cal_first_week_of_year(S->year);
    #pragma omp parallel for num_threads(S->threads) schedule(static)   /* each commune its own: any order */
    for (int i = 0; i < S->ncomm; i++) {
        Commune *c = &S->comm[i];
        if (new_year) c->harvest_year = c->taken_year = 0;
        c->harvest_year += (double)S->acc[i].harvest;
    }
    if (P->proc_on) collect_quotas(S);
    else procure_1957(S);
    double per_week = GU_PER_MT * S->scale / S->weeks_per_year;
    if (S->centre.imports_week >= 0 && S->week >= S->centre.imports_week) {   /* the Centre's decision (politics.c) */
        int64_t m = (int64_t)llround(P->proc_imports * per_week);
        S->state_granary += m;
        S->acc[S->ncomm].imported += m;
    }
    int64_t before = S->state_granary;
    rations(S);                /* 1. the cities */
    S->centre.exports_mt = exports_mt(S);
    S->acc[S->ncomm].exported += take(S, (int64_t)llround(S->centre.exports_mt * per_week));   /* 2. */
    double use = P->state_use_mt * (P->proc_on ? 1 + P->proc_cons * S->centre.P : 1);
    S->acc[S->ncomm].state_use += take(S, (int64_t)llround(use * per_week));                    /* 3. */
    double outlays = (double)(before - S->state_granary);
    resales(S, outlays);       /* 4. deficit households, above the reserve */
    if (P->proc_on) urban_priority(S, outlays);   /* a short state levies the countryside */
}
