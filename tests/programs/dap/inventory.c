/* A debuggee for the DAP end-to-end tests (vscode-extension/src/test/adapter.e2e.test.ts):
 * a struct, an array of them, a global counter written in several places, a loop calling a
 * function, and nested calls. The tests name lines by the LINE markers in comments, so the
 * code can move without breaking them. */
#include <stdio.h>

struct item {
    int id;
    int stock;
    double price;
    const char *name;
};

struct item items[3] = {
    { 1, 5, 2.5, "apple" },
    { 2, 0, 10.0, "pear" },
    { 3, 7, 0.75, "plum" },
};
int counter;
int history[4];

static int scale(int value, int factor)
{
    int scaled = value * factor; /* LINE scale_body */
    return scaled;
}

static int restock(struct item *it, int amount)
{
    int extra = scale(amount, 2); /* LINE restock_first */
    it->stock += extra; /* LINE restock_stock */
    counter += 1; /* LINE restock_counter */
    return it->stock;
}

static int total_stock(const struct item *list, int n)
{
    int total = 0;
    for (int i = 0; i < n; i++) {
        total += list[i].stock; /* LINE total_add */
    }
    counter += 10; /* LINE total_counter */
    return total;
}

int main(void)
{
    int sum = 0;
    counter = 100; /* LINE main_counter */
    for (int i = 0; i < 3; i++) {
        sum += restock(&items[i], i + 1); /* LINE main_call */
        history[i] = sum; /* LINE main_history */
    }
    int total = total_stock(items, 3); /* LINE main_total */
    counter = counter * 2; /* LINE main_double */
    printf("sum=%d total=%d counter=%d\n", sum, total, counter);
    return 0; /* LINE main_return */
}
