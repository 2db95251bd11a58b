#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A TCP socket descriptor and the few system calls the servers make on it, with the syscall discipline
/// of a server: `EINTR` retried, `MSG_NOSIGNAL` on every send, partial writes continued, every wait bounded
/// by a deadline, and close-on-exec from birth.
///
/// A plain value: whoever accepted or created the socket owns it and calls ``close()`` exactly once.
package struct Socket: Sendable, Hashable {
    /// The file descriptor.
    package let descriptor: Int32

    /// Wraps a descriptor the caller owns.
    package init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// What one `accept` produced.
    package enum Accepted: Equatable, Sendable {
        /// A new connection, owned by the caller.
        case connection(Socket)
        /// No connection is waiting (the listening socket is non-blocking).
        case none
        /// The attempt failed for reasons of that one connection, such as a reset before it was accepted:
        /// accept again at once.
        case retry
        /// The process or system is out of a resource (descriptors, memory), or something unexpected
        /// failed: pause accepting, or the loop would spin at full speed on a connection it cannot take.
        case backOff(errno: Int32)
    }

    /// How a receive ended.
    package enum Received: Equatable, Sendable {
        /// This many bytes were appended.
        case bytes(Int)
        /// Nothing is available now (only without waiting).
        case wouldBlock
        /// The peer closed its side (or the listener shut the connection down).
        case endOfStream
        /// The deadline passed first.
        case timedOut
        /// The connection failed, such as a reset.
        case failed
    }

    // MARK: - Listening

    /// A non-blocking socket bound to `address` and listening, with `SO_REUSEADDR` so that a restart does
    /// not wait out `TIME_WAIT`.
    /// - Throws: ``SystemCallError`` naming the call that failed: `EADDRINUSE` when the address is taken,
    ///   `EADDRNOTAVAIL` or `EAFNOSUPPORT` when it is not one of this machine's.
    package static func listen(on address: SocketAddress, backlog: Int) throws(SystemCallError) -> Socket {
        let descriptor = System.socket(address.family)
        guard descriptor >= 0 else { throw SystemCallError("socket", errno) }
        let socket = Socket(descriptor: descriptor)
        do throws(SystemCallError) {
            try socket.setOption(SOL_SOCKET, SO_REUSEADDR, 1, call: "setsockopt(SO_REUSEADDR)")
            let bound = address.withSockAddr { System.bind(descriptor, $0, $1) }
            guard bound == 0 else { throw SystemCallError("bind", errno) }
            guard System.listen(descriptor, Int32(backlog)) == 0 else { throw SystemCallError("listen", errno) }
        } catch {
            socket.close()
            throw error
        }
        return socket
    }

    /// Takes the next waiting connection, if any; it is close-on-exec and has `TCP_NODELAY` set. Every
    /// call on it passes `MSG_DONTWAIT`, so blocking mode only matters to callers that wait in `poll`.
    /// - Parameter nonBlocking: Set `O_NONBLOCK` too, for edge-triggered event loops.
    package func accept(nonBlocking: Bool = false) -> Accepted {
        let accepted = System.accept(descriptor, nonBlocking: nonBlocking)
        guard accepted >= 0 else { return Self.classifyAcceptError(errno) }
        let connection = Socket(descriptor: accepted)
        // Best effort: a response goes out in one `sendmsg`; without Nagle its tail is not held back.
        _ = try? connection.setOption(Int32(IPPROTO_TCP), TCP_NODELAY, 1, call: "setsockopt(TCP_NODELAY)")
        return .connection(connection)
    }

    /// What an `accept` failure with `code` means for the accept loop.
    package static func classifyAcceptError(_ code: Int32) -> Accepted {
        switch code {
        case EAGAIN, EWOULDBLOCK:
            .none
        case EINTR, ECONNABORTED, EPROTO, EPERM, ENETDOWN, ENOPROTOOPT, EHOSTDOWN, EHOSTUNREACH, EOPNOTSUPP,
            ENETUNREACH:
            .retry
        default:
            .backOff(errno: code)  // EMFILE, ENFILE, ENOBUFS, ENOMEM, and the unexpected
        }
    }

    // MARK: - Connections

    /// Appends what has arrived, at most `maximum` bytes, to `buffer` without waiting.
    package func receive(appendingTo buffer: inout [UInt8], maximum: Int) -> Received {
        guard maximum > 0 else { return .bytes(0) }
        let start = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: maximum))
        let received = buffer.withUnsafeMutableBytes { bytes in
            receive(into: UnsafeMutableRawBufferPointer(rebasing: bytes[start...]))
        }
        if case .bytes(let count) = received {
            buffer.removeLast(maximum - count)
        } else {
            buffer.removeLast(maximum)
        }
        return received
    }

    /// Receives what has arrived, at most `buffer.count` bytes, into `buffer` without waiting; retries `EINTR`.
    package func receive(into buffer: UnsafeMutableRawBufferPointer) -> Received {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return .bytes(0) }
        while true {
            let received = System.receive(descriptor, base, buffer.count)
            if received > 0 { return .bytes(received) }
            if received == 0 { return .endOfStream }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            default: return .failed
            }
        }
    }

    /// How a send without waiting ended.
    package enum Sent: Equatable, Sendable {
        /// This many bytes (possibly fewer than given) were handed to the kernel.
        case bytes(Int)
        /// The send buffer is full: wait until the socket is writable.
        case wouldBlock
        /// The connection failed, such as a reset or a peer that closed (`EPIPE`, never `SIGPIPE`).
        case failed
    }

    /// Sends what fits of `bytes` into the send buffer without waiting; retries `EINTR`.
    package func send(_ bytes: UnsafeRawBufferPointer) -> Sent {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return .bytes(0) }
        while true {
            let sent = System.send(descriptor, base, bytes.count)
            if sent >= 0 { return .bytes(sent) }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            default: return .failed
            }
        }
    }

    /// Sends `head` then `body` completely, with as few system calls as the kernel allows, waiting at most
    /// until `deadline` for room in the send buffer.
    /// - Returns: Whether every byte was handed to the kernel.
    package func send(_ head: [UInt8], _ body: ArraySlice<UInt8>, deadline: ContinuousClock.Instant) -> Bool {
        let total = head.count + body.count
        var sent = 0
        while sent < total {
            let (result, code) = head.withUnsafeBytes { head in
                body.withUnsafeBytes { body in
                    Self.sendMessage(descriptor, head, body, skipping: sent)
                }
            }
            if result >= 0 {
                sent += result
                continue
            }
            switch code {
            case EINTR:
                continue
            case EAGAIN, EWOULDBLOCK:
                guard wait(for: Int16(POLLOUT), until: deadline) else { return false }
            default:
                return false  // EPIPE, ECONNRESET: the client is gone
            }
        }
        return true
    }

    /// Sends what fits into the send buffer right now, without waiting: for short answers on a fresh
    /// connection, whose send buffer is empty.
    /// - Returns: Whether all of `bytes` went out.
    @discardableResult
    package func sendWithoutWaiting(_ bytes: [UInt8]) -> Bool {
        let sent = bytes.withUnsafeBytes { bytes in
            System.send(descriptor, bytes.baseAddress, bytes.count)
        }
        return sent == bytes.count
    }

    /// Reads and discards what the client still sends until it closes, `limit` bytes were discarded or
    /// `deadline` passes, so that closing does not reset the connection before the client has read the
    /// response (the kernel answers a close with unread input with `RST`).
    package func drain(using buffer: inout [UInt8], limit: Int, deadline: ContinuousClock.Instant) {
        var discarded = 0
        while discarded < limit {
            buffer.removeAll(keepingCapacity: true)
            switch receive(appendingTo: &buffer, maximum: min(limit - discarded, 16 * 1024)) {
            case .bytes(let count):
                discarded += count
            case .wouldBlock:
                guard wait(for: Int16(POLLIN), until: deadline) else { return }
            case .endOfStream, .timedOut, .failed:
                return
            }
        }
    }

    /// `shutdown(2)`: ends the connection for a thread blocked in `poll` on it; safe to call more than once.
    /// - Parameter writeOnly: Shut down only the sending side (sends `FIN` after the queued data).
    package func shutdown(writeOnly: Bool = false) {
        System.shutdown(descriptor, writeOnly: writeOnly)
    }

    /// Closes with `SO_LINGER` 0, so the kernel resets the connection and drops what is still queued
    /// instead of delivering it to a client that does not read: for clients past their write deadline.
    package func abort() {
        var option = linger(l_onoff: 1, l_linger: 0)
        _ = setsockopt(descriptor, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
        close()
    }

    /// `close(2)`, exactly once per socket. Not retried on `EINTR`: on Linux the descriptor is released
    /// whatever `close` returns, and retrying could close a descriptor another thread just opened.
    package func close() {
        System.close(descriptor)
    }

    // MARK: - Helpers

    /// Polls for `events` until `deadline`; `false` when the deadline passed first.
    private func wait(for events: Int16, until deadline: ContinuousClock.Instant) -> Bool {
        while true {
            let remaining = ContinuousClock.now.duration(to: deadline)
            guard remaining > .zero else { return false }
            var request = pollfd(fd: descriptor, events: events, revents: 0)
            let ready = poll(&request, 1, Self.milliseconds(remaining))
            if ready > 0 { return true }  // readable, writable, or hung up: the next call says which
            if ready < 0 && errno != EINTR { return true }  // let the next call report the error
        }
    }

    /// `duration` in whole milliseconds for `poll`, rounded up so a wait never ends just short of a deadline.
    package static func milliseconds(_ duration: Duration) -> Int32 {
        let (seconds, attoseconds) = duration.components
        guard seconds < Int64(Int32.max / 1000) else { return Int32.max }
        let milliseconds = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: max(1, milliseconds))
    }

    private func setOption(
        _ level: Int32,
        _ option: Int32,
        _ value: Int32,
        call: String
    ) throws(SystemCallError) {
        var value = value
        guard setsockopt(descriptor, level, option, &value, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            throw SystemCallError(call, errno)
        }
    }

    /// One `sendmsg` of `head` and `body` after their first `offset` bytes; the result of `sendmsg` and
    /// `errno` right after it.
    private static func sendMessage(
        _ descriptor: Int32,
        _ head: UnsafeRawBufferPointer,
        _ body: UnsafeRawBufferPointer,
        skipping offset: Int
    ) -> (Int, Int32) {
        var vectors: [iovec] = []
        if offset < head.count, let base = head.baseAddress {
            vectors.append(
                iovec(iov_base: UnsafeMutableRawPointer(mutating: base + offset), iov_len: head.count - offset)
            )
        }
        let bodyOffset = max(0, offset - head.count)
        if bodyOffset < body.count, let base = body.baseAddress {
            vectors.append(
                iovec(iov_base: UnsafeMutableRawPointer(mutating: base + bodyOffset), iov_len: body.count - bodyOffset)
            )
        }
        return System.send(descriptor, &vectors)
    }
}
