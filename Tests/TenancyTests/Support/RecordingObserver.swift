@testable import Tenancy

/// Records every event, for assertions on what the gate and the admin service report.
final class RecordingObserver: TenancyObserver {
    enum Event: Sendable {
        case resolved(ResolutionEvent)
        case policy(PolicyEvent)
        case quota(QuotaEvent)
        case completed(CompletionEvent)
        case admin(AdminEvent)
    }

    private let recorded = Synchronized<[Event]>([])

    var events: [Event] { recorded.withLock { $0 } }

    var resolutions: [ResolutionEvent] {
        events.compactMap { if case .resolved(let event) = $0 { event } else { nil } }
    }

    var policies: [PolicyEvent] {
        events.compactMap { if case .policy(let event) = $0 { event } else { nil } }
    }

    var quotas: [QuotaEvent] {
        events.compactMap { if case .quota(let event) = $0 { event } else { nil } }
    }

    var admins: [AdminEvent] {
        events.compactMap { if case .admin(let event) = $0 { event } else { nil } }
    }

    func tenantResolved(_ event: ResolutionEvent) { recorded.withLock { $0.append(.resolved(event)) } }
    func policyEvaluated(_ event: PolicyEvent) { recorded.withLock { $0.append(.policy(event)) } }
    func quotaEvaluated(_ event: QuotaEvent) { recorded.withLock { $0.append(.quota(event)) } }
    func requestCompleted(_ event: CompletionEvent) { recorded.withLock { $0.append(.completed(event)) } }
    func adminChanged(_ event: AdminEvent) { recorded.withLock { $0.append(.admin(event)) } }
}

/// A config store whose every call fails, as a database that went away.
struct FailingConfigStore: TenantConfigStore {
    static let error = TenancyError(.backendUnavailable, "database is down")

    func config(for id: TenantID) throws(TenancyError) -> TenantConfig? { throw Self.error }
    func upsert(_ config: TenantConfig, condition: WriteCondition) throws(TenancyError) -> TenantConfig { throw Self.error }
    func delete(_ id: TenantID, condition: WriteCondition) throws(TenancyError) -> TenantConfig { throw Self.error }
    func list(after: TenantID?, limit: Int) throws(TenancyError) -> TenantPage { throw Self.error }
    func onChange(_ handler: @escaping @Sendable (TenantConfigChange) -> Void) -> TenantConfigSubscription {
        TenantConfigSubscription {}
    }
}

/// A config store that serves one config as stored, unvalidated: what a store that skips validation would.
struct FixedConfigStore: TenantConfigStore {
    let config: TenantConfig

    func config(for id: TenantID) -> TenantConfig? { id == config.id ? config : nil }
    func upsert(_ config: TenantConfig, condition: WriteCondition) throws(TenancyError) -> TenantConfig {
        throw TenancyError(.backendUnavailable, "read-only")
    }
    func delete(_ id: TenantID, condition: WriteCondition) throws(TenancyError) -> TenantConfig {
        throw TenancyError(.backendUnavailable, "read-only")
    }
    func list(after: TenantID?, limit: Int) -> TenantPage { TenantPage(tenants: [config], nextAfter: nil) }
    func onChange(_ handler: @escaping @Sendable (TenantConfigChange) -> Void) -> TenantConfigSubscription {
        TenantConfigSubscription {}
    }
}

/// Another store's configs through the plain `SynchronousTenantConfigStore` protocol, so a gate over it takes
/// the general lookup (an `InMemoryTenantConfigStore` is also looked up by raw ID).
struct ForwardingConfigStore: SynchronousTenantConfigStore {
    let base: InMemoryTenantConfigStore

    func configSynchronously(for id: TenantID) -> TenantConfig? { base.configSynchronously(for: id) }
    func config(for id: TenantID) -> TenantConfig? { base.configSynchronously(for: id) }
    func upsert(_ config: TenantConfig, condition: WriteCondition) throws(TenancyError) -> TenantConfig {
        try base.upsert(config, condition: condition)
    }
    func delete(_ id: TenantID, condition: WriteCondition) throws(TenancyError) -> TenantConfig {
        try base.delete(id, condition: condition)
    }
    func list(after: TenantID?, limit: Int) throws(TenancyError) -> TenantPage { try base.list(after: after, limit: limit) }
    func onChange(_ handler: @escaping @Sendable (TenantConfigChange) -> Void) -> TenantConfigSubscription {
        base.onChange(handler)
    }
}

/// A quota store whose every call fails, as a Redis that went away.
struct FailingQuotaStore: QuotaStore {
    func withState<R: Sendable>(
        of tenant: TenantID, now: Timestamp, _ body: (inout QuotaState) -> R
    ) throws(TenancyError) -> R {
        throw TenancyError(.backendUnavailable, "quota store is down")
    }

    func removeState(of tenant: TenantID) throws(TenancyError) {
        throw TenancyError(.backendUnavailable, "quota store is down")
    }
}

extension TenantID {
    /// A tenant ID from a literal known to be valid, for tests.
    static func valid(_ raw: String) -> TenantID {
        TenantID(validating: raw)!
    }
}
