// epoll and eventfd live in the header; the stop-signal handler is here.
#include "CEventRouterSystem.h"
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t er_stop_fd = -1;

// Only async-signal-safe calls: write(2), and errno saved around it.
static void er_stop_signal(int signo) {
    int saved = errno;
    unsigned char byte = (unsigned char)signo;
    if (er_stop_fd >= 0) { (void)write(er_stop_fd, &byte, 1); }
    errno = saved;
}

int er_install_signal_pipe(int fd, const int *signals, int count) {
    er_stop_fd = fd;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = er_stop_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    // A thread that blocked them (libdispatch's workers block every signal) never runs the
    // handler; the kernel then picks a thread that did not. Unblock them on this thread too.
    sigset_t set;
    sigemptyset(&set);
    for (int i = 0; i < count; i++) {
        if (sigaction(signals[i], &action, NULL) != 0) { return -1; }
        sigaddset(&set, signals[i]);
    }
    return pthread_sigmask(SIG_UNBLOCK, &set, NULL) == 0 ? 0 : -1;
}

int er_install_stop_signal_pipe(int fd) {
    const int signals[] = { SIGINT, SIGTERM };
    return er_install_signal_pipe(fd, signals, 2);
}
