/* food.c -- see food.h. */
#include "food.h"
#include "mem.h"
#include "politics.h"
#include <math.h>

void scratch_init(Scratch *W, int cap, int64_t slot_cap)
{
    if (cap < 1) cap = 1;
    if (slot_cap < 1) slot_cap = 1;
    size_t n = (size_t)slot_cap + 8;   /* nutrition.c writes eight at a time */
    W->ratio = mem_calloc((size_t)cap, sizeof *W->ratio);
    W->deficit = mem_calloc((size_t)cap, sizeof *W->deficit);
    W->cap = cap;
    W->pq = mem_calloc(n, sizeof *W->pq);
    W->hstart = mem_calloc((size_t)cap + 1, sizeof *W->hstart);
    W->lo = mem_calloc(n, sizeof *W->lo);
    W->hi = mem_calloc(n, sizeof *W->hi);
    W->ev = mem_calloc(n / 8 + 1, sizeof *W->ev);
    W->slot_cap = slot_cap;
}

void scratch_free(Scratch *W)
{
    size_t n = (size_t)W->slot_cap + 8;
    mem_free(W->ratio, (size_t)W->cap * sizeof *W->ratio);
    mem_free(W->deficit, (size_t)W->cap * sizeof *W->deficit);
    mem_free(W->pq, n * sizeof *W->pq);
    mem_free(W->hstart, ((size_t)W->cap + 1) * sizeof *W->hstart);
    mem_free(W->lo, n * sizeof *W->lo);
    mem_free(W->hi, n * sizeof *W->hi);
    mem_free(W->ev, (n / 8 + 1) * sizeof *W->ev);
}

/* GU of grain a week per kcal/day of need, at non-grain share ng. */
static double gu_per_kcal_ng(const SimState *S, double ng) { return 7 * (1 - ng) / S->P->kcal_per_kg * GU_PER_KG; }

static double gu_per_kcal(const SimState *S, const Commune *c) { return gu_per_kcal_ng(S, c->nongrain); }

static void set_commune_needs(SimState *S, Commune *c)
{
    c->need_gu = (float)((double)c->need_sum * gu_per_kcal(S, c));
    c->hall_need_gu = (float)((double)c->hall_need_sum * gu_per_kcal(S, c));
    c->away_need_gu = (float)(c->away_need * gu_per_kcal_ng(S, S->P->urban_nongrain));
}

void food_count_needs(SimState *S, int ci)
{
    const Demog *D = S->D;
    Commune *c = &S->comm[ci];
    float scale = (float)(c->urban ? S->P->need_scale_urban : S->P->need_scale_rural);
    if (c->nongrain <= 0) c->nongrain = (float)(c->urban ? S->P->urban_nongrain : S->P->nongrain_share);
    float scale_city = (float)S->P->need_scale_urban;
    float away = 0;
    size_t i = (size_t)c->first;
    int64_t stock = 0, need_sum = 0, hall_sum = 0, lab_sum = 0;
    for (int h = 0; h < c->nhh; h++) {
        float e = 0;
        int l = 0;
        for (int j = 0, n = S->hh.size[c->hh0 + h]; j < n; j++, i++) {
            uint16_t b = S->pp.bws[i];
            if (!(b & BWS_ALIVE)) continue;
            int ix = demog_ix(D, S->week + BW_OFFSET - (int)(b & BWS_WEEK));
            if (b & BWS_AWAY) { away += D->row[(b >> 13) & 1][ix].need * scale_city; continue; }
            e += D->row[(b >> 13) & 1][ix].need * scale;
            l += D->labour[ix];
        }
        S->hh.need[c->hh0 + h] = (uint16_t)lrintf(e);
        S->hh.labour[c->hh0 + h] = (uint8_t)l;
        need_sum += S->hh.need[c->hh0 + h];
        hall_sum += (S->hh.flags[c->hh0 + h] & HH_DINING) ? S->hh.need[c->hh0 + h] : 0;
        lab_sum += l;
        stock += S->hh.stock[c->hh0 + h];
    }
    c->away_need = away;
    c->hh_stock = stock;
    c->need_sum = need_sum;
    c->hall_need_sum = hall_sum;
    c->lab_sum = lab_sum;
    set_commune_needs(S, c);
}

static void distribute(SimState *S, Commune *c, int ci)
{
    const Params *P = S->P;
    int32_t *stock = S->hh.stock + c->hh0;
    const uint16_t *need = S->hh.need + c->hh0;
    const uint8_t *lab = S->hh.labour + c->hh0;
    if (c->granary <= 0 || c->nhh == 0) return;
    double omega = c->urban ? 0 : P->workpoint_share;
    int64_t se = c->need_sum, sl = c->lab_sum;
    if (sl <= 0) omega = 0;
    if (se <= 0) return;
    double G = (double)c->granary, fe = G * (1 - omega) / (double)se, fl = omega > 0 ? G * omega / (double)sl : 0;
    const uint8_t *flags = S->hh.flags + c->hh0;
    int64_t given = 0;
    for (int h = 0; h < c->nhh; h++) {
        int64_t g = (int64_t)(fe * need[h] + fl * lab[h]);
        if (flags[h] & HH_DINING) c->hall_stock += g;
        else stock[h] += (int32_t)g;
        given += g;
    }
    c->granary -= given;
    S->acc[ci].distributed += given;
}

/* Procurement's levy on households and hall, in proportion to their grain. */
static void levy(SimState *S, Commune *c)
{
    if (c->levy <= 0) return;
    int32_t *stock = S->hh.stock + c->hh0;
    double held = (double)c->hall_stock;
    for (int h = 0; h < c->nhh; h++) held += stock[h];
    if (held <= 0) { c->levy = 0; return; }
    double f = (double)c->levy < held ? (double)c->levy / held : 1.0;
    int64_t taken = 0;
    for (int h = 0; h < c->nhh; h++) {
        int32_t g = (int32_t)(stock[h] * f);
        stock[h] -= g;
        taken += g;
    }
    int64_t g = (int64_t)((double)c->hall_stock * f);
    c->hall_stock -= g;
    taken += g;
    c->sale_bucket += taken;
    c->levy = 0;   /* what could not be found is not carried: the quota is inflexible, not cumulative */
}

/* Surplus sale: at harvest a household sells the state what it holds above
   food.stock_cap_weeks of need -- the 1957 practice, suspended under the
   Leap's quotas and resumed in the retreat (above-quota purchases). */
static void surplus_sale(SimState *S, Commune *c)
{
    int since;
    if (c->urban || S->harvest_frac <= 0 || (S->P->proc_on && !pol_retreat(S, &since))) return;
    int32_t *stock = S->hh.stock + c->hh0;
    const uint16_t *need = S->hh.need + c->hh0;
    double k = S->P->stock_cap_weeks * gu_per_kcal(S, c);
    for (int h = 0; h < c->nhh; h++) {
        if (S->hh.flags[c->hh0 + h] & HH_DINING) continue;
        int32_t cap = (int32_t)(k * need[h]);
        if (stock[h] > cap) {
            c->sale_bucket += stock[h] - cap;
            c->bought += stock[h] - cap;
            stock[h] = cap;
        }
    }
}

/* Weeks the grain in hand must last, as households plan it. */
static int weeks_left(const SimState *S, const Commune *c)
{
    return c->urban ? 1 : (S->weeks_to_harvest > 1 ? S->weeks_to_harvest : 1);
}

/* The resale floor now: the 1957 floor, lowered by the climate under the
   Leap's procurement rule (resales small and late). */
double food_resale_floor(const SimState *S, const Commune *c)
{
    const Params *P = S->P;
    if (!P->proc_on || c->urban) return P->resale_floor;
    return P->resale_floor * (1 - (1 - P->proc_resale) * S->prov[c->province].P);
}

static void resale_out(SimState *S, Commune *c, Scratch *W)
{
    if (c->resale_bucket <= 0) return;
    int32_t *stock = S->hh.stock + c->hh0;
    const uint16_t *need = S->hh.need + c->hh0;
    const uint8_t *flags = S->hh.flags + c->hh0;
    double k = food_resale_floor(S, c) * gu_per_kcal(S, c) * weeks_left(S, c), tot = 0;
    double hall = k / gu_per_kcal(S, c) * c->hall_need_gu - (double)c->hall_stock;
    hall = hall > 0 ? hall : 0;
    for (int h = 0; h < c->nhh; h++) {
        double d = (flags[h] & HH_DINING) ? 0 : k * need[h] - stock[h];
        W->deficit[h] = (float)(d > 0 ? d : 0);
        tot += W->deficit[h];
    }
    tot += hall;
    if (tot <= 0) return;
    double f = (double)c->resale_bucket < tot ? (double)c->resale_bucket / tot : 1.0;
    int64_t given = 0;
    for (int h = 0; h < c->nhh; h++) {
        int32_t g = (int32_t)(W->deficit[h] * f);
        stock[h] += g;
        given += g;
    }
    int64_t g = (int64_t)(hall * f);
    c->hall_stock += g;
    given += g;
    c->resale_bucket -= given;
}

/* The hall's meal: the intake ratio of its members (cadre households in
   *qc) and the grain eaten. */
static int64_t hall_meal(SimState *S, Commune *c, double E_hall, double E_cadre, double ng, int wl, double coming,
                         float *q, float *qc)
{
    const Params *P = S->P;
    double F = E_hall * gu_per_kcal(S, c), kq = P->kcal_per_kg / GU_PER_KG / 7;
    if (E_hall <= 0 || F <= 0) { *q = *qc = 1; return 0; }
    int64_t e;
    if (c->hall_free) {   /* the extra over need makes up for lost non-grain food; the rest is waste (q <= 1) */
        e = (int64_t)fmin((double)c->hall_stock, F * (1 + P->dine_free));
    } else {
        double have = (double)c->hall_stock + coming;
        double w = wl * P->dine_horizon > 1 ? wl * P->dine_horizon : 1;   /* the hall's shorter plan */
        e = have >= w * F ? (int64_t)F : (int64_t)(have / w);
    }
    if (e > c->hall_stock) e = c->hall_stock;   /* grain still to come is not yet in the pot */
    c->hall_stock -= e;
    /* the members' average ratio: their non-grain food cut by the lost stoves and foraging */
    double qa = (double)e * kq / E_hall + ng * (1 - P->dine_forage);
    qa = qa < 1 ? qa : 1;
    double qcad = fmin(1, qa * (1 + P->dine_skim)), E_o = E_hall - E_cadre;
    double qo = E_o > 0 ? (qa * E_hall - qcad * E_cadre) / E_o : qa;
    *qc = (float)qcad;
    *q = (float)(qo > 0 ? qo : 0);
    return e;
}

static void meals(SimState *S, Commune *c, int ci, Scratch *W)
{
    const Params *P = S->P;
    double ng = c->nongrain;
    double gk = gu_per_kcal(S, c), kcal_per_gu = P->kcal_per_kg / GU_PER_KG;
    double floor_k = food_resale_floor(S, c) * gk;
    int wl = weeks_left(S, c);
    int32_t *stock = S->hh.stock + c->hh0;
    const uint16_t *need = S->hh.need + c->hh0;
    const uint8_t *flags = S->hh.flags + c->hh0;
    int64_t eaten = 0, held = 0;
    double deficit = 0, kcal = 0, needsum = 0, E_hall = 0, E_cadre = 0;
    const double inv_wl = 1.0 / wl, kq = kcal_per_gu / 7, tail = floor_k * (wl - 1);
    const int deficits = !c->urban && wl > 1;
    const float ow = c->overwork > 0 ? 1.0f / c->overwork : 1.0f;
    /* grain still to come from this harvest, shared by need: counted when rationing */
    int64_t tot_need = c->need_sum;
    const double coming = !c->urban && tot_need > 0 && c->expect_rest > 0 ? c->expect_rest / (double)tot_need : 0;
    for (int h = 0; h < c->nhh; h++) {
        if (flags[h] & HH_DINING) {
            E_hall += need[h];
            if (flags[h] & HH_CADRE) E_cadre += need[h];
            continue;
        }
        int64_t s = stock[h];
        if (need[h] == 0) { W->ratio[h] = 1; held += s; continue; }
        double E = need[h], full = gk * E, have = (double)s + coming * E;
        int64_t e;
        float qf;
        if (have >= wl * full) {                /* enough to the harvest: a full ration */
            e = (int64_t)full;
            if (e > s) e = s;
            qf = 1.0f;
            if (e < (int64_t)full) { double q = (double)e * kq / E + ng; qf = (float)(q < 1 ? q : 1); }
        } else {                                /* ration evenly to the harvest */
            e = (int64_t)(have * inv_wl);
            if (e > s) e = s;
            double q = (double)e * kq / E + ng;   /* (e k/7 + n E) / E */
            qf = (float)(q < 1 ? q : 1);
        }
        qf *= ow;
        s -= e;
        stock[h] = (int32_t)s;
        eaten += e;
        held += s;
        W->ratio[h] = qf;
        kcal += qf * E;
        needsum += E;
        if (deficits) {
            double d = tail * E - (double)s;
            if (d > 0) deficit += d;
        }
    }
    if (E_hall > 0) {
        float qh, qc;
        for (int h = 0; h < c->nhh; h++) S->acc[ci].dining += (flags[h] & HH_DINING) != 0;
        eaten += hall_meal(S, c, E_hall, E_cadre, ng, wl, coming * E_hall, &qh, &qc);
        qh *= ow;
        qc *= ow;
        for (int h = 0; h < c->nhh; h++)
            if (flags[h] & HH_DINING) {
                W->ratio[h] = (flags[h] & HH_CADRE) ? qc : qh;
                kcal += W->ratio[h] * need[h];
                needsum += need[h];
            }
        if (deficits) {
            double d = tail * E_hall - (double)c->hall_stock;
            if (d > 0) deficit += d;
        }
    }
    Tally *t = &S->acc[ci];
    if (c->urban) t->eaten_urban += eaten; else t->eaten_rural += eaten;
    if (!c->urban) { t->kcal_rural += kcal; t->need_rural += needsum; }
    /* members away in cities */
    W->away_ratio = 1;
    if (c->away_need > 0) {
        int64_t full = (int64_t)c->away_need_gu;
        int64_t e = c->away_bucket < full ? c->away_bucket : full;
        c->away_bucket -= e;
        t->eaten_urban += e;
        double q = ((double)e * kcal_per_gu / 7 + P->urban_nongrain * c->away_need) / c->away_need;
        W->away_ratio = (float)(q < 1 ? q : 1);
    }
    c->hh_stock = held;
    c->deficit_gu = (float)deficit;
}

void food_commune(SimState *S, int ci, Scratch *W)
{
    Commune *c = &S->comm[ci];
    levy(S, c);                /* 0. procurement's levy on households and hall */
    distribute(S, c, ci);      /* 1. granary to households (members': to the hall) */
    surplus_sale(S, c);        /* 2. surplus sold to the state */
    resale_out(S, c, W);       /* 3. resales to deficit households */
    meals(S, c, ci, W);        /* 4. what each household eats */
}

void food_after_week(SimState *S, int ci) { set_commune_needs(S, &S->comm[ci]); }
