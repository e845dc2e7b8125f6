/* ensemble.c -- replicates over seeds and parameter sets (see ensemble.h). */
#include "ensemble.h"
#include "cal.h"
#include <stddef.h>
#include "batch.h"
#include "data.h"
#include "mem.h"
#include "params.h"
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double ens_quantile(double *v, int n, double q)
{
    if (n <= 0) return NAN;
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    double pos = q * (n - 1);
    int lo = (int)floor(pos);
    if (lo >= n - 1) return v[n - 1];
    return v[lo] + (pos - lo) * (v[lo + 1] - v[lo]);
}

/* Parameter sets: the first n data rows of a best_sets.csv (rank, loss,
   keys...), which must be ranked 1, 2, ... in that order (the N best). */
static int read_sets(const char *path, int n, const Params *P, BatchJob *proto, int *got, LeapErr *e)
{
    CsvTable T;
    if (csv_read(&T, path, e)) return LEAP_EINPUT;
    int rc = LEAP_OK;
    if (T.ncols < 3 || strcmp(T.cell[0], "rank") || strcmp(T.cell[1], "loss"))
        rc = err_at(e, path, 1, 1, "not a best_sets.csv of `leap calibrate`: the columns rank, loss, then parameters are expected");
    for (int c = 2; c < T.ncols && !rc; c++) {
        const ParamDesc *d = params_find(T.cell[c]);
        if (!d) rc = err_at(e, path, 1, c + 1, "'%s' is not a parameter", T.cell[c]);
        else if (!strcmp(d->key, "seed"))   /* --seed would silently win */
            rc = err_at(e, path, 1, c + 1, "'seed' cannot be a column: every parameter set runs seeds 1..K (--seeds)");
        for (int b = 2; b < c && !rc; b++)   /* else the later would silently win */
            if (!strcmp(T.cell[b], T.cell[c]))
                rc = err_at(e, path, 1, c + 1, "'%s' is a column twice (columns %d and %d); each parameter once",
                            T.cell[c], b + 1, c + 1);
    }
    *got = 0;
    for (int r = 0; r < T.nrows && r < n && !rc; r++) {
        const ParamDesc *ds[BATCH_MAX_SETS];
        double vs[BATCH_MAX_SETS];
        int nd = 0;
        double rank;
        if ((rc = csv_num(&T, r, 0, 1, 1e9, 0, &rank, e))) break;
        if (rank != r + 1) {   /* sorted, or "the N best" would be the first N rows, whatever their rank */
            rc = err_at(e, path, r + 2, 1, "rank %s where %d is expected: the rows must be ranked 1, 2, 3, ... in that "
                        "order, as `leap calibrate` writes them", csv_cell(&T, r, 0), r + 1);
            break;
        }
        for (int c = 2; c < T.ncols && !rc; c++) {
            double v;
            const ParamDesc *d = params_find(T.cell[c]);
            char buf[64], why[400];
            if (d->type == PT_B || d->type == PT_T) {   /* true/false and dates as --set takes them */
                if (!params_parse(d, csv_cell(&T, r, c), &v, why, sizeof why)) {
                    rc = err_at(e, path, r + 2, c + 1, "column '%s': %s", T.cell[c], why);
                    break;
                }
                if (d->offset == offsetof(Params, end_date) && cal_last_full_year((int)v) < 1961) {
                    rc = err_at(e, path, r + 2, c + 1, "run.end %s leaves 1961 short of its last week, but the "
                                "ensemble's figures cover 1958-61: run.end must reach the last week of 1961 "
                                "(1961-12-31 always does)", csv_cell(&T, r, c));
                    break;
                }
            } else if ((rc = csv_num(&T, r, c, d->min, d->max, 0, &v, e))) break;
            if (d->type == PT_I && v != round(v)) {   /* it was rounded without a word */
                rc = err_at(e, path, r + 2, c + 1, "column '%s': %s is not a whole number; %s takes whole numbers from "
                            "%g to %g", T.cell[c], csv_cell(&T, r, c), d->key, d->min, d->max);
                break;
            }
            if (d->type == PT_D || d->type == PT_I) snprintf(buf, sizeof buf, "%.17g", v);
            else params_format(d, v, buf, sizeof buf);   /* as --set reads it */
            batch_set(&proto[r], T.cell[c], buf);
            if (nd < BATCH_MAX_SETS) { ds[nd] = d; vs[nd++] = d->type == PT_I ? round(v) : v; }
        }
        double va, vb;
        int rule = rc || !P ? -1 : params_rules_span(P, ds, vs, vs, nd, &va, &vb);
        if (rule >= 0) {   /* at the rule's column given last */
            int c = params_rule_last(rule, ds, nd);
            char text[400];
            params_rule_text(rule, va, vb, text, sizeof text);
            rc = err_at(e, path, r + 2, c + 3, "this parameter set breaks a rule: %s (the scenario's value for a "
                        "parameter not in the file)", text);
        }
        (*got)++;
    }
    if (!rc && *got < n)
        rc = err_set(e, LEAP_EINPUT, "%s has %d parameter sets; --param-sets %d asks for more", path, *got, n);
    csv_table_free(&T);
    return rc;
}

int ens_run(const EnsOptions *o, LeapErr *e)
{
    int N = o->nsets > 0 ? o->nsets : 1, K = o->seeds, nruns = N * K, rc = LEAP_OK;
    BatchJob *proto = mem_calloc((size_t)N, sizeof *proto);
    if (o->nsets > 0) {
        int got;
        rc = read_sets(o->sets_file, N, o->params, proto, &got, e);
    }
    char work[4200];
    snprintf(work, sizeof work, "%.4000s/runs", o->outdir);
    if (!rc && (mkdir(work, 0777) && errno != EEXIST)) rc = err_set(e, LEAP_EINPUT, "%s: cannot create (%s)", work, strerror(errno));
    BatchJob *jobs = mem_calloc((size_t)nruns, sizeof *jobs);
    CmpRun *runs = mem_calloc((size_t)nruns, sizeof *runs);
    for (int i = 0; i < N; i++)
        for (int k = 0; k < K; k++) {
            jobs[i * K + k] = proto[i];
            jobs[i * K + k].seed = k + 1;
        }
    int quiet = o->quiet, stopped = 0;
    BatchProgress prog = {"ensemble", o->quiet, (double)time(NULL)};
    Batch b = {o->exe, o->scenario, work, o->scale, o->jobs, 1, batch_progress, &prog, NULL};
    if (!rc) {
        if (!quiet) fprintf(stderr, "leap ensemble: %d parameter set%s x %d seeds at scale %g: %d runs\n", N, N > 1 ? "s" : "",
                            K, o->scale, nruns);
        rc = batch_run(&b, jobs, nruns, runs, &stopped, e);
        if (!rc && stopped) rc = err_set(e, LEAP_EINTERNAL, "interrupted; nothing written");
    }
    /* every run's national_annual.csv */
    CsvTable *T = mem_calloc((size_t)nruns, sizeof *T);
    for (int r = 0; r < nruns && !rc; r++) {
        char path[4400];
        batch_dir(&b, r, path, sizeof path - 24);
        strcat(path, "/national_annual.csv");
        rc = csv_read(&T[r], path, e);
        if (!rc && (T[r].nrows != T[0].nrows || T[r].ncols != T[0].ncols))
            rc = err_set(e, LEAP_EINTERNAL, "%s: not the shape of the first run's", path);
    }
    if (!rc) {
        char p1[4300], p2[4300];
        FILE *f = batch_open_out(o->outdir, "national_annual.csv", p1, sizeof p1, e);
        FILE *g = f ? batch_open_out(o->outdir, "interval_sources.csv", p2, sizeof p2, e) : NULL;
        if (!f || !g) rc = LEAP_EINPUT;
        double *v = mem_calloc((size_t)nruns, sizeof *v);
        if (!rc) {
            fprintf(f, "year");
            for (int c = 1; c < T[0].ncols; c++) fprintf(f, ",%s,%s_lo,%s_hi", T[0].cell[c], T[0].cell[c], T[0].cell[c]);
            fputc('\n', f);
            fprintf(g, "column,year,sd,share_parameters,share_seeds\n");
            for (int y = 0; y < T[0].nrows; y++) {
                fprintf(f, "%s", csv_cell(&T[0], y, 0));
                for (int c = 1; c < T[0].ncols; c++) {
                    int n = 0;
                    double mean = 0, vp = 0, vs = 0, mi[64] = {0};
                    for (int r = 0; r < nruns; r++) {
                        const char *s = csv_cell(&T[r], y, c);
                        v[r] = *s ? strtod(s, NULL) : NAN;
                        if (*s) n++;
                    }
                    if (n < nruns) { fprintf(f, ",,,"); continue; }
                    for (int r = 0; r < nruns; r++) mean += v[r] / nruns;
                    for (int i = 0; i < N && i < 64; i++) {
                        for (int k = 0; k < K; k++) mi[i] += v[i * K + k] / K;
                        for (int k = 0; k < K; k++) vs += (v[i * K + k] - mi[i]) * (v[i * K + k] - mi[i]) / (K > 1 ? K - 1 : 1) / N;
                    }
                    for (int i = 0; i < N && i < 64; i++) vp += (mi[i] - mean) * (mi[i] - mean) / (N > 1 ? N - 1 : 1);
                    if (N == 1) vp = 0;
                    double lo = ens_quantile(v, nruns, 0.05), hi = ens_quantile(v, nruns, 0.95);
                    fprintf(f, ",%.6g,%.6g,%.6g", mean, lo, hi);
                    double tot = vp + vs;
                    fprintf(g, "%s,%s,%.6g,%.4f,%.4f\n", T[0].cell[c], csv_cell(&T[0], y, 0), sqrt(tot),
                            tot > 0 ? vp / tot : 0, tot > 0 ? vs / tot : 0);
                }
                fputc('\n', f);
            }
        }
        mem_free(v, (size_t)nruns * sizeof *v);
        if (f) rc = batch_close_out(f, p1, rc, e);
        if (g) rc = batch_close_out(g, p2, rc, e);
        if (!rc) {   /* one row per replicate: for paired comparisons between scenarios */
            char p3[4300];
            FILE *h = batch_open_out(o->outdir, "replicates.csv", p3, sizeof p3, e);
            if (!h) rc = LEAP_EINPUT;
            else {
                fprintf(h, "parameter_set,seed,excess_deaths_1958_61_million,death_rate_1960_permille,grain_output_1959_61_mt\n");
                for (int i = 0; i < N; i++)
                    for (int k = 0; k < K; k++) {
                        const CmpRun *x = &runs[i * K + k];
                        double gsum = 0;
                        for (int yy = 1959; yy <= 1961; yy++) gsum += x->v[CS_GRAIN][yy - CMP_Y0];
                        fprintf(h, "%d,%d,%.4f,%.3f,%.3f\n", o->nsets > 0 ? i + 1 : 0, k + 1, cmp_excess(x, 1958, 1961),
                                x->v[CS_DEATH][1960 - CMP_Y0], gsum);
                    }
                rc = batch_close_out(h, p3, rc, e);
            }
        }
        if (!rc && !o->quiet) {   /* the headline: excess deaths 1958-61 */
            double x[4096];
            for (int r = 0; r < nruns; r++) x[r] = cmp_excess(&runs[r], 1958, 1961);
            double m = 0;
            for (int r = 0; r < nruns; r++) m += x[r] / nruns;
            double lo = ens_quantile(x, nruns, 0.05), hi = ens_quantile(x, nruns, 0.95);
            printf("leap ensemble: true excess deaths 1958-61 %.1f million (90%% interval %.1f to %.1f) over %d runs\n",
                   m, lo, hi, nruns);
        }
    }
    for (int r = 0; r < nruns; r++) csv_table_free(&T[r]);
    batch_cleanup(&b, nruns);
    mem_free(T, (size_t)nruns * sizeof *T);
    mem_free(runs, (size_t)nruns * sizeof *runs);
    mem_free(jobs, (size_t)nruns * sizeof *jobs);
    mem_free(proto, (size_t)N * sizeof *proto);
    return rc;
}
