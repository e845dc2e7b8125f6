/* migration.c -- see migration.h. */
#include "migration.h"
#include "politics.h"
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

/* Move up to `due` persons matching (away bit == from_away, age in
   [lo, hi) weeks, reserve below rmax) by flipping their away bit; returns
   how many moved.  Draws k0, k0+1, ... of the commune's week. */
static int move(SimState *S, Commune *c, double *due, int from_away, int lo, int hi, int rmax, uint32_t k0)
{
    int n = 0;
    uint32_t k = k0;
    while (*due >= 1) {
        int moved = 0;
        for (int tries = 0; tries < MIG_TRIES && !moved; tries++, k++) {
            double u = rng_u01(S->seed, RNG_MIGRATION, c->id, (uint32_t)S->week, k);
            size_t i = (size_t)c->first + (size_t)(u * (double)c->nfound);
            uint16_t b = S->pp.bws[i];
            int aw = S->week + BW_OFFSET - (int)(b & BWS_WEEK);
            if ((b & BWS_ALIVE) && ((b & BWS_AWAY) != 0) == from_away && aw >= lo && aw < hi &&
                S->pp.res[i] < rmax) {
                S->pp.bws[i] = (uint16_t)(b ^ BWS_AWAY);
                if (!from_away) mark_household(S, c, i);
                moved = 1;
            }
        }
        *due -= 1;
        if (!moved) { *due = 0; break; }   /* nobody eligible found: the debt lapses */
        n++;
    }
    return n;
}

void mig_commune(SimState *S, int ci)
{
    const Params *P = S->P;
    Commune *c = &S->comm[ci];
    Tally *t = &S->acc[ci];
    if (c->urban || c->nfound == 0) return;
    double home = c->persons, wy = S->weeks_per_year;
    int lo = 15 * 52, hi = 35 * 52, since;
    int launched = pol_launched(S), retreat = pol_retreat(S, &since);
    if (!(P->mig_on && retreat)) c->mig_due += P->urban_migration / wy * home;   /* the retreat stops new moves */
    if (P->mig_on && launched && !retreat) c->recruit_due += P->mig_recruit * S->centre.P / wy * home;
    if (P->mig_on && retreat) c->back_due += P->mig_back / wy * c->away;
    double block = P->mig_on ? P->mig_block : 0.3;
    c->flight_due += P->mig_flight * (1 - block) * c->starving;
    int n = move(S, c, &c->mig_due, 0, lo, hi, RES_MAX + 1, 0);
    n += move(S, c, &c->recruit_due, 0, lo, hi, RES_MAX + 1, 1u << 20);
    int f = move(S, c, &c->flight_due, 0, 0, 120 * 52, (int)(0.6 * RES_ONE), 3u << 20);
    int back = move(S, c, &c->back_due, 1, 0, 120 * 52, RES_MAX + 1, 2u << 20);
    t->migrants += n + f;
    t->fled += f;
    t->returned += back;
    t->urban_end += n + f - back;
}
