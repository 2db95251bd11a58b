/// A tenant identifier that has passed validation: 1-255 bytes of `[A-Za-z0-9._-]`.
///
/// Validated once, at the edge; every API past that point takes a `TenantID`, so an unvalidated string can
/// never address tenant state, cache keys or metric labels. IDs are case-sensitive.
public struct TenantID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The longest valid ID, in bytes.
    public static let maximumLength = 255

    /// The validated identifier.
    public let rawValue: String
    /// ``StableHash`` of ``rawValue``, computed during validation; used for shard and bucket routing.
    public let stableHash: UInt64

    /// Validates `rawValue`.
    /// - Parameter rawValue: The candidate identifier.
    /// - Throws: ``TenancyError`` with code ``TenancyError/Code/invalidTenantID`` saying whether the ID is
    ///   empty, too long, or which byte at which offset is not allowed.
    public init(_ rawValue: String) throws(TenancyError) {
        var candidate = rawValue
        let outcome = candidate.withUTF8 { Self.validate($0) }
        switch outcome {
        case .valid(let hash):
            self.rawValue = candidate
            self.stableHash = hash
        case .invalid(let message):
            throw TenancyError(.invalidTenantID, message)
        }
    }

    /// Validates `rawValue`, returning `nil` instead of throwing.
    /// - Parameter rawValue: The candidate identifier.
    public init?(validating rawValue: String) {
        guard let id = try? TenantID(rawValue) else { return nil }
        self = id
    }

    public var description: String { rawValue }

    public static func == (lhs: TenantID, rhs: TenantID) -> Bool {
        lhs.stableHash == rhs.stableHash && lhs.rawValue == rhs.rawValue
    }

    /// Feeds the raw value (not ``stableHash``) to the seeded hasher, so attacker-chosen IDs cannot be
    /// crafted to collide in dictionaries keyed by `TenantID`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(rawValue)
    }

    /// Orders IDs by their bytes, the order of paginated listings.
    public static func < (lhs: TenantID, rhs: TenantID) -> Bool {
        lhs.rawValue.utf8.lexicographicallyPrecedes(rhs.rawValue.utf8)
    }

    enum Validation {
        case valid(UInt64)
        case invalid(String)
    }

    /// Whether `raw` is a valid tenant ID, without computing its stable hash (see
    /// ``TenantConfigHashTable/config(forValidRawID:)``); `TenantID(raw)` says why when it is not.
    static func hasValidSyntax(_ raw: String) -> Bool {
        let count = raw.utf8.count
        guard count >= 1, count <= maximumLength else { return false }
        return raw.utf8.withContiguousStorageIfAvailable { bytes in
            // No early exit and no hash: a short chain of ANDs, where the FNV-1a hash is a multiply per byte.
            var valid = true
            for byte in bytes { valid = valid && isAllowed(byte) }
            return valid
        } ?? raw.utf8.allSatisfy(isAllowed)
    }

    /// Checks the bytes and computes the stable hash in the same pass.
    static func validate(_ bytes: UnsafeBufferPointer<UInt8>) -> Validation {
        guard !bytes.isEmpty else { return .invalid("tenant ID is empty") }
        guard bytes.count <= maximumLength else {
            return .invalid("tenant ID is \(bytes.count) bytes long; at most \(maximumLength) are allowed")
        }
        var state = StableHash.offsetBasis
        for (offset, byte) in bytes.enumerated() {
            guard isAllowed(byte) else {
                return .invalid("tenant ID has \(describe(byte)) at offset \(offset); allowed are A-Z, a-z, 0-9, '.', '_' and '-'")
            }
            state = (state ^ UInt64(byte)) &* StableHash.prime
        }
        return .valid(StableHash.finalize(state))
    }

    @inline(__always)
    static func isAllowed(_ byte: UInt8) -> Bool {
        // One bit per ASCII byte, so the check is a shift and a mask, not a chain of range comparisons.
        let word = byte < 64 ? allowedLow : allowedHigh
        return byte < 128 && (word >> UInt64(byte & 63)) & 1 == 1
    }

    /// Bits 0-63: '-' (45), '.' (46), '0'-'9' (48-57).
    private static let allowedLow: UInt64 = (1 << 45) | (1 << 46) | (0x3FF << 48)
    /// Bits 64-127, shifted down by 64: 'A'-'Z' (65-90), '_' (95), 'a'-'z' (97-122).
    private static let allowedHigh: UInt64 = (0x3FF_FFFF << 1) | (1 << 31) | (0x3FF_FFFF << 33)

    /// Names a byte without echoing control characters into logs.
    static func describe(_ byte: UInt8) -> String {
        let hex = "0x" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
        if byte >= 0x21 && byte < 0x7F {
            return "byte \(hex) ('\(Character(Unicode.Scalar(byte)))')"
        }
        return "byte \(hex)"
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
