/// A QuotaEngine with sliding-window counting (Cloudflare's weighted-previous-window counter): no burst across window boundaries, two counters per limit and dimension, exact integer arithmetic.
///
/// The engine ignores QuotaConfig/algorithm; use QuotaEnforcer to follow each tenant's choice.
public struct SlidingWindowQuota: SynchronousQuotaEngine {
    private let runner: QuotaRunner<SlidingWindowRules>

    /// Creates the engine.
    /// - Parameters:
    ///   - store: Where per-tenant state lives; may be shared with the other engines.
    ///   - clock: The source of time; the coarse system clock (whole-second decisions need no more) by default.
    public init(store: any QuotaStore, clock: any TenancyClock = SystemClock.coarse) {
        runner = QuotaRunner(store: store, clock: clock)
    }

    // Inlinable so that an in-process store decides inside the caller's async frame: a frame of its own
    // costs a task-allocator round trip, a fifth of the whole decision.
    @inlinable
    public func consume(_ cost: QuotaCost, for tenant: TenantID, under quota: QuotaConfig) async throws(TenancyError)
        -> QuotaDecision
    {
        if let decision = try consumeSynchronously(cost, for: tenant, under: quota) { return decision }
        return try await consumeSuspending(cost, for: tenant, under: quota)
    }

    /// The decision over a store that may suspend.
    @usableFromInline
    func consumeSuspending(_ cost: QuotaCost, for tenant: TenantID, under quota: QuotaConfig) async throws(TenancyError)
        -> QuotaDecision
    {
        try await runner.consume(cost, for: tenant, under: quota)
    }

    public func consumeSynchronously(
        _ cost: QuotaCost, for tenant: TenantID, under quota: QuotaConfig
    ) throws(TenancyError) -> QuotaDecision? {
        try runner.consumeSynchronously(cost, for: tenant, under: quota)
    }

    public func usage(of tenant: TenantID, under quota: QuotaConfig) async throws(TenancyError) -> QuotaUsage {
        try await runner.usage(of: tenant, under: quota)
    }
}
