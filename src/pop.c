/* pop.c -- person and household table storage (see pop.h). */
#include "pop.h"
#include "mem.h"
#include <string.h>

#define COLS(X) X(bws, uint16_t) X(res, uint16_t) X(thr_d, float) X(thr_f, float)

void pop_table_alloc(PersonTable *T, size_t cap)
{
    memset(T, 0, sizeof *T);
#define A(f, t) T->f = mem_calloc(cap ? cap : 1, sizeof(t));
    COLS(A)
#undef A
    T->cap = cap ? cap : 1;
}

void pop_table_grow(PersonTable *T, size_t cap)
{
    if (cap <= T->cap) return;
#define G(f, t) T->f = mem_realloc(T->f, T->cap * sizeof(t), cap * sizeof(t)); \
    memset(T->f + T->cap, 0, (cap - T->cap) * sizeof(t));
    COLS(G)
#undef G
    T->cap = cap;
}

void pop_table_free(PersonTable *T)
{
#define F(f, t) mem_free(T->f, T->cap * sizeof(t));
    COLS(F)
#undef F
    memset(T, 0, sizeof *T);
}

void hh_table_alloc(HouseholdTable *H, size_t n)
{
    H->n = n;
    H->size = mem_calloc(n ? n : 1, 1);
    H->flags = mem_calloc(n ? n : 1, 1);
    H->labour = mem_calloc(n ? n : 1, 1);
    H->need = mem_calloc(n ? n : 1, sizeof *H->need);
    H->stock = mem_calloc(n ? n : 1, sizeof *H->stock);
}

void hh_table_free(HouseholdTable *H)
{
    size_t n = H->n ? H->n : 1;
    mem_free(H->size, n);
    mem_free(H->flags, n);
    mem_free(H->labour, n);
    mem_free(H->need, n * sizeof *H->need);
    mem_free(H->stock, n * sizeof *H->stock);
    memset(H, 0, sizeof *H);
}
