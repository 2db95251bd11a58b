import Tenancy

/// The tables a tenant data store's statements may name, read from the schema after the migrations ran:
/// the declared tenant tables, the shared tables (every other ordinary table), and the views. Shared by
/// all connections of one store.
///
/// Anything else is denied outside migrations, in particular the eponymous virtual tables Debian's SQLite
/// compiles in: `dbstat` (page counts and payload sizes of every table, so of other tenants' data) and
/// `sqlite_stmt` (every statement prepared on the connection with its run and step counters, so other
/// tenants' activity). (Their first use on a connection also writes `sqlite_master`, which the authorizer
/// denies, so they fail even earlier; the catalog covers a connection where a migration used one first.)
/// `json_each`, `pragma_*` and other table-valued functions fail the same way outside migrations. A table
/// another process creates later is denied until the store reopens.
///
/// Views are remembered because the builder cannot filter what a view selects: a tenant table read
/// through a view is denied to every tenant scope.
final class TableCatalog: Sendable {
    private struct Names {
        var shared: Set<String> = []
        var views: Set<String> = []
    }

    /// The tables that carry a `tenant_id` column.
    let tenantTables: TenantTableSet
    private let names = Synchronized(Names())

    /// Creates a catalog; the shared tables and views are normally filled by ``load(from:)``.
    init(tenantTables: TenantTableSet, sharedTables: [String] = [], views: [String] = []) {
        self.tenantTables = tenantTables
        names.withLock { names in
            names.shared = Set(sharedTables.map(SQLIdentifier.folded))
            names.views = Set(views.map(SQLIdentifier.folded))
        }
    }

    /// Reads the schema: checks that every tenant table exists and has a `tenant_id` column and that no
    /// other table has one (an undeclared table with tenant rows would be shared unfiltered), and records
    /// the shared tables and views.
    /// - Throws: ``SQLiteError`` with ``SQLiteError/Code/error`` naming the table.
    func load(from connection: SQLiteConnection) throws(SQLiteError) {
        let rows = try connection.query("SELECT type, name, coalesce(sql, '') FROM sqlite_schema WHERE type IN ('table', 'view')") {
            statement throws(SQLiteError) in (try statement.text(at: 0), try statement.text(at: 1), try statement.text(at: 2))
        }
        let objects = rows.map { ($0.0, $0.1) }
        // Virtual tables (FTS5, R-Tree) and the shadow tables behind them (`docs_content`, `docs_data`, ...)
        // hold their rows without a tenant_id column that anything could filter on, whatever the virtual
        // table indexes: they are never shared, so raw SQL cannot read tenant text through them.
        let virtualPrefixes = rows.filter { $0.2.uppercased().hasPrefix("CREATE VIRTUAL TABLE") }
            .map { SQLIdentifier.folded($0.1) }
        func isVirtualOrShadow(_ name: String) -> Bool {
            let folded = SQLIdentifier.folded(name)
            return virtualPrefixes.contains { folded == $0 || folded.hasPrefix($0 + "_") }
        }
        var loaded = Names()
        for (type, name) in objects where !SQLIdentifier.folded(name).hasPrefix("sqlite_") {
            if type == "view" {
                loaded.views.insert(SQLIdentifier.folded(name))
            } else if isVirtualOrShadow(name) {
                continue
            } else if !tenantTables.contains(name) {
                if try Self.hasTenantColumn(name, on: connection) {
                    throw SQLiteError(
                        .error,
                        "table \(SQLIdentifier.describe(name)) has a \(SQLCompiler.tenantColumn) column but is not declared as a tenant table")
                }
                loaded.shared.insert(SQLIdentifier.folded(name))
            }
        }
        for table in tenantTables.declared {
            guard objects.contains(where: { $0.0 == "table" && SQLIdentifier.same($0.1, table) }) else {
                throw SQLiteError(.error, "tenant table \(SQLIdentifier.describe(table)) does not exist after the migrations")
            }
            guard try Self.hasTenantColumn(table, on: connection) else {
                throw SQLiteError(
                    .error, "tenant table \(SQLIdentifier.describe(table)) has no \(SQLCompiler.tenantColumn) column")
            }
        }
        names.withLock { $0 = loaded }
    }

    /// Whether a statement that is not a migration may read or write `table`: shared tables always,
    /// `sqlite_sequence` (written by `AUTOINCREMENT` inserts) only when trusted.
    func isSharedTable(_ table: String, trusted: Bool) -> Bool {
        let name = SQLIdentifier.folded(table)
        if trusted, name == "sqlite_sequence" { return true }
        return names.withLock { $0.shared.contains(name) }
    }

    /// Whether `accessor` (the authorizer's innermost trigger or view) names a view. A CTE of the same
    /// name is reported the same way, which only ever denies more.
    func isView(_ accessor: String?) -> Bool {
        guard let accessor else { return false }
        let name = SQLIdentifier.folded(accessor)
        return names.withLock { $0.views.contains(name) }
    }

    private static func hasTenantColumn(_ table: String, on connection: SQLiteConnection) throws(SQLiteError) -> Bool {
        let columns = try connection.query("PRAGMA table_xinfo(\(try SQLIdentifier.quoted(table)))") {
            statement throws(SQLiteError) in try statement.text(at: 1)
        }
        return columns.contains { SQLIdentifier.same($0, SQLCompiler.tenantColumn) }
    }
}
