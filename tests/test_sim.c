/* test_sim.c -- whole-model invariants on small runs: people and grain are
   conserved every week; results do not depend on threads nor on how the
   birth pools are laid out; no harvest, no procurement; no cell prints
   as a negative zero. */
#include "test_util.h"
#include <math.h>
#include "ledger.h"
#include "mem.h"
#include "out.h"
#include "sim.h"

static SimState *make(Params *P, double scale, int threads)
{
    SimState *S = NULL;
    LeapErr e = {0};
    RunOpts o = {scale, (uint32_t)P->seed, threads, TEST_DATA, 0, 0};
    int rc = sim_new(&S, P, &o, &e);
    if (rc) print_message("sim_new: %s\n", e.msg);
    assert_int_equal(rc, LEAP_OK);
    return S;
}

static int64_t count_alive(const SimState *S)
{
    int64_t n = 0;
    for (int i = 0; i < S->ncomm; i++) {
        const Commune *c = &S->comm[i];
        for (int64_t s = c->first; s < c->pool_start + c->pool_used; s++) n += (S->pp.bws[s] & BWS_ALIVE) != 0;
    }
    return n;
}

/* Every week: the persons alive in the table are the tally's population,
   and it moved only by births and deaths; the grain held is what the ledger
   says (checked independently of the tallies). */
static void accounting(void **st)
{
    (void)st;
    Params P;
    params_default(&P);
    P.end_date = 19580831;   /* spans both 1957 harvests and the 1958 summer one */
    SimState *S = make(&P, 0.0005, 2);
    int64_t pop = count_alive(S), harvested = 0;
    for (int w = 0; w < S->nweeks; w++) {
        LeapErr e = {0};
        int rc = sim_step(S, &e);
        if (rc) print_message("%s\n", e.msg);
        assert_int_equal(rc, LEAP_OK);
        int64_t now = count_alive(S);
        assert_int_equal(now, S->nat_week.pop_end);
        assert_int_equal(now, pop + S->nat_week.births - S->nat_week.deaths);
        assert_int_equal(ledg_holdings(S), S->ledger_holdings);
        assert_true(S->state_granary >= 0);
        harvested += S->nat_week.harvest;
        pop = now;
    }
    assert_true(harvested > 0);
    sim_free(S);
}

/* No harvest, no procurement: before the first harvest of 1957 (and with
   no surplus to sell) the state procures nothing. */
static void no_harvest_no_procurement(void **st)
{
    (void)st;
    Params P;
    params_default(&P);
    P.end_date = 19570601;
    SimState *S = make(&P, 0.0005, 1);
    for (int w = 0; w < S->nweeks; w++) {
        LeapErr e = {0};
        assert_int_equal(sim_step(S, &e), LEAP_OK);
        assert_int_equal(S->nat_week.harvest, 0);
        assert_int_equal(S->nat_week.procured, 0);
    }
    sim_free(S);
}

/* Run to the end and return every weekly national tally (owned). */
static Tally *run_all(Params *P, double scale, int threads, int64_t *relayouts, int *nweeks)
{
    SimState *S = make(P, scale, threads);
    Tally *t = calloc((size_t)S->nweeks, sizeof *t);
    for (int w = 0; w < S->nweeks; w++) {
        LeapErr e = {0};
        assert_int_equal(sim_step(S, &e), LEAP_OK);
        t[w] = S->nat_week;
    }
    *relayouts = S->relayouts;
    *nweeks = S->nweeks;
    sim_free(S);
    return t;
}

/* Birth pools with no spare room are enlarged many times; stable ids make
   the results identical to generous pools.  One thread vs two: identical. */
static void layout_and_threads_free(void **st)
{
    (void)st;
    Params P;
    params_default(&P);
    P.end_date = 19580301;
    int64_t r1, r2, r3;
    int n1, n2, n3;
    Tally *a = run_all(&P, 0.0005, 2, &r1, &n1);
    Tally *c = run_all(&P, 0.0005, 1, &r3, &n3);
    P.pool_margin = 0;
    Tally *b = run_all(&P, 0.0005, 2, &r2, &n2);
    assert_int_equal(n1, n2);
    assert_true(r2 > r1);                       /* the tight pools were really relaid */
    assert_memory_equal(a, b, (size_t)n1 * sizeof *a);
    assert_memory_equal(a, c, (size_t)n1 * sizeof *a);
    assert_true(a[n1 - 1].births > 0);
    free(a); free(b); free(c);
}

/* A bad cell in a data file: file, line, column, value and range. */
static void bad_data(void **st)
{
    (void)st;
    char dir[256], cmd[1200];
    snprintf(dir, sizeof dir, "/tmp/leap-test-%d-data", (int)getpid());
    snprintf(cmd, sizeof cmd, "rm -rf %s && cp -r %s %s && sed -i '3s/,0.556,/,1.556,/' %s/provinces.csv",
             dir, TEST_DATA, dir, dir);
    assert_int_equal(system(cmd), 0);
    HistData *H = malloc(sizeof *H);
    LeapErr e = {0};
    assert_int_equal(data_load(H, dir, &e), LEAP_EINPUT);
    assert_non_null(strstr(e.msg, "provinces.csv:3:4: column 'urban_share_1957': 1.556 is out of range"));
    free(H);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

/* Everything allocated is freed. */
static void no_leak(void **st)
{
    (void)st;
    size_t before = mem_bytes();
    Params P;
    params_default(&P);
    P.end_date = 19571231;
    SimState *S = make(&P, 0.0002, 1);
    LeapErr e = {0};
    for (int w = 0; w < 5; w++) assert_int_equal(sim_step(S, &e), LEAP_OK);
    sim_free(S);
    assert_int_equal(mem_bytes(), before);
}

/* A cell as out_number writes it, into buf. */
static const char *cell(char *buf, size_t n, const char *fmt, double v)
{
    FILE *f = fmemopen(buf, n, "w");
    assert_non_null(f);
    out_number(f, fmt, v);
    fclose(f);
    return buf;
}

/* Values that round to zero from below lose the sign (the run store keeps
   none, and export must give the run's bytes); others keep theirs. */
static void negative_zero(void **state)
{
    (void)state;
    char b[64];
    assert_string_equal(cell(b, sizeof b, "%.4f", -0.00004), "0.0000");
    assert_string_equal(cell(b, sizeof b, "%.4f", -0.0), "0.0000");
    assert_string_equal(cell(b, sizeof b, "%.0f", -0.4), "0");
    assert_string_equal(cell(b, sizeof b, "%.17g", -0.0), "0");
    assert_string_equal(cell(b, sizeof b, "%.4f", -0.00005001), "-0.0001");
    assert_string_equal(cell(b, sizeof b, "%.2f", -10.004), "-10.00");
    assert_string_equal(cell(b, sizeof b, "%.3f", 0.0), "0.000");
    assert_string_equal(cell(b, sizeof b, "%.1f", -3.0), "-3.0");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(accounting), cmocka_unit_test(no_harvest_no_procurement),
        cmocka_unit_test(layout_and_threads_free), cmocka_unit_test(bad_data), cmocka_unit_test(no_leak),
        cmocka_unit_test(negative_zero),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
