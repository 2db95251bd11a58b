/// A point in UTC wall-clock time with nanosecond resolution: nanoseconds since the Unix epoch.
///
/// Quota windows are calendar-aligned in UTC, which `ContinuousClock` cannot express (it has no epoch),
/// so every clock-dependent API in this library takes a ``TenancyClock`` that yields `Timestamp`s.
/// Representable range: years 1678 to 2262.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Nanoseconds since 1970-01-01T00:00:00Z, leap seconds not counted (Unix time).
    public var nanosecondsSinceEpoch: Int64

    /// Creates a timestamp.
    /// - Parameter nanosecondsSinceEpoch: Nanoseconds since 1970-01-01T00:00:00Z.
    public init(nanosecondsSinceEpoch: Int64) {
        self.nanosecondsSinceEpoch = nanosecondsSinceEpoch
    }

    /// Creates a timestamp from whole seconds since the epoch, saturating at the representable range.
    /// - Parameter secondsSinceEpoch: Seconds since 1970-01-01T00:00:00Z.
    public init(secondsSinceEpoch: Int64) {
        self.nanosecondsSinceEpoch = secondsSinceEpoch.multipliedSaturated(by: Self.nanosecondsPerSecond)
    }

    /// Nanoseconds in a second.
    public static let nanosecondsPerSecond: Int64 = 1_000_000_000

    /// Whole seconds since the epoch, rounded towards negative infinity.
    public var secondsSinceEpoch: Int64 {
        nanosecondsSinceEpoch.floorDivided(by: Self.nanosecondsPerSecond)
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.nanosecondsSinceEpoch < rhs.nanosecondsSinceEpoch
    }

    /// The timestamp `duration` later, saturating at the representable range.
    public static func + (lhs: Timestamp, rhs: Duration) -> Timestamp {
        Timestamp(nanosecondsSinceEpoch: Int64(clamping: Int128(lhs.nanosecondsSinceEpoch) + rhs.exactNanoseconds))
    }

    /// The duration from `rhs` to `lhs`; exact for any two timestamps.
    public static func - (lhs: Timestamp, rhs: Timestamp) -> Duration {
        .nanoseconds(Int128(lhs.nanosecondsSinceEpoch) - Int128(rhs.nanosecondsSinceEpoch))
    }

    /// RFC 3339 in UTC with a `Z` suffix, e.g. `2026-01-01T00:00:00Z`; nanoseconds appear only when non-zero.
    public var description: String { rfc3339 }
}

extension FixedWidthInteger where Self: SignedInteger {
    /// Division rounding towards negative infinity (Swift's `/` truncates towards zero).
    @inline(__always)
    func floorDivided(by divisor: Self) -> Self {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}

extension Int64 {
    /// Division rounding towards positive infinity.
    @inline(__always)
    func ceilDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) == (divisor < 0)) ? quotient + 1 : quotient
    }

    /// Addition clamped to the `Int64` range.
    @inline(__always)
    func addingSaturated(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        guard overflow else { return sum }
        return other > 0 ? .max : .min
    }

    /// Multiplication clamped to the `Int64` range.
    @inline(__always)
    func multipliedSaturated(by other: Int64) -> Int64 {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        guard overflow else { return product }
        return (self < 0) == (other < 0) ? .max : .min
    }
}

extension Duration {
    /// The duration in whole nanoseconds (truncated towards zero), exactly.
    var exactNanoseconds: Int128 {
        let (seconds, attoseconds) = components
        return Int128(seconds) * Int128(Timestamp.nanosecondsPerSecond) + Int128(attoseconds / 1_000_000_000)
    }

    /// The duration in whole nanoseconds (truncated towards zero), saturating at the `Int64` range.
    var wholeNanoseconds: Int64 {
        Int64(clamping: exactNanoseconds)
    }
}
