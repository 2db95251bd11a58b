/// The declaration of one family a ``MetricsCollector`` produces.
public struct MetricDescriptor: Hashable, Sendable {
    /// The family name.
    public var name: String
    /// The help text.
    public var help: String
    /// ``MetricType/counter`` or ``MetricType/gauge``.
    public var type: MetricType
    /// The label names, in the order samples give values.
    public var labelNames: [String]

    /// Creates a descriptor.
    /// - Parameters:
    ///   - name: The family name.
    ///   - help: The help text.
    ///   - type: ``MetricType/counter`` or ``MetricType/gauge``.
    ///   - labelNames: The label names; none by default.
    public init(name: String, help: String, type: MetricType, labelNames: [String] = []) {
        self.name = name
        self.help = help
        self.type = type
        self.labelNames = labelNames
    }
}
