/// A column in a query, optionally qualified by its table's alias: `SQLColumn("name")`,
/// `SQLColumn("r.name")` or `SQLColumn("name", of: "r")`. Names are validated when the query is built.
public struct SQLColumn: Hashable, Sendable, CustomStringConvertible {
    /// The alias (or table name) that qualifies the column, if any.
    public var table: String?
    /// The column name.
    public var name: String

    /// Creates a column from `name` or `alias.name`.
    /// - Parameter qualifiedName: The column, optionally preceded by its table alias and a dot.
    public init(_ qualifiedName: String) {
        if let dot = qualifiedName.firstIndex(of: ".") {
            table = String(qualifiedName[..<dot])
            name = String(qualifiedName[qualifiedName.index(after: dot)...])
        } else {
            table = nil
            name = qualifiedName
        }
    }

    /// Creates a column qualified by `table`.
    /// - Parameters:
    ///   - name: The column name.
    ///   - table: The alias (or table name) it belongs to.
    public init(_ name: String, of table: String) {
        self.table = table
        self.name = name
    }

    /// `alias.name` or `name`, unquoted, for messages.
    public var description: String { table.map { "\($0).\(name)" } ?? name }

    /// The quoted SQL spelling, `"alias"."name"` or `"name"`.
    func sql() throws(SQLiteError) -> String {
        let column = try SQLIdentifier.quoted(name)
        guard let table else { return column }
        return try SQLIdentifier.quoted(table) + "." + column
    }
}
