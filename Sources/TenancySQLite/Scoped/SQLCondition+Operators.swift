extension SQLColumn {
    /// `column = value`.
    public static func == (column: SQLColumn, value: SQLiteValue) -> SQLCondition {
        .comparison(column, .equal, .value(value))
    }

    /// `column <> value`.
    public static func != (column: SQLColumn, value: SQLiteValue) -> SQLCondition {
        .comparison(column, .notEqual, .value(value))
    }

    /// `column < value`.
    public static func < (column: SQLColumn, value: SQLiteValue) -> SQLCondition {
        .comparison(column, .less, .value(value))
    }

    /// `column <= value`.
    public static func <= (column: SQLColumn, value: SQLiteValue) -> SQLCondition {
        .comparison(column, .lessOrEqual, .value(value))
    }

    /// `column > value`.
    public static func > (column: SQLColumn, value: SQLiteValue) -> SQLCondition {
        .comparison(column, .greater, .value(value))
    }

    /// `column >= value`.
    public static func >= (column: SQLColumn, value: SQLiteValue) -> SQLCondition {
        .comparison(column, .greaterOrEqual, .value(value))
    }

    /// `column = other`, for join conditions.
    public static func == (column: SQLColumn, other: SQLColumn) -> SQLCondition {
        .comparison(column, .equal, .column(other))
    }

    /// `column IS NULL`.
    public var isNull: SQLCondition { .isNull(self) }

    /// `column IS NOT NULL`.
    public var isNotNull: SQLCondition { .isNotNull(self) }

    /// `column IN (values)`.
    /// - Parameter values: The values, each bound as a parameter.
    /// - Returns: The condition.
    public func isIn(_ values: [SQLiteValue]) -> SQLCondition {
        .isIn(self, values)
    }

    /// `column LIKE pattern ESCAPE '\'`.
    /// - Parameter pattern: The pattern, bound as a parameter.
    /// - Returns: The condition.
    public func like(_ pattern: String) -> SQLCondition {
        .like(self, pattern)
    }
}

extension SQLCondition {
    /// Both conditions hold.
    public static func && (lhs: SQLCondition, rhs: SQLCondition) -> SQLCondition {
        .and([lhs, rhs])
    }

    /// At least one condition holds.
    public static func || (lhs: SQLCondition, rhs: SQLCondition) -> SQLCondition {
        .or([lhs, rhs])
    }

    /// The condition does not hold.
    public static prefix func ! (condition: SQLCondition) -> SQLCondition {
        .not(condition)
    }
}
