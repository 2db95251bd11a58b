import Tenancy

extension HTTPResponse {
    /// An RFC 9457 `application/problem+json` response, rendered exactly as the tenant gate renders its own
    /// (`type`, `title`, `status`, `detail`, `code`, then the extensions), so every error of a service has
    /// one shape.
    /// - Parameters:
    ///   - status: The status; also the document's `status` member.
    ///   - code: The stable `code` member; the `type` URI is `typeBase` followed by it.
    ///   - title: A short, fixed summary of the problem type.
    ///   - detail: What happened to this request; shown to the client.
    ///   - extensions: Extra string members, in order.
    ///   - typeBase: Prefix of the `type` URI.
    /// - Returns: The response.
    public static func problem(
        status: HTTPStatus, code: HTTPError.Code, title: String, detail: String,
        extensions: [(key: String, value: String)] = [],
        typeBase: String = AdmissionGate.Configuration.defaultProblemTypeBase
    ) -> HTTPResponse {
        let rejection = AdmissionRejection(
            status: status.code, code: AdmissionRejection.Code(code.rawValue), title: title, detail: detail,
            extensions: extensions)
        return HTTPResponse(rejection: rejection, typeBase: typeBase)
    }

    /// The response for a gate rejection: its status, its header fields (`Retry-After`, `RateLimit-Policy`,
    /// `RateLimit`, `X-Quota-Remaining-*`, `WWW-Authenticate`) in the gate's order, and its problem body.
    ///
    /// A header field that is not valid on the wire (possible only in a hand-built rejection) is left out.
    /// - Parameters:
    ///   - rejection: What the gate decided.
    ///   - typeBase: Prefix of the problem's `type` URI; use the gate's `problemTypeBase`.
    public init(
        rejection: AdmissionRejection, typeBase: String = AdmissionGate.Configuration.defaultProblemTypeBase
    ) {
        self.init(status: HTTPStatus(code: rejection.status), body: Array(rejection.body(typeBase: typeBase).utf8))
        headers.appendTrusted("Content-Type", AdmissionRejection.contentType)
        for field in rejection.headers { try? headers.add(field.name, field.value) }
    }

    /// The response for an error a handler threw: an ``HTTPError`` answers with its status and code (its
    /// message as the detail for a 4xx; a fixed detail for a 5xx, so internals never reach the client);
    /// anything else is a `500` with code ``HTTPError/Code/internalError``.
    /// - Parameter error: The error.
    public init(error: any Error) {
        guard let error = error as? HTTPError else {
            self = .internalError
            return
        }
        let detail = error.status.code < 500 ? error.message : "the server could not answer the request"
        self = .problem(status: error.status, code: error.code, title: error.status.reasonPhrase, detail: detail)
    }

    /// The status ``init(error:)`` answers `error` with.
    /// - Parameter error: The error.
    /// - Returns: An ``HTTPError``'s status, else 500.
    public static func status(for error: any Error) -> HTTPStatus {
        (error as? HTTPError)?.status ?? .internalServerError
    }

    /// The `500` answered for an error that is not an ``HTTPError``.
    static var internalError: HTTPResponse {
        .problem(
            status: .internalServerError, code: .internalError, title: "Internal Server Error",
            detail: "the server could not answer the request")
    }
}
