/// The `# TYPE` of a metric family.
public enum MetricType: String, Hashable, Sendable, CaseIterable {
    /// A value that only goes up (and resets to zero when the process restarts).
    case counter
    /// A value that goes up and down.
    case gauge
    /// Observations counted into cumulative buckets, with their sum and count.
    case histogram
}
