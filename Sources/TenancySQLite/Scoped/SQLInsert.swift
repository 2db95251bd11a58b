/// An `INSERT` of one row. In a tenant scope the builder adds the `tenant_id` column itself and refuses a
/// row that sets it.
public struct SQLInsert: Hashable, Sendable {
    /// The table.
    public var table: String
    /// Column names and values; written in ascending order of name, so the SQL text (and its cached
    /// statement) is the same for every row with the same columns.
    public var values: [String: SQLiteValue]

    /// Creates an insert.
    /// - Parameters:
    ///   - table: The table.
    ///   - values: Column names and values.
    public init(into table: String, values: [String: SQLiteValue]) {
        self.table = table
        self.values = values
    }
}
