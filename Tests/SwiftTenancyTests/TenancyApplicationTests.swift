import Foundation
import SwiftTenancy
import TenancyTestSupport
import Testing

/// The one-line integration through the umbrella module alone: a SQLite store, the tenant stack, the HTTP
/// server and the `/metrics` listener, over real sockets and a real database file.
@Suite struct TenancyApplicationTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tenancy-app-\(UUID().uuidString)").path
    let store: SQLiteTenantConfigStore

    init() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        store = try SQLiteTenantConfigStore(path: directory + "/tenants.sqlite")
        _ = try store.upsert(
            TenantConfig(id: TenantID("acme"), quota: QuotaConfig(limits: [QuotaLimit(window: .hour, requests: 1)])),
            condition: .always)
    }

    private func application(metrics: TenantMetrics.Configuration? = .init()) throws -> TenancyApplication {
        var app = try TenancyApplication(
            store: store, metrics: metrics, server: .init(port: 0, eventLoops: 1), metricsListener: .init(port: 0))
        try app.router.get("/healthz") { _ in .text("ok") }
        try app.tenantRoutes("/api/v1") { api in
            try api.get("/ping") { request in .text("pong \(request.tenant?.rawValue ?? "-") \(TenantContext.current?.rawValue ?? "-")") }
        }
        return app
    }

    private func get(_ path: String, port: Int, _ headers: [String] = []) throws -> RawHTTPClient.Response {
        try RawHTTPClient.request("GET", path, port: port, headers: headers + ["Connection: close"])
    }

    @Test func servesTenantRoutesBehindTheGateAndMetricsBesideTheServer() throws {
        let service = try application().build()
        try service.start()
        defer {
            service.shutdown()
            store.close()
            try? FileManager.default.removeItem(atPath: directory)
        }
        let port = try #require(service.server.port)
        #expect(try get("/healthz", port: port).text == "ok")
        #expect(try get("/api/v1/ping", port: port).status == 401)
        let admitted = try get("/api/v1/ping", port: port, ["X-Tenant-ID: acme"])
        #expect(admitted.text == "pong acme acme")
        #expect(admitted.header("X-Request-ID") != nil)
        #expect(try get("/api/v1/ping", port: port, ["X-Tenant-ID: acme"]).status == 429)

        let metricsPort = try #require(service.metricsListener?.port)
        let scrape = try RawHTTPClient.request("GET", "/metrics", port: metricsPort).text
        #expect(scrape.contains("tenancy_requests_total{tenant_id=\"acme\",outcome=\"allowed\"} 1"))
        #expect(scrape.contains("tenancy_requests_total{tenant_id=\"acme\",outcome=\"quota_rejected\"} 1"))
        #expect(scrape.contains("tenancy_resolutions_total{source=\"none\",result=\"missing\"} 1"))
    }

    @Test func withoutMetricsThereIsNoListener() throws {
        let app = try application(metrics: nil)
        #expect(app.metrics == nil)
        #expect(app.metricsListener == nil)
        #expect(try app.build().metricsListener == nil)
        store.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    @Test func aServerThatCannotBindLeavesNothingRunning() throws {
        let first = try application().build()
        try first.start()
        defer {
            first.shutdown()
            store.close()
            try? FileManager.default.removeItem(atPath: directory)
        }
        var taken = try application()
        taken.server.port = try #require(first.server.port)
        let second = try taken.build()
        #expect(throws: HTTPError.self) { try second.start() }
        #expect(second.metricsListener?.port == nil)
    }

    @Test func runReturnsWhenTheTaskIsCancelled() async throws {
        let app = try application()
        let task = Task { try await app.run() }
        task.cancel()
        try await task.value
        store.close()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
