import Tenancy

/// Reads and writes every tenant's rows: no tenant filter, `tenant_id` neither filled nor protected, and
/// the guard triggers stand down. For administration (support tooling, data moves, retention jobs), never
/// for request handling. Obtained only from ``SQLiteTenantDataStore/crossTenantScope(reason:actor:)``;
/// every statement is reported to the store's observers
/// (``TenancyObserver/crossTenantAccessed(_:)``) before it runs. The authorizer's other denials (DDL,
/// `PRAGMA`, `ATTACH`, `load_extension`) still apply, and there is no raw SQL.
public struct SQLiteCrossTenantScope: Sendable {
    /// Why the scope exists, as its creator said.
    public let reason: String
    /// Who created it, when known.
    public let actor: String?
    let store: SQLiteTenantDataStore

    /// The rows `query` selects across all tenants.
    /// - Parameter query: The query.
    /// - Returns: The rows.
    /// - Throws: ``SQLiteError``.
    public func select(_ query: SQLSelect) throws(SQLiteError) -> [SQLiteRow] {
        report(.read, query.table)
        return try store.select(query, tenant: nil)
    }

    /// How many rows `query` selects across all tenants.
    /// - Parameter query: The query.
    /// - Returns: The count.
    /// - Throws: ``SQLiteError``.
    public func count(_ query: SQLSelect) throws(SQLiteError) -> Int {
        report(.read, query.table)
        return try store.count(query, tenant: nil)
    }

    /// Inserts one row as given; name `tenant_id` yourself.
    /// - Parameter insert: The row.
    /// - Returns: The number of rows inserted.
    /// - Throws: ``SQLiteError``.
    @discardableResult
    public func insert(_ insert: SQLInsert) throws(SQLiteError) -> Int {
        try self.insert(insert, on: nil)
    }

    /// Updates every row that matches, of any tenant; may reassign `tenant_id`.
    /// - Parameter update: The assignments and condition.
    /// - Returns: The number of rows updated.
    /// - Throws: ``SQLiteError``.
    @discardableResult
    public func update(_ update: SQLUpdate) throws(SQLiteError) -> Int {
        report(.update, update.table)
        return try store.write(tenant: nil) { compiler throws(SQLiteError) in try compiler.update(update) }
    }

    /// Deletes every row that matches, of any tenant.
    /// - Parameter delete: The table and condition.
    /// - Returns: The number of rows deleted.
    /// - Throws: ``SQLiteError``.
    @discardableResult
    public func delete(_ delete: SQLDelete) throws(SQLiteError) -> Int {
        try self.delete(delete, on: nil)
    }

    /// Inserts on `connection` (inside a cross-tenant transaction), or on the writer when `nil`.
    @discardableResult
    func insert(_ insert: SQLInsert, on connection: SQLiteConnection?) throws(SQLiteError) -> Int {
        report(.insert, insert.table)
        return try store.write(tenant: nil, on: connection) { compiler throws(SQLiteError) in try compiler.insert(insert) }
    }

    /// Deletes on `connection` (inside a cross-tenant transaction), or on the writer when `nil`.
    @discardableResult
    func delete(_ delete: SQLDelete, on connection: SQLiteConnection?) throws(SQLiteError) -> Int {
        report(.delete, delete.table)
        return try store.write(tenant: nil, on: connection) { compiler throws(SQLiteError) in try compiler.delete(delete) }
    }

    private func report(_ operation: CrossTenantAccessEvent.Operation, _ table: String) {
        store.observers.crossTenantAccessed(
            CrossTenantAccessEvent(operation: operation, table: table, reason: reason, actor: actor))
    }
}
