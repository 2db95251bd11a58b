#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Tenancy

/// The `tenants` table of the config database: its schema (as migrations), its SQL, and the conversion
/// between rows and ``TenantConfig`` values. Every function runs on a connection its caller holds.
///
/// Quota, policy and metadata are stored as the admin API's snake_case JSON objects in `STRICT` `TEXT`
/// columns; timestamps as `INTEGER` nanoseconds since the Unix epoch (exact round trips); IDs in the
/// default `BINARY` collation, so `ORDER BY id` is the byte order of ``TenantID``. The `CHECK`s use only
/// built-in functions SQLite marks innocuous (`json_valid` is not, in 3.40), because every connection
/// runs with `trusted_schema` off; full validation happens when a row is decoded.
enum TenantConfigTable {
    /// The config database's schema history. Append, never edit: `PRAGMA user_version` records how many
    /// have run.
    static let migrations: [Migration] = [
        Migration(
            version: 1, name: "create the tenants table",
            sql: """
                CREATE TABLE tenants (
                    id TEXT NOT NULL PRIMARY KEY CHECK (length(CAST(id AS BLOB)) BETWEEN 1 AND 255),
                    status TEXT NOT NULL,
                    quota TEXT NOT NULL CHECK (substr(quota, 1, 1) = '{' AND substr(quota, -1, 1) = '}'),
                    policy TEXT NOT NULL CHECK (substr(policy, 1, 1) = '{' AND substr(policy, -1, 1) = '}'),
                    metadata TEXT NOT NULL CHECK (substr(metadata, 1, 1) = '{' AND substr(metadata, -1, 1) = '}'),
                    version INTEGER NOT NULL CHECK (version >= 1),
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL
                ) STRICT, WITHOUT ROWID;
                """),
        Migration(
            version: 2, name: "create the shard override directory",
            sql: """
                CREATE TABLE shard_overrides (
                    tenant_id TEXT NOT NULL PRIMARY KEY CHECK (length(CAST(tenant_id AS BLOB)) BETWEEN 1 AND 255),
                    shard INTEGER NOT NULL CHECK (shard >= 0),
                    updated_at INTEGER NOT NULL
                ) STRICT, WITHOUT ROWID;
                """),
        Migration(
            version: 3, name: "remember the last version of deleted tenants",
            sql: """
                CREATE TABLE tenant_tombstones (
                    id TEXT NOT NULL PRIMARY KEY CHECK (length(CAST(id AS BLOB)) BETWEEN 1 AND 255),
                    version INTEGER NOT NULL CHECK (version >= 1)
                ) STRICT, WITHOUT ROWID;
                """),
    ]

    /// The JSON columns of a config, encoded once outside any lock.
    struct EncodedColumns {
        var quota: String
        var policy: String
        var metadata: String
    }

    /// What a write needs to know about the stored row.
    struct StoredVersion {
        var version: Int64
        var createdAt: Timestamp
    }

    private static let columns = "id, status, quota, policy, metadata, version, created_at, updated_at"
    private static let selectOne = "SELECT \(columns) FROM tenants WHERE id = ?1"
    private static let selectVersion = "SELECT version, created_at FROM tenants WHERE id = ?1"
    private static let insertRow = "INSERT INTO tenants (\(columns)) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
    private static let updateRow =
        "UPDATE tenants SET status = ?2, quota = ?3, policy = ?4, metadata = ?5, version = ?6, updated_at = ?7 WHERE id = ?1"
    private static let deleteRow = "DELETE FROM tenants WHERE id = ?1"
    private static let selectTombstone = "SELECT version FROM tenant_tombstones WHERE id = ?1"
    private static let upsertTombstone =
        "INSERT INTO tenant_tombstones (id, version) VALUES (?1, ?2) ON CONFLICT (id) DO UPDATE SET version = excluded.version"
    private static let deleteTombstone = "DELETE FROM tenant_tombstones WHERE id = ?1"
    private static let firstPage = "SELECT \(columns) FROM tenants ORDER BY id LIMIT ?1"
    private static let nextPage = "SELECT \(columns) FROM tenants WHERE id > ?1 ORDER BY id LIMIT ?2"
    private static let allIDs = "SELECT id FROM tenants"

    // MARK: - Queries

    /// The config of `id`, or `nil`.
    static func config(_ id: TenantID, on connection: SQLiteConnection) throws(TenancyError) -> TenantConfig? {
        try connection.query(selectOne, [.text(id.rawValue)]) { row throws(TenancyError) in
            try decode(row)
        }.first
    }

    /// The version and creation time of `id`, or `nil`; reads no JSON, so a row with a damaged JSON column
    /// can still be overwritten.
    static func storedVersion(_ id: TenantID, on connection: SQLiteConnection) throws(TenancyError) -> StoredVersion? {
        try connection.query(selectVersion, [.text(id.rawValue)]) { row throws(TenancyError) in
            do throws(SQLiteError) {
                return StoredVersion(
                    version: try row.int64(at: 0), createdAt: Timestamp(nanosecondsSinceEpoch: try row.int64(at: 1)))
            } catch {
                throw TenancyError(.backendUnavailable, "tenant '\(id)': \(error.message)")
            }
        }.first
    }

    /// The last version of `id` when it was deleted and not created again, or `nil`. A tenant created again
    /// continues from it, so a version (an ETag) of the deleted tenant can never match the new one.
    static func deletedVersion(_ id: TenantID, on connection: SQLiteConnection) throws(TenancyError) -> Int64? {
        try connection.query(selectTombstone, [.text(id.rawValue)]) { row throws(TenancyError) in
            do throws(SQLiteError) { return try row.int64(at: 0) } catch { throw TenancyError(error) }
        }.first
    }

    /// Up to `limit` configs after `after`, in byte order of IDs.
    static func page(after: TenantID?, limit: Int, on connection: SQLiteConnection) throws(TenancyError) -> [TenantConfig] {
        let decodeRow = { (row: SQLiteStatement) throws(TenancyError) -> TenantConfig in try decode(row) }
        guard let after else {
            return try connection.query(firstPage, [.integer(Int64(limit))], decodeRow)
        }
        return try connection.query(nextPage, [.text(after.rawValue), .integer(Int64(limit))], decodeRow)
    }

    /// Every valid ID in the table (rows with an invalid ID cannot be looked up, so they are skipped).
    static func ids(on connection: SQLiteConnection) throws(TenancyError) -> [TenantID] {
        try connection.query(allIDs) { row throws(TenancyError) -> TenantID? in
            do throws(SQLiteError) {
                return TenantID(validating: try row.text(at: 0))
            } catch {
                throw TenancyError(error)
            }
        }.compactMap { $0 }
    }

    // MARK: - Writes

    /// Inserts a new row for `config`, whose version and timestamps are already assigned, and drops the
    /// tenant's tombstone (the row now carries the version forward).
    static func insert(_ config: TenantConfig, _ encoded: EncodedColumns, on connection: SQLiteConnection) throws(TenancyError) {
        try run(connection, deleteTombstone, [.text(config.id.rawValue)])
        try run(connection, insertRow, [
            .text(config.id.rawValue), .text(config.status.rawValue), .text(encoded.quota), .text(encoded.policy),
            .text(encoded.metadata), .integer(config.version), .integer(config.createdAt.nanosecondsSinceEpoch),
            .integer(config.updatedAt.nanosecondsSinceEpoch),
        ])
    }

    /// Replaces the row of `config.id`; the creation time is kept.
    static func update(_ config: TenantConfig, _ encoded: EncodedColumns, on connection: SQLiteConnection) throws(TenancyError) {
        try run(connection, updateRow, [
            .text(config.id.rawValue), .text(config.status.rawValue), .text(encoded.quota), .text(encoded.policy),
            .text(encoded.metadata), .integer(config.version), .integer(config.updatedAt.nanosecondsSinceEpoch),
        ])
    }

    /// Deletes the row of `id` and records `version`, its last, as the tenant's tombstone.
    static func delete(_ id: TenantID, version: Int64, on connection: SQLiteConnection) throws(TenancyError) {
        try run(connection, deleteRow, [.text(id.rawValue)])
        try run(connection, upsertTombstone, [.text(id.rawValue), .integer(version)])
    }

    private static func run(_ connection: SQLiteConnection, _ sql: String, _ values: [SQLiteValue]) throws(TenancyError) {
        do {
            try connection.execute(sql, values)
        } catch {
            throw TenancyError(error)
        }
    }

    // MARK: - Encoding

    /// Encodes the JSON columns of a validated config (sorted keys, so equal configs store equal text).
    static func encode(_ config: TenantConfig) throws(TenancyError) -> EncodedColumns {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return EncodedColumns(
                quota: String(decoding: try encoder.encode(config.quota), as: UTF8.self),
                policy: String(decoding: try encoder.encode(config.policy), as: UTF8.self),
                metadata: String(decoding: try encoder.encode(config.metadata), as: UTF8.self))
        } catch {
            throw TenancyError(.invalidConfiguration, "tenant '\(config.id)': cannot encode the config as JSON: \(error)")
        }
    }

    /// Decodes the current row (columns in ``columns`` order) into a validated config.
    /// - Throws: ``TenancyError`` with ``TenancyError/Code/backendUnavailable`` naming the tenant and the
    ///   column when a value is damaged: the gate then fails closed (503) instead of guessing.
    static func decode(_ row: SQLiteStatement) throws(TenancyError) -> TenantConfig {
        let rawID: String
        do {
            rawID = try row.text(at: 0)
        } catch {
            throw TenancyError(.backendUnavailable, "a tenant row has a damaged id: \(error.message)")
        }
        let id: TenantID
        do {
            id = try TenantID(rawID)
        } catch {
            throw TenancyError(.backendUnavailable, "a tenant row has an invalid id: \(error.message)")
        }
        func fail(_ column: String, _ problem: String) -> TenancyError {
            TenancyError(.backendUnavailable, "tenant '\(id)': column '\(column)' \(problem)")
        }
        let columns: (status: String, quota: String, policy: String, metadata: String, times: [Int64])
        do throws(SQLiteError) {
            columns = (
                try row.text(at: 1), try row.text(at: 2), try row.text(at: 3), try row.text(at: 4),
                [try row.int64(at: 5), try row.int64(at: 6), try row.int64(at: 7)]
            )
        } catch {
            throw TenancyError(.backendUnavailable, "tenant '\(id)': \(error.message)")
        }
        guard let status = TenantStatus(rawValue: columns.status) else {
            throw fail("status", "holds '\(columns.status.boundedForMessage)', not one of active, suspended")
        }
        var config = TenantConfig(
            id: id, status: status,
            quota: try decodeJSON(QuotaConfig.self, columns.quota) { fail("quota", $0) },
            policy: try decodeJSON(PolicyConfig.self, columns.policy) { fail("policy", $0) },
            metadata: try decodeJSON([String: String].self, columns.metadata) { fail("metadata", $0) })
        config.version = columns.times[0]
        config.createdAt = Timestamp(nanosecondsSinceEpoch: columns.times[1])
        config.updatedAt = Timestamp(nanosecondsSinceEpoch: columns.times[2])
        do {
            return try config.validated()
        } catch {
            throw TenancyError(.backendUnavailable, "tenant '\(id)': the stored config is invalid: \(error)")
        }
    }

    private static func decodeJSON<T: Decodable>(
        _ type: T.Type, _ text: String, _ fail: (String) -> TenancyError
    ) throws(TenancyError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(text.utf8))
        } catch let error as DecodingError {
            throw fail("holds invalid JSON (\(describe(error)))")
        } catch {
            throw fail("holds invalid JSON (\(String(describing: error).boundedForMessage))")
        }
    }

    /// A one-line account of a decoding failure: where, and what.
    private static func describe(_ error: DecodingError) -> String {
        let context: DecodingError.Context
        switch error {
        case .typeMismatch(_, let found), .valueNotFound(_, let found), .dataCorrupted(let found):
            context = found
        case .keyNotFound(let key, let found):
            let path = pathDescription(found.codingPath + [key])
            return "\(path): missing"
        @unknown default:
            return String(describing: error).boundedForMessage
        }
        return "\(pathDescription(context.codingPath)): \(context.debugDescription.boundedForMessage)"
    }

    private static func pathDescription(_ path: [any CodingKey]) -> String {
        guard !path.isEmpty else { return "at the top level" }
        var text = "at "
        for (offset, key) in path.enumerated() {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += (offset == 0 ? "" : ".") + key.stringValue
            }
        }
        return text
    }
}

extension String {
    /// At most 120 characters of the string, for quoting damaged values in messages without flooding logs.
    var boundedForMessage: String {
        count <= 120 ? self : String(prefix(120)) + "..."
    }
}
