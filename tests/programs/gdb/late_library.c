/* Loads a library halfway (dlopen) and calls a function of it twice: a breakpoint in that
 * function, set once the library is there, must also be found going back to the first call,
 * from a moment before the library was mapped. */
#include <dlfcn.h>
#include <stdio.h>

int main(void)
{
    printf("before the library\n"); // L:before
    void *library = dlopen("libm.so.6", RTLD_NOW);
    double (*root)(double) = library ? (double (*)(double))dlsym(library, "sqrt") : NULL;
    if (!root)
        return 1;
    double first = root(16.0); // L:first
    double second = root(81.0); // L:second
    printf("%.0f %.0f\n", first, second);
    return 0;
}
