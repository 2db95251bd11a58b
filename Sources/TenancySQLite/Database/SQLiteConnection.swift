import CSQLite

/// One SQLite database connection, opened hardened: WAL journal, busy timeout, foreign keys on,
/// `trusted_schema` off, defensive mode on, extension loading off, the pointer-taking `fts3_tokenizer()`
/// off, double-quoted string literals off, `ATTACH` disabled and file names never read as URIs.
///
/// ## Threading
/// A connection is **not** thread-safe and is not `Sendable`. It is opened with `SQLITE_OPEN_NOMUTEX`
/// (SQLite's "multi-thread" mode): SQLite takes no lock of its own per call, because the owner already
/// guarantees that one thread at a time uses the connection. ``SQLiteDatabase`` is that owner: it keeps one
/// writer behind a lock and a pool of readers that are checked out one thread at a time. Taking SQLite's
/// `FULLMUTEX` as well would pay a second lock on every call for nothing, and a lock that spans a whole
/// transaction has to live outside SQLite anyway.
///
/// ## Statements
/// ``prepare(_:)`` compiles exactly one statement (trailing statements are refused, so a value spliced into
/// SQL cannot smuggle a second one); ``withStatement(_:_:)``, ``execute(_:_:)`` and ``query(_:_:_:)`` reuse
/// prepared statements from a bounded cache keyed by SQL text. ``executeScript(_:)`` is the only API that
/// runs several statements, for migrations.
///
/// ## Errors
/// Every failure is a ``SQLiteError`` with SQLite's extended result code and `sqlite3_errmsg`; nothing
/// traps. After ``close()`` every call throws ``SQLiteError/Code/misuse``.
public final class SQLiteConnection {
    /// The path the connection was opened with.
    public let path: String
    /// The options the connection was opened with.
    public let options: Options
    /// `nil` once closed.
    private(set) var handle: OpaquePointer?
    var statementCache: SQLiteStatementCache
    /// Nesting depth of ``savepoint(_:)``, which names each level.
    var savepointDepth = 0
    /// Keeps the authorizer closure alive while SQLite holds a pointer to it.
    var authorizer: SQLiteAuthorizerBox?
    /// The tenant isolation state, on connections of a tenant data store.
    var isolation: ConnectionIsolation?

    /// Opens (and by default creates) the database at `path` and applies the hardening.
    /// - Parameters:
    ///   - path: A file path, or `:memory:` for a private in-memory database. URIs are not interpreted: a
    ///     relative path that starts with `file:` names a file of that name.
    ///   - options: How to open it.
    /// - Throws: ``SQLiteError`` naming the path: ``SQLiteError/Code/cannotOpen`` for a missing directory
    ///   or an unwritable location, ``SQLiteError/Code/notADatabase`` for a file that is not a database.
    public init(path: String, options: Options = Options()) throws(SQLiteError) {
        self.path = path
        self.options = options
        self.statementCache = SQLiteStatementCache(capacity: options.statementCacheCapacity)
        var flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        if options.createsFile { flags |= SQLITE_OPEN_CREATE }
        var opened: OpaquePointer?
        let result = sqlite3_open_v2(Self.filename(for: path), &opened, flags, nil)
        guard result == SQLITE_OK, let opened else {
            let error = SQLiteError.from(result, on: opened)
            sqlite3_close_v2(opened)
            throw SQLiteError(error.code, "cannot open the database at '\(path)': \(error.message)")
        }
        handle = opened
        do {
            try configure(opened)
        } catch {
            close()
            throw SQLiteError(error.code, "cannot configure the database at '\(path)': \(error.message)")
        }
    }

    deinit {
        close()
    }

    /// Whether the connection is open.
    public var isOpen: Bool { handle != nil }

    /// Closes the connection; idempotent. Cached statements are finalized; statements a caller still holds
    /// keep the connection a zombie (`sqlite3_close_v2`) until they are released, and throw
    /// ``SQLiteError/Code/misuse`` if used.
    public func close() {
        guard let handle else { return }
        statementCache.removeAll()
        self.handle = nil
        // A zombie connection (statements still held) must not call back into a released closure.
        sqlite3_set_authorizer(handle, nil, nil)
        sqlite3_close_v2(handle)
        authorizer = nil
    }

    // MARK: - Statements

    /// Prepares one statement, outside the cache; the caller owns it.
    /// - Parameter sql: Exactly one SQL statement; a trailing `;`, whitespace and comments are allowed.
    /// - Returns: The statement.
    /// - Throws: ``SQLiteError``: SQLite's syntax or authorization error, or ``SQLiteError/Code/misuse``
    ///   when `sql` holds no statement or more than one.
    public func prepare(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        try prepare(sql, persistent: false)
    }

    /// Runs `body` with the cached prepared statement for `sql` (preparing and caching it on first use),
    /// then resets it and clears its bindings. A nested use of the same SQL gets a fresh statement.
    /// - Parameters:
    ///   - sql: Exactly one SQL statement.
    ///   - body: Binds, steps and reads; must not keep the statement.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws, or the preparation error converted to `E`.
    @discardableResult
    public func withStatement<R, E: SQLiteErrorConvertible>(
        _ sql: String, _ body: (SQLiteStatement) throws(E) -> R
    ) throws(E) -> R {
        let statement: SQLiteStatement
        let cached = statementCache.statement(for: sql)
        if let cached, !cached.isInUse {
            statement = cached
        } else {
            do {
                statement = try prepare(sql, persistent: true)
            } catch {
                throw E(error)
            }
        }
        // A statement prepared because the cached one is busy is used once and dropped.
        let shouldCache = cached == nil
        statement.isInUse = true
        defer {
            statement.reset()
            statement.clearBindings()
            statement.isInUse = false
            if shouldCache && isOpen { statementCache.insert(statement) }
        }
        return try body(statement)
    }

    /// Runs one statement to completion with `values` bound to its parameters, through the statement cache.
    /// - Parameters:
    ///   - sql: Exactly one SQL statement.
    ///   - values: One value per parameter.
    /// - Returns: The number of rows the statement itself inserted, updated or deleted (not counting rows
    ///   changed by triggers or foreign-key actions); 0 for other statements.
    /// - Throws: ``SQLiteError``.
    @discardableResult
    public func execute(_ sql: String, _ values: [SQLiteValue] = []) throws(SQLiteError) -> Int {
        try withStatement(sql) { statement throws(SQLiteError) in
            let before = handle.map { sqlite3_total_changes64($0) } ?? 0
            try statement.execute(values)
            let after = handle.map { sqlite3_total_changes64($0) } ?? 0
            return after == before ? 0 : changes
        }
    }

    /// Runs a query through the statement cache and maps each row.
    /// - Parameters:
    ///   - sql: Exactly one SQL statement.
    ///   - values: One value per parameter.
    ///   - row: Reads the current row from the statement.
    /// - Returns: The mapped rows, in order.
    /// - Throws: What `row` throws, or the statement's error converted to `E`.
    public func query<T, E: SQLiteErrorConvertible>(
        _ sql: String, _ values: [SQLiteValue] = [], _ row: (SQLiteStatement) throws(E) -> T
    ) throws(E) -> [T] {
        try withStatement(sql) { statement throws(E) -> [T] in
            var rows: [T] = []
            do throws(SQLiteError) {
                try statement.bind(values)
            } catch {
                throw E(error)
            }
            while true {
                let hasRow: Bool
                do throws(SQLiteError) {
                    hasRow = try statement.step()
                } catch {
                    throw E(error)
                }
                guard hasRow else { return rows }
                rows.append(try row(statement))
            }
        }
    }

    /// Runs a query through the statement cache and returns every row as values.
    /// - Parameters:
    ///   - sql: Exactly one SQL statement.
    ///   - values: One value per parameter.
    /// - Returns: The rows, each one value per column.
    /// - Throws: ``SQLiteError``.
    public func rows(_ sql: String, _ values: [SQLiteValue] = []) throws(SQLiteError) -> [[SQLiteValue]] {
        try query(sql, values) { statement throws(SQLiteError) in try statement.row() }
    }

    /// Runs every statement in `sql` in order, without parameters and outside the statement cache: for
    /// schema scripts and migrations. Stops at the first error.
    /// - Parameter sql: Zero or more statements.
    /// - Throws: ``SQLiteError`` of the first failing statement.
    public func executeScript(_ sql: String) throws(SQLiteError) {
        let handle = try openHandle()
        var message: UnsafeMutablePointer<CChar>?
        let result = sqlite3_exec(handle, sql, nil, nil, &message)
        defer { sqlite3_free(message) }
        guard result == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? SQLiteError.Code(rawValue: result).explanation
            throw SQLiteError(SQLiteError.Code(rawValue: sqlite3_extended_errcode(handle)), text)
        }
    }

    // MARK: - State

    /// Rows inserted, updated or deleted by the most recent statement that changed any.
    public var changes: Int {
        handle.map { Int(sqlite3_changes64($0)) } ?? 0
    }

    /// The rowid of the most recent successful `INSERT` on this connection.
    public var lastInsertRowID: Int64 {
        handle.map { sqlite3_last_insert_rowid($0) } ?? 0
    }

    /// Whether a transaction is open (the connection is not in autocommit mode).
    public var isInTransaction: Bool {
        handle.map { sqlite3_get_autocommit($0) == 0 } ?? false
    }

    /// `PRAGMA data_version`: changes when *another* connection commits to the database file, never for
    /// this connection's own commits. Cheap (no disk I/O when nothing changed).
    /// - Returns: An opaque value; compare it with an earlier reading.
    /// - Throws: ``SQLiteError``.
    public func dataVersion() throws(SQLiteError) -> Int64 {
        try withStatement("PRAGMA data_version") { statement throws(SQLiteError) in
            try statement.step()
            return try statement.int64(at: 0)
        }
    }

    /// How many statements the cache holds.
    package var cachedStatementCount: Int { statementCache.count }

    /// The statement cache's hits, misses and evictions.
    package var statementCacheStatistics: (hits: UInt64, misses: UInt64, evictions: UInt64) {
        let statistics = statementCache.statistics
        return (statistics.hits, statistics.misses, statistics.evictions)
    }

    /// Drops every cached statement; call after changing anything that affects how statements were
    /// authorized. ``setAuthorizer(_:)`` does it itself.
    public func clearStatementCache() {
        statementCache.removeAll()
    }

    // MARK: - Internals

    /// The name to give `sqlite3_open_v2` for `path`. Debian's SQLite is built with `SQLITE_USE_URI`, which
    /// reads any name starting with `file:` as a URI (`?vfs=`, `?mode=`, `?immutable=`); `./` in front
    /// keeps it a plain file name.
    static func filename(for path: String) -> String {
        path.hasPrefix("file:") ? "./" + path : path
    }

    func openHandle() throws(SQLiteError) -> OpaquePointer {
        guard let handle else { throw .closed }
        return handle
    }

    /// The last error SQLite reported on this connection for a call that returned `result`.
    func error(_ result: Int32) -> SQLiteError {
        SQLiteError.from(result, on: handle)
    }

    private func prepare(_ sql: String, persistent: Bool) throws(SQLiteError) -> SQLiteStatement {
        let handle = try openHandle()
        var bytes = Array(sql.utf8)
        bytes.append(0)
        let count = bytes.count
        let flags = UInt32(persistent ? SQLITE_PREPARE_PERSISTENT : 0)
        var statement: OpaquePointer?
        var trailing = 0
        let result = bytes.withUnsafeBufferPointer { buffer -> Int32 in
            buffer.withMemoryRebound(to: CChar.self) { characters -> Int32 in
                guard let base = characters.baseAddress else { return SQLITE_MISUSE }
                var tail: UnsafePointer<CChar>?
                let result = sqlite3_prepare_v3(handle, base, Int32(clamping: count), flags, &statement, &tail)
                trailing = tail.map { base.distance(to: $0) } ?? count - 1
                return result
            }
        }
        guard result == SQLITE_OK else {
            sqlite3_finalize(statement)
            throw error(result)
        }
        guard let statement else {
            throw SQLiteError(.misuse, "the SQL holds no statement")
        }
        let prepared = SQLiteStatement(sql: sql, handle: statement, connection: self)
        if trailing < count - 1 {
            try refuseTrailingStatement(Array(bytes[trailing...]), handle: handle)
        }
        return prepared
    }

    /// Throws when `tail` (NUL-terminated) holds another statement; whitespace and comments are fine.
    private func refuseTrailingStatement(_ tail: [UInt8], handle: OpaquePointer) throws(SQLiteError) {
        var next: OpaquePointer?
        let result = tail.withUnsafeBufferPointer { buffer -> Int32 in
            buffer.withMemoryRebound(to: CChar.self) { characters in
                sqlite3_prepare_v3(handle, characters.baseAddress, Int32(clamping: tail.count), 0, &next, nil)
            }
        }
        sqlite3_finalize(next)
        if result != SQLITE_OK || next != nil {
            throw SQLiteError(.misuse, "the SQL holds more than one statement; prepare them one at a time")
        }
    }

    private func configure(_ handle: OpaquePointer) throws(SQLiteError) {
        sqlite3_extended_result_codes(handle, 1)
        try check(sqlite3_busy_timeout(handle, options.busyTimeoutMilliseconds))
        try setFlag(SQLITE_DBCONFIG_DEFENSIVE, to: true, on: handle)
        try setFlag(SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, to: false, on: handle)
        try setFlag(SQLITE_DBCONFIG_TRUSTED_SCHEMA, to: false, on: handle)
        try setFlag(SQLITE_DBCONFIG_DQS_DML, to: false, on: handle)
        try setFlag(SQLITE_DBCONFIG_DQS_DDL, to: false, on: handle)
        // The two-argument fts3_tokenizer() takes a raw pointer; Debian's build enables it by default.
        try setFlag(SQLITE_DBCONFIG_ENABLE_FTS3_TOKENIZER, to: false, on: handle)
        // No ATTACH: a statement can only ever see this one database file.
        sqlite3_limit(handle, SQLITE_LIMIT_ATTACHED, 0)
        try executeScript("PRAGMA foreign_keys = ON; PRAGMA trusted_schema = OFF;")
        // Prepared outside the cache: it runs once.
        let journal = try prepare("PRAGMA journal_mode = WAL")
        let mode = try journal.step() ? try journal.value(at: 0) : .null
        guard mode == .text("wal") || mode == .text("memory") else {
            throw SQLiteError(.error, "cannot switch to WAL: journal_mode is \(mode)")
        }
        try executeScript("PRAGMA synchronous = \(options.synchronous.rawValue);")
        if options.isQueryOnly {
            try executeScript("PRAGMA query_only = ON;")
        }
    }

    private func setFlag(_ option: Int32, to enabled: Bool, on handle: OpaquePointer) throws(SQLiteError) {
        var actual: Int32 = -1
        try check(tenancy_sqlite3_db_config_int(handle, option, enabled ? 1 : 0, &actual))
        guard actual == (enabled ? 1 : 0) else {
            throw SQLiteError(.error, "sqlite3_db_config(\(option)) did not take effect")
        }
    }

    private func check(_ result: Int32) throws(SQLiteError) {
        guard result == SQLITE_OK else { throw error(result) }
    }
}
