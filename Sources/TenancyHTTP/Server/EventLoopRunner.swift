import TenancyPOSIX

/// The body of one event-loop thread: an edge-triggered epoll loop over the shared listening socket, this
/// loop's connections and its wake-up descriptor, which also runs the handler tasks that prefer the loop.
///
/// One iteration: wait for readiness (or the next deadline sweep), accept (dealing the connections
/// round-robin to every loop, this one included), take over the connections other loops dealt to this
/// one, read and parse what arrived, start a handler task per complete request, run the tasks' jobs,
/// encode and send the finished responses. Per request on a keep-alive connection this costs a `recv`, a
/// task and one `send`; buffers (the loop's read buffer, each connection's pending input and output) are
/// reused.
///
/// Never blocks except in `epoll_wait`, whose timeout is the next deadline sweep: head, body, idle, write
/// and linger deadlines are checked a few times per shortest timeout.
final class EventLoopRunner {
    private let loop: EventLoop
    private let context: ServerContext
    private let configuration: HTTPServer.Configuration
    private var connections: [Int32: HTTPConnection] = [:]
    private var ready = Epoll.ReadyList(capacity: 512)
    private var taken = EventLoop.Inbox()
    private var readBuffer = [UInt8](repeating: 0, count: 64 * 1024)
    private var serial: UInt64 = 0
    private var date = HTTPDate()
    private var accepting = false
    private var backoff = AcceptBackoff()
    private var pausedUntil: ContinuousClock.Instant?
    private var stopDeadline: ContinuousClock.Instant?
    private let sweepInterval: Duration
    private var nextSweep: ContinuousClock.Instant

    /// How long a closing connection discards input at most, and how much.
    static let lingerTimeout = Duration.milliseconds(500)
    static let lingerLimit = 64 * 1024

    init(loop: EventLoop, context: ServerContext) {
        self.loop = loop
        self.context = context
        configuration = context.configuration
        sweepInterval = min(max(configuration.shortestTimeout / 4, .milliseconds(5)), .milliseconds(250))
        nextSweep = .now + sweepInterval
    }

    /// Runs until a stop was requested and every connection is closed, or the stop deadline passed.
    func run() {
        startAccepting()
        date.refresh()
        while true {
            let sleep = loop.prepareToSleep()
            let timeout = sleep ? Socket.milliseconds(ContinuousClock.now.duration(to: nextSweep)) : 0
            let count = loop.epoll.wait(into: &ready, timeout: timeout)
            loop.take(into: &taken)
            let now = ContinuousClock.now
            if let deadline = taken.stopDeadline, stopDeadline == nil { beginStop(deadline: deadline, now: now) }
            date.refresh()
            for index in 0..<count {
                handle(ready.descriptors[index], events: Epoll.Events(rawValue: ready.events[index]), now: now)
            }
            drainInbox(now: now)
            if now >= nextSweep { sweep(now: now) }
            if let stopDeadline, connections.isEmpty || now >= stopDeadline { break }
        }
        for connection in Array(connections.values) { close(connection) }
        for socket in loop.retire() {
            socket.close()
            context.release()
        }
    }

    // MARK: - Events

    private func handle(_ descriptor: Int32, events: Epoll.Events, now: ContinuousClock.Instant) {
        if descriptor == loop.wakeup.descriptor {
            loop.wakeup.reset()
            return
        }
        if descriptor == context.listening.descriptor {
            if accepting { acceptWaiting(now: now) }
            return
        }
        guard let connection = connections[descriptor] else { return }
        if !events.isDisjoint(with: [.readable, .readHangUp, .failed]) { connection.mayRead = true }
        if !events.isDisjoint(with: [.readHangUp, .failed]) { connection.hungUp = true }
        if events.contains(.writable), case .writing = connection.state {
            flush(connection, now: now)
            return
        }
        advance(connection, now: now)
    }

    /// Moves a connection on after its socket became readable or its state changed.
    private func advance(_ connection: HTTPConnection, now: ContinuousClock.Instant) {
        switch connection.state {
        case .reading: readRequests(connection, now: now)
        case .lingering: discardInput(connection)
        case .handling, .writing: break  // input waits: responses go out in order
        }
    }

    /// Takes over the connections other loops accepted for this one, runs the handler jobs and sends the
    /// finished responses, until none is left (bounded, so a handler that keeps rescheduling itself cannot
    /// starve the sockets).
    private func drainInbox(now: ContinuousClock.Instant) {
        let executor = loop.asUnownedTaskExecutor()
        for round in 0..<16 {
            if round > 0 { loop.take(into: &taken) }
            if taken.isEmpty { return }
            for socket in taken.sockets { serveHandedOver(socket, now: now) }
            taken.sockets.removeAll(keepingCapacity: true)
            for job in taken.jobs { job.runSynchronously(on: executor) }
            taken.jobs.removeAll(keepingCapacity: true)
            for completion in taken.completions { complete(completion, now: now) }
            taken.completions.removeAll(keepingCapacity: true)
        }
    }

    // MARK: - Accepting

    private func startAccepting() {
        guard !accepting, stopDeadline == nil else { return }
        do {
            try loop.epoll.add(context.listening.descriptor, [.readable, .exclusive])
            accepting = true
        } catch {
            pausedUntil = .now + backoff.next()  // out of memory for the registration: try again later
        }
    }

    private func stopAccepting() {
        guard accepting else { return }
        loop.epoll.remove(context.listening.descriptor)
        accepting = false
    }

    /// Accepts what is waiting, up to a batch, so a flood of connections cannot starve the others.
    private func acceptWaiting(now: ContinuousClock.Instant) {
        for _ in 0..<64 {
            switch context.listening.accept(nonBlocking: true) {
            case .connection(let socket):
                backoff.reset()
                // Admitted here, in accept order, so the connection over the bound is the one refused.
                guard context.admit() else {
                    refuse(socket)
                    continue
                }
                let target = context.loopForNextConnection()
                if target === loop {
                    register(socket, now: now)
                } else if !target.adopt(socket) {
                    socket.close()  // that loop has ended: the server is stopping
                    context.release()
                }
            case .none:
                return
            case .retry:
                continue
            case .backOff:
                stopAccepting()
                pausedUntil = now + backoff.next()
                return
            }
        }
    }

    /// Answers a connection over the bound with the `503` and closes it.
    private func refuse(_ socket: Socket) {
        socket.sendWithoutWaiting(context.busyResponse)
        socket.shutdown(writeOnly: true)
        socket.close()
    }

    /// Starts serving an admitted connection on this loop.
    /// - Returns: The connection, or `nil` when it could not be registered (it is closed and its slot given
    ///   back).
    @discardableResult
    private func register(_ socket: Socket, now: ContinuousClock.Instant) -> HTTPConnection? {
        do {
            try loop.epoll.add(socket.descriptor, [.readable, .writable, .readHangUp, .edgeTriggered])
        } catch {
            socket.close()
            context.release()
            return nil
        }
        let connection = HTTPConnection(
            socket: socket,
            remoteAddress: SocketAddress.peer(of: socket.descriptor)?.description,
            limits: configuration.limits,
            deadline: now + configuration.headTimeout
        )
        connections[socket.descriptor] = connection
        return connection
    }

    /// Starts serving a connection another loop accepted and admitted for this one. Its request may have
    /// arrived while it waited in the inbox, so it is read at once: a connection accepted before a stop is
    /// then treated as if this loop had accepted it (served when a request is in, else closed as idle).
    private func serveHandedOver(_ socket: Socket, now: ContinuousClock.Instant) {
        guard let connection = register(socket, now: now) else { return }
        readRequests(connection, now: now)  // a new connection may read: at worst one `recv` says EAGAIN
        if stopDeadline != nil && connection.isIdle { close(connection) }
    }

    // MARK: - Reading

    /// Parses what is pending and reads more, until a request is dispatched, the connection fails, or the
    /// socket has nothing more to give.
    private func readRequests(_ connection: HTTPConnection, now: ContinuousClock.Instant) {
        while connection.state == .reading {
            if !connection.pending.isEmpty {
                let (step, consumed) = connection.pending.withUnsafeBytes { connection.parser.parse($0) }
                connection.pending.removeFirst(consumed)
                switch step {
                case .needMore:
                    break
                case .continueExpected:
                    // A client that left earlier responses unread can have a full send buffer: a partial
                    // interim response would put the stream out of step, so such a connection is closed.
                    guard connection.socket.sendWithoutWaiting(ResponseEncoder.continueResponse) else {
                        close(connection, abort: true)
                        return
                    }
                    startBody(connection, now: now)
                    continue
                case .request(let request, let keepAlive):
                    dispatch(request, keepAlive: keepAlive, on: connection)
                    return
                case .reject(let rejection):
                    reject(connection, rejection, now: now)
                    return
                }
                if !connection.receivingBody && connection.parser.isReadingBody {
                    startBody(connection, now: now)
                }
            }
            guard receive(connection, now: now) else { return }
        }
    }

    /// The head is complete and a body follows: the body's deadline starts.
    private func startBody(_ connection: HTTPConnection, now: ContinuousClock.Instant) {
        connection.receivingBody = true
        connection.deadline = now + configuration.bodyTimeout
    }

    /// Reads once into the loop's buffer and appends to the connection's pending input.
    /// - Returns: Whether bytes arrived.
    private func receive(_ connection: HTTPConnection, now: ContinuousClock.Instant) -> Bool {
        guard connection.mayRead, !connection.inputEnded else {
            if connection.inputEnded { inputEnded(connection, now: now) }
            return false
        }
        let capacity = readBuffer.count
        let received = readBuffer.withUnsafeMutableBytes { connection.socket.receive(into: $0) }
        switch received {
        case .bytes(let count):
            // A short read drained the socket; a full one may have left more. After a hang-up the end of the
            // stream is still to be read: its edge came with the data.
            if count < capacity && !connection.hungUp { connection.mayRead = false }
            if !connection.requestStarted {
                connection.requestStarted = true
                connection.deadline = now + configuration.headTimeout
            }
            connection.pending.append(contentsOf: readBuffer[0..<count])
            return true
        case .wouldBlock:
            connection.mayRead = false
            return false
        case .endOfStream, .timedOut:
            connection.mayRead = false
            connection.inputEnded = true
            inputEnded(connection, now: now)
            return false
        case .failed:
            close(connection)
            return false
        }
    }

    /// The client closed its sending side while the connection was reading: a request cut short is
    /// answered 400, otherwise the connection is done.
    private func inputEnded(_ connection: HTTPConnection, now: ContinuousClock.Instant) {
        guard connection.state == .reading else { return }
        if connection.isIdle {
            close(connection)
        } else {
            reject(connection, .malformed("the connection closed in the middle of a request"), now: now)
        }
    }

    // MARK: - Handling

    private func dispatch(_ request: HTTPRequest, keepAlive: Bool, on connection: HTTPConnection) {
        serial &+= 1
        connection.state = .handling
        connection.deadline = nil
        connection.receivingBody = false
        connection.requestStarted = false
        connection.serial = serial
        var addressed = request
        addressed.remoteAddress = connection.remoteAddress
        addressed.responseWrite = connection.responseWrite.open(serial: self.serial)
        let request = addressed
        let loop = self.loop
        let handler = context.handler
        let descriptor = connection.socket.descriptor
        let serial = self.serial
        let headOnly = request.method == .head
        let persistence: ResponseEncoder.Persistence =
            !keepAlive || stopDeadline != nil ? .close : request.version.minor == 0 ? .keepAliveConfirmed : .keepAlive
        let answer: @Sendable () async -> Void = {
            let response = await handler(request)
            let completion = EventLoop.Completion(
                descriptor: descriptor,
                serial: serial,
                response: response,
                headOnly: headOnly,
                persistence: persistence
            )
            loop.deliver(completion)
        }
        switch configuration.handlerExecution {
        case .eventLoop: Task(executorPreference: loop, operation: answer)
        case .globalExecutor: Task(executorPreference: globalConcurrentExecutor, operation: answer)
        }
    }

    /// Sends a finished response, if its connection is still the one that asked.
    private func complete(_ completion: EventLoop.Completion, now: ContinuousClock.Instant) {
        guard let connection = connections[completion.descriptor], connection.serial == completion.serial,
            connection.state == .handling
        else { return }
        var persistence = completion.persistence
        if stopDeadline != nil { persistence = .close }
        // An interim (1xx) response would leave the client waiting for a final one that never comes.
        let response = completion.response.status.code < 200 ? HTTPResponse.internalError : completion.response
        // Reported once the last byte is sent (see `flush`), or when the connection closes before that.
        connection.completion = connection.responseWrite.take()
        connection.completionStatus = response.status.code
        ResponseEncoder.encode(
            response,
            headOnly: completion.headOnly,
            persistence: persistence,
            date: date.field,
            into: &connection.output
        )
        connection.state = .writing(closeAfter: persistence == .close)
        connection.deadline = now + configuration.writeTimeout
        flush(connection, now: now)
    }

    /// Answers a rejection with its problem and closes after it.
    private func reject(_ connection: HTTPConnection, _ rejection: RequestRejection, now: ContinuousClock.Instant) {
        connection.pending = []
        ResponseEncoder.encode(
            ServerContext.problem(rejection),
            headOnly: false,
            persistence: .close,
            date: date.field,
            into: &connection.output
        )
        connection.state = .writing(closeAfter: true)
        connection.deadline = now + configuration.writeTimeout
        flush(connection, now: now)
    }

    // MARK: - Writing

    /// Sends what is left of the output; once it is all sent, reports the request's completion (see
    /// ``ResponseWriteHook``), then reads the next request or starts closing.
    private func flush(_ connection: HTTPConnection, now: ContinuousClock.Instant) {
        guard case .writing(let closeAfter) = connection.state else { return }
        while connection.outputSent < connection.output.count {
            let sent = connection.output.withUnsafeBytes { output in
                connection.socket.send(UnsafeRawBufferPointer(rebasing: output[connection.outputSent...]))
            }
            switch sent {
            case .bytes(let count):
                connection.outputSent += count
            case .wouldBlock:
                return  // the writable edge brings the connection back; the write deadline runs
            case .failed:
                close(connection)
                return
            }
        }
        connection.output.removeAll(keepingCapacity: true)
        connection.outputSent = 0
        // Before the `shutdown` below: a client that reads until the close sees the report made.
        reportWritten(connection)
        if closeAfter {
            connection.socket.shutdown(writeOnly: true)
            connection.state = .lingering
            connection.deadline = now + Self.lingerTimeout
            discardInput(connection)
        } else {
            connection.state = .reading
            connection.requestStarted = !connection.pending.isEmpty
            connection.deadline = now + (connection.pending.isEmpty ? configuration.idleTimeout : configuration.headTimeout)
            readRequests(connection, now: now)
        }
    }

    /// Reads and drops input after the last response, until the client closes or sent too much.
    private func discardInput(_ connection: HTTPConnection) {
        while connection.mayRead {
            let received = readBuffer.withUnsafeMutableBytes { connection.socket.receive(into: $0) }
            switch received {
            case .bytes(let count):
                connection.discarded += count
                if connection.discarded >= Self.lingerLimit { return close(connection) }
            case .wouldBlock:
                connection.mayRead = false
            case .endOfStream, .timedOut, .failed:
                return close(connection)
            }
        }
    }

    // MARK: - Deadlines and stopping

    /// Expires connections past their deadline, resumes accepting after a pause, and closes idle
    /// connections when stopping.
    private func sweep(now: ContinuousClock.Instant) {
        nextSweep = now + sweepInterval
        if let pausedUntil, pausedUntil <= now, stopDeadline == nil {
            self.pausedUntil = nil
            startAccepting()
        }
        for connection in Array(connections.values) {
            if stopDeadline != nil && connection.isIdle {
                close(connection)
                continue
            }
            guard let deadline = connection.deadline, deadline <= now else { continue }
            switch connection.state {
            case .reading where !connection.isIdle:
                reject(connection, .timedOut, now: now)
            case .writing:
                close(connection, abort: true)  // a client that does not take its response
            default:
                close(connection)  // idle, or done lingering
            }
        }
    }

    private func beginStop(deadline: ContinuousClock.Instant, now: ContinuousClock.Instant) {
        stopDeadline = deadline
        stopAccepting()
        pausedUntil = nil
        context.stoppedAccepting.signal()
        nextSweep = now  // close the idle connections at once
    }

    /// Closes and forgets a connection.
    /// - Parameter abort: Reset it, dropping the unsent part of its response.
    private func close(_ connection: HTTPConnection, abort: Bool = false) {
        guard connections.removeValue(forKey: connection.socket.descriptor) != nil else { return }
        if abort { connection.socket.abort() } else { connection.socket.close() }
        context.release()
        // A response cut short is reported with the status it was sending. A request whose response had not
        // reached the loop (a shutdown deadline) is reported now if its chain has returned, else when it does.
        reportWritten(connection)
        if connection.state == .handling { connection.responseWrite.take()?.abandon() }
    }

    /// Reports the completion of the response just written (or cut short), if a completion middleware
    /// left its record: exactly once, as the record is dropped here.
    private func reportWritten(_ connection: HTTPConnection) {
        guard let record = connection.completion else { return }
        connection.completion = nil
        record.responseWritten(status: connection.completionStatus)
    }
}
