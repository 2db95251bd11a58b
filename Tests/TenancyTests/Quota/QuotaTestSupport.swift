@testable import Tenancy

/// The engine that counts with `algorithm`, over `store` and `clock`.
func makeQuotaEngine(_ algorithm: QuotaAlgorithm, store: any QuotaStore, clock: any TenancyClock) -> any QuotaEngine {
    switch algorithm {
    case .fixedWindow: FixedWindowQuota(store: store, clock: clock)
    case .slidingWindow: SlidingWindowQuota(store: store, clock: clock)
    case .tokenBucket: TokenBucketQuota(store: store, clock: clock)
    }
}

extension QuotaEngine {
    /// Consumes `cost` `times` times in a row.
    /// - Returns: How many of the calls were allowed.
    func admitted(
        _ times: Int, _ cost: QuotaCost = QuotaCost(), for tenant: TenantID, under quota: QuotaConfig
    ) async throws -> Int {
        var allowed = 0
        for _ in 0..<times where try await consume(cost, for: tenant, under: quota).isAllowed {
            allowed += 1
        }
        return allowed
    }

    /// Calls `consume` `calls` times at once from a task group.
    /// - Returns: How many of the calls were allowed.
    func admittedConcurrently(
        _ calls: Int, _ cost: QuotaCost = QuotaCost(), for tenant: TenantID, under quota: QuotaConfig
    ) async throws -> Int {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<calls {
                group.addTask { try await consume(cost, for: tenant, under: quota).isAllowed }
            }
            var allowed = 0
            for try await isAllowed in group where isAllowed { allowed += 1 }
            return allowed
        }
    }
}

extension QuotaConfig {
    /// A quota with one limit.
    static func one(
        _ algorithm: QuotaAlgorithm, _ window: QuotaWindow, requests: Int64 = 0, tokens: Int64 = 0
    ) -> QuotaConfig {
        QuotaConfig(algorithm: algorithm, limits: [QuotaLimit(window: window, requests: requests, tokens: tokens)])
    }
}
