#!/usr/bin/env bash
# calibrate.sh -- `leap compare` and `leap calibrate` end to end.  Called by
# run-all.sh after history.sh (it reuses history's runs in $HS); the
# arithmetic of both commands is checked by hand in tests/test_compare.c.

echo "== leap compare"
$LEAP compare "$HS/base-1" "$HS/base-2" "$HS/base-3" --csv "$T/fit.csv" > "$T/fit.txt" 2> "$T/err"
check "compare three seeds: exit 0" "[ $? -eq 0 ]"
check "compare prints every series with MAPE in- and out-of-sample" \
    "grep -q 'death rate, registered' $T/fit.txt && grep -q 'steel, usable' $T/fit.txt && grep -q 'MAPE in' $T/fit.txt"
check "compare reports excess deaths against the reconstructions, the retreat and Meng-Qian-Yared" \
    "grep -q 'Banister' $T/fit.txt && grep -q 'Twelve Articles' $T/fit.txt && grep -q 'Meng-Qian-Yared' $T/fit.txt"
check "compare --csv: 11 series x 6 years" "[ \$(tail -n +2 $T/fit.csv | wc -l) -eq 66 ]"
# The printed in-sample MAPE of the registered death rate is the mean of the
# CSV's three in-sample errors (the two are computed by separate code paths).
csv_mape=$(awk -F, '$1=="death_rate_permille" && $9=="in-sample"{s+=$8;n++} END{printf "%.1f", s/n}' "$T/fit.csv")
txt_mape=$(awk '/^death rate, registered/{print $(NF-1)}' "$T/fit.txt")
check "compare: printed MAPE ($txt_mape) = mean of the CSV's errors ($csv_mape)" "[ '$txt_mape' = '$csv_mape' ]"
# runs are averaged as seeds of one scenario: another scenario's or other
# parameters' run is refused, naming the difference (history and no-leap
# were averaged without a word)
$LEAP compare "$HS/base-1" "$HS/dining-2" > /dev/null 2> "$T/err"
check "compare of history and a run with dining halls off: exit 2, names the parameter" \
    "[ $? -eq 2 ] && grep -q 'dining-2 is not a run of the same scenario as .*base-1 with another seed (parameter mechanisms.dining.enabled = false against true)' $T/err"
cp "$T/fit.csv" "$T/fit.keep"
$LEAP compare "$HS/base-1" --csv "$T/fit.csv" > /dev/null 2> "$T/err"
check "compare --csv an existing file without --force: exit 2, the file intact" \
    "[ $? -eq 2 ] && grep -q -- '--force' $T/err && cmp -s $T/fit.csv $T/fit.keep"
echo "my notes" > "$T/fit.csv.tmp"
$LEAP compare "$HS/base-1" --csv "$T/fit.csv" --force > /dev/null 2> "$T/err"
check "compare --csv --force replaces it (now one run's comparison); a file of the user's named FILE.tmp is left alone" \
    "[ $? -eq 0 ] && ! cmp -s $T/fit.csv $T/fit.keep && grep -q 'my notes' $T/fit.csv.tmp && [ -z \"\$(ls $T/fit.csv.tmp-* 2>/dev/null)\" ]"
# a write the system refuses (a file-size limit, SIGXFSZ ignored, as on a
# full disk): exit 1 with the reason, not 2, and no file left behind
(trap '' XFSZ; ulimit -f 2; $LEAP compare "$HS/base-1" --csv "$T/fit-big.csv" > /dev/null 2> "$T/err")
check "compare --csv that the system refuses to write: exit 1 'cannot write (File too large)', no file left" \
    "[ $? -eq 1 ] && grep -q 'fit-big.csv: cannot write (File too large)' $T/err && [ -z \"\$(ls $T/fit-big.csv* 2>/dev/null)\" ]"
cp "$HS/base-1/national_annual.csv" "$T/na.keep"
$LEAP compare "$HS/base-1" --csv "$HS/base-1/national_annual.csv" --force > /dev/null 2> "$T/err"
check "compare --csv onto a file of the run it reads, even with --force: exit 2, the run intact" \
    "[ $? -eq 2 ] && grep -q 'is a file of the run' $T/err && cmp -s $HS/base-1/national_annual.csv $T/na.keep"
(cd /tmp && "$OLDPWD/leap" compare "$HS/base-1" > "$T/fit-elsewhere.txt")
check "compare finds the record from any working directory" "[ $? -eq 0 ] && grep -q 'MAPE in' $T/fit-elsewhere.txt"
$LEAP compare "$T/no-such-run" > /dev/null 2> "$T/err"
check "compare of a missing folder: exit 2, names it" "[ $? -eq 2 ] && grep -q 'no-such-run: no such folder; an output folder' $T/err"
# A run folder whose national_annual.csv misses a year or repeats one, has
# nan in it, or lacks run.json, and runs that end on different dates: exit 2,
# the file and line, no CSV or HTML written.  Before, a missing year gave nan,
# a repeated one a wrong MAPE (the report: the last row), nan was a gap in
# the report's charts, and two ends a mean of nan.
$LEAP run scenarios/no-leap.yaml --scale 0.0002 --set run.end=1958-12-31 --quiet --out "$T/cmp-ok"
$LEAP run scenarios/no-leap.yaml --scale 0.0002 --set run.end=1957-12-31 --quiet --out "$T/cmp-short"
while IFS='|' read -r edit where; do
    rm -rf "$T/cmp-bad" "$T/cmp-bad.csv" "$T/cmp-bad.html" && cp -r "$T/cmp-ok" "$T/cmp-bad" && (cd "$T/cmp-bad" && eval "$edit")
    $LEAP compare "$T/cmp-bad" --csv "$T/cmp-bad.csv" > /dev/null 2> "$T/err"
    rc=$?
    $LEAP report "$T/cmp-bad" --out "$T/cmp-bad.html" > /dev/null 2> "$T/err2"
    rc2=$?
    check "compare and report, $edit: exit 2, $where" \
        "[ $rc -eq 2 ] && [ $rc2 -eq 2 ] && grep -qF -- \"\$where\" $T/err && grep -qF -- \"\$where\" $T/err2 &&
         [ ! -e $T/cmp-bad.csv ] && [ ! -e $T/cmp-bad.html ]"
done <<'EOF'
sed -i '/^1957,/d' national_annual.csv|cmp-bad/national_annual.csv:2:1: no row for year 1957
sed -i '/^1958,/d' national_annual.csv|cmp-bad/national_annual.csv:3:1: no row for year 1958
sed -i 3p national_annual.csv|cmp-bad/national_annual.csv:4:1: year 1958 appears twice (lines 3 and 4)
sed -i 's/^1958,[^,]*,/1958,nan,/' national_annual.csv|cmp-bad/national_annual.csv:3:2: column 'population_yearend_million': 'nan' is not a number
sed -i 3p provinces_annual.csv|cmp-bad/provinces_annual.csv:4:2: Beijing 1958 appears twice
rm run.json|cmp-bad/run.json: no such file
EOF
$LEAP compare "$T/cmp-ok" "$T/cmp-short" > /dev/null 2> "$T/err"
check "compare of runs that end on different dates: exit 2, names both folders and their ends" \
    "[ $? -eq 2 ] && grep -q 'cmp-short ends on 1957-12-31 but .*cmp-ok on 1958-12-31' $T/err"
$LEAP compare "$T/cmp-ok" "$T/cmp-ok" > "$T/cmp.txt" 2> "$T/err"
check "compare of a run that ends in 1958: a value beyond its end is '-' or n/a, never nan; no target of 1958-60 judged on 1958 alone" \
    "[ $? -eq 0 ] && grep -q ' - / 24.8' $T/cmp.txt && grep -q '^  n/a  ' $T/cmp.txt && ! grep -qi nan $T/cmp.txt &&
     grep -q '^  n/a *MAPE death_rate_permille <= 10%' $T/cmp.txt && ! grep -q '^  meets *MAPE' $T/cmp.txt"
# A run that ends within a year simulates part of it: its sums are no year's
# (they were judged as whole years: grain 15.6 Mt "against 143.5"); a run
# to 1 January ends the year before (that week's middle day is the 2nd).
$LEAP run scenarios/no-leap.yaml --scale 0.0002 --set run.end=1959-06-30 --quiet --db "$T/part.db" --out "$T/cmp-part" > /dev/null
$LEAP compare "$T/cmp-part" > "$T/cmp.txt" 2> "$T/err"
check "compare of a run that ends in mid-1959: 1959 is '-', no verdict on 1958-60 nor Meng-Qian-Yared" \
    "[ $? -eq 0 ] && grep -q '^grain output (Mt) .* - / 170.0' $T/cmp.txt && grep -q '^  n/a *MAPE grain_output_mt <= 10%' $T/cmp.txt &&
     grep -q '^  n/a *Meng-Qian-Yared' $T/cmp.txt && grep -q 'excess deaths per head 1959-61) = -' $T/cmp.txt"
$LEAP report "$T/cmp-part" --out "$T/cmp-part.html" > /dev/null 2> "$T/err"
check "report of a run that ends in mid-1959 says its 1959 is part of a year" \
    "[ $? -eq 0 ] && grep -q 'ends on 1959-06-30: its 1959 is part of a year' $T/cmp-part.html"
$LEAP run scenarios/no-leap.yaml --scale 0.0002 --set run.end=1959-01-01 --quiet --db "$T/part.db" --out "$T/cmp-jan" > /dev/null
$LEAP compare "$T/cmp-jan" > "$T/cmp.txt" 2> "$T/err"
rc=$?
$LEAP export 2 --db "$T/part.db" --out "$T/cmp-jan-x" > /dev/null 2> "$T/err2"
check "a run to 1959-01-01 ends in 1958: compare reads it, the store exports it (both refused it)" \
    "[ $rc -eq 0 ] && [ $? -eq 0 ] && [ \$(tail -n +2 $T/cmp-jan-x/national_annual.csv | wc -l) -eq 2 ]"
# --force onto a named pipe: the file's head is read only for a regular file
# (opening the pipe to read it waited for a writer for ever)
mkfifo "$T/cmp.fifo"
timeout 20 $LEAP compare "$T/cmp-ok" --csv "$T/cmp.fifo" --force > /dev/null 2> "$T/err"
check "compare --csv onto a named pipe with --force does not hang (it replaces it: exit 0)" "[ $? -eq 0 ] && [ -f $T/cmp.fifo ]"
rm -rf "$T/cmp-data" && cp -r data "$T/cmp-data" && sed -i 3p "$T/cmp-data/national_provenance.csv"
LEAP_DATA="$T/cmp-data" $LEAP compare "$T/cmp-ok" > /dev/null 2> "$T/err"
check "compare with a provenance row given twice: exit 2, file:line:column" \
    "[ $? -eq 2 ] && grep -q 'cmp-data/national_provenance.csv:4:2: .* appears twice (lines 3 and 4)' $T/err"
rm -rf "$T/cmp-data" && cp -r data "$T/cmp-data" && sed -i '/^1959,grain_output_mt,/d' "$T/cmp-data/national_provenance.csv"
LEAP_DATA="$T/cmp-data" $LEAP compare "$T/cmp-ok" > /dev/null 2> "$T/err"
check "compare with a national.csv value that has no provenance row: exit 2, national.csv:line:column naming it" \
    "[ $? -eq 2 ] && grep -q 'cmp-data/national.csv:9:7: grain_output_mt 1959 = .* has no row in national_provenance.csv' $T/err"

echo "== leap calibrate"
cat > "$T/params.yaml" <<'YAML'
params:
  - key: mechanisms.politics.news_delay_weeks
    range: [30, 50]
    source: "test fixture"
weights:
  series: {death_rate_permille: 4, grain_output_mt: 2, retreat_week: 1}
  status: {verified: 1, derived: 0.7, memory: 0.3}
YAML
CAL="$LEAP calibrate scenarios/history.yaml --params $T/params.yaml --scale 0.0005 --seeds 2"
$CAL --budget 3 --out "$T/cal" > "$T/cal.txt" 2> "$T/cal.err"
check "calibrate: exit 0 with a progress line per evaluation" "[ $? -eq 0 ] && [ \$(grep -c 'evaluation [0-9]/3' $T/cal.err) -eq 3 ]"
check "calibrate: 3 evaluations cached, best sets sorted, fit written" \
    "[ \$(tail -n +2 $T/cal/evaluations.csv | wc -l) -eq 3 ] && [ -s $T/cal/fit.csv ] && grep -q 'MAPE in' $T/cal/fit.txt &&
     awk -F, 'NR>2 && \$2 < p {bad=1} NR>1{p=\$2} END{exit bad}' $T/cal/best_sets.csv"
# a whole-number parameter: its best sets as they were run (rounded), each
# once, so ensemble takes them (it refused 38.904924914026239)
sed 's/mechanisms.politics.news_delay_weeks/demography.postpartum_infecund_weeks/' "$T/params.yaml" > "$T/params-int.yaml"
$LEAP calibrate scenarios/history.yaml --params "$T/params-int.yaml" --scale 0.0003 --seeds 1 --budget 5 --out "$T/cal-int" > /dev/null 2>&1
$LEAP ensemble scenarios/history.yaml --seeds 1 --param-sets 1 --sets "$T/cal-int/best_sets.csv" --scale 0.0003 --quiet \
    --out "$T/ens-calint" > /dev/null 2> "$T/err"
check "calibrate of a whole-number parameter: best_sets.csv holds whole, distinct values that ensemble takes" \
    "[ $? -eq 0 ] && awk -F, 'NR>1 && (\$3 != int(\$3) || seen[\$3]++) {bad=1} END{exit bad || NR < 2}' $T/cal-int/best_sets.csv"
best=$(awk -F, 'NR==2{print $3}' "$T/cal/best_sets.csv")
$LEAP run "$T/cal/best.yaml" --scale 0.0002 --quiet --out "$T/calrun" --set run.end=1957-12-31
check "best.yaml is a scenario carrying the best value ($best)" \
    "[ $? -eq 0 ] && grep -q \"\\\"mechanisms.politics.news_delay_weeks\\\": $best\" $T/calrun/run.json"
$CAL --budget 4 --out "$T/cal" > /dev/null 2> "$T/cal.err"
check "calibrate resumes: replays 3 cached evaluations, adds the 4th" \
    "[ $? -eq 0 ] && grep -q 'replayed 3' $T/cal.err && [ \$(tail -n +2 $T/cal/evaluations.csv | wc -l) -eq 4 ]"
# killed while writing evaluation 4: its line is cut inside the loss (after
# the loss's first character, which alone would read as a number)
cp -r "$T/cal" "$T/cal-cut"
last=$(tail -n 1 "$T/cal/evaluations.csv")
loss=${last##*,}
{ head -n -1 "$T/cal/evaluations.csv"; printf '%s' "${last%,*},${loss:0:1}"; } > "$T/cal-cut/evaluations.csv"
$CAL --budget 4 --out "$T/cal-cut" > /dev/null 2> "$T/cal.err"
check "calibrate resumes after a cut last line: a notice, the line dropped and evaluation 4 run again, the same file and best sets as uninterrupted" \
    "[ $? -eq 0 ] && grep -q 'evaluations.csv:5: the last line was cut short' $T/cal.err &&
     cmp -s $T/cal/evaluations.csv $T/cal-cut/evaluations.csv && cmp -s $T/cal/best_sets.csv $T/cal-cut/best_sets.csv"
# a NaN loss in line 3: an error at its line and column, the file untouched, nothing run
cp -r "$T/cal" "$T/cal-nan"
awk -F, -v OFS=, 'NR == 3 {$NF = "nan"} 1' "$T/cal/evaluations.csv" > "$T/cal-nan/evaluations.csv"
col=$(awk -F, 'NR == 3 {print length($0) - length($NF) + 1}' "$T/cal-nan/evaluations.csv")
before=$(md5sum < "$T/cal-nan/evaluations.csv")
$CAL --budget 5 --out "$T/cal-nan" > /dev/null 2> "$T/err"
check "calibrate refuses a nan loss: exit 2, evaluations.csv:3:$col, file untouched" \
    "[ $? -eq 2 ] && grep -q 'evaluations.csv:3:$col: malformed evaluation row: the loss is nan' $T/err &&
     [ \"\$(md5sum < $T/cal-nan/evaluations.csv)\" = \"$before\" ]"
awk 'NR == 2 {$0 = $0 ",0.5"} 1' "$T/cal/evaluations.csv" > "$T/cal-nan/evaluations.csv"
before=$(md5sum < "$T/cal-nan/evaluations.csv")
$CAL --budget 5 --out "$T/cal-nan" > /dev/null 2> "$T/err"
check "calibrate refuses a row with a field too many: exit 2, evaluations.csv:2:column, file untouched" \
    "[ $? -eq 2 ] && grep -qE 'evaluations.csv:2:[0-9]+: malformed evaluation row: more than 3 fields' $T/err &&
     [ \"\$(md5sum < $T/cal-nan/evaluations.csv)\" = \"$before\" ]"
$LEAP calibrate scenarios/history.yaml --params "$T/params.yaml" --scale 0.001 --seeds 2 --budget 4 --out "$T/cal" > /dev/null 2> "$T/err"
check "calibrate refuses to resume with another scale: exit 2" "[ $? -eq 2 ] && grep -q 'other settings' $T/err"
mkdir -p "$T/cal-notes" && echo "my notes" > "$T/cal-notes/notes.txt"
$CAL --budget 1 --out "$T/cal-notes" > /dev/null 2> "$T/err"
check "calibrate into a non-empty folder that is not a calibration's: exit 2, nothing written there" \
    "[ $? -eq 2 ] && grep -q 'not a calibration' $T/err && [ \"\$(ls $T/cal-notes)\" = notes.txt ]"
cp "$T/cal/best.yaml" "$T/best.keep"
$LEAP calibrate "$T/cal/best.yaml" --params "$T/params.yaml" --scale 0.0005 --seeds 2 --budget 1 --restart --out "$T/cal" > /dev/null 2> "$T/err"
check "calibrate of its own best.yaml into the same folder, even with --restart: exit 2 (not offering a --force calibrate lacks), best.yaml and the cache intact" \
    "[ $? -eq 2 ] && grep -q 'best.yaml: is one of' $T/err && ! grep -q -- '--force' $T/err && cmp -s $T/cal/best.yaml $T/best.keep &&
     [ \$(tail -n +2 $T/cal/evaluations.csv | wc -l) -eq 4 ]"
printf 'extends: %s/scenarios/history.yaml\nname: edited\n' "$PWD" > "$T/edited.yaml"
$LEAP calibrate "$T/edited.yaml" --params "$T/params.yaml" --scale 0.0005 --seeds 1 --budget 1 --out "$T/cal-ed" > /dev/null 2>&1
printf 'seed: 7\n' >> "$T/edited.yaml"
$LEAP calibrate "$T/edited.yaml" --params "$T/params.yaml" --scale 0.0005 --seeds 1 --budget 2 --out "$T/cal-ed" > /dev/null 2> "$T/err"
check "calibrate refuses to resume once the scenario's parameters changed (seed: 7 added): exit 2, one evaluation kept" \
    "[ $? -eq 2 ] && grep -q 'other settings' $T/err && [ \$(tail -n +2 $T/cal-ed/evaluations.csv | wc -l) -eq 1 ]"
printf 'extends: %s/scenarios/history.yaml\nname: parent\n' "$PWD" > "$T/parent.yaml"
printf 'extends: parent.yaml\nname: child\n' > "$T/child.yaml"
$LEAP calibrate "$T/child.yaml" --params "$T/params.yaml" --scale 0.0005 --seeds 1 --budget 1 --out "$T/cal-ch" > /dev/null 2>&1
printf 'seed: 7\n' >> "$T/parent.yaml"
$LEAP calibrate "$T/child.yaml" --params "$T/params.yaml" --scale 0.0005 --seeds 1 --budget 2 --out "$T/cal-ch" > /dev/null 2> "$T/err"
check "calibrate refuses to resume once the scenario's extends parent changed: exit 2, one evaluation kept" \
    "[ $? -eq 2 ] && grep -q 'other settings' $T/err && [ \$(tail -n +2 $T/cal-ch/evaluations.csv | wc -l) -eq 1 ]"
rm -rf "$T/cal-data" && cp -r data "$T/cal-data"
LEAP_DATA="$T/cal-data" $LEAP calibrate scenarios/history.yaml --params "$T/params.yaml" --scale 0.0005 --seeds 1 --budget 1 \
    --out "$T/cal-dd" > /dev/null 2>&1
$LEAP calibrate scenarios/history.yaml --params "$T/params.yaml" --scale 0.0005 --seeds 1 --budget 2 --out "$T/cal-dd" > /dev/null 2> "$T/err"
check "calibrate refuses to resume with another data folder (LEAP_DATA): exit 2, one evaluation kept" \
    "[ $? -eq 2 ] && grep -q 'other settings' $T/err && grep -q '^data .*cal-data' $T/err &&
     [ \$(tail -n +2 $T/cal-dd/evaluations.csv | wc -l) -eq 1 ]"
printf 'params:\n  - key: nutrition.hazard_gamma\n    source: "x y z"\nweights: {series: {death_rate_permille: 1}, status: {verified: 1}}\n' > "$T/bad.yaml"
$LEAP calibrate scenarios/history.yaml --params "$T/bad.yaml" --out "$T/cal-bad" > /dev/null 2> "$T/err"
check "calibrate: a parameter without a range: exit 2, file:line:col, nothing written" \
    "[ $? -eq 2 ] && grep -qE 'bad.yaml:[0-9]+:[0-9]+: .*no range' $T/err && [ ! -e $T/cal-bad ]"
printf 'params:\n  - key: nutrition.hazard_gamma\n    range: [0.5, 3]\n    source: "x y z"\nweights: {series: {death_rate_permille: 1}, status: {verified: 1}}\n' > "$T/bad.yaml"
$LEAP calibrate scenarios/history.yaml --params "$T/bad.yaml" --out "$T/cal-bad" > /dev/null 2> "$T/err"
check "calibrate: a range outside the plausible range: exit 2, nothing written" \
    "[ $? -eq 2 ] && grep -q 'out of range' $T/err && [ ! -e $T/cal-bad ]"
{ printf 'params: '; printf '%100000s' '' | sed 's/ /{a: /g'; printf 1; printf '%100000s\n' '' | tr ' ' '}'; } > "$T/deep.yaml"
# shellcheck disable=SC2086  # $LEAP is a command, as on every other line
timeout 10 $LEAP calibrate scenarios/history.yaml --params "$T/deep.yaml" --dry-run --out "$T/cal-deep" > /dev/null 2> "$T/err"
check "calibrate: a params file nested 100,000 mappings deep: exit 2 at once, file:line:column (was: minutes in the YAML parser)" \
    "[ $? -eq 2 ] && grep -q 'deep.yaml:1:133: lists and mappings nested more than 32 deep' $T/err && [ ! -e $T/cal-deep ]"
$LEAP calibrate scenarios/history.yaml --params calibration/params.yaml --dry-run --out "$T/cal-x" > "$T/dry.txt" 2>&1
check "calibration/params.yaml is valid: ranges inside the plausible ranges, sources, weights; --dry-run writes nothing" \
    "[ $? -eq 0 ] && [ ! -e $T/cal-x ] && grep -q 'range' $T/dry.txt"
check "history.yaml's values lie inside calibration/params.yaml's ranges" "! grep -q 'outside its calibration range' $T/dry.txt"
