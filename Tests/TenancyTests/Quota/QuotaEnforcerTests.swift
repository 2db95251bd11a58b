import Testing

@testable import Tenancy

@Suite struct QuotaEnforcerTests {
    let tenant: TenantID
    let clock = ManualClock(at: .minute(0, second: 59))
    let store = InMemoryQuotaStore()
    let enforcer: QuotaEnforcer

    init() throws {
        tenant = try TenantID("acme")
        enforcer = QuotaEnforcer(store: store, clock: clock)
    }

    /// The same ten calls at 00:59 followed by one at 01:00 tell the algorithms apart: the fixed window has
    /// reset, the sliding window still weighs the previous minute fully, and the bucket has refilled a sixth
    /// of a call.
    @Test(arguments: [
        (QuotaAlgorithm.fixedWindow, Duration?.none), (.slidingWindow, .seconds(6)), (.tokenBucket, .seconds(5)),
    ])
    func countsEachTenantWithTheAlgorithmItsQuotaNames(algorithm: QuotaAlgorithm, retryAfter: Duration?)
        async throws
    {
        let quota = QuotaConfig.one(algorithm, .minute, requests: 10)
        _ = try await enforcer.admitted(10, for: tenant, under: quota)
        clock.set(.minute(1))
        let decision = try await enforcer.consume(QuotaCost(), for: tenant, under: quota)
        #expect(decision.isAllowed == (retryAfter == nil))
        #expect(decision.retryAfter == retryAfter)
    }

    @Test(arguments: QuotaAlgorithm.allCases)
    func reportsUsageWithTheAlgorithmItsQuotaNames(algorithm: QuotaAlgorithm) async throws {
        let quota = QuotaConfig.one(algorithm, .minute, requests: 10)
        _ = try await enforcer.admitted(4, for: tenant, under: quota)
        let usage = try await enforcer.usage(of: tenant, under: quota)
        #expect(usage.algorithm == algorithm)
        #expect(usage.entries.map(\.used) == [4])
    }

    @Test(arguments: QuotaAlgorithm.allCases)
    func tenantsWithDifferentAlgorithmsShareOneStoreIndependently(algorithm: QuotaAlgorithm) async throws {
        let other = try TenantID("globex")
        let quota = QuotaConfig.one(algorithm, .minute, requests: 3)
        let othersQuota = QuotaConfig.one(algorithm == .tokenBucket ? .fixedWindow : .tokenBucket, .minute, requests: 3)
        let admitted = try await enforcer.admitted(4, for: tenant, under: quota)
        let othersAdmitted = try await enforcer.admitted(4, for: other, under: othersQuota)
        #expect(admitted == 3)
        #expect(othersAdmitted == 3)
        #expect(store.count == 2)
    }

    @Test(arguments: [QuotaAlgorithm.fixedWindow, .slidingWindow])
    func raisingALimitKeepsTheCountsOfTheWindow(algorithm: QuotaAlgorithm) async throws {
        _ = try await enforcer.admitted(5, for: tenant, under: .one(algorithm, .minute, requests: 10))
        let decision = try await enforcer.consume(QuotaCost(), for: tenant, under: .one(algorithm, .minute, requests: 20))
        #expect(decision.remainingRequests == 14)
    }

    @Test(arguments: [QuotaAlgorithm.fixedWindow, .slidingWindow])
    func loweringALimitBelowTheCountRejectsForTheRestOfTheWindow(algorithm: QuotaAlgorithm) async throws {
        _ = try await enforcer.admitted(8, for: tenant, under: .one(algorithm, .minute, requests: 10))
        let decision = try await enforcer.consume(QuotaCost(), for: tenant, under: .one(algorithm, .minute, requests: 5))
        #expect(!decision.isAllowed)
        #expect(decision.remainingRequests == 0)
    }

    /// A bucket's state is time, not a count: five calls of 10 per minute are 30 s until full, which is ten
    /// calls' worth once the limit is 20 per minute.
    @Test func changingATokenBucketLimitKeepsTheTimeUntilTheBucketIsFull() async throws {
        _ = try await enforcer.admitted(5, for: tenant, under: .one(.tokenBucket, .minute, requests: 10))
        let decision = try await enforcer.consume(
            QuotaCost(), for: tenant, under: .one(.tokenBucket, .minute, requests: 20))
        #expect(decision.requests == QuotaDimensionStatus(window: .minute, limit: 20, remaining: 9, reset: .seconds(33)))
    }

    @Test func shrinkingATokenBucketLimitRoundsAFractionOfANanosecondItCannotExpressUp() async throws {
        // 5,000,000 tokens of 2^53 - 1 per second are 0.555 ns of refill, kept in 1/(2^53 - 1) ns steps. At
        // 1,000 per second that fraction is rounded up to a whole nanosecond, so 999 tokens are left, not 1000.
        let huge = QuotaConfig.one(.tokenBucket, .second, tokens: QuotaLimit.maximumValue)
        let small = QuotaConfig.one(.tokenBucket, .second, tokens: 1_000)
        _ = try await enforcer.consume(QuotaCost(tokens: 5_000_000), for: tenant, under: huge)
        let sameInstant = try await enforcer.usage(of: tenant, under: small)
        clock.advance(by: .nanoseconds(1))
        let nanosecondLater = try await enforcer.usage(of: tenant, under: small)
        #expect(sameInstant.entries.map(\.remaining) == [999])
        #expect(nanosecondLater.entries.map(\.remaining) == [1_000])
    }

    @Test(arguments: QuotaAlgorithm.allCases, [
        QuotaConfig.one(.fixedWindow, .hour, requests: 10),
        QuotaConfig.one(.fixedWindow, .minute, requests: 10, tokens: 1_000),
        QuotaConfig(
            algorithm: .fixedWindow,
            limits: [QuotaLimit(window: .minute, requests: 10), QuotaLimit(window: .day, requests: 10)]),
    ])
    func changingTheWindowsOrDimensionsStartsCountingAfresh(algorithm: QuotaAlgorithm, changed: QuotaConfig)
        async throws
    {
        var changed = changed
        changed.algorithm = algorithm
        _ = try await enforcer.admitted(10, for: tenant, under: .one(algorithm, .minute, requests: 10))
        let decision = try await enforcer.consume(QuotaCost(), for: tenant, under: changed)
        #expect(decision.isAllowed)
        #expect(decision.remainingRequests == 9)
    }

    @Test(arguments: QuotaAlgorithm.allCases, QuotaAlgorithm.allCases)
    func changingTheAlgorithmStartsCountingAfresh(from: QuotaAlgorithm, to: QuotaAlgorithm) async throws {
        guard from != to else { return }
        _ = try await enforcer.admitted(10, for: tenant, under: .one(from, .minute, requests: 10))
        let switched = try await enforcer.consume(QuotaCost(), for: tenant, under: .one(to, .minute, requests: 10))
        let back = try await enforcer.consume(QuotaCost(), for: tenant, under: .one(from, .minute, requests: 10))
        #expect(switched.remainingRequests == 9)
        #expect(back.remainingRequests == 9)
    }

    @Test func aRejectedCallUnderAChangedConfigLeavesTheOldStateInPlace() async throws {
        _ = try await enforcer.admitted(10, for: tenant, under: .one(.fixedWindow, .minute, requests: 10))
        let neverFits = try await enforcer.consume(
            QuotaCost(requests: 11), for: tenant, under: .one(.slidingWindow, .minute, requests: 10))
        let original = try await enforcer.consume(QuotaCost(), for: tenant, under: .one(.fixedWindow, .minute, requests: 10))
        #expect(neverFits.rejection?.canNeverFit == true)
        #expect(!original.isAllowed)
    }

    @Test func removingAStateGivesTheTenantItsFullQuotaAgain() async throws {
        let quota = QuotaConfig.one(.slidingWindow, .minute, requests: 10)
        _ = try await enforcer.admitted(10, for: tenant, under: quota)
        store.removeState(of: tenant)
        let decision = try await enforcer.consume(QuotaCost(), for: tenant, under: quota)
        #expect(decision.remainingRequests == 9)
    }

    @Test func theDefaultEnforcerCountsInMemoryWithTheSystemClock() async throws {
        let enforcer = QuotaEnforcer()
        // A bucket has no boundary the system clock could cross during the test: 2 per day refill in 12 h.
        let quota = QuotaConfig.one(.tokenBucket, .day, requests: 2)
        let admitted = try await enforcer.admitted(3, for: tenant, under: quota)
        #expect(admitted == 2)
    }
}
