/*
** report.h -- `leap report`: one self-contained HTML file of a run (and
** runs to compare with it), and the main charts as SVG and PNG for papers.
**
** The page is report/template.html with the chart library (uPlot, from
** npm: node_modules/uplot, installed by scripts/install-deps) and the data
** inlined, so it opens offline and makes no network request.  Charts: the
** national series against the record (death and birth rates registered and
** true, population, grain true / claimed / record, procurement, steel
** claimed / usable), two weekly series, the provinces' death rates (the
** model's only: provincial records after 1957 are withheld), an excess-
** deaths table and each run's scenario and metadata.  Figures (--figures)
** are drawn by gnuplot.
*/
#ifndef LEAP_REPORT_H
#define LEAP_REPORT_H

#include <stddef.h>
#include "err.h"

#define REPORT_MAX_RUNS 8

typedef struct ReportRun {
    char dir[4096];        /* a folder with the CSV files */
    char label[128];
    char *meta_json;       /* owned: {"facts": {...}, "parameters": "...", "description": "..."} */
} ReportRun;

/* Write the report of runs[0] (with runs[1..n) overlaid) into html_path,
   and, if fig_dir is not NULL, the figures into fig_dir (first: if they
   fail, the page is not written). */
int report_write(const ReportRun *runs, int n, const char *html_path, const char *fig_dir, LeapErr *e);

/* Metadata of a run folder from its run.json (owned string). */
int report_meta_from_dir(const char *dir, char **meta_json, char *label, size_t label_len, LeapErr *e);

#endif
