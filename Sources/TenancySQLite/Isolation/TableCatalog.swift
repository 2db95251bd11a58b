import Tenancy

/// The tables a tenant data store's statements may name: the declared tenant tables, and the shared
/// tables that exist in the schema after the migrations ran. Shared by all connections of one store.
///
/// Anything else is denied outside migrations, in particular the eponymous virtual tables Debian's SQLite
/// compiles in: `dbstat` (page counts and payload sizes of every table, so of other tenants' data) and
/// `sqlite_stmt` (every statement prepared on the connection with its run and step counters, so other
/// tenants' activity). (Their first use on a connection also writes `sqlite_master`, which the authorizer
/// denies, so they fail even earlier; the catalog covers a connection where a migration used one first.)
/// `json_each`, `pragma_*` and other table-valued functions fail the same way outside migrations. A shared
/// table another process creates later is denied until the store reopens.
final class TableCatalog: Sendable {
    /// The tables that carry a `tenant_id` column.
    let tenantTables: TenantTableSet
    private let shared = Synchronized<Set<String>>([])

    /// Creates a catalog; the shared tables are normally filled by ``load(from:)``.
    init(tenantTables: TenantTableSet, sharedTables: [String] = []) {
        self.tenantTables = tenantTables
        shared.withLock { $0 = Set(sharedTables.map(SQLIdentifier.folded)) }
    }

    /// Records the shared tables: every ordinary table of the schema that is neither a tenant table nor
    /// one of SQLite's own.
    func load(from connection: SQLiteConnection) throws(SQLiteError) {
        let names = try connection.query("SELECT name FROM sqlite_schema WHERE type = 'table'") {
            statement throws(SQLiteError) in try statement.text(at: 0)
        }
        let folded = names.map(SQLIdentifier.folded).filter { !$0.hasPrefix("sqlite_") && !tenantTables.contains($0) }
        shared.withLock { $0 = Set(folded) }
    }

    /// Whether a statement that is not a migration may read or write `table`: shared tables always,
    /// `sqlite_sequence` (written by `AUTOINCREMENT` inserts) only when trusted.
    func isSharedTable(_ table: String, trusted: Bool) -> Bool {
        let name = SQLIdentifier.folded(table)
        if trusted, name == "sqlite_sequence" { return true }
        return shared.withLock { $0.contains(name) }
    }
}
