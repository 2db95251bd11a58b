import Testing

@testable import Tenancy

@Suite struct ShardRouterTests {
    static func tenants(_ count: Int) throws -> [TenantID] {
        try (0..<count).map { try TenantID("tenant-\($0)") }
    }

    @Test func routesTenantsWithoutAnOverrideByJumpHash() throws {
        let router = try ShardRouter(shardCount: 10)
        let hash = try JumpConsistentHash(shardCount: 10)
        for tenant in try Self.tenants(1_000) {
            #expect(router.shard(for: tenant) == hash.shard(for: tenant))
        }
        #expect(router.shard(for: try TenantID("acme")) == 5)
    }

    @Test func consultsTheOverrideDirectoryFirst() throws {
        let acme = try TenantID("acme")
        let router = try ShardRouter(shardCount: 10, overrides: [acme: 0])
        #expect(router.shard(for: acme) == 0)
        #expect(router.shard(for: try TenantID("globex")) == 7)
    }

    @Test func rejectsAShardCountBelowOne() {
        #expect(throws: TenancyError(.invalidArgument, "shard count must be in 1...2147483647; got 0")) {
            try ShardRouter(shardCount: 0)
        }
    }

    @Test func rejectsOverridesOutOfRangeListingEachSortedByTenant() throws {
        let overrides = [try TenantID("zeta"): -1, try TenantID("acme"): 4, try TenantID("ok"): 3]
        let expected = TenancyError(
            .invalidArgument,
            "2 shard override(s) out of range for 4 shard(s)",
            fieldErrors: [
                .init(field: "overrides.acme", message: "shard 4 is not in 0..<4"),
                .init(field: "overrides.zeta", message: "shard -1 is not in 0..<4"),
            ]
        )
        #expect(throws: expected) { try ShardRouter(shardCount: 4, overrides: overrides) }
    }

    @Test func growingFrom10To11ShardsMovesAboutAnEleventhOfTenantsAllToTheNewShard() throws {
        let tenants = try Self.tenants(100_000)
        let router = try ShardRouter(shardCount: 10)
        let moves = try router.moves(toShardCount: 11, tenants: tenants)
        #expect((8_636...9_546).contains(moves.count), "\(moves.count) tenants moved")
        #expect(moves.allSatisfy { $0.to == 10 && $0.from == router.shard(for: $0.tenant) })
    }

    @Test func reportsEachMoveWithItsTenantAndBothShards() throws {
        let tenants = try Self.tenants(100)
        let router = try ShardRouter(shardCount: 3)
        let target = try ShardRouter(shardCount: 5)
        let expected = tenants.compactMap { tenant -> ShardMove? in
            let from = router.shard(for: tenant)
            let to = target.shard(for: tenant)
            return from == to ? nil : ShardMove(tenant: tenant, from: from, to: to)
        }
        #expect(!expected.isEmpty)
        #expect(router.moves(to: target, tenants: tenants) == expected)
    }

    @Test func neverMovesATenantPinnedByAnOverride() throws {
        let tenants = try Self.tenants(10_000)
        let movers = try ShardRouter(shardCount: 10).moves(toShardCount: 11, tenants: tenants).map(\.tenant)
        let pinned = Dictionary(uniqueKeysWithValues: movers.prefix(50).map { ($0, 3) })
        let router = try ShardRouter(shardCount: 10, overrides: pinned)
        let moves = try router.moves(toShardCount: 11, tenants: tenants)
        #expect(moves.count == movers.count - 50)
        #expect(moves.allSatisfy { pinned[$0.tenant] == nil && $0.to == 10 })
    }

    @Test func reportsAChangedOverrideAsAMove() throws {
        let acme = try TenantID("acme")
        let router = try ShardRouter(shardCount: 10)
        let target = try ShardRouter(shardCount: 10, overrides: [acme: 9])
        #expect(
            router.moves(to: target, tenants: [acme, try TenantID("globex")]) == [
                ShardMove(tenant: acme, from: 5, to: 9)
            ]
        )
    }

    @Test func reportsNoMovesWhenTheShardCountIsUnchanged() throws {
        let router = try ShardRouter(shardCount: 10)
        #expect(try router.moves(toShardCount: 10, tenants: Self.tenants(1_000)).isEmpty)
    }

    @Test func reportsARepeatedTenantOnce() throws {
        let acme = try TenantID("acme")
        let router = try ShardRouter(shardCount: 10)
        let moves = router.moves(to: try ShardRouter(shardCount: 10, overrides: [acme: 0]), tenants: [acme, acme])
        #expect(moves == [ShardMove(tenant: acme, from: 5, to: 0)])
    }

    @Test func rejectsShrinkingBelowAShardThatAnOverrideNames() throws {
        let router = try ShardRouter(shardCount: 10, overrides: [try TenantID("acme"): 8])
        let expected = TenancyError(
            .invalidArgument,
            "1 shard override(s) out of range for 5 shard(s)",
            fieldErrors: [.init(field: "overrides.acme", message: "shard 8 is not in 0..<5")]
        )
        #expect(throws: expected) { try router.moves(toShardCount: 5, tenants: [TenantID]()) }
    }

    @Test func describesAMoveForMigrationPlans() throws {
        #expect(ShardMove(tenant: try TenantID("acme"), from: 5, to: 10).description == "acme: 5 -> 10")
    }
}
