import Tenancy
import Testing

@testable import TenancySQLite

/// Records cross-tenant access events.
final class CrossTenantRecorder: TenancyObserver {
    let events = Collector<CrossTenantAccessEvent>()

    func crossTenantAccessed(_ event: CrossTenantAccessEvent) {
        events.append(event)
    }
}

/// The admin scope: explicit, unfiltered, observed.
@Suite struct SQLiteCrossTenantScopeTests {
    let recorder = CrossTenantRecorder()
    let fixture: TenantDataFixture

    init() throws {
        fixture = try TenantDataFixture(observers: TenancyObservers([recorder]))
    }

    @Test func itSeesAndChangesEveryTenantsRowsAndReportsEachStatement() throws {
        let admin = try fixture.store.crossTenantScope(reason: "move r2 to B", actor: "ops")
        #expect(try admin.count(SQLSelect(from: "resources")) == 4)
        #expect(try admin.select(SQLSelect(from: "comments")).count == 2)
        try admin.update(SQLUpdate("resources", set: ["tenant_id": "tenant-b", "id": "r3"], where: SQLColumn("id") == "r2" && SQLColumn("tenant_id") == "tenant-a"))
        try admin.insert(SQLInsert(into: "tags", values: ["tenant_id": "tenant-a", "name": "mine"]))
        try admin.delete(SQLDelete(from: "tags", where: SQLColumn("name") == "shared"))
        #expect(try fixture.allTenantIDs(in: "resources") == ["tenant-a", "tenant-b", "tenant-b", "tenant-b"])
        #expect(try fixture.allTenantIDs(in: "tags") == ["tenant-a"])
        let events = recorder.events.all
        #expect(events.map(\.operation) == [.read, .read, .update, .insert, .delete])
        #expect(events.map(\.table) == ["resources", "comments", "resources", "tags", "tags"])
        #expect(events.allSatisfy { $0.reason == "move r2 to B" && $0.actor == "ops" })
    }

    @Test func tenantScopesReportNothing() throws {
        _ = try fixture.scopeA.count(SQLSelect(from: "resources"))
        #expect(recorder.events.all.isEmpty)
    }

    @Test func itNeedsAReason() throws {
        let error = try #require(throws: SQLiteError.self) { try fixture.store.crossTenantScope(reason: "") }
        #expect(error.code == .misuse)
    }

    @Test func itStillCannotChangeTheSchema() throws {
        let error = try #require(throws: SQLiteError.self) {
            try fixture.store.withWriter(.crossTenant, tenant: nil) { connection throws(SQLiteError) in
                try connection.executeScript("DROP TABLE resources")
            }
        }
        #expect(error.code == .authorization)
    }
}
