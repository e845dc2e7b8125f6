/*
** compare.h -- the model against the historical record (`leap compare`, and
** the error `leap calibrate` minimises).
**
** Series: registered and true birth and death rates, year-end population and
** urban population, grain output, the Centre's claimed grain, gross
** procurement, net grain exports and usable steel, each year 1957-1962.  The
** model's values are the columns of the same name in national_annual.csv;
** the record's are data/national.csv (the true rates: the reconstruction in
** data/national_reconstructed.csv), each value with its provenance status
** (data/national_provenance.csv).  The history files are found beside the
** leap executable (data_dir()), never in the working directory.
**
** Errors.  Absolute percentage error |model - history| / |history| per year;
** MAPE = its mean over the years of a sample that have a historical value:
** in-sample 1958-1960 (what the calibration may use, with 1957 the baseline
** year), out-of-sample 1961-1962 (a prediction: never fitted).
**
** Also: true excess deaths summed over each reconstruction's own period
** (data/excess_deaths_reconstructions.csv) next to its value; the week the
** Centre's retreat began (run.json) against the Twelve Articles (3 Nov 1960);
** and, across provinces, Pearson's correlation between 1957 grain output per
** head and excess deaths per head 1959-1961 (Meng, Qian & Yared 2015: places
** with more food per head in 1957 died more -- positive).
**
** Several run folders (seeds) are averaged series by series; the spread
** across them (min-max) is reported beside the mean.  They must end on the
** same date (run.end): averaging a run that ends in 1960 with one that ends
** in 1962 would mix years, so it is refused, naming both folders.  A run's
** national_annual.csv must have one row for every year from 1957 to its
** run.end, no year twice; anything else is refused, naming the line.
*/
#ifndef LEAP_COMPARE_H
#define LEAP_COMPARE_H

#include <stdint.h>
#include <jansson.h>
#include <stdio.h>
#include "err.h"

#define CMP_Y0 1957
#define CMP_NY 6                  /* 1957-1962 */
#define CMP_IN0 1958              /* in-sample years */
#define CMP_IN1 1960
#define CMP_OUT0 1961             /* out-of-sample years */
#define CMP_OUT1 1962
#define CMP_MAX_REC 16
#define CMP_MAX_PROV 32
#define CMP_TWELVE_ARTICLES_DAY 1402  /* 1960-11-03, days after 1957-01-01 */

typedef enum CmpSeriesId {
    CS_BIRTH, CS_DEATH, CS_BIRTH_TRUE, CS_DEATH_TRUE, CS_POP, CS_URBAN, CS_GRAIN, CS_CLAIMED,
    CS_PROC, CS_EXPORTS, CS_STEEL, CMP_NS
} CmpSeriesId;

typedef struct CmpSeries {
    const char *col;     /* column in national_annual.csv and in the history file */
    const char *label;   /* for the table */
    int reconstructed;   /* 1: history from national_reconstructed.csv */
} CmpSeries;

extern const CmpSeries cmp_series[CMP_NS];

/* One run (or the mean of several). */
typedef struct CmpRun {
    double v[CMP_NS][CMP_NY];    /* model value by series and year; NaN if missing */
    double excess[CMP_NY];       /* true excess deaths, million */
    double retreat_day;          /* first day of the retreat's week, days after 1957-01-01; NaN if none */
    double mqy;                  /* correlation across provinces; NaN if it cannot be computed */
    int nprov;
    int end_date;                /* run.end as YYYYMMDD (run.json); 0 if run.json does not say */
    uint64_t what;               /* hash of run.json's scenario, scale and parameters but the seed: runs
                                    of one scenario with other seeds share it (0 if run.json says none) */
} CmpRun;

typedef struct CmpRecon {
    char author[64];
    int y0, y1;                  /* period, inclusive */
    double value;                /* million */
} CmpRecon;

typedef struct CmpHist {
    double v[CMP_NS][CMP_NY];    /* NaN where the record is blank */
    char status[CMP_NS][CMP_NY][24];   /* provenance class: first word of the status ("verified", "memory", ...) */
    int line[CMP_NS][CMP_NY], col[CMP_NS];   /* where a value of national.csv is (line 0: none), for messages */
    int nrec;
    CmpRecon rec[CMP_MAX_REC];
    char datadir[4096];
} CmpHist;

/* Read DIR/run.json, DIR/national_annual.csv and DIR/provinces_annual.csv.
   national_annual.csv must have one row for each year from 1957 to the year
   of run.end, none twice; a province-year of provinces_annual.csv, once. */
int cmp_read_run(const char *dir, CmpRun *r, LeapErr *e);
/* cmp_read_run for each of n folders, which must share run.end (runs are
   averaged year by year): an error names both folders and their ends. */
int cmp_read_runs(char *const *dirs, int n, CmpRun *runs, LeapErr *e);
/* Load a run.json (a JSON object); errors say "no such file", "is a
   directory" or the line and column of bad JSON. *j is the caller's. */
int cmp_load_json(const char *path, json_t **j, LeapErr *e);
/* Read the record from leap's data folder. */
int cmp_read_history(CmpHist *h, LeapErr *e);
/* Mean of n runs; lo/hi (may be NULL): min and max across them. */
void cmp_mean(const CmpRun *runs, int n, CmpRun *mean, CmpRun *lo, CmpRun *hi);
/* Absolute percentage error (percent), NaN if either value is missing or history is 0. */
double cmp_ape(double model, double hist);
/* Mean of the APEs over years y0..y1 with a value; NaN if none, or if a
   year with a historical value has no model value (the run ended before
   it: a MAPE over part of the years would pass for the whole). */
double cmp_mape(const double *model, const double *hist, int y0, int y1);
/* Sum of the run's excess deaths over years y0..y1 (NaN if a year is missing). */
double cmp_excess(const CmpRun *r, int y0, int y1);
/* The table `leap compare` prints; runs[0..n) are the individual runs. */
void cmp_print(FILE *f, const CmpRun *runs, int n, const CmpHist *h);
/* The long CSV: series,year,model,model_lo,model_hi,history,history_status,abs_pct_error,sample */
int cmp_write_csv(const char *path, const CmpRun *runs, int n, const CmpHist *h, LeapErr *e);
/* Pearson correlation of x and y over n points; NaN if undefined. */
double cmp_pearson(const double *x, const double *y, int n);

#endif
