/// Quota state in this process: sharded, lock-per-shard, compact, and evicted as soon as it is idle.
///
/// A tenant's state lives in the shard picked by its ``TenantID/stableHash`` mixed with a per-store random
/// seed (so bucket and shard collisions cannot be precomputed by whoever picks tenant IDs). Each shard is an
/// open-addressing index of 32-bit slots over a dense array of 48-byte entries (the ID, a tag and three
/// words inline; larger layouts keep their extra words in a side table), so a one-limit tenant costs about
/// 56 bytes. State whose ``QuotaState/expiresAt`` has passed is equivalent to no state: it is swept two
/// entries per insert, fully before the index grows, and on ``evictExpired(now:)``, so memory follows the
/// tenants active in their windows, not every tenant ever seen.
///
/// Keys are only ever known tenants (unknown IDs are refused before quota), and the index is seeded, so
/// chosen IDs cannot crowd one shard or one probe sequence.
public final class InMemoryQuotaStore: SynchronousQuotaStore {
    private let shards: [Synchronized<ShardTable>]
    /// The same shards, reached without retaining them on the hot path (see ``withShard(_:_:)``).
    private let unretainedShards: [Synchronized<ShardTable>.Unretained]
    private let shardMask: UInt64
    private let seed: UInt64

    /// Creates a store.
    /// - Parameter shardCount: Independent locks; rounded up to a power of two in 1...4096. The default (64)
    ///   keeps lock contention negligible on machines with dozens of cores.
    public init(shardCount: Int = 64) {
        let clamped = min(max(shardCount, 1), 4_096)
        var count = 1
        while count < clamped { count <<= 1 }
        let seed = UInt64.random(in: .min ... .max)
        shards = (0..<count).map { _ in Synchronized(ShardTable(seed: seed)) }
        unretainedShards = shards.map(\.unsafeUnretained)
        shardMask = UInt64(count - 1)
        self.seed = seed
    }

    /// The number of shards.
    public var shardCount: Int { shards.count }

    /// Runs `body` on `tenant`'s state under its shard's lock. Never throws.
    public func withState<R: Sendable>(
        of tenant: TenantID, now: Timestamp, _ body: (inout QuotaState) -> R
    ) -> R {
        withStateSynchronously(of: tenant, now: now, body)
    }

    /// Runs `body` on `tenant`'s state under its shard's lock. Never throws.
    @inline(__always)
    public func withStateSynchronously<R: Sendable>(
        of tenant: TenantID, now: Timestamp, _ body: (inout QuotaState) -> R
    ) -> R {
        // One keyed hash for the shard (its low bits) and the index within it (its high bits).
        let hash = ShardTable.keyedHash(tenant.stableHash, seed: seed)
        let index = Int(truncatingIfNeeded: hash & shardMask)
        let nowSeconds = now.secondsSinceEpoch
        return withShard(index) { table in
            table.update(tenant, hash: hash, nowSeconds: nowSeconds, body)
        }
    }

    /// ``withStateSynchronously(of:now:_:)`` for a layout of at most ``InlineQuotaWords/capacity`` words: `body`
    /// gets the entry's tag and words in place, as a trivial value, instead of a ``QuotaState`` built from
    /// the entry and written back from it. The hot path of the engines: allocation-free, one lock.
    @inline(__always)
    func withInlineWords<Update: InlineWordsUpdate>(
        of tenant: TenantID, now: Timestamp, _ update: Update
    ) -> Update.Result {
        let hash = ShardTable.keyedHash(tenant.stableHash, seed: seed)
        let index = Int(truncatingIfNeeded: hash & shardMask)
        let nowSeconds = now.secondsSinceEpoch
        return withShard(index) { table in
            table.updateInline(tenant, hash: hash, nowSeconds: nowSeconds, update)
        }
    }

    /// Runs `body` on shard `index`'s table under its lock, without retaining the shard.
    ///
    /// Locking an element of `shards` retained and released it around the lock (two atomic operations, 5 %
    /// of a decision): the optimiser cannot tell that an array element stays alive while `body` runs. Here
    /// the shard's storage is reached unretained, its lifetime guaranteed by ``shards`` (the store is alive
    /// for the call), and directly: through a wrapper object it was one more dependent cache miss.
    @inline(__always)
    private func withShard<R>(_ index: Int, _ body: (inout ShardTable) -> R) -> R {
        unretainedShards[index].withLock(body)
    }

    /// Forgets `tenant`'s state. Never throws.
    public func removeState(of tenant: TenantID) {
        let shard = shards[Int(truncatingIfNeeded: ShardTable.keyedHash(tenant.stableHash, seed: seed) & shardMask)]
        shard.withLock { table in
            if let slot = table.find(tenant.rawValue, hash: table.keyedHash(tenant)).slot {
                table.remove(slot: slot)
            }
        }
    }

    /// Removes every state that has expired, shard by shard, and shrinks indexes that became sparse.
    /// - Parameter now: The current time.
    /// - Returns: How many states were removed.
    @discardableResult
    public func evictExpired(now: Timestamp) -> Int {
        let nowSeconds = now.secondsSinceEpoch
        var removed = 0
        for shard in shards {
            removed += shard.withLock { $0.sweepAll(nowSeconds: nowSeconds) }
        }
        return removed
    }

    /// The number of states held, including expired ones not yet swept.
    public var count: Int {
        shards.reduce(0) { total, shard in total + shard.withLock { $0.entries.count } }
    }

    /// The index slots of all shards together, for tests of growth and shrinking.
    var indexCapacity: Int {
        shards.reduce(0) { total, shard in total + shard.withLock { $0.buckets.count } }
    }
}

/// One shard: a linear-probing index of `slot + 1` (0 = empty) over dense entries.
private struct ShardTable {
    struct Entry {
        var key: String
        /// Bits 0-30: the shape; bit 31: extra words live in `overflow`; bits 32-63: `expiresAt`.
        var meta: UInt64
        var w0: Int64
        var w1: Int64
        var w2: Int64

        var expiresAt: Int64 { Int64(meta >> 32) }
        var hasOverflow: Bool { meta & Self.overflowBit != 0 }
        static let overflowBit: UInt64 = 1 << 31
    }

    static let inlineWords = 3
    static let minimumCapacity = 16

    /// The store's random seed, mixed into every index position.
    let seed: UInt64

    init(seed: UInt64) {
        self.seed = seed
    }

    /// A tenant's position hash: its stable hash keyed with the seed (a bijection, so distinct stable
    /// hashes stay distinct).
    @inline(__always)
    static func keyedHash(_ stableHash: UInt64, seed: UInt64) -> UInt64 {
        StableHash.finalize(stableHash ^ seed)
    }

    @inline(__always)
    func keyedHash(_ tenant: TenantID) -> UInt64 {
        Self.keyedHash(tenant.stableHash, seed: seed)
    }

    func keyedHash(_ key: String) -> UInt64 {
        Self.keyedHash(StableHash.hash(key), seed: seed)
    }

    var buckets: [UInt32] = []
    var entries: [Entry] = []
    var overflow: [String: [Int64]] = [:]
    var sweepCursor = 0

    @inline(__always)
    func home(_ hash: UInt64) -> Int {
        Int(truncatingIfNeeded: hash >> 20) & (buckets.count - 1)
    }

    /// The bucket holding `key`, or the empty bucket where it would go (-1 when there are no buckets).
    func find(_ key: String, hash: UInt64) -> (bucket: Int, slot: Int?) {
        guard !buckets.isEmpty else { return (-1, nil) }
        let mask = buckets.count - 1
        var index = home(hash)
        while true {
            let value = buckets[index]
            if value == 0 { return (index, nil) }
            if entries[Int(value) - 1].key == key { return (index, Int(value) - 1) }
            index = (index + 1) & mask
        }
    }

    /// Runs `body` on the tenant's state and stores what it leaves.
    /// - Parameter hash: `keyedHash(tenant)`, which the store has already computed to pick the shard.
    // Inlined into the caller with its body, so a decision is returned in registers rather than written
    // field by field and read back in 16-byte chunks (a failed store forward).
    @inline(__always)
    mutating func update<R>(
        _ tenant: TenantID, hash: UInt64, nowSeconds: Int64, _ body: (inout QuotaState) -> R
    ) -> R {
        var state = QuotaState()
        let slot = find(tenant.rawValue, hash: hash).slot
        if let slot {
            let entry = entries[slot]
            if entry.expiresAt > nowSeconds {
                state.shape = UInt32(truncatingIfNeeded: entry.meta) & 0x7FFF_FFFF
                state.expiresAt = UInt32(truncatingIfNeeded: entry.meta >> 32)
                state[0] = entry.w0
                state[1] = entry.w1
                state[2] = entry.w2
                state.wordCount = Self.inlineWords
                if entry.hasOverflow, let extra = overflow[entry.key] {
                    for (index, word) in extra.enumerated() { state[Self.inlineWords + index] = word }
                    state.wordCount += extra.count
                }
            }
        }
        let result = body(&state)
        if state.isEmpty || Int64(state.expiresAt) <= nowSeconds {
            if let slot { remove(slot: slot) }
        } else if let slot {
            store(state, at: slot)
        } else {
            insert(tenant, state, nowSeconds: nowSeconds)
        }
        return result
    }

    /// ``update(_:hash:nowSeconds:_:)`` for layouts that fit the entry: no ``QuotaState``. An entry with
    /// overflow words belongs to a larger layout; they are dropped when the words are replaced, and kept when
    /// the update leaves the words as they were (a rejected call), as the ``QuotaState`` path keeps them.
    @inline(__always)
    mutating func updateInline<Update: InlineWordsUpdate>(
        _ tenant: TenantID, hash: UInt64, nowSeconds: Int64, _ update: Update
    ) -> Update.Result {
        var state = InlineQuotaWords()
        let slot = find(tenant.rawValue, hash: hash).slot
        if let slot {
            let meta = entries[slot].meta
            if Int64(meta >> 32) > nowSeconds {
                state.shape = UInt32(truncatingIfNeeded: meta) & 0x7FFF_FFFF
                state.expiresAt = UInt32(truncatingIfNeeded: meta >> 32)
                state.w0 = entries[slot].w0
                state.w1 = entries[slot].w1
                state.w2 = entries[slot].w2
            }
        }
        let before = state
        let result = update.apply(to: &state)
        if state.shape == 0 || Int64(state.expiresAt) <= nowSeconds {
            if let slot { remove(slot: slot) }
        } else if let slot {
            guard state != before else { return result }
            if entries[slot].hasOverflow { overflow[entries[slot].key] = nil }
            Self.write(state, into: &entries[slot])
        } else {
            insertInline(tenant, state, nowSeconds: nowSeconds)
        }
        return result
    }

    /// Inserts a new tenant's inline words.
    // Out of line: the `QuotaState` it builds is 224 bytes, and inlined it grew every decision's frame.
    @inline(never)
    private mutating func insertInline(_ tenant: TenantID, _ state: InlineQuotaWords, nowSeconds: Int64) {
        var full = QuotaState()
        full.shape = state.shape
        full.expiresAt = state.expiresAt
        full[0] = state.w0
        full[1] = state.w1
        full[2] = state.w2
        full.wordCount = InlineQuotaWords.capacity
        insert(tenant, full, nowSeconds: nowSeconds)
    }

    /// One access to the entry for all four fields: each `entries[slot].field = ...` checked uniqueness
    /// and bounds again, in calls of their own.
    @inline(__always)
    private static func write(_ state: InlineQuotaWords, into entry: inout Entry) {
        entry.meta = UInt64(state.expiresAt) << 32 | UInt64(state.shape & 0x7FFF_FFFF)
        entry.w0 = state.w0
        entry.w1 = state.w1
        entry.w2 = state.w2
    }

    @inline(__always)
    private mutating func store(_ state: borrowing QuotaState, at slot: Int) {
        let count = min(state.wordCount, QuotaState.capacity)
        var meta = UInt64(state.expiresAt) << 32 | UInt64(state.shape & 0x7FFF_FFFF)
        if count > Self.inlineWords {
            meta |= Entry.overflowBit
            overflow[entries[slot].key] = (Self.inlineWords..<count).map { state[$0] }
        } else if entries[slot].hasOverflow {
            overflow[entries[slot].key] = nil
        }
        entries[slot].meta = meta
        entries[slot].w0 = state[0]
        entries[slot].w1 = state[1]
        entries[slot].w2 = state[2]
    }

    private mutating func insert(_ tenant: TenantID, _ state: QuotaState, nowSeconds: Int64) {
        sweep(nowSeconds: nowSeconds, budget: 2)
        if (entries.count + 1) * 4 > buckets.count * 3 {
            sweepAll(nowSeconds: nowSeconds)
            // Grow unless the sweep left the index at most half full, so a sweep that frees little is not
            // repeated on every insert.
            if (entries.count + 1) * 2 > buckets.count {
                resize(to: max(Self.minimumCapacity, buckets.count * 2))
            }
        }
        entries.append(Entry(key: tenant.rawValue, meta: 0, w0: 0, w1: 0, w2: 0))
        let slot = entries.count - 1
        buckets[find(tenant.rawValue, hash: keyedHash(tenant)).bucket] = UInt32(slot + 1)
        store(state, at: slot)
    }

    /// Removes the entry in `slot`: backward-shift deletion in the index, then the last entry moves into
    /// the hole so the entries stay dense.
    mutating func remove(slot: Int) {
        let key = entries[slot].key
        if entries[slot].hasOverflow { overflow[key] = nil }
        let mask = buckets.count - 1
        var hole = home(keyedHash(key))
        while buckets[hole] != UInt32(slot + 1) { hole = (hole + 1) & mask }
        var next = hole
        while true {
            next = (next + 1) & mask
            let value = buckets[next]
            if value == 0 { break }
            let ideal = home(keyedHash(entries[Int(value) - 1].key))
            if (hole &- ideal) & mask <= (next &- ideal) & mask {
                buckets[hole] = value
                hole = next
            }
        }
        buckets[hole] = 0

        let last = entries.count - 1
        if slot != last {
            let moved = entries[last]
            var bucket = home(keyedHash(moved.key))
            while buckets[bucket] != UInt32(last + 1) { bucket = (bucket + 1) & mask }
            buckets[bucket] = UInt32(slot + 1)
            entries[slot] = moved
        }
        entries.removeLast()
    }

    /// Examines up to `budget` entries from a rotating cursor and removes the expired ones.
    private mutating func sweep(nowSeconds: Int64, budget: Int) {
        for _ in 0..<budget where !entries.isEmpty {
            if sweepCursor >= entries.count { sweepCursor = 0 }
            if entries[sweepCursor].expiresAt <= nowSeconds {
                remove(slot: sweepCursor)
            } else {
                sweepCursor += 1
            }
        }
    }

    /// Removes every expired entry and shrinks a sparse index; returns how many were removed.
    @discardableResult
    mutating func sweepAll(nowSeconds: Int64) -> Int {
        let before = entries.count
        var slot = 0
        while slot < entries.count {
            if entries[slot].expiresAt <= nowSeconds {
                remove(slot: slot)
            } else {
                slot += 1
            }
        }
        if buckets.count > Self.minimumCapacity && entries.count * 8 < buckets.count {
            var capacity = Self.minimumCapacity
            while capacity < entries.count * 2 { capacity <<= 1 }
            resize(to: capacity)
            var compact: [Entry] = []
            compact.reserveCapacity(entries.count)
            compact.append(contentsOf: entries)
            entries = compact
        }
        return before - entries.count
    }

    private mutating func resize(to capacity: Int) {
        buckets = Array(repeating: 0, count: capacity)
        let mask = capacity - 1
        for (slot, entry) in entries.enumerated() {
            var index = home(keyedHash(entry.key))
            while buckets[index] != 0 { index = (index + 1) & mask }
            buckets[index] = UInt32(slot + 1)
        }
    }
}
