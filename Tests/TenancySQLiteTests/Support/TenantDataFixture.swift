import Tenancy

@testable import TenancySQLite

/// The schema the tenant data tests share: tenant tables that join (`resources`, `comments`) and `tags`,
/// one shared table (`plans`), and a view over each kind.
enum TenantDataSchema {
    static let tables = ["resources", "comments", "tags"]

    static let migrations = [
        Migration(
            version: 1, name: "resources, comments, plans",
            sql: """
                CREATE TABLE resources (
                    tenant_id TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, size INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (tenant_id, id)) STRICT;
                CREATE TABLE comments (
                    tenant_id TEXT NOT NULL, id INTEGER NOT NULL, resource_id TEXT NOT NULL, body TEXT NOT NULL,
                    PRIMARY KEY (tenant_id, id)) STRICT;
                CREATE TABLE tags (tenant_id TEXT NOT NULL, name TEXT NOT NULL UNIQUE) STRICT;
                CREATE TABLE plans (name TEXT NOT NULL PRIMARY KEY, seats INTEGER NOT NULL) STRICT;
                INSERT INTO plans VALUES ('free', 1), ('pro', 10);
                CREATE VIEW resource_names AS SELECT tenant_id, name FROM resources;
                CREATE VIEW plan_names AS SELECT name FROM plans;
                """)
    ]
}

/// A shared-file store in a temporary directory with tenant A's and tenant B's rows: each has resources
/// `r1` and `r2` (names prefixed by the tenant) and one comment on `r1`; B has the tag `shared` (tag names
/// are unique across tenants, on purpose, to test `INSERT OR REPLACE`).
struct TenantDataFixture {
    let directory = TemporaryDirectory()
    let store: SQLiteTenantDataStore
    let a = TenantID.valid("tenant-a")
    let b = TenantID.valid("tenant-b")

    init(observers: TenancyObservers = .init()) throws {
        store = try SQLiteTenantDataStore(
            path: directory.file("data.sqlite"), tenantTables: TenantDataSchema.tables,
            migrations: TenantDataSchema.migrations, observers: observers)
        for tenant in [a, b] {
            let scope = store.scoped(to: tenant)
            for (id, size) in [("r1", 1), ("r2", 2)] {
                try scope.insert(
                    SQLInsert(into: "resources", values: ["id": .text(id), "name": .text("\(tenant)-\(id)"), "size": .integer(Int64(size))]))
            }
            try scope.insert(SQLInsert(into: "comments", values: ["id": 1, "resource_id": "r1", "body": .text("\(tenant) says hi")]))
        }
        try store.scoped(to: b).insert(SQLInsert(into: "tags", values: ["name": "shared"]))
    }

    var scopeA: SQLiteTenantScope { store.scoped(to: a) }

    /// B's resources as `id=name`, for checking that an attempt as A changed nothing of B's.
    func resourcesOfB() throws -> [String] {
        try store.scoped(to: b).select(SQLSelect(from: "resources").orderBy(.ascending(SQLColumn("id"))))
            .map { row throws(SQLiteError) in try row.text("id") + "=" + row.text("name") }
    }

    static let untouchedResourcesOfB = ["r1=tenant-b-r1", "r2=tenant-b-r2"]

    /// Every `tenant_id` in `table`, read past the isolation, for checking that nothing else changed.
    func allTenantIDs(in table: String) throws -> [String] {
        try store.withWriter(.crossTenant, tenant: nil) { connection throws(SQLiteError) in
            try connection.query("SELECT tenant_id FROM \(table) ORDER BY tenant_id") { row throws(SQLiteError) in
                try row.text(at: 0)
            }
        }
    }
}
