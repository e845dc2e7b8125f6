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

/* ---- where a command writes --------------------------------------------------
** Every command checks its targets before it works, and writes a folder as a
** temporary one beside the target, renamed into place at the end (out_begin,
** out_commit), a file as a temporary file beside it renamed into place
** (out_tmp_file).  Temporary names (TARGET.tmp-PID, TARGET.old-PID) are
** created exclusively: a file or folder of the user's that has such a name
** is never overwritten or removed; the next name (-PID-1, ...) is taken.  The rules (exit 2,
** nothing written, when broken):
**  - a target that exists is replaced only with the command's --force: a
**    file, or a folder that is not empty;
**  - --force replaces only a folder that looks like the command's output:
**    it holds the kind's marker (run.json for leap run), or nothing but
**    the names the command writes;
**  - never, even with --force: a symbolic link as a folder target (its target
**    would be emptied), a folder that is or holds the current directory, the
**    home folder, leap's data folder or one of the command's inputs (or
**    other targets), nor a file that is one of its inputs, a file of leap's
**    data folder or a run's file (out_run_names) in an input folder. */

/* What a command writes in its output folder. */
typedef struct OutKind {
    const char *what;          /* for messages: "an output folder of `leap run`" */
    const char *marker;        /* a file that marks the folder as the command's (NULL: none) */
    const char *const *names;  /* every name the command writes there, NULL-terminated */
} OutKind;
/* leap run's and leap export's folder (marker run.json), and its names. */
extern const OutKind out_kind_run;
extern const char *const out_run_names[];
/* Check folder target `dir` (named by option `opt`, e.g. "--out") of a
   command writing a `kind` folder, with the command's inputs in[0..nin)
   (files or folders, NULL entries skipped). */
int out_check_dir(const char *dir, const char *opt, const OutKind *kind, bool force, const char *const *in, int nin,
                  LeapErr *e);
/* Check file target `path` (option `opt`): see the rules above.  A file
   whose folder does not exist is refused too. */
int out_check_file(const char *path, const char *opt, bool force, const char *const *in, int nin, LeapErr *e);
/* out_check_file for a command that has no --force and writes over its own
   files (calibrate resuming): every rule but "exists". */
int out_check_resumed(const char *path, const char *opt, const char *const *in, int nin, LeapErr *e);
/* Make the temporary folder beside `dir`; its path into tmp. */
int out_begin(const char *dir, char *tmp, size_t len, LeapErr *e);
/* Write the three CSV files into folder `tmp`. */
int out_write_csv(const struct SimState *S, const char *tmp, LeapErr *e);
/* Replace `dir` by `tmp` (both complete folders). */
int out_commit(const char *tmp, const char *dir, LeapErr *e);
/* Remove a temporary folder and its files (after a failure); e's message,
   if any, names dir where it named tmp (the user asked for dir). */
void out_abort(const char *tmp, const char *dir, LeapErr *e);
/* Create a new temporary file beside `path` for writing (exclusively: never
   one that exists); its name into tmp.  NULL with errno set on failure. */
FILE *out_tmp_file(const char *path, char *tmp, size_t len);
/* Create a new file path + suffix (or, if that exists, path + suffix + "-1",
   "-2", ...) for writing, exclusively; its name into name.  NULL with errno
   set on failure.  out_new_dir: the same for a folder (0, or -1 and errno). */
FILE *out_new_file(const char *path, const char *suffix, char *name, size_t len);
int out_new_dir(const char *path, const char *suffix, char *name, size_t len);
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
