/* food.c -- see food.h. */
#include "food.h"
#include "mem.h"
#include <math.h>

void scratch_init(Scratch *W, int cap)
{
    if (cap < 1) cap = 1;
    W->ratio = mem_calloc((size_t)cap, sizeof *W->ratio);
    W->deficit = mem_calloc((size_t)cap, sizeof *W->deficit);
    W->cap = cap;
}

void scratch_free(Scratch *W)
{
    mem_free(W->ratio, (size_t)W->cap * sizeof *W->ratio);
    mem_free(W->deficit, (size_t)W->cap * sizeof *W->deficit);
}

/* GU of grain a week per kcal/day of need. */
static double gu_per_kcal(const SimState *S, int urban)
{
    double ng = urban ? S->P->urban_nongrain : S->P->nongrain_share;
    return 7 * (1 - ng) / S->P->kcal_per_kg * GU_PER_KG;
}

static void set_commune_needs(SimState *S, Commune *c)
{
    double sum = 0;
    for (int h = 0; h < c->nhh; h++) sum += S->hh.need[c->hh0 + h];
    c->need_gu = (float)(sum * gu_per_kcal(S, c->urban));
    c->away_need_gu = (float)(c->away_need * gu_per_kcal(S, 1));
}

void food_count_needs(SimState *S, int ci)
{
    const Demog *D = S->D;
    Commune *c = &S->comm[ci];
    float scale = (float)(c->urban ? S->P->need_scale_urban : S->P->need_scale_rural);
    float scale_city = (float)S->P->need_scale_urban;
    float away = 0;
    size_t i = (size_t)c->first;
    int64_t stock = 0;
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
        stock += S->hh.stock[c->hh0 + h];
    }
    c->away_need = away;
    c->hh_stock = stock;
    set_commune_needs(S, c);
}

static void distribute(SimState *S, Commune *c, int ci)
{
    const Params *P = S->P;
    int32_t *stock = S->hh.stock + c->hh0;
    const uint16_t *need = S->hh.need + c->hh0;
    const uint8_t *lab = S->hh.labour + c->hh0;
    if (c->granary <= 0 || c->nhh == 0) return;
    double omega = c->urban ? 0 : P->workpoint_share, se = 0, sl = 0;
    for (int h = 0; h < c->nhh; h++) { se += need[h]; sl += lab[h]; }
    if (sl <= 0) omega = 0;
    if (se <= 0) return;
    double G = (double)c->granary, fe = G * (1 - omega) / se, fl = omega > 0 ? G * omega / sl : 0;
    int64_t given = 0;
    for (int h = 0; h < c->nhh; h++) {
        int64_t g = (int64_t)(fe * need[h] + fl * lab[h]);
        stock[h] += (int32_t)g;
        given += g;
    }
    c->granary -= given;
    S->acc[ci].distributed += given;
}

static void surplus_sale(SimState *S, Commune *c)
{
    if (c->urban || S->harvest_frac <= 0) return;
    int32_t *stock = S->hh.stock + c->hh0;
    const uint16_t *need = S->hh.need + c->hh0;
    double k = S->P->stock_cap_weeks * gu_per_kcal(S, 0);
    for (int h = 0; h < c->nhh; h++) {
        int32_t cap = (int32_t)(k * need[h]);
        if (stock[h] > cap) {
            c->sale_bucket += stock[h] - cap;
            stock[h] = cap;
        }
    }
}

static int weeks_left(const SimState *S, const Commune *c)
{
    return c->urban ? 1 : (S->weeks_to_harvest > 1 ? S->weeks_to_harvest : 1);
}

static void resale_out(SimState *S, Commune *c, Scratch *W)
{
    if (c->resale_bucket <= 0) return;
    int32_t *stock = S->hh.stock + c->hh0;
    const uint16_t *need = S->hh.need + c->hh0;
    double k = S->P->resale_floor * gu_per_kcal(S, c->urban) * weeks_left(S, c), tot = 0;
    for (int h = 0; h < c->nhh; h++) {
        double d = k * need[h] - stock[h];
        W->deficit[h] = (float)(d > 0 ? d : 0);
        tot += W->deficit[h];
    }
    if (tot <= 0) return;
    double f = (double)c->resale_bucket < tot ? (double)c->resale_bucket / tot : 1.0;
    int64_t given = 0;
    for (int h = 0; h < c->nhh; h++) {
        int32_t g = (int32_t)(W->deficit[h] * f);
        stock[h] += g;
        given += g;
    }
    c->resale_bucket -= given;
}

static void meals(SimState *S, Commune *c, int ci, Scratch *W)
{
    const Params *P = S->P;
    double ng = c->urban ? P->urban_nongrain : P->nongrain_share;
    double gk = gu_per_kcal(S, c->urban), kcal_per_gu = P->kcal_per_kg / GU_PER_KG;
    double floor_k = P->resale_floor * gk;
    int wl = weeks_left(S, c);
    int32_t *stock = S->hh.stock + c->hh0;
    const uint16_t *need = S->hh.need + c->hh0;
    int64_t eaten = 0, held = 0;
    double deficit = 0, kcal = 0, needsum = 0;
    const double inv_wl = 1.0 / wl, kq = kcal_per_gu / 7, tail = floor_k * (wl - 1);
    const int deficits = !c->urban && wl > 1;
    for (int h = 0; h < c->nhh; h++) {
        int64_t s = stock[h];
        if (need[h] == 0) { W->ratio[h] = 1; held += s; continue; }
        double E = need[h], full = gk * E;
        int64_t e;
        float qf;
        if ((double)s >= wl * full) {           /* enough to the harvest: a full ration */
            e = (int64_t)full;
            qf = 1.0f;
        } else {                                /* ration evenly to the harvest */
            e = (int64_t)((double)s * inv_wl);
            double q = (double)e * kq / E + ng;   /* (e k/7 + n E) / E */
            qf = (float)(q < 1 ? q : 1);
        }
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
    distribute(S, c, ci);      /* 1. granary to households */
    surplus_sale(S, c);        /* 2. surplus sold to the state */
    resale_out(S, c, W);       /* 3. resales to deficit households */
    meals(S, c, ci, W);        /* 4. what each household eats */
}

void food_after_week(SimState *S, int ci) { set_commune_needs(S, &S->comm[ci]); }
