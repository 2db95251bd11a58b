#ifndef CTENANCY_POSIX_H
#define CTENANCY_POSIX_H

// The Linux calls Swift's Glibc module does not import: epoll, eventfd, accept4 and getrandom live in
// headers it leaves out or declares only under _GNU_SOURCE. `epoll_event` is packed on x86-64, so ready events
// cross into Swift as two plain arrays instead.

#include <stddef.h>
#include <stdint.h>

#ifdef __linux__

static const uint32_t CTENANCY_EPOLLIN = 0x001;
static const uint32_t CTENANCY_EPOLLOUT = 0x004;
static const uint32_t CTENANCY_EPOLLERR = 0x008;
static const uint32_t CTENANCY_EPOLLHUP = 0x010;
static const uint32_t CTENANCY_EPOLLRDHUP = 0x2000;
static const uint32_t CTENANCY_EPOLLEXCLUSIVE = 1u << 28;
static const uint32_t CTENANCY_EPOLLET = 1u << 31;

/// `epoll_create1(EPOLL_CLOEXEC)`.
int ctenancy_epoll_create(void);
/// `epoll_ctl` with `descriptor` as the event's data; `operation` is 1 (add), 2 (delete) or 3 (modify).
int ctenancy_epoll_ctl(int epoll, int operation, int descriptor, uint32_t events);
/// `epoll_wait`; entry `i` of the result is `descriptors[i]` with `events[i]` (at most 1024 per call).
int ctenancy_epoll_wait(int epoll, int32_t *descriptors, uint32_t *events, int capacity, int timeout);
/// `eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)`.
int ctenancy_eventfd(void);
/// `accept4(descriptor, NULL, NULL, SOCK_CLOEXEC | (nonBlocking ? SOCK_NONBLOCK : 0))`.
int ctenancy_accept4(int descriptor, int nonBlocking);
/// `getrandom(buffer, count, 0)`: the number of bytes written, or -1 and `errno`.
long ctenancy_getrandom(void *buffer, size_t count);

#endif
#endif
