import Tenancy

/// Memory held by quota state for 1,000,000 tenants with a one-limit quota (a minute window limiting
/// requests and tokens), per algorithm.
///
/// The store is created, memory is read, each of 1,000,000 distinct tenants consumes once, memory is read
/// again; the delta divided by the tenant count is reported, read two ways (RSS and heap in use), the larger
/// as `bytes_per_tenant`. The IDs (`t-0000000` ... `t-0999999`, 9 bytes) are Swift small strings, built
/// inside the loop and dropped, so only what the store keeps is counted; ``checkIDsAreInline()`` verifies
/// that. The clock is a frozen ``ManualClock``: no state may expire (and be swept) mid-measurement.
enum QuotaMemoryBenchmarks {
    static let tenantCount = 1_000_000

    static var group: BenchmarkGroup {
        BenchmarkGroup(
            name: "quota state memory",
            benchmarks: [
                benchmark("quota_state_bytes_per_tenant_1m", .fixedWindow) { FixedWindowQuota(store: $0, clock: $1) },
                benchmark("quota_state_bytes_per_tenant_1m_sliding_window", .slidingWindow) {
                    SlidingWindowQuota(store: $0, clock: $1)
                },
                benchmark("quota_state_bytes_per_tenant_1m_token_bucket", .tokenBucket) {
                    TokenBucketQuota(store: $0, clock: $1)
                },
            ])
    }

    private static func benchmark<Engine: QuotaEngine>(
        _ name: String, _ algorithm: QuotaAlgorithm,
        engine makeEngine: @escaping @Sendable (InMemoryQuotaStore, ManualClock) -> Engine
    ) -> Benchmark {
        Benchmark(
            name: name,
            summary: "bytes of \(algorithm.rawValue) quota state per tenant, 1,000,000 tenants, one limit",
            body: .oneShot({ await measure(name, algorithm, makeEngine) }))
    }

    /// A realistic one-limit quota: 600 requests and 100,000 tokens a minute.
    static func quota(_ algorithm: QuotaAlgorithm) -> QuotaConfig {
        QuotaConfig(algorithm: algorithm, limits: [QuotaLimit(window: .minute, requests: 600, tokens: 100_000)])
    }

    private static func measure<Engine: QuotaEngine>(
        _ name: String, _ algorithm: QuotaAlgorithm,
        _ makeEngine: @Sendable (InMemoryQuotaStore, ManualClock) -> Engine
    ) async -> BenchmarkResult {
        checkIDsAreInline()
        let quota = quota(algorithm)
        let cost = Fixtures.cost
        // 2026-01-01T00:00:30Z: mid-window, and frozen.
        let clock = ManualClock(at: Timestamp(secondsSinceEpoch: 1_767_225_630))
        let store = InMemoryQuotaStore()
        let engine = makeEngine(store, clock)
        // One call first, so one-time runtime allocations (metadata caches) are not counted.
        await consumeAllowed(engine, cost, Fixtures.tenantID("warm-up"), quota)
        store.removeState(of: Fixtures.tenantID("warm-up"))

        MemoryUsage.trimHeap()
        let before = MemoryUsage.current()
        var id = SmallTenantID()
        for index in 0..<tenantCount {
            await consumeAllowed(engine, cost, id.make(index), quota)
        }
        let after = MemoryUsage.current()
        MemoryUsage.trimHeap()
        let afterTrim = MemoryUsage.current()

        guard store.count == tenantCount else {
            benchmarkFailure("\(name): the store holds \(store.count) states, expected \(tenantCount)")
        }
        withExtendedLifetime(store) {}

        let tenants = Double(tenantCount)
        let rss = Double(after.residentBytes - before.residentBytes) / tenants
        let heap = Double(after.heapBytes - before.heapBytes) / tenants
        let rssTrimmed = Double(afterTrim.residentBytes - before.residentBytes) / tenants
        return BenchmarkResult(
            name: name, metric: ("bytes_per_tenant", max(rss, heap)), iterations: tenantCount,
            extras: [
                ("rss_bytes_per_tenant", .decimal(rss)),
                ("heap_bytes_per_tenant", .decimal(heap)),
                ("rss_trimmed_bytes_per_tenant", .decimal(rssTrimmed)),
                ("shards", .integer(store.shardCount)),
            ])
    }

    private static func consumeAllowed<Engine: QuotaEngine>(
        _ engine: Engine, _ cost: QuotaCost, _ tenant: TenantID, _ quota: QuotaConfig
    ) async {
        let decision: QuotaDecision
        do throws(TenancyError) {
            decision = try await engine.consume(cost, for: tenant, under: quota)
        } catch {
            benchmarkFailure("consume threw \(error.code): \(error.message)")
        }
        guard decision.isAllowed else { benchmarkFailure("quota rejected the first call of \(tenant)") }
    }

    /// Fails unless the IDs this group builds live inline (no heap allocation), which is what lets the
    /// measurement leave them out: filling reserved storage with 10,000 of them must not grow the heap.
    private static func checkIDsAreInline() {
        var ids: [TenantID] = []
        ids.reserveCapacity(10_000)
        var id = SmallTenantID()
        let before = MemoryUsage.current().heapBytes
        for index in 0..<10_000 { ids.append(id.make(index * 97)) }
        let after = MemoryUsage.current().heapBytes
        withExtendedLifetime(ids) {}
        guard after - before < 10_000 else {
            benchmarkFailure("tenant IDs allocate (\(after - before) heap bytes for 10,000); they would be counted")
        }
    }
}

/// Builds `t-0000000`-style IDs (9 bytes: a Swift small string, stored inline) in a reused buffer.
private struct SmallTenantID {
    private var bytes: [UInt8] = Array("t-0000000".utf8)

    mutating func make(_ number: Int) -> TenantID {
        var rest = number
        for position in stride(from: bytes.count - 1, through: 2, by: -1) {
            bytes[position] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        }
        return Fixtures.tenantID(String(decoding: bytes, as: UTF8.self))
    }
}
