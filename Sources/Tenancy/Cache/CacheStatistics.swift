/// Counters of a cache since it was created or last reset, for metrics and tuning.
public struct CacheStatistics: Hashable, Sendable {
    /// Lookups that found a live value.
    public var hits: UInt64
    /// Lookups that found nothing or an expired value.
    public var misses: UInt64
    /// Entries dropped to make room for a new one.
    public var evictions: UInt64
    /// Entries dropped because their time to live had passed.
    public var expirations: UInt64

    /// Creates statistics.
    /// - Parameters:
    ///   - hits: Lookups that found a live value.
    ///   - misses: Lookups that found nothing or an expired value.
    ///   - evictions: Entries dropped to make room for a new one.
    ///   - expirations: Entries dropped because their time to live had passed.
    public init(hits: UInt64 = 0, misses: UInt64 = 0, evictions: UInt64 = 0, expirations: UInt64 = 0) {
        self.hits = hits
        self.misses = misses
        self.evictions = evictions
        self.expirations = expirations
    }
}
