import Foundation
import Tenancy
import Testing

@testable import TenancySQLite

/// What a tenant scope does with its own rows.
@Suite struct SQLiteTenantScopeTests {
    let fixture: TenantDataFixture

    init() throws {
        fixture = try TenantDataFixture()
    }

    @Test func anInsertFillsTheTenantAndASelectReturnsOnlyItsRows() throws {
        let rows = try fixture.scopeA.select(SQLSelect(from: "resources").orderBy(.ascending(SQLColumn("id"))))
        #expect(try rows.map { row throws(SQLiteError) in try row.text("tenant_id") } == ["tenant-a", "tenant-a"])
        #expect(try rows.map { row throws(SQLiteError) in try row.text("name") } == ["tenant-a-r1", "tenant-a-r2"])
        #expect(try fixture.allTenantIDs(in: "resources") == ["tenant-a", "tenant-a", "tenant-b", "tenant-b"])
    }

    @Test func rowsAreReadByNameWithTypedAccessors() throws {
        let row = try #require(
            try fixture.scopeA.select(SQLSelect(from: "resources", as: "r", columns: [SQLColumn("r.name"), SQLColumn("size")])
                .where(SQLColumn("id") == "r2")).first)
        #expect(row.columns == ["name", "size"])
        #expect(try row.text("NAME") == "tenant-a-r2")
        #expect(try row.int64("size") == 2)
        #expect(try row.double("size") == 2)
        #expect(row["missing"] == nil)
        #expect(throws: SQLiteError.self) { try row.value("missing") }
        #expect(throws: SQLiteError.self) { try row.int64("name") }
        #expect(throws: SQLiteError.self) { try row.text("size") }
        #expect(throws: SQLiteError.self) { try row.double("name") }
        #expect(throws: SQLiteError.self) { try row.blob("name") }
        let blobRow = SQLiteRow(columns: ["b", "r"], values: [.blob([1, 2]), .real(0.5)])
        #expect(try blobRow.blob("b") == [1, 2])
        #expect(try blobRow.double("r") == 0.5)
    }

    @Test func updateAndDeleteTouchOnlyTheTenantsMatchingRows() throws {
        let scope = fixture.scopeA
        #expect(try scope.update(SQLUpdate("resources", set: ["size": 7], where: SQLColumn("id") == "r1")) == 1)
        #expect(try scope.count(SQLSelect(from: "resources").where(SQLColumn("size") == 7)) == 1)
        #expect(try scope.delete(SQLDelete(from: "resources", where: SQLColumn("id") == "r2")) == 1)
        #expect(try scope.count(SQLSelect(from: "resources")) == 1)
        #expect(try fixture.resourcesOfB() == TenantDataFixture.untouchedResourcesOfB)
    }

    @Test func aLeftJoinNeverPairsARowWithAnotherTenantsRow() throws {
        let rows = try fixture.scopeA.select(
            SQLSelect(from: "resources", as: "r", columns: [SQLColumn("r.id"), SQLColumn("c.body")])
                .join(SQLJoin("comments", as: "c", on: SQLColumn("c.resource_id") == SQLColumn("r.id"), kind: .left))
                .orderBy(.ascending(SQLColumn("r.id"))))
        #expect(rows.map(\.values) == [["r1", "tenant-a says hi"], ["r2", .null]])
    }

    @Test func aViewOfSharedTablesIsReadableAndAViewOfATenantTableIsNot() throws {
        #expect(try fixture.scopeA.count(SQLSelect(from: "plan_names")) == 2)
        let error = try #require(throws: SQLiteError.self) { try fixture.scopeA.select(SQLSelect(from: "resource_names")) }
        #expect(error.code == .authorization)
        let admin = try fixture.store.crossTenantScope(reason: "test")
        #expect(try admin.count(SQLSelect(from: "resource_names")) == 4)
    }

    @Test func sharedTablesAreVisibleToEveryTenantAndJoinUnfiltered() throws {
        let scope = fixture.store.scoped(to: fixture.b)
        #expect(try scope.count(SQLSelect(from: "plans")) == 2)
        let joined = try scope.count(
            SQLSelect(from: "resources", as: "r").join(SQLJoin("plans", as: "p", on: SQLColumn("p.seats") > 1)))
        #expect(joined == 2)
    }

    @Test func aDuplicateKeyIsAConstraintErrorAndOtherTenantsMayReuseKeys() throws {
        let error = try #require(throws: SQLiteError.self) {
            try fixture.scopeA.insert(SQLInsert(into: "resources", values: ["id": "r1", "name": "again"]))
        }
        #expect(error.code == .constraintPrimaryKey)
        try fixture.store.scoped(to: TenantID.valid("tenant-c")).insert(SQLInsert(into: "resources", values: ["id": "r1", "name": "c"]))
        #expect(try fixture.allTenantIDs(in: "resources").count == 5)
    }

    @Test func theEscapeHatchUsesSharedTablesWithTheTenantBound() throws {
        let rows = try fixture.scopeA.unsafeRawSQL(
            "SELECT name, tenancy_current_tenant() AS tenant FROM plans WHERE seats > ?1 ORDER BY name", [0])
        #expect(rows.map(\.values) == [["free", "tenant-a"], ["pro", "tenant-a"]])
        _ = try fixture.scopeA.unsafeRawSQL("UPDATE plans SET seats = seats + 1")
        #expect(try fixture.scopeA.unsafeRawSQL("SELECT sum(seats) AS total FROM plans").first?.int64("total") == 13)
    }

    @Test func autoincrementTenantTablesWorkThroughTheBuilder() throws {
        let directory = TemporaryDirectory()
        let store = try SQLiteTenantDataStore(
            path: directory.file("auto.sqlite"), tenantTables: ["events"],
            migrations: [
                Migration(
                    version: 1, name: "events",
                    sql: "CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT, tenant_id TEXT NOT NULL, body TEXT NOT NULL) STRICT")
            ])
        let scope = store.scoped(to: fixture.a)
        try scope.insert(SQLInsert(into: "events", values: ["body": "one"]))
        try scope.insert(SQLInsert(into: "events", values: ["body": "two"]))
        #expect(try scope.select(SQLSelect(from: "events").orderBy(.ascending(SQLColumn("id")))).map(\.values) == [
            [1, "tenant-a", "one"], [2, "tenant-a", "two"],
        ])
        let error = try #require(throws: SQLiteError.self) { try scope.unsafeRawSQL("SELECT seq FROM sqlite_sequence") }
        #expect(error.code == .authorization)
    }

    @Test func reopeningKeepsRowsAndDoesNotDuplicateTheGuards() throws {
        fixture.store.close()
        #expect(fixture.store.isClosed)
        #expect(throws: SQLiteError.self) { try fixture.scopeA.count(SQLSelect(from: "resources")) }
        let reopened = try SQLiteTenantDataStore(
            path: fixture.store.path, tenantTables: TenantDataSchema.tables, migrations: TenantDataSchema.migrations)
        defer { reopened.close() }
        #expect(reopened.tenantTables == TenantDataSchema.tables)
        #expect(try reopened.scoped(to: fixture.a).count(SQLSelect(from: "resources")) == 2)
        let triggers = try reopened.withWriter(.migration, tenant: nil) { connection throws(SQLiteError) in
            try connection.rows("SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'")
        }
        #expect(triggers == [[.integer(Int64(3 * TenantDataSchema.tables.count))]])
    }

    @Test(arguments: [
        (TenantDataSchema.tables + ["nope"], "does not exist"), (TenantDataSchema.tables + ["plans"], "has no tenant_id column"),
        (["resources", "comments"], "\"tags\" has a tenant_id column but is not declared"), (["bad name"], "not a valid SQL name"),
    ])
    func aStoreRefusesTenantTablesItCannotGuard(_ tables: [String], _ message: String) throws {
        let directory = TemporaryDirectory()
        let error = try #require(throws: SQLiteError.self) {
            try SQLiteTenantDataStore(
                path: directory.file("x.sqlite"), tenantTables: tables, migrations: TenantDataSchema.migrations)
        }
        #expect(error.message.contains(message))
    }

    @Test func aCachedBuilderStatementSurvivesASchemaChangeAndRawSQLDoesNot() throws {
        let scope = fixture.scopeA
        let query = SQLSelect(from: "resources").where(SQLColumn("id") == "r1")
        #expect(try scope.count(query) == 1)
        // A schema change expires every prepared statement; SQLite re-prepares the cached one inside
        // step, and the authorizer judges the re-prepare by the mode at that moment.
        try fixture.store.withWriter(.migration, tenant: nil) { connection throws(SQLiteError) in
            try connection.executeScript("CREATE INDEX resources_by_name ON resources (tenant_id, name)")
        }
        #expect(try scope.count(query) == 1)
        #expect(try scope.select(query).count == 1)
        // A builder statement stepped outside builder mode is re-prepared untrusted and refused.
        let error = try #require(throws: SQLiteError.self) {
            try fixture.store.withWriter(.builder, tenant: fixture.a) { connection throws(SQLiteError) in
                let statement = try connection.prepare("SELECT count(*) FROM resources")
                try connection.isolation?.run(.migration, tenant: nil) { () throws(SQLiteError) in
                    try connection.executeScript("DROP INDEX resources_by_name")
                }
                try connection.isolation?.run(.untrusted, tenant: nil) { () throws(SQLiteError) in
                    _ = try statement.step()
                }
            }
        }
        #expect(error.code == .authorization)
    }
}
