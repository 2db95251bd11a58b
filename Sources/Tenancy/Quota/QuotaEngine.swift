/// A quota algorithm: decides whether a cost fits a tenant's limits and consumes it if so.
///
/// Implementations are ``FixedWindowQuota``, ``SlidingWindowQuota`` and ``TokenBucketQuota``;
/// ``QuotaEnforcer`` picks among them by each tenant's configured algorithm. All read time from an injected
/// ``TenancyClock`` and keep state in a ``QuotaStore``.
public protocol QuotaEngine: Sendable {
    /// Checks `cost` against every limit of `quota`; consumes it in all of them if it fits all of them, and
    /// in none otherwise.
    /// - Parameters:
    ///   - cost: What the call consumes.
    ///   - tenant: Whose quota.
    ///   - quota: The tenant's quota config.
    /// - Returns: The decision, with remaining units and reset or retry times.
    /// - Throws: ``TenancyError`` with ``TenancyError/Code/invalidCost`` for a negative cost,
    ///   ``TenancyError/Code/invalidConfiguration`` for a quota the engine cannot count, or
    ///   ``TenancyError/Code/backendUnavailable`` when the store fails.
    func consume(_ cost: QuotaCost, for tenant: TenantID, under quota: QuotaConfig) async throws(TenancyError)
        -> QuotaDecision

    /// Reports usage of every limit without consuming anything.
    /// - Parameters:
    ///   - tenant: Whose quota.
    ///   - quota: The tenant's quota config.
    /// - Returns: One entry per limited dimension of every limit.
    /// - Throws: ``TenancyError`` as for ``consume(_:for:under:)``.
    func usage(of tenant: TenantID, under quota: QuotaConfig) async throws(TenancyError) -> QuotaUsage
}

/// A ``QuotaEngine`` that can decide without suspending when its store is in-process. The gate detects it
/// once and calls ``consumeSynchronously(_:for:under:)`` first.
public protocol SynchronousQuotaEngine: QuotaEngine {
    /// Exactly ``QuotaEngine/consume(_:for:under:)``, without suspending, when this engine's store is a
    /// ``SynchronousQuotaStore``.
    /// - Parameters:
    ///   - cost: What the call consumes.
    ///   - tenant: Whose quota.
    ///   - quota: The tenant's quota config.
    /// - Returns: The decision, or `nil` when the store is remote and ``QuotaEngine/consume(_:for:under:)``
    ///   must be awaited instead (nothing was consumed).
    /// - Throws: As ``QuotaEngine/consume(_:for:under:)``.
    func consumeSynchronously(_ cost: QuotaCost, for tenant: TenantID, under quota: QuotaConfig) throws(TenancyError)
        -> QuotaDecision?
}
