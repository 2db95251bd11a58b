/// What the server calls for every request: the router's ``Router/handler`` or any function of this shape.
///
/// The contract, both ways:
/// - The handler never throws and never traps on input: every failure is a response (the router wraps
///   throwing route handlers in recovery, so a thrown error becomes a `500` problem).
/// - The server passes a complete request (body read, size-limited, de-chunked) whose header fields
///   satisfy ``HTTPHeaders``' rules, and a target in origin form.
/// - The server owns the framing: it writes `Content-Length`, `Date` and `Connection` and ignores a
///   handler's `Content-Length`, `Transfer-Encoding`, `Date`, `Connection`, `Keep-Alive` and `Upgrade`;
///   it sends no body for `HEAD` or a status that forbids one.
/// - Calls run concurrently, one per in-flight request; pipelined responses are written in request order.
public typealias HTTPHandler = @Sendable (HTTPRequest) async -> HTTPResponse

/// A route handler or the rest of a middleware chain: like ``HTTPHandler`` but allowed to throw; what it
/// throws becomes a problem response (see ``HTTPResponse/init(error:)``).
public typealias HTTPResponder = @Sendable (HTTPRequest) async throws -> HTTPResponse
