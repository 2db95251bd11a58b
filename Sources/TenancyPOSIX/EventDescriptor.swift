#if canImport(Glibc)
import CTenancyPOSIX
import Glibc

/// An `eventfd` counter: the cheapest way to wake an event loop from another thread (Linux only).
package struct EventDescriptor: Sendable {
    /// The descriptor, registered readable with the loop's ``Epoll``.
    package let descriptor: Int32

    /// Creates the counter, non-blocking and close-on-exec.
    /// - Throws: ``SystemCallError`` for `eventfd`.
    package init() throws(SystemCallError) {
        descriptor = ctenancy_eventfd()
        guard descriptor >= 0 else { throw SystemCallError("eventfd", errno) }
    }

    /// Makes the descriptor readable; never blocks (a counter near overflow is readable already).
    package func signal() {
        var one: UInt64 = 1
        _ = System.write(descriptor, &one, 8)
    }

    /// Resets the counter after a wake-up, so the next ``signal()`` wakes the loop again.
    package func reset() {
        var value: UInt64 = 0
        _ = System.read(descriptor, &value, 8)
    }

    /// Closes the descriptor, once no thread can signal it any more.
    package func close() {
        System.close(descriptor)
    }
}
#endif
