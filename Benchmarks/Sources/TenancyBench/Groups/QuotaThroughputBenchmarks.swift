import Tenancy

/// One quota decision for one of 1,000 hot tenants, per algorithm: the engine over an
/// ``InMemoryQuotaStore`` with the engines' default clock, ``SystemClock/coarse`` (so the clock read is
/// included; a `_precise_clock` line shows the cost with ``SystemClock/precise``), a one-limit quota
/// limiting requests and tokens, tenants taken round-robin. Every decision must be allowed.
///
/// Each loop holds its engine by its concrete type, as a caller that builds one does. A loop generic over
/// `some QuotaEngine`, even specialised, keeps an executor hop (`swift_task_switch`) after every await:
/// about 7 ns per decision, which the `_generic_caller` line keeps in view.
enum QuotaThroughputBenchmarks {
    static var group: BenchmarkGroup {
        BenchmarkGroup(
            name: "quota decisions",
            benchmarks: [
                benchmark("quota_fixed_window_allow_1k_tenants", .fixedWindow) {
                    batch(FixedWindowQuota(store: $0), $1)
                },
                benchmark("quota_sliding_window_allow_1k_tenants", .slidingWindow) {
                    batch(SlidingWindowQuota(store: $0), $1)
                },
                benchmark("quota_token_bucket_allow_1k_tenants", .tokenBucket) {
                    batch(TokenBucketQuota(store: $0), $1)
                },
                benchmark("quota_fixed_window_allow_1k_tenants_precise_clock", .fixedWindow) {
                    batch(FixedWindowQuota(store: $0, clock: SystemClock.precise), $1)
                },
                benchmark("quota_sliding_window_allow_1k_tenants_generic_caller", .slidingWindow, through: "a generic loop") {
                    genericBatch(SlidingWindowQuota(store: $0), $1)
                },
            ])
    }

    /// A benchmark whose batch `makeBatch` builds over a fresh store and the algorithm's unreachable quota.
    private static func benchmark(
        _ name: String, _ algorithm: QuotaAlgorithm, through caller: String = "the engine's concrete type",
        batch makeBatch: @escaping @Sendable (InMemoryQuotaStore, QuotaConfig) -> Benchmark.Batch
    ) -> Benchmark {
        Benchmark(
            name: name,
            summary: "\(algorithm.rawValue) consume (1 request, 10 tokens) for one of 1,000 tenants, round-robin, "
                + "called through \(caller)",
            body: .timed(setUp: { makeBatch(InMemoryQuotaStore(), Fixtures.unreachableQuota(algorithm)) }))
    }

    // The timed loops: a consume per iteration, its decision checked and folded into the checksum. One per
    // engine type, the same text each: the loop must name the engine's concrete type, and neither a generic
    // loop (the hop above) nor a loop over a closure (an async call and a frame per decision, +30 ns) does.

    /// The timed loop over a ``FixedWindowQuota``.
    private static func batch(_ engine: FixedWindowQuota, _ quota: QuotaConfig) -> Benchmark.Batch {
        let tenants = Fixtures.hotTenants()
        return { count in
            var checksum: UInt64 = 0
            var index = 0
            for _ in 0..<count {
                do throws(TenancyError) {
                    checksum &+= checked(try await engine.consume(Fixtures.cost, for: tenants[index], under: quota))
                } catch {
                    failed(error)
                }
                index = index + 1 == tenants.count ? 0 : index + 1
            }
            return checksum
        }
    }

    /// The timed loop over a ``SlidingWindowQuota``.
    private static func batch(_ engine: SlidingWindowQuota, _ quota: QuotaConfig) -> Benchmark.Batch {
        let tenants = Fixtures.hotTenants()
        return { count in
            var checksum: UInt64 = 0
            var index = 0
            for _ in 0..<count {
                do throws(TenancyError) {
                    checksum &+= checked(try await engine.consume(Fixtures.cost, for: tenants[index], under: quota))
                } catch {
                    failed(error)
                }
                index = index + 1 == tenants.count ? 0 : index + 1
            }
            return checksum
        }
    }

    /// The timed loop over a ``TokenBucketQuota``.
    private static func batch(_ engine: TokenBucketQuota, _ quota: QuotaConfig) -> Benchmark.Batch {
        let tenants = Fixtures.hotTenants()
        return { count in
            var checksum: UInt64 = 0
            var index = 0
            for _ in 0..<count {
                do throws(TenancyError) {
                    checksum &+= checked(try await engine.consume(Fixtures.cost, for: tenants[index], under: quota))
                } catch {
                    failed(error)
                }
                index = index + 1 == tenants.count ? 0 : index + 1
            }
            return checksum
        }
    }

    /// The same loop through a generic parameter, for the `_generic_caller` line.
    private static func genericBatch(_ engine: some QuotaEngine, _ quota: QuotaConfig) -> Benchmark.Batch {
        let tenants = Fixtures.hotTenants()
        return { count in
            var checksum: UInt64 = 0
            var index = 0
            for _ in 0..<count {
                do throws(TenancyError) {
                    checksum &+= checked(try await engine.consume(Fixtures.cost, for: tenants[index], under: quota))
                } catch {
                    failed(error)
                }
                index = index + 1 == tenants.count ? 0 : index + 1
            }
            return checksum
        }
    }

    /// The decision's contribution to the checksum; a rejection fails the run.
    @inline(__always)
    private static func checked(_ decision: QuotaDecision) -> UInt64 {
        guard decision.isAllowed else {
            benchmarkFailure("quota rejected a hot tenant: \(String(describing: decision.rejection))")
        }
        return UInt64(bitPattern: decision.remainingTokens)
    }

    /// Fails the run: a decision of these benchmarks never throws.
    private static func failed(_ error: TenancyError) -> Never {
        benchmarkFailure("consume threw \(error.code): \(error.message)")
    }
}
