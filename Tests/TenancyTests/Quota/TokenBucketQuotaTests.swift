import TenancyTestSupport
import Testing

@testable import Tenancy

@Suite struct TokenBucketQuotaTests {
    let tenant: TenantID
    let clock = ManualClock(at: .minute(0))
    let store = InMemoryQuotaStore()
    let engine: TokenBucketQuota

    init() throws {
        tenant = try TenantID("acme")
        engine = TokenBucketQuota(store: store, clock: clock)
    }

    @Test(arguments: [
        (10, QuotaWindow.minute), (3, .second), (7, .minute), (13, .hour), (600, .hour), (30, .month), (1, .day),
    ] as [(Int64, QuotaWindow)])
    func admitsABurstOfExactlyTheLimitFromAFullBucket(limit: Int64, window: QuotaWindow) async throws {
        let quota = QuotaConfig.one(.tokenBucket, window, requests: limit)
        let admitted = try await engine.admitted(Int(limit) + 1, for: tenant, under: quota)
        #expect(admitted == Int(limit))
    }

    @Test(arguments: QuotaWindow.allCases)
    func remainingUnitsSplitAtTheSecondEqualTheExactQuotient(window: QuotaWindow) {
        let period = window.nominalNanoseconds
        let rooms: [Int64] = [-1, 0, 1, 999_999_999, 1_000_000_000, period / 3, period - 999_999_937, period - 150, period - 1, period]
        let sizes: [Int64] = [1, 7, 4_000_000_000, 999_999_937, 1 << 40, QuotaLimit.maximumValue]
        for room in rooms {
            for size in sizes {
                for fraction in [0, 1, size / 2, size - 1] {
                    let wide = Int128(room) * Int128(size) - Int128(fraction)
                    let exact = wide > 0 ? Int64(wide / Int128(period)) : 0
                    let units = TokenBucketRules.remainingUnits(room, size: size, fraction: fraction, window: window)
                    #expect(units == exact, "room \(room), size \(size), fraction \(fraction)")
                }
            }
        }
    }

    @Test(arguments: [1_000_003, 999_999_937, QuotaLimit.maximumValue] as [Int64])
    func admitsTheWholeLimitInOneCallButNotOneUnitMore(limit: Int64) async throws {
        let quota = QuotaConfig.one(.tokenBucket, .month, tokens: limit)
        let whole = try await engine.consume(QuotaCost(tokens: limit), for: tenant, under: quota)
        let more = try await engine.consume(QuotaCost(tokens: 1), for: tenant, under: quota)
        #expect(whole.isAllowed)
        #expect(whole.remainingTokens == 0)
        #expect(!more.isAllowed)
    }

    @Test func rejectsTheCallAfterTheBurstWithRetryAfterOfOneRefillInterval() async throws {
        let quota = QuotaConfig.one(.tokenBucket, .minute, requests: 10)
        _ = try await engine.admitted(10, for: tenant, under: quota)
        let decision = try await engine.consume(QuotaCost(), for: tenant, under: quota)
        #expect(decision.rejection == QuotaRejection(dimension: .requests, window: .minute, retryAfter: .seconds(6)))
        #expect(decision.remainingRequests == 0)
    }

    @Test func admitsTheNextCallExactlyWhenRetryAfterHasElapsed() async throws {
        let quota = QuotaConfig.one(.tokenBucket, .minute, requests: 10)
        _ = try await engine.admitted(10, for: tenant, under: quota)
        clock.set(.minute(0, second: 5, nanosecond: 999_999_999))
        let early = try await engine.consume(QuotaCost(), for: tenant, under: quota)
        clock.set(.minute(0, second: 6))
        let onTime = try await engine.consume(QuotaCost(), for: tenant, under: quota)
        #expect(early.retryAfter == .seconds(1))
        #expect(onTime.isAllowed)
        #expect(onTime.remainingRequests == 0)
    }

    /// 3 per second refill one unit every 333,333,333 1/3 ns: the 4th call of a burst fits from the first
    /// whole nanosecond after that, and Retry-After rounds the exact wait up to a whole second.
    @Test func retryAfterRoundsTheExactWaitUpToWholeSeconds() async throws {
        let quota = QuotaConfig.one(.tokenBucket, .second, requests: 3)
        _ = try await engine.admitted(3, for: tenant, under: quota)
        let rejected = try await engine.consume(QuotaCost(), for: tenant, under: quota)
        clock.set(.minute(0, nanosecond: 333_333_333))
        let justBefore = try await engine.consume(QuotaCost(), for: tenant, under: quota)
        clock.set(.minute(0, nanosecond: 333_333_334))
        let justAfter = try await engine.consume(QuotaCost(), for: tenant, under: quota)
        #expect(rejected.retryAfter == .seconds(1))
        #expect(!justBefore.isAllowed)
        #expect(justAfter.isAllowed)
    }

    @Test func retryAfterOfALimitThatDoesNotDivideTheWindowIsExact() async throws {
        // 7 per minute: one unit every 8.571428571 3/7 s.
        let quota = QuotaConfig.one(.tokenBucket, .minute, requests: 7)
        _ = try await engine.admitted(7, for: tenant, under: quota)
        let rejected = try await engine.consume(QuotaCost(), for: tenant, under: quota)
        clock.set(.minute(0, second: 8, nanosecond: 571_428_571))
        let justBefore = try await engine.consume(QuotaCost(), for: tenant, under: quota)
        clock.set(.minute(0, second: 8, nanosecond: 571_428_572))
        let justAfter = try await engine.consume(QuotaCost(), for: tenant, under: quota)
        #expect(rejected.retryAfter == .seconds(9))
        #expect(!justBefore.isAllowed)
        #expect(justAfter.isAllowed)
    }

    @Test func retryAfterOfAMultiUnitCostWaitsForEnoughRefill() async throws {
        let quota = QuotaConfig.one(.tokenBucket, .minute, tokens: 1_000)
        _ = try await engine.consume(QuotaCost(tokens: 1_000), for: tenant, under: quota)
        let decision = try await engine.consume(QuotaCost(tokens: 300), for: tenant, under: quota)
        #expect(decision.rejection == QuotaRejection(dimension: .tokens, window: .minute, retryAfter: .seconds(18)))
    }

    @Test func refillsContinuouslyAtTheLimitPerWindow() async throws {
        let quota = QuotaConfig.one(.tokenBucket, .minute, requests: 10)
        _ = try await engine.admitted(10, for: tenant, under: quota)
        clock.set(.minute(0, second: 30))
        let usage = try await engine.usage(of: tenant, under: quota)
        let admitted = try await engine.admitted(6, for: tenant, under: quota)
        #expect(usage.entries.map(\.remaining) == [5])
        #expect(admitted == 5)
    }

    @Test func reportsRemainingUnitsRoundedDown() async throws {
        let quota = QuotaConfig.one(.tokenBucket, .minute, requests: 10)
        _ = try await engine.admitted(10, for: tenant, under: quota)
        clock.set(.minute(0, second: 5, nanosecond: 999_999_999))
        let almost = try await engine.usage(of: tenant, under: quota)
        clock.set(.minute(0, second: 6))
        let one = try await engine.usage(of: tenant, under: quota)
        #expect(almost.entries.map(\.remaining) == [0])
        #expect(one.entries.map(\.remaining) == [1])
    }

    @Test func reportsAFractionOfAUnitAsNotYetRefilled() async throws {
        // One call of 3 per second leaves the bucket short by 333,333,333 1/3 ns.
        let quota = QuotaConfig.one(.tokenBucket, .second, requests: 3)
        let decision = try await engine.consume(QuotaCost(), for: tenant, under: quota)
        clock.set(.minute(0, nanosecond: 333_333_333))
        let shortByAThird = try await engine.usage(of: tenant, under: quota)
        clock.set(.minute(0, nanosecond: 333_333_334))
        let full = try await engine.usage(of: tenant, under: quota)
        #expect(decision.remainingRequests == 2)
        #expect(shortByAThird.entries.map(\.remaining) == [2])
        #expect(full.entries.map(\.remaining) == [3])
    }

    @Test func reportsResetAsTheTimeUntilTheBucketIsFullAgain() async throws {
        let quota = QuotaConfig.one(.tokenBucket, .minute, requests: 10)
        _ = try await engine.admitted(3, for: tenant, under: quota)
        let decision = try await engine.consume(QuotaCost(), for: tenant, under: quota)
        clock.set(.minute(0, second: 0, nanosecond: 500_000_000))
        let usage = try await engine.usage(of: tenant, under: quota)
        #expect(decision.requests == QuotaDimensionStatus(window: .minute, limit: 10, remaining: 6, reset: .seconds(24)))
        #expect(usage.entries.map(\.reset) == [.seconds(24)])
    }

    @Test func countsAMonthAsThirtyDaysWhateverTheCalendarMonth() async throws {
        clock.set(.utc("2026-02-01T00:00:00Z"))
        let quota = QuotaConfig.one(.tokenBucket, .month, requests: 30)
        _ = try await engine.admitted(29, for: tenant, under: quota)
        let last = try await engine.consume(QuotaCost(), for: tenant, under: quota)
        let rejected = try await engine.consume(QuotaCost(), for: tenant, under: quota)
        #expect(last.requests?.reset == .seconds(30 * 86_400))
        #expect(rejected.retryAfter == .seconds(86_400))
    }

    /// A token bucket has no calendar boundary: after a burst just before a minute ends, the next minute
    /// brings only what has refilled since.
    @Test func hasNoWindowBoundaryAfterABurstOnlyTheRefillIsAvailable() async throws {
        clock.set(.minute(0, second: 59))
        let quota = QuotaConfig.one(.tokenBucket, .minute, requests: 10)
        _ = try await engine.admitted(10, for: tenant, under: quota)
        clock.set(.minute(1))
        let decision = try await engine.consume(QuotaCost(), for: tenant, under: quota)
        #expect(decision.retryAfter == .seconds(5))
    }

    @Test func aClockThatGoesBackwardsNeverRefillsTheBucket() async throws {
        clock.set(.minute(0, second: 10))
        let quota = QuotaConfig.one(.tokenBucket, .minute, requests: 10)
        _ = try await engine.admitted(10, for: tenant, under: quota)
        clock.set(.minute(0))
        let decision = try await engine.consume(QuotaCost(), for: tenant, under: quota)
        #expect(decision.retryAfter == .seconds(16))
        #expect(decision.remainingRequests == 0)
    }

    @Test func refillsEachDimensionAtItsOwnRate() async throws {
        let quota = QuotaConfig.one(.tokenBucket, .minute, requests: 10, tokens: 600)
        _ = try await engine.consume(QuotaCost(requests: 10, tokens: 600), for: tenant, under: quota)
        clock.set(.minute(0, second: 1))
        let usage = try await engine.usage(of: tenant, under: quota)
        #expect(usage.entries.map(\.remaining) == [0, 10])
        #expect(usage.entries.map(\.used) == [10, 590])
    }

    /// Random calls against a model that keeps the theoretical arrival time as an exact fraction: every
    /// decision, remaining count, reset and Retry-After must agree.
    @Test(arguments: [(Int64(7), QuotaWindow.second), (1_000_003, .minute), (3, .hour)])
    func agreesWithAnExactRationalModelOfTheBucket(limit: Int64, window: QuotaWindow) async throws {
        let quota = QuotaConfig.one(.tokenBucket, window, tokens: limit)
        var model = ExactBucket(size: limit, window: window)
        var random = SplitMix64(seed: UInt64(limit))
        var disagreements: [String] = []
        for step in 0..<3_000 {
            clock.advance(by: .nanoseconds(Int64(random.next() % UInt64(model.period / limit * 2))))
            let cost = Int64(random.next() % UInt64(limit + 1))
            let expected = model.consume(cost, now: clock.now.nanosecondsSinceEpoch)
            let decision = try await engine.consume(QuotaCost(requests: 0, tokens: cost), for: tenant, under: quota)
            if decision != expected { disagreements.append("step \(step): \(decision), expected \(expected)") }
        }
        #expect(disagreements.first == nil)
        #expect(disagreements.count == 0)
    }
}

/// GCRA with the theoretical arrival time in exact units of `1 / size` ns, for comparison.
private struct ExactBucket {
    let size: Int64
    let window: QuotaWindow
    var scaledArrival: Int128 = .min

    var period: Int64 { window.nominalNanoseconds }

    mutating func consume(_ amount: Int64, now: Int64) -> QuotaDecision {
        let (size, period, now) = (Int128(size), Int128(period), Int128(now))
        let base = max(scaledArrival, now * size)
        let arrival = base + Int128(amount) * period
        let fits = arrival - now * size <= period * size
        if fits { scaledArrival = arrival }
        let kept = fits ? arrival : base
        let remaining = max(0, (period * size - (kept - now * size)) / period)
        let reset = ceilDiv(kept, size) - now
        let status = QuotaDimensionStatus(
            window: window, limit: Int64(size),
            remaining: Int64(remaining), reset: .seconds(Int64(ceilDiv(reset, 1_000_000_000))))
        guard !fits else { return QuotaDecision(requests: nil, tokens: status, rejection: nil) }
        let wait = ceilDiv(arrival - period * size, size) - now
        let retry = max(1, ceilDiv(wait, 1_000_000_000))
        return QuotaDecision(
            requests: nil, tokens: status,
            rejection: QuotaRejection(dimension: .tokens, window: window, retryAfter: .seconds(Int64(retry))))
    }

    private func ceilDiv(_ numerator: Int128, _ denominator: Int128) -> Int128 {
        let quotient = numerator / denominator
        return numerator % denominator > 0 ? quotient + 1 : quotient
    }
}

@Suite struct TokenBucketPackingChangeTests {
    let clock = ManualClock(at: .minute(12, second: 30))
    let tenant = TenantID.valid("acme")

    /// Raising a limit past 2^32 switches the fractions from one shared word to a word each; the old packed
    /// word read as one fraction may be negative, and must not inflate what is reported as remaining.
    @Test func aLimitChangeThatAltersThePackingNeverReportsMoreThanTheLimit() async throws {
        let before = QuotaConfig.one(.tokenBucket, .minute, requests: 7, tokens: 3_000_000_007)
        let after = QuotaConfig.one(.tokenBucket, .minute, requests: 7, tokens: 5_000_000_000)
        for tokens: Int64 in [1, 2, 999_999_999, 2_999_999_999] {
            let store = InMemoryQuotaStore()
            let engine = TokenBucketQuota(store: store, clock: clock)
            _ = try await engine.consume(QuotaCost(requests: 1, tokens: tokens), for: tenant, under: before)
            for _ in 0..<3 {
                let decision = try await engine.consume(QuotaCost(requests: 1, tokens: 1), for: tenant, under: after)
                #expect(decision.remainingRequests <= 7)
                #expect(decision.remainingTokens <= 5_000_000_000)
            }
            for entry in try await engine.usage(of: tenant, under: after).entries {
                #expect(entry.remaining <= entry.limit)
            }
        }
    }
}
