import Synchronization

/// Observations counted into buckets: one series of a histogram family.
///
/// ``observe(_:)`` finds the bucket by binary search over the upper bounds and does two relaxed atomic
/// operations (the bucket count and the sum). Counts are stored per bucket and made cumulative only when
/// rendered, and `_count` is the sum of the buckets, so `le="+Inf"` always equals `_count`.
///
/// `@unchecked Sendable` is safe: every stored property is a `let`; ``counts`` points to
/// `bounds.count + 1` atomics that are initialised in `init`, only ever touched through `Atomic`'s own
/// thread-safe operations, and deinitialised in `deinit`, when no other reference (and so no other thread)
/// can reach them.
public final class Histogram: FamilyChild, @unchecked Sendable {
    /// The finite upper bounds; the `+Inf` bucket is implied and stored last.
    let bounds: [Double]
    private let counts: UnsafeMutablePointer<Atomic<UInt64>>
    private let sumBits = Atomic<UInt64>(0)
    let series: SeriesLabels

    init(series: SeriesLabels, bounds: [Double]) {
        self.series = series
        self.bounds = bounds
        counts = .allocate(capacity: bounds.count + 1)
        for index in 0...bounds.count {
            (counts + index).initialize(to: Atomic(0))
        }
    }

    deinit {
        counts.deinitialize(count: bounds.count + 1)
        counts.deallocate()
    }

    /// Records one observation. Hot path: a binary search and two relaxed atomic operations, no allocation.
    ///
    /// `NaN` is ignored (it would turn `_sum` into `NaN` for good); `+Inf` lands in the `+Inf` bucket and
    /// `-Inf` in the first one, as in client_golang.
    /// - Parameter value: The observed value, e.g. seconds.
    public func observe(_ value: Double) {
        guard !value.isNaN else { return }
        var low = 0
        var high = bounds.count
        while low < high {
            let middle = (low &+ high) &>> 1
            if value <= bounds[middle] { high = middle } else { low = middle &+ 1 }
        }
        counts[low].wrappingAdd(1, ordering: .relaxed)
        var current = sumBits.load(ordering: .relaxed)
        while true {
            let next = (Double(bitPattern: current) + value).bitPattern
            let (exchanged, original) = sumBits.compareExchange(expected: current, desired: next, ordering: .relaxed)
            if exchanged { return }
            current = original
        }
    }

    /// Records a duration in seconds.
    /// - Parameter duration: The observed duration.
    public func observe(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        observe(Double(seconds) + Double(attoseconds) * 1e-18)
    }

    /// A copy of the counts and sum; buckets are cumulative and end with `+Inf`.
    public var snapshot: HistogramSnapshot {
        var buckets: [HistogramSnapshot.Bucket] = []
        var cumulative: UInt64 = 0
        for index in 0...bounds.count {
            cumulative &+= count(at: index)
            let upperBound = index < bounds.count ? bounds[index] : .infinity
            buckets.append(.init(upperBound: upperBound, cumulativeCount: cumulative))
        }
        return HistogramSnapshot(buckets: buckets, sum: sum)
    }

    /// The non-cumulative count of bucket `index` (`bounds.count` is the `+Inf` bucket).
    @inline(__always)
    func count(at index: Int) -> UInt64 {
        counts[index].load(ordering: .relaxed)
    }

    /// The sum of all observations.
    var sum: Double {
        Double(bitPattern: sumBits.load(ordering: .relaxed))
    }

    var activityFingerprint: UInt64 {
        var total: UInt64 = 0
        for index in 0...bounds.count { total &+= count(at: index) }
        return Self.mix(total) &+ Self.mix(sumBits.load(ordering: .relaxed) ^ 0x5555)
    }
}
