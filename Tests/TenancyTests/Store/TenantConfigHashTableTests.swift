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
        }
    }
}
