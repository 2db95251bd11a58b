import Synchronization
import Testing

@testable import Tenancy

@Suite struct TenantScopedCacheTests {
    typealias Backend = LRUCache<TenantCacheEntry<String>>

    static func makeCache(
        capacity: Int = 64,
        clock: any TenancyClock = SystemClock()
    ) throws
        -> (TenantScopedCache<String, Backend>, Backend)
    {
        let backend = try Backend(capacity: capacity, clock: clock)
        return (TenantScopedCache(backend: backend), backend)
    }

    @Test func returnsAValueOnlyToTheTenantThatStoredIt() async throws {
        let (cache, _) = try Self.makeCache()
        let acme = try TenantID("acme")
        let globex = try TenantID("globex")
        try await cache.set("plan", to: "pro", for: acme)
        #expect(try await cache.get("plan", for: acme) == "pro")
        #expect(try await cache.get("plan", for: globex) == nil)
    }

    @Test(arguments: [
        ("a", "b:c", "b", "c"),
        ("a", "b:c", "a.b", "c"),
        ("a", "b", "a.b", ""),
        ("a.b", "c", "a", "b.c"),
        ("a", "1:b", "a", "b"),
        ("a", "", "a", ":"),
        ("a", "x\n", "a", "x"),
        ("a", "gen", "a", ""),
    ])
    func keepsTrickyPairsApart(
        _ firstTenant: String,
        _ firstKey: String,
        _ secondTenant: String,
        _ secondKey: String
    ) async throws {
        let (cache, _) = try Self.makeCache()
        let first = try TenantID(firstTenant)
        let second = try TenantID(secondTenant)
        try await cache.set(firstKey, to: "first", for: first)
        #expect(try await cache.get(secondKey, for: second) == nil)
        try await cache.set(secondKey, to: "second", for: second)
        #expect(try await cache.get(firstKey, for: first) == "first")
        #expect(try await cache.get(secondKey, for: second) == "second")
        try await cache.remove(secondKey, for: second)
        #expect(try await cache.get(firstKey, for: first) == "first")
    }

    @Test func aKeyNamedLikeTheGenerationKeyCannotReplaceTheGeneration() async throws {
        let (cache, backend) = try Self.makeCache()
        let acme = try TenantID("acme")
        try await cache.set("old", to: "1", for: acme)
        try await cache.set("gen", to: "2", for: acme)
        try await cache.set(":gen", to: "3", for: acme)
        guard case .generation = backend.get("t:acme:gen") else {
            Issue.record("the generation entry was replaced")
            return
        }
        try await cache.clear(acme)
        #expect(try await cache.get("old", for: acme) == nil)
        #expect(try await cache.get("gen", for: acme) == nil)
    }

    @Test func storesKeysWithColonsNewlinesAndTheEmptyKey() async throws {
        let (cache, _) = try Self.makeCache()
        let acme = try TenantID("acme")
        let keys = ["", ":", "a:b:c", "line\nbreak", "\r\n", "t:acme:gen", String(repeating: "k", count: 1_024)]
        for key in keys { try await cache.set(key, to: key.debugDescription, for: acme) }
        for key in keys { #expect(try await cache.get(key, for: acme) == key.debugDescription) }
    }

    @Test func storesValuesUnderThePrefixedGenerationKey() async throws {
        let backend = try Backend(capacity: 8)
        let cache = TenantScopedCache(backend: backend, makeGeneration: { 7 })
        try await cache.set("user:1", to: "ada", for: try TenantID("acme"))
        #expect(backend.get("t:acme:7:user:1") == .value("ada"))
        #expect(backend.get("t:acme:gen") == .generation(7))
    }

    @Test func clearMakesEveryEntryOfTheTenantUnreachableAndLeavesOthersAlone() async throws {
        let (cache, _) = try Self.makeCache()
        let acme = try TenantID("acme")
        let globex = try TenantID("globex")
        for key in ["a", "b", "c"] {
            try await cache.set(key, to: key, for: acme)
            try await cache.set(key, to: key, for: globex)
        }
        try await cache.clear(acme)
        for key in ["a", "b", "c"] {
            #expect(try await cache.get(key, for: acme) == nil)
            #expect(try await cache.get(key, for: globex) == key)
        }
        try await cache.set("a", to: "new", for: acme)
        #expect(try await cache.get("a", for: acme) == "new")
        #expect(try await cache.get("b", for: acme) == nil)
    }

    @Test func clearingATenantWithNoEntriesSucceeds() async throws {
        let (cache, _) = try Self.makeCache()
        let acme = try TenantID("acme")
        try await cache.clear(acme)
        #expect(try await cache.get("a", for: acme) == nil)
        try await cache.set("a", to: "1", for: acme)
        #expect(try await cache.get("a", for: acme) == "1")
    }

    @Test func clearedEntriesAgeOutOfTheLRUBackendFirst() async throws {
        let (cache, backend) = try Self.makeCache(capacity: 11)
        let acme = try TenantID("acme")
        for index in 0..<10 { try await cache.set("old-\(index)", to: "\(index)", for: acme) }
        try await cache.clear(acme)
        for index in 0..<10 { try await cache.set("new-\(index)", to: "\(index)", for: acme) }
        #expect(backend.count == 11)
        let keys = backend.keysByRecency
        #expect(keys.contains("t:acme:gen"))
        #expect(keys.allSatisfy { !$0.contains(":old-") })
        for index in 0..<10 { #expect(try await cache.get("new-\(index)", for: acme) == "\(index)") }
    }

    @Test func aClearThroughOneScopedCacheIsSeenByAnotherSharingTheBackend() async throws {
        let backend = try Backend(capacity: 16)
        let first = TenantScopedCache(backend: backend)
        let second = TenantScopedCache(backend: backend)
        let acme = try TenantID("acme")
        try await first.set("a", to: "1", for: acme)
        #expect(try await second.get("a", for: acme) == "1")
        try await second.clear(acme)
        #expect(try await first.get("a", for: acme) == nil)
    }

    @Test func aClearedGenerationIsNeverRevivedWhenTheGenerationKeyIsLost() async throws {
        let (cache, backend) = try Self.makeCache()
        let acme = try TenantID("acme")
        try await cache.set("a", to: "before", for: acme)
        backend.remove(TenantCacheKey.generationKey(of: acme))
        #expect(try await cache.get("a", for: acme) == nil)
        try await cache.set("b", to: "after", for: acme)
        #expect(try await cache.get("a", for: acme) == nil)
        #expect(try await cache.get("b", for: acme) == "after")
    }

    @Test func removeDeletesOnlyTheTenantsKey() async throws {
        let (cache, _) = try Self.makeCache()
        let acme = try TenantID("acme")
        let globex = try TenantID("globex")
        try await cache.remove("a", for: acme)
        try await cache.set("a", to: "1", for: acme)
        try await cache.set("a", to: "2", for: globex)
        try await cache.remove("a", for: acme)
        #expect(try await cache.get("a", for: acme) == nil)
        #expect(try await cache.get("a", for: globex) == "2")
    }

    @Test func passesTheTimeToLiveToTheBackend() async throws {
        let clock = ManualClock(at: Timestamp(year: 2026, month: 1, day: 1))
        let (cache, _) = try Self.makeCache(clock: clock)
        let acme = try TenantID("acme")
        try await cache.set("a", to: "1", for: acme, timeToLive: .seconds(10))
        clock.advance(by: .seconds(9))
        #expect(try await cache.get("a", for: acme) == "1")
        clock.advance(by: .seconds(1))
        #expect(try await cache.get("a", for: acme) == nil)
        try await cache.set("b", to: "2", for: acme)
        #expect(try await cache.get("b", for: acme) == "2")
    }

    @Test func rejectsANonPositiveTimeToLiveBeforeTouchingTheBackend() async throws {
        let (cache, backend) = try Self.makeCache()
        await #expect(
            throws: TenancyError(.invalidArgument, "cache time to live must be at least 1 nanosecond; got 0.0 seconds")
        ) {
            try await cache.set("a", to: "1", for: TenantID("acme"), timeToLive: .zero)
        }
        #expect(backend.count == 0)
    }

    @Test func rejectsAKeyLongerThan1024BytesOnEveryOperation() async throws {
        let (cache, _) = try Self.makeCache()
        let acme = try TenantID("acme")
        let key = String(repeating: "k", count: 1_025)
        let expected = TenancyError(.invalidArgument, "cache key is 1025 bytes long; at most 1024 are allowed")
        await #expect(throws: expected) { try await cache.set(key, to: "1", for: acme) }
        await #expect(throws: expected) { try await cache.get(key, for: acme) }
        await #expect(throws: expected) { try await cache.remove(key, for: acme) }
    }

    @Test func passesBackendFailuresThrough() async throws {
        let cache = TenantScopedCache(backend: FailingCache<String>())
        let acme = try TenantID("acme")
        let expected = TenancyError(.backendUnavailable, "cache is down")
        await #expect(throws: expected) { try await cache.get("a", for: acme) }
        await #expect(throws: expected) { try await cache.set("a", to: "1", for: acme) }
        await #expect(throws: expected) { try await cache.remove("a", for: acme) }
        await #expect(throws: expected) { try await cache.clear(acme) }
    }
}

/// A backend that fails every call, like a remote cache that is unreachable.
private struct FailingCache<Wrapped: Sendable>: TenantCache {
    typealias Value = TenantCacheEntry<Wrapped>

    func get(_ key: String) async throws(TenancyError) -> Value? {
        throw TenancyError(.backendUnavailable, "cache is down")
    }

    func set(_ key: String, to value: Value, timeToLive: Duration?) async throws(TenancyError) {
        throw TenancyError(.backendUnavailable, "cache is down")
    }

    func remove(_ key: String) async throws(TenancyError) {
        throw TenancyError(.backendUnavailable, "cache is down")
    }
}
