/* targets.c -- see targets.h. */
#include "targets.h"
#include "cal.h"
#include "politics.h"
#include <math.h>

static double y1957(const SimState *S, int steel)
{
    return steel ? S->H->steel_output[1957 - DATA_FIRST_YEAR] : S->H->grain_output[1957 - DATA_FIRST_YEAR];
}

/* The Centre's belief about a past year's output, Mt (full scale). */
static double belief_mt(const SimState *S, int year, int steel)
{
    int i = year - 1957;
    if (i < 0 || i >= NYEARS) return y1957(S, steel);
    if (steel) return S->centre.steel_claimed[i] > 0 ? S->centre.steel_claimed[i] : y1957(S, 1);
    return S->centre.belief[i] > 0 ? S->centre.belief[i] / GU_PER_MT / S->scale : y1957(S, 0);
}

double tgt_national(const SimState *S, int year, int steel)
{
    const Params *P = S->P;
    if (!P->tgt_on) return y1957(S, steel) * pow(1 + P->tgt_growth, year - 1957);
    int today = cal_yyyymmdd(7 * S->week), limit = today < P->t_targets_in ? today : P->t_targets_in;
    double v = -1;
    for (int k = 0; k < S->H->ntargets; k++) {
        const TargetRow *r = &S->H->target[k];
        if (r->year == year && r->steel == steel && r->date <= limit) v = r->value;   /* the latest in file order */
    }
    if (year <= 1957) return v > 0 ? v : y1957(S, steel);
    double b = belief_mt(S, year - 1, steel);
    double rule = pol_retreat(S, NULL) ? b * (1 - P->tgt_cut) : b * (1 + P->tgt_ambition * S->centre.P);
    if (v <= 0) return rule;                 /* no input for this year: the rule */
    if (today <= P->t_targets_in) return v;  /* the campaign's launch: inputs */
    return v < rule ? v : rule;              /* after the cutoff the rule revises inputs down */
}

void tgt_step(SimState *S)
{
    const Params *P = S->P;
    Centre *C = &S->centre;
    int y = S->year, i = y - 1957;
    if (i < 0 || i >= NYEARS) return;
    C->grain_target[i] = tgt_national(S, y, 0);
    C->steel_target[i] = tgt_national(S, y, 1);
    double ratio = C->grain_target[i] / y1957(S, 0);
    #pragma omp parallel for num_threads(S->threads) schedule(static)   /* each commune its own: any order */
    for (int k = 0; k < S->ncomm; k++) {
        Commune *c = &S->comm[k];
        if (c->urban) continue;
        double m = P->tgt_on ? 1 + P->tgt_margin * S->prov[c->province].P : 1;
        c->target = c->output0 * ratio * m * m * m;
    }
}
