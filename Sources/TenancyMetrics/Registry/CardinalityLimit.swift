/// The registry's bound on the distinct values of one label, by default `tenant_id`.
///
/// Every family whose schema contains ``labelName`` shares one set of admitted values. Once
/// ``maximumValues`` distinct values are tracked, a new value is recorded under ``overflowValue`` instead,
/// and every lookup that lands on an overflow series is counted in ``overflowCounterName``'s `family`
/// series (so count per sample by looking up per sample; a handle cached from such a lookup records
/// without counting). ``trackedGaugeName`` reports how many values are tracked. With ``idleExpiry`` set, a
/// value whose series have not changed for that long is forgotten, its series removed and its slot freed.
///
/// The cost is paid only when a series is created: looking up an existing series never consults the set.
public struct CardinalityLimit: Hashable, Sendable {
    /// The bounded label.
    public var labelName: String
    /// How many distinct values are tracked before new ones overflow; 0 sends everything to the overflow.
    public var maximumValues: Int
    /// The value recorded instead of a value over the cap. A real value spelled the same way is recorded
    /// (and counted) as overflow too, so the overflow series never mixes with a tracked one.
    public var overflowValue: String
    /// How long a value's series may stay unchanged before they are removed; `nil` keeps them forever.
    public var idleExpiry: Duration?
    /// The counter of redirected lookups, labelled `family`.
    public var overflowCounterName: String
    /// The gauge of tracked values.
    public var trackedGaugeName: String

    /// Creates a limit; the defaults are the DESIGN.md metrics contract.
    /// - Parameters:
    ///   - labelName: The bounded label; `tenant_id` by default.
    ///   - maximumValues: The cap; 1000 by default.
    ///   - overflowValue: The value used beyond the cap; `__other__` by default.
    ///   - idleExpiry: Remove a value's series after this long without change; never by default.
    ///   - overflowCounterName: `tenancy_metrics_overflow_total` by default.
    ///   - trackedGaugeName: `tenancy_metrics_tenants_tracked` by default.
    public init(
        labelName: String = "tenant_id", maximumValues: Int = 1000, overflowValue: String = "__other__",
        idleExpiry: Duration? = nil, overflowCounterName: String = "tenancy_metrics_overflow_total",
        trackedGaugeName: String = "tenancy_metrics_tenants_tracked"
    ) {
        self.labelName = labelName
        self.maximumValues = maximumValues
        self.overflowValue = overflowValue
        self.idleExpiry = idleExpiry
        self.overflowCounterName = overflowCounterName
        self.trackedGaugeName = trackedGaugeName
    }

    /// Throws unless every field is in range.
    /// - Parameter maximumLabelValueBytes: The registry's bound on label values.
    /// - Throws: ``MetricsError`` with ``MetricsError/Code/invalidConfiguration``.
    func validate(maximumLabelValueBytes: Int) throws(MetricsError) {
        do {
            try NameValidation.checkLabelName(labelName)
            try NameValidation.checkMetricName(overflowCounterName)
            try NameValidation.checkMetricName(trackedGaugeName)
        } catch {
            throw MetricsError(.invalidConfiguration, "cardinality limit: \(error.message)")
        }
        guard labelName != "family", labelName != "le" else {
            throw MetricsError(
                .invalidConfiguration, "cardinality limit: the bounded label cannot be '\(labelName)'")
        }
        guard maximumValues >= 0 else {
            throw MetricsError(.invalidConfiguration, "cardinality limit: maximumValues must not be negative")
        }
        guard !overflowValue.isEmpty, overflowValue.utf8.count <= maximumLabelValueBytes else {
            throw MetricsError(
                .invalidConfiguration,
                "cardinality limit: overflowValue must be 1-\(maximumLabelValueBytes) bytes")
        }
        guard overflowCounterName != trackedGaugeName else {
            throw MetricsError(.invalidConfiguration, "cardinality limit: the two metric names must differ")
        }
        if let idleExpiry, idleExpiry <= .zero {
            throw MetricsError(.invalidConfiguration, "cardinality limit: idleExpiry must be positive")
        }
    }
}
