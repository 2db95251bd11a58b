/// Everything that defines a family; two registrations with equal descriptors are the same family.
struct FamilyDescriptor: Hashable, Sendable {
    /// The family name.
    let name: String
    /// The help text, unescaped.
    let help: String
    /// The type.
    let type: MetricType
    /// The label names in schema order.
    let labelNames: [String]
    /// The buckets of a histogram; `nil` for other types.
    let buckets: HistogramBuckets?

    /// Validates and creates a descriptor.
    /// - Throws: ``MetricsError`` for a bad metric name, label name or bucket list.
    init(name: String, help: String, type: MetricType, labelNames: [String], buckets: [Double]? = nil)
        throws(MetricsError)
    {
        try NameValidation.checkMetricName(name)
        try NameValidation.checkLabelNames(labelNames, histogram: type == .histogram)
        self.name = name
        self.help = help
        self.type = type
        self.labelNames = labelNames
        self.buckets = try buckets.map { bounds throws(MetricsError) in try HistogramBuckets(bounds) }
    }

    /// The series names the family writes: `name`, or `name_bucket`, `name_sum` and `name_count`.
    var seriesNames: [String] {
        type == .histogram ? [name + "_bucket", name + "_sum", name + "_count"] : [name]
    }
}
