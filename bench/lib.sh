# bench/lib.sh -- what the bench scripts share; sourced, not run.
# shellcheck shell=bash

# The line every bench output starts its context with: cores, memory, processor.
machine_line()
{
    echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
}

# Today's date and the version of ./leap (with its git commit).
date_line()
{
    echo "date: $(date -u +%Y-%m-%d), leap $(./leap --version | awk '{print $2, $3, $4}')"
}

# shared_option NAME VALUE: an option the bench scripts share sets its
# variable (--scenario SCEN, --threads THREADS, --args ARGS, --runs RUNS,
# --scales SCALES, --scale SCALE); returns 1 if NAME is none of them.  The
# caller shifts 2 on success.
shared_option()
{
    case "$1" in
        --scenario|--threads|--args|--runs|--scales|--scale) ;;
        *) return 1 ;;
    esac
    [ $# -ge 2 ] || { echo "${0#./}: $1 needs a value" >&2; exit 2; }
    # shellcheck disable=SC2034  # read by the scripts that source this file
    case "$1" in
        --scenario) SCEN=$2 ;;
        --threads) THREADS=$2 ;;
        --args) ARGS=$2 ;;
        --runs) RUNS=$2 ;;
        --scales) SCALES=$2 ;;
        --scale) SCALE=$2 ;;
    esac
}

# head_help FILE: print the comment at the head of a bench script (its
# --help), without the '# ' marks.
head_help()
{
    sed -n '2,/^set -eu/p' "$1" | sed '$d; s/^# \{0,1\}//'
}

# work_dir NAME: build ./leap if it is missing and set T to a fresh
# temporary directory, removed when the script exits.
work_dir()
{
    [ -x ./leap ] || make -s leap
    T=$(mktemp -d "/tmp/leap-$1.XXXXXX")
    # shellcheck disable=SC2064  # T is fixed now
    trap "rm -rf '$T'" EXIT
}

# run_or_fail SCRIPT SCALE LOG COMMAND...: run COMMAND, its output to LOG;
# if it fails, say which scale, show LOG and exit 1.
run_or_fail()
{
    local script=$1 scale=$2 log=$3
    shift 3
    if ! "$@" >"$log" 2>&1; then
        echo "$script: the run at scale $scale failed:" >&2; cat "$log" >&2; exit 1
    fi
}
