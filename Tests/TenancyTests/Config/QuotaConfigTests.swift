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

@Suite struct QuotaConfigPlanTests {
    static let limits = [QuotaLimit(window: .minute, requests: 600, tokens: 100_000), QuotaLimit(window: .day, tokens: 7)]

    @Test func equalConfigsBuiltSeparatelyAreEqualAndHashAlike() {
        let first = QuotaConfig(algorithm: .slidingWindow, limits: Self.limits)
        let second = QuotaConfig(algorithm: .slidingWindow, limits: Self.limits)
        #expect(first == second)
        #expect(first.hashValue == second.hashValue)
        #expect(Set([first, second]).count == 1)
    }

    @Test func differsWhenTheAlgorithmOrALimitDiffers() {
        let quota = QuotaConfig(algorithm: .slidingWindow, limits: Self.limits)
        var other = quota
        other.algorithm = .tokenBucket
        #expect(other != quota)
        other = quota
        other.limits[1].tokens = 8
        #expect(other != quota)
    }

    @Test func aChangeThroughASetterRebuildsTheDerivedLayout() throws {
        var quota = QuotaConfig(algorithm: .fixedWindow, limits: [QuotaLimit(window: .minute, requests: 5)])
        let before = quota
        quota.limits.append(QuotaLimit(window: .hour, requests: 50))
        #expect(quota.plan.activeLimits.count == 2)
        #expect(try quota.plan.layout(FixedWindowRules.self).activeLimits == 2)
        #expect(try before.plan.layout(FixedWindowRules.self).activeLimits == 1)
        quota.limits[0].requests = -1
        #expect(throws: TenancyError.self) { try quota.plan.layout(FixedWindowRules.self) }
        quota.limits[0].requests = 0
        #expect(try quota.plan.layout(FixedWindowRules.self).activeLimits == 1)
        #expect(quota.plan.firstLimit.window == .hour)
    }

    @Test func aTenantConfigKeepsItsQuotaThroughOtherChanges() throws {
        let quota = QuotaConfig(algorithm: .tokenBucket, limits: Self.limits)
        var config = TenantConfig(id: try TenantID("acme"), quota: quota)
        config.metadata["plan"] = "pro"
        #expect(config.quota == quota)
        config.quota.limits.removeLast()
        #expect(config.quota.limits == [Self.limits[0]])
        #expect(config.quota.plan.activeLimits.count == 1)
    }

    @Test func roundTripsThroughJSON() throws {
        let quota = QuotaConfig(algorithm: .slidingWindow, limits: Self.limits)
        #expect(try JSONDecoder().decode(QuotaConfig.self, from: JSONEncoder().encode(quota)) == quota)
    }
}
