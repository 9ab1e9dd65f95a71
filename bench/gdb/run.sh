#!/bin/sh
# Reverse-execution latency of `rewind gdbserver` under gdb, on a trace of a few million events.
# usage: bench/gdb/run.sh [ITERATIONS (default 2000000)] [ROUNDS (default 5)] [PROGRAM (default syscalls)]
# PROGRAM is syscalls (one thread) or threads (four threads sharing the iterations).
# Needs gcc, gdb and a built rewind (dotnet build -c Release); REWIND overrides its path.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
iterations=${1:-2000000}
rounds=${2:-5}
program=${3:-syscalls}
rewind=${REWIND:-$root/src/Rewind.Cli/bin/Release/net10.0/rewind}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

gcc -g -O0 -pthread -o "$work/$program" "$here/$program.c"
start=$(date +%s.%N)
"$rewind" record -o "$work/$program.rwd" -- "$work/$program" "$iterations" 2>/dev/null
end=$(date +%s.%N)
echo "recorded $iterations iterations of $program in $(echo "$end - $start" | bc) s"
"$rewind" info "$work/$program.rwd" | grep -E '^(events|size|checkpoints):'
timeout 1800 gdb -q -batch -nx -ex 'set debuginfod enabled off' -ex 'set sysroot /' -ex "set \$rounds = $rounds" \
    -ex "target remote | $rewind gdbserver $work/$program.rwd" -x "$here/latency.py" "$work/$program" 2>&1 \
    | grep '^bench: ' | sed 's/^bench: //'
