import Tenancy

/// The whole tenant gate as one middleware: resolve, policy, quota, in that order, through one call of
/// `AdmissionGate.admit`, the fastest path. The admitted tenant is bound in `TenantContext` for the
/// handler and set as ``HTTPRequest/tenantConfig`` and ``HTTPRequest/quota``; the quota's rate-limit
/// fields are added to the response. Use the three step middlewares instead to customise each refusal
/// separately or to put other middleware between the steps.
///
/// Behind another tenant step (a resolver, or a `TenantMiddleware` of an outer group), it does not resolve
/// again: it checks its own ``requirements`` against the tenant already found, and charges the quota only
/// if no outer step has, so nested groups never charge a request twice nor skip an inner requirement.
public struct TenantMiddleware: Middleware {
    /// The gate.
    public let gate: AdmissionGate
    /// What the routes behind this middleware need (a model, a tool).
    public let requirements: PolicyRequirements
    /// The request's exact token count when the route knows it; otherwise the gate's header and estimator.
    public let tokens: (@Sendable (HTTPRequest) -> Int64?)?
    /// The response to any refusal (switch on its `code`); the gate's problem when `nil`.
    public let onRejected: RejectionResponder?

    /// Creates the middleware.
    /// - Parameters:
    ///   - gate: The gate.
    ///   - requirements: What the routes need.
    ///   - tokens: The exact token count of a request, when known.
    ///   - onRejected: A custom response to any refusal.
    public init(
        gate: AdmissionGate, requirements: PolicyRequirements = [], tokens: (@Sendable (HTTPRequest) -> Int64?)? = nil,
        onRejected: RejectionResponder? = nil
    ) {
        self.gate = gate
        self.requirements = requirements
        self.tokens = tokens
        self.onRejected = onRejected
    }

    /// Admits the request and runs `next` with the tenant bound, or answers the refusal.
    /// - Parameters:
    ///   - request: The request.
    ///   - next: The rest of the chain.
    /// - Returns: The response.
    /// - Throws: What `next` throws.
    public func respond(to request: HTTPRequest, next: HTTPResponder) async throws -> HTTPResponse {
        switch request.tenantStage {
        case .unresolved:
            break
        case .missingAllowed:
            return try await next(request)
        case .resolved, .policyChecked, .admitted:
            // An outer step already resolved the tenant: check this middleware's requirements too (an inner
            // group's `.model` must not be skipped) and charge the quota only if no outer step did (nested
            // tenant middleware must not charge twice).
            guard let config = request.tenantConfig else { return try await next(request) }
            if let denial = gate.checkPolicy(request.admissionRequest, config: config, requirements: requirements) {
                return await gate.respond(to: denial, of: request, custom: onRejected)
            }
            guard request.tenantStage != .admitted else { return try await next(request) }
            return try await gate.charge(request, config: config, tokens: tokens?(request), onRejected: onRejected, next: next)
        }
        switch await gate.admit(request.admissionRequest, requirements: requirements, tokens: tokens?(request)) {
        case .admitted(let admitted):
            return try await gate.proceed(
                request, config: admitted.config, quota: admitted.quota,
                stage: admitted.config == nil ? .missingAllowed : .admitted, bind: true,
                fields: admitted.responseHeaders, next: next)
        case .rejected(let rejection):
            return await gate.respond(to: rejection, of: request, custom: onRejected)
        }
    }
}
