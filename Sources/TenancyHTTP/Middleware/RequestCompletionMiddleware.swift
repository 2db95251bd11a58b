import Tenancy

/// Times each request and reports it to the observers as `requestCompleted`, with the final status, the
/// duration, and the tenant and outcome the tenant middleware decided. This is what feeds
/// `tenancy_requests_total` and `tenancy_request_duration_seconds` (through `TenantMetrics`): an admitted
/// request counts as `allowed` whatever the handler answers, even when it throws.
///
/// Put it first in the tenant routes' group, before the tenant middleware (only requests on tenant routes
/// count, per DESIGN.md). The duration runs from this middleware to the response being handed to the
/// server; writing it to the socket is not included.
public struct RequestCompletionMiddleware: Middleware {
    /// Who is told.
    public let observers: TenancyObservers
    private let clock: any Clock<Duration>

    /// Creates the middleware.
    /// - Parameters:
    ///   - observers: Who is told; the same observers as the gate's.
    ///   - clock: Measures the duration; the continuous clock by default.
    public init(observers: TenancyObservers, clock: any Clock<Duration> = ContinuousClock()) {
        self.observers = observers
        self.clock = clock
    }

    /// Runs `next`, then reports the completion, also when `next` throws.
    /// - Parameters:
    ///   - request: The request.
    ///   - next: The rest of the chain.
    /// - Returns: What `next` returns.
    /// - Throws: What `next` throws, after reporting it with the status it will be answered with.
    public func respond(to request: HTTPRequest, next: HTTPResponder) async throws -> HTTPResponse {
        try await timed(request, next: next, clock: clock)
    }

    private func timed<C: Clock<Duration>>(_ request: HTTPRequest, next: HTTPResponder, clock: C) async throws
        -> HTTPResponse
    {
        let record = CompletionRecord()
        var recorded = request
        recorded.completion = record
        let start = clock.now
        let status: HTTPStatus
        defer {
            let (tenant, outcome) = record.value
            observers.requestCompleted(
                CompletionEvent(
                    tenant: tenant, outcome: outcome, status: status.code, duration: start.duration(to: clock.now)))
        }
        do {
            let response = try await next(recorded)
            status = response.status
            return response
        } catch {
            status = HTTPResponse.status(for: error)
            throw error
        }
    }
}
