import Tenancy
import Testing

@testable import TenancyMetrics

/// `TenantMetrics` behind a real `AdmissionGate`, with the completion event an HTTP layer reports.
@Suite struct TenantMetricsGateTests {
    let clock = ManualClock(at: Timestamp(secondsSinceEpoch: 1_772_366_415))
    let store: InMemoryTenantConfigStore
    let metrics: TenantMetrics
    let gate: AdmissionGate

    init() throws {
        store = InMemoryTenantConfigStore(clock: clock)
        _ = try store.upsert(
            TenantConfig(
                id: TenantID("acme"),
                quota: QuotaConfig(limits: [QuotaLimit(window: .minute, requests: 2, tokens: 100)]),
                policy: PolicyConfig(allowedModels: ["gpt-4o"])),
            condition: .always)
        _ = try store.upsert(TenantConfig(id: TenantID("free")), condition: .always)
        _ = try store.upsert(TenantConfig(id: TenantID("frozen"), status: .suspended), condition: .always)
        metrics = try TenantMetrics(configuration: .init(includeProcessMetrics: false), clock: clock)
        gate = AdmissionGate(
            store: store, quota: QuotaEnforcer(store: InMemoryQuotaStore(), clock: clock),
            observers: TenancyObservers([metrics]))
    }

    /// What an HTTP integration does: run the gate, then report the completion with the gate's outcome.
    @discardableResult
    func serve(
        _ tenant: String?, headers: [HeaderField] = [], duration: Duration = .milliseconds(3)
    ) async -> Admission {
        let tenantHeader = tenant.map { [HeaderField("X-Tenant-ID", $0)] } ?? []
        let head = RequestHead(target: "/api/v1/chat/completions", headers: tenantHeader + headers)
        let admission = await gate.admit(head)
        switch admission {
        case .admitted(let request):
            let outcome: RequestOutcome? = request.tenant == nil ? nil : .allowed
            metrics.requestCompleted(
                CompletionEvent(tenant: request.tenant, outcome: outcome, status: 200, duration: duration))
        case .rejected(let rejection):
            metrics.requestCompleted(
                CompletionEvent(
                    tenant: rejection.tenant, outcome: rejection.outcome, status: rejection.status, duration: duration))
        }
        return admission
    }

    @Test func everyDecisionOfTheGateLandsInTheContractFamilies() async throws {
        await serve("acme", headers: [HeaderField("X-Token-Count", "10")])
        await serve("acme", headers: [HeaderField("X-Model", "gpt-3")])
        await serve("acme", duration: .milliseconds(30))
        await serve("acme")
        await serve("free", headers: [HeaderField("X-Token-Count", "-5")])
        await serve("ghost")
        await serve("frozen")
        await serve(nil)
        await serve("bad id!")
        #expect(
            exposition(metrics.registry) == """
                # HELP tenancy_build_info A constant 1, labelled with the swift-tenancy version.
                # TYPE tenancy_build_info gauge
                tenancy_build_info{version="0.1.0"} 1
                # HELP tenancy_metrics_overflow_total Samples recorded under tenant_id="__other__" because the cap of 1000 distinct values was reached, by family.
                # TYPE tenancy_metrics_overflow_total counter
                tenancy_metrics_overflow_total{family="tenancy_policy_denials_total"} 0
                tenancy_metrics_overflow_total{family="tenancy_quota_rejections_total"} 0
                tenancy_metrics_overflow_total{family="tenancy_request_duration_seconds"} 0
                tenancy_metrics_overflow_total{family="tenancy_requests_total"} 0
                tenancy_metrics_overflow_total{family="tenancy_tokens_total"} 0
                # HELP tenancy_metrics_tenants_tracked Distinct tenant_id values currently tracked.
                # TYPE tenancy_metrics_tenants_tracked gauge
                tenancy_metrics_tenants_tracked 2
                # HELP tenancy_policy_denials_total Requests denied by the tenant's policy, by the check that failed.
                # TYPE tenancy_policy_denials_total counter
                tenancy_policy_denials_total{tenant_id="acme",reason="method"} 0
                tenancy_policy_denials_total{tenant_id="acme",reason="model"} 1
                tenancy_policy_denials_total{tenant_id="acme",reason="path"} 0
                tenancy_policy_denials_total{tenant_id="acme",reason="tool"} 0
                tenancy_policy_denials_total{tenant_id="free",reason="method"} 0
                tenancy_policy_denials_total{tenant_id="free",reason="model"} 0
                tenancy_policy_denials_total{tenant_id="free",reason="path"} 0
                tenancy_policy_denials_total{tenant_id="free",reason="tool"} 0
                # HELP tenancy_quota_rejections_total Requests rejected by the tenant's quota, by the dimension that was exhausted.
                # TYPE tenancy_quota_rejections_total counter
                tenancy_quota_rejections_total{tenant_id="acme",dimension="requests"} 1
                tenancy_quota_rejections_total{tenant_id="acme",dimension="tokens"} 0
                tenancy_quota_rejections_total{tenant_id="free",dimension="requests"} 0
                tenancy_quota_rejections_total{tenant_id="free",dimension="tokens"} 0
                # HELP tenancy_request_duration_seconds Duration of admitted requests, from the first middleware to the response written.
                # TYPE tenancy_request_duration_seconds histogram
                tenancy_request_duration_seconds_bucket{tenant_id="acme",le="0.005"} 1
                tenancy_request_duration_seconds_bucket{tenant_id="acme",le="0.01"} 1
                tenancy_request_duration_seconds_bucket{tenant_id="acme",le="0.025"} 1
                tenancy_request_duration_seconds_bucket{tenant_id="acme",le="0.05"} 2
                tenancy_request_duration_seconds_bucket{tenant_id="acme",le="0.1"} 2
                tenancy_request_duration_seconds_bucket{tenant_id="acme",le="0.25"} 2
                tenancy_request_duration_seconds_bucket{tenant_id="acme",le="0.5"} 2
                tenancy_request_duration_seconds_bucket{tenant_id="acme",le="1"} 2
                tenancy_request_duration_seconds_bucket{tenant_id="acme",le="2.5"} 2
                tenancy_request_duration_seconds_bucket{tenant_id="acme",le="5"} 2
                tenancy_request_duration_seconds_bucket{tenant_id="acme",le="10"} 2
                tenancy_request_duration_seconds_bucket{tenant_id="acme",le="+Inf"} 2
                tenancy_request_duration_seconds_sum{tenant_id="acme"} 0.033
                tenancy_request_duration_seconds_count{tenant_id="acme"} 2
                tenancy_request_duration_seconds_bucket{tenant_id="free",le="0.005"} 0
                tenancy_request_duration_seconds_bucket{tenant_id="free",le="0.01"} 0
                tenancy_request_duration_seconds_bucket{tenant_id="free",le="0.025"} 0
                tenancy_request_duration_seconds_bucket{tenant_id="free",le="0.05"} 0
                tenancy_request_duration_seconds_bucket{tenant_id="free",le="0.1"} 0
                tenancy_request_duration_seconds_bucket{tenant_id="free",le="0.25"} 0
                tenancy_request_duration_seconds_bucket{tenant_id="free",le="0.5"} 0
                tenancy_request_duration_seconds_bucket{tenant_id="free",le="1"} 0
                tenancy_request_duration_seconds_bucket{tenant_id="free",le="2.5"} 0
                tenancy_request_duration_seconds_bucket{tenant_id="free",le="5"} 0
                tenancy_request_duration_seconds_bucket{tenant_id="free",le="10"} 0
                tenancy_request_duration_seconds_bucket{tenant_id="free",le="+Inf"} 0
                tenancy_request_duration_seconds_sum{tenant_id="free"} 0
                tenancy_request_duration_seconds_count{tenant_id="free"} 0
                # HELP tenancy_requests_total Requests on tenant routes by how the tenant gate ended (allowed: the handler ran).
                # TYPE tenancy_requests_total counter
                tenancy_requests_total{tenant_id="acme",outcome="allowed"} 2
                tenancy_requests_total{tenant_id="acme",outcome="bad_request"} 0
                tenancy_requests_total{tenant_id="acme",outcome="error"} 0
                tenancy_requests_total{tenant_id="acme",outcome="policy_denied"} 1
                tenancy_requests_total{tenant_id="acme",outcome="quota_rejected"} 1
                tenancy_requests_total{tenant_id="free",outcome="allowed"} 0
                tenancy_requests_total{tenant_id="free",outcome="bad_request"} 1
                tenancy_requests_total{tenant_id="free",outcome="error"} 0
                tenancy_requests_total{tenant_id="free",outcome="policy_denied"} 0
                tenancy_requests_total{tenant_id="free",outcome="quota_rejected"} 0
                # HELP tenancy_resolutions_total Tenant resolutions by the strategy that found the value and how they ended.
                # TYPE tenancy_resolutions_total counter
                tenancy_resolutions_total{source="header",result="error"} 0
                tenancy_resolutions_total{source="header",result="invalid"} 1
                tenancy_resolutions_total{source="header",result="resolved"} 5
                tenancy_resolutions_total{source="header",result="suspended"} 1
                tenancy_resolutions_total{source="header",result="unknown"} 1
                tenancy_resolutions_total{source="none",result="missing"} 1
                # HELP tenancy_tokens_total Tokens consumed by requests the tenant's quota allowed.
                # TYPE tenancy_tokens_total counter
                tenancy_tokens_total{tenant_id="acme"} 10
                tenancy_tokens_total{tenant_id="free"} 0

                """)
    }

    @Test func unknownAndSuspendedTenantsNeverBecomeLabelValues() async throws {
        for index in 0..<50 { await serve("attacker-chosen-\(index)") }
        await serve("frozen")
        let text = exposition(metrics.registry)
        #expect(!text.contains("attacker"))
        #expect(!text.contains("frozen"))
        #expect(text.contains("tenancy_resolutions_total{source=\"header\",result=\"unknown\"} 50\n"))
        #expect(text.contains("tenancy_metrics_tenants_tracked 0\n"))
    }

    @Test func deletingATenantThroughTheAdminServiceRemovesItsSeries() async throws {
        await serve("acme")
        await serve("free")
        let admin = TenantAdminService(
            store: store, quota: QuotaEnforcer(clock: clock), observers: TenancyObservers([metrics]))
        _ = try await admin.delete(TenantID("free"))
        let text = exposition(metrics.registry)
        #expect(!text.contains("tenant_id=\"free\""))
        #expect(text.contains("tenant_id=\"acme\""))
        #expect(text.contains("tenancy_metrics_tenants_tracked 1\n"))
        #expect(metrics.registry.trackedValueCount == 1)
    }
}
