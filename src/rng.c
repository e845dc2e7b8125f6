/* rng.c -- Philox4x32-10 wrappers (see rng.h). */
#include "rng.h"
#include <math.h>
#include <Random123/philox.h>

void rng_words(uint32_t seed, uint32_t stream, uint64_t entity, uint32_t step,
               uint32_t k, uint32_t out[4])
{
    philox4x32_ctr_t c = {{(uint32_t)entity, (uint32_t)(entity >> 32), step, k}};
    philox4x32_key_t key = {{seed, stream}};
    philox4x32_ctr_t r = philox4x32(c, key);
    out[0] = r.v[0]; out[1] = r.v[1]; out[2] = r.v[2]; out[3] = r.v[3];
}

/* 53 bits from two words, centred in its bin: never 0, never 1. */
static double to_u01(uint32_t hi, uint32_t lo)
{
    uint64_t x = ((uint64_t)hi << 21) ^ (uint64_t)(lo >> 11);
    x &= (UINT64_C(1) << 53) - 1;
    return ((double)x + 0.5) * (1.0 / 9007199254740992.0);
}

double rng_u01(uint32_t seed, uint32_t stream, uint64_t entity, uint32_t step, uint32_t k)
{
    uint32_t w[4];
    rng_words(seed, stream, entity, step, k, w);
    return to_u01(w[0], w[1]);
}

void rng_u01x2(uint32_t seed, uint32_t stream, uint64_t entity, uint32_t step,
               uint32_t k, double u[2])
{
    uint32_t w[4];
    rng_words(seed, stream, entity, step, k, w);
    u[0] = to_u01(w[0], w[1]);
    u[1] = to_u01(w[2], w[3]);
}

double rng_exp1(uint32_t seed, uint32_t stream, uint64_t entity, uint32_t step, uint32_t k)
{
    return -log(rng_u01(seed, stream, entity, step, k));
}

double rng_normal(uint32_t seed, uint32_t stream, uint64_t entity, uint32_t step, uint32_t k)
{
    double u[2];
    rng_u01x2(seed, stream, entity, step, k, u);
    return sqrt(-2.0 * log(u[0])) * cos(6.283185307179586 * u[1]);
}
