import Tenancy

/// One request's completion, from ``RequestCompletionMiddleware`` to the observers: the tenant and gate
/// outcome the tenant middleware writes, the start of the timing, and the guarantee that the
/// `requestCompleted` event is reported exactly once, by whichever side finishes last.
///
/// Without a server that writes the response (a handler called directly, another framework's adapter),
/// the middleware reports when the chain returns. Behind ``HTTPServer`` (the record was installed through
/// the request's ``ResponseWriteHook/Ticket``) the server reports once the response's last byte is handed
/// to the kernel, with the status it sent; if the connection fails or closes while the response is being
/// written, when it closes, with the status being sent; if it closes before the response was ready (a
/// shutdown deadline), the middleware reports when the chain returns, with the chain's status.
///
/// One allocation per request, made by the middleware; each step takes the lock once.
final class CompletionRecord: Sendable {
    private enum Phase {
        /// The chain below the middleware runs.
        case handling
        /// The chain returned with this status; the server reports once the response is written.
        case responded(status: Int)
        /// The server will write no response: the middleware reports when the chain returns.
        case abandoned
        /// Reported; nothing more happens.
        case reported
    }

    private struct State {
        var tenant: TenantID?
        var outcome: RequestOutcome?
        var phase = Phase.handling

        /// Marks the record reported.
        /// - Returns: What to report, taken under the lock with the transition.
        mutating func report(status: Int) -> Event {
            phase = .reported
            return Event(tenant: tenant, outcome: outcome, status: status)
        }
    }

    /// What is reported, apart from the duration.
    private struct Event {
        var tenant: TenantID?
        var outcome: RequestOutcome?
        var status: Int
    }

    private let observers: TenancyObservers
    private let elapsed: @Sendable () -> Duration
    private let start: Duration
    private let state = Synchronized(State())

    /// Starts timing a request.
    /// - Parameters:
    ///   - observers: Who is told.
    ///   - elapsed: The time since a fixed instant of the middleware's clock.
    init(observers: TenancyObservers, elapsed: @escaping @Sendable () -> Duration) {
        self.observers = observers
        self.elapsed = elapsed
        start = elapsed()
    }

    /// Records a tenant and outcome, replacing what an earlier step recorded.
    func record(tenant: TenantID?, outcome: RequestOutcome?) {
        state.withLock { state in
            state.tenant = tenant
            state.outcome = outcome
        }
    }

    /// The middleware's chain returned (or threw): reports now unless a server reports after writing.
    /// - Parameters:
    ///   - status: The status the chain answered, or the one its error will be answered with.
    ///   - deferred: The record is installed in the server's hook.
    func chainEnded(status: Int, deferred: Bool) {
        let event = state.withLock { state -> Event? in
            switch state.phase {
            case .handling where deferred:
                state.phase = .responded(status: status)
                return nil
            case .handling, .abandoned:
                return state.report(status: status)
            case .responded, .reported:
                return nil
            }
        }
        if let event { report(event) }
    }

    /// The server handed the response's last byte to the kernel, or the connection failed or closed while
    /// the response was being written: reports with the status sent.
    /// - Parameter status: The status the server sent.
    func responseWritten(status: Int) {
        let event = state.withLock { state -> Event? in
            if case .reported = state.phase { return nil }
            return state.report(status: status)
        }
        if let event { report(event) }
    }

    /// The connection closed before the response reached the server (at a shutdown deadline): the
    /// response will never be written. Reports now if the chain has returned, else leaves it to the
    /// middleware.
    func abandon() {
        let event = state.withLock { state -> Event? in
            switch state.phase {
            case .handling:
                state.phase = .abandoned
                return nil
            case .responded(let status):
                return state.report(status: status)
            case .abandoned, .reported:
                return nil
            }
        }
        if let event { report(event) }
    }

    private func report(_ event: Event) {
        let duration = elapsed() - start
        observers.requestCompleted(
            CompletionEvent(tenant: event.tenant, outcome: event.outcome, status: event.status, duration: duration))
    }
}
