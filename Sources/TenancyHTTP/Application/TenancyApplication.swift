import Tenancy
import TenancyMetrics

/// The one-line integration: a config store in, a multi-tenant HTTP service with metrics out.
///
/// Each concern is one option: the tenant config store (`store`), the gate's resolution, policy and quota
/// behaviour (`gate`, `quota`), Prometheus metrics through `TenantMetrics` (`metrics`), extra observers
/// such as an audit log (`observers`), the HTTP server (`server`) and the `/metrics` listener on its own
/// port beside it (`metricsListener`). Routes registered with ``tenantRoutes(_:requirements:tokens:middleware:_:)``
/// run behind completion reporting and the whole tenant gate; routes on ``router`` (health checks, admin)
/// do not.
///
/// ```swift
/// var app = try TenancyApplication(store: store, server: .init(port: 8080), metricsListener: .init(port: 9464))
/// try app.router.get("/healthz") { _ in .text("ok") }
/// try app.tenantRoutes("/api/v1") { api in
///     try api.get("/ping") { request in .text("pong \(request.tenant?.rawValue ?? "")") }
/// }
/// try await app.run()   // until the task is cancelled: graceful shutdown of both listeners
/// ```
public struct TenancyApplication: Sendable {
    /// The tenant gate every tenant route runs through.
    public let gate: AdmissionGate
    /// The metrics observer, when metrics are on; its registry is what the listener serves.
    public let metrics: TenantMetrics?
    /// Routes outside the tenant gate, and the application-wide middleware (a request ID by default).
    public var router: Router
    /// Where the HTTP server listens and how it bounds clients.
    public var server: HTTPServer.Configuration
    /// Where the `/metrics` listener listens; `nil` for no listener.
    public var metricsListener: MetricsListener.Configuration?

    /// Creates the application.
    /// - Parameters:
    ///   - store: Where tenant configs come from (`InMemoryTenantConfigStore`, `SQLiteTenantConfigStore`, ...).
    ///   - quota: Counts quota; in-process fixed windows by default.
    ///   - gate: How tenants are resolved (strategies, header names, allow-missing, token estimator,
    ///     fail-open).
    ///   - metrics: The `TenantMetrics` configuration; `nil` for no metrics (and no listener).
    ///   - observers: Further observers of every decision, after the metrics.
    ///   - server: The HTTP server's configuration.
    ///   - metricsListener: The `/metrics` listener's configuration; `nil` for no listener.
    ///   - middleware: Middleware around every request, first runs first; a request ID by default.
    /// - Throws: `MetricsError` when the metrics configuration is invalid.
    public init(
        store: any TenantConfigStore, quota: any QuotaEngine = QuotaEnforcer(),
        gate: AdmissionGate.Configuration = .init(), metrics: TenantMetrics.Configuration? = .init(),
        observers: [any TenancyObserver] = [], server: HTTPServer.Configuration = .init(),
        metricsListener: MetricsListener.Configuration? = .init(), middleware: [any Middleware] = [RequestIDMiddleware()]
    ) throws(MetricsError) {
        let tenantMetrics = try metrics.map { configuration throws(MetricsError) in try TenantMetrics(configuration: configuration) }
        self.metrics = tenantMetrics
        let all: [any TenancyObserver] = (tenantMetrics.map { [$0] } ?? []) + observers
        self.gate = AdmissionGate(store: store, quota: quota, observers: TenancyObservers(all), configuration: gate)
        self.router = Router(middleware: middleware, problemTypeBase: gate.problemTypeBase)
        self.server = server
        self.metricsListener = tenantMetrics == nil ? nil : metricsListener
    }

    /// Registers routes behind completion reporting and the whole tenant gate (resolve, policy, quota):
    /// the handler runs with the tenant bound and readable as ``HTTPRequest/tenant``.
    /// - Parameters:
    ///   - prefix: The routes' common prefix, such as `/api/v1`.
    ///   - requirements: What the routes need (a model, a tool) for the policy check.
    ///   - tokens: The exact token count of a request, when the routes know it.
    ///   - middleware: Further middleware after the gate, before the handlers.
    ///   - build: Registers the routes.
    /// - Throws: ``HTTPError`` for an invalid or conflicting route, or what `build` throws.
    public mutating func tenantRoutes(
        _ prefix: String, requirements: PolicyRequirements = [], tokens: (@Sendable (HTTPRequest) -> Int64?)? = nil,
        middleware: [any Middleware] = [], _ build: (inout RouteGroup) throws -> Void
    ) throws {
        let stack: [any Middleware] = [
            RequestCompletionMiddleware(observers: gate.observers),
            TenantMiddleware(gate: gate, requirements: requirements, tokens: tokens),
        ]
        try router.group(prefix, middleware: stack + middleware, build)
    }

    /// Builds the server and the listener from the routes registered so far, without starting them.
    /// - Returns: The service.
    /// - Throws: ``HTTPError`` for an invalid server configuration, `MetricsError` for an invalid listener
    ///   configuration.
    public func build() throws -> TenancyService {
        let listener = try metrics.flatMap { metrics in
            try metricsListener.map { try MetricsListener(registry: metrics.registry, configuration: $0) }
        }
        return TenancyService(server: try HTTPServer(configuration: server, handler: router.handler), metricsListener: listener)
    }

    /// Builds and runs the service until the calling task is cancelled (see ``TenancyService/run()``).
    /// - Throws: What ``build()`` and ``TenancyService/run()`` throw.
    public func run() async throws {
        try await build().run()
    }
}
