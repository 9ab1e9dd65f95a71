// Rewind's demo: a small shopping-cart program with a bug.
//
//   demo [ITEM=QUANTITY ...]      e.g.  demo apple=3 pear=2 mango=1
//
// It parses its arguments into a linked list of cart lines, stamps each with the time
// and a random order number, then prices the cart. An item missing from the price list
// makes find_price() return NULL, and apply_discount() -- four frames down -- reads and
// writes through it: SIGSEGV. Record it once, then travel back from the crash to the cause.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

struct price {
    const char *name;
    int cents;
};

struct line {
    char name[32];
    int quantity;
    unsigned order;
    struct line *next;
};

static struct price catalog[] = {
    { "apple", 45 }, { "pear", 60 }, { "plum", 25 }, { "cherry", 5 },
};

static struct price *find_price(const char *name)
{
    for (size_t i = 0; i < sizeof catalog / sizeof catalog[0]; i++)
        if (strcmp(catalog[i].name, name) == 0)
            return &catalog[i];
    return NULL; // the bug's source: callers assume every item has a price
}

static void apply_discount(struct price *p, int percent)
{
    p->cents -= p->cents * percent / 100; // crashes when p is NULL
}

static int line_total(struct line *l)
{
    struct price *p = find_price(l->name);
    apply_discount(p, l->quantity >= 3 ? 10 : 0); // 10% off from three of a kind
    return p->cents * l->quantity;
}

static int cart_total(struct line *cart)
{
    int total = 0;
    for (struct line *l = cart; l != NULL; l = l->next)
        total += line_total(l);
    return total;
}

static struct line *add_line(struct line *cart, const char *arg)
{
    struct line *l = calloc(1, sizeof *l);
    const char *eq = strchr(arg, '=');
    size_t len = eq != NULL ? (size_t)(eq - arg) : strlen(arg);
    if (len >= sizeof l->name)
        len = sizeof l->name - 1;
    memcpy(l->name, arg, len);
    l->quantity = eq != NULL ? atoi(eq + 1) : 1;
    if (getrandom(&l->order, sizeof l->order, 0) != sizeof l->order)
        l->order = (unsigned)rand();
    l->order %= 100000;

    // Append, so the cart keeps the command line's order.
    if (cart == NULL)
        return l;
    struct line *last = cart;
    while (last->next != NULL)
        last = last->next;
    last->next = l;
    return cart;
}

int main(int argc, char **argv)
{
    static const char *defaults[] = { "apple=3", "pear=1", "mango=4", "plum=2" };
    const char **items = (const char **)argv + 1;
    int count = argc - 1;
    if (count == 0) {
        items = defaults;
        count = (int)(sizeof defaults / sizeof defaults[0]);
    }

    struct line *cart = NULL;
    for (int i = 0; i < count; i++)
        cart = add_line(cart, items[i]);

    setvbuf(stdout, NULL, _IOLBF, 0);
    for (struct line *l = cart; l != NULL; l = l->next) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        struct tm tm;
        gmtime_r(&ts.tv_sec, &tm);
        printf("%02d:%02d:%02d.%03ld  order #%05u  %-8s x%d\n", tm.tm_hour, tm.tm_min,
               tm.tm_sec, ts.tv_nsec / 1000000, l->order, l->name, l->quantity);
    }
    fprintf(stderr, "demo: pricing %d items\n", count);
    printf("total: %d cents\n", cart_total(cart));
    return 0;
}
