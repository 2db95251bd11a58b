/// The path parameters of a matched route: `{name}` segments, and `*` for a wildcard tail.
///
/// Values are single path segments of the request's normal-form path, fully decoded (`%25`, `%3F` and
/// `%23` back to `%`, `?` and `#`); a value never contains `/`, except the wildcard's, which is the rest of
/// the path without its leading slash (`a/b.css` for `/static/a/b.css` under `/static/*`).
public struct HTTPParameters: Sendable, Equatable, Sequence {
    /// The parameters in pattern order.
    public private(set) var items: [(name: String, value: String)]

    /// Creates an empty set.
    public init() {
        items = []
    }

    /// The value of parameter `name` (`*` for the wildcard tail).
    /// - Parameter name: The name as written in the pattern, without braces.
    /// - Returns: The value, or `nil` when the route has no such parameter.
    public subscript(name: String) -> String? {
        items.first { $0.name == name }?.value
    }

    /// Iterates the parameters in pattern order.
    /// - Returns: The iterator.
    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> {
        items.makeIterator()
    }

    public static func == (lhs: HTTPParameters, rhs: HTTPParameters) -> Bool {
        lhs.items.elementsEqual(rhs.items) { $0.name == $1.name && $0.value == $1.value }
    }

    mutating func append(_ name: String, _ value: String) {
        items.append((name, value))
    }

    mutating func removeLast() {
        items.removeLast()
    }
}
