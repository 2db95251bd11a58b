/// A table joined into a ``SQLSelect``. When the table is a tenant table the builder adds
/// `alias.tenant_id = ?` to its `ON` clause as a top-level conjunct, so even a `LEFT JOIN` never pairs a
/// row with another tenant's.
public struct SQLJoin: Hashable, Sendable {
    /// How rows without a match are treated.
    public enum Kind: String, Hashable, Sendable {
        /// `INNER JOIN`: only rows with a match.
        case inner = "INNER JOIN"
        /// `LEFT JOIN`: every row of the left side, with `NULL`s where nothing matches.
        case left = "LEFT JOIN"
    }

    /// How rows without a match are treated.
    public var kind: Kind
    /// The joined table.
    public var table: String
    /// The alias columns use to refer to it; the table name when `nil`.
    public var alias: String?
    /// The join condition.
    public var condition: SQLCondition

    /// Creates a join.
    /// - Parameters:
    ///   - table: The joined table.
    ///   - alias: The alias; the table name when `nil`.
    ///   - condition: The join condition.
    ///   - kind: Inner or left.
    public init(_ table: String, as alias: String? = nil, on condition: SQLCondition, kind: Kind = .inner) {
        self.kind = kind
        self.table = table
        self.alias = alias
        self.condition = condition
    }

    /// The name columns use to refer to the joined table.
    var reference: String { alias ?? table }
}
