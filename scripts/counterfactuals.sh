#!/usr/bin/env bash
# counterfactuals.sh -- history and every counterfactual scenario, side by
# side: excess deaths by year, the retreat's date and the first imports.
# The README's table of counterfactuals is this script's output.
#
#   scripts/counterfactuals.sh [--scale F] [--seeds "1 2 3"] [--threads T]
#
# Each scenario runs once per seed; the table gives the mean over the seeds
# of excess deaths (million) and, for the retreat, the first seed's date.
# Seeds matter: provincial radicalism and land quality are drawn per seed.
set -eu
cd "$(dirname "$0")/.."
SCALE=0.01; SEEDS="1 2 3"; THREADS=$(nproc)
while [ $# -gt 0 ]; do
    case "$1" in
        --scale) SCALE=$2; shift 2 ;;
        --seeds) SEEDS=$2; shift 2 ;;
        --threads) THREADS=$2; shift 2 ;;
        *) echo "unknown option $1 (see the head of this script)" >&2; exit 2 ;;
    esac
done
[ -x ./leap ] || make -s leap
T=$(mktemp -d /tmp/leap-cf.XXXXXX)
trap 'rm -rf "$T"' EXIT
echo "leap counterfactuals: scale $SCALE, seeds $SEEDS (mean), leap $(./leap --version | awk '{print $2, $3, $4}')"
printf '%-22s %7s %7s %7s %7s %7s %9s   %-10s %-10s\n' scenario 1958 1959 1960 1961 1962 "1958-61" retreat imports
for f in scenarios/history.yaml scenarios/counterfactual/*.yaml; do
    n=$(basename "$f" .yaml)
    for seed in $SEEDS; do
        ./leap run "$f" --scale "$SCALE" --seed "$seed" --threads "$THREADS" --quiet --no-db --out "$T/$n-$seed"
    done
    first=$(echo $SEEDS | awk '{print $1}')
    r=$(grep -o '"retreat_week_of": "[0-9-]*"' "$T/$n-$first/run.json" | grep -o '[0-9]\{4\}-[0-9-]*' || echo never)
    i=$(grep -o '"imports_from_week_of": "[0-9-]*"' "$T/$n-$first/run.json" | grep -o '[0-9]\{4\}-[0-9-]*' || echo never)
    for seed in $SEEDS; do cat "$T/$n-$seed/national_annual.csv"; done |
        awk -F, -v n="$n" -v r="$r" -v i="$i" -v k="$(echo $SEEDS | wc -w)" '
            $1 == "year" { for (j = 1; j <= NF; j++) if ($j == "excess_deaths_million") c = j; next }
            { x[$1] += $c / k }
            END { printf "%-22s %7.1f %7.1f %7.1f %7.1f %7.1f %9.1f   %-10s %-10s\n", n, x[1958], x[1959], x[1960],
                  x[1961], x[1962], x[1958] + x[1959] + x[1960] + x[1961], r, i }'
done
