import Tenancy

/// One quota decision for one of 1,000 hot tenants, per algorithm: the engine over an
/// ``InMemoryQuotaStore`` with the engines' default clock, ``SystemClock/coarse`` (so the clock read is
/// included; a `_precise_clock` line shows the cost with ``SystemClock/precise``), a one-limit quota
/// limiting requests and tokens, tenants taken round-robin. Every decision must be allowed.
enum QuotaThroughputBenchmarks {
    static var group: BenchmarkGroup {
        BenchmarkGroup(
            name: "quota decisions",
            benchmarks: [
                benchmark("quota_fixed_window_allow_1k_tenants", .fixedWindow) {
                    FixedWindowQuota(store: $0)
                },
                benchmark("quota_sliding_window_allow_1k_tenants", .slidingWindow) {
                    SlidingWindowQuota(store: $0)
                },
                benchmark("quota_token_bucket_allow_1k_tenants", .tokenBucket) {
                    TokenBucketQuota(store: $0)
                },
                benchmark("quota_fixed_window_allow_1k_tenants_precise_clock", .fixedWindow) {
                    FixedWindowQuota(store: $0, clock: SystemClock.precise)
                },
            ])
    }

    private static func benchmark<Engine: QuotaEngine>(
        _ name: String, _ algorithm: QuotaAlgorithm, engine makeEngine: @escaping @Sendable (InMemoryQuotaStore) -> Engine
    ) -> Benchmark {
        Benchmark(
            name: name,
            summary: "\(algorithm.rawValue) consume (1 request, 10 tokens) for one of 1,000 tenants, round-robin",
            body: .timed(setUp: {
                batch(engine: makeEngine(InMemoryQuotaStore()), quota: Fixtures.unreachableQuota(algorithm))
            }))
    }

    /// The timed loop: a consume per iteration, its decision checked and folded into the checksum.
    private static func batch<Engine: QuotaEngine>(engine: Engine, quota: QuotaConfig) -> Benchmark.Batch {
        let tenants = Fixtures.hotTenants()
        let cost = Fixtures.cost
        return { count in
            var checksum: UInt64 = 0
            var index = 0
            for _ in 0..<count {
                let decision: QuotaDecision
                do throws(TenancyError) {
                    decision = try await engine.consume(cost, for: tenants[index], under: quota)
                } catch {
                    benchmarkFailure("consume threw \(error.code): \(error.message)")
                }
                guard decision.isAllowed else {
                    benchmarkFailure("quota rejected tenant \(tenants[index]): \(String(describing: decision.rejection))")
                }
                checksum &+= UInt64(bitPattern: decision.remainingTokens)
                index += 1
                if index == tenants.count { index = 0 }
            }
            return checksum
        }
    }
}
