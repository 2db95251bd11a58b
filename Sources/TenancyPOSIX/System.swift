#if canImport(Glibc)
import CTenancyPOSIX
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The system calls of the servers, with the platform differences in one place. Every send passes
/// `MSG_NOSIGNAL` (a vanished client must not kill the process with `SIGPIPE`) and `MSG_DONTWAIT` (waits
/// happen in `poll`, bounded by a deadline); every descriptor is created close-on-exec.
package enum System {
    /// A new non-blocking TCP socket of `family`, close-on-exec; -1 and `errno` on failure.
    package static func socket(_ family: Int32) -> Int32 {
        #if canImport(Glibc)
        Glibc.socket(
            family,
            Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue),
            0
        )
        #else
        nonBlocking(closeOnExec(Darwin.socket(family, SOCK_STREAM, 0)))
        #endif
    }

    /// A pipe whose ends are both close-on-exec and non-blocking; `nil` and `errno` on failure.
    package static func pipe() -> (read: Int32, write: Int32)? {
        var ends: [Int32] = [-1, -1]
        #if canImport(Glibc)
        guard Glibc.pipe(&ends) == 0 else { return nil }
        #else
        guard Darwin.pipe(&ends) == 0 else { return nil }
        #endif
        // A window in which a concurrent `fork` could inherit the pipe: harmless, it carries no data.
        for end in ends { _ = nonBlocking(closeOnExec(end)) }
        return (ends[0], ends[1])
    }

    /// The next connection of a listening socket, close-on-exec and optionally non-blocking; -1 and `errno`
    /// on failure. Retries `EINTR`.
    package static func accept(_ descriptor: Int32, nonBlocking: Bool = false) -> Int32 {
        while true {
            #if canImport(Glibc)
            let accepted = ctenancy_accept4(descriptor, nonBlocking ? 1 : 0)
            #else
            let accepted = closeOnExec(Darwin.accept(descriptor, nil, nil))
            if nonBlocking { _ = Self.nonBlocking(accepted) }
            #endif
            if accepted >= 0 || errno != EINTR { return accepted }
        }
    }

    package static func bind(_ descriptor: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> Int32 {
        #if canImport(Glibc)
        Glibc.bind(descriptor, address, length)
        #else
        Darwin.bind(descriptor, address, length)
        #endif
    }

    package static func listen(_ descriptor: Int32, _ backlog: Int32) -> Int32 {
        #if canImport(Glibc)
        Glibc.listen(descriptor, backlog)
        #else
        Darwin.listen(descriptor, backlog)
        #endif
    }

    /// `write`, for wake-up pipes and event descriptors.
    package static func write(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.write(descriptor, bytes, count)
        #else
        Darwin.write(descriptor, bytes, count)
        #endif
    }

    /// `read`, for wake-up pipes and event descriptors.
    package static func read(_ descriptor: Int32, _ bytes: UnsafeMutableRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.read(descriptor, bytes, count)
        #else
        Darwin.read(descriptor, bytes, count)
        #endif
    }

    /// `recv` without waiting.
    package static func receive(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
        recv(descriptor, buffer, count, dontWait)
    }

    /// `send` without waiting and without `SIGPIPE`.
    package static func send(_ descriptor: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.send(descriptor, bytes, count, noSignal | dontWait)
        #else
        Darwin.send(descriptor, bytes, count, noSignal | dontWait)
        #endif
    }

    /// `sendmsg` of `vectors` without waiting and without `SIGPIPE`; the result and `errno` right after it.
    package static func send(_ descriptor: Int32, _ vectors: inout [iovec]) -> (Int, Int32) {
        vectors.withUnsafeMutableBufferPointer { vectors in
            var message = msghdr()
            message.msg_iov = vectors.baseAddress
            message.msg_iovlen = numericCast(vectors.count)
            let result = sendmsg(descriptor, &message, noSignal | dontWait)
            return (result, errno)
        }
    }

    package static func shutdown(_ descriptor: Int32, writeOnly: Bool) {
        #if canImport(Glibc)
        _ = Glibc.shutdown(descriptor, Int32(writeOnly ? SHUT_WR : SHUT_RDWR))
        #else
        _ = Darwin.shutdown(descriptor, writeOnly ? SHUT_WR : SHUT_RDWR)
        #endif
    }

    package static func close(_ descriptor: Int32) {
        #if canImport(Glibc)
        _ = Glibc.close(descriptor)
        #else
        _ = Darwin.close(descriptor)
        #endif
    }

    /// Fills `buffer` with cryptographically secure random bytes: one `getrandom(2)` for up to 256 bytes
    /// (which the kernel never cuts short once its pool is ready), retrying `EINTR`; should the call be
    /// unavailable (`ENOSYS` under an old seccomp filter), the standard library's generator fills the rest.
    /// - Parameter buffer: Where the bytes go.
    package static func fillRandom(_ buffer: UnsafeMutableRawBufferPointer) {
        var filled = 0
        #if canImport(Glibc)
        while filled < buffer.count {
            let count = ctenancy_getrandom(buffer.baseAddress! + filled, buffer.count - filled)
            if count > 0 {
                filled += count
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                break
            }
        }
        #endif
        var generator = SystemRandomNumberGenerator()
        while filled < buffer.count {
            buffer[filled] = generator.next()
            filled += 1
        }
    }

    /// `strerror(code)` and the code, such as `Address already in use (errno 98)`.
    package static func describe(_ code: Int32) -> String {
        "\(String(cString: strerror(code))) (errno \(code))"
    }

    /// Names the calling thread for debuggers and `top -H` (Linux keeps 15 bytes).
    package static func nameCurrentThread(_ name: String) {
        #if canImport(Glibc)
        guard let setName = Self.setThreadName else { return }
        _ = setName(pthread_self(), String(decoding: name.utf8.prefix(15), as: UTF8.self))
        #else
        _ = pthread_setname_np(name)
        #endif
    }

    #if canImport(Glibc)
    /// `pthread_setname_np(3)`, also declared only under `_GNU_SOURCE`.
    private static let setThreadName: SetThreadName? = dlsym(nil, "pthread_setname_np").map {
        unsafeBitCast($0, to: SetThreadName.self)
    }
    private typealias SetThreadName = @convention(c) (pthread_t, UnsafePointer<CChar>) -> Int32

    private static let noSignal = Int32(MSG_NOSIGNAL)
    private static let dontWait = Int32(MSG_DONTWAIT)

    #else
    private static let noSignal = Int32(0)  // Darwin: SO_NOSIGPIPE would be needed; not a target yet
    private static let dontWait = MSG_DONTWAIT
    #endif

    /// Sets `FD_CLOEXEC` on a descriptor made without it; passes -1 through.
    private static func closeOnExec(_ descriptor: Int32) -> Int32 {
        if descriptor >= 0 { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        return descriptor
    }

    /// Sets `O_NONBLOCK` on a descriptor; passes -1 through.
    private static func nonBlocking(_ descriptor: Int32) -> Int32 {
        if descriptor >= 0 { _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK) }
        return descriptor
    }
}
