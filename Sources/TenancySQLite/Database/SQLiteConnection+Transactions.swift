import CSQLite

extension SQLiteConnection {
    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws. Inside another
    /// transaction this is a ``savepoint(_:)``, so transactional helpers compose.
    ///
    /// Writes belong in ``TransactionKind/immediate`` transactions (the default): the write lock is taken at
    /// `BEGIN`, waiting up to the busy timeout, so a check-then-write body is atomic against every other
    /// connection and never fails halfway for a lock.
    /// - Parameters:
    ///   - kind: How the transaction takes its locks; ignored when nested.
    ///   - body: The work; gets this connection.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws, or a `BEGIN` / `COMMIT` failure converted to `E`.
    @discardableResult
    public func transaction<R, E: SQLiteErrorConvertible>(
        _ kind: TransactionKind = .immediate, _ body: (SQLiteConnection) throws(E) -> R
    ) throws(E) -> R {
        if isInTransaction {
            return try savepoint(body)
        }
        do {
            try execute("BEGIN \(kind.rawValue)")
        } catch {
            throw E(error)
        }
        let result: R
        do {
            result = try body(self)
        } catch {
            rollbackIfActive()
            throw error
        }
        do {
            try execute("COMMIT")
        } catch {
            rollbackIfActive()
            throw E(error)
        }
        return result
    }

    /// Runs `body` in a savepoint: released when it returns, rolled back to (undoing only `body`'s changes)
    /// when it throws. Savepoints nest; outside a transaction a savepoint is a deferred transaction.
    /// - Parameter body: The work; gets this connection.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws, or a `SAVEPOINT` / `RELEASE` failure converted to `E`.
    @discardableResult
    public func savepoint<R, E: SQLiteErrorConvertible>(_ body: (SQLiteConnection) throws(E) -> R) throws(E) -> R {
        savepointDepth += 1
        defer { savepointDepth -= 1 }
        let name = "tenancy_savepoint_\(savepointDepth)"
        do {
            try execute("SAVEPOINT \(name)")
        } catch {
            throw E(error)
        }
        let result: R
        do {
            result = try body(self)
        } catch {
            rollback(to: name)
            throw error
        }
        do {
            try execute("RELEASE \(name)")
        } catch {
            rollback(to: name)
            throw E(error)
        }
        return result
    }

    /// Rolls the open transaction back, if SQLite has not already done so (some errors, such as
    /// `SQLITE_FULL`, roll back by themselves). Errors are ignored: the transaction is gone either way.
    func rollbackIfActive() {
        guard isInTransaction else { return }
        _ = try? execute("ROLLBACK")
    }

    /// Undoes a savepoint's changes and removes it. Ignores errors: when the enclosing transaction was
    /// rolled back by SQLite the savepoint no longer exists.
    private func rollback(to name: String) {
        guard isInTransaction else { return }
        _ = try? execute("ROLLBACK TO \(name)")
        _ = try? execute("RELEASE \(name)")
    }
}
