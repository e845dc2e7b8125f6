/* data.c -- reading the CSV files of data/ with libcsv (see data.h). */
#include "data.h"
#include "mem.h"
#include "params.h"
#include <csv.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef LEAP_DATADIR
#define LEAP_DATADIR "data"
#endif

/* ---- generic CSV ---------------------------------------------------------- */

typedef struct Builder {
    CsvTable *T;
    char **row;          /* cells of the current row */
    int nrow_cells, caprow;
    size_t capcells, ncells;
    int rows_done;       /* including header */
    int bad_row;         /* first row with a wrong field count (1-based line), 0 if none */
    int bad_count;
} Builder;

static void on_field(void *s, size_t len, void *data)
{
    Builder *b = data;
    if (b->nrow_cells == b->caprow) {
        int nc = b->caprow ? 2 * b->caprow : 32;
        b->row = mem_realloc(b->row, (size_t)b->caprow * sizeof *b->row, (size_t)nc * sizeof *b->row);
        b->caprow = nc;
    }
    char *c = mem_realloc(NULL, 0, len + 1);
    if (len) memcpy(c, s, len);
    c[len] = '\0';
    b->row[b->nrow_cells++] = c;
}

static void on_row(int ch, void *data)
{
    (void)ch;
    Builder *b = data;
    CsvTable *T = b->T;
    if (b->rows_done == 0) T->ncols = b->nrow_cells;
    if (b->nrow_cells != T->ncols && !b->bad_row) {
        b->bad_row = b->rows_done + 1;
        b->bad_count = b->nrow_cells;
    }
    for (int i = 0; i < T->ncols; i++) {
        if (b->ncells == b->capcells) {
            size_t nc = b->capcells ? 2 * b->capcells : 256;
            T->cell = mem_realloc(T->cell, b->capcells * sizeof *T->cell, nc * sizeof *T->cell);
            b->capcells = nc;
        }
        T->cell[b->ncells++] = i < b->nrow_cells ? b->row[i] : mem_strdup("");
    }
    for (int i = T->ncols; i < b->nrow_cells; i++) mem_free(b->row[i], strlen(b->row[i]) + 1);
    b->nrow_cells = 0;
    b->rows_done++;
}

int csv_read(CsvTable *T, const char *path, LeapErr *e)
{
    memset(T, 0, sizeof *T);
    if (err_check_file(e, path, "a CSV file")) return LEAP_EINPUT;
    FILE *f = fopen(path, "rb");
    if (!f) return err_set(e, LEAP_EINPUT, "%s: cannot open (%s)", path, strerror(errno));
    T->path = mem_strdup(path);
    struct csv_parser p;
    csv_init(&p, CSV_STRICT | CSV_APPEND_NULL | CSV_STRICT_FINI);
    Builder b = {T, NULL, 0, 0, 0, 0, 0, 0, 0};
    char buf[8192];
    size_t n;
    int rc = LEAP_OK;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        if (csv_parse(&p, buf, n, on_field, on_row, &b) != n) {
            rc = err_at(e, path, b.rows_done + 1, b.nrow_cells + 1, "malformed CSV: %s",
                        csv_strerror(csv_error(&p)));
            break;
        }
    }
    if (!rc && ferror(f)) rc = err_set(e, LEAP_EINPUT, "%s: cannot read (%s)", path, strerror(errno));
    if (!rc && csv_fini(&p, on_field, on_row, &b) != 0)
        rc = err_at(e, path, b.rows_done + 1, 1, "malformed CSV: %s", csv_strerror(csv_error(&p)));
    csv_free(&p);
    fclose(f);
    for (int i = 0; i < b.nrow_cells; i++) mem_free(b.row[i], strlen(b.row[i]) + 1);
    mem_free(b.row, (size_t)b.caprow * sizeof *b.row);
    /* shrink the cell array to its exact size so csv_table_free knows it */
    T->cell = mem_realloc(T->cell, b.capcells * sizeof *T->cell, (b.ncells ? b.ncells : 1) * sizeof *T->cell);
    T->nrows = b.rows_done > 0 ? b.rows_done - 1 : 0;
    if (!rc && b.rows_done == 0) rc = err_at(e, path, 1, 1, "empty file; a header row is expected");
    if (!rc && b.bad_row)
        rc = err_at(e, path, b.bad_row, 1, "row has %d fields; the header has %d", b.bad_count, T->ncols);
    if (rc) csv_table_free(T);
    return rc;
}

void csv_table_free(CsvTable *T)
{
    if (!T->path) return;
    size_t n = (size_t)(T->nrows + 1) * (size_t)T->ncols;
    for (size_t i = 0; i < n && T->cell; i++) mem_free(T->cell[i], strlen(T->cell[i]) + 1);
    mem_free(T->cell, (n ? n : 1) * sizeof *T->cell);
    mem_free(T->path, strlen(T->path) + 1);
    memset(T, 0, sizeof *T);
}

int csv_col(const CsvTable *T, const char *name, int *col, LeapErr *e)
{
    for (int i = 0; i < T->ncols; i++)
        if (strcmp(T->cell[i], name) == 0) { *col = i; return LEAP_OK; }
    return err_at(e, T->path, 1, 1, "missing column '%s'", name);
}

const char *csv_cell(const CsvTable *T, int row, int col)
{
    return T->cell[(size_t)(row + 1) * (size_t)T->ncols + (size_t)col];
}

int csv_num(const CsvTable *T, int row, int col, double lo, double hi, int blank_ok, double *out, LeapErr *e)
{
    const char *s = csv_cell(T, row, col);
    if (!*s) {
        if (blank_ok) { *out = NAN; return LEAP_OK; }
        return err_at(e, T->path, row + 2, col + 1, "column '%s' is blank; a number from %g to %g is required",
                      T->cell[col], lo, hi);
    }
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*end || errno || !isfinite(v) || !params_decimal(s, strlen(s), false)) {
        if (lo <= -1e9 && hi >= 1e9)   /* no range to speak of */
            return err_at(e, T->path, row + 2, col + 1, "column '%s': '%s' is not a number; a finite number%s is allowed",
                          T->cell[col], s, blank_ok ? " or a blank cell" : "");
        return err_at(e, T->path, row + 2, col + 1, "column '%s': '%s' is not a number; a number from %g to %g is allowed",
                      T->cell[col], s, lo, hi);
    }
    if (v < lo || v > hi)
        return err_at(e, T->path, row + 2, col + 1, "column '%s': %s is out of range; a number from %g to %g is allowed",
                      T->cell[col], s, lo, hi);
    *out = v;
    return LEAP_OK;
}

int csv_years(const CsvTable *T, int col, int lo, int hi, int need0, int need1, int *rows, LeapErr *e)
{
    for (int y = lo; y <= hi; y++) rows[y - lo] = -1;
    int first = hi + 1, last = lo - 1;
    for (int r = 0; r < T->nrows; r++) {
        const char *s = csv_cell(T, r, col);
        char *end;
        errno = 0;
        long y = strtol(s, &end, 10);
        if (!*s || *end || errno || s[0] < '0' || s[0] > '9')
            return err_at(e, T->path, r + 2, col + 1, "column '%s': '%s' is not a year; a whole year from %d to %d is allowed",
                          T->cell[col], s, lo, hi);
        if (y < lo || y > hi)
            return err_at(e, T->path, r + 2, col + 1, "column '%s': year %ld is out of range; a year from %d to %d is allowed",
                          T->cell[col], y, lo, hi);
        int k = (int)y - lo;
        if (rows[k] >= 0)
            return err_at(e, T->path, r + 2, col + 1, "year %ld appears twice (lines %d and %d); one row per year is allowed",
                          y, rows[k] + 2, r + 2);
        rows[k] = r;
        if (y < first) first = (int)y;
        if (y > last) last = (int)y;
    }
    if (need0 < first) first = need0;
    if (need1 > last) last = need1;
    for (int y = first; y <= last; y++) {
        if (rows[y - lo] >= 0) continue;
        int at = T->nrows;   /* the line where the year belongs: that of the next year present, else the end */
        for (int z = y + 1; z <= hi; z++)
            if (rows[z - lo] >= 0 && rows[z - lo] < at) at = rows[z - lo];
        return err_at(e, T->path, at + 2, col + 1, "no row for year %d; one row for every year from %d to %d, "
                      "without gaps, is required", y, first, last);
    }
    return LEAP_OK;
}

/* ---- leap's data files ------------------------------------------------------ */

int data_dir(char *buf, size_t len, LeapErr *e)
{
    const char *env = getenv("LEAP_DATA");
    if (env && *env) {
        snprintf(buf, len, "%s", env);
        return LEAP_OK;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) *slash = '\0';
        snprintf(buf, len, "%s/data", exe);
        char probe[PATH_MAX + 32];
        snprintf(probe, sizeof probe, "%s/provinces.csv", buf);
        if (access(probe, R_OK) == 0) return LEAP_OK;
    }
    snprintf(buf, len, "%s", LEAP_DATADIR);
    char probe[PATH_MAX + 32];
    snprintf(probe, sizeof probe, "%s/provinces.csv", buf);
    if (access(probe, R_OK) == 0) return LEAP_OK;
    return err_set(e, LEAP_EINPUT, "cannot find leap's data folder (looked beside the executable and in %s); "
                   "set LEAP_DATA to the folder holding provinces.csv", LEAP_DATADIR);
}

static int load_provinces(HistData *H, const char *dir, LeapErr *e)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/provinces.csv", dir);
    CsvTable T;
    int rc = csv_read(&T, path, e);
    if (rc) return rc;
    int c[10];
    const char *names[10] = {"province", "population_1957_million", "urban_share_1957", "grain_output_1957_mt",
                             "death_1956", "death_1957", "distance_to_beijing_km",
                             "first_secretary_politburo_status_1958", "grain_per_capita_1957_kg", "in_mqy_panel"};
    for (int i = 0; i < 10 && !rc; i++) rc = csv_col(&T, names[i], &c[i], e);
    if (!rc && (T.nrows < 1 || T.nrows > DATA_MAX_PROV))
        rc = err_at(e, path, 1, 1, "%d provinces; from 1 to %d are allowed", T.nrows, DATA_MAX_PROV);
    H->nprov = T.nrows;
    for (int r = 0; r < T.nrows && !rc; r++) {
        ProvinceData *p = &H->prov[r];
        const char *nm = csv_cell(&T, r, c[0]);
        if (!*nm || strlen(nm) >= sizeof p->name) {
            rc = err_at(e, path, r + 2, c[0] + 1, "province name '%s' must be 1 to %zu characters", nm, sizeof p->name - 1);
            break;
        }
        snprintf(p->name, sizeof p->name, "%s", nm);
        if ((rc = csv_num(&T, r, c[1], 0.01, 200, 0, &p->pop_1957, e))) break;
        if ((rc = csv_num(&T, r, c[2], 0, 1, 0, &p->urban_share, e))) break;
        if ((rc = csv_num(&T, r, c[3], 0.001, 100, 0, &p->grain_1957, e))) break;
        if ((rc = csv_num(&T, r, c[4], 1, 60, 0, &p->death_1956, e))) break;
        if ((rc = csv_num(&T, r, c[5], 1, 60, 0, &p->death_1957, e))) break;
        if ((rc = csv_num(&T, r, c[6], 0, 6000, 0, &p->distance_km, e))) break;
        const char *pb = csv_cell(&T, r, c[7]);
        p->politburo = !*pb ? -1 : strncmp(pb, "full", 4) == 0 ? 2 : strncmp(pb, "alternate", 9) == 0 ? 1
                     : strcmp(pb, "none") == 0 ? 0 : -2;
        if (p->politburo == -2) {
            rc = err_at(e, path, r + 2, c[7] + 1, "'%s' is not a Politburo status; full, alternate, none or blank is allowed", pb);
            break;
        }
        for (int q = 0; q < r; q++)
            if (strcmp(H->prov[q].name, p->name) == 0) {
                rc = err_at(e, path, r + 2, c[0] + 1, "province '%s' appears twice", p->name);
                break;
            }
        p->harvest_sd = NAN;
        p->line = r + 2;
        const char *ip = csv_cell(&T, r, c[9]);
        if (strcmp(ip, "0") && strcmp(ip, "1")) {
            rc = err_at(e, path, r + 2, c[9] + 1, "in_mqy_panel: '%s' is not allowed; 1 (the province has rows in provinces_panel.csv) or 0 is", ip);
            break;
        }
        p->in_panel = ip[0] == '1';
    }
    if (!rc) H->in_panel_col = c[9] + 1;
    csv_table_free(&T);
    return rc;
}

static int load_national(HistData *H, const char *dir, LeapErr *e)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/national.csv", dir);
    CsvTable T;
    int rc = csv_read(&T, path, e);
    if (rc) return rc;
    int cy, cp, cu, cg, cd, cs;
    if (!(rc = csv_col(&T, "year", &cy, e)) && !(rc = csv_col(&T, "population_yearend_million", &cp, e)) &&
        !(rc = csv_col(&T, "urban_population_million", &cu, e)) && !(rc = csv_col(&T, "death_rate_permille", &cd, e)) &&
        !(rc = csv_col(&T, "steel_output_mt", &cs, e)))
        rc = csv_col(&T, "grain_output_mt", &cg, e);
    for (int i = 0; i < DATA_NYEARS; i++)
        H->pop_yearend[i] = H->urban_pop[i] = H->grain_output[i] = H->death_rate[i] = H->steel_output[i] = NAN;
    int rows[DATA_NYEARS];
    /* the model reads 1956-57; leap compare the record 1957-62 */
    if (!rc) rc = csv_years(&T, cy, DATA_FIRST_YEAR, DATA_LAST_YEAR, 1956, 1962, rows, e);
    for (int i = 0; i < DATA_NYEARS && !rc; i++) {
        int r = rows[i];
        if (r < 0) continue;
        if ((rc = csv_num(&T, r, cp, 100, 2000, 1, &H->pop_yearend[i], e))) break;
        if ((rc = csv_num(&T, r, cu, 1, 1000, 1, &H->urban_pop[i], e))) break;
        if ((rc = csv_num(&T, r, cg, 1, 1000, 1, &H->grain_output[i], e))) break;
        if ((rc = csv_num(&T, r, cd, 1, 100, 1, &H->death_rate[i], e))) break;
        if ((rc = csv_num(&T, r, cs, 0, 1000, 1, &H->steel_output[i], e))) break;
    }
    if (!rc && (isnan(H->pop_yearend[1956 - DATA_FIRST_YEAR]) || isnan(H->urban_pop[1956 - DATA_FIRST_YEAR])))
        rc = err_set(e, LEAP_EINPUT, "%s: the 1956 row needs population_yearend_million and urban_population_million "
                     "(the run starts from the end-1956 population)", path);
    if (!rc && (isnan(H->death_rate[1957 - DATA_FIRST_YEAR]) || isnan(H->grain_output[1957 - DATA_FIRST_YEAR]) ||
                isnan(H->steel_output[1957 - DATA_FIRST_YEAR])))
        rc = err_set(e, LEAP_EINPUT, "%s: the 1957 row needs death_rate_permille, grain_output_mt and steel_output_mt "
                     "(the baseline year)", path);
    csv_table_free(&T);
    return rc;
}

static int load_weather(HistData *H, const char *dir, LeapErr *e)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/weather_index.csv", dir);
    CsvTable T;
    int rc = csv_read(&T, path, e);
    if (rc) return rc;
    int cy, cw;
    if (!(rc = csv_col(&T, "year", &cy, e))) rc = csv_col(&T, "national_weather_index", &cw, e);
    for (int i = 0; i < 10; i++) H->weather_index[i] = NAN;
    int rows[10];
    /* every year of the record, 1957-1962: a missing one must not pass for normal weather */
    if (!rc) rc = csv_years(&T, cy, 1957, 1966, 1957, 1962, rows, e);
    for (int i = 0; i < 10 && !rc; i++)
        if (rows[i] >= 0 && (rc = csv_num(&T, rows[i], cw, 0.3, 1.5, 0, &H->weather_index[i], e))) break;
    if (!rc && H->weather_index[0] != 1.0)
        rc = err_set(e, LEAP_EINPUT, "%s: the 1957 index must be 1 (it is the base year); found %g", path, H->weather_index[0]);
    csv_table_free(&T);
    return rc;
}

/* sd of the residuals of log(output) around a linear trend, per province,
   over the years the panel has (1953-57). */
static int load_panel(HistData *H, const char *dir, LeapErr *e)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/provinces_panel.csv", dir);
    CsvTable T;
    int rc = csv_read(&T, path, e);
    if (rc) return rc;
    int cp, cy, cg;
    if (!(rc = csv_col(&T, "province", &cp, e)) && !(rc = csv_col(&T, "year", &cy, e)))
        rc = csv_col(&T, "grain_output_official_10k_t", &cg, e);
    double sx[DATA_MAX_PROV] = {0}, sy[DATA_MAX_PROV] = {0}, sxx[DATA_MAX_PROV] = {0}, sxy[DATA_MAX_PROV] = {0},
           syy[DATA_MAX_PROV] = {0};
    int n[DATA_MAX_PROV] = {0};
    int line[DATA_MAX_PROV][8];   /* the line of each province's year 1950-57, 0 if none */
    memset(line, 0, sizeof line);
    for (int r = 0; r < T.nrows && !rc; r++) {
        const char *nm = csv_cell(&T, r, cp);
        int p = -1;
        for (int q = 0; q < H->nprov; q++)
            if (strcmp(H->prov[q].name, nm) == 0) p = q;
        if (p < 0) {
            rc = err_at(e, path, r + 2, cp + 1, "province '%s' is not in provinces.csv", nm);
            break;
        }
        double y, g;
        if ((rc = csv_num(&T, r, cy, 1950, 1957, 0, &y, e))) break;
        if (y != floor(y)) {
            rc = err_at(e, path, r + 2, cy + 1, "column 'year': %s is not a whole year; 1950 to 1957 is allowed", csv_cell(&T, r, cy));
            break;
        }
        int *ln = &line[p][(int)y - 1950];
        if (*ln) {
            rc = err_at(e, path, r + 2, cy + 1, "%s %d appears twice (lines %d and %d); one row per province and year is allowed",
                        nm, (int)y, *ln, r + 2);
            break;
        }
        *ln = r + 2;
        if ((rc = csv_num(&T, r, cg, 1, 1e5, 1, &g, e))) break;
        if (isnan(g)) continue;   /* e.g. Zhejiang: grain withheld as unreliable (SOURCES.md) */
        double x = y - 1955, l = log(g);
        sx[p] += x; sy[p] += l; sxx[p] += x * x; sxy[p] += x * l; syy[p] += l * l; n[p]++;
    }
    /* a province's years run without a gap (the trend needs them all); a
       missing row is an error, a withheld value is a blank cell */
    for (int p = 0; p < H->nprov && !rc; p++) {
        int y0 = 0;
        while (y0 < 8 && !line[p][y0]) y0++;
        for (int y = y0 + 1; y < 8 && !rc; y++) {
            if (line[p][y]) continue;
            int z = y + 1;
            while (z < 8 && !line[p][z]) z++;
            if (z < 8)
                rc = err_at(e, path, line[p][z], cy + 1, "no row for %s %d; a province's years must run without gaps "
                            "(a withheld value is a blank cell)", H->prov[p].name, 1950 + y);
        }
        if (!rc && H->prov[p].in_panel && y0 == 8) {
            char pp[4200];
            snprintf(pp, sizeof pp, "%s/provinces.csv", dir);
            rc = err_at(e, pp, H->prov[p].line, H->in_panel_col, "%s has in_mqy_panel = 1 but no rows in provinces_panel.csv; "
                        "give its rows there or set in_mqy_panel to 0", H->prov[p].name);
        }
        if (!rc && !H->prov[p].in_panel && y0 < 8)
            rc = err_at(e, path, line[p][y0], cp + 1, "%s has rows here but in_mqy_panel = 0 in provinces.csv; "
                        "set it to 1 or remove the rows", H->prov[p].name);
    }
    for (int p = 0; p < H->nprov && !rc; p++) {
        if (n[p] < 4) continue;
        double mx = sx[p] / n[p], my = sy[p] / n[p];
        double vxx = sxx[p] / n[p] - mx * mx, vxy = sxy[p] / n[p] - mx * my, vyy = syy[p] / n[p] - my * my;
        double rss = (vyy - (vxx > 0 ? vxy * vxy / vxx : 0)) * n[p];
        H->prov[p].harvest_sd = sqrt(fmax(0, rss / (n[p] - 2)));
    }
    csv_table_free(&T);
    return rc;
}

/* Grain and steel targets; other indicators (pig iron) are not used. */
static int load_targets(HistData *H, const char *dir, LeapErr *e)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/plan_targets.csv", dir);
    CsvTable T;
    int rc = csv_read(&T, path, e);
    if (rc) return rc;
    int cd, cy, ci, cv;
    if (!(rc = csv_col(&T, "date_set", &cd, e)) && !(rc = csv_col(&T, "target_year", &cy, e)) &&
        !(rc = csv_col(&T, "indicator", &ci, e)))
        rc = csv_col(&T, "value", &cv, e);
    H->ntargets = 0;
    for (int r = 0; r < T.nrows && !rc; r++) {
        const char *ind = csv_cell(&T, r, ci), *d = csv_cell(&T, r, cd);
        int steel = strcmp(ind, "steel") == 0;
        if (!steel && strcmp(ind, "grain") != 0) continue;
        int y, m, dd, n = 0;
        if (sscanf(d, "%4d-%2d-%2d%n", &y, &m, &dd, &n) != 3 || n != 10 || d[n]) {
            rc = err_at(e, path, r + 2, cd + 1, "'%s' is not a date YYYY-MM-DD", d);
            break;
        }
        double yr, v;
        if ((rc = csv_num(&T, r, cy, 1950, 1970, 0, &yr, e))) break;
        if ((rc = csv_num(&T, r, cv, 0.1, 2000, 0, &v, e))) break;
        if (H->ntargets == (int)(sizeof H->target / sizeof H->target[0])) {
            rc = err_at(e, path, r + 2, 1, "more than %d grain and steel targets", H->ntargets);
            break;
        }
        int date = y * 10000 + m * 100 + dd;
        for (int k = 0; k < H->ntargets; k++)
            if (H->target[k].date == date && H->target[k].year == (int)yr && H->target[k].steel == steel) {
                rc = err_at(e, path, r + 2, cd + 1, "the %s target for %d set on %s appears twice (lines %d and %d); "
                            "one value per indicator, year and date is allowed", ind, (int)yr, d, H->target[k].line, r + 2);
                break;
            }
        if (rc) break;
        H->target[H->ntargets].line = r + 2;
        H->target[H->ntargets].date = date;
        H->target[H->ntargets].year = (int)yr;
        H->target[H->ntargets].steel = steel;
        H->target[H->ntargets].value = v;
        H->ntargets++;
    }
    csv_table_free(&T);
    return rc;
}

int data_load(HistData *H, const char *dir, LeapErr *e)
{
    memset(H, 0, sizeof *H);
    snprintf(H->datadir, sizeof H->datadir, "%s", dir);
    int rc = load_provinces(H, dir, e);
    if (!rc) rc = load_national(H, dir, e);
    if (!rc) rc = load_weather(H, dir, e);
    if (!rc) rc = load_panel(H, dir, e);
    if (!rc) rc = load_targets(H, dir, e);
    return rc;
}
