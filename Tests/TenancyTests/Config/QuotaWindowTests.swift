import Testing

@testable import Tenancy

@Suite struct QuotaWindowTests {
    static func at(_ text: String) throws -> Int64 {
        try #require(Timestamp(rfc3339: text)).nanosecondsSinceEpoch
    }

    @Test func spellsWindowsAsTheAdminAPIDoes() {
        #expect(QuotaWindow.allCases.map(\.rawValue) == ["second", "minute", "hour", "day", "month"])
    }

    @Test func advertisesNominalLengthsWithAThirtyDayMonth() {
        #expect(QuotaWindow.allCases.map(\.nominalSeconds) == [1, 60, 3_600, 86_400, 2_592_000])
    }

    @Test func ordersWindowsFromShortestToLongest() {
        #expect(QuotaWindow.allCases.shuffled().sorted() == QuotaWindow.allCases)
        #expect(QuotaWindow.second < .month)
        #expect(!(QuotaWindow.day < .hour))
    }

    @Test(arguments: [
        (QuotaWindow.second, "2026-03-10T10:12:30Z", "2026-03-10T10:12:31Z"),
        (.minute, "2026-03-10T10:12:00Z", "2026-03-10T10:13:00Z"),
        (.hour, "2026-03-10T10:00:00Z", "2026-03-10T11:00:00Z"),
        (.day, "2026-03-10T00:00:00Z", "2026-03-11T00:00:00Z"),
        (.month, "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z"),
    ])
    func alignsEachWindowToTheUTCCalendar(_ window: QuotaWindow, _ start: String, _ end: String) throws {
        let found = window.window(containing: try Self.at("2026-03-10T10:12:30.5Z"))
        #expect(found.start == (try Self.at(start)))
        #expect(found.end == (try Self.at(end)))
    }

    @Test(arguments: QuotaWindow.allCases)
    func startsANewWindowExactlyAtTheBoundary(_ window: QuotaWindow) throws {
        let boundary = try Self.at("2026-01-01T00:00:00Z")
        let after = window.window(containing: boundary)
        let before = window.window(containing: boundary - 1)
        #expect(after.start == boundary)
        #expect(before.end == boundary)
        #expect(before.index == after.index - 1)
    }

    @Test(arguments: [
        (QuotaWindow.second, Int64(-1), Int64(-1), Int64(-1_000_000_000), Int64(0)),
        (.second, -1_000_000_000, -1, -1_000_000_000, 0),
        (.second, -1_000_000_001, -2, -2_000_000_000, -1_000_000_000),
        (.minute, -1, -1, -60_000_000_000, 0),
        (.day, -43_200_000_000_000, -1, -86_400_000_000_000, 0),
        (.month, -1, -1, -2_678_400_000_000_000, 0),
        (.second, 0, 0, 0, 1_000_000_000),
        (.month, 0, 0, 0, 2_678_400_000_000_000),
    ])
    func floorsNegativeTimesIntoTheEarlierWindow(
        _ window: QuotaWindow,
        _ time: Int64,
        _ index: Int64,
        _ start: Int64,
        _ end: Int64
    ) {
        #expect(window.window(containing: time) == CalendarWindow(index: index, start: start, end: end))
    }

    @Test(arguments: [
        ("2026-01-15T12:00:00Z", "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z"),
        ("2024-02-29T23:59:59.999999999Z", "2024-02-01T00:00:00Z", "2024-03-01T00:00:00Z"),
        ("2024-03-01T00:00:00Z", "2024-03-01T00:00:00Z", "2024-04-01T00:00:00Z"),
        ("2023-02-28T12:00:00Z", "2023-02-01T00:00:00Z", "2023-03-01T00:00:00Z"),
        ("2000-02-29T00:00:00Z", "2000-02-01T00:00:00Z", "2000-03-01T00:00:00Z"),
        ("2100-02-28T00:00:00Z", "2100-02-01T00:00:00Z", "2100-03-01T00:00:00Z"),
        ("2025-12-31T23:59:59Z", "2025-12-01T00:00:00Z", "2026-01-01T00:00:00Z"),
        ("1969-12-31T23:59:59.999999999Z", "1969-12-01T00:00:00Z", "1970-01-01T00:00:00Z"),
        ("1900-03-05T00:00:00Z", "1900-03-01T00:00:00Z", "1900-04-01T00:00:00Z"),
    ])
    func spansTheWholeCalendarMonth(_ time: String, _ start: String, _ end: String) throws {
        let window = QuotaWindow.month.window(containing: try Self.at(time))
        #expect(window.start == (try Self.at(start)))
        #expect(window.end == (try Self.at(end)))
    }

    @Test(
        arguments: [
            (Int64(2024), [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as [Int64]),
            (2023, [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]),
            (2100, [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]),
            (2000, [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]),
        ] as [(Int64, [Int64])]
    )
    func givesEachMonthItsNumberOfDays(_ year: Int64, _ days: [Int64]) {
        let january = (year - 1970) * 12
        let lengths = (0..<12).map { QuotaWindow.month.window(index: january + Int64($0)).length / 86_400_000_000_000 }
        #expect(lengths == days)
    }

    @Test(arguments: [
        ("1970-01-01T00:00:00Z", Int64(0)),
        ("1970-02-01T00:00:00Z", 1),
        ("1969-12-31T23:59:59Z", -1),
        ("2026-03-10T10:12:30Z", 674),
        ("1900-03-05T00:00:00Z", -838),
    ])
    func countsMonthsSinceTheEpoch(_ time: String, _ index: Int64) throws {
        #expect(QuotaWindow.month.window(containing: try Self.at(time)).index == index)
    }

    @Test(arguments: QuotaWindow.allCases)
    func tilesTimeWithContiguousWindowsWhoseIndexFindsThemAgain(_ window: QuotaWindow) {
        for index in Int64(-30)...30 {
            let current = window.window(index: index)
            #expect(current.end == window.window(index: index + 1).start)
            #expect(window.window(containing: current.start) == current)
            #expect(window.window(containing: current.end - 1) == current)
        }
    }

    @Test(arguments: [QuotaWindow.second, .minute, .hour, .day])
    func givesEveryWindowButTheMonthItsNominalLength(_ window: QuotaWindow) {
        #expect(window.window(containing: 1_234_567_890_123_456_789).length == window.nominalNanoseconds)
    }

    @Test(arguments: QuotaWindow.allCases, [Int64.max, .min, .max - 1, .min + 1])
    func saturatesTheBoundsOfWindowsAtTheEndsOfTime(_ window: QuotaWindow, _ time: Int64) {
        let found = window.window(containing: time)
        #expect(found.start <= time)
        #expect(time <= found.end)
        #expect(found.start < found.end)
    }

    @Test func cutsTheLastSecondWindowAtTheLargestTimestamp() {
        let found = QuotaWindow.second.window(containing: .max)
        #expect(found == CalendarWindow(index: 9_223_372_036, start: 9_223_372_036_000_000_000, end: .max))
    }

    @Test func cutsTheFirstMonthWindowAtTheSmallestTimestamp() throws {
        let found = QuotaWindow.month.window(containing: .min)
        #expect(found.start == .min)
        #expect(found.end == (try Self.at("1677-10-01T00:00:00Z")))
    }

    @Test(arguments: QuotaWindow.allCases, [Int64.max, .min, .max / 12, .min / 12, 1 << 40])
    func saturatesAWindowOfAnyIndex(_ window: QuotaWindow, _ index: Int64) {
        let found = window.window(index: index)
        #expect(found.index == index)
        #expect(found.start <= found.end)
        #expect(found.start == .min || found.end == .max || found.length > 0)
    }
}
