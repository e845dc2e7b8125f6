/*
** out.h -- the output contract (MODEL.md sec.7).
**
** leap run writes into its output folder, always with these names:
**   national_annual.csv   one row per year (columns: outputs.def, NAT)
**   provinces_annual.csv  one row per province and year (PROV)
**   national_weekly.csv   one row per week (WEEK)
**   run.json              version, resolved scenario, seed, scale, threads,
**                         timings (the only file that differs between
**                         identical runs)
** All values are in full-population units (sample counts / scale).  The
** files are written into a fresh folder beside the target and renamed into
** place together, so a failed run never leaves a partial or mixed set; an
** existing non-empty target is refused unless forced (checked before the
** run starts).
*/
#ifndef LEAP_OUT_H
#define LEAP_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "err.h"

struct SimState;
typedef struct Out Out;

int out_new(struct SimState *S, LeapErr *e);
void out_free(struct SimState *S);
void out_week(struct SimState *S);   /* after each week's tallies */
/* Checkpoints (checkpoint.c): the output rows so far. */
int out_save(const struct SimState *S, FILE *f);
int out_load(struct SimState *S, FILE *f, LeapErr *e);

/* Refuse a target that exists and is not an empty folder, unless force. */
int out_check_target(const char *dir, bool force, LeapErr *e);
/* Make the temporary folder beside `dir`; its path into tmp. */
int out_begin(const char *dir, char *tmp, size_t len, LeapErr *e);
/* Write the three CSV files into folder `tmp`. */
int out_write_csv(const struct SimState *S, const char *tmp, LeapErr *e);
/* Replace `dir` by `tmp` (both complete folders). */
int out_commit(const char *tmp, const char *dir, LeapErr *e);
/* Remove a temporary folder and its files (after a failure). */
void out_abort(const char *tmp);
/* Number of columns of a file, their names (for docs and tests). */
int out_columns(const char *file, const char **names, int max);
/* The printf format of a column (file NAT, PROV or WEEK), NULL if none. */
const char *out_column_fmt(const char *file, const char *name);
/* Write v in the printf format fmt (one number), a negative value that
   rounds to zero as zero: the series files' and export's cells. */
void out_number(FILE *f, const char *fmt, double v);
/* Print every output column (file, name, unit, meaning), as text or as
   Markdown tables (docs/OUTPUTS.md is made from this). */
void out_describe(int markdown);

#endif
