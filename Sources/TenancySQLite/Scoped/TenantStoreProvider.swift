import Tenancy

/// Where a tenant's data lives: one shared store, the tenant's own file from a pool, or the store of the
/// tenant's shard. Asked once per operation, so a pooled file is in use exactly while a statement runs and
/// a re-pinned tenant is routed to its new shard at once.
protocol TenantStoreProvider: Sendable {
    /// Runs `body` with the store that holds `tenant`'s rows.
    func withStore<R>(
        for tenant: TenantID, _ body: (SQLiteTenantDataStore) throws(SQLiteError) -> R
    ) throws(SQLiteError) -> R
}
