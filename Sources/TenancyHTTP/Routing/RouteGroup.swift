/// Routes under a common prefix sharing middleware; created by ``RouteBuilder/group(_:middleware:_:)``.
public struct RouteGroup: RouteBuilder, Sendable {
    /// The prefix, without a trailing slash.
    public let prefix: String
    private let middleware: [any Middleware]
    /// The routes registered so far: full pattern, handler inside the group's middleware.
    private(set) var routes: [(method: HTTPMethod, pattern: String, responder: HTTPResponder)] = []

    init(prefix: String, middleware: [any Middleware]) throws(HTTPError) {
        let pattern = try RoutePattern(prefix)
        guard !pattern.segments.contains(.wildcard) else {
            throw HTTPError(.invalidRoutePattern, "group prefix '\(prefix.boundedForMessage())' has a wildcard")
        }
        self.prefix = prefix.hasSuffix("/") ? String(prefix.dropLast()) : prefix
        self.middleware = middleware
    }

    /// Registers `handler` for `method` requests matching the prefix followed by `pattern`.
    /// - Parameters:
    ///   - method: The method.
    ///   - pattern: The pattern below the prefix; `/` is the prefix itself.
    ///   - handler: The handler, wrapped in the group's middleware now.
    /// - Throws: ``HTTPError`` with ``HTTPError/Code/invalidRoutePattern``; conflicts are found when the
    ///   group is added to its parent.
    public mutating func add(_ method: HTTPMethod, _ pattern: String, _ handler: @escaping HTTPResponder) throws(HTTPError) {
        let full = pattern == "/" && !prefix.isEmpty ? prefix : prefix + pattern
        _ = try RoutePattern(full)
        routes.append((method, full, MiddlewareChain.compose(middleware, around: handler)))
    }
}
