#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `Date` header field's value (RFC 9110 IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT`), formatted at
/// most once a second per event loop.
struct HTTPDate {
    private var second = -1
    /// `Date: <IMF-fixdate>\r\n`, ready to append to a response head.
    private(set) var field: [UInt8] = []

    /// Refreshes ``field`` when the wall-clock second has changed.
    mutating func refresh() {
        var now = time(nil)
        guard Int(now) != second else { return }
        second = Int(now)
        var parts = tm()
        _ = gmtime_r(&now, &parts)
        field = Array("Date: ".utf8) + Self.format(parts) + [UInt8(ascii: "\r"), UInt8(ascii: "\n")]
    }

    /// `Sun, 06 Nov 1994 08:49:37 GMT`.
    static func format(_ parts: tm) -> [UInt8] {
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let day = days[Int(parts.tm_wday) % 7]
        let month = months[Int(parts.tm_mon) % 12]
        let time = "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
        return Array("\(day), \(two(parts.tm_mday)) \(month) \(1900 + parts.tm_year) \(time) GMT".utf8)
    }
}
