/*
** main.c -- the leap command line.  The only place that turns a LeapErr
** into an exit status: 0 success, 2 bad input, 1 internal error or a write
** the system refused.
*/
#include "batch.h"
#include "cal.h"
#include "calibrate.h"
#include "checkpoint.h"
#include "compare.h"
#include "decompose.h"
#include "ensemble.h"
#include "mem.h"
#include "out.h"
#include "params.h"
#include "scen.h"
#include "report.h"
#include "sim.h"
#include "simd.h"
#include "nutrition.h"
#include "sensitivity.h"
#include "store.h"
#include "sweep.h"
#include "version.h"
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <sys/stat.h>
#include <jansson.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *usage_main =
    "leap " LEAP_VERSION " -- a person-level simulator of China's Great Leap Forward (1958-62)\n"
    "and the famine that followed, calibrated to the historical record.\n"
    "\n"
    "Usage:\n"
    "  leap run SCENARIO [options]   simulate a scenario (try: leap run scenarios/history.yaml)\n"
    "  leap compare RUN... [--csv FILE]  a run (or the mean of several; RUN: a folder or a\n"
    "                                run id) against the record 1957-62: MAPE in- and\n"
    "                                out-of-sample, excess deaths\n"
    "  leap calibrate SCENARIO --params FILE [...]  fit parameters to the record 1957-60\n"
    "  leap runs [--db FILE]         the runs recorded in the run store (leap.db)\n"
    "  leap export RUN_ID --out DIR  a recorded run's files (CSV, run.json), byte-identical\n"
    "  leap report RUN [--compare RUN]... --out FILE.html [--figures DIR]  an offline\n"
    "                                HTML report with charts (RUN: a folder or a run id)\n"
    "  leap ensemble SCENARIO --seeds K [--param-sets N]  series with 90% intervals\n"
    "  leap sweep SCENARIO --param KEY=LO:HI:N... --seeds K  a grid, streamed to CSV\n"
    "  leap sensitivity SCENARIO [...]  Morris screening of the calibrated parameters\n"
    "  leap decompose SCENARIO [...]  each mechanism's share of the famine (Shapley values)\n"
    "  leap params [PREFIX] [--markdown]  list every scenario parameter: key, default, range, unit, source\n"
    "  leap outputs [--markdown]     list every output column: file, name, unit, meaning\n"
    "  leap --help | --version\n"
    "\n"
    "A scenario is a YAML file of parameters, each key commented:\n"
    "scenarios/history.yaml (what happened), scenarios/no-leap.yaml (1957 policies\n"
    "continue) and scenarios/counterfactual/*.yaml (one lever each, on top of\n"
    "history).  A run writes national_annual.csv, provinces_annual.csv,\n"
    "national_weekly.csv and run.json into out/<scenario name>/ (see README.md for\n"
    "every column).  `leap run --help` explains the options.\n"
    "\n"
    "A first session:\n"
    "  leap run scenarios/history.yaml                  # what happened, ~20 s\n"
    "  leap compare out/history                         # against the record\n"
    "  leap run scenarios/counterfactual/no-dining-halls.yaml\n"
    "  leap run scenarios/history.yaml --set mechanisms.dining.enabled=false --out out/mine\n"
    "\n"
    "Exit status: 0 success, 2 bad input (nothing written), 1 internal error or a write the\n"
    "system refused (a full disk).\n";

static const char *usage_run =
    "Usage: leap run SCENARIO [options]\n"
    "\n"
    "Simulates SCENARIO week by week from 1957-01-01 to its run.end, person by\n"
    "person for a sample of whole households, and writes the results.\n"
    "\n"
    "Options:\n"
    "  --scale F      fraction of households simulated, 0.00001 <= F <= 1 (default 0.01:\n"
    "                 ~6.4 million people; 1 = every person).  Outputs are always\n"
    "                 in full-population units.\n"
    "  --seed N       random seed, 0..2147483647 (default: the scenario's `seed`)\n"
    "  --threads N    worker threads (default: all cores).  Results are identical\n"
    "                 for any number of threads.\n"
    "  --out DIR      output folder (default out/<scenario name>)\n"
    "  --force        replace DIR if it exists and is not empty (only an earlier\n"
    "                 output folder: one with run.json, or only leap's files;\n"
    "                 never a folder holding the scenario, the data folder, the\n"
    "                 current or home folder; never a symbolic link), and the\n"
    "                 --checkpoint FILE if it exists\n"
    "  --set KEY=VAL  override one parameter (repeatable), e.g.\n"
    "                 --set nutrition.hazard_gamma=4 --set run.end=1960-12-31\n"
    "                 (VAL: a plain decimal number without spaces, a date or\n"
    "                 true/false, also yes/no, on/off, 1/0; never a group\n"
    "                 such as run, nor name)\n"
    "                 `leap params` lists the keys, ranges and sources.\n"
    "  --detail county  also write counties_annual.csv: the provinces' annual\n"
    "                 columns for each of the ~2,000 counties\n"
    "  --db FILE      record the run in this run store (default: $LEAP_DB, else\n"
    "                 leap.db in the working directory); `leap runs` lists it\n"
    "  --no-db        do not record the run (not with --db)\n"
    "  --scratch      DIR is a work folder that whoever started the run removes\n"
    "                 when done (leap sweep's runs): the run store records no\n"
    "                 output folder for the run (`leap runs` shows -), and\n"
    "                 `leap export` gives its files\n"
    "  --checkpoint-at DATE --checkpoint FILE\n"
    "                 also save the whole state at the start of DATE's week\n"
    "  --from FILE    start from a checkpoint's week, under SCENARIO from then on\n"
    "                 (a branch: e.g. Lushan heeds Peng from July 1959); the same\n"
    "                 scenario gives files byte-identical to an uninterrupted run;\n"
    "                 a damaged or truncated checkpoint is refused (checksums);\n"
    "                 run.json's started_from names it and its week\n"
    "  --quiet        no progress bar and no summary\n"
    "  --kernel NAME  which vector instructions the weekly kernels use: avx512\n"
    "                 (each person's week sixteen persons at once; the\n"
    "                 households' loops as avx2), avx2 (eight persons, four or\n"
    "                 eight households at once), plain (one after another), or\n"
    "                 best (default: the widest this processor has; run.json's\n"
    "                 \"kernel\" says which ran).  The files are byte-identical\n"
    "                 with each; the narrower ones are for checking that (plain\n"
    "                 is about 2.2 times slower than avx2).\n"
    "  --plain-kernel the same as --kernel plain\n"
    "  -h, --help     this text\n"
    "\n"
    "Same binary, scenario, seed and scale give byte-identical CSV files.\n";

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static volatile sig_atomic_t g_interrupted;
/* Ctrl-C or SIGTERM: noted, and acted on where the work can stop cleanly
   (a run between weeks; a batch of runs forwards it to them, batch.h). */
static void on_sigint(int sig) { g_interrupted = 1; batch_stop_signal = sig; }

static int fail(const LeapErr *e)
{
    fprintf(stderr, "leap: %s\n", e->msg);
    if (e->code == LEAP_EINTERNAL && !e->sys && !g_interrupted)
        fprintf(stderr, "leap: this is a bug; please report it with the command line.\n");
    return e->code ? e->code : 1;
}

static const char *g_cmd = "run";   /* the command whose --help a usage error points to */

static int bad_usage(const char *msg, const char *arg)
{
    fprintf(stderr, "leap: %s%s%s\nTry `leap %s --help`.\n", msg, arg ? ": " : "", arg ? arg : "", g_cmd);
    return LEAP_EINPUT;
}

/* getopt_long's '?': an option that needs a value and has none, a switch
   given a value, or an option the command does not know -- named as typed
   (argv[optind - 1]), never by getopt's internal letter. */
static int bad_option(char **argv)
{
    const char *a = argv[optind - 1];
    if (optopt && strncmp(a, "--", 2) == 0)
        return bad_usage(strchr(a, '=') ? "this option takes no value" : "this option needs a value", a);
    return bad_usage("unknown option (or an ambiguous abbreviation of one)", a);
}

static void progress(const SimState *S, double t0)
{
    int w = S->week, n = S->nweeks, width = 30;
    double el = now() - t0, eta = w > 0 ? el / w * (n - w) : 0;
    int fill = n ? width * w / n : width, y, m, d;
    cal_ymd(7 * (w < n ? w : n - 1), &y, &m, &d);
    fprintf(stderr, "\r[");
    for (int i = 0; i < width; i++) fputc(i < fill ? '#' : '.', stderr);
    fprintf(stderr, "] %3d%%  %04d-%02d  ETA %d:%02d ", n ? 100 * w / n : 100, y, m, (int)eta / 60, (int)eta % 60);
    fflush(stderr);
}

/* run.json; from, from_week: the checkpoint the run started from (--from), or NULL */
static json_t *run_json(const SimState *S, const Params *P, const char *scen_path, const char *from, int from_week,
                        double t_setup, double t_run)
{
    json_t *j = json_object(), *par = json_object(), *tm = json_object(), *mem = json_object(), *der = json_object();
    json_object_set_new(j, "leap_version", json_string(LEAP_VERSION));
    json_object_set_new(j, "git_commit", json_string(LEAP_GIT));
    json_object_set_new(j, "scenario", json_string(P->name));
    json_object_set_new(j, "scenario_file", json_string(scen_path));
    json_object_set_new(j, "description", json_string(P->description));
    for (size_t i = 0; i < param_count; i++) {
        const ParamDesc *d = &param_table[i];
        double v = params_get(P, d);
        char buf[64];
        switch (d->type) {
        case PT_D: json_object_set_new(par, d->key, json_real(v)); break;
        case PT_I: json_object_set_new(par, d->key, json_integer((json_int_t)v)); break;
        case PT_B: json_object_set_new(par, d->key, json_boolean(v != 0)); break;
        case PT_T: params_format(d, v, buf, sizeof buf); json_object_set_new(par, d->key, json_string(buf)); break;
        }
    }
    json_object_set_new(j, "parameters", par);
    if (from) {   /* the weeks before were another run's, under its own scenario and parameters */
        json_t *fj = json_object();
        char abs[PATH_MAX], day[16];
        int d = cal_yyyymmdd(7 * from_week);
        snprintf(day, sizeof day, "%04d-%02d-%02d", d / 10000, d / 100 % 100, d % 100);
        json_object_set_new(fj, "checkpoint", json_string(realpath(from, abs) ? abs : from));
        json_object_set_new(fj, "week", json_integer(from_week));
        json_object_set_new(fj, "week_of", json_string(day));
        json_object_set_new(fj, "note", json_string("the weeks before week_of are those of the run that saved the "
                                                    "checkpoint, under its scenario and parameters; the parameters "
                                                    "above govern this run from week_of on"));
        json_object_set_new(j, "started_from", fj);
    }
    json_object_set_new(j, "seed", json_integer(S->seed));
    json_object_set_new(j, "scale", json_real(S->scale));
    json_object_set_new(j, "threads", json_integer(S->threads));
    json_object_set_new(j, "kernel", json_string(nutr_kernel(S)));
    json_object_set_new(j, "weeks", json_integer(S->nweeks));
    json_object_set_new(j, "data_folder", json_string(S->H->datadir));
    json_object_set_new(tm, "setup_s", json_real(t_setup));
    json_object_set_new(tm, "run_s", json_real(t_run));
    /* the weekly loop's parts: the state's and the mechanisms' steps before
       the communes' week, the communes' households and persons, the
       tallies, ledger and output rows */
    json_object_set_new(tm, "state_steps_s", json_real(S->t_state));
    json_object_set_new(tm, "communes_s", json_real(S->t_communes));
    json_object_set_new(tm, "tally_s", json_real(S->t_tally));
    json_t *ts = json_object();   /* state_steps_s by step (the file sorts the keys) */
    for (int k = 0; k < SIM_NSTEPS; k++) json_object_set_new(ts, sim_step_name(S, k), json_real(S->t_step[k]));
    json_object_set_new(tm, "steps_s", ts);
    json_object_set_new(j, "timings", tm);
    json_object_set_new(j, "person_weeks", json_integer(S->person_weeks));
    json_object_set_new(j, "person_weeks_per_s", json_real(t_run > 0 ? (double)S->person_weeks / t_run : 0));
    /* the share of person-weeks whose state could only move by closed-form
       hazards (sim.h: SimState.settled), by year and in all */
    json_t *wk = json_object(), *sy = json_object();
    int64_t pw = 0, st = 0;
    for (int y = 0; y < NYEARS; y++) {
        if (!S->pw_year[y]) continue;
        char key[16];
        snprintf(key, sizeof key, "%d", 1957 + y);
        json_object_set_new(sy, key, json_real((double)S->settled[y] / (double)S->pw_year[y]));
        pw += S->pw_year[y];
        st += S->settled[y];
    }
    json_object_set_new(wk, "settled_share", json_real(pw ? (double)st / (double)pw : 0));
    json_object_set_new(wk, "settled_share_by_year", sy);
    json_object_set_new(j, "work", wk);
    json_object_set_new(mem, "peak_rss_kib", json_integer((json_int_t)mem_peak_rss_kib()));
    int64_t used = 0;
    for (int i = 0; i < S->ncomm; i++) used += S->comm[i].nfound + S->comm[i].pool_used;
    json_object_set_new(mem, "slots", json_integer((json_int_t)S->pp.n));
    json_object_set_new(mem, "slots_used", json_integer((json_int_t)used));
    json_object_set_new(mem, "households", json_integer((json_int_t)S->hh.n));
    json_object_set_new(mem, "communes", json_integer(S->ncomm));
    json_object_set_new(mem, "counties", json_integer(S->ncty));
    json_object_set_new(mem, "person_table_bytes_per_slot", json_integer(12));
    json_object_set_new(mem, "heap_peak_bytes", json_integer((json_int_t)mem_peak()));
    json_object_set_new(mem, "birth_pool_relayouts", json_integer(S->relayouts));
    json_object_set_new(j, "memory", mem);
    json_object_set_new(der, "stable_birth_rate_permille", json_real(1000 * S->D->cbr));
    json_object_set_new(der, "stable_death_rate_permille", json_real(1000 * S->D->cdr));
    json_object_set_new(der, "life_expectancy_male", json_real(S->D->e0[0]));
    json_object_set_new(der, "life_expectancy_female", json_real(S->D->e0[1]));
    json_object_set_new(der, "death_registration_completeness", json_real(S->D->reg_completeness));
    json_object_set_new(der, "mean_energy_need_kcal", json_real(S->D->need_mean));
    json_object_set_new(j, "derived", der);
    json_t *cen = json_object();
    const Centre *C = &S->centre;
    char d[16];
    if (C->retreat_week >= 0) {
        int y, m, dd;
        cal_ymd(7 * C->retreat_week, &y, &m, &dd);
        snprintf(d, sizeof d, "%04d-%02d-%02d", y, m, dd);
        json_object_set_new(cen, "retreat_week_of", json_string(d));
        json_object_set_new(cen, "retreat_perceived_mortality", json_real(C->retreat_perceived));
        json_object_set_new(cen, "retreat_days_of_supply", json_real(C->retreat_days));
    } else json_object_set_new(cen, "retreat_week_of", json_null());
    if (C->imports_week >= 0) {
        int y, m, dd;
        cal_ymd(7 * C->imports_week, &y, &m, &dd);
        snprintf(d, sizeof d, "%04d-%02d-%02d", y, m, dd);
        json_object_set_new(cen, "imports_from_week_of", json_string(d));
    } else json_object_set_new(cen, "imports_from_week_of", json_null());
    json_object_set_new(j, "centre", cen);
    return j;
}

static void summary(const SimState *S, const char *dir)
{
    printf("leap: %s, seed %u, scale %g, %d threads -> %s/\n", S->P->name, S->seed, S->scale, S->threads, dir);
    printf("  year  population  CBR reg/true   CDR reg/true   excess deaths  grain  procured  reserve\n");
    printf("        (million)   (per mille)    (per mille)    (million)      (Mt)   (Mt)      (rural)\n");
    char path[4200];
    snprintf(path, sizeof path, "%s/national_annual.csv", dir);
    FILE *f = fopen(path, "r");
    if (!f) return;
    char line[8192];
    const char *want[] = {"year", "population_yearend_million", "birth_rate_permille", "birth_rate_true_permille",
                          "death_rate_permille", "death_rate_true_permille", "excess_deaths_million",
                          "grain_output_mt", "grain_procurement_gross_mt", "reserve_mean_rural"};
    int idx[10];
    if (!fgets(line, sizeof line, f)) { fclose(f); return; }
    for (int k = 0; k < 10; k++) {
        idx[k] = -1;
        int c = 0;
        for (char *tok = strtok(line, ",\n"); tok; tok = strtok(NULL, ",\n"), c++)
            if (strcmp(tok, want[k]) == 0) idx[k] = c;
        rewind(f);
        if (!fgets(line, sizeof line, f)) break;
    }
    while (fgets(line, sizeof line, f)) {
        char *v[128];
        int n = 0;
        for (char *p = line; n < 128;) {
            v[n++] = p;
            char *c = strchr(p, ',');
            if (!c) { p[strcspn(p, "\n")] = '\0'; break; }
            *c = '\0';
            p = c + 1;
        }
#define V(k) (idx[k] >= 0 && idx[k] < n ? v[idx[k]] : "")
        printf("  %-4s  %10s  %5s / %5s  %5s / %5s  %13s  %5s  %8s  %7s\n", V(0), V(1), V(2), V(3), V(4), V(5), V(6),
               V(7), V(8), V(9));
#undef V
    }
    fclose(f);
    int d = S->P->end_date, y = cal_last_year(d);
    if (cal_last_full_year(d) < y)   /* its sums are a part of the year, not comparable with the others */
        printf("  (%d runs to %04d-%02d-%02d only: its counts and grain are part of a year; its rates are per year)\n",
               y, d / 10000, d / 100 % 100, d % 100);
}

/* The smallest --scale: below it the smallest provinces (Qinghai, Ningxia,
   ~2 million people) get no household at all, and a run of fewer than
   ~6,500 people is noise. */
#define MIN_SCALE 1e-5

/* --scale F into *out; a usage error (exit 2) if F is not in [MIN_SCALE, 1]. */
static int opt_scale(const char *arg, double *out)
{
    char *end;
    double v = strtod(arg, &end);   /* a plain decimal: no spaces, no hexadecimal (as --set) */
    if (*end || !params_decimal(arg, strlen(arg), false) || !(v >= MIN_SCALE && v <= 1))
        return bad_usage("--scale must be a plain decimal number with 0.00001 <= F <= 1 (a smaller F leaves provinces\n"
                         "without a household), not", arg);
    *out = v;
    return LEAP_OK;
}

/* --NAME N, a whole number in [lo, hi], into *out. */
static int opt_count(const char *name, const char *arg, long lo, long hi, int *out)
{
    char *end;
    long v = strtol(arg, &end, 10);
    if (*end || !params_decimal(arg, strlen(arg), true) || v < lo || v > hi) {
        char msg[128];
        snprintf(msg, sizeof msg, "--%s must be a whole number from %ld to %ld, not", name, lo, hi);
        return bad_usage(msg, arg);
    }
    *out = (int)v;
    return LEAP_OK;
}

/* --db FILE and --no-db, as given: a usage error if both, or FILE is empty */
static int opt_db(bool given, bool none, const char *db)
{
    if (given && none) return bad_usage("--db and --no-db contradict each other; give one", NULL);
    if (given && !*db) return bad_usage("--db is empty; give a file, or --no-db to record nothing", NULL);
    return LEAP_OK;
}

/* p made absolute against the working directory (p need not exist yet): out, returned */
static const char *abs_path(const char *p, char *out, size_t n)
{
    char cwd[PATH_MAX];
    if (p[0] == '/' || !getcwd(cwd, sizeof cwd)) snprintf(out, n, "%s", p);
    else snprintf(out, n, "%s/%s", cwd, strncmp(p, "./", 2) ? p : p + 2);
    return out;
}

static int cmd_run(int argc, char **argv)
{
    static const struct option opts[] = {
        {"scale", required_argument, 0, 's'}, {"seed", required_argument, 0, 'S'},
        {"threads", required_argument, 0, 't'}, {"out", required_argument, 0, 'o'},
        {"force", no_argument, 0, 'f'}, {"set", required_argument, 0, 'x'},
        {"quiet", no_argument, 0, 'q'}, {"help", no_argument, 0, 'h'},
        {"detail", required_argument, 0, 'd'}, {"db", required_argument, 0, 'D'},
        {"no-db", no_argument, 0, 'N'}, {"checkpoint-at", required_argument, 0, 'C'},
        {"checkpoint", required_argument, 0, 'K'}, {"from", required_argument, 0, 'F'},
        {"plain-kernel", no_argument, 0, 'P'}, {"kernel", required_argument, 0, 'k'},
        {"scratch", no_argument, 0, 'W'}, {0, 0, 0, 0}};
    double scale = 0.01;
    const char *ckpt_at = NULL, *ckpt_file = NULL, *from = NULL;
    int from_week = -1;
    bool scale_given = false;
    const char *dbpath = getenv("LEAP_DB") && *getenv("LEAP_DB") ? getenv("LEAP_DB") : "leap.db";
    bool nodb = false, scratch = false, db_given = false;
    long seed = -1, threads = omp_get_num_procs();
    const char *outdir = NULL;
    bool force = false, quiet = false;
    int county = 0, kernel = 0;
    const char *sets[256];
    int nsets = 0, c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 's':
            if (opt_scale(optarg, &scale)) return LEAP_EINPUT;
            scale_given = true;
            break;
        case 'S': {
            int v;
            if (opt_count("seed", optarg, 0, 2147483647, &v)) return LEAP_EINPUT;
            seed = v;
            break;
        }
        case 't': {
            int v;
            if (opt_count("threads", optarg, 1, 1024, &v)) return LEAP_EINPUT;
            threads = v;
            break;
        }
        case 'o': outdir = optarg; break;
        case 'f': force = true; break;
        case 'x':
            if (nsets == 256) return bad_usage("too many --set options (at most 256)", NULL);
            sets[nsets++] = optarg;
            break;
        case 'q': quiet = true; break;
        case 'd':
            if (strcmp(optarg, "county") != 0) return bad_usage("--detail takes one value, county; not", optarg);
            county = 1;
            break;
        case 'D': dbpath = optarg; db_given = true; break;
        case 'N': nodb = true; break;
        case 'W': scratch = true; break;
        case 'C': ckpt_at = optarg; break;
        case 'K': ckpt_file = optarg; break;
        case 'F': from = optarg; break;
        case 'P': kernel = SIMD_PLAIN + 1; break;
        case 'k': {
            static const char *names[] = {"plain", "avx2", "avx512"};
            kernel = -1;
            for (int j = 0; j < 3; j++)
                if (strcmp(optarg, names[j]) == 0) kernel = j + 1;
            if (strcmp(optarg, "best") == 0) kernel = 0;
            if (kernel < 0) return bad_usage("--kernel takes best, avx512, avx2 or plain; not", optarg);
            if (kernel - 1 > simd_available())
                return bad_usage("this processor lacks that kernel's instructions (avx512 needs AVX-512 F, BW, DQ "
                                 "and VL; avx2 needs AVX2); choose best or a narrower one, not",
                                 optarg);
            break;
        }
        case 'h': fputs(usage_run, stdout); return 0;
        default:
            return bad_option(argv);
        }
    }
    if (optind >= argc) return bad_usage("which scenario? e.g. leap run scenarios/history.yaml", NULL);
    if (opt_db(db_given, nodb, dbpath)) return LEAP_EINPUT;
    if (optind + 1 < argc) return bad_usage("one scenario at a time; unexpected", argv[optind + 1]);
    const char *scen = argv[optind];
    LeapErr e = {0};
    Params P;
    if (scen_load(&P, scen, &e)) return fail(&e);
    for (int i = 0; i < nsets; i++)
        if (scen_set(&P, sets[i], i + 1, &e)) return fail(&e);
    if (scen_check_rules(&P, scen, sets, nsets, &e)) return fail(&e);
    if (seed >= 0) P.seed = (int)seed;
    char dir[4096];
    if (outdir) snprintf(dir, sizeof dir, "%s", outdir);
    else snprintf(dir, sizeof dir, "out/%s", P.name);
    /* the folder must not hold what the run reads or writes elsewhere */
    const char *in[] = {scen, from, nodb ? NULL : dbpath, ckpt_file};
    if (out_check_dir(dir, "--out", &out_kind_run, force, in, 4, &e)) return fail(&e);
    /* checkpoints: where to save one; or the state to start from */
    int ckpt_week = -1;
    if (ckpt_at || ckpt_file) {
        int y, m, d;
        if (!ckpt_at || !ckpt_file) return bad_usage("--checkpoint-at DATE and --checkpoint FILE go together", NULL);
        if (sscanf(ckpt_at, "%4d-%2d-%2d", &y, &m, &d) != 3 || !cal_valid(y, m, d) || cal_days(y, m, d) < 7)
            return bad_usage("--checkpoint-at must be a date YYYY-MM-DD after 1957-01-07, not", ckpt_at);
        ckpt_week = cal_week_of_day(cal_days(y, m, d));
        if (ckpt_week >= cal_weeks_until(cal_days_of(P.end_date)))
            return bad_usage("--checkpoint-at is after the scenario's run.end", ckpt_at);
        if (out_check_file(ckpt_file, "--checkpoint", force, in, 3, &e)) return fail(&e);
    }
    if (from) {
        double cs;
        uint32_t cseed;
        int cw;
        if (ckpt_peek(from, &cs, &cseed, &cw, &e)) return fail(&e);
        if (scale_given && cs != scale) return bad_usage("--scale differs from the checkpoint's; leave it out", from);
        if (seed >= 0 && (uint32_t)seed != cseed) return bad_usage("--seed differs from the checkpoint's; leave it out", from);
        scale = cs;
        P.seed = (int)cseed;
        if (ckpt_week >= 0 && ckpt_week <= cw) return bad_usage("--checkpoint-at must come after the week --from starts at", ckpt_at);
        from_week = cw;
    }
    double t0 = now();
    Store *st = NULL;
    int64_t run_id = 0;
    SimState *S = NULL;
    RunOpts ro = {scale, (uint32_t)P.seed, (int)threads, NULL, county, kernel};
    int rc = sim_new(&S, &P, &ro, &e);
    if (!rc && from) rc = ckpt_load(S, from, &e);
    if (rc) { sim_free(S); return fail(&e); }
    if (!nodb && store_open(&st, dbpath, &e)) { sim_free(S); return fail(&e); }
    if (st) {   /* the run starts: recorded as running */
        size_t ylen;
        char *yaml = scen_resolved_yaml(&P, &ylen);
        /* a scratch folder is removed by whoever started the run: recording it
           would point the store at a folder that is gone */
        char scen_abs[PATH_MAX + 4200], dir_abs[PATH_MAX + 4200];   /* as typed, they mean nothing elsewhere */
        StoreRun sr = {P.name, realpath(scen, scen_abs) ? scen_abs : abs_path(scen, scen_abs, sizeof scen_abs), yaml,
                       scratch ? "" : abs_path(dir, dir_abs, sizeof dir_abs), P.seed, scale, (int)threads};
        rc = store_begin(st, &sr, &run_id, &e);
        mem_free(yaml, ylen + 1);
        if (rc) { sim_free(S); store_close(st); return fail(&e); }
    }
    double t1 = now();
    bool bar = !quiet && isatty(2);
    struct sigaction sa, old_int, old_term;   /* Ctrl-C or SIGTERM: stop, record the run as failed */
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    for (; S->week < S->nweeks; ) {
        if (g_interrupted) {
            rc = err_set(&e, LEAP_EINTERNAL, "interrupted in week %d of %d; no results written", S->week, S->nweeks);
            break;
        }
        if (S->week == ckpt_week && (rc = ckpt_save(S, ckpt_file, &e))) break;
        if ((rc = sim_step(S, &e))) {
            if (from && e.code == LEAP_EINTERNAL && !e.sys) {   /* a checkpoint altered past what its load checks */
                size_t n = strlen(e.msg);
                snprintf(e.msg + n, sizeof e.msg - n, "\n  this run started from the checkpoint %.700s: if that file "
                         "was altered, that is the cause; if not, this is a bug: please report it with the command line", from);
                e.sys = 1;   /* the message says when it is a bug */
            }
            break;
        }
        if (bar && (S->week % 4 == 0 || S->week == S->nweeks)) progress(S, t1);
    }
    if (bar) fputc('\n', stderr);
    double t2 = now();
    char tmp[4200];
    if (!rc) rc = out_begin(dir, tmp, sizeof tmp, &e);
    else { if (st) store_fail(st, run_id, e.msg); store_close(st); sim_free(S); return fail(&e); }
    if (rc) { if (st) store_fail(st, run_id, e.msg); store_close(st); sim_free(S); return fail(&e); }
    rc = out_write_csv(S, tmp, &e);
    if (!rc) {
        json_t *j = run_json(S, &P, scen, from, from_week, t1 - t0, t2 - t1);
        char path[4300];
        snprintf(path, sizeof path, "%s/run.json", tmp);
        if (json_dump_file(j, path, JSON_INDENT(2) | JSON_SORT_KEYS) != 0)
            rc = err_sys(&e, "%s: cannot write (%s)", path, strerror(errno));
        json_decref(j);
    }
    /* a stop while the results are written: none are kept (the handler
       stays till here, so a signal never kills the run half-written); from
       the store's record on, the run completes */
    if (!rc && g_interrupted) rc = err_set(&e, LEAP_EINTERNAL, "interrupted while writing the results; no results written");
    LeapErr se = {0};
    int stored = rc || !st ? LEAP_OK : store_complete(st, run_id, tmp, now() - t0, (int64_t)mem_peak_rss_kib(), &se);
    if (!rc) rc = out_commit(tmp, dir, &e);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    if (rc) {
        if (st) store_fail(st, run_id, e.msg);
        store_close(st);
        out_abort(tmp, dir, &e);
        sim_free(S);
        return fail(&e);
    }
    if (stored) {   /* the files are in place; only the store lacks them */
        store_fail(st, run_id, se.msg);
        fprintf(stderr, "leap: the results are in %s, but the run store could not take them: %s\n", dir, se.msg);
    }
    store_close(st);
    if (!quiet) summary(S, dir);
    if (!quiet && st && !stored) printf("  recorded as run %lld in %s\n", (long long)run_id, dbpath);
    sim_free(S);
    return stored ? LEAP_EINTERNAL : 0;
}

static int cmd_params(int argc, char **argv)
{
    const char *prefix = "";
    int md = 0;
    g_cmd = "params";
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            puts("Usage: leap params [PREFIX] [--markdown]\nLists every scenario parameter (or those whose key starts "
                 "with PREFIX):\nkey, default, allowed range, unit, source and meaning.  --markdown prints the table of\n"
                 "docs/PARAMS.md.");
            return 0;
        }
        if (!strcmp(argv[i], "--markdown")) md = 1;
        else if (argv[i][0] == '-') return bad_usage("unknown option", argv[i]);
        else if (*prefix) return bad_usage("one PREFIX at most, not also", argv[i]);
        else prefix = argv[i];
    }
    int n = 0;
    if (md) puts("| key | default | allowed | unit | meaning | source |\n|---|---|---|---|---|---|");
    for (size_t i = 0; i < param_count; i++) {
        const ParamDesc *d = &param_table[i];
        if (strncmp(d->key, prefix, strlen(prefix)) != 0) continue;
        char def[64], lo[64], hi[64], allowed[200];
        params_format(d, d->def, def, sizeof def);
        params_format(d, d->min, lo, sizeof lo);
        params_format(d, d->max, hi, sizeof hi);
        params_allowed(d, allowed, sizeof allowed);
        char rule[300] = "";   /* a rule between parameters (params.h) */
        for (size_t r = 0; r < param_rule_count; r++) {
            if (!strcmp(d->key, param_rules[r].above))
                snprintf(rule, sizeof rule, "; above %s", param_rules[r].below);
            if (!strcmp(d->key, param_rules[r].below))
                snprintf(rule, sizeof rule, "; below %s", param_rules[r].above);
        }
        if (md) printf("| `%s` | %s | %s%s%s%s | %s | %s | %s |\n", d->key, def, d->type == PT_B ? "true/false" : lo,
                       d->type == PT_B ? "" : " .. ", d->type == PT_B ? "" : hi, rule, d->unit, d->doc, d->source);
        else printf("%s = %s\n    %s\n    allowed: %s%s\n    source: %s\n", d->key, def, d->doc, allowed, rule, d->source);
        n++;
    }
    if (!n) {
        fprintf(stderr, "leap: no parameter key starts with '%s'; `leap params` lists them all\n", prefix);
        return LEAP_EINPUT;
    }
    return 0;
}

static int cmd_outputs(int argc, char **argv)
{
    int md = argc > 1 && !strcmp(argv[1], "--markdown");
    if (argc > 1 && !md) {
        puts("Usage: leap outputs [--markdown]\nLists every column of the files `leap run` writes.");
        return strcmp(argv[1], "--help") && strcmp(argv[1], "-h") ? LEAP_EINPUT : 0;
    }
    out_describe(md);
    return 0;
}

static const char *usage_compare =
    "Usage: leap compare RUN [RUN ...] [--csv FILE [--force]] [--db FILE]\n"
    "\n"
    "Sets the runs (each an output folder of `leap run`, or a run id of `leap\n"
    "runs`, read from the run store) against China's national record\n"
    "1957-1962: per series and year, model / history, and the\n"
    "mean absolute percentage error (MAPE) in-sample (1958-1960, what the\n"
    "calibration may fit; 1957 is the baseline year) and out-of-sample\n"
    "(1961-1962, a prediction).  Series: registered and true birth and death\n"
    "rates, population, urban population, grain output, grain claimed at the\n"
    "time, gross procurement, net grain exports, usable steel.  Then: true\n"
    "excess deaths over each reconstruction's own period; the week the Centre's\n"
    "retreat began against the Twelve Articles (3 Nov 1960); the Meng-Qian-Yared\n"
    "correlation across provinces between 1957 grain output per head and excess\n"
    "deaths per head 1959-61 (history: positive); and the calibration targets,\n"
    "each marked meets or MISSES.\n"
    "\n"
    "Several runs are averaged series by series, with the range over runs: they\n"
    "must be seeds of one scenario (the same scenario, scale and parameters in\n"
    "run.json) ending on the same date, else compare refuses them, naming the\n"
    "difference (leap report --compare overlays different runs).  A year a run\n"
    "ends within is part of a year: no verdict on it.  Each national_annual.csv\n"
    "must have one row for every year from 1957 to the last its run.end\n"
    "reaches, none twice.  The record is read from leap's data folder (beside\n"
    "the executable, or $LEAP_DATA), never the working directory.\n"
    "\n"
    "Options:\n"
    "  --csv FILE   also write the comparison as CSV: series, year, model,\n"
    "               model_lo, model_hi (range over runs), history,\n"
    "               history_status (provenance), abs_pct_error, sample\n"
    "  --force      replace FILE if it exists (never a file of a run's folder,\n"
    "               the run store or the data folder)\n"
    "  --db FILE    the run store for run ids (default: $LEAP_DB, else leap.db)\n"
    "  -h, --help   this text\n";

static int open_existing_store(const char *path, Store **st, LeapErr *e);
static long long run_id(const char *s);

/* A run named on the command line: an output folder of `leap run`, or a
   run id of the run store db, exported into a temporary folder in $TMPDIR
   (else /tmp; *tmp set: release_run_folder removes it). */
static int run_folder(const char *arg, const char *db, char *dir, size_t len, int *tmp, LeapErr *e)
{
    struct stat sb;
    *tmp = 0;
    if (stat(arg, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        snprintf(dir, len, "%s", arg);
        return LEAP_OK;
    }
    long long id = run_id(arg);
    if (id < 1) {
        int there = stat(arg, &sb) == 0;
        return err_set(e, LEAP_EINPUT, "%s: %s; an output folder of `leap run` or a run id of `leap runs` is expected",
                       arg, there ? "not a folder" : "no such folder");
    }
    Store *st = NULL;
    int rc = open_existing_store(db, &st, e);
    const char *td = getenv("TMPDIR");
    snprintf(dir, len, "%s/leap-run.XXXXXX", td && *td ? td : "/tmp");
    if (!rc && !mkdtemp(dir))   /* the system's refusal (a $TMPDIR that is not there, say), not a bug */
        rc = err_sys(e, "%s: cannot make a temporary folder there to export run %lld into (%s)%s", td && *td ? td : "/tmp",
                     id, strerror(errno), td && *td ? "; $TMPDIR names the place" : "");
    if (!rc) {
        *tmp = 1;
        rc = store_export(st, id, dir, e);
    }
    store_close(st);
    return rc;
}

/* Remove run_folder's temporary folder; a fault in e (if given) then names
   the store and run, not the folder. */
static void release_run_folder(const char *dir, const char *db, const char *arg, LeapErr *e)
{
    if (e) {
        char where[PATH_MAX + 96];
        snprintf(where, sizeof where, "%.*s (run %.40s)", PATH_MAX, db, arg);
        err_replace(e, dir, where);
    }
    const char *names[] = {"national_annual.csv", "provinces_annual.csv", "national_weekly.csv", "run.json"};
    char p[PATH_MAX + 64];
    for (int i = 0; i < 4; i++) { snprintf(p, sizeof p, "%.*s/%s", PATH_MAX, dir, names[i]); unlink(p); }
    rmdir(dir);
}

static int cmd_compare(int argc, char **argv)
{
    static const struct option opts[] = {{"csv", required_argument, 0, 'c'}, {"force", no_argument, 0, 'f'},
                                         {"db", required_argument, 0, 'D'}, {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *csv = NULL, *db = getenv("LEAP_DB") && *getenv("LEAP_DB") ? getenv("LEAP_DB") : "leap.db";
    bool force = false;
    int c;
    g_cmd = "compare";
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'c': csv = optarg; break;
        case 'f': force = true; break;
        case 'D': db = optarg; break;
        case 'h': fputs(usage_compare, stdout); return 0;
        default: return bad_option(argv);
        }
    }
    int n = argc - optind;
    if (n < 1) return bad_usage("which run? give one or more output folders of `leap run`, or run ids", NULL);
    if (force && !csv) return bad_usage("--force replaces the --csv FILE; without --csv it has nothing to do", NULL);
    if (n > 64) return bad_usage("at most 64 runs", NULL);
    LeapErr e = {0};
    const char *in[65];   /* the runs and the store: --csv may be none of them */
    for (int i = 0; i < n; i++) in[i] = argv[optind + i];
    in[n] = db;
    if (csv && out_check_file(csv, "--csv", force, in, n + 1, &e)) return fail(&e);
    CmpHist *h = mem_calloc(1, sizeof *h);
    CmpRun *runs = mem_calloc((size_t)n, sizeof *runs);
    char(*dirs)[PATH_MAX + 64] = mem_calloc((size_t)n, sizeof *dirs);
    char **dirp = mem_calloc((size_t)n, sizeof *dirp);
    int *tmp = mem_calloc((size_t)n, sizeof *tmp), got = 0;
    int rc = cmp_read_history(h, &e);
    for (; got < n && !rc; got++) {   /* a run id: exported from the store into a temporary folder */
        rc = run_folder(argv[optind + got], db, dirs[got], sizeof dirs[got], &tmp[got], &e);
        dirp[got] = dirs[got];
    }
    if (!rc) rc = cmp_read_runs(dirp, n, runs, &e);
    if (!rc) {
        cmp_print(stdout, runs, n, h);
        if (csv) rc = cmp_write_csv(csv, runs, n, h, &e);
    }
    for (int i = 0; i < got; i++)
        if (tmp[i]) release_run_folder(dirs[i], db, argv[optind + i], rc ? &e : NULL);
    mem_free(tmp, (size_t)n * sizeof *tmp);
    mem_free(dirp, (size_t)n * sizeof *dirp);
    mem_free(dirs, (size_t)n * sizeof *dirs);
    mem_free(runs, (size_t)n * sizeof *runs);
    mem_free(h, sizeof *h);
    return rc ? fail(&e) : 0;
}

static const char *usage_calibrate =
    "Usage: leap calibrate SCENARIO --params FILE [options]\n"
    "\n"
    "Fits the parameters FILE lists (calibration/params.yaml: at most 12, each\n"
    "with a range inside its plausible range and a source, plus the weights) to\n"
    "China's national record 1957-1960 -- never 1961-62, which stay out of\n"
    "sample.  The error is the weighted mean of squared relative errors of the\n"
    "weighted series (mean over the seeds) and of the retreat's timing against\n"
    "the Twelve Articles (docs/VALIDATION.md).  Optimiser: NLopt's BOBYQA (or\n"
    "Subplex), started from SCENARIO's values.  Each parameter set runs seeds\n"
    "1..K (the same for every set: common random numbers), as `leap run`\n"
    "processes, --jobs at a time.\n"
    "\n"
    "Options:\n"
    "  --params FILE    the parameters, ranges and weights (required; each key\n"
    "                   once, not seed; the weights not all 0)\n"
    "  --scale F        scale of each run (default 0.01)\n"
    "  --seeds K        runs per parameter set, seeds 1..K (default 5)\n"
    "  --budget N       evaluations in all, replayed ones included (default 60)\n"
    "  --out DIR        folder for the results (default out/calibrate-<scenario name>)\n"
    "  --keep N         how many best parameter sets best_sets.csv keeps (default 10)\n"
    "  --jobs J         runs at once (default: the number of cores)\n"
    "  --algorithm A    bobyqa (default) or subplex\n"
    "  --restart        discard DIR's earlier evaluations instead of resuming\n"
    "  --quiet          no progress lines\n"
    "  --dry-run        check SCENARIO and FILE, print the parameters, ranges,\n"
    "                   starting values and weights; run and write nothing\n"
    "  -h, --help       this text\n"
    "\n"
    "Resuming: every evaluation is appended to DIR/evaluations.csv as it ends.\n"
    "Run the same command again after an interruption: the optimiser replays\n"
    "the cache, retraces its path and goes on; it ends where an uninterrupted\n"
    "calibration would.  A different scenario (its path, or any value it\n"
    "resolves to, those its `extends` parents set included), params file (path\n"
    "or text), data folder, scale, seeds, algorithm or leap build is refused\n"
    "unless --restart (DIR/settings.txt records them).  So DIR must\n"
    "be new, empty or a calibration's (with settings.txt or evaluations.csv):\n"
    "any other non-empty folder is refused, --restart or not, and so is a DIR\n"
    "where SCENARIO or FILE is one of the files below (best.yaml, say).  A last\n"
    "line cut short (killed while writing it) is dropped with a notice and run\n"
    "again; any other malformed line is an error (FILE:LINE:COLUMN), the file\n"
    "untouched.\n"
    "\n"
    "Writes in DIR: evaluations.csv (every parameter set and its error),\n"
    "best.yaml (a scenario: SCENARIO with the best values), best_sets.csv\n"
    "(the --keep best sets, for uncertainty), fit.txt and fit.csv (`leap\n"
    "compare` of the best set's runs, kept in best-runs/seed-K/), and prints\n"
    "the fit and every value that ended on the edge of its range.\n";

typedef struct Progress { double t0; int fresh, budget, quiet; } Progress;

static void calib_progress(const CalibSpec *s, int k, const double *x, double loss, const CalibResult *best,
                           int replayed, void *ctx)
{
    (void)s; (void)x;
    const CalibRunner *R = ctx;
    Progress *p = R->progress;
    if (p->quiet) return;
    if (replayed) return;
    if (p->fresh++ == 0 && best->replayed)
        fprintf(stderr, "leap calibrate: replayed %d evaluations from the cache\n", best->replayed);
    double per = (now() - p->t0) / p->fresh;
    int left = p->budget - k;
    fprintf(stderr, "leap calibrate: evaluation %d/%d  error %.5f  best %.5f  %.0f s each, at most %d:%02d left\n",
            k, p->budget, loss, best->loss, per, (int)(per * left) / 60, (int)(per * left) % 60);
}

static int mkdir_p(const char *path)
{
    char buf[PATH_MAX];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *q = buf + 1; *q; q++)
        if (*q == '/') { *q = '\0'; if (mkdir(buf, 0777) && errno != EEXIST) return -1; *q = '/'; }
    return mkdir(buf, 0777) && errno != EEXIST ? -1 : 0;
}

/* ---- shared by the experiment commands ------------------------------------------- */

/* The scenario's absolute path, leap's executable, the output folder (default
   out/PREFIX-<scenario name>), checked (out_check_dir: a `kind` folder; the
   scenario and the other inputs in[0..nin) stay out of it), and the
   temporary folder beside it the command writes in, created: out_commit()
   puts it in place at the end, out_abort() removes it after a failure. */
static int experiment_paths(const char *scen, const char *outdir, const char *prefix, const Params *P, bool force,
                            const OutKind *kind, const char *const *in, int nin, char *scen_abs, char *exe, char *out,
                            char *tmp, LeapErr *e)
{
    if (!realpath(scen, scen_abs)) return err_set(e, LEAP_EINPUT, "%s: %s", scen, strerror(errno));
    ssize_t n = readlink("/proc/self/exe", exe, PATH_MAX - 1);
    if (n <= 0) return err_sys(e, "cannot find the leap executable (/proc/self/exe: %s)", strerror(errno));
    exe[n] = '\0';
    if (outdir) snprintf(out, PATH_MAX, "%s", outdir);
    else snprintf(out, PATH_MAX, "out/%s-%s", prefix, P->name);
    const char *all[8] = {scen};
    for (int i = 0; i < nin && i < 7; i++) all[i + 1] = in[i];
    if (out_check_dir(out, "--out", kind, force, all, nin + 1 < 8 ? nin + 1 : 8, e)) return e->code;
    return out_begin(out, tmp, PATH_MAX + 64, e);
}

/* After an experiment: its folder in place (rc 0), or the temporary one removed. */
static int experiment_end(int rc, const char *tmp, const char *out, LeapErr *e)
{
    if (!rc) rc = out_commit(tmp, out, e);
    if (rc) out_abort(tmp, out, e);
    return rc;
}

/* What each experiment writes in its --out folder ("runs": its runs, while it works). */
static const char *const ens_names[] = {"national_annual.csv", "interval_sources.csv", "replicates.csv", "runs", NULL};
static const OutKind ens_kind = {"an output folder of `leap ensemble` (only its files)", NULL, ens_names};
static const char *const sens_names[] = {"sensitivity.csv", "runs", NULL};
static const OutKind sens_kind = {"an output folder of `leap sensitivity` (only its files)", NULL, sens_names};
static const char *const dec_names[] = {"decomposition.csv", "coalitions.csv", "runs", NULL};
static const OutKind dec_kind = {"an output folder of `leap decompose` (only its files)", NULL, dec_names};

/* Ctrl-C and SIGTERM: the runs in flight stop and the command ends cleanly. */
static void catch_stop_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

/* The scenario file with the best values on top of SCENARIO. */
static int write_best_yaml(const char *path, const char *scen_abs, const Params *P, const CalibSpec *s,
                           const double *x, double loss, int evals, double scale, int seeds)
{
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    fprintf(f, "# leap calibrate: the best of %d evaluations (error %.6f) of the parameters in\n# %s,\n"
               "# runs at scale %g, seeds 1-%d.  Run it with `leap run` like any scenario.\n",
            evals, loss, s->path, scale, seeds);
    fprintf(f, "name: %s-calibrated\nextends: %s\n", P->name, scen_abs);
    for (int k = 0; k < s->n; k++) {
        char v[64];
        params_format(s->d[k], s->d[k]->type == PT_I ? round(x[k]) : x[k], v, sizeof v);
        double at = (x[k] - s->lo[k]) / (s->hi[k] - s->lo[k]);
        fprintf(f, "%s: %s   # range [%g, %g]%s; %s\n", s->d[k]->key, v, s->lo[k], s->hi[k],
                at < 0.01 ? " -- AT ITS LOWER EDGE" : at > 0.99 ? " -- AT ITS UPPER EDGE" : "", s->source[k]);
    }
    return fclose(f);
}

/* A hash of a text (djb2). */
static unsigned long text_hash(const char *text)
{
    unsigned long hash = 5381;
    for (const char *q = text; *q; q++) hash = hash * 33 + (unsigned char)*q;
    return hash;
}

/* A hash of a file's bytes, 0 if it cannot be read: a calibration resumes
   only with the same params text. */
static unsigned long file_hash(const char *path)
{
    size_t n = 0;
    char *text = mem_read_file(path, &n);
    if (!text) return 0;
    unsigned long hash = text_hash(text);
    mem_free(text, n + 1);
    return hash;
}

/* A hash of the scenario as resolved (its name and every parameter's value,
   those its `extends` parents set included): a calibration resumes only
   with the same. */
static unsigned long scenario_hash(const Params *P)
{
    size_t n;
    char *yaml = scen_resolved_yaml(P, &n);
    unsigned long hash = text_hash(yaml);
    mem_free(yaml, n + 1);
    return hash;
}

/* leap calibrate resumes into its --out folder, so it takes a new or empty
   folder or a calibration's (one with settings.txt or evaluations.csv), and
   the files it writes there must not be its inputs in[0..nin). */
static int calib_check_out(const char *out, const char *const *in, int nin, LeapErr *e)
{
    static const char *const names[] = {"settings.txt", "evaluations.csv", "best.yaml", "best_sets.csv", "fit.txt", "fit.csv"};
    struct stat st;
    if (stat(out, &st) != 0 || !S_ISDIR(st.st_mode)) return LEAP_OK;   /* new (or not a folder: mkdir_p says so) */
    char path[PATH_MAX + 64];
    int ours = 0;
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "%s/%s", out, names[i]);
        if (access(path, F_OK) == 0) ours = 1;
    }
    if (!ours) {
        DIR *d = opendir(out);
        struct dirent *x;
        char first[256] = "";
        while (d && (x = readdir(d)))
            if (strcmp(x->d_name, ".") && strcmp(x->d_name, "..")) { snprintf(first, sizeof first, "%s", x->d_name); break; }
        if (d) closedir(d);
        if (first[0])
            return err_set(e, LEAP_EINPUT, "%s: a folder that is not empty (it holds %s) and not a calibration's (no "
                           "settings.txt or evaluations.csv); leap calibrate writes and resumes only in its own folder; "
                           "choose another --out", out, first);
    }
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", out, names[i]);
        if (out_check_resumed(path, "--out", in, nin, e)) return e->code;
    }
    return LEAP_OK;
}

static int cmd_calibrate(int argc, char **argv)
{
    static const struct option opts[] = {
        {"params", required_argument, 0, 'p'}, {"scale", required_argument, 0, 's'},
        {"seeds", required_argument, 0, 'k'}, {"budget", required_argument, 0, 'b'},
        {"out", required_argument, 0, 'o'}, {"keep", required_argument, 0, 'n'},
        {"jobs", required_argument, 0, 'j'}, {"algorithm", required_argument, 0, 'a'},
        {"restart", no_argument, 0, 'r'}, {"quiet", no_argument, 0, 'q'}, {"dry-run", no_argument, 0, 'D'},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    const char *pfile = NULL, *outdir = NULL;
    double scale = 0.01;
    long seeds = 5, budget = 60, keep = 10, jobs = omp_get_num_procs();
    int subplex = 0, restart = 0, quiet = 0, dry = 0, c;
    g_cmd = "calibrate";
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'p': pfile = optarg; break;
        case 'o': outdir = optarg; break;
        case 's':
            if (opt_scale(optarg, &scale)) return LEAP_EINPUT;
            break;
        case 'k': case 'b': case 'n': case 'j': {
            int v;
            if (opt_count(c == 'k' ? "seeds" : c == 'b' ? "budget" : c == 'n' ? "keep" : "jobs", optarg, 1,
                          c == 'k' ? 64 : c == 'b' ? 100000 : c == 'n' ? 10000 : 64, &v))
                return LEAP_EINPUT;
            *(c == 'k' ? &seeds : c == 'b' ? &budget : c == 'n' ? &keep : &jobs) = v;
            break;
        }
        case 'a':
            if (!strcmp(optarg, "bobyqa")) subplex = 0;
            else if (!strcmp(optarg, "subplex")) subplex = 1;
            else return bad_usage("--algorithm takes bobyqa or subplex, not", optarg);
            break;
        case 'r': restart = 1; break;
        case 'q': quiet = 1; break;
        case 'D': dry = 1; break;
        case 'h': fputs(usage_calibrate, stdout); return 0;
        default: return bad_option(argv);
        }
    }
    if (optind != argc - 1) return bad_usage(optind < argc ? "one scenario file is expected, got more" : "which scenario?", NULL);
    if (!pfile) return bad_usage("--params FILE is required (see calibration/params.yaml)", NULL);
    const char *scen = argv[optind];
    LeapErr e = {0};
    Params *P = mem_calloc(1, sizeof *P);
    CalibSpec *s = mem_calloc(1, sizeof *s);
    CmpHist *h = mem_calloc(1, sizeof *h);
    int rc = scen_load(P, scen, &e);
    if (!rc) rc = scen_check_rules(P, scen, NULL, 0, &e);
    if (!rc) rc = calib_read_spec(pfile, 1, s, &e);
    if (!rc) rc = calib_check_rules(s, P, &e);
    if (!rc) rc = cmp_read_history(h, &e);
    char why[300];
    CmpRun none;
    memset(&none, 0, sizeof none);
    if (!rc && isnan(calib_loss(s, &none, h, why, sizeof why))) rc = err_set(&e, LEAP_EINPUT, "%s: %s", pfile, why);
    double x0[CALIB_MAX];
    for (int k = 0; k < s->n && !rc; k++) {
        x0[k] = params_get(P, s->d[k]);
        if (x0[k] < s->lo[k] || x0[k] > s->hi[k]) {
            double v = fmin(s->hi[k], fmax(s->lo[k], x0[k]));
            fprintf(stderr, "leap calibrate: %s = %g in %s is outside its calibration range [%g, %g]; starting from %g\n",
                    s->d[k]->key, x0[k], scen, s->lo[k], s->hi[k], v);
            x0[k] = v;
        }
    }
    if (!rc && dry) {
        printf("%s: %d parameters to fit, starting from %s\n", pfile, s->n, scen);
        for (int k = 0; k < s->n; k++)
            printf("  %-44s start %-10g range [%g, %g] (plausible [%g, %g])\n      source: %s\n", s->d[k]->key, x0[k],
                   s->lo[k], s->hi[k], s->d[k]->min, s->d[k]->max, s->source[k]);
        printf("weights: ");
        for (int k = 0; k < CMP_NS; k++) if (s->w_series[k] > 0) printf("%s %g, ", cmp_series[k].col, s->w_series[k]);
        printf("retreat_week %g; status:", s->w_retreat);
        for (int j = 0; j < s->nstatus; j++) printf(" %s %g", s->status[j], s->w_status[j]);
        printf("\n");
    }
    char out[PATH_MAX] = "", scen_abs[PATH_MAX], params_abs[PATH_MAX], exe[PATH_MAX];
    if (!rc && !dry) {
        if (outdir) snprintf(out, sizeof out, "%s", outdir);
        else snprintf(out, sizeof out, "out/calibrate-%s", P->name);
        if (!realpath(scen, scen_abs) || !realpath(pfile, params_abs)) rc = err_set(&e, LEAP_EINPUT, "%s: %s", scen, strerror(errno));
        ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
        if (!rc && n <= 0) rc = err_sys(&e, "cannot find the leap executable (/proc/self/exe: %s)", strerror(errno));
        else if (!rc) exe[n] = '\0';
        const char *in[] = {scen, pfile};
        if (!rc) rc = calib_check_out(out, in, 2, &e);
        if (!rc && mkdir_p(out)) rc = err_set(&e, LEAP_EINPUT, "%s: cannot create the folder (%s)", out, strerror(errno));
    }
    /* the settings an earlier session must share to be resumed */
    char path[PATH_MAX + 64], settings[4 * PATH_MAX];
    if (!rc && !dry) {
        char data[PATH_MAX] = "", data_abs[PATH_MAX];
        LeapErr ignore = {0};
        if (data_dir(data, sizeof data, &ignore) == LEAP_OK && realpath(data, data_abs)) snprintf(data, sizeof data, "%s", data_abs);
        snprintf(settings, sizeof settings, "scenario %s (hash %lx)\nparams %s (hash %lx)\ndata %s\nscale %.17g\nseeds %ld\n"
                 "algorithm %s\nleap %s %s\n", scen_abs, scenario_hash(P), params_abs, file_hash(params_abs), data, scale, seeds,
                 subplex ? "subplex" : "bobyqa", LEAP_VERSION, LEAP_GIT);
        snprintf(path, sizeof path, "%s/settings.txt", out);
        size_t n;
        char *old = mem_read_file(path, &n);
        snprintf(path, sizeof path, "%s/evaluations.csv", out);
        if (restart) remove(path);
        else if (old && strcmp(old, settings) && access(path, F_OK) == 0)
            rc = err_set(&e, LEAP_EINPUT, "%s holds a calibration with other settings:\n%sthis one:\n%s"
                         "use another --out folder, or --restart to discard it", out, old, settings);
        if (old) mem_free(old, n + 1);
        if (!rc) {
            snprintf(path, sizeof path, "%s/settings.txt", out);
            FILE *f = fopen(path, "w");
            if (!f || fputs(settings, f) < 0 || fclose(f)) rc = err_sys(&e, "%s: cannot write (%s)", path, strerror(errno));
        }
    }
    char cache[PATH_MAX + 64], work[PATH_MAX + 64], best[PATH_MAX + 64];
    snprintf(cache, sizeof cache, "%s/evaluations.csv", out);
    snprintf(work, sizeof work, "%s/work", out);
    snprintf(best, sizeof best, "%s/best-runs", out);
    CalibResult res;
    memset(&res, 0, sizeof res);
    Progress prog = {now(), 0, (int)budget, quiet};
    if (!rc && !dry) {
        mkdir_p(work);
        double bx[1][CALIB_MAX], bl[1];
        CalibRunner R = {exe, scen_abs, work, best, scale, (int)seeds, (int)(jobs < seeds ? jobs : seeds),
                         jobs >= 2 * seeds ? (int)(jobs / seeds) : 1, s, h, HUGE_VAL, &prog};
        if (calib_best_sets(s, cache, 1, bx, bl, &e) == 1 && access(best, F_OK) == 0) R.best_loss = bl[0];
        e.code = 0;
        CalibOptions o = {cache, (int)budget, subplex, x0, calib_progress};
        struct sigaction sa, old_int, old_term;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_sigint;
        sigaction(SIGINT, &sa, &old_int);
        sigaction(SIGTERM, &sa, &old_term);
        if (!quiet)
            fprintf(stderr, "leap calibrate: %d parameters, %ld seeds at scale %g, budget %ld; results in %s\n",
                    s->n, seeds, scale, budget, out);
        rc = calib_optimise(s, &o, calib_run_model, &R, &res, &e);
        sigaction(SIGINT, &old_int, NULL);
        sigaction(SIGTERM, &old_term, NULL);
        if (!rc && (res.stopped || g_interrupted))
            rc = err_set(&e, LEAP_EINTERNAL, "interrupted after %d evaluations; run the same command again to resume", res.evals);
    }
    if (!rc && !dry) {   /* the results */
        int m = (int)keep;
        double (*bx)[CALIB_MAX] = mem_calloc((size_t)m, sizeof *bx);
        double *bl = mem_calloc((size_t)m, sizeof *bl);
        int nb = calib_best_sets(s, cache, m, bx, bl, &e);
        snprintf(path, sizeof path, "%s/best_sets.csv", out);
        FILE *f = nb > 0 ? fopen(path, "w") : NULL;
        if (f) {
            fprintf(f, "rank,loss");
            for (int k = 0; k < s->n; k++) fprintf(f, ",%s", s->d[k]->key);
            fputc('\n', f);
            /* a whole-number parameter as it was run (rounded), each set once: the
               optimiser's points that round alike are one parameter set */
            for (int i = 0; i < nb; i++)
                for (int k = 0; k < s->n; k++)
                    if (s->d[k]->type == PT_I) bx[i][k] = round(bx[i][k]);
            for (int i = 0, rank = 0; i < nb; i++) {
                int again = 0;
                for (int j = 0; j < i && !again; j++) again = !memcmp(bx[i], bx[j], (size_t)s->n * sizeof bx[i][0]);
                if (again) continue;
                fprintf(f, "%d,%.17g", ++rank, bl[i]);
                for (int k = 0; k < s->n; k++) fprintf(f, ",%.17g", bx[i][k]);
                fputc('\n', f);
            }
            fclose(f);
        }
        mem_free(bx, (size_t)m * sizeof *bx);
        mem_free(bl, (size_t)m * sizeof *bl);
        snprintf(path, sizeof path, "%s/best.yaml", out);
        write_best_yaml(path, scen_abs, P, s, res.x, res.loss, res.evals, scale, (int)seeds);
        CmpRun *runs = mem_calloc((size_t)seeds, sizeof *runs);
        for (int k = 0; k < seeds && !rc; k++) {
            char d[PATH_MAX + 96];
            snprintf(d, sizeof d, "%s/seed-%d", best, k + 1);
            rc = cmp_read_run(d, &runs[k], &e);
        }
        if (!rc) {
            printf("leap calibrate: best of %d evaluations, error %.6f (NLopt %s, status %d)\n", res.evals, res.loss,
                   subplex ? "Subplex" : "BOBYQA", res.nlopt_result);
            for (int k = 0; k < s->n; k++) {
                double at = (res.x[k] - s->lo[k]) / (s->hi[k] - s->lo[k]);
                printf("  %-44s %12.6g   range [%g, %g]%s\n", s->d[k]->key, res.x[k], s->lo[k], s->hi[k],
                       at < 0.01 ? "  AT ITS LOWER EDGE" : at > 0.99 ? "  AT ITS UPPER EDGE" : "");
            }
            printf("\n");
            cmp_print(stdout, runs, (int)seeds, h);
            snprintf(path, sizeof path, "%s/fit.txt", out);
            FILE *ft = fopen(path, "w");
            if (ft) { cmp_print(ft, runs, (int)seeds, h); fclose(ft); }
            snprintf(path, sizeof path, "%s/fit.csv", out);
            rc = cmp_write_csv(path, runs, (int)seeds, h, &e);
        }
        mem_free(runs, (size_t)seeds * sizeof *runs);
    }
    mem_free(h, sizeof *h);
    mem_free(s, sizeof *s);
    mem_free(P, sizeof *P);
    return rc ? fail(&e) : 0;
}

static const char *usage_runs =
    "Usage: leap runs [--db FILE]\n"
    "\n"
    "Lists the runs recorded in the run store (default: $LEAP_DB, else leap.db in\n"
    "the working directory): id, start time, status (complete, failed, or\n"
    "incomplete: killed or still running), scenario, seed, scale, threads, wall\n"
    "time, leap's commit and the output folder (-: none was kept, as for the runs\n"
    "of leap sweep; `leap export` writes a run's files from the store).\n"
    "docs/STORE.md has the schema.\n";

/* A run id as typed: decimal digits only, within long long; else 0 (before,
   strtoll took " 5" and "+5", and a number past its range as LLONG_MAX). */
static long long run_id(const char *s)
{
    if (!*s || strspn(s, "0123456789") != strlen(s)) return 0;
    errno = 0;
    long long id = strtoll(s, NULL, 10);
    return errno ? 0 : id;
}

static const char *usage_export =
    "Usage: leap export RUN_ID --out DIR [--db FILE] [--force]\n"
    "\n"
    "Writes run RUN_ID's national_annual.csv, provinces_annual.csv,\n"
    "national_weekly.csv and run.json from the run store into DIR,\n"
    "byte-identical to the files `leap run` wrote (a run recorded before the\n"
    "store kept run.json: the CSV files only), so that `leap compare DIR` and\n"
    "`leap report DIR` read it as the run's folder.  DIR is refused if it\n"
    "exists and is not empty,\n"
    "unless --force, which replaces only an output folder of leap (one with\n"
    "run.json, or only its files), never one holding the run store, the data\n"
    "folder, the current or home folder, nor a symbolic link; files are\n"
    "written into a temporary folder and renamed into place together.\n";

/* --db FILE for runs and export; the store must exist. */
static int open_existing_store(const char *path, Store **st, LeapErr *e)
{
    if (*path && access(path, F_OK) != 0)   /* (an empty name: store_open says so) */
        return err_set(e, LEAP_EINPUT, "%s: no run store here (leap run creates it; --db names another)", path);
    return store_open(st, path, e);
}

static int cmd_runs(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, 0, 'D'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    const char *db = getenv("LEAP_DB") && *getenv("LEAP_DB") ? getenv("LEAP_DB") : "leap.db";
    int c;
    g_cmd = "runs";
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'D') db = optarg;
        else if (c == 'h') { fputs(usage_runs, stdout); return 0; }
        else return bad_option(argv);
    }
    if (optind < argc) return bad_usage("unexpected argument", argv[optind]);
    LeapErr e = {0};
    Store *st = NULL;
    int rc = open_existing_store(db, &st, &e);
    if (!rc) rc = store_list(st, stdout, &e);
    store_close(st);
    return rc ? fail(&e) : 0;
}

static int cmd_export(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, 0, 'D'}, {"out", required_argument, 0, 'o'},
                                         {"force", no_argument, 0, 'f'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    const char *db = getenv("LEAP_DB") && *getenv("LEAP_DB") ? getenv("LEAP_DB") : "leap.db", *dir = NULL;
    bool force = false;
    int c;
    g_cmd = "export";
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'D') db = optarg;
        else if (c == 'o') dir = optarg;
        else if (c == 'f') force = true;
        else if (c == 'h') { fputs(usage_export, stdout); return 0; }
        else return bad_option(argv);
    }
    if (optind != argc - 1) return bad_usage("one RUN_ID is expected (`leap runs` lists them)", NULL);
    long long id = run_id(argv[optind]);
    if (id < 1) return bad_usage("RUN_ID must be a whole number from `leap runs`, not", argv[optind]);
    if (!dir) return bad_usage("--out DIR is required", NULL);
    LeapErr e = {0};
    Store *st = NULL;
    char tmp[4200];
    int rc = out_check_dir(dir, "--out", &out_kind_run, force, &db, 1, &e);
    if (!rc) rc = open_existing_store(db, &st, &e);
    if (!rc) rc = out_begin(dir, tmp, sizeof tmp, &e);
    if (!rc) {
        rc = store_export(st, id, tmp, &e);
        if (!rc) rc = out_commit(tmp, dir, &e);
        if (rc) out_abort(tmp, dir, &e);
    }
    store_close(st);
    return rc ? fail(&e) : 0;
}

static const char *usage_report =
    "Usage: leap report OUTDIR_OR_RUN_ID [--compare OUTDIR_OR_RUN_ID ...] --out FILE.html\n"
    "                   [--figures DIR] [--db FILE] [--force]\n"
    "\n"
    "Writes one self-contained HTML file (it works offline: the chart library\n"
    "and the data are inside) of a run -- a `leap run` output folder, or a run\n"
    "id of the run store: the national series against the historical record\n"
    "(death and birth rates registered and true, population, grain true /\n"
    "claimed / record, procurement, steel claimed and usable), the weekly\n"
    "death rate and reserves, the provinces' death rates, the excess deaths by\n"
    "year, and the scenario and metadata of each run.\n"
    "\n"
    "Options:\n"
    "  --out FILE        the HTML file to write (required)\n"
    "  --compare X       overlay another run (folder or run id); repeatable, up\n"
    "                    to 7: a counterfactual against history, say\n"
    "  --figures DIR     also write the main charts as SVG and PNG (gnuplot) into\n"
    "                    DIR, with their data (figures.dat) and script\n"
    "  --db FILE         the run store for run ids (default: $LEAP_DB, else leap.db)\n"
    "  --force           replace FILE.html if it exists, and DIR if it is not\n"
    "                    empty -- only a folder of the figures' files; never a\n"
    "                    run's file or a folder holding a run, the run store,\n"
    "                    the data folder, the current or home folder\n"
    "  -h, --help        this text\n"
    "\n"
    "Example:\n"
    "  leap run scenarios/history.yaml && leap run scenarios/counterfactual/no-exports.yaml\n"
    "  leap report out/history --compare out/no-exports --out report.html\n";

/* A run for a report: an output folder, or a run id exported from the store
   into a temporary folder (tmp set, to be removed). */
static int report_source(const char *arg, const char *db, ReportRun *r, int *tmp, LeapErr *e)
{
    int rc = run_folder(arg, db, r->dir, sizeof r->dir, tmp, e);
    if (rc || !*tmp) return rc ? rc : report_meta_from_dir(arg, &r->meta_json, r->label, sizeof r->label, e);
    Store *st = NULL;
    rc = open_existing_store(db, &st, e);
    if (!rc) rc = store_meta(st, run_id(arg), &r->meta_json, r->label, sizeof r->label, e);
    store_close(st);
    return rc;
}

/* What --figures DIR holds (report.c): the data, the script, each chart as SVG and PNG. */
static const char *const report_figure_names[] = {
    "figures.dat", "figures.gp", "death_rate.svg", "death_rate.png", "birth_rate.svg", "birth_rate.png",
    "grain_output.svg", "grain_output.png", "grain_claimed.svg", "grain_claimed.png", "procurement.svg",
    "procurement.png", "steel.svg", "steel.png", "population.svg", "population.png", NULL};
static const OutKind report_kind_figures = {"a folder of `leap report --figures` (only its files)", NULL,
                                            report_figure_names};

static int cmd_report(int argc, char **argv)
{
    static const struct option opts[] = {{"out", required_argument, 0, 'o'}, {"compare", required_argument, 0, 'c'},
                                         {"figures", required_argument, 0, 'F'}, {"db", required_argument, 0, 'D'},
                                         {"force", no_argument, 0, 'f'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    const char *db = getenv("LEAP_DB") && *getenv("LEAP_DB") ? getenv("LEAP_DB") : "leap.db", *out = NULL, *fig = NULL;
    const char *src[REPORT_MAX_RUNS + 2];
    bool force = false;
    int n = 1, c;
    g_cmd = "report";
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 'F': fig = optarg; break;
        case 'D': db = optarg; break;
        case 'f': force = true; break;
        case 'c':
            if (n == REPORT_MAX_RUNS) return bad_usage("at most 7 --compare runs", NULL);
            src[n++] = optarg;
            break;
        case 'h': fputs(usage_report, stdout); return 0;
        default: return bad_option(argv);
        }
    }
    if (optind != argc - 1) return bad_usage("one run is expected: an output folder or a run id", NULL);
    if (!out) return bad_usage("--out FILE.html is required", NULL);
    src[0] = argv[optind];
    LeapErr e = {0};
    /* the targets, checked against the inputs (the runs, the store) and each other */
    src[n] = db;
    src[n + 1] = out;
    if (out_check_file(out, "--out", force, src, n + 1, &e)) return fail(&e);
    if (fig && out_check_dir(fig, "--figures", &report_kind_figures, force, src, n + 2, &e)) return fail(&e);
    ReportRun runs[REPORT_MAX_RUNS];
    int tmp[REPORT_MAX_RUNS] = {0}, rc = LEAP_OK, got = 0;
    char figtmp[PATH_MAX + 64];
    memset(runs, 0, sizeof runs);
    for (int i = 0; i < n && !rc; i++, got++) rc = report_source(src[i], db, &runs[i], &tmp[i], &e);
    /* the figures go into a temporary folder beside DIR, renamed into place once all is written */
    if (!rc && fig) rc = out_begin(fig, figtmp, sizeof figtmp, &e);
    if (!rc) {
        rc = report_write(runs, n, out, fig ? figtmp : NULL, &e);
        if (!rc && fig) rc = out_commit(figtmp, fig, &e);
        if (rc && fig) out_abort(figtmp, fig, &e);
    }
    for (int i = 0; i < got || (i < n && tmp[i]); i++) {
        if (tmp[i]) release_run_folder(runs[i].dir, db, src[i], rc ? &e : NULL);
        if (runs[i].meta_json) mem_free(runs[i].meta_json, strlen(runs[i].meta_json) + 1);
    }
    if (!rc) printf("leap report: wrote %s%s%s\n", out, fig ? " and figures in " : "", fig ? fig : "");
    return rc ? fail(&e) : 0;
}

static const char *usage_decompose =
    "Usage: leap decompose SCENARIO [--mechanisms a,b,...] [--seeds K] [--samples N]\n"
    "                       [--scale F] [--budget RUNS] [--jobs J] [--out DIR] [--force] [--quiet]\n"
    "\n"
    "How much of the famine each mechanism caused: the Shapley value of each\n"
    "mechanism (a player) for true excess deaths 1958-61 and for the grain\n"
    "shortfall 1959-61, with 90% intervals.  A coalition runs SCENARIO with the\n"
    "players outside it switched off; every coalition runs seeds 1..K (common\n"
    "random numbers).  Exact (every one of the 2^m coalitions) when (2^m + 2) x K\n"
    "runs fit the budget, otherwise N random orders of the players (the same N\n"
    "every time).  The contributions add up to all-on minus all-off.  Weather is\n"
    "not a player: two more runs per seed give its effect with every mechanism\n"
    "on and with none.\n"
    "\n"
    "Options:\n"
    "  --mechanisms LIST  the players (default: every mechanism SCENARIO enables of\n"
    "                     politics, targets, reporting, procurement, labour,\n"
    "                     furnaces, agronomy, dining, incentives, migration)\n"
    "  --seeds K          seeds 1..K for every coalition (default 2)\n"
    "  --samples N        orders sampled when not exact (default 12)\n"
    "  --scale F          scale of each run (default 0.002)\n"
    "  --budget RUNS      most runs allowed (default 400)\n"
    "  --jobs J           runs at once (default: the number of cores)\n"
    "  --out DIR          where decomposition.csv and coalitions.csv go\n"
    "                     (default out/decompose-<scenario name>)\n"
    "  --force            replace DIR if it exists and is not empty (only an\n"
    "                     earlier output folder of leap decompose)\n"
    "  --quiet            no progress\n"
    "\n"
    "The files are written into a temporary folder beside DIR and renamed into\n"
    "place at the end: an interrupted or failed decomposition leaves DIR as it was.\n";

static int cmd_decompose(int argc, char **argv)
{
    static const struct option opts[] = {
        {"mechanisms", required_argument, 0, 'm'}, {"seeds", required_argument, 0, 'k'},
        {"samples", required_argument, 0, 'n'}, {"scale", required_argument, 0, 's'},
        {"budget", required_argument, 0, 'b'}, {"jobs", required_argument, 0, 'j'},
        {"out", required_argument, 0, 'o'}, {"quiet", no_argument, 0, 'q'}, {"force", no_argument, 0, 'f'},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    DecOptions o;
    memset(&o, 0, sizeof o);
    o.seeds = 2; o.samples = 12; o.scale = 0.002; o.budget = 400; o.jobs = omp_get_num_procs();
    const char *mech = NULL, *outdir = NULL;
    bool force = false;
    int c, rc = LEAP_OK;
    g_cmd = "decompose";
    opterr = 0;
    optind = 1;
    while (!rc && (c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'm': mech = optarg; break;
        case 'o': outdir = optarg; break;
        case 'f': force = true; break;
        case 'q': o.quiet = 1; break;
        case 's': rc = opt_scale(optarg, &o.scale); break;
        case 'k': rc = opt_count("seeds", optarg, 1, 64, &o.seeds); break;
        case 'n': rc = opt_count("samples", optarg, 1, 1000, &o.samples); break;
        case 'b': rc = opt_count("budget", optarg, 1, 4000, &o.budget); break;
        case 'j': rc = opt_count("jobs", optarg, 1, 64, &o.jobs); break;
        case 'h': fputs(usage_decompose, stdout); return 0;
        default: return bad_option(argv);
        }
    }
    if (rc) return rc;
    if (optind != argc - 1) return bad_usage("one scenario is expected, e.g. scenarios/history.yaml", NULL);
    LeapErr e = {0};
    Params P;
    if (scen_load(&P, argv[optind], &e) || scen_check_rules(&P, argv[optind], NULL, 0, &e) ||
        scen_check_reaches(&P, argv[optind], 1961,
                           "leap decompose's figures cover excess "
                           "deaths 1958-61 and grain 1959-61", &e))
        return fail(&e);
    /* the players: named, or every enabled mechanism */
    char buf[512];
    if (mech && strlen(mech) >= sizeof buf)   /* cut, a name would be misread */
        return bad_usage("--mechanisms: the list is too long (each mechanism at most once)", NULL);
    if (mech && (!*mech || *mech == ',' || mech[strlen(mech) - 1] == ',' || strstr(mech, ",,"))) {
        char msg[768];   /* before, an empty list or name fell through to "the scenario enables none" */
        snprintf(msg, sizeof msg, "--mechanisms: '%.511s' has an empty name; the players are mechanisms' names, "
                 "separated by single commas (e.g. reporting,dining)", mech);
        return bad_usage(msg, NULL);
    }
    snprintf(buf, sizeof buf, "%s", mech ? mech : "");
    for (int i = 0; i < dec_nmechanisms && !mech; i++) {
        char key[96];
        snprintf(key, sizeof key, "mechanisms.%s.enabled", dec_mechanisms[i]);
        if (params_get(&P, params_find(key)) != 0) o.players[o.m++] = dec_mechanisms[i];
    }
    for (char *t = mech ? strtok(buf, ",") : NULL; t; t = strtok(NULL, ",")) {
        int i = 0;
        while (i < dec_nmechanisms && strcmp(dec_mechanisms[i], t)) i++;
        if (i == dec_nmechanisms)
            return bad_usage("--mechanisms: not a mechanism (politics, targets, reporting, procurement, labour, furnaces, "
                             "agronomy, dining, incentives, migration; weather is not a player)", t);
        char key[96];
        snprintf(key, sizeof key, "mechanisms.%s.enabled", t);
        if (params_get(&P, params_find(key)) == 0) return bad_usage("--mechanisms: the scenario switches this one off", t);
        for (int j = 0; j < o.m; j++) if (!strcmp(o.players[j], dec_mechanisms[i])) return bad_usage("--mechanisms: listed twice", t);
        if (o.m == DEC_MAX_PLAYERS) return bad_usage("--mechanisms: too many", t);
        o.players[o.m++] = dec_mechanisms[i];
    }
    if (o.m == 0) return bad_usage("no mechanism to decompose: the scenario enables none", NULL);
    char scen_abs[PATH_MAX], exe[PATH_MAX], out[PATH_MAX], tmp[PATH_MAX + 64];
    if (experiment_paths(argv[optind], outdir, "decompose", &P, force, &dec_kind, NULL, 0, scen_abs, exe, out, tmp, &e))
        return fail(&e);
    o.exe = exe; o.scenario = scen_abs; o.outdir = tmp;
    catch_stop_signals();
    rc = experiment_end(dec_run(&o, &e), tmp, out, &e);
    if (!rc) printf("written: %s/decomposition.csv, %s/coalitions.csv\n", out, out);
    return rc ? fail(&e) : 0;
}

static const char *usage_ensemble =
    "Usage: leap ensemble SCENARIO --seeds K [--param-sets N] [--sets FILE] [--scale F]\n"
    "                     [--jobs J] [--out DIR] [--force] [--quiet]\n"
    "\n"
    "Runs SCENARIO for seeds 1..K under each of the N best parameter sets the\n"
    "calibration kept (FILE: a best_sets.csv of `leap calibrate`; default the\n"
    "committed calibration/best_sets.csv beside leap), every set with the same\n"
    "seeds (common random numbers), and writes DIR/national_annual.csv: every\n"
    "column's mean over the N x K runs with its 90% interval (_lo, _hi: the 5th\n"
    "and 95th percentiles), and DIR/interval_sources.csv: how much of each\n"
    "column's variance comes from the parameter sets and how much from the\n"
    "seeds.  Seed noise alone at scale 0.01 is a fraction of a percent; the\n"
    "parameters are most of the uncertainty.  DIR/replicates.csv has one row per\n"
    "run (parameter set, seed, headline results), to pair two scenarios' runs.\n"
    "\n"
    "Options:\n"
    "  --seeds K        seeds per parameter set (required; 1 to 64)\n"
    "  --param-sets N   the N best sets (default 0: SCENARIO's own values only)\n"
    "  --sets FILE      where the sets are (default calibration/best_sets.csv);\n"
    "                   only with --param-sets; columns rank, loss, then\n"
    "                   parameters (each once, not seed)\n"
    "  --scale F        scale of each run (default 0.01)\n"
    "  --jobs J         runs at once (default: the number of cores)\n"
    "  --out DIR        default out/ensemble-<scenario name>\n"
    "  --force          replace DIR if it exists and is not empty (only an\n"
    "                   earlier output folder of leap ensemble)\n"
    "\n"
    "The files are written into a temporary folder beside DIR and renamed into\n"
    "place at the end: an interrupted or failed ensemble leaves DIR as it was.\n";

static int cmd_ensemble(int argc, char **argv)
{
    static const struct option opts[] = {
        {"seeds", required_argument, 0, 'k'}, {"param-sets", required_argument, 0, 'n'},
        {"sets", required_argument, 0, 'f'}, {"scale", required_argument, 0, 's'},
        {"jobs", required_argument, 0, 'j'}, {"out", required_argument, 0, 'o'}, {"force", no_argument, 0, 'F'},
        {"quiet", no_argument, 0, 'q'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    EnsOptions o;
    memset(&o, 0, sizeof o);
    o.scale = 0.01; o.jobs = omp_get_num_procs();
    const char *outdir = NULL;
    bool force = false;
    int c, rc = LEAP_OK;
    g_cmd = "ensemble";
    opterr = 0;
    optind = 1;
    while (!rc && (c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'f': o.sets_file = optarg; break;
        case 'o': outdir = optarg; break;
        case 'F': force = true; break;
        case 'q': o.quiet = 1; break;
        case 's': rc = opt_scale(optarg, &o.scale); break;
        case 'k': rc = opt_count("seeds", optarg, 1, 64, &o.seeds); break;
        case 'n': rc = opt_count("param-sets", optarg, 0, 64, &o.nsets); break;
        case 'j': rc = opt_count("jobs", optarg, 1, 64, &o.jobs); break;
        case 'h': fputs(usage_ensemble, stdout); return 0;
        default: return bad_option(argv);
        }
    }
    if (rc) return rc;
    if (optind != argc - 1) return bad_usage("one scenario is expected, e.g. scenarios/history.yaml", NULL);
    if (o.seeds < 1) return bad_usage("--seeds K is required", NULL);
    if (o.nsets * o.seeds > 4096) return bad_usage("--param-sets x --seeds: at most 4096 runs", NULL);
    if (o.sets_file && o.nsets == 0)
        return bad_usage("--sets FILE is read only with --param-sets N (N >= 1); without it the runs use the "
                         "scenario's own values", o.sets_file);
    LeapErr e = {0};
    Params P;
    char scen_abs[PATH_MAX], exe[PATH_MAX], out[PATH_MAX], sets[PATH_MAX + 64], tmp[PATH_MAX + 64];
    if (scen_load(&P, argv[optind], &e) || scen_check_rules(&P, argv[optind], NULL, 0, &e) ||
        scen_check_reaches(&P, argv[optind], 1961,
                           "leap ensemble's figures cover excess "
                           "deaths 1958-61 and grain 1959-61", &e))
        return fail(&e);
    if (!o.sets_file) {   /* beside leap */
        if (readlink("/proc/self/exe", exe, PATH_MAX - 1) <= 0) snprintf(exe, sizeof exe, "./leap");
        char *sl = strrchr(exe, '/');
        if (sl) *sl = '\0';
        snprintf(sets, sizeof sets, "%s/calibration/best_sets.csv", exe);
        o.sets_file = sets;
    }
    if (o.nsets > 0 && access(o.sets_file, R_OK) != 0) {
        err_set(&e, LEAP_EINPUT, "%s: cannot read the parameter sets (%s); give --sets FILE", o.sets_file, strerror(errno));
        return fail(&e);
    }
    const char *in[] = {o.nsets > 0 ? o.sets_file : NULL};
    if (experiment_paths(argv[optind], outdir, "ensemble", &P, force, &ens_kind, in, 1, scen_abs, exe, out, tmp, &e))
        return fail(&e);
    o.exe = exe; o.scenario = scen_abs; o.outdir = tmp;
    catch_stop_signals();
    o.params = &P;
    rc = experiment_end(ens_run(&o, &e), tmp, out, &e);
    if (!rc) printf("written: %s/national_annual.csv, %s/interval_sources.csv, %s/replicates.csv\n", out, out, out);
    return rc ? fail(&e) : 0;
}

static const char *usage_sweep =
    "Usage: leap sweep SCENARIO --param KEY=LO:HI:N [--param ...] [--seeds K] [--scale F]\n"
    "                  [--out FILE.csv] [--force] [--db FILE | --no-db] [--jobs J] [--quiet]\n"
    "\n"
    "Runs SCENARIO at every point of a grid -- each --param's N evenly spaced\n"
    "values from LO to HI, all combinations -- for seeds 1..K each (common\n"
    "random numbers), and streams one CSV row per run (the point's values, the\n"
    "seed, excess deaths 1958-61, the 1960 death rate, the 1961 birth rate,\n"
    "grain output 1959-61, procurement 1959, the retreat's week) into\n"
    "FILE.partial, renamed to FILE at the end.  Every run is also recorded in the\n"
    "run store, with its series but no output folder: the runs' work folder,\n"
    "FILE.runs, is removed at the end (`leap export RUN_ID` writes a run's files).\n"
    "Memory stays that of one point, whatever the grid's size.  Ctrl-C, or\n"
    "SIGTERM to leap alone, stops the runs in flight too (exit status 1); the\n"
    "rows so far stay in FILE.partial.  A FILE.partial or FILE.runs that exists\n"
    "already is left alone: the sweep adds -1, -2, ... to its new names.\n"
    "\n"
    "Options:\n"
    "  --param KEY=LO:HI:N  a parameter and its grid (repeatable, up to 8, each\n"
    "                       key once; not seed, which --seeds sets; N <= 1000,\n"
    "                       at most 1,000,000 points in all);\n"
    "                       `leap params` lists the keys and plausible ranges\n"
    "  --seeds K            seeds per point (default 1)\n"
    "  --scale F            scale of each run (default 0.002)\n"
    "  --out FILE.csv       default out/sweep-<scenario name>.csv\n"
    "  --force              replace FILE.csv if it exists (never the scenario or\n"
    "                       the run store)\n"
    "  --db FILE, --no-db   the run store (default: $LEAP_DB, else leap.db)\n"
    "  --jobs J             runs at once (default: the number of cores)\n"
    "\n"
    "Example: leap sweep scenarios/history.yaml --param mechanisms.procurement.anti_concealment=0.1:0.6:6 --seeds 2\n";

static int cmd_sweep(int argc, char **argv)
{
    static const struct option opts[] = {
        {"param", required_argument, 0, 'p'}, {"seeds", required_argument, 0, 'k'}, {"scale", required_argument, 0, 's'},
        {"out", required_argument, 0, 'o'}, {"db", required_argument, 0, 'D'}, {"no-db", no_argument, 0, 'N'},
        {"jobs", required_argument, 0, 'j'}, {"quiet", no_argument, 0, 'q'}, {"force", no_argument, 0, 'f'},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    SweepOptions o;
    memset(&o, 0, sizeof o);
    o.seeds = 1; o.scale = 0.002; o.jobs = omp_get_num_procs();
    o.db = getenv("LEAP_DB") && *getenv("LEAP_DB") ? getenv("LEAP_DB") : "leap.db";
    const char *out = NULL;
    bool force = false, db_given = false, no_db = false;
    LeapErr e = {0};
    int c;
    g_cmd = "sweep";
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'p':
            if (o.np == SWEEP_MAX_PARAMS) return bad_usage("at most 8 --param", NULL);
            if (sweep_parse(optarg, o.np + 1, o.p, &o.p[o.np], &e)) return fail(&e);
            o.np++;
            break;
        case 'o': out = optarg; break;
        case 'f': force = true; break;
        case 'D': o.db = optarg; db_given = true; break;
        case 'N': o.db = NULL; no_db = true; break;
        case 'q': o.quiet = 1; break;
        case 's': if (opt_scale(optarg, &o.scale)) return LEAP_EINPUT; break;
        case 'k': if (opt_count("seeds", optarg, 1, 64, &o.seeds)) return LEAP_EINPUT; break;
        case 'j': if (opt_count("jobs", optarg, 1, 64, &o.jobs)) return LEAP_EINPUT; break;
        case 'h': fputs(usage_sweep, stdout); return 0;
        default: return bad_option(argv);
        }
    }
    if (optind != argc - 1) return bad_usage("one scenario is expected, e.g. scenarios/history.yaml", NULL);
    if (opt_db(db_given, no_db, o.db ? o.db : "")) return LEAP_EINPUT;
    if (o.np == 0) return bad_usage("at least one --param KEY=LO:HI:N is required", NULL);
    Params P;
    if (scen_load(&P, argv[optind], &e) || scen_check_rules(&P, argv[optind], NULL, 0, &e) ||
        scen_check_reaches(&P, argv[optind], 1961,
                           "leap sweep's columns cover excess deaths 1958-61, "
                           "grain 1959-61 and the 1961 birth rate", &e) ||
        sweep_check_rules(o.p, o.np, &P, &e))
        return fail(&e);
    char scen_abs[PATH_MAX], exe[PATH_MAX], csv[PATH_MAX], work[PATH_MAX + 32], db_abs[PATH_MAX];
    if (!realpath(argv[optind], scen_abs)) return bad_usage("cannot resolve the scenario's path", argv[optind]);
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) { err_sys(&e, "cannot find the leap executable (/proc/self/exe: %s)", strerror(errno)); return fail(&e); }
    exe[n] = '\0';
    if (out) snprintf(csv, sizeof csv, "%s", out);
    else { mkdir_p("out"); snprintf(csv, sizeof csv, "out/sweep-%s.csv", P.name); }
    const char *in[] = {argv[optind], o.db};
    if (out_check_file(csv, "--out", force, in, 2, &e)) return fail(&e);
    if (out_new_dir(csv, ".runs", work, sizeof work)) {   /* a folder of that name is left alone: the next name */
        err_set(&e, LEAP_EINPUT, "%s.runs: cannot create the runs' work folder (%s)", csv, strerror(errno));
        return fail(&e);
    }
    if (o.db) {   /* the children run elsewhere: give them the store's full path */
        Store *st = NULL;
        if (store_open(&st, o.db, &e)) return fail(&e);
        store_close(st);
        if (!realpath(o.db, db_abs)) return bad_usage("cannot resolve the run store's path", o.db);
        o.db = db_abs;
    }
    o.exe = exe; o.scenario = scen_abs; o.out_csv = csv; o.workdir = work;
    catch_stop_signals();
    int rc = sweep_run(&o, &e);
    if (!rc) printf("written: %s\n", csv);
    return rc ? fail(&e) : 0;
}

static const char *usage_sensitivity =
    "Usage: leap sensitivity SCENARIO [--params FILE] [--trajectories R] [--levels P]\n"
    "                        [--seeds K] [--scale F] [--jobs J] [--out DIR] [--force] [--quiet]\n"
    "\n"
    "Morris elementary-effects screening of the parameters FILE lists (default\n"
    "calibration/params.yaml; its weights, calibrate's, may be left out), each\n"
    "over its range there: which of them move\n"
    "excess deaths 1958-61, the 1960 death rate, grain output 1959-61 and\n"
    "procurement in 1959, and how much.  R trajectories of n + 1 parameter sets\n"
    "on a grid of P levels, each set run for seeds 1..K.  Writes\n"
    "DIR/sensitivity.csv (parameter, range_lo, range_hi, output, mu_star, mu,\n"
    "sigma) and prints the parameters by their effect on excess deaths.\n"
    "\n"
    "Options: --trajectories R (default 6), --levels P (default 4, even),\n"
    "--seeds K (default 1), --scale F (default 0.002), --jobs J (default: the\n"
    "number of cores), --out DIR (default out/sensitivity-<scenario name>),\n"
    "--force (replace DIR if it exists and is not empty: only an earlier output\n"
    "folder of leap sensitivity).  The files are written into a temporary folder\n"
    "beside DIR and renamed into place at the end: an interrupted or failed\n"
    "screening leaves DIR as it was.\n";

static int cmd_sensitivity(int argc, char **argv)
{
    static const struct option opts[] = {
        {"params", required_argument, 0, 'p'}, {"trajectories", required_argument, 0, 'r'},
        {"levels", required_argument, 0, 'l'}, {"seeds", required_argument, 0, 'k'}, {"scale", required_argument, 0, 's'},
        {"jobs", required_argument, 0, 'j'}, {"out", required_argument, 0, 'o'}, {"quiet", no_argument, 0, 'q'},
        {"force", no_argument, 0, 'f'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    SensOptions o;
    memset(&o, 0, sizeof o);
    o.trajectories = 6; o.levels = 4; o.seeds = 1; o.scale = 0.002; o.jobs = omp_get_num_procs();
    o.params_file = "calibration/params.yaml";
    const char *outdir = NULL;
    bool force = false;
    int c;
    g_cmd = "sensitivity";
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        int bad = 0;
        switch (c) {
        case 'p': o.params_file = optarg; break;
        case 'o': outdir = optarg; break;
        case 'f': force = true; break;
        case 'q': o.quiet = 1; break;
        case 's': bad = opt_scale(optarg, &o.scale); break;
        case 'r': bad = opt_count("trajectories", optarg, 1, 64, &o.trajectories); break;
        case 'l':
            bad = opt_count("levels", optarg, 2, 64, &o.levels);
            if (!bad && o.levels % 2) bad = bad_usage("--levels must be even, not", optarg);
            break;
        case 'k': bad = opt_count("seeds", optarg, 1, 64, &o.seeds); break;
        case 'j': bad = opt_count("jobs", optarg, 1, 64, &o.jobs); break;
        case 'h': fputs(usage_sensitivity, stdout); return 0;
        default: return bad_option(argv);
        }
        if (bad) return bad;
    }
    if (optind != argc - 1) return bad_usage("one scenario is expected, e.g. scenarios/history.yaml", NULL);
    LeapErr e = {0};
    Params P;
    if (scen_load(&P, argv[optind], &e) || scen_check_rules(&P, argv[optind], NULL, 0, &e) ||
        scen_check_reaches(&P, argv[optind], 1961,
                           "leap sensitivity's outputs cover excess "
                           "deaths 1958-61 and grain 1959-61", &e))
        return fail(&e);
    CalibSpec *chk = mem_calloc(1, sizeof *chk);
    int rc = calib_read_spec(o.params_file, 0, chk, &e);
    if (!rc) rc = calib_check_rules(chk, &P, &e);
    mem_free(chk, sizeof *chk);
    if (rc) return fail(&e);
    char scen_abs[PATH_MAX], exe[PATH_MAX], out[PATH_MAX], tmp[PATH_MAX + 64];
    const char *in[] = {o.params_file};
    if (experiment_paths(argv[optind], outdir, "sensitivity", &P, force, &sens_kind, in, 1, scen_abs, exe, out, tmp, &e))
        return fail(&e);
    o.exe = exe; o.scenario = scen_abs; o.outdir = tmp;
    catch_stop_signals();
    rc = experiment_end(sens_run(&o, &e), tmp, out, &e);
    if (!rc) printf("written: %s/sensitivity.csv\n", out);
    return rc ? fail(&e) : 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) { fputs(usage_main, stderr); return LEAP_EINPUT; }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        fputs(usage_main, stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("leap %s (git %s)\n", LEAP_VERSION, LEAP_GIT);
        return 0;
    }
    if (!strcmp(argv[1], "run")) return cmd_run(argc - 1, argv + 1);
    if (!strcmp(argv[1], "params")) return cmd_params(argc - 1, argv + 1);
    if (!strcmp(argv[1], "compare")) return cmd_compare(argc - 1, argv + 1);
    if (!strcmp(argv[1], "runs")) return cmd_runs(argc - 1, argv + 1);
    if (!strcmp(argv[1], "export")) return cmd_export(argc - 1, argv + 1);
    if (!strcmp(argv[1], "report")) return cmd_report(argc - 1, argv + 1);
    if (!strcmp(argv[1], "decompose")) return cmd_decompose(argc - 1, argv + 1);
    if (!strcmp(argv[1], "ensemble")) return cmd_ensemble(argc - 1, argv + 1);
    if (!strcmp(argv[1], "sweep")) return cmd_sweep(argc - 1, argv + 1);
    if (!strcmp(argv[1], "sensitivity")) return cmd_sensitivity(argc - 1, argv + 1);
    if (!strcmp(argv[1], "calibrate")) return cmd_calibrate(argc - 1, argv + 1);
    if (!strcmp(argv[1], "outputs")) return cmd_outputs(argc - 1, argv + 1);
    fprintf(stderr, "leap: unknown command '%s'\n\n%s", argv[1], usage_main);
    return LEAP_EINPUT;
}
