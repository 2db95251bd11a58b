import Foundation
import Tenancy
import Testing

@testable import TenancySQLite

@Suite struct SQLiteDatabaseTests {
    let directory = TemporaryDirectory()

    func open(readers: Int = 2) throws -> SQLiteDatabase {
        let database = try SQLiteDatabase(
            path: directory.file("test.sqlite"),
            configuration: .init(connection: .init(busyTimeout: .seconds(10)), readerCount: readers))
        try database.write { connection throws(SQLiteError) in
            try connection.execute("CREATE TABLE IF NOT EXISTS t (x INTEGER NOT NULL) STRICT")
        }
        return database
    }

    func count(_ database: SQLiteDatabase) throws(SQLiteError) -> Int64 {
        try database.read { connection throws(SQLiteError) in
            try connection.query("SELECT count(*) FROM t") { row throws(SQLiteError) in try row.int64(at: 0) }[0]
        }
    }

    @Test func readersSeeCommittedWritesAndRefuseToWrite() throws {
        let database = try open()
        try database.write { connection throws(SQLiteError) in
            try connection.transaction { connection throws(SQLiteError) in
                try connection.execute("INSERT INTO t VALUES (1), (2)")
            }
        }
        #expect(try count(database) == 2)
        let error = try #require(throws: SQLiteError.self) {
            try database.read { connection throws(SQLiteError) in try connection.execute("INSERT INTO t VALUES (3)") }
        }
        #expect(error.code.primary == .readOnly)
        #expect(database.path == directory.file("test.sqlite"))
    }

    @Test func readersAreNotBlockedByAnOpenWriteTransactionAndSeeOnlyCommittedData() throws {
        let database = try open()
        let seenDuringWrite = try database.write { connection throws(SQLiteError) -> Int64 in
            try connection.transaction { connection throws(SQLiteError) -> Int64 in
                try connection.execute("INSERT INTO t VALUES (1)")
                return try count(database)
            }
        }
        #expect(seenDuringWrite == 0)
        #expect(try count(database) == 1)
    }

    @Test func aBodyThatLeavesATransactionOpenIsRolledBackAndFails() throws {
        let database = try open()
        #expect(throws: SQLiteError(.misuse, "the body left a transaction open; it was rolled back")) {
            try database.write { connection throws(SQLiteError) in
                try connection.execute("BEGIN IMMEDIATE")
                try connection.execute("INSERT INTO t VALUES (1)")
            }
        }
        #expect(throws: SQLiteError(.misuse, "the body left a transaction open; it was rolled back")) {
            try database.read { connection throws(SQLiteError) in
                try connection.execute("BEGIN")
                _ = try connection.rows("SELECT * FROM t")
            }
        }
        #expect(try count(database) == 0)
        try database.write { connection throws(SQLiteError) in try connection.execute("INSERT INTO t VALUES (1)") }
        #expect(try count(database) == 1)
    }

    @Test func aThrowingBodyHasItsTransactionRolledBack() throws {
        let database = try open()
        #expect(throws: SQLiteError(.error, "stop")) {
            try database.write { connection throws(SQLiteError) in
                try connection.execute("BEGIN IMMEDIATE")
                try connection.execute("INSERT INTO t VALUES (1)")
                throw SQLiteError(.error, "stop")
            }
        }
        #expect(try count(database) == 0)
    }

    @Test func withoutReadersReadsUseTheWriter() throws {
        let database = try open(readers: 0)
        try database.write { connection throws(SQLiteError) in try connection.execute("INSERT INTO t VALUES (1)") }
        #expect(try count(database) == 1)
    }

    @Test(arguments: [-1, 65])
    func aReaderCountOutsideItsRangeIsRefused(_ readers: Int) {
        #expect(throws: SQLiteError(.misuse, "readerCount must be between 0 and 64, got \(readers)")) {
            try SQLiteDatabase(path: directory.file("x.sqlite"), configuration: .init(readerCount: readers))
        }
    }

    @Test func manyThreadsShareAFewReadersAndOneWriter() throws {
        let database = try open(readers: 2)
        let failures = Collector<String>()
        onThreads(12) { index in
            do {
                for round in 0..<20 {
                    if index % 3 == 0 {
                        try database.write { connection throws(SQLiteError) in
                            try connection.transaction { connection throws(SQLiteError) in
                                try connection.execute("INSERT INTO t VALUES (?1)", [.integer(Int64(index * 100 + round))])
                            }
                        }
                    } else {
                        _ = try count(database)
                    }
                }
            } catch {
                failures.append("\(error)")
            }
        }
        #expect(failures.all == [])
        #expect(try count(database) == 80)
    }

    @Test func thePrepareHookRunsOnEveryConnection() throws {
        let prepared = Synchronized(0)
        let database = try SQLiteDatabase(path: directory.file("hook.sqlite"), configuration: .init(readerCount: 3)) {
            connection throws(SQLiteError) in
            prepared.withLock { $0 += 1 }
            try connection.createFunction("answer", argumentCount: 0, options: [.deterministic]) { _ throws(SQLiteError) in 42 }
        }
        #expect(prepared.withLock { $0 } == 4)
        let answer = try database.read { connection throws(SQLiteError) -> [[SQLiteValue]] in try connection.rows("SELECT answer()") }
        #expect(answer == [[.integer(42)]])
    }

    @Test func afterCloseEveryAccessFails() throws {
        let database = try open()
        database.close()
        database.close()
        #expect(database.isClosed)
        let closed = SQLiteError(.misuse, "the database is closed")
        #expect(throws: closed) { try database.write { _ throws(SQLiteError) in } }
        #expect(throws: closed) { try database.read { _ throws(SQLiteError) in } }
    }

    @Test func aReaderInUseWhileClosingIsClosedWhenReturned() throws {
        let database = try open(readers: 1)
        let reader = try database.read { connection throws(SQLiteError) -> SQLiteConnection in
            database.close()
            #expect(connection.isOpen)
            return connection
        }
        #expect(!reader.isOpen)
    }

    @Test func anUnopenableDatabaseFailsWithThePath() {
        let path = directory.file("no/such/dir/x.sqlite")
        #expect(throws: SQLiteError(.cannotOpen, "cannot open the database at '\(path)': unable to open database file")) {
            try SQLiteDatabase(path: path)
        }
    }
}
