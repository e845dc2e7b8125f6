/* compare.c -- the model against the historical record (see compare.h). */
#include "compare.h"
#include "out.h"
#include "cal.h"
#include "data.h"
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const CmpSeries cmp_series[CMP_NS] = {
    [CS_BIRTH]      = {"birth_rate_permille", "birth rate, registered (per mille)", 0},
    [CS_DEATH]      = {"death_rate_permille", "death rate, registered (per mille)", 0},
    [CS_BIRTH_TRUE] = {"birth_rate_true_permille", "birth rate, true (per mille)", 1},
    [CS_DEATH_TRUE] = {"death_rate_true_permille", "death rate, true (per mille)", 1},
    [CS_POP]        = {"population_yearend_million", "population, year-end (million)", 0},
    [CS_URBAN]      = {"urban_population_million", "urban population (million)", 0},
    [CS_GRAIN]      = {"grain_output_mt", "grain output (Mt)", 0},
    [CS_CLAIMED]    = {"grain_output_claimed_at_time_mt", "grain claimed at the time (Mt)", 0},
    [CS_PROC]       = {"grain_procurement_gross_mt", "grain procurement, gross (Mt)", 0},
    [CS_EXPORTS]    = {"grain_net_exports_mt", "grain net exports (Mt)", 0},
    [CS_STEEL]      = {"steel_output_mt", "steel, usable (Mt)", 0},
};

static void fill_nan(double *v, int n) { for (int i = 0; i < n; i++) v[i] = NAN; }

/* Row index of each year 1957-1962 in a table with a `year` column (-1 if
   absent): years from lo to hi, none twice, none skipped, every year from
   1957 to `need1` present. */
static int year_rows(const CsvTable *T, int lo, int hi, int need1, int rows[CMP_NY], LeapErr *e)
{
    int cy, all[2100 - 1900 + 1];
    if (csv_col(T, "year", &cy, e) || csv_years(T, cy, lo, hi, CMP_Y0, need1, all, e)) return LEAP_EINPUT;
    for (int y = 0; y < CMP_NY; y++) rows[y] = CMP_Y0 + y <= hi ? all[CMP_Y0 + y - lo] : -1;
    return LEAP_OK;
}

/* Column `name` of T in the years 1957-1962 (rows from year_rows) into out;
   years without a row keep their value, blank cells give NaN. */
static int year_column(const CsvTable *T, const int rows[CMP_NY], const char *name, double out[CMP_NY], LeapErr *e)
{
    int c, rc = csv_col(T, name, &c, e);
    for (int y = 0; y < CMP_NY && !rc; y++)
        if (rows[y] >= 0) rc = csv_num(T, rows[y], c, -1e300, 1e300, 1, &out[y], e);
    return rc;
}

/* A run's national_annual.csv: one row for each year from 1957 to the last
   the run simulated (from run.json's run.end; 1957 at least if unknown),
   none twice.  A last year the run ended in part (run.end before its last
   week) is read but kept as NaN: its sums are part-year, no verdict. */
static int read_national(const char *dir, CmpRun *r, LeapErr *e)
{
    char path[4300];
    snprintf(path, sizeof path, "%s/national_annual.csv", dir);
    CsvTable T;
    if (csv_read(&T, path, e)) return LEAP_EINPUT;
    int last = r->end_date ? cal_last_year(r->end_date) : CMP_Y0;
    int rows[CMP_NY], rc = year_rows(&T, CMP_Y0, r->end_date ? last : 1966, last, rows, e);
    if (rc && r->end_date && strstr(e->msg, "is out of range"))   /* a year past run.end: say so */
        snprintf(e->msg + strlen(e->msg), sizeof e->msg - strlen(e->msg), " (run.json: run.end is %d-%02d-%02d)",
                 r->end_date / 10000, r->end_date / 100 % 100, r->end_date % 100);
    if (!rc) rc = year_column(&T, rows, "excess_deaths_million", r->excess, e);
    for (int s = 0; s < CMP_NS && !rc; s++) rc = year_column(&T, rows, cmp_series[s].col, r->v[s], e);
    csv_table_free(&T);
    int full = r->end_date ? cal_last_full_year(r->end_date) : 1966;
    for (int y = full + 1; y <= last && y < CMP_Y0 + CMP_NY; y++) {
        r->excess[y - CMP_Y0] = NAN;
        for (int s = 0; s < CMP_NS; s++) r->v[s][y - CMP_Y0] = NAN;
    }
    return rc;
}

/* Meng-Qian-Yared: 1957 grain per head against 1959-61 excess deaths per head. */
static int read_provinces(const char *dir, CmpRun *r, LeapErr *e)
{
    char path[4300];
    snprintf(path, sizeof path, "%s/provinces_annual.csv", dir);
    CsvTable T;
    if (csv_read(&T, path, e)) return LEAP_EINPUT;
    int cp = 0, cy = 0, cpop = 0, cg = 0, cx = 0, rc = csv_col(&T, "province", &cp, e);   /* set before use: rc guards */
    if (!rc) rc = csv_col(&T, "year", &cy, e);
    if (!rc) rc = csv_col(&T, "population_yearend_million", &cpop, e);
    if (!rc) rc = csv_col(&T, "grain_output_mt", &cg, e);
    if (!rc) rc = csv_col(&T, "excess_deaths_million", &cx, e);
    char names[CMP_MAX_PROV][64];
    double pop57[CMP_MAX_PROV], g57[CMP_MAX_PROV], ex[CMP_MAX_PROV];
    int n = 0, line[CMP_MAX_PROV][10];   /* the line of each province's year 1957-1966, 0 if none */
    memset(line, 0, sizeof line);
    for (int i = 0; i < CMP_MAX_PROV; i++) pop57[i] = g57[i] = NAN, ex[i] = 0;
    for (int row = 0; row < T.nrows && !rc; row++) {
        const char *nm = csv_cell(&T, row, cp);
        int k = 0;
        while (k < n && strcmp(names[k], nm)) k++;
        if (k == n) {
            if (n == CMP_MAX_PROV) { rc = err_at(e, path, row + 2, cp + 1, "more than %d provinces", CMP_MAX_PROV); break; }
            snprintf(names[n++], sizeof names[0], "%s", nm);
        }
        double yr, pop, g, x;
        if ((rc = csv_num(&T, row, cy, CMP_Y0, 1966, 0, &yr, e))) break;
        int *ln = &line[k][(int)yr - CMP_Y0];
        if (*ln) {
            rc = err_at(e, path, row + 2, cy + 1, "%s %d appears twice (lines %d and %d); one row per province and year is allowed",
                        nm, (int)yr, *ln, row + 2);
            break;
        }
        *ln = row + 2;
        if ((rc = csv_num(&T, row, cpop, 0, 1e4, 0, &pop, e))) break;
        if ((rc = csv_num(&T, row, cg, 0, 1e4, 1, &g, e))) break;
        if ((rc = csv_num(&T, row, cx, -1e4, 1e4, 1, &x, e))) break;
        if ((int)yr == 1957) { pop57[k] = pop; g57[k] = g; }
        if ((int)yr >= 1959 && (int)yr <= 1961) ex[k] += x;
    }
    csv_table_free(&T);
    if (rc) return rc;
    double gx[CMP_MAX_PROV], dy[CMP_MAX_PROV];
    int m = 0;
    for (int k = 0; k < n; k++)
        if (pop57[k] > 0 && isfinite(g57[k]) && isfinite(ex[k])) {
            gx[m] = g57[k] / pop57[k] * 1000;      /* kg per head */
            dy[m] = ex[k] / pop57[k] * 1000;       /* per mille of the 1957 population */
            m++;
        }
    r->nprov = m;
    /* 1959-61 whole, or no correlation */
    r->mqy = r->end_date && cal_last_full_year(r->end_date) < 1961 ? NAN : cmp_pearson(gx, dy, m);
    return LEAP_OK;
}

int cmp_load_json(const char *path, json_t **j, LeapErr *e)
{
    *j = NULL;
    if (err_check_file(e, path, "the run.json of an output folder of `leap run`")) return LEAP_EINPUT;
    json_error_t je;
    *j = json_load_file(path, 0, &je);
    if (!*j) {
        if (je.line < 1) return err_set(e, LEAP_EINPUT, "%s: %s", path, je.text);
        return err_at(e, path, je.line, je.column < 1 ? 1 : je.column, "%s; a JSON object is expected", je.text);
    }
    if (!json_is_object(*j)) {
        json_decref(*j);
        *j = NULL;
        return err_at(e, path, 1, 1, "not a JSON object; run.json as `leap run` writes it is expected");
    }
    return LEAP_OK;
}

/* FNV-1a of run.json's scenario, scale and parameters but the seed, each
   key's value in key order (0: none of them there). */
static uint64_t what_hash(json_t *j)
{
    json_t *w = json_object(), *par = json_deep_copy(json_object_get(j, "parameters"));
    if (par) json_object_del(par, "seed");
    const char *keys[] = {"scenario", "scale"};
    for (int i = 0; i < 2; i++)
        if (json_object_get(j, keys[i])) json_object_set(w, keys[i], json_object_get(j, keys[i]));
    if (par) json_object_set_new(w, "parameters", par);
    uint64_t h = 0;
    if (json_object_size(w)) {
        char *s = json_dumps(w, JSON_SORT_KEYS | JSON_COMPACT);
        h = 1469598103934665603ULL;
        for (const char *c = s ? s : ""; *c; c++) h = (h ^ (unsigned char)*c) * 1099511628211ULL;
        free(s);
    }
    json_decref(w);
    return h;
}

/* The first of scenario, scale and parameters (by key) in which two run.json differ, for a message. */
static void first_difference(const char *dir_a, const char *dir_b, char *out, size_t len)
{
    char pa[4300], pb[4300];
    snprintf(pa, sizeof pa, "%s/run.json", dir_a);
    snprintf(pb, sizeof pb, "%s/run.json", dir_b);
    json_t *a = json_load_file(pa, 0, NULL), *b = json_load_file(pb, 0, NULL);
    snprintf(out, len, "their run.json differ");
    const char *keys[] = {"scenario", "scale"};
    for (int i = 0; a && b && i < 2; i++)
        if (!json_equal(json_object_get(a, keys[i]), json_object_get(b, keys[i]))) {
            char *x = json_dumps(json_object_get(a, keys[i]), JSON_ENCODE_ANY);
            char *y = json_dumps(json_object_get(b, keys[i]), JSON_ENCODE_ANY);
            snprintf(out, len, "%s %s against %s", keys[i], y ? y : "none", x ? x : "none");
            free(x); free(y);
            goto done;
        }
    json_t *A = a ? json_object_get(a, "parameters") : NULL, *B = b ? json_object_get(b, "parameters") : NULL;
    const char *k;
    json_t *v;
    json_object_foreach(A, k, v) {   /* in the file's order: run.json sorts its keys */
        if (!strcmp(k, "seed") || json_equal(v, json_object_get(B, k))) continue;
        char *x = json_dumps(v, JSON_ENCODE_ANY), *y = json_dumps(json_object_get(B, k), JSON_ENCODE_ANY);
        snprintf(out, len, "parameter %s = %s against %s", k, y ? y : "none", x ? x : "none");
        free(x); free(y);
        break;
    }
done:
    json_decref(a);
    json_decref(b);
}

/* run.json: the retreat's week and run.end (parameters."run.end"; 0 if absent). */
static int read_runjson(const char *dir, CmpRun *r, LeapErr *e)
{
    char path[4300];
    snprintf(path, sizeof path, "%s/run.json", dir);
    json_t *j;
    if (cmp_load_json(path, &j, e)) return LEAP_EINPUT;
    json_t *d = json_object_get(json_object_get(j, "centre"), "retreat_week_of");
    int y, m, dd, n = 0;
    r->retreat_day = NAN;
    if (json_is_string(d) && sscanf(json_string_value(d), "%d-%d-%d", &y, &m, &dd) == 3 && cal_valid(y, m, dd))
        r->retreat_day = cal_days(y, m, dd);
    json_t *end = json_object_get(json_object_get(j, "parameters"), "run.end");
    int rc = LEAP_OK;
    r->what = what_hash(j);
    if (end) {
        const char *s = json_is_string(end) ? json_string_value(end) : "";
        if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &dd, &n) != 3 || n != 10 || s[n] || !cal_valid(y, m, dd) ||
            y < CMP_Y0 || y > 1966)
            rc = err_set(e, LEAP_EINPUT, "%s: parameters.run.end is not a date YYYY-MM-DD from 1957 to 1966", path);
        else r->end_date = y * 10000 + m * 100 + dd;
    }
    json_decref(j);
    return rc;
}

int cmp_read_run(const char *dir, CmpRun *r, LeapErr *e)
{
    memset(r, 0, sizeof *r);
    for (int s = 0; s < CMP_NS; s++) fill_nan(r->v[s], CMP_NY);
    fill_nan(r->excess, CMP_NY);
    r->mqy = NAN;
    int rc = read_runjson(dir, r, e);
    if (!rc) rc = read_national(dir, r, e);
    if (!rc) rc = read_provinces(dir, r, e);
    return rc;
}

int cmp_read_runs(char *const *dirs, int n, CmpRun *runs, LeapErr *e)
{
    for (int i = 0; i < n; i++) {
        if (cmp_read_run(dirs[i], &runs[i], e)) return LEAP_EINPUT;
        if (i > 0 && runs[i].end_date == runs[0].end_date && runs[i].what != runs[0].what) {
            char diff[600];
            first_difference(dirs[0], dirs[i], diff, sizeof diff);
            return err_set(e, LEAP_EINPUT, "%s is not a run of the same scenario as %s with another seed (%s); "
                           "compare averages runs as seeds of one scenario: compare them one at a time, or overlay "
                           "them with leap report --compare", dirs[i], dirs[0], diff);
        }
        if (i == 0 || runs[i].end_date == runs[0].end_date) continue;
        char a[16] = "unknown", b[16] = "unknown";
        int x = runs[0].end_date, y = runs[i].end_date;
        if (x) snprintf(a, sizeof a, "%04d-%02d-%02d", x / 10000, x / 100 % 100, x % 100);
        if (y) snprintf(b, sizeof b, "%04d-%02d-%02d", y / 10000, y / 100 % 100, y % 100);
        return err_set(e, LEAP_EINPUT, "%s ends on %s but %s on %s (run.end in their run.json); runs are averaged "
                       "year by year, so they must end on the same date: compare them one at a time",
                       dirs[i], b, dirs[0], a);
    }
    return LEAP_OK;
}

/* ---- the record ------------------------------------------------------------ */

static int read_hist_file(CmpHist *h, const char *file, int reconstructed, LeapErr *e)
{
    char path[4300];
    snprintf(path, sizeof path, "%s/%s", h->datadir, file);
    CsvTable T;
    if (csv_read(&T, path, e)) return LEAP_EINPUT;
    int rows[CMP_NY], rc = year_rows(&T, 1900, 2100, CMP_Y0 + CMP_NY - 1, rows, e);
    for (int s = 0; s < CMP_NS && !rc; s++) {
        if (cmp_series[s].reconstructed != reconstructed) continue;
        rc = year_column(&T, rows, cmp_series[s].col, h->v[s], e);
        if (!rc) csv_col(&T, cmp_series[s].col, &h->col[s], e);
        for (int y = 0; y < CMP_NY; y++) {
            if (reconstructed) snprintf(h->status[s][y], sizeof h->status[s][y], "reconstructed");
            else h->line[s][y] = rows[y] + 2;   /* the header is line 1 */
        }
    }
    csv_table_free(&T);
    return rc;
}

/* The provenance class of a status: its leading letters, lower case. */
static void status_class(const char *status, char *out, size_t n)
{
    size_t k = 0;
    while (status[k] && isalpha((unsigned char)status[k]) && k + 1 < n) {
        out[k] = (char)tolower((unsigned char)status[k]);
        k++;
    }
    out[k] = '\0';
}

static int read_provenance(CmpHist *h, LeapErr *e)
{
    char path[4300];
    snprintf(path, sizeof path, "%s/national_provenance.csv", h->datadir);
    CsvTable T;
    if (csv_read(&T, path, e)) return LEAP_EINPUT;
    int cy, cc, cs, rc = csv_col(&T, "year", &cy, e);
    if (!rc) rc = csv_col(&T, "column", &cc, e);
    if (!rc) rc = csv_col(&T, "status", &cs, e);
    for (int r = 0; r < T.nrows && !rc; r++) {
        double yr;
        if ((rc = csv_num(&T, r, cy, 1900, 2100, 0, &yr, e))) break;
        for (int q = 0; q < r; q++)
            if (atof(csv_cell(&T, q, cy)) == yr && !strcmp(csv_cell(&T, q, cc), csv_cell(&T, r, cc))) {
                rc = err_at(e, path, r + 2, cc + 1, "%s %g appears twice (lines %d and %d); one status per year and column "
                            "is allowed", csv_cell(&T, r, cc), yr, q + 2, r + 2);
                break;
            }
        if (rc) break;
        int y = (int)yr - CMP_Y0;
        if (y < 0 || y >= CMP_NY) continue;
        for (int s = 0; s < CMP_NS; s++)
            if (!cmp_series[s].reconstructed && !strcmp(csv_cell(&T, r, cc), cmp_series[s].col))
                status_class(csv_cell(&T, r, cs), h->status[s][y], sizeof h->status[s][y]);
    }
    csv_table_free(&T);
    return rc;
}

static int read_reconstructions(CmpHist *h, LeapErr *e)
{
    char path[4300];
    snprintf(path, sizeof path, "%s/excess_deaths_reconstructions.csv", h->datadir);
    CsvTable T;
    if (csv_read(&T, path, e)) return LEAP_EINPUT;
    int ca = 0, cp = 0, cv = 0, rc = csv_col(&T, "author", &ca, e);   /* set before use: rc guards */
    if (!rc) rc = csv_col(&T, "period", &cp, e);
    if (!rc) rc = csv_col(&T, "excess_deaths_million", &cv, e);
    if (!rc && T.nrows > CMP_MAX_REC)
        rc = err_at(e, path, CMP_MAX_REC + 2, 1, "more than %d reconstructions; at most %d are allowed", CMP_MAX_REC, CMP_MAX_REC);
    for (int r = 0; r < T.nrows && !rc; r++) {
        CmpRecon *x = &h->rec[h->nrec];
        if (sscanf(csv_cell(&T, r, cp), "%d-%d", &x->y0, &x->y1) != 2 || x->y0 > x->y1) {
            rc = err_at(e, path, r + 2, cp + 1, "period '%s' is not a range of years; YYYY-YYYY is allowed",
                        csv_cell(&T, r, cp));
            break;
        }
        if ((rc = csv_num(&T, r, cv, 0, 1000, 0, &x->value, e))) break;
        snprintf(x->author, sizeof x->author, "%s", csv_cell(&T, r, ca));
        for (int q = 0; q < h->nrec; q++)
            if (!strcmp(h->rec[q].author, x->author) && h->rec[q].y0 == x->y0 && h->rec[q].y1 == x->y1) {
                rc = err_at(e, path, r + 2, ca + 1, "%s's estimate for %d-%d appears twice (lines %d and %d); one per "
                            "author and period is allowed", x->author, x->y0, x->y1, q + 2, r + 2);
                break;
            }
        if (rc) break;
        h->nrec++;
    }
    csv_table_free(&T);
    return rc;
}

int cmp_read_history(CmpHist *h, LeapErr *e)
{
    memset(h, 0, sizeof *h);
    for (int s = 0; s < CMP_NS; s++) fill_nan(h->v[s], CMP_NY);
    if (data_dir(h->datadir, sizeof h->datadir, e)) return LEAP_EINPUT;
    int rc = read_hist_file(h, "national.csv", 0, e);
    if (!rc) rc = read_hist_file(h, "national_reconstructed.csv", 1, e);
    if (!rc) rc = read_provenance(h, e);
    for (int s = 0; s < CMP_NS && !rc; s++)   /* every value compared has its provenance */
        for (int y = 0; y < CMP_NY && !rc; y++)
            if (!isnan(h->v[s][y]) && !h->status[s][y][0]) {
                char path[4300];
                snprintf(path, sizeof path, "%s/national.csv", h->datadir);
                rc = err_at(e, path, h->line[s][y], h->col[s] + 1, "%s %d = %g has no row in national_provenance.csv; "
                            "every value compared needs one (year,column,value,status,source; status verified, "
                            "derived or memory)", cmp_series[s].col, CMP_Y0 + y, h->v[s][y]);
            }
    if (!rc) rc = read_reconstructions(h, e);
    return rc;
}

/* ---- statistics -------------------------------------------------------------- */

double cmp_ape(double model, double hist)
{
    if (!isfinite(model) || !isfinite(hist) || hist == 0) return NAN;
    return 100 * fabs(model - hist) / fabs(hist);
}

double cmp_mape(const double *model, const double *hist, int y0, int y1)
{
    double sum = 0;
    int n = 0;
    for (int y = y0; y <= y1; y++) {
        if (isnan(model[y - CMP_Y0]) && !isnan(hist[y - CMP_Y0])) return NAN;   /* the run ended before: no verdict on part */
        double a = cmp_ape(model[y - CMP_Y0], hist[y - CMP_Y0]);
        if (isfinite(a)) { sum += a; n++; }
    }
    return n ? sum / n : NAN;
}

double cmp_excess(const CmpRun *r, int y0, int y1)
{
    double s = 0;
    for (int y = y0; y <= y1; y++) {
        if (y < CMP_Y0 || y >= CMP_Y0 + CMP_NY) return NAN;
        s += r->excess[y - CMP_Y0];
    }
    return s;
}

double cmp_pearson(const double *x, const double *y, int n)
{
    if (n < 3) return NAN;
    double mx = 0, my = 0, sxx = 0, syy = 0, sxy = 0;
    for (int i = 0; i < n; i++) { mx += x[i]; my += y[i]; }
    mx /= n; my /= n;
    for (int i = 0; i < n; i++) {
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
        sxy += (x[i] - mx) * (y[i] - my);
    }
    return sxx > 0 && syy > 0 ? sxy / sqrt(sxx * syy) : NAN;
}

/* Mean, min and max of n values (NaN values make the result NaN). */
static void stat3(const double *v, int n, double *mean, double *lo, double *hi)
{
    double s = 0, a = v[0], b = v[0];
    for (int i = 0; i < n; i++) { s += v[i]; a = fmin(a, v[i]); b = fmax(b, v[i]); if (isnan(v[i])) a = b = NAN; }
    *mean = s / n;
    if (lo) *lo = a;
    if (hi) *hi = b;
}

void cmp_mean(const CmpRun *runs, int n, CmpRun *mean, CmpRun *lo, CmpRun *hi)
{
    CmpRun dummy_lo, dummy_hi;
    if (!lo) lo = &dummy_lo;
    if (!hi) hi = &dummy_hi;
    double v[64];
    if (n > 64) n = 64;
#define STAT(field) do { for (int k = 0; k < n; k++) v[k] = runs[k].field; \
                         stat3(v, n, &mean->field, &lo->field, &hi->field); } while (0)
    for (int s = 0; s < CMP_NS; s++)
        for (int y = 0; y < CMP_NY; y++) STAT(v[s][y]);
    for (int y = 0; y < CMP_NY; y++) STAT(excess[y]);
    STAT(retreat_day);
    STAT(mqy);
#undef STAT
    mean->nprov = lo->nprov = hi->nprov = runs[0].nprov;
}

/* ---- the report -------------------------------------------------------------- */

static const char *sample_of(int year)
{
    return year < CMP_IN0 ? "baseline" : year <= CMP_IN1 ? "in-sample" : "out-of-sample";
}

static void date_of(double day, char *buf, size_t n)
{
    if (!isfinite(day)) { snprintf(buf, n, "none"); return; }
    int y, m, d;
    cal_ymd((int)lrint(day), &y, &m, &d);
    snprintf(buf, n, "%04d-%02d-%02d", y, m, d);
}

/* MAPE of each run, for the spread across seeds. */
static void mape_range(const CmpRun *runs, int n, const CmpHist *h, int s, int y0, int y1, double *lo, double *hi)
{
    *lo = INFINITY; *hi = -INFINITY;
    for (int k = 0; k < n; k++) {
        double m = cmp_mape(runs[k].v[s], h->v[s], y0, y1);
        *lo = fmin(*lo, m); *hi = fmax(*hi, m);
    }
}

/* A target met or missed; n/a if the runs do not reach its years (v NaN). */
static void verdict(FILE *f, const char *what, double v, int ok, const char *detail)
{
    if (isnan(v)) fprintf(f, "  %-8s %-58s %s\n", "n/a", what, "- (beyond the run's end)");
    else fprintf(f, "  %-8s %-58s %s\n", ok ? "meets" : "MISSES", what, detail);
}

/* "%.1f" and the like, or "-" for a missing value. */
static const char *fmt_or_dash(char *buf, size_t n, const char *fmt, double v)
{
    if (isnan(v)) snprintf(buf, n, "-");
    else snprintf(buf, n, fmt, v);
    return buf;
}

void cmp_print(FILE *f, const CmpRun *runs, int n, const CmpHist *h)
{
    CmpRun m, lo, hi;
    cmp_mean(runs, n, &m, &lo, &hi);
    fprintf(f, "model / history, %d run%s%s; history from %s\n", n, n > 1 ? "s" : "",
            n > 1 ? " (model = mean over runs)" : "", h->datadir);
    fprintf(f, "%-36s", "series");
    for (int y = 0; y < CMP_NY; y++) fprintf(f, " %15d", CMP_Y0 + y);
    fprintf(f, "  %9s %9s\n", "MAPE in", "MAPE out");
    fprintf(f, "%-36s", "");
    for (int y = 0; y < CMP_NY; y++) fprintf(f, " %15s", y == 0 ? "(baseline)" : CMP_Y0 + y <= CMP_IN1 ? "(in)" : "(out)");
    fprintf(f, "  %9s %9s\n", "58-60 %", "61-62 %");
    for (int s = 0; s < CMP_NS; s++) {
        fprintf(f, "%-36s", cmp_series[s].label);
        for (int y = 0; y < CMP_NY; y++) {
            char cell[40];
            if (isnan(m.v[s][y]) && isnan(h->v[s][y])) snprintf(cell, sizeof cell, "-");
            else if (isnan(h->v[s][y])) snprintf(cell, sizeof cell, "%.1f / -", m.v[s][y]);
            else if (isnan(m.v[s][y])) snprintf(cell, sizeof cell, "- / %.1f", h->v[s][y]);   /* after the run's end */
            else snprintf(cell, sizeof cell, "%.1f / %.1f", m.v[s][y], h->v[s][y]);
            fprintf(f, " %15s", cell);
        }
        double a = cmp_mape(m.v[s], h->v[s], CMP_IN0, CMP_IN1), b = cmp_mape(m.v[s], h->v[s], CMP_OUT0, CMP_OUT1);
        char ca[16] = "-", cb[16] = "-";
        if (isfinite(a)) snprintf(ca, sizeof ca, "%.1f", a);
        if (isfinite(b)) snprintf(cb, sizeof cb, "%.1f", b);
        fprintf(f, "  %9s %9s\n", ca, cb);
        if (n > 1) {
            double l1, h1, l2, h2;
            mape_range(runs, n, h, s, CMP_IN0, CMP_IN1, &l1, &h1);
            mape_range(runs, n, h, s, CMP_OUT0, CMP_OUT1, &l2, &h2);
            char ra[24] = "-", rb[24] = "-";
            if (isfinite(l1) && isfinite(h1)) snprintf(ra, sizeof ra, "%.0f-%.0f", l1, h1);
            if (isfinite(l2) && isfinite(h2)) snprintf(rb, sizeof rb, "%.0f-%.0f", l2, h2);
            fprintf(f, "%-36s %*s  %9s %9s\n", "   range over runs", 6 * 16 - 1, "", ra, rb);
        }
    }
    /* excess deaths */
    fprintf(f, "\ntrue excess deaths (million): the model over each reconstruction's period\n");
    for (int i = 0; i < h->nrec; i++) {
        const CmpRecon *r = &h->rec[i];
        double x = cmp_excess(&m, r->y0, r->y1), a = cmp_excess(&lo, r->y0, r->y1), b = cmp_excess(&hi, r->y0, r->y1);
        char spread[48] = "", mx[32];
        if (n > 1 && !isnan(x)) snprintf(spread, sizeof spread, " (runs %.1f-%.1f)", a, b);
        fprintf(f, "  %-28s %d-%d %6.1f   model %6s%s\n", r->author, r->y0, r->y1, r->value,
                fmt_or_dash(mx, sizeof mx, "%.1f", x), spread);
    }
    char d[16], dl[16], dh[16], t[16];
    date_of(m.retreat_day, d, sizeof d);
    date_of(lo.retreat_day, dl, sizeof dl);
    date_of(hi.retreat_day, dh, sizeof dh);
    date_of(CMP_TWELVE_ARTICLES_DAY, t, sizeof t);
    int nr = 0;   /* runs in which the Centre retreated */
    double first = INFINITY, last = -INFINITY;
    for (int k = 0; k < n; k++)
        if (isfinite(runs[k].retreat_day)) {
            nr++;
            first = fmin(first, runs[k].retreat_day);
            last = fmax(last, runs[k].retreat_day);
        }
    if (nr == 0) fprintf(f, "\nthe Centre did not retreat by the end of %s", n > 1 ? "any run" : "the run");
    else if (n == 1) fprintf(f, "\nthe Centre's retreat began the week of %s", d);
    else if (nr == n) fprintf(f, "\nthe Centre's retreat began on %s on average (runs: the weeks of %s to %s)", d, dl, dh);
    else {
        date_of(first, dl, sizeof dl);
        date_of(last, dh, sizeof dh);
        fprintf(f, "\nthe Centre retreated in %d of %d runs (the weeks of %s to %s), not by the end of the others", nr, n,
                dl, dh);
    }
    fprintf(f, "; the Twelve Articles: %s\n", t);
    char mq[32];
    fprintf(f, "Meng-Qian-Yared across %d provinces: corr(grain per head 1957, excess deaths per head 1959-61) = %s",
            m.nprov, fmt_or_dash(mq, sizeof mq, "%+.2f", m.mqy));
    if (n > 1 && !isnan(m.mqy)) fprintf(f, " (runs %+.2f to %+.2f)", lo.mqy, hi.mqy);
    fputs("\n", f);

    /* the targets of the calibration (docs/VALIDATION.md) */
    fprintf(f, "\ntargets (in-sample 1958-1960 unless stated)\n");
    static const struct { int s; double max; int y1; } tg[] = {
        {CS_DEATH, 10, CMP_IN1}, {CS_BIRTH, 10, CMP_IN1}, {CS_GRAIN, 10, CMP_IN1}, {CS_PROC, 10, CMP_IN1},
        {CS_STEEL, 15, CMP_IN1}, {CS_CLAIMED, 15, 1959},
    };
    for (size_t i = 0; i < sizeof tg / sizeof tg[0]; i++) {
        double a = cmp_mape(m.v[tg[i].s], h->v[tg[i].s], CMP_IN0, tg[i].y1);
        char what[128], det[64];
        snprintf(what, sizeof what, "MAPE %s%s <= %.0f%%", cmp_series[tg[i].s].col, tg[i].y1 == 1959 ? " (1958-59)" : "", tg[i].max);
        snprintf(det, sizeof det, "%.1f%%", a);
        verdict(f, what, a, a <= tg[i].max, det);
    }
    int peak = 0;
    for (int y = 1; y < CMP_NY; y++) if (m.v[CS_DEATH][y] > m.v[CS_DEATH][peak]) peak = y;
    snprintf(t, sizeof t, "%d", CMP_Y0 + peak);
    verdict(f, "1960 is the peak year of the registered death rate", m.v[CS_DEATH][1960 - CMP_Y0], CMP_Y0 + peak == 1960, t);
    double x = cmp_excess(&m, 1958, 1961);
    char det[64];
    snprintf(det, sizeof det, "%.1f million", x);
    verdict(f, "true excess deaths 1958-61 within 22-36 million", x, x >= 22 && x <= 36, det);
    snprintf(det, sizeof det, "%+.2f", m.mqy);
    verdict(f, "Meng-Qian-Yared correlation positive", m.mqy, m.mqy > 0, det);
    for (int s = 0; s < CMP_NS; s++) {
        double b = cmp_mape(m.v[s], h->v[s], CMP_OUT0, CMP_OUT1);
        if (s != CS_DEATH && s != CS_BIRTH && s != CS_GRAIN && s != CS_PROC) continue;
        char what[128];
        snprintf(what, sizeof what, "out-of-sample MAPE %s 1961-62 (hoped <= 20%%)", cmp_series[s].col);
        snprintf(det, sizeof det, "%.1f%%", b);
        verdict(f, what, b, b <= 20, det);
    }
}

/* A number, or nothing if it is missing, then sep. */
static void num(FILE *f, double v, const char *sep)
{
    if (isfinite(v)) fprintf(f, "%.4f", v);
    fputs(sep, f);
}

int cmp_write_csv(const char *path, const CmpRun *runs, int n, const CmpHist *h, LeapErr *e)
{
    CmpRun m, lo, hi;
    cmp_mean(runs, n, &m, &lo, &hi);
    char tmp[4400];
    FILE *f = out_tmp_file(path, tmp, sizeof tmp);
    if (!f) return err_set(e, LEAP_EINPUT, "%s: cannot write (%s)", path, strerror(errno));
    fprintf(f, "series,year,model,model_lo,model_hi,history,history_status,abs_pct_error,sample\n");
    for (int s = 0; s < CMP_NS; s++)
        for (int y = 0; y < CMP_NY; y++) {
            fprintf(f, "%s,%d,", cmp_series[s].col, CMP_Y0 + y);
            num(f, m.v[s][y], ","); num(f, lo.v[s][y], ","); num(f, hi.v[s][y], ","); num(f, h->v[s][y], ",");
            fprintf(f, "%s,", isnan(h->v[s][y]) ? "" : h->status[s][y]);
            num(f, cmp_ape(m.v[s][y], h->v[s][y]), ",");
            fprintf(f, "%s\n", sample_of(CMP_Y0 + y));
        }
    int bad = ferror(f);
    if (fclose(f) || bad || rename(tmp, path)) {
        int er = errno;
        remove(tmp);
        return err_sys(e, "%s: cannot write (%s)", path, strerror(er));
    }
    return LEAP_OK;
}
