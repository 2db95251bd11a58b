import Tenancy

/// How ``HTTPServer`` tells a request's ``CompletionRecord`` that its response was written: one per
/// connection, reused for each of its requests (a connection handles one request at a time), so the
/// request path allocates nothing for it.
///
/// The server opens the hook for each request it dispatches and hands the request a ``Ticket``;
/// ``RequestCompletionMiddleware`` installs its record through the ticket; when the response is about to be
/// written (or the connection closes first), the server takes the record back and reports through it. A
/// request that did not come from the server has no ticket, and the middleware reports by itself when the
/// chain returns.
final class ResponseWriteHook: Sendable {
    /// The hook of one dispatched request, carried by ``HTTPRequest`` and all its copies.
    struct Ticket: Sendable {
        let hook: ResponseWriteHook
        let serial: UInt64

        /// Leaves `record` with the server, which reports through it once the response is written.
        /// - Parameter record: The completion record of the request.
        /// - Returns: `false` when the server will not: the request is no longer the one being handled
        ///   (its response is on the way or the connection closed), or a record is installed already (a
        ///   second completion middleware). The caller then reports by itself.
        func install(_ record: CompletionRecord) -> Bool {
            hook.install(record, serial: serial)
        }
    }

    private enum State {
        /// Between requests, or the current request's record was taken back: nothing can be installed.
        case closed
        /// Request `serial` is being handled and no record is installed yet.
        case open(serial: UInt64)
        /// Request `serial` is being handled and `record` waits for its response to be written.
        case installed(serial: UInt64, record: CompletionRecord)
    }

    private let state = Synchronized(State.closed)

    /// Opens the hook for the request numbered `serial`, the connection's next one.
    /// - Parameter serial: The request's number.
    /// - Returns: The ticket for the request to carry.
    func open(serial: UInt64) -> Ticket {
        state.withLock { $0 = .open(serial: serial) }
        return Ticket(hook: self, serial: serial)
    }

    /// Closes the hook for the current request.
    /// - Returns: The record installed for it, if any; the caller reports through it exactly once.
    func take() -> CompletionRecord? {
        state.withLock { state in
            defer { state = .closed }
            if case .installed(_, let record) = state { return record }
            return nil
        }
    }

    private func install(_ record: CompletionRecord, serial: UInt64) -> Bool {
        state.withLock { state in
            guard case .open(let current) = state, current == serial else { return false }
            state = .installed(serial: serial, record: record)
            return true
        }
    }
}
