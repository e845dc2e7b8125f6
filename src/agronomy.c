/* agronomy.c -- see agronomy.h. */
#include "agronomy.h"
#include "cal.h"
#include "politics.h"
#include <math.h>

double agro_area(const Params *P, double ratio)
{
    return 1 - fmin(P->agro_maxcut, P->agro_area * fmax(0, ratio - 1));
}

void agro_step(SimState *S)
{
    const Params *P = S->P;
    int doy = cal_doy_of_week(S->week);
    int sowing = doy >= 59 && doy < 66;   /* the week whose middle day is in 1-7 March */
    int on = P->agro_on && pol_launched(S);
    int i1 = S->year - 1 - 1957;
    double ratio = i1 >= 0 && i1 < NYEARS && S->centre.belief[i1] > 0
                       ? S->centre.belief[i1] / (S->H->grain_output[1957 - DATA_FIRST_YEAR] * GU_PER_MT * S->scale)
                       : 1;
    int ploughing = doy >= 304 || doy < 120;
    #pragma omp parallel for num_threads(S->threads) schedule(static)   /* each commune its own: any order */
    for (int i = 0; i < S->ncomm; i++) {
        Commune *c = &S->comm[i];
        if (c->urban) continue;
        c->adopt = (float)(on ? S->prov[c->province].P : 0);
        if (sowing) {
            c->adopt_sown = c->adopt;
            c->area = (float)(on ? agro_area(P, ratio) : 1);
        }
        c->plough_share = (float)(on && ploughing ? P->agro_labour * c->adopt : 0);
    }
}
