import Foundation
import Testing

@testable import Tenancy

@Suite struct TimestampCalendarTests {
    /// Dates and their Unix seconds, computed independently (`date -u -d ... +%s`).
    @Test(arguments: [
        (Int64(1970), Int64(1), Int64(1), Int64(0)),
        (1969, 12, 31, -86_400),
        (2000, 2, 29, 951_782_400),
        (2000, 3, 1, 951_868_800),
        (2024, 2, 29, 1_709_164_800),
        (2024, 3, 1, 1_709_251_200),
        (2100, 2, 28, 4_107_456_000),
        (2100, 3, 1, 4_107_542_400),
        (2026, 1, 1, 1_767_225_600),
        (1900, 1, 1, -2_208_988_800),
        (1900, 3, 1, -2_203_891_200),
        (1800, 1, 1, -5_364_662_400),
        (2038, 1, 19, 2_147_472_000),
        (2262, 4, 11, 9_223_286_400),
        (1677, 9, 22, -9_223_286_400),
    ])
    func convertsACalendarDateToUnixTimeAndBack(_ year: Int64, _ month: Int64, _ day: Int64, _ seconds: Int64) {
        let timestamp = Timestamp(year: year, month: month, day: day)
        #expect(timestamp.secondsSinceEpoch == seconds)
        #expect(timestamp.civil == .init(year: year, month: month, day: day, secondOfDay: 0, nanosecond: 0))
    }

    @Test func splitsTheTimeOfDayIntoSecondsAndNanoseconds() {
        let timestamp = Timestamp(
            year: 2024,
            month: 2,
            day: 29,
            hour: 23,
            minute: 59,
            second: 58,
            nanosecond: 123_456_789
        )
        #expect(timestamp.civil == .init(year: 2024, month: 2, day: 29, secondOfDay: 86_398, nanosecond: 123_456_789))
    }

    @Test(arguments: [
        (Int64(-1), Timestamp.CivilTime(year: 1969, month: 12, day: 31, secondOfDay: 86_399, nanosecond: 999_999_999)),
        (-86_400_000_000_000, .init(year: 1969, month: 12, day: 31, secondOfDay: 0, nanosecond: 0)),
        (-86_400_000_000_001, .init(year: 1969, month: 12, day: 30, secondOfDay: 86_399, nanosecond: 999_999_999)),
        (
            -2_208_988_800_500_000_000,
            .init(year: 1899, month: 12, day: 31, secondOfDay: 86_399, nanosecond: 500_000_000)
        ),
    ])
    func convertsTimesBefore1970(_ nanoseconds: Int64, _ civil: Timestamp.CivilTime) {
        #expect(Timestamp(nanosecondsSinceEpoch: nanoseconds).civil == civil)
    }

    @Test func convertsTheEarliestAndLatestTimestamps() {
        #expect(
            Timestamp(nanosecondsSinceEpoch: .min).civil
                == .init(year: 1677, month: 9, day: 21, secondOfDay: 763, nanosecond: 145_224_192)
        )
        #expect(
            Timestamp(nanosecondsSinceEpoch: .max).civil
                == .init(year: 2262, month: 4, day: 11, secondOfDay: 85_636, nanosecond: 854_775_807)
        )
    }

    @Test func roundTripsEveryDayFrom1559To2380() {
        var previous = Timestamp.civilFromDays(-150_001)
        for days in Int64(-150_000)...150_000 {
            let date = Timestamp.civilFromDays(days)
            #expect(Timestamp.daysFromCivil(year: date.year, month: date.month, day: date.day) == days)
            let isNextDay =
                (date.year == previous.year && date.month == previous.month && date.day == previous.day + 1)
                || (date.day == 1 && previous.day == Timestamp.daysIn(month: previous.month, year: previous.year)
                    && (date.month == previous.month + 1 && date.year == previous.year
                        || date.month == 1 && previous.month == 12 && date.year == previous.year + 1))
            if !isNextDay {
                Issue.record("day \(days) is \(date), after \(previous)")
                return
            }
            previous = date
        }
    }

    @Test func agreesWithFoundationsGregorianCalendar() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        for days in stride(from: Int64(-100_000), through: 150_000, by: 37) {
            let date = Date(timeIntervalSince1970: Double(days) * 86_400)
            let parts = calendar.dateComponents([.year, .month, .day], from: date)
            let ours = Timestamp.civilFromDays(days)
            #expect(
                [ours.year, ours.month, ours.day] == [parts.year, parts.month, parts.day].map { Int64($0 ?? 0) },
                "day \(days)"
            )
        }
    }

    @Test(arguments: [
        (Timestamp(year: 2025, month: 13, day: 1), Timestamp(year: 2026, month: 1, day: 1)),
        (Timestamp(year: 2026, month: 0, day: 1), Timestamp(year: 2025, month: 12, day: 1)),
        (Timestamp(year: 2026, month: -11, day: 1), Timestamp(year: 2025, month: 1, day: 1)),
        (Timestamp(year: 2026, month: 27, day: 1), Timestamp(year: 2028, month: 3, day: 1)),
        (Timestamp(year: 2024, month: 3, day: 0), Timestamp(year: 2024, month: 2, day: 29)),
        (Timestamp(year: 2023, month: 2, day: 29), Timestamp(year: 2023, month: 3, day: 1)),
        (Timestamp(year: 2026, month: 1, day: 1, hour: 24), Timestamp(year: 2026, month: 1, day: 2)),
        (
            Timestamp(year: 2026, month: 1, day: 1, minute: -1),
            Timestamp(year: 2025, month: 12, day: 31, hour: 23, minute: 59)
        ),
        (
            Timestamp(year: 2026, month: 1, day: 1, nanosecond: 1_000_000_000),
            Timestamp(year: 2026, month: 1, day: 1, second: 1)
        ),
    ])
    func carriesOverFieldsOutsideTheirRange(_ timestamp: Timestamp, _ expected: Timestamp) {
        #expect(timestamp == expected)
    }

    @Test(arguments: [
        (Int64(9999), Int64.max), (2263, .max), (Int64.max, .max), (0, .min), (1677, .min), (Int64.min, .min),
    ])
    func saturatesDatesOutsideTheRepresentableRange(_ year: Int64, _ nanoseconds: Int64) {
        #expect(Timestamp(year: year, month: 1, day: 1).nanosecondsSinceEpoch == nanoseconds)
    }

    @Test func saturatesExtremeFieldsWithoutTrapping() {
        let latest = Timestamp(
            year: .max,
            month: .max,
            day: .max,
            hour: .max,
            minute: .max,
            second: .max,
            nanosecond: .max
        )
        let earliest = Timestamp(
            year: .min,
            month: .min,
            day: .min,
            hour: .min,
            minute: .min,
            second: .min,
            nanosecond: .min
        )
        #expect(latest.nanosecondsSinceEpoch == .max)
        #expect(earliest.nanosecondsSinceEpoch == .min)
    }

    @Test(arguments: [
        (Int64(2), Int64(2024), Int64(29)), (2, 2023, 28), (2, 2000, 29), (2, 1900, 28), (2, 2100, 28), (2, 2400, 29),
        (1, 2023, 31), (4, 2023, 30), (6, 2023, 30), (9, 2023, 30), (11, 2023, 30), (12, 2023, 31), (7, 2023, 31),
    ])
    func countsTheDaysOfEachMonthWithGregorianLeapYears(_ month: Int64, _ year: Int64, _ days: Int64) {
        #expect(Timestamp.daysIn(month: month, year: year) == days)
    }
}
