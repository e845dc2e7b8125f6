/*
** sim.h -- the one state object of a run, and the weekly schedule.
**
** SimState owns everything that changes during a run: the person and
** household tables, communes, counties and provinces, the state granary,
** the tallies and the output buffers.  Params (the scenario) and the
** historical data are read-only after sim_new().  Every mechanism is a
** function of (SimState *S) that reads S->P; there are no mutable globals.
**
** Units: people are counted in the sample (a fraction S->scale of China);
** grain in GU = 10 g of unhusked grain, in the sample.  Outputs divide by
** the scale, so files are always in full-population units.
*/
#ifndef LEAP_SIM_H
#define LEAP_SIM_H

#include <stdint.h>
#include "data.h"
#include "demog.h"
#include "err.h"
#include "params.h"
#include "pop.h"

#define GU_PER_KG 100.0           /* grain units per kg */
#define GU_PER_MT 1e11            /* grain units per million tonnes */
#define NEWS_RING 128             /* weeks of death news in transit to the Centre, > the longest delay */
#define NYEARS 12                 /* years 1957-1968 kept in per-year arrays */

/* Sums over a set of persons and a span of weeks, in sample units.  A
   commune's tally is written by the one thread that runs the commune and
   reduced in a fixed order (sim.c), so sums are identical for any number
   of threads. */
typedef struct Tally {
    /* people */
    int64_t pop_end, urban_end;       /* alive at the end of the span; urban = city units + away */
    double py, py_urban;              /* person-years lived (population at the start of each week x 7/365.25) */
    int64_t births, deaths, deaths_urban;
    int64_t reg_births, reg_deaths, reg_deaths_urban;
    int64_t deaths_age[NAG];          /* true deaths by age group */
    double exp_deaths;                /* deaths expected at baseline hazards (1957 nutrition) */
    double exp_deaths_urban;
    double exp_births;                /* births expected of the women alive at the scenario's fertility
                                         schedule (AgeRow.ebq): less the births, the births lost */
    int64_t migrants;                 /* rural -> urban moves (trend, recruitment and flight) */
    int64_t returned;                 /* city -> village moves (sent back) */
    int64_t fled;                     /* of the migrants, starving people who fled */
    double reserve_rural, reserve_urban;  /* sums of reserve/RES_ONE over persons alive (for means) */
    double n_rural, n_urban;          /* persons in those sums */
    double kcal_rural, need_rural;    /* intake and need, kcal/day, summed over rural persons */
    /* grain, GU */
    int64_t harvest, sfl, procured, resold, distributed;
    int64_t purchased;                /* of procured, surplus bought from households (not compulsory) */
    int64_t eaten_rural, eaten_urban; /* eaten_urban includes members away in cities */
    int64_t exported, imported, state_use, rations;
    int64_t hh_stock, granary;        /* held at the end: households; commune granaries and city buckets */
    int64_t state_stock;              /* state granary at the end (national tally only) */
    double weather;                   /* yield multiplier of the span's last week (provinces) */
    /* the Leap */
    int64_t claimed;                  /* harvest as reported up to the Centre, GU */
    int64_t rotted;                   /* ripe grain lost in the fields for want of hands, GU */
    double labour_farm, labour_water, labour_furnace;  /* labourer-weeks by use */
    double iron_native;               /* native iron and steel, tonnes (sample) */
    double forest;                    /* wood left, tonnes (end of span) */
    double forest0;                   /* wood in 1957, tonnes */
    double dining;                    /* households in halls (end of span) */
    double households;                /* households (end of span) */
    double area;                      /* sown-area index x households, summed (end of span) */
    double steel_claimed, steel_usable;   /* steel made in the span, Mt (full scale; national) */
    double climate, perceived, urban_days;  /* the Centre at the end of the span (national) */
    int retreat;                      /* the Centre is in retreat at the end of the span (national) */
    double quota;                     /* procurement quotas set in the span, GU */
    double weeks;                     /* weeks in the span */
    int64_t settled;                  /* person-weeks settled (SimState.settled) */
} Tally;

/* The Centre: what it believes, decides and perceives (politics.c). */
typedef struct Centre {
    double P;                 /* political climate, 0 calm .. 1 radical */
    double P_push;            /* the level the last dated decision pushed it to */
    int push_week;            /* when */
    double push_half;         /* its half-life, weeks */
    int retreat_week;         /* week the retreat rule fired; -1 before */
    int imports_week;         /* week the Centre decided to import; -1 before */
    int lushan_done;          /* Lushan's decision has been taken */
    double retreat_perceived; /* perceived mortality when the retreat fired */
    double retreat_days;      /* days of supply when it fired */
    double news_deaths[NEWS_RING], news_base[NEWS_RING];   /* reported deaths and baseline, by week sent */
    double perceived;         /* deaths / baseline as perceived now (delayed, filtered, ~13-week mean) */
    double urban_days;        /* state granary / urban rations a day */
    double belief[NYEARS];    /* the Centre's belief about each year's output, GU (sample) */
    double claimed_ytd;       /* reports received this year, GU */
    double grain_target[NYEARS], steel_target[NYEARS];   /* national targets, Mt */
    double steel_modern;      /* modern steel output rate, Mt a year (full scale) */
    double steel_claimed[NYEARS], steel_usable[NYEARS];   /* by year, Mt (full scale) */
    double exports_mt;        /* planned exports this year, Mt */
    int quota_year;           /* the grain year quotas were last set for */
} Centre;

typedef struct Commune {
    uint32_t id;            /* stable id (index in the full-scale structure; merged units keep the first) */
    int32_t province, county;
    uint8_t urban;          /* 1: a city work unit on state rations */
    int32_t nhh;            /* households in the sample */
    int64_t hh0;            /* its first household in S->hh */
    int64_t first;          /* first slot */
    int64_t nfound;         /* founding members' slots */
    int64_t pool_start;     /* first newborn slot (= first + nfound) */
    uint32_t pool_cap, pool_used;   /* newborn slots reserved and used */
    int64_t link0;          /* its first entry in S->link */
    double quality;         /* land quality (yield multiplier), mean 1 within a province */
    double output0;         /* potential output at 1957 weather and policy, GU/year */
    int64_t granary;        /* GU held by the commune (rural) or its ration bucket (urban) */
    int64_t away_bucket;    /* GU: state rations for members living in cities */
    int64_t hh_stock;       /* GU held by its households at the end of last week */
    int64_t sale_bucket;    /* GU households sold as surplus this week; the state collects it next week */
    int64_t resale_bucket;  /* GU the state resold to the commune, for its deficit households */
    float deficit_gu;       /* GU its deficit households lack to reach the resale floor (last week) */
    int32_t pregnant;       /* women pregnant at the end of last week */
    float need_gu;          /* grain need of members at home, GU/week, last week */
    int64_t need_sum;       /* sums over its households of need (kcal/day), of the need of those */
    int64_t hall_need_sum;  /*   in the hall, and of labourers, as nutrition.c last counted them */
    int64_t lab_sum;        /*   (hh.need, hh.labour): food.c needs no pass over households to add them */
    float away_need;        /* energy need of members away in cities, kcal/day, counted last week */
    float away_need_gu;     /* their grain need, GU/week */
    double mig_due;         /* migrants owed (fractional, carried) */
    /* the Leap */
    double potential;       /* this year's potential output (weather, land, labour, effort), GU/year */
    double target;          /* this year's grain target as passed down to the commune, GU */
    double quota;           /* this grain year's procurement quota, GU */
    double quota_left;      /* of it, still to collect, GU */
    double harvest_year;    /* true harvest gathered this calendar year, GU */
    double taken_year;      /* compulsory procurement ordered this calendar year (quotas, levies), GU */
    int64_t bought;         /* of the sale bucket, grain households sold of their own accord, GU */
    double expected;        /* expected output the quota was set on, GU */
    double report;          /* this year's harvest as reported, GU */
    double report_last;     /* last year's report, GU */
    double log_m;           /* log(report/true) of its last harvest */
    int64_t field;          /* ripe grain waiting in the fields, GU */
    double expect_rest;     /* net grain households can still expect from this harvest window, GU */
    double season_labour, season_effort, season_reserve, season_weeks;  /* growing-season sums */
    float farm_share, water_share, furnace_share, plough_share;  /* this week's labour by use (shares of labourers) */
    float adopt;            /* close planting and deep ploughing, 0..1 (now) */
    float adopt_sown;       /* the same when this year's crop was sown */
    float reserve_mean;     /* mean reserve of its members at home last week (1 = healthy) */
    float nongrain;         /* share of calories from non-grain food now */
    float overwork;         /* energy-need multiplier of its campaign labour */
    int32_t labourers;      /* members at home aged 16-59, last week */
    int32_t persons;        /* members at home, last week */
    int32_t away;           /* members living in cities, last week */
    int32_t starving;       /* members at home with reserves below 0.6, last week */
    int8_t hall_closed;     /* its hall dissolved for want of grain */
    float dining_applied;   /* the hall share households were last sorted for */
    int64_t levy;           /* grain procurement still takes from households and hall, GU */
    float area;             /* sown-area index this year (1957 = 1) */
    float tools;            /* farm tool stock (1957 = 1) */
    float irrigation;       /* yield gain from water works done (1957 = 1) */
    float capital;          /* farm capital: draft animals, pigs, manure (1957 = 1) */
    float effort;           /* work effort (1 = 1957) */
    float dining;           /* share of households in the hall (target) */
    int8_t hall_free;       /* the hall eats freely */
    int8_t woks_taken;      /* the furnace campaign melted woks here */
    double forest;          /* wood within reach, tonnes */
    double forest0;         /* in 1957 */
    double iron;            /* native iron this year, tonnes */
    int64_t hall_stock;     /* grain of the dining hall, GU */
    float hall_need_gu;     /* full grain need of the hall's members a week, GU (last week) */
    int8_t cadres_named;    /* cadre and cook households have been named */
    double recruit_due, back_due, flight_due;  /* movers owed (fractional, carried) */
} Commune;

typedef struct County {
    int32_t province;
    int32_t c0, nc;         /* its communes */
    uint8_t urban;          /* the province's city sector */
    double quality;         /* land quality (yield multiplier) */
    double peer_log_m;      /* mean log(report/true) of its communes' last harvest */
    Tally year;             /* this year's sums (for --detail county) */
} County;

typedef struct Province {
    char name[32];
    double pop0, urban0;    /* persons at the start, full scale */
    double grain0;          /* 1957 output, GU/year at full scale (scaled to the national total) */
    double hz_rural, hz_urban;  /* multipliers on the Siler hazard */
    AgeTab *tab[2];         /* owned, one block (tab[1] == tab[0] + 1): [urban] age tables with this province's hazard and the need scale */
    double reg_target;      /* registered CDR the hazards are set to (per mille) */
    double weather_sd;      /* sd of the log yield shock */
    double weather;         /* this year's yield multiplier */
    int32_t k0, nk;         /* its counties */
    int32_t c0, nc;         /* its communes (rural, then urban units) */
    Tally week, year;       /* this week's and this year's sums */
    double radical;         /* leader's radicalism: multiplier on the climate (pre-1958 information only) */
    double P;               /* local climate: min(1.5, Centre's P x radical) */
    double dsm, esm;        /* deaths and baseline deaths, smoothed over ~13 weeks */
    double death_ratio;     /* dsm / esm: local mortality against baseline (registration) */
    int64_t max_slots;      /* the most founding and pool slots of its communes (tally_week) */
    int pools_short;        /* one of its communes has fewer free pool slots than women pregnant (tally_week) */
} Province;

/* The steps of the state and the mechanisms before the communes' week (sim.c). */
#define SIM_NSTEPS 12

typedef struct SimState {
    const Params *P;        /* borrowed, read-only */
    Demog *D;               /* owned, read-only after sim_new */
    HistData *H;            /* owned, read-only after sim_new */
    double scale;           /* fraction of households simulated */
    uint32_t seed;
    int threads;
    int simd;               /* the vectorised kernels that run: SIMD_PLAIN, SIMD_AVX2 or SIMD_AVX512 (simd.h) */
    /* calendar */
    int week, nweeks;       /* current week (0 = week of 1957-01-01); weeks in the run */
    int year;               /* the current week's year */
    double harvest_frac;    /* share of the year's output harvested this week */
    double harvest_rest;    /* shares of the current harvest window's weeks still to come */
    double year_rest;       /* shares of this week and the year's harvest weeks still to come */
    int weeks_to_harvest;   /* weeks the grain in hand must last: to the next harvest window not yet begun */
    int launched;           /* the Leap launched by this week (pol_launched, once a week: the communes' week asks) */
    /* tables */
    PersonTable pp;
    HouseholdTable hh;
    uint16_t *link;         /* household index (in its commune) of each pool slot */
    size_t nlink;
    Commune *comm; int ncomm;
    County *cty; int ncty;
    Province *prov; int nprov;
    Tally *acc;             /* per commune, this week; tally_week clears each as it reads it */
    int keep_tallies;       /* tests: keep acc after the week (sim_step clears it before the next) */
    int max_hh;             /* the most households of any commune, for the threads' scratch */
    int64_t max_slots;      /* the most founding and pool slots of any commune, likewise */
    int pools_short;        /* a commune's birth pool may lack room for a child due (ensure_pools) */
    double *scratch_d;      /* per commune, scratch for the state's steps */
    int64_t *scratch_i;     /* two per commune, scratch for the state's steps */
    int64_t state_granary;  /* GU */
    Centre centre;          /* the Centre's beliefs and decisions */
    int county_detail;      /* keep county tallies (--detail county) */
    double weeks_per_year;  /* 365.25 / 7 */
    double urban_share0;    /* urban share of the population at the start */
    Tally nat_week, nat_year;
    int64_t ledger_holdings;   /* grain held last week (ledger.c) */
    int64_t relayouts;      /* times the birth pools were enlarged */
    int64_t person_weeks;   /* alive persons x weeks simulated */
    /* Person-weeks by year (1957 first) of all persons alive at the start
       of the week, and of those "settled": at home, fed in full (ration
       ratio >= 1) and at a full reserve when the week starts.  A settled
       person's reserve does not move; only its hazards do, and those could
       be integrated in closed form between events.  Their share bounds what
       an event-driven week could skip (run.json, README "Performance"). */
    int64_t pw_year[NYEARS], settled[NYEARS];
    double t_state, t_communes, t_tally;   /* wall seconds of the week's three parts, summed (run.json) */
    double t_step[SIM_NSTEPS];              /* t_state by step, in the week's order */
    const char *step_name[SIM_NSTEPS];      /* each step's function, noted as it runs (not checkpointed) */
    struct Out *out;        /* output buffers (out.c) */
} SimState;

typedef struct RunOpts {
    double scale;
    uint32_t seed;
    int threads;
    const char *datadir;    /* NULL: data_dir() */
    int county_detail;      /* keep county tallies for counties_annual.csv */
    int kernel;             /* 0: the widest vector kernels the processor has; else SIMD_* + 1 (simd.h),
                               e.g. SIMD_PLAIN + 1: one person at a time (nutrition.c; same results) */
} RunOpts;

/* Build the 1957 population and everything else.  Borrows P (must outlive
   S).  Returns owned state in *out. */
int sim_new(SimState **out, const Params *P, const RunOpts *o, LeapErr *e);
void sim_free(SimState *S);
/* One week; see sim.c for the schedule. */
int sim_step(SimState *S, LeapErr *e);
/* The name of the k-th step before the communes' week (0 <= k <
   SIM_NSTEPS), its function's, once a week has run (run.json's
   timings.steps_s); "?" before. */
const char *sim_step_name(const SimState *S, int k);

/* Add the flows of src to dst and take its end-of-span stocks. */
void tally_add(Tally *dst, const Tally *src);

#endif
