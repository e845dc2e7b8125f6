/*
** rng.h -- counter-based random numbers keyed by stable ids.
**
** Every draw in leap is a pure function of (seed, stream, entity, step, k):
** Philox4x32-10 (Random123, Salmon et al. 2011) with key = (seed, stream) and
** counter = (entity low 32 bits, entity high 32 bits, step, k).  Nothing is
** stored between draws, so results do not depend on the number of threads or
** ranks, on the order in which entities are visited, nor on where an entity
** sits in memory; and one mechanism's draws never shift another's, because
** each has its own stream below.
**
** Entity ids are stable ids (pop.h: person ids derive from commune, household
** and member sequence; provinces and communes use their index in the full
** structure).  `step` is normally the week; `k` numbers the draws of one
** event.  Each call yields four 32-bit words; rng_u01() uses two of them for a
** 53-bit double in (0, 1).
**
** Cost: one Philox call is ~20 ns.  Draws happen only at events (a birth, a
** death's registration, a move, a weather year), never per person per week.
*/
#ifndef LEAP_RNG_H
#define LEAP_RNG_H

#include <stdint.h>

typedef enum RngStream {   /* one stream per use; never reuse a number */
    RNG_POP_STRUCT = 1,    /* commune sizes, land quality (entity = commune) */
    RNG_POP_HOUSEHOLD = 2, /* household size and members (entity = household) */
    RNG_POP_PERSON = 3,    /* initial person state (entity = person) */
    RNG_BIRTH = 4,         /* a newborn's sex and thresholds (entity = newborn) */
    RNG_FERTILITY = 5,     /* a woman's next conception threshold (entity = woman) */
    RNG_REGISTRATION = 6,  /* is an event registered? (entity = person) */
    RNG_WEATHER = 7,       /* province-year yield shock (entity = province) */
    RNG_MIGRATION = 8,     /* who moves (entity = commune) */
    RNG_POLITICS = 9,      /* provincial radicalism (entity = province) */
    RNG_DINING = 10,       /* hall membership and cadre households (entity = household) */
    RNG_FURNACE = 11,      /* whose woks are melted (entity = household) */
    RNG_EXPERIMENT = 12,   /* experiments: the orders a Shapley decomposition samples (entity = order) */
    RNG_MECH = 16          /* first stream free for the Leap's mechanisms */
} RngStream;

/* Four uniform 32-bit words for (seed, stream, entity, step, k). */
void rng_words(uint32_t seed, uint32_t stream, uint64_t entity, uint32_t step,
               uint32_t k, uint32_t out[4]);
/* Uniform double in the open interval (0, 1). */
double rng_u01(uint32_t seed, uint32_t stream, uint64_t entity, uint32_t step, uint32_t k);
/* Two independent uniforms in (0, 1) from one Philox call. */
void rng_u01x2(uint32_t seed, uint32_t stream, uint64_t entity, uint32_t step,
               uint32_t k, double u[2]);
/* Unit exponential, -log(u). */
double rng_exp1(uint32_t seed, uint32_t stream, uint64_t entity, uint32_t step, uint32_t k);
/* Standard normal (Box-Muller on one Philox call). */
double rng_normal(uint32_t seed, uint32_t stream, uint64_t entity, uint32_t step, uint32_t k);

#endif
