import Tenancy

/// The tenant and gate outcome of one request, written by the tenant middleware and read by
/// ``RequestCompletionMiddleware`` after the handler, whatever happened in between.
final class CompletionRecord: Sendable {
    private let state = Synchronized<(tenant: TenantID?, outcome: RequestOutcome?)>((nil, nil))

    /// What was recorded last.
    var value: (tenant: TenantID?, outcome: RequestOutcome?) { state.withLock { $0 } }

    /// Records a tenant and outcome, replacing what an earlier step recorded.
    func record(tenant: TenantID?, outcome: RequestOutcome?) {
        state.withLock { $0 = (tenant, outcome) }
    }
}
