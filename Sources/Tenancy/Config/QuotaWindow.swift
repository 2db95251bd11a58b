/// The period a quota limit applies to. Windows are aligned to the UTC calendar: a `minute` window starts
/// at second 0 of a minute, a `day` window at midnight UTC, a `month` window at 00:00 UTC on the 1st.
public enum QuotaWindow: String, Hashable, Sendable, Codable, CaseIterable, Comparable {
    /// One second.
    case second
    /// One minute.
    case minute
    /// One hour.
    case hour
    /// One UTC day.
    case day
    /// One UTC calendar month (28 to 31 days).
    case month

    /// The nominal length in seconds, as advertised in `RateLimit-Policy` (`w=`). A month counts as 30 days;
    /// fixed and sliding windows use the real calendar month, the token bucket uses 30 days.
    public var nominalSeconds: Int64 {
        switch self {
        case .second: 1
        case .minute: 60
        case .hour: 3_600
        case .day: 86_400
        case .month: 2_592_000
        }
    }

    public static func < (lhs: QuotaWindow, rhs: QuotaWindow) -> Bool {
        lhs.order < rhs.order
    }

    var order: Int {
        switch self {
        case .second: 0
        case .minute: 1
        case .hour: 2
        case .day: 3
        case .month: 4
        }
    }

    /// The nominal length in nanoseconds.
    var nominalNanoseconds: Int64 { nominalSeconds * Timestamp.nanosecondsPerSecond }

    /// The calendar window containing `nanoseconds` (since the epoch): its index and its bounds. Bounds
    /// beyond the representable range saturate, so the first and last windows may be shorter.
    @inline(__always)
    func window(containing nanoseconds: Int64) -> CalendarWindow {
        // One case per length, so each division is by a constant (a multiply, not a 40-cycle `idiv`).
        switch self {
        case .second: return window(index: nanoseconds.floorDivided(by: 1_000_000_000))
        case .minute: return window(index: nanoseconds.floorDivided(by: 60_000_000_000))
        case .hour: return window(index: nanoseconds.floorDivided(by: 3_600_000_000_000))
        case .day: return window(index: nanoseconds.floorDivided(by: 86_400_000_000_000))
        case .month: break
        }
        let civil = Timestamp(nanosecondsSinceEpoch: nanoseconds).civil
        return window(index: (civil.year - 1970) * 12 + civil.month - 1)
    }

    /// The calendar window with the given index (windows since the epoch); bounds saturate like
    /// ``window(containing:)``.
    func window(index: Int64) -> CalendarWindow {
        guard self == .month else {
            let start = index.multipliedSaturated(by: nominalNanoseconds)
            return CalendarWindow(
                index: index, start: start, end: index.addingSaturated(1).multipliedSaturated(by: nominalNanoseconds))
        }
        return CalendarWindow(
            index: index, start: Self.monthStart(index), end: Self.monthStart(index.addingSaturated(1)))
    }

    private static func monthStart(_ index: Int64) -> Int64 {
        let year = 1970 + index.floorDivided(by: 12)
        // Timestamps span 1677 to 2262; further months lie wholly outside and saturate without arithmetic
        // that could overflow.
        guard year > 1600, year < 2300 else { return year < 1970 ? .min : .max }
        let month = index - (year - 1970) * 12 + 1
        return Timestamp.daysFromCivil(year: year, month: month, day: 1)
            .multipliedSaturated(by: 86_400 * Timestamp.nanosecondsPerSecond)
    }
}

/// One calendar-aligned window: `[start, end)` in nanoseconds since the epoch.
struct CalendarWindow: Equatable {
    var index: Int64
    var start: Int64
    var end: Int64

    var length: Int64 { end - start }
}
