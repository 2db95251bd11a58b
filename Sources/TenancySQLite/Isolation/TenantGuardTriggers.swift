import Tenancy

/// The guard triggers of one tenant table: every inserted, updated (old and new) and deleted row must
/// belong to the connection's bound tenant, unless the statement is a cross-tenant one. They run below the
/// query builder and the authorizer, so a write that got past both still fails, with
/// ``SQLiteError/Code/constraintTrigger``.
///
/// They call `tenancy_current_tenant()` and `tenancy_cross_tenant()`, which only a tenant data store's
/// connections define: any other connection that writes a tenant table fails with "no such function"
/// instead of writing unchecked. The functions are innocuous, as triggers require with `trusted_schema`
/// off, and not deterministic, because the bound tenant changes from one statement to the next.
enum TenantGuardTriggers {
    /// Bump when the trigger SQL changes, so existing databases get the new triggers.
    static let version = 1

    /// The statements that (re)create the triggers of `table`, a validated name.
    static func script(for table: String) throws(SQLiteError) -> String {
        let quoted = try SQLIdentifier.quoted(table)
        let column = try SQLIdentifier.quoted(SQLCompiler.tenantColumn)
        let current = ConnectionIsolation.currentTenantFunction + "()"
        let bypass = "NOT " + ConnectionIsolation.crossTenantFunction + "()"
        let rows: [(event: String, mismatch: String)] = [
            ("INSERT", "NEW.\(column) IS NOT \(current)"),
            ("UPDATE", "(OLD.\(column) IS NOT \(current) OR NEW.\(column) IS NOT \(current))"),
            ("DELETE", "OLD.\(column) IS NOT \(current)"),
        ]
        var script = ""
        for row in rows {
            let name = try SQLIdentifier.quoted(triggerName(table, row.event))
            script += """
                CREATE TRIGGER IF NOT EXISTS \(name) BEFORE \(row.event) ON \(quoted)
                WHEN \(bypass) AND \(row.mismatch)
                BEGIN SELECT RAISE(ABORT, 'tenant isolation: \(row.event) of another tenant''s row in \(table)'); END;

                """
        }
        return script
    }

    /// `tenancy_guard_v1_<table>_<event>`, or the table's stable hash in place of its name when that would
    /// pass ``SQLIdentifier/maximumLength``.
    static func triggerName(_ table: String, _ event: String) -> String {
        let name = "tenancy_guard_v\(version)_\(table)_\(event.lowercased())"
        guard name.utf8.count > SQLIdentifier.maximumLength else { return name }
        return "tenancy_guard_v\(version)_\(String(StableHash.hash(SQLIdentifier.folded(table)), radix: 16))_\(event.lowercased())"
    }
}
