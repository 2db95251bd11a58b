/// Code that runs around a handler: it may change the request, answer by itself, or change the response.
///
/// Chains are composed once, when a route is registered or ``Router/handler`` is built, never per request.
/// ```swift
/// struct ServerHeader: Middleware {
///     func respond(to request: HTTPRequest, next: HTTPResponder) async throws -> HTTPResponse {
///         var response = try await next(request)
///         try response.headers.replaceOrAdd("Server", "tenancy")
///         return response
///     }
/// }
/// ```
public protocol Middleware: Sendable {
    /// Handles `request`, usually by calling `next` with it (or a changed copy).
    /// - Parameters:
    ///   - request: The request.
    ///   - next: The rest of the chain, ending in the route handler.
    /// - Returns: The response.
    /// - Throws: What `next` throws, or an error of its own; the router turns it into a problem response.
    func respond(to request: HTTPRequest, next: HTTPResponder) async throws -> HTTPResponse
}

/// Composes middleware around a responder.
enum MiddlewareChain {
    /// `middleware[0]` runs first and `responder` last.
    static func compose(_ middleware: [any Middleware], around responder: @escaping HTTPResponder) -> HTTPResponder {
        middleware.reversed().reduce(responder) { next, middleware in
            { request in try await middleware.respond(to: request, next: next) }
        }
    }
}
