/* reporting.c -- see reporting.h. */
#include "reporting.h"
#include "cal.h"
#include <math.h>

/* rep_log_m, with lo = log(calm margin) and hi = log(max margin) worked out
   once for all communes. */
static double log_m(const Params *P, double lo, double hi, double Pp, double target, double potential, double peer,
                    double perceived)
{
    if (!P->rep_on) return lo;
    double gap = potential > 0 && target > potential ? log(target / potential) : 0;
    double x = lo + P->rep_climate * Pp + P->rep_gap * Pp * gap + P->rep_peer * peer -
               P->rep_detect * fmax(0, perceived - 1);
    return x < lo ? lo : x > hi ? hi : x;
}

double rep_log_m(const Params *P, double Pp, double target, double potential, double peer, double perceived)
{
    return log_m(P, log(P->rep_calm), log(P->rep_max), Pp, target, potential, peer, perceived);
}

/* At the year's first week: a new year of reports; last year's peers. */
static void new_year(SimState *S)
{
    Centre *C = &S->centre;
    C->claimed_ytd = 0;
    for (int k = 0; k < S->ncty; k++) {
        County *K = &S->cty[k];
        double s = 0, n = 0;
        for (int i = K->c0; i < K->c0 + K->nc && K->c0 >= 0; i++)
            if (!S->comm[i].urban && S->comm[i].report > 0) { s += S->comm[i].log_m; n++; }
        K->peer_log_m = n > 0 ? s / n : 0;
    }
    for (int i = 0; i < S->ncomm; i++) {
        S->comm[i].report_last = S->comm[i].report;
        S->comm[i].report = 0;
    }
}

void rep_step(SimState *S)
{
    const Params *P = S->P;
    Centre *C = &S->centre;
    if (S->week == cal_first_week_of_year(S->year) && S->week > 0) new_year(S);
    if (S->harvest_frac <= 0) return;
    double *claimed = S->scratch_d;   /* what each commune's claim adds to the Centre's belief */
    double lo = log(P->rep_calm), hi = log(P->rep_max);
    #pragma omp parallel for num_threads(S->threads) schedule(static)   /* each commune its own report */
    for (int i = 0; i < S->ncomm; i++) {
        Commune *c = &S->comm[i];
        int64_t h = S->acc[i].harvest;
        claimed[i] = 0;
        if (c->urban || h <= 0) continue;
        const Province *v = &S->prov[c->province];
        double peer = P->rep_on ? S->cty[c->county].peer_log_m : 0;
        c->log_m = log_m(P, lo, hi, v->P, c->target, c->potential, peer, C->perceived);
        double m = exp(c->log_m);
        c->report += (double)h * m;
        double M = m * (P->rep_on ? (1 + P->rep_county * v->P) * (1 + P->rep_province * v->P) : 1);
        double b = (double)h * (M > 1 ? 1 + (M - 1) * (1 - P->rep_inspect) : M);
        claimed[i] = b;
        S->acc[i].claimed += (int64_t)llround(b);
    }
    for (int i = 0; i < S->ncomm; i++) C->claimed_ytd += claimed[i];   /* in commune order */
    int i = S->year - 1957;
    if (i >= 0 && i < NYEARS) C->belief[i] = C->claimed_ytd;
}
