import Tenancy

/// A Bloom filter over every tenant ID in the database, so a lookup of an ID that does not exist is
/// answered in memory without a query, however many distinct IDs an attacker invents.
///
/// No false negatives: an ID that was inserted is always reported. About 0.06% of IDs that were never
/// inserted are reported anyway (16 bits per expected ID, 8 probes); those lookups go to the database and
/// the negative cache as usual. Deleted IDs stay in the filter until it is rebuilt, which costs the same.
///
/// Probes come from Swift's per-process seeded `Hasher`, so nobody outside the process can compute IDs
/// that collide with real ones. Memory is 2 bytes per expected ID, rounded up to a power of two (at least
/// 2 KiB); the owner rebuilds the filter at twice the size once more IDs were inserted than it was sized
/// for. Not thread-safe: the owner keeps it behind its lock.
struct KnownTenantFilter {
    private static let bitsPerID = 16
    private static let probes = 8
    private static let minimumCapacity = 1_024

    /// How many IDs the filter was sized for.
    let capacity: Int
    /// How many IDs were inserted (with repeats).
    private(set) var count = 0
    private var words: [UInt64]
    private let mask: UInt64

    /// Creates an empty filter with room for twice `expectedCount` IDs.
    init(expectedCount: Int) {
        capacity = max(Self.minimumCapacity, min(max(expectedCount, 0), 1 << 31) * 2)
        var bits = 64
        while bits < capacity * Self.bitsPerID { bits <<= 1 }
        words = Array(repeating: 0, count: bits / 64)
        mask = UInt64(bits - 1)
    }

    /// Whether more IDs were inserted than the filter was sized for, so its false-positive rate climbs.
    var isOverfull: Bool { count > capacity }

    /// The filter's size in bytes.
    var byteCount: Int { words.count * 8 }

    /// Adds `id`.
    mutating func insert(_ id: TenantID) {
        var probe = Self.probe(id)
        for _ in 0..<Self.probes {
            let bit = probe.next() & mask
            words[Int(bit >> 6)] |= 1 << (bit & 63)
        }
        count += 1
    }

    /// Whether `id` may have been inserted; `false` means it certainly was not.
    func mightContain(_ id: TenantID) -> Bool {
        var probe = Self.probe(id)
        for _ in 0..<Self.probes {
            let bit = probe.next() & mask
            guard words[Int(bit >> 6)] & (1 << (bit & 63)) != 0 else { return false }
        }
        return true
    }

    /// Double hashing (Kirsch-Mitzenmacher): probe i is h1 + i * h2, from one seeded hash of the ID.
    private struct Probe {
        var position: UInt64
        let step: UInt64

        mutating func next() -> UInt64 {
            defer { position &+= step }
            return position
        }
    }

    private static func probe(_ id: TenantID) -> Probe {
        let first = UInt64(bitPattern: Int64(id.hashValue))
        // SplitMix64's finaliser gives the second hash; odd, so the probes never repeat a cycle early.
        var second = first &+ 0x9E37_79B9_7F4A_7C15
        second = (second ^ (second >> 30)) &* 0xBF58_476D_1CE4_E5B9
        second = (second ^ (second >> 27)) &* 0x94D0_49BB_1331_11EB
        second ^= second >> 31
        return Probe(position: first, step: second | 1)
    }
}
