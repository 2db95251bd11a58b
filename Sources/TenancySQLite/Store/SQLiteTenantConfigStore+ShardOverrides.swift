import Tenancy

extension SQLiteTenantConfigStore {
    /// The shard override directory: tenants pinned to a data shard, persisted in the config database
    /// (table `shard_overrides`) so that a restart routes them the same way. Read from the database on
    /// every call (it changes rarely and is read when a ``SQLiteShardedTenantDataStore`` opens).
    /// - Returns: Each pinned tenant's shard.
    /// - Throws: ``TenancyError`` with ``TenancyError/Code/backendUnavailable`` when the query fails or a
    ///   row is damaged (an invalid tenant ID).
    public func shardOverrides() throws(TenancyError) -> [TenantID: Int] {
        try checkOpen()
        let rows = try database.read { connection throws(TenancyError) in
            try connection.query("SELECT tenant_id, shard FROM shard_overrides") { row throws(TenancyError) -> (TenantID, Int) in
                do throws(SQLiteError) {
                    let raw = try row.text(at: 0)
                    guard let tenant = TenantID(validating: raw) else {
                        throw SQLiteError(.mismatch, "invalid tenant ID \(raw.prefix(64).debugDescription)")
                    }
                    return (tenant, Int(try row.int64(at: 1)))
                } catch {
                    throw TenancyError(.backendUnavailable, "shard override directory: \(error.message)")
                }
            }
        }
        return Dictionary(rows, uniquingKeysWith: { first, _ in first })
    }

    /// Pins `tenant` to `shard`, or removes its pin with `nil`, in the persisted directory.
    /// - Parameters:
    ///   - shard: The shard, not negative; `nil` to unpin.
    ///   - tenant: The tenant.
    /// - Throws: ``TenancyError`` with ``TenancyError/Code/invalidArgument`` for a negative shard, or
    ///   ``TenancyError/Code/backendUnavailable``.
    public func setShardOverride(_ shard: Int?, for tenant: TenantID) throws(TenancyError) {
        if let shard, shard < 0 {
            throw TenancyError(.invalidArgument, "shard \(shard) is negative")
        }
        try checkOpen()
        let now = clock.now.nanosecondsSinceEpoch
        try database.write { connection throws(TenancyError) in
            do throws(SQLiteError) {
                if let shard {
                    try connection.execute(
                        """
                        INSERT INTO shard_overrides (tenant_id, shard, updated_at) VALUES (?1, ?2, ?3)
                        ON CONFLICT (tenant_id) DO UPDATE SET shard = excluded.shard, updated_at = excluded.updated_at
                        """, [.text(tenant.rawValue), .integer(Int64(shard)), .integer(now)])
                } else {
                    try connection.execute("DELETE FROM shard_overrides WHERE tenant_id = ?1", [.text(tenant.rawValue)])
                }
            } catch {
                throw TenancyError(error)
            }
        }
    }
}
