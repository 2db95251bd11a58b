/// Jump consistent hash (Lamping and Veach, 2014): maps a 64-bit key to one of `shardCount` shards so that
/// growing from `n` to `n + 1` shards moves only about `1/(n + 1)` of the keys, all of them to the new shard.
///
/// This is the exact published algorithm, with the `2862933555777941757` linear congruential generator, so
/// results match every other faithful implementation (Guava's `consistentHash` is a different algorithm).
/// Shards are numbered `0..<shardCount`; they cannot be removed from the middle, only from the end. For an
/// arbitrary set of named nodes use ``RendezvousHash``.
///
/// Tenants are routed by ``TenantID/stableHash``, which is the same in every process; never feed it
/// Swift's per-process seeded `Hasher`.
public struct JumpConsistentHash: Hashable, Sendable {
    /// The largest shard count the published algorithm supports (`Int32.max`).
    public static let maximumShardCount = Int(Int32.max)

    /// The number of shards keys are spread over, in `1...maximumShardCount`.
    public let shardCount: Int

    /// Creates a hash over `shardCount` shards.
    /// - Parameter shardCount: The number of shards, in `1...maximumShardCount`.
    /// - Throws: ``TenancyError`` with code ``TenancyError/Code/invalidArgument`` when `shardCount` is out
    ///   of range.
    public init(shardCount: Int) throws(TenancyError) {
        guard shardCount >= 1, shardCount <= Self.maximumShardCount else {
            throw TenancyError(
                .invalidArgument,
                "shard count must be in 1...\(Self.maximumShardCount); got \(shardCount)"
            )
        }
        self.shardCount = shardCount
    }

    /// The shard of `key`. Allocation-free; about `ln(shardCount)` iterations.
    /// - Parameter key: A well-mixed 64-bit key, such as a ``StableHash`` value.
    /// - Returns: A shard in `0..<shardCount`.
    public func shard(forKey key: UInt64) -> Int {
        var key = key
        var bucket: Int64 = -1
        var next: Int64 = 0
        let count = Int64(shardCount)
        while next < count {
            bucket = next
            key = key &* 2_862_933_555_777_941_757 &+ 1
            // At most (bucket + 1) * 2^31 < 2^62: the conversion back to Int64 cannot overflow.
            next = Int64(Double(bucket + 1) * (Double(Int64(1) << 31) / Double((key >> 33) + 1)))
        }
        return Int(bucket)
    }

    /// The shard of `tenant`, routed by its ``TenantID/stableHash``.
    /// - Parameter tenant: The tenant.
    /// - Returns: A shard in `0..<shardCount`.
    public func shard(for tenant: TenantID) -> Int {
        shard(forKey: tenant.stableHash)
    }
}
