// A job on a terminal that puts it in raw mode, as an editor or a game does: no echo, no line
// discipline, output bytes as written (no "\n" made "\r\n"). Each step prints whether the
// terminal is still raw as the job set it; resumed on another terminal, it must find that one
// raw too, and be told of the new terminal's size as of a resize (SIGWINCH). At the end it puts
// back the settings it started with, as such programs do.
#include <signal.h>
#include <stdio.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t resized;

static void on_resize(int signal)
{
    (void)signal;
    resized = 1;
}

int main(void)
{
    struct sigaction action = {.sa_handler = on_resize, .sa_flags = SA_RESTART};
    sigaction(SIGWINCH, &action, NULL);
    struct termios original, raw;
    if (!isatty(0) || tcgetattr(0, &original) != 0) {
        printf("standard input is not a terminal\n");
        return 1;
    }
    raw = original;
    cfmakeraw(&raw);
    raw.c_cc[VMIN] = 0;
    raw.c_cc[VTIME] = 3;
    tcsetattr(0, TCSANOW, &raw);
    struct timespec pause = {0, 20 * 1000 * 1000};
    for (int i = 0; i < 150; i++) {
        struct termios now;
        tcgetattr(0, &now);
        printf("step %d raw %d vtime %d\n", i, (now.c_lflag & (ICANON | ECHO)) == 0 && (now.c_oflag & OPOST) == 0, now.c_cc[VTIME]);
        fflush(stdout);
        nanosleep(&pause, NULL);
    }
    tcsetattr(0, TCSANOW, &original);
    printf("told of a resize: %s\n", resized ? "yes" : "no");
    return 0;
}
