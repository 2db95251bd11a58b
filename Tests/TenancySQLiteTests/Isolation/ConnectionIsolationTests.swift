import Tenancy
import Testing

@testable import TenancySQLite

/// The authorizer's verdicts, mode by mode, and the mode's lifetime.
@Suite struct ConnectionIsolationTests {
    let isolation: ConnectionIsolation

    init() throws {
        isolation = ConnectionIsolation(catalog: TableCatalog(tenantTables: try TenantTableSet(["resources"]), sharedTables: ["plans"], views: ["everything"]))
    }

    func decide(
        _ mode: IsolationMode, _ action: SQLiteAuthorizerRequest.Action, _ first: String? = nil, _ second: String? = nil,
        database: String? = "main", accessor: String? = nil
    ) -> SQLiteAuthorizerDecision {
        isolation.run(mode, tenant: nil) {
            isolation.decide(
                SQLiteAuthorizerRequest(action: action, first: first, second: second, database: database, accessor: accessor))
        }
    }

    @Test(arguments: [IsolationMode.untrusted, .builder, .crossTenant, .migration])
    func attachDetachAndLoadExtensionAreDeniedInEveryMode(_ mode: IsolationMode) {
        #expect(decide(mode, .attach, "other.sqlite") == .deny)
        #expect(decide(mode, .detach, "main") == .deny)
        #expect(decide(mode, .function, nil, "LOAD_EXTENSION") == .deny)
        #expect(decide(mode, .function, nil, "lower") == .allow)
        #expect(decide(mode, .select) == .allow)
        #expect(decide(mode, .transaction, "BEGIN") == .allow)
        #expect(decide(mode, .savepoint, "BEGIN", "s1") == .allow)
    }

    @Test(arguments: [SQLiteAuthorizerRequest.Action.read, .insert, .update, .delete])
    func tenantTablesAreDeniedOnlyToUntrustedStatementsWhateverTheDatabaseName(_ action: SQLiteAuthorizerRequest.Action) {
        for database in ["main", "temp", nil] as [String?] {
            #expect(decide(.untrusted, action, "Resources", "id", database: database) == .deny)
            #expect(decide(.builder, action, "resources", "id", database: database) == .allow)
            #expect(decide(.crossTenant, action, "resources", "id", database: database) == .allow)
            #expect(decide(.untrusted, action, "plans", "id", database: database) == .allow)
        }
    }

    @Test func aTenantTableReadThroughAViewIsDeniedToTenantScopesOnly() {
        #expect(decide(.builder, .read, "resources", "id", accessor: "Everything") == .deny)
        #expect(decide(.builder, .read, "resources", "id", accessor: "tenancy_guard_v1_resources_insert") == .allow)
        #expect(decide(.crossTenant, .read, "resources", "id", accessor: "everything") == .allow)
        #expect(decide(.builder, .read, "plans", "name", accessor: "everything") == .allow)
    }

    @Test(arguments: [IsolationMode.untrusted, .builder, .crossTenant])
    func tablesOutsideTheCatalogAreDeniedOutsideMigrations(_ mode: IsolationMode) {
        for table in ["dbstat", "sqlite_stmt", "sqlite_schema", "created_later"] {
            #expect(decide(mode, .read, table, "name") == .deny)
            #expect(decide(.migration, .read, table, "name") == .allow)
        }
        #expect(decide(mode, .read, nil, nil) == .deny)
        #expect(decide(mode, .read, "Plans", "name") == .allow)
        #expect(decide(mode, .insert, "sqlite_sequence") == (mode == .untrusted ? .deny : .allow))
    }

    @Test(arguments: [
        SQLiteAuthorizerRequest.Action.createTable, .createIndex, .createTrigger, .createView, .dropTable, .alterTable,
        .pragma, SQLiteAuthorizerRequest.Action(rawValue: 4),
    ])
    func schemaChangesAndPragmasAreAllowedOnlyInMigrations(_ action: SQLiteAuthorizerRequest.Action) {
        #expect(decide(.untrusted, action, "x") == .deny)
        #expect(decide(.builder, action, "x") == .deny)
        #expect(decide(.crossTenant, action, "x") == .deny)
        #expect(decide(.migration, action, "x") == .allow)
    }

    @Test func theModeIsRestoredAfterABodyThrows() {
        #expect(throws: SQLiteError.self) {
            try isolation.run(.crossTenant, tenant: nil) { () throws(SQLiteError) in
                #expect(decide(.crossTenant, .read, "resources") == .allow)
                throw SQLiteError(.error, "boom")
            }
        }
        let after = isolation.decide(
            SQLiteAuthorizerRequest(action: .read, first: "resources", second: "id", database: nil, accessor: nil))
        #expect(after == .deny)
    }
}
