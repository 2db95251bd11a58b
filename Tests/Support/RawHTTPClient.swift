import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A deliberately dumb HTTP client over raw sockets, independent of the listener's own socket code: it
/// sends exactly the bytes a test gives it and reads until the server closes, so tests can speak
/// malformed, slow or oversized HTTP.
package struct RawHTTPClient {
    package struct Failure: Error, CustomStringConvertible {
        package var description: String
    }

    /// A parsed response: the status line, the headers in order, and the body.
    package struct Response {
        package var status: Int
        package var reason: String
        package var headers: [(name: String, value: String)]
        package var body: [UInt8]

        /// The value of the only header named `name` (case-insensitive); `nil` when absent or repeated.
        package func header(_ name: String) -> String? {
            let values = headers.filter { $0.name.lowercased() == name.lowercased() }
            return values.count == 1 ? values[0].value : nil
        }

        /// `Name: value` lines, for exact comparisons.
        package var headerLines: [String] { headers.map { "\($0.name): \($0.value)" } }

        package var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// Sends `GET` (or `method`) for `path` with a `Host` header and reads the whole response.
    package static func request(
        _ method: String = "GET",
        _ path: String = "/metrics",
        host: String = "127.0.0.1",
        port: Int,
        headers: [String] = [],
        within timeout: Duration = .seconds(10)
    ) throws -> Response {
        let request = "\(method) \(path) HTTP/1.1\r\nHost: \(host)\r\n" + headers.map { "\($0)\r\n" }.joined() + "\r\n"
        return try exchange(Array(request.utf8), host: host, port: port, within: timeout)
    }

    /// Sends `bytes` and reads the response until the server closes.
    package static func exchange(
        _ bytes: [UInt8],
        host: String = "127.0.0.1",
        port: Int,
        within timeout: Duration = .seconds(10)
    ) throws -> Response {
        let connection = try Connection(host: host, port: port)
        defer { connection.close() }
        try connection.send(bytes)
        return try parse(connection.readUntilClosed(within: timeout).bytes)
    }

    /// Splits a response into status line, headers and body.
    package static func parse(_ bytes: [UInt8]) throws -> Response {
        let separator = Array("\r\n\r\n".utf8)
        guard let end = bytes.indices.first(where: { bytes[$0...].starts(with: separator) }) else {
            throw Failure(
                description:
                    "no complete response head in \(bytes.count) bytes: \(String(decoding: bytes, as: UTF8.self))"
            )
        }
        let lines = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusLine = lines[0].split(separator: " ", maxSplits: 2).map(String.init)
        guard statusLine.count == 3, statusLine[0] == "HTTP/1.1", let status = Int(statusLine[1]) else {
            throw Failure(description: "bad status line \(lines[0])")
        }
        var headers: [(String, String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { throw Failure(description: "bad header line \(line)") }
            headers.append((String(line[..<colon]), String(line[line.index(after: colon)...].drop { $0 == " " })))
        }
        return Response(status: status, reason: statusLine[2], headers: headers, body: Array(bytes[(end + 4)...]))
    }

    /// One TCP connection, for tests that control every byte and every pause.
    ///
    /// `@unchecked Sendable`: a test creates, uses and closes a connection on one task at a time; only the
    /// descriptor (immutable) and the read buffer and closed flag (touched by that one task) are stored.
    package final class Connection: @unchecked Sendable {
        package let descriptor: Int32
        private var closed = false
        /// Received bytes not yet returned by ``readResponse(within:)``.
        private var buffered: [UInt8] = []

        /// Connects to `host` (an IPv4 or IPv6 literal) and `port`.
        package init(host: String, port: Int) throws {
            var address = sockaddr_storage()
            var length: socklen_t
            var ipv4 = sockaddr_in()
            var ipv6 = sockaddr_in6()
            if inet_pton(AF_INET, host, &ipv4.sin_addr) == 1 {
                ipv4.sin_family = sa_family_t(AF_INET)
                ipv4.sin_port = UInt16(port).bigEndian
                withUnsafeBytes(of: &ipv4) { source in
                    withUnsafeMutableBytes(of: &address) { $0.copyMemory(from: source) }
                }
                length = socklen_t(MemoryLayout<sockaddr_in>.size)
            } else if inet_pton(AF_INET6, host, &ipv6.sin6_addr) == 1 {
                ipv6.sin6_family = sa_family_t(AF_INET6)
                ipv6.sin6_port = UInt16(port).bigEndian
                withUnsafeBytes(of: &ipv6) { source in
                    withUnsafeMutableBytes(of: &address) { $0.copyMemory(from: source) }
                }
                length = socklen_t(MemoryLayout<sockaddr_in6>.size)
            } else {
                throw Failure(description: "not an IP address: \(host)")
            }
            #if canImport(Glibc)
            descriptor = socket(Int32(address.ss_family), Int32(SOCK_STREAM.rawValue), 0)
            #else
            descriptor = socket(Int32(address.ss_family), SOCK_STREAM, 0)
            #endif
            guard descriptor >= 0 else { throw Failure(description: "socket: errno \(errno)") }
            let status = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, length) }
            }
            guard status == 0 else {
                let code = errno
                close()  // exactly once: `deinit` runs too, as the instance is fully initialized
                throw Failure(description: "connect to \(host):\(port): errno \(code)")
            }
        }

        deinit { close() }

        /// Sends every byte (blocking).
        package func send(_ bytes: [UInt8]) throws {
            var sent = 0
            while sent < bytes.count {
                let result = bytes.withUnsafeBytes {
                    Glibc.send(descriptor, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL))
                }
                if result < 0 && errno == EINTR { continue }
                guard result > 0 else { throw Failure(description: "send: errno \(errno)") }
                sent += result
            }
        }

        package func send(_ text: String) throws { try send(Array(text.utf8)) }

        /// Closes the sending side: the server sees the end of the request stream.
        package func shutdownWrite() {
            _ = shutdown(descriptor, Int32(SHUT_WR))
        }

        /// Shrinks the receive buffer, so that a server writing a large response fills it quickly.
        package func setReceiveBuffer(_ bytes: Int32) {
            var value = bytes
            _ = setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &value, socklen_t(MemoryLayout<Int32>.size))
        }

        /// Reads until the server closes (or resets) the connection.
        /// - Returns: The bytes and whether the end was a reset rather than an orderly close.
        /// - Throws: When `timeout` passes first.
        package func readUntilClosed(within timeout: Duration) throws -> (bytes: [UInt8], reset: Bool) {
            let deadline = ContinuousClock.now + timeout
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let remaining = ContinuousClock.now.duration(to: deadline)
                guard remaining > .zero else {
                    throw Failure(description: "no close within \(timeout); \(bytes.count) bytes so far")
                }
                var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                let (seconds, attoseconds) = remaining.components
                let milliseconds = Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1)
                guard poll(&request, 1, milliseconds) > 0 else { continue }
                let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
                if count > 0 {
                    bytes += chunk[..<count]
                } else if count == 0 {
                    return (bytes, false)
                } else if errno == ECONNRESET {
                    return (bytes, true)
                } else if errno != EINTR {
                    throw Failure(description: "recv: errno \(errno)")
                }
            }
        }

        /// Whether the server has closed or reset the connection without sending anything, within `timeout`.
        package func isClosedBySilence(within timeout: Duration) -> Bool {
            guard let (bytes, _) = try? readUntilClosed(within: timeout) else { return false }
            return bytes.isEmpty
        }

        /// Reads exactly one response framed by its `Content-Length` (none: no body), leaving what follows
        /// for the next call: for keep-alive and pipelining.
        /// - Parameter headOnly: The request was `HEAD`: no body follows whatever `Content-Length` says.
        package func readResponse(within timeout: Duration = .seconds(10), headOnly: Bool = false) throws -> Response {
            let deadline = ContinuousClock.now + timeout
            while true {
                if let end = buffered.indices.first(where: { buffered[$0...].starts(with: [13, 10, 13, 10]) }) {
                    let head = try RawHTTPClient.parse(Array(buffered[..<(end + 4)]))
                    let length = headOnly ? 0 : head.header("Content-Length").flatMap { Int($0) } ?? 0
                    if buffered.count >= end + 4 + length {
                        var response = head
                        response.body = Array(buffered[(end + 4)..<(end + 4 + length)])
                        buffered.removeFirst(end + 4 + length)
                        return response
                    }
                }
                let remaining = ContinuousClock.now.duration(to: deadline)
                guard remaining > .zero else {
                    throw Failure(description: "no complete response within \(timeout); \(buffered.count) bytes")
                }
                var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                guard poll(&request, 1, 20) > 0 else { continue }
                var chunk = [UInt8](repeating: 0, count: 65536)
                let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
                if count > 0 {
                    buffered += chunk[..<count]
                } else if count == 0 || errno != EINTR {
                    throw Failure(description: "closed after \(buffered.count) bytes of a response")
                }
            }
        }

        /// Closes with `SO_LINGER` 0: the server sees a reset instead of an orderly close.
        package func reset() {
            var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
            _ = setsockopt(descriptor, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
            close()
        }

        package func close() {
            guard !closed else { return }
            closed = true
            _ = Glibc.close(descriptor)
        }
    }
}

/// Polls `condition` every few milliseconds until it holds or `timeout` passes. The default is generous:
/// only a failure waits it out, and under ThreadSanitizer on 2 cores, synchronous socket tests can hold
/// both threads of the cooperative pool long enough to delay the task being waited for by many seconds.
/// - Returns: Whether it held in time.
package func eventually(within timeout: Duration = .seconds(60), _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try condition() { return true }
        var pause = timespec(tv_sec: 0, tv_nsec: 5_000_000)
        _ = nanosleep(&pause, nil)
    }
    return try condition()
}

/// Polls `condition` every few milliseconds until it holds or `timeout` passes, suspending between polls:
/// for async tests, whose blocking would starve the tasks they wait for.
package func eventuallyAsync(within timeout: Duration = .seconds(60), _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return condition()
}
