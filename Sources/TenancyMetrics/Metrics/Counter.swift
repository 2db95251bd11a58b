import Synchronization

/// A value that only goes up: one series of a counter family.
///
/// Get one from ``MetricsRegistry/counter(name:help:)`` or ``CounterVec/labels(_:)``; keep the handle to
/// make each increment a single relaxed atomic add with no lookup and no allocation. Like client_golang,
/// the value is kept in two parts: whole increments in an integer (one `fetch_add`), fractional amounts
/// in a `Double` updated by compare-and-swap, so the common `increment()` never loops.
public final class Counter: FamilyChild {
    private let whole = Atomic<UInt64>(0)
    private let fractionBits = Atomic<UInt64>(0)
    let series: SeriesLabels

    init(series: SeriesLabels) {
        self.series = series
    }

    /// Adds one. Hot path: one relaxed atomic add, no allocation.
    @inline(__always)
    public func increment() {
        whole.wrappingAdd(1, ordering: .relaxed)
    }

    /// Adds a whole amount. Hot path: one relaxed atomic add, no allocation.
    /// - Parameter amount: How much to add.
    @inline(__always)
    public func increment(by amount: UInt64) {
        whole.wrappingAdd(amount, ordering: .relaxed)
    }

    /// Adds an amount that may have a fraction, such as seconds of CPU time.
    /// - Parameter amount: How much to add; `+Inf` is allowed (the counter stays `+Inf`).
    /// - Throws: ``MetricsError`` with code ``MetricsError/Code/invalidValue`` when `amount` is negative or
    ///   NaN; the counter is unchanged.
    public func add(_ amount: Double) throws(MetricsError) {
        guard amount >= 0 else {
            throw MetricsError(.invalidValue, "a counter can only go up; cannot add \(amount)")
        }
        if amount < 9_007_199_254_740_992, amount.rounded(.towardZero) == amount {
            whole.wrappingAdd(UInt64(amount), ordering: .relaxed)
            return
        }
        var current = fractionBits.load(ordering: .relaxed)
        while true {
            let next = (Double(bitPattern: current) + amount).bitPattern
            let (exchanged, original) = fractionBits.compareExchange(
                expected: current, desired: next, ordering: .relaxed)
            if exchanged { return }
            current = original
        }
    }

    /// The current value.
    public var value: Double {
        Double(whole.load(ordering: .relaxed)) + Double(bitPattern: fractionBits.load(ordering: .relaxed))
    }

    /// Appends the value in exposition spelling; whole-only values skip floating point entirely.
    func appendValue(to buffer: inout [UInt8]) {
        let fraction = Double(bitPattern: fractionBits.load(ordering: .relaxed))
        let whole = whole.load(ordering: .relaxed)
        if fraction == 0 {
            ExpositionFormat.appendInteger(whole, to: &buffer)
        } else {
            ExpositionFormat.appendValue(Double(whole) + fraction, to: &buffer)
        }
    }

    var activityFingerprint: UInt64 {
        Self.mix(whole.load(ordering: .relaxed)) &+ Self.mix(fractionBits.load(ordering: .relaxed) ^ 0x5555)
    }
}
