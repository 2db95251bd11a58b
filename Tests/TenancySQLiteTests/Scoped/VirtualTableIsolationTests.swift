import Tenancy
import Testing

@testable import TenancySQLite

/// Virtual tables (here FTS5) and their shadow tables keep rows without anything to filter on: the escape
/// hatch must not read tenant text through them.
@Suite struct VirtualTableIsolationTests {
    @Test(arguments: [
        "SELECT body FROM docs", "SELECT * FROM docs_content", "SELECT * FROM docs_data", "SELECT count(*) FROM docs_idx",
        "SELECT * FROM docs WHERE docs MATCH 'secret'",
    ])
    func theEscapeHatchCannotReadAVirtualTableOrItsShadowTables(sql: String) throws {
        let directory = TemporaryDirectory()
        let store = try SQLiteTenantDataStore(
            path: directory.file("fts.sqlite"), tenantTables: ["notes"],
            migrations: [
                Migration(
                    version: 1, name: "notes and a full-text index",
                    sql: """
                        CREATE TABLE notes (tenant_id TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (tenant_id, id)) STRICT;
                        CREATE VIRTUAL TABLE docs USING fts5(owner UNINDEXED, body);
                        INSERT INTO docs VALUES ('tenant-b', 'secret plan of tenant b');
                        """)
            ])
        defer { store.close() }
        let error = #expect(throws: SQLiteError.self) { try store.scoped(to: .valid("tenant-a")).unsafeRawSQL(sql) }
        #expect(error?.code == .authorization || error?.code == .error, "\(String(describing: error))")
    }
}
