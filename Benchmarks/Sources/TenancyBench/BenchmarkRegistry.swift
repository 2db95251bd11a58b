/// Every benchmark group, in run order.
///
/// Adding a group is one file in `Groups/` that exposes a ``BenchmarkGroup`` and one line here; a group
/// that needs another package (swift-prometheus, Hummingbird) adds it to `Package.swift` of this package.
enum BenchmarkRegistry {
    static var groups: [BenchmarkGroup] {
        [
            QuotaThroughputBenchmarks.group,
            AdmissionGateBenchmarks.group,
            QuotaMemoryBenchmarks.group,
            ComponentBenchmarks.group,
            MetricsBenchmarks.group,
            ConfigStoreBenchmarks.group,
        ]
    }
}
