#!/usr/bin/env bash
# experiments.sh -- `leap decompose` end to end on three mechanisms (the
# Shapley arithmetic is checked on toy games in tests/test_decompose.c).
# Called by run-all.sh.

# runs_of PATTERN: the processes with an argument matching PATTERN (an
# extended regex), one pid a line; read from /proc, as pgrep is not installed
# everywhere.  PATTERN must not match its own text (grep's argument): write
# it with a bracket expression, as job-[0-9].
runs_of() { grep -lsaE -- "$1" /proc/[0-9]*/cmdline 2> /dev/null | cut -d/ -f3; }

# term_parent PATTERN READY CMD...: CMD, an experiment, in the background;
# once one of its `leap run` processes (an argument matching PATTERN) is
# there and the shell test READY holds (up to two minutes), SIGTERM to the
# experiment's own process alone -- not its process group, as Ctrl-C on a
# terminal would -- then up to two minutes for it and its runs to end.  Sets
# rc (its exit status; 137 if it had to be killed at the bound) and left (its
# runs still going at the bound, killed then, so that a failure leaves
# nothing running).  Its stderr is in $T/term.err.
term_parent() {
    local pat=$1 ready=$2 parent i
    shift 2
    "$@" > /dev/null 2> "$T/term.err" &
    parent=$!
    for i in $(seq 1200); do [ -n "$(runs_of "$pat")" ] && eval "$ready" && break; sleep 0.1; done
    kill -TERM "$parent" 2> /dev/null
    for i in $(seq 1200); do
        kill -0 "$parent" 2> /dev/null || [ -n "$(runs_of "$pat")" ] || break
        sleep 0.1
    done
    left=$(runs_of "$pat" | wc -l)
    kill -KILL "$parent" 2> /dev/null
    for i in $(runs_of "$pat"); do kill -KILL "$i" 2> /dev/null; done
    wait "$parent"
    rc=$?
}

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
# an empty list or name was "the scenario enables none", of history
for m in "" "," "procurement,,dining" "dining,"; do
    $DEC --mechanisms "$m" --out "$T/dec-bad" > /dev/null 2> "$T/err"
    check "decompose --mechanisms '$m': exit 2, 'has an empty name', nothing written" \
        "[ $? -eq 2 ] && grep -qF -- \"--mechanisms: '$m' has an empty name\" $T/err && [ ! -e $T/dec-bad ]"
done
$DEC --budget 3 --samples 5 --out "$T/dec-b" > /dev/null 2> "$T/err"
check "decompose: a budget too small for the samples: exit 2 saying what is needed" "[ $? -eq 2 ] && grep -q 'raise --budget' $T/err"
md5_dec=$(md5sum < "$T/dec/decomposition.csv")
$DEC --out "$T/dec" > /dev/null 2> "$T/err"
check "decompose into its earlier folder without --force: exit 2, left intact" \
    "[ $? -eq 2 ] && grep -q -- '--force' $T/err && [ \"\$(md5sum < $T/dec/decomposition.csv)\" = \"$md5_dec\" ]"
$DEC --budget 3 --samples 5 --out "$T/dec" --force > /dev/null 2> "$T/err"
check "decompose --force that fails: exit 2, the earlier results intact, no temporary folder left" \
    "[ $? -eq 2 ] && grep -q 'raise --budget' $T/err && [ \"\$(md5sum < $T/dec/decomposition.csv)\" = \"$md5_dec\" ] &&
     [ -z \"\$(ls -d $T/dec.tmp-* 2>/dev/null)\" ]"
mkdir -p "$T/dec-notes" && echo "my notes" > "$T/dec-notes/notes.txt"
$DEC --out "$T/dec-notes" --force > /dev/null 2> "$T/err"
check "decompose --force on a folder that is not its output: exit 2, left intact" \
    "[ $? -eq 2 ] && grep -q 'holds notes.txt' $T/err && [ \"\$(ls $T/dec-notes)\" = notes.txt ]"

echo "== leap ensemble"
printf 'rank,loss,nutrition.hazard_gamma\n1,0.01,2.5\n2,0.02,4.5\n' > "$T/sets.csv"
ENS="$LEAP ensemble scenarios/history.yaml --seeds 2 --param-sets 2 --sets $T/sets.csv --scale 0.0003"
$ENS --out "$T/ens" > "$T/ens.txt" 2> "$T/err"
check "ensemble, 2 parameter sets x 2 seeds: exit 0" "[ $? -eq 0 ] && grep -q '90% interval' $T/ens.txt"
# the ensemble mean is the mean of the four runs made by hand (same seeds, same sets)
for g in 2.5 4.5; do for s in 1 2; do
    $LEAP run scenarios/history.yaml --scale 0.0003 --seed $s --set nutrition.hazard_gamma=$g --quiet --no-db --out "$T/ens-$g-$s"
done; done
hand=$(for d in "$T"/ens-*-*; do value death_rate_permille 1960 "$d/national_annual.csv"; done | awk '{s += $1} END {printf "%.4f", s / NR}')
ens=$(awk -F, 'NR == 1 {for (i = 1; i <= NF; i++) if ($i == "death_rate_permille") c = i; next} $1 == 1960 {printf "%.4f", $c}' "$T/ens/national_annual.csv")
check "ensemble mean of the 1960 death rate ($ens) = the mean of the same four runs made by hand ($hand)" \
    "awk -v a=$ens -v b=$hand 'BEGIN {d = a - b; exit !(d < 0.001 && d > -0.001)}'"
check "ensemble: every interval holds its mean (lo <= mean <= hi)" "awk -F, 'NR == 1 {next}
    {for (i = 2; i + 2 <= NF; i += 3) if (\$i != \"\" && (\$(i+1) > \$i + 1e-9 || \$(i+2) < \$i - 1e-9)) bad = 1} END {exit bad}' $T/ens/national_annual.csv"
check "ensemble: a steeper famine hazard is a parameter, not seed, effect on the 1959 death rate" \
    "awk -F, '\$1 == \"death_rate_permille\" && \$2 == 1959 {exit !(\$4 > 0.5 && (\$4 + \$5 - 1) < 1e-3 && (\$4 + \$5 - 1) > -1e-3)}' $T/ens/interval_sources.csv"
md5_ens=$(md5sum < "$T/ens/national_annual.csv")
$ENS --out "$T/ens" > /dev/null 2> "$T/err"
check "ensemble into its earlier folder without --force: exit 2, left intact" \
    "[ $? -eq 2 ] && grep -q -- '--force' $T/err && [ \"\$(md5sum < $T/ens/national_annual.csv)\" = \"$md5_ens\" ]"
$ENS --out "$T/ens" --force > /dev/null 2> "$T/err"
check "ensemble --force replaces its earlier folder: exit 0, the same results, no temporary folder left" \
    "[ $? -eq 0 ] && [ \"\$(md5sum < $T/ens/national_annual.csv)\" = \"$md5_ens\" ] && [ -s $T/ens/replicates.csv ] &&
     [ -z \"\$(ls -d $T/ens.tmp-* 2>/dev/null)\" ]"
$LEAP ensemble scenarios/history.yaml --seeds 1 --sets "$T/sets.csv" --scale 0.0003 --out "$T/ens-nosets" > /dev/null 2> "$T/err"
check "ensemble --sets without --param-sets (the file would be ignored): exit 2, nothing written" \
    "[ $? -eq 2 ] && grep -q -- '--param-sets' $T/err && [ ! -e $T/ens-nosets ]"
# the N best sets are the rows ranked 1..N, in order (rows ranked 3, 2, 1
# ran in file order labelled 1, 2); a whole-number parameter takes whole
# numbers (100.5 counties ran as 101)
printf 'rank,loss,nutrition.hazard_gamma\n2,0.02,4.5\n1,0.01,2.5\n' > "$T/sets-rank.csv"
$LEAP ensemble scenarios/history.yaml --seeds 1 --param-sets 2 --sets "$T/sets-rank.csv" --scale 0.0003 --out "$T/ens-rank" > /dev/null 2> "$T/err"
rc=$?
printf 'rank,loss,population.counties\n1,0.01,100.5\n' > "$T/sets-int.csv"
$LEAP ensemble scenarios/history.yaml --seeds 1 --param-sets 1 --sets "$T/sets-int.csv" --scale 0.0003 --out "$T/ens-int" > /dev/null 2> "$T/err2"
check "ensemble --sets out of rank order, or 100.5 counties: exit 2 at the row and column, nothing written" \
    "[ $rc -eq 2 ] && grep -q 'sets-rank.csv:2:1: rank 2 where 1 is expected' $T/err && [ ! -e $T/ens-rank ] &&
     grep -q 'sets-int.csv:2:3: .*100.5 is not a whole number' $T/err2 && [ ! -e $T/ens-int ]"
# a date or true/false column is written as --set takes it (a date was
# refused as "a number from 0 to 1.96612e+07", and as a number it made
# every run fail); each is used: imports from 1960 and dining off each
# change the results
printf 'rank,loss,timeline.imports\n1,0.1,1960-01-01\n' > "$T/sets-kinds.csv"
printf 'rank,loss,mechanisms.dining.enabled\n1,0.1,false\n' > "$T/sets-bool.csv"
$LEAP ensemble scenarios/history.yaml --seeds 1 --param-sets 1 --sets "$T/sets-kinds.csv" --scale 0.0003 --quiet --out "$T/ens-kinds" > /dev/null 2> "$T/err" &&
    $LEAP ensemble scenarios/history.yaml --seeds 1 --param-sets 1 --sets "$T/sets-bool.csv" --scale 0.0003 --quiet --out "$T/ens-bool" > /dev/null 2>> "$T/err"
rc=$?
printf 'rank,loss,timeline.imports\n1,0.1,19600101\n' > "$T/sets-date.csv"
$LEAP ensemble scenarios/history.yaml --seeds 1 --param-sets 1 --sets "$T/sets-date.csv" --scale 0.0003 --quiet --out "$T/ens-date" 2> "$T/err2"
$LEAP ensemble scenarios/history.yaml --seeds 1 --scale 0.0003 --quiet --out "$T/ens-plain" > /dev/null 2>> "$T/err"
check "ensemble --sets with a date and a true/false column: they run as --set reads them; 19600101 refused as a date at 2:3" \
    "[ $rc -eq 0 ] && ! cmp -s $T/ens-kinds/national_annual.csv $T/ens-plain/national_annual.csv &&
     ! cmp -s $T/ens-bool/national_annual.csv $T/ens-plain/national_annual.csv &&
     grep -q 'sets-date.csv:2:3: .*19600101.* is not a valid date; a date YYYY-MM-DD' $T/err2 && [ ! -e $T/ens-date ]"
# SIGTERM to leap ensemble alone (kill PID): forwarded to its runs, which
# stop; it ends as on Ctrl-C, its earlier folder intact.  Before, the runs
# went on, and more started, until the whole ensemble was done.
term_parent "$T/ens\.tmp-[^/]*/runs/job-[0-9]" true $LEAP ensemble scenarios/history.yaml --seeds 24 --scale 0.002 --jobs 2 \
    --out "$T/ens" --force
check "SIGTERM to leap ensemble alone: its runs stop too, exit 1 'interrupted; nothing written', the earlier folder intact" \
    "[ $left -eq 0 ] && [ $rc -eq 1 ] && grep -q 'interrupted; nothing written' $T/term.err &&
     [ \"\$(md5sum < $T/ens/national_annual.csv)\" = \"$md5_ens\" ] && [ -z \"\$(ls -d $T/ens.tmp-* 2>/dev/null)\" ]"
# a sets file naming a parameter twice, or seed: the later value, or
# --seed, would silently win
printf 'rank,loss,nutrition.hazard_gamma,nutrition.hazard_gamma\n1,0.1,3,4\n' > "$T/sets-twice.csv"
printf 'rank,loss,seed\n1,0.1,5\n' > "$T/sets-seed.csv"
while IFS='|' read -r file what; do
    $LEAP ensemble scenarios/history.yaml --seeds 1 --param-sets 1 --sets "$T/$file" --scale 0.0002 --out "$T/ens-col" > /dev/null 2> "$T/err"
    check "ensemble --sets $file: exit 2 at line 1 of the file, '$what', nothing written" \
        "[ $? -eq 2 ] && grep -q '$file:1:[34]: ' $T/err && grep -qF -- '$what' $T/err && [ ! -e $T/ens-col ]"
done <<'EOF'
sets-twice.csv|is a column twice (columns 3 and 4)
sets-seed.csv|cannot be a column
EOF
mkdir -p "$T/ens-in" && cp "$T/sets.csv" "$T/ens-in/"
$LEAP ensemble scenarios/history.yaml --seeds 2 --param-sets 2 --sets "$T/ens-in/sets.csv" --scale 0.0003 --out "$T/ens-in" \
    --force > /dev/null 2> "$T/err"
check "ensemble --force on the folder holding its --sets file: exit 2, the file intact" \
    "[ $? -eq 2 ] && grep -q 'sets.csv, which this command reads' $T/err && cmp -s $T/sets.csv $T/ens-in/sets.csv"

echo "== common random numbers"
# lushan-heeds-peng differs from history from the Lushan plenum (1959-08-16)
# on: every week before it is the same, person by person, so the same series.
a=$(awk -F, '$2 < "1959-08-10"' "$HS/base-1/national_weekly.csv" | md5sum)
b=$(awk -F, '$2 < "1959-08-10"' "$HS/cf-lushan-heeds-peng/national_weekly.csv" | md5sum)
n=$(awk -F, '$2 < "1959-08-10"' "$HS/base-1/national_weekly.csv" | wc -l)
check "two scenarios that differ from a date on: identical weekly rows before it ($n weeks)" "[ '$a' = '$b' ] && [ $n -gt 130 ]"
c=$(awk -F, '$2 >= "1959-08-10"' "$HS/base-1/national_weekly.csv" | md5sum)
d=$(awk -F, '$2 >= "1959-08-10"' "$HS/cf-lushan-heeds-peng/national_weekly.csv" | md5sum)
check "... and different after it" "[ '$c' != '$d' ]"

echo "== leap sweep"
SW="$LEAP sweep scenarios/history.yaml --seeds 1 --scale 0.0002 --db $T/sweep.db"
# a file FILE.partial and a folder FILE.runs of the user's (an interrupted
# sweep's rows, say) are left alone: the sweep takes the next names
echo "my rows" > "$T/swk.csv.partial" && mkdir -p "$T/swk.csv.runs" && echo "my notes" > "$T/swk.csv.runs/job-0.log"
$LEAP sweep scenarios/history.yaml --seeds 1 --scale 0.0002 --no-db --param mechanisms.procurement.anti_concealment=0.1:0.6:2 \
    --out "$T/swk.csv" > /dev/null 2> "$T/err"
check "sweep beside a FILE.partial and a FILE.runs of the user's: exit 0, both left as they were, no other name left behind" \
    "[ $? -eq 0 ] && [ \$(tail -n +2 $T/swk.csv | wc -l) -eq 2 ] && [ \"\$(cat $T/swk.csv.partial)\" = 'my rows' ] &&
     [ \"\$(ls $T/swk.csv.runs)\" = job-0.log ] && grep -q 'my notes' $T/swk.csv.runs/job-0.log &&
     [ -z \"\$(ls -d $T/swk.csv.partial-* $T/swk.csv.runs-* 2>/dev/null)\" ]"
$SW --param mechanisms.procurement.anti_concealment=0.1:0.6:3 --out "$T/sw3.csv" > /dev/null 2> "$T/sw3.err"
check "sweep, 3 points: exit 0, a row per run with the grid's values" "[ $? -eq 0 ] && [ \$(tail -n +2 $T/sw3.csv | wc -l) -eq 3 ] &&
    [ \"\$(cut -d, -f2 $T/sw3.csv | tail -n +2 | tr '\n' ' ')\" = '0.1 0.35 0.6 ' ] && [ ! -e $T/sw3.csv.partial ]"
check "sweep: every run recorded in the run store" "[ \$($LEAP runs --db $T/sweep.db | grep -c ' complete ') -eq 3 ]"
# The runs worked in sw3.csv.runs/job-0, removed at the end: the store names
# no folder for them (it named that folder, gone), and keeps their results.
$LEAP export 2 --db "$T/sweep.db" --out "$T/sw3-run2" > /dev/null 2> "$T/err"
check "sweep: its runs recorded without the work folder it removed (out -), their results exported from the store" \
    "[ ! -e $T/sw3.csv.runs ] && [ \$($LEAP runs --db $T/sweep.db | grep ' complete ' | grep -c ' -\$') -eq 3 ] &&
     ! $LEAP runs --db $T/sweep.db | grep -q 'job-' &&
     [ \$(sqlite3 $T/sweep.db \"SELECT count(*) FROM runs WHERE out_dir = ''\") -eq 3 ] &&
     [ \"\$(value death_rate_permille 1960 $T/sw3-run2/national_annual.csv | awk '{printf \"%.2f\", \$1}')\" = \"\$(awk -F, 'NR == 3 {print \$5}' $T/sw3.csv)\" ]"
$LEAP compare "$T/sw3-run2" > "$T/cmp-sw.txt" 2> "$T/err"
check "sweep: a run exported from the store is a whole output folder (run.json too): leap compare reads it" \
    "[ $? -eq 0 ] && grep -q 'death rate, registered' $T/cmp-sw.txt && [ -s $T/sw3-run2/run.json ]"
md5_sw=$(md5sum < "$T/sw3.csv")
$SW --param mechanisms.procurement.anti_concealment=0.1:0.6:3 --out "$T/sw3.csv" > /dev/null 2> "$T/err"
check "sweep --out an existing file without --force: exit 2, the file intact, no run made" \
    "[ $? -eq 2 ] && grep -q -- '--force' $T/err && [ \"\$(md5sum < $T/sw3.csv)\" = \"$md5_sw\" ] &&
     [ \$($LEAP runs --db $T/sweep.db | grep -c ' complete ') -eq 3 ]"
$SW --param mechanisms.procurement.anti_concealment=0.1:0.6:3 --out "$T/sweep.db" --force > /dev/null 2> "$T/err"
check "sweep --out its own run store, even with --force: exit 2, the store intact" \
    "[ $? -eq 2 ] && grep -q \"one of this command's inputs\" $T/err && [ \$($LEAP runs --db $T/sweep.db | grep -c ' complete ') -eq 3 ]"
# a whole-number parameter is swept over whole, distinct points (100:101:3
# ran 100, 101, 101; 100.5:300:2 ran 101 and 300)
$SW --param population.counties=100:101:3 --out "$T/sw-int.csv" > /dev/null 2> "$T/err"
rc=$?
$SW --param population.counties=100.5:300:2 --out "$T/sw-int.csv" > /dev/null 2> "$T/err2"
check "sweep of population.counties over 100:101:3 or 100.5:300:2: exit 2 at the range, a whole grid suggested, nothing written" \
    "[ $rc -eq 2 ] && grep -q -- '--param\[1\]:1:21: population.counties takes whole numbers.*e.g. population.counties=100:101:2' $T/err &&
     grep -q 'e.g. population.counties=101:300:2' $T/err2 && [ -z \"\$(ls -d $T/sw-int.csv* 2>/dev/null)\" ]"
# --force replaces what the command writes: not another run store (a sweep
# wrote its CSV over one), nor a file of notes with a checkpoint
cp "$T/sweep.db" "$T/other.db"
$SW --param mechanisms.procurement.anti_concealment=0.1:0.6:3 --out "$T/other.db" --force > /dev/null 2> "$T/err"
rc=$?
echo "my notes" > "$T/notes.txt"
$LEAP run scenarios/no-leap.yaml --scale 0.0002 --set run.end=1957-12-31 --no-db --quiet --out "$T/ck-notes" \
    --checkpoint "$T/notes.txt" --checkpoint-at 1957-06-01 --force > /dev/null 2> "$T/err2"
rc2=$?
check "sweep --out another run store, run --checkpoint a file of notes, with --force: exit 2, both intact" \
    "[ $rc -eq 2 ] && grep -q 'other.db: is an SQLite database' $T/err && cmp -s $T/sweep.db $T/other.db &&
     [ $rc2 -eq 2 ] && grep -q 'notes.txt: is not a leap checkpoint' $T/err2 && grep -q 'my notes' $T/notes.txt"
# seven --param of 1000 values: 10^21 points overflowed the point count (a
# long), and the sweep started on a grid it could never finish
grid=""
for k in demography.siler_a1=0.1:0.9 demography.siler_b1=0.3:4 demography.siler_a2=0.001:0.01 \
         demography.siler_a3=0.0001:0.001 demography.siler_b3=0.05:0.1 demography.tfr=4.5:7 \
         demography.male_mortality_excess=0.05:0.2; do grid="$grid --param $k:1000"; done
# shellcheck disable=SC2086  # the words of $SW and $grid are meant to split
timeout 20 $SW $grid --out "$T/swbig.csv" > /dev/null 2> "$T/err"
check "sweep, a grid of more than 1,000,000 points: exit 2 at the --param that passes it, no run made, nothing written" \
    "[ $? -eq 2 ] && grep -q -- '--param\[3\]:1:32: N = 1000 makes the grid .* more than 1000000 points' $T/err &&
     [ -z \"\$(ls -d $T/swbig.csv* 2>/dev/null)\" ] && [ \$($LEAP runs --db $T/sweep.db | grep -c ' complete ') -eq 3 ]"
# every experiment's figures cover 1958-61: a scenario ending before 1961
# is done is refused before any run (they ran and wrote part-year or nan
# figures: "grain output 1959-61" 293.5 Mt without the 1961 harvest)
printf 'extends: %s/scenarios/history.yaml\nname: short\nrun:\n  end: 1961-03-31\n' "$PWD" > "$T/early-end.yaml"
ok=1
for cmd in "sweep --param nutrition.hazard_gamma=2:3:2 --db $T/short.db --out $T/short.csv" "ensemble --seeds 2 --out $T/short-ens" \
           "decompose --out $T/short-dec" "sensitivity --out $T/short-sens"; do
    # shellcheck disable=SC2086  # the words of $cmd are meant to split
    $LEAP ${cmd%% *} "$T/early-end.yaml" ${cmd#* } --scale 0.0002 > /dev/null 2> "$T/err"
    rc=$?
    { [ $rc -eq 2 ] && grep -q "early-end.yaml:4:8: run.end is 1961-03-31, but leap ${cmd%% *}.s .*1958-61.*: run.end must reach the last week of 1961" "$T/err"; } ||
        { ok=0; echo "   ${cmd%% *}: rc $rc, $(cat "$T/err")"; }
done
# ... and so is a --sets row that shortens the runs (it ran them: nan figures)
printf 'rank,loss,run.end\n1,0.1,1960-06-30\n' > "$T/sets-end.csv"
$LEAP ensemble scenarios/history.yaml --seeds 1 --param-sets 1 --sets "$T/sets-end.csv" --scale 0.0002 --out "$T/short-sets" > /dev/null 2> "$T/err"
{ [ $? -eq 2 ] && grep -q 'sets-end.csv:2:3: run.end 1960-06-30 leaves 1961 short of its last week' "$T/err"; } || { ok=0; echo "   --sets run.end: $(cat "$T/err")"; }
# an empty --db is refused before anything is made (a sweep left FILE.runs)
$LEAP sweep scenarios/history.yaml --param nutrition.hazard_gamma=2:3:2 --db '' --out "$T/short-db.csv" > /dev/null 2> "$T/err"
{ [ $? -eq 2 ] && grep -q -- '--db is empty' "$T/err"; } || { ok=0; echo "   sweep --db '': $(cat "$T/err")"; }
check "sweep, ensemble, decompose, sensitivity of a run ending before 1961 is done: exit 2 at run.end, no run, nothing written" \
    "[ $ok -eq 1 ] && [ ! -e $T/short.db ] && [ -z \"\$(ls -d $T/short[.-]* 2>/dev/null)\" ]"
check "sweep: harsher anti-concealment (0.6 vs 0.1) raises excess deaths" \
    "awk -F, 'NR == 2 {a = \$4} NR == 4 {b = \$4} END {exit !(b > a)}' $T/sw3.csv"
# SIGTERM to leap sweep alone, once a run of it is simulating (recorded as
# running): as on Ctrl-C, its runs stop, recorded as interrupted, the rows
# so far stay in FILE.partial, an earlier FILE is left as it was, the work
# folder removed.  Before, the runs went on, point after point.
cp "$T/sw3.csv" "$T/swterm.csv"
term_parent "$T/swterm\.csv\.runs/job-[0-9]" "$LEAP runs --db $T/swterm.db 2> /dev/null | grep -q incomplete" \
    $LEAP sweep scenarios/history.yaml --seeds 2 --scale 0.002 --jobs 2 --db "$T/swterm.db" \
    --param nutrition.hazard_gamma=2:5:40 --out "$T/swterm.csv" --force
check "SIGTERM to leap sweep alone: its runs stop too (recorded as interrupted), exit 1 'interrupted after', the earlier file intact" \
    "[ $left -eq 0 ] && [ $rc -eq 1 ] && grep -q 'interrupted after [0-9]* of 40 points; the rows so far are in' $T/term.err &&
     $LEAP runs --db $T/swterm.db | grep -q 'error: interrupted in week' &&
     [ \"\$(md5sum < $T/swterm.csv)\" = \"$md5_sw\" ] && [ -s $T/swterm.csv.partial ] && [ ! -e $T/swterm.csv.runs ]"
# its runs refused a write by the system (a file-size limit): the run's own
# reason relayed, no 'this is a bug' (the parent said it of every failed
# run), no rows so no .partial file, no work folder left
(trap '' XFSZ; ulimit -f 60; $LEAP sweep scenarios/history.yaml --seeds 1 --scale 0.0002 --no-db \
    --param nutrition.hazard_gamma=2:3:2 --out "$T/swfull.csv" > /dev/null 2> "$T/err")
check "sweep whose runs cannot write (file-size limit): exit 1, the run's reason, not 'a bug', nothing left behind" \
    "[ $? -eq 1 ] && grep -q 'the run with seed 1 failed: .*write failed (File too large)' $T/err && ! grep -q 'this is a bug' $T/err &&
     [ -z \"\$(ls -d $T/swfull.csv* 2>/dev/null)\" ]"
# bounded memory: a sweep 6 times longer, the same peak memory of the sweep process
$SW --param mechanisms.procurement.anti_concealment=0.1:0.6:2 --out "$T/sw2.csv" > /dev/null 2> "$T/sw2.err"
$SW --param mechanisms.procurement.anti_concealment=0.1:0.6:12 --out "$T/sw12.csv" > /dev/null 2> "$T/sw12.err"
p2=$(grep -o 'sweep process [0-9]*' "$T/sw2.err" | grep -o '[0-9]*$'); p12=$(grep -o 'sweep process [0-9]*' "$T/sw12.err" | grep -o '[0-9]*$')
check "sweep memory stays bounded: 12 points peak at $p12 KiB, 2 points at $p2 KiB (+10% allowed)" \
    "[ -n '$p2' ] && [ -n '$p12' ] && [ $p12 -le \$(( p2 * 11 / 10 + 256 )) ]"
for bad in "nutrition.hazard_gama=2:4:3" "nutrition.hazard_gamma=2:40:3" "nutrition.hazard_gamma=2:4" "run.end=1:2:2" \
           "nutrition.hazard_gamma=0x2:4:3" "nutrition.hazard_gamma= 2:4:3"; do
    $SW --param "$bad" --out "$T/swbad.csv" > /dev/null 2> "$T/err"
    check "sweep --param $bad: exit 2, --param[1]:1:col, nothing written" \
        "[ $? -eq 2 ] && grep -qE -- '--param\[1\]:1:[0-9]+: ' $T/err && [ ! -e $T/swbad.csv ] && [ ! -e $T/swbad.csv.partial ]"
done
# the same key twice (the first was dropped) and seed (which --seeds sets): usage errors
while IFS='|' read -r args where; do
    $SW $args --out "$T/swbad.csv" > /dev/null 2> "$T/err"
    check "sweep $args: exit 2, '$where', nothing written" \
        "[ $? -eq 2 ] && grep -qF -- '$where' $T/err && [ ! -e $T/swbad.csv ] && [ ! -e $T/swbad.csv.partial ]"
done <<'EOF'
--param nutrition.hazard_gamma=2:3:2 --param nutrition.hazard_gamma=4:5:2|--param[2]:1:1: nutrition.hazard_gamma is given twice
--param seed=1:3:3|--param[1]:1:1: seed cannot be swept
--param demography.tfr=5:6:2 --param nutrition.fecundity_reserve_hi=0.6:0.9:4|--param[2]:1:32: the grid has points that break a rule: nutrition.fecundity_reserve_hi = 0.6 must be above nutrition.fecundity_reserve_lo =
EOF

echo "== leap sensitivity"
cat > "$T/sens.yaml" <<'YAML'
params:
  - key: mechanisms.procurement.anti_concealment
    range: [0.1, 0.6]
    source: "test fixture"
  - key: mechanisms.furnaces.modern_push
    range: [0.4, 1.0]
    source: "test fixture"
weights:
  series: {death_rate_permille: 1}
  status: {verified: 1}
YAML
$LEAP sensitivity scenarios/history.yaml --params "$T/sens.yaml" --trajectories 2 --scale 0.0002 --out "$T/sens" > "$T/sens.txt" 2> "$T/err"
check "sensitivity, 2 parameters x 2 trajectories: exit 0, mu*, mu, sigma per parameter and output" \
    "[ $? -eq 0 ] && [ \$(tail -n +2 $T/sens/sensitivity.csv | wc -l) -eq 8 ]"
md5_sens=$(md5sum < "$T/sens/sensitivity.csv")
$LEAP sensitivity scenarios/history.yaml --params "$T/sens.yaml" --trajectories 2 --scale 0.0002 --out "$T/sens" > /dev/null 2> "$T/err"
check "sensitivity into its earlier folder without --force: exit 2, left intact" \
    "[ $? -eq 2 ] && grep -q -- '--force' $T/err && [ \"\$(md5sum < $T/sens/sensitivity.csv)\" = \"$md5_sens\" ]"
check "sensitivity: anti-concealment moves excess deaths more than modern steel's growth does" \
    "awk -F, '\$4 == \"excess_deaths_1958_61_million\" {m[\$1] = \$5} END {exit !(m[\"mechanisms.procurement.anti_concealment\"] > m[\"mechanisms.furnaces.modern_push\"])}' $T/sens/sensitivity.csv"
check "sensitivity: modern steel's growth moves grain procurement less than anti-concealment" \
    "awk -F, '\$4 == \"grain_procurement_1959_mt\" {m[\$1] = \$5} END {exit !(m[\"mechanisms.procurement.anti_concealment\"] > m[\"mechanisms.furnaces.modern_push\"])}' $T/sens/sensitivity.csv"

# ranges that let a set break a rule between parameters (fecundity_reserve_hi
# above _lo, history's _lo 0.706): refused at the range, before any run
cat > "$T/rule-ranges.yaml" <<'YAML'
params:
  - key: nutrition.fecundity_reserve_hi
    range: [0.6, 0.9]
    source: "test fixture"
weights:
  series: {death_rate_permille: 1}
  status: {verified: 1}
YAML
for cmd in sensitivity calibrate; do
    $LEAP $cmd scenarios/history.yaml --params "$T/rule-ranges.yaml" --scale 0.0002 --out "$T/sens-rule" > /dev/null 2> "$T/err"
    check "$cmd with a range that breaks fecundity_reserve_hi > _lo: exit 2 at the range (rule-ranges.yaml:3:12), nothing written" \
        "[ $? -eq 2 ] && grep -q 'rule-ranges.yaml:3:12: these ranges allow parameter sets that break a rule: nutrition.fecundity_reserve_hi = 0.6 must be above' $T/err &&
         [ -z \"\$(ls -d $T/sens-rule?* $T/sens-rule 2>/dev/null)\" ]"
done
printf 'rank,loss,nutrition.fecundity_reserve_hi,nutrition.fecundity_reserve_lo\n1,0.1,0.9,0.7\n2,0.2,0.7,0.72\n' > "$T/sets-rule.csv"
$LEAP ensemble scenarios/history.yaml --seeds 1 --param-sets 2 --sets "$T/sets-rule.csv" --scale 0.0002 --out "$T/ens-rule" > /dev/null 2> "$T/err"
check "ensemble with a parameter set that breaks fecundity_reserve_hi > _lo: exit 2 at its row and column (3:4), nothing written" \
    "[ $? -eq 2 ] && grep -q 'sets-rule.csv:3:4: this parameter set breaks a rule: nutrition.fecundity_reserve_hi = 0.7 must be above nutrition.fecundity_reserve_lo = 0.72' $T/err &&
     [ -z \"\$(ls -d $T/ens-rule* 2>/dev/null)\" ]"

echo "== checkpoints and branches"
CK="$LEAP run scenarios/history.yaml --no-db --quiet"
echo "my notes" > "$T/h59.ckpt.tmp"   # a file of the user's by the name leap once wrote checkpoints under
$CK --scale 0.0005 --threads 2 --out "$T/ck-full" --checkpoint-at 1959-07-01 --checkpoint "$T/h59.ckpt"
check "--checkpoint FILE leaves a file of the user's named FILE.tmp alone (temporary names are created exclusively)" \
    "grep -q 'my notes' $T/h59.ckpt.tmp && [ -s $T/h59.ckpt ]"
$CK --from "$T/h59.ckpt" --threads 1 --out "$T/ck-resumed"
same=1
for f in national_annual.csv provinces_annual.csv national_weekly.csv; do cmp -s "$T/ck-full/$f" "$T/ck-resumed/$f" || same=0; done
check "a run resumed from its July 1959 checkpoint is byte-identical to the uninterrupted run (threads 2 then 1)" "[ $same -eq 1 ]"
# a branch: Lushan heeds Peng from the July 1959 state of history equals the
# counterfactual run from 1957 (they differ only from Lushan on: common random numbers)
$LEAP run scenarios/counterfactual/lushan-heeds-peng.yaml --from "$T/h59.ckpt" --no-db --quiet --out "$T/ck-branch"
$LEAP run scenarios/counterfactual/lushan-heeds-peng.yaml --scale 0.0005 --no-db --quiet --out "$T/ck-lushan"
check "the Lushan branch from history's July 1959 checkpoint = the Lushan counterfactual run whole" \
    "cmp -s $T/ck-branch/national_weekly.csv $T/ck-lushan/national_weekly.csv && ! cmp -s $T/ck-branch/national_weekly.csv $T/ck-full/national_weekly.csv"
# the branch's run.json says where its weeks before July 1959 came from
# (its parameters are the branch's; before, nothing said they were not the
# ones the first weeks ran under)
check "run.json of a --from run names the checkpoint and its week; a whole run's has no started_from" \
    "grep -A5 '\"started_from\"' $T/ck-branch/run.json | grep -q '\"week_of\": \"1959-06-30\"' &&
     grep -A5 '\"started_from\"' $T/ck-branch/run.json | grep -q 'h59.ckpt' && ! grep -q started_from $T/ck-lushan/run.json"
$CK --from "$T/h59.ckpt" --scale 0.001 --out "$T/ck-bad" > /dev/null 2> "$T/err"
check "--from with another --scale: exit 2, nothing written" "[ $? -eq 2 ] && grep -q 'checkpoint' $T/err && [ ! -e $T/ck-bad ]"
$CK --from "$T/sets.csv" --out "$T/ck-bad" > /dev/null 2> "$T/err"
check "--from a file that is not a checkpoint: exit 2" "[ $? -eq 2 ] && grep -q 'not a leap checkpoint' $T/err && [ ! -e $T/ck-bad ]"
# a damaged checkpoint is refused before anything is used: the bytes are
# changed at fixed offsets (deterministic), in a copy
cp "$T/h59.ckpt" "$T/bad.ckpt"
printf '\377\377\377\377\377\377\377\377' | dd of="$T/bad.ckpt" bs=1 seek=4096 conv=notrunc 2> /dev/null
$CK --from "$T/bad.ckpt" --out "$T/ck-damaged" > /dev/null 2> "$T/err"
check "--from a checkpoint with 8 bytes of its contents changed: exit 2, checksum mismatch, nothing written" \
    "[ $? -eq 2 ] && grep -q 'bad.ckpt: checkpoint is corrupt (checksum mismatch' $T/err && [ ! -e $T/ck-damaged ]"
cp "$T/h59.ckpt" "$T/bad.ckpt"
printf '\001' | dd of="$T/bad.ckpt" bs=1 seek=133 conv=notrunc 2> /dev/null   # the header's person count x 2^40
$CK --from "$T/bad.ckpt" --out "$T/ck-damaged" > /dev/null 2> "$T/err"
check "--from a checkpoint with a count in its header changed: exit 2, checksum mismatch, nothing allocated or written" \
    "[ $? -eq 2 ] && grep -q 'bad.ckpt: checkpoint is corrupt (checksum mismatch in the header' $T/err && [ ! -e $T/ck-damaged ]"
head -c $(($(stat -c %s "$T/h59.ckpt") / 2)) "$T/h59.ckpt" > "$T/bad.ckpt"
$CK --from "$T/bad.ckpt" --out "$T/ck-damaged" > /dev/null 2> "$T/err"
check "--from a checkpoint cut in half: exit 2, its length and the length expected, nothing written" \
    "[ $? -eq 2 ] && grep -qE 'bad.ckpt: checkpoint is truncated \([0-9]+ bytes; its header says [0-9]+\)' $T/err && [ ! -e $T/ck-damaged ]"
cp "$T/h59.ckpt" "$T/bad.ckpt"
printf '1' | dd of="$T/bad.ckpt" bs=1 seek=7 conv=notrunc 2> /dev/null   # LEAPCKP1: format 1, without checksums
$CK --from "$T/bad.ckpt" --out "$T/ck-damaged" > /dev/null 2> "$T/err"
check "--from a checkpoint of the old format 1: exit 2, refused by name, not misread" \
    "[ $? -eq 2 ] && grep -q 'bad.ckpt: a checkpoint of format 1' $T/err && [ ! -e $T/ck-damaged ]"
# altered with its checksums made again (tests/forge-ckpt.py): the load
# checks the contents before anything reads an index from them (these read
# and wrote past the tables, or crashed); the messages' starts (no quotes)
while IFS='|' read -r edit what; do
    tests/forge-ckpt.py "$T/h59.ckpt" "$T/bad.ckpt" "$edit"
    $CK --from "$T/bad.ckpt" --out "$T/ck-damaged" > /dev/null 2> "$T/err"
    check "--from a checkpoint altered ($edit), checksums made again: exit 2, '$what', nothing written" \
        "[ $? -eq 2 ] && grep -qF 'bad.ckpt: checkpoint is inconsistent ($what' $T/err && [ ! -e $T/ck-damaged ]"
done <<'EOF'
size:5=ff|the households
link:*=ffff|commune 0: a child
bws:alive=ff9f|slot
comm:0=ff|commune 0 is not the scenario
EOF
crashed=""
for seed in $(seq 1 20); do   # 16 bytes anywhere: refused, or run; never a crash
    tests/forge-ckpt.py "$T/h59.ckpt" "$T/bad.ckpt" "random:$seed:16"
    $CK --from "$T/bad.ckpt" --out "$T/ck-random" --force > /dev/null 2> "$T/err"
    rc=$?
    if [ $rc -eq 1 ] && grep -q 'if that file was altered, that is the cause' "$T/err"; then rc=0; fi
    [ $rc -eq 0 ] || [ $rc -eq 2 ] || crashed="$crashed $seed:$rc"
done
check "--from checkpoints with 16 random bytes altered (20 seeds): each refused (exit 2) or run, a broken ledger naming the file; none crashed (${crashed:-none})" \
    "[ -z '$crashed' ]"
$CK --from "$T/h59.ckpt" --set population.household_size_rural=5 --out "$T/ck-bad" > /dev/null 2> "$T/err"
check "--from under a scenario with another population: exit 2" "[ $? -eq 2 ] && grep -q 'another population' $T/err && [ ! -e $T/ck-bad ]"
$CK --checkpoint-at 1959-07-01 --out "$T/ck-bad" > /dev/null 2> "$T/err"
check "--checkpoint-at without --checkpoint: exit 2" "[ $? -eq 2 ] && [ ! -e $T/ck-bad ]"
(trap '' XFSZ; ulimit -f 8; $CK --scale 0.0005 --out "$T/ck-bad" --checkpoint-at 1958-06-01 --checkpoint "$T/big.ckpt" \
    --set run.end=1958-12-31 > /dev/null 2> "$T/err")
check "a checkpoint the system refuses to write (file-size limit): exit 1 with the reason, no file, no results" \
    "[ $? -eq 1 ] && grep -q 'big.ckpt: cannot write the checkpoint (File too large)' $T/err && [ -z \"\$(ls $T/big.ckpt* 2>/dev/null)\" ] &&
     [ ! -e $T/ck-bad ]"
md5_ck=$(md5sum < "$T/h59.ckpt")
$CK --scale 0.0005 --out "$T/ck-bad" --checkpoint-at 1959-07-01 --checkpoint "$T/h59.ckpt" > /dev/null 2> "$T/err"
check "--checkpoint onto an existing file without --force: exit 2, the file intact, nothing written" \
    "[ $? -eq 2 ] && grep -q -- '--force' $T/err && [ \"\$(md5sum < $T/h59.ckpt)\" = \"$md5_ck\" ] && [ ! -e $T/ck-bad ]"
$CK --from "$T/h59.ckpt" --out "$T/ck-bad" --checkpoint-at 1960-01-01 --checkpoint "$T/h59.ckpt" --force > /dev/null 2> "$T/err"
check "--checkpoint onto its own --from file, even with --force: exit 2, the file intact" \
    "[ $? -eq 2 ] && grep -q \"one of this command's inputs\" $T/err && [ \"\$(md5sum < $T/h59.ckpt)\" = \"$md5_ck\" ] && [ ! -e $T/ck-bad ]"
