import TenancyTestSupport
import Testing

@testable import Tenancy

@Suite struct InMemoryQuotaStoreTests {
    /// 2026-03-10T10:00:00Z, in whole seconds, the unit of ``QuotaState/expiresAt``.
    static let start = Timestamp.minute(0)
    static let startSeconds = UInt32(start.secondsSinceEpoch)

    let store = InMemoryQuotaStore()
    let acme: TenantID
    let clock = ManualClock(at: start)

    init() throws {
        acme = try TenantID("acme")
    }

    /// Leaves `words` behind as `tenant`'s state, expiring `expiresIn` seconds after the start.
    static func write(
        _ words: [Int64], for tenant: TenantID, in store: InMemoryQuotaStore, expiresIn: UInt32 = 60,
        shape: UInt32 = 0x5, now: Timestamp = start
    ) {
        store.withState(of: tenant, now: now) { state in
            state.shape = shape
            state.expiresAt = startSeconds + expiresIn
            state.wordCount = words.count
            for (index, word) in words.enumerated() { state[index] = word }
        }
    }

    /// `tenant`'s state as a body sees it at `now`, leaving it unchanged.
    static func read(_ tenant: TenantID, in store: InMemoryQuotaStore, now: Timestamp = start) -> QuotaState {
        store.withState(of: tenant, now: now) { $0 }
    }

    static func words(of state: QuotaState) -> [Int64] {
        (0..<state.wordCount).map { state[$0] }
    }

    /// The words tenant number `index` keeps in the bulk tests: 1 to 12 of them, distinct per tenant.
    static func bulkWords(_ index: Int) -> [Int64] {
        (0..<(index % 12 + 1)).map { Int64(index) * 1_000 + Int64($0) - 6 }
    }

    @Test(arguments: [(0, 1), (1, 1), (3, 4), (64, 64), (65, 128), (4_096, 4_096), (100_000, 4_096)])
    func roundsTheShardCountUpToAPowerOfTwoBetweenOneAnd4096(requested: Int, expected: Int) {
        #expect(InMemoryQuotaStore(shardCount: requested).shardCount == expected)
    }

    @Test func defaultsToSixtyFourShards() {
        #expect(InMemoryQuotaStore().shardCount == 64)
    }

    @Test func handsATenantWithoutStateAnEmptyOne() {
        let state = Self.read(acme, in: store)
        #expect(state.isEmpty)
        #expect(state.wordCount == 0)
        #expect(store.count == 0)
    }

    @Test(arguments: [
        [42], [.min, .max], [1, -2, 3], [1, 2, 3, 4], Array(-5...4), (0..<25).map { Int64.max - $0 },
    ] as [[Int64]])
    func keepsExactlyTheWordsABodyLeavesBehind(words: [Int64]) {
        Self.write(words, for: acme, in: store, shape: 0xABCDE)
        let state = Self.read(acme, in: store)
        #expect(state.shape == 0xABCDE)
        #expect(state.expiresAt == Self.startSeconds + 60)
        #expect(Self.words(of: state).prefix(words.count) == words[...])
        #expect(store.count == 1)
    }

    @Test func dropsTheExtraWordsWhenAStateShrinksBackToTheInlineOnes() {
        Self.write(Array(1...10), for: acme, in: store)
        Self.write([7, 8], for: acme, in: store)
        let state = Self.read(acme, in: store)
        #expect(state.wordCount == 3)
        #expect(Self.words(of: state) == [7, 8, 3])
        #expect((3..<10).map { state[$0] } == Array(repeating: 0, count: 7))
    }

    @Test func handsAStateWhoseExpiryHasComeToTheBodyAsEmpty() {
        Self.write([1, 2], for: acme, in: store, expiresIn: 60)
        let lastSecond = Self.read(acme, in: store, now: Self.start + .milliseconds(59_999))
        let expired = Self.read(acme, in: store, now: Self.start + .seconds(60))
        #expect(Self.words(of: lastSecond).prefix(2) == [1, 2])
        #expect(expired.isEmpty)
        #expect(store.count == 0)
    }

    @Test func reusesTheEntryOfAnExpiredStateForTheSameTenant() {
        Self.write([1, 2], for: acme, in: store, expiresIn: 60)
        Self.write([3, 4], for: acme, in: store, expiresIn: 200, now: Self.start + .seconds(100))
        let state = Self.read(acme, in: store, now: Self.start + .seconds(100))
        #expect(Self.words(of: state).prefix(2) == [3, 4])
        #expect(store.count == 1)
    }

    @Test func removesTheEntryWhenTheBodyEmptiesTheState() {
        Self.write([1, 2, 3, 4, 5], for: acme, in: store)
        store.withState(of: acme, now: Self.start) { $0 = QuotaState() }
        #expect(store.count == 0)
        #expect(Self.read(acme, in: store).isEmpty)
    }

    @Test func doesNotKeepAStateThatExpiresBeforeTheBodyReturns() {
        Self.write([1], for: acme, in: store, expiresIn: 0)
        #expect(store.count == 0)
    }

    @Test func serialisesConcurrentBodiesForOneTenant() async {
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<1_000 {
                group.addTask {
                    store.withState(of: acme, now: Self.start) { state in
                        state.shape = 1
                        state.expiresAt = Self.startSeconds + 60
                        state[0] += 1
                    }
                }
            }
        }
        #expect(Self.read(acme, in: store)[0] == 1_000)
    }

    @Test func evictExpiredRemovesExactlyTheStatesWhoseExpiryHasCome() throws {
        let tenants = try ["a", "b", "c"].map { try TenantID($0) }
        for (index, tenant) in tenants.enumerated() {
            Self.write([Int64(index)], for: tenant, in: store, expiresIn: UInt32(10 * (index + 1)))
        }
        let none = store.evictExpired(now: Self.start + .milliseconds(9_999))
        let two = store.evictExpired(now: Self.start + .seconds(20))
        #expect(none == 0)
        #expect(two == 2)
        #expect(store.count == 1)
        #expect(Self.read(tenants[2], in: store, now: Self.start + .seconds(20))[0] == 2)
    }

    @Test func evictsAFixedWindowStateWhenItsWindowEnds() async throws {
        let engine = FixedWindowQuota(store: store, clock: clock)
        clock.set(.minute(0, second: 30))
        _ = try await engine.consume(QuotaCost(), for: acme, under: .one(.fixedWindow, .minute, requests: 10))
        let beforeTheEnd = store.evictExpired(now: .minute(0, second: 59, nanosecond: 999_999_999))
        let countBefore = store.count
        let atTheEnd = store.evictExpired(now: .minute(1))
        #expect(beforeTheEnd == 0)
        #expect(countBefore == 1)
        #expect(atTheEnd == 1)
        #expect(store.count == 0)
    }

    @Test func evictsASlidingWindowStateWhenTheWindowAfterItEnds() async throws {
        let engine = SlidingWindowQuota(store: store, clock: clock)
        clock.set(.minute(0, second: 30))
        _ = try await engine.consume(QuotaCost(), for: acme, under: .one(.slidingWindow, .minute, requests: 10))
        let whileItStillWeighs = store.evictExpired(now: .minute(1, second: 59))
        let afterwards = store.evictExpired(now: .minute(2))
        #expect(whileItStillWeighs == 0)
        #expect(afterwards == 1)
        #expect(store.count == 0)
    }

    @Test func evictsATokenBucketStateOnceTheBucketIsFullAgain() async throws {
        let engine = TokenBucketQuota(store: store, clock: clock)
        _ = try await engine.admitted(3, for: acme, under: .one(.tokenBucket, .minute, requests: 10))
        let refilling = store.evictExpired(now: .minute(0, second: 17, nanosecond: 999_999_999))
        let full = store.evictExpired(now: .minute(0, second: 18))
        #expect(refilling == 0)
        #expect(full == 1)
        #expect(store.count == 0)
    }

    @Test func evictsAMultiLimitStateOnlyWhenItsLongestWindowEnds() async throws {
        let engine = FixedWindowQuota(store: store, clock: clock)
        let quota = QuotaConfig(
            algorithm: .fixedWindow,
            limits: [QuotaLimit(window: .minute, requests: 10), QuotaLimit(window: .hour, requests: 100)])
        _ = try await engine.consume(QuotaCost(), for: acme, under: quota)
        let minuteOver = store.evictExpired(now: .minute(1))
        let hourOver = store.evictExpired(now: .minute(60))
        #expect(minuteOver == 0)
        #expect(hourOver == 1)
    }

    @Test func sweepsExpiredStatesAsOtherTenantsAreInserted() throws {
        let store = InMemoryQuotaStore(shardCount: 1)
        Self.write([1], for: try TenantID("a"), in: store, expiresIn: 10)
        Self.write([2], for: try TenantID("b"), in: store, expiresIn: 10)
        let countBefore = store.count
        Self.write([3], for: try TenantID("c"), in: store, expiresIn: 100, now: Self.start + .seconds(10))
        #expect(countBefore == 2)
        #expect(store.count == 1)
    }

    @Test func theSweepOnInsertSkipsLiveStatesAndComesBackToTheFirst() throws {
        let store = InMemoryQuotaStore(shardCount: 1)
        let tenants = try (0..<6).map { try TenantID("t\($0)") }
        // t0 and t1 outlive the others: the sweep steps past them before it finds the expired ones.
        for (index, tenant) in tenants.enumerated() {
            Self.write([Int64(index)], for: tenant, in: store, expiresIn: index < 2 ? 1_000 : 10)
        }
        let later = Self.start + .seconds(10)
        for index in 0..<4 {
            Self.write([Int64(100 + index)], for: try TenantID("new\(index)"), in: store, expiresIn: 1_000, now: later)
        }
        #expect(store.count == 6)
        #expect(Self.read(tenants[0], in: store, now: later)[0] == 0)
        #expect(Self.read(tenants[1], in: store, now: later)[0] == 1)
    }

    /// Ten thousand tenants with words inline and in the side table, three expiry groups: the index grows
    /// to hold them, then mass expiry removes them by backward-shift deletion and shrinks the index, and every
    /// survivor must still be found with its words intact.
    @Test(arguments: [1, 8])
    func growsToTenThousandTenantsAndShrinksAfterMassExpiryKeepingEverySurvivor(shardCount: Int) throws {
        let store = InMemoryQuotaStore(shardCount: shardCount)
        let tenants = try (0..<10_000).map { try TenantID("tenant-\($0)") }
        func expiresIn(_ index: Int) -> UInt32 { index % 2 == 0 ? 10 : (index % 20 == 1 ? 1_000 : 100) }
        for (index, tenant) in tenants.enumerated() {
            Self.write(Self.bulkWords(index), for: tenant, in: store, expiresIn: expiresIn(index))
        }
        let grown = store.indexCapacity

        let firstWave = store.evictExpired(now: Self.start + .seconds(10))
        let halfSurvive = tenants.indices.filter { expiresIn($0) > 10 }.allSatisfy { index in
            Self.words(of: Self.read(tenants[index], in: store, now: Self.start + .seconds(10))).prefix(
                Self.bulkWords(index).count) == Self.bulkWords(index)[...]
        }
        let secondWave = store.evictExpired(now: Self.start + .seconds(100))
        let shrunk = store.indexCapacity
        let later = Self.start + .seconds(100)
        let survivorsIntact = tenants.indices.filter { expiresIn($0) > 100 }.allSatisfy { index in
            Self.words(of: Self.read(tenants[index], in: store, now: later)).prefix(Self.bulkWords(index).count)
                == Self.bulkWords(index)[...]
        }
        let evictedAreGone = tenants.indices.filter { expiresIn($0) <= 100 }.allSatisfy { index in
            Self.read(tenants[index], in: store, now: later).isEmpty
        }

        #expect(grown >= 10_000 * 4 / 3)
        #expect(firstWave == 5_000)
        #expect(halfSurvive)
        #expect(secondWave == 4_500)
        #expect(store.count == 500)
        #expect(shrunk < grown / 4)
        #expect(survivorsIntact)
        #expect(evictedAreGone)
    }

    /// A random mix of writes, reads and removals over a small shard, checked against a dictionary after every
    /// step: deletions in the middle of probe runs, at the end of the bucket array and across its wrap-around.
    @Test(arguments: [1, 4])
    func interleavedInsertionsAndRemovalsNeverLoseOrConfuseATenant(shardCount: Int) throws {
        let store = InMemoryQuotaStore(shardCount: shardCount)
        let tenants = try (0..<600).map { try TenantID("t-\($0)") }
        var model: [Int: [Int64]] = [:]
        var random = SplitMix64(seed: 0x7E_4A_4C_59)
        var mismatches: [Int] = []
        for step in 0..<30_000 {
            let index = Int(random.next() % UInt64(tenants.count))
            switch random.next() % 4 {
            case 0, 1:
                let words = (0..<Int(random.next() % 8 + 1)).map { Int64(step * 10 + $0) }
                Self.write(words, for: tenants[index], in: store)
                model[index] = words
            case 2:
                store.removeState(of: tenants[index])
                model[index] = nil
            default:
                let state = Self.read(tenants[index], in: store)
                let expected = model[index]
                if state.isEmpty != (expected == nil) { mismatches.append(step) }
                if let expected, Self.words(of: state).prefix(expected.count) != expected[...] {
                    mismatches.append(step)
                }
            }
        }
        let finalMismatches = tenants.indices.filter { index in
            let state = Self.read(tenants[index], in: store)
            guard let expected = model[index] else { return !state.isEmpty }
            return Self.words(of: state).prefix(expected.count) != expected[...]
        }
        #expect(mismatches.isEmpty)
        #expect(finalMismatches.isEmpty)
        #expect(store.count == model.count)
    }

    @Test func removeStateForgetsOnlyThatTenant() throws {
        let other = try TenantID("globex")
        Self.write(Array(1...6), for: acme, in: store)
        Self.write([9], for: other, in: store)
        store.removeState(of: acme)
        #expect(Self.read(acme, in: store).isEmpty)
        #expect(Self.read(other, in: store)[0] == 9)
        #expect(store.count == 1)
    }

    @Test func removingATenantWithoutStateChangesNothing() throws {
        Self.write([9], for: acme, in: store)
        store.removeState(of: try TenantID("globex"))
        InMemoryQuotaStore().removeState(of: acme)
        #expect(store.count == 1)
    }

    /// Two sliding-window limits in both dimensions: counts below 2^32 share a word, so 6 words.
    @Test func roundTripsAMultiLimitPackedSlidingWindowStateOfSixWords() async throws {
        let engine = SlidingWindowQuota(store: store, clock: clock)
        let quota = QuotaConfig(
            algorithm: .slidingWindow,
            limits: [
                QuotaLimit(window: .minute, requests: 10, tokens: 1_000),
                QuotaLimit(window: .hour, requests: 100, tokens: 5_000),
            ])
        _ = try await engine.consume(QuotaCost(requests: 3, tokens: 300), for: acme, under: quota)
        clock.set(.minute(1))
        _ = try await engine.consume(QuotaCost(requests: 2, tokens: 100), for: acme, under: quota)
        clock.set(.minute(1, second: 30))
        let usage = try await engine.usage(of: acme, under: quota)
        let state = Self.read(acme, in: store, now: clock.now)
        let minute = Timestamp.minute(1).secondsSinceEpoch / 60
        let hour = Timestamp.minute(1).secondsSinceEpoch / 3_600
        func pack(_ current: Int64, _ previous: Int64) -> Int64 { current | previous << 32 }
        #expect(state.wordCount == 6)
        #expect(Self.words(of: state) == [minute, pack(2, 3), pack(100, 300), hour, pack(5, 0), pack(400, 0)])
        // Half the previous minute still weighs: ceil(3 / 2) + 2 and 300 / 2 + 100.
        #expect(usage.entries.map(\.used) == [4, 250, 5, 400])
    }

    /// A size of 2^32 or more gets a word per count: two limits in both dimensions need 10 words, more than
    /// the 3 kept inline and the 8 a state holds without allocating.
    @Test func roundTripsAMultiLimitWideSlidingWindowStateOfTenWords() async throws {
        let engine = SlidingWindowQuota(store: store, clock: clock)
        let quota = QuotaConfig(
            algorithm: .slidingWindow,
            limits: [
                QuotaLimit(window: .minute, requests: 10, tokens: 5_000_000_000),
                QuotaLimit(window: .hour, requests: 100, tokens: 50_000_000_000),
            ])
        _ = try await engine.consume(QuotaCost(requests: 3, tokens: 300), for: acme, under: quota)
        clock.set(.minute(1))
        _ = try await engine.consume(QuotaCost(requests: 2, tokens: 100), for: acme, under: quota)
        clock.set(.minute(1, second: 30))
        let usage = try await engine.usage(of: acme, under: quota)
        let state = Self.read(acme, in: store, now: clock.now)
        let minute = Timestamp.minute(1).secondsSinceEpoch / 60
        let hour = Timestamp.minute(1).secondsSinceEpoch / 3_600
        #expect(state.wordCount == 10)
        #expect(Self.words(of: state) == [minute, 2, 3, 100, 300, hour, 5, 0, 400, 0])
        #expect(usage.entries.map(\.used) == [4, 250, 5, 400])
    }

    /// Both fractions of a token bucket share one word after the two arrival times: 3 words, all inline.
    @Test func roundTripsAPackedTokenBucketWithBothDimensionsInThreeWords() async throws {
        let engine = TokenBucketQuota(store: store, clock: clock)
        let quota = QuotaConfig.one(.tokenBucket, .second, requests: 3, tokens: 7)
        _ = try await engine.consume(QuotaCost(requests: 1, tokens: 2), for: acme, under: quota)
        let state = Self.read(acme, in: store)
        let now = Self.start.nanosecondsSinceEpoch
        // 1/3 s = 333,333,333 + 1/3 ns; 2/7 s = 285,714,285 + 5/7 ns.
        #expect(Self.words(of: state) == [now + 333_333_333, now + 285_714_285, 1 | 5 << 32])
    }

    @Test func stateWordsOutsideTheCapacityReadAsZeroAndIgnoreWrites() {
        var state = QuotaState()
        state[-1] = 7
        state[QuotaState.capacity] = 7
        state[QuotaState.capacity - 1] = 9
        state[2] = 5
        #expect(state[-1] == 0)
        #expect(state[QuotaState.capacity] == 0)
        #expect(state[QuotaState.capacity - 1] == 9)
        #expect(state[2] == 5)
        #expect(state[QuotaState.inlineCapacity] == 0)
    }

    /// A size of 2^32 or more keeps each fraction in its own word.
    @Test func roundTripsAWideTokenBucketWithAFractionWordPerDimension() async throws {
        let engine = TokenBucketQuota(store: store, clock: clock)
        let quota = QuotaConfig.one(.tokenBucket, .second, requests: 3, tokens: 7_000_000_000)
        _ = try await engine.consume(QuotaCost(requests: 1, tokens: 2), for: acme, under: quota)
        let state = Self.read(acme, in: store)
        let now = Self.start.nanosecondsSinceEpoch
        // 2 tokens of 7e9 per second are 2e9 / 7e9 of a nanosecond: whole 0, fraction 2e9.
        #expect(Self.words(of: state) == [now + 333_333_333, now, 1, 2_000_000_000])
    }

    @Test func aTokenBucketKeepsItsArrivalTimesWhenALimitChangeAltersThePacking() async throws {
        let engine = TokenBucketQuota(store: store, clock: clock)
        _ = try await engine.consume(
            QuotaCost(tokens: 3_000_000_000), for: acme, under: .one(.tokenBucket, .minute, tokens: 6_000_000_000))
        // Half the bucket is spent: 30 s until full. At a limit of 600 that is 300 tokens short.
        let usage = try await engine.usage(of: acme, under: .one(.tokenBucket, .minute, tokens: 600))
        #expect(usage.entries.map(\.remaining) == [300])
    }
}
