import Tenancy
import Testing

@testable import TenancySQLite

/// The adversarial suite through the escape hatch, ``SQLiteTenantScope/unsafeRawSQL(_:_:)``: as tenant A,
/// with B's rows present. Raw SQL is untrusted, so every statement that mentions a tenant table, DDL,
/// `PRAGMA`, `ATTACH` or `load_extension` is refused at prepare; nothing may change B's rows.
@Suite struct RawSQLAttackTests {
    let fixture: TenantDataFixture

    init() throws {
        fixture = try TenantDataFixture()
    }

    static let refusedByTheAuthorizer = [
        "SELECT * FROM resources WHERE tenant_id = 'tenant-a' OR 1 = 1",
        "SELECT * FROM resources WHERE tenant_id = 'tenant-a' -- AND id = 'r1'",
        "SELECT * FROM resources /* WHERE tenant_id = 'tenant-a' */",
        "SELECT name FROM plans UNION SELECT name FROM resources",
        "SELECT name FROM plans UNION ALL SELECT name FROM resources",
        "SELECT (SELECT name FROM resources WHERE tenant_id = 'tenant-b' LIMIT 1)",
        "SELECT 1 WHERE EXISTS (SELECT 1 FROM resources WHERE tenant_id = 'tenant-b')",
        "WITH resources AS (SELECT * FROM main.resources) SELECT * FROM resources",
        "SELECT count(*) FROM resources",
        "SELECT count(*) FROM main.resources",
        "INSERT INTO plans (name, seats) SELECT name, size FROM resources",
        "INSERT INTO resources (tenant_id, id, name) SELECT 'tenant-a', id || 'x', name FROM resources",
        "INSERT INTO resources (tenant_id, id, name) VALUES ('tenant-a', 'r9', 'n')",
        "INSERT OR REPLACE INTO tags (tenant_id, name) VALUES ('tenant-a', 'shared')",
        "UPDATE resources SET tenant_id = 'tenant-a'",
        "UPDATE resources SET name = 'x'",
        "DELETE FROM resources",
        "SELECT p.name, r.name FROM plans AS p JOIN resources AS r ON 1",
        "SELECT * FROM resources WHERE tenant_id = 'tenant-b'",
        "SELECT * FROM resources WHERE tenant_id = tenant_id",
        "SELECT * FROM RESOURCES",
        "ATTACH DATABASE ':memory:' AS other",
        "DETACH DATABASE main",
        "CREATE TEMP VIEW everything AS SELECT * FROM resources",
        "CREATE TABLE stolen AS SELECT 1",
        "DROP TRIGGER tenancy_guard_v1_resources_delete",
        "PRAGMA trusted_schema = ON",
        "PRAGMA table_info(resources)",
        "SELECT sql FROM sqlite_schema",
        "SELECT * FROM resource_names",
    ]

    /// Refused by SQLite before the authorizer is asked: no such table in `temp`, and `load_extension` is
    /// not even defined with extension loading off.
    static let refusedBySQLite = ["SELECT * FROM temp.resources", "SELECT load_extension('libevil')"]

    /// Virtual tables that would reveal other tenants' sizes, activity or schema details: their
    /// constructor writes `sqlite_master` on first use, which the authorizer denies (`SQLITE_ERROR`, "vtable
    /// constructor failed"), and a constructed one is not in the store's table catalog (`SQLITE_AUTH`).
    static let virtualTables = [
        "SELECT * FROM pragma_table_info('resources')", "SELECT name, ncell, payload FROM dbstat WHERE name = 'resources'",
        "SELECT sql, nstep FROM sqlite_stmt", "SELECT value FROM json_each('[1]')",
    ]

    @Test(arguments: refusedByTheAuthorizer)
    func rawSQLThatTouchesTenantTablesOrTheSchemaIsRefused(_ sql: String) throws {
        let error = try #require(throws: SQLiteError.self) { try fixture.scopeA.unsafeRawSQL(sql) }
        #expect(error.code == .authorization, "\(sql): \(error)")
        #expect(try fixture.resourcesOfB() == TenantDataFixture.untouchedResourcesOfB)
    }

    @Test(arguments: refusedBySQLite)
    func rawSQLThatNamesWhatDoesNotExistFails(_ sql: String) throws {
        let error = try #require(throws: SQLiteError.self) { try fixture.scopeA.unsafeRawSQL(sql) }
        #expect(error.code == .error, "\(sql): \(error)")
    }

    @Test(arguments: [
        "SELECT 1; DELETE FROM resources", "SELECT 1 -- \n; DELETE FROM resources", "SELECT 1 /* */; UPDATE resources SET name = 'x'",
    ])
    func aSecondStatementIsRefused(_ sql: String) throws {
        let error = try #require(throws: SQLiteError.self) { try fixture.scopeA.unsafeRawSQL(sql) }
        #expect(error.code == .misuse)
        #expect(try fixture.resourcesOfB() == TenantDataFixture.untouchedResourcesOfB)
    }

    @Test func aCTEThatOnlyBorrowsATenantTablesNameReturnsNoTenantRows() throws {
        let rows = try fixture.scopeA.unsafeRawSQL("WITH resources AS (SELECT 'made up' AS name) SELECT name FROM resources")
        #expect(rows.map(\.values) == [["made up"]])
    }

    @Test(arguments: virtualTables)
    func virtualTablesCannotBeConstructed(_ sql: String) throws {
        let error = try #require(throws: SQLiteError.self) { try fixture.scopeA.unsafeRawSQL(sql) }
        #expect([.error, .authorization].contains(error.code), "\(sql): \(error)")
    }

    @Test func aVirtualTableAMigrationAlreadyBuiltIsStillDenied() throws {
        try fixture.store.withWriter(.migration, tenant: nil) { connection throws(SQLiteError) in
            _ = try connection.rows("SELECT count(*) FROM dbstat")
        }
        let error = try #require(throws: SQLiteError.self) {
            try fixture.scopeA.unsafeRawSQL("SELECT name, payload FROM dbstat WHERE name = 'resources'")
        }
        #expect(error.code == .authorization)
    }

    @Test func bindingsCannotTurnIntoSQL() throws {
        let rows = try fixture.scopeA.unsafeRawSQL("SELECT name FROM plans WHERE name = ?1", ["x' OR '1'='1"])
        #expect(rows.isEmpty)
    }
}
