import Testing

@testable import Tenancy

@Suite struct TimestampTests {
    @Test(arguments: [
        (Int64(0), Int64(0)), (1_500_000_000, 1), (999_999_999, 0), (-1, -1), (-1_000_000_000, -1),
        (-1_000_000_001, -2),
        (.max, 9_223_372_036), (.min, -9_223_372_037),
    ])
    func roundsSecondsTowardsNegativeInfinity(_ nanoseconds: Int64, _ seconds: Int64) {
        #expect(Timestamp(nanosecondsSinceEpoch: nanoseconds).secondsSinceEpoch == seconds)
    }

    @Test(arguments: [Int64(0), 1, -1, 1_767_225_600, -9_223_372_036])
    func createsATimestampFromWholeSeconds(_ seconds: Int64) {
        let timestamp = Timestamp(secondsSinceEpoch: seconds)
        #expect(timestamp.nanosecondsSinceEpoch == seconds * 1_000_000_000)
        #expect(timestamp.secondsSinceEpoch == seconds)
    }

    @Test(arguments: [(Int64.max, Int64.max), (9_223_372_037, .max), (.min, .min), (-9_223_372_037, .min)])
    func saturatesSecondsOutsideTheRepresentableRange(_ seconds: Int64, _ nanoseconds: Int64) {
        #expect(Timestamp(secondsSinceEpoch: seconds).nanosecondsSinceEpoch == nanoseconds)
    }

    @Test func addsADuration() {
        let start = Timestamp(secondsSinceEpoch: 100)
        #expect(start + .milliseconds(1_500) == Timestamp(nanosecondsSinceEpoch: 101_500_000_000))
        #expect(start + .seconds(-200) == Timestamp(secondsSinceEpoch: -100))
        #expect(start + .zero == start)
    }

    @Test(arguments: [
        (Int64.max - 1, Duration.nanoseconds(2), Int64.max),
        (0, .seconds(Int64.max), .max),
        (.min + 1, .nanoseconds(-2), .min),
        (0, .seconds(Int64.min), .min),
        (-5, .seconds(Int64.max), .max),
    ])
    func saturatesAdditionAtTheRepresentableRange(_ start: Int64, _ duration: Duration, _ expected: Int64) {
        #expect((Timestamp(nanosecondsSinceEpoch: start) + duration).nanosecondsSinceEpoch == expected)
    }

    @Test func subtractsTimestampsIntoADuration() {
        let earlier = Timestamp(nanosecondsSinceEpoch: 1_000)
        let later = Timestamp(nanosecondsSinceEpoch: 2_500_001_000)
        #expect(later - earlier == .nanoseconds(2_500_000_000))
        #expect(earlier - later == .nanoseconds(-2_500_000_000))
    }

    @Test func subtractsTheEndsOfTimeExactly() {
        let last = Timestamp(nanosecondsSinceEpoch: .max)
        let first = Timestamp(nanosecondsSinceEpoch: .min)
        #expect(last - first == .nanoseconds(Int128(UInt64.max)))
        #expect(first - last == .nanoseconds(-Int128(UInt64.max)))
    }

    @Test func ordersByTime() {
        let times = [Int64(5), -3, 0, .max, .min].map { Timestamp(nanosecondsSinceEpoch: $0) }
        #expect(times.sorted().map(\.nanosecondsSinceEpoch) == [.min, -3, 0, 5, .max])
    }

    @Test func describesItselfInRFC3339() {
        let timestamp = Timestamp(nanosecondsSinceEpoch: 1_767_225_600_250_000_000)
        #expect(timestamp.description == "2026-01-01T00:00:00.25Z")
        #expect("\(timestamp)" == timestamp.rfc3339)
    }

    @Test(arguments: [
        (Int64(7), Int64(2), Int64(3)), (-7, 2, -4), (7, -2, -4), (-7, -2, 3), (6, 3, 2), (-6, 3, -2), (0, 5, 0),
        (.min, 1_000_000_000, -9_223_372_037), (.max, 1_000_000_000, 9_223_372_036),
    ])
    func floorDividesTowardsNegativeInfinity(_ value: Int64, _ divisor: Int64, _ expected: Int64) {
        #expect(value.floorDivided(by: divisor) == expected)
    }

    @Test(arguments: [
        (Int64(7), Int64(2), Int64(4)), (-7, 2, -3), (6, 3, 2), (-6, 3, -2), (0, 5, 0), (1, 1_000_000_000, 1),
        (7, -2, -3), (-7, -2, 4), (.min, 1_000_000_000, -9_223_372_036), (.max, 1_000_000_000, 9_223_372_037),
        (.min, 1, .min),
    ])
    func ceilDividesTowardsPositiveInfinity(_ value: Int64, _ divisor: Int64, _ expected: Int64) {
        #expect(value.ceilDivided(by: divisor) == expected)
    }

    @Test(arguments: [
        (Int64(1), Int64(2), Int64(3)), (.max, 1, .max), (.min, -1, .min), (.max, .max, .max), (.min, .min, .min),
        (.max, .min, -1),
    ])
    func addsWithSaturation(_ lhs: Int64, _ rhs: Int64, _ expected: Int64) {
        #expect(lhs.addingSaturated(rhs) == expected)
    }

    @Test(arguments: [
        (Int64(3), Int64(4), Int64(12)), (.max, 2, .max), (.max, -2, .min), (.min, 2, .min), (.min, -1, .max),
        (-3, -4, 12), (0, .min, 0),
    ])
    func multipliesWithSaturation(_ lhs: Int64, _ rhs: Int64, _ expected: Int64) {
        #expect(lhs.multipliedSaturated(by: rhs) == expected)
    }

    @Test(arguments: [
        (Duration.nanoseconds(1), Int64(1)), (.nanoseconds(-1), -1), (.seconds(2), 2_000_000_000),
        (.milliseconds(-1_500), -1_500_000_000), (.seconds(Int64.max), .max), (.seconds(Int64.min), .min),
        (.nanoseconds(Int64.max), .max), (.nanoseconds(Int64.min), .min), (.seconds(0.0000000015), 1),
        (.seconds(-0.0000000015), -1),
    ])
    func convertsADurationToWholeNanosecondsWithSaturation(_ duration: Duration, _ expected: Int64) {
        #expect(duration.wholeNanoseconds == expected)
    }
}
