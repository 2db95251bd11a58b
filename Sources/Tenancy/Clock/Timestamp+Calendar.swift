/// Civil-calendar arithmetic in UTC, without Foundation's `Calendar` (which allocates and locks).
///
/// The day/civil conversions are Howard Hinnant's public-domain algorithms over the proleptic Gregorian
/// calendar.
extension Timestamp {
    /// A UTC calendar date and time of day.
    public struct CivilTime: Hashable, Sendable {
        /// The year, e.g. 2026.
        public var year: Int64
        /// The month, 1-12.
        public var month: Int64
        /// The day of the month, 1-31.
        public var day: Int64
        /// Seconds since midnight, 0-86399.
        public var secondOfDay: Int64
        /// Nanoseconds within the second, 0-999,999,999.
        public var nanosecond: Int64
    }

    /// Creates a timestamp from a UTC calendar date and time, saturating at the representable range
    /// (years 1677 to 2262). Out-of-range fields carry over: month 13 of 2025 is January 2026.
    /// - Parameters:
    ///   - year: The year.
    ///   - month: The month, 1-12.
    ///   - day: The day of the month, 1-31.
    ///   - hour: The hour, 0-23.
    ///   - minute: The minute, 0-59.
    ///   - second: The second, 0-59.
    ///   - nanosecond: Nanoseconds within the second.
    public init(
        year: Int64, month: Int64, day: Int64, hour: Int64 = 0, minute: Int64 = 0, second: Int64 = 0,
        nanosecond: Int64 = 0
    ) {
        self.init(
            nanosecondsSinceEpoch: Int64(
                clamping: Self.nanoseconds(
                    year: year, month: month, day: day, hour: hour, minute: minute, second: second,
                    nanosecond: nanosecond)))
    }

    /// The UTC calendar date and time of this timestamp.
    public var civil: CivilTime {
        let seconds = secondsSinceEpoch
        let days = seconds.floorDivided(by: 86_400)
        let (year, month, day) = Self.civilFromDays(days)
        // The remainder, not `nanoseconds - seconds * 1e9`: that product overflows for the earliest timestamps.
        let remainder = nanosecondsSinceEpoch % Self.nanosecondsPerSecond
        return CivilTime(
            year: year, month: month, day: day, secondOfDay: seconds - days * 86_400,
            nanosecond: remainder < 0 ? remainder + Self.nanosecondsPerSecond : remainder)
    }

    /// Nanoseconds since the epoch of a calendar date and time, exact for every input (128 bits hold the
    /// largest result of 64-bit fields with room to spare). Out-of-range fields carry over.
    static func nanoseconds(
        year: Int64, month: Int64, day: Int64, hour: Int64, minute: Int64, second: Int64, nanosecond: Int64
    ) -> Int128 {
        let months = Int128(year) * 12 + Int128(month) - 1
        let wholeYears = months.floorDivided(by: 12)
        let days = daysFromCivil(year: wholeYears, month: months - wholeYears * 12 + 1, day: Int128(day))
        let seconds = days * 86_400 + Int128(hour) * 3_600 + Int128(minute) * 60 + Int128(second)
        return seconds * Int128(nanosecondsPerSecond) + Int128(nanosecond)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date. Callers pick a width that cannot overflow for
    /// their inputs (`Int128` for arbitrary fields).
    static func daysFromCivil<T: FixedWidthInteger & SignedInteger>(year: T, month: T, day: T) -> T {
        let y = month <= 2 ? year - 1 : year
        let era = y.floorDivided(by: 400)
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian date of a count of days since 1970-01-01.
    static func civilFromDays(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = z.floorDivided(by: 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
