/* test_demog.c -- life table, fertility schedule, stable population,
   the mortality and fecundity multipliers. */
#include "test_util.h"
#include <limits.h>
#include <math.h>
#include "demog.h"
#include "params.h"
#include "rng.h"

static Params P;
static Demog D;

static int setup(void **st)
{
    (void)st;
    params_default(&P);
    LeapErr e = {0};
    return demog_init(&D, &P, &e);
}

/* The defaults reproduce the 1957 targets they were fitted to (Banister
   1984): e0 ~48 (both sexes), CBR 43.3 and CDR 18.1 per mille in the stable
   population (tolerances: the fit's own accuracy, 1 year and 1 per mille). */
static void life_table(void **st)
{
    (void)st;
    double e0 = (D.e0[0] + D.e0[1]) / 2;
    assert_true(fabs(e0 - 48) < 1.5);
    assert_true(D.e0[1] > D.e0[0]);                     /* women live longer */
    assert_true(fabs(1000 * D.cbr - 43.3) < 1.0);
    assert_true(fabs(1000 * D.cdr - 18.1) < 1.0);
    double q0 = 1 - D.lx[0][1];
    assert_true(q0 > 0.10 && q0 < 0.18);                /* infant mortality 100-180 per mille */
    for (int a = 0; a < AGE_YEARS; a++) assert_true(D.lx[0][a + 1] <= D.lx[0][a]);
    /* the Siler hazard: U-shaped, minimum between 5 and 20 */
    double hmin = 1;
    int amin = 0;
    for (int a = 0; a < 90; a++) {
        double h = demog_siler(&P, a + 0.5, 0);
        if (h < hmin) { hmin = h; amin = a; }
    }
    assert_true(amin >= 5 && amin <= 20);
}

/* Stable population: sums to 1, young (~40% under 15), and its growth
   rate is CBR - CDR. */
static void stable(void **st)
{
    (void)st;
    double tot = 0, young = 0;
    for (int s = 0; s < 2; s++)
        for (int a = 0; a < AGE_YEARS; a++) {
            tot += D.stable[s][a];
            if (a < 15) young += D.stable[s][a];
        }
    assert_true(fabs(tot - 1) < 1e-9);
    assert_true(young > 0.36 && young < 0.44);
    assert_true(fabs(D.r - (D.cbr - D.cdr)) < 1e-12);
}

/* Fertility: the schedule sums to the TFR and peaks at 25-29; no births
   outside 14-50. */
static void fertility(void **st)
{
    (void)st;
    double tfr = 0, peak = 0;
    int apeak = 0;
    for (int a = 0; a < AGE_YEARS; a++) {
        tfr += D.asfr[a];
        if (D.asfr[a] > peak) { peak = D.asfr[a]; apeak = a; }
        if (a < 14 || a >= 50) assert_true(D.asfr[a] == 0);
    }
    assert_true(fabs(tfr - P.tfr) < 1e-9);
    assert_true(apeak >= 25 && apeak <= 29);
    for (int ix = 0; ix < NAGE; ix++) assert_true(D.row[0][ix].phi == 0);   /* men */
}

/* The renewal cycle (wait at hazard phi, gestation, postpartum) bears m(a)
   children a year: simulated for 20,000 women of age 27 over 20 years with
   keyed draws; the rate must lie within 5 standard errors of m(27). */
static void renewal_cycle(void **st)
{
    (void)st;
    int ix = D.age_ix[27 * 52 + 10];
    double phi = D.row[1][ix].phi, m = D.asfr[27];
    int G = P.gestation, Q = P.postpartum, weeks = 20 * 52, n = 20000;
    long births = 0;
    for (int i = 0; i < n; i++) {
        double thr = rng_exp1(1, RNG_FERTILITY, (uint64_t)i, 0, 0);
        int busy_until = INT_MIN, due = INT_MIN, k = 1;
        /* start in the cycle's stationary state: skip a burn-in of 10 years */
        for (int w = -520; w < weeks; w++) {
            if (w == due && w >= 0) births++;
            if (busy_until != INT_MIN) {
                if (w >= busy_until) { busy_until = INT_MIN; thr = rng_exp1(1, RNG_FERTILITY, (uint64_t)i, 0, k++); }
                continue;
            }
            thr -= phi;
            if (thr <= 0) { due = w + G; busy_until = w + G + Q; }
        }
    }
    double rate = births / (n * weeks / 52.1775);
    double se = sqrt(births) / (n * weeks / 52.1775);
    assert_true(fabs(rate - m) < 5 * se);
}

/* M(d): 1 when healthy, increasing, certain death when empty; G(r) in [0, 1],
   0 below the low threshold, 1 above the high one. */
static void multipliers(void **st)
{
    (void)st;
    assert_true(demog_mult(3, 0) == 1);
    assert_true(fabs(demog_mult(3, 0.5) - exp(1.5)) < 1e-9);
    double prev = 1;
    for (double d = 0.01; d < 1; d += 0.01) {
        double m = demog_mult(3, d);
        assert_true(m >= prev);
        prev = m;
    }
    assert_true(demog_mult(3, 1) >= 1e29);
    assert_true(D.mult[0] >= 1e29);                               /* reserve empty */
    assert_true(D.mult[RES_ONE >> MTAB_SHIFT] < 1.02);           /* healthy */
    assert_true(D.fec[(int)(0.4 * RES_ONE) >> MTAB_SHIFT] == 0);
    assert_true(D.fec[RES_ONE >> MTAB_SHIFT] == 1);
    for (int i = 0; i < MTAB_N; i++) assert_true(D.fec[i] >= 0 && D.fec[i] <= 1);
}

/* Inconsistent schedules are refused as bad input. */
static void refuses(void **st)
{
    (void)st;
    Params Q = P;
    Q.tfr = 8;
    Q.postpartum = 104;
    Q.gestation = 42;
    Demog *E = malloc(sizeof *E);
    LeapErr e = {0};
    assert_int_equal(demog_init(E, &Q, &e), LEAP_EINPUT);
    assert_non_null(strstr(e.msg, "postpartum"));
    free(E);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(life_table), cmocka_unit_test(stable), cmocka_unit_test(fertility),
        cmocka_unit_test(renewal_cycle), cmocka_unit_test(multipliers), cmocka_unit_test(refuses),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
