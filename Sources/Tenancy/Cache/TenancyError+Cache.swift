extension TenancyError {
    /// The error for a time to live below one nanosecond.
    static func nonPositiveTimeToLive(_ timeToLive: Duration) -> TenancyError {
        TenancyError(.invalidArgument, "cache time to live must be at least 1 nanosecond; got \(timeToLive)")
    }

    /// The error for a cache key longer than ``TenantCacheKey/maximumKeyLength`` bytes.
    static func cacheKeyTooLong(_ length: Int) -> TenancyError {
        TenancyError(
            .invalidArgument,
            "cache key is \(length) bytes long; at most \(TenantCacheKey.maximumKeyLength) are allowed"
        )
    }
}

extension Duration {
    /// The time to live in whole nanoseconds, or `nil` when it is below one nanosecond.
    var positiveNanoseconds: Int64? {
        let nanoseconds = wholeNanoseconds
        return nanoseconds > 0 ? nanoseconds : nil
    }
}
