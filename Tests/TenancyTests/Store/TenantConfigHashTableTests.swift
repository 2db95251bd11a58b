import TenancyTestSupport
import Testing

@testable import Tenancy

@Suite struct TenantConfigHashTableTests {
    @Test func findsWhatWasInsertedAndNothingElse() {
        var table = TenantConfigHashTable()
        table[.valid("acme")] = TenantConfig(id: .valid("acme"), metadata: ["plan": "pro"])
        #expect(table[.valid("acme")]?.metadata == ["plan": "pro"])
        #expect(table[.valid("globex")] == nil)
        #expect(table.count == 1)
    }

    @Test func replacingKeepsOneEntry() {
        var table = TenantConfigHashTable()
        table[.valid("acme")] = TenantConfig(id: .valid("acme"), metadata: ["plan": "free"])
        table[.valid("acme")] = TenantConfig(id: .valid("acme"), metadata: ["plan": "pro"])
        #expect(table.count == 1)
        #expect(table[.valid("acme")]?.metadata == ["plan": "pro"])
    }

    /// Random inserts, replacements and removals (which shift later entries of a probe run back) against
    /// a dictionary: every lookup agrees after every step, across several growths.
    @Test(arguments: [1, 2, 3] as [UInt64])
    func agreesWithADictionaryUnderRandomChanges(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var table = TenantConfigHashTable()
        var model: [TenantID: TenantConfig] = [:]
        let ids = (0..<300).map { TenantID.valid("tenant-\($0)") }
        for step in 0..<5_000 {
            let id = ids[Int(random.next() % UInt64(ids.count))]
            if random.next() % 3 == 0 {
                table[id] = nil
                model[id] = nil
            } else {
                let config = TenantConfig(id: id, metadata: ["step": "\(step)"])
                table[id] = config
                model[id] = config
            }
            #expect(table.count == model.count)
            #expect(table[id] == model[id])
        }
        for id in ids {
            #expect(table[id] == model[id], "\(id)")
            #expect(table.config(forValidRawID: id.rawValue) == model[id], "\(id)")
        }
    }

    /// The gate's lookup of an ID read from a request, before it is made a `TenantID`: the same entry, found
    /// by the bytes, for IDs short and long (the hash reads eight bytes at a time, then the tail).
    @Test(arguments: [
        "a", "acme", "seven-7", "eight-88", "tenant-0001", "fifteen-bytes-1", "sixteen-bytes-id",
        String(repeating: "x", count: 255),
    ])
    func findsAConfigByItsRawID(_ raw: String) {
        var table = TenantConfigHashTable()
        let sibling = raw.utf8.count < TenantID.maximumLength ? raw + "0" : "0" + raw.dropFirst()
        table[.valid(raw)] = TenantConfig(id: .valid(raw), metadata: ["plan": "pro"])
        table[.valid(sibling)] = TenantConfig(id: .valid(sibling))
        #expect(table.config(forValidRawID: raw)?.id == .valid(raw))
        #expect(table.config(forValidRawID: raw)?.metadata == ["plan": "pro"])
        // Built from bytes, so not the stored string's buffer.
        #expect(table.config(forValidRawID: String(decoding: Array(raw.utf8), as: UTF8.self))?.id == .valid(raw))
        #expect(table.config(forValidRawID: String(raw.dropLast()) + "Z") == nil)
        table[.valid(raw)] = nil
        #expect(table.config(forValidRawID: raw) == nil)
        #expect(table.config(forValidRawID: sibling)?.id == .valid(sibling))
    }
}
