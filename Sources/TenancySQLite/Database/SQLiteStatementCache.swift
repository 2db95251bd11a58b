/// The prepared statements of one connection, keyed by SQL text and bounded by count, least recently used
/// evicted first.
///
/// Small by design (tens of entries: the distinct SQL texts an application runs), so eviction scans for
/// the oldest use stamp instead of keeping a linked list. Evicting drops the cache's reference; a statement
/// still in use by a caller is finalized when that caller lets go of it.
struct SQLiteStatementCache {
    /// Counters since the connection opened.
    struct Statistics: Hashable, Sendable {
        /// Lookups that found a prepared statement.
        var hits: UInt64 = 0
        /// Lookups that had to prepare.
        var misses: UInt64 = 0
        /// Statements dropped to make room.
        var evictions: UInt64 = 0
    }

    private struct Entry {
        var statement: SQLiteStatement
        var lastUse: UInt64
    }

    /// The most statements kept; 0 disables caching.
    let capacity: Int
    private var entries: [String: Entry] = [:]
    private var clock: UInt64 = 0
    private(set) var statistics = Statistics()

    init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    var count: Int { entries.count }

    /// The cached statement for `sql`, marked as most recently used; `nil` on a miss.
    mutating func statement(for sql: String) -> SQLiteStatement? {
        clock &+= 1
        guard let entry = entries[sql] else {
            statistics.misses &+= 1
            return nil
        }
        entries[sql]?.lastUse = clock
        statistics.hits &+= 1
        return entry.statement
    }

    /// Caches `statement` under its SQL, evicting the least recently used entry when full.
    mutating func insert(_ statement: SQLiteStatement) {
        guard capacity > 0 else { return }
        clock &+= 1
        if entries[statement.sql] == nil, entries.count >= capacity,
            let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse })?.key
        {
            entries[oldest] = nil
            statistics.evictions &+= 1
        }
        entries[statement.sql] = Entry(statement: statement, lastUse: clock)
    }

    /// Drops every statement (they are finalized once no caller holds them).
    mutating func removeAll() {
        entries.removeAll()
    }
}
