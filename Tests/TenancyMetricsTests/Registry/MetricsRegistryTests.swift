import Testing

@testable import TenancyMetrics

@Suite struct MetricsRegistryTests {
    @Test(arguments: ["", "1abc", "a-b", "a b", "a.b", "é", "__reserved", "__"])
    func invalidMetricNamesAreRejected(name: String) throws {
        let registry = try plainRegistry()
        let error = #expect(throws: MetricsError.self) { try registry.counter(name: name, help: "x") }
        #expect(error?.code == .invalidMetricName)
    }

    @Test(arguments: ["a", "_a", "a:b", ":a", "A_Z_09", "_"])
    func validMetricNamesAreAccepted(name: String) throws {
        _ = try plainRegistry().gauge(name: name, help: "x")
    }

    @Test(arguments: [["a:b"], ["1a"], [""], ["__name__"], ["a-b"], ["ok", "ok"], ["é"]])
    func invalidLabelNamesAreRejected(labelNames: [String]) throws {
        let registry = try plainRegistry()
        let error = #expect(throws: MetricsError.self) {
            try registry.counterVec(name: "a_total", help: "x", labelNames: labelNames)
        }
        #expect(error?.code == .invalidLabelName)
    }

    @Test func leIsReservedOnHistogramsOnly() throws {
        let registry = try plainRegistry()
        let error = #expect(throws: MetricsError.self) {
            try registry.histogramVec(name: "h", help: "x", labelNames: ["le"])
        }
        #expect(error?.code == .invalidLabelName)
        _ = try registry.gaugeVec(name: "g", help: "x", labelNames: ["le"])
    }

    @Test(arguments: [
        [1, 1], [2, 1], [0.1, .infinity], [.nan], [-.infinity, 0], [1, 2, 2.000_000_000_000_000_1],
    ] as [[Double]])
    func bucketsMustBeFiniteAndStrictlyIncreasing(buckets: [Double]) throws {
        let registry = try plainRegistry()
        let error = #expect(throws: MetricsError.self) {
            try registry.histogram(name: "h", help: "x", buckets: buckets)
        }
        #expect(error?.code == .invalidBuckets)
    }

    @Test func registeringTheSameDefinitionAgainReturnsTheExistingFamily() throws {
        let registry = try plainRegistry()
        let counter = try registry.counter(name: "a_total", help: "A.")
        #expect(try registry.counter(name: "a_total", help: "A.") === counter)
        let vec = try registry.counterVec(name: "b_total", help: "B.", labelNames: ["x"])
        #expect(try registry.counterVec(name: "b_total", help: "B.", labelNames: ["x"]) === vec)
        let gauge = try registry.gauge(name: "c", help: "C.")
        #expect(try registry.gauge(name: "c", help: "C.") === gauge)
        let gauges = try registry.gaugeVec(name: "d", help: "D.", labelNames: ["x"])
        #expect(try registry.gaugeVec(name: "d", help: "D.", labelNames: ["x"]) === gauges)
        let histogram = try registry.histogram(name: "e", help: "E.", buckets: [1])
        #expect(try registry.histogram(name: "e", help: "E.", buckets: [1]) === histogram)
        let histograms = try registry.histogramVec(name: "f", help: "F.", labelNames: ["x"])
        #expect(try registry.histogramVec(name: "f", help: "F.", labelNames: ["x"]) === histograms)
    }

    @Test func anUnlabeledCounterIsTheOnlyChildOfAnEmptySchema() throws {
        let registry = try plainRegistry()
        let counter = try registry.counter(name: "a_total", help: "A.")
        #expect(try registry.counterVec(name: "a_total", help: "A.", labelNames: []).labels([]) === counter)
    }

    @Test func aConflictingDefinitionIsAnErrorNotATrap() throws {
        let registry = try plainRegistry()
        _ = try registry.histogramVec(name: "a", help: "A.", labelNames: ["x"], buckets: [1, 2])
        let attempts: [() throws -> Void] = [
            { _ = try registry.histogramVec(name: "a", help: "Other help.", labelNames: ["x"], buckets: [1, 2]) },
            { _ = try registry.histogramVec(name: "a", help: "A.", labelNames: ["y"], buckets: [1, 2]) },
            { _ = try registry.histogramVec(name: "a", help: "A.", labelNames: ["x"], buckets: [1, 3]) },
            { _ = try registry.histogramVec(name: "a", help: "A.", labelNames: [], buckets: [1, 2]) },
            { _ = try registry.counterVec(name: "a", help: "A.", labelNames: ["x"]) },
            { _ = try registry.gaugeVec(name: "a", help: "A.", labelNames: ["x"]) },
            { _ = try registry.gauge(name: "a", help: "A.") },
        ]
        for attempt in attempts {
            let error = #expect(throws: MetricsError.self) { try attempt() }
            #expect(error?.code == .conflictingRegistration)
        }
    }

    @Test func theMessageOfAConflictNamesTheExistingDefinition() throws {
        let registry = try plainRegistry()
        _ = try registry.counterVec(name: "a_total", help: "A.", labelNames: ["x"])
        let error = #expect(throws: MetricsError.self) { try registry.counter(name: "a_total", help: "A.") }
        #expect(error?.message.contains("counter with labels [\"x\"]") == true)
        #expect(error?.description.hasPrefix("conflicting_registration: ") == true)
    }

    @Test(arguments: [
        ("h", "h_bucket"), ("h", "h_sum"), ("h", "h_count"),
    ])
    func familiesWhoseSeriesWouldClashWithAHistogramAreRejected(histogram: String, other: String) throws {
        let registry = try plainRegistry()
        _ = try registry.histogram(name: histogram, help: "H.")
        let error = #expect(throws: MetricsError.self) { try registry.counter(name: other, help: "C.") }
        #expect(error?.code == .conflictingRegistration)

        let reversed = try plainRegistry()
        _ = try reversed.gauge(name: other, help: "G.")
        let reverseError = #expect(throws: MetricsError.self) { try reversed.histogram(name: histogram, help: "H.") }
        #expect(reverseError?.code == .conflictingRegistration)
    }

    @Test func familiesAreSortedByNameAndEmptyOnesAreLeftOut() throws {
        let registry = try plainRegistry()
        _ = try registry.counter(name: "zeta_total", help: "Z.")
        _ = try registry.counterVec(name: "empty_total", help: "No series yet.", labelNames: ["x"])
        _ = try registry.gauge(name: "Alpha", help: "Upper case sorts first.")
        _ = try registry.gauge(name: "alpha", help: "A.")
        _ = try registry.gauge(name: "alpha_beta", help: "AB.")
        _ = try registry.gauge(name: "alpha:gamma", help: "AG.")
        #expect(
            exposition(registry) == """
                # HELP Alpha Upper case sorts first.
                # TYPE Alpha gauge
                Alpha 0
                # HELP alpha A.
                # TYPE alpha gauge
                alpha 0
                # HELP alpha:gamma AG.
                # TYPE alpha:gamma gauge
                alpha:gamma 0
                # HELP alpha_beta AB.
                # TYPE alpha_beta gauge
                alpha_beta 0
                # HELP zeta_total Z.
                # TYPE zeta_total counter
                zeta_total 0

                """)
    }

    @Test func helpTextIsEscaped() throws {
        let registry = try plainRegistry()
        _ = try registry.gauge(name: "g", help: "Line one\nline \"two\" with C:\\path")
        #expect(
            exposition(registry) == """
                # HELP g Line one\\nline "two" with C:\\\\path
                # TYPE g gauge
                g 0

                """)
    }

    @Test func anEmptyHelpKeepsTheSeparatingSpaceLikeClientGolang() throws {
        let registry = try plainRegistry()
        _ = try registry.gauge(name: "g", help: "")
        #expect(exposition(registry) == "# HELP g \n# TYPE g gauge\ng 0\n")
    }

    @Test func anEmptyRegistryRendersNothing() throws {
        #expect(try plainRegistry().render().isEmpty)
        #expect(MetricsRegistry().render().isEmpty)
    }

    @Test func renderingAppendsToTheBufferSoItCanBeReused() throws {
        let registry = try plainRegistry()
        let counter = try registry.counter(name: "a_total", help: "A.")
        var buffer = Array("prefix\n".utf8)
        registry.render(into: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == "prefix\n# HELP a_total A.\n# TYPE a_total counter\na_total 0\n")
        buffer.removeAll(keepingCapacity: true)
        counter.increment()
        registry.render(into: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == "# HELP a_total A.\n# TYPE a_total counter\na_total 1\n")
    }

    @Test func seriesAddedAfterAScrapeAppearInTheNextOne() throws {
        let registry = try plainRegistry()
        let vec = try registry.counterVec(name: "a_total", help: "A.", labelNames: ["x"])
        try vec.labels("b").increment()
        _ = registry.render()
        try vec.labels("a").increment()
        #expect(exposition(registry).hasSuffix("a_total{x=\"a\"} 1\na_total{x=\"b\"} 1\n"))
    }

    @Test(arguments: [0, -1])
    func aLabelValueBoundBelowOneIsAnInvalidConfiguration(bound: Int) {
        let error = #expect(throws: MetricsError.self) { try plainRegistry(maximumLabelValueBytes: bound) }
        #expect(error?.code == .invalidConfiguration)
    }

    @Test func theConfigurationIsKept() throws {
        let registry = try plainRegistry(maximumLabelValueBytes: 99)
        #expect(registry.configuration.maximumLabelValueBytes == 99)
        #expect(registry.configuration.cardinality == nil)
        #expect(MetricsRegistry().configuration == MetricsRegistry.Configuration())
    }
}
