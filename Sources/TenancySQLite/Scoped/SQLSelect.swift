/// A `SELECT` (or, through ``SQLiteTenantScope/count(_:)``, a `count(*)`) over one table and its joins,
/// built as a value: `SQLSelect(from: "resources", as: "r").where(SQLColumn("r.kind") == "doc").limit(20)`.
public struct SQLSelect: Hashable, Sendable {
    /// The first table.
    public var table: String
    /// Its alias; the table name when `nil`.
    public var alias: String?
    /// The columns returned; every column of the first table when empty.
    public var columns: [SQLColumn]
    /// Joined tables, in order.
    public var joins: [SQLJoin]
    /// The user's condition, if any (the tenant conjunct is added by the builder).
    public var condition: SQLCondition?
    /// Sort terms, in order.
    public var order: [SQLOrder]
    /// The most rows returned, if limited.
    public var limit: Int?
    /// Rows skipped before the first returned.
    public var offset: Int?

    /// Creates a query of every row of `table` (for a tenant scope: every row of its tenant).
    /// - Parameters:
    ///   - table: The table.
    ///   - alias: The alias columns use to refer to it.
    ///   - columns: The columns returned; all of the table's when empty.
    public init(from table: String, as alias: String? = nil, columns: [SQLColumn] = []) {
        self.table = table
        self.alias = alias
        self.columns = columns
        self.joins = []
        self.condition = nil
        self.order = []
    }

    /// The query with `join` added.
    /// - Parameter join: The table to join.
    /// - Returns: The new query.
    public func join(_ join: SQLJoin) -> SQLSelect {
        var copy = self
        copy.joins.append(join)
        return copy
    }

    /// The query with `condition` added (`and`-ed to any condition already there).
    /// - Parameter condition: The condition.
    /// - Returns: The new query.
    public func `where`(_ condition: SQLCondition) -> SQLSelect {
        var copy = self
        copy.condition = copy.condition.map { $0 && condition } ?? condition
        return copy
    }

    /// The query with `terms` appended to its order.
    /// - Parameter terms: Sort terms.
    /// - Returns: The new query.
    public func orderBy(_ terms: SQLOrder...) -> SQLSelect {
        var copy = self
        copy.order += terms
        return copy
    }

    /// The query limited to `limit` rows after skipping `offset`.
    /// - Parameters:
    ///   - limit: The most rows returned; must not be negative.
    ///   - offset: Rows skipped; must not be negative.
    /// - Returns: The new query.
    public func limit(_ limit: Int, offset: Int? = nil) -> SQLSelect {
        var copy = self
        copy.limit = limit
        copy.offset = offset
        return copy
    }

    /// The name columns use to refer to the first table.
    var reference: String { alias ?? table }
}
