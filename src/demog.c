/* demog.c -- see demog.h for the model and its sources. */
#include "demog.h"
#include <math.h>
#include <string.h>

#define WEEKS_PER_YEAR 52.1775

/* 1957 fertility pattern: shares of TFR by 5-year group 15-19 .. 45-49. */
static const double asfr_pattern[7] = {0.060, 0.290, 0.298, 0.248, 0.188, 0.090, 0.016}; /* sums to 1.19 */

/* Need (kcal/day) by single year 0..17 then adult bands, [male, female]. */
static double need_at(int age, int female)
{
    static const double child[18] = {750, 1000, 1150, 1250, 1350, 1450, 1550, 1650, 1750, 1850,
                                     1950, 2000, 2150, 2250, 2400, 2500, 2600, 2650};
    static const double childf[18] = {750, 1000, 1150, 1250, 1350, 1450, 1550, 1650, 1750, 1800,
                                      1850, 1900, 2000, 2050, 2100, 2150, 2150, 2150};
    if (age < 18) return female ? childf[age] : child[age];
    if (age < 30) return female ? 2200 : 2750;
    if (age < 45) return female ? 2150 : 2650;
    if (age < 60) return female ? 2050 : 2500;
    if (age < 70) return female ? 1800 : 2100;
    return female ? 1650 : 1900;
}

/* Body mass (kg) by age, 1950s China. */
static double mass_at(double age, int female)
{
    static const double m[19] = {3.3, 9.5, 12, 13.8, 15.3, 16.8, 18.5, 20.5, 22.5, 24.8,
                                 27, 29.5, 32.5, 36.5, 41, 45, 48.5, 51.5, 54};
    static const double f[19] = {3.2, 9, 11.5, 13.3, 14.8, 16.3, 18, 20, 22.2, 24.6,
                                 27, 30, 33.5, 37.5, 41, 43.5, 45.5, 46.5, 47};
    if (age >= 18) return age >= 60 ? (female ? 45 : 52) : (female ? 48 : 55);
    int a = (int)age;
    double t = age - a;
    const double *v = female ? f : m;
    return v[a] + t * (v[a + 1] - v[a]);
}

void demog_scale(const Demog *D, AgeTab *T, double need_scale, double hz)
{
    for (int s = 0; s < 2; s++)
        for (int ix = 0; ix < NAGE; ix++) {
            AgeRow *R = &T->row[s][ix];
            *R = D->row[s][ix];
            R->need = (float)(R->need * need_scale);
            R->h0 = (float)(R->h0 * hz);
            R->pb = R->h0 * (1 - R->h0 / 2);
            R->rk = R->need * D->inv_res[s][ix];
            R->nlq = (int32_t)lrint(R->need * (double)NEED_Q) | (int32_t)D->labour[ix] << 24;
            R->pbq = (int32_t)lrint(R->pb * PB_Q);
        }
}

double demog_siler(const Params *P, double x, int female)
{
    double sex = female ? 1 - P->male_excess / 2 : 1 + P->male_excess / 2;
    return sex * (P->siler_a1 * exp(-P->siler_b1 * x) + P->siler_a2 + P->siler_a3 * exp(P->siler_b3 * x));
}

/* Integral of the hazard over [x0, x1] (years), Simpson on 8 panels. */
static double siler_int(const Params *P, double x0, double x1, int female)
{
    double h = (x1 - x0) / 8, s = demog_siler(P, x0, female) + demog_siler(P, x1, female);
    for (int i = 1; i < 8; i++) s += (i % 2 ? 4 : 2) * demog_siler(P, x0 + i * h, female);
    return s * h / 3;
}

double demog_mult(double gamma, double d)
{
    if (d <= 0) return 1.0;
    if (d >= 1) return 1e30;
    double m = exp(gamma * d * d / (1 - d));
    return m > 1e30 ? 1e30 : m;
}

static void fertility(Demog *D, const Params *P)
{
    const double xs[9] = {14, 17.5, 22.5, 27.5, 32.5, 37.5, 42.5, 47.5, 50};
    double ys[9] = {0};
    double tot = 0;
    for (int i = 0; i < 7; i++) tot += asfr_pattern[i];
    for (int i = 0; i < 7; i++) ys[i + 1] = asfr_pattern[i] / tot * P->tfr / 5;
    double sum = 0;
    for (int a = 0; a < AGE_YEARS; a++) {
        double x = a + 0.5, v = 0;
        for (int i = 0; i < 8; i++)
            if (x >= xs[i] && x < xs[i + 1]) v = ys[i] + (x - xs[i]) / (xs[i + 1] - xs[i]) * (ys[i + 1] - ys[i]);
        D->asfr[a] = v;
        sum += v;
    }
    for (int a = 0; a < AGE_YEARS; a++) D->asfr[a] *= P->tfr / sum;
}

static void survivorship(Demog *D, const Params *P)
{
    for (int s = 0; s < 2; s++) {
        D->lx[s][0] = 1;
        D->e0[s] = 0;
        for (int a = 0; a < AGE_YEARS; a++) {
            D->lx[s][a + 1] = D->lx[s][a] * exp(-siler_int(P, a, a + 1, s));
            D->e0[s] += (D->lx[s][a] + D->lx[s][a + 1]) / 2;
        }
    }
}

/* Person-years lived in [a, a+1) per birth, discounted by e^{-r x}. */
static double lived(const Demog *D, int s, int a, double r)
{
    return (D->lx[s][a] * exp(-r * a) + D->lx[s][a + 1] * exp(-r * (a + 1))) / 2;
}

static void stable(Demog *D, const Params *P)
{
    double sf = 1 / (1 + P->srb), sm = 1 - sf;
    double lo = -0.05, hi = 0.10;
    for (int it = 0; it < 100; it++) {
        double r = (lo + hi) / 2, nrr = 0;
        for (int a = 0; a < AGE_YEARS; a++) nrr += lived(D, 1, a, r) * D->asfr[a] * sf;
        if (nrr > 1) lo = r; else hi = r;
    }
    D->r = (lo + hi) / 2;
    double tot = 0;
    for (int a = 0; a < AGE_YEARS; a++) {
        D->stable[0][a] = sm * lived(D, 0, a, D->r);
        D->stable[1][a] = sf * lived(D, 1, a, D->r);
        tot += D->stable[0][a] + D->stable[1][a];
    }
    D->cbr = 1 / tot;
    D->cdr = D->cbr - D->r;
    for (int s = 0; s < 2; s++)
        for (int a = 0; a < AGE_YEARS; a++) D->stable[s][a] /= tot;
}

static int ix_age_years_lo(int ix)
{
    return ix < AGE_WEEKLY ? 0 : ix < AGE_YEARLY0 ? (52 + 4 * (ix - AGE_WEEKLY)) / 52 : 5 + (ix - AGE_YEARLY0);
}

int demog_init(Demog *D, const Params *P, LeapErr *e)
{
    memset(D, 0, sizeof *D);
    fertility(D, P);
    survivorship(D, P);
    stable(D, P);
    double w = WEEKS_PER_YEAR;
    for (int aw = 0; aw < MAX_AGE_WEEKS; aw++) {
        int ix = aw < AGE_WEEKLY ? aw : aw < 5 * 52 ? AGE_WEEKLY + (aw - AGE_WEEKLY) / 4
               : AGE_YEARLY0 + (aw - 5 * 52) / 52;
        D->age_ix[aw] = (uint8_t)(ix < NAGE ? ix : NAGE - 1);
    }
    int cycle = P->gestation + P->postpartum;
    for (int ix = 0; ix < NAGE; ix++) {
        double x0, x1;   /* the age span of the index, years */
        if (ix < AGE_WEEKLY) { x0 = ix / w; x1 = (ix + 1) / w; }
        else if (ix < AGE_YEARLY0) { x0 = (52 + 4.0 * (ix - AGE_WEEKLY)) / w; x1 = x0 + 4 / w; }
        else { x0 = 5 * 52 / w + (ix - AGE_YEARLY0) * 52 / w; x1 = x0 + 52 / w; }
        int ay = ix_age_years_lo(ix);
        double xm = (x0 + x1) / 2;
        for (int s = 0; s < 2; s++) {
            AgeRow *R = &D->row[s][ix];
            R->need = (float)need_at(ay < 110 ? ay : 110, s);
            R->h0 = (float)(siler_int(P, x0, x1, s) / ((x1 - x0) * w));
            double res = mass_at(xm, s) * P->lethal_loss * P->kcal_per_kg_loss;
            D->inv_res[s][ix] = (float)(RES_ONE * 7.0 / res);
            if (s == 1 && ay < AGE_YEARS && D->asfr[ay] > 0) {
                double m = D->asfr[ay];
                double wait = w / m - cycle - 0.5;   /* discrete weeks: the crossing week is on average 1/phi + 1/2 */
                if (wait < 1)
                    return err_set(e, LEAP_EINPUT, "demography: fertility %.3f at age %d needs a birth every %.0f weeks, "
                                   "shorter than gestation + postpartum (%d weeks); lower demography.tfr or the "
                                   "postpartum weeks", m, ay, w / m, cycle);
                R->phi = (float)(1 / wait);
                R->ebq = (int32_t)lrint(m / w * PB_Q);   /* the births phi's cycle yields, per week */
            }
        }
        D->group[ix] = (uint8_t)(ay < 5 ? AG_0_4 : ay < 15 ? AG_5_14 : ay < 50 ? AG_15_49 : ay < 65 ? AG_50_64 : AG_65P);
        D->labour[ix] = ay >= 16 && ay < 60;
        D->reg_death[ix] = (float)(ay < 1 ? P->reg_death_0 : ay < 5 ? P->reg_death_1_4 : P->reg_death_5p);
    }
    for (int i = 0; i < MTAB_N; i++) {
        double v = (double)(i << MTAB_SHIFT) + (1 << (MTAB_SHIFT - 1));   /* bin centre */
        double r = v / RES_ONE;
        if (i == 0) r = 0;                                                /* empty: certain death */
        D->mult[i] = (float)demog_mult(P->hazard_gamma, 1 - r);
        double g = (r - P->fec_lo) / (P->fec_hi - P->fec_lo);
        D->fec[i] = (float)(g < 0 ? 0 : g > 1 ? 1 : g);
        D->mf[i][0] = D->mult[i];
        D->mf[i][1] = D->fec[i];
    }
    /* registration completeness and mean need in the stable population */
    double dt = 0, dr = 0, need = 0;
    for (int s = 0; s < 2; s++)
        for (int a = 0; a < AGE_YEARS; a++) {
            double haz = siler_int(P, a, a + 1, s);
            double c = a < 1 ? P->reg_death_0 : a < 5 ? P->reg_death_1_4 : P->reg_death_5p;
            dt += D->stable[s][a] * haz;
            dr += D->stable[s][a] * haz * c;
            need += D->stable[s][a] * need_at(a < 110 ? a : 110, s);
        }
    D->reg_completeness = dr / dt;
    D->need_mean = need;
    double va, vb;   /* scen_check_rules names where the values came from; this is the last guard */
    int r = params_rules_span(P, NULL, NULL, NULL, 0, &va, &vb);
    if (r >= 0)
        return err_set(e, LEAP_EINPUT, "%s (%g) must be above %s (%g)", param_rules[r].above, va, param_rules[r].below, vb);
    return LEAP_OK;
}
