/*
** demog.h -- life table, fertility, energy needs and body reserves by age:
** the Derived tables computed once from Params before a run.
**
** Age of a person is (week - birth week).  Tables are indexed by an age
** index (aw = age in weeks): weekly in the first year (infant hazards change
** fast), by 4 weeks to age 5, then by 52-week years (which drift from
** calendar years by 0.18 weeks a year, under 4 weeks by age 100 --
** immaterial for these schedules).  The tables stay small (~18 KB with
** the multiplier tables) so the person kernel finds them in L1 cache.
**
** Mortality: Siler (1979) hazard mu(x) = a1 e^{-b1 x} + a2 + a3 e^{b3 x}
** (x in years), male (1 + e/2) and female (1 - e/2) times it, e =
** demography.male_mortality_excess.  The default parameters were fitted to
** China 1957 (true rates, Banister 1984): e0 = 48, 1q0 = 0.14, 5q0 = 0.24,
** and, in the stable population below, CBR 43.3 and CDR 18.1 per mille.
** h0 in the table is the hazard integrated over one week at that age.
**
** Fertility: age-specific rates m(a) with the 1957 pattern by five-year
** groups (shares 15-19 .050, 20-24 .245, 25-29 .251, 30-34 .209, 35-39
** .158, 40-44 .076, 45-49 .013 of TFR; after Coale & Chen 1987, China 1957,
** treat as approximate), interpolated linearly between group midpoints, to
** 0 at ages 14 and 50, scaled to demography.tfr.  A woman's week is a
** renewal cycle: waiting (hazard phi), gestation G weeks, postpartum
** infecundity Q weeks; a woman of age a then bears m(a) children a year when
**     phi(a) = 1 / (52.18 / m(a) - G - Q - 1/2)    (per week; the 1/2 is
**     the mean overshoot of the week in which the threshold is crossed)
** so the schedule of births, not of conceptions, matches m(a).
**
** Stable population (Lotka): r solves  sum_x e^{-r x} l_f(x) m(x) s_f = 1
** with s_f = 1/(1 + SRB) the female share of births; the age-sex
** distribution is c_s(x) ~ s_s e^{-r x} l_s(x), CBR b = 1/sum_s,x s_s e^{-rx}
** l_s(x), CDR = b - r.  The 1957 population is drawn from it.
**
** Energy need (kcal/day) by age and sex: FAO/WHO/UNU (1985) requirements for
** moderately active people of the small body size of 1950s China (adult man
** 55 kg, woman 48 kg), heavier work for adult farmers; scaled by
** nutrition.need_scale_{rural,urban}.  Body reserve (kcal): body mass x
** nutrition.lethal_mass_loss x nutrition.kcal_per_kg_lost.
*/
#ifndef LEAP_DEMOG_H
#define LEAP_DEMOG_H

#include <stdint.h>
#include "err.h"
#include "params.h"

#define AGE_WEEKLY 52                  /* weekly resolution in the first year */
#define AGE_4W 52                      /* then 4-week steps to age 5 */
#define AGE_YEARLY0 (AGE_WEEKLY + AGE_4W)
#define NAGE (AGE_YEARLY0 + 116)       /* then years 5..120 */
#define MAX_AGE_WEEKS 8192             /* > any age in weeks: birth weeks are 13 bits (pop.h) */
#define AGE_YEARS 111                  /* single years 0..110 for distributions */
#define RES_ONE 50000                  /* reserve units of a healthy person */
#define RES_MAX 65535
#define MTAB_SHIFT 8                   /* reserve >> 8 indexes the multiplier tables (0.5% bins) */
#define MTAB_N ((RES_MAX >> MTAB_SHIFT) + 1)

typedef enum AgeGroup { AG_0_4, AG_5_14, AG_15_49, AG_50_64, AG_65P, NAG } AgeGroup;

typedef struct AgeRow {   /* one age index, one sex: 32 bytes (a power of two: the vector kernel indexes it), hot */
    float need;       /* kcal/day (before the rural/urban scale in Demog; after it in AgeTab) */
    float h0;         /* Siler hazard integrated over one week (per week; x the province's scale in AgeTab) */
    float pb;         /* AgeTab: probability of death in a week at baseline, h0 (1 - h0/2) */
    float rk;         /* AgeTab: reserve units gained in a week per unit of (intake/need - spending/need) */
    float phi;        /* conception hazard per week at full fecundity (women 14-50; else 0) */
    int32_t nlq;      /* AgeTab: need in 1/NEED_Q kcal/day (bits 0-23) | labourer (bit 24) */
    int32_t pbq;      /* AgeTab: pb in 1/PB_Q (fixed point: sums that do not depend on their order) */
    int32_t ebq;      /* births a week at the scenario's fertility schedule, m(a) / 52.18 (women 14-50; else 0),
                         in 1/PB_Q: the births expected of a woman of that age without hunger or separation */
} AgeRow;

#define NEED_Q 64                      /* fixed-point units of need per kcal/day */
#define NLQ_NEED 0xFFFFFF              /* the need bits of AgeRow.nlq */
#define PB_Q 1073741824.0              /* fixed-point units of a probability (2^30) */

/* An AgeRow table scaled for one place: a province's rural or urban
   baseline hazard and the rural or urban need (built once per run). */
typedef struct AgeTab { AgeRow row[2][NAGE]; } AgeTab;

typedef struct Demog {
    AgeRow row[2][NAGE];            /* [female][age index] */
    uint8_t age_ix[MAX_AGE_WEEKS];  /* age in weeks -> age index */
    uint8_t group[NAGE];            /* AgeGroup of the index */
    uint8_t labour[NAGE];           /* 1 for ages 16-59: a full labourer */
    float reg_death[NAGE];          /* registration completeness of a death at this age */
    float inv_res[2][NAGE];         /* RES_ONE * 7 / body reserve (kcal): reserve units per kcal/day of deficit */
    float mult[MTAB_N];             /* mortality multiplier M(reserve) */
    float fec[MTAB_N];              /* fecundity G(reserve) in [0, 1] */
    float mf[MTAB_N][2];            /* the same two, side by side (the vector kernel loads both at once) */
    double asfr[AGE_YEARS];         /* births per woman-year by single year of age */
    double lx[2][AGE_YEARS + 1];    /* survivorship at exact ages */
    double stable[2][AGE_YEARS];    /* stable age-sex distribution, sums to 1 over both sexes */
    double r, cbr, cdr, e0[2];      /* stable growth rate (1/yr), CBR, CDR (per person-year), e0 (years) */
    double reg_completeness;        /* registered/true deaths in the stable population */
    double need_mean;               /* mean need (kcal/day) in the stable population, scale 1 */
} Demog;

/* Fill *D from P (borrows P). Returns LEAP_EINPUT if the schedules are
   inconsistent (e.g. gestation + postpartum too long for the fertility). */
int demog_init(Demog *D, const Params *P, LeapErr *e);

static inline int demog_ix(const Demog *D, int age_weeks)
{
    return D->age_ix[age_weeks < 0 ? 0 : age_weeks >= MAX_AGE_WEEKS ? MAX_AGE_WEEKS - 1 : age_weeks];
}
/* Fill *T: D's rows with need x need_scale and hazard x hz. */
void demog_scale(const Demog *D, AgeTab *T, double need_scale, double hz);
/* Siler hazard (per year) at exact age x (years), sex factor applied. */
double demog_siler(const Params *P, double x, int female);
/* Mortality multiplier as a function of depletion d = 1 - reserve, in [0, 1]. */
double demog_mult(double gamma, double d);

#endif
