import Foundation
import Tenancy
import Testing

@testable import TenancySQLite

/// User functions and the authorizer: the hooks tenant-scoped data access builds on.
@Suite struct SQLiteConnectionHooksTests {
    let directory = TemporaryDirectory()

    func open() throws -> SQLiteConnection {
        try SQLiteConnection(path: directory.file("test.sqlite"))
    }

    // MARK: - Functions

    @Test func aFunctionReceivesEveryArgumentTypeAndReturnsEveryResultType() throws {
        let connection = try open()
        try connection.createFunction("echo", argumentCount: 1, options: [.deterministic]) { arguments throws(SQLiteError) in
            arguments[0]
        }
        try connection.createFunction("arity", argumentCount: -1) { arguments throws(SQLiteError) in
            .integer(Int64(arguments.count))
        }
        let values: [SQLiteValue] = [.null, .integer(-7), .real(0.25), .text(""), .text("tenant"), .blob([]), .blob([9, 8])]
        for value in values {
            #expect(try connection.rows("SELECT echo(?1), typeof(echo(?1))", [value]) == [[value, .text(value.typeName)]])
        }
        #expect(try connection.rows("SELECT arity(), arity(1, 2, 3)") == [[.integer(0), .integer(3)]])
    }

    @Test func aThrowingFunctionFailsTheStatementWithItsCodeAndMessage() throws {
        let connection = try open()
        try connection.createFunction("refuse", argumentCount: 0) { _ throws(SQLiteError) in
            throw SQLiteError(.constraint, "tenant mismatch")
        }
        #expect(throws: SQLiteError(.constraint, "tenant mismatch")) { try connection.rows("SELECT refuse()") }
    }

    @Test func onlyInnocuousFunctionsRunInTriggersWhenTheSchemaIsUntrusted() throws {
        let connection = try open()
        let bound = Synchronized("acme")
        try connection.createFunction("current_tenant", argumentCount: 0, options: [.innocuous, .deterministic]) {
            _ throws(SQLiteError) in .text(bound.withLock { $0 })
        }
        try connection.createFunction("unsafe_tenant", argumentCount: 0) { _ throws(SQLiteError) in .text("acme") }
        try connection.executeScript(
            """
            CREATE TABLE items (tenant_id TEXT NOT NULL, name TEXT NOT NULL) STRICT;
            CREATE TRIGGER items_guard BEFORE INSERT ON items
            WHEN NEW.tenant_id IS NOT current_tenant()
            BEGIN SELECT RAISE(ABORT, 'tenant mismatch'); END;
            CREATE TABLE logs (tenant_id TEXT NOT NULL) STRICT;
            CREATE TRIGGER logs_guard BEFORE INSERT ON logs
            WHEN NEW.tenant_id IS NOT unsafe_tenant()
            BEGIN SELECT RAISE(ABORT, 'tenant mismatch'); END;
            """)
        try connection.execute("INSERT INTO items VALUES ('acme', 'a')")
        let refused = try #require(throws: SQLiteError.self) { try connection.execute("INSERT INTO items VALUES ('globex', 'b')") }
        #expect(refused == SQLiteError(.constraintTrigger, "tenant mismatch"))
        let unsafe = try #require(throws: SQLiteError.self) { try connection.execute("INSERT INTO logs VALUES ('acme')") }
        #expect(unsafe.message == "unsafe use of unsafe_tenant()")
    }

    @Test func aDirectOnlyFunctionCannotRunFromATrigger() throws {
        let connection = try open()
        try connection.createFunction("direct", argumentCount: 0, options: [.directOnly, .innocuous]) { _ throws(SQLiteError) in 1 }
        #expect(try connection.rows("SELECT direct()") == [[.integer(1)]])
        try connection.executeScript(
            """
            CREATE TABLE t (x INTEGER) STRICT;
            CREATE TRIGGER t_guard BEFORE INSERT ON t WHEN direct() = 1 BEGIN SELECT 1; END;
            """)
        let error = try #require(throws: SQLiteError.self) { try connection.execute("INSERT INTO t VALUES (1)") }
        #expect(error.message == "unsafe use of direct()")
    }

    @Test func aRemovedFunctionIsGoneAndBadArgumentCountsAreRefused() throws {
        let connection = try open()
        try connection.createFunction("f", argumentCount: 0) { _ throws(SQLiteError) in 1 }
        try connection.removeFunction("f", argumentCount: 0)
        #expect(throws: SQLiteError(.error, "no such function: f")) { try connection.rows("SELECT f()") }
        #expect(throws: SQLiteError(.misuse, "a function takes -1 (any) to 127 arguments, not 200")) {
            try connection.createFunction("g", argumentCount: 200) { _ throws(SQLiteError) in 1 }
        }
        let longName = String(repeating: "n", count: 300)
        #expect(throws: SQLiteError.self) {
            try connection.createFunction(longName, argumentCount: 0) { _ throws(SQLiteError) in 1 }
        }
        #expect(throws: SQLiteError.self) { try connection.removeFunction(longName, argumentCount: 0) }
    }

    @Test func functionsAreReleasedWhenTheConnectionCloses() throws {
        final class Token: Sendable {}
        weak var weakToken: Token?
        do {
            let connection = try open()
            let token = Token()
            weakToken = token
            try connection.createFunction("keep", argumentCount: 0) { _ throws(SQLiteError) in
                _ = token
                return .null
            }
            connection.close()
        }
        #expect(weakToken == nil)
    }

    // MARK: - Authorizer

    @Test func theAuthorizerSeesTablesAndColumnsAndCanDenyAStatement() throws {
        let connection = try open()
        try connection.executeScript("CREATE TABLE secrets (id INTEGER, value TEXT) STRICT; INSERT INTO secrets VALUES (1, 's');")
        let seen = Collector<SQLiteAuthorizerRequest>()
        try connection.setAuthorizer { request in
            seen.append(request)
            return request.action == .delete ? .deny : .allow
        }
        #expect(try connection.rows("SELECT value FROM secrets") == [[.text("s")]])
        #expect(seen.all.contains(
            SQLiteAuthorizerRequest(action: .read, first: "secrets", second: "value", database: "main", accessor: nil)))
        #expect(seen.all.contains { $0.action == .select })
        let error = try #require(throws: SQLiteError.self) { try connection.execute("DELETE FROM secrets") }
        #expect(error == SQLiteError(.authorization, "not authorized"))
        #expect(try connection.rows("SELECT count(*) FROM secrets") == [[.integer(1)]])
    }

    @Test func ignoringAColumnReadYieldsNull() throws {
        let connection = try open()
        try connection.executeScript("CREATE TABLE secrets (id INTEGER, value TEXT) STRICT; INSERT INTO secrets VALUES (1, 's');")
        try connection.setAuthorizer { request in
            request.action == .read && request.second == "value" ? .ignore : .allow
        }
        #expect(try connection.rows("SELECT id, value FROM secrets") == [[.integer(1), .null]])
    }

    @Test func settingAnAuthorizerDropsStatementsAuthorizedUnderTheOldOne() throws {
        let connection = try open()
        try connection.executeScript("CREATE TABLE t (x INTEGER) STRICT;")
        _ = try connection.rows("SELECT x FROM t")
        #expect(connection.cachedStatementCount == 1)
        try connection.setAuthorizer { request in request.action == .read ? .deny : .allow }
        #expect(connection.cachedStatementCount == 0)
        #expect(throws: SQLiteError(.authorization, "access to t.x is prohibited")) { try connection.rows("SELECT x FROM t") }
        try connection.setAuthorizer(nil)
        #expect(try connection.rows("SELECT x FROM t") == [])
    }

    @Test func triggerAccessIsReportedWithItsAccessor() throws {
        let connection = try open()
        try connection.executeScript(
            """
            CREATE TABLE a (x INTEGER) STRICT;
            CREATE TABLE b (x INTEGER) STRICT;
            CREATE TRIGGER copy AFTER INSERT ON a BEGIN INSERT INTO b VALUES (NEW.x); END;
            """)
        let seen = Collector<SQLiteAuthorizerRequest>()
        try connection.setAuthorizer { request in
            seen.append(request)
            return .allow
        }
        try connection.execute("INSERT INTO a VALUES (1)")
        #expect(seen.all.contains { $0.action == .insert && $0.first == "b" && $0.accessor == "copy" })
    }

    @Test(arguments: [
        (SQLiteAuthorizerRequest.Action.createTable, true), (.createIndex, true), (.createTrigger, true),
        (.createView, true), (.dropTable, true), (.alterTable, true), (.delete, false), (.insert, false),
        (.read, false), (.pragma, false), (.attach, false),
    ])
    func schemaChangesAreRecognised(_ action: SQLiteAuthorizerRequest.Action, _ isSchemaChange: Bool) {
        #expect(action.isSchemaChange == isSchemaChange)
    }

    @Test func actionsDescribeThemselvesByTheirSQLiteNames() {
        #expect(SQLiteAuthorizerRequest.Action.read.description == "SQLITE_READ")
        #expect(SQLiteAuthorizerRequest.Action.attach.description == "SQLITE_ATTACH")
        #expect(SQLiteAuthorizerRequest.Action(rawValue: 999).description == "SQLITE_ACTION_999")
        let all: [SQLiteAuthorizerRequest.Action] = [
            .select, .insert, .update, .delete, .function, .pragma, .detach, .transaction, .savepoint, .recursive,
        ]
        #expect(all.allSatisfy { $0.description.hasPrefix("SQLITE_") && !$0.description.hasPrefix("SQLITE_ACTION") })
    }
}
