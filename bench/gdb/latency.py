# Runs inside gdb (gdb -batch -x latency.py): times reverse-execution commands against
# `rewind gdbserver`, each several times, and prints milliseconds per operation.
import statistics
import time

import gdb

ROUNDS = int(gdb.parse_and_eval("$rounds"))


def timed(command):
    start = time.perf_counter()
    gdb.execute(command, to_string=True)
    return (time.perf_counter() - start) * 1000


def measure(name, command, rounds=ROUNDS, before=None):
    samples = []
    for _ in range(rounds):
        if before:
            gdb.execute(before, to_string=True)
        samples.append(timed(command))
    print(f"bench: {name:<54} median {statistics.median(samples):9.1f} ms   min {min(samples):9.1f}   max {max(samples):9.1f}   (n={len(samples)})")


gdb.execute("break mark", to_string=True)
first = timed("continue")
print(f"bench: {'continue to the first mark() (cold)':<54} {first:16.1f} ms")
gdb.execute("monitor goto-percent 50", to_string=True)
gdb.execute("maint flush register-cache", to_string=True)
print(f"bench: {'continue from 50% to the next mark()':<54} {timed('continue'):16.1f} ms")
print("bench: " + gdb.execute("monitor when", to_string=True).strip())
measure("reverse-continue (previous mark(), 100k events back)", "reverse-continue")
measure("continue (next mark(), forward)", "continue")
measure("reverse-stepi", "reverse-stepi")
measure("stepi", "stepi")
measure("reverse-step (a source line)", "reverse-step")
measure("reverse-next (over getppid())", "reverse-next", before="next")
measure("reverse-finish (out of mark())", "reverse-finish", before="continue")
