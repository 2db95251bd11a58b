/// The minimal request head the ``AdmissionGate`` needs; any framework's request type can conform, so the
/// gate's decisions are the same everywhere. ``RequestHead`` is a ready-made conformance.
public protocol AdmissionRequest {
    /// The HTTP method, e.g. `GET`.
    var method: String { get }
    /// The request target as received: the path, optionally followed by `?` and the query.
    var target: String { get }
    /// The host the request was addressed to (the `Host` header or the URI authority), as verified by the
    /// server; `nil` when unknown. Used by the subdomain strategy.
    var host: String? { get }
    /// The authenticated identity, when authentication ran before the gate.
    var principal: Principal? { get }

    /// The value of a header field, looked up case-insensitively; several fields of the same name are
    /// combined with `", "` as RFC 9110 section 5.3 allows, so duplicates can never be silently ignored.
    /// - Parameter name: The field name.
    /// - Returns: The combined value, or `nil` when absent.
    func header(_ name: String) -> String?
}

/// A plain ``AdmissionRequest``: for tests, for adapters, and for frameworks whose request type cannot
/// conform directly.
public struct RequestHead: AdmissionRequest, Sendable {
    public var method: String
    public var target: String
    public var host: String?
    public var principal: Principal?
    /// The header fields in received order, names lower-cased (as HTTP/2 and HTTP/3 send them).
    public var headers: [HeaderField]

    /// Creates a request head.
    /// - Parameters:
    ///   - method: The HTTP method.
    ///   - target: The path and optional query.
    ///   - host: The verified host, if known.
    ///   - headers: The header fields in received order.
    ///   - principal: The authenticated identity, if any.
    public init(
        method: String = "GET", target: String, host: String? = nil, headers: [HeaderField] = [],
        principal: Principal? = nil
    ) {
        self.method = method
        self.target = target
        self.host = host
        self.headers = headers.map { HeaderField($0.name.asciiLowercased(), $0.value) }
        self.principal = principal
    }

    public func header(_ name: String) -> String? {
        headers.combinedValue(of: name)
    }
}
