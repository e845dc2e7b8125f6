/* incentives.c -- see incentives.h. */
#include "incentives.h"
#include "politics.h"

int inc_collective(const SimState *S)
{
    const Params *P = S->P;
    int since;
    if (S->week < pol_week(P->t_communes)) return 0;
    return !(pol_retreat(S, &since) && since >= P->inc_lag);
}

void inc_step(SimState *S)
{
    const Params *P = S->P;
    int coll = P->inc_on && inc_collective(S);
    #pragma omp parallel for num_threads(S->threads) schedule(static)   /* each commune its own: any order */
    for (int i = 0; i < S->ncomm; i++) {
        Commune *c = &S->comm[i];
        c->effort = (float)(coll ? 1 - P->inc_drop : 1);
        c->nongrain = (float)(c->urban ? P->urban_nongrain : coll ? P->inc_nongrain : P->nongrain_share);
    }
}
