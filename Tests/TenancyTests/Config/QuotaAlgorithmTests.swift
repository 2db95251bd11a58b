import Testing

@testable import Tenancy

@Suite struct QuotaAlgorithmTests {
    @Test func spellsAlgorithmsAsTheAdminAPIDoes() {
        #expect(QuotaAlgorithm.allCases.map(\.rawValue) == ["fixed_window", "sliding_window", "token_bucket"])
    }
}
