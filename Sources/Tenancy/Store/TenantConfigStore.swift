/// Where tenant configs live: in memory (``InMemoryTenantConfigStore``), in SQLite, or elsewhere.
///
/// Stores validate configs (``TenantConfig/validated()``) before writing, assign ``TenantConfig/version``
/// and the timestamps, return copies, and notify change handlers after each committed write.
public protocol TenantConfigStore: Sendable {
    /// The config of `id`.
    /// - Parameter id: The tenant.
    /// - Returns: The config, or `nil` when no such tenant exists.
    /// - Throws: ``TenancyError`` with ``TenancyError/Code/backendUnavailable`` when the store fails.
    func config(for id: TenantID) async throws(TenancyError) -> TenantConfig?

    /// Creates or replaces a config if `condition` holds.
    /// - Parameters:
    ///   - config: The config; its version and timestamps are ignored.
    ///   - condition: What must be true of the stored tenant for the write to happen.
    /// - Returns: The stored config, with its new version and timestamps.
    /// - Throws: ``TenancyError`` with ``TenancyError/Code/invalidConfiguration``,
    ///   ``TenancyError/Code/tenantExists``, ``TenancyError/Code/tenantNotFound``,
    ///   ``TenancyError/Code/versionConflict`` or ``TenancyError/Code/backendUnavailable``.
    func upsert(_ config: TenantConfig, condition: WriteCondition) async throws(TenancyError) -> TenantConfig

    /// Deletes a config if `condition` holds.
    /// - Parameters:
    ///   - id: The tenant.
    ///   - condition: ``WriteCondition/always``, ``WriteCondition/mustExist`` or a version.
    /// - Returns: The deleted config.
    /// - Throws: ``TenancyError`` with ``TenancyError/Code/tenantNotFound``,
    ///   ``TenancyError/Code/versionConflict`` or ``TenancyError/Code/backendUnavailable``.
    func delete(_ id: TenantID, condition: WriteCondition) async throws(TenancyError) -> TenantConfig

    /// A page of configs in ascending byte order of IDs.
    /// - Parameters:
    ///   - after: Start after this ID (the previous page's ``TenantPage/nextAfter``); `nil` for the first page.
    ///   - limit: The page size, 1...``TenantPage/maximumLimit``.
    /// - Returns: The page.
    /// - Throws: ``TenancyError`` with ``TenancyError/Code/invalidArgument`` for a bad limit, or
    ///   ``TenancyError/Code/backendUnavailable``.
    func list(after: TenantID?, limit: Int) async throws(TenancyError) -> TenantPage

    /// Registers `handler` to be called after every committed change, on the writer's thread, outside the
    /// store's locks. Handlers must not block.
    /// - Parameter handler: The handler.
    /// - Returns: A subscription; the handler is called until it is cancelled or released.
    func onChange(_ handler: @escaping @Sendable (TenantConfigChange) -> Void) -> TenantConfigSubscription
}

/// A ``TenantConfigStore`` that can answer without suspending (it keeps configs, or a cache of them, in
/// this process). The gate detects it once, when it is created, and looks configs up directly, so an
/// admission over in-process backends pays for no async frames below the gate.
public protocol SynchronousTenantConfigStore: TenantConfigStore {
    /// The config of `id`, without suspending; otherwise exactly as ``TenantConfigStore/config(for:)``.
    /// - Parameter id: The tenant.
    /// - Returns: The config, or `nil` when no such tenant exists.
    /// - Throws: ``TenancyError`` with ``TenancyError/Code/backendUnavailable`` when the store fails.
    func configSynchronously(for id: TenantID) throws(TenancyError) -> TenantConfig?
}
