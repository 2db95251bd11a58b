/// One sample a ``MetricsCollector`` produced.
public struct CollectedSample: Hashable, Sendable {
    /// The family name, one of the collector's ``MetricsCollector/descriptors``.
    public var name: String
    /// The label values, in the descriptor's label-name order.
    public var labelValues: [String]
    /// The value.
    public var value: Double

    /// Creates a sample.
    /// - Parameters:
    ///   - name: The family name.
    ///   - labelValues: The label values; none by default.
    ///   - value: The value.
    public init(name: String, labelValues: [String] = [], value: Double) {
        self.name = name
        self.labelValues = labelValues
        self.value = value
    }
}
