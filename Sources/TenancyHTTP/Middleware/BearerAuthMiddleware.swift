import Tenancy

/// Requires `Authorization: Bearer <token>` (RFC 6750) and sets ``HTTPRequest/principal`` from it; anything
/// else is answered 401 `unauthorized` with `WWW-Authenticate: Bearer realm="..."`.
///
/// With a token table, the given token is compared with every configured token in constant time, so the
/// time taken reveals neither which token nor how much of one matched. A principal with a tenant then
/// decides the request's tenant (put this before the tenant middleware).
public struct BearerAuthMiddleware: Middleware {
    private let challenge: String
    private let authenticate: @Sendable (Substring) async -> Principal?

    /// Creates the middleware over a fixed table of tokens.
    /// - Parameters:
    ///   - realm: The protection space named in the challenge.
    ///   - tokens: Each accepted token and the principal it authenticates.
    public init(realm: String = "tenancy", tokens: [String: Principal]) {
        let table = tokens.map { (Array($0.key.utf8), $0.value) }
        self.init(realm: realm) { given in
            var found: Principal?
            // Every token is compared, whether or not one has matched already.
            for (token, principal) in table where ConstantTime.equals(given.utf8, token) { found = principal }
            return found
        }
    }

    /// Creates the middleware over a verifier (a JWT check, a key lookup).
    /// - Parameters:
    ///   - realm: The protection space named in the challenge.
    ///   - authenticate: Returns the principal of a valid token, `nil` otherwise; must compare secrets in
    ///     constant time itself.
    public init(realm: String = "tenancy", authenticate: @escaping @Sendable (Substring) async -> Principal?) {
        challenge = "Bearer realm=\(AuthorizationHeader.quotedRealm(realm))"
        self.authenticate = authenticate
    }

    /// Authenticates, then runs `next` with the principal set, or answers 401.
    /// - Parameters:
    ///   - request: The request.
    ///   - next: The rest of the chain.
    /// - Returns: The response.
    /// - Throws: What `next` throws.
    public func respond(to request: HTTPRequest, next: HTTPResponder) async throws -> HTTPResponse {
        guard let token = AuthorizationHeader.credentials(scheme: "Bearer", in: request) else {
            return AuthorizationHeader.unauthorized(challenge: challenge, detail: "a bearer token is required")
        }
        guard let principal = await authenticate(token) else {
            return AuthorizationHeader.unauthorized(
                challenge: challenge + ", error=\"invalid_token\"", detail: "the bearer token is not valid")
        }
        var authenticated = request
        authenticated.principal = principal
        return try await next(authenticated)
    }
}
