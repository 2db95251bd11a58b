import Tenancy

/// The parts a quota decision is made of, timed alone, to tell where the time of the contract benchmarks
/// goes. Not targets themselves.
enum ComponentBenchmarks {
    static var group: BenchmarkGroup {
        BenchmarkGroup(
            name: "components",
            benchmarks: [
                Benchmark(
                    name: "component_system_clock_now",
                    summary: "SystemClock.precise.now through `any TenancyClock` (CLOCK_REALTIME via the vDSO)",
                    body: .timed(setUp: { clockBatch(SystemClock.precise) })),
                Benchmark(
                    name: "component_system_clock_now_coarse",
                    summary: "SystemClock.coarse.now through `any TenancyClock` (CLOCK_REALTIME_COARSE)",
                    body: .timed(setUp: { clockBatch(SystemClock.coarse) })),
                Benchmark(
                    name: "component_quota_consume_synchronously_1k_tenants",
                    summary: "FixedWindowQuota.consumeSynchronously (no async frame), 1,000 tenants",
                    body: .timed(setUp: { synchronousConsumeBatch() })),
                Benchmark(
                    name: "component_quota_store_update_1k_tenants",
                    summary: "InMemoryQuotaStore.withState (synchronous) incrementing one word, 1,000 tenants",
                    body: .timed(setUp: { storeBatch() })),
            ])
    }

    private static func clockBatch(_ clock: any TenancyClock) -> Benchmark.Batch {
        return { count in
            var checksum: UInt64 = 0
            for _ in 0..<count {
                checksum &+= UInt64(bitPattern: clock.now.nanosecondsSinceEpoch)
            }
            return checksum
        }
    }

    private static func synchronousConsumeBatch() -> Benchmark.Batch {
        let engine = FixedWindowQuota(store: InMemoryQuotaStore())
        let tenants = Fixtures.hotTenants()
        let quota = Fixtures.unreachableQuota(.fixedWindow)
        let cost = Fixtures.cost
        return { count in
            var checksum: UInt64 = 0
            var index = 0
            for _ in 0..<count {
                let decision = try? engine.consumeSynchronously(cost, for: tenants[index], under: quota)
                checksum &+= UInt64(bitPattern: decision?.remainingTokens ?? 0)
                index += 1
                if index == tenants.count { index = 0 }
            }
            return checksum
        }
    }

    /// The store alone: shard pick, lock, probe, load, a trivial body, store back. A fixed time an hour
    /// from the real one, so no state expires.
    private static func storeBatch() -> Benchmark.Batch {
        let store = InMemoryQuotaStore()
        let tenants = Fixtures.hotTenants()
        let now = SystemClock().now
        let expiresAt = UInt32(clamping: now.secondsSinceEpoch + 3_600)
        return { count in
            var checksum: UInt64 = 0
            var index = 0
            for _ in 0..<count {
                checksum &+= UInt64(bitPattern: store.withState(of: tenants[index], now: now) { state in
                    state.shape = 1
                    state.expiresAt = expiresAt
                    state.wordCount = 1
                    state[0] &+= 1
                    return state[0]
                })
                index += 1
                if index == tenants.count { index = 0 }
            }
            return checksum
        }
    }
}
