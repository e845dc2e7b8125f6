/* test_rng.c -- counter-based random numbers keyed by stable ids. */
#include "test_util.h"
#include <math.h>
#include "rng.h"

/* The same key gives the same number; changing any part of the key changes it. */
static void keyed(void **st)
{
    (void)st;
    double a = rng_u01(7, RNG_BIRTH, 12345, 10, 0);
    assert_true(a == rng_u01(7, RNG_BIRTH, 12345, 10, 0));
    assert_true(a != rng_u01(8, RNG_BIRTH, 12345, 10, 0));
    assert_true(a != rng_u01(7, RNG_REGISTRATION, 12345, 10, 0));
    assert_true(a != rng_u01(7, RNG_BIRTH, 12346, 10, 0));
    assert_true(a != rng_u01(7, RNG_BIRTH, 12345 | (UINT64_C(1) << 40), 10, 0));
    assert_true(a != rng_u01(7, RNG_BIRTH, 12345, 11, 0));
    assert_true(a != rng_u01(7, RNG_BIRTH, 12345, 10, 1));
}

/* Draws do not depend on the order in which entities are visited (what makes
   results independent of the thread count). */
static void order_free(void **st)
{
    (void)st;
    double fwd[1000], back[1000];
    for (int i = 0; i < 1000; i++) fwd[i] = rng_exp1(1, RNG_FERTILITY, (uint64_t)i, 3, 0);
    for (int i = 999; i >= 0; i--) back[i] = rng_exp1(1, RNG_FERTILITY, (uint64_t)i, 3, 0);
    assert_memory_equal(fwd, back, sizeof fwd);
}

/* Moments of u01, exp1 and normal over 10^6 draws, each within 5 standard
   errors (a false alarm once in ~1.7 million runs per check). */
static void moments(void **st)
{
    (void)st;
    const int n = 1000000;
    double su = 0, su2 = 0, se = 0, se2 = 0, sz = 0, sz2 = 0, lo = 1, hi = 0;
    for (int i = 0; i < n; i++) {
        double u = rng_u01(42, RNG_WEATHER, (uint64_t)i, 0, 0);
        double x = rng_exp1(42, RNG_WEATHER, (uint64_t)i, 1, 0);
        double z = rng_normal(42, RNG_WEATHER, (uint64_t)i, 2, 0);
        su += u; su2 += u * u; se += x; se2 += x * x; sz += z; sz2 += z * z;
        if (u < lo) lo = u;
        if (u > hi) hi = u;
    }
    assert_true(lo > 0 && hi < 1);
    assert_true(fabs(su / n - 0.5) < 5 * sqrt(1.0 / 12 / n));
    assert_true(fabs(su2 / n - 1.0 / 3) < 5 * sqrt(4.0 / 45 / n));
    assert_true(fabs(se / n - 1) < 5 * sqrt(1.0 / n));
    assert_true(fabs(se2 / n - 2) < 5 * sqrt(20.0 / n));   /* var(X^2) = 24 - 4 = 20 */
    assert_true(fabs(sz / n) < 5 * sqrt(1.0 / n));
    assert_true(fabs(sz2 / n - 1) < 5 * sqrt(2.0 / n));
}

/* Uniforms fall evenly into 100 bins: chi-square below the 1e-6 quantile
   for 99 degrees of freedom (~187). */
static void uniform_bins(void **st)
{
    (void)st;
    int bins[100] = {0};
    const int n = 1000000;
    for (int i = 0; i < n; i++) bins[(int)(rng_u01(3, RNG_MIGRATION, (uint64_t)i, 9, 2) * 100)]++;
    double chi = 0, e = n / 100.0;
    for (int b = 0; b < 100; b++) chi += (bins[b] - e) * (bins[b] - e) / e;
    assert_true(chi < 187);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(keyed), cmocka_unit_test(order_free), cmocka_unit_test(moments),
        cmocka_unit_test(uniform_bins),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
