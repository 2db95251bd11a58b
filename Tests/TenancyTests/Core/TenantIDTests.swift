import Testing

@testable import Tenancy

@Suite struct TenantIDTests {
    @Test(arguments: ["acme", "a", "A-Z_0.9", String(repeating: "x", count: 255)])
    func acceptsIdentifiersOfTheAllowedAlphabet(_ raw: String) throws {
        let id = try TenantID(raw)
        #expect(id.rawValue == raw)
        #expect(id.stableHash == StableHash.hash(raw))
    }

    @Test func rejectsAnEmptyIdentifier() {
        #expect(throws: TenancyError(.invalidTenantID, "tenant ID is empty")) { try TenantID("") }
    }

    @Test func rejectsAnIdentifierLongerThan255Bytes() {
        #expect(throws: TenancyError(.invalidTenantID, "tenant ID is 256 bytes long; at most 255 are allowed")) {
            try TenantID(String(repeating: "a", count: 256))
        }
    }

    @Test(arguments: [
        ("a:b", "byte 0x3A (':') at offset 1"),
        ("ab c", "byte 0x20 at offset 2"),
        ("a\nb", "byte 0x0A at offset 1"),
        ("é", "byte 0xC3 at offset 0"),
        ("a/../b", "byte 0x2F ('/') at offset 1"),
    ])
    func namesTheFirstDisallowedByteAndItsOffset(_ raw: String, _ expected: String) {
        #expect(throws: TenancyError(.invalidTenantID, "tenant ID has \(expected); allowed are A-Z, a-z, 0-9, '.', '_' and '-'")) {
            try TenantID(raw)
        }
    }

    /// The syntax check without the hash (the gate's raw lookup) agrees with the initialiser on every input.
    @Test(arguments: [
        "acme", "a", "A-Z_0.9", String(repeating: "x", count: 255), "", String(repeating: "a", count: 256), "a:b",
        "ab c", "a\nb", "\u{E9}", "a/../b", "tenant-\u{212A}", "acme\u{0}", "\u{7F}", "a b", "-._",
    ])
    func syntaxCheckAgreesWithTheInitialiser(_ raw: String) {
        #expect(TenantID.hasValidSyntax(raw) == (TenantID(validating: raw) != nil))
    }

    /// Every scalar up to U+00FF (so every ASCII byte, and the two-byte Latin-1 encodings), alone and after
    /// a valid prefix, and a lone invalid UTF-8 byte.
    @Test func syntaxCheckAgreesWithTheInitialiserOnEveryLatin1Scalar() {
        var inputs = (0...0xFF).map { String(Character(Unicode.Scalar(UInt8($0)))) }
        inputs.append(String(decoding: [0xFF], as: UTF8.self))
        for scalar in inputs {
            for raw in [scalar, "tenant-" + scalar] {
                #expect(TenantID.hasValidSyntax(raw) == (TenantID(validating: raw) != nil), "\(Array(raw.utf8))")
            }
        }
    }

    @Test func ordersByBytes() throws {
        let ids = try ["b", "B", "a", "a-", "a."].map { try TenantID($0) }.sorted()
        #expect(ids.map(\.rawValue) == ["B", "a", "a-", "a.", "b"])
    }

    @Test func stableHashIsFixedForever() {
        // Changing these values would move every tenant to another shard: never do it.
        // Reference values computed independently (Python: FNV-1a 64 then MurmurHash3 fmix64).
        #expect(StableHash.hash("") == 0xefd0_1f60_ba99_2926)
        #expect(StableHash.hash("acme") == 0x3a25_b665_6ba9_cfc6)
        #expect(StableHash.hash("tenant-42") == 0x2109_a245_10bb_8a82)
        #expect(StableHash.hash("acme") == StableHash.hash(Array("acme".utf8)))
    }
}
