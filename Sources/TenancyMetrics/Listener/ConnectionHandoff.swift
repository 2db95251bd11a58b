import Dispatch
import Tenancy
import TenancyPOSIX

/// Hands connections whose request asks for the exposition from the accept thread to the worker threads,
/// and tracks them until they are closed so that stopping can end the ones being served.
///
/// The accept thread admits a connection only while fewer than
/// ``MetricsListener/Configuration/maximumConnections`` are open in total (``outstanding`` here plus the
/// ones it is still reading), so the queue is bounded by that. The lock is held for a few array operations
/// (and, when stopping, one `shutdown` per connection), never across I/O that can block.
final class ConnectionHandoff: Sendable {
    /// One scrape to answer.
    struct Job: Equatable, Sendable {
        /// The connection, whose request head has been read in full.
        var connection: Socket
        /// Whether the request was `HEAD`: the headers of the exposition without its body.
        var headOnly: Bool
    }

    private struct State {
        var queued: [Job] = []
        var serving: Set<Socket> = []
        var closed = false
    }

    private let state = Synchronized(State())
    /// One signal per submitted job, and one per worker when closing.
    private let ready = DispatchSemaphore(value: 0)
    private let workers: Int

    /// Creates the handoff for a pool of `workers` threads, each of which loops over ``next()``.
    init(workers: Int) {
        self.workers = workers
    }

    /// How many connections are queued or being served.
    var outstanding: Int {
        state.withLock { $0.queued.count + $0.serving.count }
    }

    /// Queues `job` for the next free worker.
    /// - Returns: `false` once the handoff is closed: the caller closes the connection.
    func submit(_ job: Job) -> Bool {
        let taken = state.withLock { state in
            guard !state.closed else { return false }
            state.queued.append(job)
            return true
        }
        if taken { ready.signal() }
        return taken
    }

    /// Waits for the next job; called by worker threads only.
    /// - Returns: The job, whose connection the caller passes to ``finished(_:)`` when done, or `nil` once
    ///   the handoff is closed.
    func next() -> Job? {
        while true {
            ready.wait()
            let (job, closed) = state.withLock { state -> (Job?, Bool) in
                guard !state.queued.isEmpty else { return (nil, state.closed) }
                let job = state.queued.removeFirst()
                state.serving.insert(job.connection)
                return (job, false)
            }
            if let job { return job }
            if closed { return nil }
        }
    }

    /// Forgets and closes a connection a worker has served.
    func finished(_ connection: Socket) {
        state.withLock { _ = $0.serving.remove(connection) }
        connection.close()  // after leaving the set: ``close()`` can no longer shut down a reused descriptor
    }

    /// Refuses further jobs, closes the queued connections, shuts down the ones being served (their workers
    /// see a failed send at once) and wakes every worker.
    func close() {
        let queued = state.withLock { state -> [Job] in
            state.closed = true
            for connection in state.serving { connection.shutdown() }
            defer { state.queued = [] }
            return state.queued
        }
        for job in queued { job.connection.close() }
        for _ in 0..<workers { ready.signal() }
    }
}
