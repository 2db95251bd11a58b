import Synchronization

/// A value that goes up and down: one series of a gauge family.
///
/// The `Double` is stored as its bit pattern in an `Atomic<UInt64>`: ``set(_:)`` is one atomic store and
/// ``increment(by:)`` a compare-and-swap loop. Any value is accepted, including `NaN` and the infinities,
/// which render as `NaN`, `+Inf` and `-Inf`.
public final class Gauge: FamilyChild {
    private let bits = Atomic<UInt64>(0)
    let series: SeriesLabels

    init(series: SeriesLabels) {
        self.series = series
    }

    /// Sets the value. Hot path: one relaxed atomic store.
    /// - Parameter value: The new value.
    @inline(__always)
    public func set(_ value: Double) {
        bits.store(value.bitPattern, ordering: .relaxed)
    }

    /// Adds `amount` (which may be negative).
    /// - Parameter amount: How much to add; 1 by default.
    public func increment(by amount: Double = 1) {
        var current = bits.load(ordering: .relaxed)
        while true {
            let next = (Double(bitPattern: current) + amount).bitPattern
            let (exchanged, original) = bits.compareExchange(expected: current, desired: next, ordering: .relaxed)
            if exchanged { return }
            current = original
        }
    }

    /// Subtracts `amount`.
    /// - Parameter amount: How much to subtract; 1 by default.
    public func decrement(by amount: Double = 1) {
        increment(by: -amount)
    }

    /// The current value.
    public var value: Double {
        Double(bitPattern: bits.load(ordering: .relaxed))
    }

    var activityFingerprint: UInt64 {
        Self.mix(bits.load(ordering: .relaxed))
    }
}
