/// Receives every tenancy decision: resolution, policy, quota, request completion and admin changes.
///
/// `TenantMetrics` is one observer and an audit log is another. Implementations must not block and
/// cannot throw: they run on the request path, so hand slow work to a queue. Every method has an empty
/// default, so implement only what you need.
public protocol TenancyObserver: Sendable {
    /// Called once per request when tenant resolution ends.
    func tenantResolved(_ event: ResolutionEvent)
    /// Called once per request whose tenant was resolved, after the policy check.
    func policyEvaluated(_ event: PolicyEvent)
    /// Called once per request that passed policy, after the quota check.
    func quotaEvaluated(_ event: QuotaEvent)
    /// Called once per request when its response has been written.
    func requestCompleted(_ event: CompletionEvent)
    /// Called after each change made through the admin service.
    func adminChanged(_ event: AdminEvent)
    /// Called before each statement run through a cross-tenant data scope, which bypasses tenant isolation.
    func crossTenantAccessed(_ event: CrossTenantAccessEvent)
}

extension TenancyObserver {
    /// Does nothing.
    public func tenantResolved(_ event: ResolutionEvent) {}
    /// Does nothing.
    public func policyEvaluated(_ event: PolicyEvent) {}
    /// Does nothing.
    public func quotaEvaluated(_ event: QuotaEvent) {}
    /// Does nothing.
    public func requestCompleted(_ event: CompletionEvent) {}
    /// Does nothing.
    public func adminChanged(_ event: AdminEvent) {}
    /// Does nothing.
    public func crossTenantAccessed(_ event: CrossTenantAccessEvent) {}
}

/// Several observers behind one, called in registration order.
public struct TenancyObservers: TenancyObserver {
    /// The observers, in call order.
    public var observers: [any TenancyObserver]

    /// Creates a fan-out.
    /// - Parameter observers: The observers, in call order.
    public init(_ observers: [any TenancyObserver] = []) {
        self.observers = observers
    }

    /// Whether there is nobody to tell (the gate then skips building events).
    public var isEmpty: Bool { observers.isEmpty }

    public func tenantResolved(_ event: ResolutionEvent) {
        for observer in observers { observer.tenantResolved(event) }
    }

    public func policyEvaluated(_ event: PolicyEvent) {
        for observer in observers { observer.policyEvaluated(event) }
    }

    public func quotaEvaluated(_ event: QuotaEvent) {
        for observer in observers { observer.quotaEvaluated(event) }
    }

    public func requestCompleted(_ event: CompletionEvent) {
        for observer in observers { observer.requestCompleted(event) }
    }

    public func adminChanged(_ event: AdminEvent) {
        for observer in observers { observer.adminChanged(event) }
    }

    public func crossTenantAccessed(_ event: CrossTenantAccessEvent) {
        for observer in observers { observer.crossTenantAccessed(event) }
    }
}
