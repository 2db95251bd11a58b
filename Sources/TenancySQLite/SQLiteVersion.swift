import CSQLite

/// The SQLite library this process is linked against.
public enum SQLiteVersion {
    /// The library's version number, e.g. 3040001 for 3.40.1.
    public static var number: Int32 { sqlite3_libversion_number() }

    /// The library's version string, e.g. `3.40.1`.
    public static var string: String { String(cString: sqlite3_libversion()) }
}
