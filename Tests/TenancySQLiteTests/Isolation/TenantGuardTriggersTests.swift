import Tenancy
import Testing

@testable import TenancySQLite

/// The guard triggers on their own: the builder and the authorizer are bypassed on purpose (raw SQL
/// prepared in builder mode), and the triggers must still refuse every write of another tenant's row.
@Suite struct TenantGuardTriggersTests {
    let fixture: TenantDataFixture

    init() throws {
        fixture = try TenantDataFixture()
    }

    /// Runs `sql` as if the builder had written it, for `tenant` (A by default).
    func runPastTheBuilder(_ sql: String, as mode: IsolationMode = .builder, tenant: TenantID? = nil) throws(SQLiteError) {
        try fixture.store.withWriter(mode, tenant: mode == .builder ? (tenant ?? fixture.a) : tenant) { connection throws(SQLiteError) in
            _ = try connection.execute(sql)
        }
    }

    @Test(arguments: [
        "INSERT INTO resources (tenant_id, id, name) VALUES ('tenant-b', 'r9', 'planted')",
        "INSERT INTO resources (tenant_id, id, name) SELECT 'tenant-b', id || 'x', name FROM resources",
        "UPDATE resources SET name = 'x'",
        "UPDATE resources SET tenant_id = 'tenant-b' WHERE tenant_id = 'tenant-a'",
        "UPDATE resources SET tenant_id = 'tenant-a' WHERE tenant_id = 'tenant-b'",
        "DELETE FROM resources",
        "DELETE FROM resources WHERE tenant_id = 'tenant-b'",
        "INSERT OR REPLACE INTO tags (tenant_id, name) VALUES ('tenant-a', 'shared')",
        "INSERT INTO tags (tenant_id, name) VALUES ('tenant-a', 'shared') ON CONFLICT (name) DO UPDATE SET tenant_id = 'tenant-a'",
    ])
    func aWriteThatTouchesAnotherTenantsRowIsAborted(_ sql: String) throws {
        let error = try #require(throws: SQLiteError.self) { try runPastTheBuilder(sql) }
        #expect(error.code == .constraintTrigger, "\(sql): \(error)")
        #expect(error.message.hasPrefix("tenant isolation:"))
        #expect(try fixture.resourcesOfB() == TenantDataFixture.untouchedResourcesOfB)
        #expect(try fixture.allTenantIDs(in: "tags") == ["tenant-b"])
    }

    @Test func withNoTenantBoundEveryWriteOfATenantTableFails() throws {
        let error = try #require(throws: SQLiteError.self) {
            try fixture.store.withWriter(.builder, tenant: nil) { connection throws(SQLiteError) in
                _ = try connection.execute("INSERT INTO resources (tenant_id, id, name) VALUES ('tenant-a', 'r9', 'n')")
            }
        }
        #expect(error.code == .constraintTrigger)
    }

    @Test func writesOfTheBoundTenantsOwnRowsPass() throws {
        try runPastTheBuilder("UPDATE resources SET size = 5 WHERE tenant_id = 'tenant-a'")
        try runPastTheBuilder("DELETE FROM comments WHERE tenant_id = 'tenant-a'")
        #expect(try fixture.allTenantIDs(in: "comments") == ["tenant-b"])
    }

    @Test func aCrossTenantStatementPassesTheGuards() throws {
        try runPastTheBuilder("UPDATE resources SET size = 0", as: .crossTenant)
        #expect(try fixture.store.crossTenantScope(reason: "test").count(SQLSelect(from: "resources").where(SQLColumn("size") == 0)) == 4)
    }

    @Test func aConnectionThatIsNotAStoresCannotWriteTenantTables() throws {
        let foreign = try SQLiteConnection(path: fixture.store.path)
        let error = try #require(throws: SQLiteError.self) { try foreign.execute("DELETE FROM resources") }
        #expect(error.message.contains("no such function"))
        #expect(try fixture.resourcesOfB() == TenantDataFixture.untouchedResourcesOfB)
    }

    @Test func longTableNamesGetHashedTriggerNamesThatStayValid() throws {
        let long = String(repeating: "t", count: 60)
        let name = TenantGuardTriggers.triggerName(long, "DELETE")
        #expect(name.utf8.count <= SQLIdentifier.maximumLength)
        #expect(name.hasPrefix("tenancy_guard_v1_") && name.hasSuffix("_delete"))
        #expect(throws: Never.self) { try SQLIdentifier.validate(name) }
        #expect(TenantGuardTriggers.triggerName("resources", "INSERT") == "tenancy_guard_v1_resources_insert")
    }
}
