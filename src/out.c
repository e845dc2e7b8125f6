/* out.c -- see out.h. */
#include "out.h"
#include "cal.h"
#include "data.h"
#include "mem.h"
#include "sim.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct Out {
    Tally *week;       /* national, per week */
    Tally *year;       /* national, per year */
    Tally *prov;       /* [year][province] */
    Tally *cty;        /* [year][county], with --detail county */
    int ncty;
    int nweeks, nyears, first_year;
};

int out_new(SimState *S, LeapErr *e)
{
    (void)e;
    Out *o = mem_calloc(1, sizeof *o);
    o->nweeks = S->nweeks;
    o->first_year = cal_year_of_week(0);
    o->nyears = cal_year_of_week(S->nweeks - 1) - o->first_year + 1;
    o->week = mem_calloc((size_t)o->nweeks, sizeof *o->week);
    o->year = mem_calloc((size_t)o->nyears, sizeof *o->year);
    o->prov = mem_calloc((size_t)o->nyears * (size_t)S->nprov, sizeof *o->prov);
    if (S->county_detail) {
        o->ncty = S->ncty;
        o->cty = mem_calloc((size_t)o->nyears * (size_t)S->ncty, sizeof *o->cty);
    }
    S->out = o;
    return LEAP_OK;
}

void out_free(SimState *S)
{
    Out *o = S->out;
    if (!o) return;
    mem_free(o->week, (size_t)o->nweeks * sizeof *o->week);
    mem_free(o->year, (size_t)o->nyears * sizeof *o->year);
    mem_free(o->prov, (size_t)o->nyears * (size_t)S->nprov * sizeof *o->prov);
    if (o->cty) mem_free(o->cty, (size_t)o->nyears * (size_t)o->ncty * sizeof *o->cty);
    mem_free(o, sizeof *o);
    S->out = NULL;
}

/* Checkpoints: the rows so far (weeks before S->week; the years and the
   provinces' and counties' years up to the current one). */
int out_save(const SimState *S, FILE *f)
{
    const Out *o = S->out;
    int32_t hdr[4] = {S->week, o->nyears, S->nprov, o->ncty};
    int ok = fwrite(hdr, sizeof hdr, 1, f) == 1;
    ok = ok && fwrite(o->week, sizeof *o->week, (size_t)S->week, f) == (size_t)S->week;
    ok = ok && fwrite(o->year, sizeof *o->year, (size_t)o->nyears, f) == (size_t)o->nyears;
    ok = ok && fwrite(o->prov, sizeof *o->prov, (size_t)o->nyears * (size_t)S->nprov, f) == (size_t)o->nyears * (size_t)S->nprov;
    if (o->ncty) ok = ok && fwrite(o->cty, sizeof *o->cty, (size_t)o->nyears * (size_t)o->ncty, f) == (size_t)o->nyears * (size_t)o->ncty;
    return ok ? LEAP_OK : LEAP_EINTERNAL;
}

int out_load(SimState *S, FILE *f, LeapErr *e)
{
    Out *o = S->out;
    int32_t hdr[4];
    if (fread(hdr, sizeof hdr, 1, f) != 1) return err_set(e, LEAP_EINPUT, "checkpoint: truncated (output rows)");
    if (hdr[0] > o->nweeks) return err_set(e, LEAP_EINPUT, "checkpoint: made in week %d, but this scenario's run.end "
                                           "leaves only %d weeks", hdr[0], o->nweeks);
    if (hdr[2] != S->nprov || (hdr[3] != 0) != (o->ncty != 0))
        return err_set(e, LEAP_EINPUT, "checkpoint: %s", hdr[3] ? "made with --detail county; give it again"
                                                                 : "made without --detail county; drop it");
    int ny = hdr[1] < o->nyears ? hdr[1] : o->nyears;
    Tally *tmp = mem_calloc((size_t)hdr[1] * (size_t)(S->nprov > hdr[3] ? S->nprov : hdr[3]) + 1, sizeof *tmp);
    int ok = fread(o->week, sizeof *o->week, (size_t)hdr[0], f) == (size_t)hdr[0];
    ok = ok && fread(tmp, sizeof *tmp, (size_t)hdr[1], f) == (size_t)hdr[1];
    if (ok) memcpy(o->year, tmp, (size_t)ny * sizeof *tmp);
    ok = ok && fread(tmp, sizeof *tmp, (size_t)hdr[1] * (size_t)S->nprov, f) == (size_t)hdr[1] * (size_t)S->nprov;
    if (ok) memcpy(o->prov, tmp, (size_t)ny * (size_t)S->nprov * sizeof *tmp);
    if (ok && hdr[3]) {
        ok = fread(tmp, sizeof *tmp, (size_t)hdr[1] * (size_t)hdr[3], f) == (size_t)hdr[1] * (size_t)hdr[3];
        if (ok) memcpy(o->cty, tmp, (size_t)ny * (size_t)hdr[3] * sizeof *tmp);
    }
    mem_free(tmp, ((size_t)hdr[1] * (size_t)(S->nprov > hdr[3] ? S->nprov : hdr[3]) + 1) * sizeof *tmp);
    return ok ? LEAP_OK : err_set(e, LEAP_EINPUT, "checkpoint: truncated (output rows)");
}

void out_week(SimState *S)
{
    Out *o = S->out;
    o->week[S->week] = S->nat_week;
    int y = S->year - o->first_year;
    o->year[y] = S->nat_year;   /* overwritten each week: the year so far */
    for (int p = 0; p < S->nprov; p++) o->prov[(size_t)y * (size_t)S->nprov + (size_t)p] = S->prov[p].year;
    int last = S->week == S->nweeks - 1 || cal_year_of_week(S->week + 1) != S->year;   /* the year's last week */
    if (o->cty && last)
        for (int k = 0; k < o->ncty; k++) o->cty[(size_t)y * (size_t)o->ncty + (size_t)k] = S->cty[k].year;
}

/* ---- columns ----------------------------------------------------------------- */

typedef struct Col {
    const char *file, *name, *fmt, *unit, *doc;
} Col;

static const Col cols[] = {
#define X(file, name, fmt, unit, doc, expr) {#file, #name, fmt, unit, doc},
#include "outputs.def"
#undef X
};

void out_describe(int md)
{
    static const struct { const char *key, *file, *keys; } files[] = {
        {"NAT", "national_annual.csv", "year"},
        {"PROV", "provinces_annual.csv", "province, year"},
        {"WEEK", "national_weekly.csv", "week (0 = the week from 1957-01-01), date (its first day), year (of its middle day)"},
    };
    for (int f = 0; f < 3; f++) {
        if (md) printf("### %s\n\nKey columns: %s.\n\n| column | unit | meaning |\n|---|---|---|\n", files[f].file, files[f].keys);
        else printf("%s (key columns: %s)\n", files[f].file, files[f].keys);
        for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
            if (strcmp(cols[i].file, files[f].key) != 0) continue;
            if (md) printf("| `%s` | %s | %s |\n", cols[i].name, cols[i].unit, cols[i].doc);
            else printf("  %-40s %-12s %s\n", cols[i].name, cols[i].unit, cols[i].doc);
        }
        printf("\n");
    }
    if (md) printf("### counties_annual.csv (with `--detail county`)\n\nKey columns: county (index, 0-based, in "
                   "province order), province, city_sector (1: the province's city sector, 0: a rural county), "
                   "year.  The other columns are those of provinces_annual.csv, for the county.\n\n");
    else printf("counties_annual.csv, with --detail county (key columns: county, province, city_sector, year):\n"
                "  the columns of provinces_annual.csv, for each county\n\n");
}

int out_columns(const char *file, const char **names, int max)
{
    int n = 0;
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
        if (strcmp(cols[i].file, file) == 0 && n < max) names[n++] = cols[i].name;
    return n;
}

const char *out_column_fmt(const char *file, const char *name)
{
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
        if (strcmp(cols[i].file, file) == 0 && strcmp(cols[i].name, name) == 0) return cols[i].fmt;
    return NULL;
}

void out_number(FILE *f, const char *fmt, double v)
{
    char buf[512];
    int n = snprintf(buf, sizeof buf, fmt, v);
    /* a small negative value rounded to zero: "0.0000", not "-0.0000"
       (the run store keeps no sign of zero, and export must give the
       same bytes) */
    if (n > 1 && buf[0] == '-' && strspn(buf + 1, "0.") == (size_t)(n - 1)) fputs(buf + 1, f);
    else fputs(buf, f);
}

static void put(FILE *f, const char *fmt, double v)
{
    fputc(',', f);
    if (!isnan(v)) out_number(f, fmt, v);
}

static void row(FILE *f, const char *file, const Tally *t, double F)
{
    (void)F;
    int k = 0;
#define X(fl, name, fmt, unit, doc, expr) \
    if (strcmp(#fl, file) == 0) { put(f, fmt, (expr)); k++; }
#include "outputs.def"
#undef X
    (void)k;
}

static void header(FILE *f, const char *keys, const char *file)
{
    fputs(keys, f);
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
        if (strcmp(cols[i].file, file) == 0) fprintf(f, ",%s", cols[i].name);
    fputc('\n', f);
}

static FILE *open_in(const char *dir, const char *name, LeapErr *e)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) err_sys(e, "%s: cannot write (%s)", path, strerror(errno));
    return f;
}

static int close_checked(FILE *f, const char *dir, const char *name, LeapErr *e)
{
    int bad = ferror(f);
    if (fclose(f) != 0 || bad)
        return err_sys(e, "%s/%s: write failed (%s)", dir, name, strerror(errno));
    return LEAP_OK;
}

int out_write_csv(const SimState *S, const char *dir, LeapErr *e)
{
    const Out *o = S->out;
    double F = S->scale;
    FILE *f = open_in(dir, "national_annual.csv", e);
    if (!f) return LEAP_EINTERNAL;
    header(f, "year", "NAT");
    for (int y = 0; y < o->nyears; y++) {
        fprintf(f, "%d", o->first_year + y);
        row(f, "NAT", &o->year[y], F);
        fputc('\n', f);
    }
    int rc = close_checked(f, dir, "national_annual.csv", e);
    if (rc) return rc;
    if (!(f = open_in(dir, "provinces_annual.csv", e))) return LEAP_EINTERNAL;
    header(f, "province,year", "PROV");
    for (int p = 0; p < S->nprov; p++)
        for (int y = 0; y < o->nyears; y++) {
            fprintf(f, "%s,%d", S->prov[p].name, o->first_year + y);
            row(f, "PROV", &o->prov[(size_t)y * (size_t)S->nprov + (size_t)p], F);
            fputc('\n', f);
        }
    if ((rc = close_checked(f, dir, "provinces_annual.csv", e))) return rc;
    if (o->cty) {   /* --detail county: the provinces' columns, county by county */
        if (!(f = open_in(dir, "counties_annual.csv", e))) return LEAP_EINTERNAL;
        header(f, "county,province,city_sector,year", "PROV");
        for (int k = 0; k < o->ncty; k++)
            for (int y = 0; y < o->nyears; y++) {
                const County *K = &S->cty[k];
                fprintf(f, "%d,%s,%d,%d", k, S->prov[K->province].name, K->urban, o->first_year + y);
                row(f, "PROV", &o->cty[(size_t)y * (size_t)o->ncty + (size_t)k], F);
                fputc('\n', f);
            }
        if ((rc = close_checked(f, dir, "counties_annual.csv", e))) return rc;
    }
    if (!(f = open_in(dir, "national_weekly.csv", e))) return LEAP_EINTERNAL;
    header(f, "week,date,year", "WEEK");
    for (int w = 0; w < o->nweeks; w++) {
        int y, m, d;
        cal_ymd(7 * w, &y, &m, &d);
        fprintf(f, "%d,%04d-%02d-%02d,%d", w, y, m, d, cal_year_of_week(w));
        row(f, "WEEK", &o->week[w], F);
        fputc('\n', f);
    }
    return close_checked(f, dir, "national_weekly.csv", e);
}

/* ---- folders ------------------------------------------------------------------- */

const char *const out_run_names[] = {"national_annual.csv", "provinces_annual.csv", "national_weekly.csv",
                                     "counties_annual.csv", "run.json", NULL};
const OutKind out_kind_run = {"an output folder of `leap run` (one with run.json, or only its files)", "run.json",
                              out_run_names};

/* path without its trailing slashes ("/" stays) */
static void strip_slashes(const char *path, char *buf, size_t len)
{
    snprintf(buf, len, "%s", path);
    size_t n = strlen(buf);
    while (n > 1 && buf[n - 1] == '/') buf[--n] = '\0';
}

/* The absolute path of `path` without symbolic links, into buf[PATH_MAX];
   the path need not exist, its folder must.  0, or -1 (errno set). */
static int resolve(const char *path, char *buf)
{
    if (realpath(path, buf)) return 0;
    if (errno != ENOENT) return -1;
    char p[PATH_MAX], parent[PATH_MAX];
    strip_slashes(path, p, sizeof p);
    char *slash = strrchr(p, '/');
    const char *base = slash ? slash + 1 : p;
    if (slash == p) snprintf(parent, sizeof parent, "/");
    else if (slash) snprintf(parent, sizeof parent, "%.*s", (int)(slash - p), p);
    else snprintf(parent, sizeof parent, ".");
    char rp[PATH_MAX];
    if (!realpath(parent, rp)) return -1;
    if (snprintf(buf, PATH_MAX, "%s/%s", strcmp(rp, "/") ? rp : "", base) >= PATH_MAX) { errno = ENAMETOOLONG; return -1; }
    return 0;
}

/* a is b or a folder holding it (both resolved) */
static int holds(const char *a, const char *b)
{
    size_t n = strlen(a);
    if (!strcmp(a, "/")) return 1;
    return !strncmp(a, b, n) && (b[n] == '\0' || b[n] == '/');
}

static int is_name(const char *const *names, const char *name)
{
    for (; names && *names; names++)
        if (!strcmp(*names, name)) return 1;
    return 0;
}

/* leap's data folder, resolved; 0 if there is none */
static int data_folder(char *buf)
{
    char d[PATH_MAX];
    LeapErr ignore = {0};
    return data_dir(d, sizeof d, &ignore) == LEAP_OK && realpath(d, buf);
}

/* Folder `shown` (resolved: real) is never replaced: / , the current
   directory, the home folder, the data folder, an input or a folder holding
   one of them. */
static int check_protected(const char *shown, const char *real, const char *opt, const char *const *in, int nin,
                           LeapErr *e)
{
    char p[PATH_MAX];
    const char *how = "; leap never replaces it, even with --force; choose another";
    if (!strcmp(real, "/")) return err_set(e, LEAP_EINPUT, "%s: is the root folder%s %s", shown, how, opt);
    if (getcwd(p, sizeof p) && holds(real, p))
        return err_set(e, LEAP_EINPUT, "%s: %s the current directory%s %s", shown, strcmp(real, p) ? "holds" : "is", how, opt);
    const char *home = getenv("HOME");
    if (home && *home && realpath(home, p) && holds(real, p))
        return err_set(e, LEAP_EINPUT, "%s: %s the home folder (%s)%s %s", shown, strcmp(real, p) ? "holds" : "is", home,
                       how, opt);
    if (data_folder(p) && holds(real, p))
        return err_set(e, LEAP_EINPUT, "%s: %s leap's data folder (%s)%s %s", shown, strcmp(real, p) ? "holds" : "is", p,
                       how, opt);
    for (int i = 0; i < nin; i++)
        if (in[i] && resolve(in[i], p) == 0 && holds(real, p)) {
            if (!strcmp(real, p)) return err_set(e, LEAP_EINPUT, "%s: this command reads or writes it too%s %s", shown, how, opt);
            return err_set(e, LEAP_EINPUT, "%s: holds %s, which this command reads or writes%s %s", shown, in[i], how, opt);
        }
    return LEAP_OK;
}

/* A folder target whose name (n characters, trailing slashes dropped) the
   system would refuse -- its own with leap's temporary suffix, or a
   parent's -- is refused before anything is made or simulated. */
static int check_length(const char *dir, size_t n, LeapErr *e)
{
    const char *base = dir + n;
    while (base > dir && base[-1] != '/') base--;
    char probe[64];
    int extra = snprintf(probe, sizeof probe, ".tmp-%ld-99", (long)getpid());
    if ((size_t)(dir + n - base) + (size_t)extra > NAME_MAX || n + (size_t)extra >= PATH_MAX)
        return err_set(e, LEAP_EINPUT, "%s: the folder's name is too long for the system (at most %d characters for a "
                       "name, %d for a path, with room for leap's temporary name beside it); choose a shorter one",
                       dir, NAME_MAX - extra, PATH_MAX - 1 - extra);
    for (const char *p = dir; p < base; ) {
        const char *q = memchr(p, '/', (size_t)(base - p));
        if (!q) break;
        if ((size_t)(q - p) > NAME_MAX)
            return err_set(e, LEAP_EINPUT, "%s: a folder's name in this path is longer than %d characters; choose a "
                           "shorter path", dir, NAME_MAX);
        p = q + 1;
    }
    return LEAP_OK;
}

int out_check_dir(const char *dir, const char *opt, const OutKind *kind, bool force, const char *const *in, int nin,
                  LeapErr *e)
{
    char d[PATH_MAX], real[PATH_MAX];
    if (!*dir) return err_set(e, LEAP_EINPUT, "%s is empty; give a folder", opt);
    strip_slashes(dir, d, sizeof d);
    if (check_length(d, strlen(d), e)) return e->code;
    struct stat st;
    if (lstat(d, &st) != 0) {
        if (errno == ENOTDIR)
            return err_set(e, LEAP_EINPUT, "%s: a part of this path is a file, not a folder; choose another %s", dir, opt);
        return LEAP_OK;   /* a new folder */
    }
    if (S_ISLNK(st.st_mode))
        return err_set(e, LEAP_EINPUT, "%s: is a symbolic link; leap does not replace one (nor empty the folder it "
                       "points to), even with --force; give the folder itself or another %s", dir, opt);
    if (!S_ISDIR(st.st_mode))
        return err_set(e, LEAP_EINPUT, "%s: exists and is not a folder; choose another %s", dir, opt);
    if (!realpath(d, real)) return err_set(e, LEAP_EINPUT, "%s: cannot resolve the path (%s)", dir, strerror(errno));
    int rc = check_protected(dir, real, opt, in, nin, e);
    if (rc) return rc;
    DIR *D = opendir(d);
    if (!D) return err_set(e, LEAP_EINPUT, "%s: cannot read the output folder (%s)", dir, strerror(errno));
    char foreign[256] = "";
    int empty = 1, marked = 0;
    struct dirent *x;
    while ((x = readdir(D))) {
        if (!strcmp(x->d_name, ".") || !strcmp(x->d_name, "..")) continue;
        empty = 0;
        if (kind->marker && !strcmp(x->d_name, kind->marker)) marked = 1;
        if (!is_name(kind->names, x->d_name) && !foreign[0]) snprintf(foreign, sizeof foreign, "%s", x->d_name);
    }
    closedir(D);
    if (empty) return LEAP_OK;
    if (!force)
        return err_set(e, LEAP_EINPUT, "%s: output folder exists and is not empty; use --force to replace it, "
                       "or %s to choose another", dir, opt);
    if (!marked && foreign[0])
        return err_set(e, LEAP_EINPUT, "%s: holds %s, which this command does not write; --force replaces only %s; "
                       "choose another %s", dir, foreign, kind->what, opt);
    return LEAP_OK;
}

/* out_check_file; has_force: the command has a --force (else its messages
   do not mention one). */
static int check_file(const char *path, const char *opt, bool force, bool has_force, const char *const *in, int nin,
                      LeapErr *e)
{
    char real[PATH_MAX], p[PATH_MAX];
    struct stat st;
    if (!*path) return err_set(e, LEAP_EINPUT, "%s is empty; give a file", opt);
    if (resolve(path, real) != 0)
        return err_set(e, LEAP_EINPUT, "%s: cannot write here (%s); choose another %s", path,
                       errno == ENOENT ? "its folder does not exist" : strerror(errno), opt);
    const char *how = has_force ? "; leap never replaces it, even with --force; choose another"
                                : "; leap never writes over it; choose another";
    const char *base = strrchr(real, '/') + 1;
    for (int i = 0; i < nin; i++) {   /* an input, even one not made yet (a new run store) */
        if (!in[i] || resolve(in[i], p) != 0) continue;
        if (!strcmp(p, real))
            return err_set(e, LEAP_EINPUT, "%s: is one of this command's inputs%s %s", path, how, opt);
        size_t n = strlen(p);
        if (stat(p, &st) == 0 && S_ISDIR(st.st_mode) && !strncmp(p, real, n) && real + n + 1 == base &&
            is_name(out_run_names, base))
            return err_set(e, LEAP_EINPUT, "%s: is a file of the run in %s, which this command reads%s %s", path, in[i],
                           how, opt);
    }
    if (lstat(path, &st) != 0) return LEAP_OK;   /* a new file */
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return err_set(e, LEAP_EINPUT, "%s: is a folder; %s takes a file name", path, opt);
    if (data_folder(p) && holds(p, real))
        return err_set(e, LEAP_EINPUT, "%s: is a file of leap's data folder (%s)%s %s", path, p, how, opt);
    if (!force)
        return err_set(e, LEAP_EINPUT, "%s: exists; use --force to replace it, or %s to choose another path", path, opt);
    /* --force replaces what the command writes: never a run store, nor a
       checkpoint but by --checkpoint (nor anything else by it) */
    char head[16] = {0};
    FILE *f = S_ISREG(st.st_mode) ? fopen(path, "rb") : NULL;   /* (a pipe would block the open) */
    size_t got = f ? fread(head, 1, sizeof head, f) : 0;
    if (f) fclose(f);
    int ckpt_opt = !strcmp(opt, "--checkpoint"), is_ckpt = got >= 7 && !memcmp(head, "LEAPCKP", 7);
    const char *what = got >= 16 && !memcmp(head, "SQLite format 3", 16) ? "an SQLite database (a run store?)"
                       : is_ckpt && !ckpt_opt                             ? "a leap checkpoint"
                       : got && ckpt_opt && !is_ckpt                      ? "not a leap checkpoint"
                                                                          : NULL;
    if (what)
        return err_set(e, LEAP_EINPUT, "%s: is %s; --force replaces only %s; choose another %s", path, what,
                       ckpt_opt ? "an earlier checkpoint" : "a file this command wrote", opt);
    return LEAP_OK;
}

int out_check_file(const char *path, const char *opt, bool force, const char *const *in, int nin, LeapErr *e)
{
    return check_file(path, opt, force, true, in, nin, e);
}

int out_check_resumed(const char *path, const char *opt, const char *const *in, int nin, LeapErr *e)
{
    return check_file(path, opt, true, false, in, nin, e);
}


static int mkdirs(char *path)
{
    for (char *p = path + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            if (mkdir(path, 0777) != 0 && errno != EEXIST) { *p = '/'; return -1; }
            *p = '/';
        }
    return mkdir(path, 0777) != 0 && errno != EEXIST ? -1 : 0;
}

/* The k-th candidate for a name beside the first n characters of path:
   path + suffix, then path + suffix + "-1", "-2", ...  The caller creates
   it exclusively (or checks it is free), taking the next on EEXIST. */
static void nth_name(const char *path, size_t n, const char *suffix, int k, char *out, size_t len)
{
    if (k) snprintf(out, len, "%.*s%s-%d", (int)n, path, suffix, k);
    else snprintf(out, len, "%.*s%s", (int)n, path, suffix);
}

/* ".tmp-PID", ".old-PID": this process's temporary suffixes */
static void pid_suffix(const char *what, char *out, size_t len) { snprintf(out, len, ".%s-%ld", what, (long)getpid()); }

int out_begin(const char *dir, char *tmp, size_t len, LeapErr *e)
{
    char parent[4096];
    snprintf(parent, sizeof parent, "%s", dir);
    size_t n = strlen(parent);
    while (n > 1 && parent[n - 1] == '/') parent[--n] = '\0';
    char *slash = strrchr(parent, '/');
    int rc = check_length(parent, n, e);
    if (rc) return rc;
    if (n + 32 >= len) return err_set(e, LEAP_EINTERNAL, "%s: no room for the temporary folder's name", dir);
    if (slash && slash != parent) {
        *slash = '\0';
        if (mkdirs(parent) != 0)
            return err_set(e, LEAP_EINPUT, "%s: cannot create the output folder's parent (%s)", parent, strerror(errno));
        *slash = '/';   /* parent is dir again, without trailing slashes */
    }
    char suffix[32];
    pid_suffix("tmp", suffix, sizeof suffix);
    if (out_new_dir(parent, suffix, tmp, len))   /* a folder of the user's by that name is left alone */
        return err_set(e, LEAP_EINPUT, "%s: cannot create a temporary output folder (%s)", tmp, strerror(errno));
    return LEAP_OK;
}

FILE *out_new_file(const char *path, const char *suffix, char *name, size_t len)
{
    for (int k = 0; k < 100; k++) {
        nth_name(path, strlen(path), suffix, k, name, len);
        int fd = open(name, O_WRONLY | O_CREAT | O_EXCL, 0666);
        if (fd >= 0) {
            FILE *f = fdopen(fd, "wb");
            if (!f) { int er = errno; close(fd); unlink(name); errno = er; }
            return f;
        }
        if (errno != EEXIST) return NULL;
    }
    return NULL;
}

FILE *out_tmp_file(const char *path, char *tmp, size_t len)
{
    char suffix[32];
    pid_suffix("tmp", suffix, sizeof suffix);
    return out_new_file(path, suffix, tmp, len);
}

int out_new_dir(const char *path, const char *suffix, char *name, size_t len)
{
    for (int k = 0; k < 100; k++) {
        nth_name(path, strlen(path), suffix, k, name, len);
        if (mkdir(name, 0777) == 0) return 0;
        if (errno != EEXIST) return -1;
    }
    return -1;
}

static void rm_rf(const char *dir)
{
    struct stat top;
    if (lstat(dir, &top) == 0 && !S_ISDIR(top.st_mode)) { unlink(dir); return; }   /* a link: never what it points to */
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *x;
    char path[4400];
    while ((x = readdir(d))) {
        if (!strcmp(x->d_name, ".") || !strcmp(x->d_name, "..")) continue;
        snprintf(path, sizeof path, "%s/%s", dir, x->d_name);
        struct stat st;
        if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) rm_rf(path);
        else unlink(path);
    }
    closedir(d);
    rmdir(dir);
}

void out_abort(const char *tmp, const char *dir, LeapErr *e)
{
    rm_rf(tmp);
    if (e && dir) err_replace(e, tmp, dir);
}

int out_commit(const char *tmp, const char *dir, LeapErr *e)
{
    char d[4096];
    snprintf(d, sizeof d, "%s", dir);
    size_t n = strlen(d);
    while (n > 1 && d[n - 1] == '/') d[--n] = '\0';
    struct stat st;
    if (lstat(d, &st) == 0) {
        char old[4200], suffix[32];
        pid_suffix("old", suffix, sizeof suffix);
        int k = 0;
        do nth_name(d, n, suffix, k, old, sizeof old);   /* never a name in use: rename would replace it */
        while (lstat(old, &st) == 0 && ++k < 100);
        if (rename(d, old) != 0)
            return err_sys(e, "%s: cannot move the previous results aside (%s)", d, strerror(errno));
        if (rename(tmp, d) != 0) {
            int er = errno;
            rename(old, d);   /* put the earlier results back */
            return err_sys(e, "%s: cannot move the results into place (%s)", d, strerror(er));
        }
        rm_rf(old);
        return LEAP_OK;
    }
    if (rename(tmp, d) != 0)
        return err_sys(e, "%s: cannot move the results into place (%s)", d, strerror(errno));
    return LEAP_OK;
}
