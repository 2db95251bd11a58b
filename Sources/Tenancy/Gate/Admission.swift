/// The gate's verdict on a request.
public enum Admission: Sendable {
    /// The handler may run.
    case admitted(AdmittedRequest)
    /// The request is refused; send the rejection as the response.
    // Indirect: a rejection is large (strings, fields, extensions) and rare, and every admission is moved a
    // few times on the request path; boxed, an `Admission` is only as large as an `AdmittedRequest`.
    indirect case rejected(AdmissionRejection)

    /// The admitted request, or `nil` when rejected.
    public var admitted: AdmittedRequest? {
        if case .admitted(let request) = self { return request }
        return nil
    }

    /// The rejection, or `nil` when admitted.
    public var rejection: AdmissionRejection? {
        if case .rejected(let rejection) = self { return rejection }
        return nil
    }
}

/// A request the gate let through, with what the handler and the response need.
public struct AdmittedRequest: Sendable {
    /// The tenant's config; `nil` only when no tenant was found and missing tenants are allowed.
    public var config: TenantConfig?
    /// The quota decision; `nil` when no tenant was found or the quota backend failed open.
    public var quota: QuotaDecision?
    /// What was consumed.
    public var cost: QuotaCost

    /// Creates an admitted request.
    public init(config: TenantConfig?, quota: QuotaDecision?, cost: QuotaCost) {
        self.config = config
        self.quota = quota
        self.cost = cost
    }

    /// The tenant; `nil` only when no tenant was found and missing tenants are allowed.
    public var tenant: TenantID? { config?.id }

    /// `RateLimit-Policy`, `RateLimit` and `X-Quota-Remaining-*` for the response; empty when the quota is
    /// unlimited. Rendered on demand so the admission itself does not format strings.
    public var responseHeaders: [HeaderField] {
        guard let config, let quota else { return [] }
        return RateLimitHeaders.fields(for: config.quota, decision: quota)
    }
}
