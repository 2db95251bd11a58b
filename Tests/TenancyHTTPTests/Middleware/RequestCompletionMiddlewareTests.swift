import Tenancy
import TenancyMetrics
import Testing

@testable import TenancyHTTP

/// The completion middleware feeds `TenantMetrics` exactly as DESIGN.md counts requests.
@Suite struct RequestCompletionMiddlewareTests {
    let fixture: TenantFixture
    let metrics: TenantMetrics

    init() throws {
        fixture = try TenantFixture()
        metrics = try TenantMetrics()
    }

    private func handler(_ handler: @escaping HTTPResponder = echoTenant, clock: any Clock<Duration> = ContinuousClock())
        throws -> HTTPHandler
    {
        let gate = fixture.gate(observers: [metrics])
        return try fixture.handler(
            [RequestCompletionMiddleware(observers: gate.observers, clock: clock), TenantMiddleware(gate: gate)], handler)
    }

    private var exposition: String { String(decoding: metrics.registry.render(), as: UTF8.self) }

    private func requests(_ tenant: String, _ outcome: String) -> String? {
        exposition.split(separator: "\n").first {
            $0.hasPrefix("tenancy_requests_total{tenant_id=\"\(tenant)\",outcome=\"\(outcome)\"}")
        }.map(String.init)
    }

    @Test func anAdmittedRequestCountsAsAllowedWhateverTheHandlerAnswers() async throws {
        let handler = try handler { _ in .text("nope", status: .internalServerError) }
        #expect(try await send(handler, tenant: "acme").status == .internalServerError)
        #expect(requests("acme", "allowed") == "tenancy_requests_total{tenant_id=\"acme\",outcome=\"allowed\"} 1")
        #expect(fixture.log.all.last == "done acme allowed 500")
    }

    @Test func anAdmittedRequestWhoseHandlerThrowsCountsAsAllowedWith500() async throws {
        struct Broken: Error {}
        let handler = try handler { _ in throw Broken() }
        let response = try await send(handler, tenant: "acme")
        #expect(response.status == .internalServerError)
        #expect(fixture.log.all.last == "done acme allowed 500")
        #expect(requests("acme", "allowed")?.hasSuffix(" 1") == true)
    }

    @Test func aThrownClientErrorIsReportedWithItsStatus() async throws {
        let handler = try handler { request in .text("\(try request.decode([String: Int].self))") }
        #expect(try await send(handler, .post, tenant: "free", body: "{").status == .badRequest)
        #expect(fixture.log.all.last == "done free allowed 400")
    }

    @Test func refusalsCountWithTheGatesOutcome() async throws {
        let handler = try handler()
        _ = try await send(handler, tenant: "acme", headers: [("X-Model", "gpt-5")])
        for _ in 0..<3 { _ = try await send(handler, tenant: "acme") }
        _ = try await send(handler, tenant: "acme", headers: [("X-Token-Count", "-3")])
        #expect(requests("acme", "policy_denied")?.hasSuffix(" 1") == true)
        #expect(requests("acme", "allowed")?.hasSuffix(" 2") == true)
        #expect(requests("acme", "quota_rejected")?.hasSuffix(" 1") == true)
        #expect(requests("acme", "bad_request")?.hasSuffix(" 1") == true)
    }

    @Test func requestsWithoutAKnownTenantAreReportedButNeverLabelled() async throws {
        let handler = try handler()
        _ = try await send(handler, tenant: "nobody")
        _ = try await send(handler)
        #expect(fixture.log.all.filter { $0.hasPrefix("done") } == ["done - - 403", "done - - 401"])
        #expect(!exposition.contains("nobody"))
    }

    @Test func theDurationIsMeasuredOnTheInjectedClock() async throws {
        let clock = SteppingClock(step: .milliseconds(30))
        _ = try await send(try handler(clock: clock), tenant: "free")
        #expect(exposition.contains("tenancy_request_duration_seconds_bucket{tenant_id=\"free\",le=\"0.025\"} 0"))
        #expect(exposition.contains("tenancy_request_duration_seconds_bucket{tenant_id=\"free\",le=\"0.05\"} 1"))
        #expect(exposition.contains("tenancy_request_duration_seconds_sum{tenant_id=\"free\"} 0.03"))
    }
}

/// A clock whose every reading is `step` after the previous one.
final class SteppingClock: Clock {
    struct Instant: InstantProtocol {
        var offset: Duration
        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private let readings = Synchronized(Duration.zero)
    private let step: Duration

    init(step: Duration) { self.step = step }

    var now: Instant {
        Instant(offset: readings.withLock { reading in
            defer { reading += step }
            return reading
        })
    }

    var minimumResolution: Duration { .nanoseconds(1) }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {}
}
