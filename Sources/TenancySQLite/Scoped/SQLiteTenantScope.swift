import Tenancy

/// Reads and writes one tenant's rows through the query builder; see ``SQLiteTenantDataStore`` for what
/// enforces the isolation. Obtained from ``SQLiteTenantDataStore/scoped(to:)``,
/// ``SQLiteTenantDatabasePool/scoped(to:)`` or ``SQLiteShardedTenantDataStore/scoped(to:)``; every
/// operation is one statement in its own implicit transaction.
public struct SQLiteTenantScope: Sendable {
    /// The tenant whose rows this scope sees.
    public let tenant: TenantID
    let provider: any TenantStoreProvider

    /// The rows `query` selects among the tenant's rows (joined tenant tables are filtered too).
    /// - Parameter query: The query.
    /// - Returns: The rows, with column names.
    /// - Throws: ``SQLiteError``: an invalid name or negative limit (``SQLiteError/Code/error``), or
    ///   SQLite's error.
    public func select(_ query: SQLSelect) throws(SQLiteError) -> [SQLiteRow] {
        try provider.withStore(for: tenant) { store throws(SQLiteError) in try store.select(query, tenant: tenant) }
    }

    /// The rows `query` selects among the tenant's rows, each read as a `Row`.
    /// - Parameters:
    ///   - query: The query.
    ///   - type: The row type.
    /// - Returns: The values, in row order.
    /// - Throws: ``SQLiteError``: what ``select(_:)`` throws, or what `Row.init(row:)` throws.
    public func select<Row: SQLiteRowDecodable>(_ query: SQLSelect, as type: Row.Type) throws(SQLiteError) -> [Row] {
        try select(query).map { row throws(SQLiteError) in try Row(row: row) }
    }

    /// How many of the tenant's rows `query` selects (`SELECT count(*)`; its columns, order, limit and
    /// offset are ignored).
    /// - Parameter query: The query.
    /// - Returns: The count.
    /// - Throws: ``SQLiteError``.
    public func count(_ query: SQLSelect) throws(SQLiteError) -> Int {
        try provider.withStore(for: tenant) { store throws(SQLiteError) in try store.count(query, tenant: tenant) }
    }

    /// Inserts one row for the tenant; `tenant_id` is filled in.
    /// - Parameter insert: The row; must not name `tenant_id`.
    /// - Returns: The number of rows inserted (1).
    /// - Throws: ``SQLiteError`` with ``SQLiteError/Code/authorization`` when the row names `tenant_id`, or
    ///   SQLite's error (``SQLiteError/Code/constraintPrimaryKey`` for a duplicate key, ...).
    @discardableResult
    public func insert(_ insert: SQLInsert) throws(SQLiteError) -> Int {
        try provider.withStore(for: tenant) { store throws(SQLiteError) in
            try store.write(tenant: tenant) { compiler throws(SQLiteError) in try compiler.insert(insert) }
        }
    }

    /// Updates the tenant's rows that match the condition (all of them without one).
    /// - Parameter update: The assignments and condition; must not assign `tenant_id`.
    /// - Returns: The number of rows updated.
    /// - Throws: ``SQLiteError`` with ``SQLiteError/Code/authorization`` when it assigns `tenant_id`, or
    ///   SQLite's error.
    @discardableResult
    public func update(_ update: SQLUpdate) throws(SQLiteError) -> Int {
        try provider.withStore(for: tenant) { store throws(SQLiteError) in
            try store.write(tenant: tenant) { compiler throws(SQLiteError) in try compiler.update(update) }
        }
    }

    /// Deletes the tenant's rows that match the condition (all of them without one).
    /// - Parameter delete: The table and condition.
    /// - Returns: The number of rows deleted.
    /// - Throws: ``SQLiteError``.
    @discardableResult
    public func delete(_ delete: SQLDelete) throws(SQLiteError) -> Int {
        try provider.withStore(for: tenant) { store throws(SQLiteError) in
            try store.write(tenant: tenant) { compiler throws(SQLiteError) in try compiler.delete(delete) }
        }
    }

    /// Runs `body` in one immediate transaction: every operation of the ``SQLiteTenantTransaction`` it gets
    /// commits together, or none does when `body` throws.
    /// - Parameter body: The work; must not keep the transaction.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws, or a `BEGIN` / `COMMIT` failure.
    @discardableResult
    public func transaction<R>(_ body: (SQLiteTenantTransaction) throws(SQLiteError) -> R) throws(SQLiteError) -> R {
        try provider.withStore(for: tenant) { store throws(SQLiteError) in try store.transaction(tenant: tenant, body) }
    }

    /// **Escape hatch:** runs one statement of raw SQL, untrusted, for SQL you wrote (never request input:
    /// its running time is not bounded). It may use the shared tables and scalar functions; every mention of
    /// a tenant table (or a view over one), of a table outside the store's schema, DDL, `PRAGMA`, `ATTACH` and
    /// `DETACH` is refused when it is prepared, and table-valued functions cannot be constructed. Tenant data
    /// is only reachable through the builder. See ``SQLiteTenantDataStore`` for the full list.
    /// - Parameters:
    ///   - sql: Exactly one statement.
    ///   - values: One value per parameter.
    /// - Returns: The rows it returns, if any.
    /// - Throws: ``SQLiteError`` with ``SQLiteError/Code/authorization`` for what the authorizer refuses,
    ///   ``SQLiteError/Code/misuse`` for more than one statement, or SQLite's error.
    public func unsafeRawSQL(_ sql: String, _ values: [SQLiteValue] = []) throws(SQLiteError) -> [SQLiteRow] {
        try provider.withStore(for: tenant) { store throws(SQLiteError) in try store.unsafeRaw(sql, values, tenant: tenant) }
    }
}
