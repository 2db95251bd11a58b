/// Tenant configs by ID: an open-addressing table with linear probing, keyed by a word-at-a-time hash of the
/// ID's bytes mixed with a per-table random seed.
///
/// The config lookup is on every request's path; a `Dictionary` keyed by `TenantID` runs the seeded SipHash
/// over the ID's bytes for each lookup (about a third of the lookup). Hashing eight bytes per multiply also
/// lets a request's raw header value be looked up before it is made a ``TenantID``, whose stable FNV-1a hash
/// (one dependent multiply per byte, ~15 ns for an 11-byte ID) the request then takes from the stored config
/// instead of computing it (``config(forValidRawID:)``). Its keys are written by operators, never by
/// clients; the per-table seed enters the hash first, so which IDs collide also differs per process.
struct TenantConfigHashTable {
    /// The mixed hash of each slot's ID, with the lowest bit set; 0 marks an empty slot.
    private var hashes: [UInt64]
    private var configs: [TenantConfig?]
    private let seed: UInt64
    /// The number of configs.
    private(set) var count = 0

    init() {
        hashes = Array(repeating: 0, count: 16)
        configs = Array(repeating: nil, count: 16)
        seed = UInt64.random(in: .min ... .max)
    }

    /// The config of the tenant whose ID is `raw`, byte for byte, if stored.
    /// - Parameter raw: A string that passed ``TenantID/hasValidSyntax(_:)``.
    func config(forValidRawID raw: String) -> TenantConfig? {
        let hash = mixed(raw)
        let mask = hashes.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let stored = hashes[slot]
            if stored == 0 { return nil }
            if stored == hash, let config = configs[slot], config.id.rawValue.hasSameBytes(as: raw) { return config }
            slot = (slot + 1) & mask
        }
    }

    /// The config of `id`, if stored.
    subscript(id: TenantID) -> TenantConfig? {
        get {
            guard let slot = slot(of: id) else { return nil }
            return configs[slot]
        }
        set {
            if let newValue { insert(newValue) } else { remove(id) }
        }
    }

    @inline(__always)
    private func mixed(_ raw: String) -> UInt64 {
        StableHash.finalize(Self.wordHash(raw, seed: seed)) | 1
    }

    /// A hash of `raw`'s UTF-8 bytes, eight at a time, starting from the seed (so which IDs collide differs
    /// per table); the caller's finaliser spreads it. Not stable across versions: only this table's layout
    /// depends on it. The same bytes give the same hash however the string is stored.
    @inline(__always)
    private static func wordHash(_ raw: String, seed: UInt64) -> UInt64 {
        let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
        if let hash = raw.utf8.withContiguousStorageIfAvailable({ bytes in
            let bytes = UnsafeRawBufferPointer(bytes)
            var hash = (UInt64(truncatingIfNeeded: bytes.count) &* multiplier) ^ seed
            var offset = 0
            while offset + 8 <= bytes.count {
                hash = (hash ^ bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* multiplier
                offset += 8
            }
            var tail: UInt64 = 0
            for index in offset..<bytes.count { tail |= UInt64(bytes[index]) << (8 * UInt64(index - offset)) }
            return (hash ^ tail) &* multiplier
        }) {
            return hash
        }
        // A string not stored as contiguous UTF-8 (bridged on Darwin): hashed as its contiguous copy would be.
        var contiguous = raw
        contiguous.makeContiguousUTF8()
        return wordHash(contiguous, seed: seed)
    }

    /// The slot holding `id`, or `nil`.
    private func slot(of id: TenantID) -> Int? {
        let hash = mixed(id.rawValue)
        let mask = hashes.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let stored = hashes[slot]
            if stored == 0 { return nil }
            if stored == hash, configs[slot]?.id == id { return slot }
            slot = (slot + 1) & mask
        }
    }

    private mutating func insert(_ config: TenantConfig) {
        if let slot = slot(of: config.id) {
            configs[slot] = config
            return
        }
        if (count + 1) * 2 > hashes.count { grow() }
        place(config, hash: mixed(config.id.rawValue))
        count += 1
    }

    /// Puts a config whose ID is not stored into the first free slot of its probe sequence.
    private mutating func place(_ config: TenantConfig, hash: UInt64) {
        let mask = hashes.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while hashes[slot] != 0 { slot = (slot + 1) & mask }
        hashes[slot] = hash
        configs[slot] = config
    }

    private mutating func grow() {
        let oldHashes = hashes
        let oldConfigs = configs
        hashes = Array(repeating: 0, count: oldHashes.count * 2)
        configs = Array(repeating: nil, count: oldHashes.count * 2)
        for (hash, config) in zip(oldHashes, oldConfigs) where hash != 0 {
            if let config { place(config, hash: hash) }
        }
    }

    /// Removes `id` by backward-shift deletion, so lookups never need tombstones.
    private mutating func remove(_ id: TenantID) {
        guard var hole = slot(of: id) else { return }
        let mask = hashes.count - 1
        var next = (hole + 1) & mask
        while hashes[next] != 0 {
            let home = Int(truncatingIfNeeded: hashes[next]) & mask
            // Move the entry back into the hole unless its home lies cyclically in (hole, next].
            let homeAfterHole = hole <= next ? (home > hole && home <= next) : (home > hole || home <= next)
            if !homeAfterHole {
                hashes[hole] = hashes[next]
                configs[hole] = configs[next]
                hole = next
            }
            next = (next + 1) & mask
        }
        hashes[hole] = 0
        configs[hole] = nil
        count -= 1
    }
}
