extension MetricsRegistry {
    /// The registry's bounds.
    public struct Configuration: Hashable, Sendable {
        /// The bound on the distinct values of one label (`tenant_id` by default); `nil` disables it.
        public var cardinality: CardinalityLimit?
        /// The longest label value accepted, in UTF-8 bytes; longer values are an error.
        public var maximumLabelValueBytes: Int

        /// Creates a configuration; the defaults are the DESIGN.md metrics contract.
        /// - Parameters:
        ///   - cardinality: The cardinality bound; 1000 `tenant_id` values by default.
        ///   - maximumLabelValueBytes: 256 by default.
        public init(cardinality: CardinalityLimit? = CardinalityLimit(), maximumLabelValueBytes: Int = 256) {
            self.cardinality = cardinality
            self.maximumLabelValueBytes = maximumLabelValueBytes
        }

        /// Throws unless every field is in range.
        /// - Throws: ``MetricsError`` with ``MetricsError/Code/invalidConfiguration``.
        func validate() throws(MetricsError) {
            guard maximumLabelValueBytes >= 1 else {
                throw MetricsError(.invalidConfiguration, "maximumLabelValueBytes must be at least 1")
            }
            try cardinality?.validate(maximumLabelValueBytes: maximumLabelValueBytes)
        }
    }
}
