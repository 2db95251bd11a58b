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
