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
        self.storage = Synchronized(Storage(entries: ExpiringLRU(capacity: capacity)))
    }

    /// The value stored under `key`, which becomes the most recently used entry. Never throws.
    /// - Parameter key: The key.
    /// - Returns: The value, or `nil` when it is missing or has expired (an expired entry is removed).
    public func get(_ key: String) -> Value? {
        storage.withLock { storage in
            switch storage.entries.lookup(key, now: clock.now.nanosecondsSinceEpoch) {
            case .hit(let value):
                storage.statistics.hits &+= 1
                return value
            case .expired:
                storage.statistics.expirations &+= 1
                storage.statistics.misses &+= 1
                return nil
            case .miss:
                storage.statistics.misses &+= 1
                return nil
            }
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
        var expiresAt = Int64.max  // never
        if let timeToLive {
            guard let nanoseconds = timeToLive.positiveNanoseconds else {
                throw TenancyError.nonPositiveTimeToLive(timeToLive)
            }
            // Saturates, so an entry that outlives the representable range simply never expires.
            expiresAt = clock.now.nanosecondsSinceEpoch.addingSaturated(nanoseconds)
        }
        storage.withLock { storage in
            if storage.entries.insert(key, value, expiresAt: expiresAt) {
                storage.statistics.evictions &+= 1
            }
        }
    }

    /// Removes the value stored under `key`, if any. Never throws.
    /// - Parameter key: The key.
    public func remove(_ key: String) {
        storage.withLock { $0.entries.remove(key) }
    }

    /// Removes every entry; the statistics are kept.
    public func removeAll() {
        storage.withLock { $0.entries.removeAll() }
    }

    /// Removes every entry whose time to live has passed, in one pass over the entries.
    /// - Returns: How many entries were removed.
    @discardableResult
    public func removeExpired() -> Int {
        let now = clock.now.nanosecondsSinceEpoch
        return storage.withLock { storage in
            let removed = storage.entries.removeExpired(now: now)
            storage.statistics.expirations &+= UInt64(removed)
            return removed
        }
    }

    /// The number of entries held, including expired ones not yet dropped.
    public var count: Int {
        storage.withLock { $0.entries.count }
    }

    /// Hits, misses, evictions and expirations since the cache was created.
    public var statistics: CacheStatistics {
        storage.withLock { $0.statistics }
    }

    /// The keys from the most to the least recently used, for tests.
    var keysByRecency: [String] {
        storage.withLock { $0.entries.keysByRecency }
    }

    /// The entries (the recency list is ``ExpiringLRU``, shared with the SQLite config store's cache) and
    /// the counters, behind one lock.
    private struct Storage {
        var entries: ExpiringLRU<String, Value>
        var statistics = CacheStatistics()
    }
}
