/// An in-memory cache bounded by entry count that evicts the least recently used entry when full, with
/// optional per-entry expiry on an injected ``TenancyClock``.
///
/// `get`, `set` and `remove` are O(1): a dictionary from key to slot over a dense array of entries that
/// are threaded on an intrusive doubly linked recency list by array index, with freed slots reused, so
/// the array never grows past `capacity`. Every operation takes one lock; the clock is read only for
/// entries that have a time to live. Expired entries are dropped when they are looked up, when they
/// reach the least-recent end, or by ``removeExpired()``.
///
/// Keys are compared with Swift `String` equality, so canonically equivalent spellings (`"é"` and
/// `"e\u{301}"`) are the same key.
public final class LRUCache<Value: Sendable>: TenantCache {
    /// The most entries the cache holds.
    public let capacity: Int
    private let clock: any TenancyClock
    private let storage: Synchronized<Storage>

    /// Creates an empty cache.
    /// - Parameters:
    ///   - capacity: The most entries the cache holds; at least 1. Memory is allocated as entries arrive.
    ///   - clock: The clock that times entry expiry.
    /// - Throws: ``TenancyError`` with code ``TenancyError/Code/invalidArgument`` when `capacity` is below 1.
    public init(capacity: Int, clock: any TenancyClock = SystemClock()) throws(TenancyError) {
        guard capacity >= 1 else {
            throw TenancyError(.invalidArgument, "cache capacity must be at least 1; got \(capacity)")
        }
        self.capacity = capacity
        self.clock = clock
        self.storage = Synchronized(Storage())
    }

    /// The value stored under `key`, which becomes the most recently used entry. Never throws.
    /// - Parameter key: The key.
    /// - Returns: The value, or `nil` when it is missing or has expired (an expired entry is removed).
    public func get(_ key: String) -> Value? {
        storage.withLock { storage in
            guard let slot = storage.index[key] else {
                storage.statistics.misses &+= 1
                return nil
            }
            let expiresAt = storage.nodes[slot].expiresAt
            if expiresAt != Storage.never, clock.now.nanosecondsSinceEpoch >= expiresAt {
                storage.release(slot)
                storage.statistics.expirations &+= 1
                storage.statistics.misses &+= 1
                return nil
            }
            storage.moveToFront(slot)
            storage.statistics.hits &+= 1
            return storage.nodes[slot].value
        }
    }

    /// Stores `value` under `key` as the most recently used entry, evicting the least recently used entry
    /// when the cache is full.
    /// - Parameters:
    ///   - key: The key.
    ///   - value: The value.
    ///   - timeToLive: How long the entry lives, at least one nanosecond; `nil` keeps it until it is
    ///     removed or evicted.
    /// - Throws: ``TenancyError`` with code ``TenancyError/Code/invalidArgument`` when `timeToLive` is not
    ///   positive; the cache is then unchanged.
    public func set(_ key: String, to value: Value, timeToLive: Duration? = nil) throws(TenancyError) {
        var expiresAt = Storage.never
        if let timeToLive {
            guard let nanoseconds = timeToLive.positiveNanoseconds else {
                throw TenancyError.nonPositiveTimeToLive(timeToLive)
            }
            // Saturates, so an entry that outlives the representable range simply never expires.
            expiresAt = clock.now.nanosecondsSinceEpoch.addingSaturated(nanoseconds)
        }
        storage.withLock { storage in
            if let slot = storage.index[key] {
                storage.nodes[slot].value = value
                storage.nodes[slot].expiresAt = expiresAt
                storage.moveToFront(slot)
                return
            }
            if storage.index.count >= capacity {
                storage.release(storage.tail)
                storage.statistics.evictions &+= 1
            }
            storage.insertAtFront(key: key, value: value, expiresAt: expiresAt)
        }
    }

    /// Removes the value stored under `key`, if any. Never throws.
    /// - Parameter key: The key.
    public func remove(_ key: String) {
        storage.withLock { storage in
            if let slot = storage.index[key] {
                storage.release(slot)
            }
        }
    }

    /// Removes every entry; the statistics are kept.
    public func removeAll() {
        storage.withLock { storage in
            let statistics = storage.statistics
            storage = Storage()
            storage.statistics = statistics
        }
    }

    /// Removes every entry whose time to live has passed, in one pass over the entries.
    /// - Returns: How many entries were removed.
    @discardableResult
    public func removeExpired() -> Int {
        let now = clock.now.nanosecondsSinceEpoch
        return storage.withLock { storage in
            var removed = 0
            var slot = storage.head
            while slot != Storage.end {
                let next = storage.nodes[slot].next
                let expiresAt = storage.nodes[slot].expiresAt
                if expiresAt != Storage.never, now >= expiresAt {
                    storage.release(slot)
                    removed += 1
                }
                slot = next
            }
            storage.statistics.expirations &+= UInt64(removed)
            return removed
        }
    }

    /// The number of entries held, including expired ones not yet dropped.
    public var count: Int {
        storage.withLock { $0.index.count }
    }

    /// Hits, misses, evictions and expirations since the cache was created.
    public var statistics: CacheStatistics {
        storage.withLock { $0.statistics }
    }

    /// The keys from the most to the least recently used, for tests.
    var keysByRecency: [String] {
        storage.withLock { storage in
            var keys: [String] = []
            var slot = storage.head
            while slot != Storage.end {
                keys.append(storage.nodes[slot].key)
                slot = storage.nodes[slot].next
            }
            return keys
        }
    }

    /// The entries, their recency list and the free list. Only touched under the lock.
    private struct Storage {
        struct Node {
            var key: String
            var value: Value?
            /// Nanoseconds since the epoch, or ``Storage/never``.
            var expiresAt: Int64
            /// The more recently used neighbour; also unused in free slots.
            var previous: Int
            /// The less recently used neighbour, or the next free slot.
            var next: Int
        }

        /// The end of a list.
        static var end: Int { -1 }
        /// The expiry of an entry without a time to live.
        static var never: Int64 { .max }

        var index: [String: Int] = [:]
        var nodes: [Node] = []
        /// The most recently used slot.
        var head = Storage.end
        /// The least recently used slot.
        var tail = Storage.end
        /// The first slot of the free list, threaded through `next`.
        var free = Storage.end
        var statistics = CacheStatistics()

        mutating func insertAtFront(key: String, value: Value, expiresAt: Int64) {
            let node = Node(key: key, value: value, expiresAt: expiresAt, previous: Self.end, next: Self.end)
            let slot: Int
            if free != Self.end {
                slot = free
                free = nodes[slot].next
                nodes[slot] = node
            } else {
                slot = nodes.count
                nodes.append(node)
            }
            index[key] = slot
            linkAtFront(slot)
        }

        /// Unlinks `slot`, forgets its key and puts it on the free list, dropping its key and value.
        mutating func release(_ slot: Int) {
            unlink(slot)
            index[nodes[slot].key] = nil
            nodes[slot].key = ""
            nodes[slot].value = nil
            nodes[slot].next = free
            free = slot
        }

        mutating func moveToFront(_ slot: Int) {
            guard slot != head else { return }
            unlink(slot)
            linkAtFront(slot)
        }

        private mutating func unlink(_ slot: Int) {
            let previous = nodes[slot].previous
            let next = nodes[slot].next
            if previous != Self.end { nodes[previous].next = next } else { head = next }
            if next != Self.end { nodes[next].previous = previous } else { tail = previous }
            nodes[slot].previous = Self.end
            nodes[slot].next = Self.end
        }

        private mutating func linkAtFront(_ slot: Int) {
            nodes[slot].previous = Self.end
            nodes[slot].next = head
            if head != Self.end { nodes[head].previous = slot } else { tail = slot }
            head = slot
        }
    }
}
