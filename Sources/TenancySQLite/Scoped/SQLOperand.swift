/// The right-hand side of a comparison: a value (always bound as a parameter) or another column.
public enum SQLOperand: Hashable, Sendable {
    /// A value, bound as a parameter.
    case value(SQLiteValue)
    /// A column, for join conditions.
    case column(SQLColumn)
}
