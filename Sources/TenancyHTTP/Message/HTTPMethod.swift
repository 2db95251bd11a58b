/// A request method: any RFC 9110 token, with the common ones as constants. Case-sensitive, as the RFC
/// says (`get` is not `GET`).
public struct HTTPMethod: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The method token, e.g. `GET`.
    public let rawValue: String

    /// Validates `rawValue` as a method token.
    /// - Parameter rawValue: The token as received.
    /// - Returns: `nil` unless `rawValue` is 1-32 bytes of RFC 9110 `tchar`.
    public init?(rawValue: String) {
        guard rawValue.utf8.count <= 32, HTTPHeaders.isToken(rawValue) else { return nil }
        self.rawValue = rawValue
    }

    private init(constant: String) {
        rawValue = constant
    }

    /// `GET`.
    public static let get = HTTPMethod(constant: "GET")
    /// `HEAD`: answered by a `GET` route when no `HEAD` route exists; the server sends no body.
    public static let head = HTTPMethod(constant: "HEAD")
    /// `POST`.
    public static let post = HTTPMethod(constant: "POST")
    /// `PUT`.
    public static let put = HTTPMethod(constant: "PUT")
    /// `DELETE`.
    public static let delete = HTTPMethod(constant: "DELETE")
    /// `PATCH`.
    public static let patch = HTTPMethod(constant: "PATCH")
    /// `OPTIONS`.
    public static let options = HTTPMethod(constant: "OPTIONS")

    public var description: String { rawValue }
}
