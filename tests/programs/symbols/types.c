/* Every kind of C type, as parameters and locals: structs, unions, enums, bitfields, arrays,
   pointers, typedefs, const/volatile, function pointers, bool, float. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

typedef unsigned int uint32;
enum color { RED, GREEN = 5, BLUE };
enum flags { F_READ = 1, F_WRITE = 2, F_EXEC = 4 };

struct point { int x; int y; };

struct bits {
    unsigned int ready : 1;
    unsigned int mode : 3;
    signed int delta : 5;
    unsigned int rest : 23;
};

union number { int i; float f; unsigned char bytes[4]; };

typedef struct node {
    int value;
    struct node *next;
    const char *name;
} node_t;

struct record {
    char name[16];
    struct point corners[2];
    enum color color;
    union number num;
    struct bits bits;
    double ratio;
    float weight;
    bool active;
    signed char tiny;
    unsigned char byte;
    short grid[2][3];
    node_t *list;
};

static int twice(int v) { return v * 2; }

int inspect(struct record *rec, const node_t *head, enum color c, uint32 count, int (*fn)(int))
{
    volatile int counter = 3;
    const double pi = 3.14159;
    int zeros[12] = {0};
    int small[4] = {1, 2, 3, 4};
    struct point origin = {0, 0};
    enum flags both = F_READ | F_WRITE;
    char *text = "hello, world";
    char quoted[] = "tab\there \"q\"";
    void *nothing = NULL;
    union number n;
    n.f = 1.5f;
    int total = rec->corners[1].x + head->value + (int)c + (int)count + fn(counter); /* break: inspect */
    printf("%d %f %d %d %d %s %s %p %d %d\n", total, pi, zeros[0], small[3], origin.x, text, quoted, nothing, both, n.i);
    return total;
}

int main(void)
{
    node_t third = {3, NULL, "third"};
    node_t second = {2, &third, "second"};
    node_t first = {1, &second, "first"};
    struct record rec;
    memset(&rec, 0, sizeof rec);
    strcpy(rec.name, "bob");
    rec.corners[0] = (struct point){1, 2};
    rec.corners[1] = (struct point){-3, 4};
    rec.color = BLUE;
    rec.num.i = 0x41424344;
    rec.bits.ready = 1;
    rec.bits.mode = 5;
    rec.bits.delta = -7;
    rec.bits.rest = 123456;
    rec.ratio = 0.1;
    rec.weight = 2.25f;
    rec.active = true;
    rec.tiny = -5;
    rec.byte = 200;
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 3; j++)
            rec.grid[i][j] = (short)(i * 10 + j);
    rec.list = &first;
    return inspect(&rec, &first, GREEN, 42u, twice) > 0 ? 0 : 1;
}
