import Tenancy
import Testing

@testable import TenancySQLite

/// Shard routing of tenant data, with the override directory persisted in the config database.
@Suite struct SQLiteShardedTenantDataStoreTests {
    let directory = TemporaryDirectory()
    let tenants = (0..<24).map { TenantID.test("tenant-\($0)") }

    func configStore() throws -> SQLiteTenantConfigStore {
        try SQLiteTenantConfigStore(path: directory.file("config.sqlite"), configuration: testConfiguration())
    }

    func open(_ config: SQLiteTenantConfigStore, shards: Int = 3) throws -> SQLiteShardedTenantDataStore {
        try SQLiteShardedTenantDataStore(
            directory: directory.file("shards"), shardCount: shards, overrides: config,
            tenantTables: TenantDataSchema.tables, migrations: TenantDataSchema.migrations)
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
