// Linux system calls that Swift's Glibc module does not export: epoll and eventfd.
// Used only by EventRouterHTTP's socket thread.
#pragma once
#ifdef __linux__
#include <sys/epoll.h>
#include <sys/eventfd.h>
#endif
