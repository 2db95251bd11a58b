/// Routes tenants to shards: an explicit override directory first, then jump consistent hashing over the
/// tenant's ``TenantID/stableHash``.
///
/// Overrides pin tenants that must live on a particular shard (a large tenant on a dedicated shard, a
/// tenant mid-migration); everyone else is spread evenly by ``JumpConsistentHash``. Plan a resize with
/// ``moves(toShardCount:tenants:)``, which lists exactly the tenants whose data has to move.
///
/// ```swift
/// let router = try ShardRouter(shardCount: 10, overrides: [try TenantID("bigco"): 0])
/// let shard = router.shard(for: tenant)
/// let plan = try router.moves(toShardCount: 11, tenants: allTenants)   // about 1/11 of them, all to shard 10
/// ```
public struct ShardRouter: Hashable, Sendable {
    /// The hash that places tenants without an override.
    public let jumpHash: JumpConsistentHash
    /// Tenants pinned to a shard, consulted before the hash; every shard is in `0..<shardCount`.
    public let overrides: [TenantID: Int]

    /// The number of shards, numbered `0..<shardCount`.
    public var shardCount: Int { jumpHash.shardCount }

    /// Creates a router.
    /// - Parameters:
    ///   - shardCount: The number of shards, in `1...JumpConsistentHash.maximumShardCount`.
    ///   - overrides: Tenants pinned to a shard; each shard must be in `0..<shardCount`.
    /// - Throws: ``TenancyError`` with code ``TenancyError/Code/invalidArgument`` when `shardCount` is out of
    ///   range, or when an override names a shard out of range; ``TenancyError/fieldErrors`` then lists
    ///   every such override (field `overrides.<tenant>`), sorted by tenant.
    public init(shardCount: Int, overrides: [TenantID: Int] = [:]) throws(TenancyError) {
        let jumpHash = try JumpConsistentHash(shardCount: shardCount)
        let invalid = overrides.filter { !(0..<shardCount).contains($0.value) }
            .sorted { $0.key < $1.key }
            .map { entry in
                TenancyError.FieldError(
                    field: "overrides.\(entry.key)",
                    message: "shard \(entry.value) is not in 0..<\(shardCount)"
                )
            }
        guard invalid.isEmpty else {
            throw TenancyError(
                .invalidArgument,
                "\(invalid.count) shard override(s) out of range for \(shardCount) shard(s)",
                fieldErrors: invalid
            )
        }
        self.jumpHash = jumpHash
        self.overrides = overrides
    }

    /// The shard of `tenant`: its override when it has one, its jump hash otherwise. Allocation-free.
    /// - Parameter tenant: The tenant.
    /// - Returns: A shard in `0..<shardCount`.
    public func shard(for tenant: TenantID) -> Int {
        if !overrides.isEmpty, let pinned = overrides[tenant] {
            return pinned
        }
        return jumpHash.shard(for: tenant)
    }

    /// The tenants that change shard between this router and `target`, overrides of both respected.
    /// - Parameters:
    ///   - target: The new layout.
    ///   - tenants: The tenants to check; repeated tenants are reported once.
    /// - Returns: One move per tenant whose shard differs, in the order of `tenants`.
    public func moves(to target: ShardRouter, tenants: some Sequence<TenantID>) -> [ShardMove] {
        var seen = Set<TenantID>()
        var result: [ShardMove] = []
        for tenant in tenants where seen.insert(tenant).inserted {
            let from = shard(for: tenant)
            let to = target.shard(for: tenant)
            if from != to {
                result.append(ShardMove(tenant: tenant, from: from, to: to))
            }
        }
        return result
    }

    /// The tenants that change shard when this layout is resized to `newShardCount` shards with the same
    /// overrides.
    ///
    /// Growing moves only about `(new - old) / new` of the tenants without an override, each to one of the
    /// added shards; pinned tenants never move.
    /// - Parameters:
    ///   - newShardCount: The shard count after the resize.
    ///   - tenants: The tenants to check; repeated tenants are reported once.
    /// - Returns: One move per tenant whose shard differs, in the order of `tenants`.
    /// - Throws: ``TenancyError`` with code ``TenancyError/Code/invalidArgument`` when `newShardCount` is out
    ///   of range or an override names a shard that the resized layout no longer has.
    public func moves(
        toShardCount newShardCount: Int,
        tenants: some Sequence<TenantID>
    ) throws(TenancyError) -> [ShardMove] {
        let target = try ShardRouter(shardCount: newShardCount, overrides: overrides)
        return moves(to: target, tenants: tenants)
    }
}
