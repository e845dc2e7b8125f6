/* test_mechanisms.c -- each mechanism's rule, checked on the rule itself or
   on small runs of history (every mechanism on) where it can only be seen
   in the whole model.  Runs are tiny (scale 0.0003: ~190,000 people, ~2,000
   communes); the checks are invariants that hold for every commune and week,
   not statistics, so the size does not make them flaky. */
#include "test_util.h"
#include <math.h>
#include "agriculture.h"
#include "agronomy.h"
#include "dining.h"
#include "food.h"
#include "incentives.h"
#include "labour.h"
#include "politics.h"
#include "procurement.h"
#include "reporting.h"
#include "rng.h"
#include "sim.h"
#include "simd.h"
#include "targets.h"

#define SCALE 0.0003

static SimState *make(Params *P)
{
    SimState *S = NULL;
    LeapErr e = {0};
    RunOpts o = {SCALE, (uint32_t)P->seed, 2, TEST_DATA, 0, 0};
    int rc = sim_new(&S, P, &o, &e);
    if (rc) print_message("sim_new: %s\n", e.msg);
    assert_int_equal(rc, LEAP_OK);
    return S;
}

static void step(SimState *S)
{
    LeapErr e = {0};
    int rc = sim_step(S, &e);
    if (rc) print_message("%s\n", e.msg);
    assert_int_equal(rc, LEAP_OK);
}

/* ---- reporting ----------------------------------------------------------------- */

/* With P = 0, no target gap, no peers and no perceived crisis a cadre
   reports the truth times the calm margin; each pressure raises the report;
   news of deaths lowers it, never below the calm margin; the cap holds. */
static void reporting_rule(void **st)
{
    (void)st;
    Params P;
    params_default(&P);
    double calm = log(P.rep_calm), Y = 1000;
    assert_float_equal(rep_log_m(&P, 0, Y, Y, 0, 1), calm, 1e-12);
    assert_float_equal(rep_log_m(&P, 0, 3 * Y, Y, 0, 1), calm, 1e-12);   /* a gap matters only with P > 0 */
    double climate = rep_log_m(&P, 0.8, Y, Y, 0, 1);
    assert_true(climate > calm);
    assert_true(rep_log_m(&P, 0.8, 2 * Y, Y, 0, 1) > climate);           /* target gap */
    assert_true(rep_log_m(&P, 0.8, Y, Y, 0.5, 1) > climate);             /* neighbours' claims */
    double news = rep_log_m(&P, 0.8, Y, Y, 0, 1.5);
    assert_true(news < climate);                                          /* detection risk */
    assert_true(rep_log_m(&P, 0.8, Y, Y, 0, 50) >= calm - 1e-12);        /* never below the calm margin */
    assert_true(rep_log_m(&P, 1.5, 100 * Y, Y, 5, 1) <= log(P.rep_max) + 1e-12);
}

/* ---- targets --------------------------------------------------------------------- */

/* With a calm climate (P = 0) a commune's target is its 1957 share of the
   national target; in the radical climate of 1959 the three ledgers lift
   every commune's target above its share.  After the 6th Plenum the Centre
   never raises a target above the last input row. */
static void targets_rule(void **st)
{
    (void)st;
    for (int calm = 1; calm >= 0; calm--) {
        Params P;
        params_default(&P);
        P.end_date = 19590331;
        if (calm) { P.pol_on = 0; P.pol_calm = 0; }
        SimState *S = make(&P);
        while (S->week < S->nweeks) step(S);
        double sum_t = 0, sum_0 = 0;
        int above = 0, n = 0;
        double share = S->centre.grain_target[2] / S->H->grain_output[1957 - DATA_FIRST_YEAR];
        for (int i = 0; i < S->ncomm; i++) {
            const Commune *c = &S->comm[i];
            if (c->urban || c->output0 <= 0) continue;
            sum_t += c->target;
            sum_0 += c->output0;
            above += c->target > c->output0 * share * (1 + 1e-9);
            n++;
        }
        if (calm) {
            assert_float_equal(sum_t / sum_0, share, 1e-9 * share);
            assert_int_equal(above, 0);
        } else {
            assert_int_equal(above, n);
            /* 1959's grain target as of 31 Mar 1959: never above the last input set by 10 Dec 1958 */
            double input = -1;
            for (int k = 0; k < S->H->ntargets; k++) {
                const TargetRow *r = &S->H->target[k];
                if (r->year == 1959 && !r->steel && r->date <= P.t_targets_in) input = r->value;
            }
            assert_true(input > 0);
            assert_true(S->centre.grain_target[2] <= input + 1e-9);
        }
        sim_free(S);
    }
}

/* ---- procurement ------------------------------------------------------------------- */

/* Keeping each commune's tally after the week (tests read it; sim_step then
   clears the tallies before the next week) or clearing it as tally_week
   reads it gives the same national and provincial sums, week by week,
   through the Leap's first year and a half (halls, furnaces, procurement);
   and the walk notes exactly when a commune's birth pool is short. */
static void tallies_kept_or_cleared(void **st)
{
    (void)st;
    Params P;
    params_default(&P);
    P.end_date = 19590630;
    SimState *A = make(&P), *B = make(&P);
    B->keep_tallies = 1;
    int harvested = 0;
    while (A->week < A->nweeks) {
        step(A);
        step(B);
        assert_memory_equal(&A->nat_week, &B->nat_week, sizeof A->nat_week);
        for (int p = 0; p < A->nprov; p++) assert_memory_equal(&A->prov[p].week, &B->prov[p].week, sizeof A->prov[p].week);
        harvested += A->nat_week.harvest > 0 && A->nat_week.procured > 0;
        assert_int_equal(A->max_slots, B->max_slots);
        /* tally_week's note that a birth pool is short, against a walk over every commune */
        int short_of = 0;
        for (int i = 0; i < A->ncomm; i++)
            short_of |= A->comm[i].pool_cap - A->comm[i].pool_used < (uint32_t)A->comm[i].pregnant;
        assert_int_equal(A->pools_short, short_of);
    }
    assert_true(harvested > 10);   /* the sums compared were not all zero */
    assert_true(A->relayouts > 0);   /* pools did run short and were enlarged */
    sim_free(A);
    sim_free(B);
}

/* Flexible procurement never takes, by quotas and levies, more than its
   share of a commune's true harvest (checked from the weekly tallies,
   independently of the rule's own counters; voluntary surplus sales are
   not compulsory).  The inflexible rule of history does take more from some
   communes in 1959 -- otherwise this test could not tell them apart. */
static void flexible_procurement(void **st)
{
    (void)st;
    for (int flex = 1; flex >= 0; flex--) {
        Params P;
        params_default(&P);
        P.end_date = 19601231;
        P.proc_flex = flex;
        SimState *S = make(&P);
        S->keep_tallies = 1;   /* each commune's tally, read after the week */
        double *harv = calloc((size_t)S->ncomm, sizeof *harv), *took = calloc((size_t)S->ncomm, sizeof *took);
        int over = 0;
        while (S->week < S->nweeks) {
            step(S);
            for (int i = 0; i < S->ncomm; i++) {
                harv[i] += (double)S->acc[i].harvest;
                took[i] += (double)(S->acc[i].procured - S->acc[i].purchased);
                if (flex) assert_true(took[i] <= P.proc_flex_share * harv[i] + 1.0);
                else over += took[i] > P.proc_flex_share * harv[i] * 1.05;
            }
        }
        if (!flex) assert_true(over > 0);
        free(harv);
        free(took);
        sim_free(S);
    }
}

/* The state's granary pays in order: the first wants in full, then what
   is left, then nothing; a want <= 0 gets nothing and takes nothing. */
static void take_in_order(void **st)
{
    (void)st;
    int64_t stock = 100, want[5] = {40, -5, 50, 30, 20};
    proc_take_in_order(&stock, want, 5);
    assert_int_equal(want[0], 40);
    assert_int_equal(want[1], 0);
    assert_int_equal(want[2], 50);
    assert_int_equal(want[3], 10);
    assert_int_equal(want[4], 0);
    assert_int_equal(stock, 0);
    int64_t plenty = 1000, w2[2] = {7, 8};
    proc_take_in_order(&plenty, w2, 2);
    assert_int_equal(w2[0] + w2[1], 15);
    assert_int_equal(plenty, 985);
}

/* The quota's weight is the claimed surplus over the retention norm:
   nothing at or below the norm, and progressive above it -- the share of
   its claim a commune gives rises with its claim per head. */
static void procurement_progressive(void **st)
{
    (void)st;
    Params P;
    params_default(&P);
    double norm = P.proc_norm * GU_PER_KG, n = 100;
    assert_float_equal(proc_weight(&P, 0.9 * norm * n, n), 0.0, 1e-12);
    assert_float_equal(proc_weight(&P, norm * n, n), 0.0, 1e-12);
    assert_float_equal(proc_weight(&P, 1.5 * norm * n, n), 0.5 * norm * n, 1e-6);
    double poor = 1.2 * norm * n, rich = 2.0 * norm * n;
    assert_true(proc_weight(&P, rich, n) / rich > proc_weight(&P, poor, n) / poor);
}

/* ---- furnaces, dining, labour, agronomy, incentives, weather ------------------------- */

typedef struct Seen {
    double furnace_labour, iron, water_labour;
    int no_wok, dining, hall_grain;
    int bad_shares;
    double area_min, area_max;
    int weather_not_one;
} Seen;

static Seen watch(Params *P)
{
    Seen s = {0};
    s.area_min = 1e9;
    SimState *S = make(P);
    while (S->week < S->nweeks) {
        step(S);
        s.furnace_labour += S->nat_week.labour_furnace;
        s.water_labour += S->nat_week.labour_water;
        s.iron += S->nat_week.iron_native;
        for (int i = 0; i < S->ncomm; i++) {
            const Commune *c = &S->comm[i];
            s.hall_grain += c->hall_stock != 0;
            double sum = c->farm_share + c->water_share + c->furnace_share + c->plough_share;
            s.bad_shares += c->farm_share < 0 || c->water_share < 0 || c->furnace_share < 0 ||
                            c->plough_share < 0 || sum > 1 + 1e-5;
            if (!c->urban) {
                if (c->area < s.area_min) s.area_min = c->area;
                if (c->area > s.area_max) s.area_max = c->area;
            }
        }
        for (int i = 0; i < S->ncomm; i++)
            for (int64_t h = S->comm[i].hh0; h < S->comm[i].hh0 + S->comm[i].nhh; h++) {
                s.no_wok += (S->hh.flags[h] & HH_NO_WOK) != 0;
                s.dining += (S->hh.flags[h] & HH_DINING) != 0;
            }
        for (int p = 0; p < S->nprov; p++) s.weather_not_one += S->prov[p].weather != 1.0;
    }
    sim_free(S);
    return s;
}

/* Furnaces off: no furnace labour, no native iron, every wok kept.  On: all
   three appear in the campaign of autumn 1958. */
static void furnaces_switch(void **st)
{
    (void)st;
    Params P;
    params_default(&P);
    P.end_date = 19581231;
    Seen on = watch(&P);
    P.furn_on = 0;
    Seen off = watch(&P);
    assert_true(on.furnace_labour > 0 && on.iron > 0 && on.no_wok > 0);
    assert_true(off.furnace_labour == 0 && off.iron == 0 && off.no_wok == 0);
}

/* Dining off: no household ever joins a hall and no hall holds grain:
   households keep their stocks.  On: halls open and hold grain in 1958. */
static void dining_switch(void **st)
{
    (void)st;
    Params P;
    params_default(&P);
    P.end_date = 19581231;
    Seen on = watch(&P);
    P.dine_on = 0;
    Seen off = watch(&P);
    assert_true(on.dining > 0 && on.hall_grain > 0);
    assert_int_equal(off.dining, 0);
    assert_int_equal(off.hall_grain, 0);
}

/* Forage loss: hall members lose part of their non-grain food, so from
   August 1958 to June 1959 (halls open) rural intake per unit of need is
   lower with a larger loss; before the communes (1958-08-29) there are no
   halls and the runs are the same week for week. */
/* Households sort themselves into the hall as the share moves up and
   down: after every sort a household is a member exactly when the share is
   positive and it has no wok or its own fixed draw is below the share (the
   rule, re-evaluated here from the draw itself, though dine_households
   draws only where the answer could have changed); none is left marked as
   leaving, households without need included (in the last sorts no
   household has any); grain is only moved between households and the hall. */
static void dining_sorting(void **st)
{
    (void)st;
    Params P;
    params_default(&P);
    SimState *S = make(&P);
    int ci = -1;
    for (int i = 0; i < S->ncomm; i++)
        if (!S->comm[i].urban && (ci < 0 || S->comm[i].nhh > S->comm[ci].nhh)) ci = i;
    Commune *c = &S->comm[ci];
    assert_true(c->nhh >= 20);
    for (int h = 0; h < c->nhh; h++) {
        if (h % 7 == 2) S->hh.need[c->hh0 + h] = 0;             /* no one at home eats */
        if (h % 13 == 5) S->hh.flags[c->hh0 + h] |= HH_NO_WOK;  /* woks melted */
    }
    const float shares[] = {0.3f, 0.6f, 0.5f, 0.5f, 0.2f, 0, 0.4f, 0.9f, 0.1f, 0.1f, 0.7f, 0.65f};
    int64_t grain = c->hall_stock;
    for (int h = 0; h < c->nhh; h++) grain += S->hh.stock[c->hh0 + h];
    int changes = 0;
    for (size_t t = 0; t < sizeof shares / sizeof *shares; t++) {
        if (t == 8)   /* from here no household has need: leavers take no grain, but they leave */
            for (int h = 0; h < c->nhh; h++) S->hh.need[c->hh0 + h] = 0;
        c->dining = shares[t];
        dine_households(S, ci);
        int64_t g = c->hall_stock, members = 0;
        for (int h = 0; h < c->nhh; h++) {
            uint8_t f = S->hh.flags[c->hh0 + h];
            double u = rng_u01(S->seed, RNG_DINING, (uint64_t)c->id << 32 | (uint32_t)h, 0, 0);
            int want = shares[t] > 0 && ((f & HH_NO_WOK) || u < shares[t]);
            assert_int_equal(!!(f & HH_DINING), want);
            assert_false(f & HH_LEAVING);
            members += want;
            g += S->hh.stock[c->hh0 + h];
        }
        assert_true(g == grain);
        changes += members > 0 && members < c->nhh;
    }
    assert_true(changes >= 8);   /* the shares did split the commune */
    sim_free(S);
}

static double rural_intake(Params *P, double *before)
{
    SimState *S = make(P);
    double k = 0, n = 0;
    *before = 0;
    while (S->week < S->nweeks) {
        step(S);
        if (S->week < 52 + 30) *before += S->nat_week.kcal_rural;   /* 1957 and 1958 to late July */
        else { k += S->nat_week.kcal_rural; n += S->nat_week.need_rural; }
    }
    sim_free(S);
    return k / n;
}

static void dining_forage(void **st)
{
    (void)st;
    Params P;
    params_default(&P);
    P.end_date = 19590630;
    double f0, f1;
    P.dine_forage = 0;
    double none = rural_intake(&P, &f0);
    P.dine_forage = 0.7;
    double lost = rural_intake(&P, &f1);
    assert_float_equal(f0, f1, 0);                    /* same weeks before the halls */
    print_message("rural intake/need with halls: forage loss 0 %.4f, 0.7 %.4f\n", none, lost);
    assert_true(lost < none - 0.005);                 /* at least half a point (0.7 x ~0.13 x members) */
    P.dine_on = 0;
    double off0 = rural_intake(&P, &f0);
    P.dine_forage = 0;
    double off1 = rural_intake(&P, &f1);
    assert_float_equal(off0, off1, 0);                /* no halls: the loss does nothing */
}

/* A hall's meal with grain to spare (food.c): eating freely, its members
   eat (1 + free_eating) of their grain need, which makes up the non-grain
   food the hall costs them (forage_loss) as far as it goes -- intake/need =
   min(1, (1 + f)(1 - n) + n (1 - l)); rationing, they eat their grain need
   and lose the rest: 1 - n l.  Without the loss both are full. */
static double hall_ratio(Params *P, int free_eating, double *tol)
{
    SimState *S = make(P);
    int ci = -1;
    for (int i = 0; i < S->ncomm; i++)   /* the largest rural commune */
        if (!S->comm[i].urban && (ci < 0 || S->comm[i].nhh > S->comm[ci].nhh)) ci = i;
    assert_true(ci >= 0);
    Commune *c = &S->comm[ci];
    double E = 0;
    for (int h = 0; h < c->nhh; h++) {
        S->hh.flags[c->hh0 + h] = (uint8_t)((S->hh.flags[c->hh0 + h] & ~HH_CADRE) | HH_DINING);
        S->hh.stock[c->hh0 + h] = 0;
        E += S->hh.need[c->hh0 + h];
    }
    c->granary = c->levy = c->resale_bucket = 0;
    c->expect_rest = 0;
    c->overwork = 1;
    c->hall_free = (int8_t)free_eating;
    c->hall_stock = (int64_t)(E * 7 / P->kcal_per_kg * GU_PER_KG * 100);   /* ~100 weeks of need */
    Scratch W;
    scratch_init(&W, c->nhh, c->nfound);
    food_commune(S, ci, &W);
    double lo = 2, hi = -1;
    for (int h = 0; h < c->nhh; h++)
        if (S->hh.need[c->hh0 + h] > 0) { lo = fmin(lo, W.ratio[h]); hi = fmax(hi, W.ratio[h]); }
    assert_float_equal(lo, hi, 1e-6);   /* one pot: the same ratio for every member household */
    assert_true(c->hall_stock > 0);
    *tol = 2 * (P->kcal_per_kg / GU_PER_KG / 7) / E;   /* the meal is whole grain units (10 g): two of them, of the need */
    scratch_free(&W);
    sim_free(S);
    return lo;
}

static void dining_free_eating(void **st)
{
    (void)st;
    Params P;
    params_default(&P);
    P.end_date = 19570131;
    double n = P.nongrain_share;
    const double cases[4][2] = {{0.15, 0}, {0.15, 0.3}, {0.15, 0.7}, {0.1, 0.7}};   /* free eating, forage loss */
    for (int k = 0; k < 4; k++) {
        double f = cases[k][0], l = cases[k][1];
        P.dine_free = f;
        P.dine_forage = l;
        double tol, freely = hall_ratio(&P, 1, &tol), rationed = hall_ratio(&P, 0, &tol);
        double want_free = fmin(1, (1 + f) * (1 - n) + n * (1 - l)), want_rat = 1 - n * l;
        print_message("free eating %.2f, forage loss %.1f: intake/need eating freely %.4f (rule %.4f), rationed %.4f "
                      "(rule %.4f), tolerance %.1e\n", f, l, freely, want_free, rationed, want_rat, tol);
        assert_true(tol < 1e-3);
        assert_float_equal(freely, want_free, tol);
        assert_float_equal(rationed, want_rat, tol);
        if (l > 0) assert_true(freely > rationed + 0.5 * n * l);   /* free eating makes up at least half the loss */
        else assert_float_equal(freely, rationed, tol);
    }
}

/* Labour: the shares of a commune's labour by use are never negative and
   never sum above 1, through the water campaign, the furnaces and deep
   ploughing; off, nobody works on water. */
static void labour_shares(void **st)
{
    (void)st;
    Params P;
    params_default(&P);
    P.end_date = 19590630;
    Seen on = watch(&P);
    assert_int_equal(on.bad_shares, 0);
    assert_true(on.water_labour > 0);
    P.lab_on = 0;
    Seen off = watch(&P);
    assert_int_equal(off.bad_shares, 0);
    assert_true(off.water_labour == 0);
}

/* Couples apart: a rural commune's conception factor is 1 - separation x
   (water + furnace shares), never below 0; 1 in a city, and 1 with labour off
   (whatever the shares say). */
static void labour_separation(void **st)
{
    (void)st;
    Params P;
    params_default(&P);
    P.lab_sep = 0.6;
    SimState *S = make(&P);
    Commune *c = NULL;
    for (int i = 0; i < S->ncomm && !c; i++) if (!S->comm[i].urban) c = &S->comm[i];
    assert_non_null(c);
    c->water_share = 0.3f; c->furnace_share = 0.2f;
    assert_float_equal(lab_conception(S, c), 1 - 0.6 * 0.5, 1e-6);
    c->water_share = 0.9f; c->furnace_share = 0.9f;
    assert_float_equal(lab_conception(S, c), 0, 0);
    c->urban = 1;
    assert_float_equal(lab_conception(S, c), 1, 0);
    c->urban = 0;
    P.lab_on = 0;   /* S borrows P */
    assert_float_equal(lab_conception(S, c), 1, 0);
    sim_free(S);
}

/* Farm capital: where members are starving (mean reserve 0) it falls week
   by week, to agriculture.capital_floor and never below it; a lower floor
   lets it fall further (so the floor, not the loss rate, stops it). */
/* The vectorised household loops of food.c (four households at once) give
   the same bytes as the plain ones, on a commune set up to reach every
   branch: stocks from none to plenty (and one below zero), households
   without need, hall members and cadres, a granary to share, resales to
   hand out and grain still to come. */
static SimState *food_setup(Params *P, int simd, int *cip)
{
    SimState *S = make(P);
    S->simd = simd;
    int ci = -1;
    for (int i = 0; i < S->ncomm; i++)   /* the largest rural commune with a tail after its groups of four */
        if (!S->comm[i].urban && S->comm[i].nhh % 4 && (ci < 0 || S->comm[i].nhh > S->comm[ci].nhh)) ci = i;
    assert_true(ci >= 0);
    Commune *c = &S->comm[ci];
    int64_t need = 0;
    for (int h = 0; h < c->nhh; h++) {
        int64_t j = c->hh0 + h;
        uint32_t u = (uint32_t)h * 2654435761u;   /* a fixed spread of cases */
        S->hh.stock[j] = (int32_t)((u >> 8) % 40000) * (h % 5 == 0 ? 0 : 1);
        if (h == 7) S->hh.stock[j] = -5;
        if (h % 11 == 3) S->hh.need[j] = 0;
        S->hh.flags[j] = (uint8_t)(S->hh.flags[j] & ~(HH_DINING | HH_CADRE));
        if (h % 3 == 1) S->hh.flags[j] |= HH_DINING;
        if (h % 9 == 4) S->hh.flags[j] |= HH_DINING | HH_CADRE;
        need += S->hh.need[j];
    }
    c->need_sum = need;
    c->granary = 50 * c->nhh;
    c->resale_bucket = 20 * c->nhh;
    c->levy = 0;
    c->expect_rest = 10.0 * c->nhh;
    c->overwork = 1.1f;
    c->hall_stock = 1000;
    *cip = ci;
    return S;
}

static void food_vector_same(void **st)
{
    (void)st;
    if (!simd_available()) skip();
    Params P;
    params_default(&P);
    P.end_date = 19570131;
    int ca, cb;
    SimState *A = food_setup(&P, 0, &ca), *B = food_setup(&P, 1, &cb);
    assert_int_equal(ca, cb);
    Commune *a = &A->comm[ca], *b = &B->comm[cb];
    assert_true(a->nhh > 8 && a->nhh % 4 != 0);   /* groups of four and a tail */
    Scratch Wa, Wb;
    scratch_init(&Wa, a->nhh, a->nfound);
    scratch_init(&Wb, b->nhh, b->nfound);
    for (int week = 0; week < 3; week++) {   /* with weeks to the harvest of 1957's spring */
        food_commune(A, ca, &Wa);
        food_commune(B, cb, &Wb);
        assert_memory_equal(A->hh.stock + a->hh0, B->hh.stock + b->hh0, (size_t)a->nhh * sizeof *A->hh.stock);
        assert_memory_equal(Wa.ratio, Wb.ratio, (size_t)a->nhh * sizeof *Wa.ratio);
        assert_memory_equal(&A->acc[ca], &B->acc[cb], sizeof A->acc[ca]);
        assert_int_equal(a->granary, b->granary);
        assert_int_equal(a->hall_stock, b->hall_stock);
        assert_int_equal(a->resale_bucket, b->resale_bucket);
        assert_memory_equal(&a->deficit_gu, &b->deficit_gu, sizeof a->deficit_gu);
        assert_int_equal(a->hh_stock, b->hh_stock);
        a->granary = b->granary = 30 * a->nhh;
        a->resale_bucket = b->resale_bucket = 10 * a->nhh;
    }
    assert_true(A->acc[ca].distributed > 0 && A->acc[ca].kcal_rural > 0);
    scratch_free(&Wa);
    scratch_free(&Wb);
    sim_free(A);
    sim_free(B);
}

static void capital_floor(void **st)
{
    (void)st;
    double floors[2] = {0.5, 0.2};
    float low[2];
    for (int k = 0; k < 2; k++) {
        Params P;
        params_default(&P);
        P.cap_hunger = 2.0;
        P.cap_recover = 0.0;
        P.cap_floor = floors[k];
        SimState *S = make(&P);
        for (int i = 0; i < S->ncomm; i++) { S->comm[i].reserve_mean = 0; S->comm[i].capital = 0.6f; }
        for (int w = 0; w < 40; w++) {   /* 40 weeks x 2/52.18 a week: 1.5 of loss */
            agri_step(S);
            for (int i = 0; i < S->ncomm; i++)
                if (!S->comm[i].urban) assert_true(S->comm[i].capital >= (float)floors[k]);
        }
        low[k] = 1;
        for (int i = 0; i < S->ncomm; i++)
            if (!S->comm[i].urban && S->comm[i].output0 > 0 && S->comm[i].capital < low[k]) low[k] = S->comm[i].capital;
        sim_free(S);
    }
    assert_float_equal(low[0], 0.5f, 1e-6);
    assert_float_equal(low[1], 0.2f, 1e-6);
}

/* Agronomy: the sown area is 1 while the Centre believes no more than 1957,
   falls with believed abundance, never by more than the largest cut; in
   history the 1959 area is cut, and off it never is. */
static void agronomy_area(void **st)
{
    (void)st;
    Params P;
    params_default(&P);
    assert_float_equal(agro_area(&P, 0.8), 1.0, 1e-12);
    assert_float_equal(agro_area(&P, 1.0), 1.0, 1e-12);
    assert_true(agro_area(&P, 1.3) < 1.0);
    assert_true(agro_area(&P, 1.6) <= agro_area(&P, 1.3));
    assert_float_equal(agro_area(&P, 50), 1 - P.agro_maxcut, 1e-12);
    P.end_date = 19590630;
    Seen on = watch(&P);
    assert_true(on.area_min < 1.0 && on.area_min >= 1 - P.agro_maxcut - 1e-6);
    P.agro_on = 0;
    Seen off = watch(&P);
    assert_true(off.area_min == 1.0 && off.area_max == 1.0);
}

/* Weather off: every province-year multiplier is 1. */
static void weather_switch(void **st)
{
    (void)st;
    Params P;
    params_default(&P);
    P.end_date = 19591231;
    P.weather_on = 0;
    Seen off = watch(&P);
    assert_int_equal(off.weather_not_one, 0);
    P.weather_on = 1;
    Seen on = watch(&P);
    assert_true(on.weather_not_one > 0);
}

/* Incentives: collective (effort down, private plots gone) from the commune
   movement until restore_lag weeks into the retreat, and never before. */
static void incentives_rule(void **st)
{
    (void)st;
    Params P;
    params_default(&P);
    SimState *S = make(&P);
    int communes = pol_week(P.t_communes), was = 0, ended = -1;
    while (S->week < S->nweeks) {
        step(S);
        int w = S->week - 1, since;
        S->week = w;   /* ask about the week just simulated */
        int coll = inc_collective(S), retreat = pol_retreat(S, &since);
        S->week = w + 1;
        if (w < communes) assert_false(coll);
        if (w >= communes && !retreat) assert_true(coll);
        if (retreat && since >= P.inc_lag) assert_false(coll);
        if (was && !coll) ended = w;
        was = coll;
        const Commune *c = &S->comm[0];
        if (!c->urban) assert_float_equal(c->effort, coll ? 1 - P.inc_drop : 1, 1e-6);
    }
    assert_true(ended > communes);   /* history retreats, and the lag runs out before 1963 */
    sim_free(S);
}

/* ---- politics -------------------------------------------------------------------------- */

/* The retreat is the Centre's rule, not a date: when it comes, perceived
   mortality had reached the threshold or the state's stocks had fallen below
   the days-of-supply threshold; imports begin with it (or earlier under
   stress).  Radicalism is set before the Leap and never changes, and does not
   depend on what happens later (procurement off gives the same draws). */
static void politics_rule(void **st)
{
    (void)st;
    Params P;
    params_default(&P);
    SimState *S = make(&P);
    double radical0[64];
    for (int p = 0; p < S->nprov; p++) radical0[p] = S->prov[p].radical;
    double P_before = 0;
    int retreat = -1;
    while (S->week < S->nweeks) {
        P_before = S->centre.P;
        step(S);
        if (retreat < 0 && S->centre.retreat_week >= 0) {
            retreat = S->centre.retreat_week;
            const Centre *C = &S->centre;
            int by_news = C->retreat_perceived >= P.pol_crisis + P.pol_denial * P_before - 1e-9;
            int by_stocks = C->retreat_days < P.pol_days;
            assert_true(by_news || by_stocks);
            assert_true(C->imports_week >= 0 && C->imports_week <= retreat);
        }
    }
    assert_true(retreat > pol_week(P.t_lushan));   /* history's rules retreat after Lushan */
    for (int p = 0; p < S->nprov; p++) assert_true(S->prov[p].radical == radical0[p]);
    sim_free(S);
    P.proc_on = 0;
    P.end_date = 19570201;
    S = make(&P);
    for (int p = 0; p < S->nprov; p++) assert_true(S->prov[p].radical == radical0[p]);
    sim_free(S);
}

/* A dated import decision (the early-imports lever) is honoured whatever
   the rules; with no date, imports wait for the rule. */
static void dated_imports(void **st)
{
    (void)st;
    Params P;
    params_default(&P);
    P.end_date = 19600131;
    P.t_imports = 19591001;
    SimState *S = make(&P);
    int64_t imported = 0;
    while (S->week < S->nweeks) {
        step(S);
        imported += S->nat_week.imported;
    }
    assert_int_equal(S->centre.imports_week, pol_week(19591001));
    assert_true(imported > 0);
    sim_free(S);
}

/* ---- migration ----------------------------------------------------------------------------- */

/* Household registration: with a full block nobody flees to the cities;
   with none, starving people do.  Recruitment to cities happens only with
   the mechanism on (off: the 1952-57 trend alone). */
static void migration_block(void **st)
{
    (void)st;
    int64_t fled[2] = {0, 0};
    for (int k = 0; k < 2; k++) {
        Params P;
        params_default(&P);
        P.end_date = 19601231;
        P.mig_block = k == 0 ? 1.0 : 0.0;
        SimState *S = make(&P);
        while (S->week < S->nweeks) {
            step(S);
            fled[k] += S->nat_week.fled;
        }
        sim_free(S);
    }
    assert_int_equal(fled[0], 0);
    assert_true(fled[1] > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reporting_rule), cmocka_unit_test(targets_rule),
        cmocka_unit_test(tallies_kept_or_cleared), cmocka_unit_test(flexible_procurement), cmocka_unit_test(procurement_progressive), cmocka_unit_test(take_in_order),
        cmocka_unit_test(furnaces_switch), cmocka_unit_test(dining_switch), cmocka_unit_test(dining_sorting), cmocka_unit_test(dining_forage),
        cmocka_unit_test(dining_free_eating),
        cmocka_unit_test(labour_shares),
        cmocka_unit_test(labour_separation), cmocka_unit_test(agronomy_area),
        cmocka_unit_test(weather_switch), cmocka_unit_test(incentives_rule),
        cmocka_unit_test(politics_rule), cmocka_unit_test(dated_imports),
        cmocka_unit_test(migration_block), cmocka_unit_test(capital_floor), cmocka_unit_test(food_vector_same),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
