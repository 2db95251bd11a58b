import Testing

@testable import TenancyMetrics

@Suite struct LabelValuesTests {
    @Test(arguments: [
        ("", ""), ("a", "a"), ("abcd", "abcd"), ("tenant-1", "tenant-1"), ("ünïcødé", "ünïcødé"),
        ("a-much-longer-tenant-name-42", "a-much-longer-tenant-name-42"),
    ])
    func identicalBytesAreEqual(lhs: String, rhs: String) {
        #expect(LabelValues.sameBytes(lhs, rhs))
        #expect(LabelValues(lhs) == LabelValues(rhs))
        #expect(LabelValues(lhs).hash(seed: 7) == LabelValues(rhs).hash(seed: 7))
    }

    @Test(arguments: [
        ("a", "b"), ("abc", "abd"), ("abcd", "abce"), ("tenant-1", "tenant-2"), ("tenant-10", "tenant-1x"),
        ("a-much-longer-tenant-name-42", "a-much-longer-tenant-name-43"),
        ("x-much-longer-tenant-name-42", "a-much-longer-tenant-name-42"),
        ("e\u{301}", "\u{E9}"), ("a\u{301}\u{323}", "a\u{323}\u{301}"), ("a", "ab"),
    ])
    func differentBytesAreDifferentEvenWhenCanonicallyEquivalent(lhs: String, rhs: String) {
        #expect(!LabelValues.sameBytes(lhs, rhs))
        #expect(LabelValues(lhs) != LabelValues(rhs))
    }

    @Test func keysOfDifferentAritiesDiffer() {
        #expect(LabelValues() != LabelValues("a"))
        #expect(LabelValues("a", "b") != LabelValues("a", "b", "c"))
        #expect(LabelValues(["a", "b", "c", "d"]) == LabelValues(["a", "b", "c", "d"]))
        #expect(LabelValues(["a", "b", "c", "d"]) != LabelValues(["a", "b", "c", "e"]))
        #expect(LabelValues(["a", "b", "c", "d"]) != LabelValues(["a", "b", "c", "d", "e"]))
        #expect(LabelValues([]).count == 0)
        #expect(LabelValues(["a", "b", "c", "d"]).array == ["a", "b", "c", "d"])
    }

    @Test func hashingSeparatesValueBoundaries() {
        #expect(LabelValues("ab", "c").hash(seed: 1) != LabelValues("a", "bc").hash(seed: 1))
        #expect(LabelValues("ab", "c").hashValue != LabelValues("a", "bc").hashValue)
        #expect(LabelValues(["a", "b", "c", "d"]).hashValue == LabelValues(["a", "b", "c", "d"]).hashValue)
    }

    @Test func theSeedChangesTheHash() {
        #expect(LabelValues("tenant-1").hash(seed: 1) != LabelValues("tenant-1").hash(seed: 2))
    }

    @Test func orderIsBytewiseValueByValue() {
        #expect(LabelValues.precedes(["a", "z"], ["b", "a"]))
        #expect(LabelValues.precedes(["B"], ["a"]))
        #expect(LabelValues.precedes(["a"], ["a", "b"]))
        #expect(!LabelValues.precedes(["a", "b"], ["a", "b"]))
        #expect(LabelValues.precedes(["z"], ["é"]))
    }
}
