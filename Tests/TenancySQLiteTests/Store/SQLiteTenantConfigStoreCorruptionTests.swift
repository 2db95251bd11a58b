import Foundation
import Tenancy
import Testing

@testable import TenancySQLite

/// Damaged rows fail closed with a message that names the tenant and the column.
@Suite struct SQLiteTenantConfigStoreCorruptionTests {
    let directory = TemporaryDirectory()
    let clock = ManualClock(at: Timestamp(year: 2026, month: 1, day: 1))

    /// A store holding `acme`, and a raw connection to damage its row with.
    func openDamaged(_ sql: String) throws -> (SQLiteTenantConfigStore, SQLiteConnection) {
        let path = directory.file("tenants.sqlite")
        let store = try SQLiteTenantConfigStore(path: path, configuration: storeConfiguration(), clock: clock)
        _ = try store.upsert(
            TenantConfig(id: .valid("acme"), quota: QuotaConfig(limits: [QuotaLimit(window: .minute, requests: 5)])),
            condition: .always)
        let raw = try SQLiteConnection(path: path)
        try raw.executeScript(sql)
        return (store, raw)
    }

    @Test(arguments: [
        (
            "UPDATE tenants SET quota = '{\"algorithm\": 42}'", "quota",
            "holds invalid JSON (at algorithm: Expected to decode String but found number instead.)"
        ),
        (
            "UPDATE tenants SET quota = '{\"limits\": [{\"window\": \"fortnight\"}]}'", "quota",
            "holds invalid JSON (at limits[0].window: Cannot initialize QuotaWindow from invalid String value fortnight)"
        ),
        (
            "UPDATE tenants SET policy = '{\"allowed_models\": \"gpt-4o\"}'", "policy",
            "holds invalid JSON (at allowed_models: Expected to decode Array<Any> but found a string instead.)"
        ),
        (
            "UPDATE tenants SET metadata = '{\"plan\": 7}'", "metadata",
            "holds invalid JSON (at plan: Expected to decode String but found number instead.)"
        ),
        (
            "UPDATE tenants SET quota = '{\"limits\": [{\"requests\": 5}]}'", "quota",
            "holds invalid JSON (at limits[0].window: missing)"
        ),
        ("UPDATE tenants SET status = 'deleted'", "status", "holds 'deleted', not one of active, suspended"),
    ])
    func aDamagedColumnIsABackendErrorNamingTenantAndColumn(_ damage: String, _ column: String, _ problem: String) throws {
        let (store, _) = try openDamaged(damage)
        let error = try #require(throws: TenancyError.self) { try store.configSynchronously(for: .valid("acme")) }
        #expect(error.code == .backendUnavailable)
        #expect(error.message == "tenant 'acme': column '\(column)' \(problem)")
    }

    @Test func textThatIsNotJSONAtAllIsReportedToo() throws {
        let (store, _) = try openDamaged("UPDATE tenants SET policy = '{\"allowed_models\": [}'")
        let error = try #require(throws: TenancyError.self) { try store.configSynchronously(for: .valid("acme")) }
        #expect(error.code == .backendUnavailable)
        #expect(error.message.hasPrefix("tenant 'acme': column 'policy' holds invalid JSON ("))
    }

    @Test func aJSONArrayWhereAnObjectBelongsIsReported() throws {
        // The schema's checks keep non-objects out; only a writer that turned them off gets one in.
        let (store, _) = try openDamaged("PRAGMA ignore_check_constraints = ON; UPDATE tenants SET metadata = '[1, 2]';")
        let error = try #require(throws: TenancyError.self) { try store.configSynchronously(for: .valid("acme")) }
        #expect(error.message.hasPrefix("tenant 'acme': column 'metadata' holds invalid JSON (at the top level: "))
    }

    @Test(arguments: ["{oops", "[]", "", "null"])
    func theSchemaRefusesTextThatIsNotAJSONObject(_ text: String) throws {
        let error = try #require(throws: SQLiteError.self) {
            try openDamaged("UPDATE tenants SET quota = '\(text)'")
        }
        #expect(error.code == .constraintCheck)
    }

    @Test func aStoredConfigThatFailsValidationIsRefused() throws {
        let (store, _) = try openDamaged(
            "UPDATE tenants SET quota = '{\"limits\": [{\"window\": \"minute\", \"requests\": -3}]}'")
        let error = try #require(throws: TenancyError.self) { try store.configSynchronously(for: .valid("acme")) }
        #expect(error.code == .backendUnavailable)
        #expect(error.message.hasPrefix("tenant 'acme': the stored config is invalid: invalid_configuration"))
    }

    @Test func aWrongStorageTypeNamesTheColumn() throws {
        let (_, raw) = try openDamaged("")
        let store = try SQLiteTenantConfigStore(
            path: directory.file("tenants.sqlite"), configuration: storeConfiguration(pollInterval: .seconds(3_600), filter: true),
            clock: clock)
        // STRICT refuses a wrong type, so recreate the table without it to simulate a foreign writer.
        try raw.executeScript(
            """
            ALTER TABLE tenants RENAME TO strict_tenants;
            CREATE TABLE tenants (id, status, quota, policy, metadata, version, created_at, updated_at);
            INSERT INTO tenants SELECT id, status, quota, policy, metadata, 'one', created_at, updated_at FROM strict_tenants;
            """)
        let error = try #require(throws: TenancyError.self) { try store.configSynchronously(for: .valid("acme")) }
        #expect(error == TenancyError(.backendUnavailable, "tenant 'acme': column 5 ('version') holds text, not an integer"))
        let writeError = try #require(throws: TenancyError.self) {
            try store.upsert(TenantConfig(id: .valid("acme")), condition: .always)
        }
        #expect(writeError == TenancyError(.backendUnavailable, "tenant 'acme': column 0 ('version') holds text, not an integer"))

        try raw.execute("INSERT INTO tenants SELECT 7, status, quota, policy, metadata, 1, created_at, updated_at FROM tenants")
        let pollError = try #require(throws: TenancyError.self) { try store.pollForExternalChanges() }
        #expect(pollError == TenancyError(.backendUnavailable, "SQLite: SQLITE_MISMATCH (20): column 0 ('id') holds an integer, not text"))
        let listError = try #require(throws: TenancyError.self) { try store.list(after: nil, limit: 10) }
        #expect(listError == TenancyError(.backendUnavailable, "a tenant row has a damaged id: column 0 ('id') holds an integer, not text"))
    }

    @Test func aRowWithAnInvalidIDBreaksTheListingWithAClearError() throws {
        let (store, raw) = try openDamaged("")
        try raw.execute(
            "INSERT INTO tenants SELECT 'bad id!', status, quota, policy, metadata, version, created_at, updated_at FROM tenants")
        let error = try #require(throws: TenancyError.self) { try store.list(after: nil, limit: 10) }
        #expect(error.code == .backendUnavailable)
        #expect(error.message.hasPrefix("a tenant row has an invalid id: tenant ID has byte 0x20 at offset 3"))
    }

    @Test func anUpsertRepairsADamagedRowButADeleteRefusesIt() throws {
        let (store, _) = try openDamaged("UPDATE tenants SET metadata = '{\"n\": 1}'")
        let deleteError = try #require(throws: TenancyError.self) { try store.delete(.valid("acme"), condition: .always) }
        #expect(deleteError.message.hasPrefix("tenant 'acme': column 'metadata' holds invalid JSON"))
        let repaired = try store.upsert(TenantConfig(id: .valid("acme")), condition: .version(1))
        #expect(repaired.version == 2)
        #expect(try store.configSynchronously(for: .valid("acme")) == repaired)
        #expect(try store.delete(.valid("acme"), condition: .always) == repaired)
    }

    @Test func aDamagedRowIsNotCachedSoItsRepairIsSeen() throws {
        let (store, raw) = try openDamaged("UPDATE tenants SET status = 'weird'")
        #expect(throws: TenancyError.self) { try store.configSynchronously(for: .valid("acme")) }
        try raw.execute("UPDATE tenants SET status = 'suspended'")
        #expect(try store.configSynchronously(for: .valid("acme"))?.status == .suspended)
    }
}
