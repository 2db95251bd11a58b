import Testing

@testable import Tenancy

@Suite struct LRUCacheTests {
    static let start = Timestamp(year: 2026, month: 1, day: 1)

    @Test func returnsTheStoredValueAndNilForAMissingKey() throws {
        let cache = try LRUCache<Int>(capacity: 4)
        try cache.set("a", to: 1)
        #expect(cache.get("a") == 1)
        #expect(cache.get("b") == nil)
    }

    @Test func evictsTheLeastRecentlyUsedEntryWhenFull() throws {
        let cache = try LRUCache<Int>(capacity: 3)
        try cache.set("a", to: 1)
        try cache.set("b", to: 2)
        try cache.set("c", to: 3)
        try cache.set("d", to: 4)
        #expect(cache.get("a") == nil)
        #expect(cache.keysByRecency == ["d", "c", "b"])
        #expect(cache.count == 3)
    }

    @Test func aLookupMakesAnEntryTheMostRecentlyUsed() throws {
        let cache = try LRUCache<Int>(capacity: 3)
        for (index, key) in ["a", "b", "c"].enumerated() { try cache.set(key, to: index) }
        #expect(cache.get("a") == 0)
        try cache.set("d", to: 3)
        #expect(cache.keysByRecency == ["d", "a", "c"])
        #expect(cache.get("b") == nil)
    }

    @Test func overwritingAKeyReplacesItsValueAndRecencyWithoutEvicting() throws {
        let cache = try LRUCache<Int>(capacity: 2)
        try cache.set("a", to: 1)
        try cache.set("b", to: 2)
        try cache.set("a", to: 10)
        #expect(cache.keysByRecency == ["a", "b"])
        #expect(cache.get("a") == 10)
        #expect(cache.statistics.evictions == 0)
    }

    @Test func removingAnEntryFreesItsSlotForReuse() throws {
        let cache = try LRUCache<Int>(capacity: 2)
        try cache.set("a", to: 1)
        try cache.set("b", to: 2)
        cache.remove("a")
        cache.remove("missing")
        try cache.set("c", to: 3)
        #expect(cache.keysByRecency == ["c", "b"])
        #expect(cache.statistics.evictions == 0)
    }

    @Test func keepsAtMostCapacityEntriesUnderChurn() throws {
        let cache = try LRUCache<Int>(capacity: 100)
        for index in 0..<10_000 {
            try cache.set("key-\(index % 337)", to: index)
            if index % 7 == 0 { cache.remove("key-\((index * 31) % 337)") }
            _ = cache.get("key-\((index * 13) % 337)")
        }
        let keys = cache.keysByRecency
        #expect(keys.count == cache.count)
        #expect(keys.count <= 100)
        #expect(Set(keys).count == keys.count)
    }

    @Test func expiresAnEntryExactlyWhenItsTimeToLivePasses() throws {
        let clock = ManualClock(at: Self.start)
        let cache = try LRUCache<Int>(capacity: 4, clock: clock)
        try cache.set("a", to: 1, timeToLive: .seconds(30))
        clock.advance(by: .seconds(30) - .nanoseconds(1))
        #expect(cache.get("a") == 1)
        clock.advance(by: .nanoseconds(1))
        #expect(cache.get("a") == nil)
        #expect(cache.count == 0)
        #expect(cache.statistics.expirations == 1)
    }

    @Test func keepsAnEntryWithoutTimeToLiveForever() throws {
        let clock = ManualClock(at: Self.start)
        let cache = try LRUCache<Int>(capacity: 4, clock: clock)
        try cache.set("a", to: 1, timeToLive: .seconds(1))
        try cache.set("a", to: 2)
        clock.advance(by: .seconds(100 * 365 * 86_400))
        #expect(cache.get("a") == 2)
    }

    @Test func aTimeToLiveBeyondTheRepresentableRangeNeverExpires() throws {
        let clock = ManualClock(at: Self.start)
        let cache = try LRUCache<Int>(capacity: 4, clock: clock)
        try cache.set("a", to: 1, timeToLive: .seconds(Int64.max))
        clock.set(Timestamp(nanosecondsSinceEpoch: .max - 1))
        #expect(cache.get("a") == 1)
    }

    @Test func removeExpiredDropsOnlyExpiredEntries() throws {
        let clock = ManualClock(at: Self.start)
        let cache = try LRUCache<Int>(capacity: 8, clock: clock)
        try cache.set("short", to: 1, timeToLive: .seconds(1))
        try cache.set("long", to: 2, timeToLive: .seconds(60))
        try cache.set("forever", to: 3)
        try cache.set("short-too", to: 4, timeToLive: .milliseconds(500))
        clock.advance(by: .seconds(2))
        #expect(cache.removeExpired() == 2)
        #expect(cache.keysByRecency == ["forever", "long"])
        #expect(cache.statistics.expirations == 2)
    }

    @Test func countsHitsMissesEvictionsAndExpirations() throws {
        let clock = ManualClock(at: Self.start)
        let cache = try LRUCache<Int>(capacity: 1, clock: clock)
        try cache.set("a", to: 1, timeToLive: .seconds(1))
        _ = cache.get("a")
        _ = cache.get("b")
        clock.advance(by: .seconds(1))
        _ = cache.get("a")
        try cache.set("b", to: 2)
        try cache.set("c", to: 3)
        #expect(cache.statistics == CacheStatistics(hits: 1, misses: 2, evictions: 1, expirations: 1))
    }

    @Test func removeAllEmptiesTheCacheAndKeepsTheStatistics() throws {
        let cache = try LRUCache<Int>(capacity: 4)
        try cache.set("a", to: 1)
        _ = cache.get("a")
        cache.removeAll()
        #expect(cache.count == 0)
        #expect(cache.get("a") == nil)
        #expect(cache.statistics.hits == 1)
        try cache.set("b", to: 2)
        #expect(cache.keysByRecency == ["b"])
    }

    @Test func treatsKeysAsOpaqueStrings() throws {
        let cache = try LRUCache<String>(capacity: 8)
        let keys = ["", ":", "a:b", "a\nb", "\u{0}", String(repeating: "k", count: 5_000)]
        for key in keys { try cache.set(key, to: key) }
        for key in keys { #expect(cache.get(key) == key) }
    }

    @Test(arguments: [0, -1, Int.min])
    func rejectsACapacityBelowOne(_ capacity: Int) {
        #expect(throws: TenancyError(.invalidArgument, "cache capacity must be at least 1; got \(capacity)")) {
            try LRUCache<Int>(capacity: capacity)
        }
    }

    @Test(arguments: [
        Duration.zero, .seconds(-1), .nanoseconds(-1), Duration(secondsComponent: 0, attosecondsComponent: 999_999_999),
    ])
    func rejectsATimeToLiveBelowOneNanosecondAndStoresNothing(_ timeToLive: Duration) throws {
        let cache = try LRUCache<Int>(capacity: 4)
        try cache.set("a", to: 1)
        #expect(
            throws: TenancyError(
                .invalidArgument,
                "cache time to live must be at least 1 nanosecond; got \(timeToLive)"
            )
        ) {
            try cache.set("a", to: 2, timeToLive: timeToLive)
        }
        #expect(cache.get("a") == 1)
    }

    @Test func staysConsistentUnderConcurrentAccess() async throws {
        let cache = try LRUCache<Int>(capacity: 64)
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    for index in 0..<5_000 {
                        let key = "key-\((index &* 7 &+ worker) % 200)"
                        try? cache.set(key, to: index)
                        _ = cache.get(key)
                        if index % 5 == 0 { cache.remove(key) }
                    }
                }
            }
        }
        let keys = cache.keysByRecency
        #expect(keys.count == cache.count)
        #expect(keys.count <= 64)
        #expect(Set(keys).count == keys.count)
        let statistics = cache.statistics
        #expect(statistics.hits + statistics.misses == 40_000)
    }
}
