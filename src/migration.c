/* migration.c -- see migration.h. */
#include "migration.h"
#include "rng.h"

#define MIG_TRIES 32

/* Flag the household of founding slot i as having a member away. */
static void mark_household(SimState *S, const Commune *c, size_t i)
{
    size_t s = (size_t)c->first;
    for (int h = 0; h < c->nhh; h++) {
        s += S->hh.size[c->hh0 + h];
        if (i < s) { S->hh.flags[c->hh0 + h] |= HH_AWAY; return; }
    }
}

void mig_commune(SimState *S, int ci)
{
    Commune *c = &S->comm[ci];
    Tally *t = &S->acc[ci];
    if (c->urban || c->nfound == 0 || S->P->urban_migration <= 0) return;
    /* members at home: this week's rural survivors in the commune */
    double home = t->n_rural;
    c->mig_due += S->P->urban_migration / S->weeks_per_year * home;
    uint32_t k = 0;
    int lo = 15 * 52, hi = 35 * 52;
    while (c->mig_due >= 1) {
        int moved = 0;
        for (int tries = 0; tries < MIG_TRIES && !moved; tries++, k++) {
            double u = rng_u01(S->seed, RNG_MIGRATION, c->id, (uint32_t)S->week, k);
            size_t i = (size_t)c->first + (size_t)(u * (double)c->nfound);
            uint16_t b = S->pp.bws[i];
            int aw = S->week + BW_OFFSET - (int)(b & BWS_WEEK);
            if ((b & BWS_ALIVE) && !(b & BWS_AWAY) && aw >= lo && aw < hi) {
                S->pp.bws[i] = (uint16_t)(b | BWS_AWAY);
                moved = 1;
                mark_household(S, c, i);
            }
        }
        c->mig_due -= 1;
        if (!moved) break;   /* nobody eligible found: the debt lapses */
        t->migrants++;
        t->urban_end++;
    }
}
