#!/usr/bin/env bash
# On another machine, ideally one whose CPU has CPUID faulting: replays the traces that
# make-traces.sh recorded elsewhere and compares their output, then records programs here with
# CPUID trapped (--cpu host and --cpu baseline) and replays those. Needs only a self-contained
# rewind (dotnet publish -r linux-x64 --self-contained -p:PublishSingleFile=true).
# Usage: check-elsewhere.sh DIR REWIND OUT: DIR from make-traces.sh; OUT receives the traces made here.
set -u
dir=$1 rewind=$2 out=$3
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1
mkdir -p "$out"
work=$(mktemp -d)
mkdir -p "$work/elsewhere" "$work/resumed" "$work/here"
passed=0 failed=0
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cpus, Linux $(uname -r)"
grep -qw cpuid_fault /proc/cpuinfo && echo "cpuid_fault: yes" || echo "cpuid_fault: no"

# replay NAME TRACE EXPECTED: the replay's stdout must be the recorded output. A trace refused
# for features this CPU lacks is said so, and replayed again with --any-cpu.
replay() {
    local name=$1 trace=$2 expected=$3 start=$SECONDS any=
    timeout 300 "$rewind" replay "$trace" > "$work/$name.replayed" 2> "$work/$name.err"
    if grep -q "cannot be replayed here" "$work/$name.err"; then
        echo "      refused: $(cut -d';' -f1 "$work/$name.err")"
        any=" with --any-cpu"
        timeout 300 "$rewind" replay --any-cpu "$trace" > "$work/$name.replayed" 2> "$work/$name.err"
    fi
    if [ -s "$work/$name.replayed" ] && cmp -s "$work/$name.replayed" "$expected" && ! grep -q diverged "$work/$name.err"; then
        echo "ok    $name$any ($((SECONDS - start)) s)"
        passed=$((passed + 1))
    else
        echo "FAIL  $name: $(tail -n 3 "$work/$name.err" | tr '\n' ' ')"
        diff "$expected" "$work/$name.replayed" | head -n 6
        failed=$((failed + 1))
    fi
}

echo "== traces recorded on another machine"
for trace in "$dir"/traces/*.rwd; do
    name=$(basename "$trace" .rwd)
    "$rewind" info "$trace" | grep -E '^(machine|cpu|cpuid):' | sed 's/^/      /' | head -n 3 > "$work/info"
    [ "$name" = cpuid ] && cat "$work/info"
    replay "elsewhere/$name" "$trace" "$dir/traces/$name.out"
done

echo "== processes hibernated on another machine, resumed here"
for image in "$dir"/images/*.rwi; do
    name=$(basename "$image" .rwi)
    # The job appends its output to this log, which the image reopens by path.
    log=/tmp/rewind-portable-$name.log
    : > "$log"
    timeout 120 "$rewind" resume "$image" > /dev/null 2> "$work/resumed/$name.err" < /dev/null
    if grep -q "this CPU lacks" "$work/resumed/$name.err"; then
        echo "      refused: $(grep -o 'this CPU lacks [^,]*' "$work/resumed/$name.err")"
        : > "$log"
        timeout 120 "$rewind" resume --any-cpu "$image" > /dev/null 2> "$work/resumed/$name.err" < /dev/null
    fi
    cp "$log" "$work/resumed/$name.out"
    if [ "$(tail -n 1 "$work/resumed/$name.out")" = "$(cat "$dir/images/$name.last")" ]; then
        echo "ok    resumed/$name: $(tail -n 1 "$work/resumed/$name.out")"
        passed=$((passed + 1))
    else
        echo "FAIL  resumed/$name: $(tail -n 3 "$work/resumed/$name.err" | tr '\n' ' ') last line: $(tail -n 1 "$work/resumed/$name.out")"
        failed=$((failed + 1))
    fi
done

echo "== recorded here, CPUID trapped"
awk 'BEGIN { srand(11); for (i = 0; i < 60000; i++) printf "%08x %d\n", int(rand() * 4294967295), i }' > "$work/sort-input"
for view in host baseline; do
    for p in cpuid-static spin_counter-static alarm_xorshift-static sort python3; do
        case $p in
            sort) cmd=(sort --parallel=2 -S 8M "$work/sort-input") ;;
            python3) cmd=(python3 -c 'import threading; r=[]; t=[threading.Thread(target=lambda n=n: r.append(sum(i*n for i in range(300000)))) for n in range(4)]; [x.start() for x in t]; [x.join() for x in t]; print(sorted(r))') ;;
            *) cmd=("$dir/bin/$p") ;;
        esac
        name=$view-${p%-static}
        if ! "$rewind" record --cpu "$view" -o "$work/$name.rwd" -- "${cmd[@]}" > "$work/$name.out" 2> "$work/$name.rec"; then
            echo "FAIL  record $name: $(tail -n 2 "$work/$name.rec" | tr '\n' ' ')"
            failed=$((failed + 1))
            continue
        fi
        [ "$p" = cpuid-static ] && sed 's/^/      /' "$work/$name.out" | head -n 3
        replay "here/$name" "$work/$name.rwd" "$work/$name.out"
    done
done
# The traces that go back to be replayed on the recording machines.
for name in baseline-cpuid baseline-sort baseline-spin_counter host-sort; do
    cp "$work/$name.rwd" "$work/$name.out" "$out/" 2> /dev/null
done
echo "$passed passed, $failed failed"
rm -rf "$work"
[ "$failed" = 0 ]
