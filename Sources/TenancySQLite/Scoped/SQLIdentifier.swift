/// Validation and quoting of the table, column and alias names the query builder writes into SQL.
///
/// A name is 1-64 bytes of `[A-Za-z_][A-Za-z0-9_]*` and does not start with `sqlite_` (SQLite's own
/// tables). That alphabet cannot close a quoted identifier, start a comment or end a statement, so quoting
/// it in `"..."` is exact; anything else is refused, never escaped.
enum SQLIdentifier {
    /// The longest name accepted, in bytes.
    static let maximumLength = 64

    /// `name` in double quotes, after validation.
    /// - Throws: ``SQLiteError`` with ``SQLiteError/Code/error`` naming the bad name (bounded and escaped).
    static func quoted(_ name: String) throws(SQLiteError) -> String {
        try validate(name)
        return "\"" + name + "\""
    }

    /// Refuses any name outside the documented alphabet.
    /// - Throws: ``SQLiteError`` with ``SQLiteError/Code/error``.
    static func validate(_ name: String) throws(SQLiteError) {
        let bytes = name.utf8
        guard let first = bytes.first, bytes.count <= maximumLength, isLetter(first) || first == UInt8(ascii: "_"),
            bytes.allSatisfy({ isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "_") })
        else {
            throw SQLiteError(
                .error, "\(describe(name)) is not a valid SQL name: 1-\(maximumLength) bytes of [A-Za-z_][A-Za-z0-9_]*")
        }
        guard !folded(name).hasPrefix("sqlite_") else {
            throw SQLiteError(.error, "\(describe(name)) names one of SQLite's internal tables")
        }
    }

    /// Whether two names denote the same object: SQLite compares identifiers ASCII case-insensitively.
    static func same(_ lhs: String, _ rhs: String) -> Bool {
        folded(lhs) == folded(rhs)
    }

    /// `name` with ASCII `A-Z` lowered and every other byte kept: SQLite's identifier case folding.
    static func folded(_ name: String) -> String {
        guard name.utf8.contains(where: { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }) else { return name }
        return String(decoding: name.utf8.map { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    /// The first 64 characters of `name`, quoted and escaped, so a message never carries raw input.
    static func describe(_ name: String) -> String {
        name.count <= 64 ? name.debugDescription : String(name.prefix(64)).debugDescription + "..."
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
