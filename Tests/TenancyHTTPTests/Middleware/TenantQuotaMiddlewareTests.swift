import Tenancy
import Testing

@testable import TenancyHTTP

@Suite struct TenantQuotaMiddlewareTests {
    let fixture: TenantFixture

    init() throws {
        fixture = try TenantFixture()
    }

    private func handler(
        _ configuration: AdmissionGate.Configuration = .init(), tokens: (@Sendable (HTTPRequest) -> Int64?)? = nil,
        onRejected: RejectionResponder? = nil
    ) throws -> HTTPHandler {
        try fixture.handler(afterResolver: configuration) {
            TenantQuotaMiddleware(gate: $0, tokens: tokens, onRejected: onRejected)
        }
    }

    @Test func anUnlimitedTenantPassesWithoutRateLimitFields() async throws {
        let handler = try handler()
        for _ in 0..<5 {
            let response = try await send(handler, tenant: "free")
            #expect(response.status == .ok)
            #expect(!response.headers.contains("RateLimit"))
            #expect(!response.headers.contains("X-Quota-Remaining-Requests"))
        }
    }

    @Test func allowedResponsesCarryTheRateLimitFields() async throws {
        let response = try await send(try handler(), tenant: "acme", headers: [("X-Token-Count", "10")])
        #expect(response.status == .ok)
        #expect(response.headers["RateLimit-Policy"] == "\"minute\";q=2;w=60, \"minute-tokens\";q=100;qu=\"tokens\";w=60")
        #expect(response.headers["RateLimit"] == "\"minute\";r=1;t=45, \"minute-tokens\";r=90;t=45")
        #expect(response.headers["X-Quota-Remaining-Requests"] == "1")
        #expect(response.headers["X-Quota-Remaining-Tokens"] == "90")
        #expect(response.text == "tenant=acme bound=acme")
    }

    @Test func theRequestOverTheLimitIs429WithRetryAfterAndRateLimit() async throws {
        let handler = try handler()
        _ = try await send(handler, tenant: "acme")
        _ = try await send(handler, tenant: "acme")
        let response = try await send(handler, tenant: "acme")
        #expect(response.status == .tooManyRequests)
        #expect(response.problemCode == "tenant_quota_exceeded")
        #expect(response.headers["Retry-After"] == "45")
        #expect(response.headers["RateLimit"] == "\"minute\";r=0;t=45, \"minute-tokens\";r=100;t=45")
        #expect(response.headers["X-Quota-Remaining-Requests"] == "0")
    }

    @Test func aCostThatCanNeverFitIs429WithoutRetryAfter() async throws {
        let response = try await send(try handler(), tenant: "acme", headers: [("X-Token-Count", "101")])
        #expect(response.status == .tooManyRequests)
        #expect(!response.headers.contains("Retry-After"))
    }

    @Test func theTokenEstimatorChargesTheBodyWhenTheClientDeclaresLess() async throws {
        let handler = try handler(.init(tokenEstimator: HTTPAdmissionRequest.bodySizeEstimator(bytesPerToken: 4)))
        let body = String(repeating: "x", count: 41)
        let response = try await send(handler, .post, tenant: "acme", headers: [("X-Token-Count", "1")], body: body)
        #expect(response.headers["X-Quota-Remaining-Tokens"] == "89")
    }

    @Test func anExactTokenCountFromTheRouteIsCharged() async throws {
        let response = try await send(try handler(tokens: { $0.body.isEmpty ? nil : 30 }), .post, tenant: "acme", body: "{}")
        #expect(response.headers["X-Quota-Remaining-Tokens"] == "70")
    }

    @Test(arguments: ["-1", "ten", "1e3", " 5"])
    func aMalformedTokenCountIs400(count: String) async throws {
        let response = try await send(try handler(), tenant: "acme", headers: [("X-Token-Count", count)])
        #expect(response.status == .badRequest)
        #expect(response.problemCode == "invalid_token_count")
    }

    @Test func aCustomOnRejectedAnswersAndKeepsTheGatesFields() async throws {
        let handler = try handler(onRejected: { _, rejection in
            var response = HTTPResponse.text("slow down", status: HTTPStatus(code: rejection.status))
            for field in rejection.headers { try? response.headers.add(field.name, field.value) }
            return response
        })
        for _ in 0..<2 { _ = try await send(handler, tenant: "acme") }
        let response = try await send(handler, tenant: "acme")
        #expect(response.text == "slow down")
        #expect(response.status == .tooManyRequests)
        #expect(response.headers["Retry-After"] == "45")
    }

    @Test func hooksReportEveryQuotaDecision() async throws {
        let handler = try handler()
        for _ in 0..<3 { _ = try await send(handler, tenant: "acme") }
        #expect(
            fixture.log.all.filter { $0.hasPrefix("quota") } == [
                "quota acme allowed", "quota acme allowed", "quota acme rejected(Tenancy.QuotaDimension.requests)",
            ])
    }

    @Test func aFailingQuotaBackendIs503() async throws {
        fixture.quotaStore.setDown(true)
        let response = try await send(try handler(), tenant: "acme")
        #expect(response.status == .serviceUnavailable)
        #expect(response.problemCode == "tenant_backend_unavailable")
    }

    @Test func aFailingQuotaBackendAdmitsWhenFailOpenIsConfigured() async throws {
        fixture.quotaStore.setDown(true)
        let response = try await send(try handler(.init(failOpenOnQuotaBackendError: true)), tenant: "acme")
        #expect(response.status == .ok)
        #expect(response.text == "tenant=acme bound=acme")
        #expect(!response.headers.contains("RateLimit"))
    }

    @Test func withoutAResolverBeforeItEveryRequestIsRefused() async throws {
        let handler = try fixture.handler([TenantQuotaMiddleware(gate: fixture.gate())])
        #expect(try await send(handler, tenant: "acme").problemCode == "misconfigured")
    }
}
