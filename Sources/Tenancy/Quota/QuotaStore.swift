/// Where quota engines keep per-tenant state.
///
/// ``InMemoryQuotaStore`` keeps it in this process. A distributed store (Redis, a database) implements the
/// same contract with an optimistic transaction: load the state, run `body`, write the result back if
/// nothing changed meanwhile (retrying `body` otherwise), and expire the key at ``QuotaState/expiresAt``.
public protocol QuotaStore: Sendable {
    /// Runs `body` with exclusive access to `tenant`'s state and stores what it leaves behind.
    ///
    /// A state whose ``QuotaState/expiresAt`` is not after `now` is handed to `body` as empty. An empty state
    /// left by `body` is removed. `body` may run more than once in a distributed store, so it must be pure.
    /// - Parameters:
    ///   - tenant: Whose state.
    ///   - now: The engine's current time, for expiry.
    ///   - body: Reads and updates the state; must not block.
    /// - Returns: What `body` returns.
    /// - Throws: ``TenancyError`` with ``TenancyError/Code/backendUnavailable`` when the store fails.
    func withState<R: Sendable>(
        of tenant: TenantID, now: Timestamp, _ body: (inout QuotaState) -> R
    ) async throws(TenancyError) -> R

    /// Forgets `tenant`'s state, giving it a full quota.
    /// - Parameter tenant: Whose state.
    /// - Throws: ``TenancyError`` with ``TenancyError/Code/backendUnavailable`` when the store fails.
    func removeState(of tenant: TenantID) async throws(TenancyError)
}

/// A ``QuotaStore`` that never suspends (it keeps state in this process). Engines detect it once, when they
/// are created, and call it directly, so an in-memory decision pays for no async frames below the engine.
public protocol SynchronousQuotaStore: QuotaStore {
    /// Runs `body` with exclusive access to `tenant`'s state, without suspending; otherwise exactly as
    /// ``QuotaStore/withState(of:now:_:)``.
    /// - Parameters:
    ///   - tenant: Whose state.
    ///   - now: The engine's current time, for expiry.
    ///   - body: Reads and updates the state; must not block.
    /// - Returns: What `body` returns.
    /// - Throws: ``TenancyError`` with ``TenancyError/Code/backendUnavailable`` when the store fails.
    func withStateSynchronously<R: Sendable>(
        of tenant: TenantID, now: Timestamp, _ body: (inout QuotaState) -> R
    ) throws(TenancyError) -> R
}
