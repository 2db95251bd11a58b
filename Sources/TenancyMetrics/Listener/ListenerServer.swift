import TenancyPOSIX

/// One run of a ``MetricsListener``, from the bound socket to the joined threads: an accept thread running
/// the ``AcceptLoop`` and ``MetricsListener/Configuration/workerThreads`` worker threads answering scrapes
/// handed to them through a ``ConnectionHandoff``.
///
/// ``stop()`` wakes the accept thread through a pipe, joins it, shuts down the connections being served
/// (their workers see a failed send at once), joins the workers and closes every descriptor.
final class ListenerServer: Sendable {
    /// The address the socket is bound to, with the port the system chose for port 0.
    let address: SocketAddress
    private let listening: Socket
    private let wakeup: WakeupPipe
    private let handoff: ConnectionHandoff
    private let acceptor: POSIXThread
    private let workers: [POSIXThread]

    private init(
        address: SocketAddress,
        listening: Socket,
        wakeup: WakeupPipe,
        handoff: ConnectionHandoff,
        acceptor: POSIXThread,
        workers: [POSIXThread]
    ) {
        self.address = address
        self.listening = listening
        self.wakeup = wakeup
        self.handoff = handoff
        self.acceptor = acceptor
        self.workers = workers
    }

    /// Binds, listens and starts the threads.
    /// - Throws: ``MetricsError`` with ``MetricsError/Code/addressInUse``,
    ///   ``MetricsError/Code/invalidAddress`` or ``MetricsError/Code/listenerFailure``; nothing is left
    ///   running or open.
    static func start(on address: SocketAddress, handler: ConnectionHandler) throws(MetricsError) -> ListenerServer {
        let listening: Socket
        do {
            listening = try Socket.listen(on: address, backlog: handler.configuration.backlog)
        } catch {
            throw .starting(error, on: address)
        }
        let wakeup: WakeupPipe
        do {
            wakeup = try WakeupPipe()
        } catch {
            listening.close()
            throw .starting(error, on: address)
        }
        let bound = SocketAddress.local(of: listening.descriptor) ?? address
        let handoff = ConnectionHandoff(workers: handler.configuration.workerThreads)
        var workers: [POSIXThread] = []
        do throws(SystemCallError) {
            for _ in 0..<handler.configuration.workerThreads {
                workers.append(try POSIXThread.spawn(name: "metrics-worker") { serve(handoff, handler) })
            }
            let acceptor = try POSIXThread.spawn(name: "metrics-accept") {
                var loop = AcceptLoop(listening: listening, wakeup: wakeup, handoff: handoff, handler: handler)
                loop.run()
            }
            return ListenerServer(
                address: bound,
                listening: listening,
                wakeup: wakeup,
                handoff: handoff,
                acceptor: acceptor,
                workers: workers
            )
        } catch {
            handoff.close()
            for worker in workers { worker.join() }
            listening.close()
            wakeup.close()
            throw .starting(error, on: address)
        }
    }

    /// Stops accepting, ends every connection and joins every thread; call once.
    func stop() {
        wakeup.signal()
        acceptor.join()
        handoff.close()
        for worker in workers { worker.join() }
        listening.close()
        wakeup.close()
    }

    /// A worker thread: answers scrapes until the handoff closes, reusing one workspace.
    private static func serve(_ handoff: ConnectionHandoff, _ handler: ConnectionHandler) {
        var workspace = ConnectionHandler.Workspace()
        while let job = handoff.next() {
            handler.serve(job, workspace: &workspace)
            handoff.finished(job.connection)
        }
    }
}
