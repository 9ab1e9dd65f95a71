#!/usr/bin/env bash
# Records, on this machine, the traces check-elsewhere.sh replays on another CPU, each with the
# output its program wrote, and builds the programs check-elsewhere.sh records there (static, so
# that they run whatever the other machine's libc). Usage: make-traces.sh DIR [REWIND]
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
record python3 python3 -c '
import threading
results = {}
def work(n):
    results[n] = sum(i * n % 7919 for i in range(300000))
threads = [threading.Thread(target=work, args=(n,)) for n in range(1, 5)]
for t in threads: t.start()
for t in threads: t.join()
print(sorted(results.items()))'
du -sh "$dir"/*
