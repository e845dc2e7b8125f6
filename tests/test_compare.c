/* test_compare.c -- `leap compare` on a fixture, and `leap calibrate`'s error,
   params file, optimiser, and resumption.  The fixture (tests/fixtures/compare)
   is a small run folder and a small data folder with round numbers, so every
   expected value below is worked out by hand in its comment. */
#include "test_util.h"
#include "calibrate.h"
#include "compare.h"
#include <math.h>

#define FIX "tests/fixtures/compare"

static void load(CmpRun *r, CmpHist *h)
{
    LeapErr e = {0};
    setenv("LEAP_DATA", FIX "/data", 1);
    assert_int_equal(cmp_read_history(h, &e), LEAP_OK);
    assert_int_equal(cmp_read_run(FIX "/run", r, &e), LEAP_OK);
}

/* MAPE by hand.  Death rate, model / history: 1958 12/12, 1959 18/15, 1960
   20/25: APEs 0, 20, 20 -> in-sample MAPE 13.333; 1961 14/14, 1962 12/10:
   0, 20 -> out-of-sample 10.  Grain: 180/200, 170/170, 168/140 -> 10, 0, 20
   -> 10.  Claimed grain has no history for 1960: 400/400, 270/270 -> 0 over
   two years.  Net exports 1957 is blank in the history: skipped. */
static void mape_by_hand(void **st)
{
    (void)st;
    CmpRun r;
    CmpHist h;
    load(&r, &h);
    assert_float_equal(cmp_mape(r.v[CS_DEATH], h.v[CS_DEATH], 1958, 1960), 40.0 / 3, 1e-9);
    assert_float_equal(cmp_mape(r.v[CS_DEATH], h.v[CS_DEATH], 1961, 1962), 10.0, 1e-9);
    assert_float_equal(cmp_mape(r.v[CS_GRAIN], h.v[CS_GRAIN], 1958, 1960), 10.0, 1e-9);
    assert_float_equal(cmp_mape(r.v[CS_CLAIMED], h.v[CS_CLAIMED], 1958, 1960), 0.0, 1e-12);
    assert_true(isnan(h.v[CS_CLAIMED][1960 - CMP_Y0]));
    /* a run that ended in 1958 has no MAPE for 1958-60 (not 1958's alone),
       but one for 1958-59 of claimed grain, which has no 1960 record */
    r.v[CS_DEATH][1959 - CMP_Y0] = r.v[CS_DEATH][1960 - CMP_Y0] = NAN;
    assert_true(isnan(cmp_mape(r.v[CS_DEATH], h.v[CS_DEATH], 1958, 1960)));
    r.v[CS_CLAIMED][1960 - CMP_Y0] = NAN;
    assert_float_equal(cmp_mape(r.v[CS_CLAIMED], h.v[CS_CLAIMED], 1958, 1960), 0.0, 1e-12);
    assert_true(isnan(cmp_ape(r.v[CS_EXPORTS][0], h.v[CS_EXPORTS][0])));
    /* true rates come from the reconstruction file */
    assert_float_equal(h.v[CS_DEATH_TRUE][1960 - CMP_Y0], 45, 1e-12);
    assert_string_equal(h.status[CS_DEATH_TRUE][0], "reconstructed");
    /* provenance classes: the status's first word */
    assert_string_equal(h.status[CS_DEATH][1959 - CMP_Y0], "memory");
    assert_string_equal(h.status[CS_DEATH][1960 - CMP_Y0], "derived");
}

/* Excess deaths 1958-61: 2 + 8 + 12 + 4 = 26; 1959-61: 24.  Retreat on
   1960-12-01 = day 1430.  Meng-Qian-Yared: grain per head 1957 A 200, B 300,
   C 400 kg; excess deaths per mille 1959-61 A 1, B 2 (1961 counts), C 4
   (1962 does not): r = 300 / sqrt(20000 x 42/9) = 0.98198. */
static void excess_retreat_mqy(void **st)
{
    (void)st;
    CmpRun r;
    CmpHist h;
    load(&r, &h);
    assert_float_equal(cmp_excess(&r, 1958, 1961), 26, 1e-9);
    assert_float_equal(cmp_excess(&r, 1959, 1961), 24, 1e-9);
    assert_float_equal(r.retreat_day, 1430, 0);
    assert_int_equal(r.nprov, 3);
    assert_float_equal(r.mqy, 300 / sqrt(20000 * 42.0 / 9), 1e-9);
    assert_int_equal(h.nrec, 2);
    assert_int_equal(h.rec[1].y0, 1959);
    assert_float_equal(h.rec[1].value, 15, 0);
}

/* Several runs: the mean and the range over them. */
static void mean_of_runs(void **st)
{
    (void)st;
    CmpRun r[2], m, lo, hi;
    CmpHist h;
    load(&r[0], &h);
    r[1] = r[0];
    r[1].v[CS_DEATH][3] = 30;   /* 1960: 20 and 30 */
    cmp_mean(r, 2, &m, &lo, &hi);
    assert_float_equal(m.v[CS_DEATH][3], 25, 1e-12);
    assert_float_equal(lo.v[CS_DEATH][3], 20, 0);
    assert_float_equal(hi.v[CS_DEATH][3], 30, 0);
}

static const char *spec_text =
    "params:\n"
    "  - key: nutrition.hazard_gamma\n"
    "    range: [2, 4]\n"
    "    source: \"fixture\"\n"
    "  - key: mechanisms.politics.news_delay_weeks\n"
    "    range: [20, 60]\n"
    "    source: \"fixture\"\n"
    "weights:\n"
    "  series:\n"
    "    death_rate_permille: 4\n"
    "    grain_output_mt: 2\n"
    "    retreat_week: 1\n"
    "  status:\n"
    "    verified: 1\n"
    "    derived: 0.5\n"
    "    memory: 0.25\n";

/* The error by hand, 1957-1960 only.  Relative errors: death 1957 (11 vs 10,
   verified, w 4) 0.1; 1958 0 (w 4); 1959 (18 vs 15, memory, w 1) 0.2; 1960
   (20 vs 25, derived, w 2) -0.2; grain (w 2 each) 0, -0.1, 0, 0.2; the
   retreat 28 days late (w 1): 28/365.25.  L = (4 x .01 + .04 + 2 x .04 +
   2 x .01 + 2 x .04 + (28/365.25)^2) / 20.  1961-62 never enter. */
static void loss_by_hand(void **st)
{
    (void)st;
    CmpRun r;
    CmpHist h;
    load(&r, &h);
    char path[256];
    LeapErr e = {0};
    CalibSpec s;
    assert_int_equal(calib_read_spec(write_tmp(path, sizeof path, "spec.yaml", spec_text), 1, &s, &e), LEAP_OK);
    assert_int_equal(s.n, 2);
    double want = (0.04 + 0.04 + 0.08 + 0.02 + 0.08 + pow(28 / 365.25, 2)) / 20;
    assert_float_equal(calib_loss(&s, &r, &h, NULL, 0), want, 1e-12);
    r.v[CS_DEATH][1961 - CMP_Y0] = 1000;   /* out of sample: no effect */
    assert_float_equal(calib_loss(&s, &r, &h, NULL, 0), want, 1e-12);
    /* a provenance status without a weight is an error, not a silent zero */
    s.nstatus = 2;   /* drop memory */
    char why[300];
    assert_true(isnan(calib_loss(&s, &r, &h, why, sizeof why)));
    assert_non_null(strstr(why, "memory"));
    remove(path);
}

/* Bad params files: each refused with file:line:column and what is allowed. */
static void spec_refusals(void **st)
{
    (void)st;
    static const struct { const char *text, *needle; } bad[] = {
        {"params:\n  - key: nutrition.hazard_gamma\n    source: \"x y z\"\nweights: {series: {death_rate_permille: 1}, status: {verified: 1}}\n",
         "has no range"},
        {"params:\n  - key: nutrition.hazard_gamma\n    range: [2, 99]\n    source: \"x y z\"\nweights: {series: {death_rate_permille: 1}, status: {verified: 1}}\n",
         "out of range"},
        {"params:\n  - key: nutrition.hazard_gamma\n    range: [3, 2]\n    source: \"x y z\"\nweights: {series: {death_rate_permille: 1}, status: {verified: 1}}\n",
         "empty"},
        {"params:\n  - key: no.such.key\n    range: [0, 1]\n    source: \"x y z\"\nweights: {series: {death_rate_permille: 1}, status: {verified: 1}}\n",
         "not a parameter"},
        {"params:\n  - key: nutrition.hazard_gamma\n    range: [2, 3]\nweights: {series: {death_rate_permille: 1}, status: {verified: 1}}\n",
         "no source"},
        {"params:\n  - key: nutrition.hazard_gamma\n    range: [2, 3]\n    source: \"x y z\"\nweights: {series: {deaths: 1}, status: {verified: 1}}\n",
         "not a target series"},
        {"params:\n  - key: run.end\n    range: [0, 1]\n    source: \"x y z\"\nweights: {series: {death_rate_permille: 1}, status: {verified: 1}}\n",
         "only numbers"},
        /* a key twice: the later one used to win silently */
        {"params:\n  - key: nutrition.hazard_gamma\n    range: [2, 3]\n    source: \"x y z\"\nweights:\n  series:\n"
         "    death_rate_permille: 4\n    death_rate_permille: 1\n  status: {verified: 1}\n",
         "8:5: duplicate key 'death_rate_permille' under weights: series (first on line 7)"},
        {"params:\n  - key: nutrition.hazard_gamma\n    range: [2, 3]\n    source: \"x y z\"\n"
         "weights: {series: {death_rate_permille: 1}, status: {verified: 1, verified: 0}}\n",
         "duplicate key 'verified' under weights: status"},
        {"params:\n  - key: nutrition.hazard_gamma\n    range: [2, 3]\n    range: [2, 4]\n    source: \"x y z\"\n"
         "weights: {series: {death_rate_permille: 1}, status: {verified: 1}}\n",
         "4:5: duplicate key 'range'"},
        {"params:\n  - key: nutrition.hazard_gamma\n    range: [2, 3]\n    source: \"x y z\"\n"
         "weights: {series: {death_rate_permille: 1}, status: {verified: 1}}\nweights: {series: {grain_output_mt: 1}, status: {verified: 1}}\n",
         "6:1: duplicate key 'weights'"},
        /* weights that are all 0: every parameter set would have error 0 */
        {"params:\n  - key: nutrition.hazard_gamma\n    range: [2, 3]\n    source: \"x y z\"\n"
         "weights:\n  series: {death_rate_permille: 0, retreat_week: 0}\n  status: {verified: 1}\n",
         "6:3: every weight under 'series' is 0"},
        {"params:\n  - key: nutrition.hazard_gamma\n    range: [2, 3]\n    source: \"x y z\"\n"
         "weights:\n  series: {death_rate_permille: 1}\n  status: {verified: 0, memory: 0}\n",
         "7:3: every weight under 'status' is 0"},
        /* the seed is --seeds' */
        {"params:\n  - key: seed\n    range: [1, 9]\n    source: \"x y z\"\nweights: {series: {death_rate_permille: 1}, status: {verified: 1}}\n",
         "2:10: 'seed' cannot be fitted"},
        /* a second document was ignored */
        {"params:\n  - key: nutrition.hazard_gamma\n    range: [2, 3]\n    source: \"x y z\"\n"
         "weights: {series: {death_rate_permille: 1}, status: {verified: 1}}\n---\nweights: {series: {grain_output_mt: 1}}\n",
         "6:1: a second YAML document"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char path[256];
        LeapErr e = {0};
        CalibSpec s;
        assert_int_equal(calib_read_spec(write_tmp(path, sizeof path, "bad.yaml", bad[i].text), 1, &s, &e), LEAP_EINPUT);
        if (!strstr(e.msg, bad[i].needle)) fail_msg("case %zu: '%s' lacks '%s'", i, e.msg, bad[i].needle);
        assert_non_null(strstr(e.msg, path));   /* file:line:col */
        remove(path);
    }
    /* weights are calibrate's: sensitivity screens without them (it refused such a file) */
    char path[256];
    LeapErr e = {0};
    CalibSpec s;
    write_tmp(path, sizeof path, "noweights.yaml", "params:\n  - key: nutrition.hazard_gamma\n    range: [2, 3]\n    source: \"x y z\"\n");
    assert_int_equal(calib_read_spec(path, 1, &s, &e), LEAP_EINPUT);
    assert_non_null(strstr(e.msg, "no 'weights:'"));
    assert_int_equal(calib_read_spec(path, 0, &s, &e), LEAP_OK);
    assert_int_equal(s.n, 1);
    remove(path);
}

/* A toy objective: a bowl with its bottom at gamma 3.3, delay 47. */
typedef struct Toy { int calls, stop_after; } Toy;

static double toy(const double *x, void *ctx, int *stop, LeapErr *e)
{
    (void)e;
    Toy *t = ctx;
    if (t->stop_after && t->calls == t->stop_after) { *stop = 1; return NAN; }
    t->calls++;
    return pow(x[0] - 3.3, 2) + pow((x[1] - 47) / 40, 2);
}

static void run_toy(const char *cache, int budget, int stop_after, CalibResult *r, int *calls)
{
    char path[256];
    LeapErr e = {0};
    CalibSpec s;
    assert_int_equal(calib_read_spec(write_tmp(path, sizeof path, "spec.yaml", spec_text), 1, &s, &e), LEAP_OK);
    double x0[2] = {3, 40};
    CalibOptions o = {cache, budget, 0, x0, NULL};
    Toy t = {0, stop_after};
    assert_int_equal(calib_optimise(&s, &o, toy, &t, r, &e), LEAP_OK);
    *calls = t.calls;
    remove(path);
}

/* BOBYQA finds the bottom of the bowl inside the box. */
static void converges_on_toy(void **st)
{
    (void)st;
    char cache[256];
    snprintf(cache, sizeof cache, "/tmp/leap-test-%d-toy.csv", (int)getpid());
    remove(cache);
    CalibResult r;
    int calls;
    run_toy(cache, 200, 0, &r, &calls);
    assert_float_equal(r.x[0], 3.3, 1e-3);
    assert_float_equal(r.x[1], 47, 0.05);
    assert_true(r.loss < 1e-6);
    assert_int_equal(r.evals, calls);
    remove(cache);
}

/* Interrupted after 9 evaluations, then run again on the same cache: it
   replays the 9, goes on, and ends exactly where an uninterrupted one does
   (same best point, same number of evaluations), calling the objective only
   for the evaluations the first session had not done. */
static void resume_matches_uninterrupted(void **st)
{
    (void)st;
    char a[256], b[256];
    snprintf(a, sizeof a, "/tmp/leap-test-%d-whole.csv", (int)getpid());
    snprintf(b, sizeof b, "/tmp/leap-test-%d-resumed.csv", (int)getpid());
    remove(a);
    remove(b);
    CalibResult whole, part, rest;
    int calls_whole, calls_part, calls_rest;
    run_toy(a, 40, 0, &whole, &calls_whole);
    run_toy(b, 40, 9, &part, &calls_part);
    assert_true(part.stopped);
    assert_int_equal(calls_part, 9);
    run_toy(b, 40, 0, &rest, &calls_rest);
    assert_int_equal(rest.replayed, 9);
    assert_int_equal(calls_rest, calls_whole - 9);
    assert_int_equal(rest.evals, whole.evals);
    assert_memory_equal(rest.x, whole.x, 2 * sizeof(double));
    assert_true(rest.loss == whole.loss);
    /* the cache's best sets are sorted by error */
    LeapErr e = {0};
    CalibSpec s;
    char path[256];
    assert_int_equal(calib_read_spec(write_tmp(path, sizeof path, "spec.yaml", spec_text), 1, &s, &e), LEAP_OK);
    double x[5][CALIB_MAX], l[5];
    assert_int_equal(calib_best_sets(&s, b, 5, x, l, &e), 5);
    for (int i = 1; i < 5; i++) assert_true(l[i - 1] <= l[i]);
    assert_true(l[0] == whole.loss);
    remove(path);
    remove(a);
    remove(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(mape_by_hand),
        cmocka_unit_test(excess_retreat_mqy),
        cmocka_unit_test(mean_of_runs),
        cmocka_unit_test(loss_by_hand),
        cmocka_unit_test(spec_refusals),
        cmocka_unit_test(converges_on_toy),
        cmocka_unit_test(resume_matches_uninterrupted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
