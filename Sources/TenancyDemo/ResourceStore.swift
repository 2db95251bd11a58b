import Foundation
import Tenancy
import TenancySQLite

/// The demo's tenant-scoped resources, kept in SQLite through the tenant-scoped data access: every query
/// is built per tenant, so one tenant can never read, list or delete another's rows.
struct ResourceStore: Sendable {
    /// A stored resource, as the API shows it.
    struct Resource: Codable, Equatable, Sendable {
        var id: String
        var name: String
        var content: String
        var createdAt: String

        enum CodingKeys: String, CodingKey {
            case id, name, content
            case createdAt = "created_at"
        }
    }

    /// A resource in a listing: everything but its content.
    struct Summary: Codable, Equatable, Sendable {
        var id: String
        var name: String
        var createdAt: String

        enum CodingKeys: String, CodingKey {
            case id, name
            case createdAt = "created_at"
        }
    }

    /// The most resources one tenant may keep, and the most bytes of content each may hold: at most
    /// 16 MB per tenant, so one tenant cannot fill the disk or the memory of the others.
    static let maximumPerTenant = 1_000
    static let maximumContentBytes = 16_384

    private let store: SQLiteTenantDataStore

    /// Opens (creating if needed) the resources database.
    /// - Throws: ``SQLiteError`` when the file cannot be opened or migrated.
    init(path: String, observers: TenancyObservers) throws(SQLiteError) {
        store = try SQLiteTenantDataStore(
            path: path, tenantTables: ["resources"],
            migrations: [
                Migration(
                    version: 1, name: "resources",
                    sql: """
                        CREATE TABLE resources (
                            tenant_id TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, content TEXT NOT NULL,
                            created_at TEXT NOT NULL, PRIMARY KEY (tenant_id, id)) STRICT
                        """)
            ], observers: observers)
    }

    func close() {
        store.close()
    }

    /// A probe for `/readyz`: one builder query against the file, as a tenant that cannot exist in the
    /// admin API's listings (IDs are case-sensitive; this one is only ever used here).
    func probe() throws(SQLiteError) {
        guard let probe = TenantID(validating: "readyz.probe") else { return }
        _ = try store.scoped(to: probe).count(SQLSelect(from: "resources"))
    }

    /// Stores a resource, or returns `nil` when the tenant already keeps ``maximumPerTenant``. Counting and
    /// inserting are one transaction, so concurrent creates cannot pass the bound together.
    func create(name: String, content: String, for tenant: TenantID) throws(SQLiteError) -> Resource? {
        let resource = Resource(
            id: "res_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20),
            name: name, content: content, createdAt: SystemClock.precise.now.rfc3339)
        return try store.scoped(to: tenant).transaction { transaction throws(SQLiteError) -> Resource? in
            guard try transaction.count(SQLSelect(from: "resources")) < Self.maximumPerTenant else { return nil }
            try transaction.insert(
                SQLInsert(
                    into: "resources",
                    values: [
                        "id": .text(resource.id), "name": .text(name), "content": .text(content),
                        "created_at": .text(resource.createdAt),
                    ]))
            return resource
        }
    }

    /// One page of the tenant's resources in ID order, without their content (a listing must stay small
    /// whatever the tenant stored), starting after `after`.
    func list(for tenant: TenantID, after: String?, limit: Int) throws(SQLiteError) -> [Summary] {
        var query = SQLSelect(from: "resources", columns: [SQLColumn("id"), SQLColumn("name"), SQLColumn("created_at")])
        if let after { query = query.where(SQLColumn("id") > .text(after)) }
        let rows = try store.scoped(to: tenant).select(query.orderBy(.ascending(SQLColumn("id"))).limit(limit))
        var summaries: [Summary] = []
        for row in rows {
            summaries.append(Summary(id: try row.text("id"), name: try row.text("name"), createdAt: try row.text("created_at")))
        }
        return summaries
    }

    func resource(_ id: String, for tenant: TenantID) throws(SQLiteError) -> Resource? {
        let rows = try store.scoped(to: tenant).select(SQLSelect(from: "resources").where(SQLColumn("id") == .text(id)))
        return try rows.first.map { row throws(SQLiteError) in try Self.resource(row) }
    }

    func delete(_ id: String, for tenant: TenantID) throws(SQLiteError) -> Bool {
        try store.scoped(to: tenant).delete(SQLDelete(from: "resources", where: SQLColumn("id") == .text(id))) > 0
    }

    private static func resource(_ row: SQLiteRow) throws(SQLiteError) -> Resource {
        Resource(
            id: try row.text("id"), name: try row.text("name"), content: try row.text("content"),
            createdAt: try row.text("created_at"))
    }
}
