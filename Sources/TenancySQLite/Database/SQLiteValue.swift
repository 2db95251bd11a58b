/// One SQLite value: the five storage classes.
public enum SQLiteValue: Hashable, Sendable, CustomStringConvertible {
    /// `NULL`.
    case null
    /// A 64-bit signed integer.
    case integer(Int64)
    /// An IEEE 754 double.
    case real(Double)
    /// UTF-8 text.
    case text(String)
    /// Bytes; an empty array is a zero-length blob, not `NULL`.
    case blob([UInt8])

    /// The storage class name, as `typeof()` spells it: `null`, `integer`, `real`, `text` or `blob`.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .integer: "integer"
        case .real: "real"
        case .text: "text"
        case .blob: "blob"
        }
    }

    /// The value as SQL would print it (`NULL`, `42`, `'text'`, `x'00ff'`), for messages and tests.
    public var description: String {
        switch self {
        case .null: return "NULL"
        case .integer(let value): return String(value)
        case .real(let value): return String(value)
        case .text(let value): return "'" + value.replacingSingleQuotes() + "'"
        case .blob(let bytes):
            let digits = Array("0123456789abcdef".utf8)
            var hex: [UInt8] = []
            hex.reserveCapacity(bytes.count * 2)
            for byte in bytes {
                hex.append(digits[Int(byte >> 4)])
                hex.append(digits[Int(byte & 0x0F)])
            }
            return "x'" + String(decoding: hex, as: UTF8.self) + "'"
        }
    }
}

extension SQLiteValue: ExpressibleByNilLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByStringLiteral
{
    /// `NULL`.
    public init(nilLiteral: ()) { self = .null }
    /// An integer.
    public init(integerLiteral value: Int64) { self = .integer(value) }
    /// A double.
    public init(floatLiteral value: Double) { self = .real(value) }
    /// Text.
    public init(stringLiteral value: String) { self = .text(value) }
}

extension String {
    /// The string with every `'` doubled, as SQL string literals escape it.
    func replacingSingleQuotes() -> String {
        guard utf8.contains(UInt8(ascii: "'")) else { return self }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count + 2)
        for byte in utf8 {
            bytes.append(byte)
            if byte == UInt8(ascii: "'") { bytes.append(byte) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
