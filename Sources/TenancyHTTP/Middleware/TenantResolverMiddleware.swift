import Tenancy

/// The gate's first step as middleware: finds the tenant (principal, header, subdomain, query or custom
/// strategies, per the gate's ``AdmissionGate/Configuration/resolver``), loads its config, and binds it in
/// `TenantContext` for everything after, with ``HTTPRequest/tenantConfig`` set.
///
/// Refusals are the gate's: 401 `tenant_required` (unless the gate allows missing tenants), 400
/// `tenant_invalid_id`, 403 `tenant_unknown` / `tenant_suspended` (never 429), 503 when the config backend
/// fails. Every resolution is reported to the gate's observers. Put ``TenantPolicyMiddleware`` and
/// ``TenantQuotaMiddleware`` after it, or use ``TenantMiddleware`` for all three at once.
public struct TenantResolverMiddleware: Middleware {
    /// The gate whose resolution step runs.
    public let gate: AdmissionGate
    /// The response when no tenant was found; the gate's 401 problem when `nil`.
    public let onMissing: RejectionResponder?
    /// The response for the other refusals (invalid, unknown, suspended, backend failure); the gate's
    /// problem when `nil`.
    public let onRejected: RejectionResponder?

    /// Creates the middleware.
    /// - Parameters:
    ///   - gate: The gate; its configuration names the headers, strategies and whether a missing tenant is
    ///     allowed.
    ///   - onMissing: A custom response when no tenant was found.
    ///   - onRejected: A custom response for the other refusals.
    public init(gate: AdmissionGate, onMissing: RejectionResponder? = nil, onRejected: RejectionResponder? = nil) {
        self.gate = gate
        self.onMissing = onMissing
        self.onRejected = onRejected
    }

    /// Resolves the tenant, then runs `next` with it bound, or answers the refusal.
    /// - Parameters:
    ///   - request: The request.
    ///   - next: The rest of the chain.
    /// - Returns: The response.
    /// - Throws: What `next` throws.
    public func respond(to request: HTTPRequest, next: HTTPResponder) async throws -> HTTPResponse {
        // Resolved already by an outer step: resolving again would reset its stage and let a later quota
        // step charge the request a second time.
        guard request.tenantStage == .unresolved else { return try await next(request) }
        switch await gate.resolveTenant(request.admissionRequest) {
        case .proceed(let config):
            return try await gate.proceed(request, config: config, quota: nil, stage: .resolved, bind: true, next: next)
        case .decided(.admitted):
            return try await gate.proceed(request, config: nil, quota: nil, stage: .missingAllowed, bind: false, next: next)
        case .decided(.rejected(let rejection)):
            let custom = rejection.code == .tenantRequired ? onMissing : onRejected
            return await gate.respond(to: rejection, of: request, custom: custom)
        }
    }
}
