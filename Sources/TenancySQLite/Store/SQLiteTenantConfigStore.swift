import Dispatch
import Tenancy

/// A ``TenantConfigStore`` in a SQLite file, with an in-process cache in front so the admission gate's
/// lookups are answered without suspending and, almost always, without a query.
///
/// ## Reads
/// ``configSynchronously(for:)`` answers, in order, from: the config cache (LRU, bounded, time to live);
/// the negative cache of unknown IDs (LRU, bounded separately, short time to live); the known-tenant Bloom
/// filter (an ID it has never seen does not exist); and finally the database, through **single flight**:
/// the first caller to miss registers a ``LoadFlight`` under the store's lock and queries, every caller
/// that misses the same ID meanwhile waits for that one query. N concurrent lookups of a cold ID cost one
/// query; a flood of distinct unknown IDs costs none (filter) and never more memory than the negative
/// cache's capacity.
///
/// ## Writes
/// ``upsert(_:condition:)`` and ``delete(_:condition:)`` check their ``WriteCondition`` and write inside one
/// `BEGIN IMMEDIATE` transaction, so the check and the write are atomic against every other writer (this
/// process or another). After the commit, still holding the writer, the tenant is removed from both caches
/// and its in-flight load is detached (so a load that read the old row cannot cache it); then change
/// handlers are called, outside every lock. A write whose condition fails invalidates the tenant too: the
/// failure shows that what this store cached was stale.
///
/// ## What invalidation guarantees
/// - **This store:** read-your-writes. Once a write returns, every lookup through this store sees it.
/// - **Other stores and processes on the same file:** their commits are detected by polling
///   `PRAGMA data_version` on the writer connection every
///   ``Configuration/externalChangePollInterval`` (1 s by default), which empties both caches and rebuilds
///   the filter. Their changes are visible here within that interval; without polling, within the time to
///   live. Change handlers fire only for writes made through this store.
///
/// Timestamps and cache lifetimes come from the injected clock; the background poll uses real time.
public final class SQLiteTenantConfigStore: SynchronousTenantConfigStore {
    private struct State {
        var configs: ExpiringLRU<TenantID, TenantConfig>
        var unknown: ExpiringLRU<TenantID, Void>
        var flights: [TenantID: LoadFlight] = [:]
        var filter: KnownTenantFilter?
        /// The writer's `PRAGMA data_version` when the caches were last known to match the file.
        var dataVersion: Int64 = 0
        var statistics = Statistics()
        var isClosed = false
    }

    /// The background poll's timer. `@unchecked Sendable` is sound: a dispatch source is thread-safe
    /// (`cancel()` may be called from any thread), and it is only reached under `pollTimer`'s lock.
    private struct PollTimer: @unchecked Sendable {
        let source: any DispatchSourceTimer
    }

    private enum Lookup {
        case answered(TenantConfig?)
        case join(LoadFlight)
        case lead(LoadFlight)
    }

    /// The database file.
    public let path: String
    /// The configuration the store was opened with.
    public let configuration: Configuration
    let database: SQLiteDatabase
    let clock: any TenancyClock
    private let state: Synchronized<State>
    private let notifier = ChangeNotifier()
    private let pollTimer = Synchronized<PollTimer?>(nil)

    /// Opens (creating if needed) the config database at `path` and brings its schema up to date.
    /// - Parameters:
    ///   - path: The database file; its directory must exist and be writable (WAL needs `-wal` and `-shm`
    ///     files beside it).
    ///   - configuration: Cache sizes, lifetimes and database options.
    ///   - clock: Stamps `created_at` / `updated_at` and times cache entries.
    /// - Throws: ``TenancyError`` with ``TenancyError/Code/backendUnavailable`` naming the path and SQLite's
    ///   reason when the file cannot be opened, is not a database, or its schema is newer than this code;
    ///   ``TenancyError/Code/invalidArgument`` for a bad configuration.
    public init(
        path: String, configuration: Configuration = Configuration(), clock: any TenancyClock = SystemClock()
    ) throws(TenancyError) {
        try configuration.validate()
        self.path = path
        self.configuration = configuration
        self.clock = clock
        do {
            database = try SQLiteDatabase(path: path, configuration: configuration.database)
        } catch {
            throw TenancyError(.backendUnavailable, "tenant config store: \(error)")
        }
        state = Synchronized(
            State(
                configs: ExpiringLRU(capacity: configuration.cacheCapacity),
                unknown: ExpiringLRU(capacity: configuration.negativeCacheCapacity)))
        do {
            try database.write { connection throws(TenancyError) in
                do throws(SQLiteError) {
                    try Migrator(TenantConfigTable.migrations).migrate(connection)
                } catch {
                    throw TenancyError(.backendUnavailable, "tenant config store at '\(path)': \(error)")
                }
                try resynchronize(on: connection, dataVersion: try Self.dataVersion(of: connection), isExternalChange: false)
            }
        } catch {
            database.close()
            throw error
        }
        startPolling()
    }

    deinit {
        pollTimer.withLock { $0?.source.cancel() }
    }

    /// Stops the background poll and closes the database; idempotent. Every later call throws
    /// ``TenancyError/Code/backendUnavailable``.
    public func close() {
        pollTimer.withLock { timer in
            timer?.source.cancel()
            timer = nil
        }
        // Loads in flight still complete their flights, so their waiters wake.
        state.withLock { state in
            state.isClosed = true
            state.configs.removeAll()
            state.unknown.removeAll()
            state.flights.removeAll()
        }
        database.close()
    }

    // MARK: - Reads

    /// The config of `id`, or `nil`; never suspends. See the type's documentation for the lookup order.
    public func config(for id: TenantID) throws(TenancyError) -> TenantConfig? {
        try configSynchronously(for: id)
    }

    /// The config of `id`, or `nil`. Hot path: one lock, one dictionary lookup and one clock reading on a
    /// cache hit; no allocation.
    /// - Parameter id: The tenant.
    /// - Returns: A copy of the config, or `nil` when no such tenant exists.
    /// - Throws: ``TenancyError`` with ``TenancyError/Code/backendUnavailable`` when the query fails, the row
    ///   is damaged (the message names the tenant and column), or the store is closed.
    public func configSynchronously(for id: TenantID) throws(TenancyError) -> TenantConfig? {
        let now = clock.now.nanosecondsSinceEpoch
        let lookup = try state.withLock { state throws(TenancyError) -> Lookup in
            guard !state.isClosed else { throw Self.closedError }
            switch state.configs.lookup(id, now: now) {
            case .hit(let config):
                state.statistics.hits &+= 1
                return .answered(config)
            case .expired:
                state.statistics.expirations &+= 1
            case .miss:
                break
            }
            switch state.unknown.lookup(id, now: now) {
            case .hit:
                state.statistics.negativeHits &+= 1
                return .answered(nil)
            case .expired:
                state.statistics.expirations &+= 1
            case .miss:
                break
            }
            if let filter = state.filter, !filter.mightContain(id) {
                state.statistics.filterRejections &+= 1
                return .answered(nil)
            }
            if let flight = state.flights[id] {
                state.statistics.joinedLoads &+= 1
                return .join(flight)
            }
            let flight = LoadFlight()
            state.flights[id] = flight
            return .lead(flight)
        }
        switch lookup {
        case .answered(let config):
            return config
        case .join(let flight):
            return try flight.wait().get()
        case .lead(let flight):
            return try load(id, leading: flight).get()
        }
    }

    /// Runs the one query of a single flight, caches its answer unless a write or an external change
    /// detached the flight meanwhile, and wakes the waiters.
    private func load(_ id: TenantID, leading flight: LoadFlight) -> Result<TenantConfig?, TenancyError> {
        let result: Result<TenantConfig?, TenancyError>
        do {
            result = .success(
                try database.read { connection throws(TenancyError) in try TenantConfigTable.config(id, on: connection) })
        } catch {
            result = .failure(error)
        }
        configuration.afterLoadQuery?(id)
        let now = clock.now
        state.withLock { state in
            state.statistics.loads &+= 1
            guard state.flights[id] === flight else {
                if case .failure = result { state.statistics.loadFailures &+= 1 }
                return
            }
            state.flights[id] = nil
            switch result {
            case .success(let config?):
                let expiry = (now + configuration.cacheTimeToLive).nanosecondsSinceEpoch
                if state.configs.insert(id, config, expiresAt: expiry) { state.statistics.evictions &+= 1 }
            case .success(nil):
                let expiry = (now + configuration.negativeCacheTimeToLive).nanosecondsSinceEpoch
                if state.unknown.insert(id, (), expiresAt: expiry) { state.statistics.negativeEvictions &+= 1 }
            case .failure:
                state.statistics.loadFailures &+= 1
            }
        }
        flight.complete(result)
        return result
    }

    /// A page of configs in ascending byte order of IDs, read from the database (listings bypass and do
    /// not fill the cache).
    /// - Parameters:
    ///   - after: Start after this ID; `nil` for the first page.
    ///   - limit: The page size, 1...``TenantPage/maximumLimit``.
    /// - Returns: The page; ``TenantPage/nextAfter`` is set only when more tenants follow.
    /// - Throws: ``TenancyError`` with ``TenancyError/Code/invalidArgument`` for a bad limit, or
    ///   ``TenancyError/Code/backendUnavailable``.
    public func list(after: TenantID?, limit: Int) throws(TenancyError) -> TenantPage {
        try Self.checkPageLimit(limit)
        try checkOpen()
        let rows = try database.read { connection throws(TenancyError) in
            try TenantConfigTable.page(after: after, limit: limit + 1, on: connection)
        }
        let tenants = Array(rows.prefix(limit))
        return TenantPage(tenants: tenants, nextAfter: rows.count > limit ? tenants.last?.id : nil)
    }

    // MARK: - Writes

    /// Creates or replaces a config if `condition` holds, atomically (one immediate transaction).
    /// - Parameters:
    ///   - config: The config; its version and timestamps are ignored.
    ///   - condition: What must be true of the stored tenant.
    /// - Returns: The stored config with its new version and timestamps.
    /// - Throws: ``TenancyError`` with ``TenancyError/Code/invalidConfiguration``,
    ///   ``TenancyError/Code/tenantExists``, ``TenancyError/Code/tenantNotFound``,
    ///   ``TenancyError/Code/versionConflict`` or ``TenancyError/Code/backendUnavailable``.
    public func upsert(_ config: TenantConfig, condition: WriteCondition) throws(TenancyError) -> TenantConfig {
        var config = try config.validated()
        let encoded = try TenantConfigTable.encode(config)
        let id = config.id
        try checkOpen()
        let (stored, created) = try database.write { connection throws(TenancyError) -> (TenantConfig, Bool) in
            // Into the filter before the commit: it may only ever over-report.
            state.withLock { $0.filter?.insert(id) }
            let now = clock.now
            // Invalidated even when the write fails: a failed condition shows this store's cache was stale.
            defer { invalidate(id) }
            let written = try connection.transaction(.immediate) { connection throws(TenancyError) -> (TenantConfig, Bool) in
                let existing = try TenantConfigTable.storedVersion(id, on: connection)
                try Self.check(condition, existing: existing.map { Self.placeholder(id, $0.version) }, id: id, creating: true)
                // A tenant created again continues from its tombstone: its old ETags must not match it.
                var previous = existing?.version ?? 0
                if existing == nil { previous = try TenantConfigTable.deletedVersion(id, on: connection) ?? 0 }
                config.version = previous + 1
                config.createdAt = existing?.createdAt ?? now
                config.updatedAt = now
                if existing == nil {
                    try TenantConfigTable.insert(config, encoded, on: connection)
                } else {
                    try TenantConfigTable.update(config, encoded, on: connection)
                }
                return (config, existing == nil)
            }
            // The write is committed: a failed rebuild only leaves the filter over-full (more false
            // positives, never a false negative), so it must not fail the upsert.
            try? growFilterIfNeeded(on: connection)
            return written
        }
        notifier.notify(TenantConfigChange(kind: created ? .created : .updated, id: id, version: stored.version))
        return stored
    }

    /// Deletes a config if `condition` holds, atomically (one immediate transaction).
    /// - Parameters:
    ///   - id: The tenant.
    ///   - condition: ``WriteCondition/always``, ``WriteCondition/mustExist`` or a version.
    /// - Returns: The deleted config.
    /// - Throws: ``TenancyError`` with ``TenancyError/Code/tenantNotFound``,
    ///   ``TenancyError/Code/versionConflict`` or ``TenancyError/Code/backendUnavailable`` (also when the
    ///   row is damaged: repair it with an upsert first, so the deleted config can be returned).
    public func delete(_ id: TenantID, condition: WriteCondition) throws(TenancyError) -> TenantConfig {
        try checkOpen()
        let deleted = try database.write { connection throws(TenancyError) -> TenantConfig in
            defer { invalidate(id) }
            return try connection.transaction(.immediate) { connection throws(TenancyError) -> TenantConfig in
                let existing = try TenantConfigTable.storedVersion(id, on: connection)
                try Self.check(condition, existing: existing.map { Self.placeholder(id, $0.version) }, id: id, creating: false)
                guard let config = try TenantConfigTable.config(id, on: connection) else {
                    throw TenancyError(.tenantNotFound, "tenant '\(id)' does not exist")
                }
                try TenantConfigTable.delete(id, version: config.version, on: connection)
                return config
            }
        }
        notifier.notify(TenantConfigChange(kind: .deleted, id: id, version: deleted.version))
        return deleted
    }

    /// Registers `handler` to be called after every write committed through this store, on the writer's
    /// thread, outside the store's locks.
    /// - Parameter handler: The handler; must not block.
    /// - Returns: A subscription; the handler is called until it is cancelled or released.
    public func onChange(_ handler: @escaping @Sendable (TenantConfigChange) -> Void) -> TenantConfigSubscription {
        notifier.add(handler)
    }

    // MARK: - External changes

    /// Checks whether another connection committed to the file since the last check (`PRAGMA
    /// data_version` on the writer, which ignores this store's own commits); if so, empties both caches,
    /// detaches in-flight loads and rebuilds the known-tenant filter. The background poll calls this; call
    /// it yourself for an immediate check.
    /// - Returns: Whether a change was found.
    /// - Throws: ``TenancyError`` with ``TenancyError/Code/backendUnavailable``.
    @discardableResult
    public func pollForExternalChanges() throws(TenancyError) -> Bool {
        try checkOpen()
        return try database.write { connection throws(TenancyError) -> Bool in
            let version = try Self.dataVersion(of: connection)
            guard state.withLock({ $0.dataVersion != version }) else { return false }
            try resynchronize(on: connection, dataVersion: version, isExternalChange: true)
            return true
        }
    }

    /// What the caches did since the store opened, and how full they are.
    public var statistics: Statistics {
        state.withLock { state in
            var statistics = state.statistics
            statistics.cachedConfigs = state.configs.count
            statistics.cachedUnknownIDs = state.unknown.count
            statistics.filterBytes = state.filter?.byteCount ?? 0
            return statistics
        }
    }

    // MARK: - Internals

    private static var closedError: TenancyError {
        TenancyError(.backendUnavailable, "the SQLite tenant config store is closed")
    }

    /// A stand-in for the stored row in ``TenantConfigStore/check(_:existing:id:creating:)``, which reads
    /// only the version; building it reads no JSON.
    private static func placeholder(_ id: TenantID, _ version: Int64) -> TenantConfig {
        var config = TenantConfig(id: id)
        config.version = version
        return config
    }

    private static func dataVersion(of connection: SQLiteConnection) throws(TenancyError) -> Int64 {
        do {
            return try connection.dataVersion()
        } catch {
            throw TenancyError(error)
        }
    }

    func checkOpen() throws(TenancyError) {
        try state.withLock { state throws(TenancyError) in
            if state.isClosed { throw Self.closedError }
        }
    }

    /// Drops `id` from both caches and detaches its in-flight load, after a write through this store.
    private func invalidate(_ id: TenantID) {
        state.withLock { state in
            state.configs.remove(id)
            state.unknown.remove(id)
            state.flights[id] = nil
            state.statistics.invalidations &+= 1
        }
    }

    /// Rebuilds the filter from the table and empties the caches; on the writer, so no write of this
    /// store interleaves.
    private func resynchronize(
        on connection: SQLiteConnection, dataVersion: Int64, isExternalChange: Bool
    ) throws(TenancyError) {
        let filter = try configuration.filterIsActive ? buildFilter(on: connection) : nil
        state.withLock { state in
            if isExternalChange { state.statistics.externalChanges &+= 1 }
            state.dataVersion = dataVersion
            state.configs.removeAll()
            state.unknown.removeAll()
            state.flights.removeAll()
            state.filter = filter
        }
    }

    private func buildFilter(on connection: SQLiteConnection) throws(TenancyError) -> KnownTenantFilter {
        let ids = try TenantConfigTable.ids(on: connection)
        var filter = KnownTenantFilter(expectedCount: ids.count)
        for id in ids { filter.insert(id) }
        return filter
    }

    /// Rebuilds the filter at twice the size once it holds more IDs than it was sized for.
    private func growFilterIfNeeded(on connection: SQLiteConnection) throws(TenancyError) {
        guard state.withLock({ $0.filter?.isOverfull ?? false }) else { return }
        let filter = try buildFilter(on: connection)
        state.withLock { $0.filter = filter }
    }

    private func startPolling() {
        guard let interval = configuration.externalChangePollInterval else { return }
        let nanoseconds = max(1_000_000, interval.clampedNanoseconds)
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
        timer.schedule(
            deadline: .now() + .nanoseconds(nanoseconds), repeating: .nanoseconds(nanoseconds),
            leeway: .nanoseconds(nanoseconds / 10))
        timer.setEventHandler { [weak self] in
            _ = try? self?.pollForExternalChanges()
        }
        pollTimer.withLock { $0 = PollTimer(source: timer) }
        timer.resume()
    }
}
