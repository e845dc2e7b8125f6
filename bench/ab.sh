#!/usr/bin/env bash
# bench/ab.sh -- this tree's leap against an earlier commit's, run in turns.
#
#   bench/ab.sh REV [--scenario FILE] [--scale F] [--pairs N] [--threads T] [--args "ARGS"]
#                   [--old-args "ARGS"] [--side-by-side]
#
# --args gives both binaries' runs more arguments (`--args "--set
# run.end=1959-12-31"` for a shorter run); --old-args gives the old binary's
# runs more arguments: `bench/ab.sh HEAD --old-args --plain-kernel` measures
# the vector kernels against the plain loops of the same commit.
#
# Builds commit REV in a temporary git worktree, then runs the same scenario
# with both binaries in turn -- new, old, new, old ... -- N times each
# (default 5, after one warm-up pair) and prints each pair's wall times and
# their ratio new/old, then the median ratio.  Taking the ratio pair by pair
# keeps it meaningful when the machine's speed drifts during the call (on a
# shared 2-core machine single runs vary by 10-20%); quote the median.
# Wall time is the whole process (set-up included), from /usr/bin/time.
#
# --side-by-side runs the two binaries of a pair at the same time, each on
# one thread pinned to its own core (taskset), the cores swapped every
# pair: both then see the same spell of the machine, which is what drifts
# most.  They share the memory bus, so it measures one-thread speed under
# load, not the 2-thread figure.  One core can run slower than the other
# for minutes, so the median is taken over each two pairs' geometric mean
# (each binary once on each core): give an even number of pairs.
set -eu
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
[ $# -ge 1 ] || { echo "usage: bench/ab.sh REV [--scenario FILE] [--scale F] [--pairs N] [--threads T] [--args ARGS] [--old-args ARGS]" >&2; exit 2; }
REV=$1; shift
SCEN=scenarios/no-leap.yaml; SCALE=0.01; PAIRS=5; THREADS=$(nproc); ARGS=""; OLDARGS=""; SIDE=0
while [ $# -gt 0 ]; do
    if shared_option "$@"; then shift 2; continue; fi
    case "$1" in
        --pairs) PAIRS=$2; shift 2 ;;
        --old-args) OLDARGS=$2; shift 2 ;;
        --side-by-side) SIDE=1; THREADS=1; shift ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
git rev-parse --verify -q "$REV^{commit}" >/dev/null || { echo "bench/ab.sh: $REV is not a commit" >&2; exit 2; }
make -s leap
T=$(mktemp -d /tmp/leap-ab.XXXXXX)
trap 'git worktree remove --force "$T/old" >/dev/null 2>&1 || true; rm -rf "$T"' EXIT
git worktree add -q --detach "$T/old" "$REV"
make -s -C "$T/old" leap >/dev/null
run1() {   # run1 TAG CORE BINARY [ARGS]: one run (on core CORE unless ""), its wall seconds in $T/time.TAG
    local tag=$1 core=$2 bin=$3 pin=()
    shift 3
    [ -n "$core" ] && pin=(taskset -c "$core")
    # shellcheck disable=SC2086  # ARGS: words, as given
    /usr/bin/time -f "%e" -o "$T/time.$tag" "${pin[@]}" "$bin" run "$SCEN" --scale "$SCALE" --threads "$THREADS" \
        --quiet --force --no-db --out "$T/o.$tag" $ARGS "$@" >/dev/null
}
wall() {   # wall BINARY [ARGS]: one run's wall seconds
    run1 one "" "$@"
    cat "$T/time.one"
}
pair() {   # pair N: prints the new and the old binary's wall seconds of pair N
    if [ "$SIDE" = 1 ]; then
        local cn=$(($1 % 2)) co=$((1 - $1 % 2))
        run1 new "$cn" ./leap &
        # shellcheck disable=SC2086  # OLDARGS: words, as given
        run1 old "$co" "$T/old/leap" $OLDARGS &
        wait
        echo "$(cat "$T/time.new") $(cat "$T/time.old")"
    else
        # shellcheck disable=SC2086  # OLDARGS: words, as given
        echo "$(wall ./leap) $(wall "$T/old/leap" $OLDARGS)"
    fi
}
echo "leap bench/ab: $SCEN, scale $SCALE, $THREADS threads, $PAIRS pairs (after one warm-up pair)${ARGS:+, $ARGS}$([ "$SIDE" = 1 ] && echo ', side by side, one core each')"
machine_line
echo "new: $(./leap --version); old: $("$T/old/leap" --version)${OLDARGS:+ $OLDARGS}"
pair 0 >/dev/null
printf '%-5s %10s %10s %10s\n' pair new_s old_s new/old
: > "$T/ratios"
for p in $(seq "$PAIRS"); do
    read -r a b <<< "$(pair "$p")"
    r=$(awk -v a="$a" -v b="$b" 'BEGIN{printf "%.3f", a/b}')
    echo "$r" >> "$T/ratios"
    printf '%-5s %10s %10s %10s\n' "$p" "$a" "$b" "$r"
done
if [ "$SIDE" = 1 ]; then   # a core can be slower than the other for a while: take pairs 1-2, 3-4 ... together
    awk 'NR % 2 == 0 {printf "%.4f\n", sqrt(p * $1)} {p = $1}' "$T/ratios" > "$T/r2"
    mv "$T/r2" "$T/ratios"
    echo "each two pairs with the cores swapped (geometric mean):"
    awk '{printf "  pairs %d-%d: %.3f\n", 2 * NR - 1, 2 * NR, $1}' "$T/ratios"
fi
sort -g "$T/ratios" | awk '{v[NR]=$1} END{m=(NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2); printf "median new/old: %.3f (%.2fx the speed)\n", m, 1/m}'
