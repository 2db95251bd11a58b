import Tenancy

/// Times each request and reports it to the observers as `requestCompleted`, with the final status, the
/// duration, and the tenant and outcome the tenant middleware decided. This is what feeds
/// `tenancy_requests_total` and `tenancy_request_duration_seconds` (through `TenantMetrics`): an admitted
/// request counts as `allowed` whatever the handler answers, even when it throws.
///
/// Put it first in the tenant routes' group, before the tenant middleware (only requests on tenant routes
/// count, per DESIGN.md). Every request is reported exactly once:
/// - Behind ``HTTPServer``: once the response's last byte is handed to the kernel (after partial writes
///   too), with the status sent, so the duration runs from this middleware to the response written. If
///   the connection fails or closes while the response is being written (the client went away, the write
///   timeout, a shutdown deadline), when it closes, with the status that was being sent. If it closes
///   before the response is ready (a shutdown deadline while the handler runs), when the chain returns.
/// - Anywhere else (a handler called directly, another framework's adapter): when the chain returns, with
///   its status (that of the error's problem response when it throws), as the response is handed over.
public struct RequestCompletionMiddleware: Middleware {
    /// Who is told.
    public let observers: TenancyObservers
    /// The time since the middleware was made, on its clock: requests are timed as differences of two
    /// readings, so no instant of an unknown clock type has to be stored and cast back per request.
    private let elapsed: @Sendable () -> Duration

    /// Creates the middleware.
    /// - Parameters:
    ///   - observers: Who is told; the same observers as the gate's.
    ///   - clock: Measures the duration; the continuous clock by default.
    public init(observers: TenancyObservers, clock: any Clock<Duration> = ContinuousClock()) {
        self.observers = observers
        elapsed = Self.stopwatch(on: clock)
    }

    /// Runs `next` and has the completion reported once the response is written (see the type's
    /// discussion), also when `next` throws.
    /// - Parameters:
    ///   - request: The request.
    ///   - next: The rest of the chain.
    /// - Returns: What `next` returns.
    /// - Throws: What `next` throws; the completion is reported with the status it will be answered with.
    public func respond(to request: HTTPRequest, next: HTTPResponder) async throws -> HTTPResponse {
        let record = CompletionRecord(observers: observers, elapsed: elapsed)
        let deferred = request.responseWrite?.install(record) ?? false
        var recorded = request
        recorded.completion = record
        do {
            let response = try await next(recorded)
            record.chainEnded(status: response.status.code, deferred: deferred)
            return response
        } catch {
            record.chainEnded(status: HTTPResponse.status(for: error).code, deferred: deferred)
            throw error
        }
    }

    private static func stopwatch<C: Clock<Duration>>(on clock: C) -> @Sendable () -> Duration {
        let origin = clock.now
        return { origin.duration(to: clock.now) }
    }
}
