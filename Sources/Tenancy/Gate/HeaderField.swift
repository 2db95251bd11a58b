/// A response header field produced by the gate.
public struct HeaderField: Hashable, Sendable, CustomStringConvertible {
    /// The field name, e.g. `Retry-After`.
    public var name: String
    /// The field value.
    public var value: String

    /// Creates a field.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    public var description: String { "\(name): \(value)" }
}

extension Array where Element == HeaderField {
    /// The values of every field named `name` (ASCII case-insensitive), combined with `", "` as RFC 9110
    /// section 5.3 allows, so duplicates can never be silently ignored; `nil` when there is none.
    package func combinedValue(of name: String) -> String? {
        var combined: String?
        // Lengths first: most fields differ in length, and a length is read without comparing any byte. Then
        // the exact comparison: stored names are usually lower-case and so are the names asked for. By index:
        // iterating copied every field (two string retains and releases each); this copies only a match.
        let length = name.utf8.count
        for index in indices
        where self[index].name.utf8.count == length
            && (self[index].name == name || self[index].name.equalsIgnoringASCIICase(name))
        {
            combined = combined.map { $0 + ", " + self[index].value } ?? self[index].value
        }
        return combined
    }
}
