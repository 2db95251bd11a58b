/// The operations behind the admin API, without HTTP: create, read, replace, delete and list tenants,
/// replace a tenant's quota or policy, and report its quota usage.
///
/// Writes are atomic in the store (create cannot race another create; `ifMatch` is checked by the store,
/// not read-then-written here), validated with field-level errors, and reported to the observers as
/// ``AdminEvent``s for the audit log. Stores notify their change handlers, so caches invalidate at once.
public struct TenantAdminService: Sendable {
    /// Where tenants live.
    public let store: any TenantConfigStore
    /// Counts quota, for usage reports.
    public let quota: any QuotaEngine
    /// Receive an ``AdminEvent`` after each change.
    public let observers: TenancyObservers

    /// Creates the service.
    /// - Parameters:
    ///   - store: Where tenants live.
    ///   - quota: The engine the gate uses, for usage reports.
    ///   - observers: Receive an ``AdminEvent`` after each change.
    public init(store: any TenantConfigStore, quota: any QuotaEngine, observers: TenancyObservers = .init()) {
        self.store = store
        self.quota = quota
        self.observers = observers
    }

    /// Creates a tenant.
    /// - Parameters:
    ///   - config: The tenant; version and timestamps are assigned.
    ///   - actor: Who asked, for the audit log.
    /// - Returns: The stored tenant, at version 1.
    /// - Throws: ``TenancyError`` with ``TenancyError/Code/tenantExists``,
    ///   ``TenancyError/Code/invalidConfiguration`` (with field errors) or ``TenancyError/Code/backendUnavailable``.
    public func create(_ config: TenantConfig, actor: String? = nil) async throws(TenancyError) -> TenantConfig {
        let stored = try await store.upsert(config, condition: .mustNotExist)
        observers.adminChanged(AdminEvent(action: .created, tenant: stored.id, version: stored.version, actor: actor))
        return stored
    }

    /// A tenant.
    /// - Parameter id: The tenant.
    /// - Returns: Its config.
    /// - Throws: ``TenancyError`` with ``TenancyError/Code/tenantNotFound`` or
    ///   ``TenancyError/Code/backendUnavailable``.
    public func tenant(_ id: TenantID) async throws(TenancyError) -> TenantConfig {
        guard let config = try await store.config(for: id) else {
            throw TenancyError(.tenantNotFound, "tenant '\(id)' does not exist")
        }
        return config
    }

    /// Replaces a tenant's config.
    /// - Parameters:
    ///   - config: The new config.
    ///   - ifMatch: The version the caller last read (`If-Match`); `nil` replaces whatever is stored.
    ///   - actor: Who asked, for the audit log.
    /// - Returns: The stored config.
    /// - Throws: ``TenancyError`` with ``TenancyError/Code/tenantNotFound``,
    ///   ``TenancyError/Code/versionConflict``, ``TenancyError/Code/invalidConfiguration`` or
    ///   ``TenancyError/Code/backendUnavailable``.
    public func replace(_ config: TenantConfig, ifMatch: Int64? = nil, actor: String? = nil) async throws(TenancyError)
        -> TenantConfig
    {
        let stored = try await store.upsert(config, condition: ifMatch.map(WriteCondition.version) ?? .mustExist)
        observers.adminChanged(AdminEvent(action: .replaced, tenant: stored.id, version: stored.version, actor: actor))
        return stored
    }

    /// Replaces a tenant's quota, keeping everything else.
    /// - Parameters:
    ///   - id: The tenant.
    ///   - quota: The new quota.
    ///   - ifMatch: The version the caller last read; `nil` applies it to the current version.
    ///   - actor: Who asked, for the audit log.
    /// - Returns: The stored config.
    /// - Throws: As ``replace(_:ifMatch:actor:)``.
    public func updateQuota(
        _ id: TenantID, _ quota: QuotaConfig, ifMatch: Int64? = nil, actor: String? = nil
    ) async throws(TenancyError) -> TenantConfig {
        let stored = try await modify(id, ifMatch: ifMatch) { $0.quota = quota }
        observers.adminChanged(AdminEvent(action: .quotaUpdated, tenant: id, version: stored.version, actor: actor))
        return stored
    }

    /// Replaces a tenant's policy, keeping everything else.
    /// - Parameters:
    ///   - id: The tenant.
    ///   - policy: The new policy.
    ///   - ifMatch: The version the caller last read; `nil` applies it to the current version.
    ///   - actor: Who asked, for the audit log.
    /// - Returns: The stored config.
    /// - Throws: As ``replace(_:ifMatch:actor:)``.
    public func updatePolicy(
        _ id: TenantID, _ policy: PolicyConfig, ifMatch: Int64? = nil, actor: String? = nil
    ) async throws(TenancyError) -> TenantConfig {
        let stored = try await modify(id, ifMatch: ifMatch) { $0.policy = policy }
        observers.adminChanged(AdminEvent(action: .policyUpdated, tenant: id, version: stored.version, actor: actor))
        return stored
    }

    /// Deletes a tenant.
    /// - Parameters:
    ///   - id: The tenant.
    ///   - ifMatch: The version the caller last read; `nil` deletes whatever is stored.
    ///   - actor: Who asked, for the audit log.
    /// - Returns: The deleted config.
    /// - Throws: ``TenancyError`` with ``TenancyError/Code/tenantNotFound``,
    ///   ``TenancyError/Code/versionConflict`` or ``TenancyError/Code/backendUnavailable``.
    public func delete(_ id: TenantID, ifMatch: Int64? = nil, actor: String? = nil) async throws(TenancyError)
        -> TenantConfig
    {
        let deleted = try await store.delete(id, condition: ifMatch.map(WriteCondition.version) ?? .mustExist)
        observers.adminChanged(AdminEvent(action: .deleted, tenant: id, version: deleted.version, actor: actor))
        return deleted
    }

    /// A page of tenants in ascending ID order.
    /// - Parameters:
    ///   - after: The previous page's ``TenantPage/nextAfter``; `nil` for the first page.
    ///   - limit: The page size, 1...``TenantPage/maximumLimit``; 100 by default.
    /// - Returns: The page.
    /// - Throws: ``TenancyError`` with ``TenancyError/Code/invalidArgument`` or
    ///   ``TenancyError/Code/backendUnavailable``.
    public func list(after: TenantID? = nil, limit: Int = 100) async throws(TenancyError) -> TenantPage {
        try await store.list(after: after, limit: limit)
    }

    /// A tenant's current usage of every limit; consumes nothing.
    /// - Parameter id: The tenant.
    /// - Returns: The usage report.
    /// - Throws: ``TenancyError`` with ``TenancyError/Code/tenantNotFound`` or
    ///   ``TenancyError/Code/backendUnavailable``.
    public func usage(_ id: TenantID) async throws(TenancyError) -> QuotaUsage {
        let config = try await tenant(id)
        return try await quota.usage(of: id, under: config.quota)
    }

    /// Read-modify-write under optimistic concurrency. Without `ifMatch`, a concurrent writer makes it
    /// re-read and retry (a few times); with `ifMatch`, a stale version is the caller's conflict.
    private func modify(
        _ id: TenantID, ifMatch: Int64?, _ change: (inout TenantConfig) -> Void
    ) async throws(TenancyError) -> TenantConfig {
        var attempt = 0
        while true {
            var config = try await tenant(id)
            if let ifMatch, ifMatch != config.version {
                throw TenancyError(.versionConflict, "tenant '\(id)' is at version \(config.version), not \(ifMatch)")
            }
            let readVersion = config.version
            change(&config)
            do {
                return try await store.upsert(config, condition: .version(readVersion))
            } catch where error.code == .versionConflict && ifMatch == nil && attempt < 4 {
                attempt += 1
            }
        }
    }
}
