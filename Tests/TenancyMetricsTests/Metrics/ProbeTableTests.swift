import Testing

@testable import TenancyMetrics

@Suite struct ProbeTableTests {
    @Test func findsWhatWasInsertedAcrossGrowth() {
        var table = ProbeTable<Int, String>()
        for key in 0..<1_000 { table.insert(UInt64(key) &* 0x9E37_79B9_7F4A_7C15, key: key, value: "v\(key)") }
        #expect(table.count == 1_000)
        for key in 0..<1_000 {
            #expect(table.find(UInt64(key) &* 0x9E37_79B9_7F4A_7C15) { $0 == key } == "v\(key)")
        }
        #expect(table.find(12_345) { $0 == 12_345 } == nil)
    }

    @Test func collidingHashesAreTellApartByTheirKeys() {
        var table = ProbeTable<String, Int>()
        table.insert(42, key: "a", value: 1)
        table.insert(42, key: "b", value: 2)
        table.insert(44, key: "c", value: 3)
        #expect(table.find(42) { $0 == "a" } == 1)
        #expect(table.find(42) { $0 == "b" } == 2)
        #expect(table.find(44) { $0 == "c" } == 3)
        #expect(table.find(42) { $0 == "c" } == nil)
    }

    @Test func setReplacesAnExistingValueOrAddsOne() {
        var table = ProbeTable<String, Int>()
        table.set(7, key: "a", value: 1) { $0 == "a" }
        table.set(7, key: "a", value: 2) { $0 == "a" }
        table.set(7, key: "b", value: 3) { $0 == "b" }
        #expect(table.count == 2)
        #expect(table.find(7) { $0 == "a" } == 2)
        #expect(table.find(7) { $0 == "b" } == 3)
    }

    @Test func removingRebuildsTheTableWithoutTheSelectedEntries() {
        var table = ProbeTable<Int, Int>()
        for key in 0..<100 { table.insert(UInt64(key % 7), key: key, value: key) }
        #expect(table.removeAll { key, _ in key.isMultiple(of: 2) } == 50)
        #expect(table.removeAll { key, _ in key > 1_000 } == 0)
        #expect(table.count == 50)
        #expect(table.allValues.sorted() == Array(stride(from: 1, to: 100, by: 2)))
        for key in 0..<100 {
            #expect((table.find(UInt64(key % 7)) { $0 == key } != nil) == !key.isMultiple(of: 2))
        }
    }
}
