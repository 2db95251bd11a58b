/// One `ORDER BY` term.
public struct SQLOrder: Hashable, Sendable {
    /// The column sorted by.
    public var column: SQLColumn
    /// Whether larger values come first.
    public var isDescending: Bool

    /// Sorts by `column`, smallest first.
    /// - Parameter column: The column.
    /// - Returns: The term.
    public static func ascending(_ column: SQLColumn) -> SQLOrder {
        SQLOrder(column: column, isDescending: false)
    }

    /// Sorts by `column`, largest first.
    /// - Parameter column: The column.
    /// - Returns: The term.
    public static func descending(_ column: SQLColumn) -> SQLOrder {
        SQLOrder(column: column, isDescending: true)
    }
}
