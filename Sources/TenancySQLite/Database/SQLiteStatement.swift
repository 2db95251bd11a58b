import CSQLite

/// A prepared statement of a ``SQLiteConnection``: bind parameters, step through rows, read columns.
///
/// Not thread-safe, like its connection: use it only while you hold the connection. Parameter indexes are
/// 1-based and column indexes 0-based, as in SQLite. Every misuse (an index out of range, a read with no
/// current row, a value of another type than the reader asked for, a statement whose connection was
/// closed) throws a ``SQLiteError``; nothing traps.
public final class SQLiteStatement {
    /// The statement's SQL text, as prepared.
    public let sql: String
    let handle: OpaquePointer
    private weak var connection: SQLiteConnection?
    /// Whether the last ``step()`` produced a row, so the column readers have something to read.
    private var hasRow = false
    /// Set while a ``SQLiteConnection/withStatement(_:_:)`` body uses this cached statement, so a nested
    /// use of the same SQL gets its own statement instead of resetting this one.
    var isInUse = false

    init(sql: String, handle: OpaquePointer, connection: SQLiteConnection) {
        self.sql = sql
        self.handle = handle
        self.connection = connection
    }

    /// Finalizes the statement. A connection closed with `sqlite3_close_v2` stays a zombie until its last
    /// statement is finalized here, so this is safe in any order.
    deinit {
        sqlite3_finalize(handle)
    }

    /// The number of parameters (`?`, `?NNN`, `:name`) in the SQL: the largest parameter index.
    public var parameterCount: Int { Int(sqlite3_bind_parameter_count(handle)) }

    /// The number of columns in each result row; 0 for statements that return no data.
    public var columnCount: Int { Int(sqlite3_column_count(handle)) }

    /// Whether the statement makes no direct change to the database (`sqlite3_stmt_readonly`).
    public var isReadOnly: Bool { sqlite3_stmt_readonly(handle) != 0 }

    // MARK: - Binding

    /// Binds `value` to parameter `index`.
    /// - Parameters:
    ///   - value: The value; ``SQLiteValue/blob(_:)`` of an empty array binds a zero-length blob.
    ///   - index: The 1-based parameter index.
    /// - Throws: ``SQLiteError`` with ``SQLiteError/Code/range`` for a bad index, or what SQLite reports
    ///   (``SQLiteError/Code/misuse`` when the statement was stepped and not reset).
    public func bind(_ value: SQLiteValue, at index: Int) throws(SQLiteError) {
        let position = try parameterPosition(index)
        let result: Int32
        switch value {
        case .null:
            result = sqlite3_bind_null(handle, position)
        case .integer(let integer):
            result = sqlite3_bind_int64(handle, position, integer)
        case .real(let real):
            result = sqlite3_bind_double(handle, position, real)
        case .text(let text):
            result = Self.bindText(text, to: handle, at: position)
        case .blob(let bytes):
            result = bytes.withUnsafeBytes { buffer in
                guard let base = buffer.baseAddress, !buffer.isEmpty else {
                    return sqlite3_bind_zeroblob(handle, position, 0)
                }
                return sqlite3_bind_blob64(
                    handle, position, base, sqlite3_uint64(buffer.count), tenancy_sqlite3_transient())
            }
        }
        try check(result)
    }

    /// Binds an integer to parameter `index`.
    /// - Parameters:
    ///   - value: The integer.
    ///   - index: The 1-based parameter index.
    /// - Throws: ``SQLiteError`` as the ``SQLiteValue`` overload.
    public func bind(_ value: Int64, at index: Int) throws(SQLiteError) {
        try bind(.integer(value), at: index)
    }

    /// Binds a double to parameter `index`.
    /// - Parameters:
    ///   - value: The double.
    ///   - index: The 1-based parameter index.
    /// - Throws: ``SQLiteError`` as the ``SQLiteValue`` overload.
    public func bind(_ value: Double, at index: Int) throws(SQLiteError) {
        try bind(.real(value), at: index)
    }

    /// Binds text to parameter `index`; embedded NUL bytes are kept.
    /// - Parameters:
    ///   - value: The text.
    ///   - index: The 1-based parameter index.
    /// - Throws: ``SQLiteError`` as the ``SQLiteValue`` overload.
    public func bind(_ value: String, at index: Int) throws(SQLiteError) {
        try bind(.text(value), at: index)
    }

    /// Binds a blob to parameter `index`; an empty array is a zero-length blob, not `NULL`.
    /// - Parameters:
    ///   - value: The bytes.
    ///   - index: The 1-based parameter index.
    /// - Throws: ``SQLiteError`` as the ``SQLiteValue`` overload.
    public func bind(_ value: [UInt8], at index: Int) throws(SQLiteError) {
        try bind(.blob(value), at: index)
    }

    /// Binds `NULL` to parameter `index`.
    /// - Parameter index: The 1-based parameter index.
    /// - Throws: ``SQLiteError`` as the ``SQLiteValue`` overload.
    public func bindNull(at index: Int) throws(SQLiteError) {
        try bind(.null, at: index)
    }

    /// Resets the statement and binds `values` to parameters 1, 2, ... in order.
    /// - Parameter values: One value per parameter.
    /// - Throws: ``SQLiteError`` with ``SQLiteError/Code/range`` when the count differs from
    ///   ``parameterCount``, so a missing or extra value is never silently `NULL` or ignored.
    public func bind(_ values: [SQLiteValue]) throws(SQLiteError) {
        try checkOpen()
        reset()
        sqlite3_clear_bindings(handle)
        guard values.count == parameterCount else {
            throw SQLiteError(
                .range, "the statement has \(parameterCount) parameters but \(values.count) values were bound")
        }
        for (offset, value) in values.enumerated() {
            try bind(value, at: offset + 1)
        }
    }

    /// Sets every parameter to `NULL`.
    public func clearBindings() {
        sqlite3_clear_bindings(handle)
    }

    // MARK: - Stepping

    /// Runs the statement to its next row.
    /// - Returns: `true` when a row is available to the column readers, `false` when the statement is done.
    /// - Throws: ``SQLiteError`` with SQLite's code and message (``SQLiteError/Code/busy`` after the busy
    ///   timeout, a constraint code, ...).
    @discardableResult
    public func step() throws(SQLiteError) -> Bool {
        try checkOpen()
        let result = sqlite3_step(handle)
        switch result {
        case SQLITE_ROW:
            hasRow = true
            return true
        case SQLITE_DONE:
            hasRow = false
            return false
        default:
            hasRow = false
            throw SQLiteError.from(result, on: sqlite3_db_handle(handle))
        }
    }

    /// Resets the statement to run again; bindings are kept. Never throws (the error of a failed step was
    /// already thrown by ``step()``).
    public func reset() {
        hasRow = false
        sqlite3_reset(handle)
    }

    /// Binds `values`, runs the statement to completion and resets it.
    /// - Parameter values: One value per parameter.
    /// - Throws: ``SQLiteError``.
    public func execute(_ values: [SQLiteValue] = []) throws(SQLiteError) {
        try bind(values)
        defer { reset() }
        while try step() {}
    }

    // MARK: - Reading

    /// The name of column `index` (its `AS` alias, if any).
    /// - Parameter index: The 0-based column index.
    /// - Throws: ``SQLiteError`` with ``SQLiteError/Code/range`` for a bad index.
    public func columnName(at index: Int) throws(SQLiteError) -> String {
        let position = try columnPosition(index, needsRow: false)
        guard let name = sqlite3_column_name(handle, position) else {
            throw SQLiteError(.error, "column \(index) has no name")
        }
        return String(cString: name)
    }

    /// Whether column `index` of the current row is `NULL`.
    /// - Parameter index: The 0-based column index.
    /// - Throws: ``SQLiteError`` with ``SQLiteError/Code/range`` or ``SQLiteError/Code/misuse`` (no row).
    public func isNull(at index: Int) throws(SQLiteError) -> Bool {
        sqlite3_column_type(handle, try columnPosition(index)) == SQLITE_NULL
    }

    /// The integer in column `index` of the current row.
    /// - Parameter index: The 0-based column index.
    /// - Throws: ``SQLiteError`` with ``SQLiteError/Code/mismatch`` when the value is not an integer
    ///   (SQLite's silent conversions would turn `NULL` or text into 0).
    public func int64(at index: Int) throws(SQLiteError) -> Int64 {
        let position = try columnPosition(index)
        try expect(SQLITE_INTEGER, at: position, index: index)
        return sqlite3_column_int64(handle, position)
    }

    /// The number in column `index` of the current row; an integer is converted.
    /// - Parameter index: The 0-based column index.
    /// - Throws: ``SQLiteError`` with ``SQLiteError/Code/mismatch`` when the value is not a number.
    public func double(at index: Int) throws(SQLiteError) -> Double {
        let position = try columnPosition(index)
        if sqlite3_column_type(handle, position) != SQLITE_INTEGER {
            try expect(SQLITE_FLOAT, at: position, index: index)
        }
        return sqlite3_column_double(handle, position)
    }

    /// The text in column `index` of the current row; invalid UTF-8 is repaired with U+FFFD.
    /// - Parameter index: The 0-based column index.
    /// - Throws: ``SQLiteError`` with ``SQLiteError/Code/mismatch`` when the value is not text.
    public func text(at index: Int) throws(SQLiteError) -> String {
        let position = try columnPosition(index)
        try expect(SQLITE_TEXT, at: position, index: index)
        return readText(at: position)
    }

    /// The bytes in column `index` of the current row.
    /// - Parameter index: The 0-based column index.
    /// - Throws: ``SQLiteError`` with ``SQLiteError/Code/mismatch`` when the value is not a blob.
    public func blob(at index: Int) throws(SQLiteError) -> [UInt8] {
        let position = try columnPosition(index)
        try expect(SQLITE_BLOB, at: position, index: index)
        return readBlob(at: position)
    }

    /// The value in column `index` of the current row, in its storage class.
    /// - Parameter index: The 0-based column index.
    /// - Throws: ``SQLiteError`` with ``SQLiteError/Code/range`` or ``SQLiteError/Code/misuse`` (no row).
    public func value(at index: Int) throws(SQLiteError) -> SQLiteValue {
        let position = try columnPosition(index)
        switch sqlite3_column_type(handle, position) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, position))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, position))
        case SQLITE_TEXT: return .text(readText(at: position))
        case SQLITE_BLOB: return .blob(readBlob(at: position))
        default: return .null
        }
    }

    /// Every column of the current row, in order.
    /// - Throws: ``SQLiteError`` with ``SQLiteError/Code/misuse`` when there is no current row.
    public func row() throws(SQLiteError) -> [SQLiteValue] {
        var values: [SQLiteValue] = []
        values.reserveCapacity(columnCount)
        for index in 0..<columnCount {
            values.append(try value(at: index))
        }
        return values
    }

    // MARK: - Internals

    private func readText(at position: Int32) -> String {
        // `sqlite3_column_text` first, then `_bytes`: the order SQLite documents for a stable length.
        guard let bytes = sqlite3_column_text(handle, position) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, position))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    private func readBlob(at position: Int32) -> [UInt8] {
        guard let bytes = sqlite3_column_blob(handle, position) else { return [] }
        let count = Int(sqlite3_column_bytes(handle, position))
        return Array(UnsafeRawBufferPointer(start: bytes, count: count))
    }

    private func expect(_ type: Int32, at position: Int32, index: Int) throws(SQLiteError) {
        let actual = sqlite3_column_type(handle, position)
        guard actual == type else {
            let name = (try? columnName(at: index)).map { " ('\($0)')" } ?? ""
            throw SQLiteError(
                .mismatch, "column \(index)\(name) holds \(Self.typeName(actual)), not \(Self.typeName(type))")
        }
    }

    private static func typeName(_ type: Int32) -> String {
        switch type {
        case SQLITE_INTEGER: "an integer"
        case SQLITE_FLOAT: "a real"
        case SQLITE_TEXT: "text"
        case SQLITE_BLOB: "a blob"
        default: "NULL"
        }
    }

    private func parameterPosition(_ index: Int) throws(SQLiteError) -> Int32 {
        try checkOpen()
        guard index >= 1, index <= parameterCount else {
            throw SQLiteError(.range, "parameter index \(index) is outside 1...\(parameterCount)")
        }
        return Int32(index)
    }

    private func columnPosition(_ index: Int, needsRow: Bool = true) throws(SQLiteError) -> Int32 {
        try checkOpen()
        guard index >= 0, index < columnCount else {
            throw SQLiteError(.range, "column index \(index) is outside 0..<\(columnCount)")
        }
        guard hasRow || !needsRow else {
            throw SQLiteError(.misuse, "there is no current row; step() must return true before columns are read")
        }
        return Int32(index)
    }

    private func checkOpen() throws(SQLiteError) {
        guard let connection, connection.isOpen else { throw .closed }
    }

    private func check(_ result: Int32) throws(SQLiteError) {
        guard result == SQLITE_OK else { throw SQLiteError.from(result, on: sqlite3_db_handle(handle)) }
    }

    /// Binds text with SQLITE_TRANSIENT (SQLite copies it); an empty string binds `''`, not `NULL`.
    static func bindText(_ text: String, to handle: OpaquePointer, at position: Int32) -> Int32 {
        var text = text
        return text.withUTF8 { buffer in
            guard let base = buffer.baseAddress, !buffer.isEmpty else {
                return "".withCString { empty in
                    sqlite3_bind_text(handle, position, empty, 0, tenancy_sqlite3_transient())
                }
            }
            return base.withMemoryRebound(to: CChar.self, capacity: buffer.count) { characters in
                sqlite3_bind_text64(
                    handle, position, characters, sqlite3_uint64(buffer.count), tenancy_sqlite3_transient(),
                    UInt8(SQLITE_UTF8))
            }
        }
    }
}
