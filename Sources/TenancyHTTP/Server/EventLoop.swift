import Dispatch
import Tenancy
import TenancyPOSIX

/// The part of one event-loop thread that other threads may touch: its epoll instance, its wake-up
/// descriptor, and an inbox of jobs, finished responses, connections accepted for it by another loop and
/// a stop request.
///
/// The loop is also a `TaskExecutor`: handler tasks prefer it, so a handler that never suspends (the
/// common case: gate, quota and metrics are synchronous in memory) runs on the loop thread right after its
/// request was parsed, and its response is written in the same loop iteration, with no thread hop. A
/// handler that suspends elsewhere comes back through ``enqueue(_:)`` or ``deliver(_:)``, which wake the
/// loop with one `eventfd` write, and only when it sleeps in `epoll_wait`. The inbox lock is the only lock
/// on the request path and is held for an append or a swap.
///
/// The descriptors live as long as this object, not as long as the thread: a handler still running after
/// a forced shutdown can deliver its response into the inbox of a stopped loop, harmlessly.
final class EventLoop: TaskExecutor, Sendable {
    /// A response for the connection on `descriptor`, for its request number `serial`, and how to send it.
    struct Completion: Sendable {
        var descriptor: Int32
        var serial: UInt64
        var response: HTTPResponse
        /// The request was `HEAD`: the body is left out.
        var headOnly: Bool
        var persistence: ResponseEncoder.Persistence
    }

    /// What other threads hand to the loop.
    struct Inbox: Sendable {
        var jobs: [UnownedJob] = []
        var completions: [Completion] = []
        /// Connections another loop accepted, admitted and handed to this one (see ``adopt(_:)``).
        var sockets: [Socket] = []
        /// When to stop at the latest; set once by ``requestStop(deadline:)``.
        var stopDeadline: ContinuousClock.Instant?
        /// The loop is in (or about to enter) `epoll_wait` and must be woken by the event descriptor.
        var sleeping = false
        /// The loop thread has ended: jobs run on Dispatch instead.
        var retired = false

        var isEmpty: Bool { jobs.isEmpty && completions.isEmpty && sockets.isEmpty }
    }

    let epoll: Epoll
    let wakeup: EventDescriptor
    private let inbox = Synchronized(Inbox())

    /// Creates the descriptors and registers the wake-up descriptor.
    /// - Throws: ``SystemCallError`` for `epoll_create1`, `eventfd` or `epoll_ctl`.
    init() throws(SystemCallError) {
        epoll = try Epoll()
        do {
            wakeup = try EventDescriptor()
        } catch {
            epoll.close()
            throw error
        }
        do {
            try epoll.add(wakeup.descriptor, [.readable, .edgeTriggered])
        } catch {
            epoll.close()
            wakeup.close()
            throw error
        }
    }

    deinit {
        epoll.close()
        wakeup.close()
    }

    // MARK: - From any thread

    /// Runs `job` on the loop thread, or, once the loop has ended, on a Dispatch thread: a task that was
    /// in flight at a forced shutdown still runs to its end instead of leaking.
    func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        let (wake, retired) = inbox.withLock { inbox in
            if inbox.retired { return (false, true) }
            inbox.jobs.append(unowned)
            return (inbox.wake(), false)
        }
        if retired { runElsewhere(unowned) }
        if wake { wakeup.signal() }
    }

    /// Hands a finished response to the loop.
    func deliver(_ completion: Completion) {
        let wake = inbox.withLock { inbox in
            inbox.completions.append(completion)
            return inbox.wake()
        }
        if wake { wakeup.signal() }
    }

    /// Hands a connection accepted and admitted by another loop to this one, which serves it.
    /// - Parameter socket: The accepted connection.
    /// - Returns: `false` when the loop thread has ended; the caller still owns the socket (and its slot).
    func adopt(_ socket: Socket) -> Bool {
        let (wake, retired) = inbox.withLock { inbox in
            if inbox.retired { return (false, true) }
            inbox.sockets.append(socket)
            return (inbox.wake(), false)
        }
        if wake { wakeup.signal() }
        return !retired
    }

    /// Asks the loop to stop accepting, close idle connections, finish in-flight requests and end by
    /// `deadline`.
    func requestStop(deadline: ContinuousClock.Instant) {
        let wake = inbox.withLock { inbox in
            inbox.stopDeadline = min(inbox.stopDeadline ?? deadline, deadline)
            return inbox.wake()
        }
        if wake { wakeup.signal() }
    }

    // MARK: - From the loop thread

    /// Marks the loop as about to sleep, unless work is waiting.
    /// - Returns: Whether it may sleep (block in `epoll_wait`).
    func prepareToSleep() -> Bool {
        inbox.withLock { inbox in
            guard inbox.isEmpty else { return false }
            inbox.sleeping = true
            return true
        }
    }

    /// Marks the loop as ended, after its thread's last iteration: the jobs still waiting, and any that
    /// come later, run on Dispatch; responses still waiting are dropped with their closed connections;
    /// connections handed over but not yet served are returned, and later ones refused by ``adopt(_:)``.
    /// - Returns: The connections handed over and never served: the caller closes them and gives their
    ///   slots back.
    func retire() -> [Socket] {
        let (jobs, sockets) = inbox.withLock { inbox in
            inbox.retired = true
            inbox.completions = []
            defer { (inbox.jobs, inbox.sockets) = ([], []) }
            return (inbox.jobs, inbox.sockets)
        }
        for job in jobs { runElsewhere(job) }
        return sockets
    }

    private func runElsewhere(_ job: UnownedJob) {
        DispatchQueue.global().async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }

    /// Takes everything waiting, into `taken` (whose arrays are swapped, to keep their capacity).
    func take(into taken: inout Inbox) {
        inbox.withLock { inbox in
            inbox.sleeping = false
            swap(&inbox.jobs, &taken.jobs)
            swap(&inbox.completions, &taken.completions)
            swap(&inbox.sockets, &taken.sockets)
            taken.stopDeadline = inbox.stopDeadline
        }
    }
}

extension EventLoop.Inbox {
    /// Whether a producer must signal the loop: only when it sleeps, and only the first producer.
    fileprivate mutating func wake() -> Bool {
        defer { sleeping = false }
        return sleeping
    }
}
