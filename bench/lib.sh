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
