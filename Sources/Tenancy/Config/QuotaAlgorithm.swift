/// How a tenant's quota limits are counted.
public enum QuotaAlgorithm: String, Hashable, Sendable, Codable, CaseIterable {
    /// Counters that reset at each calendar-aligned window boundary. Cheapest; allows a burst of up to
    /// twice the limit across a boundary.
    case fixedWindow = "fixed_window"
    /// Cloudflare-style sliding-window counter: the previous window's count weighted by how much of it
    /// still overlaps the sliding window. No boundary burst, two counters per limit.
    case slidingWindow = "sliding_window"
    /// Token bucket in its GCRA form: a burst of up to the limit, refilled continuously; exact
    /// `Retry-After`, one integer per limit and dimension.
    case tokenBucket = "token_bucket"
}
