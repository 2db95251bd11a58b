extension HTTPError.Code {
    /// The request's framing is malformed (request line, header syntax, `Content-Length`,
    /// `Transfer-Encoding`, chunk sizes, a missing `Host`): answered 400 and the connection closed.
    public static let malformedRequest = HTTPError.Code("malformed_request")
    /// The request head, or the number of its fields, exceeds the server's bound: 431.
    public static let headerFieldsTooLarge = HTTPError.Code("header_fields_too_large")
    /// The request body exceeds the server's bound: 413.
    public static let contentTooLarge = HTTPError.Code("content_too_large")
    /// The request did not arrive in time: 408.
    public static let requestTimeout = HTTPError.Code("request_timeout")
    /// A transfer coding other than `chunked`: 501.
    public static let unsupportedTransferCoding = HTTPError.Code("unsupported_transfer_coding")
    /// An HTTP version other than 1.0 and 1.1: 505.
    public static let httpVersionNotSupported = HTTPError.Code("http_version_not_supported")
    /// An `Expect` other than `100-continue`: 417.
    public static let expectationFailed = HTTPError.Code("expectation_failed")
    /// Every connection slot is taken: 503.
    public static let serverBusy = HTTPError.Code("server_busy")
    /// The server's configuration is out of range.
    public static let invalidConfiguration = HTTPError.Code("invalid_configuration")
    /// The server's host is not an IP address literal, or its port is out of range.
    public static let invalidAddress = HTTPError.Code("invalid_address")
    /// Another socket holds the server's address.
    public static let addressInUse = HTTPError.Code("address_in_use")
    /// A socket call or thread creation failed while starting (the message names the call and the error).
    public static let serverFailure = HTTPError.Code("server_failure")
}
