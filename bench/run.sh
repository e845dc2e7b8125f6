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
# It runs the whole process N times (default 3) at each scale, in rounds
# (every scale once, then again: the machine's speed drifts, and rounds let
# it hit all scales alike), and prints for each scale the median wall time, person-weeks per second (alive persons x weeks / wall
# time of the weekly loop, from run.json), the share of the weekly loop spent
# outside the communes' week (steps%: the state's and mechanisms' steps,
# tallies and output rows, run.json timings -- work per commune, not per
# person, so its share falls as communes grow with the scale), settled%
# (run.json "work": the share of person-weeks at home, fed in full at a full
# reserve, whose state only its hazards move -- what an event-driven week
# could skip at most), peak RSS (the
# kernel's maximum resident set of the process) and RSS per slot, and the
# marginal bytes per slot between each scale and the one before:
#     (peak RSS(large) - peak RSS(small)) / (slots(large) - slots(small)),
# slots = founding members + children born (every slot the run used at its
# peak).  That is the memory cost of one more person, free of fixed costs.
set -eu
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
RUNS=3; SCALES="0.001 0.01 0.1"; THREADS=$(nproc); SCEN=scenarios/no-leap.yaml; DIAG=0; ARGS=""
while [ $# -gt 0 ]; do
    if shared_option "$@"; then shift 2; continue; fi
    case "$1" in
        --diagnostics) DIAG=1; shift ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
if [ "$DIAG" -eq 1 ] && ! /usr/bin/python3 -c 'import numpy' 2>/dev/null; then
    echo "bench/run.sh: --diagnostics needs NumPy for /usr/bin/python3 (Debian: apt-get install python3-numpy," >&2
    echo "  which scripts/install-deps does)" >&2
    exit 2
fi
work_dir bench
median() { sort -g | awk '{v[NR]=$1} END{print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
jnum() { grep -o "\"$1\": [0-9.e+-]*" "$2" | head -1 | awk '{print $2}'; }

echo "leap bench: $SCEN, $THREADS threads, median of $RUNS runs${ARGS:+, $ARGS}"
machine_line
date_line
printf '%-7s %10s %12s %14s %8s %9s %10s %12s %12s\n' scale wall_s loop_s person_wk/s steps% settled% peak_MiB slots B/slot
# Rounds: every scale once, then again: the machine's speed drifts by 10% or
# more within minutes, and rounds spread the drift over all scales alike.
for r in $(seq "$RUNS"); do
    for s in $SCALES; do
        /usr/bin/time -f "%e %M" -o "$T/time" ./leap run "$SCEN" --scale "$s" --threads "$THREADS" \
            --quiet --force --no-db --out "$T/o-$s" $ARGS
        read -r wall rss < "$T/time"
        j="$T/o-$s/run.json"
        echo "$wall" >> "$T/wall-$s"; echo "$rss" >> "$T/rss-$s"
        jnum run_s "$j" >> "$T/loop-$s"
        jnum person_weeks_per_s "$j" | tee -a "$T/pws-$s" >> "$T/round-$r"
        awk -v a="$(jnum state_steps_s "$j")" -v b="$(jnum tally_s "$j")" \
            -v r="$(jnum run_s "$j")" 'BEGIN {print 100 * (a + b) / r}' >> "$T/ser-$s"
    done
done
prev_rss=""; prev_slots=""
for s in $SCALES; do
    slots=$(jnum slots_used "$T/o-$s/run.json")
    settled=$(awk -v x="$(jnum settled_share "$T/o-$s/run.json")" 'BEGIN {print 100 * x}')   # the same in every run
    wall=$(median < "$T/wall-$s"); loop=$(median < "$T/loop-$s"); pws=$(median < "$T/pws-$s"); rss=$(median < "$T/rss-$s")
    ser=$(median < "$T/ser-$s")
    printf '%-7s %10.2f %12.2f %14.3g %8.1f %9.1f %10.0f %12d %12.1f\n' "$s" "$wall" "$loop" "$pws" "$ser" "$settled" "$(echo "$rss/1024" | bc -l)" \
        "$slots" "$(echo "$rss*1024/$slots" | bc -l)"
    if [ -n "$prev_rss" ]; then
        marg=$(echo "($rss - $prev_rss) * 1024 / ($slots - $prev_slots)" | bc -l)
        printf '        marginal bytes per slot, scale %s -> %s: %.1f\n' "$prev_scale" "$s" "$marg"
    fi
    prev_rss=$rss; prev_slots=$slots; prev_scale=$s
done
# the cost per person across scales, round by round: the most person-weeks
# per second of a round over the fewest (1.30 = within 30%)
if [ "$(echo $SCALES | wc -w)" -gt 1 ]; then
    echo "person-weeks/s by round (scales $SCALES in turn), most/fewest:"
    for r in $(seq "$RUNS"); do
        awk -v r="$r" '{v[NR] = $1; if (NR == 1 || $1 > hi) hi = $1; if (NR == 1 || $1 < lo) lo = $1}
            END {printf "  round %d:", r; for (i = 1; i <= NR; i++) printf " %9.3g", v[i]; printf "   %.2f\n", hi / lo}' "$T/round-$r"
    done | tee "$T/rounds"
    printf '  median most/fewest: %.2f\n' "$(awk '{print $NF}' "$T/rounds" | median)"
fi
pws=$(median < "$T/pws-$prev_scale"); loop=$(median < "$T/loop-$prev_scale")
ln -s "o-$prev_scale" "$T/o"

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
