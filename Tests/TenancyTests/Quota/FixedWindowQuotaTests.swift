import Testing

@testable import Tenancy

@Suite struct FixedWindowQuotaTests {
    let tenant: TenantID
    let clock = ManualClock(at: .minute(12, second: 30))
    let store = InMemoryQuotaStore()
    let engine: FixedWindowQuota
    let tenPerMinute = QuotaConfig.one(.fixedWindow, .minute, requests: 10)

    init() throws {
        tenant = try TenantID("acme")
        engine = FixedWindowQuota(store: store, clock: clock)
    }

    @Test func allowsCallsUpToTheLimitCountingRemainingDown() async throws {
        var remaining: [Int64] = []
        for _ in 0..<10 {
            remaining.append(try await engine.consume(QuotaCost(), for: tenant, under: tenPerMinute).remainingRequests)
        }
        #expect(remaining == [9, 8, 7, 6, 5, 4, 3, 2, 1, 0])
    }

    @Test func rejectsTheCallOverTheLimitWithRetryAfterUntilTheWindowEnds() async throws {
        _ = try await engine.admitted(10, for: tenant, under: tenPerMinute)
        let decision = try await engine.consume(QuotaCost(), for: tenant, under: tenPerMinute)
        #expect(decision.rejection == QuotaRejection(dimension: .requests, window: .minute, retryAfter: .seconds(30)))
        #expect(decision.requests == QuotaDimensionStatus(window: .minute, limit: 10, remaining: 0, reset: .seconds(30)))
    }

    @Test(arguments: [
        (Timestamp.minute(12, second: 30, nanosecond: 1), Duration.seconds(30)),
        (.minute(12, second: 58, nanosecond: 500_000_000), .seconds(2)),
        (.minute(12, second: 59, nanosecond: 999_999_999), .seconds(1)),
    ])
    func roundsRetryAfterUpToWholeSeconds(now: Timestamp, expected: Duration) async throws {
        clock.set(now)
        _ = try await engine.admitted(10, for: tenant, under: tenPerMinute)
        let decision = try await engine.consume(QuotaCost(), for: tenant, under: tenPerMinute)
        #expect(decision.retryAfter == expected)
    }

    @Test func aRejectionUnderASmallerLayoutKeepsTheLargerLayoutsCounts() async throws {
        // Four words (two limits) live partly outside the store's entry; one limit fits it in place.
        let twoLimits = QuotaConfig(
            algorithm: .fixedWindow,
            limits: [QuotaLimit(window: .minute, requests: 10), QuotaLimit(window: .hour, requests: 5)])
        let oneLimit = QuotaConfig.one(.fixedWindow, .minute, requests: 5)
        for _ in 0..<3 { _ = try await engine.consume(QuotaCost(), for: tenant, under: twoLimits) }
        let rejected = try await engine.consume(QuotaCost(requests: 6), for: tenant, under: oneLimit)
        let next = try await engine.consume(QuotaCost(), for: tenant, under: twoLimits)
        #expect(!rejected.isAllowed)
        #expect(next.requests?.window == .hour)
        #expect(next.remainingRequests == 1)
    }

    @Test func startsAFreshCountWhenTheNextWindowBegins() async throws {
        _ = try await engine.admitted(11, for: tenant, under: tenPerMinute)
        clock.set(.minute(13))
        let decision = try await engine.consume(QuotaCost(), for: tenant, under: tenPerMinute)
        #expect(decision.isAllowed)
        #expect(decision.requests == QuotaDimensionStatus(window: .minute, limit: 10, remaining: 9, reset: .seconds(60)))
    }

    /// The known weakness of fixed windows: a client that spends the limit in the last second of one window
    /// and again in the first second of the next is admitted twice the limit within two seconds.
    @Test func admitsTwiceTheLimitAcrossAWindowBoundary() async throws {
        clock.set(.minute(12, second: 59))
        let before = try await engine.admitted(10, for: tenant, under: tenPerMinute)
        clock.set(.minute(13))
        let after = try await engine.admitted(11, for: tenant, under: tenPerMinute)
        #expect(before + after == 20)
    }

    @Test func aRejectedCallConsumesNothingInAnyOtherWindow() async throws {
        let quota = QuotaConfig(
            algorithm: .fixedWindow,
            limits: [QuotaLimit(window: .minute, requests: 5), QuotaLimit(window: .hour, requests: 8)])
        _ = try await engine.admitted(5, for: tenant, under: quota)
        let rejected = try await engine.consume(QuotaCost(), for: tenant, under: quota)
        clock.set(.minute(13))
        let next = try await engine.consume(QuotaCost(), for: tenant, under: quota)
        #expect(rejected.rejection?.window == .minute)
        #expect(next.requests == QuotaDimensionStatus(window: .hour, limit: 8, remaining: 2, reset: .seconds(47 * 60)))
    }

    @Test func aCallRejectedOnTokensConsumesNoRequest() async throws {
        let quota = QuotaConfig.one(.fixedWindow, .minute, requests: 10, tokens: 100)
        _ = try await engine.consume(QuotaCost(tokens: 60), for: tenant, under: quota)
        let rejected = try await engine.consume(QuotaCost(tokens: 50), for: tenant, under: quota)
        let fits = try await engine.consume(QuotaCost(tokens: 40), for: tenant, under: quota)
        #expect(rejected.rejection?.dimension == .tokens)
        #expect(rejected.remainingRequests == 9)
        #expect(fits.remainingRequests == 8)
        #expect(fits.remainingTokens == 0)
    }

    @Test func reportsTheLimitWithTheFewestUnitsLeftAsBinding() async throws {
        let quota = QuotaConfig(
            algorithm: .fixedWindow,
            limits: [QuotaLimit(window: .minute, requests: 10), QuotaLimit(window: .hour, requests: 15)])
        let minuteBinds = try await engine.consume(QuotaCost(requests: 9), for: tenant, under: quota)
        clock.set(.minute(13))
        let hourBinds = try await engine.consume(QuotaCost(requests: 2), for: tenant, under: quota)
        #expect(minuteBinds.requests == QuotaDimensionStatus(window: .minute, limit: 10, remaining: 1, reset: .seconds(30)))
        #expect(hourBinds.requests == QuotaDimensionStatus(window: .hour, limit: 15, remaining: 4, reset: .seconds(47 * 60)))
    }

    @Test func theFirstOfEquallyTightLimitsIsBinding() async throws {
        let quota = QuotaConfig(
            algorithm: .fixedWindow,
            limits: [QuotaLimit(window: .hour, requests: 10), QuotaLimit(window: .minute, requests: 10)])
        let decision = try await engine.consume(QuotaCost(requests: 3), for: tenant, under: quota)
        #expect(decision.requests?.window == .hour)
        #expect(decision.remainingRequests == 7)
    }

    @Test func rejectsWithTheLimitThatFreesUpLast() async throws {
        let quota = QuotaConfig(
            algorithm: .fixedWindow,
            limits: [QuotaLimit(window: .minute, requests: 10), QuotaLimit(window: .hour, requests: 10)])
        _ = try await engine.admitted(10, for: tenant, under: quota)
        let decision = try await engine.consume(QuotaCost(), for: tenant, under: quota)
        #expect(decision.rejection == QuotaRejection(dimension: .requests, window: .hour, retryAfter: .seconds(47 * 60 + 30)))
    }

    @Test(arguments: [
        (QuotaWindow.second, Timestamp.utc("2026-03-10T10:12:30.25Z"), Timestamp.utc("2026-03-10T10:12:31Z")),
        (.minute, .utc("2026-03-10T10:12:30Z"), .utc("2026-03-10T10:13:00Z")),
        (.hour, .utc("2026-03-10T10:12:30Z"), .utc("2026-03-10T11:00:00Z")),
        (.day, .utc("2026-03-10T10:12:30Z"), .utc("2026-03-11T00:00:00Z")),
        (.day, .utc("2026-12-31T23:59:59Z"), .utc("2027-01-01T00:00:00Z")),
        (.month, .utc("2026-01-31T23:59:59Z"), .utc("2026-02-01T00:00:00Z")),
        (.month, .utc("2026-02-01T00:00:00Z"), .utc("2026-03-01T00:00:00Z")),
        (.month, .utc("2028-02-28T12:00:00Z"), .utc("2028-03-01T00:00:00Z")),
        (.month, .utc("2026-12-15T08:00:00Z"), .utc("2027-01-01T00:00:00Z")),
    ])
    func resetsEachWindowAtItsNextUTCCalendarBoundary(window: QuotaWindow, start: Timestamp, boundary: Timestamp)
        async throws
    {
        let quota = QuotaConfig.one(.fixedWindow, window, requests: 1)
        clock.set(start)
        let first = try await engine.consume(QuotaCost(), for: tenant, under: quota)
        clock.set(boundary + .nanoseconds(-1))
        let lastInstant = try await engine.consume(QuotaCost(), for: tenant, under: quota)
        clock.set(boundary)
        let nextWindow = try await engine.consume(QuotaCost(), for: tenant, under: quota)
        #expect(first.requests?.reset == .secondsRoundedUp(nanoseconds: (boundary - start).wholeNanoseconds))
        #expect(lastInstant.retryAfter == .seconds(1))
        #expect(nextWindow.isAllowed)
    }

    @Test(arguments: [
        (Timestamp.utc("2026-02-01T00:00:00Z"), Int64(28)),
        (.utc("2028-02-01T00:00:00Z"), 29),
        (.utc("2026-04-01T00:00:00Z"), 30),
        (.utc("2026-01-01T00:00:00Z"), 31),
    ])
    func aMonthWindowLastsTheCalendarMonth(start: Timestamp, days: Int64) async throws {
        clock.set(start)
        let quota = QuotaConfig.one(.fixedWindow, .month, requests: 1)
        let decision = try await engine.consume(QuotaCost(), for: tenant, under: quota)
        let rejected = try await engine.consume(QuotaCost(), for: tenant, under: quota)
        #expect(decision.requests?.reset == .seconds(days * 86_400))
        #expect(rejected.retryAfter == .seconds(days * 86_400))
    }

    @Test func aLeapDayStillBelongsToFebruary() async throws {
        clock.set(.utc("2028-02-01T00:00:00Z"))
        let quota = QuotaConfig.one(.fixedWindow, .month, requests: 1)
        _ = try await engine.consume(QuotaCost(), for: tenant, under: quota)
        clock.set(.utc("2028-02-29T23:59:59Z"))
        let leapDay = try await engine.consume(QuotaCost(), for: tenant, under: quota)
        #expect(leapDay.retryAfter == .seconds(1))
    }

    @Test func usageReportsCountsWithoutConsuming() async throws {
        _ = try await engine.admitted(3, for: tenant, under: tenPerMinute)
        let first = try await engine.usage(of: tenant, under: tenPerMinute)
        let second = try await engine.usage(of: tenant, under: tenPerMinute)
        let next = try await engine.consume(QuotaCost(), for: tenant, under: tenPerMinute)
        let expected = QuotaUsage.Entry(
            window: .minute, dimension: .requests, limit: 10, used: 3, remaining: 7, reset: .seconds(30))
        #expect(first == QuotaUsage(algorithm: .fixedWindow, entries: [expected]))
        #expect(second == first)
        #expect(next.remainingRequests == 6)
    }

    @Test func usageOfAnEndedWindowReportsNothingUsed() async throws {
        _ = try await engine.admitted(3, for: tenant, under: tenPerMinute)
        clock.set(.minute(14, second: 15))
        let usage = try await engine.usage(of: tenant, under: tenPerMinute)
        #expect(usage.entries.map(\.used) == [0])
        #expect(usage.entries.map(\.reset) == [.seconds(45)])
    }

    @Test func aClockThatGoesBackwardsKeepsCountingInTheNewerWindow() async throws {
        clock.set(.minute(13, second: 10))
        _ = try await engine.admitted(10, for: tenant, under: tenPerMinute)
        clock.set(.minute(12, second: 50))
        let lagging = try await engine.consume(QuotaCost(), for: tenant, under: tenPerMinute)
        clock.set(.minute(13, second: 20))
        let current = try await engine.usage(of: tenant, under: tenPerMinute)
        #expect(!lagging.isAllowed)
        #expect(lagging.remainingRequests == 0)
        #expect(current.entries.map(\.used) == [10])
    }

    @Test func aLaggingCallerThatFitsIsCountedInTheNewerWindow() async throws {
        clock.set(.minute(13, second: 10))
        _ = try await engine.admitted(4, for: tenant, under: tenPerMinute)
        clock.set(.minute(12, second: 50))
        let lagging = try await engine.consume(QuotaCost(), for: tenant, under: tenPerMinute)
        clock.set(.minute(13, second: 20))
        let current = try await engine.usage(of: tenant, under: tenPerMinute)
        #expect(lagging.remainingRequests == 5)
        #expect(current.entries.map(\.used) == [5])
    }

    @Test func aCallerWhoseClockLagsIsToldToRetryAfterTheWindowEndsByItsOwnClock() async throws {
        // Another host, 2 s ahead, opened minute 13 and spent it; this host still reads 12:58.
        let ahead = ManualClock(at: .minute(13, second: 0))
        _ = try await FixedWindowQuota(store: store, clock: ahead).admitted(10, for: tenant, under: tenPerMinute)
        clock.set(.minute(12, second: 58))
        let decision = try await engine.consume(QuotaCost(), for: tenant, under: tenPerMinute)
        #expect(decision.retryAfter == .seconds(62))
        #expect(decision.requests?.reset == .seconds(62))
    }
}
