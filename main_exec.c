#include <pthread.h>
#include <stdio.h>
#include <unistd.h>
static void *reader(void *arg) { (void)arg; char c; int p[2]; pipe(p); read(p[0], &c, 1); return NULL; }
static void *spin(void *arg) { (void)arg; for (volatile long i = 0;; i++); return NULL; }
int main(int argc, char **argv) {
  if (argc > 1) { printf("again\n"); return 3; }
  pthread_t a, b; pthread_create(&b, NULL, reader, NULL); pthread_create(&a, NULL, spin, NULL);
  usleep(200000);
  char *args[] = {"x", "again", NULL}; execv("/proc/self/exe", args); return 1;
}
