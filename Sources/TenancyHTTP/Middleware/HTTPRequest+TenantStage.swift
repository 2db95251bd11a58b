import Tenancy

extension HTTPRequest {
    /// The config a policy or quota step must check: `nil` when there is nothing to check (no tenant, as
    /// allowed, or already fully admitted).
    /// - Throws: ``HTTPError`` with ``HTTPError/Code/misconfigured`` when no resolver has run, so a chain in
    ///   the wrong order refuses every request instead of letting them all through.
    func tenantToCheck(by step: Any.Type) throws(HTTPError) -> TenantConfig? {
        switch tenantStage {
        case .unresolved:
            throw HTTPError(.misconfigured, "\(step) runs before TenantResolverMiddleware; put the resolver first")
        case .missingAllowed, .admitted:
            return nil
        case .resolved:
            return tenantConfig
        }
    }
}
