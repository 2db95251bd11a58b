/// The names of the tables that carry a `tenant_id` column, compared as SQLite compares identifiers
/// (ASCII case-insensitively), so `Resources` and `resources` are the same table.
struct TenantTableSet: Hashable, Sendable {
    private let names: Set<String>

    /// The declared names, as given.
    let declared: [String]

    /// Validates `names`.
    /// - Throws: ``SQLiteError`` with ``SQLiteError/Code/error`` for an invalid name.
    init(_ names: [String]) throws(SQLiteError) {
        for name in names { try SQLIdentifier.validate(name) }
        declared = names
        self.names = Set(names.map(SQLIdentifier.folded))
    }

    /// Whether `table` is a tenant table. Takes any string, such as a name the authorizer reports.
    func contains(_ table: String) -> Bool {
        names.contains(SQLIdentifier.folded(table))
    }
}
