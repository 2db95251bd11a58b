import TenancyPOSIX

/// One run of an ``HTTPServer``, from the bound socket to the joined threads: the listening socket shared
/// by ``HTTPServer/Configuration/eventLoops`` event-loop threads, which deal the connections they accept
/// round-robin among themselves.
///
/// Stopping asks every loop to stop accepting, waits until none polls the listening socket any more and
/// closes it (new clients are refused at once instead of waiting in the backlog), then joins the loops,
/// which close idle connections, finish in-flight requests and close the rest at the deadline.
final class ServerRun: Sendable {
    /// The address the socket is bound to, with the port the system chose for port 0.
    let address: SocketAddress
    private let context: ServerContext
    private let loops: [EventLoop]
    private let threads: [POSIXThread]

    private init(address: SocketAddress, context: ServerContext, loops: [EventLoop], threads: [POSIXThread]) {
        self.address = address
        self.context = context
        self.loops = loops
        self.threads = threads
    }

    /// Binds, listens and starts the event loops.
    /// - Throws: ``HTTPError`` with ``HTTPError/Code/addressInUse``, ``HTTPError/Code/invalidAddress`` or
    ///   ``HTTPError/Code/serverFailure``; nothing is left running or open.
    static func start(
        on address: SocketAddress,
        configuration: HTTPServer.Configuration,
        handler: @escaping HTTPHandler
    ) throws(HTTPError) -> ServerRun {
        let listening: Socket
        do {
            listening = try Socket.listen(on: address, backlog: configuration.backlog)
        } catch {
            throw .starting(error, on: address)
        }
        // Every loop exists before any thread starts: a loop that accepts a connection may hand it to any other.
        var loops: [EventLoop] = []
        do throws(SystemCallError) {
            for _ in 0..<configuration.eventLoops { loops.append(try EventLoop()) }
        } catch {
            listening.close()
            throw .starting(error, on: address)
        }
        let context = ServerContext(configuration: configuration, handler: handler, listening: listening, loops: loops)
        var threads: [POSIXThread] = []
        do throws(SystemCallError) {
            for (index, loop) in loops.enumerated() {
                threads.append(
                    try POSIXThread.spawn(name: "http-loop-\(index)") {
                        EventLoopRunner(loop: loop, context: context).run()
                    }
                )
            }
        } catch {
            // The loops without a thread must not keep connections the running ones hand them.
            for loop in loops[threads.count...] {
                for socket in loop.retire() {
                    socket.close()
                    context.release()
                }
            }
            stop(loops: loops, threads: threads, context: context, deadline: .now)
            throw .starting(error, on: address)
        }
        let bound = SocketAddress.local(of: listening.descriptor) ?? address
        return ServerRun(address: bound, context: context, loops: loops, threads: threads)
    }

    /// How many connections are open across the loops.
    var openConnections: Int { context.openConnections }

    /// Stops accepting, lets in-flight requests finish until `deadline`, closes every connection and joins
    /// every thread; call once.
    func stop(deadline: ContinuousClock.Instant) {
        Self.stop(loops: loops, threads: threads, context: context, deadline: deadline)
    }

    private static func stop(
        loops: [EventLoop],
        threads: [POSIXThread],
        context: ServerContext,
        deadline: ContinuousClock.Instant
    ) {
        for loop in loops { loop.requestStop(deadline: deadline) }
        // Only the loops whose thread started acknowledge; a loop without a thread never polled the socket.
        for _ in threads { context.stoppedAccepting.wait() }
        context.listening.close()
        for thread in threads { thread.join() }
    }
}
