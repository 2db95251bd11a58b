/// A type read from one result row, so a query returns values of it:
/// `try scope.select(SQLSelect(from: "resources"), as: Resource.self)`.
public protocol SQLiteRowDecodable {
    /// Reads a value from `row`, typically with ``SQLiteRow/text(_:)`` and friends.
    /// - Parameter row: The row.
    /// - Throws: ``SQLiteError`` when a column is missing or of another type.
    init(row: SQLiteRow) throws(SQLiteError)
}
