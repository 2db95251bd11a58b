import Tenancy

/// Turns query values into SQL text and bindings, adding tenant isolation.
///
/// With a tenant, every tenant table the statement touches gets `reference."tenant_id" = ?` as a top-level
/// conjunct: the first table's in `WHERE`, each joined table's in its `ON`. The user's condition follows in
/// parentheses, so nothing in it (an `OR`, a `NOT`) can loosen the tenant conjunct. Inserts into a tenant
/// table get the tenant's `tenant_id` from the builder, and a row or assignment that names `tenant_id`
/// is refused. Without a tenant (the cross-tenant scope) nothing is added or refused.
///
/// Every name is validated by ``SQLIdentifier`` and every value is bound; no input is ever spliced into
/// the text, so the text depends only on the query's shape and the statement cache stays small.
struct SQLCompiler {
    /// The column every tenant table carries.
    static let tenantColumn = "tenant_id"

    /// The tenant to filter for; `nil` compiles without isolation.
    let tenant: TenantID?
    /// The tables that carry a tenant column.
    let tenantTables: TenantTableSet
    private var sql = ""
    private var bindings: [SQLiteValue] = []

    init(tenant: TenantID?, tenantTables: TenantTableSet) {
        self.tenant = tenant
        self.tenantTables = tenantTables
    }

    // MARK: - Statements

    /// A `SELECT` of the query's columns, or `SELECT count(*)` (without order and limit) when `counting`.
    mutating func select(_ query: SQLSelect, counting: Bool = false) throws(SQLiteError) -> CompiledSQL {
        bindings = []
        try checkReferences(query)
        sql = "SELECT "
        if counting {
            sql += "count(*)"
        } else if query.columns.isEmpty {
            sql += try SQLIdentifier.quoted(query.reference) + ".*"
        } else {
            for (index, column) in query.columns.enumerated() {
                if index > 0 { sql += ", " }
                sql += try column.sql()
            }
        }
        sql += " FROM "
        try appendTable(query.table, alias: query.alias)
        for join in query.joins {
            sql += " " + join.kind.rawValue + " "
            try appendTable(join.table, alias: join.alias)
            try appendFilter(" ON ", table: join.table, reference: join.reference, join.condition)
        }
        try appendFilter(" WHERE ", table: query.table, reference: query.reference, query.condition)
        guard !counting else { return CompiledSQL(sql: sql, bindings: bindings) }
        for (index, term) in query.order.enumerated() {
            sql += index == 0 ? " ORDER BY " : ", "
            sql += try term.column.sql() + (term.isDescending ? " DESC" : " ASC")
        }
        try appendLimit(query.limit, offset: query.offset)
        return CompiledSQL(sql: sql, bindings: bindings)
    }

    /// An `INSERT` of one row; in a tenant scope, `tenant_id` comes first and is the tenant's.
    mutating func insert(_ insert: SQLInsert) throws(SQLiteError) -> CompiledSQL {
        bindings = []
        let columns = try assignedColumns(insert.values, table: insert.table, verb: "insert")
        var names: [String] = []
        var values: [SQLiteValue] = []
        if let tenant, tenantTables.contains(insert.table) {
            names.append(try SQLIdentifier.quoted(Self.tenantColumn))
            values.append(.text(tenant.rawValue))
        }
        for (name, value) in columns {
            names.append(try SQLIdentifier.quoted(name))
            values.append(value)
        }
        sql = "INSERT INTO " + (try SQLIdentifier.quoted(insert.table))
        guard !names.isEmpty else {
            sql += " DEFAULT VALUES"
            return CompiledSQL(sql: sql, bindings: [])
        }
        sql += " (" + names.joined(separator: ", ") + ") VALUES ("
        for (index, value) in values.enumerated() {
            if index > 0 { sql += ", " }
            bind(value)
        }
        sql += ")"
        return CompiledSQL(sql: sql, bindings: bindings)
    }

    /// An `UPDATE`; in a tenant scope only the tenant's rows, and never `tenant_id`.
    mutating func update(_ update: SQLUpdate) throws(SQLiteError) -> CompiledSQL {
        bindings = []
        let columns = try assignedColumns(update.values, table: update.table, verb: "update")
        guard !columns.isEmpty else {
            throw SQLiteError(.error, "an update of \(SQLIdentifier.describe(update.table)) must set at least one column")
        }
        sql = "UPDATE " + (try SQLIdentifier.quoted(update.table)) + " SET "
        for (index, (name, value)) in columns.enumerated() {
            if index > 0 { sql += ", " }
            sql += try SQLIdentifier.quoted(name) + " = "
            bind(value)
        }
        try appendFilter(" WHERE ", table: update.table, reference: update.table, update.condition)
        return CompiledSQL(sql: sql, bindings: bindings)
    }

    /// A `DELETE`; in a tenant scope only the tenant's rows.
    mutating func delete(_ delete: SQLDelete) throws(SQLiteError) -> CompiledSQL {
        bindings = []
        sql = "DELETE FROM " + (try SQLIdentifier.quoted(delete.table))
        try appendFilter(" WHERE ", table: delete.table, reference: delete.table, delete.condition)
        return CompiledSQL(sql: sql, bindings: bindings)
    }

    // MARK: - Clauses

    private mutating func appendTable(_ table: String, alias: String?) throws(SQLiteError) {
        sql += try SQLIdentifier.quoted(table)
        if let alias { sql += " AS " + (try SQLIdentifier.quoted(alias)) }
    }

    /// `keyword` followed by the tenant conjunct (for a tenant table) and the user's condition in
    /// parentheses, joined by `AND`; nothing when there is neither.
    private mutating func appendFilter(
        _ keyword: String, table: String, reference: String, _ condition: SQLCondition?
    ) throws(SQLiteError) {
        let tenant = tenantTables.contains(table) ? self.tenant : nil
        guard tenant != nil || condition != nil else { return }
        sql += keyword
        if let tenant {
            sql += try SQLIdentifier.quoted(reference) + "." + (try SQLIdentifier.quoted(Self.tenantColumn)) + " = "
            bind(.text(tenant.rawValue))
            if condition != nil { sql += " AND " }
        }
        if let condition {
            sql += "("
            try append(condition, depth: 1)
            sql += ")"
        }
    }

    private mutating func appendLimit(_ limit: Int?, offset: Int?) throws(SQLiteError) {
        guard limit != nil || offset != nil else { return }
        guard (limit ?? 0) >= 0, (offset ?? 0) >= 0 else {
            throw SQLiteError(.error, "limit and offset must not be negative")
        }
        sql += " LIMIT "
        bind(.integer(Int64(limit ?? -1)))
        if let offset {
            sql += " OFFSET "
            bind(.integer(Int64(offset)))
        }
    }

    /// Appends `condition`; `and` / `or` inside `and` / `or` are parenthesised, so the text means exactly
    /// the tree.
    private mutating func append(_ condition: SQLCondition, depth: Int) throws(SQLiteError) {
        guard depth <= SQLCondition.maximumDepth else {
            throw SQLiteError(.error, "the condition nests deeper than \(SQLCondition.maximumDepth) levels")
        }
        switch condition {
        case .comparison(let column, let comparison, let operand):
            sql += try column.sql() + " " + comparison.rawValue + " "
            switch operand {
            case .value(let value): bind(value)
            case .column(let other): sql += try other.sql()
            }
        case .isNull(let column):
            sql += try column.sql() + " IS NULL"
        case .isNotNull(let column):
            sql += try column.sql() + " IS NOT NULL"
        case .isIn(let column, let values):
            guard !values.isEmpty else {
                sql += "0"
                return
            }
            sql += try column.sql() + " IN ("
            for (index, value) in values.enumerated() {
                if index > 0 { sql += ", " }
                bind(value)
            }
            sql += ")"
        case .like(let column, let pattern):
            sql += try column.sql() + " LIKE "
            bind(.text(pattern))
            sql += " ESCAPE '\\'"
        case .and(let conditions):
            try append(conditions, separator: " AND ", empty: "1", depth: depth)
        case .or(let conditions):
            try append(conditions, separator: " OR ", empty: "0", depth: depth)
        case .not(let inner):
            sql += "NOT ("
            try append(inner, depth: depth + 1)
            sql += ")"
        }
    }

    private mutating func append(
        _ conditions: [SQLCondition], separator: String, empty: String, depth: Int
    ) throws(SQLiteError) {
        guard !conditions.isEmpty else {
            sql += empty
            return
        }
        for (index, condition) in conditions.enumerated() {
            if index > 0 { sql += separator }
            switch condition {
            case .and(let inner) where inner.count > 1, .or(let inner) where inner.count > 1:
                sql += "("
                try append(condition, depth: depth + 1)
                sql += ")"
            default:
                try append(condition, depth: depth + 1)
            }
        }
    }

    private mutating func bind(_ value: SQLiteValue) {
        bindings.append(value)
        sql += "?" + String(bindings.count)
    }

    // MARK: - Checks

    /// The assigned columns in ascending order of name, after refusing `tenant_id` in a tenant scope:
    /// the builder owns that column.
    private func assignedColumns(
        _ values: [String: SQLiteValue], table: String, verb: String
    ) throws(SQLiteError) -> [(String, SQLiteValue)] {
        if tenant != nil, tenantTables.contains(table),
            values.keys.contains(where: { SQLIdentifier.same($0, Self.tenantColumn) })
        {
            throw SQLiteError(
                .authorization,
                "a tenant scope may not \(verb) \(Self.tenantColumn) of \(SQLIdentifier.describe(table)): the builder sets it")
        }
        return values.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// Refuses two tables with the same reference name: a column qualified by it would be ambiguous.
    private func checkReferences(_ query: SQLSelect) throws(SQLiteError) {
        var seen: [String] = [query.reference]
        for join in query.joins {
            if seen.contains(where: { SQLIdentifier.same($0, join.reference) }) {
                throw SQLiteError(.error, "the name \(SQLIdentifier.describe(join.reference)) is used twice in the query")
            }
            seen.append(join.reference)
        }
    }
}
