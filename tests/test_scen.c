/* test_scen.c -- scenario files and --set overrides: what loads, and every
   kind of bad input refused with file:line:column and what is allowed. */
#include "test_util.h"
#include "params.h"
#include "scen.h"

static char path[512], path2[512];

static int load(const char *text, Params *P, LeapErr *e)
{
    write_tmp(path, sizeof path, "s.yaml", text);
    memset(e, 0, sizeof *e);
    int rc = scen_load(P, path, e);
    unlink(path);
    return rc;
}

/* The error names this file at line:col and contains `what`. */
static void expect_error(const char *text, int line, int col, const char *what)
{
    Params P;
    LeapErr e;
    assert_int_equal(load(text, &P, &e), LEAP_EINPUT);
    char where[600];
    snprintf(where, sizeof where, "%s:%d:%d: ", path, line, col);
    if (!strstr(e.msg, where) || !strstr(e.msg, what)) print_message("got: %s\nwanted: %s ... %s\n", e.msg, where, what);
    assert_non_null(strstr(e.msg, where));
    assert_non_null(strstr(e.msg, what));
}

static void loads(void **st)
{
    (void)st;
    Params P, D;
    LeapErr e;
    params_default(&D);
    assert_int_equal(load("name: t1\nseed: 7\nrun:\n  end: 1959-06-30\nnutrition:\n  hazard_gamma: 4.5\n"
                          "mechanisms.weather.enabled: no\n", &P, &e), LEAP_OK);
    assert_string_equal(P.name, "t1");
    assert_int_equal(P.seed, 7);
    assert_int_equal(P.end_date, 19590630);
    assert_true(P.hazard_gamma == 4.5);
    assert_int_equal(P.weather_on, 0);
    assert_true(P.tfr == D.tfr);                    /* untouched keys keep their defaults */
    assert_int_equal(load("seed: 3\n", &P, &e), LEAP_OK);
    assert_true(strncmp(P.name, "leap-test-", 10) == 0);   /* default name: the file name */
}

static void extends(void **st)
{
    (void)st;
    Params P;
    LeapErr e = {0};
    write_tmp(path2, sizeof path2, "base.yaml", "name: base\nseed: 5\nnutrition: {hazard_gamma: 5}\n");
    char text[700];
    snprintf(text, sizeof text, "extends: %s\nnutrition:\n  adaptation: 0.3\n", strrchr(path2, '/') + 1);
    write_tmp(path, sizeof path, "child.yaml", text);
    int rc = scen_load(&P, path, &e);
    unlink(path);
    unlink(path2);
    assert_int_equal(rc, LEAP_OK);
    assert_int_equal(P.seed, 5);                    /* inherited */
    assert_true(P.hazard_gamma == 5);
    assert_true(P.adaptation == 0.3f || P.adaptation == 0.3);
    assert_string_not_equal(P.name, "base");        /* a name is never inherited */
}

static void overrides(void **st)
{
    (void)st;
    Params P;
    LeapErr e = {0};
    params_default(&P);
    assert_int_equal(scen_set(&P, "demography.tfr=5.5", 1, &e), LEAP_OK);
    assert_true(P.tfr == 5.5);
    assert_int_equal(scen_set(&P, "run.end=1960-12-31", 2, &e), LEAP_OK);
    assert_int_equal(P.end_date, 19601231);
    assert_int_equal(scen_set(&P, "demography.tfr", 3, &e), LEAP_EINPUT);
    assert_non_null(strstr(e.msg, "--set[3]:1:1: "));
    assert_int_equal(scen_set(&P, "demography.tfrr=5", 4, &e), LEAP_EINPUT);
    assert_non_null(strstr(e.msg, "unknown key 'demography.tfrr'"));
    assert_non_null(strstr(e.msg, "tfr"));          /* lists what is allowed */
    assert_int_equal(scen_set(&P, "demography.tfr=12", 5, &e), LEAP_EINPUT);
    assert_non_null(strstr(e.msg, "--set[5]:1:16: "));
    assert_non_null(strstr(e.msg, "from 4 to 8"));
    assert_int_equal(scen_set(&P, "run.end=1962-02-30", 6, &e), LEAP_EINPUT);
    assert_non_null(strstr(e.msg, "not a valid date"));
    /* a group: one colon, its keys; never name/description/extends, which --set cannot set */
    assert_int_equal(scen_set(&P, "run=1", 7, &e), LEAP_EINPUT);
    assert_non_null(strstr(e.msg, "'run' is a group of settings"));
    assert_non_null(strstr(e.msg, ": end "));
    assert_null(strstr(e.msg, "::"));
    assert_null(strstr(e.msg, ": :"));
    assert_int_equal(scen_set(&P, "zzz=1", 8, &e), LEAP_EINPUT);
    assert_non_null(strstr(e.msg, "allowed at the top: seed, run,"));
    assert_null(strstr(e.msg, "extends"));
    assert_int_equal(scen_set(&P, "name=x", 9, &e), LEAP_EINPUT);
    assert_non_null(strstr(e.msg, "set in the scenario file, not by --set"));
    /* numbers are plain decimals: no spaces, no hexadecimal (strtod/strtol took them) */
    static const char *odd[] = {"seed= 3", "seed=3 ", "seed=0x3", "demography.tfr= 5", "demography.tfr=0x5",
                                "demography.tfr=5.5 ", "demography.tfr=0x1p2"};
    for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
        if (scen_set(&P, odd[i], 10, &e) != LEAP_EINPUT) fail_msg("--set %s was accepted", odd[i]);
        assert_non_null(strstr(e.msg, "--set[10]:1:"));
    }
    assert_int_equal(scen_set(&P, "seed=3.5", 11, &e), LEAP_EINPUT);
    assert_non_null(strstr(e.msg, "'3.5' is not an integer"));
    assert_int_equal(scen_set(&P, "demography.tfr=+6.", 12, &e), LEAP_OK);
    assert_true(P.tfr == 6);
    /* the booleans `leap params` lists, in any case; anything else refused naming them */
    static const char *on[] = {"true", "Yes", "ON", "1"}, *off[] = {"FALSE", "no", "Off", "0"};
    for (int i = 0; i < 4; i++) {
        char buf[64];
        snprintf(buf, sizeof buf, "mechanisms.weather.enabled=%s", off[i]);
        assert_int_equal(scen_set(&P, buf, 13, &e), LEAP_OK);
        assert_true(P.weather_on == 0);
        snprintf(buf, sizeof buf, "mechanisms.weather.enabled=%s", on[i]);
        assert_int_equal(scen_set(&P, buf, 14, &e), LEAP_OK);
        assert_true(P.weather_on == 1);
    }
    assert_int_equal(scen_set(&P, "mechanisms.weather.enabled=2", 15, &e), LEAP_EINPUT);
    assert_non_null(strstr(e.msg, "also yes/no, on/off, 1/0"));
}

static void bad_files(void **st)
{
    (void)st;
    expect_error("name: x\nfoo: 1\n", 2, 1, "unknown key 'foo'");
    expect_error("nutrition:\n  hazard_gama: 3\n", 2, 3, "unknown key 'nutrition.hazard_gama'; allowed here: ");
    expect_error("nutrition:\n  hazard_gamma: lots\n", 2, 17, "'lots' is not a number");
    expect_error("nutrition:\n  hazard_gamma: 99\n", 2, 17, "99 is out of range; a number from 1 to 8");
    expect_error("run:\n  end: 1958-02-30\n", 2, 8, "not a valid date");
    expect_error("run:\n  end: 1958/02/01\n", 2, 8, "YYYY-MM-DD");
    expect_error("run:\n  end: 1957-06-30\n", 2, 8, "out of range");
    expect_error("mechanisms:\n  weather:\n    enabled: maybe\n", 3, 14, "true or false (also yes/no, on/off, 1/0");
    expect_error("seed: 1.5\n", 1, 7, "not an integer");
    expect_error("seed: 1\nseed: 2\n", 2, 1, "duplicate key 'seed'");
    expect_error("demography:\n  tfr:\n    a: 1\n", 3, 5, "needs a single value, not a mapping");
    expect_error("demography: 3\n", 1, 13, "holds a group of settings");
    expect_error("demography:\n  tfr: [5, 6]\n", 2, 8, "needs a single value");
    expect_error("nutrition:\n  hazard_gamma: 3\n adaptation: 0.3\n", 3, 2, "YAML syntax error");
    expect_error("run: {end: 1960-01-01\n", 2, 1, "YAML syntax error");
    expect_error("", 1, 1, "the scenario is empty");
    expect_error("- a\n- b\n", 1, 1, "must be a mapping");
    expect_error("seed: 1\n---\nseed: 2\n", 2, 1, "a second YAML document");   /* was ignored */
    expect_error("---\nseed: 1\n...\n---\n", 4, 1, "a second YAML document");
    expect_error("extends: no-such-file.yaml\n", 1, 10, "no such scenario file");
    expect_error("name: 'a b'\n", 1, 7, "name 'a b' is not allowed");
}

static void cycle(void **st)
{
    (void)st;
    Params P;
    LeapErr e = {0};
    char self[64];
    write_tmp(path, sizeof path, "loop.yaml", "x");
    snprintf(self, sizeof self, "extends: %s\n", strrchr(path, '/') + 1);
    write_tmp(path, sizeof path, "loop.yaml", self);
    int rc = scen_load(&P, path, &e);
    unlink(path);
    assert_int_equal(rc, LEAP_EINPUT);
    assert_non_null(strstr(e.msg, "cycle"));
}

/* A rule between parameters (fecundity_reserve_hi above _lo) is refused
   where the later of the two values was set, naming where the other came
   from: a file of the extends chain, a --set, or the default. */
static void rules(void **st)
{
    (void)st;
    Params P;
    LeapErr e = {0};
    double va, vb;
    params_default(&P);
    assert_int_equal(params_rules_span(&P, NULL, NULL, NULL, 0, &va, &vb), -1);   /* the defaults keep every rule */
    write_tmp(path2, sizeof path2, "base.yaml", "nutrition:\n  fecundity_reserve_lo: 0.7\n");
    char text[700];
    snprintf(text, sizeof text, "extends: %s\nseed: 2\nnutrition:\n  fecundity_reserve_hi: 0.65\n", strrchr(path2, '/') + 1);
    write_tmp(path, sizeof path, "child.yaml", text);
    assert_int_equal(scen_load(&P, path, &e), LEAP_OK);   /* each value is in range alone */
    assert_int_equal(scen_check_rules(&P, path, NULL, 0, &e), LEAP_EINPUT);
    char want[1200];
    snprintf(want, sizeof want, "%s:4:25: nutrition.fecundity_reserve_hi = 0.65 must be above nutrition.fecundity_reserve_lo "
             "= 0.7 (nutrition.fecundity_reserve_lo is set at %s:2:25)", path, path2);
    if (!strstr(e.msg, want)) print_message("got: %s\nwanted: %s\n", e.msg, want);
    assert_non_null(strstr(e.msg, want));
    /* a --set that mends it passes; one that breaks it again is named */
    const char *mend[] = {"nutrition.fecundity_reserve_lo=0.6"};
    assert_int_equal(scen_set(&P, mend[0], 1, &e), LEAP_OK);
    assert_int_equal(scen_check_rules(&P, path, mend, 1, &e), LEAP_OK);
    const char *sets[] = {"nutrition.fecundity_reserve_lo=0.6", "seed=3", "nutrition.fecundity_reserve_lo=0.66"};
    assert_int_equal(scen_set(&P, sets[2], 3, &e), LEAP_OK);
    assert_int_equal(scen_check_rules(&P, path, sets, 3, &e), LEAP_EINPUT);
    snprintf(want, sizeof want, "--set[3]:1:32: nutrition.fecundity_reserve_hi = 0.65 must be above "
             "nutrition.fecundity_reserve_lo = 0.66 (nutrition.fecundity_reserve_hi is set at %s:4:25)", path);
    if (!strstr(e.msg, want)) print_message("got: %s\nwanted: %s\n", e.msg, want);
    assert_non_null(strstr(e.msg, want));
    unlink(path);
    unlink(path2);
    /* against a default: no file */
    params_default(&P);
    const char *low[] = {"nutrition.fecundity_reserve_hi=0.6"};
    assert_int_equal(scen_set(&P, low[0], 1, &e), LEAP_OK);
    assert_int_equal(scen_check_rules(&P, NULL, low, 1, &e), LEAP_EINPUT);
    assert_non_null(strstr(e.msg, "--set[1]:1:32: "));
    assert_non_null(strstr(e.msg, "(nutrition.fecundity_reserve_lo is at its default)"));
    /* a span: the least `above` against the most `below` */
    params_default(&P);
    const ParamDesc *d[] = {params_find("nutrition.fecundity_reserve_lo")};
    double lo[] = {0.5}, hi[] = {0.96};
    assert_int_equal(params_rules_span(&P, d, lo, hi, 1, &va, &vb), 0);
    assert_true(va == P.fec_hi && vb == 0.96);
    hi[0] = 0.9;
    assert_int_equal(params_rules_span(&P, d, lo, hi, 1, &va, &vb), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(loads), cmocka_unit_test(extends), cmocka_unit_test(overrides),
        cmocka_unit_test(bad_files), cmocka_unit_test(cycle), cmocka_unit_test(rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
