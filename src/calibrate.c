/* calibrate.c -- fitting parameters to the national record (see calibrate.h). */
#include "calibrate.h"
#include "batch.h"
#include "cal.h"
#include "mem.h"
#include "scen.h"
#include <errno.h>
#include <math.h>
#include <nlopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

/* ---- the params file ----------------------------------------------------------- */

typedef struct Doc {
    const char *file;
    yaml_document_t *doc;
    LeapErr *e;
} Doc;

static yaml_node_t *node(const Doc *d, int id) { return yaml_document_get_node(d->doc, id); }
static const char *str(const yaml_node_t *n) { return (const char *)n->data.scalar.value; }

static int bad(const Doc *d, const yaml_node_t *n, const char *fmt, const char *a, const char *b)
{
    char msg[800];
    snprintf(msg, sizeof msg, fmt, a, b);
    return err_at(d->e, d->file, (int)n->start_mark.line + 1, (int)n->start_mark.column + 1, "%s", msg);
}

static int number(const Doc *d, const yaml_node_t *n, double lo, double hi, double *out, const char *what)
{
    char allowed[160];
    snprintf(allowed, sizeof allowed, "%s: a number from %g to %g", what, lo, hi);
    if (n->type != YAML_SCALAR_NODE) return bad(d, n, "expected %s", allowed, "");
    char *end;
    errno = 0;
    double v = strtod(str(n), &end);
    if (!*str(n) || *end || errno || !isfinite(v) || !params_decimal(str(n), strlen(str(n)), false))
        return bad(d, n, "'%s' is not a number; %s is allowed", str(n), allowed);
    if (v < lo || v > hi) return bad(d, n, "%s is out of range; %s is allowed", str(n), allowed);
    *out = v;
    return LEAP_OK;
}

/* Every key of a mapping once: libyaml keeps both of a repeated key, and the
   readers below would let the later one win silently. */
static int unique_keys(const Doc *d, const yaml_node_t *m, const char *where)
{
    for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
        yaml_node_t *kn = node(d, p->key);
        if (kn->type != YAML_SCALAR_NODE) continue;
        for (yaml_node_pair_t *q = m->data.mapping.pairs.start; q < p; q++) {
            yaml_node_t *kq = node(d, q->key);
            if (kq->type == YAML_SCALAR_NODE && !strcmp(str(kq), str(kn))) {
                char first[32];
                snprintf(first, sizeof first, "%d", (int)kq->start_mark.line + 1);
                char msg[400];
                snprintf(msg, sizeof msg, "duplicate key '%.200s'%s%.100s (first on line %s); each key may appear once",
                         str(kn), *where ? " under " : "", where, first);
                return bad(d, kn, "%s%s", msg, "");
            }
        }
    }
    return LEAP_OK;
}

static int read_param(const Doc *d, CalibSpec *s, yaml_node_t *m)
{
    if (m->type != YAML_MAPPING_NODE)
        return bad(d, m, "each entry of 'params' must be a mapping with key, range and source%s%s", "", "");
    if (s->n == CALIB_MAX) return bad(d, m, "at most %s free parameters are allowed%s", "12", "");
    if (unique_keys(d, m, "a parameter")) return LEAP_EINPUT;
    int k = s->n;
    yaml_node_t *key = NULL, *range = NULL, *source = NULL;
    for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
        yaml_node_t *kn = node(d, p->key), *vn = node(d, p->value);
        const char *name = kn->type == YAML_SCALAR_NODE ? str(kn) : "";
        if (!strcmp(name, "key")) key = vn;
        else if (!strcmp(name, "range")) range = vn;
        else if (!strcmp(name, "source")) source = vn;
        else return bad(d, kn, "unknown key '%s'; allowed: key, range, source%s", name, "");
    }
    if (!key || key->type != YAML_SCALAR_NODE) return bad(d, m, "this entry has no 'key:' naming a parameter%s%s", "", "");
    const ParamDesc *pd = params_find(str(key));
    if (!pd) return bad(d, key, "'%s' is not a parameter; `leap params` lists them%s", str(key), "");
    if (pd->type != PT_D && pd->type != PT_I)
        return bad(d, key, "'%s' is a %s; only numbers (real or integer) can be fitted or screened", str(key), params_type_name(pd->type));
    if (!strcmp(pd->key, "seed"))
        return bad(d, key, "'seed' cannot be fitted or varied: every parameter set runs seeds 1..K (--seeds)%s%s", "", "");
    for (int i = 0; i < k; i++)
        if (s->d[i] == pd) return bad(d, key, "'%s' is listed twice%s", str(key), "");
    if (!range)
        return bad(d, m, "'%s' has no range; give 'range: [lo, hi]' inside its plausible range (`leap params %s`)", str(key), str(key));
    if (range->type != YAML_SEQUENCE_NODE || range->data.sequence.items.top - range->data.sequence.items.start != 2)
        return bad(d, range, "the range of '%s' must be a list of two numbers, [lo, hi]%s", str(key), "");
    char what[160];
    snprintf(what, sizeof what, "the range of %s must lie in its plausible range", pd->key);
    if (number(d, node(d, range->data.sequence.items.start[0]), pd->min, pd->max, &s->lo[k], what) ||
        number(d, node(d, range->data.sequence.items.start[1]), pd->min, pd->max, &s->hi[k], what))
        return LEAP_EINPUT;
    if (!(s->lo[k] < s->hi[k])) return bad(d, range, "the range of '%s' is empty; lo < hi is required%s", str(key), "");
    s->line[k] = (int)range->start_mark.line + 1;
    s->col[k] = (int)range->start_mark.column + 1;
    if (!source || source->type != YAML_SCALAR_NODE || strlen(str(source)) < 4)
        return bad(d, source ? source : m, "'%s' has no source: say where its range comes from (4 characters or "
                   "more)%s", str(key), "");
    snprintf(s->source[k], sizeof s->source[k], "%s", str(source));
    s->d[k] = pd;
    s->n++;
    return LEAP_OK;
}

int calib_check_rules(const CalibSpec *s, const Params *P, LeapErr *e)
{
    double va, vb;
    int r = params_rules_span(P, s->d, s->lo, s->hi, s->n, &va, &vb);
    if (r < 0) return LEAP_OK;
    int k = params_rule_last(r, s->d, s->n);
    char rule[400];
    params_rule_text(r, va, vb, rule, sizeof rule);
    return err_at(e, s->path, s->line[k], s->col[k], "these ranges allow parameter sets that break a rule: %s "
                  "(the ranges' ends, the scenario's value for a parameter not listed); narrow the range of %s",
                  rule, s->d[k]->key);
}

static int read_weights(const Doc *d, CalibSpec *s, yaml_node_t *m)
{
    if (m->type != YAML_MAPPING_NODE) return bad(d, m, "'weights' must be a mapping with series and status%s%s", "", "");
    if (unique_keys(d, m, "weights")) return LEAP_EINPUT;
    int have_series = 0, have_status = 0;
    yaml_node_t *series_node = NULL, *status_node = NULL;
    for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
        yaml_node_t *kn = node(d, p->key), *vn = node(d, p->value);
        const char *name = kn->type == YAML_SCALAR_NODE ? str(kn) : "";
        int series = !strcmp(name, "series");
        if (!series && strcmp(name, "status")) return bad(d, kn, "unknown key '%s'; allowed: series, status%s", name, "");
        if (vn->type != YAML_MAPPING_NODE) return bad(d, vn, "'%s' must be a mapping of name: weight%s", name, "");
        *(series ? &have_series : &have_status) = 1;
        *(series ? &series_node : &status_node) = kn;
        if (unique_keys(d, vn, series ? "weights: series" : "weights: status")) return LEAP_EINPUT;
        for (yaml_node_pair_t *q = vn->data.mapping.pairs.start; q < vn->data.mapping.pairs.top; q++) {
            yaml_node_t *a = node(d, q->key), *b = node(d, q->value);
            const char *nm = a->type == YAML_SCALAR_NODE ? str(a) : "";
            double w;
            if (number(d, b, 0, 1000, &w, "a weight")) return LEAP_EINPUT;
            if (series) {
                int found = !strcmp(nm, "retreat_week");
                if (found) s->w_retreat = w;
                for (int k = 0; k < CMP_NS && !found; k++)
                    if (!strcmp(nm, cmp_series[k].col)) { s->w_series[k] = w; found = 1; }
                if (!found)
                    return bad(d, a, "'%s' is not a target series; allowed: retreat_week and the series of `leap compare` "
                               "(birth_rate_permille, death_rate_permille, grain_output_mt, grain_procurement_gross_mt, "
                               "steel_output_mt, grain_output_claimed_at_time_mt, ...)%s", nm, "");
            } else {
                if (s->nstatus == CALIB_MAX_STATUS) return bad(d, a, "at most %s status weights%s", "8", "");
                snprintf(s->status[s->nstatus], sizeof s->status[0], "%s", nm);
                s->w_status[s->nstatus++] = w;
            }
        }
    }
    if (!have_series) return bad(d, m, "'weights' has no 'series:' mapping%s%s", "", "");
    if (!have_status) return bad(d, m, "'weights' has no 'status:' mapping%s%s", "", "");
    /* weights that are all 0 make every parameter set's error 0: nothing to fit */
    double sum = 0, sum_status = 0;
    for (int k = 0; k < CMP_NS; k++) sum += s->w_series[k];
    for (int j = 0; j < s->nstatus; j++) sum_status += s->w_status[j];
    if (sum + s->w_retreat <= 0)
        return bad(d, series_node, "every weight under 'series' is 0, so every parameter set would fit equally well; "
                   "at least one must be above 0%s%s", "", "");
    if (sum > 0 && sum_status <= 0)
        return bad(d, status_node, "every weight under 'status' is 0, so the series' weights count for nothing; "
                   "at least one must be above 0%s%s", "", "");
    return LEAP_OK;
}

int calib_read_spec(const char *path, int need_weights, CalibSpec *s, LeapErr *e)
{
    memset(s, 0, sizeof *s);
    snprintf(s->path, sizeof s->path, "%s", path);
    if (err_check_file(e, path, "a params file (YAML, as calibration/params.yaml)")) return LEAP_EINPUT;
    FILE *f = fopen(path, "rb");
    if (!f) return err_set(e, LEAP_EINPUT, "%s: cannot open the params file (%s)", path, strerror(errno));
    if (scen_check_nesting(f, path, "a params file nests a few levels "
                           "(params: a list of {key, range, source})", e)) {
        fclose(f);
        return LEAP_EINPUT;
    }
    yaml_parser_t parser;
    yaml_document_t doc;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_file(&parser, f);
    int rc = LEAP_OK, loaded = yaml_parser_load(&parser, &doc);
    if (!loaded) {
        yaml_mark_t m = parser.problem_mark;
        rc = err_at(e, path, (int)m.line + 1, (int)m.column + 1, "YAML syntax error: %s",
                    parser.problem ? parser.problem : "unreadable");
    } else {   /* one document only: a second (after `---`) was silently ignored */
        yaml_document_t more;
        if (!yaml_parser_load(&parser, &more)) {
            yaml_mark_t m = parser.problem_mark;
            rc = err_at(e, path, (int)m.line + 1, (int)m.column + 1, "YAML syntax error: %s",
                        parser.problem ? parser.problem : "unreadable");
        } else {
            if (yaml_document_get_root_node(&more))
                rc = err_at(e, path, (int)more.start_mark.line + 1, (int)more.start_mark.column + 1,
                            "a second YAML document; a params file holds one (remove the '---')");
            yaml_document_delete(&more);
        }
        if (rc) yaml_document_delete(&doc);
    }
    yaml_parser_delete(&parser);
    fclose(f);
    if (rc) return rc;
    Doc d = {path, &doc, e};
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (!root || root->type != YAML_MAPPING_NODE) {
        rc = err_at(e, path, 1, 1, "the params file must be a mapping with 'params:'%s", need_weights ? " and 'weights:'" : "");
        goto done;
    }
    if ((rc = unique_keys(&d, root, ""))) goto done;
    yaml_node_t *params = NULL, *weights = NULL;
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top && !rc; p++) {
        yaml_node_t *kn = node(&d, p->key), *vn = node(&d, p->value);
        const char *name = kn->type == YAML_SCALAR_NODE ? str(kn) : "";
        if (!strcmp(name, "params")) params = vn;
        else if (!strcmp(name, "weights")) weights = vn;
        else rc = bad(&d, kn, "unknown key '%s'; allowed: params, weights%s", name, "");
    }
    if (!rc && !params) rc = err_at(e, path, 1, 1, "no 'params:' list of the parameters to fit");
    if (!rc && !weights && need_weights) rc = err_at(e, path, 1, 1, "no 'weights:' (series and status)");
    if (!rc && params->type != YAML_SEQUENCE_NODE) rc = bad(&d, params, "'params' must be a list%s%s", "", "");
    for (yaml_node_item_t *it = rc ? NULL : params->data.sequence.items.start;
         it && it < params->data.sequence.items.top && !rc; it++)
        rc = read_param(&d, s, node(&d, *it));
    if (!rc && s->n == 0) rc = bad(&d, params, "'params' lists no parameter%s%s", "", "");
    if (!rc && weights) rc = read_weights(&d, s, weights);   /* screening needs none; given, they are checked */
done:
    yaml_document_delete(&doc);
    return rc;
}

/* ---- the error ------------------------------------------------------------------ */

double calib_loss(const CalibSpec *s, const CmpRun *m, const CmpHist *h, char *why, size_t whylen)
{
    double num = 0, den = 0;
    for (int k = 0; k < CMP_NS; k++) {
        if (s->w_series[k] <= 0) continue;
        for (int y = 0; y <= CMP_IN1 - CMP_Y0; y++) {
            double hv = h->v[k][y];
            if (!isfinite(hv) || hv == 0) continue;
            int j = 0;
            while (j < s->nstatus && strcmp(s->status[j], h->status[k][y])) j++;
            if (j == s->nstatus) {
                if (why) snprintf(why, whylen, "%s %d has provenance status '%s', which the params file gives no weight",
                                  cmp_series[k].col, CMP_Y0 + y, h->status[k][y]);
                return NAN;
            }
            double w = s->w_series[k] * s->w_status[j], mv = m->v[k][y];
            double err = isfinite(mv) ? (mv - hv) / hv : 10;   /* a missing model value: a large error */
            num += w * err * err;
            den += w;
        }
    }
    if (s->w_retreat > 0) {
        double day = isfinite(m->retreat_day) ? m->retreat_day : cal_days(1963, 1, 1);
        double err = (day - CMP_TWELVE_ARTICLES_DAY) / 365.25;
        num += s->w_retreat * err * err;
        den += s->w_retreat;
    }
    return den > 0 ? num / den : 0;
}

/* ---- the optimiser with its cache ------------------------------------------------ */

typedef struct Cache {
    int n, cap, dim;
    double *x;      /* n x dim */
    double *loss;
} Cache;

static void cache_add(Cache *c, const double *x, double loss)
{
    if (c->n == c->cap) {
        int nc = c->cap ? 2 * c->cap : 64;
        c->x = mem_realloc(c->x, (size_t)c->cap * (size_t)c->dim * sizeof *c->x, (size_t)nc * (size_t)c->dim * sizeof *c->x);
        c->loss = mem_realloc(c->loss, (size_t)c->cap * sizeof *c->loss, (size_t)nc * sizeof *c->loss);
        c->cap = nc;
    }
    memcpy(c->x + (size_t)c->n * (size_t)c->dim, x, (size_t)c->dim * sizeof *x);
    c->loss[c->n++] = loss;
}

static void cache_free(Cache *c)
{
    mem_free(c->x, (size_t)c->cap * (size_t)c->dim * sizeof *c->x);
    mem_free(c->loss, (size_t)c->cap * sizeof *c->loss);
}

/* One row's fields, checked: "eval,x1,...,xn,loss\n", eval the row's
   number, each x a number in its range, the loss a number >= 0 (not NaN).
   0, or the 1-based column of the first bad character (*why says what). */
static int parse_row(const CalibSpec *s, const char *line, int row, double *x, double *loss, char *why, size_t whylen)
{
    const char *p = line;
    for (int k = 0; k < s->n + 2; k++) {
        const char *f = p, *sep = p + strcspn(p, ",\n");
        if (k < s->n + 1 && *sep != ',') {
            snprintf(why, whylen, "the row ends after %d field%s; %d comma-separated fields are expected (eval, %s%s, loss)",
                     k + 1, k ? "s" : "", s->n + 2, s->d[0]->key, s->n > 1 ? ", ..." : "");
            return (int)(sep - line) + 1;
        }
        if (k == s->n + 1 && *sep != '\n') {
            snprintf(why, whylen, "more than %d fields; %d comma-separated fields are expected (eval, %s%s, loss)",
                     s->n + 2, s->n + 2, s->d[0]->key, s->n > 1 ? ", ..." : "");
            return (int)(sep - line) + 1;
        }
        char *end;
        errno = 0;
        double v = strtod(f, &end);
        int len = (int)(sep - f);
        if (f == sep || end != sep || errno == ERANGE) {
            snprintf(why, whylen, "'%.*s' is not a number; %s", len > 40 ? 40 : len, f,
                     k == 0 ? "eval is the row's number" : k <= s->n ? "a parameter value is expected" : "the loss, a number >= 0, is expected");
            return (int)(f - line) + 1;
        }
        if (k == 0 && v != row) {
            snprintf(why, whylen, "eval is %.*s; this row's number, %d, is expected", len > 40 ? 40 : len, f, row);
            return (int)(f - line) + 1;
        }
        if (k >= 1 && k <= s->n && !(v >= s->lo[k - 1] && v <= s->hi[k - 1])) {
            snprintf(why, whylen, "%s = %.*s is outside its range [%g, %g] in %.200s", s->d[k - 1]->key, len > 40 ? 40 : len, f,
                     s->lo[k - 1], s->hi[k - 1], s->path);
            return (int)(f - line) + 1;
        }
        if (k == s->n + 1 && !(v >= 0)) {
            snprintf(why, whylen, "the loss is %.*s; a number >= 0 (not nan) is expected", len > 40 ? 40 : len, f);
            return (int)(f - line) + 1;
        }
        if (k >= 1 && k <= s->n) x[k - 1] = v;
        else if (k == s->n + 1) *loss = v;
        p = sep + 1;
    }
    return 0;
}

/* Read the cache file if it exists: its header must name the spec's keys,
   each row must be complete and well-formed.  A last line without its
   newline is a write the calibration was interrupted in: it is left out,
   and *cut (if not NULL) is set to the byte it starts at (else -1), for the
   caller to drop it.  Any other bad line is an error at its line and column. */
static int cache_read(const CalibSpec *s, const char *path, Cache *c, long *cut, LeapErr *e)
{
    static const char *fix = "the file is left as it is: repair or remove that line, or use --restart to discard the evaluations";
    c->dim = s->n;
    if (cut) *cut = -1;
    FILE *f = fopen(path, "r");
    if (!f) return LEAP_OK;
    char want[8192];
    int used = snprintf(want, sizeof want, "eval");
    for (int k = 0; k < s->n; k++) used += snprintf(want + used, sizeof want - (size_t)used, ",%s", s->d[k]->key);
    snprintf(want + used, sizeof want - (size_t)used, ",loss\n");
    char *line = NULL;
    size_t cap = 0;
    long start = 0;
    int rc = LEAP_OK, lineno = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, f)) > 0) {
        lineno++;
        if (line[len - 1] != '\n') {   /* the last line, cut short by an interruption */
            if (lineno > 1 || !strncmp(line, want, (size_t)len)) { if (cut) *cut = start; break; }
        }
        if ((ssize_t)strlen(line) != len) {
            rc = err_at(e, path, lineno, (int)strlen(line) + 1, "a NUL byte; evaluation rows are text; %s", fix);
            break;
        }
        if (lineno == 1) {
            if (strcmp(line, want)) {
                rc = err_at(e, path, 1, 1, "these evaluations are of other parameters than %s lists; "
                            "use another --out folder, or --restart to discard them", s->path);
                break;
            }
        } else {
            double x[CALIB_MAX], loss = 0;
            char why[600];
            int col = parse_row(s, line, lineno - 1, x, &loss, why, sizeof why);
            if (col) { rc = err_at(e, path, lineno, col, "malformed evaluation row: %s; %s", why, fix); break; }
            cache_add(c, x, loss);
        }
        start += (long)len;
    }
    free(line);
    fclose(f);
    return rc;
}

typedef struct OptCtx {
    nlopt_opt opt;
    const CalibSpec *s;
    const CalibOptions *o;
    CalibObjective f;
    void *ctx;
    Cache cache;
    int next;           /* the next cache row the optimiser should ask for */
    FILE *out;
    CalibResult *r;
    LeapErr *e;
    int rc;
} OptCtx;

static double objective(unsigned n, const double *u, double *grad, void *data)
{
    (void)grad;
    OptCtx *c = data;
    const CalibSpec *s = c->s;
    double x[CALIB_MAX];
    for (unsigned k = 0; k < n; k++) {
        double v = s->lo[k] + u[k] * (s->hi[k] - s->lo[k]);
        x[k] = fmin(s->hi[k], fmax(s->lo[k], v));
    }
    double loss;
    int replayed = 0;
    if (c->next < c->cache.n) {   /* replay: the optimiser must ask for what it asked before */
        const double *cx = c->cache.x + (size_t)c->next * n;
        int same = 1;
        for (unsigned k = 0; k < n; k++) same &= fabs(cx[k] - x[k]) <= 1e-12 * fmax(1, fabs(x[k]));
        if (!same) {
            c->rc = err_set(c->e, LEAP_EINPUT, "%s: evaluation %d does not retrace the earlier calibration "
                            "(another scenario, scale, seeds, budget or leap version?); use another --out folder, "
                            "or --restart to discard it", c->o->cache, c->next + 1);
            nlopt_force_stop(c->opt);
            return HUGE_VAL;
        }
        loss = c->cache.loss[c->next++];
        replayed = 1;
        c->r->replayed++;
    } else {
        int stop = 0;
        loss = c->f(x, c->ctx, &stop, c->e);
        if (stop) { c->r->stopped = 1; nlopt_force_stop(c->opt); return HUGE_VAL; }
        if (c->e->code) { c->rc = c->e->code; nlopt_force_stop(c->opt); return HUGE_VAL; }
        cache_add(&c->cache, x, loss);
        c->next++;
        fprintf(c->out, "%d", c->cache.n);
        for (unsigned k = 0; k < n; k++) fprintf(c->out, ",%.17g", x[k]);
        fprintf(c->out, ",%.17g\n", loss);
        fflush(c->out);
    }
    c->r->evals++;
    if (isfinite(loss) && (c->r->evals == 1 || loss < c->r->loss)) {
        c->r->loss = loss;
        memcpy(c->r->x, x, n * sizeof *x);
    }
    if (c->o->on_eval) c->o->on_eval(s, c->r->evals, x, loss, c->r, replayed, c->ctx);
    return isfinite(loss) ? loss : HUGE_VAL;
}

int calib_optimise(const CalibSpec *s, const CalibOptions *o, CalibObjective f, void *ctx, CalibResult *r, LeapErr *e)
{
    memset(r, 0, sizeof *r);
    r->loss = HUGE_VAL;
    OptCtx c = {NULL, s, o, f, ctx, {0}, 0, NULL, r, e, LEAP_OK};
    long cut;
    int rc = cache_read(s, o->cache, &c.cache, &cut, e);
    if (rc) { cache_free(&c.cache); return rc; }
    if (cut >= 0) {   /* an interrupted write: drop its part, the evaluation runs again */
        if (truncate(o->cache, cut)) {
            cache_free(&c.cache);
            return err_set(e, LEAP_EINPUT, "%s: cannot drop its cut last line (%s)", o->cache, strerror(errno));
        }
        fprintf(stderr, "leap calibrate: %s:%d: the last line was cut short (an interrupted write); dropped, "
                "that evaluation runs again\n", o->cache, cut ? c.cache.n + 2 : 1);
    }
    int fresh = c.cache.n == 0;
    c.out = fopen(o->cache, fresh ? "w" : "a");
    if (!c.out) { cache_free(&c.cache); return err_set(e, LEAP_EINPUT, "%s: cannot write (%s)", o->cache, strerror(errno)); }
    if (fresh) {
        fprintf(c.out, "eval");
        for (int k = 0; k < s->n; k++) fprintf(c.out, ",%s", s->d[k]->key);
        fprintf(c.out, ",loss\n");
        fflush(c.out);
    }
    nlopt_srand(1);
    nlopt_opt opt = nlopt_create(o->subplex ? NLOPT_LN_SBPLX : NLOPT_LN_BOBYQA, (unsigned)s->n);
    c.opt = opt;
    double lb[CALIB_MAX], ub[CALIB_MAX], u[CALIB_MAX], step[CALIB_MAX], best;
    for (int k = 0; k < s->n; k++) {
        lb[k] = 0; ub[k] = 1; step[k] = 0.15;
        u[k] = (o->x0[k] - s->lo[k]) / (s->hi[k] - s->lo[k]);
        u[k] = fmin(1, fmax(0, u[k]));
    }
    nlopt_set_lower_bounds(opt, lb);
    nlopt_set_upper_bounds(opt, ub);
    nlopt_set_initial_step(opt, step);
    nlopt_set_min_objective(opt, objective, &c);
    nlopt_set_maxeval(opt, o->budget);
    nlopt_set_xtol_abs1(opt, 1e-4);
    r->nlopt_result = nlopt_optimize(opt, u, &best);
    nlopt_destroy(opt);
    fclose(c.out);
    cache_free(&c.cache);
    return c.rc;
}

int calib_best_sets(const CalibSpec *s, const char *cache, int n, double (*x)[CALIB_MAX], double *loss, LeapErr *e)
{
    Cache c = {0};
    int rc = cache_read(s, cache, &c, NULL, e), m = 0;
    if (rc) { cache_free(&c); return -1; }
    int *order = mem_calloc((size_t)c.n + 1, sizeof *order);
    for (int i = 0; i < c.n; i++) order[i] = i;
    for (int i = 1; i < c.n; i++) {   /* insertion sort by loss, stable: earlier evaluations first on ties */
        int v = order[i], j = i;
        while (j > 0 && c.loss[order[j - 1]] > c.loss[v]) { order[j] = order[j - 1]; j--; }
        order[j] = v;
    }
    for (; m < n && m < c.n; m++) {
        memcpy(x[m], c.x + (size_t)order[m] * (size_t)s->n, (size_t)s->n * sizeof **x);
        loss[m] = c.loss[order[m]];
    }
    mem_free(order, ((size_t)c.n + 1) * sizeof *order);
    cache_free(&c);
    return m;
}

/* ---- the model as the objective: K seeds, run as child processes ------------------ */

double calib_run_model(const double *x, void *ctx, int *stop, LeapErr *e)
{
    CalibRunner *R = ctx;
    const CalibSpec *s = R->spec;
    int K = R->seeds;
    BatchJob *jobs = mem_calloc((size_t)K, sizeof *jobs);
    CmpRun *runs = mem_calloc((size_t)K, sizeof *runs);
    for (int k = 0; k < K; k++) {
        jobs[k].seed = k + 1;
        for (int i = 0; i < s->n; i++) {
            char v[64];
            snprintf(v, sizeof v, "%.17g", s->d[i]->type == PT_I ? round(x[i]) : x[i]);
            batch_set(&jobs[k], s->d[i]->key, v);
        }
    }
    Batch b = {R->exe, R->scenario, R->workdir, R->scale, R->jobs, R->threads_per_run, NULL, NULL, NULL};
    double loss = NAN;
    int rc = batch_run(&b, jobs, K, runs, stop, e);
    if (!rc && !*stop) {
        CmpRun mean;
        cmp_mean(runs, K, &mean, NULL, NULL);
        char why[300];
        loss = calib_loss(s, &mean, R->hist, why, sizeof why);
        if (isnan(loss)) err_set(e, LEAP_EINPUT, "%s: %s", s->path, why);
        else if (loss < R->best_loss) {   /* keep the best parameter set's runs */
            R->best_loss = loss;
            mkdir(R->bestdir, 0755);
            for (int k = 0; k < K; k++) {
                char from[4200], to[4200];
                batch_dir(&b, k, from, sizeof from);
                snprintf(to, sizeof to, "%.4000s/seed-%d", R->bestdir, k + 1);
                batch_remove_dir(to);
                if (rename(from, to)) {
                    err_sys(e, "cannot move %s to %s: %s", from, to, strerror(errno));
                    loss = NAN;
                    break;
                }
            }
        }
    }
    mem_free(jobs, (size_t)K * sizeof *jobs);
    mem_free(runs, (size_t)K * sizeof *runs);
    return loss;
}
