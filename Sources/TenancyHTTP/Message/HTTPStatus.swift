/// A response status: the code and its reason phrase.
///
/// Equality and hashing consider only ``code``: a status with a custom reason phrase is still that status.
public struct HTTPStatus: Hashable, Sendable, CustomStringConvertible {
    /// The three-digit code, 100-999.
    public let code: Int
    /// The reason phrase written on the status line; visible ASCII and spaces only.
    public let reasonPhrase: String

    /// Creates a status with the standard reason phrase for `code` (or `Unknown`).
    /// - Parameter code: The code; values outside 100-999 become 500, so a bad code can never produce a
    ///   malformed status line.
    public init(code: Int) {
        let valid = (100...999).contains(code) ? code : 500
        self.init(valid, Self.standardPhrases[valid] ?? "Unknown")
    }

    /// Creates a status with a custom reason phrase.
    /// - Parameters:
    ///   - code: The code; values outside 100-999 become 500.
    ///   - reasonPhrase: The phrase; characters other than visible ASCII and spaces are dropped, so nothing
    ///     can break the status line.
    public init(code: Int, reasonPhrase: String) {
        let valid = (100...999).contains(code) ? code : 500
        let phrase = String(decoding: reasonPhrase.utf8.filter { $0 >= 0x20 && $0 < 0x7F }, as: UTF8.self)
        self.init(valid, phrase)
    }

    private init(_ code: Int, _ reasonPhrase: String) {
        self.code = code
        self.reasonPhrase = reasonPhrase
    }

    /// 200 OK.
    public static let ok = HTTPStatus(200, "OK")
    /// 201 Created.
    public static let created = HTTPStatus(201, "Created")
    /// 202 Accepted.
    public static let accepted = HTTPStatus(202, "Accepted")
    /// 204 No Content: the server sends no body.
    public static let noContent = HTTPStatus(204, "No Content")
    /// 304 Not Modified: the server sends no body.
    public static let notModified = HTTPStatus(304, "Not Modified")
    /// 400 Bad Request.
    public static let badRequest = HTTPStatus(400, "Bad Request")
    /// 401 Unauthorized.
    public static let unauthorized = HTTPStatus(401, "Unauthorized")
    /// 403 Forbidden.
    public static let forbidden = HTTPStatus(403, "Forbidden")
    /// 404 Not Found.
    public static let notFound = HTTPStatus(404, "Not Found")
    /// 405 Method Not Allowed; send `Allow`.
    public static let methodNotAllowed = HTTPStatus(405, "Method Not Allowed")
    /// 408 Request Timeout.
    public static let requestTimeout = HTTPStatus(408, "Request Timeout")
    /// 409 Conflict.
    public static let conflict = HTTPStatus(409, "Conflict")
    /// 411 Length Required.
    public static let lengthRequired = HTTPStatus(411, "Length Required")
    /// 412 Precondition Failed.
    public static let preconditionFailed = HTTPStatus(412, "Precondition Failed")
    /// 413 Content Too Large.
    public static let contentTooLarge = HTTPStatus(413, "Content Too Large")
    /// 414 URI Too Long.
    public static let uriTooLong = HTTPStatus(414, "URI Too Long")
    /// 415 Unsupported Media Type.
    public static let unsupportedMediaType = HTTPStatus(415, "Unsupported Media Type")
    /// 417 Expectation Failed.
    public static let expectationFailed = HTTPStatus(417, "Expectation Failed")
    /// 422 Unprocessable Content.
    public static let unprocessableContent = HTTPStatus(422, "Unprocessable Content")
    /// 429 Too Many Requests.
    public static let tooManyRequests = HTTPStatus(429, "Too Many Requests")
    /// 431 Request Header Fields Too Large.
    public static let requestHeaderFieldsTooLarge = HTTPStatus(431, "Request Header Fields Too Large")
    /// 500 Internal Server Error.
    public static let internalServerError = HTTPStatus(500, "Internal Server Error")
    /// 501 Not Implemented.
    public static let notImplemented = HTTPStatus(501, "Not Implemented")
    /// 503 Service Unavailable.
    public static let serviceUnavailable = HTTPStatus(503, "Service Unavailable")
    /// 505 HTTP Version Not Supported.
    public static let httpVersionNotSupported = HTTPStatus(505, "HTTP Version Not Supported")

    private static let standardPhrases: [Int: String] = Dictionary(
        uniqueKeysWithValues: [
            ok, created, accepted, noContent, notModified, badRequest, unauthorized, forbidden, notFound,
            methodNotAllowed, requestTimeout, conflict, lengthRequired, preconditionFailed, contentTooLarge,
            uriTooLong, unsupportedMediaType, expectationFailed, unprocessableContent, tooManyRequests,
            requestHeaderFieldsTooLarge, internalServerError, notImplemented, serviceUnavailable,
            httpVersionNotSupported,
        ].map { ($0.code, $0.reasonPhrase) })

    /// Whether a response with this status never has a body (1xx, 204, 304), so the server sends none.
    public var forbidsBody: Bool { code < 200 || code == 204 || code == 304 }

    public static func == (lhs: HTTPStatus, rhs: HTTPStatus) -> Bool { lhs.code == rhs.code }

    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// `404 Not Found`.
    public var description: String { "\(code) \(reasonPhrase)" }
}
