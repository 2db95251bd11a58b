/// One named benchmark. Names are a contract: docs, CI comparisons and later issues refer to them.
struct Benchmark: Sendable {
    /// Runs the measured operation `count` times and returns a checksum of the results, which the runner
    /// feeds to ``blackHole(_:)`` so the optimiser cannot drop the work.
    typealias Batch = @Sendable (_ count: Int) async -> UInt64

    /// How the benchmark is measured.
    enum Body: Sendable {
        /// A repeated operation: `setUp` builds the state (not timed) and returns the batch to time.
        case timed(setUp: @Sendable () async -> Batch)
        /// A single measurement that computes its own result (memory footprints).
        case oneShot(@Sendable () async -> BenchmarkResult)
    }

    /// The stable name, `snake_case`.
    var name: String
    /// One line on what is measured, for `--list`.
    var summary: String
    /// How to measure it.
    var body: Body
}

/// Benchmarks that belong together; one file in `Groups/` each, listed in ``BenchmarkRegistry``.
struct BenchmarkGroup: Sendable {
    /// The group's name, for `--list`.
    var name: String
    /// Its benchmarks, in run order.
    var benchmarks: [Benchmark]
}
