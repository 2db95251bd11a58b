import Tenancy
import Testing

@testable import TenancySQLite

/// Many tenants at once on one store and on a pool: the per-connection bound tenant must never leak from
/// one thread's statement into another's.
@Suite struct SQLiteTenantDataStoreConcurrencyTests {
    static let threads = 8
    static let rowsPerTenant = 25

    /// Each thread writes and reads its own tenant's rows; returns what each saw.
    func hammer(_ scope: @escaping @Sendable (TenantID) -> SQLiteTenantScope) -> [String] {
        let seen = Collector<String>()
        onThreads(Self.threads) { index in
            let tenant = TenantID.valid("tenant-\(index)")
            let mine = scope(tenant)
            do {
                for row in 0..<Self.rowsPerTenant {
                    try mine.insert(SQLInsert(into: "resources", values: ["id": .text("r\(row)"), "name": .text(tenant.rawValue)]))
                    let names = try mine.select(SQLSelect(from: "resources", columns: [SQLColumn("name")]))
                    let owners = Set(names.compactMap { $0["name"] })
                    if owners != [.text(tenant.rawValue)] || names.count != row + 1 { seen.append("\(tenant) saw \(owners)") }
                }
                seen.append("\(tenant) ok \(try mine.count(SQLSelect(from: "resources")))")
            } catch {
                seen.append("\(tenant) failed: \(error)")
            }
        }
        return seen.all.sorted()
    }

    var expected: [String] {
        (0..<Self.threads).map { "tenant-\($0) ok \(Self.rowsPerTenant)" }.sorted()
    }

    @Test func concurrentTenantsOnOneFileSeeOnlyTheirOwnRows() throws {
        let fixture = try TenantDataFixture()
        let store = fixture.store
        #expect(hammer { store.scoped(to: $0) } == expected)
    }

    @Test func concurrentTenantsInASmallPoolSeeOnlyTheirOwnFiles() throws {
        let directory = TemporaryDirectory()
        let pool = try SQLiteTenantDatabasePool(
            directory: directory.path, tenantTables: TenantDataSchema.tables, migrations: TenantDataSchema.migrations,
            configuration: .init(capacity: 3, checkoutTimeout: .seconds(30)))
        #expect(hammer { pool.scoped(to: $0) } == expected)
        #expect(pool.openCount <= 3)
    }
}
