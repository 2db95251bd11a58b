/// How far the tenant middleware has taken a request.
enum TenantStage: Sendable {
    /// No tenant middleware has run.
    case unresolved
    /// The resolver found no tenant and the gate allows that: no policy or quota applies.
    case missingAllowed
    /// A known, active tenant (``HTTPRequest/tenantConfig``); policy and quota still to run.
    case resolved
    /// Resolved, and a policy step allowed it; quota still to run.
    case policyChecked
    /// Fully admitted, quota consumed.
    case admitted
}
