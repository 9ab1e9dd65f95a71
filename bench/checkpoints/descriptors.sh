#!/bin/sh
# What capturing a checkpoint's process state for a live resume costs while recording: records
# bench/checkpoints/descriptors.c holding each number of descriptors with a checkpoint every
# 20 ms, and prints the median pause of its checkpoints and the recording's time.
# usage: bench/checkpoints/descriptors.sh [DESCRIPTORS... (default 0 20 200)]
# Needs gcc, python3 and a built rewind (dotnet build -c Release); REWIND overrides its path.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
rewind=${REWIND:-$root/src/Rewind.Cli/bin/Release/net10.0/rewind}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

gcc -O1 -o "$work/descriptors" "$here/descriptors.c"
for count in ${@:-0 20 200}; do
    start=$(date +%s.%N)
    "$rewind" record --checkpoint-interval 0.02 -o "$work/d.rwd" -- "$work/descriptors" "$count" 800 >/dev/null 2>&1
    end=$(date +%s.%N)
    "$rewind" info --json "$work/d.rwd" | python3 -c '
import json, sys
count, seconds = sys.argv[1], float(sys.argv[3]) - float(sys.argv[2])
pauses = sorted(c["pauseMicros"] for c in json.load(sys.stdin)["checkpoints"] if c["index"] > 0)
print(f"{count} descriptors: {len(pauses)} checkpoints, median pause {pauses[len(pauses) // 2] / 1000:.2f} ms, recorded in {seconds:.2f} s")
' "$count" "$start" "$end"
done
