import Tenancy

/// The gate's second step as middleware: the resolved tenant's policy (models, tools, methods, paths).
///
/// Runs after ``TenantResolverMiddleware``; a denial is 403 `tenant_policy_denied` naming the reason, and
/// spends no quota because ``TenantQuotaMiddleware`` runs after it. A request without a tenant (allowed by
/// the gate's configuration) passes; a request that no resolver has seen is answered `500`
/// (`misconfigured`), so a mis-ordered chain fails closed.
public struct TenantPolicyMiddleware: Middleware {
    /// The gate whose policy step runs.
    public let gate: AdmissionGate
    /// What the routes behind this middleware need (a model, a tool).
    public let requirements: PolicyRequirements
    /// The response to a denial; the gate's 403 problem when `nil`.
    public let onDenied: RejectionResponder?

    /// Creates the middleware.
    /// - Parameters:
    ///   - gate: The gate; its configuration names the model and tool headers.
    ///   - requirements: What the routes need; a required model or tool must be present even when the
    ///     tenant's allow-list is empty.
    ///   - onDenied: A custom response to a denial.
    public init(gate: AdmissionGate, requirements: PolicyRequirements = [], onDenied: RejectionResponder? = nil) {
        self.gate = gate
        self.requirements = requirements
        self.onDenied = onDenied
    }

    /// Checks the policy, then runs `next`, or answers the denial.
    /// - Parameters:
    ///   - request: The request, after the resolver.
    ///   - next: The rest of the chain.
    /// - Returns: The response.
    /// - Throws: ``HTTPError`` with ``HTTPError/Code/misconfigured`` before the resolver; what `next` throws.
    public func respond(to request: HTTPRequest, next: HTTPResponder) async throws -> HTTPResponse {
        guard let config = try request.tenantForPolicy(by: Self.self) else { return try await next(request) }
        if let denial = gate.checkPolicy(request.admissionRequest, config: config, requirements: requirements) {
            return await gate.respond(to: denial, of: request, custom: onDenied)
        }
        guard request.tenantStage == .resolved else { return try await next(request) }
        var checked = request
        checked.tenantStage = .policyChecked
        return try await next(checked)
    }
}
