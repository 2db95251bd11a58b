import Synchronization
import Testing

@testable import TenancyMetrics

/// A collector that returns whatever it is given, and counts its calls.
private final class FixedCollector: MetricsCollector {
    let descriptors: [MetricDescriptor]
    private let samples: [CollectedSample]
    private let calls = Atomic<Int>(0)

    init(_ descriptors: [MetricDescriptor], _ samples: [CollectedSample]) {
        self.descriptors = descriptors
        self.samples = samples
    }

    var callCount: Int { calls.load(ordering: .relaxed) }

    func collect() -> [CollectedSample] {
        calls.add(1, ordering: .relaxed)
        return samples
    }
}

@Suite struct MetricsCollectorTests {
    private static let pool = [
        MetricDescriptor(name: "pool_connections", help: "Connections by state.", type: .gauge, labelNames: ["state"]),
        MetricDescriptor(name: "pool_waits_total", help: "Waits for a connection.", type: .counter),
    ]

    @Test func samplesAreRenderedSortedUnderTheirFamiliesAndTheCollectorIsCalledOncePerScrape() throws {
        let registry = try plainRegistry()
        _ = try registry.counter(name: "pool_a_total", help: "Sorts between the collector's families.")
        let collector = FixedCollector(
            Self.pool,
            [
                .init(name: "pool_waits_total", value: 7),
                .init(name: "pool_connections", labelValues: ["idle"], value: 3),
                .init(name: "pool_connections", labelValues: ["busy"], value: 2.5),
            ])
        try registry.register(collector)
        #expect(
            exposition(registry) == """
                # HELP pool_a_total Sorts between the collector's families.
                # TYPE pool_a_total counter
                pool_a_total 0
                # HELP pool_connections Connections by state.
                # TYPE pool_connections gauge
                pool_connections{state="busy"} 2.5
                pool_connections{state="idle"} 3
                # HELP pool_waits_total Waits for a connection.
                # TYPE pool_waits_total counter
                pool_waits_total 7

                """)
        #expect(collector.callCount == 1)
    }

    @Test func malformedSamplesAreDroppedAndFamiliesWithoutSamplesAreLeftOut() throws {
        let registry = try plainRegistry(maximumLabelValueBytes: 4)
        try registry.register(
            FixedCollector(
                Self.pool,
                [
                    .init(name: "pool_connections", labelValues: [], value: 1),  // wrong arity
                    .init(name: "pool_connections", labelValues: ["idle", "x"], value: 1),  // wrong arity
                    .init(name: "pool_connections", labelValues: ["toolong"], value: 1),  // over the bound
                    .init(name: "pool_connections", labelValues: ["busy"], value: 1),
                    .init(name: "pool_connections", labelValues: ["busy"], value: 2),  // repeats a series
                    .init(name: "undeclared", value: 1),
                    .init(name: "pool_waits_total", value: -1),  // a negative counter
                    .init(name: "pool_waits_total", value: .nan),  // a NaN counter
                ]))
        #expect(
            exposition(registry) == """
                # HELP pool_connections Connections by state.
                # TYPE pool_connections gauge
                pool_connections{state="busy"} 1

                """)
    }

    @Test func registeringTheSameFamiliesAgainDoesNothing() throws {
        let registry = try plainRegistry()
        let first = FixedCollector(Self.pool, [.init(name: "pool_waits_total", value: 1)])
        let second = FixedCollector(Self.pool, [.init(name: "pool_waits_total", value: 2)])
        try registry.register(first)
        try registry.register(second)
        #expect(exposition(registry).hasSuffix("pool_waits_total 1\n"))
        #expect(second.callCount == 0)
    }

    @Test func aCollectorCannotTakeANameRegisteredOtherwise() throws {
        let registry = try plainRegistry()
        _ = try registry.counter(name: "pool_waits_total", help: "Waits for a connection.")
        let error = #expect(throws: MetricsError.self) { try registry.register(FixedCollector(Self.pool, [])) }
        #expect(error?.code == .conflictingRegistration)

        let other = try plainRegistry()
        try other.register(FixedCollector([Self.pool[1]], []))
        let changed = MetricDescriptor(name: "pool_waits_total", help: "Different help.", type: .counter)
        let changedError = #expect(throws: MetricsError.self) { try other.register(FixedCollector([changed], [])) }
        #expect(changedError?.code == .conflictingRegistration)
        let counterError = #expect(throws: MetricsError.self) {
            try other.counter(name: "pool_waits_total", help: "Waits for a connection.")
        }
        #expect(counterError?.code == .conflictingRegistration)
    }

    @Test func aCollectorCannotDeclareTheSameOrClashingNamesTwice() throws {
        let registry = try plainRegistry()
        let twice = [Self.pool[1], Self.pool[1]]
        #expect(throws: MetricsError.self) { try registry.register(FixedCollector(twice, [])) }
        _ = try registry.histogram(name: "h", help: "H.")
        let clash = MetricDescriptor(name: "h_sum", help: "Clashes.", type: .gauge)
        #expect(throws: MetricsError.self) { try registry.register(FixedCollector([clash], [])) }
    }

    @Test(arguments: [
        MetricDescriptor(name: "h", help: "H.", type: .histogram),
        MetricDescriptor(name: "per_tenant", help: "P.", type: .gauge, labelNames: ["tenant_id"]),
    ])
    func collectorsProduceNeitherHistogramsNorBoundedSeries(descriptor: MetricDescriptor) {
        let registry = MetricsRegistry()
        let error = #expect(throws: MetricsError.self) { try registry.register(FixedCollector([descriptor], [])) }
        #expect(error?.code == .invalidConfiguration)
    }

    @Test(arguments: [
        MetricDescriptor(name: "bad-name", help: "x", type: .gauge),
        MetricDescriptor(name: "ok", help: "x", type: .gauge, labelNames: ["__bad"]),
    ])
    func invalidDescriptorsAreRejected(descriptor: MetricDescriptor) throws {
        #expect(throws: MetricsError.self) { try plainRegistry().register(FixedCollector([descriptor], [])) }
    }
}
