import Foundation
import Testing

@testable import Tenancy

@Suite struct SystemClockTests {
    @Test func readsTheSameTimeAsFoundationWithinASecond() {
        let before = Date().timeIntervalSince1970
        let now = SystemClock().now
        let after = Date().timeIntervalSince1970
        let seconds = Double(now.nanosecondsSinceEpoch) / 1e9
        #expect(seconds >= before - 1)
        #expect(seconds <= after + 1)
    }

    @Test func isATenancyClock() {
        let clock: any TenancyClock = SystemClock()
        #expect(clock.now > Timestamp(year: 2025, month: 1, day: 1))
    }

    @Test(arguments: [SystemClock.Resolution.precise, .coarse])
    func bothResolutionsReadTheSameTimeAsFoundationWithinASecond(_ resolution: SystemClock.Resolution) {
        let before = Date().timeIntervalSince1970
        let now = SystemClock(resolution: resolution).now
        let after = Date().timeIntervalSince1970
        let seconds = Double(now.nanosecondsSinceEpoch) / 1e9
        #expect(SystemClock(resolution: resolution).resolution == resolution)
        #expect(seconds >= before - 1)
        #expect(seconds <= after + 1)
    }

    @Test func theCoarseClockNeverRunsAheadOfThePreciseOne() {
        for _ in 0..<1_000 {
            let coarse = SystemClock.coarse.now
            let precise = SystemClock.precise.now
            #expect(coarse <= precise)
        }
    }
}
