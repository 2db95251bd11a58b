/// A histogram family with a fixed label schema: one ``Histogram`` per distinct combination of label values.
///
/// ``labels(_:)`` gets or creates a child. Creating validates the values (count and length) and, when the
/// family carries the registry's bounded label, admits the value under the cardinality cap or redirects
/// the sample to the overflow series. Cache the returned ``Histogram`` to skip the lookup entirely.
public final class HistogramVec: RegisteredFamily {
    let core: FamilyCore<Histogram>
    /// `name_bucket{`.
    private let bucketName: [UInt8]
    /// `le="0.005"} ` and so on, ending with `le="+Inf"} `.
    private let bucketSuffixes: [[UInt8]]
    private let sumName: [UInt8]
    private let countName: [UInt8]

    init(core: FamilyCore<Histogram>) {
        self.core = core
        let name = core.descriptor.name
        bucketName = Array("\(name)_bucket{".utf8)
        bucketSuffixes = (core.descriptor.buckets?.leValues ?? ["+Inf"]).map { Array("le=\"\($0)\"} ".utf8) }
        sumName = Array("\(name)_sum".utf8)
        countName = Array("\(name)_count".utf8)
    }

    /// The finite bucket upper bounds (`+Inf` is implied).
    public var buckets: [Double] { core.descriptor.buckets?.bounds ?? [] }

    /// The family name.
    public var name: String { core.descriptor.name }
    /// The label names, in the order values are passed.
    public var labelNames: [String] { core.descriptor.labelNames }

    /// The child of a family with one label.
    /// - Parameter value: The label value.
    /// - Returns: The child, created with empty buckets on first use.
    /// - Throws: ``MetricsError`` with ``MetricsError/Code/labelCountMismatch`` when the family has another
    ///   number of labels, or ``MetricsError/Code/labelValueTooLong``.
    public func labels(_ value: String) throws(MetricsError) -> Histogram {
        try core.child(LabelValues(value))
    }

    /// The child of a family with two labels.
    /// - Parameters:
    ///   - first: The first label value.
    ///   - second: The second label value.
    /// - Returns: The child, created with empty buckets on first use.
    /// - Throws: ``MetricsError`` with ``MetricsError/Code/labelCountMismatch`` or
    ///   ``MetricsError/Code/labelValueTooLong``.
    public func labels(_ first: String, _ second: String) throws(MetricsError) -> Histogram {
        try core.child(LabelValues(first, second))
    }

    /// The child of a family with three labels.
    /// - Parameters:
    ///   - first: The first label value.
    ///   - second: The second label value.
    ///   - third: The third label value.
    /// - Returns: The child, created with empty buckets on first use.
    /// - Throws: ``MetricsError`` with ``MetricsError/Code/labelCountMismatch`` or
    ///   ``MetricsError/Code/labelValueTooLong``.
    public func labels(_ first: String, _ second: String, _ third: String) throws(MetricsError) -> Histogram {
        try core.child(LabelValues(first, second, third))
    }

    /// The child with any number of label values (zero for an unlabeled family).
    /// - Parameter values: The label values in ``labelNames`` order.
    /// - Returns: The child, created with empty buckets on first use.
    /// - Throws: ``MetricsError`` with ``MetricsError/Code/labelCountMismatch`` or
    ///   ``MetricsError/Code/labelValueTooLong``.
    public func labels(_ values: [String]) throws(MetricsError) -> Histogram {
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
            let pairs = child.series.pairs
            var cumulative: UInt64 = 0
            bucketName.withUnsafeBufferPointer { bucketName in
                pairs.withUnsafeBufferPointer { pairBytes in
                    for index in bucketSuffixes.indices {
                        cumulative &+= child.count(at: index)
                        buffer.append(contentsOf: bucketName)
                        buffer.append(contentsOf: pairBytes)
                        if !pairBytes.isEmpty { buffer.append(UInt8(ascii: ",")) }
                        bucketSuffixes[index].withUnsafeBufferPointer { buffer.append(contentsOf: $0) }
                        ExpositionFormat.appendInteger(cumulative, to: &buffer)
                        buffer.append(UInt8(ascii: "\n"))
                    }
                }
            }
            FamilyCore<Histogram>.appendSeriesStart(name: sumName, pairs: pairs, to: &buffer)
            ExpositionFormat.appendValue(child.sum, to: &buffer)
            buffer.append(UInt8(ascii: "\n"))
            FamilyCore<Histogram>.appendSeriesStart(name: countName, pairs: pairs, to: &buffer)
            ExpositionFormat.appendInteger(cumulative, to: &buffer)
            buffer.append(UInt8(ascii: "\n"))
        }
    }
}
