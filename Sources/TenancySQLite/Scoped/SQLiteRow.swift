/// One result row, read by column name: `try row.text("name")`, `try row.int64("size")`.
public struct SQLiteRow: Hashable, Sendable {
    /// The column names, in order, as SQLite reports them.
    public let columns: [String]
    /// The values, one per column.
    public let values: [SQLiteValue]

    /// Creates a row.
    /// - Parameters:
    ///   - columns: The column names.
    ///   - values: One value per column.
    public init(columns: [String], values: [SQLiteValue]) {
        self.columns = columns
        self.values = values
    }

    /// The value of column `name` (the first column of that name, matched exactly, else ASCII
    /// case-insensitively as SQLite matches names), or `nil` when the row has no such column.
    public subscript(_ name: String) -> SQLiteValue? {
        guard let index = columns.firstIndex(of: name) ?? columns.firstIndex(where: { SQLIdentifier.same($0, name) })
        else { return nil }
        return values[index]
    }

    /// The value of column `name`.
    /// - Parameter name: The column.
    /// - Returns: Its value, `NULL` included.
    /// - Throws: ``SQLiteError`` with ``SQLiteError/Code/range`` when the row has no such column.
    public func value(_ name: String) throws(SQLiteError) -> SQLiteValue {
        guard let value = self[name] else {
            throw SQLiteError(.range, "the row has no column \(SQLIdentifier.describe(name)); it has \(columns)")
        }
        return value
    }

    /// The text in column `name`.
    /// - Parameter name: The column.
    /// - Returns: The text.
    /// - Throws: ``SQLiteError`` with ``SQLiteError/Code/range`` (no such column) or
    ///   ``SQLiteError/Code/mismatch`` (not text).
    public func text(_ name: String) throws(SQLiteError) -> String {
        guard case .text(let text) = try value(name) else { throw mismatch(name, "text") }
        return text
    }

    /// The integer in column `name`.
    /// - Parameter name: The column.
    /// - Returns: The integer.
    /// - Throws: ``SQLiteError`` with ``SQLiteError/Code/range`` or ``SQLiteError/Code/mismatch``.
    public func int64(_ name: String) throws(SQLiteError) -> Int64 {
        guard case .integer(let integer) = try value(name) else { throw mismatch(name, "an integer") }
        return integer
    }

    /// The number in column `name`; integers are converted.
    /// - Parameter name: The column.
    /// - Returns: The number.
    /// - Throws: ``SQLiteError`` with ``SQLiteError/Code/range`` or ``SQLiteError/Code/mismatch``.
    public func double(_ name: String) throws(SQLiteError) -> Double {
        switch try value(name) {
        case .real(let real): return real
        case .integer(let integer): return Double(integer)
        default: throw mismatch(name, "a number")
        }
    }

    /// The bytes in column `name`.
    /// - Parameter name: The column.
    /// - Returns: The bytes.
    /// - Throws: ``SQLiteError`` with ``SQLiteError/Code/range`` or ``SQLiteError/Code/mismatch``.
    public func blob(_ name: String) throws(SQLiteError) -> [UInt8] {
        guard case .blob(let bytes) = try value(name) else { throw mismatch(name, "a blob") }
        return bytes
    }

    private func mismatch(_ name: String, _ expected: String) -> SQLiteError {
        SQLiteError(.mismatch, "column \(SQLIdentifier.describe(name)) holds \((self[name] ?? .null).typeName), not \(expected)")
    }

    /// The current row of `statement`, with its column names.
    static func read(_ statement: SQLiteStatement) throws(SQLiteError) -> SQLiteRow {
        var names: [String] = []
        names.reserveCapacity(statement.columnCount)
        for index in 0..<statement.columnCount {
            names.append(try statement.columnName(at: index))
        }
        return SQLiteRow(columns: names, values: try statement.row())
    }
}
