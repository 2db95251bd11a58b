import Tenancy
import Testing

@testable import TenancySQLite

/// The adversarial suite through the query builder, against the shared file: every attempt is made as
/// tenant A with tenant B's rows present, and must return only A's rows or fail; writes must leave B's
/// rows as they were. Values are bound and names validated, so SQL hidden in either never becomes SQL.
@Suite struct BuilderAttackTests {
    let fixture: TenantDataFixture

    init() throws {
        fixture = try TenantDataFixture()
    }

    /// The tenants of the rows a query returns.
    func tenants(_ query: SQLSelect) throws -> Set<String> {
        Set(try fixture.scopeA.select(query).map { row throws(SQLiteError) in try row.text("tenant_id") })
    }

    @Test func anOrCannotEscapeTheTenantConjunct() throws {
        let query = SQLSelect(from: "resources").where(
            SQLColumn("id") == "r1" || SQLColumn("tenant_id") == "tenant-b" || .not(SQLColumn("id") == "none"))
        #expect(try tenants(query) == ["tenant-a"])
        #expect(try fixture.scopeA.count(query) == 2)
    }

    @Test(arguments: [
        "r1' OR '1'='1", "r1' --", "r1' /* */ OR 1=1 /*", "x' UNION SELECT * FROM resources --",
        "x' UNION ALL SELECT tenant_id, id, name, size FROM resources WHERE tenant_id = 'tenant-b", "r1'; DELETE FROM resources; --",
        "x' OR EXISTS (SELECT 1 FROM resources WHERE tenant_id = 'tenant-b') --", "x' OR tenant_id = tenant_id --",
    ])
    func sqlInAValueIsOnlyEverAValue(_ value: String) throws {
        let query = SQLSelect(from: "resources").where(SQLColumn("id") == .text(value) || SQLColumn("name").like(value))
        #expect(try fixture.scopeA.select(query).isEmpty)
        try fixture.scopeA.update(SQLUpdate("resources", set: ["name": .text(value)], where: SQLColumn("id") == .text(value)))
        try fixture.scopeA.delete(SQLDelete(from: "resources", where: SQLColumn("name") == .text(value)))
        #expect(try fixture.resourcesOfB() == TenantDataFixture.untouchedResourcesOfB)
    }

    @Test(arguments: [
        "resources --", "resources /* */", "resources UNION SELECT * FROM resources", "resources UNION ALL SELECT 1",
        "(SELECT * FROM resources)", "resources WHERE EXISTS (SELECT 1)", "WITH resources AS (SELECT 1) SELECT",
        "resources; ATTACH DATABASE 'x' AS x", "main.resources", "temp.resources",
    ])
    func sqlInANameIsRefusedBeforeAnythingRuns(_ name: String) throws {
        let attempts: [() throws -> Void] = [
            { _ = try fixture.scopeA.select(SQLSelect(from: name)) },
            { _ = try fixture.scopeA.count(SQLSelect(from: "resources", as: name)) },
            { _ = try fixture.scopeA.select(SQLSelect(from: "resources", columns: [SQLColumn(name, of: "resources")])) },
            { _ = try fixture.scopeA.select(SQLSelect(from: "resources").join(SQLJoin(name, on: .and([])))) },
            { _ = try fixture.scopeA.insert(SQLInsert(into: name, values: ["id": "x"])) },
            { _ = try fixture.scopeA.update(SQLUpdate("resources", set: [name: "x"])) },
            { _ = try fixture.scopeA.delete(SQLDelete(from: name)) },
        ]
        for attempt in attempts {
            let error = try #require(throws: SQLiteError.self) { try attempt() }
            #expect(error.code == .error)
        }
        #expect(try fixture.resourcesOfB() == TenantDataFixture.untouchedResourcesOfB)
    }

    @Test(arguments: ["dbstat", "sqlite_stmt"])
    func introspectionTablesAreDeniedToTheBuilderToo(_ table: String) throws {
        let error = try #require(throws: SQLiteError.self) { try fixture.scopeA.select(SQLSelect(from: table)) }
        #expect([.error, .authorization].contains(error.code))
    }

    @Test func aViewOverATenantTableCannotBeUsedToReadAroundTheFilter() throws {
        let query = SQLSelect(from: "resource_names").where(SQLColumn("tenant_id") == "tenant-b")
        let error = try #require(throws: SQLiteError.self) { try fixture.scopeA.select(query) }
        #expect(error.code == .authorization)
        let join = SQLSelect(from: "resources", as: "r").join(SQLJoin("resource_names", as: "v", on: SQLColumn("v.name") == SQLColumn("r.name")))
        #expect(throws: SQLiteError.self) { try fixture.scopeA.count(join) }
    }

    @Test func countingSeesOnlyTheTenantsRows() throws {
        #expect(try fixture.scopeA.count(SQLSelect(from: "resources")) == 2)
        #expect(try fixture.scopeA.count(SQLSelect(from: "tags")) == 0)
    }

    @Test func anInsertCannotCopyAnotherTenantsRowsOrClaimItsTenant() throws {
        // No insert-from-select exists; a value that looks like one is stored as text, for A.
        try fixture.scopeA.insert(
            SQLInsert(into: "resources", values: ["id": "r3", "name": "x') SELECT tenant_id, id, name, size FROM resources --"]))
        let claim = try #require(throws: SQLiteError.self) {
            try fixture.scopeA.insert(SQLInsert(into: "resources", values: ["id": "r4", "name": "n", "tenant_id": "tenant-b"]))
        }
        #expect(claim.code == .authorization)
        #expect(try fixture.allTenantIDs(in: "resources") == ["tenant-a", "tenant-a", "tenant-a", "tenant-b", "tenant-b"])
    }

    @Test func anUpdateCannotSetTheTenantColumn() throws {
        let error = try #require(throws: SQLiteError.self) {
            try fixture.scopeA.update(SQLUpdate("resources", set: ["name": "mine", "TENANT_ID": "tenant-a"]))
        }
        #expect(error.code == .authorization)
        #expect(try fixture.resourcesOfB() == TenantDataFixture.untouchedResourcesOfB)
    }

    @Test func anUpdateOrDeleteWithoutConditionTouchesOnlyTheTenantsRows() throws {
        #expect(try fixture.scopeA.update(SQLUpdate("resources", set: ["name": "wiped"])) == 2)
        #expect(try fixture.scopeA.delete(SQLDelete(from: "comments")) == 1)
        #expect(try fixture.scopeA.delete(SQLDelete(from: "resources")) == 2)
        #expect(try fixture.resourcesOfB() == TenantDataFixture.untouchedResourcesOfB)
        #expect(try fixture.allTenantIDs(in: "comments") == ["tenant-b"])
    }

    @Test(arguments: [SQLJoin.Kind.inner, .left])
    func aJoinWithoutATenantEqualityStillFiltersBothSides(_ kind: SQLJoin.Kind) throws {
        // The join condition matches comments to resources by resource ID only, which both tenants share.
        let query = SQLSelect(from: "comments", as: "c", columns: [SQLColumn("c.tenant_id"), SQLColumn("r.tenant_id")])
            .join(SQLJoin("resources", as: "r", on: SQLColumn("r.id") == SQLColumn("c.resource_id"), kind: kind))
        let rows = try fixture.scopeA.select(query)
        #expect(rows.map(\.values) == [["tenant-a", "tenant-a"]])
    }

    @Test func aLiteralOtherTenantConditionFindsNothing() throws {
        #expect(try fixture.scopeA.select(SQLSelect(from: "resources").where(SQLColumn("tenant_id") == "tenant-b")).isEmpty)
        #expect(try fixture.scopeA.delete(SQLDelete(from: "resources", where: SQLColumn("tenant_id") == "tenant-b")) == 0)
        #expect(try fixture.resourcesOfB() == TenantDataFixture.untouchedResourcesOfB)
    }

    @Test func aTautologyOnTheTenantColumnFindsOnlyTheTenantsRows() throws {
        let query = SQLSelect(from: "resources").where(SQLColumn("tenant_id") == SQLColumn("tenant_id"))
        #expect(try tenants(query) == ["tenant-a"])
        #expect(try fixture.scopeA.update(SQLUpdate("resources", set: ["size": 0], where: SQLColumn("tenant_id") == SQLColumn("tenant_id"))) == 2)
        #expect(try fixture.resourcesOfB() == TenantDataFixture.untouchedResourcesOfB)
    }
}
