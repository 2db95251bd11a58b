/// An open-addressing hash table (linear probing, at most half full) keyed by a hash the caller computes.
///
/// It exists for the label lookup on the recording hot path: `Dictionary` re-hashes every key with a
/// freshly seeded SipHash, which costs more than the rest of a lookup together. Here the caller hashes
/// once with a cheap seeded function, probing compares 64-bit hashes in a flat array, and only a full
/// hash match compares keys. Removal is rare (idle expiry, deleted tenants) and rebuilds the table.
struct ProbeTable<Key, Value> {
    /// The stored hashes with the lowest bit forced to 1; 0 marks an empty slot.
    private var hashes: [UInt64]
    private var keys: [Key?]
    private var values: [Value?]
    /// The number of entries.
    private(set) var count = 0

    /// Creates an empty table.
    init() {
        hashes = Array(repeating: 0, count: 16)
        keys = Array(repeating: nil, count: 16)
        values = Array(repeating: nil, count: 16)
    }

    /// The value whose key has `hash` and satisfies `matches`.
    /// Hot path: a few comparisons of integers, one key comparison, no allocation.
    @inline(__always)
    func find(_ hash: UInt64, _ matches: (Key) -> Bool) -> Value? {
        let stored = hash | 1
        let mask = hashes.count &- 1
        var index = Int(truncatingIfNeeded: stored >> 1) & mask
        while true {
            let candidate = hashes[index]
            if candidate == 0 { return nil }
            if candidate == stored, let key = keys[index], matches(key) { return values[index] }
            index = (index &+ 1) & mask
        }
    }

    /// Replaces the value of the entry whose key has `hash` and satisfies `matches`, or adds one.
    mutating func set(_ hash: UInt64, key: Key, value: Value, matches: (Key) -> Bool) {
        let stored = hash | 1
        let mask = hashes.count &- 1
        var index = Int(truncatingIfNeeded: stored >> 1) & mask
        while hashes[index] != 0 {
            if hashes[index] == stored, let existing = keys[index], matches(existing) {
                values[index] = value
                return
            }
            index = (index &+ 1) & mask
        }
        insert(hash, key: key, value: value)
    }

    /// Adds an entry whose key is known to be absent.
    mutating func insert(_ hash: UInt64, key: Key, value: Value) {
        if (count &+ 1) &* 2 > hashes.count { grow() }
        let stored = hash | 1
        let mask = hashes.count &- 1
        var index = Int(truncatingIfNeeded: stored >> 1) & mask
        while hashes[index] != 0 { index = (index &+ 1) & mask }
        hashes[index] = stored
        keys[index] = key
        values[index] = value
        count &+= 1
    }

    /// Removes every entry `predicate` selects.
    /// - Returns: How many were removed.
    @discardableResult
    mutating func removeAll(where predicate: (Key, Value) -> Bool) -> Int {
        let any = hashes.indices.contains { index in
            guard hashes[index] != 0, let key = keys[index], let value = values[index] else { return false }
            return predicate(key, value)
        }
        guard any else { return 0 }
        var kept = ProbeTable(capacity: hashes.count)
        for index in hashes.indices where hashes[index] != 0 {
            guard let key = keys[index], let value = values[index], !predicate(key, value) else { continue }
            kept.insert(hashes[index], key: key, value: value)
        }
        let removed = count - kept.count
        self = kept
        return removed
    }

    /// Every value, in slot order.
    var allValues: [Value] {
        values.compactMap { $0 }
    }

    private init(capacity: Int) {
        hashes = Array(repeating: 0, count: capacity)
        keys = Array(repeating: nil, count: capacity)
        values = Array(repeating: nil, count: capacity)
    }

    private mutating func grow() {
        var larger = ProbeTable(capacity: hashes.count * 2)
        for index in hashes.indices where hashes[index] != 0 {
            if let key = keys[index], let value = values[index] {
                larger.insert(hashes[index], key: key, value: value)
            }
        }
        self = larger
    }
}

extension ProbeTable: Sendable where Key: Sendable, Value: Sendable {}
