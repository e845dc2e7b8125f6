/*
** main.c -- the leap command line.  The only place that turns a LeapErr
** into an exit status: 0 success, 2 bad input, 1 internal error.
*/
#include "cal.h"
#include "mem.h"
#include "out.h"
#include "params.h"
#include "scen.h"
#include "sim.h"
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef LEAP_VERSION
#define LEAP_VERSION "0.0.0"
#endif
#ifndef LEAP_GIT
#define LEAP_GIT "unknown"
#endif

static const char *usage_main =
    "leap " LEAP_VERSION " -- a person-level simulator of China's Great Leap Forward (1958-62)\n"
    "and the famine that followed, calibrated to the historical record.\n"
    "\n"
    "Usage:\n"
    "  leap run SCENARIO [options]   simulate a scenario (try: leap run scenarios/history.yaml)\n"
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
    "Exit status: 0 success, 2 bad input (nothing written), 1 internal error.\n";

static const char *usage_run =
    "Usage: leap run SCENARIO [options]\n"
    "\n"
    "Simulates SCENARIO week by week from 1957-01-01 to its run.end, person by\n"
    "person for a sample of whole households, and writes the results.\n"
    "\n"
    "Options:\n"
    "  --scale F      fraction of households simulated, 0 < F <= 1 (default 0.01:\n"
    "                 ~6.4 million people; 1 = every person).  Outputs are always\n"
    "                 in full-population units.\n"
    "  --seed N       random seed, 0..2147483647 (default: the scenario's `seed`)\n"
    "  --threads N    worker threads (default: all cores).  Results are identical\n"
    "                 for any number of threads.\n"
    "  --out DIR      output folder (default out/<scenario name>)\n"
    "  --force        replace DIR if it exists and is not empty\n"
    "  --set KEY=VAL  override one parameter (repeatable), e.g.\n"
    "                 --set nutrition.hazard_gamma=4 --set run.end=1960-12-31\n"
    "                 `leap params` lists the keys, ranges and sources.\n"
    "  --detail county  also write counties_annual.csv: the provinces' annual\n"
    "                 columns for each of the ~2,000 counties\n"
    "  --quiet        no progress bar and no summary\n"
    "  -h, --help     this text\n"
    "\n"
    "Same binary, scenario, seed and scale give byte-identical CSV files.\n";

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int fail(const LeapErr *e)
{
    fprintf(stderr, "leap: %s\n", e->msg);
    if (e->code == LEAP_EINTERNAL) fprintf(stderr, "leap: this is a bug; please report it with the command line.\n");
    return e->code ? e->code : 1;
}

static int bad_usage(const char *msg, const char *arg)
{
    fprintf(stderr, "leap: %s%s%s\nTry `leap run --help`.\n", msg, arg ? ": " : "", arg ? arg : "");
    return LEAP_EINPUT;
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

static json_t *run_json(const SimState *S, const Params *P, const char *scen_path, double t_setup, double t_run)
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
    json_object_set_new(j, "seed", json_integer(S->seed));
    json_object_set_new(j, "scale", json_real(S->scale));
    json_object_set_new(j, "threads", json_integer(S->threads));
    json_object_set_new(j, "weeks", json_integer(S->nweeks));
    json_object_set_new(j, "data_folder", json_string(S->H->datadir));
    json_object_set_new(tm, "setup_s", json_real(t_setup));
    json_object_set_new(tm, "run_s", json_real(t_run));
    json_object_set_new(j, "timings", tm);
    json_object_set_new(j, "person_weeks", json_integer(S->person_weeks));
    json_object_set_new(j, "person_weeks_per_s", json_real(t_run > 0 ? (double)S->person_weeks / t_run : 0));
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
}

static int cmd_run(int argc, char **argv)
{
    static const struct option opts[] = {
        {"scale", required_argument, 0, 's'}, {"seed", required_argument, 0, 'S'},
        {"threads", required_argument, 0, 't'}, {"out", required_argument, 0, 'o'},
        {"force", no_argument, 0, 'f'}, {"set", required_argument, 0, 'x'},
        {"quiet", no_argument, 0, 'q'}, {"help", no_argument, 0, 'h'},
        {"detail", required_argument, 0, 'd'}, {0, 0, 0, 0}};
    double scale = 0.01;
    long seed = -1, threads = omp_get_num_procs();
    const char *outdir = NULL;
    bool force = false, quiet = false;
    int county = 0;
    const char *sets[256];
    int nsets = 0, c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        char *end;
        switch (c) {
        case 's':
            scale = strtod(optarg, &end);
            if (*end || !(scale > 0 && scale <= 1))
                return bad_usage("--scale must be a number with 0 < F <= 1, not", optarg);
            break;
        case 'S':
            seed = strtol(optarg, &end, 10);
            if (*end || !*optarg || seed < 0 || seed > 2147483647)
                return bad_usage("--seed must be a whole number from 0 to 2147483647, not", optarg);
            break;
        case 't':
            threads = strtol(optarg, &end, 10);
            if (*end || !*optarg || threads < 1 || threads > 1024)
                return bad_usage("--threads must be a whole number from 1 to 1024, not", optarg);
            break;
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
        case 'h': fputs(usage_run, stdout); return 0;
        default:
            return bad_usage(optopt ? "an option needs a value or is unknown" : "unknown option",
                             optopt ? (char[]){'-', (char)optopt, 0} : argv[optind - 1]);
        }
    }
    if (optind >= argc) return bad_usage("which scenario? e.g. leap run scenarios/history.yaml", NULL);
    if (optind + 1 < argc) return bad_usage("one scenario at a time; unexpected", argv[optind + 1]);
    const char *scen = argv[optind];
    LeapErr e = {0};
    Params P;
    if (scen_load(&P, scen, &e)) return fail(&e);
    for (int i = 0; i < nsets; i++)
        if (scen_set(&P, sets[i], i + 1, &e)) return fail(&e);
    if (seed >= 0) P.seed = (int)seed;
    char dir[4096];
    if (outdir) snprintf(dir, sizeof dir, "%s", outdir);
    else snprintf(dir, sizeof dir, "out/%s", P.name);
    if (out_check_target(dir, force, &e)) return fail(&e);
    double t0 = now();
    SimState *S = NULL;
    RunOpts ro = {scale, (uint32_t)P.seed, (int)threads, NULL, county};
    int rc = sim_new(&S, &P, &ro, &e);
    if (rc) { sim_free(S); return fail(&e); }
    double t1 = now();
    bool bar = !quiet && isatty(2);
    for (; S->week < S->nweeks; ) {
        if ((rc = sim_step(S, &e))) break;
        if (bar && (S->week % 4 == 0 || S->week == S->nweeks)) progress(S, t1);
    }
    if (bar) fputc('\n', stderr);
    double t2 = now();
    char tmp[4200];
    if (!rc) rc = out_begin(dir, tmp, sizeof tmp, &e);
    else { sim_free(S); return fail(&e); }
    if (rc) { sim_free(S); return fail(&e); }
    rc = out_write_csv(S, tmp, &e);
    if (!rc) {
        json_t *j = run_json(S, &P, scen, t1 - t0, t2 - t1);
        char path[4300];
        snprintf(path, sizeof path, "%s/run.json", tmp);
        if (json_dump_file(j, path, JSON_INDENT(2) | JSON_SORT_KEYS) != 0)
            rc = err_set(&e, LEAP_EINTERNAL, "%s: cannot write", path);
        json_decref(j);
    }
    if (!rc) rc = out_commit(tmp, dir, &e);
    if (rc) { out_abort(tmp); sim_free(S); return fail(&e); }
    if (!quiet) summary(S, dir);
    sim_free(S);
    return 0;
}

static int cmd_params(int argc, char **argv)
{
    const char *prefix = "";
    int md = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            puts("Usage: leap params [PREFIX] [--markdown]\nLists every scenario parameter (or those whose key starts "
                 "with PREFIX):\nkey, default, allowed range, unit, source and meaning.  --markdown prints the table of\n"
                 "docs/PARAMS.md.");
            return 0;
        }
        if (!strcmp(argv[i], "--markdown")) md = 1;
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
        if (md) printf("| `%s` | %s | %s%s%s | %s | %s | %s |\n", d->key, def, d->type == PT_B ? "true/false" : lo,
                       d->type == PT_B ? "" : " .. ", d->type == PT_B ? "" : hi, d->unit, d->doc, d->source);
        else printf("%s = %s\n    %s\n    allowed: %s\n    source: %s\n", d->key, def, d->doc, allowed, d->source);
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
    if (!strcmp(argv[1], "outputs")) return cmd_outputs(argc - 1, argv + 1);
    fprintf(stderr, "leap: unknown command '%s'\n\n%s", argv[1], usage_main);
    return LEAP_EINPUT;
}
