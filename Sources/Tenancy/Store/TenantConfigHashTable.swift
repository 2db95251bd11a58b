/// Tenant configs by ID: an open-addressing table with linear probing, keyed by the ID's ``TenantID/stableHash``
/// mixed with a per-table random seed.
///
/// The config lookup is on every request's path; a `Dictionary` keyed by `TenantID` runs the seeded SipHash
/// over the ID's bytes for each lookup (about a third of the lookup), while the stable hash was already
/// computed when the ID was validated. Its keys are written by operators, never by clients, so the unkeyed
/// stable hash cannot be used to flood a bucket; the seed still varies the layout per process.
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
    private func mixed(_ id: TenantID) -> UInt64 {
        StableHash.finalize(id.stableHash ^ seed) | 1
    }

    /// The slot holding `id`, or `nil`.
    private func slot(of id: TenantID) -> Int? {
        let hash = mixed(id)
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
        place(config, hash: mixed(config.id))
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
