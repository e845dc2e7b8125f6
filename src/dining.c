/* dining.c -- see dining.h. */
#include "dining.h"
#include "politics.h"
#include "rng.h"
#include <math.h>

void dine_step(SimState *S)
{
    const Params *P = S->P;
    int wc = pol_week(P->t_communes), since;
    int abolished = pol_retreat(S, &since) && since >= P->dine_lag;
    #pragma omp parallel for num_threads(S->threads) schedule(static)   /* each commune its own: any order */
    for (int i = 0; i < S->ncomm; i++) {
        Commune *c = &S->comm[i];
        if (c->urban) continue;
        double Pp = S->prov[c->province].P, d = 0;
        if (P->dine_on && S->week >= wc && !abolished) {
            double ramp = fmin(1, (S->week - wc + 1) / P->dine_spread);
            if (c->hall_closed && Pp >= P->dine_force) c->hall_closed = 0;            /* reopened by force */
            else if (!c->hall_closed && c->dining > 0 && Pp < P->dine_force &&
                     (double)c->hall_stock < P->dine_collapse * c->hall_need_gu)
                c->hall_closed = 1;                                                    /* out of grain */
            if (!c->hall_closed) d = P->dine_part * fmin(1, Pp) * ramp;
        }
        c->dining = (float)d;
        c->hall_free = (int8_t)(d > 0 && Pp >= 0.5 && (double)c->hall_stock > P->dine_free_wk * c->hall_need_gu);
    }
}

/* Household h wants the hall at share d: it has no wok, or its own fixed
   draw u (keyed by the household, not the week) is below d.  The draw is
   needed only where the answer could have changed since the share was last
   d0: every household was sorted then, so a member without the no-wok flag
   has u < d0, and a household outside has u >= d0 (if d0 > 0). */
static int wants_hall(const SimState *S, const Commune *c, int h, uint8_t fl, double d, double d0)
{
    if (d <= 0) return 0;
    if (fl & HH_NO_WOK) return 1;
    if ((fl & HH_DINING) && d >= d0) return 1;
    if (!(fl & HH_DINING) && d <= d0 && d0 > 0) return 0;
    return rng_u01(S->seed, RNG_DINING, (uint64_t)c->id << 32 | (uint32_t)h, 0, 0) < d;
}

void dine_households(SimState *S, int ci)
{
    Commune *c = &S->comm[ci];
    if (c->dining == c->dining_applied) return;
    const Params *P = S->P;
    uint8_t *fl = S->hh.flags + c->hh0;
    int32_t *stock = S->hh.stock + c->hh0;
    const uint16_t *need = S->hh.need + c->hh0;
    double d = c->dining, d0 = c->dining_applied, members_need = 0;
    int leavers = 0;
    for (int h = 0; h < c->nhh; h++) {
        uint64_t key = (uint64_t)c->id << 32 | (uint32_t)h;
        int want = wants_hall(S, c, h, fl[h], d, d0);
        if (want && !(fl[h] & HH_DINING)) {       /* joins: its grain goes to the hall */
            c->hall_stock += stock[h];
            stock[h] = 0;
            fl[h] |= HH_DINING;
            if (!c->cadres_named && rng_u01(S->seed, RNG_DINING, key, 0, 1) < P->dine_cadre) fl[h] |= HH_CADRE;
        }
        if (fl[h] & HH_DINING) {
            members_need += need[h];
            if (!want) { leavers++; fl[h] |= HH_LEAVING; }
        }
    }
    c->cadres_named = 1;
    if (leavers) {   /* leavers take their share of the hall's grain by need (none without need) */
        double share = (double)c->hall_stock * (members_need > 0 ? 1 / members_need : 0);
        int64_t given = 0;
        for (int h = 0; h < c->nhh; h++)
            if (fl[h] & HH_LEAVING) {
                int32_t g = (int32_t)(share * need[h]);
                stock[h] += g;
                given += g;
                fl[h] &= (uint8_t)~(HH_LEAVING | HH_DINING);
            }
        c->hall_stock -= given;
    }
    c->dining_applied = c->dining;
}
