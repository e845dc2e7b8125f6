/*
** scen.c -- loading scenarios (see scen.h).
**
** The YAML document is loaded whole with libyaml's document API, so every
** node carries its start mark (0-based line and column, reported 1-based).
** The walk flattens nested mappings into dotted keys and looks each one up
** in params.def; values must be scalars.  A key may appear once per file.
*/
#include "scen.h"
#include "cal.h"
#include "mem.h"
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define MAX_DEPTH_EXTENDS 8

/* Where two keys were last set while a scenario loads (scen_check_rules):
   the file and the value's line and column, and an order stamp. */
typedef struct Find {
    const char *key[2];
    char file[2][4096];
    int line[2], col[2];
    long stamp[2], next;   /* 0: not set */
} Find;

typedef struct Walk {
    Params *P;
    Find *find;
    const char *file;
    yaml_document_t *doc;
    LeapErr *e;
    const char **seen;   /* dotted keys set in this file (duplicate check) */
    size_t nseen, capseen;
} Walk;

static int at(Walk *w, yaml_node_t *n, const char *fmt, const char *a, const char *b)
{
    char msg[700];
    snprintf(msg, sizeof msg, fmt, a, b);
    return err_at(w->e, w->file, (int)n->start_mark.line + 1, (int)n->start_mark.column + 1, "%s", msg);
}

/* The allowed keys one level below `prefix` (for "unknown key" messages);
   at the top, with file_keys, also name, description and extends (which a
   scenario file may set, --set not). */
static void allowed_below(const char *prefix, char *buf, size_t len, bool file_keys)
{
    size_t pl = strlen(prefix), used = 0;
    buf[0] = '\0';
    const char *last = NULL;
    size_t lastlen = 0;
    for (size_t i = 0; i < param_count; i++) {
        const char *k = param_table[i].key;
        if (pl && (strncmp(k, prefix, pl) != 0 || k[pl] != '.')) continue;
        const char *rest = pl ? k + pl + 1 : k;
        size_t seg = strcspn(rest, ".");
        if (last && seg == lastlen && strncmp(rest, last, seg) == 0) continue;
        bool dup = false;   /* segments are grouped in params.def, but be safe */
        for (size_t j = 0; j < i && !dup; j++) {
            const char *k2 = param_table[j].key;
            if (pl && (strncmp(k2, prefix, pl) != 0 || k2[pl] != '.')) continue;
            const char *r2 = pl ? k2 + pl + 1 : k2;
            dup = strcspn(r2, ".") == seg && strncmp(r2, rest, seg) == 0;
        }
        last = rest; lastlen = seg;
        if (dup) continue;
        int n = snprintf(buf + used, len - used, "%s%.*s", used ? ", " : "", (int)seg, rest);
        if (n < 0 || (size_t)n >= len - used) break;
        used += (size_t)n;
    }
    if (!pl && file_keys) {
        const char *extra = ", name, description, extends";
        if (used + strlen(extra) < len) strcat(buf, extra);
    }
}

static bool is_prefix_of_some_key(const char *prefix)
{
    size_t pl = strlen(prefix);
    for (size_t i = 0; i < param_count; i++)
        if (strncmp(param_table[i].key, prefix, pl) == 0 && param_table[i].key[pl] == '.') return true;
    return false;
}

static int walk_mapping(Walk *w, yaml_node_t *map, const char *prefix);

static int set_scalar(Walk *w, yaml_node_t *kn, yaml_node_t *vn, const char *key)
{
    const ParamDesc *d = params_find(key);
    if (!d) {
        char allowed[1500], parent[256];
        const char *dot = strrchr(key, '.');
        snprintf(parent, sizeof parent, "%.*s", dot ? (int)(dot - key) : 0, key);
        allowed_below(parent, allowed, sizeof allowed, true);
        char msg[1800];
        snprintf(msg, sizeof msg, "unknown key '%s'; allowed here: %s", key, allowed);
        return err_at(w->e, w->file, (int)kn->start_mark.line + 1, (int)kn->start_mark.column + 1, "%s", msg);
    }
    if (vn->type != YAML_SCALAR_NODE) {
        char allowed[160];
        params_allowed(d, allowed, sizeof allowed);
        return at(w, vn, "'%s' needs a single value: %s", key, allowed);
    }
    const char *text = (const char *)vn->data.scalar.value;
    double v;
    char why[400];
    if (!params_parse(d, text, &v, why, sizeof why)) return at(w, vn, "%s: %s", key, why);
    params_store(w->P, d, v);
    for (int j = 0; w->find && j < 2; j++)
        if (!strcmp(key, w->find->key[j])) {
            Find *f = w->find;
            snprintf(f->file[j], sizeof f->file[j], "%s", w->file);
            f->line[j] = (int)vn->start_mark.line + 1;
            f->col[j] = (int)vn->start_mark.column + 1;
            f->stamp[j] = ++f->next;
        }
    return LEAP_OK;
}

static int walk_pair(Walk *w, yaml_node_t *kn, yaml_node_t *vn, const char *prefix)
{
    if (kn->type != YAML_SCALAR_NODE) return at(w, kn, "keys must be plain names%s%s", "", "");
    const char *k = (const char *)kn->data.scalar.value;
    char key[256];
    int n = snprintf(key, sizeof key, "%s%s%s", prefix, *prefix ? "." : "", k);
    if (n < 0 || (size_t)n >= sizeof key || !*k) return at(w, kn, "key '%s' is empty or too long%s", k, "");
    for (size_t i = 0; i < w->nseen; i++)
        if (strcmp(w->seen[i], key) == 0) return at(w, kn, "duplicate key '%s'; each key may appear once%s", key, "");
    if (w->nseen == w->capseen) {
        size_t nc = w->capseen ? 2 * w->capseen : 64;
        w->seen = mem_realloc(w->seen, w->capseen * sizeof *w->seen, nc * sizeof *w->seen);
        w->capseen = nc;
    }
    w->seen[w->nseen++] = mem_strdup(key);
    if (!*prefix && (strcmp(k, "name") == 0 || strcmp(k, "description") == 0 || strcmp(k, "extends") == 0)) {
        if (vn->type != YAML_SCALAR_NODE) return at(w, vn, "'%s' must be text%s", k, "");
        const char *v = (const char *)vn->data.scalar.value;
        if (strcmp(k, "name") == 0) {
            if (!*v || strlen(v) >= sizeof w->P->name || strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") != strlen(v) || v[0] == '.')
                return at(w, vn, "name '%s' is not allowed; use letters, digits, '-', '_' or '.' (at most 127, not starting with '.')%s", v, "");
            snprintf(w->P->name, sizeof w->P->name, "%s", v);
        } else if (strcmp(k, "description") == 0) {
            snprintf(w->P->description, sizeof w->P->description, "%s", v);
        }
        return LEAP_OK;   /* extends is handled before the walk */
    }
    if (vn->type == YAML_MAPPING_NODE) {
        if (params_find(key)) {
            char allowed[160];
            params_allowed(params_find(key), allowed, sizeof allowed);
            return at(w, vn, "'%s' needs a single value, not a mapping: %s", key, allowed);
        }
        if (!is_prefix_of_some_key(key)) return set_scalar(w, kn, vn, key); /* reports unknown key */
        return walk_mapping(w, vn, key);
    }
    if (is_prefix_of_some_key(key)) {
        char allowed[1500];
        allowed_below(key, allowed, sizeof allowed, true);
        char msg[2000];
        snprintf(msg, sizeof msg, "'%.200s' holds a group of settings, not a value; write them indented under it: %s",
                 key, allowed);
        return err_at(w->e, w->file, (int)vn->start_mark.line + 1, (int)vn->start_mark.column + 1, "%s", msg);
    }
    return set_scalar(w, kn, vn, key);
}

static int walk_mapping(Walk *w, yaml_node_t *map, const char *prefix)
{
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        int rc = walk_pair(w, yaml_document_get_node(w->doc, p->key),
                           yaml_document_get_node(w->doc, p->value), prefix);
        if (rc) return rc;
    }
    return LEAP_OK;
}

int scen_check_nesting(FILE *f, const char *path, const char *what, LeapErr *e)
{
    yaml_parser_t parser;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_file(&parser, f);
    int rc = LEAP_OK, depth = 0;
    for (bool end = false; !end && !rc;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) break;   /* the load reports it */
        if (ev.type == YAML_SEQUENCE_START_EVENT || ev.type == YAML_MAPPING_START_EVENT) {
            if (++depth > SCEN_MAX_NESTING)
                rc = err_at(e, path, (int)ev.start_mark.line + 1, (int)ev.start_mark.column + 1,
                            "lists and mappings nested more than %d deep; %s", SCEN_MAX_NESTING, what);
        } else if (ev.type == YAML_SEQUENCE_END_EVENT || ev.type == YAML_MAPPING_END_EVENT) {
            depth--;
        } else if (ev.type == YAML_STREAM_END_EVENT) {
            end = true;
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    rewind(f);
    return rc;
}

static int load_doc(const char *path, yaml_document_t *doc, LeapErr *e)
{
    if (err_check_file(e, path, "a scenario file (YAML)")) {
        if (strstr(e->msg, "no such file"))   /* load_file's `extends` turns this into its own message */
            return err_set(e, LEAP_EINPUT, "%s: cannot open scenario file: no such file", path);
        return LEAP_EINPUT;
    }
    FILE *f = fopen(path, "rb");
    if (!f) return err_set(e, LEAP_EINPUT, "%s: cannot open scenario file (%s)", path, strerror(errno));
    if (scen_check_nesting(f, path, "a scenario nests its keys a few levels "
                           "(mechanisms: {reporting: {enabled: true}})", e)) {
        fclose(f);
        return LEAP_EINPUT;
    }
    yaml_parser_t parser;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_file(&parser, f);
    int rc = LEAP_OK;
    if (!yaml_parser_load(&parser, doc)) {
        yaml_mark_t m = parser.problem_mark;
        rc = err_at(e, path, (int)m.line + 1, (int)m.column + 1, "YAML syntax error: %s%s%s",
                    parser.problem ? parser.problem : "unreadable", parser.context ? " " : "",
                    parser.context ? parser.context : "");
    } else if (!yaml_document_get_root_node(doc)) {
        yaml_document_delete(doc);
        rc = err_at(e, path, 1, 1, "the scenario is empty; a mapping of keys (name, run, mechanisms, ...) is expected");
    } else {   /* one document only: a second (after `---`) was silently ignored */
        yaml_document_t more;
        if (!yaml_parser_load(&parser, &more)) {
            yaml_mark_t m = parser.problem_mark;
            rc = err_at(e, path, (int)m.line + 1, (int)m.column + 1, "YAML syntax error: %s%s%s",
                        parser.problem ? parser.problem : "unreadable", parser.context ? " " : "",
                        parser.context ? parser.context : "");
        } else {
            if (yaml_document_get_root_node(&more))
                rc = err_at(e, path, (int)more.start_mark.line + 1, (int)more.start_mark.column + 1,
                            "a second YAML document; a scenario file holds one (remove the '---' and merge "
                            "the keys, or use another file that extends this one)");
            yaml_document_delete(&more);
        }
        if (rc) yaml_document_delete(doc);
    }
    yaml_parser_delete(&parser);
    fclose(f);
    return rc;
}

static int load_file(Params *P, Find *find, const char *path, LeapErr *e, int depth, const char **chain)
{
    /* chain[0..depth-1]: the files being loaded; a cycle is refused by the
       file that closes it, at its `extends:` line */
    if (depth >= MAX_DEPTH_EXTENDS)
        return err_set(e, LEAP_EINPUT, "%s: 'extends' chain deeper than %d files (a cycle?)", path, MAX_DEPTH_EXTENDS);
    for (int i = 0; i < depth; i++)
        if (strcmp(chain[i], path) == 0)
            return err_set(e, LEAP_EINPUT, "%s: 'extends' cycle: this file extends itself", path);
    chain[depth] = path;
    yaml_document_t doc;
    int rc = load_doc(path, &doc, e);
    if (rc) return rc;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    Walk w = {P, find, path, &doc, e, NULL, 0, 0};
    if (root->type != YAML_MAPPING_NODE) {
        rc = err_at(e, path, (int)root->start_mark.line + 1, (int)root->start_mark.column + 1,
                    "the scenario must be a mapping of keys (name, run, mechanisms, ...), not a %s",
                    root->type == YAML_SCALAR_NODE ? "single value" : "list");
        goto done;
    }
    /* extends: first, so this file's keys override the base */
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
        yaml_node_t *kn = yaml_document_get_node(&doc, p->key), *vn = yaml_document_get_node(&doc, p->value);
        if (kn->type != YAML_SCALAR_NODE || strcmp((const char *)kn->data.scalar.value, "extends") != 0) continue;
        if (vn->type != YAML_SCALAR_NODE || !*vn->data.scalar.value) {
            rc = at(&w, vn, "'extends' must name a scenario file%s%s", "", "");
            goto done;
        }
        char dirbuf[4096], base[4096];
        snprintf(dirbuf, sizeof dirbuf, "%s", path);
        const char *v = (const char *)vn->data.scalar.value;
        if (v[0] == '/') snprintf(base, sizeof base, "%s", v);
        else snprintf(base, sizeof base, "%s/%s", dirname(dirbuf), v);
        for (int i = 0; i <= depth; i++)
            if (strcmp(chain[i], base) == 0) {
                rc = at(&w, vn, "'extends: %.200s' makes a cycle: %.300s is already being loaded", v, base);
                goto done;
            }
        char name_before[sizeof P->name];
        snprintf(name_before, sizeof name_before, "%s", P->name);
        LeapErr sub = {0};
        rc = load_file(P, find, base, &sub, depth + 1, chain);
        if (rc) {
            if (strstr(sub.msg, "cannot open"))
                rc = at(&w, vn, "'extends: %s': no such scenario file%s", v, "");
            else
                rc = err_set(e, rc, "%s\n  (in the scenario extended by %s:%d:%d)", sub.msg, path,
                             (int)vn->start_mark.line + 1, (int)vn->start_mark.column + 1);
            goto done;
        }
        snprintf(P->name, sizeof P->name, "%s", name_before);  /* a name is never inherited */
    }
    rc = walk_mapping(&w, root, "");
done:
    for (size_t i = 0; i < w.nseen; i++) mem_free((void *)w.seen[i], strlen(w.seen[i]) + 1);
    mem_free(w.seen, w.capseen * sizeof *w.seen);
    yaml_document_delete(&doc);
    return rc;
}

int scen_load(Params *P, const char *path, LeapErr *e)
{
    params_default(P);
    /* default name: file name without directory and .yaml */
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    size_t n = strcspn(b, ".");
    snprintf(P->name, sizeof P->name, "%.*s", (int)(n ? n : strlen(b)), b);
    const char *chain[MAX_DEPTH_EXTENDS];
    return load_file(P, NULL, path, e, 0, chain);
}

int scen_set(Params *P, const char *arg, int index, LeapErr *e)
{
    char file[32];
    snprintf(file, sizeof file, "--set[%d]", index);
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg)
        return err_at(e, file, 1, 1, "'%s' is not key=value; write e.g. --set nutrition.hazard_gamma=3", arg);
    char key[256];
    snprintf(key, sizeof key, "%.*s", (int)(eq - arg), arg);
    const ParamDesc *d = params_find(key);
    if (!d && (!strcmp(key, "name") || !strcmp(key, "description") || !strcmp(key, "extends")))
        return err_at(e, file, 1, 1, "'%s' is set in the scenario file, not by --set; --set takes parameters "
                      "(see `leap params`)%s", key, !strcmp(key, "name") ? ", and --out chooses the output folder" : "");
    if (!d && is_prefix_of_some_key(key)) {
        char allowed[1500];
        allowed_below(key, allowed, sizeof allowed, false);
        return err_at(e, file, 1, 1, "'%s' is a group of settings, not a value; set one of its keys, %s.KEY=VALUE, "
                      "where KEY is one of: %s (see `leap params %s`)", key, key, allowed, key);
    }
    if (!d) {
        char allowed[1500], parent[256];
        const char *dot = strrchr(key, '.');
        snprintf(parent, sizeof parent, "%.*s", dot ? (int)(dot - key) : 0, key);
        if (*parent && params_find(parent))
            return err_at(e, file, 1, 1, "unknown key '%s': '%s' is a parameter with one value, nothing below it; "
                          "write --set %s=VALUE", key, parent, parent);
        if (*parent && !is_prefix_of_some_key(parent)) parent[0] = '\0';
        allowed_below(parent, allowed, sizeof allowed, false);
        return err_at(e, file, 1, 1, "unknown key '%s'; allowed %s%s: %s (see `leap params`)", key,
                      *parent ? "under " : "at the top", parent, allowed);
    }
    double v;
    char why[400];
    if (!params_parse(d, eq + 1, &v, why, sizeof why))
        return err_at(e, file, 1, (int)(eq - arg) + 2, "%s: %s", key, why);
    params_store(P, d, v);
    return LEAP_OK;
}

/* Where a rule's key was last set: --set[i] (file "--set[i]", line 1),
   else a scenario file of the `extends` chain, else nowhere (its default:
   file empty).  prec orders them: a later setting wins. */
typedef struct Origin {
    char file[4096];
    int line, col;
    long prec;
} Origin;

static void origin(const Find *f, int j, const char *const *sets, int nsets, Origin *o)
{
    size_t kl = strlen(f->key[j]);
    for (int i = nsets - 1; i >= 0; i--)
        if (!strncmp(sets[i], f->key[j], kl) && sets[i][kl] == '=') {
            snprintf(o->file, sizeof o->file, "--set[%d]", i + 1);
            o->line = 1;
            o->col = (int)kl + 2;
            o->prec = 1000000L + i;
            return;
        }
    snprintf(o->file, sizeof o->file, "%s", f->stamp[j] ? f->file[j] : "");
    o->line = f->line[j];
    o->col = f->col[j];
    o->prec = f->stamp[j];
}

/* The files of the scenario at path loaded again, noting where keys a and
   b were set (owned: mem_free(f, sizeof *f)). */
static Find *find_keys(const char *path, const char *a, const char *b)
{
    Find *f = mem_calloc(1, sizeof *f);
    f->key[0] = a;
    f->key[1] = b;
    Params *Q = mem_calloc(1, sizeof *Q);
    LeapErr sub = {0};
    params_default(Q);
    const char *chain[MAX_DEPTH_EXTENDS];
    if (path) load_file(Q, f, path, &sub, 0, chain);   /* it loaded once already: no error */
    mem_free(Q, sizeof *Q);
    return f;
}

int scen_check_rules(const Params *P, const char *path, const char *const *sets, int nsets, LeapErr *e)
{
    double va, vb;
    int r = params_rules_span(P, NULL, NULL, NULL, 0, &va, &vb);
    if (r < 0) return LEAP_OK;
    Find *f = find_keys(path, param_rules[r].above, param_rules[r].below);
    Origin *o = mem_calloc(2, sizeof *o);
    for (int j = 0; j < 2; j++) origin(f, j, sets, nsets, &o[j]);
    int j = o[1].prec > o[0].prec;   /* the later setting broke the rule */
    char rule[400], other[4200];
    params_rule_text(r, va, vb, rule, sizeof rule);
    if (o[!j].file[0]) snprintf(other, sizeof other, "is set at %s:%d:%d", o[!j].file, o[!j].line, o[!j].col);
    else snprintf(other, sizeof other, "is at its default");
    int rc = err_at(e, o[j].file[0] ? o[j].file : "(defaults)", o[j].line, o[j].col, "%s (%s %s); %s", rule,
                    f->key[!j], other, j ? "lower the second or raise the first" : "raise the first or lower the second");
    mem_free(o, 2 * sizeof *o);
    mem_free(f, sizeof *f);
    return rc;
}

int scen_check_reaches(const Params *P, const char *path, int year, const char *why, LeapErr *e)
{
    if (cal_last_full_year(P->end_date) >= year) return LEAP_OK;
    Find *f = find_keys(path, "run.end", "run.end");
    Origin o;
    origin(f, 0, NULL, 0, &o);
    int d = P->end_date;
    int rc = err_at(e, o.file[0] ? o.file : "(defaults)", o.line, o.col,
                    "run.end is %04d-%02d-%02d, but %s: run.end must reach the last week of %d (%d-12-31 always does)",
                    d / 10000, d / 100 % 100, d % 100, why, year, year);
    mem_free(f, sizeof *f);
    return rc;
}

char *scen_resolved_yaml(const Params *P, size_t *len)
{
    size_t cap = 4096 + param_count * 128 + strlen(P->description) * 2, used = 0;
    char *buf = mem_realloc(NULL, 0, cap);
    used += (size_t)snprintf(buf + used, cap - used, "name: %s\n", P->name);
    for (size_t i = 0; i < param_count; i++) {
        char v[64];
        params_format(&param_table[i], params_get(P, &param_table[i]), v, sizeof v);
        used += (size_t)snprintf(buf + used, cap - used, "%s: %s\n", param_table[i].key, v);
    }
    char *out = mem_realloc(NULL, 0, used + 1);
    memcpy(out, buf, used + 1);
    mem_free(buf, cap);
    *len = used;
    return out;
}
