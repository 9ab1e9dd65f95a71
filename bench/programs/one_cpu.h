// Shared by the raw-cost programs (ptrace_stop.c, rdtsc_trap.c).
#ifndef ONE_CPU_H
#define ONE_CPU_H
#define _GNU_SOURCE
#include <sched.h>

// Tracer and child on one CPU, as the recorder runs them (src/Rewind.Core/CpuPinning.cs): a stop
// is then a context switch, not a wake-up across CPUs (about 5 against 40 µs on the 2-CPU VM).
static void pin_here(void)
{
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(sched_getcpu(), &one);
    sched_setaffinity(0, sizeof one, &one);
}

#endif
