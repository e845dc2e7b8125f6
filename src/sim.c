/*
** sim.c -- building a run and the weekly schedule.
**
** sim_step() is the table of contents of a week: one call per phase, in the
** order of a commune's week.  The phases before the parallel one touch
** communes and granaries (O(communes)); the parallel phase runs each
** commune's households and persons on one thread; the tallies are then
** reduced in a fixed order (communes within provinces, provinces in file
** order), so every output is identical for any number of threads.
*/
#include "sim.h"
#include "agriculture.h"
#include "agronomy.h"
#include "dining.h"
#include "furnaces.h"
#include "incentives.h"
#include "labour.h"
#include "politics.h"
#include "reporting.h"
#include "targets.h"
#include "cal.h"
#include "food.h"
#include "ledger.h"
#include "mem.h"
#include "migration.h"
#include "nutrition.h"
#include "out.h"
#include "popgen.h"
#include "procurement.h"
#include "weather.h"
#include <assert.h>
#include <math.h>
#include "simd.h"
#include <omp.h>
#include <stdio.h>
#include <string.h>

/* ---- tallies ---------------------------------------------------------------- */

void tally_add(Tally *d, const Tally *s)
{
    d->py += s->py; d->py_urban += s->py_urban;
    d->births += s->births; d->deaths += s->deaths; d->deaths_urban += s->deaths_urban;
    d->reg_births += s->reg_births; d->reg_deaths += s->reg_deaths; d->reg_deaths_urban += s->reg_deaths_urban;
    for (int g = 0; g < NAG; g++) d->deaths_age[g] += s->deaths_age[g];
    d->exp_deaths += s->exp_deaths; d->exp_deaths_urban += s->exp_deaths_urban;
    d->exp_births += s->exp_births;
    d->migrants += s->migrants; d->returned += s->returned; d->fled += s->fled;
    d->claimed += s->claimed; d->rotted += s->rotted;
    d->labour_farm += s->labour_farm; d->labour_water += s->labour_water; d->labour_furnace += s->labour_furnace;
    d->iron_native += s->iron_native;
    d->forest = s->forest; d->forest0 = s->forest0; d->dining = s->dining; d->households = s->households;
    d->area = s->area;
    d->steel_claimed += s->steel_claimed; d->steel_usable += s->steel_usable; d->quota += s->quota;
    d->weeks += s->weeks; d->settled += s->settled;
    d->climate = s->climate; d->perceived = s->perceived; d->urban_days = s->urban_days; d->retreat = s->retreat;
    d->reserve_rural += s->reserve_rural; d->reserve_urban += s->reserve_urban;
    d->n_rural += s->n_rural; d->n_urban += s->n_urban;
    d->kcal_rural += s->kcal_rural; d->need_rural += s->need_rural;
    d->harvest += s->harvest; d->sfl += s->sfl; d->procured += s->procured; d->purchased += s->purchased; d->resold += s->resold;
    d->distributed += s->distributed; d->eaten_rural += s->eaten_rural; d->eaten_urban += s->eaten_urban;
    d->exported += s->exported; d->imported += s->imported; d->state_use += s->state_use; d->rations += s->rations;
    /* stocks at the end of the span: the latest */
    d->pop_end = s->pop_end; d->urban_end = s->urban_end;
    d->hh_stock = s->hh_stock; d->granary = s->granary; d->state_stock = s->state_stock;
    d->weather = s->weather;
}

/* Sum the communes' tallies into provinces and the nation (fixed order),
   clearing each for next week as it is read (unless S->keep_tallies: then
   sim_step clears them before the next week); note the most slots of any
   commune for next week's scratch (births add slots; households are fixed)
   and whether any commune's birth pool lacks room for a child due. */
static void tally_week(SimState *S)
{
    Tally nat = {0};
    int64_t pop = 0, urb = 0, hs = 0, gr = 0;
    double nf = 0, nf0 = 0, nd = 0, nhh = 0, na = 0;
    /* provinces in parallel: each sums its own communes and counties in order */
    #pragma omp parallel for num_threads(S->threads) schedule(dynamic, 1)
    for (int p = 0; p < S->nprov; p++) {
        Province *v = &S->prov[p];
        Tally w = {0}, cw = {0};
        int64_t vp = 0, vu = 0, vh = 0, vg = 0, vslots = 1;
        int vshort = 0;
        double vf = 0, vf0 = 0, vd = 0, vhh = 0, va = 0;
        for (int i = v->c0; i < v->c0 + v->nc; i++) {
            Tally *t = &S->acc[i];
            const Commune *c = &S->comm[i];
            if (c->nfound + c->pool_used > vslots) vslots = c->nfound + c->pool_used;
            vshort |= c->pool_cap - c->pool_used < (uint32_t)c->pregnant;
            t->hh_stock = c->hh_stock;
            t->granary = c->granary + c->away_bucket + c->sale_bucket + c->resale_bucket + c->hall_stock;
            t->forest = c->forest;
            t->forest0 = c->forest0;
            t->households = c->urban ? 0 : c->nhh;
            t->area = c->urban ? 0 : c->area * c->nhh;
            vp += t->pop_end; vu += t->urban_end; vh += t->hh_stock; vg += t->granary;
            vf += t->forest; vf0 += t->forest0; vd += t->dining; vhh += t->households; va += t->area;
            tally_add(&w, t);
            if (S->county_detail) {   /* communes of a county are contiguous */
                County *K = &S->cty[c->county];
                if (i == K->c0) memset(&cw, 0, sizeof cw);
                Tally stocks = cw;
                tally_add(&cw, t);
                cw.pop_end = stocks.pop_end + t->pop_end; cw.urban_end = stocks.urban_end + t->urban_end;
                cw.hh_stock = stocks.hh_stock + t->hh_stock; cw.granary = stocks.granary + t->granary;
                cw.forest = stocks.forest + t->forest; cw.forest0 = stocks.forest0 + t->forest0;
                cw.dining = stocks.dining + t->dining; cw.households = stocks.households + t->households;
                cw.area = stocks.area + t->area;
                if (i == K->c0 + K->nc - 1) {
                    cw.weeks = 1;
                    cw.weather = v->weather;
                    if (cal_first_week_of_year(S->year) == S->week) memset(&K->year, 0, sizeof K->year);
                    tally_add(&K->year, &cw);
                }
            }
            if (!S->keep_tallies) memset(t, 0, sizeof *t);
        }
        v->max_slots = vslots;
        v->pools_short = vshort;
        w.pop_end = vp; w.urban_end = vu; w.hh_stock = vh; w.granary = vg;
        w.forest = vf; w.forest0 = vf0; w.dining = vd; w.households = vhh; w.area = va;
        w.weeks = 1;
        w.weather = v->weather;
        /* local mortality against baseline, ~13-week memory (registration) */
        v->dsm = v->dsm * (12.0 / 13.0) + (double)w.deaths;
        v->esm = v->esm * (12.0 / 13.0) + w.exp_deaths;
        v->death_ratio = v->esm > 0 ? v->dsm / v->esm : 1;
        v->week = w;
        if (cal_first_week_of_year(S->year) == S->week) memset(&v->year, 0, sizeof v->year);
        tally_add(&v->year, &w);
    }
    S->max_slots = 1;
    S->pools_short = 0;
    for (int p = 0; p < S->nprov; p++) {   /* the nation: provinces in order */
        const Tally *w = &S->prov[p].week;
        if (S->prov[p].max_slots > S->max_slots) S->max_slots = S->prov[p].max_slots;
        S->pools_short |= S->prov[p].pools_short;
        tally_add(&nat, w);
        pop += w->pop_end; urb += w->urban_end; hs += w->hh_stock; gr += w->granary;
        nf += w->forest; nf0 += w->forest0; nd += w->dining; nhh += w->households; na += w->area;
    }
    Tally *st = &S->acc[S->ncomm];   /* the state's and the Centre's */
    st->climate = S->centre.P;
    st->perceived = S->centre.perceived;
    st->urban_days = S->centre.urban_days < 1e9 ? S->centre.urban_days : NAN;   /* no outlays yet: empty */
    st->retreat = pol_retreat(S, NULL);
    tally_add(&nat, st);
    if (!S->keep_tallies) memset(st, 0, sizeof *st);
    nat.weeks = 1;
    nat.pop_end = pop; nat.urban_end = urb; nat.hh_stock = hs; nat.granary = gr;
    nat.forest = nf; nat.forest0 = nf0; nat.dining = nd; nat.households = nhh; nat.area = na;
    nat.state_stock = S->state_granary;
    S->nat_week = nat;
    if (cal_first_week_of_year(S->year) == S->week) memset(&S->nat_year, 0, sizeof S->nat_year);
    tally_add(&S->nat_year, &nat);
    int64_t pw = (int64_t)llround(nat.py * S->weeks_per_year);
    S->person_weeks += pw;
    int y = S->year - 1957;
    if (y >= 0 && y < NYEARS) { S->pw_year[y] += pw; S->settled[y] += nat.settled; }
}

/* ---- birth pools ------------------------------------------------------------- */

/* Move the used entries [from, from + used) of a column of w-byte entries
   to [to, ...), zeroing the rest of [to, to + len). */
static void shift(void *col, size_t w, int64_t from, int64_t to, size_t used, size_t len)
{
    char *b = col;
    memmove(b + (size_t)to * w, b + (size_t)from * w, used * w);
    memset(b + ((size_t)to + used) * w, 0, (len - used) * w);
}

/* Enlarge the birth pools so every commune can take a child from each
   woman now pregnant.  Moves communes right, last first (offsets only
   grow), so no second copy of the table is needed.  Stable ids do not
   depend on slots, so results are unchanged.  Whether any commune is short
   tally_week noted last week (pregnancies and pools change only in the
   communes' week); set-up and a restored checkpoint say "perhaps". */
static void ensure_pools(SimState *S)
{
    if (!S->pools_short) return;
    S->pools_short = 0;
    int short_of = 0;
    for (int i = 0; i < S->ncomm && !short_of; i++)
        short_of = S->comm[i].pool_cap - S->comm[i].pool_used < (uint32_t)S->comm[i].pregnant;
    if (!short_of) return;
    double years_left = (S->nweeks - S->week) / S->weeks_per_year;
    int64_t *cap = mem_calloc((size_t)S->ncomm, sizeof *cap);
    int64_t slots = 0, links = 0;
    for (int i = 0; i < S->ncomm; i++) {
        Commune *c = &S->comm[i];
        int64_t want = c->pool_used + c->pregnant +
                       (int64_t)ceil((double)c->nfound * S->D->cbr * years_left * S->P->pool_margin) + 8;
        cap[i] = want > c->pool_cap ? want : c->pool_cap;
        slots += c->nfound + cap[i];
        links += cap[i];
    }
    pop_table_grow(&S->pp, (size_t)slots);
    S->link = mem_realloc(S->link, S->nlink * sizeof *S->link, (size_t)links * sizeof *S->link);
    /* the new places, last commune first */
    int64_t *to = mem_calloc(2 * (size_t)S->ncomm, sizeof *to), *lto = to + S->ncomm;
    int64_t s_end = slots, l_end = links;
    for (int i = S->ncomm - 1; i >= 0; i--) {
        s_end = to[i] = s_end - cap[i] - S->comm[i].nfound;
        l_end = lto[i] = l_end - cap[i];
    }
    /* each column on a thread of its own (the widest first), its communes
       moved last first, so none overwrites one not yet moved */
    PersonTable *T = &S->pp;
    struct { void *col; size_t w; } cols[5] = {
        {T->thr_d, sizeof *T->thr_d}, {T->thr_f, sizeof *T->thr_f}, {T->bws, sizeof *T->bws},
        {T->res, sizeof *T->res}, {S->link, sizeof *S->link}};
    #pragma omp parallel for num_threads(S->threads) schedule(dynamic, 1)
    for (int k = 0; k < 5; k++)
        for (int i = S->ncomm - 1; i >= 0; i--) {
            const Commune *c = &S->comm[i];
            if (k < 4) shift(cols[k].col, cols[k].w, c->first, to[i], (size_t)(c->nfound + c->pool_used),
                             (size_t)(c->nfound + cap[i]));
            else shift(cols[k].col, cols[k].w, c->link0, lto[i], c->pool_used, c->pool_used);
        }
    for (int i = 0; i < S->ncomm; i++) {
        Commune *c = &S->comm[i];
        c->first = to[i];
        c->pool_start = to[i] + c->nfound;
        c->pool_cap = (uint32_t)cap[i];
        c->link0 = lto[i];
    }
    mem_free(to, 2 * (size_t)S->ncomm * sizeof *to);
    S->pp.n = (size_t)slots;
    S->nlink = (size_t)links;
    S->relayouts++;
    mem_free(cap, (size_t)S->ncomm * sizeof *cap);
}

/* ---- setup --------------------------------------------------------------------- */

/* Baseline hazard scales: province p's registered 1957 death rate is its
   1956-57 mean, rescaled so the provinces average the national 1957 rate;
   its true rate divides by the registration completeness of the stable
   population; urban hazards are demography.urban_mortality_ratio x rural. */
static void hazard_scales(SimState *S)
{
    const HistData *H = S->H;
    double wsum = 0, rsum = 0;
    for (int p = 0; p < S->nprov; p++) {
        wsum += H->prov[p].pop_1957;
        rsum += H->prov[p].pop_1957 * (H->prov[p].death_1956 + H->prov[p].death_1957) / 2;
    }
    double k = H->death_rate[1957 - DATA_FIRST_YEAR] / (rsum / wsum);
    double *br = mem_calloc((size_t)S->nprov, sizeof *br), *bu = mem_calloc((size_t)S->nprov, sizeof *bu);
    double *n = mem_calloc((size_t)S->nprov, sizeof *n);
    for (int i = 0; i < S->ncomm; i++) {
        const Commune *c = &S->comm[i];
        double b = 0;
        for (int64_t s = c->first; s < c->first + c->nfound; s++) {
            uint16_t x = S->pp.bws[s];
            b += S->D->row[(x >> 13) & 1][demog_ix(S->D, BW_OFFSET - (int)(x & BWS_WEEK))].h0;
        }
        (c->urban ? bu : br)[c->province] += b * S->weeks_per_year;
        n[c->province] += (double)c->nfound;
    }
    for (int p = 0; p < S->nprov; p++) {
        Province *v = &S->prov[p];
        v->reg_target = k * (H->prov[p].death_1956 + H->prov[p].death_1957) / 2;
        double true_rate = v->reg_target / 1000 / S->D->reg_completeness;
        double denom = br[p] + S->P->urban_mort * bu[p];
        v->hz_rural = denom > 0 ? true_rate * n[p] / denom : 1;
        v->hz_urban = S->P->urban_mort * v->hz_rural;
        v->death_ratio = 1;
        v->tab[0] = mem_calloc(2, sizeof(AgeTab));   /* one block: the vector kernel reaches the city's by an offset */
        v->tab[1] = v->tab[0] + 1;
        for (int u = 0; u < 2; u++) {
            demog_scale(S->D, v->tab[u], u ? S->P->need_scale_urban : S->P->need_scale_rural,
                        u ? v->hz_urban : v->hz_rural);
        }
    }
    mem_free(br, (size_t)S->nprov * sizeof *br);
    mem_free(bu, (size_t)S->nprov * sizeof *bu);
    mem_free(n, (size_t)S->nprov * sizeof *n);
}

/* The most households and slots (founding and pool) of any commune, for
   the threads' scratch: households are fixed; tally_week keeps the slots. */
static void scratch_sizes(SimState *S)
{
    S->max_hh = 1;
    S->max_slots = 1;
    for (int i = 0; i < S->ncomm; i++) {
        const Commune *c = &S->comm[i];
        if (c->nhh > S->max_hh) S->max_hh = c->nhh;
        if (c->nfound + c->pool_used > S->max_slots) S->max_slots = c->nfound + c->pool_used;
    }
}

static void calendar(SimState *S)
{
    int y = cal_year_of_week(S->week);
    if (y != S->year || S->week == 0) wea_year(S, y);
    S->year = y;
    S->harvest_frac = agri_share(S->P, S->week, &S->weeks_to_harvest, &S->harvest_rest, &S->year_rest);
    S->launched = pol_launched(S);
}

int sim_new(SimState **out, const Params *P, const RunOpts *o, LeapErr *e)
{
    SimState *S = mem_calloc(1, sizeof *S);
    *out = S;
    S->P = P;
    S->scale = o->scale;
    S->seed = o->seed;
    S->threads = o->threads > 0 ? o->threads : 1;
    S->simd = simd_available();
    if (o->kernel && o->kernel - 1 < S->simd) S->simd = o->kernel - 1;   /* main refuses a kernel the processor lacks */
    S->county_detail = o->county_detail;
    S->weeks_per_year = 365.25 / 7;
    S->H = mem_calloc(1, sizeof *S->H);
    S->D = mem_calloc(1, sizeof *S->D);
    char dir[4096];
    int rc;
    if (o->datadir) snprintf(dir, sizeof dir, "%s", o->datadir);
    else if ((rc = data_dir(dir, sizeof dir, e))) return rc;
    if ((rc = data_load(S->H, dir, e))) return rc;
    if ((rc = demog_init(S->D, P, e))) return rc;
    S->nweeks = cal_weeks_until(cal_days_of(P->end_date));
    S->year = cal_year_of_week(0);
    wea_year(S, S->year);
    if ((rc = popgen_build(S, e))) return rc;
    hazard_scales(S);
    for (int i = 0; i < S->ncomm; i++) {
        Commune *c = &S->comm[i];
        c->area = c->effort = c->overwork = c->farm_share = c->reserve_mean = c->irrigation = c->capital = 1;
        c->nongrain = (float)(c->urban ? P->urban_nongrain : P->nongrain_share);
    }
    pol_init(S);
    furn_init(S);
    S->state_granary = (int64_t)llround(P->state_stock_mt * GU_PER_MT * S->scale);
    S->acc = mem_calloc((size_t)S->ncomm + 1, sizeof *S->acc);
    S->scratch_d = mem_calloc((size_t)S->ncomm + 1, sizeof *S->scratch_d);
    S->scratch_i = mem_calloc(2 * ((size_t)S->ncomm + 1), sizeof *S->scratch_i);
    /* needs before the first week (then nutrition.c counts them as it goes) */
    for (int i = 0; i < S->ncomm; i++) food_count_needs(S, i);
    int64_t pop = 0, urb = 0;
    for (int i = 0; i < S->ncomm; i++) {
        const Commune *c = &S->comm[i];
        for (int64_t s = c->first; s < c->first + c->nfound; s++) pop += (S->pp.bws[s] & BWS_ALIVE) != 0;
        if (c->urban) urb += c->nfound;
    }
    S->nat_week.pop_end = pop;
    S->nat_week.urban_end = urb;
    S->urban_share0 = pop > 0 ? (double)urb / (double)pop : 0;
    S->ledger_holdings = ledg_holdings(S);
    scratch_sizes(S);
    S->pools_short = 1;
    return out_new(S, e);
}

void sim_free(SimState *S)
{
    if (!S) return;
    out_free(S);
    pop_table_free(&S->pp);
    hh_table_free(&S->hh);
    mem_free(S->link, (S->nlink ? S->nlink : 1) * sizeof *S->link);
    mem_free(S->comm, (size_t)S->ncomm * sizeof *S->comm);
    mem_free(S->cty, (size_t)(S->P->counties + 2 * S->nprov + 8) * sizeof *S->cty);
    for (int p = 0; p < S->nprov; p++)
        mem_free(S->prov[p].tab[0], 2 * sizeof(AgeTab));
    mem_free(S->prov, (size_t)S->nprov * sizeof *S->prov);
    mem_free(S->acc, ((size_t)S->ncomm + 1) * sizeof *S->acc);
    mem_free(S->scratch_d, ((size_t)S->ncomm + 1) * sizeof *S->scratch_d);
    mem_free(S->scratch_i, 2 * ((size_t)S->ncomm + 1) * sizeof *S->scratch_i);
    mem_free(S->H, sizeof *S->H);
    mem_free(S->D, sizeof *S->D);
    mem_free(S, sizeof *S);
}

/* ---- the week ------------------------------------------------------------------ */

/* A commune's record and tally were last touched a week ago: ask for all
   their lines at once, rather than miss on one after another as the week
   goes. */
static void warm(const SimState *S, int c)
{
    for (size_t b = 0; b < sizeof(Commune); b += 64) __builtin_prefetch((const char *)&S->comm[c] + b, 1);
    for (size_t b = 0; b < sizeof(Tally); b += 64) __builtin_prefetch((const char *)&S->acc[c] + b, 1);
}

/* One commune's households and people: runs on one thread. */
static void commune_week(SimState *S, int c, Scratch *W)
{
    warm(S, c);               /* its record and tally, in cache */
    furn_households(S, c);    /* woks melted in the campaign's first week here */
    dine_households(S, c);    /* households join or leave the hall */
    food_commune(S, c, W);    /* granary to households; surplus sold; resales; meals */
    nutr_commune(S, c, W);    /* reserves, deaths, conceptions, births; next week's needs */
    mig_commune(S, c);        /* who moves to a city */
    food_after_week(S, c);    /* the commune's grain needs for the state's allocations */
}

/* The most households and slots of any commune (tally_week noted them
   last week); the communes' tallies cleared if a test kept them after the
   week (else tally_week cleared each as it read it). */
static void week_start(SimState *S, int *maxhh, int64_t *maxslots)
{
    if (S->keep_tallies) memset(S->acc, 0, ((size_t)S->ncomm + 1) * sizeof *S->acc);
    *maxhh = S->max_hh;
    *maxslots = S->max_slots;
}

const char *sim_step_name(const SimState *S, int k)
{
    return k >= 0 && k < SIM_NSTEPS && S->step_name[k] ? S->step_name[k] : "?";
}

/* Run step f of the week (f(S)), the k-th, adding its wall time to
   S->t_step[k] and noting its name (run.json's timings.steps_s). */
#define STEP(f) do { double t_ = omp_get_wtime(); f(S); S->step_name[k] = #f; S->t_step[k++] += omp_get_wtime() - t_; } while (0)

int sim_step(SimState *S, LeapErr *e)
{
    double t0 = omp_get_wtime();
    int64_t prev_pop = S->nat_week.pop_end;
    int maxhh;
    int64_t maxslots;
    week_start(S, &maxhh, &maxslots);   /* the largest commune, for scratch; tallies kept by tests cleared */
    int k = 0;                /* the steps, each timed (STEP, above): */
    STEP(calendar);           /* year, weather, harvest share, weeks to harvest */
    STEP(pol_step);           /* dated decisions; the climate; news of deaths; the Centre's rules */
    STEP(tgt_step);           /* national targets; the ledgers down to the communes */
    STEP(agro_step);          /* close planting, deep ploughing; the sown area */
    STEP(furn_step);          /* furnace labour, native iron and its fuel; modern steel */
    STEP(inc_step);           /* effort and private plots */
    STEP(lab_step);           /* labour by use; growing-season means; overwork */
    STEP(agri_step);          /* potential output; the harvest gathered, labour permitting */
    STEP(rep_step);           /* harvest reports climb to the Centre */
    STEP(proc_step);          /* procurement; the state pays rations, exports, uses, resales */
    STEP(dine_step);          /* halls open, eat freely or ration, collapse, reopen, close */
    STEP(ensure_pools);       /* room for every child due */
    assert(k == SIM_NSTEPS);  /* SIM_NSTEPS counts the STEP lines */
    double t1 = omp_get_wtime();
    #pragma omp parallel num_threads(S->threads)
    {
        Scratch W;
        scratch_init(&W, maxhh, maxslots);
        #pragma omp for schedule(dynamic, 64)
        for (int c = 0; c < S->ncomm; c++) commune_week(S, c, &W);   /* every commune, in parallel: */
        scratch_free(&W);
    }
    double t2 = omp_get_wtime();
    tally_week(S);            /* communes -> provinces -> nation, fixed order */
    int rc = ledg_check(S, prev_pop, e);   /* grain and people conserved */
    if (rc) return rc;
    out_week(S);              /* the week's row; the year's rows at its end */
    S->week++;
    double t3 = omp_get_wtime();
    S->t_state += t1 - t0;
    S->t_communes += t2 - t1;
    S->t_tally += t3 - t2;
    return LEAP_OK;
}
