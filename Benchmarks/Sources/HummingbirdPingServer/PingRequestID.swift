import TenancyHTTP

/// The request-ID generator of the Hummingbird ping server: `TenancyHTTP`'s `RequestIDMiddleware.randomID()`
/// itself (one `getrandom` for 128 bits, written as 32 lower-case hex digits into one string), not a copy,
/// so both servers pay exactly the same for an ID.
///
/// In a file of its own because `TenancyHTTP`'s `HTTPRequest`, `HTTPResponse` and `Router` would be
/// ambiguous with Hummingbird's and swift-http-types' names in the files that use those.
enum PingRequestID {
    /// 128 random bits as 32 lower-case hex digits.
    static func random() -> String {
        RequestIDMiddleware.randomID()
    }
}
