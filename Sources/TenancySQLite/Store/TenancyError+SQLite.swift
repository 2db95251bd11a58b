import Tenancy

extension TenancyError: SQLiteErrorConvertible {
    /// Wraps a SQLite failure as ``TenancyError/Code/backendUnavailable``, keeping SQLite's code and message.
    /// - Parameter sqliteError: The failure.
    public init(_ sqliteError: SQLiteError) {
        self.init(.backendUnavailable, "SQLite: \(sqliteError)")
    }
}
