import Tenancy

/// The gate's third step as middleware: counts the request (and its tokens) against every window of the
/// tenant's quota, all or nothing, and adds `RateLimit-Policy`, `RateLimit` and `X-Quota-Remaining-*` to
/// the response, allowed or not.
///
/// Runs after ``TenantResolverMiddleware`` (and ``TenantPolicyMiddleware``, so denied requests spend no
/// quota; without a policy step before it, it checks the tenant's policy itself first, so the policy is
/// never skipped). A request an outer step already charged passes without a second charge. Refusals are the gate's: 429 `tenant_quota_exceeded` with `Retry-After` (none when the cost can
/// never fit), 400 `invalid_token_count`, 503 when the quota backend fails (admitted instead when the gate
/// fails open). A request without a tenant (allowed by configuration) passes; one that no resolver has seen
/// is answered `500` (`misconfigured`).
public struct TenantQuotaMiddleware: Middleware {
    /// The gate whose quota step runs.
    public let gate: AdmissionGate
    /// The request's exact token count when the route knows it (for example from the parsed body);
    /// `nil` from it, or no closure, means the gate's token header and estimator decide.
    public let tokens: (@Sendable (HTTPRequest) -> Int64?)?
    /// The response to a refusal; the gate's problem when `nil`.
    public let onRejected: RejectionResponder?

    /// Creates the middleware.
    /// - Parameters:
    ///   - gate: The gate; its configuration names the token header, the estimator and fail-open.
    ///   - tokens: The exact token count of a request, when known; a negative count is answered 400.
    ///   - onRejected: A custom response to a refusal (429, 400 or 503).
    public init(
        gate: AdmissionGate, tokens: (@Sendable (HTTPRequest) -> Int64?)? = nil, onRejected: RejectionResponder? = nil
    ) {
        self.gate = gate
        self.tokens = tokens
        self.onRejected = onRejected
    }

    /// Consumes the request's cost, then runs `next`, or answers the refusal.
    /// - Parameters:
    ///   - request: The request, after the resolver.
    ///   - next: The rest of the chain.
    /// - Returns: The response, with the quota's rate-limit fields.
    /// - Throws: ``HTTPError`` with ``HTTPError/Code/misconfigured`` before the resolver; what `next` throws.
    public func respond(to request: HTTPRequest, next: HTTPResponder) async throws -> HTTPResponse {
        guard let (config, policyChecked) = try request.tenantForQuota(by: Self.self) else {
            return try await next(request)
        }
        // Without a policy step before it, the tenant's policy is checked here, still before any quota is
        // spent: a chain of resolver then quota must not skip the policy (fail open).
        if !policyChecked, let denial = gate.checkPolicy(request.admissionRequest, config: config) {
            return await gate.respond(to: denial, of: request, custom: onRejected)
        }
        return try await gate.charge(request, config: config, tokens: tokens?(request), onRejected: onRejected, next: next)
    }
}
