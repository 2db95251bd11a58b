import Tenancy
import Testing

@testable import TenancySQLite

/// The builder's SQL text and bindings, byte for byte.
@Suite struct SQLCompilerTests {
    let tenant = TenantID.valid("acme")
    let tables: TenantTableSet

    init() throws {
        tables = try TenantTableSet(["resources", "Comments"])
    }

    func compiler() -> SQLCompiler {
        SQLCompiler(tenant: tenant, tenantTables: tables)
    }

    @Test func aSelectPutsTheTenantFirstAndParenthesisesTheUserCondition() throws {
        var compiler = compiler()
        let query = SQLSelect(from: "resources", as: "r", columns: [SQLColumn("r.id"), SQLColumn("name")])
            .where(SQLColumn("r.name") == "x" || SQLColumn("size") > 3)
            .orderBy(.descending(SQLColumn("size")), .ascending(SQLColumn("r.id")))
            .limit(10, offset: 20)
        let compiled = try compiler.select(query)
        #expect(
            compiled.sql
                == #"SELECT "r"."id", "name" FROM "resources" AS "r" WHERE "r"."tenant_id" = ?1 AND ("r"."name" = ?2 OR "size" > ?3) ORDER BY "size" DESC, "r"."id" ASC LIMIT ?4 OFFSET ?5"#
        )
        #expect(compiled.bindings == ["acme", "x", 3, 10, 20])
    }

    @Test func everyJoinedTenantTableIsFilteredInItsOnClauseAndSharedTablesAreNot() throws {
        var compiler = compiler()
        let query = SQLSelect(from: "resources", as: "r")
            .join(SQLJoin("comments", as: "c", on: SQLColumn("c.resource_id") == SQLColumn("r.id"), kind: .left))
            .join(SQLJoin("plans", on: SQLColumn("plans.name") == "pro"))
            .where(SQLColumn("c.body").like("%hi%"))
        let compiled = try compiler.select(query)
        #expect(
            compiled.sql
                == #"SELECT "r".* FROM "resources" AS "r" LEFT JOIN "comments" AS "c" ON "c"."tenant_id" = ?1 AND ("c"."resource_id" = "r"."id") INNER JOIN "plans" ON ("plans"."name" = ?2) WHERE "r"."tenant_id" = ?3 AND ("c"."body" LIKE ?4 ESCAPE '\')"#
        )
        #expect(compiled.bindings == ["acme", "pro", "acme", "%hi%"])
    }

    @Test func nestedConditionsKeepTheirTreeShape() throws {
        var compiler = compiler()
        let condition: SQLCondition = .and([
            .or([SQLColumn("a") == 1, .and([SQLColumn("b") != 2, SQLColumn("c") <= 3])]),
            !(SQLColumn("d").isNull), SQLColumn("e").isNotNull, SQLColumn("f").isIn([1, 2]), SQLColumn("g").isIn([]),
            .and([]), .or([]), SQLColumn("h") >= 4, SQLColumn("i") < 5,
        ])
        let compiled = try compiler.select(SQLSelect(from: "plans").where(condition))
        #expect(
            compiled.sql
                == #"SELECT "plans".* FROM "plans" WHERE (("a" = ?1 OR ("b" <> ?2 AND "c" <= ?3)) AND NOT ("d" IS NULL) AND "e" IS NOT NULL AND "f" IN (?4, ?5) AND 0 AND 1 AND 0 AND "h" >= ?6 AND "i" < ?7)"#
        )
        #expect(compiled.bindings == [1, 2, 3, 1, 2, 4, 5])
    }

    @Test func aCountIgnoresOrderAndLimit() throws {
        var compiler = compiler()
        let compiled = try compiler.select(
            SQLSelect(from: "comments").orderBy(.ascending(SQLColumn("id"))).limit(1), counting: true)
        #expect(compiled.sql == #"SELECT count(*) FROM "comments" WHERE "comments"."tenant_id" = ?1"#)
        #expect(compiled.bindings == ["acme"])
    }

    @Test func anInsertFillsTheTenantFirstAndSortsColumns() throws {
        var compiler = compiler()
        let compiled = try compiler.insert(SQLInsert(into: "resources", values: ["name": "n", "id": "r1"]))
        #expect(compiled.sql == #"INSERT INTO "resources" ("tenant_id", "id", "name") VALUES (?1, ?2, ?3)"#)
        #expect(compiled.bindings == ["acme", "r1", "n"])
    }

    @Test func anInsertOfNoColumnsUsesDefaultValues() throws {
        var compiler = SQLCompiler(tenant: nil, tenantTables: tables)
        #expect(try compiler.insert(SQLInsert(into: "plans", values: [:])).sql == #"INSERT INTO "plans" DEFAULT VALUES"#)
    }

    @Test func anUpdateBindsAssignmentsBeforeTheTenantAndTheCondition() throws {
        var compiler = compiler()
        let compiled = try compiler.update(SQLUpdate("resources", set: ["size": 9, "name": "m"], where: SQLColumn("id") == "r1"))
        #expect(
            compiled.sql
                == #"UPDATE "resources" SET "name" = ?1, "size" = ?2 WHERE "resources"."tenant_id" = ?3 AND ("id" = ?4)"#)
        #expect(compiled.bindings == ["m", 9, "acme", "r1"])
    }

    @Test func aDeleteWithoutConditionStillFiltersTheTenant() throws {
        var compiler = compiler()
        let compiled = try compiler.delete(SQLDelete(from: "COMMENTS"))
        #expect(compiled.sql == #"DELETE FROM "COMMENTS" WHERE "COMMENTS"."tenant_id" = ?1"#)
        #expect(compiled.bindings == ["acme"])
    }

    @Test func theCrossTenantCompilerAddsNothing() throws {
        var compiler = SQLCompiler(tenant: nil, tenantTables: tables)
        #expect(try compiler.delete(SQLDelete(from: "resources")).sql == #"DELETE FROM "resources""#)
    }

    @Test(arguments: ["tenant_id", "TENANT_ID", "Tenant_Id"])
    func writingTheTenantColumnIsRefusedInAnySpelling(_ column: String) throws {
        var compiler = compiler()
        let insert = try #require(throws: SQLiteError.self) {
            try compiler.insert(SQLInsert(into: "resources", values: [column: "other", "id": "x"]))
        }
        #expect(insert.code == .authorization)
        let update = try #require(throws: SQLiteError.self) {
            try compiler.update(SQLUpdate("Resources", set: [column: "other"]))
        }
        #expect(update.code == .authorization)
    }

    @Test(arguments: [
        "", "1table", "res ources", "resources\"; DROP TABLE x; --", "a.b.c", "sqlite_master", "SQLITE_schema",
        "résumé", String(repeating: "a", count: 65), "x--", "x/*", "t'",
    ])
    func invalidNamesAreRefusedWherever(_ name: String) throws {
        var compiler = compiler()
        let queries = [
            SQLSelect(from: name), SQLSelect(from: "resources", as: name), SQLSelect(from: "resources", columns: [SQLColumn(name)]),
            SQLSelect(from: "resources").where(SQLColumn(name, of: "resources") == 1),
            SQLSelect(from: "resources").join(SQLJoin(name, on: .and([]))),
            SQLSelect(from: "resources").orderBy(.ascending(SQLColumn(name))),
        ]
        for query in queries {
            #expect(throws: SQLiteError.self) { try compiler.select(query) }
        }
        #expect(throws: SQLiteError.self) { try compiler.insert(SQLInsert(into: "resources", values: [name: 1])) }
        #expect(throws: SQLiteError.self) { try compiler.delete(SQLDelete(from: name)) }
    }

    @Test func shapeErrorsAreReported() throws {
        var compiler = compiler()
        #expect(throws: SQLiteError.self) { try compiler.select(SQLSelect(from: "resources").limit(-1)) }
        #expect(throws: SQLiteError.self) { try compiler.select(SQLSelect(from: "resources").limit(1, offset: -1)) }
        #expect(throws: SQLiteError.self) { try compiler.update(SQLUpdate("resources", set: [:])) }
        #expect(throws: SQLiteError.self) {
            try compiler.select(SQLSelect(from: "resources", as: "x").join(SQLJoin("comments", as: "X", on: .and([]))))
        }
        var deep = SQLColumn("a") == 1
        for _ in 0..<SQLCondition.maximumDepth { deep = !deep }
        #expect(throws: SQLiteError.self) { try compiler.select(SQLSelect(from: "resources").where(deep)) }
    }

    @Test func anOffsetWithoutALimitIsUnlimited() throws {
        var compiler = SQLCompiler(tenant: nil, tenantTables: tables)
        var query = SQLSelect(from: "plans")
        query.offset = 5
        let compiled = try compiler.select(query)
        #expect(compiled.sql == #"SELECT "plans".* FROM "plans" LIMIT ?1 OFFSET ?2"#)
        #expect(compiled.bindings == [-1, 5])
    }
}
