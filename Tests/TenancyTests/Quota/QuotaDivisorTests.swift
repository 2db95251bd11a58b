import Testing

@testable import Tenancy

/// ``QuotaDivisor`` must give exactly `/` and `%` for every non-negative dividend and positive divisor: random
/// values over the whole range, and the values where a reciprocal is most likely to be off by one.
@Suite struct QuotaDivisorTests {
    /// Divisors at the edges: small, powers of two and their neighbours, limits around 2^32 (where the rules
    /// switch packing), the largest limit, and the largest divisor.
    static let divisors: [Int64] = {
        var values: [Int64] = [1, 2, 3, 5, 6, 7, 10, 60, 600, 1_000, 3_600, 86_400, 1_000_000_000, 4_000_000_000]
        for bit in 1...62 {
            let power = Int64(1) << bit
            values += [power - 1, power, power + 1]
        }
        values += [Int64(UInt32.max), QuotaLimit.maximumValue, Int64.max - 1, .max]
        return values
    }()

    /// Multiples of the divisor and their neighbours, the ends of the range, and the products the token bucket
    /// divides (costs times window lengths).
    static func dividends(for divisor: Int64) -> [Int64] {
        var values: [Int64] = [0, 1, 2, divisor - 1, divisor, .max - 1, .max]
        if divisor < .max { values.append(divisor + 1) }
        for multiple: Int64 in [2, 3, 1_000, 1 << 20, 1 << 31, 1 << 32] {
            let (product, overflows) = divisor.multipliedReportingOverflow(by: multiple)
            guard !overflows else { continue }
            values += [product - 1, product]
            if product < .max { values.append(product + 1) }
        }
        let quotient = Int64.max / divisor
        values += [quotient * divisor - 1, quotient * divisor, .max - divisor + 1]
        for cost: Int64 in [1, 10, 4_000_000_000, QuotaLimit.maximumValue] {
            for window in QuotaWindow.allCases {
                let (product, overflows) = cost.multipliedReportingOverflow(by: window.nominalNanoseconds)
                if !overflows { values.append(product) }
            }
        }
        return values.filter { $0 >= 0 }
    }

    @Test func dividesBoundaryValuesExactly() {
        for divisor in Self.divisors {
            let plan = QuotaDivisor(divisor)
            for value in Self.dividends(for: divisor) {
                let (quotient, remainder) = plan.quotientAndRemainder(of: value)
                #expect(quotient == value / divisor && remainder == value % divisor, "\(value) / \(divisor)")
            }
        }
    }

    @Test func dividesRandomValuesExactly() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            // Divisors and dividends of every magnitude, not only large ones.
            let divisor = Int64.random(in: 1...(Int64.max >> Int64.random(in: 0...62, using: &generator)), using: &generator)
            let divider = QuotaDivisor(divisor)
            for _ in 0..<50 {
                let value = Int64.random(in: 0...(Int64.max >> Int64.random(in: 0...63, using: &generator)), using: &generator)
                let (quotient, remainder) = divider.quotientAndRemainder(of: value)
                #expect(quotient == value / divisor && remainder == value % divisor, "\(value) / \(divisor)")
                if quotient != value / divisor { return }
            }
        }
    }

    @Test func dividesByOneWhenTheSizeIsNotPositive() {
        #expect(QuotaDivisor(0).divisor == 1)
        #expect(QuotaDivisor(-5).quotientAndRemainder(of: 17) == (17, 0))
    }
}

@Suite struct SecondsRoundedUpTests {
    @Test(arguments: [
        Int64.min, -1_000_000_001, -1, 0, 1, 999_999_999, 1_000_000_000, 1_000_000_001, 59_999_999_999,
        1_767_225_630_123_456_789, Int64.max - 1_000_000_000, Int64.max - 1, Int64.max,
    ])
    func isTheSignedCeilingOfTheNonNegativePart(nanoseconds: Int64) {
        #expect(
            nanoseconds.secondsRoundedUpFromNanoseconds
                == max(0, nanoseconds).ceilDivided(by: Timestamp.nanosecondsPerSecond))
    }

    @Test func matchesTheSignedCeilingOnRandomValues() {
        for _ in 0..<100_000 {
            let value = Int64.random(in: .min ... .max) >> Int64.random(in: 0...63)
            #expect(value.secondsRoundedUpFromNanoseconds == max(0, value).ceilDivided(by: Timestamp.nanosecondsPerSecond))
        }
    }
}
