@testable import Tenancy

/// Readable instants for tests that depend on time.
///
/// `.minute(12, second: 30)` is 12:30 past the test hour, 2026-03-10T10:00:00Z, so windows of a minute and
/// an hour start and end on round values while the hour is not also a day boundary.
extension Timestamp {
    /// The hour the minute helpers count from: 2026-03-10T10:00:00Z.
    static let testHour = Timestamp(year: 2026, month: 3, day: 10, hour: 10)

    /// An instant in the test hour.
    /// - Parameters:
    ///   - minute: Minutes past the test hour.
    ///   - second: Seconds past the minute.
    ///   - nanosecond: Nanoseconds past the second.
    static func minute(_ minute: Int64, second: Int64 = 0, nanosecond: Int64 = 0) -> Timestamp {
        Timestamp(year: 2026, month: 3, day: 10, hour: 10, minute: minute, second: second, nanosecond: nanosecond)
    }

    /// An instant written in RFC 3339, e.g. `.utc("2026-01-31T23:59:59Z")`; traps on a typo, as a test should.
    static func utc(_ text: String) -> Timestamp {
        guard let timestamp = Timestamp(rfc3339: text) else { fatalError("not an RFC 3339 timestamp: \(text)") }
        return timestamp
    }
}
