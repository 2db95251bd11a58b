import Foundation
import Tenancy

/// Requires `Authorization: Basic <base64(user:password)>` (RFC 7617) and sets ``HTTPRequest/principal``;
/// anything else is answered 401 `unauthorized` with `WWW-Authenticate: Basic realm="...", charset="UTF-8"`.
///
/// With a user table, the given user and password are compared with every configured pair in constant
/// time, so the time taken reveals neither which users exist nor how much of a password matched.
public struct BasicAuthMiddleware: Middleware {
    private let challenge: String
    private let authenticate: @Sendable (String, String) async -> Principal?

    /// Creates the middleware over a fixed table of users; each principal's subject is the user name.
    /// - Parameters:
    ///   - realm: The protection space named in the challenge.
    ///   - users: Each user name and its password.
    public init(realm: String = "tenancy", users: [String: String]) {
        let table = users.map { (Array($0.key.utf8), Array($0.value.utf8), $0.key) }
        self.init(realm: realm) { user, password in
            var found: Principal?
            for (name, secret, subject) in table {
                // Both halves are compared every time: no early exit on an unknown user.
                let userMatches = ConstantTime.equals(user.utf8, name)
                let passwordMatches = ConstantTime.equals(password.utf8, secret)
                if userMatches && passwordMatches { found = Principal(subject: subject, tenant: nil) }
            }
            return found
        }
    }

    /// Creates the middleware over a verifier.
    /// - Parameters:
    ///   - realm: The protection space named in the challenge.
    ///   - authenticate: Returns the principal for a valid user and password, `nil` otherwise; must
    ///     compare secrets in constant time itself.
    public init(realm: String = "tenancy", authenticate: @escaping @Sendable (String, String) async -> Principal?) {
        challenge = "Basic realm=\(AuthorizationHeader.quotedRealm(realm)), charset=\"UTF-8\""
        self.authenticate = authenticate
    }

    /// Authenticates, then runs `next` with the principal set, or answers 401.
    /// - Parameters:
    ///   - request: The request.
    ///   - next: The rest of the chain.
    /// - Returns: The response.
    /// - Throws: What `next` throws.
    public func respond(to request: HTTPRequest, next: HTTPResponder) async throws -> HTTPResponse {
        guard let encoded = AuthorizationHeader.credentials(scheme: "Basic", in: request) else {
            return AuthorizationHeader.unauthorized(challenge: challenge, detail: "credentials are required")
        }
        guard let data = Data(base64Encoded: String(encoded)), let pair = String(data: data, encoding: .utf8),
            let colon = pair.firstIndex(of: ":"),
            let principal = await authenticate(String(pair[..<colon]), String(pair[pair.index(after: colon)...]))
        else {
            return AuthorizationHeader.unauthorized(challenge: challenge, detail: "the credentials are not valid")
        }
        var authenticated = request
        authenticated.principal = principal
        return try await next(authenticated)
    }
}
