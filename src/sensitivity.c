/* sensitivity.c -- Morris screening (see sensitivity.h). */
#include "sensitivity.h"
#include "batch.h"
#include "calibrate.h"
#include "mem.h"
#include "rng.h"
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *const out_names[SENS_NOUT] = {"excess_deaths_1958_61_million", "death_rate_1960_permille",
                                                  "grain_output_1959_61_mt", "grain_procurement_1959_mt"};

void sens_design(int n, int p, int R, double *points, int *step, int *sign)
{
    double delta = p / (2.0 * (p - 1));
    int top = p / 2;   /* base levels 0 .. p/2 - 1 leave room for +Delta; else start high and go down */
    for (int r = 0; r < R; r++) {
        uint64_t id = 1000000u + (uint64_t)r;
        double *x = &points[(size_t)r * (size_t)(n + 1) * (size_t)n];
        int order[SENS_MAX];
        for (int i = 0; i < n; i++) order[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = (int)(rng_u01(0, RNG_EXPERIMENT, id, 1, (uint32_t)i) * (i + 1));
            if (j > i) j = i;
            int t = order[i]; order[i] = order[j]; order[j] = t;
        }
        for (int i = 0; i < n; i++) {
            int lvl = (int)(rng_u01(0, RNG_EXPERIMENT, id, 0, (uint32_t)i) * p);
            if (lvl >= p) lvl = p - 1;
            x[i] = (double)lvl / (p - 1);
        }
        for (int j = 0; j < n; j++) {
            int f = order[j];
            double *cur = &x[(size_t)j * n], *next = &x[(size_t)(j + 1) * n];
            memcpy(next, cur, (size_t)n * sizeof *cur);
            int up = cur[f] + delta <= 1 + 1e-12;
            (void)top;
            next[f] = up ? cur[f] + delta : cur[f] - delta;
            step[r * n + j] = f;
            sign[r * n + j] = up ? 1 : -1;
        }
    }
}

void sens_effects(int n, int p, int R, int nout, const double *y, const int *step, const int *sign, SensStat *out)
{
    double delta = p / (2.0 * (p - 1));
    for (int i = 0; i < n * nout; i++) out[i].mu_star = out[i].mu = out[i].sigma = 0;
    double ss[SENS_MAX * SENS_NOUT] = {0};
    for (int r = 0; r < R; r++)
        for (int j = 0; j < n; j++) {
            int f = step[r * n + j];
            for (int q = 0; q < nout; q++) {
                double a = y[((size_t)r * (n + 1) + j) * nout + q], b = y[((size_t)r * (n + 1) + j + 1) * nout + q];
                double ee = (b - a) / (delta * sign[r * n + j]);
                out[f * nout + q].mu += ee / R;
                out[f * nout + q].mu_star += fabs(ee) / R;
                ss[f * nout + q] += ee * ee;
            }
        }
    for (int i = 0; i < n * nout; i++) {
        double var = R > 1 ? (ss[i] - R * out[i].mu * out[i].mu) / (R - 1) : 0;
        out[i].sigma = var > 0 ? sqrt(var) : 0;
    }
}

int sens_run(const SensOptions *o, LeapErr *e)
{
    CalibSpec *s = mem_calloc(1, sizeof *s);
    int rc = calib_read_spec(o->params_file, 0, s, e);
    if (rc) { mem_free(s, sizeof *s); return rc; }
    int n = s->n, p = o->levels, R = o->trajectories, K = o->seeds, npts = R * (n + 1), nruns = npts * K;
    double *pts = mem_calloc((size_t)npts * (size_t)n, sizeof *pts);
    int *step = mem_calloc((size_t)R * (size_t)n, sizeof *step), *sign = mem_calloc((size_t)R * (size_t)n, sizeof *sign);
    sens_design(n, p, R, pts, step, sign);
    BatchJob *jobs = mem_calloc((size_t)nruns, sizeof *jobs);
    for (int pt = 0; pt < npts; pt++)
        for (int k = 0; k < K; k++) {
            BatchJob *j = &jobs[pt * K + k];
            j->seed = k + 1;
            for (int i = 0; i < n; i++) {
                double v = s->lo[i] + pts[(size_t)pt * n + i] * (s->hi[i] - s->lo[i]);
                char buf[64];
                snprintf(buf, sizeof buf, "%.17g", s->d[i]->type == PT_I ? round(v) : v);
                batch_set(j, s->d[i]->key, buf);
            }
        }
    char work[4200];
    snprintf(work, sizeof work, "%.4000s/runs", o->outdir);
    if (mkdir(work, 0777) && errno != EEXIST) rc = err_set(e, LEAP_EINPUT, "%s: cannot create (%s)", work, strerror(errno));
    int quiet = o->quiet, stopped = 0;
    BatchProgress prog = {"sensitivity", o->quiet, (double)time(NULL)};
    Batch b = {o->exe, o->scenario, work, o->scale, o->jobs, 1, batch_progress, &prog, NULL};
    CmpRun *runs = mem_calloc((size_t)nruns, sizeof *runs);
    if (!rc) {
        if (!quiet) fprintf(stderr, "leap sensitivity: %d parameters, %d trajectories, %d levels, %d seeds: %d runs\n",
                            n, R, p, K, nruns);
        rc = batch_run(&b, jobs, nruns, runs, &stopped, e);
        if (!rc && stopped) rc = err_set(e, LEAP_EINTERNAL, "interrupted; nothing written");
    }
    double *y = mem_calloc((size_t)npts * SENS_NOUT, sizeof *y);
    for (int pt = 0; pt < npts && !rc; pt++)
        for (int k = 0; k < K; k++) {
            const CmpRun *r = &runs[pt * K + k];
            double g = 0;
            for (int yy = 1959; yy <= 1961; yy++) g += r->v[CS_GRAIN][yy - CMP_Y0];
            y[pt * SENS_NOUT + 0] += cmp_excess(r, 1958, 1961) / K;
            y[pt * SENS_NOUT + 1] += r->v[CS_DEATH][1960 - CMP_Y0] / K;
            y[pt * SENS_NOUT + 2] += g / K;
            y[pt * SENS_NOUT + 3] += r->v[CS_PROC][1959 - CMP_Y0] / K;
        }
    if (!rc) {
        SensStat st[SENS_MAX * SENS_NOUT];
        sens_effects(n, p, R, SENS_NOUT, y, step, sign, st);
        char path[4300];
        FILE *f = batch_open_out(o->outdir, "sensitivity.csv", path, sizeof path, e);
        if (!f) rc = LEAP_EINPUT;
        else {
            fprintf(f, "parameter,range_lo,range_hi,output,mu_star,mu,sigma\n");
            for (int i = 0; i < n; i++)
                for (int q = 0; q < SENS_NOUT; q++)
                    fprintf(f, "%s,%g,%g,%s,%.4f,%.4f,%.4f\n", s->d[i]->key, s->lo[i], s->hi[i], out_names[q],
                            st[i * SENS_NOUT + q].mu_star, st[i * SENS_NOUT + q].mu, st[i * SENS_NOUT + q].sigma);
            rc = batch_close_out(f, path, rc, e);
        }
        if (!rc) {   /* the table, most influential on excess deaths first */
            int ord[SENS_MAX];
            for (int i = 0; i < n; i++) ord[i] = i;
            for (int i = 1; i < n; i++)
                for (int j = i; j > 0 && st[ord[j] * SENS_NOUT].mu_star > st[ord[j - 1] * SENS_NOUT].mu_star; j--) {
                    int t = ord[j]; ord[j] = ord[j - 1]; ord[j - 1] = t;
                }
            printf("Morris screening of %s over %s (%d trajectories, %d levels, %d seeds, scale %g)\n", o->params_file,
                   o->scenario, R, p, K, o->scale);
            printf("effect of moving a parameter across its whole range (mu*: mean |effect|; mu: mean; sigma: sd)\n");
            printf("%-44s %24s %24s\n", "", "excess deaths 58-61 (M)", "grain output 59-61 (Mt)");
            printf("%-44s %8s %8s %7s %8s %8s %7s\n", "parameter", "mu*", "mu", "sigma", "mu*", "mu", "sigma");
            for (int k = 0; k < n; k++) {
                int i = ord[k];
                const SensStat *a = &st[i * SENS_NOUT], *g = &st[i * SENS_NOUT + 2];
                printf("%-44s %8.2f %8.2f %7.2f %8.1f %8.1f %7.1f\n", s->d[i]->key, a->mu_star, a->mu, a->sigma,
                       g->mu_star, g->mu, g->sigma);
            }
        }
    }
    batch_cleanup(&b, nruns);
    mem_free(y, (size_t)npts * SENS_NOUT * sizeof *y);
    mem_free(runs, (size_t)nruns * sizeof *runs);
    mem_free(jobs, (size_t)nruns * sizeof *jobs);
    mem_free(step, (size_t)R * (size_t)n * sizeof *step);
    mem_free(sign, (size_t)R * (size_t)n * sizeof *sign);
    mem_free(pts, (size_t)npts * (size_t)n * sizeof *pts);
    mem_free(s, sizeof *s);
    return rc;
}
