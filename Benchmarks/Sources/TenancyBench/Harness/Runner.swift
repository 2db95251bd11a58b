/// Runs benchmarks and prints their results.
///
/// Timed benchmarks: the batch size is calibrated so one batch takes about `minTime / 50` (1-50 ms), batches
/// run for a warm-up of `max(0.1 s, minTime / 4)`, then batches are timed until `minTime` has elapsed and at
/// least ``minimumBatches`` ran. The clock is read only around batches, never inside them. The reported
/// `ns_per_op` is the median of the batches' ns/op; the best and worst batch are reported beside it.
///
/// Everything here is `nonisolated` and async: the engines' async calls then run on the executor the batch
/// already runs on, without an actor hop per call.
enum Runner {
    static let minimumBatches = 10

    /// Runs the selected benchmarks in registry order and prints each result as it completes.
    static func run(_ options: Options) async {
        let selected = BenchmarkRegistry.groups.flatMap(\.benchmarks).filter { options.selects($0.name) }
        guard !selected.isEmpty else {
            benchmarkFailure("no benchmark matches \(options.filters.map { "'\($0)'" }.joined(separator: ", "))")
        }
        let table = ResultTable()
        if !options.json { print(ResultTable.header) }
        for benchmark in selected {
            let result: BenchmarkResult
            switch benchmark.body {
            case .timed(let setUp):
                let batch = await setUp()
                result = await measure(benchmark.name, batch, minTime: options.minTime)
            case .oneShot(let body):
                result = await body()
            }
            if options.json {
                print(result.jsonLine)
            } else {
                print(table.row(result))
            }
        }
    }

    /// Calibrates, warms up and times `batch`.
    static func measure(_ name: String, _ batch: Benchmark.Batch, minTime: Double) async -> BenchmarkResult {
        let targetBatch = min(max(minTime * 1e9 / 50, 1e6), 5e7)

        // Calibration, which doubles as the first part of the warm-up.
        var count = 1
        while true {
            let elapsed = Double(await time(batch, count))
            if elapsed >= targetBatch / 2 || count >= 1 << 40 {
                count = max(1, Int(Double(count) * targetBatch / max(elapsed, 1)))
                break
            }
            count *= elapsed < targetBatch / 100 ? 10 : 2
        }

        let warmUpEnd = MonotonicClock.nanoseconds() + UInt64(max(0.1, minTime / 4) * 1e9)
        while MonotonicClock.nanoseconds() < warmUpEnd {
            _ = await time(batch, count)
        }

        var perOperation: [Double] = []
        var measured: UInt64 = 0
        let budget = UInt64(minTime * 1e9)
        while measured < budget || perOperation.count < minimumBatches {
            let elapsed = await time(batch, count)
            measured += elapsed
            perOperation.append(Double(elapsed) / Double(count))
        }
        perOperation.sort()
        let middle = perOperation.count / 2
        let median =
            perOperation.count % 2 == 1 ? perOperation[middle] : (perOperation[middle - 1] + perOperation[middle]) / 2
        return BenchmarkResult(
            name: name, metric: ("ns_per_op", median), iterations: count * perOperation.count,
            extras: [
                ("min_ns_per_op", .decimal(perOperation[0])),
                ("max_ns_per_op", .decimal(perOperation[perOperation.count - 1])),
                ("batches", .integer(perOperation.count)),
            ])
    }

    /// Nanoseconds one batch of `count` operations takes; its checksum goes to the black hole.
    private static func time(_ batch: Benchmark.Batch, _ count: Int) async -> UInt64 {
        let start = MonotonicClock.nanoseconds()
        let checksum = await batch(count)
        let end = MonotonicClock.nanoseconds()
        blackHole(checksum)
        return end - start
    }
}

/// The human-readable output: a fixed-width table, one row per result.
struct ResultTable {
    static let nameWidth = 50

    static let header = pad("benchmark", nameWidth) + lpad("value", 12) + "  " + pad("unit", 16) + lpad("iterations", 12)
        + "  details\n" + String(repeating: "-", count: 120)

    func row(_ result: BenchmarkResult) -> String {
        let unit = result.metric.key == "ns_per_op" ? "ns/op (median)" : result.metric.key.replacing("_", with: " ")
        let details = result.extras.map { "\($0.key)=\($0.value.formatted)" }.joined(separator: " ")
        return Self.pad(result.name, Self.nameWidth) + Self.lpad(formatFixed(result.metric.value, decimals: 2), 12) + "  "
            + Self.pad(unit, 16) + Self.lpad(String(result.iterations), 12) + "  " + details
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(1, width - text.count))
    }

    private static func lpad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
