import Tenancy

/// Tenant data in one shared SQLite file, isolated three ways: a query builder that filters every tenant
/// table, an authorizer that denies tenant tables to SQL the builder did not write, and guard triggers that
/// refuse writes of other tenants' rows.
///
/// ```swift
/// let store = try SQLiteTenantDataStore(
///     path: "/var/lib/app/data.sqlite", tenantTables: ["resources"],
///     migrations: [Migration(version: 1, name: "resources", sql: """
///         CREATE TABLE resources (tenant_id TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL,
///                                 PRIMARY KEY (tenant_id, id)) STRICT
///         """)])
/// let acme = store.scoped(to: tenant)
/// try acme.insert(SQLInsert(into: "resources", values: ["id": "r1", "name": "report"]))
/// let rows = try acme.select(SQLSelect(from: "resources").where(SQLColumn("id") == "r1"))
/// ```
///
/// ## The three layers
/// 1. **The builder is the gate.** ``SQLiteTenantScope`` only runs statements it wrote from typed
///    queries (``SQLSelect``, ``SQLInsert``, ``SQLUpdate``, ``SQLDelete``): `alias."tenant_id" = ?` on every
///    tenant table, the user's condition in parentheses, every value bound, `tenant_id` set on insert and
///    never assignable.
/// 2. **The authorizer** denies reads and writes of tenant tables to every statement the builder did not
///    prepare; to all statements it denies `ATTACH`, `DETACH`, `load_extension`, `PRAGMA` and DDL (allowed
///    only in migrations, `ATTACH` not even there) and every table that is neither a tenant table nor a
///    shared table of the schema (SQLite's `dbstat`, `sqlite_stmt`, `sqlite_schema`).
/// 3. **Guard triggers** on each tenant table abort any insert, update or delete of a row whose
///    `tenant_id` is not the bound tenant's.
///
/// Declare a table as a tenant table and it must have a `tenant_id` column; every table with such a column
/// must be declared (both checked at open). Make the tenant part of its keys (`PRIMARY KEY (tenant_id,
/// id)`), so tenants never compete for key values (a unique key across tenants tells one tenant that
/// another has a value). Tables not declared are shared by all tenants and are not filtered. A view over a
/// tenant table cannot be filtered, so tenant scopes are refused its rows; triggers and views the
/// migrations define run with the trust of the statement that fires them.
///
/// ## What the escape hatch can do
/// ``SQLiteTenantScope/unsafeRawSQL(_:_:)`` runs one statement of your SQL on the writer, with the tenant
/// bound but untrusted.
/// - **Can:** read and write the shared tables (those the migrations created that are not tenant tables),
///   call scalar functions (`tenancy_current_tenant()` returns the scope's tenant), bind values.
/// - **Cannot:** name a tenant table in any position (select, `count(*)`, join, subquery, `EXISTS`, CTE
///   body, `INSERT ... SELECT`, update, delete), a view over one, or a table outside the store's schema;
///   run DDL, `PRAGMA`, `ATTACH` or `DETACH`: all fail at prepare with ``SQLiteError/Code/authorization``.
///   Table-valued functions and SQLite's introspection tables (`dbstat`, `sqlite_stmt`, `pragma_*`,
///   `json_each`) fail to construct (``SQLiteError/Code/error``) or are denied; `load_extension` does not
///   exist (extension loading is off); a second statement is refused with ``SQLiteError/Code/misuse``. A
///   CTE may borrow a tenant table's name, but then holds only what the statement itself writes into it.
/// - **Not limited:** running time (a recursive CTE can hold the writer): use it only for SQL you wrote,
///   never for request input.
///
/// Other connections to the file (not opened by a store) are not governed by the authorizer; their
/// writes to tenant tables still fail, because the triggers call functions only a store defines.
public final class SQLiteTenantDataStore: Sendable {
    /// The database file.
    public let path: String
    /// The declared tenant tables.
    public var tenantTables: [String] { tables.declared }
    let tables: TenantTableSet
    let observers: TenancyObservers
    private let database: SQLiteDatabase

    /// Opens (creating if needed) the database at `path`, applies `migrations`, checks that every tenant
    /// table has a `tenant_id` column and installs its guard triggers.
    /// - Parameters:
    ///   - path: The database file; its directory must exist.
    ///   - tenantTables: The tables that hold tenant rows; valid SQL names.
    ///   - migrations: The schema, versions 1, 2, 3, ...; DDL runs only here.
    ///   - configuration: Connection options and reader count.
    ///   - observers: Told about every statement of a cross-tenant scope.
    /// - Throws: ``SQLiteError``: the open or migration failure, or ``SQLiteError/Code/error`` for an
    ///   invalid table name, a tenant table that does not exist or has no `tenant_id` column, or another
    ///   table that has a `tenant_id` column.
    public init(
        path: String, tenantTables: [String], migrations: [Migration],
        configuration: SQLiteDatabase.Configuration = .init(), observers: TenancyObservers = .init()
    ) throws(SQLiteError) {
        let tables = try TenantTableSet(tenantTables)
        let migrator = try Migrator(migrations)
        self.path = path
        self.tables = tables
        self.observers = observers
        let catalog = TableCatalog(tenantTables: tables)
        database = try SQLiteDatabase(path: path, configuration: configuration) { connection throws(SQLiteError) in
            try ConnectionIsolation(catalog: catalog).install(on: connection)
        }
        do {
            try database.write { connection throws(SQLiteError) in
                try Self.isolation(of: connection).run(.migration, tenant: nil) { () throws(SQLiteError) in
                    try migrator.migrate(connection)
                    try catalog.load(from: connection)
                    try connection.transaction(.immediate) { connection throws(SQLiteError) in
                        for table in tables.declared {
                            try connection.executeScript(TenantGuardTriggers.script(for: table))
                        }
                    }
                }
                // Nothing prepared for the migration is reused outside it.
                connection.clearStatementCache()
            }
        } catch {
            database.close()
            throw error
        }
    }

    /// A handle that reads and writes only `tenant`'s rows.
    /// - Parameter tenant: The tenant, validated.
    /// - Returns: The scope; cheap, `Sendable`, valid until the store closes.
    public func scoped(to tenant: TenantID) -> SQLiteTenantScope {
        SQLiteTenantScope(tenant: tenant, provider: self)
    }

    /// A handle that reads and writes every tenant's rows, for administration and maintenance: no tenant
    /// filter, and the guard triggers stand down. Every statement it runs is reported to the observers.
    /// - Parameters:
    ///   - reason: Why, for the audit trail; must not be empty.
    ///   - actor: Who, when known.
    /// - Returns: The scope.
    /// - Throws: ``SQLiteError`` with ``SQLiteError/Code/misuse`` for an empty reason.
    public func crossTenantScope(reason: String, actor: String? = nil) throws(SQLiteError) -> SQLiteCrossTenantScope {
        guard !reason.isEmpty else {
            throw SQLiteError(.misuse, "a cross-tenant scope needs a reason for the audit trail")
        }
        return SQLiteCrossTenantScope(reason: reason, actor: actor, store: self)
    }

    /// Closes the database; idempotent. Later operations throw ``SQLiteError/Code/misuse``.
    public func close() {
        database.close()
    }

    /// Whether ``close()`` was called.
    public var isClosed: Bool { database.isClosed }

    // MARK: - Running builder statements

    /// The rows of `query`, for `tenant`, or across tenants when `tenant` is `nil`; on `connection` inside
    /// a transaction, else on a reader.
    func select(_ query: SQLSelect, tenant: TenantID?, on connection: SQLiteConnection? = nil) throws(SQLiteError) -> [SQLiteRow] {
        var compiler = SQLCompiler(tenant: tenant, tenantTables: tables)
        let compiled = try compiler.select(query)
        return try run(on: connection, writing: false, tenant: tenant) { connection throws(SQLiteError) in
            try connection.query(compiled.sql, compiled.bindings) { statement throws(SQLiteError) in
                try SQLiteRow.read(statement)
            }
        }
    }

    /// The number of rows of `query`, for `tenant`, or across tenants when `tenant` is `nil`.
    func count(_ query: SQLSelect, tenant: TenantID?, on connection: SQLiteConnection? = nil) throws(SQLiteError) -> Int {
        var compiler = SQLCompiler(tenant: tenant, tenantTables: tables)
        let compiled = try compiler.select(query, counting: true)
        return try run(on: connection, writing: false, tenant: tenant) { connection throws(SQLiteError) in
            let counts = try connection.query(compiled.sql, compiled.bindings) { statement throws(SQLiteError) in
                try statement.int64(at: 0)
            }
            return Int(counts.first ?? 0)
        }
    }

    /// Compiles a write with `compile` for `tenant` (or across tenants when `nil`) and runs it.
    /// - Returns: The rows changed.
    func write(
        tenant: TenantID?, on connection: SQLiteConnection? = nil,
        _ compile: (inout SQLCompiler) throws(SQLiteError) -> CompiledSQL
    ) throws(SQLiteError) -> Int {
        var compiler = SQLCompiler(tenant: tenant, tenantTables: tables)
        let compiled = try compile(&compiler)
        return try run(on: connection, writing: true, tenant: tenant) { connection throws(SQLiteError) in
            try connection.execute(compiled.sql, compiled.bindings)
        }
    }

    /// Runs `body` in one immediate transaction on the writer, for `tenant`.
    func transaction<R>(
        tenant: TenantID, _ body: (SQLiteTenantTransaction) throws(SQLiteError) -> R
    ) throws(SQLiteError) -> R {
        try database.write { connection throws(SQLiteError) in
            try connection.transaction(.immediate) { connection throws(SQLiteError) in
                let transaction = SQLiteTenantTransaction(tenant: tenant, store: self, connection: connection)
                defer { transaction.lifetime.end() }
                return try body(transaction)
            }
        }
    }

    /// Runs `body` in one immediate cross-tenant transaction on the writer, for maintenance such as moving
    /// a tenant between shards.
    func crossTenantTransaction<R>(_ body: (SQLiteConnection) throws(SQLiteError) -> R) throws(SQLiteError) -> R {
        try database.write { connection throws(SQLiteError) in
            try connection.transaction(.immediate) { connection throws(SQLiteError) in
                try Self.isolation(of: connection).run(.crossTenant, tenant: nil) { () throws(SQLiteError) in
                    try body(connection)
                }
            }
        }
    }

    /// Prepares `sql` outside the statement cache and runs it untrusted with `tenant` bound.
    func unsafeRaw(_ sql: String, _ values: [SQLiteValue], tenant: TenantID) throws(SQLiteError) -> [SQLiteRow] {
        try database.write { connection throws(SQLiteError) in
            try Self.isolation(of: connection).run(.untrusted, tenant: tenant) { () throws(SQLiteError) in
                let statement = try connection.prepare(sql)
                try statement.bind(values)
                var rows: [SQLiteRow] = []
                while try statement.step() {
                    rows.append(try SQLiteRow.read(statement))
                }
                return rows
            }
        }
    }

    /// Runs `body` on the writer in `mode`; for tests that need to bypass a layer on purpose.
    func withWriter<R>(
        _ mode: IsolationMode, tenant: TenantID?, _ body: (SQLiteConnection) throws(SQLiteError) -> R
    ) throws(SQLiteError) -> R {
        try database.write { connection throws(SQLiteError) in
            try Self.isolation(of: connection).run(mode, tenant: tenant) { () throws(SQLiteError) in try body(connection) }
        }
    }

    // MARK: - Internals

    /// Runs `body` in builder mode for `tenant` (cross-tenant mode for `nil`) on `connection`, or on a
    /// reader or the writer of the pool.
    private func run<R>(
        on connection: SQLiteConnection?, writing: Bool, tenant: TenantID?,
        _ body: (SQLiteConnection) throws(SQLiteError) -> R
    ) throws(SQLiteError) -> R {
        let mode: IsolationMode = tenant == nil ? .crossTenant : .builder
        if let connection {
            return try Self.isolation(of: connection).run(mode, tenant: tenant) { () throws(SQLiteError) in try body(connection) }
        }
        let pooled = { (connection: SQLiteConnection) throws(SQLiteError) -> R in
            try Self.isolation(of: connection).run(mode, tenant: tenant) { () throws(SQLiteError) in try body(connection) }
        }
        return writing ? try database.write(pooled) : try database.read(pooled)
    }

    private static func isolation(of connection: SQLiteConnection) throws(SQLiteError) -> ConnectionIsolation {
        guard let isolation = connection.isolation else {
            throw SQLiteError(.misuse, "the connection has no tenant isolation installed")
        }
        return isolation
    }

}

extension SQLiteTenantDataStore: TenantStoreProvider {
    func withStore<R>(
        for tenant: TenantID, _ body: (SQLiteTenantDataStore) throws(SQLiteError) -> R
    ) throws(SQLiteError) -> R {
        try body(self)
    }
}
