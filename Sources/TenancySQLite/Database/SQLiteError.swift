import CSQLite

/// The error every `TenancySQLite` database API throws: SQLite's result code and its message.
///
/// ``code`` is SQLite's *extended* result code (connections enable them), so a unique-constraint failure
/// is ``Code/constraintUnique`` and still has the primary code ``Code/constraint``; switch over
/// ``Code/primary`` with a `default` branch. Errors raised by this layer itself (a closed connection, a
/// value read with the wrong type) use the SQLite code that fits (``Code/misuse``, ``Code/mismatch``,
/// ``Code/range``) and say what happened in ``message``.
public struct SQLiteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A SQLite result code, primary (`SQLITE_BUSY`) or extended (`SQLITE_BUSY_SNAPSHOT`).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The numeric code, as in `sqlite3.h`; stable across SQLite versions.
        public let rawValue: Int32

        /// Wraps a numeric result code.
        /// - Parameter rawValue: The code, as returned by a SQLite call.
        public init(rawValue: Int32) {
            self.rawValue = rawValue
        }

        /// The primary code: the low eight bits of an extended code.
        public var primary: Code { Code(rawValue: rawValue & 0xFF) }

        /// Generic error.
        public static let error = Code(rawValue: SQLITE_ERROR)
        /// Access permission denied.
        public static let permission = Code(rawValue: SQLITE_PERM)
        /// The authorizer denied the statement.
        public static let authorization = Code(rawValue: SQLITE_AUTH)
        /// The database file is locked by another connection and the busy timeout passed.
        public static let busy = Code(rawValue: SQLITE_BUSY)
        /// A table in the database is locked (shared cache).
        public static let locked = Code(rawValue: SQLITE_LOCKED)
        /// Attempt to write a read-only database.
        public static let readOnly = Code(rawValue: SQLITE_READONLY)
        /// Some kind of disk I/O error.
        public static let ioError = Code(rawValue: SQLITE_IOERR)
        /// The database disk image is malformed.
        public static let corrupt = Code(rawValue: SQLITE_CORRUPT)
        /// The disk is full.
        public static let full = Code(rawValue: SQLITE_FULL)
        /// The database file cannot be opened.
        public static let cannotOpen = Code(rawValue: SQLITE_CANTOPEN)
        /// A constraint failed.
        public static let constraint = Code(rawValue: SQLITE_CONSTRAINT)
        /// A value has the wrong type for its column (STRICT tables) or for the reader asked for.
        public static let mismatch = Code(rawValue: SQLITE_MISMATCH)
        /// The library was used incorrectly, for example after the connection was closed.
        public static let misuse = Code(rawValue: SQLITE_MISUSE)
        /// A bind or column index is out of range.
        public static let range = Code(rawValue: SQLITE_RANGE)
        /// The file is not a database.
        public static let notADatabase = Code(rawValue: SQLITE_NOTADB)
        /// A string or blob is too big.
        public static let tooBig = Code(rawValue: SQLITE_TOOBIG)
        /// A statement was interrupted.
        public static let interrupt = Code(rawValue: SQLITE_INTERRUPT)
        /// A `CHECK` constraint failed.
        public static let constraintCheck = Code(rawValue: SQLITE_CONSTRAINT | (1 << 8))
        /// A foreign key constraint failed.
        public static let constraintForeignKey = Code(rawValue: SQLITE_CONSTRAINT | (3 << 8))
        /// A `NOT NULL` constraint failed.
        public static let constraintNotNull = Code(rawValue: SQLITE_CONSTRAINT | (5 << 8))
        /// A `PRIMARY KEY` constraint failed.
        public static let constraintPrimaryKey = Code(rawValue: SQLITE_CONSTRAINT | (6 << 8))
        /// A `RAISE` in a trigger failed the statement.
        public static let constraintTrigger = Code(rawValue: SQLITE_CONSTRAINT | (7 << 8))
        /// A `UNIQUE` constraint failed.
        public static let constraintUnique = Code(rawValue: SQLITE_CONSTRAINT | (8 << 8))
        /// A value of the wrong type for a `STRICT` table column.
        public static let constraintDataType = Code(rawValue: SQLITE_CONSTRAINT | (12 << 8))

        /// SQLite's English explanation of the code, e.g. `database is locked`.
        public var explanation: String { String(cString: sqlite3_errstr(rawValue)) }

        /// `SQLITE_BUSY (5)`, or `SQLITE_CONSTRAINT (2067)` for an extended code.
        public var description: String {
            let name = Self.primaryNames[primary.rawValue] ?? "SQLITE_UNKNOWN"
            return "\(name) (\(rawValue))"
        }

        private static let primaryNames: [Int32: String] = [
            SQLITE_OK: "SQLITE_OK", SQLITE_ERROR: "SQLITE_ERROR", SQLITE_INTERNAL: "SQLITE_INTERNAL",
            SQLITE_PERM: "SQLITE_PERM", SQLITE_ABORT: "SQLITE_ABORT", SQLITE_BUSY: "SQLITE_BUSY",
            SQLITE_LOCKED: "SQLITE_LOCKED", SQLITE_NOMEM: "SQLITE_NOMEM", SQLITE_READONLY: "SQLITE_READONLY",
            SQLITE_INTERRUPT: "SQLITE_INTERRUPT", SQLITE_IOERR: "SQLITE_IOERR", SQLITE_CORRUPT: "SQLITE_CORRUPT",
            SQLITE_NOTFOUND: "SQLITE_NOTFOUND", SQLITE_FULL: "SQLITE_FULL", SQLITE_CANTOPEN: "SQLITE_CANTOPEN",
            SQLITE_PROTOCOL: "SQLITE_PROTOCOL", SQLITE_EMPTY: "SQLITE_EMPTY", SQLITE_SCHEMA: "SQLITE_SCHEMA",
            SQLITE_TOOBIG: "SQLITE_TOOBIG", SQLITE_CONSTRAINT: "SQLITE_CONSTRAINT",
            SQLITE_MISMATCH: "SQLITE_MISMATCH", SQLITE_MISUSE: "SQLITE_MISUSE", SQLITE_NOLFS: "SQLITE_NOLFS",
            SQLITE_AUTH: "SQLITE_AUTH", SQLITE_FORMAT: "SQLITE_FORMAT", SQLITE_RANGE: "SQLITE_RANGE",
            SQLITE_NOTADB: "SQLITE_NOTADB", SQLITE_NOTICE: "SQLITE_NOTICE", SQLITE_WARNING: "SQLITE_WARNING",
            SQLITE_ROW: "SQLITE_ROW", SQLITE_DONE: "SQLITE_DONE",
        ]
    }

    /// The result code, extended where SQLite gives one.
    public var code: Code
    /// What went wrong: `sqlite3_errmsg` for library errors, or this layer's explanation.
    public var message: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: The result code.
    ///   - message: What went wrong.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `SQLITE_BUSY (5): database is locked`.
    public var description: String { "\(code): \(message)" }

    /// The error SQLite reports on `handle` for a call that returned `result`. Reads `sqlite3_errmsg`, so
    /// call it right after the failing call, with the connection still held.
    static func from(_ result: Int32, on handle: OpaquePointer?) -> SQLiteError {
        guard let handle else { return SQLiteError(Code(rawValue: result), Code(rawValue: result).explanation) }
        return SQLiteError(Code(rawValue: result), String(cString: sqlite3_errmsg(handle)))
    }

    /// The error of an API used after ``SQLiteConnection/close()``.
    static var closed: SQLiteError { SQLiteError(.misuse, "the connection is closed") }
}

/// An error type that can carry a ``SQLiteError``, so a transaction or pooled-access body can throw its own
/// typed error while the wrapper reports `BEGIN` and `COMMIT` failures in the same type.
public protocol SQLiteErrorConvertible: Error {
    /// Wraps a SQLite failure.
    /// - Parameter sqliteError: The failure.
    init(_ sqliteError: SQLiteError)
}

extension SQLiteError: SQLiteErrorConvertible {
    /// Returns `sqliteError` itself.
    public init(_ sqliteError: SQLiteError) {
        self = sqliteError
    }
}
