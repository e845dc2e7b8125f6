/* report.c -- the HTML report and the figures (see report.h). */
#include "report.h"
#include "cal.h"
#include "out.h"
#include "compare.h"
#include "data.h"
#include "mem.h"
#include "version.h"
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef LEAP_DATADIR
#define LEAP_DATADIR "data"
#endif

/* ---- files beside leap ---------------------------------------------------------- */

/* leap's folder: where the executable is, if it has report/template.html,
   else the source tree compiled in (the parent of LEAP_DATADIR). */
static void root_dir(char *buf, size_t n)
{
    char exe[PATH_MAX], probe[PATH_MAX + 64];
    ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (k > 0) {
        exe[k] = '\0';
        char *s = strrchr(exe, '/');
        if (s) *s = '\0';
        snprintf(probe, sizeof probe, "%s/report/template.html", exe);
        if (access(probe, R_OK) == 0) { snprintf(buf, n, "%s", exe); return; }
    }
    snprintf(buf, n, "%s", LEAP_DATADIR);
    char *s = strrchr(buf, '/');
    if (s) *s = '\0';
    else snprintf(buf, n, ".");
}

/* A file the report is built from (mem_read_file), or an error naming it;
   *cap its buffer's size (substitute's bookkeeping). */
static char *slurp(const char *path, size_t *cap, LeapErr *e, const char *hint)
{
    size_t n;
    char *b = mem_read_file(path, &n);
    if (!b) { err_set(e, LEAP_EINPUT, "%s: cannot read (%s)%s", path, strerror(errno), hint); return NULL; }
    *cap = n + 1;
    return b;
}

/* ---- data ---------------------------------------------------------------------------- */

/* A CSV file's numeric columns as arrays over the years 1957-1962 (by the
   `year` column), into obj[col]; or, for weekly files, over the rows. */
static int csv_to_json(const char *dir, const char *file, json_t *obj, int by_year, LeapErr *e)
{
    char path[4300];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    CsvTable T;
    if (csv_read(&T, path, e)) return LEAP_EINPUT;
    /* by year: one row for each year from 1957 on, none twice (as leap run writes) */
    int cy = -1, rows[10], rc = by_year ? csv_col(&T, "year", &cy, e) : LEAP_OK;
    if (!rc && by_year) rc = csv_years(&T, cy, CMP_Y0, 1966, CMP_Y0, CMP_Y0, rows, e);
    for (int c = 0; c < T.ncols && !rc; c++) {
        const char *name = T.cell[c];
        if (!strcmp(name, "date") || !strcmp(name, "province")) continue;
        int n = by_year ? CMP_NY : T.nrows;
        json_t *a = json_array();
        for (int i = 0; i < n; i++) json_array_append_new(a, json_null());
        for (int r = 0; r < T.nrows && !rc; r++) {
            double v;
            int k = by_year ? (int)strtol(csv_cell(&T, r, cy), NULL, 10) - CMP_Y0 : r;
            if (k < 0 || k >= n) continue;
            rc = csv_num(&T, r, c, -1e300, 1e300, 1, &v, e);
            if (!rc && isfinite(v)) json_array_set_new(a, (size_t)k, json_real(v));
        }
        json_object_set_new(obj, name, a);
    }
    csv_table_free(&T);
    return rc;
}

/* Registered death rate by province and year; the province names in order. */
static int provinces_json(const char *dir, json_t *obj, json_t *names, LeapErr *e)
{
    char path[4300];
    snprintf(path, sizeof path, "%s/provinces_annual.csv", dir);
    CsvTable T;
    if (csv_read(&T, path, e)) return LEAP_EINPUT;
    int cp, cy, cd, rc = csv_col(&T, "province", &cp, e);
    if (!rc) rc = csv_col(&T, "year", &cy, e);
    if (!rc) rc = csv_col(&T, "death_rate_permille", &cd, e);
    for (int r = 0; r < T.nrows && !rc; r++) {
        const char *p = csv_cell(&T, r, cp);
        json_t *a = json_object_get(obj, p);
        if (!a) {
            a = json_array();
            for (int i = 0; i < CMP_NY; i++) json_array_append_new(a, json_null());
            json_object_set_new(obj, p, a);
            if (names) json_array_append_new(names, json_string(p));
        }
        double y, v;
        if ((rc = csv_num(&T, r, cy, CMP_Y0, 1966, 0, &y, e)) || (rc = csv_num(&T, r, cd, 0, 1000, 1, &v, e))) break;
        int k = (int)y - CMP_Y0;
        for (int q = 0; q < r; q++)
            if (!strcmp(csv_cell(&T, q, cp), p) && !strcmp(csv_cell(&T, q, cy), csv_cell(&T, r, cy))) {
                rc = err_at(e, path, r + 2, cy + 1, "%s %s appears twice (lines %d and %d); one row per province and year is allowed",
                            p, csv_cell(&T, r, cy), q + 2, r + 2);
                break;
            }
        if (!rc && k < CMP_NY && isfinite(v)) json_array_set_new(a, (size_t)k, json_real(v));
    }
    csv_table_free(&T);
    return rc;
}

static int weekly_json(const char *dir, json_t *obj, LeapErr *e)
{
    json_t *all = json_object();
    int rc = csv_to_json(dir, "national_weekly.csv", all, 0, e);
    if (!rc) {
        json_t *w = json_object_get(all, "week"), *t = json_array();
        for (size_t i = 0; w && i < json_array_size(w); i++)
            json_array_append_new(t, json_real(1957 + json_real_value(json_array_get(w, i)) * 7 / 365.25));
        json_object_set_new(obj, "t", t);
        const char *keep[] = {"death_rate_true_permille_annualised", "reserve_mean_rural"};
        for (int k = 0; k < 2; k++) {
            json_t *a = json_object_get(all, keep[k]);
            if (!a) { rc = err_set(e, LEAP_EINPUT, "%s/national_weekly.csv: missing column '%s'", dir, keep[k]); break; }
            json_object_set(obj, keep[k], a);
        }
    }
    json_decref(all);
    return rc;
}

static json_t *history_json(const CmpHist *h)
{
    json_t *o = json_object(), *y = json_array();
    for (int k = 0; k < CMP_NY; k++) json_array_append_new(y, json_integer(CMP_Y0 + k));
    json_object_set_new(o, "year", y);
    for (int s = 0; s < CMP_NS; s++) {
        json_t *a = json_array();
        for (int k = 0; k < CMP_NY; k++)
            json_array_append_new(a, isfinite(h->v[s][k]) ? json_real(h->v[s][k]) : json_null());
        json_object_set_new(o, cmp_series[s].col, a);
    }
    return o;
}

int report_meta_from_dir(const char *dir, char **meta_json, char *label, size_t label_len, LeapErr *e)
{
    char path[4300];
    snprintf(path, sizeof path, "%s/run.json", dir);
    json_t *j;
    if (cmp_load_json(path, &j, e)) return LEAP_EINPUT;
    json_t *m = json_object(), *facts = json_object();
    const char *keys[] = {"scenario", "scenario_file", "seed", "scale", "threads", "leap_version", "git_commit"};
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        json_t *v = json_object_get(j, keys[k]);
        if (v) json_object_set(facts, keys[k], v);
    }
    json_t *c = json_object_get(j, "centre");
    if (c) {
        json_t *r = json_object_get(c, "retreat_week_of"), *i = json_object_get(c, "imports_from_week_of");
        json_object_set_new(facts, "the Centre's retreat from the week of", json_is_string(r) ? json_copy(r) : json_string("never"));
        json_object_set_new(facts, "imports from the week of", json_is_string(i) ? json_copy(i) : json_string("never"));
    }
    json_t *tm = json_object_get(j, "timings"), *run_s = tm ? json_object_get(tm, "run_s") : NULL;
    if (run_s) json_object_set_new(facts, "simulation time, s", json_real(round(json_real_value(run_s) * 10) / 10));
    json_object_set_new(m, "facts", facts);
    json_t *d = json_object_get(j, "description");
    json_object_set_new(m, "description", json_string(json_is_string(d) ? json_string_value(d) : ""));
    char *par = json_dumps(json_object_get(j, "parameters"), JSON_INDENT(1) | JSON_SORT_KEYS);
    json_object_set_new(m, "parameters", json_string(par ? par : ""));
    free(par);
    json_t *sc = json_object_get(j, "scenario"), *sd = json_object_get(j, "seed");
    snprintf(label, label_len, "%s, seed %lld", json_is_string(sc) ? json_string_value(sc) : dir,
             (long long)json_integer_value(sd));
    char *s = json_dumps(m, JSON_COMPACT);
    *meta_json = mem_strdup(s);
    free(s);
    json_decref(m);
    json_decref(j);
    return LEAP_OK;
}

/* ---- figures (gnuplot) --------------------------------------------------------------- */

static int figures(const ReportRun *runs, int n, const CmpHist *h, json_t *data, const char *fig, LeapErr *e)
{
    if (mkdir(fig, 0777) && errno != EEXIST) return err_set(e, LEAP_EINPUT, "%s: cannot create (%s)", fig, strerror(errno));
    static const struct { const char *name, *title, *col, *hist; } F[] = {
        {"death_rate", "Registered death rate (per mille)", "death_rate_permille", "death_rate_permille"},
        {"birth_rate", "Registered birth rate (per mille)", "birth_rate_permille", "birth_rate_permille"},
        {"grain_output", "Grain output (Mt)", "grain_output_mt", "grain_output_mt"},
        {"grain_claimed", "Grain claimed at the time (Mt)", "grain_output_claimed_at_time_mt", "grain_output_claimed_at_time_mt"},
        {"procurement", "Grain procurement, gross (Mt)", "grain_procurement_gross_mt", "grain_procurement_gross_mt"},
        {"steel", "Steel, usable (Mt)", "steel_output_mt", "steel_output_mt"},
        {"population", "Population, year-end (million)", "population_yearend_million", "population_yearend_million"},
    };
    char path[4400];
    snprintf(path, sizeof path, "%s/figures.dat", fig);
    FILE *d = fopen(path, "w");
    if (!d) return err_set(e, LEAP_EINPUT, "%s: cannot write (%s)", path, strerror(errno));
    json_t *jr = json_object_get(data, "runs");
    for (size_t f = 0; f < sizeof F / sizeof F[0]; f++) {   /* one block per figure: year, record, runs */
        int s = 0;
        while (s < CMP_NS && strcmp(cmp_series[s].col, F[f].hist)) s++;
        fprintf(d, "# %s\n", F[f].name);
        for (int k = 0; k < CMP_NY; k++) {
            fprintf(d, "%d", CMP_Y0 + k);
            if (s < CMP_NS && isfinite(h->v[s][k])) fprintf(d, " %g", h->v[s][k]);
            else fprintf(d, " NaN");
            for (int r = 0; r < n; r++) {
                json_t *v = json_array_get(json_object_get(json_object_get(json_array_get(jr, (size_t)r), "national"), F[f].col), (size_t)k);
                if (json_is_number(v)) fprintf(d, " %g", json_number_value(v));
                else fprintf(d, " NaN");
            }
            fputc('\n', d);
        }
        fprintf(d, "\n\n");
    }
    fclose(d);
    snprintf(path, sizeof path, "%s/figures.gp", fig);
    FILE *g = fopen(path, "w");
    if (!g) return err_set(e, LEAP_EINPUT, "%s: cannot write (%s)", path, strerror(errno));
    fprintf(g, "# leap report --figures: gnuplot script (data in figures.dat)\nset datafile missing 'NaN'\n"
               "set key top left\nset grid\nset xtics 1957,1,1962\nset xrange [1956.8:1962.2]\n");
    for (int t = 0; t < 2; t++) {
        fprintf(g, t == 0 ? "set terminal svg size 720,440 dynamic font 'sans,12'\n"
                          : "set terminal pngcairo size 1080,660 font 'sans,13'\n");
        for (size_t f = 0; f < sizeof F / sizeof F[0]; f++) {
            fprintf(g, "set output '%s.%s'\nset title '%s'\n", F[f].name, t == 0 ? "svg" : "png", F[f].title);
            fprintf(g, "plot 'figures.dat' index %zu using 1:2 with linespoints dt 2 lc rgb 'black' lw 2 title 'record'", f);
            for (int r = 0; r < n; r++)
                fprintf(g, ", '' index %zu using 1:%d with linespoints lw 2 title '%s'", f, r + 3, runs[r].label);
            fputc('\n', g);
        }
    }
    fclose(g);
    pid_t pid = fork();
    if (pid == 0) {
        if (chdir(fig) != 0) _exit(127);
        execlp("gnuplot", "gnuplot", "figures.gp", (char *)NULL);
        _exit(127);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return err_set(e, LEAP_EINPUT, "%s: gnuplot failed drawing the figures%s; nothing was written", fig,
                       WIFEXITED(status) && WEXITSTATUS(status) == 127 ? " (is gnuplot installed? scripts/install-deps installs it)" : "");
    return LEAP_OK;
}

/* ---- the page ------------------------------------------------------------------------ */

/* Replace the first `key` in *doc by `val` (reallocating). */
static void substitute(char **doc, size_t *cap, const char *key, const char *val)
{
    char *at = strstr(*doc, key);
    if (!at) return;
    size_t kl = strlen(key), vl = strlen(val), dl = strlen(*doc), pre = (size_t)(at - *doc);
    size_t need = dl - kl + vl + 1;
    char *n = mem_realloc(NULL, 0, need);
    memcpy(n, *doc, pre);
    memcpy(n + pre, val, vl);
    memcpy(n + pre + vl, at + kl, dl - pre - kl + 1);
    mem_free(*doc, *cap);
    *doc = n;
    *cap = need;
}

int report_write(const ReportRun *runs, int n, const char *html_path, const char *fig_dir, LeapErr *e)
{
    char root[PATH_MAX], path[PATH_MAX + 64];
    root_dir(root, sizeof root);
    CmpHist *h = mem_calloc(1, sizeof *h);
    int rc = cmp_read_history(h, e);
    json_t *data = json_object(), *jruns = json_array(), *names = json_array();
    char part[600] = "";   /* runs that end within a year: that year's flows are part of it */
    for (int r = 0; r < n && !rc; r++) {
        json_t *o = json_object(), *nat = json_object(), *wk = json_object(), *pv = json_object();
        char rj[sizeof runs[r].dir + 16];
        snprintf(rj, sizeof rj, "%s/run.json", runs[r].dir);
        if (access(rj, F_OK) == 0) {   /* an output folder: its years checked against its run.end, as compare does */
            CmpRun check;
            rc = cmp_read_run(runs[r].dir, &check, e);
            int d = check.end_date, y = d ? cal_last_year(d) : 0;
            size_t u = strlen(part);
            if (!rc && d && cal_last_full_year(d) < y && u < sizeof part)
                snprintf(part + u, sizeof part - u, "  %s ends on %04d-%02d-%02d: its %d is part of a year.",
                         runs[r].label, d / 10000, d / 100 % 100, d % 100, y);
        }
        if (!rc) rc = csv_to_json(runs[r].dir, "national_annual.csv", nat, 1, e);
        if (!rc) rc = weekly_json(runs[r].dir, wk, e);
        if (!rc) rc = provinces_json(runs[r].dir, pv, r == 0 ? names : NULL, e);
        json_error_t je;
        json_t *meta = json_loads(runs[r].meta_json, 0, &je);
        json_object_set_new(o, "label", json_string(runs[r].label));
        json_object_set_new(o, "national", nat);
        json_object_set_new(o, "weekly", wk);
        json_object_set_new(o, "provinces", pv);
        json_object_set_new(o, "meta", meta ? meta : json_object());
        json_array_append_new(jruns, o);
    }
    json_object_set_new(data, "runs", jruns);
    json_object_set_new(data, "provinceNames", names);
    if (!rc) {
        json_object_set_new(data, "history", history_json(h));
        json_t *rec = json_array();
        for (int i = 0; i < h->nrec; i++) {
            char period[32];
            snprintf(period, sizeof period, "%d-%d", h->rec[i].y0, h->rec[i].y1);
            json_array_append_new(rec, json_pack("{s:s, s:s, s:f}", "author", h->rec[i].author, "period", period,
                                                 "value", h->rec[i].value));
        }
        json_object_set_new(data, "reconstructions", rec);
        char title[300], sub[1300];
        snprintf(title, sizeof title, "leap report: %s", runs[0].label);
        size_t u = (size_t)snprintf(sub, sizeof sub, "China 1957-1962, simulated person by person");
        for (int r = 1; r < n && u < sizeof sub; r++)
            u += (size_t)snprintf(sub + u, sizeof sub - u, "%s%s", r == 1 ? "; compared with " : ", ", runs[r].label);
        if (u < sizeof sub) u += (size_t)snprintf(sub + u, sizeof sub - u, ".  Made by leap " LEAP_VERSION " (%s).", LEAP_GIT);
        if (u < sizeof sub) snprintf(sub + u, sizeof sub - u, "%s", part);
        json_object_set_new(data, "title", json_string(title));
        json_object_set_new(data, "subtitle", json_string(sub));
    }
    /* the figures first: if gnuplot fails, no page is written either */
    if (!rc && fig_dir) rc = figures(runs, n, h, data, fig_dir, e);
    size_t tcap = 0, jcap = 0, ccap = 0;
    char *doc = NULL, *js = NULL, *css = NULL;
    const char *hint = "; run scripts/install-deps (npm ci) in leap's folder";
    if (!rc) { snprintf(path, sizeof path, "%s/report/template.html", root); doc = slurp(path, &tcap, e, ""); rc = doc ? 0 : LEAP_EINPUT; }
    if (!rc) { snprintf(path, sizeof path, "%s/node_modules/uplot/dist/uPlot.iife.min.js", root); js = slurp(path, &jcap, e, hint); rc = js ? 0 : LEAP_EINPUT; }
    if (!rc) { snprintf(path, sizeof path, "%s/node_modules/uplot/dist/uPlot.min.css", root); css = slurp(path, &ccap, e, hint); rc = css ? 0 : LEAP_EINPUT; }
    if (!rc) {
        char *dj = json_dumps(data, JSON_COMPACT | JSON_ESCAPE_SLASH | JSON_REAL_PRECISION(6));
        substitute(&doc, &tcap, "{{UPLOT_CSS}}", css);
        substitute(&doc, &tcap, "{{UPLOT_JS}}", js);
        substitute(&doc, &tcap, "{{DATA}}", dj);
        substitute(&doc, &tcap, "{{TITLE}}", json_string_value(json_object_get(data, "title")));
        free(dj);
        char tmp[PATH_MAX + 64];
        FILE *f = out_tmp_file(html_path, tmp, sizeof tmp);
        if (!f) rc = err_set(e, LEAP_EINPUT, "%s: cannot write (%s)", html_path, strerror(errno));
        else {
            int bad = fputs(doc, f) < 0;
            if (fclose(f) || bad || rename(tmp, html_path)) {
                int er = errno;
                remove(tmp);
                rc = err_sys(e, "%s: cannot write (%s)", html_path, strerror(er));
            }
        }
    }
    if (doc) mem_free(doc, tcap);
    if (js) mem_free(js, jcap);
    if (css) mem_free(css, ccap);
    json_decref(data);
    mem_free(h, sizeof *h);
    return rc;
}
