import Dispatch
import Foundation
import Tenancy
import Testing

@testable import TenancySQLite

/// Database-per-tenant: lazy opening, the pool bound, migration on first open, safe file names.
@Suite struct SQLiteTenantDatabasePoolTests {
    let directory = TemporaryDirectory()
    let a = TenantID.valid("tenant-a")
    let b = TenantID.valid("tenant-b")

    func pool(capacity: Int = 4, timeout: Duration = .seconds(10)) throws -> SQLiteTenantDatabasePool {
        try SQLiteTenantDatabasePool(
            directory: directory.file("tenants"), tenantTables: TenantDataSchema.tables, migrations: TenantDataSchema.migrations,
            configuration: .init(capacity: capacity, checkoutTimeout: timeout))
    }

    func files() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.file("tenants")).filter { $0.hasSuffix(".sqlite") }.sorted()
    }

    func insert(_ id: String, for tenant: TenantID, in pool: SQLiteTenantDatabasePool) throws {
        try pool.scoped(to: tenant).insert(SQLInsert(into: "resources", values: ["id": .text(id), "name": "n"]))
    }

    @Test func filesAreOpenedAndMigratedOnFirstUseOnly() throws {
        let pool = try pool()
        #expect(try files().isEmpty)
        #expect(pool.openCount == 0)
        try insert("r1", for: a, in: pool)
        #expect(try files() == ["t-tenant-a.sqlite"])
        let connection = try SQLiteConnection(path: directory.file("tenants/t-tenant-a.sqlite"))
        #expect(try Migrator.version(of: connection) == TenantDataSchema.migrations.count)
        #expect(try connection.rows("SELECT tenant_id, id FROM resources") == [["tenant-a", "r1"]])
        #expect(pool.openings == 1)
    }

    @Test func eachTenantSeesOnlyItsOwnFile() throws {
        let pool = try pool()
        try insert("r1", for: a, in: pool)
        try insert("r1", for: b, in: pool)
        try insert("r2", for: b, in: pool)
        #expect(try pool.scoped(to: a).count(SQLSelect(from: "resources")) == 1)
        #expect(try pool.scoped(to: b).count(SQLSelect(from: "resources")) == 2)
        let error = try #require(throws: SQLiteError.self) {
            try pool.scoped(to: a).unsafeRawSQL("ATTACH DATABASE ?1 AS b", [.text(directory.file("tenants/t-tenant-b.sqlite"))])
        }
        #expect(error.code == .authorization)
    }

    @Test func thePoolClosesTheLeastRecentlyUsedIdleFileAndReopensItLater() throws {
        let pool = try pool(capacity: 2)
        let c = TenantID.valid("tenant-c")
        try insert("r1", for: a, in: pool)
        try insert("r1", for: b, in: pool)
        _ = try pool.scoped(to: a).count(SQLSelect(from: "resources"))
        try insert("r1", for: c, in: pool)
        #expect(pool.openCount == 2)
        #expect(pool.openings == 3)
        #expect(try pool.scoped(to: a).count(SQLSelect(from: "resources")) == 1)
        #expect(pool.openings == 3, "A was used more recently than B, so B was closed")
        #expect(try pool.scoped(to: b).count(SQLSelect(from: "resources")) == 1)
        #expect(pool.openings == 4)
        #expect(pool.openCount == 2)
    }

    @Test func aFileInUseIsNeverClosedAndTheNextCallerWaitsForIt() throws {
        let pool = try pool(capacity: 1)
        let release = DispatchSemaphore(value: 0)
        let entered = DispatchSemaphore(value: 0)
        let results = Collector<Int>()
        onThreads(2) { index in
            if index == 0 {
                _ = try? pool.withStore(for: a) { store throws(SQLiteError) in
                    entered.signal()
                    release.wait()
                    results.append(try store.count(SQLSelect(from: "resources"), tenant: a))
                }
            } else {
                entered.wait()
                let waiting = Thread { _ = eventually { pool.waitingCount == 1 }; release.signal() }
                waiting.start()
                results.append((try? pool.scoped(to: b).count(SQLSelect(from: "resources"))) ?? -1)
            }
        }
        #expect(results.all.sorted() == [0, 0])
        #expect(pool.openings == 2)
        #expect(pool.openCount == 1)
    }

    @Test func aCallerGivesUpWhenEveryFileStaysInUse() throws {
        let pool = try pool(capacity: 1, timeout: .milliseconds(20))
        let error = try #require(throws: SQLiteError.self) {
            try pool.withStore(for: a) { _ throws(SQLiteError) in
                try pool.scoped(to: b).count(SQLSelect(from: "resources"))
            }
        }
        #expect(error.code == .busy)
        #expect(pool.waitingCount == 0)
        #expect(try pool.scoped(to: a).count(SQLSelect(from: "resources")) == 0)
    }

    @Test(arguments: [
        (".", "t-_2e.sqlite"), ("..", "t-_2e_2e.sqlite"), ("...", "t-_2e_2e_2e.sqlite"), ("Acme", "t-_41cme.sqlite"),
        ("acme", "t-acme.sqlite"), ("_41cme", "t-_5f41cme.sqlite"), ("-rf", "t--rf.sqlite"), ("a.sqlite-wal", "t-a_2esqlite-wal.sqlite"),
    ])
    func fileNamesStayInsideTheDirectoryAndNeverCollide(_ raw: String, _ expected: String) throws {
        #expect(try SQLiteTenantDatabasePool.fileName(for: TenantID.valid(raw)) == expected)
        let pool = try pool()
        try insert("r1", for: TenantID.valid(raw), in: pool)
        #expect(try files() == [expected])
    }

    @Test func anIDTooLongForAFileNameIsRefused() throws {
        let long = TenantID.valid(String(repeating: "A", count: 81))
        let error = try #require(throws: SQLiteError.self) { try pool().scoped(to: long).count(SQLSelect(from: "resources")) }
        #expect(error.code == .cannotOpen)
        #expect(try SQLiteTenantDatabasePool.fileName(for: TenantID.valid(String(repeating: "a", count: 240))).utf8.count == 249)
        #expect(try SQLiteTenantDatabasePool.fileName(for: TenantID.valid(String(repeating: "A", count: 80))).utf8.count == 249)
    }

    @Test func aClosedPoolRefusesWorkAndABadCapacityIsRefused() throws {
        let pool = try pool()
        try insert("r1", for: a, in: pool)
        pool.close()
        #expect(pool.openCount == 0)
        #expect(throws: SQLiteError.self) { try pool.scoped(to: a).count(SQLSelect(from: "resources")) }
        #expect(throws: SQLiteError.self) {
            try SQLiteTenantDatabasePool(directory: directory.path, tenantTables: [], migrations: [], configuration: .init(capacity: 0))
        }
        #expect(throws: SQLiteError.self) {
            try SQLiteTenantDatabasePool(directory: "/proc/forbidden", tenantTables: [], migrations: [])
        }
    }
}
