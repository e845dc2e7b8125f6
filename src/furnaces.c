/* furnaces.c -- see furnaces.h. */
#include "furnaces.h"
#include "politics.h"
#include "rng.h"
#include "targets.h"
#include <math.h>

void furn_init(SimState *S)
{
    S->centre.steel_modern = S->H->steel_output[1957 - DATA_FIRST_YEAR];
    for (int i = 0; i < S->ncomm; i++) {
        Commune *c = &S->comm[i];
        c->forest = c->forest0 = c->urban ? 0 : S->P->furn_forest * (double)c->nfound;
        c->tools = 1;
    }
}

void furn_step(SimState *S)
{
    const Params *P = S->P;
    Centre *C = &S->centre;
    int y = S->year - 1957, since;
    /* modern steel */
    if (pol_retreat(S, &since) && since == 0) C->steel_modern *= 1 - P->furn_fall;
    else if (!pol_retreat(S, NULL)) C->steel_modern *= 1 + P->furn_modern * C->P / S->weeks_per_year;
    double week_modern = C->steel_modern / S->weeks_per_year;
    double Ts = C->steel_target[y >= 0 && y < NYEARS ? y : 0];
    double gap = Ts > 0 ? fmin(1, fmax(0, (Ts - C->steel_modern) / (0.5 * Ts))) : 0;
    int ws = pol_week(P->t_steel), age = S->week - ws;
    int campaign = P->furn_on && age >= 0;
    /* the mass campaign: a month to build, then it fades (fatigue, fuel, the Feb 1959 regulation) */
    double wave = age < 0 ? 0 : age < 4 ? (age + 1) / 4.0 : pow(0.5, (age - 4) / P->furn_half);
    double native = 0;
    #pragma omp parallel for num_threads(S->threads) schedule(static)   /* each commune its own furnaces */
    for (int i = 0; i < S->ncomm; i++) {
        Commune *c = &S->comm[i];
        if (c->urban) continue;
        double Pp = S->prov[c->province].P;
        double f = campaign && Pp >= P->furn_stop ? P->furn_share * Pp * gap * wave : 0;
        c->furnace_share = (float)f;
        if (f <= 0) continue;
        if (!c->woks_taken) {
            c->woks_taken = 1;   /* furn_households() melts them this week */
            c->tools = (float)(1 - P->furn_wok * Pp);
        }
        double t = c->labourers * f * 7 * P->furn_kg / 1000;   /* tonnes */
        double wood = t * P->furn_wood;
        if (wood > c->forest) { t = c->forest / P->furn_wood; wood = c->forest; }
        c->forest -= wood;
        c->iron += t;
        S->acc[i].iron_native += t;
    }
    if (campaign)
        for (int i = 0; i < S->ncomm; i++) native += S->acc[i].iron_native;   /* in commune order */
    if (y >= 0 && y < NYEARS) {
        double nat_mt = native / 1e6 / S->scale;
        C->steel_claimed[y] += week_modern + nat_mt;
        C->steel_usable[y] += week_modern + nat_mt * P->furn_usable;
        S->acc[S->ncomm].steel_claimed += week_modern + nat_mt;
        S->acc[S->ncomm].steel_usable += week_modern + nat_mt * P->furn_usable;
    }
}

void furn_households(SimState *S, int ci)
{
    Commune *c = &S->comm[ci];
    if (c->woks_taken != 1) return;
    c->woks_taken = 2;
    double share = 1 - c->tools;
    for (int h = 0; h < c->nhh; h++) {
        double u = rng_u01(S->seed, RNG_FURNACE, (uint64_t)c->id << 32 | (uint32_t)h, 0, 0);
        if (u < share) S->hh.flags[c->hh0 + h] |= HH_NO_WOK;
    }
}
