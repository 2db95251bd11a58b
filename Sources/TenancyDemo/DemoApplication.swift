import Foundation
import Tenancy
import TenancyHTTP
import TenancyMetrics
import TenancySQLite

#if canImport(Glibc)
import Glibc
#endif

/// The running demo: tenant configs and resources in SQLite, the tenant gate with in-process quota, the
/// admin API, health checks, the tenant API, and `/metrics` on its own listener.
struct DemoApplication {
    /// A startup failure, worded for the operator and naming the flag to change.
    struct StartupError: Error, CustomStringConvertible {
        var description: String
    }

    let options: DemoOptions

    /// The resources database sits beside the config database (`demo.sqlite` -> `demo-data.sqlite`):
    /// each file has its own schema version, so the two stores cannot share one.
    static func dataPath(for database: String) -> String {
        let base = database.hasSuffix(".sqlite") ? String(database.dropLast(".sqlite".count)) : database
        return base + "-data.sqlite"
    }

    /// Starts everything, prints the addresses, serves until SIGINT or SIGTERM, then drains and returns.
    /// - Throws: ``StartupError`` naming the flag when a port is taken or a database cannot be opened.
    func run() async throws {
        let adminToken = options.adminToken ?? Self.generateToken()
        let metrics = try TenantMetrics()
        let requestLog = RequestLog()
        let observers = TenancyObservers([metrics, requestLog, AuditLog()])

        let configStore: SQLiteTenantConfigStore
        let resources: ResourceStore
        do {
            configStore = try SQLiteTenantConfigStore(path: options.database)
        } catch {
            throw StartupError(description: "--database \(options.database): \(error.message)")
        }
        do {
            resources = try ResourceStore(path: Self.dataPath(for: options.database), observers: observers)
        } catch {
            configStore.close()
            throw StartupError(description: "--database \(Self.dataPath(for: options.database)): \(error.message)")
        }
        defer {
            resources.close()
            configStore.close()
        }

        let quotaStore = InMemoryQuotaStore()
        let quota = QuotaEnforcer(store: quotaStore)
        let gate = AdmissionGate(
            store: configStore, quota: quota, observers: observers,
            configuration: .init(tokenEstimator: DemoRoutes.estimatedTokens))
        let admin = TenantAdminService(store: configStore, quota: quota, observers: observers)

        let router = try makeRouter(
            gate: gate, admin: admin, adminToken: adminToken, observers: observers, requestLog: requestLog,
            configStore: configStore, quota: quota, resources: resources)

        let server: HTTPServer
        let listener: MetricsListener
        do {
            // Handlers make synchronous SQLite calls: run them on the global executor, so a slow disk stalls
            // one request, not every connection of an event loop.
            server = try HTTPServer(
                configuration: .init(host: options.host, port: options.port, handlerExecution: .globalExecutor),
                handler: router.handler)
            try server.start()
        } catch {
            throw StartupError(description: "--host \(options.host) --port \(options.port): \(error.message)")
        }
        do {
            listener = try MetricsListener(
                registry: metrics.registry, configuration: .init(host: options.metricsHost, port: options.metricsPort))
            try listener.start()
        } catch {
            server.shutdown()
            throw StartupError(
                description: "--metrics-host \(options.metricsHost) --metrics-port \(options.metricsPort): \(error.message)")
        }

        Console.line("tenancy-demo api http://\(server.localAddress ?? "?")")
        Console.line("tenancy-demo metrics http://\(listener.localAddress ?? "?")/metrics")
        if options.adminToken == nil {
            // On standard error, apart from the request log that log shippers collect.
            Console.error("tenancy-demo admin-token \(adminToken)")
        }
        Console.line("tenancy-demo ready: tenants and resources in \(options.database); SIGINT or SIGTERM to stop")

        let signal = await TerminationSignal.wait()
        Console.line("tenancy-demo: signal \(signal), draining")
        await Task.detached {
            server.shutdown(deadline: .now + .seconds(10))
            listener.stop()
        }.value
        Console.line("tenancy-demo: stopped")
    }

    private func makeRouter(
        gate: AdmissionGate, admin: TenantAdminService, adminToken: String, observers: TenancyObservers,
        requestLog: RequestLog, configStore: SQLiteTenantConfigStore, quota: QuotaEnforcer, resources: ResourceStore
    ) throws -> Router {
        // The request ID first, so the log line carries it; recovery inside the log, so a crash is logged as 500.
        var router = Router(middleware: [RequestIDMiddleware(), requestLog, RecoveryMiddleware()])
        let probeTenant = TenantID(validating: "readyz.probe")
        try HealthRoutes(probes: [
            ReadinessProbe(name: "config_store") { _ = try configStore.list(after: nil, limit: 1) },
            ReadinessProbe(name: "quota_store") {
                guard let probeTenant else { return }
                _ = try await quota.usage(of: probeTenant, under: QuotaConfig(limits: [QuotaLimit(window: .second, requests: 1)]))
            },
            ReadinessProbe(name: "resource_store") { try resources.probe() },
        ]) { component, error in
            Console.error("tenancy-demo: readiness probe \(component) \(error.map { "failed: \($0)" } ?? "timed out")")
        }.register(on: &router)
        try AdminRoutes(service: admin).register(on: &router, middleware: [BearerAuthMiddleware(realm: "tenancy-admin", tokens: [adminToken: Principal(subject: "admin", tenant: nil)])])

        let routes = DemoRoutes(resources: resources)
        let completion = RequestCompletionMiddleware(observers: observers)
        try router.group("/api/v1", middleware: [completion, TenantMiddleware(gate: gate)]) { api in
            try api.get("/ping") { try routes.ping($0) }
            try api.get("/resources") { try routes.listResources($0) }
            try api.post("/resources") { try routes.createResource($0) }
            try api.get("/resources/{id}") { try routes.resource($0) }
            try api.delete("/resources/{id}") { try routes.deleteResource($0) }
        }
        // The model endpoint declares that it needs a model: a request without X-Model is denied, even when
        // the tenant's allow-list is empty, instead of slipping past the model policy.
        try router.group("/api/v1/chat", middleware: [completion, TenantMiddleware(gate: gate, requirements: .model)]) {
            chat in
            try chat.post("/completions") { try routes.chatCompletion($0) }
        }
        return router
    }

    /// 32 random bytes in hex.
    static func generateToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}
