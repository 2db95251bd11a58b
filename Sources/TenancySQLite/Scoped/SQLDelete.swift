/// A `DELETE` of the rows that match a condition. In a tenant scope only the tenant's rows are touched.
public struct SQLDelete: Hashable, Sendable {
    /// The table; conditions may qualify columns with its name.
    public var table: String
    /// Which rows; every row (of the tenant) when `nil`.
    public var condition: SQLCondition?

    /// Creates a delete.
    /// - Parameters:
    ///   - table: The table.
    ///   - condition: Which rows.
    public init(from table: String, where condition: SQLCondition? = nil) {
        self.table = table
        self.condition = condition
    }
}
