/// The ``QuotaEngine`` the gate uses: counts each tenant with the algorithm its ``QuotaConfig`` names.
///
/// The three algorithms share one store; when a tenant's algorithm or windows change, its old state is
/// discarded (the layout tag no longer matches) and counting starts afresh.
public struct QuotaEnforcer: SynchronousQuotaEngine {
    /// One reference, so that a copy of the enforcer (a gate holds one) is one retain, not a dozen.
    private let runners: Runners

    /// The three runners over the one store and clock.
    private final class Runners: Sendable {
        let fixedWindow: QuotaRunner<FixedWindowRules>
        let slidingWindow: QuotaRunner<SlidingWindowRules>
        let tokenBucket: QuotaRunner<TokenBucketRules>

        /// One runner per algorithm over `store`, reading `clock`.
        init(store: any QuotaStore, clock: any TenancyClock) {
            fixedWindow = QuotaRunner(store: store, clock: clock)
            slidingWindow = QuotaRunner(store: store, clock: clock)
            tokenBucket = QuotaRunner(store: store, clock: clock)
        }
    }

    /// Creates an enforcer.
    /// - Parameters:
    ///   - store: Where per-tenant state lives; in this process by default.
    ///   - clock: The source of time; the coarse system clock (whole-second decisions need no more) by default.
    public init(store: any QuotaStore = InMemoryQuotaStore(), clock: any TenancyClock = SystemClock.coarse) {
        runners = Runners(store: store, clock: clock)
    }

    // Inlinable for the reason given on FixedWindowQuota.consume.
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
        switch quota.algorithm {
        case .fixedWindow: try await runners.fixedWindow.consume(cost, for: tenant, under: quota)
        case .slidingWindow: try await runners.slidingWindow.consume(cost, for: tenant, under: quota)
        case .tokenBucket: try await runners.tokenBucket.consume(cost, for: tenant, under: quota)
        }
    }

    public func consumeSynchronously(
        _ cost: QuotaCost, for tenant: TenantID, under quota: QuotaConfig
    ) throws(TenancyError) -> QuotaDecision? {
        switch quota.algorithm {
        case .fixedWindow: try runners.fixedWindow.consumeSynchronously(cost, for: tenant, under: quota)
        case .slidingWindow: try runners.slidingWindow.consumeSynchronously(cost, for: tenant, under: quota)
        case .tokenBucket: try runners.tokenBucket.consumeSynchronously(cost, for: tenant, under: quota)
        }
    }

    public func usage(of tenant: TenantID, under quota: QuotaConfig) async throws(TenancyError) -> QuotaUsage {
        switch quota.algorithm {
        case .fixedWindow: try await runners.fixedWindow.usage(of: tenant, under: quota)
        case .slidingWindow: try await runners.slidingWindow.usage(of: tenant, under: quota)
        case .tokenBucket: try await runners.tokenBucket.usage(of: tenant, under: quota)
        }
    }
}
