import Testing

@testable import Tenancy

@Suite struct TenancyEventsTests {
    static let acme = TenantID(validating: "acme")!

    /// `result` label values of `tenancy_resolutions_total` (plus `suspended` and `error`, docs/metrics.md).
    @Test func spellsResolutionResultsAsMetricLabels() {
        #expect(
            ResolutionResult.allCases.map(\.rawValue)
                == ["resolved", "missing", "invalid", "unknown", "suspended", "error"]
        )
    }

    /// `outcome` label values of `tenancy_requests_total`, exactly as DESIGN.md lists them.
    @Test func spellsRequestOutcomesAsMetricLabels() {
        #expect(
            RequestOutcome.allCases.map(\.rawValue) == [
                "allowed", "policy_denied", "quota_rejected", "bad_request", "error",
            ]
        )
    }

    @Test func spellsAdminActionsInSnakeCase() {
        #expect(
            AdminEvent.Action.allCases.map(\.rawValue) == [
                "created", "replaced", "quota_updated", "policy_updated", "deleted",
            ]
        )
    }

    @Test func keepsTheFieldsOfAResolutionEvent() {
        let event = ResolutionEvent(result: .missing, source: nil, tenant: nil)
        #expect(event.result == .missing)
        #expect(event.source == nil)
        #expect(event.tenant == nil)
    }

    @Test func keepsTheFieldsOfAPolicyEvent() {
        let event = PolicyEvent(tenant: Self.acme, decision: .denied(.tool, detail: "d"))
        #expect(event.tenant == Self.acme)
        #expect(event.decision == .denied(.tool, detail: "d"))
    }

    @Test func keepsTheFieldsOfAQuotaEvent() {
        let failure = TenancyError(.backendUnavailable, "down")
        let event = QuotaEvent(
            tenant: Self.acme,
            outcome: .backendError(failure),
            cost: QuotaCost(tokens: 5),
            decision: nil
        )
        #expect(event.outcome == .backendError(failure))
        #expect(event.outcome != .rejected(.tokens))
        #expect(event.cost == QuotaCost(requests: 1, tokens: 5))
        #expect(event.decision == nil)
    }

    @Test func keepsTheFieldsOfACompletionEvent() {
        let event = CompletionEvent(tenant: nil, outcome: nil, status: 401, duration: .microseconds(250))
        #expect(event.tenant == nil && event.outcome == nil)
        #expect(event.status == 401)
        #expect(event.duration == .microseconds(250))
    }

    @Test func keepsTheFieldsOfAnAdminEvent() {
        let event = AdminEvent(action: .deleted, tenant: Self.acme, version: 9, actor: "ops")
        #expect(event.action == .deleted)
        #expect(event.tenant == Self.acme)
        #expect(event.version == 9)
        #expect(event.actor == "ops")
    }
}
