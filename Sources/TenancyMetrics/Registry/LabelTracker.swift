import Tenancy

/// The set of admitted values of the registry's bounded label, shared by all families that carry it.
///
/// Only the slow path (a child is created) consults it, so it costs nothing per sample. Idle expiry
/// needs no per-sample bookkeeping either: a sweep adds up each value's series fingerprints, and a value
/// whose total has not changed for ``CardinalityLimit/idleExpiry`` is expired.
final class LabelTracker: Sendable {
    private struct Entry {
        let tracked: TrackedLabelValue
        /// The activity total seen by the last sweep; `nil` before the first.
        var fingerprint: UInt64?
        /// When the value was admitted or its activity last changed.
        var lastActive: Duration
    }

    let limit: CardinalityLimit
    /// `<prefix>_tenants_tracked`, kept equal to the number of entries.
    let trackedGauge: Gauge
    private let now: @Sendable () -> Duration
    private let entries = Synchronized<[LabelValues: Entry]>([:])

    init(limit: CardinalityLimit, trackedGauge: Gauge, now: @escaping @Sendable () -> Duration) {
        self.limit = limit
        self.trackedGauge = trackedGauge
        self.now = now
    }

    /// The value recorded beyond the cap.
    var overflowValue: String { limit.overflowValue }

    /// How many values are tracked.
    var count: Int { entries.withLock { $0.count } }

    /// Admits `value`, or finds it admitted already.
    /// - Returns: The tracked value, or `nil` when the cap is reached (the caller records overflow).
    func track(_ value: String) -> TrackedLabelValue? {
        let key = LabelValues(value)
        let (found, full) = entries.withLock { ($0[key]?.tracked, $0.count >= limit.maximumValues) }
        if let found { return found }
        if full { return nil }  // the common case beyond the cap: one lock, no clock read
        let admittedAt = now()  // read outside the lock: the clock is caller-supplied code
        return entries.withLock { entries in
            if let found = entries[key] { return found.tracked }
            guard entries.count < limit.maximumValues else { return nil }
            let tracked = TrackedLabelValue(value)
            entries[key] = Entry(tracked: tracked, fingerprint: nil, lastActive: admittedAt)
            trackedGauge.set(Double(entries.count))
            return tracked
        }
    }

    /// Forgets `value` and marks it expired.
    /// - Returns: The forgotten value, or `nil` when it was not tracked.
    func remove(_ value: String) -> TrackedLabelValue? {
        entries.withLock { entries in
            guard let entry = entries.removeValue(forKey: LabelValues(value)) else { return nil }
            entry.tracked.expired.store(true, ordering: .relaxed)
            trackedGauge.set(Double(entries.count))
            return entry.tracked
        }
    }

    /// Zeroes every value's activity total before a sweep adds the series fingerprints up again.
    func resetActivity() {
        entries.withLock { entries in
            for entry in entries.values { entry.tracked.activity.store(0, ordering: .relaxed) }
        }
    }

    /// Compares each value's activity total with the previous sweep's and forgets the values that have
    /// been unchanged for at least `idleFor`.
    /// - Parameters:
    ///   - now: The sweep's time.
    ///   - idleFor: The idle expiry.
    /// - Returns: The values forgotten, already marked expired.
    func expire(now: Duration, idleFor: Duration) -> [TrackedLabelValue] {
        entries.withLock { entries in
            var expired: [TrackedLabelValue] = []
            for (key, var entry) in entries {
                let fingerprint = entry.tracked.activity.load(ordering: .relaxed)
                if entry.fingerprint != fingerprint {
                    entry.fingerprint = fingerprint
                    entry.lastActive = now
                    entries[key] = entry
                } else if now - entry.lastActive >= idleFor {
                    entry.tracked.expired.store(true, ordering: .relaxed)
                    entries[key] = nil
                    expired.append(entry.tracked)
                }
            }
            if !expired.isEmpty { trackedGauge.set(Double(entries.count)) }
            return expired
        }
    }
}
