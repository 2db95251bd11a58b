import Testing

@testable import Tenancy

@Suite struct TenantCacheKeyTests {
    @Test func prefixesTheKeyWithTheTenantAndGeneration() throws {
        let acme = try TenantID("acme")
        #expect(try TenantCacheKey.storageKey(for: "user:42", of: acme, generation: 7) == "t:acme:7:user:42")
        #expect(try TenantCacheKey.storageKey(for: "", of: acme, generation: 0) == "t:acme:0:")
        #expect(TenantCacheKey.generationKey(of: acme) == "t:acme:gen")
    }

    /// Every (tenant, generation, key) over small alphabets chosen to collide if the scheme were ambiguous:
    /// tenants with `.` and digits, keys with `:`, digits, newlines and a combining mark, generations that
    /// share digits. The set compares with `String` equality, which is coarser than byte equality, so
    /// distinct here means distinct for every backend.
    @Test func mapsEveryTenantGenerationAndKeyToADistinctBackendKey() throws {
        let tenants = try Self.strings(over: ["a", "b", ".", "1"], lengths: 1...3).map { try TenantID($0) }
        let keys = Self.strings(over: ["a", ":", "1", "\n", "\u{301}"], lengths: 0...3)
        let generations: [UInt64] = [0, 1, 11]
        var seen = Set<String>()
        for tenant in tenants {
            #expect(seen.insert(TenantCacheKey.generationKey(of: tenant)).inserted)
            for generation in generations {
                for key in keys {
                    let storageKey = try TenantCacheKey.storageKey(for: key, of: tenant, generation: generation)
                    #expect(seen.insert(storageKey).inserted, "\(tenant) \(generation) \(key.debugDescription)")
                }
            }
        }
        #expect(seen.count == tenants.count * (1 + generations.count * keys.count))
    }

    @Test(arguments: [
        ("a", "b:c", "b", "c"),
        ("a", "b:c", "a.b", "c"),
        ("a", "1:b", "a", "b"),
        ("a", "", "a", ":"),
        ("a", "gen", "a", ""),
        ("a", "x\n", "a", "x"),
        ("a", "b", "a.b", ""),
        ("a.b", "c", "a", "b.c"),
    ])
    func neverLetsTwoDifferentPairsShareABackendKey(
        _ firstTenant: String,
        _ firstKey: String,
        _ secondTenant: String,
        _ secondKey: String
    ) throws {
        for first in [UInt64(0), 1, 11] {
            for second in [UInt64(0), 1, 11] {
                let a = try TenantCacheKey.storageKey(for: firstKey, of: TenantID(firstTenant), generation: first)
                let b = try TenantCacheKey.storageKey(for: secondKey, of: TenantID(secondTenant), generation: second)
                #expect(a != b)
                #expect(a != TenantCacheKey.generationKey(of: try TenantID(secondTenant)))
            }
        }
    }

    @Test func acceptsAKeyOfExactly1024Bytes() throws {
        let key = String(repeating: "k", count: 1_024)
        #expect(try TenantCacheKey.storageKey(for: key, of: TenantID("a"), generation: 1).hasSuffix(key))
    }

    @Test(arguments: [
        (String(repeating: "k", count: 1_025), 1_025),
        (String(repeating: "\u{E9}", count: 513), 1_026),
    ])
    func rejectsAKeyLongerThan1024BytesCountingUTF8(_ key: String, _ length: Int) {
        #expect(
            throws: TenancyError(.invalidArgument, "cache key is \(length) bytes long; at most 1024 are allowed")
        ) {
            try TenantCacheKey.storageKey(for: key, of: TenantID("a"), generation: 1)
        }
    }

    static func strings(over alphabet: [String], lengths: ClosedRange<Int>) -> [String] {
        var result: [String] = []
        var level = [""]
        for length in 0...lengths.upperBound {
            if lengths.contains(length) { result += level }
            level = level.flatMap { prefix in alphabet.map { prefix + $0 } }
        }
        return result
    }
}
