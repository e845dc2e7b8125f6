/* checkpoint.c -- save and load a run's state (see checkpoint.h). */
#include "checkpoint.h"
#include "mem.h"
#include "out.h"
#include "version.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>

#define MAGIC "LEAPCKP1"

typedef struct Header {
    char magic[8];
    char build[64];            /* leap's commit: the structures' layout */
    uint32_t sizes[6];         /* sizeof Commune, County, Province, Centre, Tally, SimState */
    double scale;
    uint32_t seed;
    int32_t week, year;
    int32_t ncomm, ncty, nprov;
    uint64_t pp_cap, pp_n, hh_n, nlink;
} Header;

static void header_of(const SimState *S, Header *h)
{
    memset(h, 0, sizeof *h);
    memcpy(h->magic, MAGIC, 8);
    snprintf(h->build, sizeof h->build, "%s", LEAP_GIT);
    uint32_t sz[6] = {sizeof(Commune), sizeof(County), sizeof(Province), sizeof(Centre), sizeof(Tally), sizeof(SimState)};
    memcpy(h->sizes, sz, sizeof sz);
    h->scale = S->scale;
    h->seed = S->seed;
    h->week = S->week;
    h->year = S->year;
    h->ncomm = S->ncomm; h->ncty = S->ncty; h->nprov = S->nprov;
    h->pp_cap = S->pp.cap; h->pp_n = S->pp.n; h->hh_n = S->hh.n; h->nlink = S->nlink;
}

/* The scalars of SimState the week reads and writes, in one list for save and load. */
#define SCALARS(X) X(week) X(year) X(harvest_frac) X(harvest_rest) X(year_rest) X(weeks_to_harvest) \
    X(state_granary) X(centre) X(urban_share0) X(nat_week) X(nat_year) X(ledger_holdings) X(relayouts) X(person_weeks) \
    X(pw_year) X(settled) X(max_hh) X(max_slots)

int ckpt_save(const SimState *S, const char *path, LeapErr *e)
{
    char tmp[4300];
    snprintf(tmp, sizeof tmp, "%.4200s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (!f) return err_set(e, LEAP_EINPUT, "%s: cannot write the checkpoint (%s)", path, strerror(errno));
    Header h;
    header_of(S, &h);
    int ok = fwrite(&h, sizeof h, 1, f) == 1;
#define W(ptr, n) ok = ok && fwrite((ptr), sizeof *(ptr), (size_t)(n), f) == (size_t)(n);
    W(S->pp.bws, S->pp.cap) W(S->pp.res, S->pp.cap) W(S->pp.thr_d, S->pp.cap) W(S->pp.thr_f, S->pp.cap)
    W(S->hh.size, S->hh.n) W(S->hh.flags, S->hh.n) W(S->hh.labour, S->hh.n) W(S->hh.need, S->hh.n) W(S->hh.stock, S->hh.n)
    W(S->link, S->nlink) W(S->comm, S->ncomm) W(S->cty, S->ncty) W(S->prov, S->nprov)
#define WS(field) W(&S->field, 1)
    SCALARS(WS)
#undef WS
#undef W
    ok = ok && out_save(S, f) == LEAP_OK;
    int bad = ferror(f);
    if (fclose(f) || bad || !ok || rename(tmp, path)) {
        remove(tmp);
        return err_set(e, LEAP_EINPUT, "%s: cannot write the checkpoint (%s)", path, strerror(errno));
    }
    return LEAP_OK;
}

static int read_header(FILE *f, const char *path, Header *h, LeapErr *e)
{
    if (fread(h, sizeof *h, 1, f) != 1 || memcmp(h->magic, MAGIC, 8))
        return err_set(e, LEAP_EINPUT, "%s: not a leap checkpoint", path);
    return LEAP_OK;
}

int ckpt_peek(const char *path, double *scale, uint32_t *seed, int *week, LeapErr *e)
{
    FILE *f = fopen(path, "rb");
    if (!f) return err_set(e, LEAP_EINPUT, "%s: cannot open the checkpoint (%s)", path, strerror(errno));
    Header h;
    int rc = read_header(f, path, &h, e);
    fclose(f);
    if (!rc) { *scale = h.scale; *seed = h.seed; *week = h.week; }
    return rc;
}

int ckpt_load(SimState *S, const char *path, LeapErr *e)
{
    FILE *f = fopen(path, "rb");
    if (!f) return err_set(e, LEAP_EINPUT, "%s: cannot open the checkpoint (%s)", path, strerror(errno));
    Header h, mine;
    int rc = read_header(f, path, &h, e);
    header_of(S, &mine);
    if (!rc && (strcmp(h.build, mine.build) || memcmp(h.sizes, mine.sizes, sizeof h.sizes)))
        rc = err_set(e, LEAP_EINPUT, "%s: made by leap %s; this leap is %s: a checkpoint is read by the build that made it",
                     path, h.build, mine.build);
    if (!rc && (h.ncomm != S->ncomm || h.ncty != S->ncty || h.nprov != S->nprov || h.hh_n != S->hh.n))
        rc = err_set(e, LEAP_EINPUT, "%s: the scenario builds another population (%d communes, %llu households; the "
                     "checkpoint has %d, %llu): a branch must keep the population.* keys", path, S->ncomm,
                     (unsigned long long)S->hh.n, h.ncomm, (unsigned long long)h.hh_n);
    if (rc) { fclose(f); return rc; }
    if (h.pp_cap > S->pp.cap) pop_table_grow(&S->pp, (size_t)h.pp_cap);
    S->pp.n = (size_t)h.pp_n;
    if (h.nlink != S->nlink) {
        S->link = mem_realloc(S->link, S->nlink * sizeof *S->link, (size_t)h.nlink * sizeof *S->link);
        S->nlink = (size_t)h.nlink;
    }
    AgeTab *tabs[64][2];
    for (int p = 0; p < S->nprov && p < 64; p++) { tabs[p][0] = S->prov[p].tab[0]; tabs[p][1] = S->prov[p].tab[1]; }
    int ok = 1;
#define R(ptr, n) ok = ok && fread((ptr), sizeof *(ptr), (size_t)(n), f) == (size_t)(n);
    R(S->pp.bws, h.pp_cap) R(S->pp.res, h.pp_cap) R(S->pp.thr_d, h.pp_cap) R(S->pp.thr_f, h.pp_cap)
    R(S->hh.size, h.hh_n) R(S->hh.flags, h.hh_n) R(S->hh.labour, h.hh_n) R(S->hh.need, h.hh_n) R(S->hh.stock, h.hh_n)
    R(S->link, h.nlink) R(S->comm, h.ncomm) R(S->cty, h.ncty) R(S->prov, h.nprov)
#define RS(field) R(&S->field, 1)
    SCALARS(RS)
#undef RS
#undef R
    for (int p = 0; p < S->nprov && p < 64; p++) { S->prov[p].tab[0] = tabs[p][0]; S->prov[p].tab[1] = tabs[p][1]; }
    if (!ok) rc = err_set(e, LEAP_EINPUT, "%s: truncated checkpoint", path);
    if (!rc) rc = out_load(S, f, e);
    fclose(f);
    if (!rc && S->week >= S->nweeks)
        rc = err_set(e, LEAP_EINPUT, "%s: made in week %d; this scenario's run ends before it", path, S->week);
    return rc;
}
