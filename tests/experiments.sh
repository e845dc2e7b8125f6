#!/usr/bin/env bash
# experiments.sh -- `leap decompose` end to end on three mechanisms (the
# Shapley arithmetic is checked on toy games in tests/test_decompose.c).
# Called by run-all.sh.

echo "== leap decompose"
DEC="$LEAP decompose scenarios/history.yaml --mechanisms procurement,dining,furnaces --seeds 1 --scale 0.0003"
$DEC --out "$T/dec" > "$T/dec.txt" 2> "$T/err"
check "decompose, 3 mechanisms, exact: exit 0" "[ $? -eq 0 ] && grep -q 'exact' $T/dec.txt"
check "decompose: 8 coalitions + 2 weather runs in coalitions.csv" "[ \$(tail -n +2 $T/dec/coalitions.csv | wc -l) -eq 10 ]"
# efficiency: the contributions add up to all-on minus all-off (to rounding)
check "decompose: contributions add up to all-on minus all-off, and match coalitions.csv" "awk -F, '
    FNR == 1 { next }
    FILENAME ~ /coalitions/ && \$3 == \"real\" && \$1 == 0 { v0 = \$5 }
    FILENAME ~ /coalitions/ && \$3 == \"real\" && \$1 == 7 { v7 = \$5 }
    FILENAME ~ /decomposition/ && NR > 0 && \$1 !~ / / { s += \$2 }
    FILENAME ~ /decomposition/ && \$1 ~ /^all mechanisms/ { tot = \$2 }
    END { d1 = s - tot; d2 = tot - (v7 - v0); if (d1 < 0) d1 = -d1; if (d2 < 0) d2 = -d2; exit !(d1 < 0.01 && d2 < 0.01) }
' $T/dec/coalitions.csv $T/dec/decomposition.csv"
check "decompose: procurement adds excess deaths in history (its Shapley value > 0)" \
    "awk -F, '\$1 == \"procurement\" {exit !(\$2 > 0)}' $T/dec/decomposition.csv"
$DEC --budget 9 --samples 2 --out "$T/dec-s" > "$T/dec-s.txt" 2> "$T/err"
check "decompose, over budget for exact: samples orders, still efficient" "[ $? -eq 0 ] && grep -q 'sampled' $T/dec-s.txt &&
    awk -F, '\$1 !~ / / && NR > 1 {s += \$2} \$1 ~ /^all mechanisms/ {t = \$2} END {d = s - t; if (d < 0) d = -d; exit !(d < 0.01)}' $T/dec-s/decomposition.csv"
$DEC --mechanisms weather --out "$T/dec-bad" > /dev/null 2> "$T/err"
check "decompose: weather is not a player: exit 2" "[ $? -eq 2 ] && grep -q 'weather is not a player' $T/err && [ ! -e $T/dec-bad ]"
$DEC --budget 3 --samples 5 --out "$T/dec-b" > /dev/null 2> "$T/err"
check "decompose: a budget too small for the samples: exit 2 saying what is needed" "[ $? -eq 2 ] && grep -q 'raise --budget' $T/err"
