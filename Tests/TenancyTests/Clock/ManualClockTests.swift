import Testing

@testable import Tenancy

@Suite struct ManualClockTests {
    static let start = Timestamp(year: 2026, month: 3, day: 10, hour: 10)

    @Test func standsStillAtItsStartTime() {
        let clock = ManualClock(at: Self.start)
        #expect(clock.now == Self.start)
        #expect(clock.now == Self.start)
    }

    @Test(arguments: [Timestamp(year: 2030, month: 1, day: 1), Timestamp(year: 1999, month: 12, day: 31)])
    func movesToTheTimeItIsSetToEvenBackwards(_ time: Timestamp) {
        let clock = ManualClock(at: Self.start)
        clock.set(time)
        #expect(clock.now == time)
    }

    @Test(arguments: [Duration.seconds(90), .nanoseconds(1), .milliseconds(-1_500), .zero])
    func advancesByADuration(_ duration: Duration) {
        let clock = ManualClock(at: Self.start)
        clock.advance(by: duration)
        #expect(clock.now == Self.start + duration)
    }

    @Test func accumulatesAdvances() {
        let clock = ManualClock(at: Self.start)
        clock.advance(by: .seconds(30))
        clock.advance(by: .seconds(30))
        #expect(clock.now == Self.start + .seconds(60))
    }

    @Test(arguments: [(Duration.seconds(Int64.max), Int64.max), (.seconds(Int64.min), .min)])
    func saturatesInsteadOfTrappingPastTheRepresentableRange(_ duration: Duration, _ expected: Int64) {
        let clock = ManualClock(at: Self.start)
        clock.advance(by: duration)
        clock.advance(by: duration)
        #expect(clock.now.nanosecondsSinceEpoch == expected)
    }

    @Test func countsEveryConcurrentAdvance() async {
        let clock = ManualClock(at: Self.start)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    for _ in 0..<1_000 { clock.advance(by: .milliseconds(1)) }
                }
            }
        }
        #expect(clock.now == Self.start + .seconds(8))
    }

    @Test func isATenancyClock() {
        let clock: any TenancyClock = ManualClock(at: Self.start)
        #expect(clock.now == Self.start)
    }
}
