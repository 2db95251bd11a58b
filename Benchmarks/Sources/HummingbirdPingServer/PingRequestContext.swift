import Hummingbird
import Synchronization
import Tenancy

/// The request context of the Hummingbird ping server: Hummingbird's core storage plus what our
/// middleware stack carries on `HTTPRequest` (the request ID, the admitted tenant, and the record the
/// tenant middleware leaves for the completion middleware).
struct PingRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// Set by ``PingRequestIDMiddleware``.
    var requestID = ""
    /// Set by ``PingTenantMiddleware`` for an admitted request.
    var tenant: TenantID?
    /// Set by ``PingCompletionMiddleware``; contexts are passed down by value, so the tenant middleware
    /// reports back through this shared record, as ours does.
    var completion: CompletionRecord?

    init(source: Source) {
        coreContext = .init(source: source)
    }
}

/// The tenant and outcome the tenant middleware decided, read by the completion middleware after the
/// response: the same one-allocation, one-lock record as `TenancyHTTP`'s.
final class CompletionRecord: Sendable {
    private let state = Mutex<(tenant: TenantID?, outcome: RequestOutcome?)>((nil, nil))

    /// What was recorded last.
    var value: (tenant: TenantID?, outcome: RequestOutcome?) { state.withLock { $0 } }

    /// Records a tenant and outcome, replacing what an earlier step recorded.
    func record(tenant: TenantID?, outcome: RequestOutcome?) {
        state.withLock { $0 = (tenant, outcome) }
    }
}
