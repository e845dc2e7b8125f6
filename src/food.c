/* food.c -- see food.h. */
#include "food.h"
#include "mem.h"
#include "politics.h"
#include "simd.h"
#include <math.h>
#include <stdint.h>
#include <string.h>

void scratch_init(Scratch *W, int cap, int64_t slot_cap)
{
    if (cap < 1) cap = 1;
    if (slot_cap < 1) slot_cap = 1;
    size_t n = (size_t)slot_cap + 16;   /* nutrition.c writes sixteen at a time */
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
    size_t n = (size_t)W->slot_cap + 16;
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

#ifdef LEAP_SIMD
/* Four households' flags (bytes) as 32-bit lanes, and the lanes with a flag set. */
AVX2 static inline __m128i flags4(const uint8_t *flags)
{
    int32_t w;
    memcpy(&w, flags, 4);
    return _mm_cvtepu8_epi32(_mm_cvtsi32_si128(w));
}
AVX2 static inline __m128i has4(__m128i f, int flag) { return _mm_cmpeq_epi32(_mm_and_si128(f, _mm_set1_epi32(flag)), _mm_set1_epi32(flag)); }
/* Four households' needs as 32-bit lanes. */
AVX2 static inline __m128i need4(const uint16_t *need) { return _mm_cvtepu16_epi32(_mm_loadl_epi64((const __m128i *)need)); }
#endif

/* Households [h0, h1) get (int64) (fe E_h + fl L_h) GU each (hall members':
   the hall); adds to *given and *hall. */
static void distribute_plain(double fe, double fl, int h0, int h1, int32_t *stock, const uint16_t *need,
                             const uint8_t *lab, const uint8_t *flags, int64_t *given, int64_t *hall)
{
    for (int h = h0; h < h1; h++) {
        int64_t g = (int64_t)(fe * need[h] + fl * lab[h]);
        if (flags[h] & HH_DINING) *hall += g;
        else stock[h] += (int32_t)g;
        *given += g;
    }
}

#ifdef LEAP_SIMD
/* distribute_plain, four households at once; the caller makes sure every
   share fits in 32 bits.  Returns how many it did. */
AVX2 static int distribute4(double fe, double fl, int nhh, int32_t *stock, const uint16_t *need, const uint8_t *lab,
                            const uint8_t *flags, int64_t *given, int64_t *hall)
{
    const __m256d vfe = _mm256_set1_pd(fe), vfl = _mm256_set1_pd(fl);
    __m256i a_given = _mm256_setzero_si256(), a_hall = a_given;
    int h = 0;
    for (; h + 4 <= nhh; h += 4) {
        __m128i n = need4(need + h), l = flags4(lab + h), dining = has4(flags4(flags + h), HH_DINING);
        __m128i g = _mm256_cvttpd_epi32(_mm256_add_pd(_mm256_mul_pd(vfe, _mm256_cvtepi32_pd(n)),
                                                      _mm256_mul_pd(vfl, _mm256_cvtepi32_pd(l))));
        __m128i s = _mm_loadu_si128((const __m128i *)(stock + h));
        _mm_storeu_si128((__m128i *)(stock + h), _mm_add_epi32(s, _mm_andnot_si128(dining, g)));
        a_given = _mm256_add_epi64(a_given, _mm256_cvtepi32_epi64(g));
        a_hall = _mm256_add_epi64(a_hall, _mm256_cvtepi32_epi64(_mm_and_si128(g, dining)));
    }
    *given += hsum64(a_given);
    *hall += hsum64(a_hall);
    return h;
}
#endif

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
    int64_t given = 0, hall = 0;
    int h = 0;
#ifdef LEAP_SIMD
    if (S->simd && c->granary < INT32_MAX / 2) h = distribute4(fe, fl, c->nhh, stock, need, lab, flags, &given, &hall);
#endif
    distribute_plain(fe, fl, h, c->nhh, stock, need, lab, flags, &given, &hall);
    c->hall_stock += hall;
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

#ifdef LEAP_SIMD
/* resale_out's deficits, four households at once, and their sum (added
   one by one in household order, as resale_out does): returns how many it
   did. */
AVX2 static int deficits4(double k, int nhh, const int32_t *stock, const uint16_t *need, const uint8_t *flags, float *deficit,
                          double *tot)
{
    const __m256d vk = _mm256_set1_pd(k), zero = _mm256_setzero_pd();
    double t = *tot;
    int h = 0;
    for (; h + 4 <= nhh; h += 4) {
        __m128i dining = has4(flags4(flags + h), HH_DINING);
        __m256d E = _mm256_cvtepi32_pd(need4(need + h));
        __m256d d = _mm256_sub_pd(_mm256_mul_pd(vk, E), _mm256_cvtepi32_pd(_mm_loadu_si128((const __m128i *)(stock + h))));
        __m128 df = _mm_andnot_ps(_mm_castsi128_ps(dining), _mm256_cvtpd_ps(_mm256_max_pd(d, zero)));
        _mm_storeu_ps(deficit + h, df);
        __m256d dd = _mm256_cvtps_pd(df);
        __m128d d0 = _mm256_castpd256_pd128(dd), d1 = _mm256_extractf128_pd(dd, 1);
        t += _mm_cvtsd_f64(d0);
        t += _mm_cvtsd_f64(_mm_unpackhi_pd(d0, d0));
        t += _mm_cvtsd_f64(d1);
        t += _mm_cvtsd_f64(_mm_unpackhi_pd(d1, d1));
    }
    *tot = t;
    return h;
}

/* resale_out's grants, four households at once: returns how many it did. */
AVX2 static int grants4(double f, int nhh, int32_t *stock, const float *deficit, int64_t *given)
{
    const __m256d vf = _mm256_set1_pd(f);
    __m256i a = _mm256_setzero_si256();
    int h = 0;
    for (; h + 4 <= nhh; h += 4) {
        __m128i g = _mm256_cvttpd_epi32(_mm256_mul_pd(_mm256_cvtps_pd(_mm_loadu_ps(deficit + h)), vf));
        __m128i s = _mm_loadu_si128((const __m128i *)(stock + h));
        _mm_storeu_si128((__m128i *)(stock + h), _mm_add_epi32(s, g));
        a = _mm256_add_epi64(a, _mm256_cvtepi32_epi64(g));
    }
    *given += hsum64(a);
    return h;
}
#endif

static void resale_out(SimState *S, Commune *c, Scratch *W)
{
    if (c->resale_bucket <= 0) return;
    int32_t *stock = S->hh.stock + c->hh0;
    const uint16_t *need = S->hh.need + c->hh0;
    const uint8_t *flags = S->hh.flags + c->hh0;
    double k = food_resale_floor(S, c) * gu_per_kcal(S, c) * weeks_left(S, c), tot = 0;
    double hall = k / gu_per_kcal(S, c) * c->hall_need_gu - (double)c->hall_stock;
    hall = hall > 0 ? hall : 0;
    int h = 0;
#ifdef LEAP_SIMD
    if (S->simd) h = deficits4(k, c->nhh, stock, need, flags, W->deficit, &tot);
#endif
    for (; h < c->nhh; h++) {
        double d = (flags[h] & HH_DINING) ? 0 : k * need[h] - stock[h];
        W->deficit[h] = (float)(d > 0 ? d : 0);
        tot += W->deficit[h];   /* in household order */
    }
    tot += hall;
    if (tot <= 0) return;
    double f = (double)c->resale_bucket < tot ? (double)c->resale_bucket / tot : 1.0;
    int64_t given = 0;
    h = 0;
#ifdef LEAP_SIMD
    if (S->simd && tot * f < INT32_MAX / 2) h = grants4(f, c->nhh, stock, W->deficit, &given);
#endif
    for (; h < c->nhh; h++) {
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

/* A commune's meal at home: its constants, and sums over households. */
typedef struct Meal {
    double gk, kq, ng, coming, inv_wl;   /* GU a week per kcal/day; kcal/day per GU a week; ... */
    int wl;
    float ow;                            /* 1 / overwork */
    int64_t eaten, held, e_hall, e_cadre;
} Meal;

/* Households [h0, h1): what each eats at home (rule 4) -- its stock and
   intake ratio; hall members' needs are added up for the hall. */
static void meals_plain(Meal *m, int h0, int h1, int32_t *stock, const uint16_t *need, const uint8_t *flags,
                        float *ratio)
{
    for (int h = h0; h < h1; h++) {
        if (flags[h] & HH_DINING) {
            m->e_hall += need[h];
            if (flags[h] & HH_CADRE) m->e_cadre += need[h];
            continue;
        }
        int64_t s = stock[h];
        if (need[h] == 0) { ratio[h] = 1; m->held += s; continue; }
        double E = need[h], full = m->gk * E, have = (double)s + m->coming * E;
        int64_t e;
        float qf;
        if (have >= m->wl * full) {             /* enough to the harvest: a full ration */
            e = (int64_t)full;
            if (e > s) e = s;
            qf = 1.0f;
            if (e < (int64_t)full) { double q = (double)e * m->kq / E + m->ng; qf = (float)(q < 1 ? q : 1); }
        } else {                                /* ration evenly to the harvest */
            e = (int64_t)(have * m->inv_wl);
            if (e > s) e = s;
            double q = (double)e * m->kq / E + m->ng;   /* (e k/7 + n E) / E */
            qf = (float)(q < 1 ? q : 1);
        }
        qf *= m->ow;
        s -= e;
        stock[h] = (int32_t)s;
        m->eaten += e;
        m->held += s;
        ratio[h] = qf;
    }
}

#ifdef LEAP_SIMD
/* meals_plain, four households at once (the same double arithmetic on
   each lane): returns how many it did.  A group with a negative stock
   goes to meals_plain. */
AVX2 static int meals4(Meal *m, int nhh, int32_t *stock, const uint16_t *need, const uint8_t *flags, float *ratio)
{
    const __m256d gk = _mm256_set1_pd(m->gk), kq = _mm256_set1_pd(m->kq), ng = _mm256_set1_pd(m->ng),
                  coming = _mm256_set1_pd(m->coming), inv_wl = _mm256_set1_pd(m->inv_wl),
                  wl = _mm256_set1_pd((double)m->wl), one = _mm256_set1_pd(1.0);
    const __m128 ow = _mm_set1_ps(m->ow), onef = _mm_set1_ps(1.0f);
    const __m128i zero = _mm_setzero_si128();
    __m256i a_eaten = _mm256_setzero_si256(), a_held = a_eaten, a_hall = a_eaten, a_cadre = a_eaten;
    int h = 0;
    for (; h + 4 <= nhh; h += 4) {
        __m128i n = need4(need + h), s = _mm_loadu_si128((const __m128i *)(stock + h)), f = flags4(flags + h);
        __m128i dining = has4(f, HH_DINING), cadre = _mm_and_si128(dining, has4(f, HH_CADRE));
        __m128i home = _mm_andnot_si128(dining, _mm_set1_epi32(-1));
        __m128i eat = _mm_andnot_si128(_mm_cmpeq_epi32(n, zero), home);
        if (!_mm_testz_si128(eat, _mm_cmpgt_epi32(zero, s))) { meals_plain(m, h, h + 4, stock, need, flags, ratio); continue; }
        a_hall = _mm256_add_epi64(a_hall, _mm256_cvtepi32_epi64(_mm_and_si128(n, dining)));
        a_cadre = _mm256_add_epi64(a_cadre, _mm256_cvtepi32_epi64(_mm_and_si128(n, cadre)));
        __m256d E = _mm256_cvtepi32_pd(n), sd = _mm256_cvtepi32_pd(s);
        __m256d full = _mm256_mul_pd(gk, E), have = _mm256_add_pd(sd, _mm256_mul_pd(coming, E));
        __m256d enough = _mm256_cmp_pd(have, _mm256_mul_pd(wl, full), _CMP_GE_OQ);
        /* min(trunc(x), s) = trunc(min(x, s)) for s >= 0 whole */
        __m256d x = _mm256_blendv_pd(_mm256_mul_pd(have, inv_wl), full, enough);
        __m128i e = _mm_and_si128(_mm256_cvttpd_epi32(_mm256_min_pd(x, sd)), eat);
        __m256d ed = _mm256_cvtepi32_pd(e);
        __m256d whole = _mm256_and_pd(enough, _mm256_cmp_pd(ed, _mm256_round_pd(full, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC),
                                                             _CMP_GE_OQ));
        __m128 qf;
        if (_mm256_movemask_pd(_mm256_or_pd(whole, _mm256_castsi256_pd(_mm256_cvtepi32_epi64(_mm_xor_si128(eat, _mm_set1_epi32(-1)))))) == 0xF)
            qf = _mm_blendv_ps(onef, ow, _mm_castsi128_ps(eat));   /* every eater a full ration: 1 x ow, the rest 1 */
        else {
            __m256d q = _mm256_add_pd(_mm256_div_pd(_mm256_mul_pd(ed, kq), E), ng);
            qf = _mm256_cvtpd_ps(_mm256_min_pd(q, one));
            qf = _mm_mul_ps(_mm_blendv_ps(qf, onef, _mm256_cvtpd_ps(whole)), ow);
            qf = _mm_blendv_ps(onef, qf, _mm_castsi128_ps(eat));   /* no need: 1 */
        }
        qf = _mm_blendv_ps(_mm_loadu_ps(ratio + h), qf, _mm_castsi128_ps(home));   /* hall members: left to the hall */
        _mm_storeu_ps(ratio + h, qf);
        __m128i s1 = _mm_sub_epi32(s, e);
        _mm_storeu_si128((__m128i *)(stock + h), s1);
        a_eaten = _mm256_add_epi64(a_eaten, _mm256_cvtepi32_epi64(e));
        a_held = _mm256_add_epi64(a_held, _mm256_cvtepi32_epi64(_mm_and_si128(s1, home)));
    }
    m->eaten += hsum64(a_eaten);
    m->held += hsum64(a_held);
    m->e_hall += hsum64(a_hall);
    m->e_cadre += hsum64(a_cadre);
    return h;
}
#endif

/* Sums over a commune's households eating at home: intake (kcal/day),
   need, and the deficit to the harvest (grain short of the floor, tail x
   need, when deficits are counted).  Added in household order: the double
   sums depend on it; the need, a sum of whole numbers, does not. */
typedef struct MealSums { double kcal, deficit; int64_t need; } MealSums;

static void meal_sums_plain(MealSums *o, int h0, int h1, const int32_t *stock, const uint16_t *need,
                            const uint8_t *flags, const float *ratio, double tail, int deficits)
{
    /* without branches: a household left out adds +0, which changes no sum */
    const double use_tail = deficits ? tail : 0;   /* finite either way: d is */
    double kcal = o->kcal, deficit = o->deficit;
    int64_t ns = o->need;
    for (int h = h0; h < h1; h++) {
        double E = (flags[h] & HH_DINING) ? 0 : need[h];   /* 0: left out (every ratio is finite) */
        double d = use_tail * E - (double)stock[h];
        kcal += ratio[h] * E;
        ns += (int64_t)E;
        deficit += (d > 0 ? d : 0) * (double)(deficits && E > 0);   /* a stock can be negative */
    }
    o->kcal = kcal;
    o->deficit = deficit;
    o->need = ns;
}

#ifdef LEAP_SIMD
/* meal_sums_plain, the terms of four households at once, then added one
   by one in household order (the same doubles): returns how many it did. */
AVX2 static int meal_sums4(MealSums *o, int nhh, const int32_t *stock, const uint16_t *need, const uint8_t *flags,
                           const float *ratio, double tail, int deficits)
{
    const __m256d vt = _mm256_set1_pd(deficits ? tail : 0), zero = _mm256_setzero_pd();
    const __m128i on = _mm_set1_epi32(deficits ? -1 : 0), z = _mm_setzero_si128();
    double kcal = o->kcal, deficit = o->deficit;
    __m256i a_need = _mm256_setzero_si256();
    int h = 0;
    for (; h + 4 <= nhh; h += 4) {
        __m128i n = _mm_andnot_si128(has4(flags4(flags + h), HH_DINING), need4(need + h));
        __m256d E = _mm256_cvtepi32_pd(n);
        __m256d d = _mm256_sub_pd(_mm256_mul_pd(vt, E), _mm256_cvtepi32_pd(_mm_loadu_si128((const __m128i *)(stock + h))));
        __m128i m = _mm_andnot_si128(_mm_cmpeq_epi32(n, z), on);   /* deficits && E > 0 */
        __m256d td = _mm256_and_pd(_mm256_max_pd(d, zero), _mm256_castsi256_pd(_mm256_cvtepi32_epi64(m)));
        __m256d tk = _mm256_mul_pd(_mm256_cvtps_pd(_mm_loadu_ps(ratio + h)), E);
        a_need = _mm256_add_epi64(a_need, _mm256_cvtepi32_epi64(n));
        __m128d k0 = _mm256_castpd256_pd128(tk), k1 = _mm256_extractf128_pd(tk, 1);
        __m128d d0 = _mm256_castpd256_pd128(td), d1 = _mm256_extractf128_pd(td, 1);
        kcal += _mm_cvtsd_f64(k0);
        kcal += _mm_cvtsd_f64(_mm_unpackhi_pd(k0, k0));
        kcal += _mm_cvtsd_f64(k1);
        kcal += _mm_cvtsd_f64(_mm_unpackhi_pd(k1, k1));
        deficit += _mm_cvtsd_f64(d0);
        deficit += _mm_cvtsd_f64(_mm_unpackhi_pd(d0, d0));
        deficit += _mm_cvtsd_f64(d1);
        deficit += _mm_cvtsd_f64(_mm_unpackhi_pd(d1, d1));
    }
    o->kcal = kcal;
    o->deficit = deficit;
    o->need += hsum64(a_need);
    return h;
}
#endif

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
    const double tail = floor_k * (wl - 1);
    const int deficits = !c->urban && wl > 1;
    /* grain still to come from this harvest, shared by need: counted when rationing */
    int64_t tot_need = c->need_sum;
    Meal m = {.gk = gk, .kq = kcal_per_gu / 7, .ng = ng, .inv_wl = 1.0 / wl, .wl = wl,
              .coming = !c->urban && tot_need > 0 && c->expect_rest > 0 ? c->expect_rest / (double)tot_need : 0,
              .ow = c->overwork > 0 ? 1.0f / c->overwork : 1.0f};
    int h = 0;
#ifdef LEAP_SIMD
    if (S->simd) h = meals4(&m, c->nhh, stock, need, flags, W->ratio);
#endif
    meals_plain(&m, h, c->nhh, stock, need, flags, W->ratio);
    /* intake, need and the deficit to the harvest, in household order */
    MealSums ms = {0, 0, 0};
    h = 0;
#ifdef LEAP_SIMD
    if (S->simd) h = meal_sums4(&ms, c->nhh, stock, need, flags, W->ratio, tail, deficits);
#endif
    meal_sums_plain(&ms, h, c->nhh, stock, need, flags, W->ratio, tail, deficits);
    double deficit = ms.deficit, kcal = ms.kcal, needsum = (double)ms.need;   /* a whole number: exact */
    int64_t eaten = m.eaten, held = m.held;
    double E_hall = (double)m.e_hall, E_cadre = (double)m.e_cadre, coming = m.coming;
    const float ow = m.ow;
    if (E_hall > 0) {
        float qh, qc;
        eaten += hall_meal(S, c, E_hall, E_cadre, ng, wl, coming * E_hall, &qh, &qc);
        qh *= ow;
        qc *= ow;
        int64_t members = 0;
        for (h = 0; h < c->nhh; h++)
            if (flags[h] & HH_DINING) {
                members++;
                W->ratio[h] = (flags[h] & HH_CADRE) ? qc : qh;
                kcal += W->ratio[h] * need[h];
                needsum += need[h];
            }
        S->acc[ci].dining += (double)members;
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
