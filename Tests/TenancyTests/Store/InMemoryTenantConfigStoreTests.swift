import Testing

@testable import Tenancy

@Suite struct InMemoryTenantConfigStoreTests {
    let clock = ManualClock(at: Timestamp(year: 2026, month: 1, day: 1))

    @Test func storesAConfigAndReturnsItWithVersionAndTimestamps() throws {
        let store = InMemoryTenantConfigStore(clock: clock)
        let stored = try store.upsert(TenantConfig(id: .valid("acme"), metadata: ["plan": "pro"]), condition: .always)
        #expect(stored.version == 1)
        #expect(stored.createdAt == clock.now)
        #expect(stored.updatedAt == clock.now)
        #expect(store.config(for: .valid("acme")) == stored)
    }

    @Test func returnsNilForAnUnknownTenant() {
        let store = InMemoryTenantConfigStore(clock: clock)
        #expect(store.config(for: .valid("nobody")) == nil)
    }

    @Test func aCallerCannotMutateTheStoredConfigThroughACopy() throws {
        let store = InMemoryTenantConfigStore(clock: clock)
        var copy = try store.upsert(TenantConfig(id: .valid("acme")), condition: .always)
        copy.metadata["plan"] = "free"
        copy.policy.allowedModels.append("gpt-4o")
        #expect(store.config(for: .valid("acme"))?.metadata == [:])
        #expect(store.config(for: .valid("acme"))?.policy.allowedModels == [])
    }

    @Test func replacingBumpsTheVersionAndKeepsTheCreationTime() throws {
        let store = InMemoryTenantConfigStore(clock: clock)
        let first = try store.upsert(TenantConfig(id: .valid("acme")), condition: .always)
        clock.advance(by: .seconds(60))
        let second = try store.upsert(TenantConfig(id: .valid("acme"), status: .suspended), condition: .version(1))
        #expect(second.version == 2)
        #expect(second.createdAt == first.createdAt)
        #expect(second.updatedAt == first.updatedAt + .seconds(60))
        #expect(second.status == .suspended)
    }

    @Test func mustNotExistRefusesAnExistingTenant() throws {
        let store = InMemoryTenantConfigStore(clock: clock)
        _ = try store.upsert(TenantConfig(id: .valid("acme")), condition: .mustNotExist)
        #expect(throws: TenancyError(.tenantExists, "tenant 'acme' already exists (version 1)")) {
            try store.upsert(TenantConfig(id: .valid("acme")), condition: .mustNotExist)
        }
    }

    @Test func aStaleVersionIsAConflictAndChangesNothing() throws {
        let store = InMemoryTenantConfigStore(clock: clock)
        _ = try store.upsert(TenantConfig(id: .valid("acme")), condition: .always)
        _ = try store.upsert(TenantConfig(id: .valid("acme"), metadata: ["a": "b"]), condition: .version(1))
        #expect(throws: TenancyError(.versionConflict, "tenant 'acme' is at version 2, not 1")) {
            try store.upsert(TenantConfig(id: .valid("acme"), status: .suspended), condition: .version(1))
        }
        #expect(store.config(for: .valid("acme"))?.status == .active)
    }

    @Test(arguments: [WriteCondition.mustExist, .version(1)])
    func conditionalWritesToAMissingTenantAreNotFound(_ condition: WriteCondition) {
        let store = InMemoryTenantConfigStore(clock: clock)
        #expect(throws: TenancyError(.tenantNotFound, "tenant 'ghost' does not exist")) {
            try store.upsert(TenantConfig(id: .valid("ghost")), condition: condition)
        }
    }

    @Test func invalidConfigsAreRejectedWithFieldErrors() throws {
        let store = InMemoryTenantConfigStore(clock: clock)
        let config = TenantConfig(id: .valid("acme"), quota: QuotaConfig(limits: [QuotaLimit(window: .minute, requests: -1)]))
        let error = try #require(throws: TenancyError.self) { try store.upsert(config, condition: .always) }
        #expect(error.code == .invalidConfiguration)
        #expect(error.fieldErrors.map(\.field) == ["quota.limits[0].requests"])
        #expect(store.count == 0)
    }

    @Test func deleteRemovesAndReturnsTheTenant() throws {
        let store = InMemoryTenantConfigStore(clock: clock)
        let stored = try store.upsert(TenantConfig(id: .valid("acme")), condition: .always)
        #expect(try store.delete(.valid("acme"), condition: .mustExist) == stored)
        #expect(store.config(for: .valid("acme")) == nil)
        #expect(throws: TenancyError(.tenantNotFound, "tenant 'acme' does not exist")) {
            try store.delete(.valid("acme"), condition: .always)
        }
    }

    /// Versions are ETags: a tenant created again must not reuse one of its predecessor's, or a client
    /// holding the old ETag would overwrite the new tenant.
    @Test func aDeletedTenantCreatedAgainContinuesFromItsLastVersion() throws {
        let store = InMemoryTenantConfigStore(clock: clock)
        _ = try store.upsert(TenantConfig(id: .valid("acme")), condition: .always)
        _ = try store.upsert(TenantConfig(id: .valid("acme")), condition: .always)
        _ = try store.delete(.valid("acme"), condition: .version(2))
        #expect(throws: TenancyError(.tenantNotFound, "tenant 'acme' does not exist")) {
            try store.upsert(TenantConfig(id: .valid("acme")), condition: .version(2))
        }
        #expect(try store.upsert(TenantConfig(id: .valid("acme")), condition: .mustNotExist).version == 3)
        #expect(throws: TenancyError(.versionConflict, "tenant 'acme' is at version 3, not 2")) {
            try store.upsert(TenantConfig(id: .valid("acme")), condition: .version(2))
        }
    }

    @Test func deleteChecksTheVersion() throws {
        let store = InMemoryTenantConfigStore(clock: clock)
        _ = try store.upsert(TenantConfig(id: .valid("acme")), condition: .always)
        #expect(throws: TenancyError(.versionConflict, "tenant 'acme' is at version 1, not 7")) {
            try store.delete(.valid("acme"), condition: .version(7))
        }
        #expect(store.count == 1)
    }

    @Test func listsPagesInByteOrderWithACursor() throws {
        let store = InMemoryTenantConfigStore(clock: clock)
        for raw in ["delta", "Alpha", "charlie", "bravo", "echo"] {
            _ = try store.upsert(TenantConfig(id: .valid(raw)), condition: .always)
        }
        let first = try store.list(after: nil, limit: 2)
        #expect(first.tenants.map(\.id.rawValue) == ["Alpha", "bravo"])
        #expect(first.nextAfter == .valid("bravo"))
        let second = try store.list(after: first.nextAfter, limit: 2)
        #expect(second.tenants.map(\.id.rawValue) == ["charlie", "delta"])
        let last = try store.list(after: second.nextAfter, limit: 2)
        #expect(last.tenants.map(\.id.rawValue) == ["echo"])
        #expect(last.nextAfter == nil)
    }

    @Test func aCursorThatNoLongerExistsStillContinuesAfterIt() throws {
        let store = InMemoryTenantConfigStore(clock: clock)
        for raw in ["a", "b", "c"] { _ = try store.upsert(TenantConfig(id: .valid(raw)), condition: .always) }
        _ = try store.delete(.valid("b"), condition: .always)
        #expect(try store.list(after: .valid("b"), limit: 10).tenants.map(\.id.rawValue) == ["c"])
    }

    @Test(arguments: [0, -1, 1_001])
    func rejectsPageSizesOutOfRange(_ limit: Int) {
        let store = InMemoryTenantConfigStore(clock: clock)
        #expect(throws: TenancyError(.invalidArgument, "limit must be between 1 and 1000, got \(limit)")) {
            try store.list(after: nil, limit: limit)
        }
    }

    @Test func notifiesChangeHandlersAfterEveryCommittedWriteUntilCancelled() throws {
        let store = InMemoryTenantConfigStore(clock: clock)
        let changes = Synchronized<[TenantConfigChange]>([])
        let subscription = store.onChange { change in changes.withLock { $0.append(change) } }
        _ = try store.upsert(TenantConfig(id: .valid("acme")), condition: .always)
        _ = try store.upsert(TenantConfig(id: .valid("acme")), condition: .always)
        _ = try? store.upsert(TenantConfig(id: .valid("acme")), condition: .mustNotExist)
        _ = try store.delete(.valid("acme"), condition: .always)
        subscription.cancel()
        subscription.cancel()
        _ = try store.upsert(TenantConfig(id: .valid("other")), condition: .always)
        #expect(
            changes.withLock { $0 } == [
                TenantConfigChange(kind: .created, id: .valid("acme"), version: 1),
                TenantConfigChange(kind: .updated, id: .valid("acme"), version: 2),
                TenantConfigChange(kind: .deleted, id: .valid("acme"), version: 2),
            ])
    }

    @Test func releasingTheSubscriptionStopsTheHandler() throws {
        let store = InMemoryTenantConfigStore(clock: clock)
        let changes = Synchronized(0)
        var subscription: TenantConfigSubscription? = store.onChange { _ in changes.withLock { $0 += 1 } }
        _ = try store.upsert(TenantConfig(id: .valid("acme")), condition: .always)
        #expect(subscription != nil)
        subscription = nil
        _ = try store.upsert(TenantConfig(id: .valid("acme")), condition: .always)
        #expect(changes.withLock { $0 } == 1)
    }

    @Test func aHandlerMayReadTheStoreWithoutDeadlocking() throws {
        let store = InMemoryTenantConfigStore(clock: clock)
        let seen = Synchronized<TenantConfig?>(nil)
        let subscription = store.onChange { change in
            let config = store.config(for: change.id)
            seen.withLock { $0 = config }
        }
        defer { subscription.cancel() }
        _ = try store.upsert(TenantConfig(id: .valid("acme")), condition: .always)
        #expect(seen.withLock { $0?.version } == 1)
    }

    @Test func concurrentCreatesOfOneTenantSucceedExactlyOnce() async {
        let store = InMemoryTenantConfigStore(clock: clock)
        let successes = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<64 {
                group.addTask { (try? store.upsert(TenantConfig(id: .valid("acme")), condition: .mustNotExist)) != nil }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(successes == 1)
    }

    @Test func concurrentWritersOfDifferentTenantsAllLand() async throws {
        let store = InMemoryTenantConfigStore(clock: clock)
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                group.addTask {
                    _ = try? store.upsert(TenantConfig(id: .valid("t\(index)")), condition: .always)
                    _ = store.config(for: .valid("t\(index / 2)"))
                }
            }
        }
        #expect(store.count == 200)
        var seen: [TenantID] = []
        var cursor: TenantID?
        repeat {
            let page = try store.list(after: cursor, limit: 7)
            seen += page.tenants.map(\.id)
            cursor = page.nextAfter
        } while cursor != nil
        #expect(seen.count == 200)
        #expect(seen == seen.sorted())
    }
}
