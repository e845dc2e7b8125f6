/*
** pop.h -- the person and household tables (struct-of-arrays).
**
** Layout.  Slots are ordered province > county > commune > household, so
** every commune, county and province is one contiguous range of slots:
**
**   | commune c: household 0 | household 1 | ... | birth pool (newborns) | commune c+1 ...
**
** A household's founding members are contiguous; the children born during
** the run go to the commune's birth pool, each with a link (uint16, the
** household's index in the commune) in pool_hh[], so "newborns join the
** mother's household" for food and every household-level rule, while the
** commune, county and province ranges stay contiguous.  The rejected
** alternative, slack slots inside every household, costs ~20% idle slots
** (one per woman who might give birth) or a relayout every quarter.
** Dead persons' slots are never reused or compacted: a slot's offset in its
** household or pool is part of the person's stable id.
**
** Width of each column (bytes per slot), the budget being 12:
**   bws    2  birth week + BW_OFFSET (bits 0-12), female (13), away (14), alive (15)
**   res    2  energy reserve, RES_ONE = healthy (demog.h)
**   thr_d  4  death threshold left: a unit exponential drawn at birth (or at
**             the start), less the hazard accumulated since
**   thr_f  4  women: >= 0 conception threshold left (unit exponential less
**             accumulated conception hazard); < 0 busy: -(week the woman is
**             fecund again + 1); she gives birth in week (that week -
**             postpartum weeks) if she was pregnant; men: 1, and it never
**             moves (their conception hazard is 0), so the kernel needs no
**             branch on sex
** Households: size (1), flags (1), labourers (1), energy need (2), private
** grain stock (4) = 9 bytes per household, ~2 per slot.  Pool links: 2
** bytes per pool slot (~0.5 per slot).
**
** Stable person ids (for random numbers): founding members
**   commune id << 32 | household index << 8 | member sequence,
** newborns  1 << 62 | commune id << 32 | pool index.
*/
#ifndef LEAP_POP_H
#define LEAP_POP_H

#include <stddef.h>
#include <stdint.h>

#define BW_OFFSET 6000          /* stored birth week = week + BW_OFFSET; week 0 = 1957-01-01 */
#define BWS_WEEK 0x1FFFu
#define BWS_FEMALE 0x2000u
#define BWS_AWAY 0x4000u        /* living in a city (recruited worker), eats state rations */
#define BWS_ALIVE 0x8000u

#define HH_URBAN 0x01u          /* an urban household (state rations) */
#define HH_DEPLETED 0x02u       /* some member at home ended last week below a full reserve */
#define HH_AWAY 0x04u           /* some member lives in a city (migration.c sets it; nutrition.c refreshes it) */
#define HH_DINING 0x08u         /* eats in the commune's dining hall; its grain is the hall's (dining.c) */
#define HH_NO_WOK 0x10u         /* its wok and tools were melted: cannot cook at home (furnaces.c) */
#define HH_CADRE 0x20u          /* a cadre's or cook's household: eats first in the hall (dining.c) */
#define HH_LEAVING 0x80u        /* scratch mark of dining.c while households leave a hall */

typedef struct PersonTable {
    uint16_t *bws;   /* see above */
    uint16_t *res;   /* reserve units */
    float *thr_d;    /* death threshold left */
    float *thr_f;    /* conception threshold left, or busy-until encoding */
    size_t cap;      /* slots allocated */
    size_t n;        /* slots laid out (the last commune's pool end) */
} PersonTable;

typedef struct HouseholdTable {
    uint8_t *size;   /* founding members */
    uint8_t *flags;  /* HH_* */
    uint8_t *labour; /* members at home aged 16-59, counted last week */
    uint16_t *need;  /* energy need of members at home, kcal/day, counted last week (newborns included) */
    int32_t *stock;  /* private grain, GU (grain units, 10 g unhusked) */
    size_t n;        /* households */
} HouseholdTable;

static inline uint64_t pop_id_member(uint32_t commune, uint32_t hh, uint32_t seq)
{
    return (uint64_t)commune << 32 | (uint64_t)hh << 8 | seq;
}
static inline uint64_t pop_id_newborn(uint32_t commune, uint32_t pool_index)
{
    return UINT64_C(1) << 62 | (uint64_t)commune << 32 | pool_index;
}
static inline int pop_alive(uint16_t b) { return (b & BWS_ALIVE) != 0; }
static inline int pop_female(uint16_t b) { return (b & BWS_FEMALE) != 0; }
static inline int pop_birth_week(uint16_t b) { return (int)(b & BWS_WEEK) - BW_OFFSET; }

void pop_table_alloc(PersonTable *T, size_t cap);   /* zeroed */
void pop_table_grow(PersonTable *T, size_t cap);    /* keeps content, zeroes the new tail */
void pop_table_free(PersonTable *T);
void hh_table_alloc(HouseholdTable *H, size_t n);
void hh_table_free(HouseholdTable *H);

#endif
