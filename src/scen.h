/*
** scen.h -- scenario files (YAML, libyaml) and --set overrides.
**
** A scenario is one YAML document (a second, after `---`, is refused), a
** mapping.  Nested mappings name parameters by their
** dotted keys (params.def): `nutrition: {hazard_gamma: 3}` sets
** nutrition.hazard_gamma.  Three keys are not parameters:
**   name:        the scenario's name (default: the file name without .yaml);
**                the default output folder is out/<name>/
**   description: free text
**   extends:     another scenario file, relative to this one; it is loaded
**                first and this file's keys override it (chains allowed,
**                cycles refused)
** Every error names file:line:column, says what is wrong and what is
** allowed, and leaves *P unspecified (the caller discards it).
*/
#ifndef LEAP_SCEN_H
#define LEAP_SCEN_H

#include "err.h"
#include "params.h"
#include <stdio.h>

/* Defaults, then the file (and what it extends). */
int scen_load(Params *P, const char *path, LeapErr *e);
/* One "key=value" override; `index` (1-based) names it in messages as
   --set[index]:1:column. */
int scen_set(Params *P, const char *arg, int index, LeapErr *e);
/* Refuse values that break a rule between parameters (params.h:
   param_rules), at the setting that broke it -- the later of the two: the
   last --set naming it (sets[0..nsets), as given to scen_set), else the
   scenario file in path's `extends` chain that set it -- naming where the
   other value came from. */
int scen_check_rules(const Params *P, const char *path, const char *const *sets, int nsets, LeapErr *e);
/* Refuse YAML nested deeper than SCEN_MAX_NESTING lists and mappings (at
   the one that passes it: path:line:column, then `what` says what the file
   holds), before the document is loaded: libyaml's scanner takes time
   quadratic in the nesting of [ ] and { }, so a few hundred kilobytes of
   brackets would keep it busy for minutes.  Reads f to the end (or that
   point) and rewinds it; a syntax error is left to the load, which reports
   it. */
#define SCEN_MAX_NESTING 32
int scen_check_nesting(FILE *f, const char *path, const char *what, LeapErr *e);
/* Refuse a run.end that leaves `year` short of its last week, naming where
   run.end was set (the scenario file of the `extends` chain, or the
   defaults) and `why` the command needs it (e.g. "leap sweep's figures
   cover 1958-61"). */
int scen_check_reaches(const Params *P, const char *path, int year, const char *why, LeapErr *e);
/* The resolved scenario as YAML text (every parameter, with its value). */
char *scen_resolved_yaml(const Params *P, size_t *len);   /* returns owned (mem_free(p, len+1)) */

#endif
