import Tenancy

/// Every child series of one tenant, created (at zero) together when the tenant is first seen, so that
/// recording a request costs a handle lookup and a few atomic operations.
///
/// The shared overflow handles carry `tenant_id="__other__"` and the per-family overflow counters, which
/// each recording through them increments as well.
final class TenantHandles: Sendable {
    /// The per-family overflow counters of the `__other__` handles.
    struct Overflow: Sendable {
        let requests: Counter
        let duration: Counter
        let quotaRejections: Counter
        let policyDenials: Counter
        let tokens: Counter
    }

    /// The tracked tenant the series carry; `nil` for the overflow handles.
    let tracked: TrackedLabelValue?
    /// `requests_total`, indexed by ``index(of:)-(RequestOutcome)``.
    let requests: [Counter]
    let duration: Histogram
    /// `quota_rejections_total`, indexed by ``index(of:)-(QuotaDimension)``.
    let quotaRejections: [Counter]
    /// `policy_denials_total`, indexed by ``index(of:)-(PolicyDenialReason)``.
    let policyDenials: [Counter]
    let tokens: Counter
    let overflow: Overflow?

    init(
        tracked: TrackedLabelValue?, requests: [Counter], duration: Histogram, quotaRejections: [Counter],
        policyDenials: [Counter], tokens: Counter, overflow: Overflow?
    ) {
        self.tracked = tracked
        self.requests = requests
        self.duration = duration
        self.quotaRejections = quotaRejections
        self.policyDenials = policyDenials
        self.tokens = tokens
        self.overflow = overflow
    }

    /// Whether the handles may be cached: every series carries ``tracked`` (a lookup can race an expiry
    /// and pick up a series of the expired generation) and it has not expired.
    var isCurrent: Bool {
        guard let tracked, !tracked.isExpired else { return false }
        let all: [any FamilyChild] = requests + quotaRejections + policyDenials + [duration, tokens]
        return all.allSatisfy { $0.series.tracked === tracked }
    }

    /// Records a finished request: its outcome and, when admitted, its duration.
    /// Hot path: two or three relaxed atomic operations (plus as many overflow increments).
    @inline(__always)
    func recordCompletion(_ outcome: RequestOutcome, duration elapsed: Duration) {
        requests[Self.index(of: outcome)].increment()
        overflow?.requests.increment()
        guard outcome == .allowed else { return }
        duration.observe(elapsed)
        overflow?.duration.increment()
    }

    /// Records a quota rejection in `dimension`.
    func recordQuotaRejection(_ dimension: QuotaDimension) {
        quotaRejections[Self.index(of: dimension)].increment()
        overflow?.quotaRejections.increment()
    }

    /// Records a policy denial for `reason`.
    func recordPolicyDenial(_ reason: PolicyDenialReason) {
        policyDenials[Self.index(of: reason)].increment()
        overflow?.policyDenials.increment()
    }

    /// Records tokens consumed by an admitted request.
    func recordTokens(_ count: Int64) {
        guard count > 0 else { return }
        tokens.increment(by: UInt64(count))
        overflow?.tokens.increment()
    }

    static func index(of outcome: RequestOutcome) -> Int {
        switch outcome {
        case .allowed: 0
        case .policyDenied: 1
        case .quotaRejected: 2
        case .badRequest: 3
        case .error: 4
        }
    }

    static func index(of dimension: QuotaDimension) -> Int {
        switch dimension {
        case .requests: 0
        case .tokens: 1
        }
    }

    static func index(of reason: PolicyDenialReason) -> Int {
        switch reason {
        case .model: 0
        case .tool: 1
        case .method: 2
        case .path: 3
        }
    }
}
