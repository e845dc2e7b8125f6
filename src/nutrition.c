/* nutrition.c -- see nutrition.h. */
#include "nutrition.h"
#include "labour.h"
#include "rng.h"
#include <math.h>
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
    float ns, ns_city, adapt, away_q;   /* need scales, adaptation, intake ratio of members away */
    float conc;           /* conception factor of women at home: couples apart on campaigns (labour.c) */
    uint32_t seed, cid;
    int urban;            /* the commune is a city unit */
} Ctx;

/* Sums over a run of households; each kernel keeps its own in registers
   and adds them here once. */
typedef struct Sums {
    int64_t alive0, n_away0, n_away1, births, births_urban, deaths, deaths_urban;
    int64_t reg_births, reg_deaths, reg_deaths_urban, deaths_age[NAG];
    int64_t depl_home, depl_away, labourers, starving;
    int32_t pregnant;
    double exp_d, exp_away, lost;
    double away_next;     /* next week's need of members living in cities, kcal/day */
} Sums;

/* A child is born to a woman (bws b, reserve v) of household h: returns its
   need (kcal/day) and sets *reg if the birth is registered. */
static __attribute__((noinline)) float birth(const Ctx *x, uint16_t mother_b, uint16_t mother_res, int h, int *reg)
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
    return x->D->row[female][0].need;
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
   or fecundity again.  Returns the newborn's need (kcal/day, 0 if none);
   *reg: the birth is registered; *preg: still pregnant after the week. */
static __attribute__((noinline)) float busy_week(const Ctx *x, float *thr_f, uint64_t id, uint16_t b, uint16_t v,
                                                 int h, int *reg, int *preg)
{
    int busy = (int)(-*thr_f) - 1, born = busy - x->post;
    *preg = x->week < born;
    *reg = 0;
    if (x->week == born) return birth(x, b, v, h, reg);
    if (x->week >= busy) *thr_f = fresh_threshold(x, id);
    return 0;
}

/*
** The person kernels.  A week of the person in slot i is written once, as
** the macro PERSON (the general case), and once as PERSON_FED (a member of
** a household that eats its full need and whose members at home all have
** full reserves: nothing can deplete them, the multipliers are 1, so the
** reserve is neither read nor written).  Each runs inside its own function
** over a run of households, so its sums stay in registers; rare events
** (death, birth, the end of a postpartum spell) call out-of-line functions
** that never see the sums.  A fed person costs ~20 instructions.
*/

/* Locals every kernel function declares (see fed_run). */
#define KERNEL_LOCALS                                                                        \
    const Demog *D = x->D;                                                                   \
    const uint8_t *age_ix = D->age_ix, *labour = D->labour;                                  \
    const float *mult = D->mult, *fec = D->fec;                                              \
    const AgeTab *tab = x->tab, *city = x->city;                                             \
    uint16_t *restrict bws = x->T->bws;                                                      \
    uint16_t *restrict res = x->T->res;                                                      \
    float *restrict thr_d = x->T->thr_d;                                                     \
    float *restrict thr_f = x->T->thr_f;                                                     \
    const int urban_c = x->urban, wkb = x->wkb, week = x->week, busy_len = x->gest + x->post + 1; \
    const float ns = x->ns, ns_city = x->ns_city, adapt = x->adapt, away_q = x->away_q;      \
    const float conc = x->conc;                                                              \
    int64_t alive0 = 0, births = 0, births_urban = 0, deaths = 0, deaths_urban = 0;          \
    int64_t reg_births = 0, reg_deaths = 0, reg_deaths_urban = 0, n_away0 = 0, n_away1 = 0;  \
    int64_t depl_home = 0, depl_away = 0, labourers = 0, starving = 0;                       \
    int32_t pregnant = 0;                                                                    \
    float exp_d = 0, exp_away = 0, lost = 0, away_next = 0;                                  \
    double exp_d_t = 0, exp_away_t = 0, lost_t = 0;                                          \
    (void)mult; (void)fec; (void)city; (void)res; (void)adapt; (void)away_q; (void)ns_city; (void)conc

/* Floats are flushed to doubles every few households to keep precision. */
#define FLUSH() do { exp_d_t += exp_d; exp_away_t += exp_away; lost_t += lost; exp_d = exp_away = lost = 0; } while (0)

#define KERNEL_OUT(o)                                                                        \
    do {                                                                                     \
        FLUSH();                                                                             \
        o->alive0 += alive0; o->births += births; o->births_urban += births_urban;           \
        o->deaths += deaths; o->deaths_urban += deaths_urban; o->reg_births += reg_births;   \
        o->reg_deaths += reg_deaths; o->reg_deaths_urban += reg_deaths_urban;                \
        o->n_away0 += n_away0; o->n_away1 += n_away1; o->depl_home += depl_home;             \
        o->depl_away += depl_away; o->pregnant += pregnant; o->exp_d += exp_d_t;             \
        o->exp_away += exp_away_t; o->lost += lost_t; o->away_next += away_next;             \
        o->labourers += labourers; o->starving += starving;                                  \
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
#define FERTILITY(i, ID, b, v, h, g, away, urb)                                              \
    do {                                                                                     \
        float f_ = thr_f[i];                                                                 \
        if (f_ < 0) {                                                                        \
            int reg_, preg_;                                                                 \
            float nb_ = busy_week(x, &thr_f[i], (ID), (b), (v), (h), &reg_, &preg_);         \
            pregnant += preg_;                                                               \
            if (nb_ > 0) {                                                                   \
                births++;                                                                    \
                reg_births += reg_;                                                          \
                births_urban += (urb);                                                       \
                if (away) away_next += nb_ * ns_city;                                        \
                else e_next += nb_ * ns;                                                     \
            }                                                                                \
        } else {                                                                             \
            lost += R_->phi * (1 - (g));                                                     \
            f_ -= R_->phi * (g);                                                             \
            if (f_ <= 0) { f_ = -(float)(week + busy_len); pregnant++; }                     \
            thr_f[i] = f_;                                                                   \
        }                                                                                    \
    } while (0)

#define PERSON(i, q, h, ID)                                                                  \
    do {                                                                                     \
        uint16_t b_ = bws[i];                                                                \
        if (!(b_ & BWS_ALIVE)) break;                                                        \
        alive0++;                                                                            \
        int ix_ = age_ix[wkb - (int)(b_ & BWS_WEEK)];                                        \
        int away_ = (b_ & BWS_AWAY) != 0, urb_ = urban_c | away_;                            \
        const AgeRow *R_ = away_ ? &city->row[(b_ >> 13) & 1][ix_] : &tab->row[(b_ >> 13) & 1][ix_]; \
        float q_ = away_ ? away_q : (q);                                                     \
        uint16_t v_ = res[i];                                                                \
        if (v_ < RES_ONE || q_ < 1.0f) {   /* else fed and full: nothing moves */            \
            v_ = nutr_reserve_next(v_, q_, R_->rk, adapt);                                   \
            res[i] = v_;                                                                     \
        }                                                                                    \
        exp_d += R_->pb;                                                                     \
        float th_ = thr_d[i] - R_->h0 * mult[v_ >> MTAB_SHIFT];                              \
        if (away_) { n_away0++; exp_away += R_->pb; hh_away = 1; }                           \
        if (th_ <= 0) { DEATH(i, ID, ix_, urb_); break; }                                    \
        thr_d[i] = th_;                                                                      \
        if (away_) {                                                                         \
            n_away1++;                                                                       \
            away_next += R_->need;                                                           \
            depl_away += RES_ONE - v_;                                                       \
        } else {                                                                             \
            e_next += R_->need;                                                              \
            l_next += labour[ix_];                                                           \
            depl_home += RES_ONE - v_;                                                       \
            hh_depl |= v_ < RES_ONE;                                                         \
            starving += v_ < (int)(0.6 * RES_ONE);                                           \
        }                                                                                    \
        FERTILITY(i, ID, b_, v_, h, fec[v_ >> MTAB_SHIFT] * (away_ ? 1.0f : conc), away_, urb_); \
    } while (0)

#define PERSON_FED(i, h, ID)                                                                 \
    do {                                                                                     \
        uint16_t b_ = bws[i];                                                                \
        if (!(b_ & BWS_ALIVE)) break;                                                        \
        alive0++;                                                                            \
        int ix_ = age_ix[wkb - (int)(b_ & BWS_WEEK)];                                        \
        const AgeRow *R_ = &tab->row[(b_ >> 13) & 1][ix_];                                   \
        exp_d += R_->pb;                                                                     \
        float th_ = thr_d[i] - R_->h0;                                                       \
        if (th_ <= 0) { DEATH(i, ID, ix_, urban_c); break; }                                 \
        thr_d[i] = th_;                                                                      \
        e_next += R_->need;                                                                  \
        l_next += labour[ix_];                                                               \
        FERTILITY(i, ID, b_, RES_ONE, h, conc, 0, urban_c);                                  \
    } while (0)

/* Households [h0, h1) that eat their full need, none depleted, none with a
   member living in a city; their founding slots start at i. */
static __attribute__((noinline)) void fed_run(const Ctx *x, int h0, int h1, size_t i, Sums *o)
{
    KERNEL_LOCALS;
    uint16_t *need = x->S->hh.need + x->c->hh0;
    uint8_t *lab = x->S->hh.labour + x->c->hh0;
    const uint8_t *size = x->S->hh.size + x->c->hh0;
    for (int h = h0; h < h1; h++) {
        float e_next = 0;
        int l_next = 0;
        for (int j = 0, n = size[h]; j < n; j++, i++) PERSON_FED(i, h, pop_id_member(x->cid, (uint32_t)h, (uint32_t)j));
        need[h] = (uint16_t)(e_next + 0.5f);   /* next week's; newborns of the week included */
        lab[h] = (uint8_t)l_next;
        labourers += l_next;
        if ((h & 15) == 15) FLUSH();
    }
    KERNEL_OUT(o);
}

/* Any households [h0, h1); their founding slots start at i. */
static __attribute__((noinline)) void general_run(const Ctx *x, const Scratch *W, int h0, int h1, size_t i, Sums *o)
{
    KERNEL_LOCALS;
    uint16_t *need = x->S->hh.need + x->c->hh0;
    uint8_t *lab = x->S->hh.labour + x->c->hh0, *flags = x->S->hh.flags + x->c->hh0;
    const uint8_t *size = x->S->hh.size + x->c->hh0;
    for (int h = h0; h < h1; h++) {
        float e_next = 0, q = W->ratio[h];
        int l_next = 0, hh_depl = 0, hh_away = 0;
        for (int j = 0, n = size[h]; j < n; j++, i++) PERSON(i, q, h, pop_id_member(x->cid, (uint32_t)h, (uint32_t)j));
        flags[h] = (uint8_t)((flags[h] & ~(HH_DEPLETED | HH_AWAY)) | (hh_depl ? HH_DEPLETED : 0) | (hh_away ? HH_AWAY : 0));
        need[h] = (uint16_t)(e_next + 0.5f);
        lab[h] = (uint8_t)l_next;
        labourers += l_next;
        if ((h & 15) == 15) FLUSH();
    }
    KERNEL_OUT(o);
}

/* The children born during the run (the birth pool, slots before this
   week's births): their needs join their households'. */
static __attribute__((noinline)) void pool_run(const Ctx *x, const Scratch *W, uint32_t n0, Sums *o)
{
    KERNEL_LOCALS;
    const Commune *c = x->c;
    uint16_t *need = x->S->hh.need + c->hh0;
    uint8_t *lab = x->S->hh.labour + c->hh0, *flags = x->S->hh.flags + c->hh0;
    for (uint32_t k = 0; k < n0; k++) {
        int h = x->S->link[c->link0 + k], l_next = 0, hh_depl = 0, hh_away = 0;
        size_t i = (size_t)c->pool_start + k;
        float e_next = need[h], q = W->ratio[h];
        PERSON(i, q, h, pop_id_newborn(x->cid, k));
        need[h] = (uint16_t)(e_next < 65535 ? e_next + 0.5f : 65535);
        lab[h] = (uint8_t)(lab[h] + l_next);
        labourers += l_next;
        if (hh_away) flags[h] |= HH_AWAY;
        (void)hh_depl;   /* a newborn's own reserve decides its path each week */
        if ((k & 63) == 63) FLUSH();
    }
    KERNEL_OUT(o);
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
    x.ns = (float)(c->urban ? P->need_scale_urban : P->need_scale_rural);
    x.ns_city = (float)P->need_scale_urban;
    x.adapt = (float)P->adaptation;
    x.away_q = W->away_ratio;
    x.conc = lab_conception(S, c);
    x.seed = S->seed;
    x.cid = c->id;
    x.urban = c->urban;
    Sums o;
    memset(&o, 0, sizeof o);
    uint32_t n0 = c->pool_used;   /* this week's newborns wait for next week */
    const uint8_t *flags = S->hh.flags + c->hh0, *size = S->hh.size + c->hh0;
    size_t i = (size_t)c->first;
    for (int h = 0; h < c->nhh;) {   /* runs of fed households, runs of the others */
        int fed = W->ratio[h] >= 1.0f && !(flags[h] & (HH_DEPLETED | HH_AWAY)), h1 = h;
        size_t i1 = i;
        while (h1 < c->nhh && (W->ratio[h1] >= 1.0f && !(flags[h1] & (HH_DEPLETED | HH_AWAY))) == fed)
            i1 += size[h1++];
        if (fed) fed_run(&x, h, h1, i, &o);
        else general_run(&x, W, h, h1, i, &o);
        h = h1;
        i = i1;
    }
    pool_run(&x, W, n0, &o);
    c->away_need = (float)o.away_next;
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
    t->exp_deaths += o.exp_d; t->exp_deaths_urban += urban_c ? o.exp_d : o.exp_away;
    t->lost_conc += o.lost;
    /* mean reserves: persons alive at the end of the week, by where they live */
    double rh = (double)home1 - (double)o.depl_home / RES_ONE, ra = (double)o.n_away1 - (double)o.depl_away / RES_ONE;
    if (urban_c) { t->reserve_urban += rh + ra; t->n_urban += (double)alive1; }
    else {
        t->reserve_rural += rh; t->n_rural += (double)home1;
        t->reserve_urban += ra; t->n_urban += (double)o.n_away1;
    }
    c->pregnant = o.pregnant;
    c->persons = (int32_t)home1;
    c->away = (int32_t)o.n_away1;
    c->labourers = (int32_t)o.labourers;
    c->starving = (int32_t)o.starving;
    c->reserve_mean = home1 > 0 ? (float)(rh / (double)home1) : 1.0f;
}
