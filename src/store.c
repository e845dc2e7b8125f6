/* store.c -- the run store (see store.h; the schema in docs/STORE.md). */
#include "store.h"
#include "cal.h"
#include "data.h"
#include "mem.h"
#include "out.h"
#include "version.h"
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

struct Store {
    sqlite3 *db;
    char path[4096];
};

/* The three series files: table name, column family in outputs.def, key columns. */
typedef struct Key { const char *name; int text; } Key;
static const struct SeriesFile {
    const char *table, *file, *family;
    int nkeys;
    Key keys[3];
} files[] = {
    {"national_annual", "national_annual.csv", "NAT", 1, {{"year", 0}}},
    {"provinces_annual", "provinces_annual.csv", "PROV", 2, {{"province", 1}, {"year", 0}}},
    {"national_weekly", "national_weekly.csv", "WEEK", 3, {{"week", 0}, {"date", 1}, {"year", 0}}},
};
#define NFILES ((int)(sizeof files / sizeof files[0]))
#define MAXCOLS 160

static int db_err(Store *st, LeapErr *e, const char *what)
{
    return err_set(e, LEAP_EINPUT, "%s: %s: %s", st->path, what, sqlite3_errmsg(st->db));
}

/* Run one or more statements with no result. */
static int exec(Store *st, const char *sql, LeapErr *e)
{
    char *msg = NULL;
    if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) == SQLITE_OK) return LEAP_OK;
    int rc = err_set(e, LEAP_EINPUT, "%s: %s", st->path, msg ? msg : sqlite3_errmsg(st->db));
    sqlite3_free(msg);
    return rc;
}

static void now_iso(char *buf, size_t n)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* CREATE TABLE for a series file: run_id, the keys, every output column. */
static char *create_sql(const struct SeriesFile *f)
{
    const char *names[MAXCOLS];
    int n = out_columns(f->family, names, MAXCOLS);
    size_t cap = 256 + (size_t)n * 80, used = 0;
    char *s = mem_realloc(NULL, 0, cap);
    used += (size_t)snprintf(s + used, cap - used, "CREATE TABLE %s (\n  run_id INTEGER NOT NULL REFERENCES runs(id)",
                             f->table);
    for (int k = 0; k < f->nkeys; k++)
        used += (size_t)snprintf(s + used, cap - used, ",\n  %s %s NOT NULL", f->keys[k].name,
                                 f->keys[k].text ? "TEXT" : "INTEGER");
    for (int i = 0; i < n; i++) used += (size_t)snprintf(s + used, cap - used, ",\n  \"%s\" REAL", names[i]);
    used += (size_t)snprintf(s + used, cap - used, ",\n  PRIMARY KEY (run_id");
    for (int k = 0; k < f->nkeys; k++)
        if (strcmp(f->keys[k].name, "date")) used += (size_t)snprintf(s + used, cap - used, ", %s", f->keys[k].name);
    snprintf(s + used, cap - used, "));\n");
    return s;   /* mem_free(s, cap) -- the caller uses free_sql */
}

static void free_sql(char *s, const struct SeriesFile *f)
{
    const char *names[MAXCOLS];
    int n = out_columns(f->family, names, MAXCOLS);
    mem_free(s, 256 + (size_t)n * 80);
}

static const char *runs_sql =
    "CREATE TABLE runs (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  started TEXT NOT NULL,\n"
    "  finished TEXT,\n"
    "  status TEXT NOT NULL CHECK (status IN ('running', 'complete', 'failed')),\n"
    "  error TEXT,\n"
    "  leap_version TEXT NOT NULL,\n"
    "  git_commit TEXT NOT NULL,\n"
    "  scenario_name TEXT NOT NULL,\n"
    "  scenario_file TEXT NOT NULL,\n"
    "  scenario_yaml TEXT NOT NULL,\n"
    "  seed INTEGER NOT NULL,\n"
    "  scale REAL NOT NULL,\n"
    "  threads INTEGER NOT NULL,\n"
    "  out_dir TEXT NOT NULL,\n"
    "  wall_s REAL,\n"
    "  peak_rss_kib INTEGER,\n"
    "  run_json TEXT\n"
    ");\n";

static int schema_version(Store *st, int *v, LeapErr *e)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &q, NULL) != SQLITE_OK) return db_err(st, e, "not a leap run store");
    int rc = sqlite3_step(q);
    *v = rc == SQLITE_ROW ? sqlite3_column_int(q, 0) : -1;
    sqlite3_finalize(q);
    if (rc != SQLITE_ROW) return db_err(st, e, "not a leap run store");
    return LEAP_OK;
}

/* Whether the database holds any table (a store of version 0 must be empty:
   leap adds its tables only to a new file, never to someone else's). */
static int has_tables(Store *st)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(st->db, "SELECT 1 FROM sqlite_master", -1, &q, NULL) != SQLITE_OK) return 1;
    int any = sqlite3_step(q) == SQLITE_ROW;
    sqlite3_finalize(q);
    return any;
}

/* Column name of table, added (NULL in the rows already there) if the
   table lacks it: a store made by an earlier leap of the same schema. */
static int add_column(Store *st, const char *table, const char *name, const char *type, LeapErr *e)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT 1 FROM pragma_table_info('%s') WHERE name = '%s'", table, name);
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(st->db, sql, -1, &q, NULL) != SQLITE_OK) return db_err(st, e, table);
    int have = sqlite3_step(q) == SQLITE_ROW;
    sqlite3_finalize(q);
    if (have) return LEAP_OK;
    snprintf(sql, sizeof sql, "ALTER TABLE %s ADD COLUMN \"%s\" %s", table, name, type);
    return exec(st, sql, e);
}

/* Output columns this leap writes that the table lacks: added. */
static int add_new_columns(Store *st, const struct SeriesFile *f, LeapErr *e)
{
    const char *names[MAXCOLS];
    int n = out_columns(f->family, names, MAXCOLS), rc = LEAP_OK;
    for (int i = 0; i < n && !rc; i++) rc = add_column(st, f->table, names[i], "REAL", e);
    return rc;
}

int store_open(Store **out, const char *path, LeapErr *e)
{
    *out = NULL;
    if (!*path)   /* SQLite would open a private temporary database, lost at the end */
        return err_set(e, LEAP_EINPUT, "the run store's name is empty (--db \"\"); give a file, or --no-db to record "
                       "nothing");
    Store *st = mem_calloc(1, sizeof *st);
    snprintf(st->path, sizeof st->path, "%s", path);
    struct stat sb;   /* a folder, a pipe or a device: SQLite would say "disk I/O error" */
    if (stat(path, &sb) == 0 &&
        err_check_file(e, path, "a leap run store, an SQLite file (a name not taken makes a new one)")) {
        store_close(st);
        return LEAP_EINPUT;
    }
    if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        int rc = db_err(st, e, "cannot open the run store");
        store_close(st);
        return rc;
    }
    sqlite3_busy_timeout(st->db, 60000);   /* other leap processes writing: wait */
    int v, rc = schema_version(st, &v, e);
    if (!rc && v > STORE_SCHEMA)
        rc = err_set(e, LEAP_EINPUT, "%s: the run store was made by a newer leap (schema %d; this leap %s reads "
                     "schema %d); use that leap, or --db another file", path, v, LEAP_VERSION, STORE_SCHEMA);
    if (!rc && v == 0) {   /* new: create the tables, all or nothing */
        rc = exec(st, "BEGIN IMMEDIATE", e);
        if (!rc) rc = schema_version(st, &v, e);   /* another process may have made them meanwhile */
        if (!rc && v == 0 && has_tables(st))
            rc = err_set(e, LEAP_EINPUT, "%s: an SQLite database with tables of its own, not a leap run store; "
                         "use --db another file (or a new one)", path);
        if (!rc && v == 0) {
            rc = exec(st, runs_sql, e);
            for (int f = 0; f < NFILES && !rc; f++) {
                char *sql = create_sql(&files[f]);
                rc = exec(st, sql, e);
                free_sql(sql, &files[f]);
            }
            char pragma[64];
            snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", STORE_SCHEMA);
            if (!rc) rc = exec(st, pragma, e);
        }
        if (!rc) rc = exec(st, "COMMIT", e);
        else sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    }
    for (int f = 0; f < NFILES && !rc; f++) rc = add_new_columns(st, &files[f], e);
    if (!rc) rc = add_column(st, "runs", "run_json", "TEXT", e);   /* NULL for runs recorded before: CSV-only exports */
    if (rc) { store_close(st); return rc; }
    *out = st;
    return LEAP_OK;
}

void store_close(Store *st)
{
    if (!st) return;
    if (st->db) sqlite3_close(st->db);
    mem_free(st, sizeof *st);
}

int store_begin(Store *st, const StoreRun *r, int64_t *id, LeapErr *e)
{
    sqlite3_stmt *q;
    const char *sql = "INSERT INTO runs (started, status, leap_version, git_commit, scenario_name, scenario_file, "
                      "scenario_yaml, seed, scale, threads, out_dir) VALUES (?, 'running', ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    if (sqlite3_prepare_v2(st->db, sql, -1, &q, NULL) != SQLITE_OK) return db_err(st, e, "cannot record the run");
    char t[32];
    now_iso(t, sizeof t);
    sqlite3_bind_text(q, 1, t, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 2, LEAP_VERSION, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, LEAP_GIT, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 4, r->scenario_name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 5, r->scenario_file, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 6, r->scenario_yaml, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(q, 7, r->seed);
    sqlite3_bind_double(q, 8, r->scale);
    sqlite3_bind_int(q, 9, r->threads);
    sqlite3_bind_text(q, 10, r->out_dir, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(q) == SQLITE_DONE ? LEAP_OK : db_err(st, e, "cannot record the run");
    sqlite3_finalize(q);
    *id = sqlite3_last_insert_rowid(st->db);
    return rc;
}

/* Insert the rows of one CSV file of the run. */
static int insert_file(Store *st, int64_t id, const char *dir, const struct SeriesFile *f, LeapErr *e)
{
    char path[4300];
    snprintf(path, sizeof path, "%s/%s", dir, f->file);
    CsvTable T;
    if (csv_read(&T, path, e)) return LEAP_EINTERNAL;
    size_t cap = 64 + (size_t)T.ncols * 72 + strlen(f->table);
    char *sql = mem_realloc(NULL, 0, cap);
    size_t used = (size_t)snprintf(sql, cap, "INSERT INTO %s (run_id", f->table);
    for (int c = 0; c < T.ncols; c++) used += (size_t)snprintf(sql + used, cap - used, ", \"%.60s\"", T.cell[c]);
    used += (size_t)snprintf(sql + used, cap - used, ") VALUES (?");
    for (int c = 0; c < T.ncols; c++) used += (size_t)snprintf(sql + used, cap - used, ", ?");
    snprintf(sql + used, cap - used, ")");
    sqlite3_stmt *q;
    int rc = sqlite3_prepare_v2(st->db, sql, -1, &q, NULL) == SQLITE_OK ? LEAP_OK : db_err(st, e, f->table);
    for (int r = 0; r < T.nrows && !rc; r++) {
        sqlite3_reset(q);
        sqlite3_bind_int64(q, 1, id);
        for (int c = 0; c < T.ncols; c++) {
            const char *v = csv_cell(&T, r, c);
            int text = c < f->nkeys && f->keys[c].text;
            if (text) sqlite3_bind_text(q, c + 2, v, -1, SQLITE_TRANSIENT);
            else if (!*v) sqlite3_bind_null(q, c + 2);
            else if (c < f->nkeys) sqlite3_bind_int64(q, c + 2, strtoll(v, NULL, 10));
            else sqlite3_bind_double(q, c + 2, strtod(v, NULL));
        }
        if (sqlite3_step(q) != SQLITE_DONE) rc = db_err(st, e, f->table);
    }
    sqlite3_finalize(q);
    mem_free(sql, cap);
    csv_table_free(&T);
    return rc;
}

int store_complete(Store *st, int64_t id, const char *dir, double wall_s, int64_t peak, LeapErr *e)
{
    int rc = exec(st, "BEGIN IMMEDIATE", e);
    for (int f = 0; f < NFILES && !rc; f++) rc = insert_file(st, id, dir, &files[f], e);
    sqlite3_stmt *q = NULL;
    if (!rc && sqlite3_prepare_v2(st->db, "UPDATE runs SET status = 'complete', finished = ?, wall_s = ?, "
                                  "peak_rss_kib = ?, run_json = ? WHERE id = ?", -1, &q, NULL) != SQLITE_OK)
        rc = db_err(st, e, "cannot record the run");
    char path[4300];
    snprintf(path, sizeof path, "%s/run.json", dir);
    size_t jlen = 0;
    char *json = rc ? NULL : mem_read_file(path, &jlen);   /* kept whole, so that export writes it back byte for byte */
    if (!rc) {
        char t[32];
        now_iso(t, sizeof t);
        sqlite3_bind_text(q, 1, t, -1, SQLITE_TRANSIENT);
        sqlite3_bind_double(q, 2, wall_s);
        sqlite3_bind_int64(q, 3, peak);
        if (json) sqlite3_bind_text(q, 4, json, (int)jlen, SQLITE_TRANSIENT);
        else sqlite3_bind_null(q, 4);
        sqlite3_bind_int64(q, 5, id);
        if (sqlite3_step(q) != SQLITE_DONE) rc = db_err(st, e, "cannot record the run");
    }
    if (json) mem_free(json, jlen + 1);
    sqlite3_finalize(q);
    if (!rc) rc = exec(st, "COMMIT", e);
    else sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

void store_fail(Store *st, int64_t id, const char *error)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(st->db, "UPDATE runs SET status = 'failed', finished = ?, error = ? WHERE id = ?", -1, &q,
                           NULL) != SQLITE_OK)
        return;
    char t[32];
    now_iso(t, sizeof t);
    sqlite3_bind_text(q, 1, t, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 2, error, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(q, 3, id);
    sqlite3_step(q);
    sqlite3_finalize(q);
}

int store_list(Store *st, FILE *f, LeapErr *e)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(st->db, "SELECT id, started, status, scenario_name, seed, scale, threads, wall_s, "
                           "git_commit, out_dir, error FROM runs ORDER BY id", -1, &q, NULL) != SQLITE_OK)
        return db_err(st, e, "cannot read the runs");
    fprintf(f, "%5s  %-20s  %-10s  %-24s %10s %8s %3s %8s  %-10s %s\n", "id", "started (UTC)", "status", "scenario",
            "seed", "scale", "thr", "wall_s", "git", "out");
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        const char *status = (const char *)sqlite3_column_text(q, 2);
        char wall[32] = "-";
        if (sqlite3_column_type(q, 7) != SQLITE_NULL) snprintf(wall, sizeof wall, "%.1f", sqlite3_column_double(q, 7));
        const char *out = (const char *)sqlite3_column_text(q, 9);   /* "": no folder was kept (a sweep's run) */
        fprintf(f, "%5lld  %-20s  %-10s  %-24s %10lld %8g %3d %8s  %-10s %s\n", (long long)sqlite3_column_int64(q, 0),
                (const char *)sqlite3_column_text(q, 1), strcmp(status, "running") ? status : "incomplete",
                (const char *)sqlite3_column_text(q, 3), (long long)sqlite3_column_int64(q, 4),
                sqlite3_column_double(q, 5), sqlite3_column_int(q, 6), wall, (const char *)sqlite3_column_text(q, 8),
                out && *out ? out : "-");
        if (!strcmp(status, "failed") && sqlite3_column_text(q, 10))
            fprintf(f, "       error: %s\n", (const char *)sqlite3_column_text(q, 10));
    }
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? LEAP_OK : db_err(st, e, "cannot read the runs");
}

/* Write one series table of run id as the CSV file leap run wrote. */
static int export_file(Store *st, int64_t id, const char *dir, const struct SeriesFile *f, LeapErr *e)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT * FROM %s WHERE run_id = ? ORDER BY rowid", f->table);
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(st->db, sql, -1, &q, NULL) != SQLITE_OK) return db_err(st, e, f->table);
    sqlite3_bind_int64(q, 1, id);
    int ncol = sqlite3_column_count(q);
    const char *fmt[MAXCOLS + 4];
    if (ncol > MAXCOLS + 4) {   /* fmt[] would be read past its end */
        sqlite3_finalize(q);
        return err_set(e, LEAP_EINPUT, "%s: table %s has %d columns, more than a run store of leap holds (at most %d); "
                       "a store altered by hand, or not leap's", st->path, f->table, ncol, MAXCOLS + 4);
    }
    for (int c = 1 + f->nkeys; c < ncol; c++) {
        fmt[c] = out_column_fmt(f->family, sqlite3_column_name(q, c));
        if (!fmt[c]) fmt[c] = "%.17g";
    }
    char path[4300];
    snprintf(path, sizeof path, "%s/%s", dir, f->file);
    FILE *out = fopen(path, "w");
    if (!out) { sqlite3_finalize(q); return err_set(e, LEAP_EINPUT, "%s: cannot write (%s)", path, strerror(errno)); }
    for (int c = 1; c < ncol; c++) fprintf(out, "%s%s", c > 1 ? "," : "", sqlite3_column_name(q, c));
    fputc('\n', out);
    int rc, rows = 0;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        for (int c = 1; c < ncol; c++) {
            if (c > 1) fputc(',', out);
            if (sqlite3_column_type(q, c) == SQLITE_NULL) continue;
            if (c <= f->nkeys && f->keys[c - 1].text) fputs((const char *)sqlite3_column_text(q, c), out);
            else if (c <= f->nkeys) fprintf(out, "%lld", (long long)sqlite3_column_int64(q, c));
            else out_number(out, fmt[c], sqlite3_column_double(q, c));
        }
        fputc('\n', out);
        rows++;
    }
    sqlite3_finalize(q);
    int bad = ferror(out);
    if (fclose(out) || bad) return err_sys(e, "%s: write failed (%s)", path, strerror(errno));
    if (rc != SQLITE_DONE) return db_err(st, e, f->table);
    return LEAP_OK;
}

/* A complete run's national_annual rows are the years from 1957 to the
   last it simulated (cal_last_year of the run.end in the resolved scenario
   it stored), each once, as `leap
   compare` requires of an output folder: a store altered by hand (a
   year's rows deleted) is refused here, not reported in part. */
static int check_years(Store *st, int64_t id, LeapErr *e)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(st->db, "SELECT scenario_yaml, (SELECT COUNT(*) FROM national_annual WHERE run_id = ?1), "
                           "(SELECT COUNT(DISTINCT year) FROM national_annual WHERE run_id = ?1), "
                           "(SELECT MIN(year) FROM national_annual WHERE run_id = ?1), "
                           "(SELECT MAX(year) FROM national_annual WHERE run_id = ?1) FROM runs WHERE id = ?1",
                           -1, &q, NULL) != SQLITE_OK)
        return db_err(st, e, "cannot read the runs");
    sqlite3_bind_int64(q, 1, id);
    int rc = LEAP_OK;
    if (sqlite3_step(q) == SQLITE_ROW) {
        const char *yaml = (const char *)sqlite3_column_text(q, 0), *at = yaml ? strstr(yaml, "\nrun.end: ") : NULL;
        int yy, mm, dd, end = at && sscanf(at + strlen("\nrun.end: "), "%d-%d-%d", &yy, &mm, &dd) == 3
                                  ? cal_last_year(yy * 10000 + mm * 100 + dd) : 0;
        int64_t n = sqlite3_column_int64(q, 1), nd = sqlite3_column_int64(q, 2);
        int y0 = sqlite3_column_int(q, 3), y1 = sqlite3_column_int(q, 4);
        if (end >= 1957 && (n != end - 1957 + 1 || nd != n || y0 != 1957 || y1 != end))
            rc = err_set(e, LEAP_EINPUT, "%s (run %lld): national_annual holds %lld rows for %lld years (%d to %d), but the "
                         "run ended in %d (by run.end of the scenario it stored): one row for each year from 1957 is "
                         "required; the store was altered", st->path, (long long)id, (long long)n, (long long)nd, y0, y1, end);
    }
    sqlite3_finalize(q);
    return rc;
}

/* The run's run.json as the run wrote it, if the store kept it. */
static int export_run_json(Store *st, int64_t id, const char *dir, LeapErr *e)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(st->db, "SELECT run_json FROM runs WHERE id = ?", -1, &q, NULL) != SQLITE_OK)
        return db_err(st, e, "cannot read the runs");
    sqlite3_bind_int64(q, 1, id);
    int rc = LEAP_OK;
    if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL) {
        const void *text = sqlite3_column_blob(q, 0);
        size_t n = (size_t)sqlite3_column_bytes(q, 0);
        char path[4300];
        snprintf(path, sizeof path, "%s/run.json", dir);
        FILE *out = fopen(path, "wb");
        if (!out) rc = err_sys(e, "%s: cannot write (%s)", path, strerror(errno));
        else {
            int bad = n && fwrite(text, 1, n, out) != n;
            if (fclose(out) || bad) rc = err_sys(e, "%s: write failed (%s)", path, strerror(errno));
        }
    }
    sqlite3_finalize(q);
    return rc;
}

int store_export(Store *st, int64_t id, const char *dir, LeapErr *e)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(st->db, "SELECT status FROM runs WHERE id = ?", -1, &q, NULL) != SQLITE_OK)
        return db_err(st, e, "cannot read the runs");
    sqlite3_bind_int64(q, 1, id);
    int found = sqlite3_step(q) == SQLITE_ROW;
    char status[16] = "";
    if (found) snprintf(status, sizeof status, "%s", (const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    if (!found) return err_set(e, LEAP_EINPUT, "%s: no run %lld; `leap runs` lists them", st->path, (long long)id);
    if (strcmp(status, "complete"))
        return err_set(e, LEAP_EINPUT, "%s: run %lld is %s: it has no results to read (`leap runs` shows its message)",
                       st->path, (long long)id,
                       strcmp(status, "running") ? status : "incomplete (killed, or still running)");
    int rc = exec(st, "BEGIN", e);   /* one consistent snapshot */
    if (!rc) rc = check_years(st, id, e);
    for (int f = 0; f < NFILES && !rc; f++) rc = export_file(st, id, dir, &files[f], e);
    if (!rc) rc = export_run_json(st, id, dir, e);
    sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
    return rc;
}

int store_meta(Store *st, int64_t id, char **meta_json, char *label, size_t label_len, LeapErr *e)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(st->db, "SELECT scenario_name, scenario_file, seed, scale, threads, leap_version, git_commit, "
                           "started, wall_s, scenario_yaml FROM runs WHERE id = ?", -1, &q, NULL) != SQLITE_OK)
        return db_err(st, e, "cannot read the runs");
    sqlite3_bind_int64(q, 1, id);
    if (sqlite3_step(q) != SQLITE_ROW) {
        sqlite3_finalize(q);
        return err_set(e, LEAP_EINPUT, "%s: no run %lld; `leap runs` lists them", st->path, (long long)id);
    }
    json_t *m = json_object(), *f = json_object();
    const char *name = (const char *)sqlite3_column_text(q, 0);
    json_object_set_new(f, "run store", json_string(st->path));
    json_object_set_new(f, "run id", json_integer(id));
    json_object_set_new(f, "scenario", json_string(name));
    json_object_set_new(f, "scenario_file", json_string((const char *)sqlite3_column_text(q, 1)));
    json_object_set_new(f, "seed", json_integer(sqlite3_column_int64(q, 2)));
    json_object_set_new(f, "scale", json_real(sqlite3_column_double(q, 3)));
    json_object_set_new(f, "threads", json_integer(sqlite3_column_int(q, 4)));
    json_object_set_new(f, "leap_version", json_string((const char *)sqlite3_column_text(q, 5)));
    json_object_set_new(f, "git_commit", json_string((const char *)sqlite3_column_text(q, 6)));
    json_object_set_new(f, "started", json_string((const char *)sqlite3_column_text(q, 7)));
    json_object_set_new(f, "wall time, s", json_real(round(sqlite3_column_double(q, 8) * 10) / 10));
    json_object_set_new(m, "facts", f);
    json_object_set_new(m, "parameters", json_string((const char *)sqlite3_column_text(q, 9)));
    json_object_set_new(m, "description", json_string(""));
    snprintf(label, label_len, "%s, seed %lld (run %lld)", name, (long long)sqlite3_column_int64(q, 2), (long long)id);
    sqlite3_finalize(q);
    char *s = json_dumps(m, JSON_COMPACT);
    *meta_json = mem_strdup(s);
    free(s);
    json_decref(m);
    return LEAP_OK;
}
