import CSQLite

/// What a statement being prepared wants to do, as SQLite's authorizer reports it.
///
/// SQLite asks while it *compiles* a statement (`sqlite3_prepare`), not while it runs it, and it does not
/// show `WHERE` predicates; it may report a `NULL` database name (for example for `count(*)`), which a
/// policy must treat as "any database". An authorizer is one layer of a defence, not a query filter.
public struct SQLiteAuthorizerRequest: Sendable, Hashable {
    /// An authorizer action code (`SQLITE_READ`, `SQLITE_INSERT`, ...).
    public struct Action: Hashable, Sendable, CustomStringConvertible {
        /// The numeric code from `sqlite3.h`.
        public let rawValue: Int32

        /// Wraps a numeric action code.
        /// - Parameter rawValue: The code.
        public init(rawValue: Int32) {
            self.rawValue = rawValue
        }

        /// Reads column ``SQLiteAuthorizerRequest/second`` of table ``SQLiteAuthorizerRequest/first``.
        public static let read = Action(rawValue: SQLITE_READ)
        /// A `SELECT` statement.
        public static let select = Action(rawValue: SQLITE_SELECT)
        /// Inserts into table ``SQLiteAuthorizerRequest/first``.
        public static let insert = Action(rawValue: SQLITE_INSERT)
        /// Updates column ``SQLiteAuthorizerRequest/second`` of table ``SQLiteAuthorizerRequest/first``.
        public static let update = Action(rawValue: SQLITE_UPDATE)
        /// Deletes from table ``SQLiteAuthorizerRequest/first``.
        public static let delete = Action(rawValue: SQLITE_DELETE)
        /// Calls function ``SQLiteAuthorizerRequest/second``.
        public static let function = Action(rawValue: SQLITE_FUNCTION)
        /// Runs `PRAGMA` ``SQLiteAuthorizerRequest/first`` with argument ``SQLiteAuthorizerRequest/second``.
        public static let pragma = Action(rawValue: SQLITE_PRAGMA)
        /// Attaches file ``SQLiteAuthorizerRequest/first``.
        public static let attach = Action(rawValue: SQLITE_ATTACH)
        /// Detaches database ``SQLiteAuthorizerRequest/first``.
        public static let detach = Action(rawValue: SQLITE_DETACH)
        /// Begins, commits or rolls back (``SQLiteAuthorizerRequest/first`` names which).
        public static let transaction = Action(rawValue: SQLITE_TRANSACTION)
        /// Creates, releases or rolls back to savepoint ``SQLiteAuthorizerRequest/second``.
        public static let savepoint = Action(rawValue: SQLITE_SAVEPOINT)
        /// A recursive common table expression.
        public static let recursive = Action(rawValue: SQLITE_RECURSIVE)
        /// Creates table ``SQLiteAuthorizerRequest/first``.
        public static let createTable = Action(rawValue: SQLITE_CREATE_TABLE)
        /// Creates index ``SQLiteAuthorizerRequest/first`` on table ``SQLiteAuthorizerRequest/second``.
        public static let createIndex = Action(rawValue: SQLITE_CREATE_INDEX)
        /// Creates trigger ``SQLiteAuthorizerRequest/first`` on table ``SQLiteAuthorizerRequest/second``.
        public static let createTrigger = Action(rawValue: SQLITE_CREATE_TRIGGER)
        /// Creates view ``SQLiteAuthorizerRequest/first``.
        public static let createView = Action(rawValue: SQLITE_CREATE_VIEW)
        /// Drops table ``SQLiteAuthorizerRequest/first``.
        public static let dropTable = Action(rawValue: SQLITE_DROP_TABLE)
        /// Alters table ``SQLiteAuthorizerRequest/second`` of database ``SQLiteAuthorizerRequest/first``.
        public static let alterTable = Action(rawValue: SQLITE_ALTER_TABLE)

        /// Whether the action changes the schema (creates, drops or alters a table, index, trigger or view,
        /// temporary or not).
        public var isSchemaChange: Bool {
            switch rawValue {
            case SQLITE_DELETE:
                return false
            case SQLITE_CREATE_INDEX...SQLITE_DROP_VIEW, SQLITE_ALTER_TABLE, SQLITE_REINDEX,
                SQLITE_CREATE_VTABLE, SQLITE_DROP_VTABLE:
                return true
            default:
                return false
            }
        }

        /// The `SQLITE_*` name of the action, e.g. `SQLITE_READ`.
        public var description: String {
            Self.names[rawValue] ?? "SQLITE_ACTION_\(rawValue)"
        }

        private static let names: [Int32: String] = [
            SQLITE_CREATE_INDEX: "SQLITE_CREATE_INDEX", SQLITE_CREATE_TABLE: "SQLITE_CREATE_TABLE",
            SQLITE_CREATE_TEMP_INDEX: "SQLITE_CREATE_TEMP_INDEX", SQLITE_CREATE_TEMP_TABLE: "SQLITE_CREATE_TEMP_TABLE",
            SQLITE_CREATE_TEMP_TRIGGER: "SQLITE_CREATE_TEMP_TRIGGER",
            SQLITE_CREATE_TEMP_VIEW: "SQLITE_CREATE_TEMP_VIEW", SQLITE_CREATE_TRIGGER: "SQLITE_CREATE_TRIGGER",
            SQLITE_CREATE_VIEW: "SQLITE_CREATE_VIEW", SQLITE_DELETE: "SQLITE_DELETE",
            SQLITE_DROP_INDEX: "SQLITE_DROP_INDEX", SQLITE_DROP_TABLE: "SQLITE_DROP_TABLE",
            SQLITE_DROP_TEMP_INDEX: "SQLITE_DROP_TEMP_INDEX", SQLITE_DROP_TEMP_TABLE: "SQLITE_DROP_TEMP_TABLE",
            SQLITE_DROP_TEMP_TRIGGER: "SQLITE_DROP_TEMP_TRIGGER", SQLITE_DROP_TEMP_VIEW: "SQLITE_DROP_TEMP_VIEW",
            SQLITE_DROP_TRIGGER: "SQLITE_DROP_TRIGGER", SQLITE_DROP_VIEW: "SQLITE_DROP_VIEW",
            SQLITE_INSERT: "SQLITE_INSERT", SQLITE_PRAGMA: "SQLITE_PRAGMA", SQLITE_READ: "SQLITE_READ",
            SQLITE_SELECT: "SQLITE_SELECT", SQLITE_TRANSACTION: "SQLITE_TRANSACTION", SQLITE_UPDATE: "SQLITE_UPDATE",
            SQLITE_ATTACH: "SQLITE_ATTACH", SQLITE_DETACH: "SQLITE_DETACH", SQLITE_ALTER_TABLE: "SQLITE_ALTER_TABLE",
            SQLITE_REINDEX: "SQLITE_REINDEX", SQLITE_ANALYZE: "SQLITE_ANALYZE",
            SQLITE_CREATE_VTABLE: "SQLITE_CREATE_VTABLE", SQLITE_DROP_VTABLE: "SQLITE_DROP_VTABLE",
            SQLITE_FUNCTION: "SQLITE_FUNCTION", SQLITE_SAVEPOINT: "SQLITE_SAVEPOINT", SQLITE_RECURSIVE: "SQLITE_RECURSIVE",
        ]
    }

    /// What is being done.
    public var action: Action
    /// The first detail (usually a table, index, trigger, view or pragma name); depends on ``action``.
    public var first: String?
    /// The second detail (usually a column or function name); depends on ``action``.
    public var second: String?
    /// The database (`main`, `temp`, an attached name), or `nil` when SQLite does not say: treat `nil` as
    /// "any database".
    public var database: String?
    /// The innermost trigger or view that causes the access, or `nil` for top-level SQL.
    public var accessor: String?

    /// Creates a request.
    public init(action: Action, first: String?, second: String?, database: String?, accessor: String?) {
        self.action = action
        self.first = first
        self.second = second
        self.database = database
        self.accessor = accessor
    }
}

/// What an authorizer answers.
public enum SQLiteAuthorizerDecision: Sendable, Hashable {
    /// Allow the action.
    case allow
    /// Refuse the whole statement: preparing it fails with ``SQLiteError/Code/authorization``.
    case deny
    /// Allow the statement but not the action: a denied column read yields `NULL`, other actions are
    /// skipped silently. Rarely what a security policy wants; prefer ``deny``.
    case ignore
}

/// Holds an authorizer closure at a stable address for SQLite's callback.
final class SQLiteAuthorizerBox: Sendable {
    let decide: @Sendable (SQLiteAuthorizerRequest) -> SQLiteAuthorizerDecision

    init(_ decide: @escaping @Sendable (SQLiteAuthorizerRequest) -> SQLiteAuthorizerDecision) {
        self.decide = decide
    }
}

extension SQLiteConnection {
    /// Installs `authorizer` (replacing any previous one), or removes it with `nil`. It is asked about
    /// every action of every statement this connection prepares from now on, including statements that
    /// SQLite re-prepares after a schema change; the statement cache is cleared so no statement
    /// authorized under the old policy is reused.
    /// - Parameter authorizer: Decides each action; must not use this connection. `nil` allows everything.
    /// - Throws: ``SQLiteError``.
    public func setAuthorizer(
        _ authorizer: (@Sendable (SQLiteAuthorizerRequest) -> SQLiteAuthorizerDecision)?
    ) throws(SQLiteError) {
        let handle = try openHandle()
        clearStatementCache()
        guard let authorizer else {
            let result = sqlite3_set_authorizer(handle, nil, nil)
            self.authorizer = nil
            guard result == SQLITE_OK else { throw error(result) }
            return
        }
        let box = SQLiteAuthorizerBox(authorizer)
        let result = sqlite3_set_authorizer(handle, sqliteAuthorizerCallback, Unmanaged.passUnretained(box).toOpaque())
        guard result == SQLITE_OK else { throw error(result) }
        // Replace the old box only once SQLite points at the new one.
        self.authorizer = box
    }
}

/// The C trampoline: the context is the connection's ``SQLiteAuthorizerBox``, kept alive by the connection.
private func sqliteAuthorizerCallback(
    _ context: UnsafeMutableRawPointer?, _ action: Int32, _ first: UnsafePointer<CChar>?,
    _ second: UnsafePointer<CChar>?, _ database: UnsafePointer<CChar>?, _ accessor: UnsafePointer<CChar>?
) -> Int32 {
    guard let context else { return SQLITE_DENY }
    let box = Unmanaged<SQLiteAuthorizerBox>.fromOpaque(context).takeUnretainedValue()
    let request = SQLiteAuthorizerRequest(
        action: SQLiteAuthorizerRequest.Action(rawValue: action), first: first.map { String(cString: $0) },
        second: second.map { String(cString: $0) }, database: database.map { String(cString: $0) },
        accessor: accessor.map { String(cString: $0) })
    switch box.decide(request) {
    case .allow: return SQLITE_OK
    case .deny: return SQLITE_DENY
    case .ignore: return SQLITE_IGNORE
    }
}
