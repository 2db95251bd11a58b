import Foundation
import Synchronization

/// `GET /healthz` (the process answers) and `GET /readyz` (every dependency answers too), for load balancers
/// and orchestrators. Neither passes the tenant middleware: register them outside the tenant group.
///
/// `/healthz` is always `200 {"status":"ok"}`. `/readyz` runs every probe concurrently, each within
/// ``timeout``, and answers `200 {"status":"ready","checks":{"config_store":"ok",...}}`, or `503` with
/// `"status":"not_ready"` and the failing components named with their error, e.g.
/// `"config_store":"failed: database is locked"` or `"quota_store":"timed out after 2 s"`.
public struct HealthRoutes: Sendable {
    /// What `/readyz` checks.
    public var probes: [ReadinessProbe]
    /// How long one probe may take before it counts as failed.
    public var timeout: Duration

    /// Creates the routes.
    /// - Parameters:
    ///   - probes: What `/readyz` checks; none means ready whenever the process answers.
    ///   - timeout: How long one probe may take; 2 seconds by default.
    public init(probes: [ReadinessProbe] = [], timeout: Duration = .seconds(2)) {
        self.probes = probes
        self.timeout = timeout
    }

    /// Registers `/healthz` and `/readyz`.
    /// - Parameter builder: The router or group to register on.
    /// - Throws: ``HTTPError`` when a route conflicts with one already registered.
    public func register(on builder: inout some RouteBuilder) throws(HTTPError) {
        try builder.get("/healthz") { _ in try .json(["status": "ok"]) }
        try builder.get("/readyz") { _ in try await readiness() }
    }

    /// The `/readyz` answer.
    func readiness() async throws(HTTPError) -> HTTPResponse {
        let timeout = timeout
        let results = await withTaskGroup(of: (String, String).self) { group in
            for probe in probes {
                group.addTask { (probe.name, await Self.run(probe, timeout: timeout)) }
            }
            var results: [String: String] = [:]
            for await (name, result) in group { results[name] = result }
            return results
        }
        let ready = results.values.allSatisfy { $0 == "ok" }
        let body = Readiness(status: ready ? "ready" : "not_ready", checks: results)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return try .json(body, status: ready ? .ok : .serviceUnavailable, encoder: encoder)
    }

    private struct Readiness: Encodable {
        var status: String
        var checks: [String: String]
    }

    /// `ok`, or why the probe failed. The probe runs in a task of its own, so one that ignores cancellation
    /// and hangs still cannot hold `/readyz` past the timeout.
    private static func run(_ probe: ReadinessProbe, timeout: Duration) async -> String {
        await withCheckedContinuation { (continuation: CheckedContinuation<String, Never>) in
            let answered = Atomic<Bool>(false)
            let answer: @Sendable (String) -> Void = { result in
                if answered.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged {
                    continuation.resume(returning: result)
                }
            }
            let check = Task {
                do {
                    try await probe.check()
                    answer("ok")
                } catch {
                    answer("failed: \(String(describing: error).prefix(200))")
                }
            }
            Task {
                try? await Task.sleep(for: timeout)
                answer("timed out after \(timeout)")
                check.cancel()
            }
        }
    }
}
