import Tenancy
import Testing

@testable import TenancyHTTP

/// Resolve, then policy, then quota: a denied request spends no quota, whether the steps run as one
/// middleware or three.
@Suite struct TenantMiddlewareOrderTests {
    let fixture: TenantFixture

    init() throws {
        fixture = try TenantFixture()
    }

    private func stacks() -> [[any Middleware]] {
        let gate = fixture.gate()
        return [
            [TenantMiddleware(gate: gate)],
            [TenantResolverMiddleware(gate: gate), TenantPolicyMiddleware(gate: gate), TenantQuotaMiddleware(gate: gate)],
        ]
    }

    @Test(arguments: [0, 1])
    func aDeniedRequestSpendsNoQuota(stack: Int) async throws {
        let handler = try fixture.handler(stacks()[stack])
        for _ in 0..<5 {
            #expect(try await send(handler, tenant: "acme", headers: [("X-Model", "gpt-5")]).status == .forbidden)
        }
        let allowed = try await send(handler, tenant: "acme", headers: [("X-Model", "gpt-4o")])
        #expect(allowed.status == .ok)
        #expect(allowed.headers["X-Quota-Remaining-Requests"] == "1")
        #expect(!fixture.log.all.contains { $0.hasPrefix("quota") && $0.contains("rejected") })
    }

    @Test(arguments: [0, 1])
    func bothStacksAnswerAlike(stack: Int) async throws {
        let handler = try fixture.handler(stacks()[stack])
        #expect(try await send(handler).status == .unauthorized)
        #expect(try await send(handler, tenant: "nobody").status == .forbidden)
        #expect(try await send(handler, tenant: "acme").text == "tenant=acme bound=acme")
        #expect(try await send(handler, tenant: "acme").status == .ok)
        #expect(try await send(handler, tenant: "acme").status == .tooManyRequests)
    }

    @Test func theCombinedMiddlewareTakesACustomOnRejected() async throws {
        let gate = fixture.gate()
        let handler = try fixture.handler([
            TenantMiddleware(gate: gate, onRejected: { _, rejection in .text(rejection.code.rawValue, status: .forbidden) })
        ])
        #expect(try await send(handler, tenant: "acme", headers: [("X-Model", "x")]).text == "tenant_policy_denied")
    }

    @Test func theCombinedMiddlewareAllowsAMissingTenantWhenConfigured() async throws {
        let handler = try fixture.handler([TenantMiddleware(gate: fixture.gate(.init(allowMissingTenant: true)))])
        #expect(try await send(handler).text == "tenant=- bound=-")
    }

    @Test func theCombinedMiddlewareChargesTheRoutesTokenCount() async throws {
        let handler = try fixture.handler([TenantMiddleware(gate: fixture.gate(), requirements: [.model], tokens: { _ in 60 })])
        let response = try await send(handler, tenant: "acme", headers: [("X-Model", "gpt-4o")])
        #expect(response.headers["X-Quota-Remaining-Tokens"] == "40")
    }

    @Test func stepsAfterTheCombinedMiddlewarePassWithoutChargingTwice() async throws {
        let gate = fixture.gate()
        let handler = try fixture.handler([TenantMiddleware(gate: gate), TenantQuotaMiddleware(gate: gate)])
        let response = try await send(handler, tenant: "acme")
        #expect(response.headers.values(for: "X-Quota-Remaining-Requests") == ["1"])
    }

    @Test func nestedTenantMiddlewareChargesOnceAndStillChecksTheInnerRequirement() async throws {
        let gate = fixture.gate()
        var router = Router()
        try router.group("/api", middleware: [TenantMiddleware(gate: gate)]) { api in
            try api.group("/chat", middleware: [TenantMiddleware(gate: gate, requirements: .model)]) { chat in
                try chat.post("/completions", echoTenant)
            }
        }
        let handler = router.handler
        let allowed = try await send(handler, .post, "/api/chat/completions", tenant: "acme", headers: [("X-Model", "gpt-4o")])
        #expect(allowed.status == .ok)
        #expect(allowed.headers.values(for: "X-Quota-Remaining-Requests") == ["1"])
        let denied = try await send(handler, .post, "/api/chat/completions", tenant: "acme")
        #expect(denied.status == .forbidden)
        #expect(denied.problemCode == "tenant_policy_denied")
    }

    @Test func aPolicyStepAfterTheCombinedMiddlewareStillDenies() async throws {
        let gate = fixture.gate()
        let handler = try fixture.handler([TenantMiddleware(gate: gate), TenantPolicyMiddleware(gate: gate, requirements: .model)])
        #expect(try await send(handler, tenant: "acme").problemCode == "tenant_policy_denied")
        #expect(try await send(handler, tenant: "acme", headers: [("X-Model", "gpt-4o")]).status == .ok)
    }

    @Test func theCombinedMiddlewareAfterAResolverChecksAndChargesOnce() async throws {
        let gate = fixture.gate()
        let handler = try fixture.handler([TenantResolverMiddleware(gate: gate), TenantMiddleware(gate: gate, requirements: .model)])
        #expect(try await send(handler, tenant: "acme").problemCode == "tenant_policy_denied")
        let allowed = try await send(handler, tenant: "acme", headers: [("X-Model", "gpt-4o")])
        #expect(allowed.text == "tenant=acme bound=acme")
        #expect(allowed.headers.values(for: "X-Quota-Remaining-Requests") == ["1"])
    }

    @Test func theCombinedMiddlewarePassesARequestWithoutATenantThatAnOuterResolverAllowed() async throws {
        let gate = fixture.gate(.init(allowMissingTenant: true))
        let handler = try fixture.handler([TenantResolverMiddleware(gate: gate), TenantMiddleware(gate: gate)])
        #expect(try await send(handler).text == "tenant=- bound=-")
    }

    @Test func aRequestMarkedResolvedWithoutAConfigPassesOnUnchanged() async throws {
        // Not reachable through the public steps; the middleware must still not invent a tenant.
        var request = try HTTPRequest.make(.get, "/api/x")
        request.tenantStage = .resolved
        let response = try await TenantMiddleware(gate: fixture.gate()).respond(to: request, next: echoTenant)
        #expect(response.text == "tenant=- bound=-")
    }

    @Test func aResolverBehindTheCombinedMiddlewareNeitherResolvesNorChargesAgain() async throws {
        let gate = fixture.gate()
        var router = Router(middleware: [TenantMiddleware(gate: gate)])
        try router.group("/api", middleware: [TenantResolverMiddleware(gate: gate), TenantQuotaMiddleware(gate: gate)]) {
            api in try api.get("/x", echoTenant)
        }
        let response = try await send(router.handler, tenant: "acme")
        #expect(response.text == "tenant=acme bound=acme")
        #expect(response.headers.values(for: "X-Quota-Remaining-Requests") == ["1"])
        #expect(fixture.log.all.filter { $0.hasPrefix("resolve") }.count == 1)
    }

    @Test func aQuotaStepWithoutAPolicyStepChecksThePolicyBeforeCharging() async throws {
        let gate = fixture.gate()
        let handler = try fixture.handler([TenantResolverMiddleware(gate: gate), TenantQuotaMiddleware(gate: gate)])
        for _ in 0..<3 {
            #expect(try await send(handler, tenant: "acme", headers: [("X-Model", "gpt-5")]).problemCode == "tenant_policy_denied")
        }
        let allowed = try await send(handler, tenant: "acme", headers: [("X-Model", "gpt-4o")])
        #expect(allowed.headers["X-Quota-Remaining-Requests"] == "1")
    }
}
