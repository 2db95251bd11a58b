import Tenancy

/// The children of one family, keyed by label values, behind one short-held mutex.
///
/// A lookup hashes the values outside any lock (a seeded ``ByteHash`` of the bytes, inline for up to three
/// values) and holds the mutex only for the ``ProbeTable`` probe. The sorted list a scrape needs is cached and
/// rebuilt, outside the lock, only after a child was added or removed, so a steady-state scrape neither
/// sorts nor blocks recorders for longer than an array copy.
final class ChildStore<Child: FamilyChild>: Sendable {
    private struct State: Sendable {
        var children = ProbeTable<LabelValues, Child>()
        /// The children in exposition order; `nil` after a change.
        var sorted: [Child]? = []
        /// Bumped on every change, so a sort that raced a change is not cached.
        var generation: UInt64 = 0
    }

    private let state = Synchronized(State())
    private let seed = ByteHash.randomSeed()

    /// The child with `key`, if it exists. Hot path: hashing outside the lock, then one uncontended lock
    /// and a probe; no allocation.
    @inline(__always)
    func existing(_ key: LabelValues) -> Child? {
        let hash = key.hash(seed: seed)
        return state.withLock { $0.children.find(hash) { $0 == key } }
    }

    /// The child with `key`, created by `make` (under the lock) when absent.
    func getOrInsert(_ key: LabelValues, _ make: () -> Child) -> Child {
        let hash = key.hash(seed: seed)
        return state.withLock { state in
            if let found = state.children.find(hash, { $0 == key }) { return found }
            let child = make()
            state.children.insert(hash, key: key, value: child)
            state.sorted = nil
            state.generation &+= 1
            return child
        }
    }

    /// Removes every child `predicate` selects.
    /// - Returns: How many were removed.
    @discardableResult
    func removeAll(where predicate: @Sendable (Child) -> Bool) -> Int {
        state.withLock { state in
            let removed = state.children.removeAll { predicate($1) }
            guard removed > 0 else { return 0 }
            state.sorted = nil
            state.generation &+= 1
            return removed
        }
    }

    /// The number of children.
    var count: Int {
        state.withLock { $0.children.count }
    }

    /// The children sorted by label values, byte-wise, value by value.
    func sorted() -> [Child] {
        let (cached, unsorted, generation) = state.withLock { state -> ([Child]?, [Child], UInt64) in
            if let sorted = state.sorted { return (sorted, [], state.generation) }
            return (nil, state.children.allValues, state.generation)
        }
        if let cached { return cached }
        let sorted = unsorted.sorted { LabelValues.precedes($0.series.values, $1.series.values) }
        state.withLock { state in
            if state.generation == generation { state.sorted = sorted }
        }
        return sorted
    }
}
