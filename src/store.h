/*
** store.h -- the run store: every `leap run` recorded in a SQLite database
** (docs/STORE.md has the schema).
**
** A run is recorded in two transactions.  When the run starts (after every
** input was checked and the population was built, so bad input writes
** nothing) a row of `runs` with status 'running'; when it ends, in one
** transaction, its national annual, provincial annual and national weekly
** series and the status 'complete' (or 'failed' with the error).  A run
** killed in between leaves its row 'running' (`leap runs` shows it as
** incomplete) and every earlier run intact: SQLite's journal makes each
** transaction all or nothing.
**
** The series are stored as the CSV files have them (one table per file,
** one SQL column per CSV column, REAL for numbers, NULL for blanks), so
** `leap export` writes byte-identical files: each number is printed again
** with its column's format, and a decimal printed with at most 15
** significant digits reads back to a double that prints the same.  The
** run's run.json is kept whole (runs.run_json) and written back beside them,
** so an export is an output folder that `leap compare` and `leap report`
** read as the run's own.
**
** Versioned: PRAGMA user_version holds the schema version; a database of a
** newer leap is refused, never modified.
*/
#ifndef LEAP_STORE_H
#define LEAP_STORE_H

#include <stdint.h>
#include <stdio.h>
#include "err.h"

#define STORE_SCHEMA 1

typedef struct Store Store;

typedef struct StoreRun {
    /* out_dir "": the run's folder is not kept (leap run --scratch) */
    const char *scenario_name, *scenario_file, *scenario_yaml, *out_dir;
    int64_t seed;
    double scale;
    int threads;
} StoreRun;

/* Open (creating it and its tables if it does not exist). */
int store_open(Store **st, const char *path, LeapErr *e);
void store_close(Store *st);
/* A new run, status 'running'; its id into *id. */
int store_begin(Store *st, const StoreRun *r, int64_t *id, LeapErr *e);
/* The run's CSV files (in folder dir) and status 'complete', in one transaction. */
int store_complete(Store *st, int64_t id, const char *dir, double wall_s, int64_t peak_rss_kib, LeapErr *e);
/* Status 'failed' with the error message. */
void store_fail(Store *st, int64_t id, const char *error);
/* `leap runs`: one line per run. */
int store_list(Store *st, FILE *f, LeapErr *e);
/* `leap export`: the run's CSV files into folder dir (which exists). */
int store_export(Store *st, int64_t id, const char *dir, LeapErr *e);

/* A complete run's metadata for reports: {"facts": {...}, "parameters":
   the resolved scenario, "description": ""} (owned string) and a label. */
int store_meta(Store *st, int64_t id, char **meta_json, char *label, size_t label_len, LeapErr *e);

#endif
