/// An `UPDATE` of the rows that match a condition. In a tenant scope only the tenant's rows are touched
/// and an assignment to `tenant_id` is refused.
public struct SQLUpdate: Hashable, Sendable {
    /// The table; conditions may qualify columns with its name.
    public var table: String
    /// Column names and their new values, written in ascending order of name.
    public var values: [String: SQLiteValue]
    /// Which rows; every row (of the tenant) when `nil`.
    public var condition: SQLCondition?

    /// Creates an update.
    /// - Parameters:
    ///   - table: The table.
    ///   - values: Column names and new values; at least one.
    ///   - condition: Which rows.
    public init(_ table: String, set values: [String: SQLiteValue], where condition: SQLCondition? = nil) {
        self.table = table
        self.values = values
        self.condition = condition
    }
}
