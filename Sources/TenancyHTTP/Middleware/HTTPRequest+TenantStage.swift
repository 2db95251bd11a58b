import Tenancy

extension HTTPRequest {
    /// The config a policy step must check: `nil` only when there is no tenant (as allowed). A request that
    /// an outer step already admitted is still checked, so a requirement added by an inner group is never
    /// skipped (its quota was spent by then: put policy steps before quota steps).
    /// - Throws: ``HTTPError`` with ``HTTPError/Code/misconfigured`` when no resolver has run, so a chain in
    ///   the wrong order refuses every request instead of letting them all through.
    func tenantForPolicy(by step: Any.Type) throws(HTTPError) -> TenantConfig? {
        switch tenantStage {
        case .unresolved:
            throw HTTPError(.misconfigured, "\(step) runs before TenantResolverMiddleware; put the resolver first")
        case .missingAllowed:
            return nil
        case .resolved, .policyChecked, .admitted:
            return tenantConfig
        }
    }

    /// The config a quota step must charge, and whether a policy step has already allowed the request:
    /// `nil` when there is no tenant (as allowed) or an outer step already charged this request, which is
    /// never charged twice.
    /// - Throws: ``HTTPError`` with ``HTTPError/Code/misconfigured`` when no resolver has run.
    func tenantForQuota(by step: Any.Type) throws(HTTPError) -> (config: TenantConfig, policyChecked: Bool)? {
        switch tenantStage {
        case .unresolved:
            throw HTTPError(.misconfigured, "\(step) runs before TenantResolverMiddleware; put the resolver first")
        case .missingAllowed, .admitted:
            return nil
        case .resolved, .policyChecked:
            return tenantConfig.map { ($0, tenantStage == .policyChecked) }
        }
    }
}
