import Tenancy

extension HTTPRequest {
    /// The query's `name=value` pairs in order, form-decoded (`%XX` escapes, `+` as space). Pairs whose
    /// name or value is not validly percent-encoded UTF-8 are left out; a pair without `=` has an empty value.
    public var queryItems: [(name: String, value: String)] {
        var items: [(name: String, value: String)] = []
        for pair in rawQuery.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = QueryString.decode(parts[0]), let value = QueryString.decode(parts.count > 1 ? parts[1] : "")
            else { continue }
            items.append((name, value))
        }
        return items
    }

    /// The first value of the query parameter `name`.
    /// - Parameter name: The decoded parameter name, compared exactly.
    /// - Returns: The decoded value, or `nil` when absent.
    public func queryValue(_ name: String) -> String? {
        queryItems.first { $0.name == name }?.value
    }

    /// Every value of the query parameter `name`, in order.
    /// - Parameter name: The decoded parameter name, compared exactly.
    /// - Returns: The decoded values; empty when absent.
    public func queryValues(_ name: String) -> [String] {
        queryItems.filter { $0.name == name }.map(\.value)
    }
}
