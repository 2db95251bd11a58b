import Foundation
import Testing

@testable import Tenancy

@Suite struct QuotaLimitTests {
    @Test func isUnlimitedInBothDimensionsByDefault() {
        let limit = QuotaLimit(window: .hour)
        #expect(limit.requests == 0)
        #expect(limit.tokens == 0)
    }

    @Test func returnsTheLimitOfEachDimension() {
        let limit = QuotaLimit(window: .day, requests: 3, tokens: 40)
        #expect(limit.limit(of: .requests) == 3)
        #expect(limit.limit(of: .tokens) == 40)
    }

    @Test func capsValuesAtTheLargestIntegerJSONRepresentsExactly() {
        #expect(QuotaLimit.maximumValue == 9_007_199_254_740_991)
        #expect(Int64(Double(QuotaLimit.maximumValue)) == QuotaLimit.maximumValue)
        #expect(Double(QuotaLimit.maximumValue + 2) == Double(QuotaLimit.maximumValue + 1))
    }

    @Test func decodesMissingDimensionsAsUnlimited() throws {
        let limit = try JSONDecoder().decode(QuotaLimit.self, from: Data(#"{"window":"month"}"#.utf8))
        #expect(limit == QuotaLimit(window: .month, requests: 0, tokens: 0))
    }

    @Test func requiresAWindow() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(QuotaLimit.self, from: Data(#"{"requests":1}"#.utf8))
        }
    }
}
