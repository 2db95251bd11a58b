import Tenancy
import Testing

@testable import TenancySQLite

/// Shard routing of tenant data, with the override directory persisted in the config database.
@Suite struct SQLiteShardedTenantDataStoreTests {
    let directory = TemporaryDirectory()
    let tenants = (0..<24).map { TenantID.valid("tenant-\($0)") }

    func configStore() throws -> SQLiteTenantConfigStore {
        try SQLiteTenantConfigStore(path: directory.file("config.sqlite"), configuration: storeConfiguration())
    }

    func open(
        _ config: SQLiteTenantConfigStore, shards: Int = 3, observers: TenancyObservers = .init()
    ) throws -> SQLiteShardedTenantDataStore {
        try SQLiteShardedTenantDataStore(
            directory: directory.file("shards"), shardCount: shards, overrides: config,
            tenantTables: TenantDataSchema.tables, migrations: TenantDataSchema.migrations, observers: observers)
    }

    /// The tenants whose rows are in shard `index`, read across tenants.
    func tenantsStored(in store: SQLiteShardedTenantDataStore, shard index: Int) throws -> Set<String> {
        let admin = try store.store(ofShard: index).crossTenantScope(reason: "test")
        return Set(try admin.select(SQLSelect(from: "resources")).map { row throws(SQLiteError) in try row.text("tenant_id") })
    }

    @Test func rowsLandOnTheShardTheJumpHashChooses() throws {
        let config = try configStore()
        let store = try open(config)
        for tenant in tenants {
            try store.scoped(to: tenant).insert(SQLInsert(into: "resources", values: ["id": "r1", "name": "n"]))
        }
        let hash = try JumpConsistentHash(shardCount: 3)
        for shard in 0..<3 {
            let expected = Set(tenants.filter { hash.shard(for: $0) == shard }.map(\.rawValue))
            #expect(try tenantsStored(in: store, shard: shard) == expected)
            #expect(!expected.isEmpty)
        }
        for tenant in tenants {
            #expect(try store.scoped(to: tenant).count(SQLSelect(from: "resources")) == 1)
        }
    }

    @Test func aPinRoutesTheTenantAndSurvivesReopening() throws {
        let tenant = tenants[0]
        let hashed = try JumpConsistentHash(shardCount: 3).shard(for: tenant)
        let pinned = (hashed + 1) % 3
        do {
            let config = try configStore()
            let store = try open(config)
            try store.pin(tenant, toShard: pinned)
            #expect(store.shard(for: tenant) == pinned)
            try store.scoped(to: tenant).insert(SQLInsert(into: "resources", values: ["id": "r1", "name": "n"]))
            store.close()
            config.close()
        }
        let config = try configStore()
        #expect(try config.shardOverrides() == [tenant: pinned])
        let store = try open(config)
        #expect(store.router.overrides == [tenant: pinned])
        #expect(try store.scoped(to: tenant).count(SQLSelect(from: "resources")) == 1)
        #expect(try tenantsStored(in: store, shard: pinned) == [tenant.rawValue])
        try store.unpin(tenant)
        #expect(store.shard(for: tenant) == hashed)
        #expect(try config.shardOverrides().isEmpty)
    }

    @Test func aMoveCopiesTheTenantsRowsPinsItAndClearsTheOldShard() throws {
        let recorder = CrossTenantRecorder()
        let config = try configStore()
        let store = try open(config, observers: TenancyObservers([recorder]))
        let tenant = tenants[0]
        let neighbour = try #require(tenants.first { $0 != tenant && store.shard(for: $0) == store.shard(for: tenant) })
        let source = store.shard(for: tenant)
        let target = (source + 1) % 3
        for owner in [tenant, neighbour] {
            let scope = store.scoped(to: owner)
            try scope.insert(SQLInsert(into: "resources", values: ["id": "r1", "name": .text(owner.rawValue)]))
            try scope.insert(SQLInsert(into: "comments", values: ["id": 1, "resource_id": "r1", "body": "hi"]))
        }
        try store.scoped(to: tenant).insert(SQLInsert(into: "tags", values: ["name": "t"]))
        #expect(try store.move(tenant, toShard: target, reason: "rebalance", actor: "ops") == 3)
        #expect(store.shard(for: tenant) == target)
        #expect(try config.shardOverrides() == [tenant: target])
        #expect(try tenantsStored(in: store, shard: target) == [tenant.rawValue])
        #expect(try tenantsStored(in: store, shard: source) == [neighbour.rawValue])
        let moved = store.scoped(to: tenant)
        #expect(try moved.select(SQLSelect(from: "resources")).map { row throws(SQLiteError) in try row.text("name") } == [tenant.rawValue])
        #expect(try moved.count(SQLSelect(from: "comments")) == 1)
        #expect(try moved.count(SQLSelect(from: "tags")) == 1)
        #expect(try store.scoped(to: neighbour).count(SQLSelect(from: "comments")) == 1)
        let moveEvents = recorder.events.all.filter { $0.reason == "rebalance" }
        #expect(moveEvents.allSatisfy { $0.actor == "ops" })
        #expect(Set(moveEvents.map(\.operation)) == [.read, .insert, .delete])
        #expect(try store.move(tenant, toShard: target, reason: "again") == 0)
        #expect(throws: TenancyError.self) { try store.move(tenant, toShard: source, reason: "") }
    }

    @Test func pinsOutsideTheShardsAreRefusedWhenSetAndWhenLoaded() throws {
        let config = try configStore()
        let store = try open(config)
        #expect(throws: TenancyError.self) { try store.pin(tenants[0], toShard: 3) }
        #expect(throws: TenancyError.self) { try store.store(ofShard: -1) }
        #expect(throws: TenancyError.self) { try config.setShardOverride(-1, for: tenants[0]) }
        try config.setShardOverride(7, for: tenants[1])
        let error = try #require(throws: TenancyError.self) { try store.reloadOverrides() }
        #expect(error.code == .invalidArgument)
        #expect(throws: TenancyError.self) { try open(config, shards: 2) }
        #expect(try open(config, shards: 8).shard(for: tenants[1]) == 7)
    }

    @Test func aDamagedOverrideRowIsAClearError() throws {
        let config = try configStore()
        try SQLiteConnection(path: config.path).execute("INSERT INTO shard_overrides VALUES ('bad id!', 0, 0)")
        let error = try #require(throws: TenancyError.self) { try config.shardOverrides() }
        #expect(error.code == .backendUnavailable)
        #expect(error.message.contains("bad id!"))
    }
}
