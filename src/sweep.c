/* sweep.c -- a grid of parameter values (see sweep.h). */
#include "sweep.h"
#include "out.h"
#include "batch.h"
#include "cal.h"
#include "mem.h"
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int sweep_parse(const char *arg, int index, const SweepParam *earlier, SweepParam *p, LeapErr *e)
{
    char where[32], key[128];
    snprintf(where, sizeof where, "--param[%d]", index);
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg || (size_t)(eq - arg) >= sizeof key)
        return err_at(e, where, 1, 1, "'%s' is not KEY=LO:HI:N; e.g. nutrition.hazard_gamma=2:5:4", arg);
    memcpy(key, arg, (size_t)(eq - arg));
    key[eq - arg] = '\0';
    p->d = params_find(key);
    if (!p->d) return err_at(e, where, 1, 1, "'%s' is not a parameter; `leap params` lists them", key);
    if (p->d->type != PT_D && p->d->type != PT_I)
        return err_at(e, where, 1, 1, "%s is a %s; only numbers can be swept", key, params_type_name(p->d->type));
    if (!strcmp(p->d->key, "seed"))
        return err_at(e, where, 1, 1, "seed cannot be swept: every point runs seeds 1..K (--seeds K); "
                      "sweep another parameter");
    for (int i = 0; i < index - 1; i++)
        if (earlier[i].d == p->d)
            return err_at(e, where, 1, 1, "%s is given twice (--param number %d and %d); give each parameter once, "
                          "with the values it should take", key, i + 1, index);
    char *end;
    const char *s = eq + 1;
    p->lo = strtod(s, &end);
    int col = (int)(s - arg) + 1;
    if (end == s || *end != ':' || !params_decimal(s, (size_t)(end - s), false))
        return err_at(e, where, 1, col, "'%s': LO:HI:N expected after '=', LO and HI decimal numbers", eq + 1);
    s = end + 1;
    p->hi = strtod(s, &end);
    if (end == s || *end != ':' || !params_decimal(s, (size_t)(end - s), false))
        return err_at(e, where, 1, (int)(s - arg) + 1, "'%s': LO:HI:N expected after '=', LO and HI decimal numbers", eq + 1);
    s = end + 1;
    long n = strtol(s, &end, 10);
    if (end == s || *end || n < 1 || n > 1000 || !params_decimal(s, strlen(s), true))
        return err_at(e, where, 1, (int)(s - arg) + 1, "N must be a whole number from 1 to 1000, not '%s'", s);
    p->n = (int)n;
    long points = n;   /* each factor <= 1000, so no overflow before the limit is passed */
    for (int i = 0; i < index - 1 && points <= SWEEP_MAX_POINTS; i++) points *= earlier[i].n;
    if (points > SWEEP_MAX_POINTS)
        return err_at(e, where, 1, (int)(s - arg) + 1, "N = %d makes the grid (all combinations of the --param) "
                      "more than %d points; at most %d are allowed", p->n, SWEEP_MAX_POINTS, SWEEP_MAX_POINTS);
    if (p->lo < p->d->min || p->lo > p->d->max || p->hi < p->d->min || p->hi > p->d->max)
        return err_at(e, where, 1, col, "%s: %g:%g leaves its plausible range; from %g to %g is allowed", key, p->lo, p->hi,
                      p->d->min, p->d->max);
    if (p->n > 1 && !(p->lo < p->hi)) return err_at(e, where, 1, col, "LO must be below HI when N > 1");
    /* a whole-number parameter: every point whole and none twice (they were rounded without a word) */
    if (p->d->type == PT_I && (p->lo != round(p->lo) || p->hi != round(p->hi) ||
                               (p->n > 1 && fmod(p->hi - p->lo, p->n - 1) != 0))) {
        double a = ceil(p->lo), span = floor(p->hi) - a;   /* a grid of whole points inside the one given */
        int m = p->n > 1 && span >= p->n - 1 ? p->n : (int)fmin(p->n, span + 1);
        double b = m > 1 ? a + (m - 1) * floor(span / (m - 1)) : a;
        if (m < 1)
            return err_at(e, where, 1, col, "%s takes whole numbers, and none lies from %g to %g", key, p->lo, p->hi);
        return err_at(e, where, 1, col, "%s takes whole numbers: LO and HI whole, and HI - LO a multiple of N - 1 "
                      "(so the %d points are whole and differ); e.g. %s=%.0f:%.0f:%d", key, p->n, key, a, b, m);
    }
    return LEAP_OK;
}

int sweep_check_rules(const SweepParam *p, int np, const Params *P, LeapErr *e)
{
    const ParamDesc *d[SWEEP_MAX_PARAMS];
    double lo[SWEEP_MAX_PARAMS], hi[SWEEP_MAX_PARAMS];
    for (int i = 0; i < np; i++) {   /* the grid's ends, as its points are (integers rounded) */
        d[i] = p[i].d;
        lo[i] = fmin(sweep_value(&p[i], 0), sweep_value(&p[i], p[i].n - 1));
        hi[i] = fmax(sweep_value(&p[i], 0), sweep_value(&p[i], p[i].n - 1));
    }
    double va, vb;
    int r = params_rules_span(P, d, lo, hi, np, &va, &vb);
    if (r < 0) return LEAP_OK;
    int i = params_rule_last(r, d, np);
    char where[32], rule[400];
    snprintf(where, sizeof where, "--param[%d]", i + 1);
    params_rule_text(r, va, vb, rule, sizeof rule);
    return err_at(e, where, 1, (int)strlen(d[i]->key) + 2, "the grid has points that break a rule: %s "
                  "(the grid's ends, the scenario's value for a parameter not swept); narrow the values of %s",
                  rule, d[i]->key);
}

double sweep_value(const SweepParam *p, int j)
{
    double v = p->n > 1 ? p->lo + (p->hi - p->lo) * j / (p->n - 1) : p->lo;
    return p->d->type == PT_I ? round(v) : v;
}

static double sum_years(const CmpRun *r, int s, int y0, int y1)
{
    double x = 0;
    for (int y = y0; y <= y1; y++) x += r->v[s][y - CMP_Y0];
    return x;
}

int sweep_run(const SweepOptions *o, LeapErr *e)
{
    long points = 1;
    for (int i = 0; i < o->np; i++) points *= o->p[i].n;
    int K = o->seeds;
    char partial[4400];   /* a file of that name (an earlier sweep's rows, say) is kept: the next name */
    FILE *f = out_new_file(o->out_csv, ".partial", partial, sizeof partial);
    if (!f) return err_set(e, LEAP_EINPUT, "%s.partial: cannot write (%s)", o->out_csv, strerror(errno));
    fprintf(f, "point");
    for (int i = 0; i < o->np; i++) fprintf(f, ",%s", o->p[i].d->key);
    fprintf(f, ",seed,excess_deaths_1958_61_million,death_rate_1960_permille,birth_rate_1961_permille,"
               "grain_output_1959_61_mt,grain_procurement_1959_mt,retreat_week_of\n");
    fflush(f);
    BatchJob *jobs = mem_calloc((size_t)K, sizeof *jobs);
    CmpRun *runs = mem_calloc((size_t)K, sizeof *runs);
    Batch b = {o->exe, o->scenario, o->workdir, o->scale, o->jobs, 1, NULL, NULL, o->db};
    int rc = LEAP_OK, stopped = 0;
    long rows_pts = 0;   /* points whose rows are in the file */
    for (long pt = 0; pt < points && !rc; pt++) {
        int idx[SWEEP_MAX_PARAMS];
        long rest = pt;
        for (int i = o->np - 1; i >= 0; i--) { idx[i] = (int)(rest % o->p[i].n); rest /= o->p[i].n; }
        for (int k = 0; k < K; k++) {
            memset(&jobs[k], 0, sizeof jobs[k]);
            jobs[k].seed = k + 1;
            for (int i = 0; i < o->np; i++) {
                char v[64];
                snprintf(v, sizeof v, "%.17g", sweep_value(&o->p[i], idx[i]));
                batch_set(&jobs[k], o->p[i].d->key, v);
            }
        }
        rc = batch_run(&b, jobs, K, runs, &stopped, e);
        if (!rc && stopped) rc = err_set(e, LEAP_EINTERNAL, "interrupted after %ld of %ld points; the rows so far are in %s",
                                         pt, points, partial);
        for (int k = 0; k < K && !rc; k++) {
            const CmpRun *r = &runs[k];
            fprintf(f, "%ld", pt);
            for (int i = 0; i < o->np; i++) fprintf(f, ",%.10g", sweep_value(&o->p[i], idx[i]));
            char d[16] = "never";
            if (isfinite(r->retreat_day)) {
                int y, m, dd;
                cal_ymd((int)r->retreat_day, &y, &m, &dd);
                snprintf(d, sizeof d, "%04d-%02d-%02d", y, m, dd);
            }
            fprintf(f, ",%d,%.3f,%.2f,%.2f,%.2f,%.2f,%s\n", k + 1, cmp_excess(r, 1958, 1961),
                    r->v[CS_DEATH][1960 - CMP_Y0], r->v[CS_BIRTH][1961 - CMP_Y0], sum_years(r, CS_GRAIN, 1959, 1961),
                    r->v[CS_PROC][1959 - CMP_Y0], d);
        }
        fflush(f);
        if (!rc) rows_pts = pt + 1;
        if (!o->quiet && !rc) {
            int tty = isatty(2);
            if (tty || pt + 1 == points || (pt + 1) % (points / 10 > 0 ? points / 10 : 1) == 0)
                fprintf(stderr, "%sleap sweep: point %ld of %ld%s", tty ? "\r" : "", pt + 1, points,
                        tty && pt + 1 < points ? "  " : "\n");
        }
    }
    int bad = ferror(f);
    if (fclose(f) || bad) rc = rc ? rc : err_sys(e, "%s: write failed (%s)", partial, strerror(errno));
    if (rc && !stopped) {   /* a run failed: the rows so far are kept, and said where; none, no file */
        size_t n = strlen(e->msg);
        if (rows_pts) snprintf(e->msg + n, sizeof e->msg - n, "\n  the rows of the %ld points before are in %s", rows_pts, partial);
        else unlink(partial);
    }
    if (!rc && rename(partial, o->out_csv)) rc = err_sys(e, "%s: cannot write (%s)", o->out_csv, strerror(errno));
    batch_cleanup(&b, K);
    mem_free(jobs, (size_t)K * sizeof *jobs);
    mem_free(runs, (size_t)K * sizeof *runs);
    if (!rc && !o->quiet)
        fprintf(stderr, "leap sweep: %ld points x %d seeds; peak memory of the sweep process %zu KiB\n", points, K, mem_peak_rss_kib());
    return rc;
}
