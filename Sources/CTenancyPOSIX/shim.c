#define _GNU_SOURCE
#include "CTenancyPOSIX.h"

#ifdef __linux__
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <stddef.h>
#include <sys/random.h>
#include <sys/socket.h>

int ctenancy_epoll_create(void) {
    return epoll_create1(EPOLL_CLOEXEC);
}

int ctenancy_epoll_ctl(int epoll, int operation, int descriptor, uint32_t events) {
    struct epoll_event event = {.events = events, .data = {.fd = descriptor}};
    return epoll_ctl(epoll, operation, descriptor, &event);
}

int ctenancy_epoll_wait(int epoll, int32_t *descriptors, uint32_t *events, int capacity, int timeout) {
    struct epoll_event ready[1024];
    if (capacity > 1024) capacity = 1024;
    int count = epoll_wait(epoll, ready, capacity, timeout);
    for (int index = 0; index < count; index++) {
        descriptors[index] = ready[index].data.fd;
        events[index] = ready[index].events;
    }
    return count;
}

int ctenancy_eventfd(void) {
    return eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
}

int ctenancy_accept4(int descriptor, int nonBlocking) {
    return accept4(descriptor, NULL, NULL, SOCK_CLOEXEC | (nonBlocking ? SOCK_NONBLOCK : 0));
}

long ctenancy_getrandom(void *buffer, size_t count) {
    return (long)getrandom(buffer, count, 0);
}
#endif
