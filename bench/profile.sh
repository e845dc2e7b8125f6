#!/usr/bin/env bash
# bench/profile.sh -- where leap's time goes, function by function, per person.
#
#   bench/profile.sh [--scenario FILE] [--scales "0.01 0.1"] [--runs N] [--threads T]
#                    [--top N] [--args "ARGS"]
#
# Runs the scenario (default history) N times (default 2) at each scale, in
# rounds as bench/run.sh does, each whole process sampled by perf (the
# cpu-clock software event at 2 kHz on every thread: it works in virtual
# machines without hardware counters), and prints, for the N functions
# that cost most (default 20, by their median over the runs), the CPU
# seconds they took per 10^9 person-weeks (run.json's person_weeks), one
# column per run.  Per person-week, columns of different scales compare
# directly: a function whose cost grows as the scale falls does work per
# commune, not per person; columns of one scale show what a slow spell of
# the machine costs each function.  Samples in a library whose symbols perf
# cannot name are summed as [library].  Needs perf (Debian: apt-get
# install linux-perf) and the rights to sample (root, or
# kernel.perf_event_paranoid <= 1).
set -eu
SELF=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
RUNS=2; SCALES="0.01 0.1"; THREADS=$(nproc); SCEN=scenarios/history.yaml; TOP=20; ARGS=""; FREQ=2000
while [ $# -gt 0 ]; do
    if shared_option "$@"; then shift 2; continue; fi
    case "$1" in
        --top) TOP=$2; shift 2 ;;
        -h|--help) head_help "$SELF"; exit 0 ;;
        *) echo "bench/profile.sh: unknown option $1 (--help lists them)" >&2; exit 2 ;;
    esac
done
command -v perf >/dev/null || { echo "bench/profile.sh: needs perf (Debian: apt-get install linux-perf)" >&2; exit 2; }
work_dir profile

echo "leap profile: $SCEN, $THREADS threads, $RUNS runs per scale${ARGS:+, $ARGS} (perf cpu-clock, $FREQ Hz)"
machine_line
date_line
cols=()
for r in $(seq 1 "$RUNS"); do
    for s in $SCALES; do
        id="$s#$r"; d="$T/$s-$r"; mkdir -p "$d"
        # shellcheck disable=SC2086
        run_or_fail bench/profile.sh "$s" "$d/log" perf record -q -e cpu-clock -F "$FREQ" -o "$d/perf.data" -- \
            ./leap run "$SCEN" --scale "$s" --threads "$THREADS" --quiet --force --no-db --out "$d/out" $ARGS
        perf report -i "$d/perf.data" --stdio -q --no-children --sort dso,sym -F sample,dso,sym \
            >"$d/report" 2>/dev/null
        grep -o '"person_weeks": [0-9]*' "$d/out/run.json" | awk '{print $2}' >"$d/pw"
        cols+=("$id:$d")
    done
done
/usr/bin/python3 - "$FREQ" "$TOP" "${cols[@]}" <<'EOF'
import re, sys
freq, top = float(sys.argv[1]), int(sys.argv[2])
runs = []
for arg in sys.argv[3:]:
    name, d = arg.split(":", 1)
    pw = float(open(d + "/pw").read())
    cost = {}
    for line in open(d + "/report"):
        m = re.match(r"\s*(\d+)\s+(\S+)\s+\[.\]\s+(\S+)", line)
        if not m:
            continue
        n, dso, sym = int(m.group(1)), m.group(2), m.group(3)
        if sym.startswith("0x"):
            sym = "[" + dso.split(".so")[0] + "]"
        sym = re.sub(r"\.(constprop|isra|part|cold)\.\d+", "", sym)
        cost[sym] = cost.get(sym, 0.0) + n / freq / pw * 1e9
    runs.append((name, cost))
def median(v):
    v = sorted(v); n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2
names = set().union(*(c for _, c in runs))
order = sorted(names, key=lambda f: -median([c.get(f, 0.0) for _, c in runs]))
print("CPU seconds per 1e9 person-weeks (all threads), by function; columns: scale#run")
print("%-28s" % "function" + "".join("%10s" % n for n, _ in runs))
for f in order[:top]:
    print("%-28s" % f[:28] + "".join("%10.3f" % c.get(f, 0.0) for _, c in runs))
print("%-28s" % "(the rest)" + "".join("%10.3f" % sum(v for k, v in c.items() if k not in order[:top]) for _, c in runs))
print("%-28s" % "total" + "".join("%10.3f" % sum(c.values()) for _, c in runs))
EOF
