import Testing

@testable import TenancySQLite

@Suite struct SQLiteVersionTests {
    @Test func theLinkedLibraryIsAtLeast3_37ForStrictTables() {
        // STRICT tables arrived in 3.37.0.
        #expect(SQLiteVersion.number >= 3_037_000)
        #expect(SQLiteVersion.string.hasPrefix("3."))
    }
}
