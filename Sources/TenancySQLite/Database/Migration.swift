/// One schema change, identified by its position in the migration list.
public struct Migration: Sendable {
    /// The schema version this migration produces: 1 for the first, 2 for the second, ...
    public let version: Int
    /// A short description, for error messages.
    public let name: String
    let apply: @Sendable (SQLiteConnection) throws(SQLiteError) -> Void

    /// Creates a migration that runs code.
    /// - Parameters:
    ///   - version: The schema version it produces, counting from 1.
    ///   - name: A short description.
    ///   - apply: Changes the schema; runs inside the migration's transaction, so it must not begin,
    ///     commit or roll back, nor run statements that cannot run in a transaction (`VACUUM`,
    ///     `PRAGMA journal_mode`, `PRAGMA foreign_keys`).
    public init(version: Int, name: String, apply: @escaping @Sendable (SQLiteConnection) throws(SQLiteError) -> Void) {
        self.version = version
        self.name = name
        self.apply = apply
    }

    /// Creates a migration that runs a SQL script.
    /// - Parameters:
    ///   - version: The schema version it produces, counting from 1.
    ///   - name: A short description.
    ///   - sql: The statements, run in order inside the migration's transaction.
    public init(version: Int, name: String, sql: String) {
        self.init(version: version, name: name) { connection throws(SQLiteError) in
            try connection.executeScript(sql)
        }
    }
}
