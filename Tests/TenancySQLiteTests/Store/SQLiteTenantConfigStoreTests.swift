import Foundation
import Tenancy
import Testing

@testable import TenancySQLite

/// CRUD, conditions, pagination and the in-memory store's semantics.
@Suite struct SQLiteTenantConfigStoreTests {
    let directory = TemporaryDirectory()
    let clock = ManualClock(at: Timestamp(year: 2026, month: 1, day: 1))

    func open(_ configuration: SQLiteTenantConfigStore.Configuration = storeConfiguration()) throws -> SQLiteTenantConfigStore {
        try SQLiteTenantConfigStore(path: directory.file("tenants.sqlite"), configuration: configuration, clock: clock)
    }

    static let acme = TenantConfig(
        id: .valid("acme"), status: .active,
        quota: QuotaConfig(
            algorithm: .slidingWindow,
            limits: [QuotaLimit(window: .day, requests: 10_000), QuotaLimit(window: .minute, requests: 600, tokens: 100_000)]),
        policy: PolicyConfig(allowedModels: ["gpt-4o"], allowedMethods: ["get", "POST"], allowedPaths: ["/api/v1/*"]),
        metadata: ["plan": "pro", "owner": "ops@acme.test"])

    // MARK: - CRUD

    @Test func storesAConfigAndReturnsItWithVersionAndTimestamps() throws {
        let store = try open()
        let stored = try store.upsert(Self.acme, condition: .mustNotExist)
        #expect(stored.version == 1)
        #expect(stored.createdAt == clock.now)
        #expect(stored.updatedAt == clock.now)
        #expect(stored.policy.allowedMethods == ["GET", "POST"])
        #expect(stored.quota.limits.map(\.window) == [.minute, .day])
        #expect(try store.configSynchronously(for: .valid("acme")) == stored)
        #expect(try store.config(for: .valid("acme")) == stored)
    }

    @Test func aFreshStoreReadsWhatAnotherWroteExactly() throws {
        let stored = try open().upsert(Self.acme, condition: .always)
        let reader = try open()
        #expect(try reader.configSynchronously(for: .valid("acme")) == stored)
    }

    @Test func replacingBumpsTheVersionAndKeepsTheCreationTime() throws {
        let store = try open()
        let first = try store.upsert(Self.acme, condition: .always)
        clock.advance(by: .seconds(60))
        var changed = Self.acme
        changed.status = .suspended
        let second = try store.upsert(changed, condition: .version(1))
        #expect(second.version == 2)
        #expect(second.createdAt == first.createdAt)
        #expect(second.updatedAt == first.updatedAt + .seconds(60))
        #expect(try store.configSynchronously(for: .valid("acme"))?.status == .suspended)
    }

    @Test func deleteRemovesAndReturnsTheTenant() throws {
        let store = try open()
        let stored = try store.upsert(Self.acme, condition: .always)
        #expect(try store.delete(.valid("acme"), condition: .version(1)) == stored)
        #expect(try store.configSynchronously(for: .valid("acme")) == nil)
        #expect(throws: TenancyError(.tenantNotFound, "tenant 'acme' does not exist")) {
            try store.delete(.valid("acme"), condition: .always)
        }
    }

    /// Versions are ETags: a tenant created again must not reuse one of its predecessor's, or a client
    /// holding the old ETag would overwrite the new tenant.
    @Test func aDeletedTenantCreatedAgainContinuesFromItsLastVersion() throws {
        let store = try open()
        _ = try store.upsert(Self.acme, condition: .always)
        _ = try store.upsert(Self.acme, condition: .always)
        _ = try store.delete(.valid("acme"), condition: .mustExist)
        #expect(try store.upsert(Self.acme, condition: .mustNotExist).version == 3)
        _ = try store.delete(.valid("acme"), condition: .version(3))
        store.close()
        // The tombstone is in the file, not the process.
        let reopened = try open()
        #expect(throws: TenancyError(.tenantNotFound, "tenant 'acme' does not exist")) {
            try reopened.upsert(Self.acme, condition: .version(3))
        }
        #expect(try reopened.upsert(Self.acme, condition: .mustNotExist).version == 4)
        #expect(throws: TenancyError(.versionConflict, "tenant 'acme' is at version 4, not 3")) {
            try reopened.upsert(Self.acme, condition: .version(3))
        }
    }

    @Test func anUnknownTenantIsNil() throws {
        let store = try open()
        #expect(try store.configSynchronously(for: .valid("nobody")) == nil)
    }

    // MARK: - Conditions

    @Test func mustNotExistRefusesAnExistingTenant() throws {
        let store = try open()
        _ = try store.upsert(Self.acme, condition: .mustNotExist)
        #expect(throws: TenancyError(.tenantExists, "tenant 'acme' already exists (version 1)")) {
            try store.upsert(Self.acme, condition: .mustNotExist)
        }
    }

    @Test func aStaleVersionIsAConflictAndChangesNothing() throws {
        let store = try open()
        _ = try store.upsert(Self.acme, condition: .always)
        _ = try store.upsert(Self.acme, condition: .version(1))
        var suspended = Self.acme
        suspended.status = .suspended
        #expect(throws: TenancyError(.versionConflict, "tenant 'acme' is at version 2, not 1")) {
            try store.upsert(suspended, condition: .version(1))
        }
        #expect(throws: TenancyError(.versionConflict, "tenant 'acme' is at version 2, not 1")) {
            try store.delete(.valid("acme"), condition: .version(1))
        }
        #expect(try store.configSynchronously(for: .valid("acme"))?.status == .active)
        #expect(try store.configSynchronously(for: .valid("acme"))?.version == 2)
    }

    @Test(arguments: [WriteCondition.mustExist, .version(1)])
    func conditionalWritesToAMissingTenantAreNotFound(_ condition: WriteCondition) throws {
        let store = try open()
        #expect(throws: TenancyError(.tenantNotFound, "tenant 'ghost' does not exist")) {
            try store.upsert(TenantConfig(id: .valid("ghost")), condition: condition)
        }
        #expect(throws: TenancyError(.tenantNotFound, "tenant 'ghost' does not exist")) {
            try store.delete(.valid("ghost"), condition: condition)
        }
    }

    @Test func invalidConfigsAreRejectedWithFieldErrorsAndNothingIsStored() throws {
        let store = try open()
        let config = TenantConfig(id: .valid("acme"), quota: QuotaConfig(limits: [QuotaLimit(window: .minute, requests: -1)]))
        let error = try #require(throws: TenancyError.self) { try store.upsert(config, condition: .always) }
        #expect(error.code == .invalidConfiguration)
        #expect(error.fieldErrors.map(\.field) == ["quota.limits[0].requests"])
        #expect(try store.list(after: nil, limit: 10).tenants.isEmpty)
    }

    /// Runs the same operations against the in-memory store and this one: every result and every error
    /// must be identical.
    @Test func behavesExactlyLikeTheInMemoryStore() async throws {
        let sqlite = try open()
        let memory = InMemoryTenantConfigStore(clock: clock)
        func outcome<T>(
            _ operation: (any TenantConfigStore) async throws(TenancyError) -> T, on store: any TenantConfigStore
        ) async -> Result<T, TenancyError> {
            do {
                return .success(try await operation(store))
            } catch {
                return .failure(error)
            }
        }
        func both<T: Equatable>(_ operation: (any TenantConfigStore) async throws(TenancyError) -> T) async {
            let expected = await outcome(operation, on: memory)
            let actual = await outcome(operation, on: sqlite)
            #expect(actual == expected)
        }
        var suspended = Self.acme
        suspended.status = .suspended
        let beta = TenantConfig(id: .valid("beta"), metadata: ["plan": "free"])
        await both { store throws(TenancyError) in try await store.upsert(Self.acme, condition: .mustNotExist) }
        await both { store throws(TenancyError) in try await store.upsert(Self.acme, condition: .mustNotExist) }
        clock.advance(by: .seconds(1))
        await both { store throws(TenancyError) in try await store.upsert(suspended, condition: .version(1)) }
        await both { store throws(TenancyError) in try await store.upsert(suspended, condition: .version(1)) }
        await both { store throws(TenancyError) in try await store.upsert(beta, condition: .mustExist) }
        await both { store throws(TenancyError) in try await store.upsert(beta, condition: .always) }
        await both { store throws(TenancyError) in try await store.config(for: .valid("acme")) }
        await both { store throws(TenancyError) in try await store.config(for: .valid("zeta")) }
        await both { store throws(TenancyError) in try await store.list(after: nil, limit: 1) }
        await both { store throws(TenancyError) in try await store.list(after: .valid("acme"), limit: 1) }
        await both { store throws(TenancyError) in try await store.list(after: nil, limit: 0) }
        await both { store throws(TenancyError) in try await store.delete(.valid("beta"), condition: .version(2)) }
        await both { store throws(TenancyError) in try await store.delete(.valid("beta"), condition: .mustNotExist) }
        await both { store throws(TenancyError) in try await store.delete(.valid("beta"), condition: .version(1)) }
        await both { store throws(TenancyError) in try await store.delete(.valid("beta"), condition: .always) }
        await both { store throws(TenancyError) in try await store.delete(.valid("acme"), condition: .mustNotExist) }
    }

    // MARK: - Pagination

    @Test func pagesFollowTheByteOrderOfIDs() throws {
        let store = try open()
        let raw = ["b", "A", "a", "0", "-", ".", "_", "Z", "aa", "a.b", "9z"]
        for id in raw {
            _ = try store.upsert(TenantConfig(id: .valid(id)), condition: .mustNotExist)
        }
        let expected = raw.map(TenantID.valid).sorted()
        #expect(expected.map(\.rawValue) == ["-", ".", "0", "9z", "A", "Z", "_", "a", "a.b", "aa", "b"])
        var seen: [TenantID] = []
        var cursor: TenantID?
        var pages = 0
        repeat {
            let page = try store.list(after: cursor, limit: 4)
            seen += page.tenants.map(\.id)
            cursor = page.nextAfter
            pages += 1
        } while cursor != nil
        #expect(seen == expected)
        #expect(pages == 3)
    }

    @Test func aFullLastPageHasNoCursor() throws {
        let store = try open()
        for id in ["a", "b", "c", "d"] {
            _ = try store.upsert(TenantConfig(id: .valid(id)), condition: .always)
        }
        let first = try store.list(after: nil, limit: 2)
        #expect(first.nextAfter == .valid("b"))
        let second = try store.list(after: first.nextAfter, limit: 2)
        #expect(second.tenants.map(\.id) == [.valid("c"), .valid("d")])
        #expect(second.nextAfter == nil)
        #expect(try store.list(after: .valid("d"), limit: 2) == TenantPage(tenants: [], nextAfter: nil))
        #expect(try store.list(after: .valid("bb"), limit: 10).tenants.map(\.id) == [.valid("c"), .valid("d")])
    }

    @Test(arguments: [0, -1, TenantPage.maximumLimit + 1])
    func aPageLimitOutsideItsRangeIsRefused(_ limit: Int) throws {
        let store = try open()
        let error = try #require(throws: TenancyError.self) { try store.list(after: nil, limit: limit) }
        #expect(error.code == .invalidArgument)
    }

    @Test func listingsDoNotFillTheCache() throws {
        let store = try open()
        _ = try store.upsert(Self.acme, condition: .always)
        _ = try store.list(after: nil, limit: 10)
        #expect(store.statistics.cachedConfigs == 0)
    }

    // MARK: - Change notifications

    @Test func handlersHearEveryCommittedChangeAfterTheCommit() throws {
        let store = try open()
        let heard = Collector<TenantConfigChange>()
        let seenVersions = Collector<Int64?>()
        let subscription = store.onChange { change in
            heard.append(change)
            // Called after the commit and the invalidation: the store already answers with the new state.
            seenVersions.append((try? store.configSynchronously(for: change.id))?.version)
        }
        _ = try store.upsert(Self.acme, condition: .always)
        _ = try store.upsert(Self.acme, condition: .always)
        _ = try? store.upsert(Self.acme, condition: .version(1))
        _ = try store.delete(.valid("acme"), condition: .always)
        subscription.cancel()
        _ = try store.upsert(Self.acme, condition: .always)
        #expect(heard.all == [
            TenantConfigChange(kind: .created, id: .valid("acme"), version: 1),
            TenantConfigChange(kind: .updated, id: .valid("acme"), version: 2),
            TenantConfigChange(kind: .deleted, id: .valid("acme"), version: 2),
        ])
        #expect(seenVersions.all == [1, 2, nil])
    }

    // MARK: - Lifecycle and errors

    @Test func reopeningAfterCloseKeepsEveryTenant() throws {
        let store = try open()
        var written: [TenantConfig] = []
        for index in 0..<25 {
            clock.advance(by: .milliseconds(1_500))
            written.append(try store.upsert(TenantConfig(id: .valid("t\(index)"), metadata: ["n": "\(index)"]), condition: .always))
        }
        written.append(try store.upsert(written[3], condition: .version(1)))
        written.remove(at: 3)
        store.close()
        let reopened = try open()
        let listed = try reopened.list(after: nil, limit: 100).tenants
        #expect(listed == written.sorted { $0.id < $1.id })
        #expect(try reopened.configSynchronously(for: .valid("t3"))?.version == 2)
    }

    @Test func aClosedStoreRefusesEveryCall() throws {
        let store = try open()
        _ = try store.upsert(Self.acme, condition: .always)
        _ = try store.configSynchronously(for: .valid("acme"))
        store.close()
        store.close()
        let closed = TenancyError(.backendUnavailable, "the SQLite tenant config store is closed")
        #expect(throws: closed) { try store.configSynchronously(for: .valid("acme")) }
        #expect(throws: closed) { try store.upsert(Self.acme, condition: .always) }
        #expect(throws: closed) { try store.delete(.valid("acme"), condition: .always) }
        #expect(throws: closed) { try store.list(after: nil, limit: 1) }
        #expect(throws: closed) { try store.pollForExternalChanges() }
    }

    @Test func aWriteBlockedPastTheBusyTimeoutIsABackendError() throws {
        var configuration = storeConfiguration()
        configuration.database.connection.busyTimeout = .milliseconds(100)
        let store = try open(configuration)
        let other = try SQLiteConnection(path: directory.file("tenants.sqlite"))
        try other.execute("BEGIN IMMEDIATE")
        defer { _ = try? other.execute("ROLLBACK") }
        #expect(throws: TenancyError(.backendUnavailable, "SQLite: SQLITE_BUSY (5): database is locked")) {
            try store.upsert(Self.acme, condition: .always)
        }
        // Reads are not blocked by a writer in WAL mode.
        #expect(try store.configSynchronously(for: .valid("acme")) == nil)
    }

    @Test func aMissingDirectoryIsAClearBackendError() throws {
        let path = directory.file("missing/tenants.sqlite")
        let error = try #require(throws: TenancyError.self) { try SQLiteTenantConfigStore(path: path) }
        #expect(error.code == .backendUnavailable)
        #expect(
            error.message
                == "tenant config store: SQLITE_CANTOPEN (14): cannot open the database at '\(path)': unable to open database file")
    }

    @Test func aReadOnlyLocationIsAClearBackendError() throws {
        // /proc refuses new files even to root, unlike a chmod-ed directory.
        let path = "/proc/tenancy-\(UUID().uuidString).sqlite"
        let error = try #require(throws: TenancyError.self) { try SQLiteTenantConfigStore(path: path) }
        #expect(error.code == .backendUnavailable)
        #expect(error.message.contains("SQLITE_CANTOPEN"))
        #expect(error.message.contains(path))
    }

    @Test func aFileThatIsNotADatabaseIsAClearBackendError() throws {
        let path = directory.file("tenants.sqlite")
        try Data("not a database, just text that is long enough to have a header".utf8).write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: TenancyError.self) { try SQLiteTenantConfigStore(path: path) }
        #expect(error.code == .backendUnavailable)
        #expect(error.message.contains("file is not a database"))
    }

    @Test func aSchemaNewerThanThisCodeIsRefused() throws {
        let path = directory.file("tenants.sqlite")
        try SQLiteConnection(path: path).execute("PRAGMA user_version = 42")
        let error = try #require(throws: TenancyError.self) { try SQLiteTenantConfigStore(path: path) }
        #expect(error.code == .backendUnavailable)
        #expect(error.message.contains("the database schema is at version 42, newer than this code's \(TenantConfigTable.migrations.count)"))
    }

    @Test func theSchemaIsStrictAndRecordedInUserVersion() throws {
        _ = try open()
        let connection = try SQLiteConnection(path: directory.file("tenants.sqlite"))
        #expect(try Migrator.version(of: connection) == TenantConfigTable.migrations.count)
        let strict = try connection.rows("SELECT strict FROM pragma_table_list WHERE name = 'tenants'")
        #expect(strict == [[.integer(1)]])
        let error = try #require(throws: SQLiteError.self) {
            try connection.execute(
                "INSERT INTO tenants VALUES ('x', 'active', '{}', '{}', '{}', 'one', 0, 0)")
        }
        #expect(error.code == .constraintDataType)
    }

    @Test func aBadConfigurationIsRefusedFieldByField() throws {
        let configuration = SQLiteTenantConfigStore.Configuration(
            cacheCapacity: -1, cacheTimeToLive: .zero, negativeCacheCapacity: -5,
            negativeCacheTimeToLive: .seconds(-1), externalChangePollInterval: .zero)
        let error = try #require(throws: TenancyError.self) {
            try SQLiteTenantConfigStore(path: directory.file("x.sqlite"), configuration: configuration)
        }
        #expect(error.code == .invalidArgument)
        #expect(
            error.fieldErrors.map(\.field) == [
                "cacheCapacity", "negativeCacheCapacity", "cacheTimeToLive", "negativeCacheTimeToLive",
                "externalChangePollInterval",
            ])
        #expect(!FileManager.default.fileExists(atPath: directory.file("x.sqlite")))
    }
}
