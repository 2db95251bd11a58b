/// What routes can be registered on: the ``Router`` and its ``RouteGroup``s.
public protocol RouteBuilder {
    /// Registers `handler` for `method` requests matching `pattern`.
    /// - Parameters:
    ///   - method: The method; a `GET` route also answers `HEAD` unless a `HEAD` route exists.
    ///   - pattern: `/`-separated literal segments, `{name}` parameters and an optional `*` tail.
    ///   - handler: The handler; what it throws becomes a problem response.
    /// - Throws: ``HTTPError`` with ``HTTPError/Code/invalidRoutePattern`` or
    ///   ``HTTPError/Code/conflictingRoute``; nothing is registered then.
    mutating func add(_ method: HTTPMethod, _ pattern: String, _ handler: @escaping HTTPResponder) throws(HTTPError)
}

extension RouteBuilder {
    /// Registers a `GET` route (which also answers `HEAD`).
    /// - Parameters:
    ///   - pattern: The pattern.
    ///   - handler: The handler.
    /// - Throws: ``HTTPError`` for an invalid or conflicting pattern.
    public mutating func get(_ pattern: String, _ handler: @escaping HTTPResponder) throws(HTTPError) {
        try add(.get, pattern, handler)
    }

    /// Registers a `POST` route.
    /// - Parameters:
    ///   - pattern: The pattern.
    ///   - handler: The handler.
    /// - Throws: ``HTTPError`` for an invalid or conflicting pattern.
    public mutating func post(_ pattern: String, _ handler: @escaping HTTPResponder) throws(HTTPError) {
        try add(.post, pattern, handler)
    }

    /// Registers a `PUT` route.
    /// - Parameters:
    ///   - pattern: The pattern.
    ///   - handler: The handler.
    /// - Throws: ``HTTPError`` for an invalid or conflicting pattern.
    public mutating func put(_ pattern: String, _ handler: @escaping HTTPResponder) throws(HTTPError) {
        try add(.put, pattern, handler)
    }

    /// Registers a `PATCH` route.
    /// - Parameters:
    ///   - pattern: The pattern.
    ///   - handler: The handler.
    /// - Throws: ``HTTPError`` for an invalid or conflicting pattern.
    public mutating func patch(_ pattern: String, _ handler: @escaping HTTPResponder) throws(HTTPError) {
        try add(.patch, pattern, handler)
    }

    /// Registers a `DELETE` route.
    /// - Parameters:
    ///   - pattern: The pattern.
    ///   - handler: The handler.
    /// - Throws: ``HTTPError`` for an invalid or conflicting pattern.
    public mutating func delete(_ pattern: String, _ handler: @escaping HTTPResponder) throws(HTTPError) {
        try add(.delete, pattern, handler)
    }

    /// Registers the routes `build` adds under `prefix`, each wrapped in `middleware` (which runs inside any
    /// middleware of this builder). Groups nest.
    /// - Parameters:
    ///   - prefix: A pattern prefix without a wildcard, e.g. `/api/v1` or `/tenants/{id}`.
    ///   - middleware: Middleware for the group's routes only, first runs first.
    ///   - build: Registers the group's routes.
    /// - Throws: ``HTTPError`` for an invalid prefix or an invalid or conflicting route, or what `build`
    ///   throws; no route of the group is registered then. (Untyped, because Swift infers `any Error` for
    ///   multi-statement closures.)
    public mutating func group(
        _ prefix: String, middleware: [any Middleware] = [], _ build: (inout RouteGroup) throws -> Void
    ) throws {
        var group = try RouteGroup(prefix: prefix, middleware: middleware)
        try build(&group)
        var updated = self
        for route in group.routes { try updated.add(route.method, route.pattern, route.responder) }
        self = updated
    }
}
