/// Turns an error thrown by the rest of the chain into a problem response (see
/// ``HTTPResponse/init(error:)``: an ``HTTPError`` keeps its status, anything else is an opaque `500`), so
/// middleware before it sees a response, and reports the error to `onError`.
///
/// The ``Router/handler`` already answers any error that escapes the whole chain; this middleware is for
/// placing that point earlier, and for logging. Errors only: a trap (an out-of-bounds index, a failed
/// force-unwrap) still ends the process.
public struct RecoveryMiddleware: Middleware {
    /// Told about every error recovered, before the response is built; must not block.
    public let onError: (@Sendable (HTTPRequest, any Error) -> Void)?

    /// Creates the middleware.
    /// - Parameter onError: Told about every error recovered (for a log line).
    public init(onError: (@Sendable (HTTPRequest, any Error) -> Void)? = nil) {
        self.onError = onError
    }

    /// Runs `next`, answering what it throws.
    /// - Parameters:
    ///   - request: The request.
    ///   - next: The rest of the chain.
    /// - Returns: `next`'s response, or the problem response for its error.
    public func respond(to request: HTTPRequest, next: HTTPResponder) async -> HTTPResponse {
        do {
            return try await next(request)
        } catch {
            onError?(request, error)
            return HTTPResponse(error: error)
        }
    }
}
