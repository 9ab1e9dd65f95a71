/* A callback called from inside libc (qsort), which has no debug information. */
#include <stdio.h>
#include <stdlib.h>

static int calls;

static int compare(const void *a, const void *b)
{
    int left = *(const int *)a;
    int right = *(const int *)b;
    calls++; /* break: compare */
    return (left > right) - (left < right);
}

int main(void)
{
    int values[] = {5, 3, 9, 1, 7};
    qsort(values, 5, sizeof values[0], compare);
    printf("%d %d\n", values[0], calls);
    return 0;
}
