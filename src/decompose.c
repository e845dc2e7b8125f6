/* decompose.c -- Shapley decomposition (see decompose.h). */
#include "decompose.h"
#include "batch.h"
#include "compare.h"
#include "mem.h"
#include "rng.h"
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Order o of the m players (a permutation), drawn by Fisher-Yates with
   random numbers keyed by o: the same orders in every session. */
static void order_of(int m, int o, int *p)
{
    for (int i = 0; i < m; i++) p[i] = i;
    for (int i = m - 1; i > 0; i--) {
        int j = (int)(rng_u01(0, RNG_EXPERIMENT, (uint64_t)o, 0, (uint32_t)i) * (i + 1));
        if (j > i) j = i;
        int t = p[i]; p[i] = p[j]; p[j] = t;
    }
}

static int add_unique(uint32_t *list, int n, int cap, uint32_t mask)
{
    for (int i = 0; i < n; i++) if (list[i] == mask) return n;
    if (n < cap) list[n++] = mask;
    return n;
}

int dec_coalitions(int m, int exact, int orders, uint32_t *list, int cap)
{
    int n = 0;
    if (exact) {
        for (uint32_t s = 0; s < (1u << m) && n < cap; s++) list[n++] = s;
        return n;
    }
    int p[DEC_MAX_PLAYERS];
    n = add_unique(list, n, cap, 0);
    for (int o = 0; o < orders; o++) {
        order_of(m, o, p);
        uint32_t s = 0;
        for (int j = 0; j < m; j++) { s |= 1u << p[j]; n = add_unique(list, n, cap, s); }
    }
    return n;
}

static double lfact(int n) { return lgamma(n + 1.0); }

int dec_shapley(int m, int K, int exact, int orders, DecWorth worth, void *ctx, DecResult *r, LeapErr *e)
{
    memset(r, 0, sizeof *r);
    r->m = m; r->K = K; r->exact = exact; r->orders = orders;
    if (m < 1 || m > DEC_MAX_PLAYERS) return err_set(e, LEAP_EINPUT, "%d players: 1 to %d are allowed", m, DEC_MAX_PLAYERS);
    uint32_t all = (1u << m) - 1;
    double phik[64][DEC_MAX_PLAYERS][2], var_ord[DEC_MAX_PLAYERS][2];
    memset(var_ord, 0, sizeof var_ord);
    if (K > 64) K = r->K = 64;
    for (int k = 0; k < K; k++) {
        double v0[2], v1[2];
        int rc = worth(0, k, v0, ctx, e);
        if (!rc) rc = worth(all, k, v1, ctx, e);
        if (rc) return rc;
        for (int q = 0; q < 2; q++) r->total[q] += (v1[q] - v0[q]) / K;
        for (int i = 0; i < m; i++) phik[k][i][0] = phik[k][i][1] = 0;
        if (exact) {
            for (uint32_t s = 0; s <= all; s++) {
                double vs[2];
                if ((rc = worth(s, k, vs, ctx, e))) return rc;
                int size = __builtin_popcount(s);
                for (int i = 0; i < m; i++) {
                    if (s & (1u << i)) continue;
                    double vi[2];
                    if ((rc = worth(s | (1u << i), k, vi, ctx, e))) return rc;
                    double wgt = exp(lfact(size) + lfact(m - size - 1) - lfact(m));
                    for (int q = 0; q < 2; q++) phik[k][i][q] += wgt * (vi[q] - vs[q]);
                }
            }
        } else {
            double sum[DEC_MAX_PLAYERS][2] = {{0}}, sum2[DEC_MAX_PLAYERS][2] = {{0}};
            int p[DEC_MAX_PLAYERS];
            for (int o = 0; o < orders; o++) {
                order_of(m, o, p);
                uint32_t s = 0;
                double prev[2] = {v0[0], v0[1]};
                for (int j = 0; j < m; j++) {
                    s |= 1u << p[j];
                    double cur[2];
                    if ((rc = worth(s, k, cur, ctx, e))) return rc;
                    for (int q = 0; q < 2; q++) {
                        double d = cur[q] - prev[q];
                        sum[p[j]][q] += d;
                        sum2[p[j]][q] += d * d;
                        prev[q] = cur[q];
                    }
                }
            }
            for (int i = 0; i < m; i++)
                for (int q = 0; q < 2; q++) {
                    double mean = sum[i][q] / orders, var = orders > 1 ? (sum2[i][q] - orders * mean * mean) / (orders - 1) : 0;
                    phik[k][i][q] = mean;
                    var_ord[i][q] += (var > 0 ? var : 0) / orders / K / K;   /* variance of the mean over seeds */
                }
        }
    }
    for (int i = 0; i < m; i++)
        for (int q = 0; q < 2; q++) {
            double mean = 0, ss = 0;
            for (int k = 0; k < K; k++) mean += phik[k][i][q] / K;
            for (int k = 0; k < K; k++) ss += (phik[k][i][q] - mean) * (phik[k][i][q] - mean);
            double var_seed = K > 1 ? ss / (K - 1) / K : 0;
            r->phi[i][q] = mean;
            r->se[i][q] = sqrt(var_seed + var_ord[i][q]);
            r->sum_phi[q] += mean;
        }
    return LEAP_OK;
}

/* ---- the command ------------------------------------------------------------------ */


const char *const dec_mechanisms[] = {"politics", "targets", "reporting", "procurement", "labour", "furnaces",
                                      "agronomy", "dining", "incentives", "migration"};
const int dec_nmechanisms = (int)(sizeof dec_mechanisms / sizeof dec_mechanisms[0]);

typedef struct Ctx {
    const uint32_t *list;
    int ncoal, K;
    const CmpRun *runs;     /* [coalition][seed] */
} Ctx;

static double grain_5961(const CmpRun *r)
{
    double g = 0;
    for (int y = 1959; y <= 1961; y++) g += r->v[CS_GRAIN][y - CMP_Y0];
    return g;
}

static int worth(uint32_t mask, int k, double out[2], void *vctx, LeapErr *e)
{
    const Ctx *c = vctx;
    int i = 0;
    while (i < c->ncoal && c->list[i] != mask) i++;
    if (i == c->ncoal) return err_set(e, LEAP_EINTERNAL, "coalition %u was not run", mask);
    const CmpRun *r = &c->runs[(size_t)i * (size_t)c->K + (size_t)k];
    const CmpRun *none = &c->runs[(size_t)k];   /* list[0] is the empty coalition */
    out[0] = cmp_excess(r, 1958, 1961);
    out[1] = grain_5961(none) - grain_5961(r);
    return LEAP_OK;
}

int dec_run(const DecOptions *o, LeapErr *e)
{
    int m = o->m, K = o->seeds;
    int exact = ((1 << m) + 2) * K <= o->budget;
    uint32_t *list = mem_calloc((size_t)1 << m, sizeof *list);
    int ncoal = dec_coalitions(m, exact, o->samples, list, 1 << m);
    int nruns = (ncoal + 2) * K;
    if (!exact && nruns > o->budget) {
        mem_free(list, ((size_t)1 << m) * sizeof *list);
        return err_set(e, LEAP_EINPUT, "%d players need %d runs (%d coalitions + 2 weather runs, x %d seeds) for %d "
                       "sampled orders, over --budget %d; raise --budget, or lower --samples or --seeds",
                       m, nruns, ncoal, K, o->samples, o->budget);
    }
    char work[4200];
    snprintf(work, sizeof work, "%.4000s/runs", o->outdir);
    if ((mkdir(o->outdir, 0777) && errno != EEXIST) || (mkdir(work, 0777) && errno != EEXIST)) {
        mem_free(list, ((size_t)1 << m) * sizeof *list);
        return err_set(e, LEAP_EINPUT, "%s: cannot create (%s)", o->outdir, strerror(errno));
    }
    /* the jobs: coalition-major, seeds 1..K; then the weather pair */
    BatchJob *jobs = mem_calloc((size_t)nruns, sizeof *jobs);
    for (int c = 0; c < ncoal + 2; c++)
        for (int k = 0; k < K; k++) {
            BatchJob *j = &jobs[c * K + k];
            j->seed = k + 1;
            uint32_t mask = c < ncoal ? list[c] : c == ncoal ? (1u << m) - 1 : 0;
            for (int i = 0; i < m; i++)
                if (!(mask & (1u << i))) {
                    char key[96];
                    snprintf(key, sizeof key, "mechanisms.%s.enabled", o->players[i]);
                    batch_set(j, key, "false");
                }
            if (c >= ncoal) batch_set(j, "mechanisms.weather.enabled", "false");
        }
    if (!o->quiet)
        fprintf(stderr, "leap decompose: %d players, %s, %d seeds at scale %g: %d runs\n", m,
                exact ? "exact (every coalition)" : "sampled orders", K, o->scale, nruns);
    BatchProgress prog = {"decompose", o->quiet, (double)time(NULL)};
    Batch b = {o->exe, o->scenario, work, o->scale, o->jobs, 1, batch_progress, &prog, NULL};
    CmpRun *runs = mem_calloc((size_t)nruns, sizeof *runs);
    int stopped = 0, rc = batch_run(&b, jobs, nruns, runs, &stopped, e);
    if (!rc && stopped) rc = err_set(e, LEAP_EINTERNAL, "interrupted; nothing written");
    DecResult r;
    Ctx ctx = {list, ncoal, K, runs};
    if (!rc) rc = dec_shapley(m, K, exact, o->samples, worth, &ctx, &r, e);
    if (!rc) {
        /* weather: every player on, real minus normal weather; and none */
        double wx[2] = {0, 0}, wg[2] = {0, 0};
        for (int k = 0; k < K; k++) {
            const CmpRun *all = NULL, *none = &runs[k], *all_n = &runs[(size_t)ncoal * K + k], *none_n = &runs[(size_t)(ncoal + 1) * K + k];
            for (int c = 0; c < ncoal; c++) if (list[c] == (1u << m) - 1) all = &runs[(size_t)c * K + k];
            if (!all) { rc = err_set(e, LEAP_EINTERNAL, "the full coalition was not run"); break; }
            wx[0] += (cmp_excess(all, 1958, 1961) - cmp_excess(all_n, 1958, 1961)) / K;
            wx[1] += (cmp_excess(none, 1958, 1961) - cmp_excess(none_n, 1958, 1961)) / K;
            wg[0] += (grain_5961(all_n) - grain_5961(all)) / K;
            wg[1] += (grain_5961(none_n) - grain_5961(none)) / K;
        }
        char path[4300];
        FILE *f = rc ? NULL : batch_open_out(o->outdir, "decomposition.csv", path, sizeof path, e);
        if (!rc && !f) rc = LEAP_EINPUT;
        if (f) {
            const double z = 1.645;
            fprintf(f, "mechanism,excess_deaths_million,excess_deaths_lo,excess_deaths_hi,share_of_excess,"
                       "grain_shortfall_mt,grain_shortfall_lo,grain_shortfall_hi,share_of_shortfall\n");
            printf("Shapley decomposition of %s (%s; %d seeds, scale %g; 90%% intervals)\n", o->scenario,
                   exact ? "exact" : "sampled orders", K, o->scale);
            printf("%-34s %24s %8s   %24s %8s\n", "", "excess deaths 1958-61", "", "grain shortfall 1959-61", "");
            printf("%-34s %24s %8s   %24s %8s\n", "mechanism", "million (90% interval)", "share", "Mt (90% interval)", "share");
            for (int i = 0; i < m; i++) {
                double a = r.phi[i][0], sa = r.se[i][0], g = r.phi[i][1], sg = r.se[i][1];
                fprintf(f, "%s,%.3f,%.3f,%.3f,%.4f,%.2f,%.2f,%.2f,%.4f\n", o->players[i], a, a - z * sa, a + z * sa,
                        r.total[0] ? a / r.total[0] : NAN, g, g - z * sg, g + z * sg, r.total[1] ? g / r.total[1] : NAN);
                printf("%-34s %7.2f (%6.2f to %6.2f) %7.0f%%   %7.1f (%6.1f to %6.1f) %7.0f%%\n", o->players[i], a,
                       a - z * sa, a + z * sa, 100 * a / r.total[0], g, g - z * sg, g + z * sg, 100 * g / r.total[1]);
            }
            fprintf(f, "all mechanisms (all on - all off),%.3f,,,1,%.2f,,,1\n", r.total[0], r.total[1]);
            fprintf(f, "sum of the contributions,%.3f,,,,%.2f,,,\n", r.sum_phi[0], r.sum_phi[1]);
            fprintf(f, "weather with every mechanism on,%.3f,,,,%.2f,,,\n", wx[0], wg[0]);
            fprintf(f, "weather with every mechanism off,%.3f,,,,%.2f,,,\n", wx[1], wg[1]);
            printf("%-34s %7.2f %26s %7.1f\n", "all mechanisms (all on - all off)", r.total[0], "", r.total[1]);
            printf("%-34s %7.2f %26s %7.1f   (efficiency: equals the line above)\n", "sum of the contributions",
                   r.sum_phi[0], "", r.sum_phi[1]);
            printf("%-34s %7.2f %26s %7.1f\n", "weather, with every mechanism on", wx[0], "", wg[0]);
            printf("%-34s %7.2f %26s %7.1f\n", "weather, with every mechanism off", wx[1], "", wg[1]);
            printf("weather is not a player: its lines compare the real weather with 1957-like yields.\n");
            rc = batch_close_out(f, path, rc, e);
        }
        /* every coalition's worth, for transparency */
        FILE *g = rc ? NULL : batch_open_out(o->outdir, "coalitions.csv", path, sizeof path, e);
        if (!rc && !g) rc = LEAP_EINPUT;
        if (g) {
            fprintf(g, "coalition,mechanisms_on,weather,seed,excess_deaths_1958_61_million,grain_output_1959_61_mt\n");
            for (int c = 0; c < ncoal + 2; c++)
                for (int k = 0; k < K; k++) {
                    uint32_t mask = c < ncoal ? list[c] : c == ncoal ? (1u << m) - 1 : 0;
                    fprintf(g, "%u,", mask);
                    int first = 1;
                    for (int i = 0; i < m; i++)
                        if (mask & (1u << i)) { fprintf(g, "%s%s", first ? "" : " ", o->players[i]); first = 0; }
                    const CmpRun *x = &runs[(size_t)c * K + k];
                    fprintf(g, ",%s,%d,%.3f,%.2f\n", c < ncoal ? "real" : "normal", k + 1, cmp_excess(x, 1958, 1961), grain_5961(x));
                }
            rc = batch_close_out(g, path, rc, e);
        }
    }
    batch_cleanup(&b, nruns);
    mem_free(runs, (size_t)nruns * sizeof *runs);
    mem_free(jobs, (size_t)nruns * sizeof *jobs);
    mem_free(list, ((size_t)1 << m) * sizeof *list);
    return rc;
}
