/// A point-in-time copy of a ``Histogram``: cumulative buckets, sum and count.
public struct HistogramSnapshot: Hashable, Sendable {
    /// One cumulative bucket.
    public struct Bucket: Hashable, Sendable {
        /// The inclusive upper bound; `+Inf` for the last bucket.
        public var upperBound: Double
        /// Observations less than or equal to ``upperBound``.
        public var cumulativeCount: UInt64

        /// Creates a bucket.
        /// - Parameters:
        ///   - upperBound: The inclusive upper bound.
        ///   - cumulativeCount: Observations less than or equal to it.
        public init(upperBound: Double, cumulativeCount: UInt64) {
            self.upperBound = upperBound
            self.cumulativeCount = cumulativeCount
        }
    }

    /// The buckets in increasing order, ending with `+Inf`.
    public var buckets: [Bucket]
    /// The sum of all observations.
    public var sum: Double

    /// Creates a snapshot.
    /// - Parameters:
    ///   - buckets: The cumulative buckets, ending with `+Inf`.
    ///   - sum: The sum of all observations.
    public init(buckets: [Bucket], sum: Double) {
        self.buckets = buckets
        self.sum = sum
    }

    /// The number of observations: the count of the `+Inf` bucket.
    public var count: UInt64 { buckets.last?.cumulativeCount ?? 0 }
}
