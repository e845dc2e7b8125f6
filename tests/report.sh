#!/usr/bin/env bash
# report.sh -- `leap report`: the HTML page in a real browser (headless
# Debian chromium via playwright-core), the figures, run ids from the store.
# Called by run-all.sh after history.sh (it reuses history's runs in $HS).

echo "== leap report"
$LEAP report "$HS/base-1" --compare "$HS/cf-no-exports" --out "$T/report.html" --figures "$T/figs" > /dev/null 2> "$T/err"
check "report with a comparison and figures: exit 0" "[ $? -eq 0 ]"
check "the report is one self-contained file: no external script, style or image" \
    "! grep -qiE '<script[^>]+src=|<link[^>]+href=|<img[^>]+src=\"?http' $T/report.html"
# 8 national and weekly charts + one per province (28)
node tests/report-check.mjs "$T/report.html" 36 "$T/report.png" > "$T/browser.txt" 2>&1
rc=$?
while read -r line; do case "$line" in PASS*) pass "${line#PASS  }" ;; FAIL*) fail "${line#FAIL  }" ;; esac; done < "$T/browser.txt"
check "the browser check ran (exit $rc) and saved a screenshot" \
    "[ $rc -eq 0 ] && [ \"\$(head -c 8 $T/report.png | od -An -tx1 | tr -d ' ')\" = 89504e470d0a1a0a ]"
check "figures: SVG and PNG of the death rate, with the record and both runs" \
    "grep -q 'Registered death rate' $T/figs/death_rate.svg && grep -q 'no-exports' $T/figs/death_rate.svg &&
     [ \"\$(head -c 4 $T/figs/death_rate.png | od -An -tx1 | tr -d ' ')\" = 89504e47 ] && [ \$(ls $T/figs/*.png | wc -l) -eq 7 ]"
# a run id of the store: the tests' store has the runs of run-all.sh
id=$($LEAP runs | awk '$3 == "complete" {print $1; exit}')
$LEAP report "$id" --out "$T/report-id.html" > /dev/null 2> "$T/err"
check "report of run id $id from the store: exit 0, its data inside" "[ $? -eq 0 ] && grep -q '\"run id\"' $T/report-id.html"
$LEAP report "$T/no-such-run" --out "$T/bad.html" > /dev/null 2> "$T/err"
check "report of a missing run: exit 2, nothing written" "[ $? -eq 2 ] && [ ! -e $T/bad.html ] && grep -q 'no-such-run' $T/err"
# The browser check can fail: a report whose chart library is broken.
sed 's/var uPlot=function/var uPlotBroken=function/' "$T/report.html" > "$T/broken.html"
node tests/report-check.mjs "$T/broken.html" 36 > "$T/browser2.txt" 2>&1
check "the browser check fails on a report whose charts cannot draw" "[ $? -ne 0 ] && grep -q 'FAIL  report: no console' $T/browser2.txt"

echo "== leap report: existing files"
cp "$T/report.html" "$T/report.keep"
$LEAP report "$HS/base-1" --out "$T/report.html" > /dev/null 2> "$T/err"
check "report --out an existing file without --force: exit 2, the file intact" \
    "[ $? -eq 2 ] && grep -q -- '--force' $T/err && cmp -s $T/report.html $T/report.keep"
cp "$HS/base-1/run.json" "$T/run.json.keep"
for f in "" --force; do
    $LEAP report "$HS/base-1" --out "$HS/base-1/run.json" $f > /dev/null 2> "$T/err"
    check "report --out the run's own run.json ${f:-without --force}: exit 2, run.json intact" \
        "[ $? -eq 2 ] && grep -q 'base-1/run.json: ' $T/err && cmp -s $HS/base-1/run.json $T/run.json.keep"
done
$LEAP report "$HS/base-1" --out "$T/report2.html" --figures "$T/figs" > /dev/null 2> "$T/err"
check "report --figures into a non-empty folder without --force: exit 2, nothing written" \
    "[ $? -eq 2 ] && grep -q -- '--force' $T/err && [ ! -e $T/report2.html ] && grep -q 'no-exports' $T/figs/death_rate.svg"
mkdir -p "$T/paper" && echo "draft" > "$T/paper/paper.tex"
$LEAP report "$HS/base-1" --out "$T/report2.html" --figures "$T/paper" --force > /dev/null 2> "$T/err"
check "report --figures --force on a folder holding other files: exit 2, left intact" \
    "[ $? -eq 2 ] && grep -q 'holds paper.tex' $T/err && [ \"\$(ls $T/paper)\" = paper.tex ] && [ ! -e $T/report2.html ]"
echo "my notes" > "$T/report.html.tmp"
$LEAP report "$HS/base-1" --out "$T/report.html" --figures "$T/figs" --force > /dev/null 2> "$T/err"
check "report --force replaces the page and the figures folder (now of one run), no temporary folder left, a file of the user's named FILE.tmp left alone" \
    "[ $? -eq 0 ] && ! cmp -s $T/report.html $T/report.keep && grep -q 'Registered death rate' $T/figs/death_rate.svg &&
     ! grep -q 'no-exports' $T/figs/death_rate.svg && [ -z \"\$(ls -d $T/figs.tmp-* 2>/dev/null)\" ] &&
     grep -q 'my notes' $T/report.html.tmp"
PATH=/nonexistent $LEAP report "$HS/base-1" --out "$T/report3.html" --figures "$T/figs3" > /dev/null 2> "$T/err"
check "report whose figures fail (no gnuplot): exit 2, neither the page nor the figures written" \
    "[ $? -eq 2 ] && grep -q \"figs3: gnuplot failed\" $T/err && ! grep -q 'figs3\.tmp' $T/err && [ ! -e $T/report3.html ] && [ -z \"\$(ls -d $T/figs3* 2>/dev/null)\" ]"
