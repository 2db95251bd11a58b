import Testing

@testable import Tenancy

/// Byte-for-byte string equality, as the policy's allow-lists use it.
@Suite struct StringBytesTests {
    static let long = String(repeating: "model-", count: 8)  // 48 bytes: a heap string, not a small one

    @Test(arguments: [
        ("gpt-4o", "gpt-4o"),
        ("", ""),
        ("caf\u{E9}", "caf\u{E9}"),
        (long, String(decoding: Array(long.utf8), as: UTF8.self)),  // the same bytes in another buffer
        (long, String(Substring(long))),
    ])
    func equalBytesAreEqual(_ left: String, _ right: String) {
        #expect(left.hasSameBytes(as: right))
        #expect(right.hasSameBytes(as: left))
    }

    @Test func aCopySharingTheBufferIsEqual() {
        let copy = Self.long
        #expect(Self.long.hasSameBytes(as: copy))
    }

    @Test(arguments: [
        ("gpt-4o", "gpt-4O"),
        ("gpt-4o", "gpt-4o-mini"),
        ("POST", "GET"),
        ("", "a"),
        // Canonically equivalent, so `==` says equal; the bytes differ.
        ("model-K", "model-\u{212A}"),
        ("caf\u{E9}", "cafe\u{301}"),
        (long + "K", long + "\u{212A}"),
        (long + "a", long + "b"),
    ])
    func differentBytesAreNotEqual(_ left: String, _ right: String) {
        #expect(!left.hasSameBytes(as: right))
        #expect(!right.hasSameBytes(as: left))
    }
}

/// The token-count header's strict grammar: 1-18 ASCII digits.
@Suite struct TokenCountParsingTests {
    @Test(arguments: [
        ("0", Int64(0)), ("10", Int64(10)), ("007", Int64(7)),
        (String(repeating: "9", count: 18), Int64(999_999_999_999_999_999)),
    ] as [(String, Int64)])
    func parsesDigits(_ text: String, _ expected: Int64) {
        #expect(AdmissionGate.parseTokenCount(text) == expected)
        // The same through a string that is not a small one.
        let padded = String(repeating: "0", count: 18 - text.utf8.count) + text
        #expect(AdmissionGate.parseTokenCount(padded) == expected)
    }

    @Test(arguments: [
        "", "-5", "+5", " 5", "5 ", "0x10", "1e3", "5, 6", "\u{FF15}", "5\u{0}",
        String(repeating: "1", count: 19),
    ])
    func rejectsAnythingElse(_ text: String) {
        #expect(AdmissionGate.parseTokenCount(text) == nil)
    }
}
