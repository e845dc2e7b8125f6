/* popgen.c -- see popgen.h. */
#include "popgen.h"
#include "cal.h"
#include "mem.h"
#include "rng.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_HH_SIZE 15
#define COMMUNE_MIN_FULL 50
#define COMMUNE_MAX_FULL 50000

typedef struct Cdf { double p[2 * AGE_YEARS]; } Cdf;   /* over (sex, age): index s*AGE_YEARS + a */

typedef struct Gen {
    Cdf head, spouse[2], rest;   /* spouse[s]: adult of sex s */
    double size_cdf[2][MAX_HH_SIZE];   /* [urban] */
} Gen;

typedef struct FullCommune {   /* one commune at full scale, before sampling */
    uint32_t id;
    int32_t county;
    double hh;        /* households at full scale */
    double quality;
} FullCommune;

static void cdf_make(Cdf *C, const double *w)
{
    double s = 0;
    for (int i = 0; i < 2 * AGE_YEARS; i++) { s += w[i] > 0 ? w[i] : 0; C->p[i] = s; }
    for (int i = 0; i < 2 * AGE_YEARS; i++) C->p[i] /= s;
}

static int cdf_draw(const Cdf *C, double u)
{
    int lo = 0, hi = 2 * AGE_YEARS - 1;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (C->p[mid] < u) lo = mid + 1; else hi = mid;
    }
    return lo;
}

static void size_pmf(double *cdf, double mean, double r)
{
    double mu = mean - 1, p = r / (r + mu), pk = pow(p, r), s = 0, pm[MAX_HH_SIZE];
    for (int k = 0; k < MAX_HH_SIZE; k++) {
        pm[k] = pk;
        s += pk;
        pk *= (k + r) / (k + 1) * (1 - p);
    }
    double c = 0;
    for (int k = 0; k < MAX_HH_SIZE; k++) { c += pm[k] / s; cdf[k] = c; }
}

/* Mean of the truncated household-size distribution. */
static double size_mean(double mean, double disp)
{
    double cdf[MAX_HH_SIZE], m = 0;
    size_pmf(cdf, mean, disp);
    for (int k = 0; k < MAX_HH_SIZE; k++) m += (k + 1) * (cdf[k] - (k ? cdf[k - 1] : 0));
    return m;
}

static void gen_init(Gen *G, const Demog *D, const Params *P, int max_age)
{
    double w[2 * AGE_YEARS], adult[2] = {0, 0};
    for (int s = 0; s < 2; s++)
        for (int a = 0; a < AGE_YEARS; a++) {
            w[s * AGE_YEARS + a] = a <= max_age ? D->stable[s][a] : 0;
            if (a >= 18 && a <= max_age) adult[s] += D->stable[s][a];
        }
    double tot = 0;
    for (int i = 0; i < 2 * AGE_YEARS; i++) tot += w[i];
    for (int i = 0; i < 2 * AGE_YEARS; i++) w[i] /= tot;
    double head[2 * AGE_YEARS], sp[2][2 * AGE_YEARS], spouse_mix[2 * AGE_YEARS];
    double at = adult[0] + adult[1];
    for (int s = 0; s < 2; s++)
        for (int a = 0; a < AGE_YEARS; a++) {
            int i = s * AGE_YEARS + a;
            head[i] = a >= 18 ? w[i] / (at / tot) : 0;
            for (int t = 0; t < 2; t++) sp[t][i] = (a >= 18 && s == t) ? w[i] / (adult[t] / tot) : 0;
        }
    /* the spouse has the sex opposite to the head: mix by the head's sex */
    double head_male = adult[0] / at;
    for (int i = 0; i < 2 * AGE_YEARS; i++) spouse_mix[i] = head_male * sp[1][i] + (1 - head_male) * sp[0][i];
    cdf_make(&G->head, head);
    cdf_make(&G->spouse[0], sp[0]);
    cdf_make(&G->spouse[1], sp[1]);
    /* residual: m w = head + P(size>=2) spouse + (m - 1 - P2) rest (rural mean is used for both) */
    size_pmf(G->size_cdf[0], P->hh_size_rural, P->hh_size_disp);
    size_pmf(G->size_cdf[1], P->hh_size_urban, P->hh_size_disp);
    double m = 0, p2 = 1 - G->size_cdf[0][0];
    for (int k = 0; k < MAX_HH_SIZE; k++) m += (k + 1) * (G->size_cdf[0][k] - (k ? G->size_cdf[0][k - 1] : 0));
    double rest[2 * AGE_YEARS];
    for (int i = 0; i < 2 * AGE_YEARS; i++) rest[i] = (m * w[i] - head[i] - p2 * spouse_mix[i]) / (m - 1 - p2);
    cdf_make(&G->rest, rest);
}

static int hh_size(const Gen *G, const SimState *S, uint32_t cid, uint32_t k, int urban)
{
    double u = rng_u01(S->seed, RNG_POP_HOUSEHOLD, (uint64_t)cid << 32 | k, 0, 0);
    int sz = 1;
    while (sz < MAX_HH_SIZE && G->size_cdf[urban][sz - 1] < u) sz++;
    return sz;
}

/* ---- structure ---------------------------------------------------------------- */

static void largest_remainder(const double *w, int n, int total, int *out, int min1)
{
    double s = 0;
    for (int i = 0; i < n; i++) s += w[i];
    int used = 0;
    double *rem = mem_calloc((size_t)n, sizeof *rem);
    for (int i = 0; i < n; i++) {
        double q = w[i] / s * total;
        out[i] = (int)q;
        if (min1 && out[i] < 1) out[i] = 1;
        rem[i] = q - (int)q;
        used += out[i];
    }
    while (used < total) {
        int best = 0;
        for (int i = 1; i < n; i++) if (rem[i] > rem[best]) best = i;
        out[best]++; rem[best] = -1; used++;
    }
    mem_free(rem, (size_t)n * sizeof *rem);
}

/* Full-scale communes of province p (rural) into *fc (owned, grown). */
static int province_communes(SimState *S, int p, double rural_hh, int k0, int nk, FullCommune **fc, int *nfc,
                             int *capfc, uint32_t *next_id)
{
    const Params *P = S->P;
    int nc = (int)lround(rural_hh / P->commune_hh_mean);
    if (nc < 1) nc = 1;
    double *w = mem_calloc((size_t)nc, sizeof *w), sum = 0;
    for (int k = 0; k < nc; k++) {
        double z = rng_normal(S->seed, RNG_POP_STRUCT, (uint64_t)p << 32 | (uint32_t)k, 0, 0);
        double x = exp(P->commune_hh_sigma * z);
        w[k] = x;
        sum += x;
    }
    if (*nfc + nc > *capfc) {
        int nc2 = (*nfc + nc) * 2;
        *fc = mem_realloc(*fc, (size_t)*capfc * sizeof **fc, (size_t)nc2 * sizeof **fc);
        *capfc = nc2;
    }
    if (nk > nc) nk = nc;
    for (int k = 0; k < nc; k++) {
        FullCommune *f = &(*fc)[*nfc + k];
        double h = w[k] / sum * rural_hh;
        if (h < COMMUNE_MIN_FULL) h = COMMUNE_MIN_FULL;
        if (h > COMMUNE_MAX_FULL) h = COMMUNE_MAX_FULL;
        f->hh = h;
        f->id = (*next_id)++;
        f->county = k0 + (int)((long)k * nk / nc);
        double z = rng_normal(S->seed, RNG_POP_STRUCT, (uint64_t)f->id, 1, 0);
        f->quality = exp(P->quality_sigma * z - P->quality_sigma * P->quality_sigma / 2);
    }
    /* truncation moved households: rescale the untruncated ones back to the total */
    double tot = 0;
    for (int k = 0; k < nc; k++) tot += (*fc)[*nfc + k].hh;
    for (int k = 0; k < nc; k++) (*fc)[*nfc + k].hh *= rural_hh / tot;
    mem_free(w, (size_t)nc * sizeof *w);
    *nfc += nc;
    return nk;
}

/* ---- the build ------------------------------------------------------------------ */

typedef struct Plan {    /* sampled units before slots are laid out */
    FullCommune *fc; int nfc, capfc;
} Plan;

static int layout(SimState *S, FullCommune *fc, const int *first_fc_of_prov, int nunits_urban_base,
                  LeapErr *e);

int popgen_build(SimState *S, LeapErr *e)
{
    const Params *P = S->P;
    const HistData *H = S->H;
    int np = H->nprov;
    double N = H->pop_yearend[1956 - DATA_FIRST_YEAR] * 1e6, U = H->urban_pop[1956 - DATA_FIRST_YEAR] * 1e6;
    double G57 = H->grain_output[1957 - DATA_FIRST_YEAR];
    if (isnan(G57)) return err_set(e, LEAP_EINPUT, "%s/national.csv: the 1957 grain_output_mt is needed", H->datadir);
    double spop = 0, surb = 0, sgr = 0;
    for (int p = 0; p < np; p++) {
        spop += H->prov[p].pop_1957;
        surb += H->prov[p].pop_1957 * H->prov[p].urban_share;
        sgr += H->prov[p].grain_1957;
    }
    S->nprov = np;
    S->prov = mem_calloc((size_t)np, sizeof *S->prov);
    double rural[DATA_MAX_PROV];
    for (int p = 0; p < np; p++) {
        Province *v = &S->prov[p];
        const ProvinceData *d = &H->prov[p];
        snprintf(v->name, sizeof v->name, "%s", d->name);
        v->pop0 = N * d->pop_1957 / spop;
        v->urban0 = U * d->pop_1957 * d->urban_share / surb;
        if (v->urban0 > v->pop0) v->urban0 = v->pop0;
        v->grain0 = d->grain_1957 / sgr * G57 * GU_PER_MT;
        rural[p] = v->pop0 - v->urban0;
    }
    /* counties by rural population */
    int kp[DATA_MAX_PROV];
    largest_remainder(rural, np, P->counties, kp, 1);
    Plan pl = {NULL, 0, 0};
    uint32_t next_id = 0;
    int first_fc[DATA_MAX_PROV + 1];
    int nk_total = 0;
    S->cty = mem_calloc((size_t)(P->counties + 2 * np + 8), sizeof *S->cty);
    for (int p = 0; p < np; p++) {
        first_fc[p] = pl.nfc;
        int k0 = nk_total;
        int nk = province_communes(S, p, rural[p] / size_mean(P->hh_size_rural, P->hh_size_disp), k0, kp[p], &pl.fc, &pl.nfc, &pl.capfc, &next_id);
        for (int k = 0; k < nk; k++) {
            County *c = &S->cty[k0 + k];
            c->province = p;
            double z = rng_normal(S->seed, RNG_POP_STRUCT, UINT64_C(1) << 40 | (uint64_t)(k0 + k), 0, 0);
            c->quality = exp(P->county_sigma * z - P->county_sigma * P->county_sigma / 2);
        }
        nk_total += nk;
        S->prov[p].k0 = k0;
        S->prov[p].nk = nk + 1;   /* + the city sector, laid out in layout() */
        nk_total += 1;            /* reserve the city sector's county index */
        S->cty[k0 + nk].province = p;
        S->cty[k0 + nk].urban = 1;
        S->cty[k0 + nk].quality = 1;
    }
    first_fc[np] = pl.nfc;
    S->ncty = nk_total;
    for (int i = 0; i < pl.nfc; i++) pl.fc[i].quality *= S->cty[pl.fc[i].county].quality;
    int rc = layout(S, pl.fc, first_fc, (int)next_id, e);
    mem_free(pl.fc, (size_t)pl.capfc * sizeof *pl.fc);
    return rc;
}

/* Sample, merge, lay out slots and fill the tables. */
typedef struct Unit {     /* a simulated commune or urban unit before layout */
    uint32_t id;
    int32_t province, county;
    uint8_t urban;
    double full_hh, quality;
    int32_t nhh;
} Unit;

static void fill_commune(SimState *S, const Gen *G, Commune *c, int32_t *sizes);

static int layout(SimState *S, FullCommune *fc, const int *first_fc, int urban_id0, LeapErr *e)
{
    const Params *P = S->P;
    double F = S->scale;
    int np = S->nprov;
    Unit *u = NULL;
    int nu = 0, capu = 0;
    uint32_t uid = (uint32_t)urban_id0 + 1000000u;
    for (int p = 0; p < np; p++) {
        Province *v = &S->prov[p];
        int nfp = first_fc[p + 1] - first_fc[p];
        double mean_hh = (v->pop0 - v->urban0) / size_mean(P->hh_size_rural, P->hh_size_disp) / (nfp ? nfp : 1);
        int merge = mean_hh * F < P->min_commune_hh ? (int)fmin(ceil(P->min_commune_hh / (mean_hh * F)), nfp + 1) : 1;
        double uhh = v->urban0 / size_mean(P->hh_size_urban, P->hh_size_disp);
        int nunits = (int)ceil(uhh / P->urban_unit_hh);
        if (nunits < 1) nunits = 1;
        double unit_hh = uhh / nunits;
        /* units merged into one commune: at most all of them (a tiny or zero urban share makes
           the ratio huge or infinite); the ids step by the ratio, as they always have */
        double um = unit_hh * F >= P->min_commune_hh ? 1
                    : unit_hh > 0 ? ceil(P->min_commune_hh / (unit_hh * F)) : INFINITY;
        int umerge = um < nunits ? (int)um : nunits;
        uint32_t ustep = um < 4e9 ? (uint32_t)um : 4000000000u;
        int need = nfp + nunits + 4;   /* upper bound: merging restarts at county borders */
        if (nu + need > capu) {
            int c2 = (nu + need) * 2;
            u = mem_realloc(u, (size_t)capu * sizeof *u, (size_t)c2 * sizeof *u);
            capu = c2;
        }
        v->c0 = nu;
        for (int i = first_fc[p]; i < first_fc[p + 1];) {
            Unit *x = &u[nu++];
            memset(x, 0, sizeof *x);
            x->id = fc[i].id; x->province = p; x->county = fc[i].county;
            double qh = 0;
            int j = i;
            for (; j < first_fc[p + 1] && j < i + merge && fc[j].county == fc[i].county; j++) {
                x->full_hh += fc[j].hh;
                qh += fc[j].hh * fc[j].quality;
            }
            x->quality = qh / x->full_hh;
            i = j;
        }
        int kc = v->k0 + v->nk - 1;   /* the city sector */
        for (int i = 0; i < nunits; i += umerge) {
            Unit *x = &u[nu++];
            memset(x, 0, sizeof *x);
            x->id = uid; uid += ustep;
            x->province = p; x->county = kc; x->urban = 1; x->quality = 1;
            x->full_hh = unit_hh * (i + umerge <= nunits ? umerge : nunits - i);
        }
        v->nc = nu - v->c0;
    }
    /* sample households */
    for (int i = 0; i < nu; i++) {
        double r = rng_u01(S->seed, RNG_POP_STRUCT, u[i].id, 2, 0);
        double n = floor(u[i].full_hh * F + r);
        if (n > 65535) return err_set(e, LEAP_EINTERNAL, "commune %u has %.0f households; at most 65535 fit", u[i].id, n);
        u[i].nhh = (int32_t)n;
    }
    /* communes, counties' commune ranges */
    S->ncomm = nu;
    S->comm = mem_calloc((size_t)nu, sizeof *S->comm);
    for (int k = 0; k < S->ncty; k++) { S->cty[k].c0 = -1; S->cty[k].nc = 0; }
    int64_t nhh_total = 0;
    for (int i = 0; i < nu; i++) {
        Commune *c = &S->comm[i];
        c->id = u[i].id; c->province = u[i].province; c->county = u[i].county; c->urban = u[i].urban;
        c->nhh = u[i].nhh; c->quality = u[i].quality;
        c->mig_due = rng_u01(S->seed, RNG_POP_STRUCT, c->id, 3, 0);   /* desynchronise the first moves */
        c->hh0 = nhh_total;
        nhh_total += c->nhh;
        County *k = &S->cty[c->county];
        if (k->c0 < 0) k->c0 = i;
        k->nc++;
    }
    /* grain: a province's 1957 output shared by sampled households x quality */
    for (int p = 0; p < np; p++) {
        Province *v = &S->prov[p];
        double wsum = 0;
        for (int i = v->c0; i < v->c0 + v->nc; i++)
            if (!S->comm[i].urban) wsum += S->comm[i].nhh * S->comm[i].quality;
        for (int i = v->c0; i < v->c0 + v->nc; i++) {
            Commune *c = &S->comm[i];
            c->output0 = c->urban || wsum == 0 ? 0 : v->grain0 * F * c->nhh * c->quality / wsum;
        }
    }
    mem_free(u, (size_t)capu * sizeof *u);
    /* household sizes, slots, pools */
    Gen *G = mem_calloc(1, sizeof *G);
    gen_init(G, S->D, P, P->max_age);
    hh_table_alloc(&S->hh, (size_t)nhh_total);
    int32_t *sizes = mem_calloc((size_t)(nhh_total ? nhh_total : 1), sizeof *sizes);
    double years = S->nweeks / S->weeks_per_year;
    int64_t slots = 0, links = 0;
    for (int i = 0; i < nu; i++) {
        Commune *c = &S->comm[i];
        int64_t persons = 0;
        for (int k = 0; k < c->nhh; k++) {
            int sz = hh_size(G, S, c->id, (uint32_t)k, c->urban);
            sizes[c->hh0 + k] = sz;
            persons += sz;
        }
        c->first = slots;
        c->nfound = persons;
        c->pool_start = slots + persons;
        double cap = ceil(persons * S->D->cbr * years * P->pool_margin) + 8;
        c->pool_cap = (uint32_t)cap;
        c->link0 = links;
        slots += persons + c->pool_cap;
        links += c->pool_cap;
    }
    /* Will it fit?  The person table and links now, 10% more for the pools'
       growth, one column copied while it grows, and room for the rest. */
    double need = ((double)slots * 12 + (double)links * 2) * 1.1 + (double)slots * 4 + 32.0 * (1 << 20);
    double avail = (double)mem_available();
    if (need > avail) {
        mem_free(sizes, (size_t)(nhh_total ? nhh_total : 1) * sizeof *sizes);
        mem_free(G, sizeof *G);
        return err_set(e, LEAP_EINPUT, "--scale %g needs about %.1f GiB more memory, but %.1f GiB is available "
                       "(MemAvailable, or a cgroup or `ulimit -v` limit); the largest scale that fits is about %.2g",
                       S->scale, need / (1 << 30), avail / (1 << 30), S->scale * avail / need * 0.95);
    }
    pop_table_alloc(&S->pp, (size_t)slots);
    S->pp.n = (size_t)slots;
    S->nlink = (size_t)links;
    S->link = mem_calloc((size_t)(links ? links : 1), sizeof *S->link);
    #pragma omp parallel for schedule(dynamic, 4) num_threads(S->threads)
    for (int i = 0; i < nu; i++) fill_commune(S, G, &S->comm[i], sizes);
    mem_free(sizes, (size_t)(nhh_total ? nhh_total : 1) * sizeof *sizes);
    mem_free(G, sizeof *G);
    return LEAP_OK;
}

/* Initial state of one person (not its age). */
static void init_person(SimState *S, size_t slot, uint64_t id, int female, int age_weeks)
{
    const Demog *D = S->D;
    const Params *P = S->P;
    PersonTable *T = &S->pp;
    T->bws[slot] = (uint16_t)((BW_OFFSET - age_weeks) | (female ? BWS_FEMALE : 0) | BWS_ALIVE);
    T->res[slot] = RES_ONE;
    double u[2];
    T->thr_d[slot] = (float)rng_exp1(S->seed, RNG_POP_PERSON, id, 0, 0);
    T->thr_f[slot] = 1;   /* men: a threshold that never moves (phi = 0) */
    if (!female) return;
    int ay = (int)(age_weeks / S->weeks_per_year);
    double m = ay < AGE_YEARS ? D->asfr[ay] : 0;
    rng_u01x2(S->seed, RNG_POP_PERSON, id, 0, 1, u);
    double pg = m * P->gestation / S->weeks_per_year, pq = m * P->postpartum / S->weeks_per_year;
    if (u[0] < pg) {                       /* pregnant: conceived g weeks ago */
        int g = (int)(u[1] * P->gestation);
        int busy_until = P->gestation - g + P->postpartum;
        T->thr_f[slot] = -(float)(busy_until + 1);
    } else if (u[0] < pg + pq) {           /* postpartum: gave birth q weeks ago */
        int q = (int)(u[1] * P->postpartum);
        T->thr_f[slot] = -(float)(P->postpartum - q + 1);
    } else {
        T->thr_f[slot] = (float)rng_exp1(S->seed, RNG_POP_PERSON, id, 0, 2);
    }
}

static void fill_commune(SimState *S, const Gen *G, Commune *c, int32_t *sizes)
{
    const Params *P = S->P;
    const Demog *D = S->D;
    size_t slot = (size_t)c->first;
    int summer_week = cal_first_week_of_year(CAL_EPOCH_YEAR) + (P->summer_start + 3) / 7;
    double weeks_to_summer = summer_week + P->hh_stock_buffer;
    double gu_per_kcal = GU_PER_KG / P->kcal_per_kg * (1 - P->nongrain_share) * 7;
    int pregnant = 0;
    for (int k = 0; k < c->nhh; k++) {
        int sz = sizes[c->hh0 + k];
        int64_t h = c->hh0 + k;
        S->hh.size[h] = (uint8_t)sz;
        S->hh.flags[h] = c->urban ? HH_URBAN : 0;
        double need = 0;
        int head_sex = 0;
        for (int j = 0; j < sz; j++) {
            uint64_t id = pop_id_member(c->id, (uint32_t)k, (uint32_t)j);
            double uu[2];
            rng_u01x2(S->seed, RNG_POP_HOUSEHOLD, id, 1, 0, uu);
            const Cdf *C = j == 0 ? &G->head : j == 1 ? &G->spouse[1 - head_sex] : &G->rest;
            int i = cdf_draw(C, uu[0]);
            int female = i >= AGE_YEARS, ay = i % AGE_YEARS;
            if (j == 0) head_sex = female;
            int aw = (int)((ay + uu[1]) * S->weeks_per_year);
            init_person(S, slot, id, female, aw);
            if (female && S->pp.thr_f[slot] < 0 && -S->pp.thr_f[slot] - 1 > P->postpartum) pregnant++;
            need += D->row[female][demog_ix(D, aw)].need;
            slot++;
        }
        S->hh.stock[h] = c->urban ? 0 : (int32_t)(need * P->need_scale_rural * gu_per_kcal * weeks_to_summer);
    }
    c->pregnant = pregnant;
}
