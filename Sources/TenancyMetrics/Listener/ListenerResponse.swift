/// The responses of the ``MetricsListener``: a status, the headers every response carries
/// (`Content-Type`, `Content-Length`, `Connection: close`) and the ones its status requires (`Allow`,
/// `WWW-Authenticate`, `Retry-After`).
struct ListenerResponse: Equatable, Sendable {
    /// The statuses the listener answers with.
    enum Status: Int, Sendable {
        case ok = 200
        case badRequest = 400
        case unauthorized = 401
        case notFound = 404
        case methodNotAllowed = 405
        case requestTimeout = 408
        case requestHeaderFieldsTooLarge = 431
        case serviceUnavailable = 503
        case httpVersionNotSupported = 505

        /// The reason phrase of the status line.
        var reason: String {
            switch self {
            case .ok: "OK"
            case .badRequest: "Bad Request"
            case .unauthorized: "Unauthorized"
            case .notFound: "Not Found"
            case .methodNotAllowed: "Method Not Allowed"
            case .requestTimeout: "Request Timeout"
            case .requestHeaderFieldsTooLarge: "Request Header Fields Too Large"
            case .serviceUnavailable: "Service Unavailable"
            case .httpVersionNotSupported: "HTTP Version Not Supported"
            }
        }

        /// The header this status requires, if any.
        var requiredHeader: String? {
            switch self {
            case .unauthorized: "WWW-Authenticate: Bearer"
            case .methodNotAllowed: "Allow: GET, HEAD"
            case .serviceUnavailable: "Retry-After: 1"
            default: nil
            }
        }
    }

    /// The content type of error bodies.
    static let textContentType = "text/plain; charset=utf-8"

    /// The status.
    var status: Status
    /// The `Content-Type`.
    var contentType: String
    /// The `Content-Length`: the body's length, also for `HEAD`, which sends no body.
    var contentLength: Int

    /// An error response whose body is ``errorBody(_:path:)``.
    static func error(_ status: Status, path: String) -> ListenerResponse {
        ListenerResponse(
            status: status,
            contentType: textContentType,
            contentLength: errorBody(status, path: path).count
        )
    }

    /// A one-line explanation for humans who `curl` the wrong thing.
    static func errorBody(_ status: Status, path: String) -> [UInt8] {
        let text =
            switch status {
            case .ok: ""
            case .badRequest: "malformed HTTP request"
            case .unauthorized: "a bearer token is required"
            case .notFound: "not found; metrics are served at \(path)"
            case .methodNotAllowed: "only GET and HEAD are allowed"
            case .requestTimeout: "the request head did not arrive in time"
            case .requestHeaderFieldsTooLarge: "the request head is too large"
            case .serviceUnavailable: "too many concurrent scrapes; retry"
            case .httpVersionNotSupported: "only HTTP/1.x is supported"
            }
        return Array("\(status.rawValue) \(status.reason): \(text)\n".utf8)
    }

    /// Appends the status line and headers, and the blank line that ends them, to `buffer`.
    func writeHead(into buffer: inout [UInt8]) {
        buffer.append(contentsOf: "HTTP/1.1 \(status.rawValue) \(status.reason)\r\n".utf8)
        buffer.append(contentsOf: "Content-Type: \(contentType)\r\n".utf8)
        buffer.append(contentsOf: "Content-Length: \(contentLength)\r\n".utf8)
        if let header = status.requiredHeader {
            buffer.append(contentsOf: header.utf8)
            buffer.append(contentsOf: "\r\n".utf8)
        }
        buffer.append(contentsOf: "Connection: close\r\n\r\n".utf8)
    }
}
