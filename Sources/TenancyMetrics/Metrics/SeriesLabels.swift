/// The labels of one child series, escaped once when the child is created so a scrape only copies bytes.
struct SeriesLabels: Sendable {
    /// The raw label values, in the family's label-name order.
    let values: [String]
    /// `name="value",...`, escaped, without braces; empty for an unlabeled family.
    let pairs: [UInt8]
    /// The cardinality-tracked value this series carries, when its family has the bounded label and the
    /// value is not the overflow value.
    let tracked: TrackedLabelValue?

    /// No labels.
    static let none = SeriesLabels(values: [], pairs: [], tracked: nil)

    /// Escapes `values` under `names`.
    init(names: [String], values: [String], tracked: TrackedLabelValue?) {
        self.init(values: values, pairs: ExpositionFormat.labelPairs(names: names, values: values), tracked: tracked)
    }

    private init(values: [String], pairs: [UInt8], tracked: TrackedLabelValue?) {
        self.values = values
        self.pairs = pairs
        self.tracked = tracked
    }
}
