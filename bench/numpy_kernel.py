#!/usr/bin/python3
"""numpy_kernel.py -- leap's weekly person kernel written plainly in NumPy,
for the benchmark's comparison (bench/run.sh --numpy).

The same per-person work as src/nutrition.c does for every person every
week, vectorised over the whole population: age in weeks -> age index ->
the age-sex row (need, weekly hazard, reserve rate, conception hazard);
the energy reserve moves with intake/need; the death threshold falls by the
hazard times the mortality multiplier of the reserve; women's conception
threshold falls by their hazard times fecundity; events where a threshold
crosses zero.  No households, food system or mechanisms: this is the inner
loop only, the part that must touch every person.  It times WEEKS weeks and
prints person-weeks per second.

  /usr/bin/python3 bench/numpy_kernel.py PERSONS [WEEKS]
"""
import sys
import time

import numpy as np

RES_ONE = 50000


def main():
    n = int(sys.argv[1])
    weeks = int(sys.argv[2]) if len(sys.argv) > 2 else 26
    rng = np.random.default_rng(1957)
    # the person table: birth week + flags, reserve, two thresholds (12 bytes, as in leap)
    birth = (6000 - rng.integers(0, 52 * 80, n)).astype(np.uint16)
    female = rng.random(n) < 0.49
    alive = np.ones(n, dtype=bool)
    res = np.full(n, RES_ONE, dtype=np.uint16)
    thr_d = rng.exponential(1.0, n).astype(np.float32)
    thr_f = np.where(female, rng.exponential(1.0, n), 1.0).astype(np.float32)
    # age tables (220 indices x 2 sexes), like src/demog.h
    nage = 220
    age_ix = np.minimum(np.arange(8192) // 52, nage - 1).astype(np.uint8)
    h0 = (0.0004 + 0.00001 * np.arange(nage) ** 1.5).astype(np.float32)
    need = np.full(nage, 2000.0, dtype=np.float32)
    rk = np.full(nage, 400.0, dtype=np.float32)
    phi = np.where((np.arange(nage) >= 15) & (np.arange(nage) < 50), 0.02, 0.0).astype(np.float32)
    r = np.arange(256) * 256.0 / RES_ONE               # reserve (fraction of healthy) of each table row
    dd = np.clip(1 - r, 0, 0.95)                        # depletion
    mult = np.exp(3 * dd ** 2 / (1 - dd)).astype(np.float32)
    fec = np.clip((r - 0.6) / 0.35, 0, 1).astype(np.float32)
    q = np.where(rng.random(n) < 0.4, 0.9, 1.0).astype(np.float32)   # intake/need by person
    pw = 0
    t0 = time.perf_counter()
    for w in range(weeks):
        wkb = 6000 + w
        ix = age_ix[np.minimum(wkb - birth.astype(np.int32), 8191)]
        v = res.astype(np.float32)
        d = 1.0 - v / RES_ONE
        nv = np.clip(v + rk[ix] * (q - 1 + 0.8 * d), 0, RES_ONE)
        res = np.where(alive, nv + 0.5, res).astype(np.uint16)
        m = mult[(res >> 8).clip(0, 255)]
        thr_d = np.where(alive, thr_d - h0[ix] * m, thr_d)
        dead = alive & (thr_d <= 0)
        alive &= ~dead
        g = fec[(res >> 8).clip(0, 255)]
        thr_f = np.where(alive & female, thr_f - phi[ix] * g, thr_f)
        conceived = alive & female & (thr_f <= 0)
        thr_f[conceived] = 1.0
        _ = need[ix][alive].sum()
        pw += int(alive.sum())
    t = time.perf_counter() - t0
    print(f"{pw / t:.4g}")


if __name__ == "__main__":
    main()
