/* ledger.c -- see ledger.h. */
#include "ledger.h"
#include <inttypes.h>

int64_t ledg_holdings(const SimState *S)
{
    int64_t h = S->state_granary;
    for (int i = 0; i < S->ncomm; i++) h += S->comm[i].granary + S->comm[i].away_bucket + S->comm[i].sale_bucket + S->comm[i].resale_bucket +
                                          S->comm[i].hall_stock;
    for (size_t k = 0; k < S->hh.n; k++) h += S->hh.stock[k];
    return h;
}

int ledg_check(SimState *S, int64_t prev_pop, LeapErr *e)
{
    const Tally *t = &S->nat_week;
    int64_t held = t->hh_stock + t->granary + t->state_stock;
    int64_t expect = S->ledger_holdings + t->harvest - t->sfl - t->eaten_rural - t->eaten_urban - t->exported -
                     t->state_use + t->imported;
    if (held != expect)
        return err_set(e, LEAP_EINTERNAL, "grain ledger broken in week %d: held %" PRId64 " GU, expected %" PRId64
                       " (previous %" PRId64 ", harvest %" PRId64 ", seed/feed/loss %" PRId64 ", eaten %" PRId64
                       ", exported %" PRId64 ", state use %" PRId64 ", imported %" PRId64 ")",
                       S->week, held, expect, S->ledger_holdings, t->harvest, t->sfl, t->eaten_rural + t->eaten_urban,
                       t->exported, t->state_use, t->imported);
    if (t->pop_end != prev_pop + t->births - t->deaths)
        return err_set(e, LEAP_EINTERNAL, "population ledger broken in week %d: %" PRId64 " alive, expected %" PRId64
                       " + %" PRId64 " births - %" PRId64 " deaths", S->week, t->pop_end, prev_pop, t->births, t->deaths);
    S->ledger_holdings = held;
    return LEAP_OK;
}
