/*
** checkpoint.h -- the whole state of a run at the start of a week, saved
** to a file and loaded again (`leap run --checkpoint-at DATE --checkpoint
** FILE`, `leap run SCENARIO --from FILE`).
**
** Saved: every person, household and birth-pool link, every commune,
** county and province, the Centre, the national tallies, the output rows
** written so far and the calendar -- everything the weekly step reads.
** Not saved, because they are rebuilt from the scenario: the parameters,
** the life table and the provinces' age tables (so a branch can run under
** another scenario from that week on).  Random numbers are keyed by
** (seed, stream, entity, step), never drawn from a sequence, so nothing
** about them needs saving: a run resumed under the same scenario is
** byte-identical to an uninterrupted one (a test checks it).
** The file is a binary image of this build's structures: it is refused by
** another leap build, scale or seed, or if the scenario changes the
** population (a different structure of communes and households).
** Format 2 (the magic LEAPCKP2) records the payload's length and zlib
** CRC-32s of the header and of the payload; a file whose length or
** checksums do not match, or of format 1 (no checksums), is refused before
** anything in it is used.  The contents are then checked as a file altered
** with its checksums made again would need (ckpt_load's check_state), before
** the first week reads an index from them.
*/
#ifndef LEAP_CHECKPOINT_H
#define LEAP_CHECKPOINT_H

#include "err.h"
#include "sim.h"

/* Save S (at the start of week S->week) into path (written whole, then renamed). */
int ckpt_save(const SimState *S, const char *path, LeapErr *e);
/* Read the scale and seed a checkpoint was made at (to build the state to load into). */
int ckpt_peek(const char *path, double *scale, uint32_t *seed, int *week, LeapErr *e);
/* Load into S, made by sim_new() at the checkpoint's scale and seed. */
int ckpt_load(SimState *S, const char *path, LeapErr *e);

#endif
