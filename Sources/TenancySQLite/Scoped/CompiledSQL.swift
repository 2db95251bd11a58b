/// One statement as the query builder wrote it: SQL text with numbered parameters `?1`, `?2`, ... in the
/// order they appear, and the values bound to them.
struct CompiledSQL: Hashable, Sendable {
    var sql: String
    var bindings: [SQLiteValue]
}
