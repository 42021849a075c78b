// Linux system calls that Swift's Glibc module does not export (epoll and eventfd), used by
// EventRouterHTTP's socket thread, and the async-signal-safe stop-signal handler of `run`.
#pragma once
#ifdef __linux__
#include <sys/epoll.h>
#include <sys/eventfd.h>
#endif

/// Installs (sigaction) a handler for SIGINT and SIGTERM that writes the signal's number as one
/// byte to `fd` (the write end of a pipe). Whatever thread the kernel picks runs the handler, so
/// no signal is lost however the threads' masks are set. Returns 0, or -1 with errno set.
int er_install_stop_signal_pipe(int fd);

/// The same handler for the `count` signals in `signals` (the one pipe `fd` for all of them).
int er_install_signal_pipe(int fd, const int *signals, int count);
