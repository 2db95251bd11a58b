/// What the three vector types share: the schema, the children, label-value validation and the
/// cardinality bound.
final class FamilyCore<Child: FamilyChild>: Sendable {
    /// How a family that carries the registry's bounded label reaches the tracker.
    struct Bounded: Sendable {
        /// The index of the bounded label in the schema.
        let index: Int
        /// The registry's tracker of distinct values.
        let tracker: LabelTracker
        /// `<prefix>_overflow_total{family="<this family>"}`.
        let overflowCounter: Counter
    }

    let descriptor: FamilyDescriptor
    let store = ChildStore<Child>()
    let bounded: Bounded?
    let maximumValueBytes: Int
    /// The family name's bytes.
    let nameBytes: [UInt8]
    /// `# HELP` and `# TYPE`.
    let header: [UInt8]
    private let make: @Sendable (SeriesLabels) -> Child

    init(
        descriptor: FamilyDescriptor, bounded: Bounded?, maximumValueBytes: Int,
        make: @escaping @Sendable (SeriesLabels) -> Child
    ) {
        self.descriptor = descriptor
        self.bounded = bounded
        self.maximumValueBytes = maximumValueBytes
        self.make = make
        nameBytes = Array(descriptor.name.utf8)
        header = ExpositionFormat.header(name: descriptor.name, help: descriptor.help, type: descriptor.type)
    }

    /// The child with these label values, created (and pre-initialised at zero) on first use.
    ///
    /// Hot path when the child exists: an arity check, hashing the values, one short lock; no allocation.
    /// - Throws: ``MetricsError`` with ``MetricsError/Code/labelCountMismatch`` or
    ///   ``MetricsError/Code/labelValueTooLong``.
    @inline(__always)
    func child(_ key: LabelValues) throws(MetricsError) -> Child {
        guard key.count == descriptor.labelNames.count else {
            throw MetricsError(
                .labelCountMismatch,
                "\(descriptor.name) has \(descriptor.labelNames.count) label(s) \(descriptor.labelNames), "
                    + "got \(key.count) value(s)")
        }
        if let found = store.existing(key) {
            // Only overflow series of a bounded family carry no tracked value: a lookup that lands on one
            // (the overflow value itself, spelled by the caller) is a sample without its own series.
            if let bounded, found.series.tracked == nil { bounded.overflowCounter.increment() }
            return found
        }
        return try create(key.array)
    }

    /// The slow path: validate, admit the bounded value (or redirect it to the overflow series), insert.
    private func create(_ values: [String]) throws(MetricsError) -> Child {
        for (index, value) in values.enumerated() where value.utf8.count > maximumValueBytes {
            throw MetricsError(
                .labelValueTooLong,
                "value of label \(descriptor.labelNames[index]) of \(descriptor.name) is \(value.utf8.count) bytes; "
                    + "at most \(maximumValueBytes) are allowed")
        }
        guard let bounded else { return insert(values, tracked: nil) }
        let value = values[bounded.index]
        if !LabelValues.sameBytes(value, bounded.tracker.overflowValue), let tracked = bounded.tracker.track(value) {
            return insert(values, tracked: tracked)
        }
        bounded.overflowCounter.increment()
        return overflowChild(values)
    }

    /// The child of the overflow series for `values` (the bounded value replaced by the overflow value),
    /// without counting an overflow; for a family without the bounded label, the child with `values`.
    func overflowChild(_ values: [String]) -> Child {
        guard let bounded else { return insert(values, tracked: nil) }
        var redirected = values
        redirected[bounded.index] = bounded.tracker.overflowValue
        return insert(redirected, tracked: nil)
    }

    /// The child with `values`, trusted to be valid (internal callers with fixed values).
    func insert(_ values: [String], tracked: TrackedLabelValue?) -> Child {
        store.getOrInsert(LabelValues(values)) {
            make(SeriesLabels(names: descriptor.labelNames, values: values, tracked: tracked))
        }
    }

    /// Adds each child's activity fingerprint to its tracked value, for an idle-expiry sweep.
    func accumulateActivity() {
        guard bounded != nil else { return }
        for child in store.sorted() {
            child.series.tracked?.activity.wrappingAdd(child.activityFingerprint, ordering: .relaxed)
        }
    }

    /// Removes the children that carry any of `values`.
    func removeSeries(carrying values: Set<ObjectIdentifier>) {
        guard bounded != nil else { return }
        store.removeAll { child in
            guard let tracked = child.series.tracked else { return false }
            return values.contains(ObjectIdentifier(tracked))
        }
    }

    /// Appends `name{pairs} ` (without braces when there are no labels).
    @inline(__always)
    static func appendSeriesStart(name: [UInt8], pairs: [UInt8], to buffer: inout [UInt8]) {
        buffer.append(contentsOf: name)
        if !pairs.isEmpty {
            buffer.append(UInt8(ascii: "{"))
            buffer.append(contentsOf: pairs)
            buffer.append(UInt8(ascii: "}"))
        }
        buffer.append(UInt8(ascii: " "))
    }
}
