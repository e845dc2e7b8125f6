/* procurement.c -- see procurement.h. */
#include "procurement.h"
#include <math.h>

static int64_t take(SimState *S, int64_t want)
{
    if (want <= 0) return 0;
    int64_t got = want < S->state_granary ? want : S->state_granary;
    S->state_granary -= got;
    return got;
}

static void procure(SimState *S)
{
    const Params *P = S->P;
    for (int i = 0; i < S->ncomm; i++) {
        Commune *c = &S->comm[i];
        Tally *t = &S->acc[i];
        if (c->urban) continue;
        /* surplus households sold last week */
        S->state_granary += c->sale_bucket;
        t->procured += c->sale_bucket;
        c->sale_bucket = 0;
        if (t->harvest == 0) continue;
        int64_t q = (int64_t)llround((double)t->harvest * P->proc_share);
        if (q > c->granary) q = c->granary;
        c->granary -= q;
        S->state_granary += q;
        t->procured += q;
    }
}

/* Urban rations and the rations of members away in cities, scaled down
   together if the granary is short. */
static void rations(SimState *S)
{
    const Params *P = S->P;
    double want = 0;
    for (int i = 0; i < S->ncomm; i++) {
        const Commune *c = &S->comm[i];
        want += (c->urban ? c->need_gu : 0) + c->away_need_gu;
    }
    want *= P->urban_ration;
    double f = want > 0 && want > (double)S->state_granary ? (double)S->state_granary / want : 1.0;
    for (int i = 0; i < S->ncomm; i++) {
        Commune *c = &S->comm[i];
        Tally *t = &S->acc[i];
        if (c->urban) {
            int64_t g = take(S, (int64_t)(c->need_gu * P->urban_ration * f));
            c->granary += g;
            t->rations += g;
        }
        if (c->away_need_gu > 0) {
            int64_t g = take(S, (int64_t)(c->away_need_gu * P->urban_ration * f));
            c->away_bucket += g;
            t->rations += g;
        }
    }
}

static void resales(SimState *S)
{
    const Params *P = S->P;
    if (S->weeks_to_harvest <= 1 || P->resale_floor <= 0) return;
    double total = 0;
    for (int i = 0; i < S->ncomm; i++) {
        const Commune *c = &S->comm[i];
        if (!c->urban) total += fmax(0, c->deficit_gu - (double)c->resale_bucket);
    }
    if (total <= 0) return;
    double f = total > (double)S->state_granary ? (double)S->state_granary / total : 1.0;
    for (int i = 0; i < S->ncomm; i++) {
        Commune *c = &S->comm[i];
        if (c->urban) continue;
        double want = c->deficit_gu - (double)c->resale_bucket;
        if (want <= 0) continue;
        int64_t g = take(S, (int64_t)(want * f));
        c->resale_bucket += g;
        S->acc[i].resold += g;
    }
}

void proc_step(SimState *S)
{
    const Params *P = S->P;
    procure(S);
    rations(S);
    /* exports and state uses are national: booked on the state's tally, acc[ncomm] */
    double per_week = GU_PER_MT * S->scale / S->weeks_per_year;
    S->acc[S->ncomm].exported += take(S, (int64_t)llround(P->exports_mt * per_week));
    S->acc[S->ncomm].state_use += take(S, (int64_t)llround(P->state_use_mt * per_week));
    resales(S);
}
