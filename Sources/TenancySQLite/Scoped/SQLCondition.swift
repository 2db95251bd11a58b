/// A `WHERE` or `ON` condition as a typed tree: comparisons of a column with a bound value or another
/// column, `NULL` tests, `IN`, `LIKE`, combined with `and`, `or` and `not`.
///
/// There is no way to write SQL text or a subquery into a condition: values are always bound parameters
/// and names are validated identifiers. The builder wraps each user condition in parentheses, so `or`
/// inside it can never escape the tenant conjunct. Build conditions with the operators on ``SQLColumn``:
/// `SQLColumn("status") == "open" && !(SQLColumn("size") > 10)`.
public indirect enum SQLCondition: Hashable, Sendable {
    /// `column op value` or `column op column`.
    case comparison(SQLColumn, SQLComparison, SQLOperand)
    /// `column IS NULL`.
    case isNull(SQLColumn)
    /// `column IS NOT NULL`.
    case isNotNull(SQLColumn)
    /// `column IN (values)`; an empty list is false.
    case isIn(SQLColumn, [SQLiteValue])
    /// `column LIKE pattern ESCAPE '\'`: `%` and `_` are wildcards, `\` escapes them.
    case like(SQLColumn, String)
    /// Every condition holds; an empty list is true.
    case and([SQLCondition])
    /// At least one condition holds; an empty list is false.
    case or([SQLCondition])
    /// The condition does not hold.
    case not(SQLCondition)

    /// The deepest nesting of `and`, `or` and `not` accepted, well below SQLite's expression depth limit
    /// (1000), so a condition built from request input can neither exhaust the stack nor SQLite.
    public static let maximumDepth = 64
}
