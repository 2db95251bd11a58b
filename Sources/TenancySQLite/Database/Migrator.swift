/// Brings a database's schema up to date, recording progress in `PRAGMA user_version`.
///
/// Each pending migration runs in its own `BEGIN IMMEDIATE` transaction together with the `user_version`
/// update, so a crash or failure leaves the schema at the last migration that completed, never halfway.
/// The version is re-read inside each transaction, so two processes migrating the same file at once apply
/// each migration exactly once. A database whose version is newer than the last known migration is
/// refused rather than used with a schema this code does not understand.
public struct Migrator: Sendable {
    /// The migrations, in version order.
    public let migrations: [Migration]

    /// Creates a migrator.
    /// - Parameter migrations: Versions 1, 2, 3, ... in order, with no gaps.
    /// - Throws: ``SQLiteError`` with ``SQLiteError/Code/misuse`` when the versions are not 1...n in order.
    public init(_ migrations: [Migration]) throws(SQLiteError) {
        for (offset, migration) in migrations.enumerated() where migration.version != offset + 1 {
            let versions = migrations.map { String($0.version) }.joined(separator: ", ")
            throw SQLiteError(.misuse, "migration versions must be 1, 2, 3, ... in order; got \(versions)")
        }
        self.migrations = migrations
    }

    /// The version the schema has after every migration: the number of migrations.
    public var latestVersion: Int { migrations.count }

    /// The schema version recorded in the database (`PRAGMA user_version`); 0 for a new database.
    /// - Parameter connection: The database.
    /// - Returns: The version.
    /// - Throws: ``SQLiteError``.
    public static func version(of connection: SQLiteConnection) throws(SQLiteError) -> Int {
        try connection.withStatement("PRAGMA user_version") { statement throws(SQLiteError) in
            try statement.step()
            return Int(try statement.int64(at: 0))
        }
    }

    /// Applies every migration newer than the database's version, each in its own immediate transaction.
    /// - Parameter connection: A writable connection, not inside a transaction.
    /// - Returns: The versions applied, in order; empty when the schema was current.
    /// - Throws: ``SQLiteError`` naming the failing migration (its code is the migration's), or
    ///   ``SQLiteError/Code/error`` when the database is newer than ``latestVersion``.
    @discardableResult
    public func migrate(_ connection: SQLiteConnection) throws(SQLiteError) -> [Int] {
        let initial = try Self.version(of: connection)
        guard initial != latestVersion else { return [] }
        try refuseNewer(initial)
        var applied: [Int] = []
        for migration in migrations {
            let didApply = try connection.transaction(.immediate) { connection throws(SQLiteError) -> Bool in
                // Re-read under the write lock: another process may have migrated since.
                let current = try Self.version(of: connection)
                try refuseNewer(current)
                guard current < migration.version else { return false }
                do throws(SQLiteError) {
                    try migration.apply(connection)
                    try connection.executeScript("PRAGMA user_version = \(migration.version)")
                } catch {
                    throw SQLiteError(
                        error.code, "migration \(migration.version) ('\(migration.name)') failed: \(error.message)")
                }
                return true
            }
            if didApply { applied.append(migration.version) }
        }
        return applied
    }

    private func refuseNewer(_ version: Int) throws(SQLiteError) {
        guard version <= latestVersion else {
            throw SQLiteError(
                .error,
                "the database schema is at version \(version), newer than this code's \(latestVersion); refusing to use it")
        }
    }
}
