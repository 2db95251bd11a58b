/// A fast seeded hash of byte strings, after wyhash (the family Go's runtime maps use): 64-bit words
/// folded with 128-bit multiplies. With a random per-table seed, an attacker who cannot read the seed
/// cannot aim label values at one probe chain.
enum ByteHash {
    private static let p0: UInt64 = 0xa076_1d64_78bd_642f
    private static let p1: UInt64 = 0xe703_7ed1_a0b4_28db
    private static let p2: UInt64 = 0x8ebc_6af0_9c88_c6e3
    private static let p3: UInt64 = 0x5899_65cc_7537_4cc3

    /// A random seed for one table.
    static func randomSeed() -> UInt64 {
        UInt64.random(in: .min ... .max)
    }

    /// Folds `value`'s UTF-8 bytes (and their count, so consecutive values stay delimited) into `state`.
    @inline(__always)
    static func combine(_ value: String, into state: UInt64) -> UInt64 {
        let hashed = value.utf8.withContiguousStorageIfAvailable { combine(UnsafeRawBufferPointer($0), into: state) }
        if let hashed { return hashed }
        return combine(Array(value.utf8), into: state)  // a bridged, non-contiguous string: rare, slow
    }

    @inline(__always)
    private static func combine(_ bytes: [UInt8], into state: UInt64) -> UInt64 {
        bytes.withUnsafeBytes { combine($0, into: state) }
    }

    @inline(__always)
    private static func combine(_ bytes: UnsafeRawBufferPointer, into state: UInt64) -> UInt64 {
        var hash = mix(state ^ p0, UInt64(truncatingIfNeeded: bytes.count) ^ p1)
        var offset = 0
        while offset &+ 8 <= bytes.count {
            hash = mix(hash ^ bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self), p2)
            offset &+= 8
        }
        if offset < bytes.count {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while offset < bytes.count {
                tail |= UInt64(bytes[offset]) &<< shift
                shift &+= 8
                offset &+= 1
            }
            hash = mix(hash ^ tail, p3)
        }
        return hash
    }

    /// The final mix of a hash of an integer key (a tenant's stable hash) with a table seed.
    @inline(__always)
    static func mix(_ value: UInt64, seed: UInt64) -> UInt64 {
        mix(value ^ seed ^ p0, p1)
    }

    @inline(__always)
    private static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let (high, low) = a.multipliedFullWidth(by: b)
        return high ^ low
    }
}
