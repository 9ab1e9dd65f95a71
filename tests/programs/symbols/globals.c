/* Globals and static locals of several types. */
#include <stdio.h>

struct config { const char *name; int level; double factor; };

int counter = 7;
static long total = -42;
const char *greeting = "hi there";
struct config settings = {"default", 3, 2.5};
int table[3][2] = {{1, 2}, {3, 4}, {5, 6}};
char buffer[32] = "buffered";
struct config *current = &settings;
int *counter_ptr = &counter;

int use_globals(int step)
{
    static int calls = 100;
    int *where = &table[1][1];
    calls += step; /* break: use_globals */
    counter += calls;
    total += counter;
    return (int)total + *where + current->level;
}

int main(void)
{
    int r = use_globals(5);
    printf("%d %s %s %s %d\n", r, greeting, settings.name, buffer, *counter_ptr); /* break: after_use */
    return 0;
}
