import Tenancy

/// The isolation state of one connection of a tenant data store: its mode and bound tenant, read by the
/// connection's authorizer (at prepare time) and by the `tenancy_current_tenant()` and
/// `tenancy_cross_tenant()` SQL functions the guard triggers call (at run time).
///
/// ## Why the authorizer's verdict is sound
/// The mode is ``IsolationMode/untrusted`` except inside ``run(_:tenant:_:)``, which the library calls
/// only around statements it wrote, and restores it on every exit. SQLite calls the authorizer while it
/// prepares a statement, and again when `sqlite3_step` re-prepares one after a schema change (verified on
/// 3.40: the re-prepare is judged by the mode at step time). The library steps its own statements inside
/// `run` too, so a re-prepared builder statement keeps its authorization, while raw SQL, prepared and
/// stepped in untrusted mode, can never be re-prepared into trust. Statements in the connection's cache
/// are only ever prepared by library code; raw SQL is prepared outside the cache, so it can never pick up
/// a cached builder statement with the same text.
///
/// Outside migrations only the tables of the store's ``TableCatalog`` can be named at all, so SQLite's
/// introspection tables (`dbstat`, `sqlite_stmt`, `sqlite_schema`) are denied to raw SQL and builder alike.
///
/// The authorizer is defence in depth, not the gate: it never sees `WHERE` predicates, reports `count(*)`
/// reads with a `NULL` database name (treated here as any database: tables are matched by name alone),
/// and cannot tell a CTE from a view of the same name (so the accessor argument is only used to deny: a
/// tenant table read through a view is refused to tenant scopes).
final class ConnectionIsolation: Sendable {
    private struct State {
        var mode = IsolationMode.untrusted
        var tenant: TenantID?
    }

    /// The name of the SQL function that returns the bound tenant, or `NULL`.
    static let currentTenantFunction = "tenancy_current_tenant"
    /// The name of the SQL function that returns 1 inside a cross-tenant statement, 0 otherwise.
    static let crossTenantFunction = "tenancy_cross_tenant"

    let catalog: TableCatalog
    private let state = Synchronized(State())

    init(catalog: TableCatalog) {
        self.catalog = catalog
    }

    /// Installs the authorizer, the two SQL functions and recursive triggers on `connection`.
    ///
    /// `recursive_triggers` makes SQLite fire `DELETE` triggers for rows that `INSERT OR REPLACE` removes
    /// on a conflict, so a replace cannot delete another tenant's row past the guard.
    func install(on connection: SQLiteConnection) throws(SQLiteError) {
        try connection.createFunction(Self.currentTenantFunction, argumentCount: 0, options: [.innocuous]) {
            [state] _ throws(SQLiteError) in
            state.withLock { $0.tenant }.map { .text($0.rawValue) } ?? .null
        }
        try connection.createFunction(Self.crossTenantFunction, argumentCount: 0, options: [.innocuous]) {
            [state] _ throws(SQLiteError) in
            state.withLock { $0.mode == .crossTenant } ? 1 : 0
        }
        try connection.executeScript("PRAGMA recursive_triggers = ON;")
        try connection.setAuthorizer { [self] request in decide(request) }
        connection.isolation = self
    }

    /// Runs `body` (which prepares and steps statements) in `mode` with `tenant` bound, then restores the
    /// previous state, also when `body` throws.
    func run<R, E: Error>(_ mode: IsolationMode, tenant: TenantID?, _ body: () throws(E) -> R) throws(E) -> R {
        let previous = state.withLock { state -> State in
            let previous = state
            state = State(mode: mode, tenant: tenant)
            return previous
        }
        defer { state.withLock { $0 = previous } }
        return try body()
    }

    /// The authorizer: see the type's documentation.
    func decide(_ request: SQLiteAuthorizerRequest) -> SQLiteAuthorizerDecision {
        let mode = state.withLock { $0.mode }
        switch request.action {
        case .attach, .detach:
            return .deny
        case .function:
            return SQLIdentifier.same(request.second ?? "", "load_extension") ? .deny : .allow
        case .select, .transaction, .savepoint, .recursive:
            return .allow
        case .read, .insert, .update, .delete:
            guard mode != .migration else { return .allow }
            guard let table = request.first else { return .deny }
            if catalog.tenantTables.contains(table) {
                // A view's rows cannot be filtered by the builder; the cross-tenant scope sees all anyway.
                if mode == .untrusted || (mode == .builder && catalog.isView(request.accessor)) { return .deny }
                return .allow
            }
            return catalog.isSharedTable(table, trusted: mode != .untrusted) ? .allow : .deny
        default:
            // DDL, PRAGMA, ANALYZE, virtual tables and any action a later SQLite adds.
            return mode == .migration ? .allow : .deny
        }
    }
}
