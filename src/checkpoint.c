/* checkpoint.c -- save and load a run's state (see checkpoint.h). */
#include "checkpoint.h"
#include "ledger.h"
#include "pop.h"
#include "mem.h"
#include "out.h"
#include "version.h"
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

/* Format 2: the header (with a CRC-32 of its own bytes), then the payload (the
   tables, the scalars, the output rows) whose length and CRC-32 the header
   records.  Format 1 had no checksums. */
#define MAGIC "LEAPCKP2"
#define MAGIC_STEM "LEAPCKP"   /* + the format's digit */
#define FORMAT 2

typedef struct Header {
    char magic[8];
    char build[64];            /* leap's commit: the structures' layout */
    uint32_t sizes[6];         /* sizeof Commune, County, Province, Centre, Tally, SimState */
    double scale;
    uint32_t seed;
    int32_t week, year;
    int32_t ncomm, ncty, nprov;
    uint64_t pp_cap, pp_n, hh_n, nlink;
    uint64_t payload;          /* bytes after the header */
    uint32_t payload_crc;      /* zlib's crc32 of them */
    uint32_t header_crc;       /* crc32 of the header's bytes before this field */
} Header;

static uint32_t header_crc(const Header *h)
{
    return (uint32_t)crc32_z(0, (const Bytef *)h, offsetof(Header, header_crc));
}

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

/* Bytes and checksum of the payload so far; the data is checksummed a chunk
   at a time, while the chunk is in the cache, as it is written or read. */
typedef struct Stream {
    FILE *f;
    uint64_t bytes;
    uint32_t crc;
    int ok;
} Stream;

#define CHUNK ((size_t)1 << 20)

static void put(Stream *s, const void *p, size_t n)
{
    for (const unsigned char *b = p; s->ok && n > 0;) {
        size_t k = n < CHUNK ? n : CHUNK;
        s->crc = (uint32_t)crc32_z(s->crc, b, k);
        s->ok = fwrite(b, 1, k, s->f) == k;
        s->bytes += k; b += k; n -= k;
    }
}

static void get(Stream *s, void *p, size_t n)
{
    for (unsigned char *b = p; s->ok && n > 0;) {
        size_t k = n < CHUNK ? n : CHUNK;
        s->ok = fread(b, 1, k, s->f) == k;
        s->crc = (uint32_t)crc32_z(s->crc, b, k);
        s->bytes += k; b += k; n -= k;
    }
}

/* The scalars of SimState the week reads and writes, in one list for save and load. */
#define SCALARS(X) X(week) X(year) X(harvest_frac) X(harvest_rest) X(year_rest) X(weeks_to_harvest) \
    X(state_granary) X(centre) X(urban_share0) X(nat_week) X(nat_year) X(ledger_holdings) X(relayouts) X(person_weeks) \
    X(pw_year) X(settled) X(max_hh) X(max_slots)

/* Bytes of the payload before the output rows, for the header's counts. */
static uint64_t fixed_bytes(const Header *h)
{
    const SimState *S = NULL;
    uint64_t per_person = sizeof *S->pp.bws + sizeof *S->pp.res + sizeof *S->pp.thr_d + sizeof *S->pp.thr_f;
    uint64_t per_hh = sizeof *S->hh.size + sizeof *S->hh.flags + sizeof *S->hh.labour + sizeof *S->hh.need +
                      sizeof *S->hh.stock;
#define SZ(field) + sizeof S->field
    uint64_t scalars = 0 SCALARS(SZ);
#undef SZ
    return h->pp_cap * per_person + h->hh_n * per_hh + h->nlink * sizeof *S->link + (uint64_t)h->ncomm * sizeof(Commune) +
           (uint64_t)h->ncty * sizeof(County) + (uint64_t)h->nprov * sizeof(Province) + scalars;
}

int ckpt_save(const SimState *S, const char *path, LeapErr *e)
{
    char tmp[4400];
    FILE *f = out_tmp_file(path, tmp, sizeof tmp);
    if (!f) return err_set(e, LEAP_EINPUT, "%s: cannot write the checkpoint (%s)", path, strerror(errno));
    Header h;
    header_of(S, &h);
    /* the header twice: first to hold the place, then with the payload's length and checksum */
    Stream s = {f, 0, 0, fwrite(&h, sizeof h, 1, f) == 1};
#define W(ptr, n) put(&s, (ptr), sizeof *(ptr) * (size_t)(n));
    W(S->pp.bws, S->pp.cap) W(S->pp.res, S->pp.cap) W(S->pp.thr_d, S->pp.cap) W(S->pp.thr_f, S->pp.cap)
    W(S->hh.size, S->hh.n) W(S->hh.flags, S->hh.n) W(S->hh.labour, S->hh.n) W(S->hh.need, S->hh.n) W(S->hh.stock, S->hh.n)
    W(S->link, S->nlink) W(S->comm, S->ncomm) W(S->cty, S->ncty) W(S->prov, S->nprov)
#define WS(field) W(&S->field, 1)
    SCALARS(WS)
#undef WS
#undef W
    char *rows = NULL;   /* the output rows, through memory to be checksummed */
    size_t nrows = 0;
    FILE *m = open_memstream(&rows, &nrows);
    int ok = m && out_save(S, m) == LEAP_OK;
    if (m && fclose(m)) ok = 0;
    if (ok) put(&s, rows, nrows);
    free(rows);
    h.payload = s.bytes;
    h.payload_crc = s.crc;
    h.header_crc = header_crc(&h);
    ok = ok && s.ok && fseek(f, 0, SEEK_SET) == 0 && fwrite(&h, sizeof h, 1, f) == 1;
    int bad = ferror(f);
    if (fclose(f) || bad || !ok || rename(tmp, path)) {
        int er = errno;
        remove(tmp);
        return err_sys(e, "%s: cannot write the checkpoint (%s)", path, strerror(er));
    }
    return LEAP_OK;
}

/* Read the header and check everything about the file it can: the format,
   the header's checksum, the file's length against the payload's, and the
   counts against the length (so nothing is allocated or indexed on a bad
   count).  The payload's checksum is checked as it is read (ckpt_load). */
static int read_header(FILE *f, const char *path, Header *h, LeapErr *e)
{
    static const char *again = "make it again with this leap (--checkpoint-at DATE --checkpoint FILE)";
    memset(h, 0, sizeof *h);
    size_t got = fread(h, 1, sizeof *h, f);
    if (got < 8 || memcmp(h->magic, MAGIC_STEM, 7) || h->magic[7] < '1' || h->magic[7] > '9')
        return err_set(e, LEAP_EINPUT, "%s: not a leap checkpoint", path);
    if (h->magic[7] != '0' + FORMAT)
        return err_set(e, LEAP_EINPUT, "%s: a checkpoint of format %c (made by an %s leap); this leap reads format %d only "
                       "(with checksums): %s", path, h->magic[7], h->magic[7] < '0' + FORMAT ? "earlier" : "later", FORMAT, again);
    struct stat st;
    if (fstat(fileno(f), &st)) return err_set(e, LEAP_EINPUT, "%s: cannot read the checkpoint (%s)", path, strerror(errno));
    if (got < sizeof *h)
        return err_set(e, LEAP_EINPUT, "%s: checkpoint is truncated (%lld bytes, shorter than its %zu-byte header): %s",
                       path, (long long)st.st_size, sizeof *h, again);
    if (header_crc(h) != h->header_crc)
        return err_set(e, LEAP_EINPUT, "%s: checkpoint is corrupt (checksum mismatch in the header): %s", path, again);
    if ((uint64_t)st.st_size != sizeof *h + h->payload)
        return err_set(e, LEAP_EINPUT, "%s: checkpoint is %s (%lld bytes; its header says %llu): %s", path,
                       (uint64_t)st.st_size < sizeof *h + h->payload ? "truncated" : "corrupt (trailing bytes)",
                       (long long)st.st_size, (unsigned long long)(sizeof *h + h->payload), again);
    /* a header whose checksum matches was written by leap; these guard against one that was not */
    uint64_t p = h->payload;
    if (!(h->scale >= 0.00001 && h->scale <= 1) || h->week < 0 || h->ncomm <= 0 || h->ncty <= 0 || h->nprov <= 0 ||
        h->pp_n > h->pp_cap || h->pp_cap > p || h->hh_n > p || h->nlink > p || (uint64_t)h->ncomm > p ||
        (uint64_t)h->ncty > p || (uint64_t)h->nprov > p || fixed_bytes(h) + 4 * sizeof(int32_t) > p)
        return err_set(e, LEAP_EINPUT, "%s: checkpoint is corrupt (its header's counts do not fit its %llu bytes of "
                       "contents): %s", path, (unsigned long long)p, again);
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

/* What sim_new built for the scenario and the run never changes: each
   commune's, county's and province's place in the structure and the
   households' founding sizes.  Kept before the load overwrites them. */
typedef struct Frame {
    Commune *comm;
    County *cty;
    Province *prov;
    uint8_t *size;
} Frame;

static void frame_keep(const SimState *S, Frame *F)
{
    F->comm = mem_calloc((size_t)S->ncomm, sizeof *F->comm);
    F->cty = mem_calloc((size_t)S->ncty, sizeof *F->cty);
    F->prov = mem_calloc((size_t)S->nprov, sizeof *F->prov);
    F->size = mem_calloc(S->hh.n ? S->hh.n : 1, 1);
    memcpy(F->comm, S->comm, (size_t)S->ncomm * sizeof *F->comm);
    memcpy(F->cty, S->cty, (size_t)S->ncty * sizeof *F->cty);
    memcpy(F->prov, S->prov, (size_t)S->nprov * sizeof *F->prov);
    memcpy(F->size, S->hh.size, S->hh.n);
}

static void frame_free(const SimState *S, Frame *F)
{
    mem_free(F->comm, (size_t)S->ncomm * sizeof *F->comm);
    mem_free(F->cty, (size_t)S->ncty * sizeof *F->cty);
    mem_free(F->prov, (size_t)S->nprov * sizeof *F->prov);
    mem_free(F->size, S->hh.n ? S->hh.n : 1);
}

/* The loaded state is one this leap could have made: the structure as the
   scenario builds it (F), the communes' slots and pool links laid end to
   end as the birth pools' layout leaves them, every pool link naming a
   household of its commune, no one alive in a pool slot not yet used,
   every person's birth week and fertility clock in range, the scratch sizes those of the largest commune, and the grain and the people
   the ledgers carried over.  The checksums refuse damage; this refuses a
   file altered with its checksums made again, before anything reads an
   index from it.  Each commune's count of women pregnant is made again from
   its women (the birth pools are sized by it before the first week).
   Returns a description of the first fault, or NULL. */
static const char *check_state(SimState *S, const Frame *F, char *buf, size_t len)
{
    for (int p = 0; p < S->nprov; p++) {
        const Province *a = &S->prov[p], *b = &F->prov[p];
        if (a->k0 != b->k0 || a->nk != b->nk || a->c0 != b->c0 || a->nc != b->nc)
            return snprintf(buf, len, "province %d is not the scenario's", p), buf;
    }
    for (int k = 0; k < S->ncty; k++) {
        const County *a = &S->cty[k], *b = &F->cty[k];
        if (a->province != b->province || a->c0 != b->c0 || a->nc != b->nc || a->urban != b->urban)
            return snprintf(buf, len, "county %d is not the scenario's", k), buf;
    }
    if (memcmp(S->hh.size, F->size, S->hh.n)) return snprintf(buf, len, "the households' sizes are not the scenario's"), buf;
    const PersonTable *T = &S->pp;
    const int wkb = S->week + BW_OFFSET, busy_max = S->week + 42 + 104 + 1;   /* params.def's longest gestation, postpartum */
    int64_t slot = 0, link = 0, alive = 0, max_slots = 1;
    int max_hh = 1;
    for (int i = 0; i < S->ncomm; i++) {
        const Commune *c = &S->comm[i], *f = &F->comm[i];
        if (c->id != f->id || c->province != f->province || c->county != f->county || c->urban != f->urban ||
            c->nhh != f->nhh || c->hh0 != f->hh0 || c->nfound != f->nfound)
            return snprintf(buf, len, "commune %d is not the scenario's", i), buf;
        if (c->first != slot || c->pool_start != c->first + c->nfound || c->link0 != link || c->pool_used > c->pool_cap ||
            (uint64_t)(c->pool_start + c->pool_cap) > T->n || (uint64_t)(c->link0 + c->pool_cap) > S->nlink)
            return snprintf(buf, len, "commune %d: its slots or birth pool are out of place", i), buf;
        slot = c->pool_start + c->pool_cap;
        link = c->link0 + c->pool_cap;
        if (c->nhh > max_hh) max_hh = c->nhh;
        if (c->nfound + c->pool_used > max_slots) max_slots = c->nfound + c->pool_used;
        for (uint32_t k = 0; k < c->pool_used; k++)
            if (S->link[c->link0 + k] >= c->nhh) return snprintf(buf, len, "commune %d: a child's household is not its own", i), buf;
        int64_t pregnant = 0;
        for (int64_t s = c->first; s < slot; s++) {
            uint16_t b = T->bws[s];
            if (!(b & BWS_ALIVE)) continue;
            if (s >= c->pool_start + (int64_t)c->pool_used)
                return snprintf(buf, len, "commune %d: someone alive in a birth slot not yet used", i), buf;
            int age = wkb - (int)(b & BWS_WEEK);
            float clock = T->thr_f[s];
            if (age < 0 || age >= MAX_AGE_WEEKS || !isfinite(T->thr_d[s]) || !isfinite(clock) || (clock < 0 && -clock > busy_max))
                return snprintf(buf, len, "slot %lld: a person's birth week or clocks out of range", (long long)s), buf;
            alive++;
            pregnant += clock < 0 && (int)(-clock) - 1 - S->P->postpartum >= S->week;
        }
        S->comm[i].pregnant = (int32_t)pregnant;   /* the same unless altered, or a branch changed the postpartum weeks */
    }
    if ((uint64_t)slot != T->n || (uint64_t)link != S->nlink)
        return snprintf(buf, len, "the communes' slots do not fill the person table"), buf;
    if (S->max_hh != max_hh || S->max_slots != max_slots)
        return snprintf(buf, len, "the largest commune is not as recorded"), buf;
    if (alive != S->nat_week.pop_end)
        return snprintf(buf, len, "%lld persons alive, the population ledger says %lld", (long long)alive,
                        (long long)S->nat_week.pop_end), buf;
    if (ledg_holdings(S) != S->ledger_holdings)
        return snprintf(buf, len, "grain held is not what the grain ledger carried over"), buf;
    return NULL;
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
    Frame F;
    frame_keep(S, &F);
    AgeTab *tabs[DATA_MAX_PROV][2];   /* data.c allows no more provinces */
    for (int p = 0; p < S->nprov && p < DATA_MAX_PROV; p++) { tabs[p][0] = S->prov[p].tab[0]; tabs[p][1] = S->prov[p].tab[1]; }
    Stream s = {f, 0, 0, 1};
#define R(ptr, n) get(&s, (ptr), sizeof *(ptr) * (size_t)(n));
    R(S->pp.bws, h.pp_cap) R(S->pp.res, h.pp_cap) R(S->pp.thr_d, h.pp_cap) R(S->pp.thr_f, h.pp_cap)
    R(S->hh.size, h.hh_n) R(S->hh.flags, h.hh_n) R(S->hh.labour, h.hh_n) R(S->hh.need, h.hh_n) R(S->hh.stock, h.hh_n)
    R(S->link, h.nlink) R(S->comm, h.ncomm) R(S->cty, h.ncty) R(S->prov, h.nprov)
#define RS(field) R(&S->field, 1)
    SCALARS(RS)
#undef RS
#undef R
    for (int p = 0; p < S->nprov && p < DATA_MAX_PROV; p++) { S->prov[p].tab[0] = tabs[p][0]; S->prov[p].tab[1] = tabs[p][1]; }
    size_t nrows = (size_t)(h.payload - s.bytes);   /* the output rows: into memory, checked before out_load reads them */
    char *rows = mem_calloc(nrows, 1);
    get(&s, rows, nrows);
    fclose(f);
    if (!s.ok)
        rc = err_set(e, LEAP_EINPUT, "%s: checkpoint is truncated (it changed while being read?)", path);
    else if (s.crc != h.payload_crc)
        rc = err_set(e, LEAP_EINPUT, "%s: checkpoint is corrupt (checksum mismatch: its contents' CRC-32 is %08x, its "
                     "header says %08x): make it again with this leap (--checkpoint-at DATE --checkpoint FILE)",
                     path, (unsigned)s.crc, (unsigned)h.payload_crc);
    if (!rc) {
        FILE *m = fmemopen(rows, nrows, "rb");
        if (!m) rc = err_sys(e, "%s: cannot read the output rows (%s)", path, strerror(errno));
        else {
            rc = out_load(S, m, e);
            fclose(m);
            if (rc) {   /* out_load does not know the file's name */
                char msg[sizeof e->msg];
                snprintf(msg, sizeof msg, "%s", e->msg);
                err_set(e, rc, "%s: %.900s", path, msg);
            }
        }
    }
    mem_free(rows, nrows);
    char why[200];
    const char *bad = rc ? NULL : check_state(S, &F, why, sizeof why);
    if (bad)
        rc = err_set(e, LEAP_EINPUT, "%s: checkpoint is inconsistent (%s), though its checksums match: altered? make it "
                     "again with this leap (--checkpoint-at DATE --checkpoint FILE)", path, bad);
    frame_free(S, &F);
    if (!rc && S->week >= S->nweeks)
        rc = err_set(e, LEAP_EINPUT, "%s: made in week %d; this scenario's run ends before it", path, S->week);
    return rc;
}
