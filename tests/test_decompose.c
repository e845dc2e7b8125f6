/* test_decompose.c -- Shapley values on toy games whose values are known. */
#include "test_util.h"
#include "decompose.h"
#include "sensitivity.h"
#include <math.h>

/* v(S) = 3 [0 in S] + 5 [1 in S] + 7 [2 in S] + 4 [0 and 1 in S]; the
   grain value is twice that.  Shapley: 3 + 2, 5 + 2, 7 (the interaction
   split evenly between the two players it needs); total 19. */
static int toy(uint32_t s, int k, double out[2], void *ctx, LeapErr *e)
{
    (void)e;
    int *calls = ctx;
    (*calls)++;
    double v = 3 * !!(s & 1) + 5 * !!(s & 2) + 7 * !!(s & 4) + 4 * ((s & 3) == 3) + 0.01 * k;   /* seeds shift v(S) alike */
    out[0] = v;
    out[1] = 2 * v;
    return LEAP_OK;
}

static void exact_toy(void **st)
{
    (void)st;
    DecResult r;
    LeapErr e = {0};
    int calls = 0;
    assert_int_equal(dec_shapley(3, 2, 1, 0, toy, &calls, &r, &e), LEAP_OK);
    assert_float_equal(r.phi[0][0], 5, 1e-12);
    assert_float_equal(r.phi[1][0], 7, 1e-12);
    assert_float_equal(r.phi[2][0], 7, 1e-12);
    assert_float_equal(r.phi[2][1], 14, 1e-12);
    assert_float_equal(r.total[0], 19, 1e-12);
    assert_float_equal(r.sum_phi[0], r.total[0], 1e-12);   /* efficiency */
    assert_float_equal(r.se[0][0], 0, 1e-12);              /* the seeds shift every v(S) alike */
}

/* Sampled orders: efficiency holds exactly whatever the orders; with many
   orders each value is near the exact one (the only randomness is which
   orders, and 400 of the 6 possible orders leave little). */
static void sampled_toy(void **st)
{
    (void)st;
    DecResult r;
    LeapErr e = {0};
    int calls = 0;
    assert_int_equal(dec_shapley(3, 1, 0, 5, toy, &calls, &r, &e), LEAP_OK);
    assert_float_equal(r.sum_phi[0], r.total[0], 1e-9);
    assert_float_equal(r.sum_phi[1], r.total[1], 1e-9);
    assert_int_equal(dec_shapley(3, 1, 0, 400, toy, &calls, &r, &e), LEAP_OK);
    assert_float_equal(r.phi[0][0], 5, 0.3);
    assert_float_equal(r.phi[1][0], 7, 0.3);
    assert_float_equal(r.phi[2][0], 7, 1e-9);   /* additive: the same in every order */
    assert_true(r.se[0][0] > 0 && r.se[0][0] < 0.3);
    assert_float_equal(r.se[2][0], 0, 1e-9);
}

/* The coalitions listed are exactly those the values need: all 2^m, or
   the empty one and the prefixes of the sampled orders, without repeats. */
static void coalition_lists(void **st)
{
    (void)st;
    uint32_t list[64];
    assert_int_equal(dec_coalitions(4, 1, 0, list, 64), 16);
    int n = dec_coalitions(4, 0, 3, list, 64);
    assert_true(n >= 5 && n <= 1 + 3 * 4);
    assert_int_equal(list[0], 0);
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) assert_true(list[i] != list[j]);
    int full = 0;
    for (int i = 0; i < n; i++) full |= list[i] == 15;
    assert_true(full);
}

/* Morris on y = 2 x0 - 3 x1 + 0 x2 (and y2 = x0 x1): each trajectory moves
   every factor once by +-Delta; the linear output's effects are exactly the
   coefficients with no spread, the product's spread is non-zero. */
static void morris_linear(void **st)
{
    (void)st;
    int n = 3, p = 4, R = 5;
    double pts[5 * 4 * 3], y[5 * 4 * 2];
    int step[5 * 3], sign[5 * 3];
    sens_design(n, p, R, pts, step, sign);
    for (int i = 0; i < R * (n + 1) * n; i++) assert_true(pts[i] >= -1e-12 && pts[i] <= 1 + 1e-12);
    for (int r = 0; r < R; r++) {   /* each factor moved exactly once per trajectory */
        int seen[3] = {0};
        for (int j = 0; j < n; j++) seen[step[r * n + j]]++;
        assert_true(seen[0] == 1 && seen[1] == 1 && seen[2] == 1);
    }
    for (int k = 0; k < R * (n + 1); k++) {
        const double *x = &pts[k * n];
        y[k * 2] = 2 * x[0] - 3 * x[1];
        y[k * 2 + 1] = x[0] * x[1];
    }
    SensStat s[3 * 2];
    sens_effects(n, p, R, 2, y, step, sign, s);
    assert_float_equal(s[0 * 2].mu, 2, 1e-9);
    assert_float_equal(s[1 * 2].mu, -3, 1e-9);
    assert_float_equal(s[1 * 2].mu_star, 3, 1e-9);
    assert_float_equal(s[2 * 2].mu_star, 0, 1e-12);
    assert_float_equal(s[0 * 2].sigma, 0, 1e-9);
    assert_true(s[0 * 2 + 1].mu_star > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(exact_toy),
        cmocka_unit_test(sampled_toy),
        cmocka_unit_test(coalition_lists),
        cmocka_unit_test(morris_linear),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
