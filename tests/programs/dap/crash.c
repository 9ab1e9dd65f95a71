/* A debuggee for the DAP end-to-end tests: it crashes (SIGSEGV, a write through a null
 * pointer) three frames below main, after a loop over good records has run. */
#include <stdio.h>
#include <stddef.h>

struct record {
    int id;
    int values[3];
};

int checksum;

static void store(struct record *r, int slot, int value)
{
    checksum += value; /* LINE store_sum */
    r->values[slot] = value; /* LINE store_write */
}

static void fill(struct record *r, int seed)
{
    for (int slot = 0; slot < 3; slot++) {
        store(r, slot, seed * 10 + slot); /* LINE fill_call */
    }
}

static void process(struct record **list, int n)
{
    /* The bug: <= reads one past the records, into the null terminator. */
    for (int i = 0; i <= n; i++) {
        fill(list[i], i + 1); /* LINE process_call */
    }
}

int main(void)
{
    struct record a = { 1, { 0 } }, b = { 2, { 0 } };
    struct record *list[] = { &a, &b, NULL };
    printf("processing\n");
    fflush(stdout);
    process(list, 2); /* LINE main_process */
    printf("done %d\n", checksum);
    return 0;
}
