import Tenancy

/// One tenant's operations inside a transaction opened by ``SQLiteTenantScope/transaction(_:)``: the same
/// builder operations as the scope, on the transaction's connection. Valid only inside the body; used
/// after it, every operation throws ``SQLiteError/Code/misuse``. Not `Sendable`: it holds the connection.
public struct SQLiteTenantTransaction {
    /// Whether the body is still running; ended when it returns or throws.
    final class Lifetime {
        private(set) var isActive = true

        func end() {
            isActive = false
        }
    }

    /// The tenant whose rows the transaction sees.
    public let tenant: TenantID
    let store: SQLiteTenantDataStore
    let connection: SQLiteConnection
    let lifetime = Lifetime()

    /// The rows `query` selects among the tenant's rows, as ``SQLiteTenantScope/select(_:)``.
    /// - Parameter query: The query.
    /// - Returns: The rows.
    /// - Throws: ``SQLiteError``.
    public func select(_ query: SQLSelect) throws(SQLiteError) -> [SQLiteRow] {
        try store.select(query, tenant: tenant, on: try activeConnection())
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

    /// How many of the tenant's rows `query` selects, as ``SQLiteTenantScope/count(_:)``.
    /// - Parameter query: The query.
    /// - Returns: The count.
    /// - Throws: ``SQLiteError``.
    public func count(_ query: SQLSelect) throws(SQLiteError) -> Int {
        try store.count(query, tenant: tenant, on: try activeConnection())
    }

    /// Inserts one row for the tenant, as ``SQLiteTenantScope/insert(_:)``.
    /// - Parameter insert: The row; must not name `tenant_id`.
    /// - Returns: The number of rows inserted.
    /// - Throws: ``SQLiteError``.
    @discardableResult
    public func insert(_ insert: SQLInsert) throws(SQLiteError) -> Int {
        try store.write(tenant: tenant, on: try activeConnection()) { compiler throws(SQLiteError) in try compiler.insert(insert) }
    }

    /// Updates the tenant's matching rows, as ``SQLiteTenantScope/update(_:)``.
    /// - Parameter update: The assignments and condition; must not assign `tenant_id`.
    /// - Returns: The number of rows updated.
    /// - Throws: ``SQLiteError``.
    @discardableResult
    public func update(_ update: SQLUpdate) throws(SQLiteError) -> Int {
        try store.write(tenant: tenant, on: try activeConnection()) { compiler throws(SQLiteError) in try compiler.update(update) }
    }

    /// Deletes the tenant's matching rows, as ``SQLiteTenantScope/delete(_:)``.
    /// - Parameter delete: The table and condition.
    /// - Returns: The number of rows deleted.
    /// - Throws: ``SQLiteError``.
    @discardableResult
    public func delete(_ delete: SQLDelete) throws(SQLiteError) -> Int {
        try store.write(tenant: tenant, on: try activeConnection()) { compiler throws(SQLiteError) in try compiler.delete(delete) }
    }

    private func activeConnection() throws(SQLiteError) -> SQLiteConnection {
        guard lifetime.isActive else {
            throw SQLiteError(.misuse, "the transaction has ended; use the scope, or a new transaction")
        }
        return connection
    }
}
