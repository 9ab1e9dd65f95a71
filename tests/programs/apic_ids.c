// The APIC ids CPUID gives: the initial APIC id (leaf 1 ebx[31:24]) and the x2APIC id (leaf
// 0xb edx), in the main thread and in a worker. They name the core the thread runs on: a
// recording keeps those of its core, and a replay on another core must give them back.
#include <cpuid.h>
#include <pthread.h>
#include <stdio.h>

static void print_ids(const char *who)
{
    unsigned a, b, c, d, x2apic = 0;
    __cpuid(0, a, b, c, d);
    unsigned max = a;
    __cpuid(1, a, b, c, d);
    if (max >= 0xb)
        __cpuid_count(0xb, 0, a, c, c, x2apic);
    printf("%s: initial APIC id %u, x2APIC id %u\n", who, b >> 24, x2apic);
}

static void *worker(void *arg)
{
    print_ids(arg);
    return NULL;
}

int main(void)
{
    print_ids("main");
    pthread_t thread;
    pthread_create(&thread, NULL, worker, "worker");
    pthread_join(thread, NULL);
    return 0;
}
