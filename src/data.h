/*
** data.h -- the historical data leap reads (the CSV files in data/, provenance in
** data/SOURCES.md).
**
** Inputs only: 1957 provincial structure (provinces.csv), the end-1956
** national population and urban population (national.csv), the national
** weather index (weather_index.csv) and the 1953-57 provincial harvests
** that size the provincial weather shocks (provinces_panel.csv).  The later
** rows of national.csv are targets for comparison, never read by the model.
** A bad cell is reported as file:line:column (column = field number, with
** the column's name), with the value and what is allowed.  Keys are checked
** too: a year (national.csv, weather_index.csv), a province and year
** (provinces_panel.csv) or a target (plan_targets.csv) given twice is an
** error, and so is a missing year -- national.csv needs every year
** 1956-1962, weather_index.csv 1957-1962, neither may skip a year, and a
** province of provinces_panel.csv none of its years; a province marked
** in_mqy_panel = 1 in provinces.csv must have rows there, one marked 0 none.
*/
#ifndef LEAP_DATA_H
#define LEAP_DATA_H

#include <stddef.h>
#include "err.h"

#define DATA_MAX_PROV 32
#define DATA_FIRST_YEAR 1952
#define DATA_LAST_YEAR 1966
#define DATA_NYEARS (DATA_LAST_YEAR - DATA_FIRST_YEAR + 1)

typedef struct ProvinceData {
    char name[32];          /* English name, as in provinces.csv */
    double pop_1957;        /* million, year-end 1957 (provincial statistics) */
    double urban_share;     /* urban share of population, 1957 */
    double grain_1957;      /* Mt unhusked, official 1957 output */
    double death_1956;      /* registered crude death rate, per mille */
    double death_1957;      /* same, 1957 */
    double distance_km;     /* to Beijing */
    int politburo;          /* first secretary: 2 full, 1 alternate, 0 none, -1 not known */
    double harvest_sd;      /* sd of log output around a 1953-57 linear trend; NaN if not in the panel */
    int in_panel;           /* in_mqy_panel: 1 if provinces_panel.csv must have its rows */
    int line;               /* its line in provinces.csv (for messages) */
} ProvinceData;

typedef struct TargetRow {
    int date;      /* YYYYMMDD the target was set */
    int year;      /* the year it is for */
    int steel;     /* 1 steel, 0 grain */
    double value;  /* Mt */
    int line;      /* in plan_targets.csv (for messages) */
} TargetRow;

typedef struct HistData {
    int nprov;
    ProvinceData prov[DATA_MAX_PROV];
    /* national.csv, indexed by year - DATA_FIRST_YEAR; NaN where blank */
    double pop_yearend[DATA_NYEARS];   /* million */
    double urban_pop[DATA_NYEARS];     /* million */
    double grain_output[DATA_NYEARS];  /* Mt */
    double death_rate[DATA_NYEARS];    /* registered, per mille */
    /* weather_index.csv, indexed by year - 1957; NaN outside 1957-1962 */
    double weather_index[10];
    /* plan_targets.csv: grain and steel targets (Mt), in file order */
    int ntargets;
    TargetRow target[64];
    double steel_output[DATA_NYEARS];  /* national.csv: usable steel, Mt (1957 starts modern steel) */
    char datadir[4096];                /* where the files were read */
    int in_panel_col;                  /* provinces.csv's in_mqy_panel column, 1-based (for messages) */
} HistData;

/* Locate the data folder: $LEAP_DATA, else <dir of the leap executable>/data,
   else the folder compiled in (LEAP_DATADIR). */
int data_dir(char *buf, size_t len, LeapErr *e);
/* Load everything from `dir`. */
int data_load(HistData *H, const char *dir, LeapErr *e);

/* A CSV file parsed whole (libcsv), for any reader of leap's files. */
typedef struct CsvTable {
    char *path;         /* owned */
    int nrows, ncols;   /* data rows (header excluded) */
    char **cell;        /* owned: (nrows+1) x ncols, row 0 is the header */
} CsvTable;

int csv_read(CsvTable *T, const char *path, LeapErr *e);
void csv_table_free(CsvTable *T);
/* Column index of `name`, or an error naming the file and the columns found. */
int csv_col(const CsvTable *T, const char *name, int *col, LeapErr *e);
const char *csv_cell(const CsvTable *T, int row, int col);  /* row 0-based data row */
/* The year column `col` of T: every cell a whole year from lo to hi, no year
   twice, and every year from the first (or need0 if earlier) to the last (or
   need1 if later) present; rows[y - lo] = the row of year y, -1 if none.
   Errors name the line of the repeat, or of the year after a missing one. */
int csv_years(const CsvTable *T, int col, int lo, int hi, int need0, int need1, int *rows, LeapErr *e);
/* A number in [lo, hi]; a blank cell gives NaN if blank_ok, else an error. */
int csv_num(const CsvTable *T, int row, int col, double lo, double hi, int blank_ok, double *out, LeapErr *e);

#endif
