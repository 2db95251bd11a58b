import Testing

@testable import Tenancy

/// The gate's steps run apart (one HTTP middleware each) decide exactly as `admit` does.
extension AdmissionGateTests {
    @Test func resolveTenantReturnsTheConfigOfAKnownTenant() async throws {
        guard case .proceed(let config) = await gate().resolveTenant(request("acme")) else {
            Issue.record("not resolved")
            return
        }
        #expect(config.id == .valid("acme"))
        #expect(observer.resolutions.map(\.result) == [.resolved])
    }

    @Test func resolveTenantDecidesMissingAsRejectedOrAllowed() async throws {
        guard case .decided(let rejected) = await gate().resolveTenant(request(nil)) else {
            Issue.record("not decided")
            return
        }
        #expect(rejected.rejection?.code == .tenantRequired)
        guard case .decided(let allowed) = await gate(.init(allowMissingTenant: true)).resolveTenant(request(nil)) else {
            Issue.record("not decided")
            return
        }
        #expect(allowed.admitted?.tenant == nil)
    }

    @Test func checkPolicyReturnsNilWhenAllowedAndTheRejectionWhenDenied() throws {
        let config = try #require(store.config(for: .valid("acme")))
        #expect(gate().checkPolicy(request("acme"), config: config) == nil)
        let denial = try #require(gate().checkPolicy(request("acme", method: "DELETE"), config: config))
        #expect(denial.status == 403)
        #expect(denial.code == .tenantPolicyDenied)
        #expect(observer.policies.count == 2)
    }

    @Test func costReadsTheTokenHeaderAndRejectsANegativeCount() throws {
        let config = try #require(store.config(for: .valid("acme")))
        let counted = request("acme", headers: [HeaderField("X-Token-Count", "7")])
        guard case .proceed(let cost) = gate().cost(of: counted, config: config) else {
            Issue.record("no cost")
            return
        }
        #expect(cost == QuotaCost(requests: 1, tokens: 7))
        guard case .decided(let bad) = gate().cost(of: request("acme"), config: config, tokens: -1) else {
            Issue.record("not decided")
            return
        }
        #expect(bad.rejection?.code == .invalidTokenCount)
    }

    @Test func consumeQuotaAdmitsUntilTheLimitThenRejects() async throws {
        let config = try #require(store.config(for: .valid("acme")))
        let gate = gate()
        for _ in 0..<3 { #expect(await gate.consumeQuota(QuotaCost(requests: 1), config: config).admitted != nil) }
        let rejection = try #require(await gate.consumeQuota(QuotaCost(requests: 1), config: config).rejection)
        #expect(rejection.status == 429)
        #expect(observer.quotas.map(\.outcome) == [.allowed, .allowed, .allowed, .rejected(.requests)])
    }
}
