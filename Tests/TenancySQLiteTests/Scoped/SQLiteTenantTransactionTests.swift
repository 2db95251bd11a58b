import Tenancy
import Testing

@testable import TenancySQLite

/// A resource as a demo would model it.
struct Resource: SQLiteRowDecodable, Equatable {
    var id: String
    var name: String
    var size: Int64

    init(id: String, name: String, size: Int64) {
        self.id = id
        self.name = name
        self.size = size
    }

    init(row: SQLiteRow) throws(SQLiteError) {
        self.init(id: try row.text("id"), name: try row.text("name"), size: try row.int64("size"))
    }
}

/// Typed rows and transactions of a tenant scope.
@Suite struct SQLiteTenantTransactionTests {
    let fixture: TenantDataFixture

    init() throws {
        fixture = try TenantDataFixture()
    }

    @Test func rowsAreReadAsTheCallersType() throws {
        let query = SQLSelect(from: "resources").orderBy(.ascending(SQLColumn("id")))
        #expect(try fixture.scopeA.select(query, as: Resource.self) == [
            Resource(id: "r1", name: "tenant-a-r1", size: 1), Resource(id: "r2", name: "tenant-a-r2", size: 2),
        ])
        #expect(throws: SQLiteError.self) {
            try fixture.scopeA.select(SQLSelect(from: "comments"), as: Resource.self)
        }
    }

    @Test func everyOperationOfATransactionCommitsTogether() throws {
        let moved = try fixture.scopeA.transaction { transaction throws(SQLiteError) -> Int in
            try transaction.insert(SQLInsert(into: "resources", values: ["id": "r3", "name": "n", "size": 3]))
            try transaction.update(SQLUpdate("resources", set: ["size": 0], where: SQLColumn("id") == "r1"))
            try transaction.delete(SQLDelete(from: "comments"))
            let rows = try transaction.select(SQLSelect(from: "resources").where(SQLColumn("size") == 0), as: Resource.self)
            #expect(rows.map(\.id) == ["r1"])
            return try transaction.count(SQLSelect(from: "resources"))
        }
        #expect(moved == 3)
        #expect(try fixture.scopeA.count(SQLSelect(from: "comments")) == 0)
        #expect(try fixture.resourcesOfB() == TenantDataFixture.untouchedResourcesOfB)
    }

    @Test func aThrowingBodyRollsEverythingBack() throws {
        #expect(throws: SQLiteError.self) {
            try fixture.scopeA.transaction { transaction throws(SQLiteError) in
                try transaction.delete(SQLDelete(from: "resources"))
                try transaction.insert(SQLInsert(into: "resources", values: ["id": "r1", "name": "dup"]))
                try transaction.insert(SQLInsert(into: "resources", values: ["id": "r1", "name": "dup"]))
            }
        }
        #expect(try fixture.scopeA.count(SQLSelect(from: "resources")) == 2)
    }

    @Test func aTransactionKeptPastItsBodyRefusesWork() throws {
        let kept = try fixture.scopeA.transaction { transaction throws(SQLiteError) in transaction }
        let error = try #require(throws: SQLiteError.self) { try kept.count(SQLSelect(from: "resources")) }
        #expect(error.code == .misuse)
    }

    @Test func aPooledTenantsTransactionRunsInItsOwnFile() throws {
        let directory = TemporaryDirectory()
        let pool = try SQLiteTenantDatabasePool(
            directory: directory.path, tenantTables: TenantDataSchema.tables, migrations: TenantDataSchema.migrations)
        try pool.scoped(to: fixture.a).transaction { transaction throws(SQLiteError) in
            try transaction.insert(SQLInsert(into: "resources", values: ["id": "r1", "name": "n"]))
        }
        #expect(try pool.scoped(to: fixture.a).count(SQLSelect(from: "resources")) == 1)
        #expect(try pool.scoped(to: fixture.b).count(SQLSelect(from: "resources")) == 0)
    }
}
