import Tenancy
import Testing

@testable import TenancyMetrics

/// Many tasks recording at once: totals must be exact, and ThreadSanitizer must stay quiet
/// (`swift test --sanitize=thread`).
@Suite struct ConcurrencyTests {
    static let tasks = 8
    static let iterations = 2_000

    @Test func concurrentIncrementsOfOneCounterAreExact() async throws {
        let counter = try plainRegistry().counter(name: "a_total", help: "A.")
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<Self.tasks {
                group.addTask {
                    for _ in 0..<Self.iterations {
                        counter.increment()
                        try? counter.add(0.5)
                    }
                }
            }
        }
        #expect(counter.value == Double(Self.tasks * Self.iterations) * 1.5)
    }

    @Test func concurrentLookupsAndIncrementsAcrossLabelValuesAreExact() async throws {
        let registry = MetricsRegistry()
        let vec = try registry.counterVec(name: "a_total", help: "A.", labelNames: ["tenant_id", "outcome"])
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<Self.tasks {
                group.addTask {
                    for index in 0..<Self.iterations {
                        let outcome = index.isMultiple(of: 2) ? "a" : "b"
                        try? vec.labels("tenant-\((index + task) % 50)", outcome).increment()
                    }
                }
            }
        }
        let total = try (0..<50).reduce(0.0) { sum, tenant in
            try sum + vec.labels("tenant-\(tenant)", "a").value + vec.labels("tenant-\(tenant)", "b").value
        }
        #expect(total == Double(Self.tasks * Self.iterations))
    }

    @Test func concurrentGaugeAndHistogramUpdatesAreExact() async throws {
        let registry = try plainRegistry()
        let gauge = try registry.gauge(name: "g", help: "G.")
        let histogram = try registry.histogram(name: "h", help: "H.", buckets: [0.5, 1.5])
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<Self.tasks {
                group.addTask {
                    for index in 0..<Self.iterations {
                        gauge.increment(by: 2)
                        gauge.decrement()
                        histogram.observe(Double(index % 3))
                    }
                }
            }
        }
        let total = Self.tasks * Self.iterations
        #expect(gauge.value == Double(total))
        let snapshot = histogram.snapshot
        #expect(snapshot.count == UInt64(total))
        let cumulative = [Self.tasks * 667, Self.tasks * 1_334, total].map(UInt64.init)
        #expect(snapshot.buckets.map(\.cumulativeCount) == cumulative)
        #expect(snapshot.sum == Double(Self.tasks * (667 * 0 + 667 * 1 + 666 * 2)))
    }

    @Test func scrapingWhileRecordingAndRegisteringIsSafeAndEndsExact() async throws {
        let registry = MetricsRegistry()
        let vec = try registry.histogramVec(name: "h_seconds", help: "H.", labelNames: ["tenant_id"], buckets: [0.1])
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<Self.tasks {
                group.addTask {
                    for index in 0..<Self.iterations {
                        try? vec.labels("t\(index % 100)").observe(0.05)
                        if index.isMultiple(of: 500) {
                            _ = try? registry.counter(
                                name: "extra_\(task)_\(index)_total", help: "Registered mid-flight.")
                        }
                    }
                }
            }
            group.addTask {
                var buffer: [UInt8] = []
                for _ in 0..<20 {
                    buffer.removeAll(keepingCapacity: true)
                    registry.render(into: &buffer)
                }
            }
        }
        let lines = exposition(registry).split(separator: "\n")
        let counts = lines.filter { $0.hasPrefix("h_seconds_count{") }.compactMap { Int($0.split(separator: " ")[1]) }
        #expect(counts.count == 100)
        #expect(counts.reduce(0, +) == Self.tasks * Self.iterations)
        #expect(lines.filter { $0.hasPrefix("# TYPE extra_") }.count == Self.tasks * 4)
    }

    @Test func concurrentTenantMetricsRecordingIsExactAcrossTheCap() async throws {
        let metrics = try TenantMetrics(configuration: .init(maximumTenants: 20, includeProcessMetrics: false))
        let tenants = try (0..<40).map { try TenantID("tenant-\($0)") }
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<Self.tasks {
                group.addTask {
                    for index in 0..<Self.iterations {
                        let tenant = tenants[(index &* 7 &+ task) % tenants.count]
                        metrics.tenantResolved(ResolutionEvent(result: .resolved, source: "header", tenant: tenant))
                        metrics.requestCompleted(
                            CompletionEvent(tenant: tenant, outcome: .allowed, status: 200, duration: .milliseconds(2)))
                    }
                }
            }
        }
        let lines = exposition(metrics.registry).split(separator: "\n")
        let allowed = lines.filter { $0.hasPrefix("tenancy_requests_total{") && $0.contains("outcome=\"allowed\"") }
        #expect(allowed.count == 21)
        #expect(allowed.compactMap { Int($0.split(separator: " ")[1]) }.reduce(0, +) == Self.tasks * Self.iterations)
        let overflow = lines.first { $0.hasPrefix("tenancy_metrics_overflow_total{family=\"tenancy_requests_total\"}") }
        let other = lines.first { $0.hasPrefix("tenancy_requests_total{tenant_id=\"__other__\",outcome=\"allowed\"}") }
        #expect(overflow?.split(separator: " ")[1] == other?.split(separator: " ")[1])
        #expect(lines.contains("tenancy_metrics_tenants_tracked 20"))
    }

    @Test func concurrentExpirySweepsAndRecordingNeverLoseTheCurrentGeneration() async throws {
        let now = ManualNow()
        let registry = try MetricsRegistry(
            configuration: .init(cardinality: CardinalityLimit(maximumValues: 100, idleExpiry: .seconds(1))),
            now: now.closure)
        let vec = try registry.counterVec(name: "a_total", help: "A.", labelNames: ["tenant_id"])
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<4 {
                group.addTask {
                    for index in 0..<Self.iterations { try? vec.labels("t\((index + task) % 10)").increment() }
                }
            }
            group.addTask {
                for _ in 0..<50 {
                    now.advance(by: .seconds(1))
                    registry.expireIdleSeries()
                }
            }
        }
        // Whatever expired meanwhile, a lookup now finds a live series that renders.
        try vec.labels("t0").increment()
        #expect(exposition(registry).contains("a_total{tenant_id=\"t0\"} "))
    }
}
