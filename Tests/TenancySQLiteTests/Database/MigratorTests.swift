import Foundation
import Tenancy
import Testing

@testable import TenancySQLite

@Suite struct MigratorTests {
    let directory = TemporaryDirectory()

    static let migrations = [
        Migration(version: 1, name: "create a", sql: "CREATE TABLE a (x INTEGER NOT NULL) STRICT;"),
        Migration(version: 2, name: "create b", sql: "CREATE TABLE b (y TEXT NOT NULL) STRICT;"),
        Migration(version: 3, name: "seed a") { connection throws(SQLiteError) in
            try connection.execute("INSERT INTO a VALUES (1)")
        },
    ]

    func open() throws -> SQLiteConnection {
        try SQLiteConnection(path: directory.file("test.sqlite"))
    }

    func tables(_ connection: SQLiteConnection) throws -> [String] {
        try connection.query("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name") { row throws(SQLiteError) in
            try row.text(at: 0)
        }
    }

    @Test func appliesEveryMigrationInOrderAndRecordsTheVersion() throws {
        let connection = try open()
        let migrator = try Migrator(Self.migrations)
        #expect(try Migrator.version(of: connection) == 0)
        #expect(try migrator.migrate(connection) == [1, 2, 3])
        #expect(try Migrator.version(of: connection) == 3)
        #expect(migrator.latestVersion == 3)
        #expect(try tables(connection) == ["a", "b"])
        #expect(try connection.rows("SELECT x FROM a") == [[.integer(1)]])
    }

    @Test func aCurrentDatabaseIsLeftAlone() throws {
        let connection = try open()
        let migrator = try Migrator(Self.migrations)
        try migrator.migrate(connection)
        #expect(try migrator.migrate(connection) == [])
        #expect(try connection.rows("SELECT count(*) FROM a") == [[.integer(1)]])
    }

    @Test func onlyNewMigrationsRunOnAnOlderDatabase() throws {
        let connection = try open()
        try Migrator(Array(Self.migrations.prefix(1))).migrate(connection)
        #expect(try Migrator(Self.migrations).migrate(connection) == [2, 3])
    }

    @Test func aFailingMigrationRollsBackAloneAndNamesItself() throws {
        let connection = try open()
        let migrator = try Migrator([
            Self.migrations[0],
            Migration(
                version: 2, name: "half done",
                sql: "CREATE TABLE c (z INTEGER) STRICT; INSERT INTO nowhere VALUES (1);"),
        ])
        let error = try #require(throws: SQLiteError.self) { try migrator.migrate(connection) }
        #expect(error == SQLiteError(.error, "migration 2 ('half done') failed: no such table: nowhere"))
        #expect(try Migrator.version(of: connection) == 1)
        #expect(try tables(connection) == ["a"])
        #expect(!connection.isInTransaction)
    }

    @Test func aDatabaseNewerThanTheCodeIsRefused() throws {
        let connection = try open()
        try connection.executeScript("PRAGMA user_version = 7")
        let error = try #require(throws: SQLiteError.self) { try Migrator(Self.migrations).migrate(connection) }
        #expect(
            error
                == SQLiteError(
                    .error, "the database schema is at version 7, newer than this code's 3; refusing to use it"))
        #expect(throws: SQLiteError.self) { try Migrator([]).migrate(connection) }
    }

    @Test(arguments: [[2], [1, 3], [1, 1], [0, 1]])
    func versionsMustCountFromOneWithoutGaps(_ versions: [Int]) {
        let migrations = versions.map { Migration(version: $0, name: "m\($0)", sql: "SELECT 1") }
        let listed = versions.map(String.init).joined(separator: ", ")
        #expect(throws: SQLiteError(.misuse, "migration versions must be 1, 2, 3, ... in order; got \(listed)")) {
            try Migrator(migrations)
        }
    }

    @Test func concurrentMigratorsApplyEachMigrationExactlyOnce() throws {
        let path = directory.file("test.sqlite")
        _ = try open()
        let counter = Synchronized(0)
        let migrator = try Migrator([
            Migration(version: 1, name: "count") { connection throws(SQLiteError) in
                counter.withLock { $0 += 1 }
                try connection.execute("CREATE TABLE once (x INTEGER) STRICT")
            }
        ])
        let failures = Collector<String>()
        onThreads(6) { _ in
            do {
                let connection = try SQLiteConnection(path: path, options: .init(busyTimeout: .seconds(10)))
                try migrator.migrate(connection)
            } catch {
                failures.append("\(error)")
            }
        }
        #expect(failures.all == [])
        #expect(counter.withLock { $0 } == 1)
        #expect(try Migrator.version(of: try open()) == 1)
    }
}
