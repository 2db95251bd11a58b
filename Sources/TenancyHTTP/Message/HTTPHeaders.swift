import Tenancy

/// Header fields in order, with repeats, looked up case-insensitively.
///
/// Every stored field is valid: a name is an RFC 9110 token and a value has no control character but
/// horizontal tab (no CR, LF, NUL or DEL), so whatever a handler puts here can be written to the wire
/// verbatim and can never split a response or smuggle a header. Mutations that would store anything else
/// throw ``HTTPError`` with ``HTTPError/Code/invalidHeaderName`` or ``HTTPError/Code/invalidHeaderValue``
/// and change nothing.
public struct HTTPHeaders: Sendable, Equatable, Sequence, CustomStringConvertible {
    /// The fields in order, names as given (case preserved).
    public private(set) var fields: [HeaderField]

    /// Creates empty headers.
    public init() {
        fields = []
    }

    /// Creates headers from `(name, value)` pairs, validating each.
    /// - Parameter pairs: The fields in order.
    /// - Throws: ``HTTPError`` naming the first invalid name or value.
    public init(_ pairs: [(String, String)]) throws(HTTPError) {
        fields = []
        fields.reserveCapacity(pairs.count)
        for (name, value) in pairs { try add(name, value) }
    }

    /// Adopts fields a parser has already validated by the same rules; for the server, not for handlers.
    init(validatedFields: [HeaderField]) {
        fields = validatedFields
    }

    /// The number of fields, repeats included.
    public var count: Int { fields.count }

    /// Whether there are no fields.
    public var isEmpty: Bool { fields.isEmpty }

    /// The first value of the field `name`, looked up case-insensitively.
    /// - Parameter name: The field name.
    /// - Returns: The value, or `nil` when absent.
    public subscript(name: String) -> String? {
        for field in fields where field.name.equalsIgnoringASCIICase(name) { return field.value }
        return nil
    }

    /// Every value of the field `name`, in order.
    /// - Parameter name: The field name, case-insensitive.
    /// - Returns: The values; empty when absent.
    public func values(for name: String) -> [String] {
        fields.filter { $0.name.equalsIgnoringASCIICase(name) }.map(\.value)
    }

    /// Whether a field `name` is present.
    /// - Parameter name: The field name, case-insensitive.
    /// - Returns: `true` when at least one field has that name.
    public func contains(_ name: String) -> Bool {
        fields.contains { $0.name.equalsIgnoringASCIICase(name) }
    }

    /// Appends a field, keeping those of the same name.
    /// - Parameters:
    ///   - name: The field name: an RFC 9110 token.
    ///   - value: The value: no control characters but tab.
    /// - Throws: ``HTTPError`` when the name or value is invalid; nothing is added.
    public mutating func add(_ name: String, _ value: String) throws(HTTPError) {
        try Self.validate(name, value)
        fields.append(HeaderField(name, value))
    }

    /// Replaces the first field `name` and removes the others, or appends it when absent.
    /// - Parameters:
    ///   - name: The field name: an RFC 9110 token.
    ///   - value: The value: no control characters but tab.
    /// - Throws: ``HTTPError`` when the name or value is invalid; nothing changes.
    public mutating func replaceOrAdd(_ name: String, _ value: String) throws(HTTPError) {
        try Self.validate(name, value)
        guard let first = fields.firstIndex(where: { $0.name.equalsIgnoringASCIICase(name) }) else {
            fields.append(HeaderField(name, value))
            return
        }
        fields[first] = HeaderField(name, value)
        var index = fields.count - 1
        while index > first {
            if fields[index].name.equalsIgnoringASCIICase(name) { fields.remove(at: index) }
            index -= 1
        }
    }

    /// Removes every field `name`.
    /// - Parameter name: The field name, case-insensitive.
    public mutating func remove(_ name: String) {
        fields.removeAll { $0.name.equalsIgnoringASCIICase(name) }
    }

    /// Iterates the fields in order.
    /// - Returns: The iterator.
    public func makeIterator() -> IndexingIterator<[HeaderField]> {
        fields.makeIterator()
    }

    public var description: String { fields.map(\.description).joined(separator: "\n") }
}

extension HTTPHeaders {
    /// Checks a field against the wire rules.
    /// - Parameters:
    ///   - name: The field name.
    ///   - value: The field value.
    /// - Throws: ``HTTPError`` with ``HTTPError/Code/invalidHeaderName`` or ``HTTPError/Code/invalidHeaderValue``.
    public static func validate(_ name: String, _ value: String) throws(HTTPError) {
        guard isToken(name) else {
            throw HTTPError(.invalidHeaderName, "header name '\(name.boundedForMessage())' is not a token")
        }
        guard isValidValue(value) else {
            throw HTTPError(.invalidHeaderValue, "the value of header '\(name)' contains a control character")
        }
    }

    /// Whether `text` is an RFC 9110 token: one or more of ``!#$%&'*+-.^_`|~``, digits and letters.
    /// - Parameter text: The text.
    /// - Returns: `true` for a token.
    public static func isToken(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { tokenBytes[Int($0)] }
    }

    /// Whether `text` may be a field value: visible ASCII, spaces, tabs and bytes of 0x80 and up (UTF-8);
    /// no CR, LF, NUL, other C0 controls or DEL.
    /// - Parameter text: The value.
    /// - Returns: `true` when it may be written to the wire.
    public static func isValidValue(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7F) }
    }

    /// `tchar` of RFC 9110 section 5.6.2, indexed by byte.
    private static let tokenBytes: [Bool] = (0..<256).map { UInt8($0).isASCIIAlphanumeric(or: "!#$%&'*+-.^_`|~") }
}

extension HTTPHeaders {
    /// Appends a field without validating it: only for names and values this module builds from constants
    /// and numbers.
    mutating func appendTrusted(_ name: String, _ value: String) {
        fields.append(HeaderField(name, value))
    }
}
