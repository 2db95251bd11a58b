/// A tenant's current usage of every limit, without consuming anything (the admin `usage` route).
public struct QuotaUsage: Hashable, Sendable {
    /// One dimension of one limit.
    public struct Entry: Hashable, Sendable {
        /// The limit's window.
        public var window: QuotaWindow
        /// The dimension.
        public var dimension: QuotaDimension
        /// The limit's size.
        public var limit: Int64
        /// Units counted against it now (for sliding windows, the weighted estimate; for token buckets,
        /// the units the bucket is short of full).
        public var used: Int64
        /// Units left.
        public var remaining: Int64
        /// Until it resets; whole seconds, rounded up.
        public var reset: Duration

        /// Creates an entry.
        public init(
            window: QuotaWindow, dimension: QuotaDimension, limit: Int64, used: Int64, remaining: Int64,
            reset: Duration
        ) {
            self.window = window
            self.dimension = dimension
            self.limit = limit
            self.used = used
            self.remaining = remaining
            self.reset = reset
        }
    }

    /// The algorithm counting the limits.
    public var algorithm: QuotaAlgorithm
    /// One entry per limited dimension of every limit, in config order; empty when unlimited.
    public var entries: [Entry]

    /// Creates a usage report.
    public init(algorithm: QuotaAlgorithm, entries: [Entry]) {
        self.algorithm = algorithm
        self.entries = entries
    }
}
