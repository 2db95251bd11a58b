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
}
