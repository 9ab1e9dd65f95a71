#!/bin/sh
# Reverse-execution latency of `rewind gdbserver` under gdb, on a trace of a few million events.
# usage: bench/gdb/run.sh [ITERATIONS (default 2000000)] [ROUNDS (default 5)]
# Needs gcc, gdb and a built rewind (dotnet build -c Release); REWIND overrides its path.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
iterations=${1:-2000000}
rounds=${2:-5}
rewind=${REWIND:-$root/src/Rewind.Cli/bin/Release/net10.0/rewind}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

gcc -g -O0 -o "$work/syscalls" "$here/syscalls.c"
start=$(date +%s.%N)
"$rewind" record -o "$work/syscalls.rwd" -- "$work/syscalls" "$iterations" 2>/dev/null
end=$(date +%s.%N)
echo "recorded $iterations iterations in $(echo "$end - $start" | bc) s"
"$rewind" info "$work/syscalls.rwd" | grep -E '^(events|size|checkpoints):'
timeout 1800 gdb -q -batch -nx -ex 'set debuginfod enabled off' -ex 'set sysroot /' -ex "set \$rounds = $rounds" \
    -ex "target remote | $rewind gdbserver $work/syscalls.rwd" -x "$here/latency.py" "$work/syscalls" 2>&1 \
    | grep '^bench: ' | sed 's/^bench: //'
