/* params.c -- the parameter table built from params.def (see params.h). */
#include "params.h"
#include "cal.h"
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const ParamDesc param_table[] = {
#define X(t, f, k, d, lo, hi, u, s, doc) {k, PT_##t, offsetof(Params, f), d, lo, hi, u, s, doc},
#include "params.def"
#undef X
};
const size_t param_count = sizeof param_table / sizeof param_table[0];

void params_default(Params *P)
{
    memset(P, 0, sizeof *P);
    for (size_t i = 0; i < param_count; i++) params_store(P, &param_table[i], param_table[i].def);
    snprintf(P->name, sizeof P->name, "unnamed");
}

const ParamDesc *params_find(const char *key)
{
    for (size_t i = 0; i < param_count; i++)
        if (strcmp(param_table[i].key, key) == 0) return &param_table[i];
    return NULL;
}

const char *params_type_name(ParamType t)
{
    switch (t) {
    case PT_D: return "number";
    case PT_I: return "integer";
    case PT_B: return "boolean";
    case PT_T: return "date";
    }
    return "?";
}

void params_format(const ParamDesc *d, double v, char *buf, size_t len)
{
    switch (d->type) {
    case PT_D: snprintf(buf, len, "%.10g", v); break;
    case PT_I: snprintf(buf, len, "%d", (int)v); break;
    case PT_B: snprintf(buf, len, "%s", v != 0 ? "true" : "false"); break;
    case PT_T: {
        int x = (int)v;
        if (x == 0) { snprintf(buf, len, "never"); break; }
        snprintf(buf, len, "%04d-%02d-%02d", x / 10000, x / 100 % 100, x % 100);
        break;
    }
    }
}

void params_allowed(const ParamDesc *d, char *buf, size_t len)
{
    char lo[32], hi[32];
    params_format(d, d->min, lo, sizeof lo);
    params_format(d, d->max, hi, sizeof hi);
    switch (d->type) {
    case PT_D: snprintf(buf, len, "a number from %s to %s (%s)", lo, hi, d->unit); break;
    case PT_I: snprintf(buf, len, "a whole number from %s to %s (%s)", lo, hi, d->unit); break;
    case PT_B: snprintf(buf, len, "true or false (also yes/no, on/off, 1/0, any case)"); break;
    case PT_T:
        if (d->min == 0) snprintf(buf, len, "a date YYYY-MM-DD from 1957-01-01 to %s, or never", hi);
        else snprintf(buf, len, "a date YYYY-MM-DD from %s to %s", lo, hi);
        break;
    }
}

static bool parse_bool(const char *s, double *v)
{
    static const char *yes[] = {"true", "yes", "on", "1"}, *no[] = {"false", "no", "off", "0"};
    for (int i = 0; i < 4; i++) {
        if (strcasecmp(s, yes[i]) == 0) { *v = 1; return true; }
        if (strcasecmp(s, no[i]) == 0) { *v = 0; return true; }
    }
    return false;
}

static bool parse_date(const char *s, double *v)
{
    int y, m, d, n = 0;
    if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10) return false;
    for (int i = 0; i < 10; i++)
        if (i == 4 || i == 7 ? s[i] != '-' : !isdigit((unsigned char)s[i])) return false;
    if (!cal_valid(y, m, d)) return false;
    *v = y * 10000 + m * 100 + d;
    return true;
}

bool params_decimal(const char *s, size_t n, bool integer)
{
    size_t i = 0, digits = 0;
    if (i < n && (s[i] == '+' || s[i] == '-')) i++;
    while (i < n && isdigit((unsigned char)s[i])) i++, digits++;
    if (!integer && i < n && s[i] == '.') {
        i++;
        while (i < n && isdigit((unsigned char)s[i])) i++, digits++;
    }
    if (!digits) return false;
    if (!integer && i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-')) i++;
        size_t ed = 0;
        while (i < n && isdigit((unsigned char)s[i])) i++, ed++;
        if (!ed) return false;
    }
    return i == n;
}

bool params_parse(const ParamDesc *d, const char *s, double *v, char *why, size_t wl)
{
    char allowed[160];
    params_allowed(d, allowed, sizeof allowed);
    bool ok = false;
    char *end = NULL;
    errno = 0;
    switch (d->type) {
    case PT_D:
        *v = strtod(s, &end);
        ok = params_decimal(s, strlen(s), false) && end && *end == '\0' && errno == 0 && isfinite(*v);
        break;
    case PT_I: {
        long x = strtol(s, &end, 10);
        ok = params_decimal(s, strlen(s), true) && end && *end == '\0' && errno == 0 && x >= INT32_MIN && x <= INT32_MAX;
        *v = (double)x;
        break;
    }
    case PT_B: ok = parse_bool(s, v); break;
    case PT_T:
        ok = parse_date(s, v) || (d->min == 0 && strcasecmp(s, "never") == 0 && (*v = 0, true));
        break;
    }
    if (!ok) {
        size_t n = strlen(s);
        const char *hint = "";
        if (d->type == PT_D || d->type == PT_I) {
            if (n && (isspace((unsigned char)s[0]) || isspace((unsigned char)s[n - 1])))
                hint = " (no spaces around it)";
            else if (strchr(s, 'x') || strchr(s, 'X'))
                hint = " (decimal digits, not hexadecimal)";
        }
        snprintf(why, wl, "'%s' is not %s %s%s; %s is allowed", s, d->type == PT_I ? "an" : "a",
                 d->type == PT_T ? "valid date" : params_type_name(d->type), hint, allowed);
        return false;
    }
    if (d->type == PT_T && d->min == 0 && *v != 0 && *v < 19570101) {
        snprintf(why, wl, "%s is out of range; %s is allowed", s, allowed);
        return false;
    }
    if (*v < d->min || *v > d->max) {
        snprintf(why, wl, "%s is out of range; %s is allowed", s, allowed);
        return false;
    }
    return true;
}

void params_store(Params *P, const ParamDesc *d, double v)
{
    char *base = (char *)P + d->offset;
    if (d->type == PT_D) *(double *)(void *)base = v;
    else *(int *)(void *)base = (int)v;
}

double params_get(const Params *P, const ParamDesc *d)
{
    const char *base = (const char *)P + d->offset;
    return d->type == PT_D ? *(const double *)(const void *)base : (double)*(const int *)(const void *)base;
}

const ParamRule param_rules[] = {
    {"nutrition.fecundity_reserve_hi", "nutrition.fecundity_reserve_lo"},
};
const size_t param_rule_count = sizeof param_rules / sizeof param_rules[0];

/* The least (most = 0) or most (most = 1) value parameter key may take. */
static double span_end(const Params *P, const char *key, const ParamDesc *const *d, const double *lo,
                       const double *hi, int n, int most)
{
    const ParamDesc *pd = params_find(key);
    for (int i = 0; i < n; i++)
        if (d[i] == pd) return most ? hi[i] : lo[i];
    return params_get(P, pd);
}

int params_rules_span(const Params *P, const ParamDesc *const *d, const double *lo, const double *hi, int n,
                      double *va, double *vb)
{
    for (size_t r = 0; r < param_rule_count; r++) {
        double a = span_end(P, param_rules[r].above, d, lo, hi, n, 0);
        double b = span_end(P, param_rules[r].below, d, lo, hi, n, 1);
        if (!(a > b)) {
            *va = a;
            *vb = b;
            return (int)r;
        }
    }
    return -1;
}

void params_rule_text(int r, double va, double vb, char *buf, size_t len)
{
    const ParamDesc *a = params_find(param_rules[r].above), *b = params_find(param_rules[r].below);
    char x[64], y[64];
    params_format(a, va, x, sizeof x);
    params_format(b, vb, y, sizeof y);
    snprintf(buf, len, "%s = %s must be above %s = %s", a->key, x, b->key, y);
}

int params_rule_last(int r, const ParamDesc *const *d, int n)
{
    int k = n - 1;
    while (k > 0 && strcmp(d[k]->key, param_rules[r].above) && strcmp(d[k]->key, param_rules[r].below)) k--;
    return k > 0 ? k : 0;
}
