import Testing

@testable import Tenancy

@Suite struct SlidingWindowQuotaTests {
    let tenant: TenantID
    let clock = ManualClock(at: .minute(0))
    let store = InMemoryQuotaStore()
    let engine: SlidingWindowQuota
    let tenPerMinute = QuotaConfig.one(.slidingWindow, .minute, requests: 10)

    init() throws {
        tenant = try TenantID("acme")
        engine = SlidingWindowQuota(store: store, clock: clock)
    }

    @Test func admitsTheLimitInAWindowWithNoHistory() async throws {
        clock.set(.minute(0, second: 30))
        let admitted = try await engine.admitted(11, for: tenant, under: tenPerMinute)
        let decision = try await engine.consume(QuotaCost(), for: tenant, under: tenPerMinute)
        #expect(admitted == 10)
        #expect(decision.rejection == QuotaRejection(dimension: .requests, window: .minute, retryAfter: .seconds(36)))
    }

    /// Unlike a fixed window, the previous window's count still weighs right after the boundary: 10 calls at
    /// 00:59 leave no room at 01:00, and the 11th fits once a tenth of the previous window has slid out.
    @Test func doesNotAdmitTwiceTheLimitAcrossAWindowBoundary() async throws {
        clock.set(.minute(0, second: 59))
        let before = try await engine.admitted(10, for: tenant, under: tenPerMinute)
        clock.set(.minute(1))
        let eleventh = try await engine.consume(QuotaCost(), for: tenant, under: tenPerMinute)
        #expect(before == 10)
        #expect(eleventh.rejection == QuotaRejection(dimension: .requests, window: .minute, retryAfter: .seconds(6)))
    }

    @Test func halfwayThroughTheNextWindowAdmitsOnlyHalfTheLimit() async throws {
        clock.set(.minute(0, second: 59))
        _ = try await engine.admitted(10, for: tenant, under: tenPerMinute)
        clock.set(.minute(1, second: 30))
        let admitted = try await engine.admitted(6, for: tenant, under: tenPerMinute)
        #expect(admitted == 5)
    }

    @Test func admitsTheCallExactlyAtTheDerivedEarliestInstant() async throws {
        clock.set(.minute(0, second: 59))
        _ = try await engine.admitted(10, for: tenant, under: tenPerMinute)
        clock.set(.minute(1, second: 5, nanosecond: 999_999_999))
        let early = try await engine.consume(QuotaCost(), for: tenant, under: tenPerMinute)
        clock.set(.minute(1, second: 6))
        let onTime = try await engine.consume(QuotaCost(), for: tenant, under: tenPerMinute)
        #expect(early.retryAfter == .seconds(1))
        #expect(onTime.isAllowed)
        #expect(onTime.remainingRequests == 0)
    }

    /// With 7 per minute the earliest instant is 8.571428572 s into the window (the first nanosecond at which
    /// the weighted previous count drops to 6); Retry-After rounds it up to 9 s.
    @Test func roundsAFractionalEarliestInstantUpToWholeSeconds() async throws {
        let quota = QuotaConfig.one(.slidingWindow, .minute, requests: 7)
        clock.set(.minute(0, second: 30))
        _ = try await engine.admitted(7, for: tenant, under: quota)
        clock.set(.minute(1))
        let rejected = try await engine.consume(QuotaCost(), for: tenant, under: quota)
        clock.set(.minute(1, second: 8, nanosecond: 571_428_571))
        let justBefore = try await engine.consume(QuotaCost(), for: tenant, under: quota)
        clock.set(.minute(1, second: 8, nanosecond: 571_428_572))
        let justAfter = try await engine.consume(QuotaCost(), for: tenant, under: quota)
        #expect(rejected.retryAfter == .seconds(9))
        #expect(!justBefore.isAllowed)
        #expect(justAfter.isAllowed)
    }

    @Test func waitsForTheNextWindowWhenTheCurrentCountAloneLeavesNoRoom() async throws {
        clock.set(.minute(1, second: 30))
        _ = try await engine.admitted(10, for: tenant, under: tenPerMinute)
        clock.set(.minute(1, second: 45))
        let rejected = try await engine.consume(QuotaCost(), for: tenant, under: tenPerMinute)
        clock.set(.minute(2, second: 5, nanosecond: 999_999_999))
        let justBefore = try await engine.consume(QuotaCost(), for: tenant, under: tenPerMinute)
        clock.set(.minute(2, second: 6))
        let justAfter = try await engine.consume(QuotaCost(), for: tenant, under: tenPerMinute)
        #expect(rejected.retryAfter == .seconds(21))
        #expect(!justBefore.isAllowed)
        #expect(justAfter.isAllowed)
    }

    @Test func aCostOfTheWholeLimitWaitsUntilThePreviousWindowHasSlidOutCompletely() async throws {
        clock.set(.minute(0, second: 30))
        _ = try await engine.consume(QuotaCost(), for: tenant, under: tenPerMinute)
        clock.set(.minute(1, second: 45))
        let rejected = try await engine.consume(QuotaCost(requests: 10), for: tenant, under: tenPerMinute)
        #expect(rejected.retryAfter == .seconds(15))
    }

    @Test func roundsTheWeightedPreviousCountUp() async throws {
        _ = try await engine.admitted(3, for: tenant, under: tenPerMinute)
        // 50 of the previous window's 60 seconds still overlap: 3 * 50 / 60 = 2.5 counts as 3.
        clock.set(.minute(1, second: 10))
        let usage = try await engine.usage(of: tenant, under: tenPerMinute)
        let admitted = try await engine.admitted(8, for: tenant, under: tenPerMinute)
        #expect(usage.entries.map(\.remaining) == [7])
        #expect(admitted == 7)
    }

    @Test func thePreviousWindowWeighsUntilItsLastNanosecondHasSlidOut() async throws {
        _ = try await engine.admitted(10, for: tenant, under: tenPerMinute)
        clock.set(.minute(1, second: 59, nanosecond: 999_999_999))
        let lastInstant = try await engine.usage(of: tenant, under: tenPerMinute)
        clock.set(.minute(2))
        let slidOut = try await engine.usage(of: tenant, under: tenPerMinute)
        #expect(lastInstant.entries.map(\.remaining) == [9])
        #expect(slidOut.entries.map(\.remaining) == [10])
    }

    @Test func usageReportsTheWeightedEstimateWithoutConsuming() async throws {
        let quota = QuotaConfig.one(.slidingWindow, .minute, requests: 20)
        _ = try await engine.admitted(10, for: tenant, under: quota)
        clock.set(.minute(1))
        _ = try await engine.admitted(2, for: tenant, under: quota)
        clock.set(.minute(1, second: 15))
        let first = try await engine.usage(of: tenant, under: quota)
        let second = try await engine.usage(of: tenant, under: quota)
        // ceil(10 * 45 / 60) = 8 from the previous window, 2 from this one.
        let expected = QuotaUsage.Entry(
            window: .minute, dimension: .requests, limit: 20, used: 10, remaining: 10, reset: .seconds(45))
        #expect(first == QuotaUsage(algorithm: .slidingWindow, entries: [expected]))
        #expect(second == first)
    }

    @Test func reportsResetAsTheTimeUntilTheCurrentWindowEnds() async throws {
        clock.set(.minute(0, second: 40, nanosecond: 1))
        let decision = try await engine.consume(QuotaCost(), for: tenant, under: tenPerMinute)
        #expect(decision.requests == QuotaDimensionStatus(window: .minute, limit: 10, remaining: 9, reset: .seconds(20)))
    }

    @Test func aRejectedCallConsumesNothingInAnyOtherWindow() async throws {
        let quota = QuotaConfig(
            algorithm: .slidingWindow,
            limits: [QuotaLimit(window: .minute, requests: 5), QuotaLimit(window: .hour, requests: 8)])
        clock.set(.minute(0, second: 30))
        _ = try await engine.admitted(5, for: tenant, under: quota)
        let rejected = try await engine.consume(QuotaCost(), for: tenant, under: quota)
        clock.set(.minute(2))
        let next = try await engine.consume(QuotaCost(), for: tenant, under: quota)
        #expect(rejected.rejection?.window == .minute)
        #expect(next.requests == QuotaDimensionStatus(window: .hour, limit: 8, remaining: 2, reset: .seconds(58 * 60)))
    }

    @Test(arguments: [(Int64(2026), Int64(28)), (2028, 29)])
    func slidesAMonthWindowFromJanuaryIntoFebruary(year: Int64, februaryDays: Int64) async throws {
        let quota = QuotaConfig.one(.slidingWindow, .month, requests: 100)
        clock.set(Timestamp(year: year, month: 1, day: 31, hour: 12))
        _ = try await engine.consume(QuotaCost(requests: 100), for: tenant, under: quota)
        clock.set(Timestamp(year: year, month: 2, day: 1))
        let rejected = try await engine.consume(QuotaCost(), for: tenant, under: quota)
        // A hundredth of February must slide by before one more call fits.
        #expect(rejected.retryAfter == .seconds(februaryDays * 86_400 / 100))
        #expect(rejected.requests?.reset == .seconds(februaryDays * 86_400))
    }

    @Test func weighsJanuaryByTheShareOfFebruaryNotYetElapsed() async throws {
        let quota = QuotaConfig.one(.slidingWindow, .month, requests: 100)
        clock.set(.utc("2026-01-10T00:00:00Z"))
        _ = try await engine.consume(QuotaCost(requests: 100), for: tenant, under: quota)
        clock.set(.utc("2026-02-15T12:00:00Z"))
        let usage = try await engine.usage(of: tenant, under: quota)
        // 13.5 of February's 28 days remain: ceil(100 * 13.5 / 28) = ceil(48.2) = 49.
        #expect(usage.entries.map(\.remaining) == [51])
    }

    @Test func forgetsCountsOlderThanThePreviousWindow() async throws {
        let quota = QuotaConfig.one(.slidingWindow, .day, requests: 10)
        clock.set(.utc("2026-03-10T23:59:59Z"))
        _ = try await engine.admitted(10, for: tenant, under: quota)
        clock.set(.utc("2026-03-12T00:00:00Z"))
        let admitted = try await engine.admitted(11, for: tenant, under: quota)
        #expect(admitted == 10)
    }

    @Test func aClockThatGoesBackwardsKeepsCountingInTheNewerWindow() async throws {
        clock.set(.minute(1, second: 10))
        _ = try await engine.admitted(10, for: tenant, under: tenPerMinute)
        clock.set(.minute(0, second: 50))
        let lagging = try await engine.consume(QuotaCost(), for: tenant, under: tenPerMinute)
        #expect(!lagging.isAllowed)
        #expect(lagging.remainingRequests == 0)
    }

    @Test func aLaggingCallerThatFitsIsCountedInTheNewerWindow() async throws {
        clock.set(.minute(1, second: 10))
        _ = try await engine.admitted(4, for: tenant, under: tenPerMinute)
        clock.set(.minute(0, second: 50))
        let lagging = try await engine.consume(QuotaCost(), for: tenant, under: tenPerMinute)
        clock.set(.minute(1, second: 20))
        let current = try await engine.usage(of: tenant, under: tenPerMinute)
        #expect(lagging.remainingRequests == 5)
        #expect(current.entries.map(\.used) == [5])
    }

    @Test func countsEachDimensionInItsOwnPairOfWindows() async throws {
        let quota = QuotaConfig.one(.slidingWindow, .minute, requests: 10, tokens: 600)
        _ = try await engine.consume(QuotaCost(requests: 4, tokens: 600), for: tenant, under: quota)
        clock.set(.minute(1, second: 30))
        _ = try await engine.consume(QuotaCost(requests: 1, tokens: 100), for: tenant, under: quota)
        let usage = try await engine.usage(of: tenant, under: quota)
        #expect(usage.entries.map(\.used) == [3, 400])
    }
}
