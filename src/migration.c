/* migration.c -- see migration.h. */
#include "migration.h"
#include "politics.h"
#include "rng.h"
#include <stdlib.h>

#define MIG_TRIES 32

/* Founding slots of persons who moved to a city, whose households are
   still to be flagged HH_AWAY: flagged in one walk of the commune's
   households when the list fills and at the end of the commune's moves
   (nothing reads the flag in between), not one walk per person moved,
   which made migration cost per person grow with the commune's size. */
#define MARKS_MAX 256
typedef struct Marks { size_t n, i[MARKS_MAX]; } Marks;

static int by_slot(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

static void mark_households(SimState *S, const Commune *c, Marks *m)
{
    if (!m->n) return;
    qsort(m->i, m->n, sizeof m->i[0], by_slot);
    size_t s = (size_t)c->first, j = 0;
    for (int h = 0; h < c->nhh && j < m->n; h++) {
        s += S->hh.size[c->hh0 + h];   /* the end of household h's founding slots */
        if (m->i[j] < s) S->hh.flags[c->hh0 + h] |= HH_AWAY;
        while (j < m->n && m->i[j] < s) j++;
    }
    m->n = 0;
}

/* Move up to `due` persons matching (away bit == from_away, age in
   [lo, hi) weeks, reserve below rmax) by flipping their away bit; returns
   how many moved; those leaving home join *marks.  Draws k0, k0+1, ... of
   the commune's week. */
static int move(SimState *S, Commune *c, double *due, int from_away, int lo, int hi, int rmax, uint32_t k0,
                Marks *marks)
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
                if (!from_away) {
                    if (marks->n == MARKS_MAX) mark_households(S, c, marks);
                    marks->i[marks->n++] = i;
                }
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
    int launched = S->launched, retreat = pol_retreat(S, &since);
    if (!(P->mig_on && retreat)) c->mig_due += P->urban_migration / wy * home;   /* the retreat stops new moves */
    if (P->mig_on && launched && !retreat) c->recruit_due += P->mig_recruit * S->centre.P / wy * home;
    if (P->mig_on && retreat) c->back_due += P->mig_back / wy * c->away;
    double block = P->mig_on ? P->mig_block : 0.3;
    c->flight_due += P->mig_flight * (1 - block) * c->starving;
    Marks marks;
    marks.n = 0;
    int n = move(S, c, &c->mig_due, 0, lo, hi, RES_MAX + 1, 0, &marks);
    n += move(S, c, &c->recruit_due, 0, lo, hi, RES_MAX + 1, 1u << 20, &marks);
    int f = move(S, c, &c->flight_due, 0, 0, 120 * 52, (int)(0.6 * RES_ONE), 3u << 20, &marks);
    int back = move(S, c, &c->back_due, 1, 0, 120 * 52, RES_MAX + 1, 2u << 20, &marks);
    mark_households(S, c, &marks);
    t->migrants += n + f;
    t->fled += f;
    t->returned += back;
    t->urban_end += n + f - back;
}
