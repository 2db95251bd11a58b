import Tenancy
import Testing

@testable import TenancyHTTP

@Suite struct HealthRoutesTests {
    struct Broken: Error, CustomStringConvertible {
        var description: String { "database is locked" }
    }

    private func handler(_ routes: HealthRoutes) throws -> HTTPHandler {
        var router = Router()
        try routes.register(on: &router)
        return router.handler
    }

    @Test func healthzAnswersWhateverTheProbesSay() async throws {
        let routes = HealthRoutes(probes: [ReadinessProbe(name: "db") { throw Broken() }])
        let response = try await send(handler(routes), .get, "/healthz")
        #expect(response.status == .ok)
        #expect(response.text == #"{"status":"ok"}"#)
    }

    @Test func readyzIsReadyWhenEveryProbePasses() async throws {
        let routes = HealthRoutes(probes: [ReadinessProbe(name: "config_store") {}, ReadinessProbe(name: "quota_store") {}])
        let response = try await send(handler(routes), .get, "/readyz")
        #expect(response.status == .ok)
        #expect(response.text == #"{"checks":{"config_store":"ok","quota_store":"ok"},"status":"ready"}"#)
    }

    @Test func readyzWithoutProbesIsReady() async throws {
        #expect(try await send(handler(HealthRoutes()), .get, "/readyz").status == .ok)
    }

    @Test func aFailingProbeMakesItNotReadyAndIsNamedButItsErrorOnlyGoesToTheLog() async throws {
        let failures = Synchronized<[String]>([])
        let routes = HealthRoutes(
            probes: [ReadinessProbe(name: "config_store") { throw Broken() }, ReadinessProbe(name: "quota_store") {}],
            onFailure: { name, error in failures.withLock { $0.append("\(name): \(error.map { "\($0)" } ?? "timeout")") } })
        let response = try await send(handler(routes), .get, "/readyz")
        #expect(response.status == .serviceUnavailable)
        #expect(response.text == #"{"checks":{"config_store":"failed","quota_store":"ok"},"status":"not_ready"}"#)
        #expect(failures.withLock { $0 } == ["config_store: database is locked"])
    }

    @Test func aProbeThatHangsIsCutOffAtTheTimeout() async throws {
        let routes = HealthRoutes(
            probes: [
                ReadinessProbe(name: "stuck") {
                    // Ignores cancellation on purpose: the route must not wait for it.
                    while true { try? await Task.sleep(for: .seconds(60)) }
                }
            ], timeout: .milliseconds(50))
        let response = try await send(handler(routes), .get, "/readyz")
        #expect(response.status == .serviceUnavailable)
        #expect(response.text == #"{"checks":{"stuck":"timed out"},"status":"not_ready"}"#)
    }
}
