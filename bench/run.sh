#!/usr/bin/env bash
# bench/run.sh -- speed and memory of leap on the no-leap scenario.
#
#   bench/run.sh [--runs N] [--scales "0.001 0.01 0.1"] [--threads T] [--scenario FILE]
#                [--args "ARGS"] [--diagnostics]
#
# --args gives every run more arguments: `--args "--set run.end=1958-12-31"`
# times the first two years only (the birth pools are then sized for the
# shorter run, which moves the person table more often than a full run does).
#
# --diagnostics adds, for the largest scale: the STREAM triad bandwidth of
# this machine (bench/triad.c, all threads) against the bytes leap's weekly
# loop moves (person-weeks/s x 22 bytes: 12 read and 10 written per person
# and week); leap's speed against the same weekly person kernel written
# plainly in NumPy (bench/numpy_kernel.py, on as many persons, 8 weeks); and
# a check that --threads 1 gives byte-identical CSV files.
#
# For each scale it runs the whole process N times (default 3) and prints the
# median wall time, person-weeks per second (alive persons x weeks / wall
# time of the weekly loop, from run.json), the share of the weekly loop spent
# outside the communes' week (steps%: the state's and mechanisms' steps,
# tallies and output rows, run.json timings -- work per commune, not per
# person, so its share falls as communes grow with the scale), settled%
# (run.json "work": the share of person-weeks at home, fed in full at a full
# reserve, whose state only its hazards move -- what an event-driven week
# could skip at most), peak RSS (the
# kernel's maximum resident set of the process) and RSS per slot, then the
# marginal bytes per slot between the two largest scales:
#     (peak RSS(large) - peak RSS(small)) / (slots(large) - slots(small)),
# slots = founding members + children born (every slot the run used at its
# peak).  That is the memory cost of one more person, free of fixed costs.
set -eu
cd "$(dirname "$0")/.."
RUNS=3; SCALES="0.001 0.01 0.1"; THREADS=$(nproc); SCEN=scenarios/no-leap.yaml; DIAG=0; ARGS=""
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) RUNS=$2; shift 2 ;;
        --scales) SCALES=$2; shift 2 ;;
        --threads) THREADS=$2; shift 2 ;;
        --scenario) SCEN=$2; shift 2 ;;
        --args) ARGS=$2; shift 2 ;;
        --diagnostics) DIAG=1; shift ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
[ -x ./leap ] || make -s leap
if [ "$DIAG" -eq 1 ] && ! /usr/bin/python3 -c 'import numpy' 2>/dev/null; then
    echo "bench/run.sh: --diagnostics needs NumPy for /usr/bin/python3 (Debian: apt-get install python3-numpy," >&2
    echo "  which scripts/install-deps does)" >&2
    exit 2
fi
T=$(mktemp -d /tmp/leap-bench.XXXXXX)
trap 'rm -rf "$T"' EXIT
median() { sort -g | awk '{v[NR]=$1} END{print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
jnum() { grep -o "\"$1\": [0-9.e+-]*" "$2" | head -1 | awk '{print $2}'; }

echo "leap bench: $SCEN, $THREADS threads, median of $RUNS runs${ARGS:+, $ARGS}"
echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "date: $(date -u +%Y-%m-%d), leap $(./leap --version | awk '{print $2, $3, $4}')"
printf '%-7s %10s %12s %14s %8s %9s %10s %12s %12s\n' scale wall_s loop_s person_wk/s steps% settled% peak_MiB slots B/slot
prev_rss=""; prev_slots=""
for s in $SCALES; do
    : > "$T/wall"; : > "$T/loop"; : > "$T/pws"; : > "$T/rss"; : > "$T/ser"
    for r in $(seq "$RUNS"); do
        /usr/bin/time -f "%e %M" -o "$T/time" ./leap run "$SCEN" --scale "$s" --threads "$THREADS" \
            --quiet --force --no-db --out "$T/o" $ARGS
        read -r wall rss < "$T/time"
        echo "$wall" >> "$T/wall"; echo "$rss" >> "$T/rss"
        jnum run_s "$T/o/run.json" >> "$T/loop"
        jnum person_weeks_per_s "$T/o/run.json" >> "$T/pws"
        awk -v a="$(jnum state_steps_s "$T/o/run.json")" -v b="$(jnum tally_s "$T/o/run.json")" \
            -v r="$(jnum run_s "$T/o/run.json")" 'BEGIN {print 100 * (a + b) / r}' >> "$T/ser"
    done
    slots=$(jnum slots_used "$T/o/run.json")
    settled=$(awk -v x="$(jnum settled_share "$T/o/run.json")" 'BEGIN {print 100 * x}')   # the same in every run
    wall=$(median < "$T/wall"); loop=$(median < "$T/loop"); pws=$(median < "$T/pws"); rss=$(median < "$T/rss")
    ser=$(median < "$T/ser")
    printf '%-7s %10.2f %12.2f %14.3g %8.1f %9.1f %10.0f %12d %12.1f\n' "$s" "$wall" "$loop" "$pws" "$ser" "$settled" "$(echo "$rss/1024" | bc -l)" \
        "$slots" "$(echo "$rss*1024/$slots" | bc -l)"
    if [ -n "$prev_rss" ]; then
        marg=$(echo "($rss - $prev_rss) * 1024 / ($slots - $prev_slots)" | bc -l)
        printf '        marginal bytes per slot, scale %s -> %s: %.1f\n' "$prev_scale" "$s" "$marg"
    fi
    prev_rss=$rss; prev_slots=$slots; prev_scale=$s
done

[ "$DIAG" -eq 1 ] || exit 0
echo
echo "diagnostics at scale $prev_scale:"
gcc -O2 -fopenmp bench/triad.c -o "$T/triad"
triad=$(OMP_NUM_THREADS=$THREADS "$T/triad")
moved=$(awk -v p="$pws" 'BEGIN {print p * 22 / 1e9}')
printf '  memory bandwidth (STREAM triad, %s threads): %.1f GB/s; leap'"'"'s weekly loop moves %.2f GB/s of person table (%.0f%%)\n' \
    "$THREADS" "$triad" "$moved" "$(awk -v a="$moved" -v b="$triad" 'BEGIN {print 100 * a / b}')"
persons=$(awk -F, 'NR == 2 {printf "%d", $2 * 1e6 * '"$prev_scale"'}' "$T/o/national_annual.csv")
np=$(/usr/bin/python3 bench/numpy_kernel.py "$persons" 8)
printf '  NumPy, the same person kernel plainly (%s persons, 1 thread): %.3g person-weeks/s; leap is %.1fx faster\n' \
    "$persons" "$np" "$(awk -v a="$pws" -v b="$np" 'BEGIN {print a / b}')"
./leap run "$SCEN" --scale "$prev_scale" --threads 1 --quiet --force --no-db --out "$T/o1" $ARGS
same=yes
for f in national_annual.csv provinces_annual.csv national_weekly.csv; do cmp -s "$T/o/$f" "$T/o1/$f" || same=NO; done
echo "  --threads 1 vs $THREADS, scale $prev_scale: byte-identical CSV files: $same"
printf '  weekly loop on 1 thread: %.1f s; on %s: %.1f s (%.2fx)\n' "$(jnum run_s "$T/o1/run.json")" "$THREADS" "$loop" \
    "$(awk -v a="$(jnum run_s "$T/o1/run.json")" -v b="$loop" 'BEGIN {print a / b}')"
