/* weather.c -- see weather.h. */
#include "weather.h"
#include "rng.h"
#include <math.h>
#include <stdlib.h>

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median_sd(const SimState *S)
{
    double v[DATA_MAX_PROV];
    int n = 0;
    for (int p = 0; p < S->nprov; p++)
        if (!isnan(S->H->prov[p].harvest_sd)) v[n++] = S->H->prov[p].harvest_sd;
    if (!n) return 0;
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

void wea_year(SimState *S, int y)
{
    const Params *P = S->P;
    if (!P->weather_on || y <= 1957) {
        for (int p = 0; p < S->nprov; p++) S->prov[p].weather = 1;
        return;
    }
    double I = (y - 1957 < 10 && !isnan(S->H->weather_index[y - 1957])) ? S->H->weather_index[y - 1957] : 1.0;
    double med = median_sd(S), num = 0, den = 0, s[DATA_MAX_PROV];
    for (int p = 0; p < S->nprov; p++) {
        double sd = isnan(S->H->prov[p].harvest_sd) ? med : S->H->prov[p].harvest_sd;
        double z = rng_normal(S->seed, RNG_WEATHER, (uint64_t)p, (uint32_t)y, 0);
        s[p] = exp(P->weather_sd_scale * sd * z);
        num += S->prov[p].grain0 * s[p];
        den += S->prov[p].grain0;
    }
    double sbar = den > 0 ? num / den : 1;
    for (int p = 0; p < S->nprov; p++) S->prov[p].weather = I * s[p] / sbar;
}
