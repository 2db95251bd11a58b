import CSQLite

/// How SQLite may use an application-defined SQL function.
public struct SQLiteFunctionOptions: OptionSet, Sendable, Hashable {
    public let rawValue: Int32

    /// Creates options from `SQLITE_*` function flags.
    /// - Parameter rawValue: The flags.
    public init(rawValue: Int32) {
        self.rawValue = rawValue
    }

    /// Same arguments, same result within a statement (`SQLITE_DETERMINISTIC`): SQLite may factor calls
    /// out, and the function may appear in indexes, `CHECK` constraints and generated columns.
    public static let deterministic = SQLiteFunctionOptions(rawValue: SQLITE_DETERMINISTIC)
    /// No side effects and no information beyond its arguments (`SQLITE_INNOCUOUS`). With
    /// `trusted_schema` off (as every ``SQLiteConnection`` is), only innocuous functions may run from
    /// triggers, views, `CHECK` constraints and the like.
    public static let innocuous = SQLiteFunctionOptions(rawValue: SQLITE_INNOCUOUS)
    /// Callable only from top-level SQL, never from triggers, views or schema (`SQLITE_DIRECTONLY`).
    public static let directOnly = SQLiteFunctionOptions(rawValue: SQLITE_DIRECTONLY)
}

/// Holds a function's closure for SQLite; released by SQLite's destructor callback.
final class SQLiteFunctionBox: Sendable {
    let body: @Sendable ([SQLiteValue]) throws(SQLiteError) -> SQLiteValue

    init(_ body: @escaping @Sendable ([SQLiteValue]) throws(SQLiteError) -> SQLiteValue) {
        self.body = body
    }
}

extension SQLiteConnection {
    /// Registers (or replaces) the scalar SQL function `name` with `argumentCount` arguments.
    /// - Parameters:
    ///   - name: The SQL name, at most 255 bytes.
    ///   - argumentCount: The number of arguments, 0-127, or -1 for any number.
    ///   - options: Determinism and where the function may be called from.
    ///   - body: Computes the result; a thrown ``SQLiteError`` fails the statement with its code and message.
    /// - Throws: ``SQLiteError`` when SQLite refuses the registration (a bad name or argument count, or
    ///   statements running).
    public func createFunction(
        _ name: String, argumentCount: Int, options: SQLiteFunctionOptions = [],
        _ body: @escaping @Sendable ([SQLiteValue]) throws(SQLiteError) -> SQLiteValue
    ) throws(SQLiteError) {
        let handle = try openHandle()
        guard (-1...127).contains(argumentCount) else {
            throw SQLiteError(.misuse, "a function takes -1 (any) to 127 arguments, not \(argumentCount)")
        }
        let box = Unmanaged.passRetained(SQLiteFunctionBox(body)).toOpaque()
        // On failure SQLite calls the destructor itself, so the box is released either way.
        let result = sqlite3_create_function_v2(
            handle, name, Int32(argumentCount), SQLITE_UTF8 | options.rawValue, box, sqliteFunctionCallback, nil,
            nil, sqliteFunctionDestroy)
        guard result == SQLITE_OK else { throw error(result) }
    }

    /// Removes the SQL function `name` with `argumentCount` arguments, if registered.
    /// - Parameters:
    ///   - name: The SQL name.
    ///   - argumentCount: The argument count it was registered with.
    /// - Throws: ``SQLiteError``.
    public func removeFunction(_ name: String, argumentCount: Int) throws(SQLiteError) {
        let handle = try openHandle()
        let result = sqlite3_create_function_v2(
            handle, name, Int32(clamping: argumentCount), SQLITE_UTF8, nil, nil, nil, nil, nil)
        guard result == SQLITE_OK else { throw error(result) }
    }
}

private func sqliteFunctionCallback(
    _ context: OpaquePointer?, _ count: Int32, _ arguments: UnsafeMutablePointer<OpaquePointer?>?
) {
    guard let context, let data = sqlite3_user_data(context) else { return }
    let box = Unmanaged<SQLiteFunctionBox>.fromOpaque(data).takeUnretainedValue()
    var values: [SQLiteValue] = []
    values.reserveCapacity(Int(count))
    for index in 0..<Int(count) {
        values.append(sqliteValue(arguments?[index]))
    }
    do {
        try setResult(box.body(values), on: context)
    } catch {
        sqlite3_result_error(context, error.message, -1)
        sqlite3_result_error_code(context, error.code.rawValue)
    }
}

private func sqliteFunctionDestroy(_ data: UnsafeMutableRawPointer?) {
    guard let data else { return }
    Unmanaged<SQLiteFunctionBox>.fromOpaque(data).release()
}

/// Reads one function argument.
private func sqliteValue(_ value: OpaquePointer?) -> SQLiteValue {
    guard let value else { return .null }
    switch sqlite3_value_type(value) {
    case SQLITE_INTEGER:
        return .integer(sqlite3_value_int64(value))
    case SQLITE_FLOAT:
        return .real(sqlite3_value_double(value))
    case SQLITE_TEXT:
        guard let text = sqlite3_value_text(value) else { return .text("") }
        let count = Int(sqlite3_value_bytes(value))
        return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
    case SQLITE_BLOB:
        guard let bytes = sqlite3_value_blob(value) else { return .blob([]) }
        return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: Int(sqlite3_value_bytes(value)))))
    default:
        return .null
    }
}

private func setResult(_ value: SQLiteValue, on context: OpaquePointer) {
    switch value {
    case .null:
        sqlite3_result_null(context)
    case .integer(let integer):
        sqlite3_result_int64(context, integer)
    case .real(let real):
        sqlite3_result_double(context, real)
    case .text(var text):
        text.withUTF8 { buffer in
            guard let base = buffer.baseAddress, !buffer.isEmpty else {
                "".withCString { sqlite3_result_text(context, $0, 0, tenancy_sqlite3_transient()) }
                return
            }
            base.withMemoryRebound(to: CChar.self, capacity: buffer.count) { characters in
                sqlite3_result_text64(
                    context, characters, sqlite3_uint64(buffer.count), tenancy_sqlite3_transient(), UInt8(SQLITE_UTF8))
            }
        }
    case .blob(let bytes):
        bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress, !buffer.isEmpty else {
                sqlite3_result_zeroblob(context, 0)
                return
            }
            sqlite3_result_blob64(context, base, sqlite3_uint64(buffer.count), tenancy_sqlite3_transient())
        }
    }
}
