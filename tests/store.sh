#!/usr/bin/env bash
# store.sh -- the run store (leap.db): recording, `leap runs`, `leap export`,
# a run killed with SIGKILL, a database of a newer leap.  Called by run-all.sh.

echo "== run store"
DB="$T/store.db"
srun() { $LEAP run scenarios/no-leap.yaml --scale 0.0005 --set run.end=1958-12-31 --quiet --db "$DB" "$@"; }
srun --out "$T/sa" && srun --seed 2 --out "$T/sb"
check "two runs recorded as complete" "[ \$($LEAP runs --db $DB | grep -c ' complete ') -eq 2 ]"
$LEAP export 1 --db "$DB" --out "$T/ex1"
same=1
for f in national_annual.csv provinces_annual.csv national_weekly.csv; do cmp -s "$T/sa/$f" "$T/ex1/$f" || same=0; done
check "export of run 1: the three CSV files byte-identical to the run's" "[ $same -eq 1 ]"
check "export of run 1: its run.json as the run wrote it, so leap compare reads the export as it reads the run's folder" \
    "cmp -s $T/sa/run.json $T/ex1/run.json && $LEAP compare $T/ex1 > $T/cmp-ex1.txt && $LEAP compare $T/sa > $T/cmp-sa.txt &&
     cmp -s $T/cmp-sa.txt $T/cmp-ex1.txt"
# an empty store name is refused (SQLite opened a temporary database and the
# run was "recorded as run 1 in " nothing), and so are --db and --no-db together
$LEAP run scenarios/no-leap.yaml --scale 0.0002 --set run.end=1957-12-31 --quiet --db "" --out "$T/db-empty" > "$T/out" 2> "$T/err"
rc=$?
$LEAP run scenarios/no-leap.yaml --scale 0.0002 --set run.end=1957-12-31 --quiet --db "$T/both.db" --no-db --out "$T/db-both" 2> "$T/err2"
rc2=$?
check "run --db '' and run --db F --no-db: exit 2, nothing run or recorded" \
    "[ $rc -eq 2 ] && grep -q 'is empty' $T/err && [ ! -e $T/db-empty ] && [ $rc2 -eq 2 ] &&
     grep -q 'contradict' $T/err2 && [ ! -e $T/db-both ] && [ ! -e $T/both.db ]"
# the store keeps absolute paths: a relative --out or scenario meant
# nothing to `leap runs` in another folder
mkdir -p "$T/sub"
(cd "$T/sub" && "$OLDPWD/leap" run "$OLDPWD/scenarios/no-leap.yaml" --scale 0.0002 --set run.end=1957-12-31 --quiet \
    --db "$T/rel.db" --out ./rel-out)
check "a run with a relative --out is recorded with its absolute folder" \
    "[ \"\$(sqlite3 $T/rel.db 'SELECT out_dir FROM runs')\" = \"\$(cd $T/sub && pwd -P)/rel-out\" ] &&
     sqlite3 $T/rel.db 'SELECT scenario_file FROM runs' | grep -q '^/.*/scenarios/no-leap.yaml$'"
# leap compare and leap report take run ids too (exported into $TMPDIR,
# removed after; report left its folder behind once run.json was exported)
mkdir -p "$T/tmpd"
TMPDIR="$T/tmpd" $LEAP compare 1 --db "$DB" --csv "$T/cmp-id.csv" > "$T/cmp-id.txt" 2> "$T/err"
rc=$?
$LEAP compare "$T/sa" --csv "$T/cmp-dir.csv" > /dev/null
TMPDIR="$T/tmpd" $LEAP report 1 --db "$DB" --out "$T/id.html" > /dev/null 2>> "$T/err"
check "compare 1 --db: the same table and CSV as compare of the run's folder; compare and report leave no temporary folder" \
    "[ $rc -eq 0 ] && cmp -s $T/cmp-sa.txt $T/cmp-id.txt && cmp -s $T/cmp-dir.csv $T/cmp-id.csv && [ -s $T/id.html ] &&
     [ -z \"\$(ls -A $T/tmpd)\" ]"
TMPDIR="$T/no-such-tmp" $LEAP compare 1 --db "$DB" > /dev/null 2> "$T/err"
check "compare of a run id with \$TMPDIR not there: exit 1, the system's reason and \$TMPDIR named, not 'this is a bug'" \
    "[ $? -eq 1 ] && grep -q 'no-such-tmp: cannot make a temporary folder there to export run 1 into (No such file or directory)' $T/err &&
     ! grep -q 'this is a bug' $T/err"
TMPDIR="$T/tmpd" $LEAP compare 1 9 --db "$DB" > /dev/null 2> "$T/err"
check "compare with a run id the store lacks: exit 2 naming the store and id, no temporary folder left" \
    "[ $? -eq 2 ] && grep -q 'store.db: no run 9' $T/err && [ -z \"\$(ls -A $T/tmpd)\" ]"
# a store made before runs kept their run.json: the column is added when it
# is opened; its earlier runs export their CSV files only
cp "$DB" "$T/old.db" && sqlite3 "$T/old.db" 'ALTER TABLE runs DROP COLUMN run_json'
$LEAP run scenarios/no-leap.yaml --scale 0.0005 --set run.end=1958-12-31 --quiet --db "$T/old.db" --out "$T/sc"
$LEAP export 1 --db "$T/old.db" --out "$T/ex-old1" && $LEAP export 3 --db "$T/old.db" --out "$T/ex-old3"
check "a store without runs.run_json: the column added, a new run's run.json exported, an earlier run's CSV files only" \
    "[ ! -e $T/ex-old1/run.json ] && cmp -s $T/ex-old1/national_annual.csv $T/sa/national_annual.csv && cmp -s $T/sc/run.json $T/ex-old3/run.json"
check "export of run 2 differs from run 1 (another seed)" \
    "$LEAP export 2 --db $DB --out $T/ex2 && ! cmp -s $T/ex1/national_weekly.csv $T/ex2/national_weekly.csv"
$LEAP export 1 --db "$DB" --out "$T/ex1" > /dev/null 2> "$T/err"
check "export into a non-empty folder without --force: exit 2" "[ $? -eq 2 ] && grep -q 'not empty' $T/err"
mkdir -p "$T/exdb" && cp "$DB" "$T/exdb/store.db"
$LEAP export 1 --db "$T/exdb/store.db" --out "$T/exdb" --force > /dev/null 2> "$T/err"
check "export --force into the folder holding its run store: exit 2, the store intact" \
    "[ $? -eq 2 ] && grep -q 'store.db, which this command reads' $T/err && cmp -s $DB $T/exdb/store.db"
$LEAP export 9 --db "$DB" --out "$T/ex9" > /dev/null 2> "$T/err"
check "export of a run that does not exist: exit 2, nothing written" "[ $? -eq 2 ] && grep -q 'no run 9' $T/err && [ ! -e $T/ex9 ]"
# a run id past long long's range was taken as its largest value, and " 1" or "+1" as 1
for id in 99999999999999999999 " 1" "+1"; do
    $LEAP export "$id" --db "$DB" --out "$T/exbig" > /dev/null 2> "$T/err"
    check "export '$id': exit 2, the id refused as typed, nothing written" \
        "[ $? -eq 2 ] && grep -qF 'RUN_ID must be a whole number from \`leap runs\`, not: $id' $T/err && [ ! -e $T/exbig ]"
done

# a store altered by hand, its table wider than any leap writes: export read
# the columns' formats past the end of their array (undefined behaviour)
cp "$DB" "$T/wide.db"
for i in $(seq 1 200); do echo "ALTER TABLE national_annual ADD COLUMN extra$i REAL;"; done | sqlite3 "$T/wide.db"
$LEAP export 1 --db "$T/wide.db" --out "$T/exwide" > /dev/null 2> "$T/err"
check "export from a store whose table has 200 columns more: exit 2 naming the store and table, nothing written" \
    "[ $? -eq 2 ] && grep -q 'wide.db: table national_annual has [0-9]* columns, more than a run store of leap holds' $T/err &&
     [ ! -e $T/exwide ]"
# --db that is a device, a folder or a pipe: SQLite said "disk I/O error"
mkdir -p "$T/dbdir" && mkfifo "$T/db.fifo"
for db in /dev/null "$T/dbdir" "$T/db.fifo"; do
    timeout 10 $LEAP runs --db "$db" > /dev/null 2> "$T/err"
    rc=$?
    check "runs --db $(basename "$db"): exit 2, 'not a regular file' or 'is a directory', what is expected" \
        "[ $rc -eq 2 ] && grep -qE '$db: (not a regular file [(]a pipe or a device[)]|is a directory); a leap run store' $T/err"
done
$LEAP run scenarios/no-leap.yaml --scale 0.0002 --set run.end=1957-12-31 --quiet --db "$T/dbdir" --out "$T/dbdir-run" > /dev/null 2> "$T/err"
check "run --db FOLDER: exit 2 before simulating, nothing written" \
    "[ $? -eq 2 ] && grep -q 'is a directory; a leap run store' $T/err && [ ! -e $T/dbdir-run ] && [ -z \"\$(ls $T/dbdir)\" ]"
# report and export of a run id of a store with a year of its series
# deleted -- the first (the message named the temporary folder the run was
# exported into, gone by then) or the last (reported without a word): the
# years are checked against the run.end of the scenario the store holds
for y in 1957 1958; do
    cp "$DB" "$T/gap.db" && sqlite3 "$T/gap.db" "DELETE FROM national_annual WHERE run_id = 1 AND year = $y"
    $LEAP report 1 --db "$T/gap.db" --out "$T/gap.html" > /dev/null 2> "$T/err"
    rc=$?
    $LEAP export 1 --db "$T/gap.db" --out "$T/gap-ex" > /dev/null 2> "$T/err2"
    check "report and export of a run id whose series lack $y: exit 2 naming the store, run and years; nothing written" \
        "[ $rc -eq 2 ] && grep -q 'gap.db (run 1): national_annual holds 1 rows for 1 years .* but the run ended in 1958' $T/err &&
         ! grep -q 'leap-run\.' $T/err && [ ! -e $T/gap.html ] && grep -q 'the store was altered' $T/err2 && [ ! -e $T/gap-ex ]"
done

# started OUT: a history run in the background ($pid), once the store lists
# it as running (incomplete), plus a second of simulation
started() {
    local n
    n=$($LEAP runs --db "$DB" 2>/dev/null | grep -c incomplete)
    $LEAP run scenarios/history.yaml --scale 0.002 --quiet --db "$DB" --out "$1" 2> "$T/err" &
    pid=$!
    for _ in $(seq 100); do
        [ "$($LEAP runs --db "$DB" 2>/dev/null | grep -c incomplete)" -gt "$n" ] && break
        sleep 0.2
    done
    sleep 1
}

# SIGKILL in the middle of a run: earlier runs intact, the killed one incomplete.
started "$T/killed"
kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
$LEAP runs --db "$DB" > "$T/runs.txt"
check "SIGKILL during a run: it is listed as incomplete, the two earlier runs complete" \
    "grep -qE '^ +3 .* incomplete ' $T/runs.txt && [ \$(grep -c ' complete ' $T/runs.txt) -eq 2 ]"
$LEAP export 1 --db "$DB" --out "$T/ex1b"
check "after the kill run 1 still exports byte-identical" "cmp -s $T/sa/national_weekly.csv $T/ex1b/national_weekly.csv"
$LEAP export 3 --db "$DB" --out "$T/ex3" > /dev/null 2> "$T/err"
check "the killed run has nothing to export: exit 2" "[ $? -eq 2 ] && grep -q incomplete $T/err && [ ! -e $T/ex3 ]"
check "the killed run left no output folder" "[ ! -e $T/killed ]"

# SIGTERM (or Ctrl-C) during a run: recorded as failed, with the reason.
started "$T/termed"
kill -TERM $pid; wait $pid
rc=$?
$LEAP runs --db "$DB" > "$T/runs.txt"
check "SIGTERM during a run: exit 1, recorded as failed with its error, nothing written" \
    "[ $rc -eq 1 ] && grep -qE '^ +4 .* failed ' $T/runs.txt && grep -q 'error: interrupted in week' $T/runs.txt && [ ! -e $T/termed ]"

# A store made by a newer leap is refused and left alone.
cp "$DB" "$T/newer.db"
sqlite3 "$T/newer.db" 'PRAGMA user_version = 99'
$LEAP runs --db "$T/newer.db" > /dev/null 2> "$T/err"
check "a newer schema: leap runs exits 2 naming it" "[ $? -eq 2 ] && grep -q 'newer leap (schema 99' $T/err"
srun --db "$T/newer.db" --out "$T/sn" > /dev/null 2> "$T/err"
check "a newer schema: leap run exits 2, writes no results, leaves the store as it was" \
    "[ $? -eq 2 ] && [ ! -e $T/sn ] && [ \$(sqlite3 $T/newer.db 'PRAGMA user_version') -eq 99 ] &&
     [ \$(sqlite3 $T/newer.db 'SELECT count(*) FROM runs') -eq 4 ]"
echo "not a database" > "$T/junk.db"
srun --db "$T/junk.db" --out "$T/sj" > /dev/null 2> "$T/err"
check "a file that is not a run store: exit 2, nothing written" "[ $? -eq 2 ] && grep -q junk.db $T/err && [ ! -e $T/sj ]"
sqlite3 "$T/mine.db" "CREATE TABLE mine (x); INSERT INTO mine VALUES (1);"
srun --db "$T/mine.db" --out "$T/sm" > /dev/null 2> "$T/err"
rc=$?
$LEAP runs --db "$T/mine.db" > /dev/null 2>> "$T/err"
check "someone else's SQLite database: run and runs exit 2 and add no table to it" \
    "[ $rc -eq 2 ] && [ $? -eq 2 ] && grep -q 'not a leap run store' $T/err && [ ! -e $T/sm ] &&
     [ \"\$(sqlite3 $T/mine.db .tables)\" = mine ]"
LEAP_DB="$T/none.db" $LEAP run scenarios/no-leap.yaml --scale 0.0005 --set run.end=1958-12-31 --quiet --no-db --out "$T/snd"
check "--no-db: the run is not recorded (not in \$LEAP_DB either)" "[ $? -eq 0 ] && [ ! -e $T/none.db ] && [ -s $T/snd/national_annual.csv ]"
check "the schema is queryable: 28 provinces x 2 years for run 1" \
    "[ \$(sqlite3 $DB 'SELECT count(*) FROM provinces_annual WHERE run_id = 1') -eq 56 ]"

# History at a tiny scale has provinces with no excess deaths, some a hair
# below zero: they print as 0.0000 (never -0.0000, which the store would
# give back without its sign), and export gives the same bytes.
$LEAP run scenarios/history.yaml --scale 0.001 --set run.end=1959-12-31 --quiet --db "$DB" --out "$T/sh"
hid=$(sqlite3 "$DB" 'SELECT max(id) FROM runs')
$LEAP export "$hid" --db "$DB" --out "$T/exh"
check "history at scale 0.001 has cells that round to zero from below, printed without a sign" \
    "grep -q ',0\.0000,' $T/sh/provinces_annual.csv && ! grep -qE '(^|,)-0(\.0+)?(,|\$)' $T/sh/*.csv"
check "that run exports byte-identical" \
    "cmp -s $T/sh/provinces_annual.csv $T/exh/provinces_annual.csv && cmp -s $T/sh/national_weekly.csv $T/exh/national_weekly.csv &&
     cmp -s $T/sh/national_annual.csv $T/exh/national_annual.csv"
