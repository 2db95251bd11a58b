import Testing

@testable import Tenancy

@Suite struct JumpConsistentHashTests {
    /// Reference values of the published algorithm: the first six are ClickHouse's `jumpConsistentHash`
    /// conformance row (0, 43, 520, 0, 361, 237), the next three the `jump-consistent-hash` crate's doc
    /// examples; all were recomputed independently with a Python transcription of Lamping and Veach's C++.
    @Test(
        arguments: [
            (UInt64(1), 1, 0),
            (42, 57, 43),
            (256, 1_024, 520),
            (3_735_883_980, 1, 0),
            (3_735_883_980, 666, 361),
            (16_045_690_984_833_335_023, 255, 237),
            (0, 60, 0),
            (1, 60, 55),
            (2, 60, 46),
            (UInt64.max, 1_000, 313),
            (2, 100_001, 80_343),
            (0x0123_4567_89ab_cdef, Int(Int32.max), 1_651_575_352),
        ] as [(UInt64, Int, Int)]
    )
    func matchesThePublishedAlgorithmsReferenceValues(_ key: UInt64, _ shardCount: Int, _ expected: Int) throws {
        let hash = try JumpConsistentHash(shardCount: shardCount)
        #expect(hash.shard(forKey: key) == expected)
    }

    @Test func routesTenantsByTheirStableHashTheSameWayForever() throws {
        // Changing these values would move every tenant to another shard: never do it.
        // Computed independently in Python: jump(fmix64(fnv1a64(id)), 10).
        let hash = try JumpConsistentHash(shardCount: 10)
        let expected = ["acme": 5, "tenant-42": 4, "globex": 7, "initech": 1, "umbrella": 8, "hooli": 6]
        for (raw, shard) in expected {
            #expect(hash.shard(for: try TenantID(raw)) == shard, "tenant \(raw)")
        }
    }

    @Test(arguments: [0, -1, Int.min, Int(Int32.max) + 1, Int.max])
    func rejectsAShardCountOutsideOneThroughInt32Max(_ shardCount: Int) {
        #expect(
            throws: TenancyError(
                .invalidArgument,
                "shard count must be in 1...2147483647; got \(shardCount)"
            )
        ) {
            try JumpConsistentHash(shardCount: shardCount)
        }
    }

    @Test func sendsEveryKeyToShardZeroWhenThereIsOneShard() throws {
        let hash = try JumpConsistentHash(shardCount: 1)
        for key in [UInt64.min, 1, 0xdead_beef, UInt64.max] {
            #expect(hash.shard(forKey: key) == 0)
        }
    }

    @Test func spreads100000TenantsOver10ShardsWithin5PercentOfTheMean() throws {
        let hash = try JumpConsistentHash(shardCount: 10)
        var counts = [Int](repeating: 0, count: 10)
        for index in 0..<100_000 {
            counts[hash.shard(for: try TenantID("tenant-\(index)"))] += 1
        }
        for (shard, count) in counts.enumerated() {
            #expect((9_500...10_500).contains(count), "shard \(shard) holds \(count) tenants")
        }
    }

    @Test func growingFrom10To11ShardsMovesAboutAnEleventhOfTenantsAllToTheNewShard() throws {
        let before = try JumpConsistentHash(shardCount: 10)
        let after = try JumpConsistentHash(shardCount: 11)
        var moved = 0
        for index in 0..<100_000 {
            let tenant = try TenantID("tenant-\(index)")
            let from = before.shard(for: tenant)
            let to = after.shard(for: tenant)
            if from != to {
                moved += 1
                #expect(to == 10, "\(tenant) moved from \(from) to \(to)")
            }
        }
        // 100,000 / 11 = 9,091; allow 5%.
        #expect((8_636...9_546).contains(moved), "\(moved) tenants moved")
    }
}
