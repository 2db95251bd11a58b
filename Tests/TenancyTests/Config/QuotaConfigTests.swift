import Foundation
import Testing

@testable import Tenancy

@Suite struct QuotaConfigTests {
    @Test func isFixedWindowAndUnlimitedByDefault() {
        let quota = QuotaConfig()
        #expect(quota.algorithm == .fixedWindow)
        #expect(quota.limits.isEmpty)
        #expect(quota.isUnlimited)
        #expect(quota == .unlimited)
    }

    @Test(
        arguments: [
            ([], true),
            ([QuotaLimit(window: .minute)], true),
            ([QuotaLimit(window: .minute), QuotaLimit(window: .day, requests: 0, tokens: 0)], true),
            ([QuotaLimit(window: .minute, requests: 1)], false),
            ([QuotaLimit(window: .minute), QuotaLimit(window: .month, tokens: 1)], false),
        ] as [([QuotaLimit], Bool)]
    )
    func isUnlimitedOnlyWhenNoDimensionOfAnyLimitIsSet(_ limits: [QuotaLimit], _ unlimited: Bool) {
        #expect(QuotaConfig(algorithm: .slidingWindow, limits: limits).isUnlimited == unlimited)
    }

    @Test func decodesAnEmptyObjectAsUnlimitedFixedWindow() throws {
        #expect(try JSONDecoder().decode(QuotaConfig.self, from: Data("{}".utf8)) == .unlimited)
    }

    @Test func encodesAlgorithmAndLimits() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let quota = QuotaConfig(algorithm: .tokenBucket, limits: [QuotaLimit(window: .second, requests: 5)])
        #expect(
            String(decoding: try encoder.encode(quota), as: UTF8.self)
                == #"{"algorithm":"token_bucket","limits":[{"requests":5,"tokens":0,"window":"second"}]}"#
        )
    }
}
