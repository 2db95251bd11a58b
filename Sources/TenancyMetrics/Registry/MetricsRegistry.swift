import Synchronization
import Tenancy

/// A hand-written Prometheus registry: counters, gauges and histograms, with or without labels, rendered
/// in the text exposition format 0.0.4.
///
/// ```swift
/// let registry = MetricsRegistry()
/// let requests = try registry.counterVec(
///     name: "app_requests_total", help: "Requests.", labelNames: ["tenant_id"])
/// try requests.labels("acme").increment()
/// var body: [UInt8] = []
/// registry.render(into: &body)        // Content-Type: MetricsRegistry.contentType
/// ```
///
/// Registration validates names, label names and buckets and never traps: registering the same
/// definition again returns the existing family, a different one under the same name is an error.
/// Recording is lock-free on a cached child and one short lock to look a child up by label values.
/// Rendering copies the family list and each family's children under short locks and formats outside
/// them, families sorted by name and series by label values.
///
/// The registry's ``Configuration/cardinality`` bounds the distinct values of one label (`tenant_id`)
/// across all families that carry it; see ``CardinalityLimit``. The registry has no notion of tenants
/// beyond that label name: it depends on nothing in `Tenancy`.
public final class MetricsRegistry: Sendable {
    /// The `Content-Type` of ``render(into:)``'s output.
    public static let contentType = ExpositionFormat.contentType

    /// The buckets of ``histogram(name:help:buckets:)`` when none are given: client_golang's defaults,
    /// `.005 .01 .025 .05 .1 .25 .5 1 2.5 5 10` (seconds).
    public static let defaultBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    private struct State {
        var families: [String: any RegisteredFamily] = [:]
        /// ``families`` sorted by name: the exposition order.
        var sorted: [any RegisteredFamily] = []
        var selfMetricsRegistered = false
        var removalHandlers: [@Sendable ([String]) -> Void] = []
        var lastSweep: Duration?
    }

    /// The registry's bounds.
    public let configuration: Configuration
    private let now: @Sendable () -> Duration
    private let selfMetrics: SelfMetrics?
    private let state = Synchronized(State())
    private let sweeping = Atomic<Bool>(false)
    private let lastRenderSize = Atomic<Int>(0)

    /// Creates a registry with the default configuration: at most 1000 distinct `tenant_id` values and
    /// label values of at most 256 bytes.
    public convenience init() {
        let now = Self.monotonicNow()
        // The default configuration is valid, so `try?` never discards an error here.
        let selfMetrics = try? SelfMetrics(limit: CardinalityLimit(), maximumValueBytes: 256, now: now)
        self.init(validated: Configuration(), selfMetrics: selfMetrics, now: now)
    }

    /// Creates a registry.
    /// - Parameters:
    ///   - configuration: The bounds.
    ///   - now: Monotonic time since any fixed origin, read only when a bounded value is admitted and by
    ///     idle-expiry sweeps; a `ContinuousClock` reading by default. Tests inject a manual clock.
    /// - Throws: ``MetricsError`` with ``MetricsError/Code/invalidConfiguration`` when a bound is out of range
    ///   or a configured name is invalid.
    public convenience init(
        configuration: Configuration, now: (@Sendable () -> Duration)? = nil
    ) throws(MetricsError) {
        try configuration.validate()
        let now = now ?? Self.monotonicNow()
        let selfMetrics = try configuration.cardinality.map { limit throws(MetricsError) in
            try SelfMetrics(limit: limit, maximumValueBytes: configuration.maximumLabelValueBytes, now: now)
        }
        self.init(validated: configuration, selfMetrics: selfMetrics, now: now)
    }

    private init(
        validated configuration: Configuration, selfMetrics: SelfMetrics?, now: @escaping @Sendable () -> Duration
    ) {
        self.configuration = configuration
        self.selfMetrics = selfMetrics
        self.now = now
    }

    private static func monotonicNow() -> @Sendable () -> Duration {
        let origin = ContinuousClock.now
        return { origin.duration(to: .now) }
    }
}

// MARK: - Registration

extension MetricsRegistry {
    /// Registers an unlabeled counter, or returns the one registered with the same definition.
    /// - Parameters:
    ///   - name: The metric name, `[a-zA-Z_:][a-zA-Z0-9_:]*`; by convention ending in `_total`.
    ///   - help: What it counts.
    /// - Returns: The counter, at zero when new.
    /// - Throws: ``MetricsError`` with ``MetricsError/Code/invalidMetricName`` or
    ///   ``MetricsError/Code/conflictingRegistration``.
    public func counter(name: String, help: String) throws(MetricsError) -> Counter {
        try counterVec(name: name, help: help, labelNames: []).labels([])
    }

    /// Registers a counter family, or returns the one registered with the same definition.
    /// - Parameters:
    ///   - name: The metric name.
    ///   - help: What it counts.
    ///   - labelNames: The label schema, in the order values are passed to ``CounterVec/labels(_:)``.
    /// - Returns: The family.
    /// - Throws: ``MetricsError`` with ``MetricsError/Code/invalidMetricName``,
    ///   ``MetricsError/Code/invalidLabelName`` or ``MetricsError/Code/conflictingRegistration``.
    public func counterVec(name: String, help: String, labelNames: [String]) throws(MetricsError) -> CounterVec {
        let descriptor = try FamilyDescriptor(name: name, help: help, type: .counter, labelNames: labelNames)
        return try register(descriptor) { bounded in
            CounterVec(core: makeCore(descriptor, bounded) { Counter(series: $0) })
        }
    }

    /// Registers an unlabeled gauge, or returns the one registered with the same definition.
    /// - Parameters:
    ///   - name: The metric name.
    ///   - help: What it measures.
    /// - Returns: The gauge, at zero when new.
    /// - Throws: ``MetricsError`` with ``MetricsError/Code/invalidMetricName`` or
    ///   ``MetricsError/Code/conflictingRegistration``.
    public func gauge(name: String, help: String) throws(MetricsError) -> Gauge {
        try gaugeVec(name: name, help: help, labelNames: []).labels([])
    }

    /// Registers a gauge family, or returns the one registered with the same definition.
    /// - Parameters:
    ///   - name: The metric name.
    ///   - help: What it measures.
    ///   - labelNames: The label schema.
    /// - Returns: The family.
    /// - Throws: ``MetricsError`` with ``MetricsError/Code/invalidMetricName``,
    ///   ``MetricsError/Code/invalidLabelName`` or ``MetricsError/Code/conflictingRegistration``.
    public func gaugeVec(name: String, help: String, labelNames: [String]) throws(MetricsError) -> GaugeVec {
        let descriptor = try FamilyDescriptor(name: name, help: help, type: .gauge, labelNames: labelNames)
        return try register(descriptor) { bounded in
            GaugeVec(core: makeCore(descriptor, bounded) { Gauge(series: $0) })
        }
    }

    /// Registers an unlabeled histogram, or returns the one registered with the same definition.
    /// - Parameters:
    ///   - name: The metric name; by convention with a unit, such as `_seconds`.
    ///   - help: What it observes.
    ///   - buckets: Finite, strictly increasing upper bounds; `+Inf` is implied. ``defaultBuckets`` by default.
    /// - Returns: The histogram, empty when new.
    /// - Throws: ``MetricsError`` with ``MetricsError/Code/invalidMetricName``,
    ///   ``MetricsError/Code/invalidBuckets`` or ``MetricsError/Code/conflictingRegistration``.
    public func histogram(name: String, help: String, buckets: [Double] = defaultBuckets) throws(MetricsError)
        -> Histogram
    {
        try histogramVec(name: name, help: help, labelNames: [], buckets: buckets).labels([])
    }

    /// Registers a histogram family, or returns the one registered with the same definition.
    /// - Parameters:
    ///   - name: The metric name.
    ///   - help: What it observes.
    ///   - labelNames: The label schema; `le` is reserved.
    ///   - buckets: Finite, strictly increasing upper bounds; `+Inf` is implied. ``defaultBuckets`` by default.
    /// - Returns: The family.
    /// - Throws: ``MetricsError`` with ``MetricsError/Code/invalidMetricName``,
    ///   ``MetricsError/Code/invalidLabelName``, ``MetricsError/Code/invalidBuckets`` or
    ///   ``MetricsError/Code/conflictingRegistration``.
    public func histogramVec(
        name: String, help: String, labelNames: [String], buckets: [Double] = defaultBuckets
    ) throws(MetricsError) -> HistogramVec {
        let descriptor = try FamilyDescriptor(
            name: name, help: help, type: .histogram, labelNames: labelNames, buckets: buckets)
        let bounds = descriptor.buckets?.bounds ?? []
        return try register(descriptor) { bounded in
            HistogramVec(core: makeCore(descriptor, bounded) { Histogram(series: $0, bounds: bounds) })
        }
    }

    /// Registers a collector whose samples are produced at every scrape.
    ///
    /// Registering a collector whose families are all registered already, by a collector, with identical
    /// definitions does nothing: the first collector keeps producing them.
    /// - Parameter collector: The collector.
    /// - Throws: ``MetricsError`` with ``MetricsError/Code/invalidMetricName`` or
    ///   ``MetricsError/Code/invalidLabelName`` for a bad descriptor, ``MetricsError/Code/invalidConfiguration``
    ///   for a histogram descriptor or one that uses the bounded label, and
    ///   ``MetricsError/Code/conflictingRegistration`` when a name is taken by another definition.
    public func register(_ collector: some MetricsCollector) throws(MetricsError) {
        var descriptors: [FamilyDescriptor] = []
        for declared in collector.descriptors {
            guard declared.type != .histogram else {
                throw MetricsError(
                    .invalidConfiguration,
                    "collector family \(declared.name) is a histogram; collectors produce counters and gauges")
            }
            if let limit = configuration.cardinality, declared.labelNames.contains(limit.labelName) {
                throw MetricsError(
                    .invalidConfiguration,
                    "collector family \(declared.name) uses the bounded label \(limit.labelName); collectors cannot")
            }
            descriptors.append(
                try FamilyDescriptor(
                    name: declared.name, help: declared.help, type: declared.type, labelNames: declared.labelNames))
        }
        let box = CollectorBox(collector)
        let maximumValueBytes = configuration.maximumLabelValueBytes
        try state.withLock { state throws(MetricsError) in
            var fresh: [CollectorFamily] = []
            for descriptor in descriptors {
                if let existing = state.families[descriptor.name] {
                    guard existing is CollectorFamily, existing.descriptor == descriptor else {
                        throw Self.conflict(descriptor, existing.descriptor)
                    }
                    continue
                }
                let taken = state.families.values.map(\.descriptor) + fresh.map(\.descriptor)
                try Self.checkSeriesNames(of: descriptor, against: taken)
                fresh.append(CollectorFamily(descriptor: descriptor, box: box, maximumValueBytes: maximumValueBytes))
            }
            for family in fresh { Self.insert(family, into: &state) }
        }
    }

    private func makeCore<Child: FamilyChild>(
        _ descriptor: FamilyDescriptor, _ bounded: FamilyCore<Child>.Bounded?,
        _ make: @escaping @Sendable (SeriesLabels) -> Child
    ) -> FamilyCore<Child> {
        FamilyCore(
            descriptor: descriptor, bounded: bounded, maximumValueBytes: configuration.maximumLabelValueBytes,
            make: make)
    }

    /// Returns the family registered under `descriptor`'s name when identical, else inserts `make`'s.
    private func register<Family: RegisteredFamily, Child: FamilyChild>(
        _ descriptor: FamilyDescriptor, _ make: (FamilyCore<Child>.Bounded?) -> Family
    ) throws(MetricsError) -> Family {
        try state.withLock { state throws(MetricsError) -> Family in
            if let existing = state.families[descriptor.name] {
                guard existing.descriptor == descriptor, let family = existing as? Family else {
                    throw Self.conflict(descriptor, existing.descriptor)
                }
                return family
            }
            try Self.checkSeriesNames(of: descriptor, against: state.families.values.map(\.descriptor))
            let bounded: FamilyCore<Child>.Bounded? = try bind(descriptor, state: &state)
            let family = make(bounded)
            Self.insert(family, into: &state)
            return family
        }
    }

    /// The cardinality binding of a family that carries the bounded label; registers the registry's own
    /// families the first time.
    private func bind<Child: FamilyChild>(
        _ descriptor: FamilyDescriptor, state: inout State
    ) throws(MetricsError) -> FamilyCore<Child>.Bounded? {
        guard let selfMetrics, let index = descriptor.labelNames.firstIndex(of: selfMetrics.tracker.limit.labelName)
        else { return nil }
        if !state.selfMetricsRegistered {
            for family in selfMetrics.families {
                if let existing = state.families[family.descriptor.name] {
                    throw MetricsError(
                        .conflictingRegistration,
                        "\(descriptor.name) carries the bounded label \(selfMetrics.tracker.limit.labelName), "
                            + "but the registry's own family \(existing.descriptor.name) is already taken")
                }
                try Self.checkSeriesNames(of: family.descriptor, against: state.families.values.map(\.descriptor))
            }
            for family in selfMetrics.families { Self.insert(family, into: &state) }
            state.selfMetricsRegistered = true
        }
        let overflowCounter = selfMetrics.overflow.core.insert([descriptor.name], tracked: nil)
        return .init(index: index, tracker: selfMetrics.tracker, overflowCounter: overflowCounter)
    }

    private static func insert(_ family: any RegisteredFamily, into state: inout State) {
        state.families[family.descriptor.name] = family
        let name = family.descriptor.name.utf8
        let position = state.sorted.firstIndex { !$0.descriptor.name.utf8.lexicographicallyPrecedes(name) }
        state.sorted.insert(family, at: position ?? state.sorted.endIndex)
    }

    /// Throws when a series name `descriptor` writes is another family's name or series name (a histogram
    /// `foo` writes `foo_bucket`, `foo_sum` and `foo_count`).
    private static func checkSeriesNames(
        of descriptor: FamilyDescriptor, against existing: [FamilyDescriptor]
    ) throws(MetricsError) {
        let mine = Set(descriptor.seriesNames + [descriptor.name])
        for other in existing where !mine.isDisjoint(with: other.seriesNames + [other.name]) {
            throw MetricsError(
                .conflictingRegistration,
                "\(descriptor.name) (\(descriptor.type)) would write series that clash with "
                    + "\(other.name) (\(other.type))")
        }
    }

    private static func conflict(_ new: FamilyDescriptor, _ existing: FamilyDescriptor) -> MetricsError {
        MetricsError(
            .conflictingRegistration,
            "\(new.name) is already registered as a \(existing.type) with labels \(existing.labelNames)"
                + (existing.buckets.map { " and buckets \($0.bounds)" } ?? "")
                + " and help \(MetricsError.quote(existing.help)); the new definition differs")
    }
}

// MARK: - Rendering

extension MetricsRegistry {
    /// Appends the exposition of every family to `buffer`: text format 0.0.4, families sorted by name,
    /// series by label values, one `# HELP` and `# TYPE` per family, a newline after every line.
    ///
    /// No registry-wide lock is held while formatting: the family list and each family's children are
    /// copied under short locks, so recording continues during a scrape. Reuse one buffer across scrapes
    /// (`removeAll(keepingCapacity: true)`) and the steady state allocates little beyond collector output.
    /// When ``CardinalityLimit/idleExpiry`` is set, a due idle-expiry sweep runs first.
    /// - Parameter buffer: Where to append.
    public func render(into buffer: inout [UInt8]) {
        sweepIfDue()
        let families = state.withLock { $0.sorted }
        let start = buffer.count
        buffer.reserveCapacity(start + lastRenderSize.load(ordering: .relaxed))
        var context = RenderContext()
        for family in families {
            family.render(into: &buffer, context: &context)
        }
        lastRenderSize.store(buffer.count - start, ordering: .relaxed)
    }

    /// The exposition of every family, as ``render(into:)`` writes it.
    /// - Returns: The UTF-8 bytes.
    public func render() -> [UInt8] {
        var buffer: [UInt8] = []
        render(into: &buffer)
        return buffer
    }
}

// MARK: - Cardinality

extension MetricsRegistry {
    /// How many distinct values of the bounded label are tracked.
    public var trackedValueCount: Int {
        selfMetrics?.tracker.count ?? 0
    }

    /// Removes every series that carries `value` in the bounded label and frees its slot, for example when
    /// a tenant is deleted. Handles to removed series keep working but are no longer rendered.
    /// - Parameter value: The bounded label's value.
    /// - Returns: Whether the value was tracked.
    @discardableResult
    public func removeSeries(withBoundedValue value: String) -> Bool {
        guard let removed = selfMetrics?.tracker.remove(value) else { return false }
        remove([removed])
        return true
    }

    /// Runs an idle-expiry sweep now: every tracked value whose series have not changed for
    /// ``CardinalityLimit/idleExpiry`` is forgotten and its series removed. ``render(into:)`` runs one when
    /// a tenth of the expiry has passed since the last, so calling this is only needed without scrapes.
    /// - Returns: The values removed, in no particular order; empty without an idle expiry.
    @discardableResult
    public func expireIdleSeries() -> [String] {
        guard let selfMetrics, let idleExpiry = selfMetrics.tracker.limit.idleExpiry else { return [] }
        guard sweeping.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            return []  // another sweep is running
        }
        defer { sweeping.store(false, ordering: .releasing) }
        let sweepTime = now()
        state.withLock { $0.lastSweep = sweepTime }
        let families = state.withLock { $0.sorted }
        selfMetrics.tracker.resetActivity()
        for family in families { family.accumulateActivity() }
        let expired = selfMetrics.tracker.expire(now: sweepTime, idleFor: idleExpiry)
        guard !expired.isEmpty else { return [] }
        remove(expired)
        return expired.map(\.value)
    }

    /// The tracked value of `value`, admitting it under the cap; `nil` beyond the cap or without a bound.
    func track(_ value: String) -> TrackedLabelValue? {
        guard let tracker = selfMetrics?.tracker,
            !LabelValues.sameBytes(value, tracker.overflowValue)
        else { return nil }
        return tracker.track(value)
    }

    /// Calls `handler` with the values whose series were removed (expired or explicitly removed).
    func onSeriesRemoved(_ handler: @escaping @Sendable ([String]) -> Void) {
        state.withLock { $0.removalHandlers.append(handler) }
    }

    private func sweepIfDue() {
        guard let idleExpiry = selfMetrics?.tracker.limit.idleExpiry else { return }
        let last = state.withLock { $0.lastSweep }
        if let last, now() - last < idleExpiry / 10 { return }
        expireIdleSeries()
    }

    private func remove(_ values: [TrackedLabelValue]) {
        let identifiers = Set(values.map(ObjectIdentifier.init))
        let (families, handlers) = state.withLock { ($0.sorted, $0.removalHandlers) }
        for family in families { family.removeSeries(carrying: identifiers) }
        let removed = values.map(\.value)
        for handler in handlers { handler(removed) }
    }
}
