import Foundation
import Tenancy
import TenancySQLite

/// `SQLiteTenantConfigStore.configSynchronously(for:)`, the lookup the admission gate makes per request:
/// answered from the config cache, and answered from the database (cache off).
enum ConfigStoreBenchmarks {
    static var group: BenchmarkGroup {
        BenchmarkGroup(
            name: "config store",
            benchmarks: [
                Benchmark(
                    name: "config_get_cache_hit",
                    summary: "SQLiteTenantConfigStore.configSynchronously, config cached, 1,000 tenants round-robin",
                    body: .timed(setUp: { lookupBatch(cacheCapacity: 10_000) })),
                Benchmark(
                    name: "config_get_cache_miss",
                    summary: "SQLiteTenantConfigStore.configSynchronously, cache off: one indexed SELECT on a reader and JSON decoding",
                    body: .timed(setUp: { lookupBatch(cacheCapacity: 0) })),
            ])
    }

    /// A store in a fresh file under the temporary directory with 1,000 tenants (a one-limit quota, an
    /// allow-list of two models, one metadata entry), every lookup checked to find its tenant. The time to
    /// live is an hour so no cached entry expires during a run; no background poll.
    private static func lookupBatch(cacheCapacity: Int) -> Benchmark.Batch {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tenancy-bench-\(UUID().uuidString)").path
        let store: SQLiteTenantConfigStore
        let tenants = Fixtures.hotTenants()
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            store = try SQLiteTenantConfigStore(
                path: directory + "/config.sqlite",
                configuration: .init(
                    cacheCapacity: cacheCapacity, cacheTimeToLive: .seconds(3_600), externalChangePollInterval: nil,
                    database: .init(connection: .init(synchronous: .normal))))
            for tenant in tenants {
                var config = TenantConfig(id: tenant)
                config.quota = Fixtures.unreachableQuota(.fixedWindow)
                config.policy = PolicyConfig(allowedModels: ["gpt-4o", "gpt-4o-mini"])
                config.metadata = ["plan": "pro"]
                _ = try store.upsert(config, condition: .mustNotExist)
            }
            for tenant in tenants { _ = try store.configSynchronously(for: tenant) }
        } catch {
            benchmarkFailure("cannot set up the config store: \(error)")
        }
        return { count in
            var checksum: UInt64 = 0
            var index = 0
            for _ in 0..<count {
                do {
                    guard let config = try store.configSynchronously(for: tenants[index]) else {
                        benchmarkFailure("tenant \(tenants[index]) was not found")
                    }
                    checksum &+= UInt64(bitPattern: config.version)
                } catch {
                    benchmarkFailure("lookup failed: \(error)")
                }
                index += 1
                if index == tenants.count { index = 0 }
            }
            return checksum
        }
    }
}
