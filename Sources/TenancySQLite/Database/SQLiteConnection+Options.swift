extension SQLiteConnection {
    /// How a connection is opened. The hardening (defensive mode, no extension loading, untrusted schema,
    /// foreign keys, no double-quoted string literals, no `ATTACH`) is not optional.
    public struct Options: Sendable, Hashable {
        /// How long a statement waits for another connection's lock before failing with
        /// ``SQLiteError/Code/busy``; 5 seconds by default, at most `Int32.max` milliseconds.
        public var busyTimeout: Duration
        /// How hard commits are pushed to disk; ``Synchronous/full`` by default.
        public var synchronous: Synchronous
        /// Whether the connection refuses every write (`PRAGMA query_only`), as the readers of a
        /// ``SQLiteDatabase`` do.
        public var isQueryOnly: Bool
        /// Whether a missing database file is created; `true` by default.
        public var createsFile: Bool
        /// How many prepared statements ``SQLiteConnection/withStatement(_:_:)`` keeps, by SQL text;
        /// 64 by default, 0 disables the cache.
        public var statementCacheCapacity: Int

        /// Creates options.
        /// - Parameters:
        ///   - busyTimeout: How long to wait for another connection's lock.
        ///   - synchronous: How hard commits are pushed to disk.
        ///   - isQueryOnly: Whether the connection refuses writes.
        ///   - createsFile: Whether a missing file is created.
        ///   - statementCacheCapacity: How many prepared statements are kept.
        public init(
            busyTimeout: Duration = .seconds(5), synchronous: Synchronous = .full, isQueryOnly: Bool = false,
            createsFile: Bool = true, statementCacheCapacity: Int = 64
        ) {
            self.busyTimeout = busyTimeout
            self.synchronous = synchronous
            self.isQueryOnly = isQueryOnly
            self.createsFile = createsFile
            self.statementCacheCapacity = statementCacheCapacity
        }

        /// The busy timeout in whole milliseconds, clamped to what `sqlite3_busy_timeout` takes.
        var busyTimeoutMilliseconds: Int32 {
            let (seconds, attoseconds) = busyTimeout.components
            guard seconds >= 0 else { return 0 }
            let milliseconds = Int128(seconds) * 1_000 + Int128(attoseconds / 1_000_000_000_000_000)
            return Int32(clamping: milliseconds)
        }
    }

    /// `PRAGMA synchronous` in WAL mode.
    public enum Synchronous: String, Sendable, Hashable, CaseIterable {
        /// Every commit is durable, even across power loss: the WAL is synced on each commit.
        case full = "FULL"
        /// Commits survive a process crash (including `SIGKILL`) but the last ones may roll back after a
        /// power loss or OS crash; the WAL is synced only at checkpoints. Faster writes.
        case normal = "NORMAL"
    }

    /// How a transaction takes its locks (`BEGIN DEFERRED | IMMEDIATE | EXCLUSIVE`).
    public enum TransactionKind: String, Sendable, Hashable, CaseIterable {
        /// Locks are taken by the first read or write; a read transaction that later writes can fail with
        /// ``SQLiteError/Code/busy`` without waiting. Use for read-only transactions.
        case deferred = "DEFERRED"
        /// The write lock is taken at `BEGIN` (waiting up to the busy timeout), so the body never fails
        /// halfway for a lock. Use for every transaction that writes.
        case immediate = "IMMEDIATE"
        /// As immediate; in WAL mode the same.
        case exclusive = "EXCLUSIVE"
    }
}
