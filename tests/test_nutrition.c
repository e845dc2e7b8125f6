/* test_nutrition.c -- the energy reserve and the threshold technique. */
#include "test_util.h"
#include <math.h>
#include "nutrition.h"
#include "rng.h"

/* A fed person at a full reserve stays there; no food empties the reserve;
   partial food settles at d* = (1 - q)/alpha. */
static void reserve(void **st)
{
    (void)st;
    const float rk = 7 * 2750.0f / 150000 * RES_ONE, a = 0.5f;   /* adult man, ~150,000 kcal reserve */
    assert_int_equal(nutr_reserve_next(RES_ONE, 1.0f, rk, a), RES_ONE);
    assert_int_equal(nutr_reserve_next(RES_ONE, 1.2f, rk, a), RES_ONE);   /* capped at healthy */
    uint16_t v = RES_ONE;
    int weeks = 0;
    while (v > 0 && weeks < 1000) { v = nutr_reserve_next(v, 0.0f, rk, a); weeks++; }
    /* no food: emptied in 6-12 weeks (spending falls as the reserve does) */
    assert_true(weeks >= 6 && weeks <= 12);
    v = RES_ONE;
    for (int w = 0; w < 2000; w++) v = nutr_reserve_next(v, 0.8f, rk, a);
    double d = 1 - (double)v / RES_ONE;
    assert_true(fabs(d - 0.4) < 0.01);
    /* a recovering person (q = 1, depleted) gains */
    assert_true(nutr_reserve_next(30000, 1.0f, rk, a) > 30000);
}

/* The threshold technique: a unit-exponential threshold less the hazard
   accumulated week by week crosses zero with the survival of the hazard,
   exp(-h t).  100,000 persons at h = 0.01 a week for 100 weeks: the
   surviving share must lie within 5 standard errors of exp(-1). */
static void threshold(void **st)
{
    (void)st;
    const int n = 100000;
    int alive = 0;
    for (int i = 0; i < n; i++) {
        float thr = (float)rng_exp1(9, RNG_POP_PERSON, (uint64_t)i, 0, 0);
        int dead = 0;
        for (int w = 0; w < 100 && !dead; w++) {
            thr -= 0.01f;
            dead = thr <= 0;
        }
        alive += !dead;
    }
    double p = exp(-1.0), share = (double)alive / n;
    assert_true(fabs(share - p) < 5 * sqrt(p * (1 - p) / n));
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(reserve), cmocka_unit_test(threshold)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
