import Prometheus
import TenancyMetrics

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The metrics registry's hot paths and a full scrape, each measured on `TenancyMetrics` and, in the same
/// run, on swift-prometheus 2.4.1 (`swiftprometheus_` prefix) with the closest equivalent API.
///
/// Both sides get the same inputs: the same pre-built tenant strings (`tenant-0000` ... `tenant-0999`,
/// round-robin), the same observed values in the same order, the same families, label names, buckets and
/// values before a scrape. Every child exists before timing starts (set-up creates them), so the labeled
/// benchmarks measure the steady-state lookup of an existing series, not creation.
///
/// - Labeled increment / observe: ours calls `labels(tenant)` on the family each time; swift-prometheus
///   calls `makeCounter(name:labels:)` / `makeValueHistogram(name:labels:buckets:)` each time, with the
///   label array built at the call, which is how that library looks a labeled series up.
/// - Child increment: a handle obtained once, `increment()` in the loop, on both.
/// - Scrape: ours `MetricsRegistry.render(into:)`, swift-prometheus `PrometheusCollectorRegistry.emit(into:)`,
///   both into one reused `[UInt8]` emptied with `removeAll(keepingCapacity: true)` before each scrape.
enum MetricsBenchmarks {
    static var group: BenchmarkGroup {
        BenchmarkGroup(
            name: "metrics",
            benchmarks: [
                Benchmark(
                    name: "counter_vec_labeled_inc_1k_tenants",
                    summary: "CounterVec{tenant_id}.labels(tenant).increment(), 1,000 tenants round-robin",
                    body: .timed(setUp: { ours.labeledIncrement() })),
                Benchmark(
                    name: "swiftprometheus_counter_vec_labeled_inc_1k_tenants",
                    summary: "swift-prometheus makeCounter(name:labels: [(tenant_id, tenant)]).increment(), 1,000 tenants",
                    body: .timed(setUp: { theirs.labeledIncrement() })),
                Benchmark(
                    name: "histogram_vec_labeled_observe_1k_tenants",
                    summary: "HistogramVec{tenant_id}.labels(tenant).observe(v), default buckets, 1,000 tenants",
                    body: .timed(setUp: { ours.labeledObserve() })),
                Benchmark(
                    name: "swiftprometheus_histogram_vec_labeled_observe_1k_tenants",
                    summary: "swift-prometheus makeValueHistogram(name:labels:buckets:).record(v), 1,000 tenants",
                    body: .timed(setUp: { theirs.labeledObserve() })),
                Benchmark(
                    name: "counter_child_inc",
                    summary: "Counter.increment() on a cached child handle",
                    body: .timed(setUp: { ours.childIncrement() })),
                Benchmark(
                    name: "swiftprometheus_counter_child_inc",
                    summary: "swift-prometheus Counter.increment() on a cached handle",
                    body: .timed(setUp: { theirs.childIncrement() })),
                Benchmark(
                    name: "scrape_17k_series",
                    summary: "MetricsRegistry.render(into:) of 17,000 series into a reused buffer; ns per scrape",
                    body: .timed(setUp: { ours.scrape() })),
                Benchmark(
                    name: "swiftprometheus_scrape_17k_series",
                    summary: "swift-prometheus emit(into:) of the same 17,000 series into a reused buffer; ns per scrape",
                    body: .timed(setUp: { theirs.scrape() })),
            ])
    }

    private static let ours = TenancyMetricsSide()
    private static let theirs = SwiftPrometheusSide()
}

// MARK: - Shared inputs

/// What both sides are given.
private enum MetricsFixtures {
    /// `tenant-0000` ... `tenant-0999`: the same spelling as the quota benchmarks' tenants (11 bytes, so
    /// Swift small strings on both sides), built once.
    static let tenants: [String] = Fixtures.hotTenants().map(\.rawValue)

    /// The `outcome` values of the scrape's counter family.
    static let outcomes = ["allowed", "policy_denied", "quota_rejected"]

    /// The default buckets, `.005 .01 .025 .05 .1 .25 .5 1 2.5 5 10`.
    static let buckets: [Double] = MetricsRegistry.defaultBuckets

    /// 1,024 request durations in seconds, log-uniform between 1 ms and 20 s (a fixed xorshift sequence),
    /// so observations land in every bucket, including `+Inf`. 1,024 against 1,000 tenants: each tenant
    /// sees different values over a run.
    static let observations: [Double] = {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        return (0..<1_024).map { _ in
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            let unit = Double(state >> 11) / Double(1 << 53)  // [0, 1)
            return 0.001 * exp(unit * log(20_000.0))
        }
    }()

    /// The counter family of the labeled-increment and child benchmarks.
    static let counterName = "tenancy_requests_total"
    static let counterHelp = "Requests on tenant routes, by tenant and outcome."
    /// The histogram family.
    static let histogramName = "tenancy_request_duration_seconds"
    static let histogramHelp = "Admitted requests, first middleware to response written."

    /// The value of counter child `outcome` of tenant `tenant` before a scrape: distinct, several digits.
    static func scrapeCount(tenant: Int, outcome: Int) -> UInt64 {
        UInt64(tenant &* 3 &+ outcome &+ 1) &* 37
    }

    /// Observations recorded per histogram child before a scrape.
    static let scrapeObservationsPerTenant = 8

    /// The sample lines (not `#` lines) of a scrape that belong to the two families: 3,000 counter series
    /// and 1,000 histograms of 11 buckets + `+Inf` + `_sum` + `_count`.
    static let scrapeSeries = 1_000 * 3 + 1_000 * (11 + 1 + 2)

    /// Counts the sample lines of `exposition` that belong to the two families, and the other sample lines.
    static func countSeries(_ exposition: [UInt8]) -> (families: Int, other: Int) {
        let counterPrefix = Array(counterName.utf8)
        let histogramPrefix = Array(histogramName.utf8)
        var families = 0
        var other = 0
        var lineStart = 0
        for (index, byte) in exposition.enumerated() where byte == UInt8(ascii: "\n") {
            let line = exposition[lineStart..<index]
            lineStart = index + 1
            guard let first = line.first, first != UInt8(ascii: "#") else { continue }
            if line.starts(with: counterPrefix) || line.starts(with: histogramPrefix) {
                families += 1
            } else {
                other += 1
            }
        }
        return (families, other)
    }

    /// Fails loudly unless `exposition` holds exactly the 17,000 family series (plus at most a few of the
    /// registry's own).
    static func checkScrape(_ exposition: [UInt8], side: String) {
        let (families, other) = countSeries(exposition)
        guard families == scrapeSeries, other <= 8 else {
            benchmarkFailure(
                "\(side) scrape has \(families) series of the two families (expected \(scrapeSeries)) and \(other) others")
        }
    }
}

/// A buffer a batch closure reuses across batches; batches run one at a time.
private final class ReusedBuffer: @unchecked Sendable {
    var bytes: [UInt8] = []
}

// MARK: - TenancyMetrics

private struct TenancyMetricsSide: Sendable {
    // Every benchmark uses a default `MetricsRegistry()`: the DESIGN.md cardinality bound (1,000
    // `tenant_id` values, so all 1,000 tenants are tracked and none overflows) and its self-metric families.

    func labeledIncrement() -> Benchmark.Batch {
        let tenants = MetricsFixtures.tenants
        let registry = MetricsRegistry()
        let family = must {
            try registry.counterVec(
                name: MetricsFixtures.counterName, help: MetricsFixtures.counterHelp, labelNames: ["tenant_id"])
        }
        for tenant in tenants { _ = must { try family.labels(tenant) } }
        return { count in
            var index = 0
            for _ in 0..<count {
                do throws(MetricsError) {
                    try family.labels(tenants[index]).increment()
                } catch {
                    benchmarkFailure("labels(\(tenants[index])): \(error.message)")
                }
                index &+= 1
                if index == tenants.count { index = 0 }
            }
            return UInt64(must { try family.labels(tenants[0]) }.value)
        }
    }

    func labeledObserve() -> Benchmark.Batch {
        let tenants = MetricsFixtures.tenants
        let observations = MetricsFixtures.observations
        let registry = MetricsRegistry()
        let family = must {
            try registry.histogramVec(
                name: MetricsFixtures.histogramName, help: MetricsFixtures.histogramHelp, labelNames: ["tenant_id"],
                buckets: MetricsFixtures.buckets)
        }
        for tenant in tenants { _ = must { try family.labels(tenant) } }
        return { count in
            var index = 0
            var valueIndex = 0
            for _ in 0..<count {
                do throws(MetricsError) {
                    try family.labels(tenants[index]).observe(observations[valueIndex])
                } catch {
                    benchmarkFailure("labels(\(tenants[index])): \(error.message)")
                }
                index &+= 1
                if index == tenants.count { index = 0 }
                valueIndex = (valueIndex &+ 1) & (observations.count &- 1)
            }
            return UInt64(truncatingIfNeeded: index &+ valueIndex)
        }
    }

    func childIncrement() -> Benchmark.Batch {
        let registry = MetricsRegistry()
        let family = must {
            try registry.counterVec(
                name: MetricsFixtures.counterName, help: MetricsFixtures.counterHelp, labelNames: ["tenant_id"])
        }
        let child = must { try family.labels(MetricsFixtures.tenants[0]) }
        return { count in
            for _ in 0..<count {
                child.increment()
            }
            return UInt64(child.value)
        }
    }

    func scrape() -> Benchmark.Batch {
        let registry = MetricsRegistry()
        let requests = must {
            try registry.counterVec(
                name: MetricsFixtures.counterName, help: MetricsFixtures.counterHelp,
                labelNames: ["tenant_id", "outcome"])
        }
        let durations = must {
            try registry.histogramVec(
                name: MetricsFixtures.histogramName, help: MetricsFixtures.histogramHelp, labelNames: ["tenant_id"],
                buckets: MetricsFixtures.buckets)
        }
        let observations = MetricsFixtures.observations
        for (tenantIndex, tenant) in MetricsFixtures.tenants.enumerated() {
            for (outcomeIndex, outcome) in MetricsFixtures.outcomes.enumerated() {
                must { try requests.labels(tenant, outcome) }.increment(
                    by: MetricsFixtures.scrapeCount(tenant: tenantIndex, outcome: outcomeIndex))
            }
            let histogram = must { try durations.labels(tenant) }
            for step in 0..<MetricsFixtures.scrapeObservationsPerTenant {
                histogram.observe(
                    observations[(tenantIndex * MetricsFixtures.scrapeObservationsPerTenant + step) % observations.count])
            }
        }
        let buffer = ReusedBuffer()
        registry.render(into: &buffer.bytes)
        MetricsFixtures.checkScrape(buffer.bytes, side: "TenancyMetrics")
        return { count in
            var bytes: [UInt8] = []
            swap(&bytes, &buffer.bytes)
            var checksum: UInt64 = 0
            for _ in 0..<count {
                bytes.removeAll(keepingCapacity: true)
                registry.render(into: &bytes)
                checksum &+= UInt64(bytes.count)
            }
            swap(&bytes, &buffer.bytes)
            return checksum
        }
    }

    /// The value, or a loud failure: set-up errors mean the benchmark's premise broke.
    private func must<T>(_ body: () throws -> T) -> T {
        do {
            return try body()
        } catch {
            benchmarkFailure("TenancyMetrics set-up: \((error as? MetricsError)?.message ?? "\(error)")")
        }
    }
}

// MARK: - swift-prometheus 2.4.1

/// swift-prometheus 2.4.1 deprecates its `name:` factory methods in favour of `descriptor:` ones whose
/// `MetricNameDescriptor.name` joins four optional parts into a new `String` on every call; the `name:`
/// forms reach the same `_makeCounter`/`_makeValueHistogram` without that join, so they are the cheaper,
/// fairer choice. Calling them through this protocol (specialised away in release builds) keeps the
/// benchmark package free of deprecation warnings.
private protocol NamedFactories {
    func makeCounter(name: String, labels: [(String, String)]) -> Prometheus.Counter
    func makeCounter(name: String, labels: [(String, String)], help: String) -> Prometheus.Counter
    func makeValueHistogram(name: String, labels: [(String, String)], buckets: [Double]) -> ValueHistogram
    func makeValueHistogram(
        name: String, labels: [(String, String)], buckets: [Double], help: String
    ) -> ValueHistogram
}

extension PrometheusCollectorRegistry: NamedFactories {}

private struct SwiftPrometheusSide: Sendable {
    func labeledIncrement() -> Benchmark.Batch {
        labeledIncrement(PrometheusCollectorRegistry())
    }

    private func labeledIncrement(_ registry: some NamedFactories & Sendable) -> Benchmark.Batch {
        let tenants = MetricsFixtures.tenants
        let name = MetricsFixtures.counterName
        for tenant in tenants { _ = registry.makeCounter(name: name, labels: [("tenant_id", tenant)]) }
        return { count in
            var index = 0
            for _ in 0..<count {
                registry.makeCounter(name: name, labels: [("tenant_id", tenants[index])]).increment()
                index &+= 1
                if index == tenants.count { index = 0 }
            }
            return UInt64(truncatingIfNeeded: index)
        }
    }

    func labeledObserve() -> Benchmark.Batch {
        labeledObserve(PrometheusCollectorRegistry())
    }

    private func labeledObserve(_ registry: some NamedFactories & Sendable) -> Benchmark.Batch {
        let tenants = MetricsFixtures.tenants
        let observations = MetricsFixtures.observations
        let buckets = MetricsFixtures.buckets
        let name = MetricsFixtures.histogramName
        for tenant in tenants {
            _ = registry.makeValueHistogram(name: name, labels: [("tenant_id", tenant)], buckets: buckets)
        }
        return { count in
            var index = 0
            var valueIndex = 0
            for _ in 0..<count {
                registry.makeValueHistogram(name: name, labels: [("tenant_id", tenants[index])], buckets: buckets)
                    .record(observations[valueIndex])
                index &+= 1
                if index == tenants.count { index = 0 }
                valueIndex = (valueIndex &+ 1) & (observations.count &- 1)
            }
            return UInt64(truncatingIfNeeded: index &+ valueIndex)
        }
    }

    func childIncrement() -> Benchmark.Batch {
        childIncrement(PrometheusCollectorRegistry())
    }

    private func childIncrement(_ registry: some NamedFactories) -> Benchmark.Batch {
        let child = registry.makeCounter(
            name: MetricsFixtures.counterName, labels: [("tenant_id", MetricsFixtures.tenants[0])])
        return { count in
            for _ in 0..<count {
                child.increment()
            }
            return UInt64(truncatingIfNeeded: count)
        }
    }

    func scrape() -> Benchmark.Batch {
        let registry = PrometheusCollectorRegistry()
        populate(registry)
        let buffer = ReusedBuffer()
        registry.emit(into: &buffer.bytes)
        MetricsFixtures.checkScrape(buffer.bytes, side: "swift-prometheus")
        return { count in
            var bytes: [UInt8] = []
            swap(&bytes, &buffer.bytes)
            var checksum: UInt64 = 0
            for _ in 0..<count {
                bytes.removeAll(keepingCapacity: true)
                registry.emit(into: &bytes)
                checksum &+= UInt64(bytes.count)
            }
            swap(&bytes, &buffer.bytes)
            return checksum
        }
    }

    /// The same families, label sets, help texts, buckets and values as ``TenancyMetricsSide/scrape()``.
    private func populate(_ registry: some NamedFactories) {
        let observations = MetricsFixtures.observations
        for (tenantIndex, tenant) in MetricsFixtures.tenants.enumerated() {
            for (outcomeIndex, outcome) in MetricsFixtures.outcomes.enumerated() {
                registry.makeCounter(
                    name: MetricsFixtures.counterName, labels: [("tenant_id", tenant), ("outcome", outcome)],
                    help: MetricsFixtures.counterHelp
                ).increment(by: Int64(MetricsFixtures.scrapeCount(tenant: tenantIndex, outcome: outcomeIndex)))
            }
            let histogram = registry.makeValueHistogram(
                name: MetricsFixtures.histogramName, labels: [("tenant_id", tenant)], buckets: MetricsFixtures.buckets,
                help: MetricsFixtures.histogramHelp)
            for step in 0..<MetricsFixtures.scrapeObservationsPerTenant {
                histogram.record(
                    observations[(tenantIndex * MetricsFixtures.scrapeObservationsPerTenant + step) % observations.count])
            }
        }
    }
}
