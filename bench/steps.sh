#!/usr/bin/env bash
# bench/steps.sh -- the weekly loop's wall time, step by step, at each scale.
#
#   bench/steps.sh [--scenario FILE] [--scales "0.01 0.1"] [--runs N] [--threads T]
#                  [--args "ARGS"]
#
# Runs the scenario (default history) N times (default 3) at each scale,
# in rounds as bench/run.sh does (every scale once, then again), and prints
# for each step before the communes' week (run.json's timings.steps_s:
# calendar, pol_step, ... ensure_pools, in the order sim_step runs them),
# then for the steps together, the communes' week, the tallies and output
# rows, and the whole weekly loop, the median over the runs of its wall
# seconds per run, one column per scale.  A last row gives the fixed part
# of the loop: the steps, tallies and rows, in per cent of the loop.  The
# steps walk every commune's record whatever its size, so their seconds
# hardly change with the scale; what grows is the communes' week.
set -eu
SELF=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
RUNS=3; SCALES="0.01 0.1"; THREADS=$(nproc); SCEN=scenarios/history.yaml; ARGS=""
while [ $# -gt 0 ]; do
    if shared_option "$@"; then shift 2; continue; fi
    case "$1" in
        -h|--help) head_help "$SELF"; exit 0 ;;
        *) echo "bench/steps.sh: unknown option $1 (--help lists them)" >&2; exit 2 ;;
    esac
done
work_dir steps

echo "leap steps: $SCEN, $THREADS threads, median of $RUNS runs${ARGS:+, $ARGS}"
machine_line
date_line
runs=()
for r in $(seq 1 "$RUNS"); do
    for s in $SCALES; do
        d="$T/$s-$r"
        # shellcheck disable=SC2086
        run_or_fail bench/steps.sh "$s" "$T/log" \
            ./leap run "$SCEN" --scale "$s" --threads "$THREADS" --quiet --force --no-db --out "$d" $ARGS
        runs+=("$s:$d/run.json")
    done
done
# the steps in the order sim_step runs them, from its STEP lines
order=$(grep -o 'STEP([a-z_0-9]*)' src/sim.c | grep -v 'STEP(f)' | sed 's/STEP(\(.*\))/\1/' | tr '\n' ' ')
/usr/bin/python3 - "$order" "${runs[@]}" <<'EOF'
import json, sys
from statistics import median
order, by_scale = sys.argv[1].split(), {}
for arg in sys.argv[2:]:
    scale, path = arg.split(":", 1)
    t = json.load(open(path))["timings"]
    if sorted(order) != sorted(t["steps_s"]):
        sys.exit("bench/steps.sh: the steps of src/sim.c (%s) are not those of run.json (%s)"
                 % (" ".join(order), " ".join(t["steps_s"])))
    row = {k: t["steps_s"][k] for k in order}
    row["all the steps"] = t["state_steps_s"]
    row["communes' week"] = t["communes_s"]
    row["tallies, rows"] = t["tally_s"]
    row["weekly loop"] = t["run_s"]
    row["fixed %"] = 100 * (t["state_steps_s"] + t["tally_s"]) / t["run_s"]
    by_scale.setdefault(scale, []).append(row)
scales = list(by_scale)
names = list(by_scale[scales[0]][0])
print("wall seconds per run (medians); columns: scale")
print("%-16s" % "step" + "".join("%12s" % s for s in scales))
for n in names:
    f = "%12.1f" if n == "fixed %" else "%12.3f"
    print("%-16s" % n + "".join(f % median(r[n] for r in by_scale[s]) for s in scales))
EOF
