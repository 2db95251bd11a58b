/// The error every `TenancyHTTP` API throws: a stable ``code`` to branch on, a human ``message`` and the
/// ``status`` the error answers with when a handler lets it escape.
///
/// New codes can be added without breaking callers, so switch over ``code`` with a `default` branch.
public struct HTTPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable, machine-readable error code; also the `code` member of the problem document.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The snake_case spelling.
        public let rawValue: String

        /// Creates a code; applications may define their own for the errors their handlers throw.
        /// - Parameter rawValue: The snake_case spelling.
        public init(_ rawValue: String) {
            self.rawValue = rawValue
        }

        /// A header name is not an RFC 9110 token.
        public static let invalidHeaderName = Code("invalid_header_name")
        /// A header value contains a control character (CR, LF, NUL, other C0 except tab, or DEL).
        public static let invalidHeaderValue = Code("invalid_header_value")
        /// A route pattern is malformed.
        public static let invalidRoutePattern = Code("invalid_route_pattern")
        /// A route conflicts with one already registered (same method and shape, or another parameter name
        /// at the same position).
        public static let conflictingRoute = Code("conflicting_route")
        /// The request body is not the JSON the handler expects.
        public static let invalidJSON = Code("invalid_json")
        /// The request body's `Content-Type` is not JSON.
        public static let unsupportedMediaType = Code("unsupported_media_type")
        /// A value could not be encoded as JSON.
        public static let encodingFailed = Code("encoding_failed")
        /// 400: the request target has no safe normal form (an encoded NUL, a bad escape, invalid UTF-8).
        public static let invalidPath = Code("invalid_path")
        /// 404: no route matches the path.
        public static let notFound = Code("not_found")
        /// 405: routes match the path, but none for the method.
        public static let methodNotAllowed = Code("method_not_allowed")
        /// 401: credentials are missing or wrong.
        public static let unauthorized = Code("unauthorized")
        /// A handler failed; the detail is not shown to the client.
        public static let internalError = Code("internal_error")
        /// A middleware was installed where it cannot work (a tenant middleware before the resolver).
        public static let misconfigured = Code("misconfigured")

        public var description: String { rawValue }
    }

    /// What went wrong, in a form that survives refactoring.
    public var code: Code
    /// What went wrong, for humans; quotes at most a bounded prefix of bad input. Shown to the client only
    /// when ``status`` is a 4xx.
    public var message: String
    /// The status answered when the error escapes a handler: 500 unless the error is the client's fault.
    public var status: HTTPStatus

    /// Creates an error.
    /// - Parameters:
    ///   - code: The stable code.
    ///   - message: A human-readable explanation.
    ///   - status: The status to answer when a handler throws it; 500 by default.
    public init(_ code: Code, _ message: String, status: HTTPStatus = .internalServerError) {
        self.code = code
        self.message = message
        self.status = status
    }

    public var description: String { "\(code): \(message)" }
}

extension String {
    /// At most `limit` characters, for quoting untrusted input in error messages.
    func boundedForMessage(_ limit: Int = 64) -> String {
        count <= limit ? self : String(prefix(limit)) + "..."
    }
}
