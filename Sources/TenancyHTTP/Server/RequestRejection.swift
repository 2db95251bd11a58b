/// Why the server refuses a request before any handler sees it: the status, the problem's stable `code`
/// and a detail for the client. The server answers it as `application/problem+json` and closes the
/// connection, since after a framing error it cannot know where the next request would start.
struct RequestRejection: Error, Equatable, Sendable {
    /// The status answered.
    var status: HTTPStatus
    /// The problem's `code` member.
    var code: HTTPError.Code
    /// What was wrong, without quoting the input.
    var detail: String

    init(_ status: HTTPStatus, _ code: HTTPError.Code, _ detail: String) {
        self.status = status
        self.code = code
        self.detail = detail
    }

    /// 400: the request is not HTTP/1.1 as RFC 9112 spells it.
    static func malformed(_ detail: String) -> RequestRejection {
        RequestRejection(.badRequest, .malformedRequest, detail)
    }

    /// 431: the head is larger than the bound, or has more fields than allowed.
    static func headTooLarge(_ detail: String) -> RequestRejection {
        RequestRejection(.requestHeaderFieldsTooLarge, .headerFieldsTooLarge, detail)
    }

    /// 413: the body is larger than the bound.
    static let bodyTooLarge = RequestRejection(
        .contentTooLarge, .contentTooLarge, "the request body is larger than the server accepts"
    )

    /// 408: the head or body did not arrive in time.
    static let timedOut = RequestRejection(
        .requestTimeout, .requestTimeout, "the request did not arrive within the server's deadline"
    )

    /// 503: every connection slot is taken.
    static let busy = RequestRejection(
        .serviceUnavailable, .serverBusy, "the server has no room for another connection; retry shortly"
    )
}
