/// A 64-bit hash that is identical in every process, on every platform and in every version of this
/// library, for routing tenants to shards and to quota-store buckets.
///
/// Swift's `Hasher` is seeded per process, so it cannot route anything that outlives a process. This is
/// FNV-1a over the bytes followed by the MurmurHash3 64-bit finaliser, which spreads FNV's weak low bits.
/// It is not a secure hash: anyone can compute collisions, so never key attacker-chosen input by it
/// alone where collisions matter; ``TenantID`` hashes its raw value with `Hasher` for that reason.
public enum StableHash {
    /// The FNV-1a 64-bit offset basis.
    static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    /// The FNV-1a 64-bit prime.
    static let prime: UInt64 = 0x100_0000_01b3

    /// Hashes `bytes`.
    /// - Parameter bytes: The input.
    /// - Returns: The stable 64-bit hash.
    public static func hash(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var state = offsetBasis
        for byte in bytes {
            state = (state ^ UInt64(byte)) &* prime
        }
        return finalize(state)
    }

    /// Hashes the UTF-8 bytes of `string`.
    /// - Parameter string: The input.
    /// - Returns: The stable 64-bit hash.
    public static func hash(_ string: String) -> UInt64 {
        hash(string.utf8)
    }

    /// MurmurHash3's `fmix64`: a bijective avalanche step.
    @inline(__always)
    static func finalize(_ value: UInt64) -> UInt64 {
        var k = value
        k ^= k >> 33
        k &*= 0xff51_afd7_ed55_8ccd
        k ^= k >> 33
        k &*= 0xc4ce_b9fe_1a85_ec53
        k ^= k >> 33
        return k
    }
}
