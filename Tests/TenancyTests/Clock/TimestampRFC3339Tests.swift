import Foundation
import TenancyTestSupport
import Testing

@testable import Tenancy

@Suite struct TimestampRFC3339Tests {
    static let newYear = Timestamp(year: 2026, month: 1, day: 1)

    @Test(arguments: [
        "2026-01-01T00:00:00Z", "2026-01-01t00:00:00z", "2026-01-01T00:00:00z", "2026-01-01t00:00:00Z",
        "2026-01-01T00:00:00+00:00", "2026-01-01T00:00:00-00:00", "2026-01-01T02:00:00+02:00",
        "2025-12-31T18:30:00-05:30", "2026-01-01T05:45:00+05:45", "2025-12-31T00:01:00-23:59",
    ])
    func parsesTheSameInstantInEveryZoneSpelling(_ text: String) {
        #expect(Timestamp(rfc3339: text) == Self.newYear)
    }

    @Test(arguments: [
        (".5", Int64(500_000_000)), (".05", 50_000_000), (".123", 123_000_000), (".1234", 123_400_000),
        (".12345", 123_450_000), (".123456", 123_456_000), (".1234567", 123_456_700), (".12345678", 123_456_780),
        (".123456789", 123_456_789), (".000000001", 1), (".0", 0), (".000000000", 0),
        (".1234567891", 123_456_789), (".99999999999999", 999_999_999),
    ])
    func parsesFractionalSecondsTruncatingPastNanoseconds(_ fraction: String, _ nanoseconds: Int64) {
        let parsed = Timestamp(rfc3339: "2026-01-01T00:00:00\(fraction)Z")
        #expect(parsed?.nanosecondsSinceEpoch == Self.newYear.nanosecondsSinceEpoch + nanoseconds)
    }

    @Test func acceptsTextOfUpToFortyBytes() {
        let text = "2026-01-01T00:00:00.12345678901234+00:00"
        #expect(text.utf8.count == 40)
        #expect(Timestamp(rfc3339: text) == Timestamp(year: 2026, month: 1, day: 1, nanosecond: 123_456_789))
    }

    @Test func parsesAFractionBeforeAnOffset() {
        #expect(
            Timestamp(rfc3339: "2026-01-01T02:00:00.25+02:00")
                == Timestamp(year: 2026, month: 1, day: 1, nanosecond: 250_000_000)
        )
    }

    @Test func foldsALeapSecondIntoTheNextSecond() {
        #expect(Timestamp(rfc3339: "2016-12-31T23:59:60Z") == Timestamp(year: 2017, month: 1, day: 1))
    }

    @Test(arguments: [
        "2024-02-29T12:00:00Z", "2000-02-29T00:00:00Z", "1969-12-31T23:59:59.999Z", "1900-03-01T00:00:00Z",
    ])
    func parsesLeapDaysAndDatesBefore1970(_ text: String) throws {
        let parsed = try #require(Timestamp(rfc3339: text))
        #expect(parsed.rfc3339 == text)
    }

    @Test(arguments: [
        "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z", "2026-01-00T00:00:00Z", "2026-01-32T00:00:00Z",
        "2026-02-30T00:00:00Z", "2023-02-29T00:00:00Z", "2100-02-29T00:00:00Z", "2026-04-31T00:00:00Z",
        "2026-01-01T24:00:00Z", "2026-01-01T00:60:00Z", "2026-01-01T00:00:61Z",
    ])
    func rejectsFieldsOutOfRange(_ text: String) {
        #expect(Timestamp(rfc3339: text) == nil)
    }

    @Test(arguments: [
        "", "yesterday", "2026-01-01", "2026-01-01T00:00:00", "2026-01-01T00:00:00.5", "2026-01-01 00:00:00Z",
        "2026-01-01T00:00Z", "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00.", "2026-01-01T00:00:00Z ",
        " 2026-01-01T00:00:00Z", "2026-01-01T00:00:00ZZ", "2026-01-01T00:00:00+02:00Z", "2026-01-01T00:00:00+0200",
        "2026-01-01T00:00:00+02", "2026-01-01T00:00:00+24:00", "2026-01-01T00:00:00+02:60", "2026-01-01T00:00:00+2:00 ",
        "2026-01-01T00:00:00+02-00", "2026-01-01T00:00:00UTC", "2026-0a-01T00:00:00Z", "+2026-01-01T00:00:00Z",
        "26-01-01T00:00:00Z", "2026/01/01T00:00:00Z", "2026-01-01T00-00-00Z", "2026-01-01X00:00:00Z",
        "\u{FF12}\u{FF10}\u{FF12}\u{FF16}-01-01T00:00:00Z", "2026-01-01T00:00:00.1a2Z", "2026-01-01T00:00:00,5Z",
        "2026-01-01T00:00:00.123456789012345678901Z", "2026-01-01T00:00:00.123456789012345+00:00",
    ])
    func rejectsMalformedText(_ text: String) {
        #expect(Timestamp(rfc3339: text) == nil)
    }

    @Test(arguments: [
        "0000-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "1677-09-21T00:12:43.145224191Z",
        "2262-04-11T23:47:16.854775808Z",
        "9999-12-31T23:59:59.999999999Z", "2262-04-11T23:47:16.854775807-00:01", "1677-09-21T00:12:43.145224192+00:01",
    ])
    func rejectsInstantsOutsideTheRepresentableRangeWithoutTrapping(_ text: String) {
        #expect(Timestamp(rfc3339: text) == nil)
    }

    @Test func parsesTheEarliestAndLatestRepresentableInstants() {
        #expect(Timestamp(rfc3339: "2262-04-11T23:47:16.854775807Z")?.nanosecondsSinceEpoch == .max)
        #expect(Timestamp(rfc3339: "1677-09-21T00:12:43.145224192Z")?.nanosecondsSinceEpoch == .min)
    }

    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00Z"),
        (1_767_225_600_000_000_000, "2026-01-01T00:00:00Z"),
        (1_767_225_600_500_000_000, "2026-01-01T00:00:00.5Z"),
        (1_767_225_600_120_000_000, "2026-01-01T00:00:00.12Z"),
        (1_767_225_600_000_000_001, "2026-01-01T00:00:00.000000001Z"),
        (1_767_225_600_123_456_789, "2026-01-01T00:00:00.123456789Z"),
        (-500_000_000, "1969-12-31T23:59:59.5Z"),
        (-1, "1969-12-31T23:59:59.999999999Z"),
        (.min, "1677-09-21T00:12:43.145224192Z"),
        (.max, "2262-04-11T23:47:16.854775807Z"),
    ])
    func formatsInUTCWithATrimmedFractionOnlyWhenNonZero(_ nanoseconds: Int64, _ text: String) {
        #expect(Timestamp(nanosecondsSinceEpoch: nanoseconds).rfc3339 == text)
    }

    @Test func roundTripsRandomInstantsAcrossTheWholeRange() {
        var random = SplitMix64(seed: 3339)
        for _ in 0..<5_000 {
            let value = Int64(bitPattern: random.next())
            let timestamp = Timestamp(
                nanosecondsSinceEpoch: random.next(below: 2) == 0 ? value : value / 1_000_000_000 * 1_000_000_000
            )
            #expect(Timestamp(rfc3339: timestamp.rfc3339) == timestamp, "\(timestamp.nanosecondsSinceEpoch)")
        }
    }

    @Test func agreesWithFoundationsISO8601Formatter() {
        let formatter = ISO8601DateFormatter()
        var random = SplitMix64(seed: 8601)
        for _ in 0..<500 {
            let seconds = Int64(random.next(below: 8_000_000_000)) - 4_000_000_000
            let date = Date(timeIntervalSince1970: Double(seconds))
            #expect(Timestamp(secondsSinceEpoch: seconds).rfc3339 == formatter.string(from: date))
        }
    }

    @Test func encodesAsAJSONString() throws {
        let data = try JSONEncoder().encode([Timestamp(nanosecondsSinceEpoch: 1_767_225_600_500_000_000)])
        #expect(String(decoding: data, as: UTF8.self) == #"["2026-01-01T00:00:00.5Z"]"#)
    }

    @Test func decodesAJSONString() throws {
        let decoded = try JSONDecoder().decode([Timestamp].self, from: Data(#"["2026-01-01T02:00:00+02:00"]"#.utf8))
        #expect(decoded == [Self.newYear])
    }

    @Test(arguments: [#"["2026-02-30T00:00:00Z"]"#, #"["9999-12-31T23:59:59Z"]"#, #"[1767225600]"#, #"[null]"#])
    func failsToDecodeAnythingButAnRFC3339String(_ json: String) {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Timestamp].self, from: Data(json.utf8)) }
    }

    @Test func explainsTheExpectedFormInTheDecodingError() throws {
        let error = try #require(throws: DecodingError.self) {
            try JSONDecoder().decode([Timestamp].self, from: Data(#"["noon"]"#.utf8))
        }
        guard case .dataCorrupted(let context) = error else {
            Issue.record("expected dataCorrupted, got \(error)")
            return
        }
        #expect(context.debugDescription == "expected an RFC 3339 timestamp such as 2026-01-01T00:00:00Z")
    }
}
