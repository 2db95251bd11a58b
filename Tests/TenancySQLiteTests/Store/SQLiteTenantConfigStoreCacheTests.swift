import Foundation
import Tenancy
import Testing

@testable import TenancySQLite

/// The read path: config cache, negative cache, known-tenant filter, single flight and invalidation.
@Suite struct SQLiteTenantConfigStoreCacheTests {
    let directory = TemporaryDirectory()
    let clock = ManualClock(at: Timestamp(year: 2026, month: 1, day: 1))

    func open(_ configuration: SQLiteTenantConfigStore.Configuration = storeConfiguration()) throws -> SQLiteTenantConfigStore {
        try SQLiteTenantConfigStore(path: directory.file("tenants.sqlite"), configuration: configuration, clock: clock)
    }

    func seed(_ store: SQLiteTenantConfigStore, _ ids: String...) throws {
        for id in ids {
            _ = try store.upsert(TenantConfig(id: .valid(id), metadata: ["plan": "pro"]), condition: .always)
        }
    }

    // MARK: - Config cache

    @Test func aSecondLookupIsACacheHitWithoutAQuery() throws {
        let store = try open()
        try seed(store, "acme")
        let first = try store.configSynchronously(for: .valid("acme"))
        let second = try store.configSynchronously(for: .valid("acme"))
        #expect(first == second)
        #expect(store.statistics.loads == 1)
        #expect(store.statistics.hits == 1)
        #expect(store.statistics.cachedConfigs == 1)
    }

    @Test func aCachedConfigIsReadAgainAfterItsTimeToLive() throws {
        let store = try open()
        try seed(store, "acme")
        _ = try store.configSynchronously(for: .valid("acme"))
        clock.advance(by: .seconds(29))
        _ = try store.configSynchronously(for: .valid("acme"))
        #expect(store.statistics.loads == 1)
        clock.advance(by: .seconds(1))
        _ = try store.configSynchronously(for: .valid("acme"))
        #expect(store.statistics.loads == 2)
        #expect(store.statistics.expirations == 1)
    }

    @Test func theCacheIsBoundedAndEvictsTheLeastRecentlyUsed() throws {
        let store = try open(storeConfiguration(cacheCapacity: 3))
        try seed(store, "a", "b", "c", "d")
        for id in ["a", "b", "c", "a", "d"] {
            _ = try store.configSynchronously(for: .valid(id))
        }
        #expect(store.statistics.cachedConfigs == 3)
        #expect(store.statistics.evictions == 1)
        let loads = store.statistics.loads
        _ = try store.configSynchronously(for: .valid("a"))
        #expect(store.statistics.loads == loads)
        _ = try store.configSynchronously(for: .valid("b"))
        #expect(store.statistics.loads == loads + 1)
    }

    @Test func aZeroCapacityCacheQueriesEveryTime() throws {
        let store = try open(storeConfiguration(cacheCapacity: 0, negativeCacheCapacity: 0))
        try seed(store, "acme")
        for _ in 0..<3 { _ = try store.configSynchronously(for: .valid("acme")) }
        for _ in 0..<3 { _ = try store.configSynchronously(for: .valid("ghost")) }
        #expect(store.statistics.loads == 6)
    }

    @Test func aCallerCannotChangeTheCachedConfigThroughItsCopy() throws {
        let store = try open()
        try seed(store, "acme")
        var copy = try #require(try store.configSynchronously(for: .valid("acme")))
        copy.metadata["plan"] = "free"
        copy.policy.allowedModels.append("gpt-4o")
        #expect(try store.configSynchronously(for: .valid("acme"))?.metadata == ["plan": "pro"])
        #expect(try store.configSynchronously(for: .valid("acme"))?.policy.allowedModels == [])
    }

    // MARK: - Negative cache

    @Test func anUnknownIDIsRememberedForTheNegativeTimeToLive() throws {
        let store = try open()
        #expect(try store.configSynchronously(for: .valid("ghost")) == nil)
        #expect(try store.configSynchronously(for: .valid("ghost")) == nil)
        #expect(store.statistics.loads == 1)
        #expect(store.statistics.negativeHits == 1)
        clock.advance(by: .seconds(5))
        #expect(try store.configSynchronously(for: .valid("ghost")) == nil)
        #expect(store.statistics.loads == 2)
    }

    @Test func aFloodOfUnknownIDsStaysWithinTheNegativeCacheAndNeverEvictsRealTenants() throws {
        let store = try open(storeConfiguration(cacheCapacity: 10, negativeCacheCapacity: 50))
        try seed(store, "acme")
        _ = try store.configSynchronously(for: .valid("acme"))
        for index in 0..<2_000 {
            #expect(try store.configSynchronously(for: .valid("random-\(index)")) == nil)
        }
        let statistics = store.statistics
        #expect(statistics.cachedUnknownIDs == 50)
        #expect(statistics.negativeEvictions == 1_950)
        #expect(statistics.cachedConfigs == 1)
        let loads = statistics.loads
        _ = try store.configSynchronously(for: .valid("acme"))
        #expect(store.statistics.loads == loads)
    }

    // MARK: - Known-tenant filter

    @Test func theFilterAnswersUnknownIDsWithoutQueries() throws {
        let store = try open(storeConfiguration(negativeCacheCapacity: 10, pollInterval: .seconds(3_600), filter: true))
        try seed(store, "acme", "globex")
        for index in 0..<20_000 {
            #expect(try store.configSynchronously(for: .valid("attacker-\(index)")) == nil)
        }
        let statistics = store.statistics
        // About 0.06% of unknown IDs pass the filter; each costs one query.
        #expect(statistics.loads < 60)
        #expect(statistics.filterRejections + statistics.loads == 20_000)
        #expect(statistics.cachedUnknownIDs <= 10)
        #expect(statistics.filterBytes == 2_048)
        #expect(try store.configSynchronously(for: .valid("acme"))?.id == .valid("acme"))
    }

    @Test func aTenantCreatedThroughTheStoreIsFoundAtOnceDespiteTheFilter() throws {
        let store = try open(storeConfiguration(pollInterval: .seconds(3_600), filter: true))
        #expect(try store.configSynchronously(for: .valid("acme")) == nil)
        try seed(store, "acme")
        #expect(try store.configSynchronously(for: .valid("acme"))?.id == .valid("acme"))
    }

    @Test func theFilterGrowsWithTheTenantsAndKeepsFindingThemAll() throws {
        let store = try open(storeConfiguration(cacheCapacity: 0, pollInterval: .seconds(3_600), filter: true))
        for index in 0..<2_100 {
            _ = try store.upsert(TenantConfig(id: .valid("t\(index)")), condition: .mustNotExist)
        }
        #expect(store.statistics.filterBytes > 4_096)
        for index in stride(from: 0, to: 2_100, by: 7) {
            #expect(try store.configSynchronously(for: .valid("t\(index)")) != nil)
        }
    }

    @Test func theFilterIsOffWithoutPolling() throws {
        let store = try open(storeConfiguration(pollInterval: nil, filter: true))
        _ = try store.configSynchronously(for: .valid("ghost"))
        #expect(store.statistics.filterBytes == 0)
        #expect(store.statistics.loads == 1)
    }

    // MARK: - Invalidation

    @Test func aWriteThroughTheStoreIsVisibleToTheNextLookup() throws {
        let store = try open()
        try seed(store, "acme")
        #expect(try store.configSynchronously(for: .valid("acme"))?.version == 1)
        try seed(store, "acme")
        #expect(try store.configSynchronously(for: .valid("acme"))?.version == 2)
        _ = try store.delete(.valid("acme"), condition: .always)
        #expect(try store.configSynchronously(for: .valid("acme")) == nil)
        try seed(store, "acme")
        #expect(try store.configSynchronously(for: .valid("acme"))?.version == 3)  // continues from its tombstone
        #expect(store.statistics.invalidations == 4)
    }

    @Test func creatingATenantClearsItsNegativeEntry() throws {
        let store = try open()
        #expect(try store.configSynchronously(for: .valid("acme")) == nil)
        try seed(store, "acme")
        #expect(try store.configSynchronously(for: .valid("acme")) != nil)
    }

    @Test func aLoadThatReadTheOldRowBeforeAWriteDoesNotCacheIt() throws {
        let reachedHook = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        var configuration = storeConfiguration()
        configuration.afterLoadQuery = { _ in
            reachedHook.signal()
            release.wait()
        }
        let store = try open(configuration)
        try seed(store, "acme")
        let stale = Collector<Int64?>()
        let loader = Thread {
            stale.append((try? store.configSynchronously(for: .valid("acme")))?.version)
        }
        loader.start()
        reachedHook.wait()
        // The loader has read version 1 and not published it; a write commits version 2 meanwhile.
        try seed(store, "acme")
        release.signal()
        #expect(eventually { stale.all.count == 1 })
        #expect(stale.all == [1])
        // The detached load did not cache version 1, so the next lookup queries and sees version 2.
        release.signal()
        #expect(try store.configSynchronously(for: .valid("acme"))?.version == 2)
        #expect(store.statistics.loads == 2)
    }

    // MARK: - Single flight

    @Test(arguments: [true, false])
    func concurrentLookupsOfAColdIDIssueExactlyOneQuery(_ exists: Bool) throws {
        let threads = 16
        let reachedHook = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        var configuration = storeConfiguration()
        configuration.afterLoadQuery = { _ in
            reachedHook.signal()
            release.wait()
        }
        let store = try open(configuration)
        if exists { try seed(store, "cold") }
        let results = Collector<TenantConfig?>()
        let errors = Collector<String>()
        let done = DispatchGroup()
        done.enter()
        Thread {
            onThreads(threads) { _ in
                do {
                    results.append(try store.configSynchronously(for: .valid("cold")))
                } catch {
                    errors.append("\(error)")
                }
            }
            done.leave()
        }.start()
        reachedHook.wait()
        // Hold the leader's query until every other thread is waiting on it.
        #expect(eventually { store.statistics.joinedLoads == UInt64(threads - 1) })
        release.signal()
        done.wait()
        #expect(errors.all == [])
        #expect(results.all.count == threads)
        #expect(Set(results.all.map { $0?.id }) == [exists ? .valid("cold") : nil])
        #expect(store.statistics.loads == 1)
    }

    @Test func waitersShareTheLeadersFailure() throws {
        let threads = 6
        let reachedHook = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        var configuration = storeConfiguration()
        configuration.afterLoadQuery = { _ in
            reachedHook.signal()
            release.wait()
        }
        let store = try open(configuration)
        try seed(store, "acme")
        let raw = try SQLiteConnection(path: directory.file("tenants.sqlite"))
        try raw.execute("UPDATE tenants SET status = 'gone' WHERE id = 'acme'")
        let errors = Collector<TenancyError>()
        let done = DispatchGroup()
        done.enter()
        Thread {
            onThreads(threads) { _ in
                do throws(TenancyError) {
                    _ = try store.configSynchronously(for: .valid("acme"))
                } catch {
                    errors.append(error)
                }
            }
            done.leave()
        }.start()
        reachedHook.wait()
        #expect(eventually { store.statistics.joinedLoads == UInt64(threads - 1) })
        release.signal()
        done.wait()
        #expect(errors.all.count == threads)
        #expect(Set(errors.all.map(\.message)).count == 1)
        #expect(store.statistics.loads == 1)
        #expect(store.statistics.loadFailures == 1)
        // Failures are not cached: the next lookup queries again.
        release.signal()
        #expect(throws: TenancyError.self) { try store.configSynchronously(for: .valid("acme")) }
        #expect(store.statistics.loads == 2)
    }

    // MARK: - Writes by other connections

    @Test func anotherStoresWriteIsPickedUpByAnExplicitPoll() throws {
        let mine = try open()
        let theirs = try open()
        try seed(mine, "acme")
        #expect(try mine.configSynchronously(for: .valid("acme"))?.version == 1)
        #expect(try mine.configSynchronously(for: .valid("ghost")) == nil)
        #expect(try mine.pollForExternalChanges() == false)
        try seed(theirs, "acme", "ghost")
        // Until the poll, this store serves what it cached.
        #expect(try mine.configSynchronously(for: .valid("acme"))?.version == 1)
        #expect(try mine.pollForExternalChanges() == true)
        #expect(try mine.configSynchronously(for: .valid("acme"))?.version == 2)
        #expect(try mine.configSynchronously(for: .valid("ghost")) != nil)
        #expect(mine.statistics.externalChanges == 1)
        #expect(try mine.pollForExternalChanges() == false)
    }

    @Test func thisStoresOwnWritesAreNotMistakenForExternalChanges() throws {
        let store = try open()
        try seed(store, "a", "b", "c")
        _ = try store.delete(.valid("b"), condition: .always)
        #expect(try store.pollForExternalChanges() == false)
        #expect(store.statistics.externalChanges == 0)
    }

    @Test func theBackgroundPollPicksUpAnotherProcesssNewTenantDespiteTheFilter() throws {
        let mine = try open(storeConfiguration(pollInterval: .milliseconds(20), filter: true))
        #expect(try mine.configSynchronously(for: .valid("newcomer")) == nil)
        let theirs = try open()
        try seed(theirs, "newcomer")
        #expect(eventually { (try? mine.configSynchronously(for: .valid("newcomer"))) != nil })
        #expect(mine.statistics.externalChanges >= 1)
        mine.close()
    }

    @Test func aStoreReleasedWithoutClosingStopsItsPoll() throws {
        weak var weakStore: SQLiteTenantConfigStore?
        do {
            let store = try open(storeConfiguration(pollInterval: .milliseconds(5)))
            weakStore = store
            usleep(20_000)
        }
        #expect(eventually { weakStore == nil })
    }
}
