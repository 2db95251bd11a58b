import Testing

@testable import Tenancy

@Suite struct PolicyDecisionTests {
    @Test func anAllowedDecisionIsAllowed() {
        #expect(PolicyDecision.allowed.isAllowed)
    }

    @Test(arguments: PolicyDenialReason.allCases)
    func aDenialIsNotAllowed(_ reason: PolicyDenialReason) {
        #expect(!PolicyDecision.denied(reason, detail: "no").isAllowed)
    }

    /// The raw values are the `reason` label of `tenancy_policy_denials_total` and must never change.
    @Test func spellsReasonsAsTheMetricLabelValues() {
        #expect(PolicyDenialReason.allCases.map(\.rawValue) == ["model", "tool", "method", "path"])
    }

    @Test func decisionsWithDifferentDetailsDiffer() {
        #expect(PolicyDecision.denied(.model, detail: "a") != PolicyDecision.denied(.model, detail: "b"))
    }
}
