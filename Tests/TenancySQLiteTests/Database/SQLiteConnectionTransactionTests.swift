import Foundation
import Testing

@testable import TenancySQLite

@Suite struct SQLiteConnectionTransactionTests {
    let directory = TemporaryDirectory()

    struct Refused: SQLiteErrorConvertible, Equatable {
        var reason: String
        init(_ reason: String) { self.reason = reason }
        init(_ sqliteError: SQLiteError) { reason = sqliteError.description }
    }

    func open(_ options: SQLiteConnection.Options = .init()) throws -> SQLiteConnection {
        let connection = try SQLiteConnection(path: directory.file("test.sqlite"), options: options)
        try connection.execute("CREATE TABLE IF NOT EXISTS t (x INTEGER NOT NULL) STRICT")
        return connection
    }

    func values(_ connection: SQLiteConnection) throws -> [Int64] {
        try connection.query("SELECT x FROM t ORDER BY x") { row throws(SQLiteError) in try row.int64(at: 0) }
    }

    @Test func aTransactionCommitsWhenItsBodyReturns() throws {
        let connection = try open()
        let result = try connection.transaction { connection throws(SQLiteError) -> Int in
            #expect(connection.isInTransaction)
            try connection.execute("INSERT INTO t VALUES (1), (2)")
            return 7
        }
        #expect(result == 7)
        #expect(!connection.isInTransaction)
        #expect(try values(connection) == [1, 2])
    }

    @Test func aTransactionRollsBackWhenItsBodyThrowsItsOwnError() throws {
        let connection = try open()
        #expect(throws: Refused("no")) {
            try connection.transaction(.immediate) { connection throws(Refused) in
                do throws(SQLiteError) { try connection.execute("INSERT INTO t VALUES (1)") } catch { throw Refused(error) }
                throw Refused("no")
            }
        }
        #expect(!connection.isInTransaction)
        #expect(try values(connection) == [])
    }

    @Test(arguments: SQLiteConnection.TransactionKind.allCases)
    func everyTransactionKindCommits(_ kind: SQLiteConnection.TransactionKind) throws {
        let connection = try open()
        try connection.transaction(kind) { connection throws(SQLiteError) in
            try connection.execute("INSERT INTO t VALUES (5)")
        }
        #expect(try values(connection) == [5])
    }

    @Test func aNestedTransactionIsASavepointThatRollsBackAlone() throws {
        let connection = try open()
        try connection.transaction { connection throws(SQLiteError) in
            try connection.execute("INSERT INTO t VALUES (1)")
            #expect(throws: SQLiteError(.constraint, "inner failure")) {
                try connection.transaction { connection throws(SQLiteError) in
                    try connection.execute("INSERT INTO t VALUES (2)")
                    throw SQLiteError(.constraint, "inner failure")
                }
            }
            #expect(connection.isInTransaction)
            try connection.execute("INSERT INTO t VALUES (3)")
        }
        #expect(try values(connection) == [1, 3])
    }

    @Test func savepointsNestThreeDeepAndEachRollbackUndoesOnlyItsLevel() throws {
        let connection = try open()
        try connection.transaction { connection throws(SQLiteError) in
            try connection.execute("INSERT INTO t VALUES (1)")
            try connection.savepoint { connection throws(SQLiteError) in
                try connection.execute("INSERT INTO t VALUES (2)")
                _ = try? connection.savepoint { connection throws(SQLiteError) in
                    try connection.execute("INSERT INTO t VALUES (3)")
                    _ = try? connection.savepoint { connection throws(SQLiteError) in
                        try connection.execute("INSERT INTO t VALUES (4)")
                        throw SQLiteError(.error, "level 3")
                    }
                    #expect(connection.savepointDepth == 2)
                    throw SQLiteError(.error, "level 2")
                }
                try connection.execute("INSERT INTO t VALUES (5)")
            }
        }
        #expect(try values(connection) == [1, 2, 5])
        #expect(connection.savepointDepth == 0)
    }

    @Test func aSavepointOutsideATransactionCommitsOrRollsBackByItself() throws {
        let connection = try open()
        try connection.savepoint { connection throws(SQLiteError) in try connection.execute("INSERT INTO t VALUES (1)") }
        #expect(throws: SQLiteError.self) {
            try connection.savepoint { connection throws(SQLiteError) in
                try connection.execute("INSERT INTO t VALUES (2)")
                throw SQLiteError(.error, "undo")
            }
        }
        #expect(!connection.isInTransaction)
        #expect(try values(connection) == [1])
    }

    @Test func aFailedCommitRollsBackAndReportsTheCommitError() throws {
        let connection = try open()
        try connection.executeScript(
            """
            CREATE TABLE parent (id INTEGER PRIMARY KEY) STRICT;
            CREATE TABLE child (parent INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED) STRICT;
            """)
        let error = try #require(throws: SQLiteError.self) {
            try connection.transaction { connection throws(SQLiteError) in
                try connection.execute("INSERT INTO child VALUES (42)")
            }
        }
        #expect(error.code == .constraintForeignKey)
        #expect(!connection.isInTransaction)
        #expect(try connection.rows("SELECT count(*) FROM child") == [[.integer(0)]])
    }

    @Test func aBodyErrorAfterSQLiteRolledBackByItselfIsStillReported() throws {
        let connection = try open()
        #expect(throws: Refused("after rollback")) {
            try connection.transaction { connection throws(Refused) in
                do throws(SQLiteError) { try connection.execute("ROLLBACK") } catch { throw Refused(error) }
                throw Refused("after rollback")
            }
        }
        #expect(!connection.isInTransaction)
    }

    @Test func beginImmediateWaitsForTheBusyTimeoutThenFailsWithBusy() throws {
        let holder = try open()
        let waiter = try open(.init(busyTimeout: .milliseconds(300)))
        try holder.execute("BEGIN IMMEDIATE")
        defer { _ = try? holder.execute("ROLLBACK") }
        let start = ContinuousClock.now
        let error = try #require(throws: SQLiteError.self) {
            try waiter.transaction(.immediate) { _ throws(SQLiteError) in }
        }
        let waited = ContinuousClock.now - start
        #expect(error.code.primary == .busy)
        #expect(error.message == "database is locked")
        #expect(waited >= .milliseconds(250))
        #expect(waited < .seconds(5))
    }

    @Test func aSecondWriterProceedsOnceTheFirstCommitsWithinTheBusyTimeout() throws {
        let path = directory.file("test.sqlite")
        _ = try open()
        let holderLocked = DispatchSemaphore(value: 0)
        let holderThread = Thread {
            guard let holder = try? SQLiteConnection(path: path) else { return }
            _ = try? holder.execute("BEGIN IMMEDIATE")
            _ = try? holder.execute("INSERT INTO t VALUES (1)")
            holderLocked.signal()
            usleep(200_000)
            _ = try? holder.execute("COMMIT")
        }
        holderThread.start()
        holderLocked.wait()
        let waiter = try open(.init(busyTimeout: .seconds(10)))
        let start = ContinuousClock.now
        try waiter.transaction(.immediate) { connection throws(SQLiteError) in
            try connection.execute("INSERT INTO t VALUES (2)")
        }
        #expect(ContinuousClock.now - start >= .milliseconds(100))
        #expect(try values(waiter) == [1, 2])
    }
}
