import Testing

@testable import TenancyMetrics

@Suite struct ExpositionFormatTests {
    /// Expected spellings are those of Go's `strconv.FormatFloat(v, 'g', -1, 64)`.
    @Test(arguments: [
        (0.005, "0.005"), (0.01, "0.01"), (0.025, "0.025"), (0.05, "0.05"), (0.1, "0.1"), (0.25, "0.25"),
        (0.5, "0.5"), (1, "1"), (2.5, "2.5"), (5, "5"), (10, "10"), (100_000, "100000"), (123_456, "123456"),
        (999_999, "999999"), (1_000_000, "1e+06"), (1_234_567, "1.234567e+06"), (1e21, "1e+21"),
        (0.0001, "0.0001"), (0.00001, "1e-05"), (0.000_012_34, "1.234e-05"), (1e-7, "1e-07"),
        (123.456, "123.456"), (999_999.5, "999999.5"), (0.1 + 0.2, "0.30000000000000004"),
        (-2.5, "-2.5"), (-1e-05, "-1e-05"), (1.7976931348623157e308, "1.7976931348623157e+308"),
        (.leastNonzeroMagnitude, "5e-324"), (1e100, "1e+100"), (0.0, "0"), (-0.0, "0"),
        (Double.infinity, "+Inf"), (-Double.infinity, "-Inf"), (Double.nan, "NaN"),
    ] as [(Double, String)])
    func goFloatSpellsValuesLikeGo(value: Double, expected: String) {
        #expect(ExpositionFormat.goFloat(value) == expected)
    }

    @Test(arguments: [
        (0, "0"), (-0.0, "0"), (1, "1"), (42, "42"), (-7, "-7"), (1_000_000, "1000000"),
        (9_007_199_254_740_991, "9007199254740991"), (9_007_199_254_740_992, "9.007199254740992e+15"),
        (0.5, "0.5"), (1e-05, "1e-05"), (1_234_567.5, "1.2345675e+06"), (1e300, "1e+300"),
        (Double.infinity, "+Inf"), (-Double.infinity, "-Inf"), (Double.nan, "NaN"),
    ] as [(Double, String)])
    func sampleValuesAreIntegersWithoutFractionOrShortestRoundTrip(value: Double, expected: String) {
        var buffer: [UInt8] = []
        ExpositionFormat.appendValue(value, to: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == expected)
    }

    @Test(arguments: [
        0.1, 1e-05, 1.7976931348623157e308, .leastNonzeroMagnitude, 2.2250738585072014e-308, 123_456.789, 1 / 3.0,
    ])
    func everySpellingParsesBackToTheSameDouble(value: Double) {
        #expect(Double(ExpositionFormat.goFloat(value)) == value)
    }

    @Test(arguments: [(UInt64(0), "0"), (7, "7"), (10, "10"), (UInt64.max, "18446744073709551615")])
    func integersAreWrittenInDecimal(value: UInt64, expected: String) {
        var buffer: [UInt8] = []
        ExpositionFormat.appendInteger(value, to: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == expected)
    }

    @Test func signedIntegersKeepTheirSign() {
        var buffer: [UInt8] = []
        ExpositionFormat.appendInteger(Int64.min, to: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == "-9223372036854775808")
    }

    @Test(arguments: [
        ("plain", "plain"), ("quo\"te", "quo\\\"te"), ("back\\slash", "back\\\\slash"), ("new\nline", "new\\nline"),
        ("tab\tand\rreturn", "tab\tand\rreturn"), ("ünïcødé ✓ 🚀", "ünïcødé ✓ 🚀"),
        ("\\\"\n", "\\\\\\\"\\n"),
    ])
    func labelValuesEscapeBackslashQuoteAndNewlineOnly(raw: String, escaped: String) {
        var buffer: [UInt8] = []
        ExpositionFormat.appendEscapedLabelValue(raw, to: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == escaped)
    }

    @Test(arguments: [
        ("plain", "plain"), ("quo\"te", "quo\"te"), ("back\\slash", "back\\\\slash"), ("new\nline", "new\\nline"),
    ])
    func helpEscapesBackslashAndNewlineButNotQuotes(raw: String, escaped: String) {
        var buffer: [UInt8] = []
        ExpositionFormat.appendEscapedHelp(raw, to: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == escaped)
    }

    @Test func theContentTypeIsTextFormatZeroZeroFour() {
        #expect(ExpositionFormat.contentType == "text/plain; version=0.0.4; charset=utf-8")
        #expect(MetricsRegistry.contentType == ExpositionFormat.contentType)
    }
}
