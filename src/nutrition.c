/* nutrition.c -- see nutrition.h. */
#include "nutrition.h"
#include "labour.h"
#include "rng.h"
#include "simd.h"
#include <math.h>
#include <stddef.h>
#include <string.h>

typedef struct Ctx {      /* one commune's week: read-only in the loops */
    SimState *S;
    Commune *c;
    const Demog *D;
    PersonTable *T;
    const AgeTab *tab, *city;   /* the commune's age table; the city's (members living there) */
    int week, wkb;        /* week, week + BW_OFFSET */
    int gest, post;
    float inherit, reg_birth, reg_div;
    float adapt, away_q;  /* adaptation, intake ratio of members away */
    float conc;           /* conception factor of women at home: couples apart on campaigns (labour.c) */
    uint32_t seed, cid;
    int urban;            /* the commune is a city unit */
    size_t first;         /* the commune's first slot */
    const float *pq;      /* per slot (offset from first; founding, then pool): its household's q_h */
    const int32_t *hstart;   /* per household: its first founding slot (offset from first); [nhh] = the end */
    int32_t *lo, *hi;     /* out: need (1/NEED_Q kcal/day) and HI_* counts it brings to next week */
    const float *ratio;   /* per household: q_h */
    int nf;               /* founding slots: slot k >= nf is the pool's child k - nf */
    const uint16_t *link; /* the birth pool's links */
    int32_t *ev;          /* scratch: groups of eight with events (slot << 8 | lanes) */
} Ctx;

#define HI_LAB 1            /* hi bits 0-7: labourers at home */
#define HI_DEPL (1 << 8)    /* bits 8-15: members at home below a full reserve */
#define HI_AWAY (1 << 16)   /* bits 16-23: members living in a city */
#define STARVING (int)(0.6 * RES_ONE)

/* Sums over a run of persons; each kernel keeps its own in registers and
   adds them here once.  Every sum is an integer, so it does not depend on
   the order in which persons are visited. */
typedef struct Sums {
    int64_t alive0, n_away0, n_away1, births, births_urban, deaths, deaths_urban;
    int64_t reg_births, reg_deaths, reg_deaths_urban, deaths_age[NAG];
    int64_t depl_home, depl_away, labourers, starving, pregnant;
    int64_t exp_q, exp_away_q, exp_bq;   /* expected deaths, expected births (both 1/PB_Q) */
    int64_t away_nq;      /* next week's need of members living in cities, 1/NEED_Q kcal/day */
    int64_t unsettled;    /* persons at home not both fed in full and at a full reserve (sim.h: SimState.settled) */
} Sums;

/* A child is born to a woman (bws b, reserve v) of household h: returns 1
   for a girl, 0 for a boy, and sets *reg if the birth is registered. */
static __attribute__((noinline)) int birth(const Ctx *x, uint16_t mother_b, uint16_t mother_res, int h, int *reg)
{
    Commune *c = x->c;
    uint32_t k = c->pool_used++;
    size_t s = (size_t)c->pool_start + k;
    uint64_t id = pop_id_newborn(c->id, k);
    const Params *P = x->S->P;
    double u = rng_u01(x->seed, RNG_BIRTH, id, (uint32_t)x->week, 0);
    int female = u < 1 / (1 + P->srb);
    x->T->bws[s] = (uint16_t)((x->wkb) | (female ? BWS_FEMALE : 0) | BWS_ALIVE | (mother_b & BWS_AWAY));
    float r = RES_ONE - x->inherit * (float)(RES_ONE - (mother_res < RES_ONE ? mother_res : RES_ONE));
    x->T->res[s] = (uint16_t)(r + 0.5f);
    x->T->thr_d[s] = (float)rng_exp1(x->seed, RNG_BIRTH, id, (uint32_t)x->week, 1);
    x->T->thr_f[s] = female ? (float)rng_exp1(x->seed, RNG_BIRTH, id, (uint32_t)x->week, 2) : 1;
    x->S->link[c->link0 + k] = (uint16_t)h;
    *reg = rng_u01(x->seed, RNG_REGISTRATION, id, (uint32_t)x->week, 1) < x->reg_birth;
    return female;
}

/* The person in slot i dies: returns 1 if the death is registered. */
static __attribute__((noinline)) int death(const Ctx *x, size_t i, uint64_t id, int ix)
{
    x->T->bws[i] &= (uint16_t)~BWS_ALIVE;
    double comp = x->D->reg_death[ix] / x->reg_div;
    return rng_u01(x->seed, RNG_REGISTRATION, id, (uint32_t)x->week, 0) < comp;
}

static __attribute__((noinline)) float fresh_threshold(const Ctx *x, uint64_t id)
{
    return (float)rng_exp1(x->seed, RNG_FERTILITY, id, (uint32_t)x->week, 0);
}

/* A woman's week when she is pregnant or postpartum (thr_f < 0): a birth,
   or fecundity again.  Returns 0 if no child is born, else 1 + the child's
   sex (1 a girl); *reg: the birth is registered; *preg: still pregnant
   after the week. */
static __attribute__((noinline)) int busy_week(const Ctx *x, float *thr_f, uint64_t id, uint16_t b, uint16_t v,
                                               int h, int *reg, int *preg)
{
    int busy = (int)(-*thr_f) - 1, born = busy - x->post;
    *preg = x->week < born;
    *reg = 0;
    if (x->week == born) return 1 + birth(x, b, v, h, reg);
    if (x->week >= busy) *thr_f = fresh_threshold(x, id);
    return 0;
}

/*
** The person kernels.  A week of the person in slot i is written once, as
** the macro PERSON.  It leaves what the person brings to its household's
** next week in LO (need, 1/NEED_Q kcal/day, the week's newborn included)
** and HI (labourer, depleted, away: HI_*); everything else goes to sums
** that do not depend on the order of visits.  plain_run applies it to one
** person after another; simd_run (below) does the same arithmetic for
** eight persons at once (members living in a city included) and leaves a
** person with an event (a death, a birth, the end of a postpartum spell) to
** plain_run after its loop -- so both give the same bytes.  Rare events
** call out-of-line functions that never see the sums.
*/

/* Locals every kernel function declares. */
#define KERNEL_LOCALS                                                                        \
    const Demog *D = x->D;                                                                   \
    const uint8_t *age_ix = D->age_ix;                                                       \
    const float *mult = D->mult, *fec = D->fec;                                              \
    const AgeTab *tab = x->tab, *city = x->city;                                             \
    uint16_t *restrict bws = x->T->bws;                                                      \
    uint16_t *restrict res = x->T->res;                                                      \
    float *restrict thr_d = x->T->thr_d;                                                     \
    float *restrict thr_f = x->T->thr_f;                                                     \
    const int urban_c = x->urban, wkb = x->wkb, week = x->week, busy_len = x->gest + x->post + 1; \
    const float adapt = x->adapt, away_q = x->away_q, conc = x->conc;                        \
    int64_t alive0 = 0, births = 0, births_urban = 0, deaths = 0, deaths_urban = 0;          \
    int64_t reg_births = 0, reg_deaths = 0, reg_deaths_urban = 0, n_away0 = 0, n_away1 = 0;  \
    int64_t depl_home = 0, depl_away = 0, starving = 0, pregnant = 0;                        \
    int64_t exp_q = 0, exp_away_q = 0, exp_bq = 0;                                           \
    int64_t away_nq = 0, unsettled = 0

#define KERNEL_OUT(o)                                                                        \
    do {                                                                                     \
        o->alive0 += alive0; o->births += births; o->births_urban += births_urban;           \
        o->deaths += deaths; o->deaths_urban += deaths_urban; o->reg_births += reg_births;   \
        o->reg_deaths += reg_deaths; o->reg_deaths_urban += reg_deaths_urban;                \
        o->n_away0 += n_away0; o->n_away1 += n_away1; o->depl_home += depl_home;             \
        o->depl_away += depl_away; o->pregnant += pregnant; o->exp_q += exp_q;               \
        o->exp_away_q += exp_away_q; o->exp_bq += exp_bq; o->away_nq += away_nq;             \
        o->starving += starving; o->unsettled += unsettled;                                  \
    } while (0)

#define DEATH(i, ID, ix, urb)                                                                \
    do {                                                                                     \
        int reg_ = death(x, (i), (ID), (ix));                                                \
        deaths++;                                                                            \
        deaths_urban += (urb);                                                               \
        reg_deaths += reg_;                                                                  \
        reg_deaths_urban += reg_ & (urb);                                                    \
        o->deaths_age[D->group[ix]]++;                                                       \
    } while (0)

/* Fertility without a branch on sex: men and girls have phi = 0 and a
   positive thr_f that never moves (pop.h). */
#define FERTILITY(i, ID, b, v, h, g, away, urb, LO)                                          \
    do {                                                                                     \
        float f_ = thr_f[i];                                                                 \
        if (f_ < 0) {                                                                        \
            int reg_, preg_;                                                                 \
            int nb_ = busy_week(x, &thr_f[i], (ID), (b), (v), (h), &reg_, &preg_);           \
            pregnant += preg_;                                                               \
            if (nb_ > 0) {                                                                   \
                births++;                                                                    \
                reg_births += reg_;                                                          \
                births_urban += (urb);                                                       \
                if (away) away_nq += city->row[nb_ - 1][0].nlq & NLQ_NEED;                   \
                else LO += tab->row[nb_ - 1][0].nlq & NLQ_NEED;                              \
            }                                                                                \
        } else {                                                                             \
            f_ -= R_->phi * (g);                                                             \
            if (f_ <= 0) { f_ = -(float)(week + busy_len); pregnant++; }                     \
            thr_f[i] = f_;                                                                   \
        }                                                                                    \
    } while (0)

#define PERSON(i, q, h, ID, LO, HI)                                                          \
    do {                                                                                     \
        uint16_t b_ = bws[i];                                                                \
        if (!(b_ & BWS_ALIVE)) break;                                                        \
        alive0++;                                                                            \
        int ix_ = age_ix[wkb - (int)(b_ & BWS_WEEK)];                                        \
        int away_ = (b_ & BWS_AWAY) != 0, urb_ = urban_c | away_;                            \
        const AgeRow *R_ = away_ ? &city->row[(b_ >> 13) & 1][ix_] : &tab->row[(b_ >> 13) & 1][ix_]; \
        float q_ = away_ ? away_q : (q);                                                     \
        uint16_t v_ = res[i];                                                                \
        unsettled += (!away_) & ((q_ < 1.0f) | (v_ < RES_ONE));                              \
        if (v_ < RES_ONE || q_ < 1.0f) {   /* else fed and full: nothing moves */            \
            v_ = nutr_reserve_next(v_, q_, R_->rk, adapt);                                   \
            res[i] = v_;                                                                     \
        }                                                                                    \
        exp_q += R_->pbq;                                                                    \
        exp_bq += R_->ebq;                                                                   \
        float th_ = thr_d[i] - R_->h0 * mult[v_ >> MTAB_SHIFT];                              \
        if (away_) { n_away0++; exp_away_q += R_->pbq; HI += HI_AWAY; }                      \
        if (th_ <= 0) { DEATH(i, ID, ix_, urb_); break; }                                    \
        thr_d[i] = th_;                                                                      \
        if (away_) {                                                                         \
            n_away1++;                                                                       \
            away_nq += R_->nlq & NLQ_NEED;                                                   \
            depl_away += RES_ONE - v_;                                                       \
        } else {                                                                             \
            LO += R_->nlq & NLQ_NEED;                                                        \
            HI += (R_->nlq >> 24) * HI_LAB + (v_ < RES_ONE) * HI_DEPL;                       \
            depl_home += RES_ONE - v_;                                                       \
            starving += v_ < STARVING;                                                       \
        }                                                                                    \
        FERTILITY(i, ID, b_, v_, h, fec[v_ >> MTAB_SHIFT] * (away_ ? 1.0f : conc), away_, urb_, LO); \
    } while (0)

/* The last household starting at or before slot k, from household h on. */
static int household_of(const int32_t *hs, int h, int nhh, int k)
{
    int n = nhh - h;
    while (n > 1) {
        int half = n / 2;
        if (hs[h + half] <= k) h += half;
        n -= half;
    }
    return h;
}

/* PERSON for slot k (an offset from x->first), household h. */
#define PLAIN_ONE(k, h)                                                                      \
    do {                                                                                     \
        int32_t lo_ = 0, hi_ = 0;                                                            \
        uint64_t id_ = (k) >= nf ? pop_id_newborn(x->cid, (uint32_t)((k) - nf))              \
                                 : pop_id_member(x->cid, (uint32_t)(h), (uint32_t)((k) - hs[h])); \
        PERSON(x->first + (size_t)(k), pq[k], (h), id_, lo_, hi_);                           \
        lo[k] = lo_;                                                                         \
        hi[k] = hi_;                                                                         \
    } while (0)

/* Slots [k0, k1) one person after another; then, if ev is given, the
   lanes it lists (groups of eight from slot ev >> 8, lanes in its low
   byte), in slot order. */
static __attribute__((noinline)) void plain_run(const Ctx *x, int k0, int k1, const int32_t *ev, int nev, Sums *o)
{
    KERNEL_LOCALS;
    const float *pq = x->pq;
    const int32_t *hs = x->hstart;
    int32_t *lo = x->lo, *hi = x->hi;
    const int nhh = x->c->nhh, nf = x->nf;
    const uint16_t *link = x->link;
    int h = 0;
    for (int e = 0; e < nev; e++) {
        int kg = ev[e] >> 8;
        for (int lanes = ev[e] & 0xFF; lanes; lanes &= lanes - 1) {
            int k = kg + __builtin_ctz((unsigned)lanes);
            h = k >= nf ? link[k - nf] : household_of(hs, h, nhh, k);
            PLAIN_ONE(k, h);
        }
    }
    h = 0;
    if (k0 < k1 && k0 < nf) h = household_of(hs, 0, nhh, k0);
    for (int k = k0; k < k1; k++) {
        if (k >= nf) h = link[k - nf];
        else while (hs[h + 1] <= k) h++;
        PLAIN_ONE(k, h);
    }
    KERNEL_OUT(o);
}

/* lo, hi of slots [k0, k1) become running sums (modulo 2^32) from the
   carries al, ah. */
static void running_sums(const Ctx *x, int k0, int k1, uint32_t al, uint32_t ah)
{
    uint32_t *lo = (uint32_t *)x->lo, *hi = (uint32_t *)x->hi;
    for (int k = k0; k < k1; k++) { al += lo[k]; lo[k] = al; ah += hi[k]; hi[k] = ah; }
}

#ifdef LEAP_SIMD
/* Running sums of eight lanes, after carry (all lanes equal): lane j gets
   carry + v0 + ... + vj (modulo 2^32). */
AVX2 static inline __m256i prefix8(__m256i v, __m256i carry)
{
    v = _mm256_add_epi32(v, _mm256_slli_si256(v, 4));
    v = _mm256_add_epi32(v, _mm256_slli_si256(v, 8));
    __m256i low3 = _mm256_permutevar8x32_epi32(v, _mm256_setr_epi32(0, 0, 0, 0, 3, 3, 3, 3));
    v = _mm256_add_epi32(v, _mm256_blend_epi32(_mm256_setzero_si256(), low3, 0xF0));
    return _mm256_add_epi32(v, carry);
}

/* D->age_ix for eight ages in weeks, by arithmetic (demog.c builds the
   table with the same rule; a gather would be one more wait per group). */
AVX2 static inline __m256i age_index8(__m256i aw)
{
    const __m256i yw = _mm256_set1_epi32(AGE_4W), y5 = _mm256_set1_epi32(5 * 52);
    __m256i a2 = _mm256_add_epi32(_mm256_set1_epi32(AGE_WEEKLY), _mm256_srli_epi32(_mm256_sub_epi32(aw, yw), 2));
    __m256 n = _mm256_cvtepi32_ps(_mm256_sub_epi32(aw, y5));   /* (n + 1/2) / 52 is never whole: exact floor */
    __m256i a3 = _mm256_add_epi32(_mm256_set1_epi32(AGE_YEARLY0),
                                  _mm256_cvttps_epi32(_mm256_mul_ps(_mm256_add_ps(n, _mm256_set1_ps(0.5f)),
                                                                    _mm256_set1_ps(1.0f / 52))));
    __m256i ix = _mm256_blendv_epi8(a3, a2, _mm256_cmpgt_epi32(y5, aw));
    ix = _mm256_blendv_epi8(ix, aw, _mm256_cmpgt_epi32(yw, aw));
    return _mm256_min_epi32(ix, _mm256_set1_epi32(NAGE - 1));
}

/* The eight 32-bit lanes of v as four 64-bit pairs, out of the registers:
   lane 2j is (int32_t)p[j], lane 2j + 1 is p[j] >> 32.  Indices stored to
   memory and read back one by one would wait on store-to-load forwarding. */
AVX2 static inline void lane_pairs(__m256i v, uint64_t p[4])
{
    __m128i l = _mm256_castsi256_si128(v), h = _mm256_extracti128_si256(v, 1);
    p[0] = (uint64_t)_mm_cvtsi128_si64(l);
    p[1] = (uint64_t)_mm_extract_epi64(l, 1);
    p[2] = (uint64_t)_mm_cvtsi128_si64(h);
    p[3] = (uint64_t)_mm_extract_epi64(h, 1);
}

/* age_index8 on sixteen lanes. */
AVX512 static inline __m512i age_index16(__m512i aw)
{
    const __m512i yw = _mm512_set1_epi32(AGE_4W), y5 = _mm512_set1_epi32(5 * 52);
    __m512i a2 = _mm512_add_epi32(_mm512_set1_epi32(AGE_WEEKLY), _mm512_srli_epi32(_mm512_sub_epi32(aw, yw), 2));
    __m512 n = _mm512_cvtepi32_ps(_mm512_sub_epi32(aw, y5));
    __m512i a3 = _mm512_add_epi32(_mm512_set1_epi32(AGE_YEARLY0),
                                  _mm512_cvttps_epi32(_mm512_mul_ps(_mm512_add_ps(n, _mm512_set1_ps(0.5f)),
                                                                    _mm512_set1_ps(1.0f / 52))));
    __m512i ix = _mm512_mask_blend_epi32(_mm512_cmpgt_epi32_mask(y5, aw), a3, a2);
    ix = _mm512_mask_blend_epi32(_mm512_cmpgt_epi32_mask(yw, aw), ix, aw);
    return _mm512_min_epi32(ix, _mm512_set1_epi32(NAGE - 1));
}

/* lane_pairs on sixteen lanes: lane 2j is (int32_t)p[j], 2j + 1 p[j] >> 32. */
AVX512 static inline void lane_pairs16(__m512i v, uint64_t p[8])
{
    __m128i q0 = _mm512_castsi512_si128(v), q1 = _mm512_extracti32x4_epi32(v, 1);
    __m128i q2 = _mm512_extracti32x4_epi32(v, 2), q3 = _mm512_extracti32x4_epi32(v, 3);
    p[0] = (uint64_t)_mm_cvtsi128_si64(q0); p[1] = (uint64_t)_mm_extract_epi64(q0, 1);
    p[2] = (uint64_t)_mm_cvtsi128_si64(q1); p[3] = (uint64_t)_mm_extract_epi64(q1, 1);
    p[4] = (uint64_t)_mm_cvtsi128_si64(q2); p[5] = (uint64_t)_mm_extract_epi64(q2, 1);
    p[6] = (uint64_t)_mm_cvtsi128_si64(q3); p[7] = (uint64_t)_mm_extract_epi64(q3, 1);
}

/* acc (8 x int64) += the 16 int32 of v */
AVX512 static inline __m512i add64x16(__m512i acc, __m512i v)
{
    acc = _mm512_add_epi64(acc, _mm512_cvtepi32_epi64(_mm512_castsi512_si256(v)));
    return _mm512_add_epi64(acc, _mm512_cvtepi32_epi64(_mm512_extracti64x4_epi64(v, 1)));
}

/* Running sums of lo and hi over groups of sixteen from k0 while they fit
   before k1 (the rest as simd_run's groups of eight); *cl and *ch carry
   the sums so far in every lane, in and out.  Returns the first slot not
   done. */
AVX512 static int prefix16(int32_t *restrict lo, int32_t *restrict hi, int k0, int k1, __m256i *cl, __m256i *ch)
{
    const __m512i zero = _mm512_setzero_si512(), last = _mm512_set1_epi32(15);
    __m512i run_lo = _mm512_broadcastd_epi32(_mm256_castsi256_si128(*cl));
    __m512i run_hi = _mm512_broadcastd_epi32(_mm256_castsi256_si128(*ch));
    int k = k0;
    for (; k + 16 <= k1; k += 16) {
        __m512i a = _mm512_loadu_si512(lo + k), b = _mm512_loadu_si512(hi + k);
        /* lane j += lane j - s, for s = 1, 2, 4, 8 (zeros shifted in) */
        a = _mm512_add_epi32(a, _mm512_alignr_epi32(a, zero, 15));
        b = _mm512_add_epi32(b, _mm512_alignr_epi32(b, zero, 15));
        a = _mm512_add_epi32(a, _mm512_alignr_epi32(a, zero, 14));
        b = _mm512_add_epi32(b, _mm512_alignr_epi32(b, zero, 14));
        a = _mm512_add_epi32(a, _mm512_alignr_epi32(a, zero, 12));
        b = _mm512_add_epi32(b, _mm512_alignr_epi32(b, zero, 12));
        a = _mm512_add_epi32(_mm512_add_epi32(a, _mm512_alignr_epi32(a, zero, 8)), run_lo);
        b = _mm512_add_epi32(_mm512_add_epi32(b, _mm512_alignr_epi32(b, zero, 8)), run_hi);
        _mm512_storeu_si512(lo + k, a);
        _mm512_storeu_si512(hi + k, b);
        run_lo = _mm512_permutexvar_epi32(last, a);
        run_hi = _mm512_permutexvar_epi32(last, b);
    }
    *cl = _mm512_castsi512_si256(run_lo);
    *ch = _mm512_castsi512_si256(run_hi);
    return k;
}

/* The loop of simd_run (below) on sixteen persons at once (AVX-512): the
   same operations on each lane in the same order, lane masks in place of
   blends.  Groups of sixteen from k0 while they fit before k1; a group
   with an event is listed in ev as two groups of eight (simd_run's form).
   Returns the first slot not done; *nev counts the entries of ev. */
AVX512 static __attribute__((noinline)) int simd16(const Ctx *x, int k0, int k1, int *nev_out, Sums *o)
{
    const Demog *D = x->D;
    const float *rowf = &x->tab->row[0][0].need;
    const __m512i c_city = _mm512_set1_epi32((int)(&x->city->row[0][0].need - rowf));
    enum { stride = 8 };
    uint16_t *restrict bws = x->T->bws;
    uint16_t *restrict res = x->T->res;
    float *restrict thr_d = x->T->thr_d;
    float *restrict thr_f = x->T->thr_f;
    int32_t *restrict lo_out = x->lo, *restrict hi_out = x->hi, *restrict ev = x->ev;
    const float *restrict pq = x->pq;
    const float(*mf)[2] = D->mf;
    const size_t first = x->first;
#define WI(v) _mm512_set1_epi32(v)
#define WF(v) _mm512_set1_ps(v)
    const __m512i zero = _mm512_setzero_si512(), c_alive = WI(BWS_ALIVE), c_away = WI(BWS_AWAY),
                  c_female = WI(BWS_FEMALE), c_bw = WI(BWS_WEEK), c_wkb = WI(x->wkb), c_nage = WI(NAGE * stride),
                  c_one = WI(1), c_resone = WI(RES_ONE), c_week = WI(x->week), c_post = WI(x->post),
                  c_starv = WI(STARVING), c_need = WI(NLQ_NEED), c_depl = WI(HI_DEPL), c_hiaway = WI(HI_AWAY);
    const __m512 f_zero = _mm512_setzero_ps(), f_one = WF(1.0f), f_half = WF(0.5f), f_res1 = WF((float)RES_ONE),
                 f_inv = WF(1.0f / RES_ONE), f_full = WF(0.99f * RES_ONE), f_adapt = WF(x->adapt),
                 f_conc = WF(x->conc), f_sign = WF(-0.0f), f_awayq = WF(x->away_q),
                 f_newbusy = WF(-(float)(x->week + x->gest + x->post + 1));
    /* a field of sixteen AgeRows, from the transposed pairs (below) */
    const __m512i lo4 = _mm512_setr_epi32(0, 1, 2, 3, 16, 17, 18, 19, 8, 9, 10, 11, 24, 25, 26, 27);
    const __m512i hi4 = _mm512_setr_epi32(4, 5, 6, 7, 20, 21, 22, 23, 12, 13, 14, 15, 28, 29, 30, 31);
#undef WI
#undef WF
    int64_t n_alive = 0, n_away = 0, n_preg = 0, n_starv = 0, n_unset = 0;
    __m512i a_exp = zero, a_exp_away = zero, a_eb = zero, a_depl = zero, a_depl_away = zero, a_away_nq = zero;
    int nev = *nev_out, k = k0;
    for (; k + 16 <= k1; k += 16) {
        size_t i = first + (size_t)k;
        __m512i b = _mm512_cvtepu16_epi32(_mm256_loadu_si256((const __m256i *)(bws + i)));
        __mmask16 alive = _mm512_test_epi32_mask(b, c_alive);
        if (!alive) {
            _mm512_storeu_si512(lo_out + k, zero);
            _mm512_storeu_si512(hi_out + k, zero);
            continue;
        }
        __mmask16 away = alive & _mm512_test_epi32_mask(b, c_away);
        __mmask16 home = alive & ~away;
        __m512 q = _mm512_loadu_ps(pq + k);
        if (away) q = _mm512_mask_mov_ps(q, away, f_awayq);
        __m512i v = _mm512_cvtepu16_epi32(_mm256_loadu_si256((const __m256i *)(res + i)));
        __mmask16 depleted = alive & _mm512_cmpgt_epi32_mask(c_resone, v);
        __mmask16 qge1 = _mm512_cmp_ps_mask(q, f_one, _CMP_GE_OQ), qlt1 = _mm512_cmp_ps_mask(q, f_one, _CMP_LT_OQ);
        int fed = !away && qge1 == 0xFFFF && !depleted;
        __m512i aw = _mm512_sub_epi32(c_wkb, _mm512_and_si512(b, c_bw));
        __m512i row = _mm512_add_epi32(_mm512_maskz_mov_epi32(_mm512_test_epi32_mask(b, c_female), c_nage),
                                       _mm512_slli_epi32(age_index16(aw), 3));
        __m512 h0, rk, phi, nlqf, pbqf, ebqf;
        {
            __m512i ix = _mm512_maskz_mov_epi32(alive, row);
            if (away) ix = _mm512_mask_add_epi32(ix, away, ix, c_city);
            uint64_t p[8];
            lane_pairs16(ix, p);
            /* rows j and j + 8 in one register: the AVX2 transpose then
               works on both halves at once */
#define ROW2(a, b) _mm512_insertf32x8(_mm512_castps256_ps512(_mm256_loadu_ps(rowf + (int32_t)(a))), \
                                      _mm256_loadu_ps(rowf + (int32_t)(b)), 1)
            __m512 r0 = ROW2(p[0], p[4]), r1 = ROW2(p[0] >> 32, p[4] >> 32);
            __m512 r2 = ROW2(p[1], p[5]), r3 = ROW2(p[1] >> 32, p[5] >> 32);
            __m512 r4 = ROW2(p[2], p[6]), r5 = ROW2(p[2] >> 32, p[6] >> 32);
            __m512 r6 = ROW2(p[3], p[7]), r7 = ROW2(p[3] >> 32, p[7] >> 32);
#undef ROW2
            __m512 t0 = _mm512_unpacklo_ps(r0, r1), t1 = _mm512_unpackhi_ps(r0, r1);
            __m512 t2 = _mm512_unpacklo_ps(r2, r3), t3 = _mm512_unpackhi_ps(r2, r3);
            __m512 t4 = _mm512_unpacklo_ps(r4, r5), t5 = _mm512_unpackhi_ps(r4, r5);
            __m512 t6 = _mm512_unpacklo_ps(r6, r7), t7 = _mm512_unpackhi_ps(r6, r7);
            __m512 s0 = _mm512_shuffle_ps(t0, t2, 0x44), s1 = _mm512_shuffle_ps(t0, t2, 0xEE);
            __m512 s2 = _mm512_shuffle_ps(t1, t3, 0x44), s3 = _mm512_shuffle_ps(t1, t3, 0xEE);
            __m512 s4 = _mm512_shuffle_ps(t4, t6, 0x44), s5 = _mm512_shuffle_ps(t4, t6, 0xEE);
            __m512 s6 = _mm512_shuffle_ps(t5, t7, 0x44), s7 = _mm512_shuffle_ps(t5, t7, 0xEE);
            h0 = _mm512_maskz_permutex2var_ps(alive, s1, lo4, s5);
            rk = _mm512_maskz_permutex2var_ps(alive, s3, lo4, s7);
            phi = _mm512_maskz_permutex2var_ps(alive, s0, hi4, s4);
            nlqf = _mm512_maskz_permutex2var_ps(alive, s1, hi4, s5);
            pbqf = _mm512_maskz_permutex2var_ps(alive, s2, hi4, s6);
            ebqf = _mm512_maskz_permutex2var_ps(alive, s3, hi4, s7);
        }
        __m512i v2 = v;
        __m512 m = f_one, g = f_conc;
        if (!fed) {   /* nutr_reserve_next, lane by lane */
            __m512 vf = _mm512_cvtepi32_ps(v);
            __m512 d = _mm512_mask_blend_ps(_mm512_cmpgt_epi32_mask(v, _mm512_sub_epi32(c_resone, c_one)),
                                            _mm512_sub_ps(f_one, _mm512_mul_ps(vf, f_inv)), f_zero);
            __m512 nv = _mm512_add_ps(vf, _mm512_mul_ps(rk, _mm512_add_ps(_mm512_sub_ps(q, f_one), _mm512_mul_ps(f_adapt, d))));
            nv = _mm512_mask_mov_ps(nv, qge1 & _mm512_cmp_ps_mask(nv, f_full, _CMP_GT_OQ), f_res1);
            nv = _mm512_mask_mov_ps(nv, _mm512_cmp_ps_mask(nv, f_zero, _CMP_LT_OQ), f_zero);
            nv = _mm512_mask_mov_ps(nv, _mm512_cmp_ps_mask(nv, f_res1, _CMP_GT_OQ), f_res1);
            __m512i nvi = _mm512_cvttps_epi32(_mm512_add_ps(nv, f_half));
            v2 = _mm512_mask_mov_epi32(v, (depleted | qlt1) & alive, nvi);
            /* mult and fec side by side: sixteen 8-byte loads, two shuffles */
            uint64_t mi[8];
            lane_pairs16(_mm512_srli_epi32(v2, MTAB_SHIFT), mi);
#define MF2(j) _mm_loadh_pi(_mm_castpd_ps(_mm_load_sd((const double *)mf[(uint32_t)mi[j]])), \
                           (const __m64 *)mf[mi[j] >> 32])
#define MF8(a, b, c, d) _mm512_insertf32x8(_mm512_castps256_ps512(_mm256_set_m128(MF2(b), MF2(a))), \
                                           _mm256_set_m128(MF2(d), MF2(c)), 1)
            __m512 A = MF8(0, 2, 4, 6), B = MF8(1, 3, 5, 7);
#undef MF8
#undef MF2
            m = _mm512_maskz_shuffle_ps(alive, A, B, 0x88);
            g = _mm512_maskz_shuffle_ps(alive, A, B, 0xDD);
            g = _mm512_mul_ps(g, away ? _mm512_mask_mov_ps(f_conc, away, f_one) : f_conc);
        }
        __m512 td = _mm512_loadu_ps(thr_d + i);
        __m512 th = _mm512_sub_ps(td, _mm512_mul_ps(h0, m));
        __mmask16 dead = _mm512_mask_cmp_ps_mask(alive, th, f_zero, _CMP_LE_OQ);
        __m512 f = _mm512_loadu_ps(thr_f + i);
        __mmask16 busy = _mm512_mask_cmp_ps_mask(alive, f, f_zero, _CMP_LT_OQ);
        __m512i busy_end = _mm512_sub_epi32(_mm512_cvttps_epi32(_mm512_xor_ps(f, f_sign)), c_one);
        __m512i born = _mm512_sub_epi32(busy_end, c_post);
        __mmask16 evt = busy & (_mm512_cmpeq_epi32_mask(c_week, born) | ~_mm512_cmpgt_epi32_mask(busy_end, c_week));
        __mmask16 special = dead | evt;
        if (special) {   /* those lanes go to plain_run, after simd_run's loop */
            if (special & 0xFF) ev[nev++] = k << 8 | (special & 0xFF);
            if (special >> 8) ev[nev++] = (k + 8) << 8 | special >> 8;
            alive &= ~special;
            home &= ~special;
            away &= ~special;
            busy &= ~special;
            v2 = _mm512_mask_mov_epi32(v, alive, v2);
        }
        _mm512_storeu_ps(thr_d + i, _mm512_mask_mov_ps(td, alive, th));
        if (!fed) _mm256_storeu_si256((__m256i *)(res + i), _mm512_cvtusepi32_epi16(v2));
        __mmask16 fecund = alive & ~busy;
        __m512 f2 = _mm512_sub_ps(f, _mm512_mul_ps(phi, g));
        __mmask16 conceive = _mm512_mask_cmp_ps_mask(fecund, f2, f_zero, _CMP_LE_OQ);
        f2 = _mm512_mask_mov_ps(f2, conceive, f_newbusy);
        _mm512_storeu_ps(thr_f + i, _mm512_mask_mov_ps(f, fecund, f2));
        n_preg += __builtin_popcount(conceive) + __builtin_popcount(_mm512_mask_cmpgt_epi32_mask(busy, born, c_week));
        n_alive += __builtin_popcount(alive);
        __m512i pbq = _mm512_maskz_mov_epi32(alive, _mm512_castps_si512(pbqf));
        a_exp = add64x16(a_exp, pbq);
        a_eb = add64x16(a_eb, _mm512_maskz_mov_epi32(alive, _mm512_castps_si512(ebqf)));
        __m512i nlq = _mm512_castps_si512(nlqf);
        __m512i hi = _mm512_maskz_srli_epi32(home, nlq, 24);
        __m512i lo = _mm512_maskz_and_epi32(home, nlq, c_need);
        if (away) {
            n_away += __builtin_popcount(away);
            a_exp_away = add64x16(a_exp_away, _mm512_maskz_mov_epi32(away, pbq));
            a_away_nq = add64x16(a_away_nq, _mm512_maskz_and_epi32(away, nlq, c_need));
            a_depl_away = add64x16(a_depl_away, _mm512_maskz_sub_epi32(away, c_resone, v2));
            hi = _mm512_mask_add_epi32(hi, away, hi, c_hiaway);
        }
        if (!fed) {
            __mmask16 below = _mm512_cmpgt_epi32_mask(c_resone, v2);
            hi = _mm512_mask_add_epi32(hi, home & below, hi, c_depl);
            a_depl = add64x16(a_depl, _mm512_maskz_sub_epi32(home, c_resone, v2));
            n_starv += __builtin_popcount(home & _mm512_cmpgt_epi32_mask(c_starv, v2));
            n_unset += __builtin_popcount(home & (depleted | qlt1));
        }
        _mm512_storeu_si512(lo_out + k, lo);
        _mm512_storeu_si512(hi_out + k, hi);
    }
    *nev_out = nev;
    o->alive0 += n_alive;
    o->unsettled += n_unset;
    o->n_away0 += n_away;
    o->n_away1 += n_away;
    o->pregnant += n_preg;
    o->starving += n_starv;
    o->exp_q += _mm512_reduce_add_epi64(a_exp);
    o->exp_away_q += _mm512_reduce_add_epi64(a_exp_away);
    o->exp_bq += _mm512_reduce_add_epi64(a_eb);
    o->depl_home += _mm512_reduce_add_epi64(a_depl);
    o->depl_away += _mm512_reduce_add_epi64(a_depl_away);
    o->away_nq += _mm512_reduce_add_epi64(a_away_nq);
    return k;
}

/* PERSON for eight persons at once (AVX2): the same operations in the same
   order on each lane.  A group whose persons all eat their full need at a
   full reserve at home skips the reserve and its tables; a group with an
   event goes to plain_run. */
AVX2 static __attribute__((noinline)) void simd_run(const Ctx *x, int k0, int k1, Sums *o)
{
    const Demog *D = x->D;
    const float *rowf = &x->tab->row[0][0].need;
    /* the city's table, as an offset in floats from the commune's: the two
       are one allocation (sim.c), so it is 0 or one AgeTab */
    const __m256i c_city = VI((int)(&x->city->row[0][0].need - rowf));
    enum { stride = 8 };   /* AgeRow (demog.h): need, h0, pb, rk, phi, nlq, pbq, ebq */
    _Static_assert(sizeof(AgeRow) == stride * sizeof(float) && offsetof(AgeRow, h0) == 4 && offsetof(AgeRow, rk) == 12 &&
                   offsetof(AgeRow, phi) == 16 && offsetof(AgeRow, nlq) == 20 && offsetof(AgeRow, pbq) == 24 &&
                   offsetof(AgeRow, ebq) == 28,
                   "the vector kernel reads AgeRow as eight 4-byte fields in this order");
    uint16_t *restrict bws = x->T->bws;
    uint16_t *restrict res = x->T->res;
    float *restrict thr_d = x->T->thr_d;
    float *restrict thr_f = x->T->thr_f;
    /* in locals: a vector store may alias anything, *x included */
    int32_t *restrict lo_out = x->lo, *restrict hi_out = x->hi, *restrict ev = x->ev;
    const float *restrict pq = x->pq;
    const size_t first = x->first;
    const __m256i zero = _mm256_setzero_si256(), c_alive = VI(BWS_ALIVE), c_away = VI(BWS_AWAY),
                  c_female = VI(BWS_FEMALE), c_bw = VI(BWS_WEEK), c_wkb = VI(x->wkb),
                  c_nage = VI(NAGE * stride), c_one = VI(1), c_resone = VI(RES_ONE), c_week = VI(x->week),
                  c_post = VI(x->post), c_starv = VI(STARVING), c_need = VI(NLQ_NEED), c_depl = VI(HI_DEPL),
                  c_hiaway = VI(HI_AWAY);
    const __m256 f_zero = _mm256_setzero_ps(), f_one = VF(1.0f), f_half = VF(0.5f), f_res1 = VF((float)RES_ONE),
                 f_inv = VF(1.0f / RES_ONE), f_full = VF(0.99f * RES_ONE), f_adapt = VF(x->adapt),
                 f_conc = VF(x->conc), f_sign = VF(-0.0f), f_awayq = VF(x->away_q),
                 f_newbusy = VF(-(float)(x->week + x->gest + x->post + 1));
    __m256i a_alive = zero, a_away = zero, a_preg = zero, a_starv = zero, a_unset = zero;
    __m256i a_exp = zero, a_exp_away = zero, a_eb = zero, a_depl = zero, a_depl_away = zero, a_away_nq = zero;
    int nev = 0, k = k0;
    if (x->S->simd >= SIMD_AVX512) k = simd16(x, k0, k1, &nev, o);   /* then the last group of eight, if any */
    for (; k + 8 <= k1; k += 8) {
        size_t i = first + (size_t)k;
        __m256i b = _mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)(bws + i)));
        __m256i alive = _mm256_cmpeq_epi32(VAND(b, c_alive), c_alive);
        if (_mm256_testz_si256(alive, alive)) {   /* all dead: they bring nothing */
            _mm256_storeu_si256((__m256i *)(lo_out + k), zero);
            _mm256_storeu_si256((__m256i *)(hi_out + k), zero);
            continue;
        }
        __m256i away = VAND(alive, _mm256_cmpeq_epi32(VAND(b, c_away), c_away));
        __m256i home = _mm256_andnot_si256(away, alive);
        int any_away = !_mm256_testz_si256(away, away);
        __m256 q = _mm256_loadu_ps(pq + k);
        if (any_away) q = _mm256_blendv_ps(q, f_awayq, VMASKF(away));
        __m256i v = _mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)(res + i)));
        __m256i depleted = VAND(alive, _mm256_cmpgt_epi32(c_resone, v));
        int fed = !any_away && _mm256_movemask_ps(_mm256_cmp_ps(q, f_one, _CMP_GE_OQ)) == 0xFF &&
                  _mm256_testz_si256(depleted, depleted);
        __m256i aw = _mm256_sub_epi32(c_wkb, VAND(b, c_bw));
        __m256i row = _mm256_add_epi32(VAND(_mm256_cmpeq_epi32(VAND(b, c_female), c_female), c_nage),
                                       _mm256_slli_epi32(age_index8(aw), 3));
        __m256 alivef = VMASKF(alive);
        /* the eight persons' AgeRows (the city's table for those living
           there), loaded whole and turned into one vector per field */
        __m256 c1, c3, c4, c5, c6, c7;
        {
            __m256i ix = VAND(row, alive);   /* the dead: row 0, masked below */
            if (any_away) ix = _mm256_add_epi32(ix, VAND(away, c_city));
            uint64_t p[4];
            lane_pairs(ix, p);
            __m256 r[8];   /* written out: a loop here keeps p and r in memory */
            r[0] = _mm256_loadu_ps(rowf + (int32_t)p[0]); r[1] = _mm256_loadu_ps(rowf + (int32_t)(p[0] >> 32));
            r[2] = _mm256_loadu_ps(rowf + (int32_t)p[1]); r[3] = _mm256_loadu_ps(rowf + (int32_t)(p[1] >> 32));
            r[4] = _mm256_loadu_ps(rowf + (int32_t)p[2]); r[5] = _mm256_loadu_ps(rowf + (int32_t)(p[2] >> 32));
            r[6] = _mm256_loadu_ps(rowf + (int32_t)p[3]); r[7] = _mm256_loadu_ps(rowf + (int32_t)(p[3] >> 32));
            __m256 t0 = _mm256_unpacklo_ps(r[0], r[1]), t1 = _mm256_unpackhi_ps(r[0], r[1]);
            __m256 t2 = _mm256_unpacklo_ps(r[2], r[3]), t3 = _mm256_unpackhi_ps(r[2], r[3]);
            __m256 t4 = _mm256_unpacklo_ps(r[4], r[5]), t5 = _mm256_unpackhi_ps(r[4], r[5]);
            __m256 t6 = _mm256_unpacklo_ps(r[6], r[7]), t7 = _mm256_unpackhi_ps(r[6], r[7]);
            __m256 s0 = _mm256_shuffle_ps(t0, t2, 0x44), s1 = _mm256_shuffle_ps(t0, t2, 0xEE);
            __m256 s2 = _mm256_shuffle_ps(t1, t3, 0x44), s3 = _mm256_shuffle_ps(t1, t3, 0xEE);
            __m256 s4 = _mm256_shuffle_ps(t4, t6, 0x44), s5 = _mm256_shuffle_ps(t4, t6, 0xEE);
            __m256 s6 = _mm256_shuffle_ps(t5, t7, 0x44), s7 = _mm256_shuffle_ps(t5, t7, 0xEE);
            c1 = _mm256_and_ps(_mm256_permute2f128_ps(s1, s5, 0x20), alivef);   /* h0 */
            c3 = _mm256_and_ps(_mm256_permute2f128_ps(s3, s7, 0x20), alivef);   /* rk */
            c4 = _mm256_and_ps(_mm256_permute2f128_ps(s0, s4, 0x31), alivef);   /* phi */
            c5 = _mm256_and_ps(_mm256_permute2f128_ps(s1, s5, 0x31), alivef);   /* nlq */
            c6 = _mm256_and_ps(_mm256_permute2f128_ps(s2, s6, 0x31), alivef);   /* pbq */
            c7 = _mm256_permute2f128_ps(s3, s7, 0x31);                           /* ebq (masked below) */
        }
        __m256 h0 = c1;
        __m256i v2 = v;
        __m256 m = f_one, g = f_conc;
        if (!fed) {   /* nutr_reserve_next, lane by lane */
            __m256 rk = c3;
            __m256 vf = _mm256_cvtepi32_ps(v);
            __m256 d = _mm256_blendv_ps(_mm256_sub_ps(f_one, _mm256_mul_ps(vf, f_inv)), f_zero,
                                        VMASKF(_mm256_cmpgt_epi32(v, _mm256_sub_epi32(c_resone, c_one))));
            __m256 nv = _mm256_add_ps(vf, _mm256_mul_ps(rk, _mm256_add_ps(_mm256_sub_ps(q, f_one), _mm256_mul_ps(f_adapt, d))));
            __m256 qge1 = _mm256_cmp_ps(q, f_one, _CMP_GE_OQ);
            nv = _mm256_blendv_ps(nv, f_res1, _mm256_and_ps(qge1, _mm256_cmp_ps(nv, f_full, _CMP_GT_OQ)));
            nv = _mm256_blendv_ps(nv, f_zero, _mm256_cmp_ps(nv, f_zero, _CMP_LT_OQ));
            nv = _mm256_blendv_ps(nv, f_res1, _mm256_cmp_ps(nv, f_res1, _CMP_GT_OQ));
            __m256i nvi = _mm256_cvttps_epi32(_mm256_add_ps(nv, f_half));
            __m256 upd = _mm256_or_ps(VMASKF(_mm256_cmpgt_epi32(c_resone, v)), _mm256_cmp_ps(q, f_one, _CMP_LT_OQ));
            v2 = VMASKI(_mm256_blendv_ps(VMASKF(v), VMASKF(nvi), _mm256_and_ps(upd, alivef)));
            /* mult and fec side by side: eight 8-byte loads, two shuffles */
            uint64_t mi[4];
            lane_pairs(_mm256_srli_epi32(v2, MTAB_SHIFT), mi);
            const float(*mf)[2] = D->mf;
#define MF2(j) _mm_loadh_pi(_mm_castpd_ps(_mm_load_sd((const double *)mf[(uint32_t)mi[j]])), \
                           (const __m64 *)mf[mi[j] >> 32])   /* written out, as above */
            __m256 A = _mm256_set_m128(MF2(2), MF2(0)), B = _mm256_set_m128(MF2(3), MF2(1));
#undef MF2
            m = _mm256_and_ps(_mm256_shuffle_ps(A, B, 0x88), alivef);
            g = _mm256_and_ps(_mm256_shuffle_ps(A, B, 0xDD), alivef);
            g = _mm256_mul_ps(g, any_away ? _mm256_blendv_ps(f_conc, f_one, VMASKF(away)) : f_conc);
        }
        __m256 td = _mm256_loadu_ps(thr_d + i);
        __m256 th = _mm256_sub_ps(td, _mm256_mul_ps(h0, m));
        __m256i dead = VAND(alive, VMASKI(_mm256_cmp_ps(th, f_zero, _CMP_LE_OQ)));
        __m256 f = _mm256_loadu_ps(thr_f + i);
        __m256i busy = VAND(alive, VMASKI(_mm256_cmp_ps(f, f_zero, _CMP_LT_OQ)));
        __m256i busy_end = _mm256_sub_epi32(_mm256_cvttps_epi32(_mm256_xor_ps(f, f_sign)), c_one);
        __m256i born = _mm256_sub_epi32(busy_end, c_post);
        __m256i evt = VAND(busy, _mm256_or_si256(_mm256_cmpeq_epi32(c_week, born),
                                                 _mm256_xor_si256(_mm256_cmpgt_epi32(busy_end, c_week), VI(-1))));
        __m256i special = _mm256_or_si256(dead, evt);
        int events = _mm256_movemask_ps(VMASKF(special));
        if (events) {   /* a death, a birth or fecundity again: those lanes go to plain_run, after the loop */
            ev[nev++] = k << 8 | events;
            alive = _mm256_andnot_si256(special, alive);
            home = _mm256_andnot_si256(special, home);
            away = _mm256_andnot_si256(special, away);
            busy = _mm256_andnot_si256(special, busy);
            alivef = VMASKF(alive);
            v2 = VMASKI(_mm256_blendv_ps(VMASKF(v), VMASKF(v2), alivef));
        }
        _mm256_storeu_ps(thr_d + i, _mm256_blendv_ps(td, th, alivef));
        if (!fed) {
            __m256i p = _mm256_permute4x64_epi64(_mm256_packus_epi32(v2, v2), 0x08);
            _mm_storeu_si128((__m128i *)(res + i), _mm256_castsi256_si128(p));
        }
        /* fertility: lanes alive and not busy */
        __m256 phi = c4;
        __m256i fecund = _mm256_andnot_si256(busy, alive);
        __m256 f2 = _mm256_sub_ps(f, _mm256_mul_ps(phi, g));
        __m256i conceive = VAND(fecund, VMASKI(_mm256_cmp_ps(f2, f_zero, _CMP_LE_OQ)));
        f2 = _mm256_blendv_ps(f2, f_newbusy, VMASKF(conceive));
        _mm256_storeu_ps(thr_f + i, _mm256_blendv_ps(f, f2, VMASKF(fecund)));
        a_preg = _mm256_sub_epi32(a_preg, conceive);
        a_preg = _mm256_sub_epi32(a_preg, VAND(busy, _mm256_cmpgt_epi32(born, c_week)));
        /* sums and what each brings to its household */
        a_alive = _mm256_sub_epi32(a_alive, alive);
        __m256i pbq = VAND(alive, VMASKI(c6));
        a_exp = add64(a_exp, pbq);
        a_eb = add64(a_eb, VAND(alive, VMASKI(c7)));
        __m256i nlq = VMASKI(c5);
        __m256i hi = _mm256_srli_epi32(VAND(nlq, home), 24);
        __m256i lo = VAND(VAND(nlq, c_need), home);
        if (any_away) {
            a_away = _mm256_sub_epi32(a_away, away);
            a_exp_away = add64(a_exp_away, VAND(pbq, away));
            a_away_nq = add64(a_away_nq, VAND(VAND(nlq, c_need), away));
            a_depl_away = add64(a_depl_away, VAND(away, _mm256_sub_epi32(c_resone, v2)));
            hi = _mm256_add_epi32(hi, VAND(away, c_hiaway));
        }
        if (!fed) {
            __m256i dep = VAND(home, _mm256_cmpgt_epi32(c_resone, v2));
            hi = _mm256_add_epi32(hi, VAND(dep, c_depl));
            a_depl = add64(a_depl, VAND(home, _mm256_sub_epi32(c_resone, v2)));
            a_starv = _mm256_sub_epi32(a_starv, VAND(home, _mm256_cmpgt_epi32(c_starv, v2)));
            /* a fed group has none: all at home, fed in full, at a full reserve */
            a_unset = _mm256_sub_epi32(a_unset, VAND(home, _mm256_or_si256(depleted, VMASKI(_mm256_cmp_ps(q, f_one, _CMP_LT_OQ)))));
        }
        _mm256_storeu_si256((__m256i *)(lo_out + k), lo);
        _mm256_storeu_si256((__m256i *)(hi_out + k), hi);
    }
    /* the lanes with an event, one by one, in slot order (births take pool
       slots in that order); then the slots after the last group of eight */
    if (nev || k < k1) plain_run(x, k, k1, ev, nev, o);   /* (a week without either is common in a small commune) */
    /* running sums of what each brings, sixteen or eight at a time */
    __m256i run_lo = zero, run_hi = zero;
    const __m256i last = VI(7);
    k = k0;
    if (x->S->simd >= SIMD_AVX512) k = prefix16(lo_out, hi_out, k0, k1, &run_lo, &run_hi);
    for (; k + 8 <= k1; k += 8) {
        __m256i lo = prefix8(_mm256_loadu_si256((const __m256i *)(lo_out + k)), run_lo);
        __m256i hi = prefix8(_mm256_loadu_si256((const __m256i *)(hi_out + k)), run_hi);
        _mm256_storeu_si256((__m256i *)(lo_out + k), lo);
        _mm256_storeu_si256((__m256i *)(hi_out + k), hi);
        run_lo = _mm256_permutevar8x32_epi32(lo, last);
        run_hi = _mm256_permutevar8x32_epi32(hi, last);
    }
    if (k < k1) running_sums(x, k, k1, (uint32_t)_mm256_extract_epi32(run_lo, 0), (uint32_t)_mm256_extract_epi32(run_hi, 0));
    int64_t n_away = hsum32(a_away);
    o->alive0 += hsum32(a_alive);
    o->unsettled += hsum32(a_unset);
    o->n_away0 += n_away;
    o->n_away1 += n_away;
    o->pregnant += hsum32(a_preg);
    o->starving += hsum32(a_starv);
    o->exp_q += hsum64(a_exp);
    o->exp_away_q += hsum64(a_exp_away);
    o->exp_bq += hsum64(a_eb);
    o->depl_home += hsum64(a_depl);
    o->depl_away += hsum64(a_depl_away);
    o->away_nq += hsum64(a_away_nq);
}
#endif

#ifdef LEAP_SIMD
/* founding_slots, eight slots a store */
AVX2 static int founding_slots8(const Scratch *W, int nhh, const uint8_t *size)
{
    /* in locals: a vector store may alias anything, W's fields included */
    float *restrict pq = W->pq;
    int32_t *restrict hstart = W->hstart;
    const float *restrict ratio = W->ratio;
    int k = 0;
    for (int h = 0; h < nhh; h++) {
        int n = size[h];
        float r = ratio[h];
        __m256 v = _mm256_set1_ps(r);
        hstart[h] = k;
        /* sixteen without a branch (households of nine or more are not
           rare); the next household overwrites the rest */
        _mm256_storeu_ps(pq + k, v);
        _mm256_storeu_ps(pq + k + 8, v);
        for (int j = 16; j < n; j++) pq[k + j] = r;
        k += n;
    }
    hstart[nhh] = k;
    return k;
}

/* pool_ratios, eight children a gather */
AVX2 static uint32_t pool_ratios8(const Scratch *W, int nf, const uint16_t *link, uint32_t n)
{
    float *restrict pq = W->pq + nf;   /* in locals: a vector store may alias anything */
    const float *restrict ratio = W->ratio;
    uint32_t j = 0;
    for (; j + 8 <= n; j += 8) {
        __m256i h = _mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)(link + j)));
        _mm256_storeu_ps(pq + j, _mm256_i32gather_ps(ratio, h, 4));
    }
    return j;
}
#endif

/* Each founding slot gets its household's ratio, and each household its
   first slot; returns the number of slots. */
static int founding_slots(const SimState *S, const Scratch *W, int nhh, const uint8_t *size)
{
#ifdef LEAP_SIMD
    if (S->simd) return founding_slots8(W, nhh, size);
#endif
    (void)S;
    int k = 0;
    for (int h = 0; h < nhh; h++) {
        float q = W->ratio[h];
        int n = size[h];
        W->hstart[h] = k;
        for (int j = 0; j < 8; j++) W->pq[k + j] = q;   /* eight at a time: the next household overwrites the rest */
        for (int j = 8; j < n; j++) W->pq[k + j] = q;
        k += n;
    }
    W->hstart[nhh] = k;
    return k;
}

/* Sums over households of their next week's need, hall need and labourers. */
typedef struct HhSums { int64_t need, hall, lab; } HhSums;

/* Households [h, nhh): need, labourers and flags from the running sums the
   kernel left (W->lo, W->hi at each household's last slot); pl, ph are the
   running sums before household h. */
static void households_plain(const Scratch *W, int h, int nhh, uint32_t pl, uint32_t ph, uint16_t *need, uint8_t *lab,
                             uint8_t *flags, HhSums *o)
{
    const uint32_t *lo = (const uint32_t *)W->lo, *hi = (const uint32_t *)W->hi;
    for (; h < nhh; h++) {
        int k = W->hstart[h + 1];
        uint32_t cl = k ? lo[k - 1] : 0, ch = k ? hi[k - 1] : 0, l = cl - pl, m = ch - ph;
        pl = cl;
        ph = ch;
        need[h] = (uint16_t)((l + NEED_Q / 2) / NEED_Q);   /* newborns of the week included */
        lab[h] = (uint8_t)(m & 0xFF);
        o->lab += m & 0xFF;
        o->need += need[h];
        o->hall += (flags[h] & HH_DINING) ? need[h] : 0;
        flags[h] = (uint8_t)((flags[h] & ~(HH_DEPLETED | HH_AWAY)) | (m & 0xFF * HI_DEPL ? HH_DEPLETED : 0) |
                             (m & 0xFF * HI_AWAY ? HH_AWAY : 0));
    }
}

#ifdef LEAP_SIMD
/* households_plain, eight households at once: returns how many it did (a
   multiple of eight) and leaves the running sums after them in *pl, *ph.
   Its lanes add needs (< 2^16 each) in 32 bits: the caller sends it
   communes of fewer than 2^18 households only. */
AVX2 static int households8(const Scratch *W, int nhh, uint16_t *need, uint8_t *lab, uint8_t *flags, HhSums *o,
                            uint32_t *pl, uint32_t *ph)
{
    const int *lo = (const int *)W->lo, *hi = (const int *)W->hi, *hstart = W->hstart;   /* in locals: see founding_slots8 */
    const __m256i zero = _mm256_setzero_si256(), up = _mm256_setr_epi32(7, 0, 1, 2, 3, 4, 5, 6), last = VI(7);
    const __m256i c_ff = VI(0xFF), c_depl = VI(0xFF * HI_DEPL), c_away = VI(0xFF * HI_AWAY), c_u16 = VI(0xFFFF);
    const __m256i c_dining = VI(HH_DINING), c_keep = VI(0xFF & ~(HH_DEPLETED | HH_AWAY));
    __m256i run_l = zero, run_h = zero, a_need = zero, a_hall = zero, a_lab = zero;
    int h = 0;
    for (; h + 8 <= nhh; h += 8) {
        __m256i k = _mm256_loadu_si256((const __m256i *)(hstart + h + 1));
        __m256i has = _mm256_cmpgt_epi32(k, zero), ix = _mm256_sub_epi32(k, VI(1));
        __m256i cl = _mm256_mask_i32gather_epi32(zero, lo, ix, has, 4);
        __m256i ch = _mm256_mask_i32gather_epi32(zero, hi, ix, has, 4);
        __m256i l = _mm256_sub_epi32(cl, _mm256_blend_epi32(_mm256_permutevar8x32_epi32(cl, up), run_l, 1));
        __m256i m = _mm256_sub_epi32(ch, _mm256_blend_epi32(_mm256_permutevar8x32_epi32(ch, up), run_h, 1));
        run_l = _mm256_permutevar8x32_epi32(cl, last);
        run_h = _mm256_permutevar8x32_epi32(ch, last);
        __m256i nd = VAND(_mm256_srli_epi32(_mm256_add_epi32(l, VI(NEED_Q / 2)), 6), c_u16);   /* / NEED_Q, as uint16 */
        __m256i lb = VAND(m, c_ff);
        __m256i f = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(flags + h)));
        a_need = _mm256_add_epi32(a_need, nd);
        a_lab = _mm256_add_epi32(a_lab, lb);
        a_hall = _mm256_add_epi32(a_hall, VAND(nd, _mm256_cmpeq_epi32(VAND(f, c_dining), c_dining)));
        __m256i dep = _mm256_xor_si256(_mm256_cmpeq_epi32(VAND(m, c_depl), zero), VI(-1));
        __m256i awy = _mm256_xor_si256(_mm256_cmpeq_epi32(VAND(m, c_away), zero), VI(-1));
        f = _mm256_or_si256(VAND(f, c_keep), _mm256_or_si256(VAND(dep, VI(HH_DEPLETED)), VAND(awy, VI(HH_AWAY))));
        __m128i n16 = _mm256_castsi256_si128(_mm256_permute4x64_epi64(_mm256_packus_epi32(nd, nd), 0x08));
        _mm_storeu_si128((__m128i *)(need + h), n16);
        __m256i lf = _mm256_permute4x64_epi64(_mm256_packus_epi32(lb, f), 0xD8);   /* lab, flags: 16 bits each */
        __m128i b8 = _mm_packus_epi16(_mm256_castsi256_si128(lf), _mm256_extracti128_si256(lf, 1));
        _mm_storel_epi64((__m128i *)(lab + h), b8);
        _mm_storel_epi64((__m128i *)(flags + h), _mm_srli_si128(b8, 8));
    }
    o->need += hsum32(a_need);
    o->hall += hsum32(a_hall);
    o->lab += hsum32(a_lab);
    *pl = (uint32_t)_mm256_extract_epi32(run_l, 0);
    *ph = (uint32_t)_mm256_extract_epi32(run_h, 0);
    return h;
}
#endif

/* Each household's need, labourers and flags for next week (see
   households_plain), adding to *o. */
static void households(const SimState *S, const Scratch *W, int nhh, uint16_t *need, uint8_t *lab, uint8_t *flags,
                       HhSums *o)
{
    int h = 0;
    uint32_t pl = 0, ph = 0;
#ifdef LEAP_SIMD
    if (S->simd && nhh < 1 << 18) h = households8(W, nhh, need, lab, flags, o, &pl, &ph);
#endif
    (void)S;
    households_plain(W, h, nhh, pl, ph, need, lab, flags, o);
}

/* Each child of the birth pool gets its household's ratio. */
static void pool_ratios(const SimState *S, const Scratch *W, int nf, const uint16_t *link, uint32_t n)
{
    uint32_t j = 0;
#ifdef LEAP_SIMD
    if (S->simd) j = pool_ratios8(W, nf, link, n);
#endif
    (void)S;
    for (; j < n; j++) W->pq[nf + j] = W->ratio[link[j]];
}

const char *nutr_kernel(const SimState *S)
{
#ifdef LEAP_SIMD
    if (S->simd == SIMD_AVX512) return "avx512";
    if (S->simd) return "avx2";
#endif
    (void)S;
    return "plain";
}

/* The kernel for slots [0, n) from x->first: the vectorised one unless the
   run asked for the plain one (both give the same bytes).  Leaves in lo, hi
   the running sums of what the persons bring (modulo 2^32: a household's
   is the difference across it). */
static void person_run(const Ctx *x, int n, Sums *o)
{
#ifdef LEAP_SIMD
    if (x->S->simd) {
        /* the last group of eight runs whole when the pool has room after
           its last child: those slots are empty (dead, bringing nothing),
           and this commune's own */
        uint32_t room = x->c->pool_cap - x->c->pool_used;
        if (x->S->simd >= SIMD_AVX512 && room >= 16) n = (n + 15) & ~15;
        else if (room >= 8) n = (n + 7) & ~7;
        simd_run(x, 0, n, o);
        return;
    }
#endif
    plain_run(x, 0, n, NULL, 0, o);
    running_sums(x, 0, n, 0, 0);
}

void nutr_commune(SimState *S, int ci, const Scratch *W)
{
    const Params *P = S->P;
    Commune *c = &S->comm[ci];
    Province *pv = &S->prov[c->province];
    Ctx x;
    x.S = S; x.c = c; x.D = S->D; x.T = &S->pp;
    x.tab = pv->tab[c->urban]; x.city = pv->tab[1];
    x.week = S->week; x.wkb = S->week + BW_OFFSET;
    x.gest = P->gestation; x.post = P->postpartum;
    x.inherit = (float)P->newborn_inherit;
    x.reg_birth = (float)P->reg_birth;
    x.reg_div = (float)(1 + P->reg_famine_drop * fmax(0, pv->death_ratio - 1));
    x.adapt = (float)P->adaptation;
    x.away_q = W->away_ratio;
    x.conc = lab_conception(S, c);
    x.seed = S->seed;
    x.cid = c->id;
    x.urban = c->urban;
    x.first = (size_t)c->first;
    x.pq = W->pq; x.hstart = W->hstart; x.lo = W->lo; x.hi = W->hi; x.ev = W->ev;
    x.ratio = W->ratio;
    Sums o;
    memset(&o, 0, sizeof o);
    uint32_t n0 = c->pool_used;   /* this week's newborns wait for next week */
    uint16_t *need = S->hh.need + c->hh0;
    uint8_t *lab = S->hh.labour + c->hh0, *flags = S->hh.flags + c->hh0;
    const uint8_t *size = S->hh.size + c->hh0;
    /* the founding members, then the children born during the run (the
       birth pool, right after them: slots before this week's births), in
       one run of the kernel */
    const uint16_t *link = S->link + c->link0;
    int nf = founding_slots(S, W, c->nhh, size);
    pool_ratios(S, W, nf, link, n0);
    for (int j = 0; j < 16; j++) W->pq[nf + (int)n0 + j] = 1;   /* empty slots a whole group may cover: fed */
    x.nf = nf;
    x.link = link;
    person_run(&x, nf + (int)n0, &o);
    /* next week's needs, labourers and flags from what each member brings:
       running sums (modulo 2^32), then each household's difference */
    HhSums hs = {0, 0, 0};
    households(S, W, c->nhh, need, lab, flags, &hs);
    int64_t need_sum = hs.need, hall_sum = hs.hall;
    o.labourers += hs.lab;
    /* what each child brings joins its household's */
    const uint32_t *lo = (const uint32_t *)W->lo + nf, *hi = (const uint32_t *)W->hi + nf;
    for (uint32_t j = 0; j < n0; j++) {
        uint32_t l = lo[j] - (j || nf ? lo[(int)j - 1] : 0), m = hi[j] - (j || nf ? hi[(int)j - 1] : 0);
        int h = link[j], e = need[h] + (int)((l + NEED_Q / 2) / NEED_Q);
        e = e < 65535 ? e : 65535;
        need_sum += e - need[h];
        hall_sum += (flags[h] & HH_DINING) ? e - need[h] : 0;
        need[h] = (uint16_t)e;
        lab[h] = (uint8_t)(lab[h] + (m & 0xFF));
        o.labourers += m & 0xFF;
        if (m & 0xFF * HI_AWAY) flags[h] |= HH_AWAY;   /* a newborn's own reserve decides its path each week */
    }
    c->away_need = (float)((double)o.away_nq / NEED_Q);
    c->need_sum = need_sum;
    c->hall_need_sum = hall_sum;
    c->lab_sum = o.labourers;
    int64_t alive1 = o.alive0 - o.deaths, home1 = alive1 - o.n_away1;
    int urban_c = c->urban;
    Tally *t = &S->acc[ci];
    t->pop_end += alive1 + o.births;
    t->urban_end += (urban_c ? alive1 : o.n_away1) + o.births_urban;
    t->py += (double)o.alive0 / S->weeks_per_year;
    t->py_urban += (double)(urban_c ? o.alive0 : o.n_away0) / S->weeks_per_year;
    t->births += o.births; t->reg_births += o.reg_births;
    t->deaths += o.deaths; t->deaths_urban += o.deaths_urban;
    t->reg_deaths += o.reg_deaths; t->reg_deaths_urban += o.reg_deaths_urban;
    for (int g = 0; g < NAG; g++) t->deaths_age[g] += o.deaths_age[g];
    double exp_d = (double)o.exp_q / PB_Q;
    t->exp_deaths += exp_d; t->exp_deaths_urban += urban_c ? exp_d : (double)o.exp_away_q / PB_Q;
    t->exp_births += (double)o.exp_bq / PB_Q;
    t->settled += o.alive0 - o.n_away0 - o.unsettled;
    /* mean reserves: persons alive at the end of the week, by where they live */
    double rh = (double)home1 - (double)o.depl_home / RES_ONE, ra = (double)o.n_away1 - (double)o.depl_away / RES_ONE;
    if (urban_c) { t->reserve_urban += rh + ra; t->n_urban += (double)alive1; }
    else {
        t->reserve_rural += rh; t->n_rural += (double)home1;
        t->reserve_urban += ra; t->n_urban += (double)o.n_away1;
    }
    c->pregnant = (int32_t)o.pregnant;
    c->persons = (int32_t)home1;
    c->away = (int32_t)o.n_away1;
    c->labourers = (int32_t)o.labourers;
    c->starving = (int32_t)o.starving;
    c->reserve_mean = home1 > 0 ? (float)(rh / (double)home1) : 1.0f;
}
