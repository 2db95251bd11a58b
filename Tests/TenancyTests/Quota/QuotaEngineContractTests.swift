import Synchronization
import TenancyTestSupport
import Testing

@testable import Tenancy

/// What every ``QuotaEngine`` promises, checked for each of the three algorithms at one instant (where the
/// algorithms agree): all-or-nothing, unlimited dimensions, cost validation, exact admission under
/// concurrency, and decisions that do not depend on whether idle state was evicted.
@Suite struct QuotaEngineContractTests {
    let tenant: TenantID
    let clock = ManualClock(at: .minute(12, second: 30))
    let store = InMemoryQuotaStore()

    init() throws {
        tenant = try TenantID("acme")
    }

    func engine(_ algorithm: QuotaAlgorithm) -> any QuotaEngine {
        makeQuotaEngine(algorithm, store: store, clock: clock)
    }

    @Test(arguments: QuotaAlgorithm.allCases)
    func admitsUpToTheLimitAndRejectsTheRest(algorithm: QuotaAlgorithm) async throws {
        let quota = QuotaConfig.one(algorithm, .minute, requests: 10)
        let admitted = try await engine(algorithm).admitted(10, for: tenant, under: quota)
        let eleventh = try await engine(algorithm).consume(QuotaCost(), for: tenant, under: quota)
        #expect(admitted == 10)
        #expect(eleventh.rejection?.dimension == .requests)
        #expect(eleventh.rejection?.window == .minute)
        #expect(eleventh.remainingRequests == 0)
    }

    @Test(arguments: QuotaAlgorithm.allCases, [[], [QuotaLimit(window: .minute), QuotaLimit(window: .day)]])
    func anUnlimitedQuotaAdmitsEverythingAndStoresNothing(algorithm: QuotaAlgorithm, limits: [QuotaLimit])
        async throws
    {
        let quota = QuotaConfig(algorithm: algorithm, limits: limits)
        let decision = try await engine(algorithm).consume(
            QuotaCost(requests: 1_000_000, tokens: .max), for: tenant, under: quota)
        #expect(decision == .unlimited)
        #expect(decision.remainingRequests == -1)
        #expect(decision.remainingTokens == -1)
        #expect(decision.reset == .zero)
        #expect(store.count == 0)
    }

    @Test(arguments: QuotaAlgorithm.allCases)
    func usageOfAnUnlimitedQuotaHasNoEntries(algorithm: QuotaAlgorithm) async throws {
        let usage = try await engine(algorithm).usage(of: tenant, under: QuotaConfig(algorithm: algorithm))
        #expect(usage == QuotaUsage(algorithm: algorithm, entries: []))
    }

    @Test(arguments: QuotaAlgorithm.allCases)
    func aRequestsOnlyLimitLeavesTokensUnlimited(algorithm: QuotaAlgorithm) async throws {
        let quota = QuotaConfig.one(algorithm, .minute, requests: 2)
        let decision = try await engine(algorithm).consume(
            QuotaCost(tokens: 1_000_000_000_000), for: tenant, under: quota)
        #expect(decision.isAllowed)
        #expect(decision.tokens == nil)
        #expect(decision.remainingTokens == -1)
        #expect(decision.remainingRequests == 1)
    }

    @Test(arguments: QuotaAlgorithm.allCases)
    func aTokensOnlyLimitLeavesRequestsUnlimited(algorithm: QuotaAlgorithm) async throws {
        let quota = QuotaConfig.one(algorithm, .minute, tokens: 1_000)
        let manyRequests = try await engine(algorithm).consume(
            QuotaCost(requests: 1_000_000), for: tenant, under: quota)
        let admitted = try await engine(algorithm).admitted(3, QuotaCost(tokens: 400), for: tenant, under: quota)
        let rejected = try await engine(algorithm).consume(QuotaCost(tokens: 400), for: tenant, under: quota)
        #expect(manyRequests.requests == nil)
        #expect(manyRequests.remainingRequests == -1)
        #expect(manyRequests.remainingTokens == 1_000)
        #expect(admitted == 2)
        #expect(rejected.rejection?.dimension == .tokens)
        #expect(rejected.remainingTokens == 200)
    }

    @Test(arguments: QuotaAlgorithm.allCases, [
        (QuotaCost(requests: 1, tokens: -1), "quota cost tokens must not be negative, got -1"),
        (QuotaCost(requests: -3, tokens: 5), "quota cost requests must not be negative, got -3"),
        (QuotaCost(requests: .min, tokens: .min), "quota cost requests must not be negative, got \(Int64.min)"),
    ])
    func rejectsANegativeCostAsInvalid(algorithm: QuotaAlgorithm, cost: (QuotaCost, String)) async throws {
        let quota = QuotaConfig.one(algorithm, .minute, requests: 10, tokens: 100)
        await #expect(throws: TenancyError(.invalidCost, cost.1)) {
            try await engine(algorithm).consume(cost.0, for: tenant, under: quota)
        }
        await #expect(throws: TenancyError(.invalidCost, cost.1)) {
            try await engine(algorithm).consume(cost.0, for: tenant, under: .unlimited)
        }
    }

    @Test(arguments: QuotaAlgorithm.allCases)
    func aCostLargerThanTheLimitCanNeverFitAndConsumesNothing(algorithm: QuotaAlgorithm) async throws {
        let quota = QuotaConfig.one(algorithm, .minute, requests: 10, tokens: 100)
        let decision = try await engine(algorithm).consume(QuotaCost(tokens: 101), for: tenant, under: quota)
        let usage = try await engine(algorithm).usage(of: tenant, under: quota)
        #expect(decision.rejection == QuotaRejection(dimension: .tokens, window: .minute, retryAfter: nil))
        #expect(decision.rejection?.canNeverFit == true)
        #expect(decision.retryAfter == nil)
        #expect(usage.entries.map(\.used) == [0, 0])
        #expect(store.count == 0)
    }

    @Test(arguments: QuotaAlgorithm.allCases)
    func aCostThatCanNeverFitOutranksARejectionThatWaitingWouldCure(algorithm: QuotaAlgorithm) async throws {
        let quota = QuotaConfig.one(algorithm, .minute, requests: 10, tokens: 100)
        _ = try await engine(algorithm).admitted(10, for: tenant, under: quota)
        let decision = try await engine(algorithm).consume(
            QuotaCost(requests: 1, tokens: 101), for: tenant, under: quota)
        #expect(decision.rejection == QuotaRejection(dimension: .tokens, window: .minute, retryAfter: nil))
    }

    @Test(arguments: QuotaAlgorithm.allCases)
    func aCallRejectedOnOneDimensionConsumesNothingInTheOther(algorithm: QuotaAlgorithm) async throws {
        let quota = QuotaConfig.one(algorithm, .minute, requests: 10, tokens: 100)
        _ = try await engine(algorithm).consume(QuotaCost(tokens: 60), for: tenant, under: quota)
        let rejected = try await engine(algorithm).consume(QuotaCost(tokens: 50), for: tenant, under: quota)
        let usage = try await engine(algorithm).usage(of: tenant, under: quota)
        #expect(rejected.rejection?.dimension == .tokens)
        #expect(usage.entries.map(\.used) == [1, 60])
    }

    @Test(arguments: QuotaAlgorithm.allCases)
    func aRejectedCallReportsWhatIsLeftBeforeIt(algorithm: QuotaAlgorithm) async throws {
        let quota = QuotaConfig.one(algorithm, .minute, requests: 10, tokens: 100)
        _ = try await engine(algorithm).consume(QuotaCost(tokens: 60), for: tenant, under: quota)
        let rejected = try await engine(algorithm).consume(QuotaCost(tokens: 50), for: tenant, under: quota)
        #expect(rejected.remainingRequests == 9)
        #expect(rejected.remainingTokens == 40)
    }

    @Test(arguments: QuotaAlgorithm.allCases)
    func aCallRejectedByOneWindowConsumesNothingInTheOthers(algorithm: QuotaAlgorithm) async throws {
        let quota = QuotaConfig(
            algorithm: algorithm,
            limits: [QuotaLimit(window: .minute, requests: 5), QuotaLimit(window: .hour, requests: 8)])
        _ = try await engine(algorithm).admitted(5, for: tenant, under: quota)
        let rejected = try await engine(algorithm).consume(QuotaCost(), for: tenant, under: quota)
        let usage = try await engine(algorithm).usage(of: tenant, under: quota)
        #expect(rejected.rejection?.window == .minute)
        #expect(usage.entries.map(\.used) == [5, 5])
        #expect(usage.entries.map(\.window) == [.minute, .hour])
    }

    @Test(arguments: QuotaAlgorithm.allCases)
    func usageReportsEveryLimitedDimensionInConfigOrderWithoutConsuming(algorithm: QuotaAlgorithm) async throws {
        let quota = QuotaConfig(
            algorithm: algorithm,
            limits: [
                QuotaLimit(window: .hour, requests: 100, tokens: 10_000), QuotaLimit(window: .day),
                QuotaLimit(window: .minute, tokens: 1_000),
            ])
        _ = try await engine(algorithm).consume(QuotaCost(requests: 3, tokens: 500), for: tenant, under: quota)
        let first = try await engine(algorithm).usage(of: tenant, under: quota)
        let second = try await engine(algorithm).usage(of: tenant, under: quota)
        #expect(first.algorithm == algorithm)
        #expect(first.entries.map(\.window) == [.hour, .hour, .minute])
        #expect(first.entries.map(\.dimension) == [.requests, .tokens, .tokens])
        #expect(first.entries.map(\.limit) == [100, 10_000, 1_000])
        #expect(first.entries.map(\.used) == [3, 500, 500])
        #expect(first.entries.map(\.remaining) == [97, 9_500, 500])
        #expect(second == first)
    }

    @Test(arguments: QuotaAlgorithm.allCases)
    func countsEveryWindowOfAQuotaWithAllFiveLimitsInBothDimensions(algorithm: QuotaAlgorithm) async throws {
        let quota = QuotaConfig(
            algorithm: algorithm,
            limits: QuotaWindow.allCases.map { QuotaLimit(window: $0, requests: 1_000, tokens: 100_000) })
        let admitted = try await engine(algorithm).admitted(
            3, QuotaCost(requests: 1, tokens: 7), for: tenant, under: quota)
        let usage = try await engine(algorithm).usage(of: tenant, under: quota)
        #expect(admitted == 3)
        #expect(usage.entries.map(\.used) == Array(repeating: [3, 21], count: 5).flatMap { $0 })
    }

    @Test(arguments: QuotaAlgorithm.allCases)
    func admitsACostOfTheLargestAllowedLimitWithoutOverflowing(algorithm: QuotaAlgorithm) async throws {
        let maximum = QuotaLimit.maximumValue
        let quota = QuotaConfig.one(algorithm, .month, requests: maximum, tokens: maximum)
        let whole = try await engine(algorithm).consume(
            QuotaCost(requests: maximum, tokens: maximum), for: tenant, under: quota)
        let more = try await engine(algorithm).consume(
            QuotaCost(requests: maximum, tokens: maximum), for: tenant, under: quota)
        let huge = try await engine(algorithm).consume(QuotaCost(requests: .max, tokens: .max), for: tenant, under: quota)
        #expect(whole.isAllowed)
        #expect(!more.isAllowed)
        #expect(more.retryAfter != nil)
        #expect(huge.retryAfter == nil)
    }

    @Test(arguments: QuotaAlgorithm.allCases, [
        (
            [QuotaLimit(window: .minute, requests: -1)],
            TenancyError(.invalidConfiguration, "quota limits must not be negative")
        ),
        (
            [QuotaLimit(window: .minute, requests: 10, tokens: -5)],
            TenancyError(.invalidConfiguration, "quota limits must not be negative")
        ),
        (
            [QuotaLimit(window: .minute, requests: QuotaLimit.maximumValue + 1)],
            TenancyError(.invalidConfiguration, "quota limits must be at most \(QuotaLimit.maximumValue)")
        ),
        (
            QuotaWindow.allCases.map { QuotaLimit(window: $0, requests: 10) } + [QuotaLimit(window: .day, tokens: 1)],
            TenancyError(.invalidConfiguration, "a quota may have at most 5 limits, one per window")
        ),
    ])
    func refusesAQuotaItCannotCount(algorithm: QuotaAlgorithm, invalid: ([QuotaLimit], TenancyError)) async throws {
        let quota = QuotaConfig(algorithm: algorithm, limits: invalid.0)
        await #expect(throws: invalid.1) {
            try await engine(algorithm).consume(QuotaCost(), for: tenant, under: quota)
        }
        await #expect(throws: invalid.1) {
            try await engine(algorithm).usage(of: tenant, under: quota)
        }
    }

    @Test(arguments: QuotaAlgorithm.allCases, [(100, 37), (20, 50), (64, 64)])
    func concurrentCallsAdmitExactlyTheSmallerOfCallsAndLimit(algorithm: QuotaAlgorithm, load: (Int, Int64))
        async throws
    {
        let quota = QuotaConfig.one(algorithm, .minute, requests: load.1)
        let admitted = try await engine(algorithm).admittedConcurrently(load.0, for: tenant, under: quota)
        let usage = try await engine(algorithm).usage(of: tenant, under: quota)
        #expect(admitted == min(load.0, Int(load.1)))
        #expect(usage.entries.map(\.used) == [Int64(admitted)])
    }

    @Test(arguments: QuotaAlgorithm.allCases)
    func concurrentTokenCostsNeverOvershootTheLimit(algorithm: QuotaAlgorithm) async throws {
        let quota = QuotaConfig.one(algorithm, .minute, tokens: 1_000)
        let admitted = try await engine(algorithm).admittedConcurrently(
            100, QuotaCost(tokens: 30), for: tenant, under: quota)
        #expect(admitted == 33)
    }

    @Test(arguments: QuotaAlgorithm.allCases)
    func concurrentCallsForManyTenantsAdmitExactlyTheLimitForEach(algorithm: QuotaAlgorithm) async throws {
        let sharedShards = InMemoryQuotaStore(shardCount: 2)
        let engine = makeQuotaEngine(algorithm, store: sharedShards, clock: clock)
        let quota = QuotaConfig.one(algorithm, .minute, requests: 25)
        let tenants = try (0..<16).map { try TenantID("tenant-\($0)") }
        let admitted = try await withThrowingTaskGroup(of: (TenantID, Bool).self) { group in
            for call in 0..<60 {
                for tenant in tenants {
                    group.addTask {
                        let cost = QuotaCost(requests: 1, tokens: Int64(call))
                        return (tenant, try await engine.consume(cost, for: tenant, under: quota).isAllowed)
                    }
                }
            }
            var admitted: [TenantID: Int] = [:]
            for try await (tenant, isAllowed) in group where isAllowed { admitted[tenant, default: 0] += 1 }
            return admitted
        }
        #expect(admitted == Dictionary(uniqueKeysWithValues: tenants.map { ($0, 25) }))
        #expect(sharedShards.count == 16)
    }

    /// Two stores see the same calls; one evicts whatever has expired before every step. Eviction must be
    /// invisible: expired state means exactly what no state means.
    @Test(arguments: QuotaAlgorithm.allCases)
    func evictingExpiredStateNeverChangesADecision(algorithm: QuotaAlgorithm) async throws {
        let evicting = InMemoryQuotaStore(shardCount: 1)
        let keeping = InMemoryQuotaStore(shardCount: 1)
        let lean = makeQuotaEngine(algorithm, store: evicting, clock: clock)
        let full = makeQuotaEngine(algorithm, store: keeping, clock: clock)
        let quota = QuotaConfig(
            algorithm: algorithm,
            limits: [QuotaLimit(window: .second, requests: 3), QuotaLimit(window: .minute, requests: 20, tokens: 500)])
        let steps: [(Duration, Int, Int64)] = [
            (.zero, 4, 90), (.milliseconds(400), 2, 10), (.seconds(1), 3, 200), (.seconds(2), 1, 150),
            (.milliseconds(62_500), 4, 100), (.seconds(30), 2, 0), (.seconds(61), 3, 300), (.seconds(119), 1, 1),
            (.seconds(240), 5, 100), (.seconds(240), 2, 100), (.seconds(600), 3, 600),
        ]
        var evicted = 0
        var decisions: [(QuotaDecision, QuotaDecision)] = []
        for (offset, calls, tokens) in steps {
            clock.set(.minute(12, second: 30) + offset)
            evicted += evicting.evictExpired(now: clock.now)
            for _ in 0..<calls {
                let cost = QuotaCost(tokens: tokens)
                decisions.append(
                    (try await lean.consume(cost, for: tenant, under: quota),
                        try await full.consume(cost, for: tenant, under: quota)))
            }
        }
        #expect(evicted >= 2)
        #expect(decisions.filter { $0.0 != $0.1 }.isEmpty)
        #expect(decisions.contains { $0.0.isAllowed } && decisions.contains { !$0.0.isAllowed })
    }

    /// Random calls against two limits in both dimensions; after every rejection that waiting can cure, the
    /// same call must still be rejected one second before Retry-After and fit exactly at it.
    @Test(arguments: QuotaAlgorithm.allCases)
    func retryAfterIsTheFirstWholeSecondAtWhichTheSameCallFits(algorithm: QuotaAlgorithm) async throws {
        let quota = QuotaConfig(
            algorithm: algorithm,
            limits: [
                QuotaLimit(window: .minute, requests: 7, tokens: 1_000), QuotaLimit(window: .hour, requests: 50),
            ])
        let engine = engine(algorithm)
        var random = SplitMix64(seed: 42)
        var probes = 0
        var failures: [String] = []
        for step in 0..<1_500 {
            clock.advance(by: .nanoseconds(Int64(random.next() % 20_000_000_000)))
            let cost = QuotaCost(requests: Int64(random.next() % 3), tokens: Int64(random.next() % 600))
            let decision = try await engine.consume(cost, for: tenant, under: quota)
            guard let retryAfter = decision.retryAfter else { continue }
            let rejectedAt = clock.now
            probes += 1
            if retryAfter > .seconds(1) {
                clock.set(rejectedAt + (retryAfter - .seconds(1)))
                if try await engine.consume(cost, for: tenant, under: quota).isAllowed {
                    failures.append("step \(step): \(cost) fit before Retry-After \(retryAfter)")
                }
            }
            clock.set(rejectedAt + retryAfter)
            if try await !engine.consume(cost, for: tenant, under: quota).isAllowed {
                failures.append("step \(step): \(cost) still rejected at Retry-After \(retryAfter)")
            }
        }
        #expect(probes > 100)
        #expect(failures.first == nil)
        #expect(failures.count == 0)
    }

    @Test(arguments: QuotaAlgorithm.allCases)
    func propagatesAStoreFailure(algorithm: QuotaAlgorithm) async throws {
        let engine = makeQuotaEngine(algorithm, store: FailingQuotaStore(), clock: clock)
        let quota = QuotaConfig.one(algorithm, .minute, requests: 10)
        let failure = TenancyError(.backendUnavailable, "quota store is down")
        await #expect(throws: failure) {
            try await engine.consume(QuotaCost(), for: tenant, under: quota)
        }
        await #expect(throws: failure) {
            try await engine.usage(of: tenant, under: quota)
        }
    }
}

