import Tenancy

/// A request as the server parsed it, plus what the router and middleware learned about it.
///
/// The server fills the wire fields (``method``, ``target``, ``version``, ``headers``, ``body``,
/// ``remoteAddress``); the router sets ``parameters``; middleware sets ``principal``, ``requestID`` and the
/// tenant (``tenantConfig``, ``quota``), which handlers read but cannot forge: the tenant is settable only
/// inside this module.
///
/// ``path`` is the ``PathNormalizer`` normal form of the target, the same form the tenant policy matches,
/// so the router and the policy can never disagree about where a request goes: `%2e%2e` and `..` are
/// resolved (never above the root), `%2F` becomes a separator, `//` collapses to `/`. A target without a
/// safe normal form (an encoded NUL or control character, a bad escape, invalid UTF-8, not origin-form,
/// over ``PathNormalizer/maximumLength`` bytes) has an empty ``path``; the router answers it `400`.
public struct HTTPRequest: Sendable {
    /// The method.
    public var method: HTTPMethod
    /// The request target as received: the path, optionally followed by `?` and the query.
    public let target: String
    /// The normal form of the target's path, or empty when it has none (see the type's discussion).
    public let path: String
    /// The protocol version.
    public var version: HTTPVersion
    /// The header fields in received order.
    public var headers: HTTPHeaders
    /// The body, complete (the server has already removed chunked framing and enforced its size limit).
    public var body: [UInt8]
    /// The peer's address as the server saw it (`127.0.0.1:53211`, `[::1]:53211`), if known.
    public var remoteAddress: String?
    /// The authenticated identity, set by authentication middleware before tenant resolution; a principal
    /// with a tenant decides the tenant over anything the client sends.
    public var principal: Principal?
    /// The path parameters of the matched route (`{id}`, and `*` for a wildcard tail).
    public internal(set) var parameters: HTTPParameters
    /// The request ID, set by ``RequestIDMiddleware``.
    public internal(set) var requestID: String?
    /// The resolved tenant's config, set by the tenant resolver middleware; `nil` before it, or when no
    /// tenant was found and missing tenants are allowed.
    public internal(set) var tenantConfig: TenantConfig?
    /// The quota decision, set by the tenant quota middleware; `nil` before it, for a missing tenant, or
    /// when the quota backend failed open.
    public internal(set) var quota: QuotaDecision?
    /// How far the tenant middleware got, so the policy and quota steps can refuse to run before the
    /// resolver (fail closed) and skip a tenant that is absent by configuration.
    var tenantStage: TenantStage
    /// Where the tenant middleware leaves the tenant and outcome for the completion middleware, which
    /// reports them with the final status even when the handler throws. Shared by every copy of the request.
    var completion: CompletionRecord?
    /// Set by ``HTTPServer``: where the completion middleware leaves its record for the server, which
    /// reports it once the response is written. `nil` for a request that did not come from the server.
    var responseWrite: ResponseWriteHook.Ticket?

    /// Creates a request; the server's entry point.
    /// - Parameters:
    ///   - method: The method.
    ///   - target: The request target in origin form (`/path?query`); the server turns absolute form into
    ///     origin form (and the authority into `Host`) before calling this.
    ///   - version: The protocol version.
    ///   - headers: The header fields in received order.
    ///   - body: The complete body.
    ///   - remoteAddress: The peer's address, if known.
    public init(
        method: HTTPMethod, target: String, version: HTTPVersion = .http1_1, headers: HTTPHeaders = HTTPHeaders(),
        body: [UInt8] = [], remoteAddress: String? = nil
    ) {
        self.method = method
        self.target = target
        self.path = PathNormalizer.normalize(target) ?? ""
        self.version = version
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
        self.principal = nil
        self.parameters = HTTPParameters()
        self.requestID = nil
        self.tenantConfig = nil
        self.quota = nil
        self.tenantStage = .unresolved
        self.completion = nil
        self.responseWrite = nil
    }

    /// The admitted tenant; also bound as `TenantContext.current` while the handler runs.
    public var tenant: TenantID? { tenantConfig?.id }

    /// The host the request was addressed to: the `Host` field when there is exactly one, else `nil`.
    public var host: String? {
        let hosts = headers.values(for: "Host")
        return hosts.count == 1 ? hosts[0] : nil
    }

    /// The query string after `?` and before any `#`, still encoded; empty when there is none.
    public var rawQuery: Substring {
        guard let mark = target.firstIndex(of: "?") else { return "" }
        let query = target[target.index(after: mark)...]
        return query.firstIndex(of: "#").map { query[..<$0] } ?? query
    }
}
