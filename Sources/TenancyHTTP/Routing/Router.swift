import Tenancy

/// Dispatches requests to handlers by method and path, and is what the server calls.
///
/// ```swift
/// var router = Router(middleware: [RequestIDMiddleware()])
/// try router.get("/healthz") { _ in .text("ok") }
/// try router.group("/api/v1", middleware: [TenantMiddleware(gate: gate)]) { api in
///     try api.get("/resources/{id}") { request in .text(request.parameters["id"] ?? "") }
/// }
/// let handler = router.handler  // hand to the server
/// ```
///
/// Matching runs on the request's normal-form ``HTTPRequest/path`` (the form tenant policies match), over
/// a segment trie: literal beats parameter beats wildcard, whatever the registration order. A path without
/// a normal form is answered `400` (`invalid_path`), an unmatched path `404` (`not_found`), a matched path
/// without the method `405` (`method_not_allowed`) with `Allow`; all are problem documents. `OPTIONS *`
/// is answered `204` with `Allow` listing every method some route answers.
public struct Router: RouteBuilder, Sendable {
    private var root = RouteNode()
    private let middleware: [any Middleware]
    /// Prefix of the `type` URI of the router's problem documents.
    public let problemTypeBase: String

    /// Creates an empty router.
    /// - Parameters:
    ///   - middleware: Middleware around every request, the unmatched ones included; first runs first.
    ///   - problemTypeBase: Prefix of the `type` URI of the router's problem documents.
    public init(
        middleware: [any Middleware] = [], problemTypeBase: String = AdmissionGate.Configuration.defaultProblemTypeBase
    ) {
        self.middleware = middleware
        self.problemTypeBase = problemTypeBase
    }

    /// Registers `handler` for `method` requests matching `pattern`.
    /// - Parameters:
    ///   - method: The method; a `GET` route also answers `HEAD` unless a `HEAD` route exists.
    ///   - pattern: `/`-separated literal segments, `{name}` parameters and an optional `*` tail.
    ///   - handler: The handler; what it throws becomes a problem response.
    /// - Throws: ``HTTPError`` with ``HTTPError/Code/invalidRoutePattern`` or
    ///   ``HTTPError/Code/conflictingRoute``; nothing is registered then.
    public mutating func add(_ method: HTTPMethod, _ pattern: String, _ handler: @escaping HTTPResponder) throws(HTTPError) {
        let parsed = try RoutePattern(pattern)
        var copy = root
        try copy.insert(parsed.segments[...], method: method, route: Route(pattern: pattern, responder: handler))
        root = copy
    }

    /// The server-facing handler: the router's middleware around dispatch, with every thrown error turned
    /// into a problem response. Composed when read; read it once.
    public var handler: HTTPHandler {
        let chain = MiddlewareChain.compose(middleware, around: dispatch)
        return { request in
            do {
                return try await chain(request)
            } catch {
                return HTTPResponse(error: error)
            }
        }
    }

    /// Dispatch without the router's middleware: the matched route's handler, or 400, 404 or 405.
    /// - Parameter request: The request.
    /// - Returns: The response.
    /// - Throws: What the route's handler throws.
    public func dispatch(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard !request.path.isEmpty else {
            if request.method == .options && request.target == "*" {
                return Self.allowing(root.allMethods.union([.options]), HTTPResponse(status: .noContent))
            }
            return .problem(
                status: .badRequest, code: .invalidPath, title: "Invalid path",
                detail: "the request target has no safe normal form", typeBase: problemTypeBase)
        }
        let segments = request.path.split(separator: "/")[...]
        var parameters = HTTPParameters()
        if let route = root.route(for: request.method, at: segments, parameters: &parameters) {
            var routed = request
            routed.parameters = parameters
            return try await route.responder(routed)
        }
        let allowed = root.allowedMethods(at: segments)
        guard !allowed.isEmpty else {
            return .problem(
                status: .notFound, code: .notFound, title: "Not found", detail: "no route matches the path",
                typeBase: problemTypeBase)
        }
        let response = HTTPResponse.problem(
            status: .methodNotAllowed, code: .methodNotAllowed, title: "Method not allowed",
            detail: "the path does not accept \(request.method)", typeBase: problemTypeBase)
        return Self.allowing(allowed, response)
    }

    /// `response` with `Allow` listing `methods` in alphabetical order.
    private static func allowing(_ methods: Set<HTTPMethod>, _ response: HTTPResponse) -> HTTPResponse {
        var response = response
        response.headers.appendTrusted("Allow", methods.map(\.rawValue).sorted().joined(separator: ", "))
        return response
    }
}
