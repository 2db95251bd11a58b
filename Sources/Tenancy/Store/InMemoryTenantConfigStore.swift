/// A ``TenantConfigStore`` in this process's memory: for tests, demos and services whose tenants come from
/// code or a file. Thread-safe; every read returns a copy.
public final class InMemoryTenantConfigStore: SynchronousTenantConfigStore {
    private struct State {
        var configs = TenantConfigHashTable()
        /// IDs in ascending byte order, for cursor pagination.
        var order: [TenantID] = []
        /// The last version of each deleted tenant not created again: a tenant created again continues from
        /// it, so a version (an ETag) of the deleted tenant can never match the new one. One entry per
        /// deleted ID, as a database keeps a tombstone.
        var deletedVersions: [TenantID: Int64] = [:]

        /// The index of the first ID not less than `id`.
        func lowerBound(_ id: TenantID) -> Int {
            var low = 0
            var high = order.count
            while low < high {
                let middle = (low + high) / 2
                if order[middle] < id { low = middle + 1 } else { high = middle }
            }
            return low
        }
    }

    private let state = Synchronized(State())
    private let clock: any TenancyClock
    private let notifier = ChangeNotifier()

    /// Creates an empty store.
    /// - Parameter clock: Stamps `created_at` and `updated_at`.
    public init(clock: any TenancyClock = SystemClock()) {
        self.clock = clock
    }

    /// The config of `id`, or `nil`. Never throws.
    public func config(for id: TenantID) -> TenantConfig? {
        state.withLock { $0.configs[id] }
    }

    /// The config of `id`, or `nil`. Never throws.
    public func configSynchronously(for id: TenantID) -> TenantConfig? {
        state.withLock { $0.configs[id] }
    }

    /// The config of the tenant whose ID is `raw`, looked up before `raw` is made a ``TenantID``: the gate's
    /// way for an ID it read from the request. `nil` when absent.
    /// - Parameter raw: A string that passed ``TenantID/hasValidSyntax(_:)``.
    func configSynchronously(forValidRawID raw: String) -> TenantConfig? {
        state.withLock { $0.configs.config(forValidRawID: raw) }
    }

    public func upsert(_ config: TenantConfig, condition: WriteCondition) throws(TenancyError) -> TenantConfig {
        var config = try config.validated()
        let now = clock.now
        let change = try state.withLock { state throws(TenancyError) -> TenantConfigChange in
            let existing = state.configs[config.id]
            try Self.check(condition, existing: existing, id: config.id, creating: true)
            config.version = (existing?.version ?? state.deletedVersions[config.id] ?? 0) + 1
            config.createdAt = existing?.createdAt ?? now
            config.updatedAt = now
            state.configs[config.id] = config
            if existing == nil {
                state.order.insert(config.id, at: state.lowerBound(config.id))
                state.deletedVersions[config.id] = nil
            }
            return TenantConfigChange(kind: existing == nil ? .created : .updated, id: config.id, version: config.version)
        }
        notifier.notify(change)
        return config
    }

    public func delete(_ id: TenantID, condition: WriteCondition) throws(TenancyError) -> TenantConfig {
        let deleted = try state.withLock { state throws(TenancyError) -> TenantConfig in
            let existing = state.configs[id]
            try Self.check(condition, existing: existing, id: id, creating: false)
            guard let existing else {
                throw TenancyError(.tenantNotFound, "tenant '\(id)' does not exist")
            }
            state.configs[id] = nil
            state.order.remove(at: state.lowerBound(id))
            state.deletedVersions[id] = existing.version
            return existing
        }
        notifier.notify(TenantConfigChange(kind: .deleted, id: id, version: deleted.version))
        return deleted
    }

    public func list(after: TenantID?, limit: Int) throws(TenancyError) -> TenantPage {
        try Self.checkPageLimit(limit)
        return state.withLock { state in
            var start = 0
            if let after {
                start = state.lowerBound(after)
                if start < state.order.count && state.order[start] == after { start += 1 }
            }
            let end = min(start + limit, state.order.count)
            let tenants = state.order[start..<end].compactMap { state.configs[$0] }
            return TenantPage(tenants: tenants, nextAfter: end < state.order.count ? tenants.last?.id : nil)
        }
    }

    public func onChange(_ handler: @escaping @Sendable (TenantConfigChange) -> Void) -> TenantConfigSubscription {
        notifier.add(handler)
    }

    /// The number of tenants.
    public var count: Int {
        state.withLock { $0.order.count }
    }
}

extension TenantConfigStore {
    /// Checks a write condition against what is stored; shared by every store implementation.
    /// - Parameters:
    ///   - condition: The condition.
    ///   - existing: The stored config, if any.
    ///   - id: The tenant, for messages.
    ///   - creating: Whether a missing tenant may be created (upserts) or is an error (deletes).
    /// - Throws: ``TenancyError`` with ``TenancyError/Code/tenantExists``, ``TenancyError/Code/tenantNotFound``
    ///   or ``TenancyError/Code/versionConflict``.
    public static func check(
        _ condition: WriteCondition, existing: TenantConfig?, id: TenantID, creating: Bool
    ) throws(TenancyError) {
        switch condition {
        case .always:
            guard existing != nil || creating else {
                throw TenancyError(.tenantNotFound, "tenant '\(id)' does not exist")
            }
        case .mustNotExist:
            if let existing {
                throw TenancyError(.tenantExists, "tenant '\(id)' already exists (version \(existing.version))")
            }
        case .mustExist:
            guard existing != nil else { throw TenancyError(.tenantNotFound, "tenant '\(id)' does not exist") }
        case .version(let expected):
            guard let existing else { throw TenancyError(.tenantNotFound, "tenant '\(id)' does not exist") }
            guard existing.version == expected else {
                throw TenancyError(
                    .versionConflict, "tenant '\(id)' is at version \(existing.version), not \(expected)")
            }
        }
    }

    /// Checks a page size; shared by every store implementation.
    /// - Parameter limit: The requested page size.
    /// - Throws: ``TenancyError`` with ``TenancyError/Code/invalidArgument`` outside 1...``TenantPage/maximumLimit``.
    public static func checkPageLimit(_ limit: Int) throws(TenancyError) {
        guard (1...TenantPage.maximumLimit).contains(limit) else {
            throw TenancyError(.invalidArgument, "limit must be between 1 and \(TenantPage.maximumLimit), got \(limit)")
        }
    }
}
