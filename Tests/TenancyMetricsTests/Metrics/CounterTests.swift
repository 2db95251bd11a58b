import Testing

@testable import TenancyMetrics

@Suite struct CounterTests {
    @Test func anUnlabeledCounterRendersAsOneSeriesStartingAtZero() throws {
        let registry = try plainRegistry()
        _ = try registry.counter(name: "jobs_total", help: "Jobs run.")
        #expect(
            exposition(registry) == """
                # HELP jobs_total Jobs run.
                # TYPE jobs_total counter
                jobs_total 0

                """)
    }

    @Test func wholeIncrementsRenderWithoutAFraction() throws {
        let registry = try plainRegistry()
        let counter = try registry.counter(name: "jobs_total", help: "Jobs run.")
        counter.increment()
        counter.increment(by: 41)
        try counter.add(1_000_000)
        #expect(counter.value == 1_000_042)
        #expect(
            exposition(registry) == """
                # HELP jobs_total Jobs run.
                # TYPE jobs_total counter
                jobs_total 1000042

                """)
    }

    @Test func fractionalAmountsAddUpAndRenderInShortestForm() throws {
        let registry = try plainRegistry()
        let counter = try registry.counter(name: "cpu_seconds_total", help: "CPU time.")
        try counter.add(0.25)
        try counter.add(2)
        try counter.add(0.5)
        #expect(counter.value == 2.75)
        #expect(exposition(registry).hasSuffix("cpu_seconds_total 2.75\n"))
    }

    @Test(arguments: [-1.0, -0.000_1, -Double.infinity, Double.nan])
    func negativeOrNaNAmountsAreRejectedAndLeaveTheValueUnchanged(amount: Double) throws {
        let counter = try plainRegistry().counter(name: "jobs_total", help: "Jobs run.")
        counter.increment()
        let error = #expect(throws: MetricsError.self) { try counter.add(amount) }
        #expect(error?.code == .invalidValue)
        #expect(counter.value == 1)
    }

    @Test func anInfiniteAmountMakesTheCounterInfinite() throws {
        let registry = try plainRegistry()
        let counter = try registry.counter(name: "overflowing_total", help: "Goes to infinity.")
        try counter.add(.infinity)
        #expect(exposition(registry).hasSuffix("overflowing_total +Inf\n"))
    }

    @Test func zeroAddsNothing() throws {
        let counter = try plainRegistry().counter(name: "jobs_total", help: "Jobs run.")
        try counter.add(0)
        #expect(counter.value == 0)
    }
}
