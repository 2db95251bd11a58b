import TenancyMetrics

/// A built ``TenancyApplication``: the HTTP server and the `/metrics` listener beside it, started and
/// stopped together.
public final class TenancyService: Sendable {
    /// The HTTP server.
    public let server: HTTPServer
    /// The `/metrics` listener, when configured.
    public let metricsListener: MetricsListener?

    init(server: HTTPServer, metricsListener: MetricsListener?) {
        self.server = server
        self.metricsListener = metricsListener
    }

    /// Starts the listener, then the server; returns once both accept connections.
    /// - Throws: `MetricsError` or ``HTTPError`` when either cannot bind (nothing is left running then).
    public func start() throws {
        try metricsListener?.start()
        do {
            try server.start()
        } catch {
            metricsListener?.stop()
            throw error
        }
    }

    /// Stops the server gracefully (in-flight requests finish within its grace period), then the listener.
    public func shutdown() {
        server.shutdown()
        metricsListener?.stop()
    }

    /// Starts both and returns when the calling task is cancelled or ``shutdown()`` is called; cancellation
    /// shuts down gracefully and is not an error.
    /// - Throws: What ``start()`` throws.
    public func run() async throws {
        try start()
        defer { metricsListener?.stop() }
        try await server.run()
    }
}
