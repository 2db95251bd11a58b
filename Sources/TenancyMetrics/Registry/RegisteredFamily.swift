/// A family in a registry's list: something that renders one contiguous group of the exposition.
protocol RegisteredFamily: AnyObject, Sendable {
    /// The definition the family was registered with.
    var descriptor: FamilyDescriptor { get }

    /// Appends the family's `# HELP`, `# TYPE` and series; nothing when it has no series.
    /// - Parameters:
    ///   - buffer: Where to append.
    ///   - context: State shared by the families of one scrape.
    func render(into buffer: inout [UInt8], context: inout RenderContext)

    /// Adds each series' activity to its tracked bounded value (idle-expiry sweeps); families without
    /// the bounded label do nothing.
    func accumulateActivity()

    /// Removes the series that carry any of the given tracked values; families without the bounded label
    /// do nothing.
    /// - Parameter values: `ObjectIdentifier`s of ``TrackedLabelValue``s.
    func removeSeries(carrying values: Set<ObjectIdentifier>)
}
