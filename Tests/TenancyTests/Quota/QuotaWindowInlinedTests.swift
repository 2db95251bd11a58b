import Testing

@testable import Tenancy

/// The rules' inlined window lookup must be ``QuotaWindow/window(containing:)`` and
/// ``QuotaWindow/window(index:)`` exactly, saturation at the representable range included.
@Suite struct QuotaWindowInlinedTests {
    static let instants: [Int64] = [
        .min, .min + 1, -86_400_000_000_001, -1, 0, 1, 59_999_999_999, 60_000_000_000, 1_767_225_630_123_456_789,
        .max - 1, .max,
    ]

    @Test(arguments: QuotaWindow.allCases)
    func windowContainingAnInstantIsTheCalendarWindow(window: QuotaWindow) {
        for instant in Self.instants {
            #expect(window.inlinedWindow(containing: instant) == window.window(containing: instant), "at \(instant)")
        }
    }

    @Test(arguments: QuotaWindow.allCases)
    func windowWithAnIndexIsTheCalendarWindow(window: QuotaWindow) {
        let indices: [Int64] = [.min, .min + 1, -1, 0, 1, 29_454_260, 9_223_372_036, 9_223_372_037, .max - 1, .max]
        for index in indices {
            #expect(window.inlinedWindow(index: index) == window.window(index: index), "index \(index)")
        }
    }

    @Test(arguments: QuotaWindow.allCases)
    func roundedUpDivisionByTheLengthIsTheSignedCeiling(window: QuotaWindow) {
        let length = window.nominalNanoseconds
        var values: [Int64] = [0, 1, length - 1, length, length + 1, 3 * length, .max - length, .max - 1, .max]
        for _ in 0..<20_000 { values.append(Int64.random(in: 0 ... .max) >> Int64.random(in: 0...63)) }
        for value in values {
            #expect(window.dividingByNominalLengthRoundingUp(value) == value.ceilDivided(by: length), "\(value)")
        }
    }
}
