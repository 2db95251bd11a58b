import Dispatch
import Tenancy

/// A database file shared across threads: one writer connection and a small pool of reader connections,
/// in WAL mode so readers never block the writer and the writer never blocks readers.
///
/// ## Threading model
/// - **One writer.** ``write(_:)`` runs its body with the writer connection while holding the writer's
///   lock (`Synchronized`, a pthread mutex), so writes of this process are serialised here instead of
///   spinning on SQLite's file lock. Writes of *other* processes are serialised by SQLite's lock and the
///   busy timeout.
/// - **N readers.** ``read(_:)`` checks out an idle reader connection (opened `query_only`) for the length
///   of its body; a counting semaphore makes callers wait when all are in use. A reader is used by one
///   thread at a time and handed between threads through the pool's lock, which orders every access.
/// - With `readerCount` 0, reads use the writer.
///
/// Both locks are held across SQLite calls, which may wait on the disk or, for the writer, up to the busy
/// timeout on another process. Do not call ``write(_:)`` or ``read(_:)`` from inside a body (the writer
/// lock is not recursive), and do not let a connection escape its body.
public final class SQLiteDatabase: Sendable {
    /// How the database is opened.
    public struct Configuration: Sendable, Hashable {
        /// Options of the writer; readers use the same with ``SQLiteConnection/Options/isQueryOnly`` set.
        public var connection: SQLiteConnection.Options
        /// How many reader connections to keep, 0-64; 2 by default.
        public var readerCount: Int

        /// Creates a configuration.
        /// - Parameters:
        ///   - connection: Options of the writer.
        ///   - readerCount: How many reader connections to keep.
        public init(connection: SQLiteConnection.Options = .init(), readerCount: Int = 2) {
            self.connection = connection
            self.readerCount = readerCount
        }
    }

    /// A connection handed between threads through a lock. `@unchecked Sendable` is sound: connections
    /// are opened `SQLITE_OPEN_NOMUTEX`, which lets SQLite use a connection from any thread as long as
    /// only one uses it at a time, and a `PooledConnection` is only reached under the writer's lock or
    /// after being popped from the reader pool under its lock, by the one thread that checked it out.
    private struct PooledConnection: @unchecked Sendable {
        let connection: SQLiteConnection
    }

    private struct ReaderPool {
        var idle: [PooledConnection] = []
        var isClosed = false
    }

    /// The path of the database file.
    public let path: String
    private let writer: Synchronized<PooledConnection?>
    private let readers: Synchronized<ReaderPool>
    private let readerSlots: DispatchSemaphore
    private let readerCount: Int

    /// Opens the writer and the readers, creating the file when it is missing.
    /// - Parameters:
    ///   - path: The database file.
    ///   - configuration: Connection options and the reader count.
    ///   - prepare: Runs on each connection right after it opens (the writer first), for example to
    ///     register SQL functions or an authorizer.
    /// - Throws: ``SQLiteError`` naming the path, or ``SQLiteError/Code/misuse`` for a reader count
    ///   outside 0-64.
    public init(
        path: String, configuration: Configuration = .init(),
        prepare: (@Sendable (SQLiteConnection) throws(SQLiteError) -> Void)? = nil
    ) throws(SQLiteError) {
        guard (0...64).contains(configuration.readerCount) else {
            throw SQLiteError(.misuse, "readerCount must be between 0 and 64, got \(configuration.readerCount)")
        }
        self.path = path
        let writerConnection = try SQLiteConnection(path: path, options: configuration.connection)
        try prepare?(writerConnection)
        var readerOptions = configuration.connection
        readerOptions.isQueryOnly = true
        readerOptions.createsFile = false
        var pool = ReaderPool()
        for _ in 0..<configuration.readerCount {
            let reader = try SQLiteConnection(path: path, options: readerOptions)
            try prepare?(reader)
            pool.idle.append(PooledConnection(connection: reader))
        }
        writer = Synchronized(PooledConnection(connection: writerConnection))
        readers = Synchronized(pool)
        readerCount = configuration.readerCount
        readerSlots = DispatchSemaphore(value: configuration.readerCount)
    }

    /// Runs `body` with exclusive use of the writer connection. Put its writes in a
    /// ``SQLiteConnection/transaction(_:_:)`` (immediate, the default); a body that leaves a transaction
    /// open has it rolled back and gets an error, so the write lock is never held past the body.
    /// - Parameter body: The work.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws, or ``SQLiteError/Code/misuse`` (converted to `E`) when the database is
    ///   closed or `body` left a transaction open.
    @discardableResult
    public func write<R, E: SQLiteErrorConvertible>(_ body: (SQLiteConnection) throws(E) -> R) throws(E) -> R {
        try writer.withLock { writer throws(E) -> R in
            guard let writer else { throw E(Self.closedError) }
            return try Self.run(body, on: writer.connection)
        }
    }

    /// Runs `body` with a reader connection (`query_only`), waiting while every reader is busy. Each
    /// statement sees the latest committed data; wrap several in a deferred
    /// ``SQLiteConnection/transaction(_:_:)`` for one consistent snapshot.
    /// - Parameter body: The work; must not write.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws, or ``SQLiteError/Code/misuse`` (converted to `E`) when the database is
    ///   closed or `body` left a transaction open.
    @discardableResult
    public func read<R, E: SQLiteErrorConvertible>(_ body: (SQLiteConnection) throws(E) -> R) throws(E) -> R {
        guard readerCount > 0 else { return try write(body) }
        readerSlots.wait()
        defer { readerSlots.signal() }
        let reader = readers.withLock { pool -> PooledConnection? in
            pool.isClosed ? nil : pool.idle.popLast()
        }
        guard let reader else { throw E(Self.closedError) }
        defer {
            readers.withLock { pool in
                if pool.isClosed { reader.connection.close() } else { pool.idle.append(reader) }
            }
        }
        return try Self.run(body, on: reader.connection)
    }

    /// Closes every connection; idempotent. Bodies running now finish first (readers are closed when
    /// returned); later calls throw ``SQLiteError/Code/misuse``.
    public func close() {
        writer.withLock { writer in
            writer?.connection.close()
            writer = nil
        }
        readers.withLock { pool in
            pool.isClosed = true
            for reader in pool.idle { reader.connection.close() }
            pool.idle.removeAll()
        }
    }

    /// Whether ``close()`` was called.
    public var isClosed: Bool {
        writer.withLock { $0 == nil }
    }

    private static var closedError: SQLiteError { SQLiteError(.misuse, "the database is closed") }

    private static func run<R, E: SQLiteErrorConvertible>(
        _ body: (SQLiteConnection) throws(E) -> R, on connection: SQLiteConnection
    ) throws(E) -> R {
        let result: R
        do {
            result = try body(connection)
        } catch {
            connection.rollbackIfActive()
            throw error
        }
        guard !connection.isInTransaction else {
            connection.rollbackIfActive()
            throw E(SQLiteError(.misuse, "the body left a transaction open; it was rolled back"))
        }
        return result
    }
}
