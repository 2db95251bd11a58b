import Testing

@testable import Tenancy

@Suite struct ExpiringLRUTests {
    func value(_ cache: inout ExpiringLRU<String, Int>, _ key: String, now: Int64 = 0) -> Int? {
        if case .hit(let value) = cache.lookup(key, now: now) { return value }
        return nil
    }

    @Test func evictsTheLeastRecentlyUsedEntryWhenFull() {
        var cache = ExpiringLRU<String, Int>(capacity: 3)
        let evictedA = cache.insert("a", 1, expiresAt: .max)
        #expect(!evictedA)
        let evictedB = cache.insert("b", 2, expiresAt: .max)
        #expect(!evictedB)
        let evictedC = cache.insert("c", 3, expiresAt: .max)
        #expect(!evictedC)
        #expect(value(&cache, "a") == 1)
        let evictedD = cache.insert("d", 4, expiresAt: .max)
        #expect(evictedD)
        #expect(cache.keysByRecency == ["d", "a", "c"])
        #expect(value(&cache, "b") == nil)
        #expect(cache.count == 3)
    }

    @Test func anEntryExpiresAtItsDeadlineAndIsRemoved() {
        var cache = ExpiringLRU<String, Int>(capacity: 2)
        cache.insert("a", 1, expiresAt: 100)
        #expect(value(&cache, "a", now: 99) == 1)
        guard case .expired = cache.lookup("a", now: 100) else {
            Issue.record("expected the entry to have expired")
            return
        }
        #expect(cache.count == 0)
        guard case .miss = cache.lookup("a", now: 100) else {
            Issue.record("expected a miss after the expiry")
            return
        }
    }

    @Test func reinsertingReplacesTheValueAndExpiryAndRefreshesRecency() {
        var cache = ExpiringLRU<String, Int>(capacity: 2)
        cache.insert("a", 1, expiresAt: 10)
        cache.insert("b", 2, expiresAt: .max)
        let evictedAgain = cache.insert("a", 5, expiresAt: 1_000)
        #expect(!evictedAgain)
        #expect(cache.keysByRecency == ["a", "b"])
        #expect(value(&cache, "a", now: 500) == 5)
    }

    @Test func removedSlotsAreReusedSoStorageStaysBounded() {
        var cache = ExpiringLRU<String, Int>(capacity: 2)
        for round in 0..<100 {
            cache.insert("k\(round)", round, expiresAt: .max)
            cache.remove("k\(round)")
        }
        cache.insert("x", 1, expiresAt: .max)
        cache.insert("y", 2, expiresAt: .max)
        cache.remove("x")
        cache.remove("absent")
        #expect(cache.keysByRecency == ["y"])
        cache.removeAll()
        #expect(cache.count == 0)
        #expect(cache.keysByRecency == [])
        cache.insert("z", 3, expiresAt: .max)
        #expect(value(&cache, "z") == 3)
    }

    @Test func aZeroCapacityCacheHoldsNothing() {
        var cache = ExpiringLRU<String, Int>(capacity: 0)
        let evictedA = cache.insert("a", 1, expiresAt: .max)
        #expect(!evictedA)
        #expect(cache.count == 0)
        #expect(ExpiringLRU<String, Int>(capacity: -4).capacity == 0)
    }
}
