#!/usr/bin/env bash
# Records, on this machine, the traces check-elsewhere.sh replays on another CPU, each with the
# output its program wrote, and builds the programs check-elsewhere.sh records there (static, so
# that they run whatever the other machine's libc). Usage: make-traces.sh DIR [REWIND]
# PYTHON names the interpreter to record (default python3; not a wrapper script such as a pyenv shim).
set -euo pipefail
dir=$1
rewind=${2:-rewind}
repo=$(cd "$(dirname "$0")/../.." && pwd)
# CPUID read by the program, threads, preemptions in a spinning loop, signals in a busy loop.
programs="cpuid signals spin_counter alarm_xorshift"
mkdir -p "$dir/traces" "$dir/bin"
for p in $programs; do
    gcc -O1 -pthread -o "$dir/bin/$p" "$repo/tests/programs/$p.c"
done
for p in cpuid spin_counter alarm_xorshift; do
    gcc -O1 -pthread -static -o "$dir/bin/$p-static" "$repo/tests/programs/$p.c"
done
record() {
    local name=$1
    shift
    "$rewind" record -o "$dir/traces/$name.rwd" -- "$@" > "$dir/traces/$name.out"
}
for p in $programs; do
    record "$p" "$dir/bin/$p"
done
# A sorting runtime and an interpreter, both with threads.
awk 'BEGIN { srand(7); for (i = 0; i < 60000; i++) printf "%08x %d\n", int(rand() * 4294967295), i }' > "$dir/sort-input"
record sort sort --parallel=2 -S 8M "$dir/sort-input"
rm "$dir/sort-input"
record python3 "${PYTHON:-python3}" -c '
import threading
results = {}
def work(n):
    results[n] = sum(i * n % 7919 for i in range(300000))
threads = [threading.Thread(target=work, args=(n,)) for n in range(1, 5)]
for t in threads: t.start()
for t in threads: t.join()
print(sorted(results.items()))'
# Live processes hibernated midway: resumed elsewhere, each must end as an uninterrupted run does.
mkdir -p "$dir/images"
for job in counter threads; do
    gcc -O1 -pthread -o "$dir/bin/$job" "$repo/tests/programs/live/$job.c"
    { "$dir/bin/$job" || true; } | tail -n 1 > "$dir/images/$job.last"
    # Its output goes to a log it appends to, which resume reopens by path.
    : > "/tmp/rewind-portable-$job.log"
    "$dir/bin/$job" >> "/tmp/rewind-portable-$job.log" &
    sleep 0.5
    "$rewind" hibernate $! -o "$dir/images/$job.rwi"
    wait $! || true
done
du -sh "$dir"/*
