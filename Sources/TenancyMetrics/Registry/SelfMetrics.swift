/// The registry's own families for its cardinality bound: the overflow counter and the tracked gauge.
/// They are added to the exposition when the first family that carries the bounded label is registered.
struct SelfMetrics: Sendable {
    let tracker: LabelTracker
    /// `<overflowCounterName>{family}`.
    let overflow: CounterVec
    /// `<trackedGaugeName>`.
    let tracked: GaugeVec

    /// Builds the families (unregistered) and the tracker.
    /// - Throws: ``MetricsError`` when the configured names are invalid.
    init(
        limit: CardinalityLimit, maximumValueBytes: Int, now: @escaping @Sendable () -> Duration
    ) throws(MetricsError) {
        let overflowDescriptor = try FamilyDescriptor(
            name: limit.overflowCounterName,
            help: "Samples recorded under \(limit.labelName)=\"\(limit.overflowValue)\" because the cap of "
                + "\(limit.maximumValues) distinct values was reached, by family.",
            type: .counter, labelNames: ["family"])
        let trackedDescriptor = try FamilyDescriptor(
            name: limit.trackedGaugeName, help: "Distinct \(limit.labelName) values currently tracked.",
            type: .gauge, labelNames: [])
        overflow = CounterVec(
            core: FamilyCore(descriptor: overflowDescriptor, bounded: nil, maximumValueBytes: maximumValueBytes) {
                Counter(series: $0)
            })
        tracked = GaugeVec(
            core: FamilyCore(descriptor: trackedDescriptor, bounded: nil, maximumValueBytes: maximumValueBytes) {
                Gauge(series: $0)
            })
        tracker = LabelTracker(limit: limit, trackedGauge: tracked.core.insert([], tracked: nil), now: now)
    }

    /// Both families.
    var families: [any RegisteredFamily] { [overflow, tracked] }
}
