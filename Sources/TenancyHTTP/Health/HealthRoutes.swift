import Foundation
import Synchronization
import Tenancy

/// `GET /healthz` (the process answers) and `GET /readyz` (every dependency answers too), for load balancers
/// and orchestrators. Neither passes the tenant middleware: register them outside the tenant group.
///
/// `/healthz` is always `200 {"status":"ok"}`. `/readyz` runs every probe concurrently, each within
/// ``timeout``, and answers `200 {"status":"ready","checks":{"config_store":"ok",...}}`, or `503` with
/// `"status":"not_ready"` and the failing components named, e.g. `"config_store":"failed"` or
/// `"quota_store":"timed out"`; the errors themselves go to ``onFailure`` (for the logs), not to whoever
/// can reach `/readyz`.
public struct HealthRoutes: Sendable {
    /// What `/readyz` checks.
    public var probes: [ReadinessProbe]
    /// How long one probe may take before it counts as failed.
    public var timeout: Duration
    /// Told the component's name and the error (`nil` for a timeout) of every failed probe, for the logs.
    public var onFailure: (@Sendable (String, (any Error)?) -> Void)?

    /// Creates the routes.
    /// - Parameters:
    ///   - probes: What `/readyz` checks; none means ready whenever the process answers.
    ///   - timeout: How long one probe may take; 2 seconds by default.
    ///   - onFailure: Told the name and error of every failed probe (`nil` error for a timeout), for the
    ///     logs; the `/readyz` answer itself says only `failed` or `timed out`.
    public init(
        probes: [ReadinessProbe] = [], timeout: Duration = .seconds(2),
        onFailure: (@Sendable (String, (any Error)?) -> Void)? = nil
    ) {
        self.probes = probes
        self.timeout = timeout
        self.onFailure = onFailure
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
                group.addTask { (probe.name, await run(probe, timeout: timeout)) }
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

    /// `ok`, `failed` or `timed out`; the error itself goes to ``onFailure`` only, because `/readyz` is
    /// usually unauthenticated and an error can name files or hosts. The probe runs in a task of its own, so
    /// one that ignores cancellation and hangs still cannot hold `/readyz` past the timeout; whichever of the
    /// probe and the timer finishes first cancels the other.
    private func run(_ probe: ReadinessProbe, timeout: Duration) async -> String {
        let onFailure = onFailure
        return await withCheckedContinuation { (continuation: CheckedContinuation<String, Never>) in
            let answered = Atomic<Bool>(false)
            let tasks = Synchronized<[Task<Void, Never>]>([])
            let answer: @Sendable (String, (any Error)?) -> Void = { result, error in
                guard answered.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
                else { return }
                if result != "ok" { onFailure?(probe.name, error) }
                continuation.resume(returning: result)
                for task in tasks.withLock({ $0 }) { task.cancel() }
            }
            let check = Task {
                do {
                    try await probe.check()
                    answer("ok", nil)
                } catch {
                    answer("failed", error)
                }
            }
            let timer = Task {
                guard (try? await Task.sleep(for: timeout)) != nil else { return }
                answer("timed out", nil)
            }
            tasks.withLock { $0 = [check, timer] }
            if answered.load(ordering: .acquiring) {
                check.cancel()
                timer.cancel()
            }
        }
    }
}
