import Foundation
import Testing

@testable import TenancySQLite

@Suite struct SQLiteConnectionTests {
    let directory = TemporaryDirectory()

    func open(_ name: String = "test.sqlite", _ options: SQLiteConnection.Options = .init()) throws -> SQLiteConnection {
        try SQLiteConnection(path: directory.file(name), options: options)
    }

    func scalar(_ connection: SQLiteConnection, _ sql: String) throws -> SQLiteValue {
        try #require(try connection.rows(sql).first?.first)
    }

    // MARK: - Opening

    @Test func opensInWALWithForeignKeysOnAndUntrustedSchema() throws {
        let connection = try open()
        #expect(try scalar(connection, "PRAGMA journal_mode") == .text("wal"))
        #expect(try scalar(connection, "PRAGMA foreign_keys") == .integer(1))
        #expect(try scalar(connection, "PRAGMA trusted_schema") == .integer(0))
        #expect(try scalar(connection, "PRAGMA synchronous") == .integer(2))
        #expect(try scalar(connection, "PRAGMA query_only") == .integer(0))
        #expect(connection.isOpen)
        #expect(connection.path == directory.file("test.sqlite"))
    }

    @Test func normalSynchronousAndQueryOnlyAreApplied() throws {
        _ = try open()
        let connection = try open("test.sqlite", .init(synchronous: .normal, isQueryOnly: true, createsFile: false))
        #expect(try scalar(connection, "PRAGMA synchronous") == .integer(1))
        #expect(try scalar(connection, "PRAGMA query_only") == .integer(1))
        let error = try #require(throws: SQLiteError.self) { try connection.execute("CREATE TABLE t (x INTEGER) STRICT") }
        #expect(error.code.primary == .readOnly)
    }

    @Test func anInMemoryDatabaseOpens() throws {
        let connection = try SQLiteConnection(path: ":memory:")
        #expect(try connection.rows("SELECT 1 + 1") == [[.integer(2)]])
    }

    @Test func aMissingDirectoryIsACannotOpenErrorNamingThePath() throws {
        let path = directory.file("missing/dir/test.sqlite")
        let error = try #require(throws: SQLiteError.self) { try SQLiteConnection(path: path) }
        #expect(error.code == .cannotOpen)
        #expect(error.message == "cannot open the database at '\(path)': unable to open database file")
    }

    @Test func aDirectoryIsNotADatabaseFile() throws {
        let error = try #require(throws: SQLiteError.self) { try SQLiteConnection(path: directory.path) }
        #expect(error.code.primary == .cannotOpen)
        #expect(error.message.contains(directory.path))
    }

    @Test func aFileThatIsNotADatabaseIsRefused() throws {
        let path = directory.file("garbage.sqlite")
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: SQLiteError.self) { try SQLiteConnection(path: path) }
        #expect(error.code == .notADatabase)
        #expect(error.message == "cannot configure the database at '\(path)': file is not a database")
    }

    @Test func withoutCreateAMissingFileIsNotCreated() throws {
        let path = directory.file("absent.sqlite")
        let error = try #require(throws: SQLiteError.self) {
            try SQLiteConnection(path: path, options: .init(createsFile: false))
        }
        #expect(error.code == .cannotOpen)
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test(arguments: [
        (Duration.seconds(5), Int32(5_000)), (.milliseconds(1_500), 1_500), (.seconds(-1), 0),
        (.seconds(Int64.max), Int32.max),
    ])
    func busyTimeoutsConvertToClampedMilliseconds(_ timeout: Duration, _ milliseconds: Int32) {
        #expect(SQLiteConnection.Options(busyTimeout: timeout).busyTimeoutMilliseconds == milliseconds)
    }

    // MARK: - Binding and reading

    @Test(arguments: [
        SQLiteValue.null, .integer(0), .integer(Int64.min), .integer(Int64.max), .real(3.25), .real(-0.5),
        .real(Double.infinity), .text(""), .text("acme"), .text("zero\u{0}byte"), .text("Grüße, 世界 🎉"),
        .blob([]), .blob([0, 1, 2, 0xFF]), .blob(Array(repeating: 0xAB, count: 100_000)),
    ])
    func everyValueRoundTripsThroughAnAnyColumn(_ value: SQLiteValue) throws {
        let connection = try open()
        try connection.execute("CREATE TABLE t (v ANY) STRICT")
        try connection.execute("INSERT INTO t (v) VALUES (?1)", [value])
        #expect(try connection.rows("SELECT v, typeof(v) FROM t") == [[value, .text(value.typeName)]])
    }

    @Test func typedBindingsAndReadersRoundTrip() throws {
        let connection = try open()
        try connection.execute("CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB, n TEXT) STRICT")
        let insert = try connection.prepare("INSERT INTO t VALUES (?1, ?2, ?3, ?4, ?5)")
        #expect(insert.parameterCount == 5)
        #expect(!insert.isReadOnly)
        try insert.bind(Int64(42), at: 1)
        try insert.bind(2.5, at: 2)
        try insert.bind("hello", at: 3)
        try insert.bind([UInt8]([1, 2, 3]), at: 4)
        try insert.bindNull(at: 5)
        #expect(try insert.step() == false)

        let select = try connection.prepare("SELECT i, r, s, b, n, i AS alias FROM t")
        #expect(select.isReadOnly)
        #expect(select.columnCount == 6)
        #expect(try select.step())
        #expect(try select.int64(at: 0) == 42)
        #expect(try select.double(at: 0) == 42)
        #expect(try select.double(at: 1) == 2.5)
        #expect(try select.text(at: 2) == "hello")
        #expect(try select.blob(at: 3) == [1, 2, 3])
        #expect(try select.isNull(at: 4))
        #expect(try !select.isNull(at: 0))
        #expect(try select.columnName(at: 5) == "alias")
        #expect(try select.row() == [.integer(42), .real(2.5), .text("hello"), .blob([1, 2, 3]), .null, .integer(42)])
        #expect(try select.step() == false)
    }

    @Test func aZeroLengthBlobIsNotNull() throws {
        let connection = try open()
        try connection.execute("CREATE TABLE t (b BLOB NOT NULL) STRICT")
        try connection.execute("INSERT INTO t VALUES (?1)", [.blob([])])
        let rows = try connection.query("SELECT b FROM t") { row throws(SQLiteError) in try row.blob(at: 0) }
        #expect(rows == [[]])
    }

    @Test func anEmptyStringIsNotNull() throws {
        let connection = try open()
        try connection.execute("CREATE TABLE t (s TEXT NOT NULL) STRICT")
        let statement = try connection.prepare("INSERT INTO t VALUES (?1)")
        try statement.bind("", at: 1)
        try statement.step()
        #expect(try connection.rows("SELECT s, length(s) FROM t") == [[.text(""), .integer(0)]])
    }

    @Test func readingTheWrongTypeIsAMismatchNamingTheColumn() throws {
        let connection = try open()
        let statement = try connection.prepare("SELECT NULL AS quota, 'x' AS name, 1.5 AS ratio")
        try statement.step()
        let nullAsText = try #require(throws: SQLiteError.self) { try statement.text(at: 0) }
        #expect(nullAsText == SQLiteError(.mismatch, "column 0 ('quota') holds NULL, not text"))
        let textAsInteger = try #require(throws: SQLiteError.self) { try statement.int64(at: 1) }
        #expect(textAsInteger == SQLiteError(.mismatch, "column 1 ('name') holds text, not an integer"))
        let realAsBlob = try #require(throws: SQLiteError.self) { try statement.blob(at: 2) }
        #expect(realAsBlob == SQLiteError(.mismatch, "column 2 ('ratio') holds a real, not a blob"))
        let textAsDouble = try #require(throws: SQLiteError.self) { try statement.double(at: 1) }
        #expect(textAsDouble == SQLiteError(.mismatch, "column 1 ('name') holds text, not a real"))
    }

    @Test func indexesOutOfRangeAndMissingRowsAreErrorsNotTraps() throws {
        let connection = try open()
        let statement = try connection.prepare("SELECT ?1")
        #expect(throws: SQLiteError(.range, "parameter index 0 is outside 1...1")) { try statement.bind(.null, at: 0) }
        #expect(throws: SQLiteError(.range, "parameter index 2 is outside 1...1")) { try statement.bind(.null, at: 2) }
        #expect(throws: SQLiteError(.range, "the statement has 1 parameters but 2 values were bound")) {
            try statement.bind([1, 2])
        }
        #expect(throws: SQLiteError(.misuse, "there is no current row; step() must return true before columns are read")) {
            try statement.value(at: 0)
        }
        try statement.bind([7])
        try statement.step()
        #expect(throws: SQLiteError(.range, "column index 1 is outside 0..<1")) { try statement.value(at: 1) }
        #expect(throws: SQLiteError(.range, "column index -1 is outside 0..<1")) { try statement.columnName(at: -1) }
        #expect(try statement.value(at: 0) == .integer(7))
        try statement.step()
        #expect(throws: SQLiteError.self) { try statement.int64(at: 0) }
    }

    @Test func aQueryWithTheWrongNumberOfValuesFailsBeforeRunning() throws {
        let connection = try open()
        #expect(throws: SQLiteError(.range, "the statement has 2 parameters but 1 values were bound")) {
            try connection.rows("SELECT ?1, ?2", [1])
        }
    }

    @Test func bindingAfterAStepWithoutResetIsSQLitesMisuse() throws {
        let connection = try open()
        let statement = try connection.prepare("SELECT ?1 UNION ALL SELECT 2")
        try statement.bind(.integer(1), at: 1)
        #expect(try statement.step())
        let error = try #require(throws: SQLiteError.self) { try statement.bind(.integer(5), at: 1) }
        #expect(error.code == .misuse)
        statement.reset()
        try statement.bind(.integer(5), at: 1)
        #expect(try statement.step())
        #expect(try statement.int64(at: 0) == 5)
        statement.clearBindings()
    }

    // MARK: - Preparing

    @Test func prepareRefusesASecondStatement() throws {
        let connection = try open()
        try connection.execute("CREATE TABLE t (x INTEGER) STRICT")
        let error = try #require(throws: SQLiteError.self) {
            try connection.prepare("SELECT * FROM t; DROP TABLE t")
        }
        #expect(error == SQLiteError(.misuse, "the SQL holds more than one statement; prepare them one at a time"))
        #expect(throws: SQLiteError.self) { try connection.execute("DELETE FROM t; DROP TABLE t;") }
        #expect(throws: SQLiteError.self) { try connection.execute("SELECT 1; SELECT (") }
        #expect(try connection.rows("SELECT count(*) FROM t") == [[.integer(0)]])
    }

    @Test func trailingSemicolonsWhitespaceAndCommentsAreAllowed() throws {
        let connection = try open()
        #expect(try connection.rows("SELECT 1; -- done\n /* really */ ;  ") == [[.integer(1)]])
    }

    @Test(arguments: ["", "   ", "-- only a comment", ";"])
    func sqlWithoutAStatementIsAMisuseError(_ sql: String) throws {
        let connection = try open()
        #expect(throws: SQLiteError(.misuse, "the SQL holds no statement")) { try connection.prepare(sql) }
    }

    @Test func aSyntaxErrorCarriesSQLitesMessage() throws {
        let connection = try open()
        #expect(throws: SQLiteError(.error, "near \"SELEKT\": syntax error")) { try connection.execute("SELEKT 1") }
        #expect(throws: SQLiteError(.error, "no such table: nowhere")) { try connection.rows("SELECT * FROM nowhere") }
    }

    @Test func doubleQuotedStringLiteralsAreRefused() throws {
        let connection = try open()
        #expect(throws: SQLiteError(.error, "no such column: nope")) { try connection.rows("SELECT \"nope\"") }
    }

    @Test func constraintFailuresCarryExtendedCodes() throws {
        let connection = try open()
        try connection.executeScript(
            """
            CREATE TABLE parent (id INTEGER PRIMARY KEY) STRICT;
            CREATE TABLE child (
                id INTEGER PRIMARY KEY, parent INTEGER REFERENCES parent (id), name TEXT NOT NULL UNIQUE,
                size INTEGER CHECK (size >= 0)
            ) STRICT;
            INSERT INTO parent VALUES (1);
            INSERT INTO child VALUES (1, 1, 'a', 0);
            """)
        func code(_ sql: String) throws -> SQLiteError.Code {
            try #require(throws: SQLiteError.self) { try connection.execute(sql) }.code
        }
        #expect(try code("INSERT INTO child VALUES (2, 99, 'b', 0)") == .constraintForeignKey)
        #expect(try code("INSERT INTO child VALUES (2, 1, 'a', 0)") == .constraintUnique)
        #expect(try code("INSERT INTO child VALUES (1, 1, 'c', 0)") == .constraintPrimaryKey)
        #expect(try code("INSERT INTO child VALUES (2, 1, NULL, 0)") == .constraintNotNull)
        #expect(try code("INSERT INTO child VALUES (2, 1, 'c', -1)") == .constraintCheck)
        #expect(try code("INSERT INTO child VALUES (2, 1, 'c', 'big')") == .constraintDataType)
        #expect(SQLiteError.Code.constraintUnique.primary == .constraint)
        #expect(SQLiteError.Code.constraintUnique.description == "SQLITE_CONSTRAINT (2067)")
    }

    @Test func executeReportsTheRowsItChanged() throws {
        let connection = try open()
        #expect(try connection.execute("CREATE TABLE t (x INTEGER) STRICT") == 0)
        #expect(try connection.execute("INSERT INTO t VALUES (1), (2), (3)") == 3)
        #expect(connection.lastInsertRowID == 3)
        #expect(try connection.execute("UPDATE t SET x = x + 1 WHERE x >= ?1", [2]) == 2)
        #expect(connection.changes == 2)
        #expect(try connection.execute("SELECT * FROM t") == 0)
        #expect(try connection.execute("DELETE FROM t WHERE x > 100") == 0)
    }

    @Test func executeScriptStopsAtTheFirstError() throws {
        let connection = try open()
        let error = try #require(throws: SQLiteError.self) {
            try connection.executeScript("CREATE TABLE a (x INTEGER) STRICT; INSERT INTO nowhere VALUES (1); CREATE TABLE b (x INTEGER)")
        }
        #expect(error == SQLiteError(.error, "no such table: nowhere"))
        #expect(try connection.rows("SELECT name FROM sqlite_schema ORDER BY name") == [[.text("a")]])
    }

    // MARK: - Statement cache

    @Test func theStatementCacheIsBoundedAndEvictsTheLeastRecentlyUsed() throws {
        let connection = try open("test.sqlite", .init(statementCacheCapacity: 4))
        for value in 0..<10 {
            _ = try connection.rows("SELECT \(value)")
        }
        #expect(connection.cachedStatementCount == 4)
        #expect(connection.statementCacheStatistics.evictions == 6)
        let before = connection.statementCacheStatistics
        _ = try connection.rows("SELECT 9")
        _ = try connection.rows("SELECT 0")
        let after = connection.statementCacheStatistics
        #expect(after.hits == before.hits + 1)
        #expect(after.misses == before.misses + 1)
        #expect(connection.cachedStatementCount == 4)
    }

    @Test func aZeroCapacityStatementCacheCachesNothing() throws {
        let connection = try open("test.sqlite", .init(statementCacheCapacity: 0))
        _ = try connection.rows("SELECT 1")
        _ = try connection.rows("SELECT 1")
        #expect(connection.cachedStatementCount == 0)
    }

    @Test func aNestedUseOfTheSameSQLGetsItsOwnStatement() throws {
        let connection = try open()
        try connection.executeScript("CREATE TABLE t (x INTEGER) STRICT; INSERT INTO t VALUES (1), (2), (3);")
        let sql = "SELECT x FROM t ORDER BY x"
        let pairs = try connection.query(sql) { outer throws(SQLiteError) -> [Int64] in
            let x = try outer.int64(at: 0)
            let inner = try connection.query(sql) { row throws(SQLiteError) in try row.int64(at: 0) }
            return inner.map { x * 10 + $0 }
        }
        #expect(pairs == [[11, 12, 13], [21, 22, 23], [31, 32, 33]])
        #expect(connection.cachedStatementCount == 1)
    }

    @Test func clearingTheStatementCacheDropsEveryStatement() throws {
        let connection = try open()
        _ = try connection.rows("SELECT 1")
        connection.clearStatementCache()
        #expect(connection.cachedStatementCount == 0)
    }

    // MARK: - Hardening

    @Test func defensiveModeBlocksWritableSchemaTricks() throws {
        let connection = try open()
        try connection.execute("CREATE TABLE t (x INTEGER) STRICT")
        // The pragma still reads back as on; defensive mode makes it powerless.
        try connection.execute("PRAGMA writable_schema = ON")
        let error = try #require(throws: SQLiteError.self) {
            try connection.execute("UPDATE sqlite_schema SET sql = 'CREATE TABLE t (x INTEGER, y)' WHERE name = 't'")
        }
        #expect(error.message == "table sqlite_master may not be modified")
        #expect(try scalar(connection, "SELECT sql FROM sqlite_schema WHERE name = 't'") == .text("CREATE TABLE t (x INTEGER) STRICT"))
        #expect(try scalar(connection, "PRAGMA journal_mode = OFF") == .text("wal"))
        let schemaVersion = try scalar(connection, "PRAGMA schema_version")
        try connection.execute("PRAGMA schema_version = 99")
        #expect(try scalar(connection, "PRAGMA schema_version") == schemaVersion)
    }

    @Test func extensionLoadingIsDisabled() throws {
        let connection = try open()
        let error = try #require(throws: SQLiteError.self) {
            try connection.rows("SELECT load_extension('libm.so.6')")
        }
        #expect(error == SQLiteError(.error, "not authorized"))
    }

    @Test func attachIsDisabled() throws {
        let connection = try open()
        let other = directory.file("other.sqlite")
        let error = try #require(throws: SQLiteError.self) { try connection.execute("ATTACH DATABASE ?1 AS other", [.text(other)]) }
        #expect(error == SQLiteError(.error, "too many attached databases - max 0"))
        #expect(!FileManager.default.fileExists(atPath: other))
    }

    @Test func theFTS3TokenizerPointerFunctionIsDisabled() throws {
        let connection = try open()
        try connection.executeScript("CREATE VIRTUAL TABLE docs USING fts4(body);")
        let error = try #require(throws: SQLiteError.self) {
            try connection.rows("SELECT fts3_tokenizer('simple', x'0000000000000000')")
        }
        #expect(error.message == "fts3tokenize disabled")
    }

    @Test(arguments: [
        ("file:tenants.sqlite?vfs=unix-none", "./file:tenants.sqlite?vfs=unix-none"), ("/var/x.sqlite", "/var/x.sqlite"),
        ("relative.sqlite", "relative.sqlite"), (":memory:", ":memory:"),
    ])
    func fileNamesAreNeverReadAsURIs(_ path: String, _ filename: String) {
        #expect(SQLiteConnection.filename(for: path) == filename)
    }

    // MARK: - Closing

    @Test func everyCallAfterCloseIsAMisuseError() throws {
        let connection = try open()
        let held = try connection.prepare("SELECT 1")
        connection.close()
        connection.close()
        #expect(!connection.isOpen)
        let closed = SQLiteError(.misuse, "the connection is closed")
        #expect(throws: closed) { try connection.execute("SELECT 1") }
        #expect(throws: closed) { try connection.prepare("SELECT 1") }
        #expect(throws: closed) { try connection.executeScript("SELECT 1") }
        #expect(throws: closed) { try held.step() }
        #expect(throws: closed) { try held.bind([]) }
        #expect(throws: closed) { try connection.transaction { _ throws(SQLiteError) in } }
        #expect(throws: closed) { try connection.savepoint { _ throws(SQLiteError) in } }
        #expect(throws: closed) { try connection.dataVersion() }
        #expect(throws: closed) { try connection.setAuthorizer(nil) }
        #expect(throws: closed) { try connection.createFunction("f", argumentCount: 0) { _ throws(SQLiteError) in .null } }
        #expect(connection.changes == 0)
        #expect(connection.lastInsertRowID == 0)
        #expect(!connection.isInTransaction)
    }

    @Test func aStatementOutlivingItsConnectionFailsCleanly() throws {
        var connection: SQLiteConnection? = try open()
        let statement = try #require(connection).prepare("SELECT 1")
        connection = nil
        #expect(throws: SQLiteError(.misuse, "the connection is closed")) { try statement.step() }
    }

    // MARK: - Values and errors

    @Test func valuesDescribeThemselvesAsSQLLiterals() {
        let values: [SQLiteValue] = [nil, 42, 1.5, "it's", .blob([0x00, 0xAB])]
        #expect(values.map(\.description) == ["NULL", "42", "1.5", "'it''s'", "x'00ab'"])
        #expect(values.map(\.typeName) == ["null", "integer", "real", "text", "blob"])
    }

    @Test func errorsDescribeTheirCodeAndMessage() {
        let error = SQLiteError(.busy, "database is locked")
        #expect(error.description == "SQLITE_BUSY (5): database is locked")
        #expect(SQLiteError.Code.busy.explanation == "database is locked")
        #expect(SQLiteError.Code(rawValue: 250).description == "SQLITE_UNKNOWN (250)")
        #expect(SQLiteError(error) == error)
    }
}
