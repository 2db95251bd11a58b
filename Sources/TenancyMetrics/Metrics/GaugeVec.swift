/// A gauge family with a fixed label schema: one ``Gauge`` per distinct combination of label values.
///
/// ``labels(_:)`` gets or creates a child. Creating validates the values (count and length) and, when the
/// family carries the registry's bounded label, admits the value under the cardinality cap or redirects
/// the sample to the overflow series. Cache the returned ``Gauge`` to skip the lookup entirely.
public final class GaugeVec: RegisteredFamily {
    let core: FamilyCore<Gauge>

    init(core: FamilyCore<Gauge>) {
        self.core = core
    }

    /// The family name.
    public var name: String { core.descriptor.name }
    /// The label names, in the order values are passed.
    public var labelNames: [String] { core.descriptor.labelNames }

    /// The child of a family with one label.
    /// - Parameter value: The label value.
    /// - Returns: The child, created at zero on first use.
    /// - Throws: ``MetricsError`` with ``MetricsError/Code/labelCountMismatch`` when the family has another
    ///   number of labels, or ``MetricsError/Code/labelValueTooLong``.
    public func labels(_ value: String) throws(MetricsError) -> Gauge {
        try core.child(LabelValues(value))
    }

    /// The child of a family with two labels.
    /// - Parameters:
    ///   - first: The first label value.
    ///   - second: The second label value.
    /// - Returns: The child, created at zero on first use.
    /// - Throws: ``MetricsError`` with ``MetricsError/Code/labelCountMismatch`` or
    ///   ``MetricsError/Code/labelValueTooLong``.
    public func labels(_ first: String, _ second: String) throws(MetricsError) -> Gauge {
        try core.child(LabelValues(first, second))
    }

    /// The child of a family with three labels.
    /// - Parameters:
    ///   - first: The first label value.
    ///   - second: The second label value.
    ///   - third: The third label value.
    /// - Returns: The child, created at zero on first use.
    /// - Throws: ``MetricsError`` with ``MetricsError/Code/labelCountMismatch`` or
    ///   ``MetricsError/Code/labelValueTooLong``.
    public func labels(_ first: String, _ second: String, _ third: String) throws(MetricsError) -> Gauge {
        try core.child(LabelValues(first, second, third))
    }

    /// The child with any number of label values (zero for an unlabeled family).
    /// - Parameter values: The label values in ``labelNames`` order.
    /// - Returns: The child, created at zero on first use.
    /// - Throws: ``MetricsError`` with ``MetricsError/Code/labelCountMismatch`` or
    ///   ``MetricsError/Code/labelValueTooLong``.
    public func labels(_ values: [String]) throws(MetricsError) -> Gauge {
        try core.child(LabelValues(values))
    }

    var descriptor: FamilyDescriptor { core.descriptor }
    func accumulateActivity() { core.accumulateActivity() }
    func removeSeries(carrying values: Set<ObjectIdentifier>) { core.removeSeries(carrying: values) }

    func render(into buffer: inout [UInt8], context: inout RenderContext) {
        let children = core.store.sorted()
        guard !children.isEmpty else { return }
        buffer.append(contentsOf: core.header)
        for child in children {
            FamilyCore<Gauge>.appendSeriesStart(name: core.nameBytes, pairs: child.series.pairs, to: &buffer)
            ExpositionFormat.appendValue(child.value, to: &buffer)
            buffer.append(UInt8(ascii: "\n"))
        }
    }
}
