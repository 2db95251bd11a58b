import Tenancy

/// The file name of a tenant's own database: `t-<encoded id>.sqlite`, derived only from the validated
/// ``TenantID``, so a tenant can never name a path outside the pool's directory.
///
/// The encoding keeps `a-z`, `0-9` and `-`, and writes every other byte (`A-Z`, `.`, `_`) as `_` and two
/// lowercase hex digits. Therefore:
/// - no name contains `/` or a dot before the suffix, so `.` and `..` (and hidden files) are impossible;
/// - the mapping is injective (`_` always starts an escape), and all lowercase, so `Acme` and `acme` get
///   different files even on a case-insensitive file system;
/// - the fixed `t-` prefix keeps a name from starting with `-`.
/// IDs whose encoding is longer than ``maximumEncodedLength`` bytes are refused, so the name plus
/// SQLite's `-wal` / `-shm` suffixes fits the 255-byte name limit of common file systems: every ID of up to
/// 80 bytes fits, and all-lowercase IDs up to 240.
enum TenantFileName {
    static let maximumEncodedLength = 240

    /// The file name for `tenant`.
    /// - Throws: ``SQLiteError`` with ``SQLiteError/Code/cannotOpen`` when the name would be too long.
    static func name(for tenant: TenantID) throws(SQLiteError) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var encoded: [UInt8] = []
        encoded.reserveCapacity(tenant.rawValue.utf8.count)
        for byte in tenant.rawValue.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"):
                encoded.append(byte)
            default:
                encoded += [UInt8(ascii: "_"), digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]]
            }
        }
        guard encoded.count <= maximumEncodedLength else {
            throw SQLiteError(
                .cannotOpen,
                "tenant ID '\(tenant.rawValue.prefix(64))...' is too long for a database file name (\(encoded.count) encoded bytes, at most \(maximumEncodedLength))")
        }
        return "t-" + String(decoding: encoded, as: UTF8.self) + ".sqlite"
    }
}
