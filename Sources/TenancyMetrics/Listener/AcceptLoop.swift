import TenancyPOSIX

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The accept thread of a ``MetricsListener``: one `poll` loop that accepts connections, reads their
/// request heads, answers errors itself, and hands scrapes to the worker threads.
///
/// Reading request heads here rather than on workers is what keeps slow clients from blocking scrapes: a
/// client that connects and sends nothing, or dribbles its request a byte at a time, costs one `pollfd` and
/// at most ``MetricsListener/Configuration/maximumRequestHeadBytes`` of memory until its read deadline,
/// not a thread. Only a complete `GET` or `HEAD` of the metrics path reaches a worker. Every call on a
/// connection is non-blocking, so the loop never waits on one client:
///
/// - A connection beyond ``MetricsListener/Configuration/maximumConnections`` (counting the ones being
///   read, queued and served) is answered `503` and closed at once.
/// - Errors (400, 401, 404, 405, 408, 431, 505) are short and sent without waiting into the connection's
///   empty send buffer; the connection then stays in the loop, discarding input, until the client closes,
///   ``ConnectionHandler/lingerTimeout`` passes or ``ConnectionHandler/lingerLimit`` bytes arrived.
/// - `accept` failing for lack of descriptors or memory pauses accepting (10 ms, doubling up to 1 s)
///   instead of spinning on a connection the process cannot take.
/// - The wake-up pipe ends the loop; connections still being read are closed.
struct AcceptLoop {
    /// A connection the loop is reading from, or discarding from after an error answer.
    private struct Reading {
        let connection: Socket
        var request: [UInt8] = []
        var parser: RequestHeadParser
        var deadline: ContinuousClock.Instant
        /// Answered with an error: what arrives is discarded until the client closes or the deadline passes.
        var draining = false
        var discarded = 0
    }

    private let listening: Socket
    private let wakeup: WakeupPipe
    private let handoff: ConnectionHandoff
    private let handler: ConnectionHandler
    private let refusal: [UInt8]
    private var connections: [Reading] = []
    private var descriptors: [pollfd] = []
    private var discard: [UInt8] = []
    private var backoff = AcceptBackoff()
    private var pausedUntil: ContinuousClock.Instant?

    /// Creates the loop; ``run()`` runs it.
    init(listening: Socket, wakeup: WakeupPipe, handoff: ConnectionHandoff, handler: ConnectionHandler) {
        self.listening = listening
        self.wakeup = wakeup
        self.handoff = handoff
        self.handler = handler
        refusal = handler.errorMessage(.serviceUnavailable, headOnly: false)
    }

    /// Runs until the wake-up pipe is signalled.
    mutating func run() {
        while true {
            preparePoll()
            let ready = poll(&descriptors, nfds_t(descriptors.count), timeout(now: .now))
            if ready < 0 {
                // EINTR; anything else (ENOMEM) is retried after a pause that still wakes on a stop.
                if errno != EINTR { _ = poll(&descriptors, 1, 10) }
                if descriptors[0].revents != 0 { break }
                continue
            }
            if descriptors[0].revents != 0 { break }
            let now = ContinuousClock.now
            advanceConnections(now: now)
            if descriptors[1].revents != 0 { acceptWaiting(now: now) }
        }
        for reading in connections { reading.connection.close() }
        connections = []
    }

    // MARK: - Polling

    /// The wake-up pipe, the listening socket (a negative descriptor, which `poll` skips, while accepting
    /// is paused) and every connection, in that order.
    private mutating func preparePoll() {
        if let pausedUntil, pausedUntil <= .now { self.pausedUntil = nil }
        descriptors.removeAll(keepingCapacity: true)
        descriptors.append(pollfd(fd: wakeup.readEnd, events: Int16(POLLIN), revents: 0))
        descriptors.append(
            pollfd(fd: pausedUntil == nil ? listening.descriptor : -1, events: Int16(POLLIN), revents: 0)
        )
        for reading in connections {
            descriptors.append(pollfd(fd: reading.connection.descriptor, events: Int16(POLLIN), revents: 0))
        }
    }

    /// Milliseconds until the earliest deadline or the end of a pause; -1 (forever) without either.
    private func timeout(now: ContinuousClock.Instant) -> Int32 {
        let deadlines = connections.lazy.map(\.deadline)
        guard let earliest = [deadlines.min(), pausedUntil].compactMap({ $0 }).min() else { return -1 }
        return Socket.milliseconds(now.duration(to: earliest))
    }

    /// Reads from the connections `poll` reported and expires the ones past their deadline.
    private mutating func advanceConnections(now: ContinuousClock.Instant) {
        var kept: [Reading] = []
        kept.reserveCapacity(connections.count)
        for (index, var reading) in connections.enumerated() {
            if descriptors[index + 2].revents != 0 {
                guard advance(&reading, now: now) else { continue }
            }
            if reading.deadline <= now {
                guard expire(&reading, now: now) else { continue }
            }
            kept.append(reading)
        }
        connections = kept
    }

    // MARK: - Accepting

    /// Accepts what is waiting, up to a batch, so a flood of connections cannot starve the reading.
    private mutating func acceptWaiting(now: ContinuousClock.Instant) {
        for _ in 0..<64 {
            switch listening.accept() {
            case .connection(let connection):
                backoff.reset()
                guard connections.count + handoff.outstanding < handler.configuration.maximumConnections else {
                    refuse(connection)
                    continue
                }
                connections.append(
                    Reading(
                        connection: connection,
                        parser: RequestHeadParser(maximumBytes: handler.configuration.maximumRequestHeadBytes),
                        deadline: now + handler.configuration.readTimeout
                    )
                )
            case .none:
                return
            case .retry:
                continue
            case .backOff:
                pausedUntil = now + backoff.next()
                return
            }
        }
    }

    /// Answers `503` without waiting and closes: every connection slot is taken.
    private func refuse(_ connection: Socket) {
        connection.sendWithoutWaiting(refusal)
        connection.shutdown(writeOnly: true)
        connection.close()
    }

    // MARK: - Reading

    /// Reads what arrived on `reading`; `false` when it left the loop (closed, or handed to a worker).
    private mutating func advance(_ reading: inout Reading, now: ContinuousClock.Instant) -> Bool {
        if reading.draining { return discardInput(&reading) }
        let room = handler.configuration.maximumRequestHeadBytes - reading.request.count
        switch reading.connection.receive(appendingTo: &reading.request, maximum: room) {
        case .bytes:
            switch reading.parser.consume(reading.request, count: reading.request.count) {
            case .needMore:
                return true
            case .head(let head):
                return dispatch(handler.decide(head), &reading, now: now)
            case .reject(let status):
                return answer(status, headOnly: false, &reading, now: now)
            }
        case .wouldBlock:
            return true
        case .endOfStream where Self.hasContent(reading.request):
            return answer(.badRequest, headOnly: false, &reading, now: now)  // the client closed mid-request
        case .endOfStream, .failed, .timedOut:
            reading.connection.close()
            return false
        }
    }

    /// Hands a scrape to the workers, or answers an error.
    private mutating func dispatch(
        _ decision: ConnectionHandler.Decision,
        _ reading: inout Reading,
        now: ContinuousClock.Instant
    ) -> Bool {
        switch decision {
        case .metrics(let headOnly):
            if !handoff.submit(ConnectionHandoff.Job(connection: reading.connection, headOnly: headOnly)) {
                reading.connection.close()
            }
            return false
        case .error(let status, let headOnly):
            return answer(status, headOnly: headOnly, &reading, now: now)
        }
    }

    /// Sends an error answer without waiting, shuts down the write side, and keeps the connection to
    /// discard its input for a moment.
    private func answer(
        _ status: ListenerResponse.Status,
        headOnly: Bool,
        _ reading: inout Reading,
        now: ContinuousClock.Instant
    ) -> Bool {
        reading.connection.sendWithoutWaiting(handler.errorMessage(status, headOnly: headOnly))
        reading.connection.shutdown(writeOnly: true)
        reading.draining = true
        reading.deadline = now + ConnectionHandler.lingerTimeout
        reading.request = []
        return true
    }

    /// Discards what arrived after an error answer; `false` once the client closed or sent too much.
    private mutating func discardInput(_ reading: inout Reading) -> Bool {
        discard.removeAll(keepingCapacity: true)
        switch reading.connection.receive(appendingTo: &discard, maximum: 16 * 1024) {
        case .bytes(let count):
            reading.discarded += count
            if reading.discarded < ConnectionHandler.lingerLimit { return true }
        case .wouldBlock:
            return true
        case .endOfStream, .failed, .timedOut:
            break
        }
        reading.connection.close()
        return false
    }

    /// A connection past its deadline: answered `408` if it sent part of a request, else closed; a
    /// draining connection is closed.
    private func expire(_ reading: inout Reading, now: ContinuousClock.Instant) -> Bool {
        guard !reading.draining, Self.hasContent(reading.request) else {
            reading.connection.close()
            return false
        }
        return answer(.requestTimeout, headOnly: false, &reading, now: now)
    }

    /// Whether `bytes` hold more than the empty lines a client may send before a request.
    private static func hasContent(_ bytes: [UInt8]) -> Bool {
        bytes.contains { $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\n") }
    }
}
