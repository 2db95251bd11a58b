/// A value in a result line.
enum ResultValue: Sendable {
    case integer(Int)
    /// Printed with two decimals.
    case decimal(Double)

    var formatted: String {
        switch self {
        case .integer(let value): String(value)
        case .decimal(let value): formatFixed(value, decimals: 2)
        }
    }
}

/// What one benchmark reports: one JSON object per line with `--json`, one table row otherwise.
struct BenchmarkResult: Sendable {
    /// The benchmark's name.
    var name: String
    /// The headline metric's key (`ns_per_op`, `bytes_per_tenant`) and value.
    var metric: (key: String, value: Double)
    /// Operations measured (timed benchmarks) or tenants created (memory benchmarks).
    var iterations: Int
    /// Further fields, printed after the contract fields in this order.
    var extras: [(key: String, value: ResultValue)]

    /// The JSON object, on one line; keys in a fixed order: `name`, the metric, `iterations`, extras.
    var jsonLine: String {
        var fields = [
            "\"name\": \"\(name)\"",
            "\"\(metric.key)\": \(formatFixed(metric.value, decimals: 2))",
            "\"iterations\": \(iterations)",
        ]
        for (key, value) in extras {
            fields.append("\"\(key)\": \(value.formatted)")
        }
        return "{" + fields.joined(separator: ", ") + "}"
    }
}

/// `value` with exactly `decimals` digits after the point (no Foundation `String(format:)`); `null` when
/// the value is not finite, so the JSON stays valid.
func formatFixed(_ value: Double, decimals: Int) -> String {
    guard value.isFinite else { return "null" }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    guard scaled < 9e18 else { return String(value) }
    let units = Int(scaled)
    let divisor = Int(scale)
    let whole = units / divisor
    let fraction = String(units % divisor)
    let padded = String(repeating: "0", count: max(0, decimals - fraction.count)) + fraction
    let sign = value < 0 && units != 0 ? "-" : ""
    return decimals == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(padded)"
}
