#if canImport(Glibc)
import CTenancyPOSIX
import Glibc

/// An epoll instance: the readiness queue of an event loop (Linux only). Descriptors are registered with
/// themselves as the event data, so a ready event names its descriptor.
///
/// A plain value: the event loop that created it is the only thread that waits on it and closes it.
package struct Epoll: Sendable {
    /// Readiness bits, as `epoll_ctl` and `epoll_wait` spell them.
    package struct Events: OptionSet, Sendable {
        package let rawValue: UInt32
        package init(rawValue: UInt32) { self.rawValue = rawValue }

        /// Data, or the end of the stream, can be read.
        package static let readable = Events(rawValue: CTENANCY_EPOLLIN)
        /// Room in the send buffer.
        package static let writable = Events(rawValue: CTENANCY_EPOLLOUT)
        /// The peer shut down its sending side.
        package static let readHangUp = Events(rawValue: CTENANCY_EPOLLRDHUP)
        /// An error or a hang-up of both directions (always reported).
        package static let failed = Events(rawValue: CTENANCY_EPOLLERR | CTENANCY_EPOLLHUP)
        /// Report changes only, not levels: the owner reads or writes until `EAGAIN` or remembers it did not.
        package static let edgeTriggered = Events(rawValue: CTENANCY_EPOLLET)
        /// Wake only one of the epoll instances waiting on a shared descriptor (a listening socket).
        package static let exclusive = Events(rawValue: CTENANCY_EPOLLEXCLUSIVE)
    }

    /// Where `wait` reports ready descriptors; one per event loop, reused for every wait.
    package struct ReadyList {
        package fileprivate(set) var descriptors: [Int32]
        package fileprivate(set) var events: [UInt32]

        /// Room for `capacity` events per wait (at most 1024 are used).
        package init(capacity: Int) {
            descriptors = Array(repeating: -1, count: min(capacity, 1024))
            events = Array(repeating: 0, count: min(capacity, 1024))
        }
    }

    /// The epoll descriptor.
    package let descriptor: Int32

    /// Creates the instance, close-on-exec.
    /// - Throws: ``SystemCallError`` for `epoll_create1`, such as `EMFILE`.
    package init() throws(SystemCallError) {
        descriptor = ctenancy_epoll_create()
        guard descriptor >= 0 else { throw SystemCallError("epoll_create1", errno) }
    }

    /// Starts watching `watched` for `events`.
    /// - Throws: ``SystemCallError`` for `epoll_ctl`.
    package func add(_ watched: Int32, _ events: Events) throws(SystemCallError) {
        guard ctenancy_epoll_ctl(descriptor, 1, watched, events.rawValue) == 0 else {
            throw SystemCallError("epoll_ctl(ADD)", errno)
        }
    }

    /// Stops watching `watched` (closing a descriptor also does, once no other copy of it is open).
    package func remove(_ watched: Int32) {
        _ = ctenancy_epoll_ctl(descriptor, 2, watched, 0)
    }

    /// Waits for events until `timeout` milliseconds pass (-1: forever, 0: not at all).
    /// - Returns: How many entries of `ready` were filled; 0 after a timeout or `EINTR`.
    package func wait(into ready: inout ReadyList, timeout: Int32) -> Int {
        let capacity = Int32(ready.descriptors.count)
        let count = ready.descriptors.withUnsafeMutableBufferPointer { descriptors in
            ready.events.withUnsafeMutableBufferPointer { events in
                ctenancy_epoll_wait(self.descriptor, descriptors.baseAddress, events.baseAddress, capacity, timeout)
            }
        }
        return max(0, Int(count))
    }

    /// Closes the instance, once no thread waits on it.
    package func close() {
        System.close(descriptor)
    }
}
#endif
