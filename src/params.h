/*
** params.h -- the scenario's parameters as one read-only struct.
**
** The fields, keys, defaults, ranges, units and sources all come from
** params.def (one line per parameter).  A parameter is set only while a
** scenario loads (scen.c) or from --set; after sim_new() it is read-only.
*/
#ifndef LEAP_PARAMS_H
#define LEAP_PARAMS_H

#include <stddef.h>
#include <stdbool.h>

typedef enum ParamType { PT_D, PT_I, PT_B, PT_T } ParamType;

#define PARAM_CT_D double
#define PARAM_CT_I int
#define PARAM_CT_B int
#define PARAM_CT_T int

typedef struct Params {
#define X(t, f, k, d, lo, hi, u, s, doc) PARAM_CT_##t f;
#include "params.def"
#undef X
    char name[128];         /* scenario name (the `name:` key) */
    char description[2048]; /* the `description:` key, folded to one paragraph */
} Params;

typedef struct ParamDesc {
    const char *key;    /* dotted scenario key */
    ParamType type;
    size_t offset;      /* of the field in Params */
    double def, min, max;
    const char *unit, *source, *doc;
} ParamDesc;

extern const ParamDesc param_table[];
extern const size_t param_count;

void params_default(Params *P);
const ParamDesc *params_find(const char *key);
/* Parse `text` as a value of d's type and check its range.  On failure
   returns false and writes "what is wrong; what is allowed" into why. */
bool params_parse(const ParamDesc *d, const char *text, double *value, char *why, size_t whylen);
void params_store(Params *P, const ParamDesc *d, double value);
double params_get(const Params *P, const ParamDesc *d);
/* The value formatted as it would be written in a scenario (dates as
   YYYY-MM-DD, booleans as true/false). */
void params_format(const ParamDesc *d, double value, char *buf, size_t len);
/* "a number in [0, 1]", "true or false", "a date from 1957-12-31 to ..." */
void params_allowed(const ParamDesc *d, char *buf, size_t len);
const char *params_type_name(ParamType t);
/* s[0..n) is a plain decimal number: an optional sign, digits with an
   optional point and exponent (integer: digits only) -- no spaces, no
   hexadecimal, no inf or nan, which strtod would take. */
bool params_decimal(const char *s, size_t n, bool integer);

/* Rules between parameters: the value of `above` must be greater than the
   value of `below`.  The one list of them: set-up refuses a broken rule
   (demog.c) and `leap run`, the experiments and their params files name
   where each value came from (scen_check_rules, calib_check_rules, sweep). */
typedef struct ParamRule {
    const char *above, *below;   /* keys of params.def */
} ParamRule;
extern const ParamRule param_rules[];
extern const size_t param_rule_count;
/* The first rule that can break when each parameter d[i] (i < n) may take
   any value from lo[i] to hi[i] and every other keeps its value in P (n = 0:
   P's values alone): returns the rule's index, or -1 if none can break;
   *va and *vb are the values that break it (the least `above` can be, the
   most `below` can be). */
int params_rules_span(const Params *P, const ParamDesc *const *d, const double *lo, const double *hi, int n,
                      double *va, double *vb);
/* The last of d[0..n) that rule r names (0 if none: the caller's list
   holds one, since P's own values keep the rules) -- where to report it. */
int params_rule_last(int r, const ParamDesc *const *d, int n);
/* "ABOVE = va must be above BELOW = vb" for rule r, values as a scenario
   writes them. */
void params_rule_text(int r, double va, double vb, char *buf, size_t len);

#endif
