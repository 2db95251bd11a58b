#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Tenancy

/// Tenant data spread over N shared-file stores (`shard-0.sqlite` ... `shard-<N-1>.sqlite` in one
/// directory), routed by the core ``ShardRouter``: a tenant's pin in the override directory first, jump
/// consistent hashing of its ID otherwise.
///
/// The override directory is persisted in the config database (``SQLiteTenantConfigStore``, table
/// `shard_overrides`), so pins survive restarts and every process that opens the same config file routes
/// the same way (after it reopens or calls ``reloadOverrides()``). Each shard is a full
/// ``SQLiteTenantDataStore``: builder, authorizer and guard triggers apply in every file.
///
/// ``pin(_:toShard:)`` only routes; ``move(_:toShard:reason:actor:)`` copies the tenant's rows, pins it and
/// deletes the old copy. Plan a resize with ``ShardRouter/moves(toShardCount:tenants:)`` on ``router``.
public final class SQLiteShardedTenantDataStore: Sendable {
    /// The directory holding the shard files.
    public let directory: String
    private let shards: [SQLiteTenantDataStore]
    private let overrides: SQLiteTenantConfigStore
    private let currentRouter: Synchronized<ShardRouter>

    /// Opens (creating and migrating) every shard file and loads the override directory.
    /// - Parameters:
    ///   - directory: Where the shard files live; created when missing.
    ///   - shardCount: How many shards, 1 or more.
    ///   - overrides: The config store whose database holds the override directory.
    ///   - tenantTables: The tables that hold tenant rows in each shard.
    ///   - migrations: Each shard's schema.
    ///   - configuration: Each shard's connections.
    ///   - observers: Told about cross-tenant statements on any shard.
    /// - Throws: ``TenancyError``: ``TenancyError/Code/invalidArgument`` for a bad shard count or a
    ///   persisted pin outside it, ``TenancyError/Code/backendUnavailable`` for a file or schema failure.
    public init(
        directory: String, shardCount: Int, overrides: SQLiteTenantConfigStore, tenantTables: [String],
        migrations: [Migration], configuration: SQLiteDatabase.Configuration = .init(),
        observers: TenancyObservers = .init()
    ) throws(TenancyError) {
        let router = try ShardRouter(shardCount: shardCount, overrides: try overrides.shardOverrides())
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw TenancyError(.backendUnavailable, "cannot create the shard directory '\(directory)': \(error)")
        }
        var shards: [SQLiteTenantDataStore] = []
        do {
            for shard in 0..<shardCount {
                shards.append(
                    try SQLiteTenantDataStore(
                        path: directory + "/shard-\(shard).sqlite", tenantTables: tenantTables, migrations: migrations,
                        configuration: configuration, observers: observers))
            }
        } catch {
            for store in shards { store.close() }
            throw TenancyError(error)
        }
        self.directory = directory
        self.shards = shards
        self.overrides = overrides
        currentRouter = Synchronized(router)
    }

    /// The routing now: shard count and pins.
    public var router: ShardRouter { currentRouter.withLock { $0 } }

    /// The shard that holds `tenant`'s rows now.
    /// - Parameter tenant: The tenant.
    /// - Returns: A shard in `0..<shardCount`.
    public func shard(for tenant: TenantID) -> Int {
        currentRouter.withLock { $0.shard(for: tenant) }
    }

    /// A handle on `tenant`'s rows; each operation goes to the tenant's shard at that moment.
    /// - Parameter tenant: The tenant.
    /// - Returns: The scope.
    public func scoped(to tenant: TenantID) -> SQLiteTenantScope {
        SQLiteTenantScope(tenant: tenant, provider: self)
    }

    /// The store of shard `index`, for maintenance such as cross-tenant copies between shards.
    /// - Parameter index: The shard.
    /// - Returns: Its store.
    /// - Throws: ``TenancyError`` with ``TenancyError/Code/invalidArgument`` for a shard out of range.
    public func store(ofShard index: Int) throws(TenancyError) -> SQLiteTenantDataStore {
        try checkShard(index)
        return shards[index]
    }

    /// Pins `tenant` to `shard`: persists the pin, then reloads the routing from the directory (so it also
    /// picks up other processes' pins and never runs ahead of what is persisted).
    /// - Parameters:
    ///   - tenant: The tenant.
    ///   - shard: Its shard, in `0..<shardCount`.
    /// - Throws: ``TenancyError`` with ``TenancyError/Code/invalidArgument`` for a shard out of range, or
    ///   ``TenancyError/Code/backendUnavailable``.
    public func pin(_ tenant: TenantID, toShard shard: Int) throws(TenancyError) {
        try checkShard(shard)
        try overrides.setShardOverride(shard, for: tenant)
        try reloadOverrides()
    }

    /// Moves `tenant`'s rows to `shard` and pins it there: copies every tenant table's rows of the tenant
    /// (after clearing any left on the target by an earlier, interrupted move) in one transaction on the
    /// target, persists the pin, then deletes the rows from the old shard in one transaction. Every step is
    /// reported to the observers as cross-tenant access. Writes of the tenant that run during the move may
    /// be lost: quiesce the tenant first. Rows are copied column by column (`SELECT *`), so tables with
    /// generated columns cannot be moved this way. A failure before the pin leaves the tenant where it was (retry
    /// the move); a failure after it leaves a stale copy on the old shard, which the next move clears.
    /// - Parameters:
    ///   - tenant: The tenant.
    ///   - shard: The target shard.
    ///   - reason: Why, for the audit trail; must not be empty.
    ///   - actor: Who, when known.
    /// - Returns: The number of rows moved.
    /// - Throws: ``TenancyError``: ``TenancyError/Code/invalidArgument`` for a shard out of range or an
    ///   empty reason, ``TenancyError/Code/backendUnavailable`` when a copy, the pin or the delete fails.
    @discardableResult
    public func move(_ tenant: TenantID, toShard shard: Int, reason: String, actor: String? = nil) throws(TenancyError) -> Int {
        try checkShard(shard)
        guard !reason.isEmpty else { throw TenancyError(.invalidArgument, "a move needs a reason for the audit trail") }
        let source = self.shard(for: tenant)
        guard source != shard else { return 0 }
        let tables = shards[source].tenantTables
        let owned = SQLColumn(SQLCompiler.tenantColumn) == .text(tenant.rawValue)
        let from = try convert { () throws(SQLiteError) in try shards[source].crossTenantScope(reason: reason, actor: actor) }
        let to = try convert { () throws(SQLiteError) in try shards[shard].crossTenantScope(reason: reason, actor: actor) }
        let rows = try convert { () throws(SQLiteError) in
            try tables.map { table throws(SQLiteError) in try from.select(SQLSelect(from: table).where(owned)) }
        }
        try convert { () throws(SQLiteError) in
            try shards[shard].crossTenantTransaction { connection throws(SQLiteError) in
                for table in tables.reversed() { try to.delete(SQLDelete(from: table, where: owned), on: connection) }
                for (table, tableRows) in zip(tables, rows) {
                    for row in tableRows {
                        let values = Dictionary(zip(row.columns, row.values), uniquingKeysWith: { first, _ in first })
                        try to.insert(SQLInsert(into: table, values: values), on: connection)
                    }
                }
            }
        }
        try pin(tenant, toShard: shard)
        try convert { () throws(SQLiteError) in
            try shards[source].crossTenantTransaction { connection throws(SQLiteError) in
                for table in tables.reversed() { try from.delete(SQLDelete(from: table, where: owned), on: connection) }
            }
        }
        return rows.reduce(0) { $0 + $1.count }
    }

    /// Removes `tenant`'s pin, so it is routed by its hash again.
    /// - Parameter tenant: The tenant.
    /// - Throws: ``TenancyError`` with ``TenancyError/Code/backendUnavailable``.
    public func unpin(_ tenant: TenantID) throws(TenancyError) {
        try overrides.setShardOverride(nil, for: tenant)
        try reloadOverrides()
    }

    /// Re-reads the override directory from the config database, to pick up pins made by other processes.
    /// - Throws: ``TenancyError``: ``TenancyError/Code/invalidArgument`` when a pin names a shard this
    ///   store does not have (the routing is left as it was), or ``TenancyError/Code/backendUnavailable``.
    public func reloadOverrides() throws(TenancyError) {
        let router = try ShardRouter(shardCount: shards.count, overrides: try overrides.shardOverrides())
        currentRouter.withLock { $0 = router }
    }

    /// Closes every shard; idempotent. The config store is not closed.
    public func close() {
        for store in shards { store.close() }
    }

    private func convert<R>(_ body: () throws(SQLiteError) -> R) throws(TenancyError) -> R {
        do {
            return try body()
        } catch {
            throw TenancyError(error)
        }
    }

    private func checkShard(_ index: Int) throws(TenancyError) {
        guard shards.indices.contains(index) else {
            throw TenancyError(.invalidArgument, "shard \(index) is not in 0..<\(shards.count)")
        }
    }
}

extension SQLiteShardedTenantDataStore: TenantStoreProvider {
    func withStore<R>(
        for tenant: TenantID, _ body: (SQLiteTenantDataStore) throws(SQLiteError) -> R
    ) throws(SQLiteError) -> R {
        try body(shards[shard(for: tenant)])
    }
}
