/// How resolving a request's tenant ended.
public enum ResolutionResult: String, Hashable, Sendable, CaseIterable {
    /// A known, active tenant was found.
    case resolved
    /// No strategy found a tenant.
    case missing
    /// A strategy found a value that is not a valid tenant ID.
    case invalid
    /// The ID is valid but no such tenant exists.
    case unknown
    /// The tenant exists but is suspended.
    case suspended
    /// The ID is valid but the tenant config store failed to answer; the request was refused with 503
    /// `tenant_backend_unavailable` (the config backend always fails closed).
    case error
}

/// A tenant resolution decision.
public struct ResolutionEvent: Sendable {
    /// How resolution ended.
    public var result: ResolutionResult
    /// The strategy that produced the value (`principal`, `header`, `subdomain`, `query` or a custom name);
    /// `nil` when nothing was found.
    public var source: String?
    /// The tenant, for ``ResolutionResult/resolved``, ``ResolutionResult/unknown``,
    /// ``ResolutionResult/suspended`` and ``ResolutionResult/error``. An unknown ID is attacker-controlled,
    /// and so is one the store failed to look up: never use either as a metric label.
    public var tenant: TenantID?

    /// Creates an event.
    public init(result: ResolutionResult, source: String?, tenant: TenantID?) {
        self.result = result
        self.source = source
        self.tenant = tenant
    }
}

/// A policy decision for a resolved tenant.
public struct PolicyEvent: Sendable {
    /// The tenant.
    public var tenant: TenantID
    /// The decision.
    public var decision: PolicyDecision

    /// Creates an event.
    public init(tenant: TenantID, decision: PolicyDecision) {
        self.tenant = tenant
        self.decision = decision
    }
}

/// A quota decision for a resolved tenant.
public struct QuotaEvent: Sendable {
    /// How the quota check ended.
    public enum Outcome: Sendable, Equatable {
        /// The cost fit and was consumed.
        case allowed
        /// The cost did not fit; the dimension of the limit that refused it.
        case rejected(QuotaDimension)
        /// The cost was malformed (negative tokens); nothing was consumed.
        case invalidCost
        /// The quota backend failed.
        case backendError(TenancyError)
    }

    /// The tenant.
    public var tenant: TenantID
    /// How the check ended.
    public var outcome: Outcome
    /// What the request asked to consume; tokens are reported only when it was allowed.
    public var cost: QuotaCost
    /// The full decision, when the engine produced one.
    public var decision: QuotaDecision?

    /// Creates an event.
    public init(tenant: TenantID, outcome: Outcome, cost: QuotaCost, decision: QuotaDecision?) {
        self.tenant = tenant
        self.outcome = outcome
        self.cost = cost
        self.decision = decision
    }
}

/// How the tenant gate ended for a request; the `outcome` label of `tenancy_requests_total`.
public enum RequestOutcome: String, Hashable, Sendable, CaseIterable {
    /// Admitted: the handler ran, whatever it answered.
    case allowed
    /// Refused by the tenant's policy (403).
    case policyDenied = "policy_denied"
    /// Refused by the tenant's quota (429).
    case quotaRejected = "quota_rejected"
    /// Refused for malformed input such as a negative token count (400).
    case badRequest = "bad_request"
    /// A backend failed (503).
    case error
}

/// A finished request.
public struct CompletionEvent: Sendable {
    /// The resolved tenant, or `nil` when none was resolved (then no per-tenant metric is recorded).
    public var tenant: TenantID?
    /// How the gate ended, or `nil` when no tenant was resolved.
    public var outcome: RequestOutcome?
    /// The HTTP status sent.
    public var status: Int
    /// From the first middleware to the response written.
    public var duration: Duration

    /// Creates an event.
    public init(tenant: TenantID?, outcome: RequestOutcome?, status: Int, duration: Duration) {
        self.tenant = tenant
        self.outcome = outcome
        self.status = status
        self.duration = duration
    }
}

/// A change made through the admin service, for audit logs.
public struct AdminEvent: Sendable {
    /// What changed.
    public enum Action: String, Hashable, Sendable, CaseIterable {
        /// A tenant was created.
        case created
        /// A tenant was replaced.
        case replaced
        /// A tenant's quota was replaced.
        case quotaUpdated = "quota_updated"
        /// A tenant's policy was replaced.
        case policyUpdated = "policy_updated"
        /// A tenant was deleted.
        case deleted
    }

    /// What changed.
    public var action: Action
    /// The tenant.
    public var tenant: TenantID
    /// The version after the change (the deleted version for deletes).
    public var version: Int64
    /// Who made the change, when the caller knows (for example the admin token's name).
    public var actor: String?

    /// Creates an event.
    public init(action: Action, tenant: TenantID, version: Int64, actor: String?) {
        self.action = action
        self.tenant = tenant
        self.version = version
        self.actor = actor
    }
}

/// One statement run through a cross-tenant (admin) data scope, which sees and changes every tenant's
/// rows; for audit logs.
public struct CrossTenantAccessEvent: Sendable {
    /// What the statement does.
    public enum Operation: String, Hashable, Sendable, CaseIterable {
        /// Reads rows (`SELECT`, `count(*)`).
        case read
        /// Inserts rows.
        case insert
        /// Updates rows.
        case update
        /// Deletes rows.
        case delete
    }

    /// What the statement does.
    public var operation: Operation
    /// The table the statement is about (its first table).
    public var table: String
    /// Why the scope was opened, as its creator said.
    public var reason: String
    /// Who opened the scope, when the caller knows.
    public var actor: String?

    /// Creates an event.
    /// - Parameters:
    ///   - operation: What the statement does.
    ///   - table: The table it is about.
    ///   - reason: Why the scope was opened.
    ///   - actor: Who opened it.
    public init(operation: Operation, table: String, reason: String, actor: String?) {
        self.operation = operation
        self.table = table
        self.reason = reason
        self.actor = actor
    }
}
